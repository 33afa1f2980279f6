package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/privacy"
)

// TestDeviceHashRotation follows one device across key rotations: its
// confirmation is still recognised one period later (previous key), no device
// id is stored in the clear, and after the purge drops old keys it is a new device.
func TestDeviceHashRotation(t *testing.T) {
	ts := newTestServer(t, map[string]string{"TRYGG_HASH_SECRET": "rotation-test-secret-0123", "TRYGG_HASH_KEY_PERIOD": "30d"})
	id, _ := ts.dupSeed(dupReport{})
	confirm := func(key string) int {
		return ts.do(http.MethodPost, confirmPath(id), nil, "Idempotency-Key", key, "X-Device-Id", "phone-rotating").Code
	}
	if c := confirm("rotation-key-1"); c != http.StatusCreated {
		t.Fatalf("first confirmation: %d", c)
	}
	var stored []byte
	if err := ts.db.Pool.QueryRow(context.Background(), `SELECT device_hash FROM report_confirmations WHERE report_id = $1`, id).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(stored, privacy.Digest("phone-rotating")) || bytes.Contains(stored, []byte("phone-rotating")) {
		t.Fatal("the device id is stored unkeyed")
	}
	ts.now = ts.now.Add(31 * 24 * time.Hour) // the next key period
	if c := confirm("rotation-key-2"); c != http.StatusOK {
		t.Errorf("one rotation later: %d, want 200 (the device's earlier confirmation)", c)
	}
	// Two periods on, the purge drops the old salts: the device cannot be recognised.
	ts.now = ts.now.Add(61 * 24 * time.Hour)
	p := &privacy.Purger{Store: ts.db, Policy: privacy.Policy{Contact: 1e18, Text: 1e18, Photos: 1e18, Device: 1e18, Points: 1e18, Idempotency: 1e18},
		Keys: ts.srv.keys, Now: func() time.Time { return ts.now }}
	res, err := p.Run(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts[privacy.ItemHashKeys] == 0 {
		t.Errorf("no key salts dropped: %v", res.Counts)
	}
	if c := confirm("rotation-key-3"); c != http.StatusCreated {
		t.Errorf("after old keys were dropped: %d, want 201 (unlinkable)", c)
	}
}

func TestLimiterKeepsNoClientKeys(t *testing.T) {
	keys := &privacy.DeviceKeys{Secret: []byte("0123456789abcdef"), Period: time.Hour, Now: time.Now}
	l := newClientLimiter(1, 1, keys.Limiter)
	if !l.allow("ip:192.0.2.7", "dev:phone-1") || l.allow("ip:192.0.2.7", "") {
		t.Fatal("the limiter does not limit by the hashed key")
	}
	for k := range l.buckets {
		if strings.Contains(k, "192.0.2.7") || strings.Contains(k, "phone-1") {
			t.Errorf("limiter key %q holds the client's IP or device id", k)
		}
	}
	if len(l.buckets) != 2 {
		t.Errorf("%d buckets, want 2", len(l.buckets))
	}
}
