package delivery

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestSignVerify(t *testing.T) {
	secret, body := []byte("0123456789abcdef"), []byte(`{"delivery_id":"x"}`)
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	sig := Sign(secret, at, body)
	ts := "1795435200"
	cases := []struct {
		name         string
		secret, body []byte
		ts, sig      string
		now          time.Time
		want         bool
	}{
		{"valid", secret, body, ts, sig, at.Add(time.Minute), true},
		{"other secret", []byte("other"), body, ts, sig, at, false},
		{"changed body", secret, []byte(`{"delivery_id":"y"}`), ts, sig, at, false},
		{"replayed late", secret, body, ts, sig, at.Add(time.Hour), false},
		{"shifted timestamp", secret, body, "1795435201", sig, at, false},
		{"no prefix", secret, body, ts, sig[len("sha256="):], at, false},
		{"garbage timestamp", secret, body, "x", sig, at, false},
	}
	if at.Unix() != 1795435200 {
		t.Fatalf("fixture timestamp: %d", at.Unix())
	}
	for _, c := range cases {
		if got := Verify(c.secret, c.ts, c.sig, c.body, c.now, 5*time.Minute); got != c.want {
			t.Errorf("%s: Verify = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestBackoffGrowsAndCaps(t *testing.T) {
	b := Backoff{Base: 2 * time.Second, Max: time.Hour}
	id := uuid.MustParse("6f1c1d8e-3c55-4f4e-9b1e-2a7f4f2f0b11")
	prev := time.Duration(0)
	for attempt := 1; attempt <= MaxAttempts; attempt++ {
		d := b.Delay(id, attempt)
		nominal := min(b.Base<<(attempt-1), b.Max)
		if attempt > 12 {
			nominal = b.Max
		}
		if d < nominal*9/10 || d > nominal*11/10 {
			t.Fatalf("attempt %d: delay %v outside ±10%% of %v", attempt, d, nominal)
		}
		if d < prev {
			t.Fatalf("attempt %d: delay %v shorter than before (%v)", attempt, d, prev)
		}
		prev = d
	}
	if b.Delay(id, 3) != b.Delay(id, 3) {
		t.Fatal("the delay of one delivery's attempt must be the same each time it is computed")
	}
}
