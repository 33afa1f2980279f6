// Package delivery hands forwarded felanmälningar to the maintenance system a
// municipality runs: a webhook signed with HMAC-SHA256, or an Open311 POST to
// another GeoReport v2 server.
//
// A delivery is written in the same transaction as the status change that causes
// it (a transactional outbox: a row in report_deliveries plus a River job), so a
// change is never committed without its delivery or the other way round. River
// works the jobs at least once with exponential backoff, across restarts; the
// receiver de-duplicates on the delivery id, which stays the same on every
// attempt.
package delivery
