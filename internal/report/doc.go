// Package report is the heart of trygg: a resident's report of a place that feels
// unsafe (otrygghet) or of a fault in the outdoor environment (felanmälan), its
// validation, the felanmälan status workflow, moderation, and the store interface
// the reporting core needs. It knows nothing of HTTP or SQL.
package report
