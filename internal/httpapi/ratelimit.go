package httpapi

import (
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/trygg/trygg/internal/apperr"
)

// clientLimiter keeps one token bucket per client key (IP, and device id when the
// app sends X-Device-Id). A client is held back when either of its buckets is
// empty, so changing device ids does not escape the IP's limit. The keys are
// kept only as keyed hashes (hash), never as IP addresses or device ids.
type clientLimiter struct {
	hash    func(string) string
	mu      sync.Mutex
	limit   rate.Limit
	burst   int
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newClientLimiter(perSecond float64, burst int, hash func(string) string) *clientLimiter {
	return &clientLimiter{limit: rate.Limit(perSecond), burst: burst, buckets: map[string]*bucket{}, hash: hash}
}

func (l *clientLimiter) allow(keys ...string) bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	ok := true
	for _, k := range keys {
		if k == "" {
			continue
		}
		k = l.hash(k)
		b := l.buckets[k]
		if b == nil {
			b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
			l.buckets[k] = b
		}
		b.seen = now
		if !b.lim.AllowN(now, 1) {
			ok = false
		}
	}
	return ok
}

// limitPublicWrites applies limitWrites to every request of the public /v1 group
// that is not a read, ahead of the contract validation.
func (s *Server) limitPublicWrites(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
	default:
		s.limitWrites(c)
	}
}

// rateCheckedKey marks a request the limiter has counted, so that a route that
// names limitWrites itself inside a limited group is not counted twice.
const rateCheckedKey = "trygg.rate_checked"

// limitWrites applies the per-client limit to public writes.
func (s *Server) limitWrites(c *gin.Context) {
	if c.GetBool(rateCheckedKey) {
		c.Next()
		return
	}
	c.Set(rateCheckedKey, true)
	dev := c.GetHeader("X-Device-Id")
	if len(dev) > 128 {
		dev = dev[:128]
	}
	if dev != "" {
		dev = "dev:" + dev
	}
	if !s.limiter.allow("ip:"+c.ClientIP(), dev) {
		c.Header("Retry-After", "1")
		fail(c, apperr.Errorf(apperr.RateLimited, "too many requests from this client; retry later with the same Idempotency-Key"))
		return
	}
	c.Next()
}
