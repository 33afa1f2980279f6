package privacy

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"
)

// Device ids and client IP addresses are never stored; what is stored is
//
//	HMAC-SHA256(key(period), SHA-256("trygg-device:" + id))
//
// where key(period) = HMAC-SHA256(TRYGG_HASH_SECRET, salt(period)) and each
// period (TRYGG_HASH_KEY_PERIOD, 30 days by default) gets a random salt kept in
// the database. A lookup ("has this device confirmed already?", "is this an
// Open311 retry?") tries the current and the previous period's key, so it keeps
// working across one rotation; salts older than the previous period are deleted
// by the purge, after which no one can tie those hashes to a device, not even
// with the secret. The inner SHA-256 is what earlier versions stored unkeyed,
// which lets Rekey turn those rows into keyed hashes without the device ids.

// SaltStore keeps one random salt per key period.
type SaltStore interface {
	// HashSalt returns the period's salt, storing fresh when it has none yet.
	HashSalt(ctx context.Context, period int, fresh []byte) ([]byte, error)
}

// DeviceKeys derives and caches the per-period keys.
type DeviceKeys struct {
	Secret []byte
	Period time.Duration
	Store  SaltStore
	Now    func() time.Time

	mu   sync.Mutex
	keys map[int][]byte
}

// DeviceHash is a device id under the current key, with the previous period's
// hash to look up rows written before the last rotation.
type DeviceHash struct {
	Period   int
	Current  []byte
	Previous []byte
}

// Empty reports whether there was no device id.
func (h DeviceHash) Empty() bool { return len(h.Current) == 0 }

// Candidates are the hashes a stored row of this device may carry, current first.
func (h DeviceHash) Candidates() [][]byte {
	if h.Empty() {
		return nil
	}
	return [][]byte{h.Current, h.Previous}
}

// PeriodOf is the number of the key period t falls in.
func (k *DeviceKeys) PeriodOf(t time.Time) int {
	return int(t.Unix() / int64(k.Period/time.Second))
}

// Digest is the unkeyed inner hash of a device id (what versions before the
// keyed hashes stored).
func Digest(deviceID string) []byte {
	h := sha256.Sum256([]byte("trygg-device:" + deviceID))
	return h[:]
}

// Hash returns the stored forms of a device id; an empty id gives an empty hash.
func (k *DeviceKeys) Hash(ctx context.Context, deviceID string) (DeviceHash, error) {
	if deviceID == "" {
		return DeviceHash{}, nil
	}
	return k.HashDigest(ctx, Digest(deviceID))
}

// HashDigest keys an inner digest (see Digest) for the current and previous periods.
func (k *DeviceKeys) HashDigest(ctx context.Context, digest []byte) (DeviceHash, error) {
	p := k.PeriodOf(k.Now())
	cur, err := k.key(ctx, p)
	if err != nil {
		return DeviceHash{}, err
	}
	prev, err := k.key(ctx, p-1)
	if err != nil {
		return DeviceHash{}, err
	}
	return DeviceHash{Period: p, Current: mac(cur, digest), Previous: mac(prev, digest)}, nil
}

// Limiter returns a keyed hash of a rate-limit key (an IP address or a device
// id) under the current period's key, so the limiter's memory never holds them
// in the clear. It needs no database: the limiter's buckets live only in memory.
func (k *DeviceKeys) Limiter(clientKey string) string {
	p := k.PeriodOf(k.Now())
	key := mac(k.Secret, []byte("trygg-limiter|"), itob(p))
	return string(mac(key, []byte(clientKey)))
}

func (k *DeviceKeys) key(ctx context.Context, period int) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if key, ok := k.keys[period]; ok {
		return key, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	salt, err := k.Store.HashSalt(ctx, period, fresh)
	if err != nil {
		return nil, err
	}
	if k.keys == nil {
		k.keys = map[int][]byte{}
	}
	// Only the two live periods are kept in memory.
	for p := range k.keys {
		if p < period-1 {
			delete(k.keys, p)
		}
	}
	key := mac(k.Secret, salt)
	k.keys[period] = key
	return key, nil
}

func mac(key []byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

func itob(n int) []byte {
	b := make([]byte, 8)
	for i := range 8 {
		b[i] = byte(uint64(n) >> (8 * i))
	}
	return b
}

// RekeyStore rewrites the unkeyed device hashes of earlier versions.
type RekeyStore interface {
	RekeyDeviceHashes(ctx context.Context, period int, rekey func(old []byte) []byte) (int64, error)
}

// Rekey turns every stored unkeyed hash (the Digest of a device id) into the
// keyed hash of the current period, so that lookups keep finding those devices.
// It is idempotent and runs at the start of serve and of purge.
func (k *DeviceKeys) Rekey(ctx context.Context, s RekeyStore) (int64, error) {
	p := k.PeriodOf(k.Now())
	key, err := k.key(ctx, p)
	if err != nil {
		return 0, err
	}
	return s.RekeyDeviceHashes(ctx, p, func(old []byte) []byte { return mac(key, old) })
}
