// Package privacy is how trygg keeps personal data no longer than it needs it
// and shows who looked at it: the retention policy and its purge, the audit
// log's entries, data subject requests (find, export, erase), the masking rule
// of public-record extracts, and the keyed, rotating hashes that replace device
// ids and IP addresses.
//
// The package holds rules and types; internal/postgres implements the stores
// it declares and internal/httpapi wires it to requests. Every decision that
// depends on time takes the time from an injected clock.
package privacy
