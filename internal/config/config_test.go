package config

import (
	"strings"
	"testing"
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
