package config

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.BodyLimit != 64<<10 || !c.Open311KeyRequired || c.MinCellCount != 3 {
		t.Errorf("unexpected defaults: %+v", c)
	}
}

func TestInvalid(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"bad url", map[string]string{"DATABASE_URL": "mysql://x"}, "DATABASE_URL"},
		{"bad number", map[string]string{"TRYGG_BODY_LIMIT_BYTES": "lots"}, "TRYGG_BODY_LIMIT_BYTES"},
		{"bad duration", map[string]string{"TRYGG_REQUEST_TIMEOUT": "5"}, "TRYGG_REQUEST_TIMEOUT"},
		{"bad level", map[string]string{"TRYGG_LOG_LEVEL": "loud"}, "TRYGG_LOG_LEVEL"},
		{"bad origin", map[string]string{"TRYGG_CORS_ORIGINS": "example.se"}, "TRYGG_CORS_ORIGINS"},
		{"short secret", map[string]string{"TRYGG_HASH_SECRET": "short"}, "TRYGG_HASH_SECRET"},
		{"bad retention", map[string]string{"TRYGG_RETAIN_CONTACT": "ninety days"}, "TRYGG_RETAIN_CONTACT"},
		{"retention too short", map[string]string{"TRYGG_RETAIN_TEXT": "1m"}, "TRYGG_RETAIN_TEXT"},
		{"negative interval", map[string]string{"TRYGG_PURGE_INTERVAL": "-1h"}, "TRYGG_PURGE_INTERVAL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromEnv(env(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want error naming %s", err, tt.want)
			}
		})
	}
}

func TestRetentionPeriods(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"TRYGG_RETAIN_CONTACT": "30d", "TRYGG_RETAIN_IDEMPOTENCY": "36h",
		"TRYGG_RETAIN_AUDIT": "0", "TRYGG_HASH_SECRET": "0123456789abcdef"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.RetainContact != 30*day || c.RetainIdempotency != 36*time.Hour || c.RetainAudit != 0 || c.RetainText != 365*day {
		t.Errorf("periods %v %v %v %v", c.RetainContact, c.RetainIdempotency, c.RetainAudit, c.RetainText)
	}
	if line := fmt.Sprint(c.LogAttrs()...); strings.Contains(line, "0123456789abcdef") {
		t.Errorf("the hash secret is logged: %s", line)
	}
}

func TestLogAttrsMasksPassword(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"DATABASE_URL": "postgres://u:secret@db/trygg"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range c.LogAttrs() {
		if s, ok := a.(string); ok && strings.Contains(s, "secret") {
			t.Fatalf("password leaked in %q", s)
		}
	}
}
