package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/report"
)

// dupOrigin is a point in central Kristinehamn (1781); dupReport places reports
// in metres east and north of it, measured in SWEREF 99 TM so distances are exact.
var dupOrigin = [2]float64{14.1086, 59.3096}

type dupReport struct {
	category    string
	east, north float64
	status      report.Status
	visibility  report.Visibility
	description string
	observed    time.Time
	received    time.Time
	device      string // the X-Device-Id the report was filed from
}

const dupSeedSQL = `
INSERT INTO reports (id, reference, kind, category, geom, observed_at, received_at, description,
                     status, visibility, follow_up_hash, device_hash)
SELECT $1, $2, c.kind, c.code,
       ST_Transform(ST_Translate(ST_Transform(ST_SetSRID(ST_MakePoint($4, $5), 4326), 3006), $6, $7), 4326),
       $8, $9, nullif($10, ''), $11, $12, '\x00', $13
FROM categories c WHERE c.code = $3`

// dupSeed writes a report straight to the database. Zero fields default to an
// open, published street-light felanmälan at the origin, received an hour ago.
func (ts *testServer) dupSeed(r dupReport) (uuid.UUID, string) {
	ts.t.Helper()
	if r.category == "" {
		r.category = "FEL.LIGHT"
	}
	if r.status == "" {
		r.status = report.Received
	}
	if r.visibility == "" {
		r.visibility = report.Published
	}
	if r.received.IsZero() {
		r.received = ts.now.Add(-time.Hour)
	}
	if r.observed.IsZero() {
		r.observed = r.received
	}
	var dev []byte
	if r.device != "" {
		h := sha256.Sum256([]byte("trygg-device:" + r.device))
		dev = h[:]
	}
	id, ref := uuid.New(), report.NewReference()
	tag, err := ts.db.Pool.Exec(context.Background(), dupSeedSQL, id, ref, r.category, dupOrigin[0], dupOrigin[1],
		r.east, r.north, r.observed, r.received, r.description, r.status, r.visibility, dev)
	if err != nil || tag.RowsAffected() != 1 {
		ts.t.Fatalf("seed %+v: %v", r, err)
	}
	if dev != nil {
		// The row holds the unkeyed SHA-256 earlier versions stored; re-keying
		// it is what serve does at start after migration 9.
		if _, err := ts.srv.keys.Rekey(context.Background(), ts.db); err != nil {
			ts.t.Fatal(err)
		}
	}
	return id, ref
}

func nearbyURL(east, north float64, query string) string {
	// The query point is given in degrees, as an app would; 1 m north is about
	// 9.0e-6° of latitude here, close enough for points at the origin.
	return fmt.Sprintf("/v1/reports/nearby?lat=%.7f&lon=%.7f&%s", dupOrigin[1]+north*8.98e-6, dupOrigin[0]+east*1.76e-5, query)
}

func TestNearbyRadiusPerCategory(t *testing.T) {
	ts := newTestServer(t, nil)
	lamp20, _ := ts.dupSeed(dupReport{east: 20})
	ts.dupSeed(dupReport{east: 45}) // beyond FEL.LIGHT's 30 m
	road80, _ := ts.dupSeed(dupReport{category: "FEL.ROAD", north: 80})
	ts.dupSeed(dupReport{category: "FEL.ROAD", north: 130}) // beyond FEL.ROAD's 100 m
	tests := []struct {
		query  string
		radius int
		want   []uuid.UUID
	}{
		{"category=FEL.LIGHT", 30, []uuid.UUID{lamp20}},
		{"category=FEL.LIGHT&kind=felanmalan", 30, []uuid.UUID{lamp20}},
		// A pothole is not related to a lamp (both sit only under the top group FEL).
		{"category=FEL.ROAD", 100, []uuid.UUID{road80}},
		{"category=FEL.SIGN", 30, nil},
	}
	for _, tt := range tests {
		w := ts.do(http.MethodGet, nearbyURL(0, 0, tt.query), nil)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", tt.query, w.Code, w.Body)
		}
		got := decode[report.Nearby](t, w)
		var ids []uuid.UUID
		for _, r := range got.Reports {
			ids = append(ids, r.ID)
		}
		if !slices.Equal(ids, tt.want) || got.RadiusM != tt.radius {
			t.Errorf("%s: got %v within %d m, want %v within %d m", tt.query, ids, got.RadiusM, tt.want, tt.radius)
		}
	}
	got := decode[report.Nearby](t, ts.do(http.MethodGet, nearbyURL(0, 0, "category=FEL.LIGHT"), nil))
	r := got.Reports[0]
	if math.Abs(r.DistanceM-20) > 1 || r.Status != report.Received || r.Reference == "" || r.Location == nil {
		t.Errorf("nearby report %+v: want 20 m, received, with reference and point", r)
	}
}

func TestNearbyOnlyOpenPublishedNewestFirst(t *testing.T) {
	ts := newTestServer(t, nil)
	hour := func(h int) time.Time { return ts.now.Add(time.Duration(-h) * time.Hour) }
	old, _ := ts.dupSeed(dupReport{east: 5, received: hour(50), status: report.Triaged})
	mid, _ := ts.dupSeed(dupReport{east: 6, received: hour(20), status: report.InProgress})
	newest, _ := ts.dupSeed(dupReport{east: 7, received: hour(2), status: report.Forwarded})
	for _, closed := range []dupReport{
		{status: report.Resolved}, {status: report.Rejected}, {status: report.Duplicate},
		{visibility: report.Pending}, {visibility: report.Hidden},
	} {
		closed.east, closed.received = 1, hour(1)
		ts.dupSeed(closed)
	}
	got := decode[report.Nearby](t, ts.do(http.MethodGet, nearbyURL(0, 0, "category=FEL.LIGHT"), nil))
	var ids []uuid.UUID
	for _, r := range got.Reports {
		ids = append(ids, r.ID)
	}
	if want := []uuid.UUID{newest, mid, old}; !slices.Equal(ids, want) {
		t.Fatalf("got %v, want newest first %v", ids, want)
	}
}

func TestNearbyNeverShowsOtrygghetPointsOrText(t *testing.T) {
	ts := newTestServer(t, nil)
	secret := "Hemlig beskrivning 4711 vid porten"
	var refs []string
	for i, r := range []dupReport{
		{category: "OTR.PLACE.LIGHT", east: 10},
		{category: "OTR.PLACE.LIGHT", east: 20},
		{category: "OTR.PLACE.VEG", north: 15},  // related: same group OTR.PLACE
		{category: "OTR.SOC.GATHER", north: 5},  // sensitive, only 2: suppressed
		{category: "OTR.SOC.GATHER", north: 6},  //
		{category: "OTR.PLACE.LIGHT", east: 80}, // beyond 50 m
		{category: "OTR.PLACE.LIGHT", east: 11, visibility: report.Hidden},
		{category: "OTR.PLACE.LIGHT", east: 12, observed: ts.now.AddDate(-1, -1, 0)}, // older than a year
	} {
		r.description = fmt.Sprintf("%s %d", secret, i)
		_, ref := ts.dupSeed(r)
		refs = append(refs, ref)
	}
	if _, err := ts.db.Pool.Exec(context.Background(), `UPDATE reports SET confirmations = 2 WHERE category = 'OTR.PLACE.VEG'`); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"category=OTR.PLACE.LIGHT", "category=OTR.SOC.GATHER", "category=OTR.PLACE.VEG&kind=otrygghet", "category=FEL.LIGHT"} {
		w := ts.do(http.MethodGet, nearbyURL(0, 0, q), nil)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", q, w.Code, w.Body)
		}
		body := w.Body.Bytes()
		leaks := []string{"Hemlig", "4711", "location", "lat", "lon", "reference", "distance"}
		for _, r := range refs {
			leaks = append(leaks, r)
		}
		for _, leak := range leaks {
			if bytes.Contains(body, []byte(leak)) {
				t.Errorf("%s: response contains %q: %s", q, leak, body)
			}
		}
		var ids [][]byte
		rows, _ := ts.db.Pool.Query(context.Background(), `SELECT id::text FROM reports`)
		for rows.Next() {
			var id string
			_ = rows.Scan(&id)
			ids = append(ids, []byte(id))
		}
		for _, id := range ids {
			if bytes.Contains(body, id) {
				t.Errorf("%s: response contains report id %s", q, id)
			}
		}
	}
	got := decode[report.Nearby](t, ts.do(http.MethodGet, nearbyURL(0, 0, "category=OTR.PLACE.LIGHT"), nil))
	want := []report.CategoryCount{{Category: "OTR.PLACE.LIGHT", Reports: 2}, {Category: "OTR.PLACE.VEG", Reports: 1, Confirmations: 2}}
	if !slices.Equal(got.Otrygghet, want) || len(got.Reports) != 0 {
		t.Errorf("counts %+v and %d reports, want %+v and none", got.Otrygghet, len(got.Reports), want)
	}
	got = decode[report.Nearby](t, ts.do(http.MethodGet, nearbyURL(0, 0, "category=OTR.SOC.GATHER"), nil))
	if len(got.Otrygghet) != 0 {
		t.Errorf("two reports of a sensitive category shown: %+v", got.Otrygghet)
	}
	ts.dupSeed(dupReport{category: "OTR.SOC.GATHER", north: 7})
	got = decode[report.Nearby](t, ts.do(http.MethodGet, nearbyURL(0, 0, "category=OTR.SOC.GATHER"), nil))
	if want := []report.CategoryCount{{Category: "OTR.SOC.GATHER", Reports: 3}}; !slices.Equal(got.Otrygghet, want) {
		t.Errorf("three reports of a sensitive category: %+v, want %+v", got.Otrygghet, want)
	}
}

func TestNearbyRefusesBadQueries(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, q := range []string{
		"/v1/reports/nearby?lat=59.3&lon=14.1",
		"/v1/reports/nearby?lat=59.3&category=FEL.LIGHT",
		"/v1/reports/nearby?lat=95&lon=14.1&category=FEL.LIGHT",
		"/v1/reports/nearby?lat=59.3&lon=14.1&category=FEL.NOPE",
		"/v1/reports/nearby?lat=59.3&lon=14.1&category=FEL",
		"/v1/reports/nearby?lat=59.3&lon=14.1&category=FEL.LIGHT&kind=otrygghet",
		"/v1/reports/nearby?lat=north&lon=14.1&category=FEL.LIGHT",
	} {
		w := ts.do(http.MethodGet, q, nil)
		if w.Code != http.StatusBadRequest || errorCode(t, w) != "invalid" {
			t.Errorf("%s: %d %s", q, w.Code, w.Body)
		}
	}
}
