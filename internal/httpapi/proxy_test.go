package httpapi

import (
	"fmt"
	"net/http"
	"testing"
)

// TestForwardedForDoesNotEscapeRateLimit: a client may not choose its own
// identity for the rate limiter by sending X-Forwarded-For.
func TestForwardedForDoesNotEscapeRateLimit(t *testing.T) {
	ts := newTestServer(t, map[string]string{"TRYGG_RATE_LIMIT": "0.001", "TRYGG_RATE_BURST": "1"})
	body := map[string]any{"kind": "felanmalan", "category": "FEL.LIGHT", "location": map[string]any{"lat": 59.3096, "lon": 14.1086}}
	var codes []int
	for i := 0; i < 3; i++ {
		w := ts.do(http.MethodPost, "/v1/reports", body, "Idempotency-Key", fmt.Sprintf("xff-test-key-%d", i),
			"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1))
		codes = append(codes, w.Code)
	}
	if codes[0] != http.StatusCreated || codes[1] != http.StatusTooManyRequests || codes[2] != http.StatusTooManyRequests {
		t.Fatalf("statuses %v, want [201 429 429]", codes)
	}
}
