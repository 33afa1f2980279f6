package httpapi

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/report"
)

// patch sends a PATCH with If-Match set to the given ETag ("" sends none).
func (ts *testServer) patch(tok string, id uuid.UUID, etag string, body any) (int, string, string) {
	ts.t.Helper()
	h := bearer(tok)
	if etag != "" {
		h = append(h, "If-Match", etag)
	}
	w := ts.do(http.MethodPatch, "/v1/staff/reports/"+id.String(), body, h...)
	code := ""
	if w.Code >= 400 {
		code = errorCode(ts.t, w)
	}
	return w.Code, code, w.Header().Get("ETag")
}

// TestStatusWorkflow walks every allowed move of DESIGN.md's felanmälan workflow
// and a set of forbidden ones.
func TestStatusWorkflow(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Caseworker, "1781")
	R, T, P, S, F, X, D := report.Received, report.Triaged, report.InProgress, report.Resolved, report.Forwarded, report.Rejected, report.Duplicate
	tests := []struct {
		from, to report.Status
		want     int
	}{
		{R, T, 200}, {R, P, 200}, {R, F, 200}, {R, X, 200},
		{T, P, 200}, {T, F, 200}, {T, S, 200}, {T, X, 200},
		{P, F, 200}, {P, S, 200}, {P, X, 200},
		{F, P, 200}, {F, S, 200}, {F, X, 200},
		{S, P, 200}, // reopened
		{X, T, 200}, // a rejection reconsidered
		{R, S, 409}, {S, R, 409}, {S, T, 409}, {X, S, 409}, {P, R, 409}, {F, R, 409}, {P, T, 409},
		{D, T, 409}, {D, P, 409},
		{T, D, 409}, {P, D, 409}, // only a merge makes a duplicate
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"→"+string(tt.to), func(t *testing.T) {
			id := ts.seed(seeded{status: tt.from})
			if tt.from == report.Resolved {
				ts.db.Pool.Exec(context.Background(), `UPDATE reports SET resolved_at = $2 WHERE id = $1`, id, ts.now.Add(-time.Hour))
			}
			before := ts.state(id)
			code, errCode, etag := ts.patch(tok, id, `"1"`, map[string]any{"status": tt.to})
			if code != tt.want {
				t.Fatalf("status %d (%s), want %d", code, errCode, tt.want)
			}
			after := ts.state(id)
			if tt.want != 200 {
				if after != before || errCode != "conflict" {
					t.Errorf("refused move changed the report: %+v → %+v (code %s)", before, after, errCode)
				}
				return
			}
			if etag != `"2"` || after.Status != string(tt.to) || after.Version != 2 || after.Events != before.Events+1 {
				t.Errorf("after: %+v ETag %s", after, etag)
			}
			if after.Resolved != (tt.to == report.Resolved) {
				t.Errorf("resolved_at set = %v for status %s", after.Resolved, tt.to)
			}
			var e struct {
				Actor, ActorKind, Type, From, To string
				At, Updated                      time.Time
				Public                           bool
				Version                          int
			}
			err := ts.db.Pool.QueryRow(context.Background(), `
SELECT e.actor, e.actor_kind, e.type, e.from_status, e.to_status, e.at, r.updated_at, e.public, (e.data->>'version')::int
FROM report_events e JOIN reports r ON r.id = e.report_id WHERE e.report_id = $1 ORDER BY e.id DESC LIMIT 1`, id).
				Scan(&e.Actor, &e.ActorKind, &e.Type, &e.From, &e.To, &e.At, &e.Updated, &e.Public, &e.Version)
			if err != nil {
				t.Fatal(err)
			}
			if e.Actor != "caseworker:caseworker" || e.ActorKind != "staff" || e.Type != "status" || e.From != string(tt.from) ||
				e.To != string(tt.to) || !e.At.Equal(ts.now) || !e.Updated.Equal(ts.now) || !e.Public || e.Version != 2 {
				t.Errorf("event %+v", e)
			}
		})
	}
}

func TestOtrygghetIsModeratedNotWorked(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Admin, "1781")
	id := ts.seed(seeded{category: "OTR.SOC.INTOX"})
	for _, to := range []report.Status{report.Triaged, report.Resolved, report.Rejected} {
		if code, errCode, _ := ts.patch(tok, id, `"1"`, map[string]any{"status": to}); code != 409 || errCode != "conflict" {
			t.Errorf("otrygghet → %s: %d %s, want 409 conflict", to, code, errCode)
		}
	}
	if s := ts.state(id); s.Version != 1 || s.Events != 1 {
		t.Errorf("refused changes were written: %+v", s)
	}
	code, _, etag := ts.patch(tok, id, `"1"`, map[string]any{"visibility": "hidden", "note": "Namn på person i texten.", "public_note": false})
	if code != 200 || etag != `"2"` {
		t.Fatalf("moderation: %d ETag %s", code, etag)
	}
	if s := ts.state(id); s.Visibility != "hidden" || s.Status != "received" || s.Events != 3 {
		t.Errorf("after moderation %+v", s)
	}
	var publicEvents int
	ts.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM report_events WHERE report_id = $1 AND public AND actor_kind = 'staff'`, id).Scan(&publicEvents)
	if publicEvents != 0 {
		t.Errorf("%d staff events public, want 0 (moderation and internal notes stay internal)", publicEvents)
	}
}

func TestNotesArePublicOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Caseworker, "1781")
	id := ts.seed(seeded{})
	ts.patch(tok, id, `"1"`, map[string]any{"note": "Internt: ring elbolaget."})
	ts.patch(tok, id, `"2"`, map[string]any{"note": "Felet är anmält till elbolaget.", "public_note": true})
	rows, err := ts.db.Pool.Query(context.Background(), `SELECT note, public FROM report_events WHERE report_id = $1 AND type = 'note' ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var note string
		var public bool
		rows.Scan(&note, &public)
		got = append(got, note+map[bool]string{true: " (public)", false: " (internal)"}[public])
	}
	want := []string{"Internt: ring elbolaget. (internal)", "Felet är anmält till elbolaget. (public)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("notes %v, want %v", got, want)
	}
}

func TestIfMatch(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Caseworker, "1781")
	id := ts.seed(seeded{})
	for _, tt := range []struct {
		etag, code string
		status     int
	}{
		{"", "precondition_required", 428},
		{`1`, "invalid", 400},
		{`W/"1"`, "invalid", 400},
		{`*`, "invalid", 400},
		{`"1", "2"`, "invalid", 400},
		{`"0"`, "invalid", 400},
		{`"7"`, "precondition_failed", 412},
	} {
		if status, code, _ := ts.patch(tok, id, tt.etag, map[string]any{"status": "triaged"}); status != tt.status || code != tt.code {
			t.Errorf("If-Match %q: %d %s, want %d %s", tt.etag, status, code, tt.status, tt.code)
		}
	}
	if s := ts.state(id); s.Version != 1 || s.Status != "received" || s.Events != 1 {
		t.Fatalf("refused requests changed the report: %+v", s)
	}
	if status, _, etag := ts.patch(tok, id, `"1"`, map[string]any{"status": "triaged", "note": "Kollat på plats."}); status != 200 || etag != `"2"` {
		t.Fatalf("first change: %d %s", status, etag)
	}
	// A second caseworker still holding version 1 is told what happened since.
	w := ts.do(http.MethodPatch, "/v1/staff/reports/"+id.String(), map[string]any{"status": "rejected"}, append(bearer(tok), "If-Match", `"1"`)...)
	if w.Code != 412 {
		t.Fatalf("stale: %d %s", w.Code, w.Body)
	}
	var stale struct {
		Error struct {
			Details struct {
				Current int                 `json:"current_version"`
				Yours   int                 `json:"your_version"`
				Changes []report.StaffEvent `json:"changes"`
			}
		}
	}
	stale = decode[struct {
		Error struct {
			Details struct {
				Current int                 `json:"current_version"`
				Yours   int                 `json:"your_version"`
				Changes []report.StaffEvent `json:"changes"`
			}
		}
	}](t, w)
	d := stale.Error.Details
	if d.Current != 2 || d.Yours != 1 || len(d.Changes) != 2 || d.Changes[0].ToStatus != report.Triaged ||
		d.Changes[1].Note != "Kollat på plats." || d.Changes[0].Actor != "caseworker:caseworker" {
		t.Errorf("412 details %+v", d)
	}
	if s := ts.state(id); s.Version != 2 || s.Status != "triaged" {
		t.Errorf("stale write changed the report: %+v", s)
	}
}

// TestConcurrentChanges sends the same If-Match from many caseworkers at once:
// exactly one wins, the others get 412, and one event is written.
func TestConcurrentChanges(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Caseworker, "1781")
	id := ts.seed(seeded{})
	const n = 12
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			w := ts.do(http.MethodPatch, "/v1/staff/reports/"+id.String(), `{"note":"parallell"}`, append(bearer(tok), "If-Match", `"1"`)...)
			codes[i] = w.Code
		})
	}
	wg.Wait()
	won := 0
	for _, c := range codes {
		switch c {
		case 200:
			won++
		case 412:
		default:
			t.Errorf("status %d", c)
		}
	}
	if s := ts.state(id); won != 1 || s.Version != 2 || s.Events != 2 {
		t.Errorf("%d won, state %+v; want one winner, version 2, two events", won, s)
	}
}

func TestStaffPatchBadInput(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Caseworker, "1781")
	id := ts.seed(seeded{})
	path := "/v1/staff/reports/" + id.String()
	for _, tt := range []struct {
		name, path string
		body       any
		headers    []string
		status     int
	}{
		{"bad uuid", "/v1/staff/reports/1234", `{"status":"triaged"}`, nil, 400},
		{"unknown report", "/v1/staff/reports/" + uuid.NewString(), `{"status":"triaged"}`, nil, 404},
		{"invalid JSON", path, `{"status":`, nil, 400},
		{"unknown field", path, `{"status":"triaged","assignee":"Bo"}`, nil, 400},
		{"unknown status", path, `{"status":"done"}`, nil, 400},
		{"status not a string", path, `{"status":5}`, nil, 400},
		{"unknown visibility", path, `{"visibility":"secret"}`, nil, 400},
		{"nothing to change", path, `{}`, nil, 400},
		{"empty note", path, `{"note":""}`, nil, 400},
		{"note too long", path, `{"note":"` + strings.Repeat("x", 2001) + `"}`, nil, 400},
		{"public_note alone", path, `{"public_note":true}`, nil, 400},
		{"two objects", path, `{"note":"a"}{"note":"b"}`, nil, 400},
		{"not JSON", path, `status=triaged`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415},
		{"too large", path, `{"note":"` + strings.Repeat("x", 70<<10) + `"}`, nil, 413},
		{"duplicate by PATCH", path, `{"status":"duplicate"}`, nil, 409},
	} {
		t.Run(tt.name, func(t *testing.T) {
			events := ts.count("report_events")
			h := append(bearer(tok), "If-Match", `"1"`)
			w := ts.do(http.MethodPatch, tt.path, tt.body, append(h, tt.headers...)...)
			if w.Code != tt.status {
				t.Errorf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if s := ts.state(id); s.Version != 1 || s.Status != "received" || ts.count("report_events") != events {
				t.Errorf("bad input changed something: %+v", s)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Caseworker, "1781")
	merge := func(id uuid.UUID, body any, headers ...string) (int, string) {
		w := ts.do(http.MethodPost, "/v1/staff/reports/"+id.String()+"/merge", body, append(bearer(tok), headers...)...)
		if w.Code >= 400 {
			return w.Code, errorCode(t, w)
		}
		return w.Code, w.Header().Get("ETag")
	}
	keep := ts.seed(seeded{status: report.InProgress})
	dup := ts.seed(seeded{status: report.Triaged})
	code, etag := merge(dup, map[string]any{"into": keep, "note": "Samma lampa."})
	if code != 200 || etag != `"2"` {
		t.Fatalf("merge: %d %s", code, etag)
	}
	d, k := ts.state(dup), ts.state(keep)
	if d.Status != "duplicate" || !d.DuplicateOf.Valid || d.DuplicateOf.UUID != keep || d.Version != 2 || d.Events != 3 {
		t.Errorf("duplicate after merge %+v", d)
	}
	if k.Status != "in_progress" || k.DuplicateOf.Valid || k.Version != 2 || k.Events != 2 {
		t.Errorf("kept report after merge %+v", k)
	}
	var dupEvent, keepEvent string
	ts.db.Pool.QueryRow(context.Background(), `SELECT type || ':' || from_status || '>' || to_status || ':' || public || ':' || actor || ':' || (data->>'into')
FROM report_events WHERE report_id = $1 AND type = 'merged'`, dup).Scan(&dupEvent)
	ts.db.Pool.QueryRow(context.Background(), `SELECT type || ':' || public || ':' || note || ':' || (data->>'merged')
FROM report_events WHERE report_id = $1 AND type = 'merged'`, keep).Scan(&keepEvent)
	if dupEvent != "merged:triaged>duplicate:true:caseworker:caseworker:"+keep.String() {
		t.Errorf("event on the duplicate: %s", dupEvent)
	}
	if keepEvent != "merged:false:Samma lampa.:"+dup.String() {
		t.Errorf("event on the kept report: %s", keepEvent)
	}

	otr := ts.seed(seeded{category: "OTR.PLACE.LIGHT"})
	fresh := ts.seed(seeded{})
	inFilipstad := ts.seed(seeded{at: filipstadCentre})
	for _, tt := range []struct {
		name    string
		id      uuid.UUID
		body    any
		headers []string
		status  int
		code    string
	}{
		{"into itself", fresh, map[string]any{"into": fresh}, nil, 409, "conflict"},
		{"into a duplicate", fresh, map[string]any{"into": dup}, nil, 409, "conflict"},
		{"a duplicate again", dup, map[string]any{"into": fresh}, nil, 409, "conflict"},
		{"across kinds", fresh, map[string]any{"into": otr}, nil, 409, "conflict"},
		{"into another municipality", fresh, map[string]any{"into": inFilipstad}, nil, 404, "not_found"},
		{"from another municipality", inFilipstad, map[string]any{"into": fresh}, nil, 404, "not_found"},
		{"into an unknown report", fresh, map[string]any{"into": uuid.New()}, nil, 404, "not_found"},
		{"into not a uuid", fresh, map[string]any{"into": "K7Q9-XM2A"}, nil, 400, "invalid"},
		{"into missing", fresh, map[string]any{"note": "x"}, nil, 400, "invalid"},
		{"unknown field", fresh, map[string]any{"into": keep, "reason": "x"}, nil, 400, "invalid"},
		{"stale If-Match", fresh, map[string]any{"into": keep}, []string{"If-Match", `"3"`}, 412, "precondition_failed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			events := ts.count("report_events")
			before := []state{ts.state(fresh), ts.state(dup), ts.state(keep), ts.state(otr), ts.state(inFilipstad)}
			if code, errCode := merge(tt.id, tt.body, tt.headers...); code != tt.status || errCode != tt.code {
				t.Errorf("%d %s, want %d %s", code, errCode, tt.status, tt.code)
			}
			after := []state{ts.state(fresh), ts.state(dup), ts.state(keep), ts.state(otr), ts.state(inFilipstad)}
			for i := range before {
				if before[i] != after[i] {
					t.Errorf("report %d changed: %+v → %+v", i, before[i], after[i])
				}
			}
			if ts.count("report_events") != events {
				t.Error("events were written")
			}
		})
	}
	if code, etag := merge(fresh, map[string]any{"into": keep}, "If-Match", `"1"`); code != 200 || etag != `"2"` {
		t.Errorf("merge with a current If-Match: %d %s", code, etag)
	}
	if k := ts.state(keep); k.Version != 3 {
		t.Errorf("kept report version %d after a second merge, want 3", k.Version)
	}
}
