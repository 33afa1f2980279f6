package open311

import (
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/report"
)

func TestParseDatetime(t *testing.T) {
	utc := func(s string) time.Time { v, _ := time.Parse(time.RFC3339Nano, s); return v }
	tests := []struct {
		in   string
		want time.Time // zero: must fail
	}{
		// The specification's two examples name the same instant.
		{"1994-11-05T08:15:30-05:00", utc("1994-11-05T13:15:30Z")},
		{"1994-11-05T13:15:30Z", utc("1994-11-05T13:15:30Z")},
		{"2026-11-20T21:30:00+01:00", utc("2026-11-20T20:30:00Z")},
		{"2026-11-20T21:30:00 01:00", utc("2026-11-20T20:30:00Z")}, // unescaped + in a query
		{"2026-11-20T21:30+01:00", utc("2026-11-20T20:30:00Z")},    // W3C hh:mm
		{"2026-11-20T21:30:00.25Z", utc("2026-11-20T21:30:00.25Z")},
		{"2026-11-20T21:30:00", time.Time{}}, // no zone
		{"2026-11-20", time.Time{}},
		{"20.11.2026", time.Time{}},
		{"2026-13-20T21:30:00Z", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		got, err := ParseDatetime(tt.in)
		if tt.want.IsZero() {
			if err == nil {
				t.Errorf("%q: accepted as %v", tt.in, got)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("%q: got %v %v, want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	tests := []struct {
		name  string
		query string
		want  Query
		field string // invalid field, "" when valid
	}{
		{name: "defaults: last 90 days, 1000", query: "",
			want: Query{Start: now.Add(-90 * day), End: now, Limit: 1000}},
		{name: "start only: 90 days from it", query: "start_date=2026-01-01T00:00:00Z",
			want: Query{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), Limit: 1000}},
		{name: "end only: 90 days up to it", query: "end_date=2026-04-01T00:00:00Z",
			want: Query{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), Limit: 1000}},
		{name: "filters", query: "service_code=FEL.LIGHT,FEL.ROAD&status=Open&jurisdiction_id=1781&start_date=2026-11-01T00:00:00Z&end_date=2026-11-02T00:00:00Z",
			want: Query{ServiceCodes: []string{"FEL.LIGHT", "FEL.ROAD"}, Statuses: []string{"open"}, JurisdictionID: "1781",
				Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), Limit: 1000}},
		{name: "ids override the rest", query: "service_request_id=k7q9-xm2a,ABCD-EFGH&status=bogus&start_date=bad",
			want: Query{IDs: []string{"K7Q9-XM2A", "ABCD-EFGH"}, Limit: 1000}},
		{name: "bad status", query: "status=pending", field: "status"},
		{name: "bad start", query: "start_date=yesterday", field: "start_date"},
		{name: "bad end", query: "end_date=2026-11-01", field: "end_date"},
		{name: "end before start", query: "start_date=2026-11-02T00:00:00Z&end_date=2026-11-01T00:00:00Z", field: "end_date"},
		{name: "more than 90 days", query: "start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:01Z", field: "end_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := url.ParseQuery(tt.query)
			q, err := ParseQuery(v, now)
			if tt.field != "" {
				if e, ok := apperr.As(err); !ok || e.Details.(map[string]string)["field"] != tt.field {
					t.Fatalf("err %v, want invalid %s", err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !q.Start.Equal(tt.want.Start) || !q.End.Equal(tt.want.End) {
				t.Errorf("window %v..%v, want %v..%v", q.Start, q.End, tt.want.Start, tt.want.End)
			}
			q.Start, q.End, tt.want.Start, tt.want.End = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if !reflect.DeepEqual(q, tt.want) {
				t.Errorf("got %+v\nwant %+v", q, tt.want)
			}
		})
	}
}

func TestStatusMapping(t *testing.T) {
	want := map[report.Status]string{
		report.Received: Open, report.Triaged: Open, report.InProgress: Open, report.Forwarded: Open,
		report.Resolved: Closed, report.Rejected: Closed, report.Duplicate: Closed,
	}
	for s, w := range want {
		if got := StatusOf(s); got != w {
			t.Errorf("%s → %s, want %s", s, got, w)
		}
	}
	if got := (Query{Statuses: []string{Closed}}).TryggStatuses(); !reflect.DeepEqual(got, []string{"resolved", "rejected", "duplicate"}) {
		t.Errorf("closed → %v", got)
	}
	if got := (Query{}).TryggStatuses(); len(got) != len(want) {
		t.Errorf("no filter → %v, want all %d", got, len(want))
	}
}
