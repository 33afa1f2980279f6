package open311

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// NewAPIKey mints a client app's api_key and the hash that is stored in its
// place. The key is 32 random bytes, so a plain SHA-256 is enough: there is
// nothing to guess that a slow hash would protect.
func NewAPIKey() (key string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	key = "o311_" + base64.RawURLEncoding.EncodeToString(b)
	return key, HashAPIKey(key)
}

// HashAPIKey is how keys are stored and looked up.
func HashAPIKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}
