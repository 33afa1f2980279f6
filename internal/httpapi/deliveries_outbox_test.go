package httpapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/delivery"
	"github.com/trygg/trygg/internal/report"
)

// forwardForDelivery sets report id to forwarded as the staff member, if it is at version.
func (ts *testServer) forwardForDelivery(id uuid.UUID, version string, staff []string) *httptest.ResponseRecorder {
	ts.t.Helper()
	return ts.do("PATCH", "/v1/staff/reports/"+id.String(), map[string]any{"status": "forwarded"}, append(staff, "If-Match", `"`+version+`"`)...)
}

// forwardedToReceiver gives Kristinehamn (1781) a webhook destination served
// by a timedReceiver that fails its first failures requests, seeds a report
// there and forwards it; it returns the receiver, the report and a caseworker's
// headers.
func (ts *testServer) forwardedToReceiver(failures int) (*timedReceiver, uuid.UUID, []string) {
	t := ts.t
	t.Helper()
	rc := &timedReceiver{secret: []byte("0123456789abcdef"), failures: failures}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	if err := ts.db.SetDestination(context.Background(), delivery.Destination{Municipality: "1781", Kind: delivery.KindWebhook, URL: srv.URL, Secret: string(rc.secret)}); err != nil {
		t.Fatal(err)
	}
	id := ts.seed(seeded{})
	staff := bearer(ts.token(auth.Caseworker, "1781"))
	if w := ts.forwardForDelivery(id, "1", staff); w.Code != http.StatusOK {
		t.Fatalf("forward: %d %s", w.Code, w.Body)
	}
	return rc, id, staff
}

// A forward whose transaction fails at COMMIT, after the status, its event, the
// delivery row and the River job were all written, leaves none of them: the
// outbox entry lives and dies with the status change.
func TestForwardRolledBackAtCommitLeavesNoDelivery(t *testing.T) {
	ts := newTestServer(t, nil)
	ctx := context.Background()
	if err := ts.db.SetDestination(ctx, delivery.Destination{Municipality: "*", Kind: delivery.KindWebhook,
		URL: "http://127.0.0.1:9/hook", Secret: "0123456789abcdef"}); err != nil {
		t.Fatal(err)
	}
	id := ts.seed(seeded{})
	staff := bearer(ts.token(auth.Caseworker, "1781"))
	before := ts.state(id)
	// A deferred constraint trigger on River's job table fails the commit.
	ts.execForDelivery(`CREATE FUNCTION fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'commit refused by the test'; END $$`)
	ts.execForDelivery(`CREATE CONSTRAINT TRIGGER fail_commit AFTER INSERT ON river_job
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_commit()`)
	w := ts.forwardForDelivery(id, "1", staff)
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "commit refused") {
		t.Fatalf("forward with a failing commit: %d %s", w.Code, w.Body)
	}
	if after := ts.state(id); after != before {
		t.Fatalf("a rolled back forward changed the report: %+v → %+v", before, after)
	}
	if n, j := ts.count("report_deliveries"), ts.count("river_job"); n != 0 || j != 0 {
		t.Fatalf("a rolled back forward left %d deliveries and %d jobs", n, j)
	}

	ts.execForDelivery(`DROP TRIGGER fail_commit ON river_job`)
	if w := ts.forwardForDelivery(id, "1", staff); w.Code != http.StatusOK {
		t.Fatalf("forward: %d %s", w.Code, w.Body)
	}
	if n, j := ts.count("report_deliveries"), ts.count("river_job"); n != 1 || j != 1 {
		t.Fatalf("a committed forward wrote %d deliveries and %d jobs, want 1 and 1", n, j)
	}
	// Setting it forwarded again (it already is) writes no second delivery.
	if w := ts.do("PATCH", "/v1/staff/reports/"+id.String(), map[string]any{"status": "forwarded"}, staff...); w.Code >= 500 {
		t.Fatalf("forward again: %d %s", w.Code, w.Body)
	}
	if n := ts.count("report_deliveries"); n != 1 {
		t.Fatalf("forwarding a forwarded report again made %d deliveries", n)
	}
}

func (ts *testServer) execForDelivery(sql string, args ...any) {
	ts.t.Helper()
	if _, err := ts.db.Pool.Exec(context.Background(), sql, args...); err != nil {
		ts.t.Fatal(err)
	}
}

// timedReceiver answers 500 to the first failures requests and 204 after,
// noting when each request arrived.
type timedReceiver struct {
	secret   []byte
	failures int
	mu       sync.Mutex
	arrivals []time.Time
	ids      []string
	badSigns int
}

func (rc *timedReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if !delivery.Verify(rc.secret, r.Header.Get(delivery.HeaderTimestamp), r.Header.Get(delivery.HeaderSignature), body, at, time.Minute) {
		rc.badSigns++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	rc.arrivals = append(rc.arrivals, at)
	rc.ids = append(rc.ids, r.Header.Get(delivery.HeaderDelivery))
	if len(rc.arrivals) <= rc.failures {
		http.Error(w, "busy", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Failed attempts are spaced by the backoff the worker announces: each attempt
// comes no earlier than the next_attempt_at staff were shown after the one
// before (which is River's scheduled time for the job), and the waits grow.
func TestDeliveryBacksOffBetweenAttempts(t *testing.T) {
	ts := newTestServer(t, nil)
	rc, id, staff := ts.forwardedToReceiver(3)
	ctx := context.Background()
	backoff := delivery.Backoff{Base: 300 * time.Millisecond, Max: 5 * time.Second}
	startDeliveryWorkerWith(t, ts, backoff, 5*time.Second, 0)

	// After each failure, note the announced next attempt and check River
	// has the job scheduled at that very time.
	announced := map[int]time.Time{}
	waitFor(t, "delivery", func() bool {
		w := ts.do("GET", "/v1/staff/reports/"+id.String()+"/deliveries", nil, staff...)
		ds := decode[struct{ Deliveries []delivery.Delivery }](t, w).Deliveries
		if len(ds) != 1 {
			t.Fatalf("deliveries: %s", w.Body)
		}
		d := ds[0]
		if d.State == delivery.StatePending && d.NextAttemptAt != nil && d.Attempts > 0 {
			if _, seen := announced[d.Attempts]; !seen {
				var scheduled time.Time
				var attempt int
				var state string
				if err := ts.db.Pool.QueryRow(ctx, `SELECT scheduled_at, attempt, state FROM river_job`).Scan(&scheduled, &attempt, &state); err != nil {
					t.Fatal(err)
				}
				// River finishes a job a moment after Work returns; until then
				// the job still shows the attempt's old schedule.
				if attempt == d.Attempts && state != "running" {
					if !scheduled.Equal(*d.NextAttemptAt) {
						t.Fatalf("after attempt %d staff see next attempt %v, River has it at %v (%s)", attempt, d.NextAttemptAt, scheduled, state)
					}
					announced[d.Attempts] = *d.NextAttemptAt
				}
			}
		}
		return d.State == delivery.StateDelivered
	})
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.badSigns != 0 || len(rc.arrivals) != rc.failures+1 {
		t.Fatalf("receiver: %d requests, %d with bad signatures; want %d", len(rc.arrivals), rc.badSigns, rc.failures+1)
	}
	for i := 1; i < len(rc.arrivals); i++ {
		if rc.ids[i] != rc.ids[0] {
			t.Fatalf("attempt %d carried delivery id %s, the first %s", i+1, rc.ids[i], rc.ids[0])
		}
		if next, ok := announced[i]; ok && rc.arrivals[i].Before(next) {
			t.Errorf("attempt %d arrived at %v, before the announced %v", i+1, rc.arrivals[i], next)
		}
		// Each gap is at least the backoff the attempt before it earned, less
		// the time that attempt took to reach the receiver.
		gap := rc.arrivals[i].Sub(rc.arrivals[i-1])
		if want := backoff.Delay(uuid.MustParse(rc.ids[0]), i) - 100*time.Millisecond; gap < want {
			t.Errorf("attempt %d came %v after attempt %d, want at least %v", i+1, gap, i, want)
		}
	}
	if len(announced) == 0 {
		t.Fatal("never saw a pending delivery with its next attempt")
	}
}

// Only the destination configured for a report's municipality, or else the '*'
// one, ever gets it: a destination for another municipality gets nothing.
func TestDeliveryGoesOnlyToItsMunicipalitysDestination(t *testing.T) {
	ts := newTestServer(t, nil)
	secret := []byte("0123456789abcdef")
	filipstad := &timedReceiver{secret: secret}
	fallback := &timedReceiver{secret: secret}
	fsrv, asrv := httptest.NewServer(filipstad), httptest.NewServer(fallback)
	defer fsrv.Close()
	defer asrv.Close()
	ctx := context.Background()
	if err := ts.db.SetDestination(ctx, delivery.Destination{Municipality: "1782", Kind: delivery.KindWebhook, URL: fsrv.URL, Secret: string(secret)}); err != nil {
		t.Fatal(err)
	}
	staff := bearer(ts.token(auth.Caseworker, "1781", "1782", "1863"))
	// Kristinehamn has no destination of its own and there is no '*' yet.
	khamn := ts.seed(seeded{at: kristinehamnCentre})
	if w := ts.forwardForDelivery(khamn, "1", staff); w.Code != http.StatusOK {
		t.Fatalf("forward: %d %s", w.Code, w.Body)
	}
	if n := ts.count("report_deliveries"); n != 0 {
		t.Fatalf("a Kristinehamn report got %d deliveries with only Filipstad's destination configured", n)
	}
	if err := ts.db.SetDestination(ctx, delivery.Destination{Municipality: "*", Kind: delivery.KindWebhook, URL: asrv.URL, Secret: string(secret)}); err != nil {
		t.Fatal(err)
	}
	filip := ts.seed(seeded{at: filipstadCentre})
	hfors := ts.seed(seeded{at: halleforsCentre})
	otr := ts.seed(seeded{at: halleforsCentre, category: "OTR.PLACE.LIGHT"})
	for _, id := range []uuid.UUID{filip, hfors} {
		if w := ts.forwardForDelivery(id, "1", staff); w.Code != http.StatusOK {
			t.Fatalf("forward: %d %s", w.Code, w.Body)
		}
	}
	// An otrygghet report is never forwarded anywhere.
	if w := ts.forwardForDelivery(otr, "1", staff); w.Code == http.StatusOK {
		if n := ts.count("report_deliveries"); n != 2 {
			t.Fatalf("forwarding an otrygghet report made a delivery (%d in all)", n)
		}
	}
	startDeliveryWorker(t, ts)
	waitFor(t, "two deliveries", func() bool {
		var n int
		_ = ts.db.Pool.QueryRow(ctx, `SELECT count(*) FROM report_deliveries WHERE state = 'delivered'`).Scan(&n)
		return n == 2
	})
	check := func(name string, rc *timedReceiver, want uuid.UUID) {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if len(rc.ids) != 1 {
			t.Fatalf("%s got %d requests, want 1", name, len(rc.ids))
		}
		var reportID string
		if err := ts.db.Pool.QueryRow(ctx, `SELECT report_id::text FROM report_deliveries WHERE id = $1`, rc.ids[0]).Scan(&reportID); err != nil {
			t.Fatal(err)
		}
		if reportID != want.String() {
			t.Fatalf("%s got report %s, want %s", name, reportID, want)
		}
	}
	check("Filipstad's destination", filipstad, filip)
	check("the '*' destination", fallback, hfors)
	if w := ts.do("GET", "/v1/staff/reports/"+khamn.String()+"/deliveries", nil, staff...); strings.TrimSpace(w.Body.String()) != `{"deliveries":[]}` {
		t.Fatalf("Kristinehamn report's deliveries: %s", w.Body)
	}
}

// dropFirstAnswer passes requests to next, but for the first one it hangs up
// after next has handled it: the receiver stored the request, the sender never
// heard so. It keeps what each request carried.
type dropFirstAnswer struct {
	next     http.Handler
	mu       sync.Mutex
	requests []seenRequest
}

type seenRequest struct {
	method string
	header http.Header
	form   url.Values
}

func (p *dropFirstAnswer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	p.mu.Lock()
	p.requests = append(p.requests, seenRequest{r.Method, r.Header.Clone(), form})
	first := len(p.requests) == 1
	p.mu.Unlock()
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	if !first {
		p.next.ServeHTTP(w, r)
		return
	}
	p.next.ServeHTTP(httptest.NewRecorder(), r)
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
}

// An Open311 destination gets a GeoReport v2 POST. Here the receiving
// maintenance system is another trygg: the answer to the first attempt is lost
// on the way back, the retry is recognised by its device_id and fields and
// answered with the first request's id, so the receiver holds the report once
// and trygg keeps its service_request_id.
func TestOpen311DeliveryToAnotherTrygg(t *testing.T) {
	ts := newTestServer(t, nil)
	remote := newOpen311Server(t, nil)
	key := remote.o311Key("Kristinehamns driftcentral")
	proxy := &dropFirstAnswer{next: remote.srv.Handler()}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	ctx := context.Background()
	if err := ts.db.SetDestination(ctx, delivery.Destination{Municipality: "1781", Kind: delivery.KindOpen311,
		URL: srv.URL + "/open311/v2/requests.json", APIKey: key}); err != nil {
		t.Fatal(err)
	}
	id := ts.seed(seeded{category: "FEL.ROAD", description: "Djupt hål i cykelbanan"})
	staff := bearer(ts.token(auth.Caseworker, "1781"))
	if w := ts.forwardForDelivery(id, "1", staff); w.Code != http.StatusOK {
		t.Fatalf("forward: %d %s", w.Code, w.Body)
	}
	remoteBefore := remote.count("reports")
	startDeliveryWorker(t, ts)
	var d delivery.Delivery
	waitFor(t, "delivery", func() bool {
		w := ts.do("GET", "/v1/staff/reports/"+id.String()+"/deliveries", nil, staff...)
		d = decode[struct{ Deliveries []delivery.Delivery }](t, w).Deliveries[0]
		return d.State == delivery.StateDelivered
	})
	if got := remote.count("reports") - remoteBefore; got != 1 {
		t.Fatalf("the receiving trygg stored %d reports, want 1", got)
	}
	var ref, category, desc, municipality string
	if err := remote.db.Pool.QueryRow(ctx, `SELECT reference, category, description, municipality_code FROM reports ORDER BY received_at DESC LIMIT 1`).
		Scan(&ref, &category, &desc, &municipality); err != nil {
		t.Fatal(err)
	}
	var localRef string
	if err := ts.db.Pool.QueryRow(ctx, `SELECT reference FROM reports WHERE id = $1`, id).Scan(&localRef); err != nil {
		t.Fatal(err)
	}
	if category != "FEL.ROAD" || municipality != "1781" || !strings.Contains(desc, "Djupt hål") || !strings.Contains(desc, localRef) {
		t.Fatalf("the receiver stored %s %s %q", category, municipality, desc)
	}
	if d.RemoteID != ref || d.Attempts != 2 {
		t.Fatalf("delivery %+v, want remote id %s after 2 attempts", d, ref)
	}
	proxy.mu.Lock()
	defer proxy.mu.Unlock()
	if len(proxy.requests) != 2 {
		t.Fatalf("the receiver got %d requests, want 2", len(proxy.requests))
	}
	for _, r := range proxy.requests {
		if r.method != http.MethodPost || r.header.Get("Idempotency-Key") != d.ID.String() || r.header.Get(delivery.HeaderDelivery) != d.ID.String() ||
			r.form.Get("device_id") != "trygg-delivery-"+d.ID.String() || r.form.Get("service_code") != "FEL.ROAD" || r.form.Get("api_key") != key {
			t.Fatalf("request %s %v form %v", r.method, r.header, r.form)
		}
	}
	var status report.Status
	if err := ts.db.Pool.QueryRow(ctx, `SELECT status FROM reports WHERE id = $1`, id).Scan(&status); err != nil || status != report.Forwarded {
		t.Fatalf("local report status %q (%v)", status, err)
	}
}

// A destination deleted while a delivery waits gets nothing more: the delivery
// fails for good with a clear error instead of going to the old address
// unsigned.
func TestDeliveryToADeletedDestinationSendsNothing(t *testing.T) {
	ts := newTestServer(t, nil)
	rc, id, staff := ts.forwardedToReceiver(0)
	ctx := context.Background()
	if ok, err := ts.db.DeleteDestination(ctx, "1781"); err != nil || !ok {
		t.Fatalf("delete destination: %v %v", ok, err)
	}
	startDeliveryWorker(t, ts)
	var d delivery.Delivery
	waitFor(t, "the delivery to fail", func() bool {
		w := ts.do("GET", "/v1/staff/reports/"+id.String()+"/deliveries", nil, staff...)
		d = decode[struct{ Deliveries []delivery.Delivery }](t, w).Deliveries[0]
		return d.State != delivery.StatePending
	})
	if d.State != delivery.StateFailed || d.LastError != delivery.ErrDestinationGone || d.NextAttemptAt != nil || d.DeliveredAt != nil {
		t.Fatalf("delivery %+v", d)
	}
	// River finishes the job a moment after Work returns.
	waitFor(t, "River to cancel the job", func() bool {
		var jobState string
		if err := ts.db.Pool.QueryRow(ctx, `SELECT state FROM river_job`).Scan(&jobState); err != nil {
			t.Fatal(err)
		}
		return jobState == "cancelled"
	})
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.arrivals) != 0 || rc.badSigns != 0 {
		t.Fatalf("the deleted destination got %d requests", len(rc.arrivals)+rc.badSigns)
	}
}
