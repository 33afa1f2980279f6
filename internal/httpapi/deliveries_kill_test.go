package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/delivery"
	"github.com/trygg/trygg/internal/postgres"
)

// workerProcessEnv carries the database URL to the test binary when
// TestDeliveryWorkerKilledMidAttempt runs it as a delivery worker.
const workerProcessEnv = "TRYGG_TEST_DELIVERY_WORKER_DB"

// TestMain runs the package's tests, or, when workerProcessEnv is set, is the
// delivery worker process TestDeliveryWorkerKilledMidAttempt starts and kills
// with SIGKILL (so no test function has to skip itself in ordinary runs).
func TestMain(m *testing.M) {
	if dbURL := os.Getenv(workerProcessEnv); dbURL != "" {
		runDeliveryWorkerProcess(dbURL)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func runDeliveryWorkerProcess(dbURL string) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, dbURL, 4)
	if err != nil {
		log.Fatal(err)
	}
	w := &delivery.Worker{Store: db, Sender: delivery.Sender{Client: &http.Client{Timeout: 30 * time.Second}},
		AttemptTimeout: 30 * time.Second}
	client, err := delivery.NewClient(db.Pool, w, delivery.ClientOptions{PollInterval: 50 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		log.Fatal(err)
	}
	os.Stdout.WriteString("worker started\n")
	// Killed long before this; the bound only keeps an orphan from living on.
	time.Sleep(2 * time.Minute)
}

// blockingReceiver is a webhook receiver that stores the first request it gets
// and then never answers it, so the attempt is in flight when the worker dies.
// Later requests with the same delivery id are acknowledged without storing
// again; the second one waits for release first so the test can look at the
// staff API while that attempt runs.
type blockingReceiver struct {
	secret   []byte
	arrived  chan string // each request's X-Trygg-Attempt, as it arrives
	release  chan struct{}
	mu       sync.Mutex
	ids      []string // delivery id of every request, in order
	stored   map[string]delivery.Report
	badSigns int
}

func (rc *blockingReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if !delivery.Verify(rc.secret, r.Header.Get(delivery.HeaderTimestamp), r.Header.Get(delivery.HeaderSignature), body, time.Now(), 5*time.Minute) {
		rc.mu.Lock()
		rc.badSigns++
		rc.mu.Unlock()
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var msg struct {
		DeliveryID string          `json:"delivery_id"`
		Report     delivery.Report `json:"report"`
	}
	if err := json.Unmarshal(body, &msg); err != nil || msg.DeliveryID != r.Header.Get(delivery.HeaderDelivery) {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	rc.ids = append(rc.ids, msg.DeliveryID)
	n := len(rc.ids)
	_, dup := rc.stored[msg.DeliveryID]
	if !dup {
		rc.stored[msg.DeliveryID] = msg.Report
	}
	rc.mu.Unlock()
	rc.arrived <- r.Header.Get(delivery.HeaderAttempt)
	switch n {
	case 1:
		<-r.Context().Done() // stored, but the answer never leaves: the sender dies first
		return
	case 2:
		<-rc.release
	}
	w.WriteHeader(http.StatusNoContent)
}

// A worker process killed with SIGKILL while its attempt waits for the
// receiver leaves the River job running; a new worker rescues it once it has
// been running longer than RescueAfter, delivers it again under the same
// delivery id (the receiver keeps one copy), and the staff API shows both
// attempts and the interrupted one's error.
func TestDeliveryWorkerKilledMidAttempt(t *testing.T) {
	ts := newTestServer(t, nil)
	rc := &blockingReceiver{secret: []byte("0123456789abcdef"), arrived: make(chan string, 10),
		release: make(chan struct{}), stored: map[string]delivery.Report{}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	ctx := context.Background()
	if err := ts.db.SetDestination(ctx, delivery.Destination{Municipality: "1781", Kind: delivery.KindWebhook,
		URL: srv.URL, Secret: string(rc.secret)}); err != nil {
		t.Fatal(err)
	}
	id := ts.seed(seeded{description: "Gatlyktan på Kungsgatan blinkar"})
	staff := bearer(ts.token(auth.Caseworker, "1781"))
	path := "/v1/staff/reports/" + id.String()
	if w := ts.do("PATCH", path, map[string]any{"status": "forwarded"}, append(staff, "If-Match", `"1"`)...); w.Code != http.StatusOK {
		t.Fatalf("forward: %d %s", w.Code, w.Body)
	}
	deliveries := func() []delivery.Delivery {
		w := ts.do("GET", path+"/deliveries", nil, staff...)
		if w.Code != http.StatusOK {
			t.Fatalf("deliveries: %d %s", w.Code, w.Body)
		}
		return decode[struct{ Deliveries []delivery.Delivery }](t, w).Deliveries
	}

	// The first worker is this test binary run as a worker (TestMain).
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.count=1")
	cmd.Env = append(os.Environ(), workerProcessEnv+"="+ts.db.Pool.Config().ConnString())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	go func() { _, _ = io.Copy(io.Discard, bufio.NewReader(out)) }()
	select {
	case a := <-rc.arrived:
		if a != "1" {
			t.Fatalf("first request is attempt %s", a)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the worker process never reached the receiver")
	}
	// The attempt is in flight: staff see it counted, with no outcome yet.
	if d := deliveries(); len(d) != 1 || d[0].State != delivery.StatePending || d[0].Attempts != 1 ||
		d[0].LastAttemptAt == nil || d[0].LastError != "" || d[0].NextAttemptAt != nil {
		t.Fatalf("during the first attempt: %+v", d)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred cleanup, no River shutdown
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("worker process ended with %v, want killed", err)
	}
	var jobState string
	if err := ts.db.Pool.QueryRow(ctx, `SELECT state FROM river_job`).Scan(&jobState); err != nil || jobState != "running" {
		t.Fatalf("after the kill the job is %q (%v), want running", jobState, err)
	}

	// A new worker with a short rescue interval takes the job over. River
	// elects it leader once the dead process's lease runs out (about 15 s).
	startDeliveryWorkerWith(t, ts, delivery.Backoff{Base: 50 * time.Millisecond, Max: time.Second}, 5*time.Second, 6*time.Second)
	select {
	case a := <-rc.arrived:
		if a != "2" {
			t.Fatalf("request after the rescue is attempt %s, want 2", a)
		}
	case <-time.After(90 * time.Second):
		t.Fatal("the stuck delivery was not rescued")
	}
	d := deliveries()
	if len(d) != 1 || d[0].State != delivery.StatePending || d[0].Attempts != 2 || d[0].LastError != delivery.Interrupted {
		t.Fatalf("during the attempt after the rescue: %+v", d)
	}
	close(rc.release)
	waitFor(t, "delivery", func() bool { return deliveries()[0].State == delivery.StateDelivered })
	d = deliveries()
	if d[0].Attempts != 2 || d[0].DeliveredAt == nil || d[0].LastError != "" || d[0].NextAttemptAt != nil {
		t.Fatalf("delivered: %+v", d[0])
	}

	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.badSigns != 0 {
		t.Fatalf("%d requests with a bad signature", rc.badSigns)
	}
	if len(rc.ids) != 2 || rc.ids[0] != d[0].ID.String() || rc.ids[1] != d[0].ID.String() {
		t.Fatalf("receiver saw delivery ids %v, want %s twice", rc.ids, d[0].ID)
	}
	if got, ok := rc.stored[d[0].ID.String()]; len(rc.stored) != 1 || !ok || got.ID != id || got.Municipality != "1781" {
		t.Fatalf("receiver stored %+v", rc.stored)
	}
}
