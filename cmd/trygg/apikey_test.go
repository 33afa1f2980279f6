package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/open311"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/postgres/pgtest"
)

func TestAPIKeyCommand(t *testing.T) {
	pool, url := pgtest.NewWithURL(t)
	db := postgres.New(pool)
	env := func(k string) string {
		if k == "DATABASE_URL" {
			return url
		}
		return ""
	}
	ctx := context.Background()

	for _, args := range [][]string{{"apikey"}, {"apikey", "create"}, {"apikey", "create", "--name", " "},
		{"apikey", "revoke"}, {"apikey", "revoke", "not-a-uuid"}, {"apikey", "rotate"}} {
		if err := run(ctx, args, env, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
			t.Errorf("%v: no error", args)
		}
	}

	var out bytes.Buffer
	if err := run(ctx, []string{"apikey", "create", "--name", "fixamingata"}, env, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`api key id ([0-9a-f-]{36}) \(fixamingata\).*\n(o311_\S+)\n$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("output %q", out.String())
	}
	id, key := uuid.MustParse(m[1]), m[2]
	if got, err := db.APIKeyID(ctx, open311.HashAPIKey(key)); err != nil || got != id {
		t.Fatalf("printed key does not resolve to its id: %v %v", got, err)
	}
	var stored int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM api_keys WHERE key_hash = $1 AND name = 'fixamingata'`, open311.HashAPIKey(key)).Scan(&stored)
	var plain int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM api_keys WHERE position($1::bytea in key_hash) > 0`, []byte(key)).Scan(&plain)
	if stored != 1 || plain != 0 {
		t.Errorf("stored %d hashed, %d in the clear", stored, plain)
	}

	out.Reset()
	if err := run(ctx, []string{"apikey", "revoke", id.String()}, env, &out, &bytes.Buffer{}); err != nil || !strings.Contains(out.String(), "revoked") {
		t.Fatalf("revoke: %v %q", err, out.String())
	}
	if _, err := db.APIKeyID(ctx, open311.HashAPIKey(key)); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("revoked key still accepted: %v", err)
	}
	if err := run(ctx, []string{"apikey", "revoke", id.String()}, env, &out, &bytes.Buffer{}); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("second revoke: %v", err)
	}
}
