package postgres_test

import (
	"context"
	"encoding/xml"
	"math"
	"os"
	"testing"

	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/postgres/pgtest"
	"github.com/trygg/trygg/internal/streets"
	"github.com/trygg/trygg/internal/walk"
)

const kthExtract = "../streets/testdata/kth_campus_stockholm.osm"

func parseKTH(t *testing.T) *streets.Network {
	t.Helper()
	f, err := os.Open(kthExtract)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, err := streets.Parse(context.Background(), f, streets.FormatXML, nil)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// excludedWays reads the extract with encoding/xml, apart from the parser,
// and returns ways no walker may use: highways tagged foot=no, platforms,
// and ways that are no highway at all (buildings, land use).
func excludedWays(t *testing.T) map[int64]string {
	t.Helper()
	b, err := os.ReadFile(kthExtract)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Ways []struct {
			ID   int64 `xml:"id,attr"`
			Tags []struct {
				K string `xml:"k,attr"`
				V string `xml:"v,attr"`
			} `xml:"tag"`
		} `xml:"way"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	out := make(map[int64]string)
	for _, w := range doc.Ways {
		tags := map[string]string{}
		for _, tg := range w.Tags {
			tags[tg.K] = tg.V
		}
		switch {
		case tags["highway"] == "":
			out[w.ID] = "no highway tag"
		case tags["foot"] == "no":
			out[w.ID] = "foot=no"
		case tags["highway"] == "platform":
			out[w.ID] = "highway=platform"
		}
	}
	return out
}

func TestImportNetworkKTH(t *testing.T) {
	ctx := context.Background()
	db := postgres.New(pgtest.New(t))
	net := parseKTH(t)
	excluded := excludedWays(t)
	if len(net.Edges) < 500 || len(excluded) < 100 {
		t.Fatalf("extract looks wrong: %d edges, %d excluded ways", len(net.Edges), len(excluded))
	}

	var generations []int64
	for run := range 2 { // the second import must replace, not add
		info, err := db.ImportNetwork(ctx, "0180", "kth.osm", net)
		if err != nil {
			t.Fatal(err)
		}
		generations = append(generations, info.Generation)
		var edges, nodes int
		var geodesic, stored float64
		err = db.Pool.QueryRow(ctx, `SELECT count(*), sum(ST_Length(geom::geography)), sum(length_m) FROM street_edges WHERE municipality_code = '0180'`).
			Scan(&edges, &geodesic, &stored)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM street_nodes WHERE municipality_code = '0180'`).Scan(&nodes); err != nil {
			t.Fatal(err)
		}
		if edges != len(net.Edges) || nodes != len(net.Nodes) {
			t.Errorf("run %d: %d edges %d nodes in PostGIS, parsed %d and %d", run, edges, nodes, len(net.Edges), len(net.Nodes))
		}
		if rel := math.Abs(geodesic-net.Length()) / net.Length(); rel > 0.005 {
			t.Errorf("run %d: PostGIS geodesic length %.1f m, parsed %.1f m (%.3f %% apart)", run, geodesic, net.Length(), 100*rel)
		}
		if math.Abs(stored-net.Length()) > 0.01 {
			t.Errorf("run %d: stored length_m sums to %.3f, parsed %.3f", run, stored, net.Length())
		}
	}
	if generations[1] <= generations[0] {
		t.Errorf("re-import kept generation %v", generations)
	}

	rows, err := db.Pool.Query(ctx, `SELECT DISTINCT way_id FROM street_edges WHERE municipality_code = '0180'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		if why, bad := excluded[id]; bad {
			t.Errorf("way %d is stored but has %s", id, why)
		}
	}

	// The network read back builds the same graph as the parsed one.
	back, gen, err := db.LoadNetwork(ctx, "0180")
	if err != nil {
		t.Fatal(err)
	}
	if gen != generations[1] || len(back.Edges) != len(net.Edges) || math.Abs(back.Length()-net.Length()) > 0.01 {
		t.Errorf("loaded generation %d with %d edges %.2f m; want %d, %d, %.2f m", gen, len(back.Edges), back.Length(), generations[1], len(net.Edges), net.Length())
	}
	g1, err := walk.FromNetwork(net)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := walk.FromNetwork(back)
	if err != nil {
		t.Fatal(err)
	}
	if g1.Len() != g2.Len() || g1.Segments() != g2.Segments() {
		t.Errorf("graph from PostGIS has %d vertices %d segments, from the file %d and %d", g2.Len(), g2.Segments(), g1.Len(), g1.Segments())
	}
}

func TestImportNetworkUnknownMunicipality(t *testing.T) {
	db := postgres.New(pgtest.New(t))
	_, err := db.ImportNetwork(context.Background(), "9999", "x.osm", &streets.Network{})
	if err == nil {
		t.Fatal("import into a municipality that does not exist succeeded")
	}
	var n int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM street_networks`).Scan(&n); err != nil || n != 0 {
		t.Errorf("street_networks has %d rows (%v) after a failed import", n, err)
	}
}
