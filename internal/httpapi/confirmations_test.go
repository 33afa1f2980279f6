package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/report"
)

// confirmations returns a report's stored count, its confirmation rows and its
// confirmation events.
func (ts *testServer) confirmations(id uuid.UUID) (count, rows, events int) {
	ts.t.Helper()
	err := ts.db.Pool.QueryRow(context.Background(), `
SELECT r.confirmations,
       (SELECT count(*) FROM report_confirmations c WHERE c.report_id = r.id),
       (SELECT count(*) FROM report_events e WHERE e.report_id = r.id AND e.type = 'confirmation')
FROM reports r WHERE r.id = $1`, id).Scan(&count, &rows, &events)
	if err != nil {
		ts.t.Fatal(err)
	}
	return
}

func confirmPath(id uuid.UUID) string { return "/v1/reports/" + id.String() + "/confirmations" }

func TestConfirmationRaceOfIdenticalPosts(t *testing.T) {
	ts := newTestServer(t, nil)
	id, _ := ts.dupSeed(dupReport{})
	const n = 20
	codes := make([]int, n)
	bodies := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			w := ts.do(http.MethodPost, confirmPath(id), nil, "Idempotency-Key", "race-key-0001", "X-Device-Id", "phone-a")
			codes[i], bodies[i] = w.Code, w.Body.Bytes()
		})
	}
	wg.Wait()
	for i := range n {
		if codes[i] != http.StatusCreated || !bytes.Equal(bodies[i], bodies[0]) {
			t.Fatalf("post %d: %d %s (first: %s)", i, codes[i], bodies[i], bodies[0])
		}
	}
	if count, rows, events := ts.confirmations(id); count != 1 || rows != 1 || events != 1 {
		t.Fatalf("count %d, rows %d, events %d; want 1 of each", count, rows, events)
	}
	if k := ts.count("idempotency_keys WHERE scope = 'confirmation'"); k != 1 {
		t.Fatalf("%d idempotency keys", k)
	}

	// The same phone racing itself under 20 different keys (a buggy app): one
	// is counted, the others are answered with it.
	var mu sync.Mutex
	created, ok := 0, 0
	for i := range n {
		wg.Go(func() {
			key := "device-race-" + string(rune('a'+i))
			w := ts.do(http.MethodPost, confirmPath(id), nil, "Idempotency-Key", key+"-key", "X-Device-Id", "phone-b")
			mu.Lock()
			defer mu.Unlock()
			switch w.Code {
			case http.StatusCreated:
				created++
			case http.StatusOK:
				ok++
			default:
				t.Errorf("%s: %d %s", key, w.Code, w.Body)
			}
		})
	}
	wg.Wait()
	if created != 1 || ok != n-1 {
		t.Fatalf("%d created and %d answered with the first; want 1 and %d", created, ok, n-1)
	}
	if count, rows, events := ts.confirmations(id); count != 2 || rows != 2 || events != 2 {
		t.Fatalf("count %d, rows %d, events %d; want 2 of each", count, rows, events)
	}
}

func TestOneConfirmationPerDevice(t *testing.T) {
	ts := newTestServer(t, nil)
	id, ref := ts.dupSeed(dupReport{})
	first := ts.do(http.MethodPost, confirmPath(id), nil, "Idempotency-Key", "device-a-key-1", "X-Device-Id", "phone-a")
	if first.Code != http.StatusCreated {
		t.Fatalf("first: %d %s", first.Code, first.Body)
	}
	c1 := decode[report.Confirmation](t, first)
	if c1.Reference != ref || c1.Confirmations != 1 || c1.ReportID != id {
		t.Fatalf("first confirmation %+v", c1)
	}
	// The same phone again under a new key: answered with the first, not counted.
	again := ts.do(http.MethodPost, confirmPath(id), "", "Idempotency-Key", "device-a-key-2", "X-Device-Id", "phone-a")
	if again.Code != http.StatusOK || decode[report.Confirmation](t, again).ID != c1.ID {
		t.Fatalf("again: %d %s", again.Code, again.Body)
	}
	other := ts.do(http.MethodPost, confirmPath(id), nil, "Idempotency-Key", "device-b-key-1", "X-Device-Id", "phone-b")
	if other.Code != http.StatusCreated || decode[report.Confirmation](t, other).Confirmations != 2 {
		t.Fatalf("other device: %d %s", other.Code, other.Body)
	}
	if count, rows, events := ts.confirmations(id); count != 2 || rows != 2 || events != 2 {
		t.Fatalf("count %d, rows %d, events %d; want 2 of each", count, rows, events)
	}
	// The event says someone confirmed, and nothing about who: its data is
	// only the report version it produced (1 at filing, 2 after it).
	var actor string
	var note, data *string
	err := ts.db.Pool.QueryRow(context.Background(),
		`SELECT actor, note, data::text FROM report_events WHERE report_id = $1 AND type = 'confirmation' ORDER BY id LIMIT 1`, id).Scan(&actor, &note, &data)
	if err != nil || actor != "resident" || note != nil || data == nil || *data != `{"version": 2}` {
		t.Fatalf("event actor %q note %v data %v: %v", actor, note, data, err)
	}
}

func TestConfirmationRefusals(t *testing.T) {
	ts := newTestServer(t, nil)
	open, _ := ts.dupSeed(dupReport{device: "reporter"})
	unsafe, _ := ts.dupSeed(dupReport{category: "OTR.PLACE.LIGHT"})
	pending, _ := ts.dupSeed(dupReport{visibility: report.Pending})
	hidden, _ := ts.dupSeed(dupReport{visibility: report.Hidden})
	resolved, _ := ts.dupSeed(dupReport{status: report.Resolved})
	tests := []struct {
		name     string
		id       uuid.UUID
		body     any
		headers  []string
		want     int
		wantCode string
	}{
		{"no device id", open, nil, []string{"Idempotency-Key", "refusal-key-01"}, 400, "invalid"},
		{"no idempotency key", open, nil, []string{"X-Device-Id", "phone-a"}, 400, "invalid"},
		{"own report", open, nil, []string{"Idempotency-Key", "refusal-key-02", "X-Device-Id", "reporter"}, 409, "conflict"},
		{"pending report", pending, nil, []string{"Idempotency-Key", "refusal-key-03", "X-Device-Id", "phone-a"}, 404, "not_found"},
		{"hidden report", hidden, nil, []string{"Idempotency-Key", "refusal-key-04", "X-Device-Id", "phone-a"}, 404, "not_found"},
		{"no such report", uuid.New(), nil, []string{"Idempotency-Key", "refusal-key-05", "X-Device-Id", "phone-a"}, 404, "not_found"},
		{"resolved felanmälan", resolved, nil, []string{"Idempotency-Key", "refusal-key-06", "X-Device-Id", "phone-a"}, 409, "conflict"},
		{"feeling on a felanmälan", open, map[string]int{"feeling": 2}, []string{"Idempotency-Key", "refusal-key-07", "X-Device-Id", "phone-a"}, 400, "invalid"},
		{"feeling out of range", unsafe, map[string]int{"feeling": 9}, []string{"Idempotency-Key", "refusal-key-08", "X-Device-Id", "phone-a"}, 400, "invalid"},
		{"unknown field", unsafe, map[string]int{"mood": 2}, []string{"Idempotency-Key", "refusal-key-09", "X-Device-Id", "phone-a"}, 400, "invalid"},
	}
	for _, tt := range tests {
		w := ts.do(http.MethodPost, confirmPath(tt.id), tt.body, tt.headers...)
		if w.Code != tt.want || errorCode(t, w) != tt.wantCode {
			t.Errorf("%s: %d %s, want %d %s", tt.name, w.Code, w.Body, tt.want, tt.wantCode)
		}
	}
	if n := ts.count("report_confirmations"); n != 0 {
		t.Fatalf("refusals stored %d confirmations", n)
	}
	// A refusal does not burn the key: the same key on an allowed request works.
	w := ts.do(http.MethodPost, confirmPath(unsafe), map[string]int{"feeling": 2}, "Idempotency-Key", "refusal-key-08", "X-Device-Id", "phone-a")
	if w.Code != http.StatusCreated || decode[report.Confirmation](t, w).Feeling != 2 {
		t.Fatalf("otrygghet with feeling: %d %s", w.Code, w.Body)
	}
	// The same key for another report is a different request.
	w = ts.do(http.MethodPost, confirmPath(open), nil, "Idempotency-Key", "refusal-key-08", "X-Device-Id", "phone-a")
	if w.Code != http.StatusConflict {
		t.Fatalf("reused key: %d %s", w.Code, w.Body)
	}
}
