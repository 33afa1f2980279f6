package open311

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/report"
)

// Limits of GET requests, as the specification recommends: "a span of 90 days or
// first 1000 requests returned, whichever is smallest".
const (
	DefaultWindow = 90 * 24 * time.Hour
	MaxRequests   = 1000
	maxIDs        = 200
)

// Open311 statuses.
const (
	Open   = "open"
	Closed = "closed"
)

// StatusOf maps trygg's workflow onto Open311's two statuses: work still to do is
// open (received, triaged, in_progress, forwarded); resolved, rejected and
// duplicate are closed.
func StatusOf(s report.Status) string {
	if s.Open() {
		return Open
	}
	return Closed
}

// Query is a parsed GET requests.
type Query struct {
	IDs            []string // service_request_id: when set, every other filter is ignored
	ServiceCodes   []string
	Statuses       []string // open, closed; empty means both
	Start, End     time.Time
	JurisdictionID string
	Limit          int
}

// ParseQuery reads GET requests parameters. Without dates the window is the 90
// days up to now; with one date the window is 90 days from (or up to) it; with
// both, they may not be further apart than 90 days.
func ParseQuery(v url.Values, now time.Time) (Query, error) {
	q := Query{Limit: MaxRequests, JurisdictionID: strings.TrimSpace(v.Get("jurisdiction_id"))}
	q.IDs = commaList(v["service_request_id"])
	for i, id := range q.IDs {
		q.IDs[i] = strings.ToUpper(id) // references are upper case; people type them in lower
	}
	if len(q.IDs) > maxIDs {
		return q, apperr.Field("service_request_id", "at most %d service_request_id values at once", maxIDs)
	}
	if len(q.IDs) > 0 {
		// The specification: a list of ids overrides all other arguments.
		return q, nil
	}
	q.ServiceCodes = commaList(v["service_code"])
	for _, s := range commaList(v["status"]) {
		s = strings.ToLower(s)
		if s != Open && s != Closed {
			return q, apperr.Field("status", "status must be open or closed (comma-separated), not %q", s)
		}
		q.Statuses = append(q.Statuses, s)
	}
	start, err := optionalDatetime(v, "start_date")
	if err != nil {
		return q, err
	}
	end, err := optionalDatetime(v, "end_date")
	if err != nil {
		return q, err
	}
	switch {
	case start.IsZero() && end.IsZero():
		q.Start, q.End = now.Add(-DefaultWindow), now
	case end.IsZero():
		q.Start, q.End = start, start.Add(DefaultWindow)
	case start.IsZero():
		q.Start, q.End = end.Add(-DefaultWindow), end
	default:
		q.Start, q.End = start, end
	}
	if q.End.Before(q.Start) {
		return q, apperr.Field("end_date", "end_date is before start_date")
	}
	if q.End.Sub(q.Start) > DefaultWindow {
		return q, apperr.Field("end_date", "start_date and end_date may not span more than 90 days")
	}
	return q, nil
}

func optionalDatetime(v url.Values, name string) (time.Time, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return time.Time{}, nil
	}
	t, err := ParseDatetime(s)
	if err != nil {
		return t, apperr.Field(name, "%s must be a W3C date-time with a time zone, such as 2026-11-05T08:15:30+01:00 or 2026-11-05T07:15:30Z", name)
	}
	return t, nil
}

func commaList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// w3cDatetime is the W3C note's complete date plus hours and minutes, with
// optional seconds and fraction, and a required zone (Z or ±hh:mm).
var w3cDatetime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$`)

// ParseDatetime reads a date-time as the specification writes them (a subset of
// ISO 8601 per the W3C note, time zone required). A "+" that a client forgot to
// escape in a query string arrives as a space and is read back as "+".
func ParseDatetime(s string) (time.Time, error) {
	if i := strings.LastIndexByte(s, ' '); i > 0 && i == len(s)-6 {
		s = s[:i] + "+" + s[i+1:]
	}
	if !w3cDatetime.MatchString(s) {
		return time.Time{}, apperr.Errorf(apperr.Invalid, "not a W3C date-time with a time zone: %q", s)
	}
	layout := time.RFC3339 // also takes a fraction of a second
	if s[16] != ':' {
		layout = "2006-01-02T15:04Z07:00"
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return t, apperr.Errorf(apperr.Invalid, "not a valid date-time: %q", s)
	}
	return t, nil
}

// allStatuses is every trygg status, for translating an Open311 status filter.
var allStatuses = []report.Status{report.Received, report.Triaged, report.InProgress, report.Forwarded,
	report.Resolved, report.Rejected, report.Duplicate}

// TryggStatuses lists the trygg statuses the query's Open311 statuses stand for;
// all of them when the query has no status filter.
func (q Query) TryggStatuses() []string {
	out := []string{}
	for _, s := range allStatuses {
		if len(q.Statuses) == 0 || contains(q.Statuses, StatusOf(s)) {
			out = append(out, string(s))
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
