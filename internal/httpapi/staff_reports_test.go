package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/report"
)

// Points inside the seed municipalities (checked against the real boundaries).
var (
	kristinehamnCentre = [2]float64{14.1086, 59.3096} // 1781
	kristinehamnSouth  = [2]float64{14.2500, 59.2000} // 1781
	filipstadCentre    = [2]float64{14.1686, 59.7126} // 1782
	halleforsCentre    = [2]float64{14.5219, 59.7828} // 1863
)

// seeded is a report written straight to the database, so a test controls its
// status, times and place. Zero fields get defaults: a felanmälan about a street
// light in central Kristinehamn, received half an hour before the test clock.
type seeded struct {
	category    string
	at          [2]float64
	status      report.Status
	visibility  report.Visibility
	description string
	observed    time.Time
	received    time.Time
	contact     *report.Contact
}

const seedReportSQL = `
INSERT INTO reports (id, reference, kind, category, geom, observed_at, received_at, updated_at, description,
                     status, visibility, source, follow_up_hash)
SELECT $1, $2, c.kind, c.code, ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, $7, $7, nullif($8, ''), $9, $10, 'app', '\x00'
FROM categories c WHERE c.code = $3`

// seed stores r and its "created" event and returns its id.
func (ts *testServer) seed(r seeded) uuid.UUID {
	ts.t.Helper()
	if r.category == "" {
		r.category = "FEL.LIGHT"
	}
	if r.at == [2]float64{} {
		r.at = kristinehamnCentre
	}
	if r.status == "" {
		r.status = report.Received
	}
	if r.visibility == "" {
		r.visibility = report.Pending
	}
	if r.received.IsZero() {
		r.received = ts.now.Add(-30 * time.Minute)
	}
	if r.observed.IsZero() {
		r.observed = r.received.Add(-time.Hour)
	}
	ctx := context.Background()
	id := uuid.New()
	tag, err := ts.db.Pool.Exec(ctx, seedReportSQL, id, report.NewReference(), r.category, r.at[0], r.at[1],
		r.observed, r.received, r.description, r.status, r.visibility)
	if err != nil || tag.RowsAffected() != 1 {
		ts.t.Fatalf("seed report %+v: %v (%d rows)", r, err, tag.RowsAffected())
	}
	if c := r.contact; c != nil {
		if _, err := ts.db.Pool.Exec(ctx, `INSERT INTO report_contacts (report_id, name, email, phone) VALUES ($1, $2, $3, $4)`,
			id, c.Name, c.Email, c.Phone); err != nil {
			ts.t.Fatal(err)
		}
	}
	if _, err := ts.db.Pool.Exec(ctx, `INSERT INTO report_events (report_id, at, actor, actor_kind, type, to_status, public)
VALUES ($1, $2, 'resident', 'resident', 'created', $3, true)`, id, r.received, r.status); err != nil {
		ts.t.Fatal(err)
	}
	return id
}

// state is what a test checks to see whether a request changed a report.
type state struct {
	Status      string
	Visibility  string
	Version     int
	Events      int
	DuplicateOf uuid.NullUUID
	Resolved    bool
}

func (ts *testServer) state(id uuid.UUID) state {
	ts.t.Helper()
	var s state
	err := ts.db.Pool.QueryRow(context.Background(), `
SELECT status, visibility, version, (SELECT count(*) FROM report_events e WHERE e.report_id = r.id), duplicate_of, resolved_at IS NOT NULL
FROM reports r WHERE id = $1`, id).Scan(&s.Status, &s.Visibility, &s.Version, &s.Events, &s.DuplicateOf, &s.Resolved)
	if err != nil {
		ts.t.Fatal(err)
	}
	return s
}

func bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

func ids(rs []report.Report) []uuid.UUID {
	out := make([]uuid.UUID, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func TestStaffListFilters(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	day := func(d int) time.Time { return ts.now.AddDate(0, 0, -d) }
	r := map[string]uuid.UUID{
		"light":     ts.seed(seeded{category: "FEL.LIGHT", description: "Trasiga gatlampor vid skolan", observed: day(2), received: day(2)}),
		"road":      ts.seed(seeded{category: "FEL.ROAD", at: kristinehamnSouth, status: report.InProgress, description: "Stort hål i vägen", observed: day(10), received: day(9)}),
		"resolved":  ts.seed(seeded{category: "FEL.LIGHT", status: report.Resolved, visibility: report.Published, observed: day(40), received: day(40)}),
		"gather":    ts.seed(seeded{category: "OTR.SOC.GATHER", description: "Gäng samlas vid busstationen på kvällarna", observed: day(3), received: day(3)}),
		"intox":     ts.seed(seeded{category: "OTR.SOC.INTOX", at: kristinehamnSouth, visibility: report.Hidden, observed: day(5), received: day(5)}),
		"dark":      ts.seed(seeded{category: "OTR.PLACE.LIGHT", description: "Mörk gångtunnel", observed: day(1), received: day(1)}),
		"filipstad": ts.seed(seeded{category: "FEL.LIGHT", at: filipstadCentre, description: "Gatlampa släckt", observed: day(4), received: day(4)}),
		"hallefors": ts.seed(seeded{category: "FEL.LIGHT", at: halleforsCentre, description: "Gatlampa släckt", observed: day(4), received: day(4)}),
	}
	tok := ts.token(auth.Caseworker, "1781", "1782")
	tests := []struct {
		query string
		want  []string // newest received first
	}{
		{"", []string{"dark", "light", "gather", "filipstad", "intox", "road", "resolved"}},
		{"municipality=1782", []string{"filipstad"}},
		{"municipality=1782,1782", []string{"filipstad"}},
		{"municipality=1781,1782&kind=felanmalan", []string{"light", "filipstad", "road", "resolved"}},
		{"kind=otrygghet", []string{"dark", "gather", "intox"}},
		{"category=FEL.LIGHT", []string{"light", "filipstad", "resolved"}},
		{"category=OTR.SOC", []string{"gather", "intox"}},
		{"category=OTR", []string{"dark", "gather", "intox"}},
		{"category=OTR.SO", nil}, // a prefix of a code is not a group
		{"status=in_progress,resolved", []string{"road", "resolved"}},
		{"visibility=published", []string{"resolved"}},
		{"visibility=hidden", []string{"intox"}},
		{"bbox=14.2,59.1,14.3,59.25", []string{"intox", "road"}},
		{"bbox=13.9,59.2,14.6,59.8&kind=felanmalan", []string{"light", "filipstad", "road", "resolved"}},
		{"from=" + url.QueryEscape(day(4).Format(time.RFC3339)), []string{"dark", "light", "gather", "filipstad"}},
		{"from=" + url.QueryEscape(day(10).Format(time.RFC3339)) + "&to=" + url.QueryEscape(day(4).Format(time.RFC3339)), []string{"intox", "road"}},
		// Swedish stemming: "gatlampa" finds "gatlampor".
		{"text=gatlampa", []string{"light", "filipstad"}},
		{"text=" + url.QueryEscape("gäng kvällar"), []string{"gather"}},
		{"text=" + url.QueryEscape("gatlampa -skolan"), []string{"filipstad"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			w := ts.do(http.MethodGet, "/v1/staff/reports?"+tt.query, nil, bearer(tok)...)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			page := decode[report.Page](t, w)
			want := make([]uuid.UUID, len(tt.want))
			for i, n := range tt.want {
				want[i] = r[n]
			}
			if got := ids(page.Reports); !slices.Equal(got, want) {
				t.Errorf("got %v\nwant %v (%v)", names(r, got), tt.want, want)
			}
			if page.NextCursor != "" {
				t.Errorf("next_cursor %q on a single page", page.NextCursor)
			}
		})
	}
}

func names(m map[string]uuid.UUID, ids []uuid.UUID) []string {
	var out []string
	for _, id := range ids {
		for n, v := range m {
			if v == id {
				out = append(out, n)
			}
		}
	}
	return out
}

func TestStaffListShowsContactAndDescription(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	id := ts.seed(seeded{description: "Lampan blinkar", contact: &report.Contact{Name: "Eva", Email: "eva@example.se", Phone: "070-1234567"}})
	anon := ts.seed(seeded{})
	w := ts.do(http.MethodGet, "/v1/staff/reports", nil, bearer(ts.token(auth.Police, "1781"))...)
	if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("status %d, Cache-Control %q", w.Code, w.Header().Get("Cache-Control"))
	}
	page := decode[report.Page](t, w)
	if len(page.Reports) != 2 {
		t.Fatalf("%d reports", len(page.Reports))
	}
	for _, r := range page.Reports {
		switch r.ID {
		case id:
			if r.Contact == nil || *r.Contact != (report.Contact{Name: "Eva", Email: "eva@example.se", Phone: "070-1234567"}) || r.Description != "Lampan blinkar" {
				t.Errorf("contact %+v description %q", r.Contact, r.Description)
			}
			if r.Municipality != (report.Municipality{Code: "1781", Name: "Kristinehamn"}) || r.Location.Lon != kristinehamnCentre[0] || r.Location.Lat != kristinehamnCentre[1] {
				t.Errorf("municipality %+v location %+v", r.Municipality, r.Location)
			}
		case anon:
			if r.Contact != nil {
				t.Errorf("anonymous report has contact %+v", r.Contact)
			}
		}
	}
}

func TestStaffListPaging(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	var all []uuid.UUID
	// Groups of three share one received_at, so pages must break ties by id.
	for i := range 23 {
		at := ts.now.Add(-time.Duration(i/3) * time.Minute)
		place := kristinehamnCentre
		if i%4 == 0 {
			place = filipstadCentre
		}
		all = append(all, ts.seed(seeded{received: at, at: place}))
	}
	ts.seed(seeded{at: halleforsCentre}) // outside the token's scope
	tok := ts.token(auth.Caseworker, "1781", "1782")
	for _, limit := range []int{1, 5, 7, 23, 200} {
		t.Run(fmt.Sprint("limit ", limit), func(t *testing.T) {
			var got []report.Report
			cursor, pages := "", 0
			for {
				q := fmt.Sprintf("/v1/staff/reports?limit=%d", limit)
				if cursor != "" {
					q += "&cursor=" + cursor
				}
				w := ts.do(http.MethodGet, q, nil, bearer(tok)...)
				if w.Code != http.StatusOK {
					t.Fatalf("status %d: %s", w.Code, w.Body)
				}
				page := decode[report.Page](t, w)
				pages++
				if len(page.Reports) > limit || (page.NextCursor != "" && len(page.Reports) != limit) {
					t.Fatalf("page %d has %d reports (limit %d), next %q", pages, len(page.Reports), limit, page.NextCursor)
				}
				got = append(got, page.Reports...)
				if cursor = page.NextCursor; cursor == "" {
					break
				}
				if pages > 30 {
					t.Fatal("paging does not end")
				}
			}
			if want := (23 + limit - 1) / limit; pages != want {
				t.Errorf("%d pages, want %d", pages, want)
			}
			seen := map[uuid.UUID]bool{}
			for i, r := range got {
				if seen[r.ID] {
					t.Errorf("report %s on two pages", r.ID)
				}
				seen[r.ID] = true
				if i > 0 {
					p := got[i-1]
					if r.ReceivedAt.After(p.ReceivedAt) || (r.ReceivedAt.Equal(p.ReceivedAt) && strings.Compare(r.ID.String(), p.ID.String()) > 0) {
						t.Errorf("position %d out of order", i)
					}
				}
			}
			for _, id := range all {
				if !seen[id] {
					t.Errorf("report %s never listed", id)
				}
			}
			if len(got) != len(all) {
				t.Errorf("%d listed, want %d", len(got), len(all))
			}
		})
	}
	// Paging and filters combine: the Filipstad reports are i = 0, 4, 8, 12, 16, 20.
	w := ts.do(http.MethodGet, "/v1/staff/reports?municipality=1782&limit=4", nil, bearer(tok)...)
	first := decode[report.Page](t, w)
	w = ts.do(http.MethodGet, "/v1/staff/reports?municipality=1782&limit=4&cursor="+first.NextCursor, nil, bearer(tok)...)
	second := decode[report.Page](t, w)
	if len(first.Reports) != 4 || len(second.Reports) != 2 || second.NextCursor != "" {
		t.Errorf("Filipstad pages of %d and %d (next %q), want 4 and 2", len(first.Reports), len(second.Reports), second.NextCursor)
	}
}

func TestStaffListBadQueries(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.seed(seeded{})
	tok := ts.token(auth.Caseworker, "1781")
	for _, tt := range []struct {
		query string
		code  int
	}{
		{"limit=0", 400}, {"limit=201", 400}, {"limit=ten", 400},
		{"bbox=14,59,15", 400}, {"bbox=15,59,14,60", 400},
		{"from=yesterday", 400}, {"from=2026-11-10T00:00:00Z&to=2026-11-01T00:00:00Z", 400},
		{"status=done", 400}, {"kind=brott", 400}, {"visibility=secret", 400},
		{"category=fel.light", 400}, {"cursor=xyz", 400},
		{"municipality=1782", 403}, {"municipality=1781,1290", 403}, {"municipality=abcd", 400},
	} {
		w := ts.do(http.MethodGet, "/v1/staff/reports?"+tt.query, nil, bearer(tok)...)
		if w.Code != tt.code {
			t.Errorf("%s: status %d, want %d: %s", tt.query, w.Code, tt.code, w.Body)
		}
	}
}

func TestStaffGetReport(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	id := ts.seed(seeded{status: report.Triaged, contact: &report.Contact{Email: "a@b.se"}})
	otr := ts.seed(seeded{category: "OTR.SOC.GATHER"})
	other := ts.seed(seeded{at: filipstadCentre})
	photo := uuid.New()
	if _, err := ts.db.Pool.Exec(context.Background(), `INSERT INTO photos (id, report_id, content_type, width, height, sha256, bytes)
VALUES ($1, $2, 'image/jpeg', 640, 480, '\x00', '\x00')`, photo, id); err != nil {
		t.Fatal(err)
	}
	tok := ts.token(auth.Police, "1781")
	w := ts.do(http.MethodGet, "/v1/staff/reports/"+id.String(), nil, bearer(tok)...)
	if w.Code != http.StatusOK || w.Header().Get("ETag") != `"1"` {
		t.Fatalf("status %d ETag %q: %s", w.Code, w.Header().Get("ETag"), w.Body)
	}
	d := decode[report.Detail](t, w)
	if d.ID != id || d.Contact == nil || d.Contact.Email != "a@b.se" || d.Version != 1 {
		t.Errorf("detail %+v", d)
	}
	if len(d.Photos) != 1 || d.Photos[0].ID != photo || d.Photos[0].URL != "/v1/reports/"+id.String()+"/photos/"+photo.String() || d.Photos[0].Width != 640 {
		t.Errorf("photos %+v", d.Photos)
	}
	if len(d.History) != 1 || d.History[0].Type != "created" || d.History[0].Actor != "resident" {
		t.Errorf("history %+v", d.History)
	}
	// From triaged a felanmälan may go to these (DESIGN.md's workflow).
	want := []report.Status{report.InProgress, report.Forwarded, report.Resolved, report.Rejected}
	if !slices.Equal(d.AllowedStatuses, want) {
		t.Errorf("allowed %v, want %v", d.AllowedStatuses, want)
	}
	d = decode[report.Detail](t, ts.do(http.MethodGet, "/v1/staff/reports/"+otr.String(), nil, bearer(tok)...))
	if d.AllowedStatuses == nil || len(d.AllowedStatuses) != 0 {
		t.Errorf("otrygghet allowed statuses %v, want []", d.AllowedStatuses)
	}
	for _, path := range []string{"/v1/staff/reports/" + other.String(), "/v1/staff/reports/" + uuid.NewString()} {
		if w := ts.do(http.MethodGet, path, nil, bearer(tok)...); w.Code != http.StatusNotFound || errorCode(t, w) != "not_found" {
			t.Errorf("%s: status %d, want 404", path, w.Code)
		}
	}
	if w := ts.do(http.MethodGet, "/v1/staff/reports/not-a-uuid", nil, bearer(tok)...); w.Code != http.StatusBadRequest {
		t.Errorf("bad uuid: status %d", w.Code)
	}
}
