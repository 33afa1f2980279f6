package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/delivery"
	"github.com/trygg/trygg/internal/report"
)

// receiver is a maintenance system's webhook endpoint: it checks signatures,
// answers 500 while failing is set, and counts what it saw per delivery id.
type receiver struct {
	t      *testing.T
	secret []byte
	mu     sync.Mutex
	fail   bool
	seen   map[string]int // delivery id → requests
	stored map[string]delivery.Report
	bad    int // requests with a wrong signature
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if !delivery.Verify(rc.secret, r.Header.Get(delivery.HeaderTimestamp), r.Header.Get(delivery.HeaderSignature), body, time.Now(), 5*time.Minute) {
		rc.bad++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	id := r.Header.Get(delivery.HeaderDelivery)
	rc.seen[id]++
	if rc.fail {
		http.Error(w, "maintenance system down", http.StatusInternalServerError)
		return
	}
	var msg struct {
		DeliveryID string          `json:"delivery_id"`
		Report     delivery.Report `json:"report"`
	}
	if err := json.Unmarshal(body, &msg); err != nil || msg.DeliveryID != id {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	// Idempotent: a delivery id already stored is acknowledged, not stored again.
	if _, dup := rc.stored[id]; !dup {
		rc.stored[id] = msg.Report
	}
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) snapshot() (seen map[string]int, stored int, bad int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	seen = map[string]int{}
	for k, v := range rc.seen {
		seen[k] = v
	}
	return seen, len(rc.stored), rc.bad
}

func startDeliveryWorker(t *testing.T, ts *testServer) func() {
	t.Helper()
	return startDeliveryWorkerWith(t, ts, delivery.Backoff{Base: 30 * time.Millisecond, Max: 200 * time.Millisecond}, 5*time.Second, 0)
}

// startDeliveryWorkerWith starts a delivery client on ts's database with the
// backoff, attempt timeout and rescue interval (0: the default) given; the
// returned function stops it gracefully.
func startDeliveryWorkerWith(t *testing.T, ts *testServer, b delivery.Backoff, attempt, rescueAfter time.Duration) func() {
	t.Helper()
	w := &delivery.Worker{Store: ts.db, Sender: delivery.Sender{Client: &http.Client{Timeout: attempt}},
		Backoff: b, AttemptTimeout: attempt}
	client, err := delivery.NewClient(ts.db.Pool, w, delivery.ClientOptions{PollInterval: 50 * time.Millisecond, RescueAfter: rescueAfter})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := client.Stop(ctx); err != nil {
				t.Errorf("stop worker: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	waitForWithin(t, 30*time.Second, what, cond)
}

func waitForWithin(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestForwardedReportIsDeliveredDespiteFailuresAndRestart(t *testing.T) {
	ts := newTestServer(t, nil)
	rc := &receiver{t: t, secret: []byte("s3cret"), fail: true, seen: map[string]int{}, stored: map[string]delivery.Report{}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	ctx := context.Background()
	if err := ts.db.SetDestination(ctx, delivery.Destination{Municipality: "*", Kind: delivery.KindWebhook, URL: srv.URL, Secret: "s3cret"}); err != nil {
		t.Fatal(err)
	}
	id := ts.seed(seeded{description: "Lampan vid busshållplatsen är trasig"})
	staff := bearer(ts.token(auth.Caseworker, "1781"))
	path := "/v1/staff/reports/" + id.String()

	// A change that fails (stale version) writes no delivery.
	if w := ts.do("PATCH", path, map[string]any{"status": "forwarded"}, append(staff, "If-Match", `"7"`)...); w.Code != http.StatusPreconditionFailed {
		t.Fatalf("stale forward: %d %s", w.Code, w.Body)
	}
	if n := ts.count("report_deliveries") + ts.count("river_job"); n != 0 {
		t.Fatalf("a failed change left %d outbox rows", n)
	}

	stopA := startDeliveryWorker(t, ts)
	if w := ts.do("PATCH", path, map[string]any{"status": "forwarded"}, append(staff, "If-Match", `"1"`)...); w.Code != http.StatusOK {
		t.Fatalf("forward: %d %s", w.Code, w.Body)
	}
	if ts.count("report_deliveries") != 1 || ts.count("river_job") != 1 {
		t.Fatalf("forwarding wrote %d deliveries and %d jobs, want 1 and 1", ts.count("report_deliveries"), ts.count("river_job"))
	}
	deliveries := func() []delivery.Delivery {
		w := ts.do("GET", path+"/deliveries", nil, staff...)
		if w.Code != http.StatusOK {
			t.Fatalf("deliveries: %d %s", w.Code, w.Body)
		}
		return decode[struct{ Deliveries []delivery.Delivery }](t, w).Deliveries
	}
	// The receiver is down: attempts pile up with their error and next attempt.
	waitFor(t, "three failed attempts", func() bool { d := deliveries(); return len(d) == 1 && d[0].Attempts >= 3 })
	stopA()
	d := deliveries()[0]
	if d.State != delivery.StatePending || !strings.Contains(d.LastError, "500") || d.NextAttemptAt == nil || d.DeliveredAt != nil {
		t.Fatalf("while the receiver is down: %+v", d)
	}
	failed := d.Attempts

	// The receiver recovers while no worker runs; a new worker (a restarted
	// service) finishes the delivery.
	rc.mu.Lock()
	rc.fail = false
	rc.mu.Unlock()
	startDeliveryWorker(t, ts)
	// The new worker first has to win River's leader election before its
	// scheduler makes the retry available; on a loaded machine that took
	// over 30 s once, so this wait is a hang guard, not a budget.
	waitForWithin(t, 2*time.Minute, "delivery", func() bool { return deliveries()[0].State == delivery.StateDelivered })
	d = deliveries()[0]
	if d.DeliveredAt == nil || d.LastError != "" || d.NextAttemptAt != nil || d.Attempts != failed+1 {
		t.Fatalf("after recovery: %+v (failed attempts before: %d)", d, failed)
	}
	seen, stored, bad := rc.snapshot()
	if bad != 0 {
		t.Fatalf("%d requests had a bad signature", bad)
	}
	// Every attempt carried the same delivery id, so the receiver stored it once.
	if len(seen) != 1 || seen[d.ID.String()] != failed+1 || stored != 1 {
		t.Fatalf("receiver saw %v and stored %d, want %d requests of %s stored once", seen, stored, failed+1, d.ID)
	}
	if got := rc.stored[d.ID.String()]; got.ID != id || got.Description == "" || got.Kind != report.KindFelanmalan {
		t.Fatalf("receiver got %+v", got)
	}
}

func TestDeliveryScopeAndNoDestination(t *testing.T) {
	ts := newTestServer(t, nil)
	id := ts.seed(seeded{})
	staff := bearer(ts.token(auth.Caseworker, "1781"))
	// No destination configured: forwarding works and delivers nothing.
	if w := ts.do("PATCH", "/v1/staff/reports/"+id.String(), map[string]any{"status": "forwarded"}, append(staff, "If-Match", `"1"`)...); w.Code != http.StatusOK {
		t.Fatalf("forward: %d %s", w.Code, w.Body)
	}
	if w := ts.do("GET", "/v1/staff/reports/"+id.String()+"/deliveries", nil, staff...); w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != `{"deliveries":[]}` {
		t.Fatalf("deliveries: %d %s", w.Code, w.Body)
	}
	other := bearer(ts.token(auth.Caseworker, "1782"))
	if w := ts.do("GET", "/v1/staff/reports/"+id.String()+"/deliveries", nil, other...); w.Code != http.StatusNotFound {
		t.Fatalf("other municipality: %d %s", w.Code, w.Body)
	}
}
