package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/trygg/trygg/internal/postgres/pgtest"
)

const (
	uppsalaAreas = "../../internal/area/testdata/uppsala_nyko_2017_niva3.geojson"
	// 913 real events of April 2023 (../shared/data/police), unchanged.
	policeEvents = "../../internal/lagesbild/testdata/polisen_events_2023-04.json"
)

// TestImportAreasCommand: `trygg import areas` refuses a file with a bad
// polygon, a polygon outside the municipality or the wrong CRS with a clear
// error and imports nothing of it; the real Uppsala districts go in whole,
// and again as replacements.
func TestImportAreasCommand(t *testing.T) {
	pool, url := pgtest.NewWithURL(t)
	getenv := envOf(map[string]string{"DATABASE_URL": url})
	ctx := context.Background()
	uppsala, err := os.ReadFile(uppsalaAreas)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, v any) string {
		t.Helper()
		b, ok := v.([]byte)
		if !ok {
			if b, err = json.Marshal(v); err != nil {
				t.Fatal(err)
			}
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// The real file with one more feature: a bow-tie polygon in central Uppsala.
	var fc map[string]any
	if err := json.Unmarshal(uppsala, &fc); err != nil {
		t.Fatal(err)
	}
	feature := func(name string, ring [][]float64) map[string]any {
		return map[string]any{"type": "Feature", "properties": map[string]any{"N3Namn17": name},
			"geometry": map[string]any{"type": "Polygon", "coordinates": [][][]float64{ring}}}
	}
	withFeature := func(f map[string]any, crs string) map[string]any {
		out := map[string]any{"type": "FeatureCollection", "features": append(append([]any{}, fc["features"].([]any)...), f)}
		if crs != "" {
			out["crs"] = map[string]any{"type": "name", "properties": map[string]any{"name": crs}}
		}
		return out
	}
	bowtie := write("bowtie.geojson", withFeature(feature("Rosett", [][]float64{{17.63, 59.85}, {17.65, 59.87}, {17.65, 59.85}, {17.63, 59.87}, {17.63, 59.85}}), ""))
	stockholm := write("stockholm.geojson", withFeature(feature("Gamla stan", [][]float64{{18.06, 59.32}, {18.08, 59.32}, {18.08, 59.33}, {18.06, 59.33}, {18.06, 59.32}}), ""))
	sweref := write("sweref.geojson", withFeature(feature("Projicerad", [][]float64{{647000, 6637000}, {648000, 6637000}, {648000, 6638000}, {647000, 6637000}}), ""))
	declared := write("declared.geojson", map[string]any{"type": "FeatureCollection",
		"crs":      map[string]any{"type": "name", "properties": map[string]any{"name": "urn:ogc:def:crs:EPSG::3006"}},
		"features": fc["features"]})
	broken := write("broken.geojson", []byte(`{"type": "FeatureCollection", "features": [`))

	refusals := []struct {
		name string
		args []string
		want string
	}{
		{"self-intersecting polygon", []string{bowtie, "--municipality", "0380", "--name-property", "N3Namn17"}, "invalid geometry"},
		{"polygon in Stockholm", []string{stockholm, "--municipality", "0380", "--name-property", "N3Namn17"}, "outside municipality 0380"},
		{"Uppsala's districts for Kristinehamn", []string{uppsalaAreas, "--municipality", "1781", "--name-property", "N3Namn17"}, "outside municipality 1781"},
		{"projected coordinates without a CRS", []string{sweref, "--municipality", "0380", "--name-property", "N3Namn17"}, "not longitude/latitude"},
		{"declared SWEREF 99 TM", []string{declared, "--municipality", "0380", "--name-property", "N3Namn17"}, "CRS84"},
		{"truncated JSON", []string{broken, "--municipality", "0380"}, "JSON"},
		{"unknown kind", []string{uppsalaAreas, "--municipality", "0380", "--kind", "kvarter"}, "kind"},
		{"no municipality", []string{uppsalaAreas}, "usage"},
		{"no such municipality", []string{uppsalaAreas, "--municipality", "9999", "--name-property", "N3Namn17"}, "nothing imported: unknown municipality 9999"},
		{"no such file", []string{filepath.Join(dir, "missing.geojson"), "--municipality", "0380"}, "no such file"},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			err := run(ctx, append([]string{"import", "areas"}, r.args...), getenv, &out, &errs)
			if err == nil || !strings.Contains(err.Error(), r.want) {
				t.Fatalf("error %v, want one about %q (output %q)", err, r.want, out.String())
			}
			// The message is for the person at the terminal, not the database's.
			if msg := err.Error(); strings.Contains(msg, "SQLSTATE") || strings.Contains(msg, "constraint") {
				t.Errorf("error %q carries the database's wording", msg)
			}
			var n int
			if err := pool.QueryRow(ctx, `SELECT count(*) FROM areas`).Scan(&n); err != nil || n != 0 {
				t.Fatalf("%d areas stored after a refused import (%v)", n, err)
			}
		})
	}

	for i, want := range []string{"areas: 65 created, 0 replaced in 0380", "areas: 0 created, 65 replaced in 0380"} {
		var out, errs bytes.Buffer
		err := run(ctx, []string{"import", "areas", uppsalaAreas, "--municipality", "0380", "--name-property", "N3Namn17", "--priority", "Gottsunda,Gränby"}, getenv, &out, &errs)
		if err != nil || !strings.Contains(out.String(), want) {
			t.Fatalf("import %d: %v %q, want %q", i+1, err, out.String(), want)
		}
	}
	var n, prio, valid int
	err = pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE priority), count(*) FILTER (WHERE ST_IsValid(geom) AND ST_SRID(geom) = 4326) FROM areas WHERE municipality_code = '0380' AND kind = 'stadsdel'`).Scan(&n, &prio, &valid)
	if err != nil || n != 65 || prio != 2 || valid != 65 {
		t.Errorf("stored %d areas, %d priority, %d valid in 4326 (%v)", n, prio, valid, err)
	}
}

// TestImportEventsCommand: the police's real events file goes in as it is,
// each event with its location's precision, and a second run adds nothing.
func TestImportEventsCommand(t *testing.T) {
	pool, url := pgtest.NewWithURL(t)
	getenv := envOf(map[string]string{"DATABASE_URL": url})
	ctx := context.Background()
	summary := regexp.MustCompile(`events: (\d+) read, (\d+) added, (\d+) already stored`)
	var added string
	for i := range 2 {
		var out, errs bytes.Buffer
		if err := run(ctx, []string{"import", "events", policeEvents}, getenv, &out, &errs); err != nil {
			t.Fatalf("import %d: %v", i+1, err)
		}
		m := summary.FindStringSubmatch(out.String())
		if m == nil || m[1] != "913" {
			t.Fatalf("import %d: %q", i+1, out.String())
		}
		if i == 0 {
			added = m[2]
			if m[3] != "0" || added == "0" {
				t.Fatalf("first import %q", out.String())
			}
		} else if m[2] != "0" || m[3] != added {
			t.Errorf("second import %q, want 0 added and %s already stored", out.String(), added)
		}
	}
	var total, exact, muni, county, muniWithoutCode, stockholm int
	err := pool.QueryRow(ctx, `
SELECT count(*), count(*) FILTER (WHERE precision = 'exact'), count(*) FILTER (WHERE precision = 'municipality'),
       count(*) FILTER (WHERE precision = 'county'), count(*) FILTER (WHERE precision = 'municipality' AND municipality_code IS NULL),
       count(*) FILTER (WHERE municipality_code = '0180')
FROM events WHERE source = 'polisen'`).Scan(&total, &exact, &muni, &county, &muniWithoutCode, &stockholm)
	if err != nil || added != itoaTest(total) || exact != 0 || muni == 0 || county == 0 || muniWithoutCode != 0 || stockholm != 55 {
		t.Errorf("stored %d (%v): exact %d, municipality %d (%d without a code), county %d, Stockholm %d", total, err, exact, muni, muniWithoutCode, county, stockholm)
	}

	// A partner's CSV needs its source name; with it, re-importing adds nothing.
	csvFile := filepath.Join(t.TempDir(), "vakt.csv")
	if err := os.WriteFile(csvFile, []byte("id,occurred_at,type,lat,lon\nv1,2026-11-20T22:10:00+01:00,Skadegörelse,59.3096,14.1086\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	if err := run(ctx, []string{"import", "events", csvFile}, getenv, &out, &errs); err == nil || !strings.Contains(err.Error(), "--source") {
		t.Errorf("CSV without a source: %v", err)
	}
	for i, want := range []string{"1 read, 1 added, 0 already stored", "1 read, 0 added, 1 already stored"} {
		out.Reset()
		if err := run(ctx, []string{"import", "events", csvFile, "--source", "vaktbolaget"}, getenv, &out, &errs); err != nil || !strings.Contains(out.String(), want) {
			t.Errorf("CSV import %d: %v %q, want %q", i+1, err, out.String(), want)
		}
	}
}

func itoaTest(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
