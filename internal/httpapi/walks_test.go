package httpapi

import (
	"context"
	"encoding/xml"
	"fmt"
	"math"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/streets"
)

// walkServer is a test server with the KTH campus network imported into
// Stockholm (0180) and a planted cluster of evening reports of groups
// loitering north-west of the campus.
func walkServer(t *testing.T) (*testServer, string) {
	t.Helper()
	ts := newTestServer(t, nil)
	f, err := os.Open("../streets/testdata/kth_campus_stockholm.osm")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	net, err := streets.Parse(context.Background(), f, streets.FormatXML, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.ImportNetwork(context.Background(), "0180", "kth.osm", net); err != nil {
		t.Fatal(err)
	}
	post := func(i int, lat, lon float64, cat string) {
		body := map[string]any{
			"kind": "otrygghet", "category": cat, "location": map[string]float64{"lat": lat, "lon": lon},
			"observed_at": ts.now.Add(-time.Duration(i+1) * 24 * time.Hour).Format(time.RFC3339), "time_of_day": "evening",
		}
		if w := ts.do(http.MethodPost, "/v1/reports", body, "Idempotency-Key", fmt.Sprintf("walk-test-%04d", i)); w.Code != 201 {
			t.Fatalf("report %d: %d %s", i, w.Code, w.Body)
		}
	}
	for i := range 25 { // within a few metres of one point
		post(i, 59.3490+float64(i%5)*0.00003, 18.0700+float64(i/5)*0.00005, "OTR.SOC.GATHER")
	}
	for i := range 12 { // thin background over the campus
		post(100+i, 59.3455+float64(i%4)*0.001, 18.0690+float64(i/4)*0.0025, "OTR.PLACE.LIGHT")
	}
	return ts, ts.token(auth.Planner, "0180")
}

var kthStart = map[string]float64{"lat": 59.3472, "lon": 18.0725}

type planBody struct {
	Stops []struct {
		ID, Name, Kind, Reason string
		MustVisit              bool `json:"must_visit"`
	} `json:"stops"`
	Route struct {
		Type        string       `json:"type"`
		Coordinates [][2]float64 `json:"coordinates"`
	} `json:"route"`
	LengthM     float64                    `json:"length_m"`
	DurationMin float64                    `json:"duration_min"`
	Score       float64                    `json:"score"`
	Candidates  int                        `json:"candidates"`
	LeftOut     []struct{ ID, Why string } `json:"left_out"`
}

func TestWalkPlanOnKTH(t *testing.T) {
	ts, tok := walkServer(t)
	bearer := "Bearer " + tok
	req := map[string]any{
		"municipality": "0180", "start": kthStart, "max_length_m": 1500,
		"must_visit": []map[string]any{{"lat": 59.3460, "lon": 18.0745, "name": "Entrén <Valhallavägen>"}},
	}
	w := ts.do(http.MethodPost, "/v1/walks/plan", req, "Authorization", bearer)
	if w.Code != 200 {
		t.Fatalf("plan: %d %s", w.Code, w.Body)
	}
	p := decode[planBody](t, w)
	if p.LengthM > 1500 || p.LengthM <= 0 {
		t.Errorf("length %.1f m outside (0, 1500]", p.LengthM)
	}
	var must, hot bool
	for _, s := range p.Stops {
		must = must || (s.MustVisit && s.Name == "Entrén <Valhallavägen>")
		if s.Kind == "hotspot" {
			// Gi* also lifts the planted cell's neighbours; the planted cell
			// itself must be there with its reports described.
			hot = hot || strings.HasSuffix(s.Reason, " hotspot, 25 reports of groups loitering, evenings")
			if !strings.HasPrefix(s.Reason, "Gi* 99 % hotspot, ") && !strings.HasPrefix(s.Reason, "Gi* 95 % hotspot, ") {
				t.Errorf("hotspot reason %q", s.Reason)
			}
		}
	}
	if !must || !hot {
		t.Errorf("must-visit on route %v, hotspot on route %v: %+v", must, hot, p.Stops)
	}
	if p.Route.Type != "LineString" || len(p.Route.Coordinates) < 2 {
		t.Fatalf("route %+v", p.Route)
	}
	first, last := p.Route.Coordinates[0], p.Route.Coordinates[len(p.Route.Coordinates)-1]
	if first != last || math.Abs(first[1]-59.3472) > 0.001 || math.Abs(first[0]-18.0725) > 0.002 {
		t.Errorf("round walk should start and end by the start point: %v … %v", first, last)
	}
	if p.Candidates != len(p.Stops)+len(p.LeftOut) {
		t.Errorf("%d candidates but %d stops + %d left out", p.Candidates, len(p.Stops), len(p.LeftOut))
	}

	// GPX 1.1 with the same stops, by query or by Accept.
	for _, variant := range [][]string{{"/v1/walks/plan?format=gpx", "Accept", "application/json"}, {"/v1/walks/plan", "Accept", "application/gpx+xml"}} {
		w = ts.do(http.MethodPost, variant[0], req, "Authorization", bearer, variant[1], variant[2])
		var gpx struct {
			XMLName xml.Name
			Version string `xml:"version,attr"`
			Rte     struct {
				Pts []struct {
					Name string `xml:"name"`
				} `xml:"rtept"`
			} `xml:"rte"`
			Trk struct {
				Pts []struct{} `xml:"trkseg>trkpt"`
			} `xml:"trk"`
		}
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/gpx+xml") {
			t.Fatalf("%s: %d %s", variant[0], w.Code, w.Header().Get("Content-Type"))
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &gpx); err != nil {
			t.Fatal(err)
		}
		if gpx.XMLName.Local != "gpx" || gpx.Version != "1.1" || len(gpx.Rte.Pts) != len(p.Stops)+2 || len(gpx.Trk.Pts) < 2 {
			t.Errorf("gpx %s v%s with %d route points (want %d) and %d track points", gpx.XMLName.Local, gpx.Version, len(gpx.Rte.Pts), len(p.Stops)+2, len(gpx.Trk.Pts))
		}
	}
}

func TestWalkPlanGeoJSON(t *testing.T) {
	ts, tok := walkServer(t)
	req := map[string]any{"municipality": "0180", "start": kthStart, "max_length_m": 1200}
	w := ts.do(http.MethodPost, "/v1/walks/plan?format=geojson", req, "Authorization", "Bearer "+tok)
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/geo+json" {
		t.Fatalf("%d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	fc := decode[struct {
		Type     string `json:"type"`
		Features []struct {
			Geometry struct{ Type string } `json:"geometry"`
		} `json:"features"`
	}](t, w)
	lines := 0
	for _, f := range fc.Features {
		if f.Geometry.Type == "LineString" {
			lines++
		}
	}
	if fc.Type != "FeatureCollection" || lines != 1 || len(fc.Features) < 2 {
		t.Errorf("%s with %d features, %d lines", fc.Type, len(fc.Features), lines)
	}
}

func TestWalkPlanRefusals(t *testing.T) {
	ts, tok := walkServer(t)
	analyst := ts.token(auth.Analyst, "0180")
	elsewhere := ts.token(auth.Planner, "1781")
	plan := func(extra map[string]any) map[string]any {
		r := map[string]any{"municipality": "0180", "start": kthStart, "max_length_m": 1500}
		for k, v := range extra {
			r[k] = v
		}
		return r
	}
	cases := []struct {
		name   string
		token  string
		body   map[string]any
		status int
		code   string
	}{
		{"no token", "", plan(nil), 401, "unauthorized"},
		{"analyst may not plan walks", analyst, plan(nil), 403, "forbidden"},
		{"other municipality", elsewhere, plan(nil), 403, "forbidden"},
		{"no budget", tok, map[string]any{"municipality": "0180", "start": kthStart}, 400, "invalid"},
		{"start off the network", tok, plan(map[string]any{"start": map[string]float64{"lat": 59.33, "lon": 18.03}}), 422, "unprocessable"},
		{"must-visit off the network", tok, plan(map[string]any{"must_visit": []map[string]float64{{"lat": 59.36, "lon": 18.05}}}), 422, "unprocessable"},
		{"must-visit beyond the budget", tok, plan(map[string]any{"max_length_m": 150,
			"must_visit": []map[string]float64{{"lat": 59.3460, "lon": 18.0745}, {"lat": 59.3495, "lon": 18.0700}}}), 422, "unprocessable"},
		{"no network imported", ts.token(auth.Planner, "1781"), map[string]any{"municipality": "1781",
			"start": map[string]float64{"lat": 59.3096, "lon": 14.1086}, "max_length_m": 1000}, 422, "unprocessable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var h []string
			if c.token != "" {
				h = []string{"Authorization", "Bearer " + c.token}
			}
			w := ts.do(http.MethodPost, "/v1/walks/plan", c.body, h...)
			if w.Code != c.status || errorCode(t, w) != c.code {
				t.Errorf("%d %s, want %d %s", w.Code, w.Body, c.status, c.code)
			}
		})
	}
}

func TestWalkPlanWithinArea(t *testing.T) {
	ts, tok := walkServer(t)
	// The southern half of the campus: the planted cluster lies north of it.
	var area string
	err := ts.db.Pool.QueryRow(context.Background(), `
INSERT INTO areas (id, municipality_code, kind, name, geom)
VALUES (gen_random_uuid(), '0180', 'custom', 'KTH syd', ST_Multi(ST_MakeEnvelope(18.066, 59.344, 18.080, 59.3478, 4326)))
RETURNING id::text`).Scan(&area)
	if err != nil {
		t.Fatal(err)
	}
	bearer := []string{"Authorization", "Bearer " + tok}
	hotspots := func(body map[string]any) (n int, planted bool) {
		w := ts.do(http.MethodPost, "/v1/walks/plan", body, bearer...)
		if w.Code != 200 {
			t.Fatalf("plan %d %s", w.Code, w.Body)
		}
		p := decode[planBody](t, w)
		for _, s := range p.Stops {
			if s.Kind == "hotspot" {
				n++
				planted = planted || strings.Contains(s.Reason, "groups loitering")
			}
		}
		return n, planted
	}
	req := map[string]any{"municipality": "0180", "start": kthStart, "max_length_m": 2000}
	if _, planted := hotspots(req); !planted {
		t.Fatal("without an area the planted cluster should be a stop")
	}
	req["area"] = area
	if _, planted := hotspots(req); planted {
		t.Error("the planted cluster outside the area is still a stop")
	}
	req["area"] = "00000000-0000-4000-8000-000000000000"
	if w := ts.do(http.MethodPost, "/v1/walks/plan", req, bearer...); w.Code != 400 {
		t.Errorf("unknown area: %d %s, want 400", w.Code, w.Body)
	}
}
