package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/trygg/trygg/internal/postgres/pgtest"
)

func TestImportOSMCommand(t *testing.T) {
	pool, url := pgtest.NewWithURL(t)
	env := map[string]string{"DATABASE_URL": url}
	getenv := func(k string) string { return env[k] }
	ctx := context.Background()
	const file = "../../internal/streets/testdata/kth_campus_stockholm.osm.pbf"

	var edges []int
	for range 2 {
		var out, errs bytes.Buffer
		if err := run(ctx, []string{"import", "osm", file, "--municipality", "0180"}, getenv, &out, &errs); err != nil {
			t.Fatalf("import: %v\n%s", err, out.String())
		}
		for _, want := range []string{"OSM elements read", "walkable ways", "stored municipality 0180 network generation"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM street_edges WHERE municipality_code = '0180'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		edges = append(edges, n)
	}
	if edges[0] == 0 || edges[0] != edges[1] {
		t.Errorf("edges after two imports: %v, want the same non-zero count", edges)
	}

	refusals := []struct {
		args []string
		want string
	}{
		{[]string{"import"}, "usage"},
		{[]string{"import", "shapes"}, "unknown import"},
		{[]string{"import", "osm", file}, "usage"},
		{[]string{"import", "osm", "no-such-file.osm", "--municipality", "0180"}, "no such file"},
		{[]string{"import", "osm", file, "--municipality", "9999"}, "no municipality"},
	}
	for _, r := range refusals {
		var out, errs bytes.Buffer
		err := run(ctx, r.args, getenv, &out, &errs)
		if err == nil || !strings.Contains(err.Error(), r.want) {
			t.Errorf("%v: %v, want an error about %q", r.args, err, r.want)
		}
	}
}
