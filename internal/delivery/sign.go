package delivery

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Headers a webhook request carries.
const (
	HeaderDelivery  = "X-Trygg-Delivery"  // the delivery id: the same on every attempt
	HeaderTimestamp = "X-Trygg-Timestamp" // Unix seconds when the attempt was signed
	HeaderSignature = "X-Trygg-Signature" // "sha256=" + hex HMAC of timestamp "." body
	HeaderAttempt   = "X-Trygg-Attempt"
)

// Sign returns the signature header value for body sent at ts. The timestamp is
// part of the signed text so a captured request cannot be replayed much later
// with a fresh timestamp.
func Sign(secret []byte, ts time.Time, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strconv.FormatInt(ts.Unix(), 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a webhook's signature as a receiver would: the signature must
// match and the timestamp be within tolerance of now.
func Verify(secret []byte, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) bool {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	ts := time.Unix(sec, 0)
	if d := now.Sub(ts); d > tolerance || d < -tolerance {
		return false
	}
	want := Sign(secret, ts, body)
	return strings.HasPrefix(signature, "sha256=") && hmac.Equal([]byte(want), []byte(signature))
}
