package httpapi

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/open311"
)

// personal values posted in TestOpen311GetRequests: none may appear in any
// public answer.
var o311Personal = []string{"Sixten", "Ödmjuk", "sixten.odmjuk@example.se", "0709876543",
	"Lyktan vid Ödmjukgränd blinkar", "konto-sixten", "mobil-sixten"}

func TestOpen311GetRequests(t *testing.T) {
	t.Parallel()
	ts := newOpen311Server(t, nil)
	key := ts.o311Key("app")
	post := func(code string, pairs ...string) string {
		v := o311Form("api_key", key, "service_code", code, "lat", o311KhamnLat, "long", o311KhamnLong,
			"first_name", "Sixten", "last_name", "Ödmjuk", "email", "sixten.odmjuk@example.se", "phone", "0709876543",
			"description", "Lyktan vid Ödmjukgränd blinkar", "account_id", "konto-sixten", "device_id", "mobil-sixten")
		for i := 0; i+1 < len(pairs); i += 2 {
			v.Set(pairs[i], pairs[i+1])
		}
		return o311Created(t, "json", ts.o311Post("json", v)).ServiceRequestID
	}
	lamp := post("FEL.LIGHT")
	gather := post("OTR.SOC.GATHER", "attribute[feeling]", "2")
	drugs := post("OTR.SOC.DRUGS")
	pending := post("FEL.ROAD")

	get := func(f, query string) *httptest.ResponseRecorder {
		ts.now = time.Now() // the default window ends at the server's now, after the POSTs
		return ts.do(http.MethodGet, "/open311/v2/requests."+f+query, nil)
	}
	if list := o311Requests(t, "json", get("json", "")); len(list) != 0 {
		t.Fatalf("unpublished reports are public: %+v", list)
	}
	ts.o311Publish(lamp, gather, drugs)
	ts.o311Exec(`UPDATE reports SET status = 'resolved' WHERE reference = $1`, lamp)
	ts.o311Exec(`INSERT INTO report_events (report_id, actor, actor_kind, type, note, public)
		SELECT id, 'staff', 'staff', 'note', 'Lampan är bytt', true FROM reports WHERE reference = $1`, lamp)
	ts.o311Exec(`INSERT INTO report_events (report_id, actor, actor_kind, type, note, public)
		SELECT id, 'staff', 'staff', 'note', 'intern anteckning', false FROM reports WHERE reference = $1`, lamp)

	for _, f := range o311Formats {
		w := get(f, "")
		o311SameShape(t, w, f, "requests")
		o311NoPersonal(t, w.Body.String())
		byID := map[string]open311.ServiceRequest{}
		for _, r := range o311Requests(t, f, w) {
			byID[r.ServiceRequestID] = r
			if r.Description != "" {
				t.Errorf("%s: description %q is public", r.ServiceRequestID, r.Description)
			}
			if _, err := open311.ParseDatetime(o311Text(r.RequestedDatetime)); err != nil {
				t.Errorf("requested_datetime: %v", err)
			}
		}
		if len(byID) != 3 || byID[pending].ServiceRequestID != "" {
			t.Fatalf("requests.%s: %v, want the 3 published", f, byID)
		}
		l := byID[lamp]
		if l.Status != "closed" || l.StatusNotes != "Lampan är bytt" || l.ServiceCode != "FEL.LIGHT" ||
			l.ServiceName != "Gatubelysning" || l.AgencyResponsible != "Kristinehamn" {
			t.Errorf("lamp %+v", l)
		}
		if l.Lat == nil || *l.Lat != 59.3096 || *l.Long != 14.1086 {
			t.Errorf("a normal category keeps its exact point: %v %v", l.Lat, l.Long)
		}
		if g := byID[gather]; g.Status != "open" || g.Lat == nil {
			t.Errorf("gather %+v", g)
		} else {
			ts.o311CheckCellCentre(*g.Lat, *g.Long)
		}
		if d := byID[drugs]; d.Lat != nil || d.Long != nil {
			t.Errorf("a restricted category has a point: %v %v", *d.Lat, *d.Long)
		}
		if f == "xml" && strings.Count(w.Body.String(), "<lat>") != 2 {
			t.Errorf("XML should carry lat for the 2 unrestricted requests: %s", w.Body)
		}

		counts := []struct {
			query string
			want  int
		}{
			{"?status=closed", 1}, {"?status=open", 2}, {"?status=open,closed", 3},
			{"?service_code=FEL.LIGHT", 1}, {"?service_code=FEL.LIGHT,OTR.SOC.GATHER", 2},
			{"?service_request_id=" + strings.ToLower(lamp) + "," + gather + "," + pending, 2},
			{"?service_request_id=" + lamp + "&status=open", 1}, // ids override other filters
			{"?jurisdiction_id=1781", 3}, {"?jurisdiction_id=1782", 0},
		}
		for _, c := range counts {
			if got := len(o311Requests(t, f, get(f, c.query))); got != c.want {
				t.Errorf("requests.%s%s: %d, want %d", f, c.query, got, c.want)
			}
		}

		for _, id := range []string{lamp, strings.ToLower(gather)} {
			w := ts.do(http.MethodGet, "/open311/v2/requests/"+id+"."+f, nil)
			if list := o311Requests(t, f, w); len(list) != 1 || list[0].ServiceRequestID != strings.ToUpper(id) {
				t.Errorf("requests/%s.%s: %+v", id, f, list)
			}
			o311NoPersonal(t, w.Body.String())
		}
		o311SameShape(t, ts.do(http.MethodGet, "/open311/v2/requests/"+lamp+"."+f, nil), f, "requests")
		for _, id := range []string{pending, "NOPE-NOPE"} {
			w := ts.do(http.MethodGet, "/open311/v2/requests/"+id+"."+f, nil)
			if w.Code != 404 {
				t.Errorf("requests/%s.%s: %d, want 404", id, f, w.Code)
			}
			open311Error(t, f, w)
		}
	}
	if w := ts.do(http.MethodGet, "/open311/v2/requests/"+lamp, nil); w.Code != 404 {
		t.Errorf("request without a format: %d", w.Code)
	}

	// Dates: move the lamp back to June; the default 90-day window loses it.
	ts.o311Exec(`UPDATE reports SET received_at = '2026-06-01T12:00:00Z' WHERE reference = $1`, lamp)
	dated := []struct {
		query  string
		status int
		want   int
	}{
		{"", 200, 2},
		{"?start_date=2026-05-31T00:00:00Z&end_date=2026-06-02T00:00:00%2B02:00", 200, 1},
		{"?start_date=2026-05-31T00:00:00Z", 200, 1},
		{"?end_date=2026-06-01T11:59:59Z", 200, 0},
		{"?start_date=2026-06-01T14:00:00+02:00&end_date=2026-06-01T14:00:00+02:00", 200, 1}, // unescaped +
		{"?start_date=2026-06-01", 400, 0},
		{"?start_date=yesterday", 400, 0},
		{"?end_date=2026-06-01T12:00:00", 400, 0},
		{"?start_date=2026-06-02T00:00:00Z&end_date=2026-06-01T00:00:00Z", 400, 0},
		{"?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", 400, 0},
		{"?status=pending", 400, 0},
		{"?jurisdiction_id=9999", 404, 0},
	}
	for _, f := range o311Formats {
		for _, d := range dated {
			w := get(f, d.query)
			if w.Code != d.status {
				t.Errorf("requests.%s%s: %d, want %d: %s", f, d.query, w.Code, d.status, w.Body)
				continue
			}
			if d.status != 200 {
				open311Error(t, f, w)
			} else if got := len(o311Requests(t, f, w)); got != d.want {
				t.Errorf("requests.%s%s: %d requests, want %d", f, d.query, got, d.want)
			}
		}
	}
}

func o311Text(d open311.Datetime) string {
	b, _ := d.MarshalText()
	return string(b)
}

func o311NoPersonal(t *testing.T, body string) {
	t.Helper()
	for _, p := range o311Personal {
		if strings.Contains(body, p) {
			t.Errorf("public answer contains personal value %q", p)
		}
	}
}

// o311CheckCellCentre checks a public point of a sensitive category: in SWEREF
// 99 TM it must sit on the centre of a 100 m cell (x and y ≡ 50 mod 100), and
// that cell must hold the report's true point.
func (ts *testServer) o311CheckCellCentre(lat, long float64) {
	ts.t.Helper()
	var x, y, tx, ty float64
	err := ts.db.Pool.QueryRow(context.Background(), `
SELECT ST_X(p), ST_Y(p), ST_X(r.geom_sweref), ST_Y(r.geom_sweref)
FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 3006) p, reports r
WHERE r.category = 'OTR.SOC.GATHER'`, long, lat).Scan(&x, &y, &tx, &ty)
	if err != nil {
		ts.t.Fatal(err)
	}
	for _, v := range [][2]float64{{x, tx}, {y, ty}} {
		if off := math.Mod(v[0], 100); math.Abs(off-50) > 0.01 {
			ts.t.Errorf("coarsened coordinate %.3f is not a cell centre", v[0])
		}
		if math.Abs(v[0]-v[1]) > 50.01 {
			ts.t.Errorf("coarsened coordinate %.3f is not in the cell of %.3f", v[0], v[1])
		}
	}
	if math.Abs(x-tx) < 0.01 && math.Abs(y-ty) < 0.01 {
		ts.t.Error("the exact point of a sensitive category is public")
	}
}

func TestOpen311Paging(t *testing.T) {
	t.Parallel()
	ts := newOpen311Server(t, nil)
	ts.o311Exec(`
INSERT INTO reports (id, reference, kind, category, geom, observed_at, received_at, status, visibility, source, follow_up_hash)
SELECT gen_random_uuid(), 'P' || lpad(i::text, 4, '0') || '-TEST', 'felanmalan', 'FEL.ROAD',
       ST_SetSRID(ST_MakePoint(14.1086, 59.3096), 4326), now(), now() - i * interval '1 minute',
       'received', 'published', 'import', '\x00'
FROM generate_series(1, 1005) i`)
	for _, f := range o311Formats {
		list := o311Requests(t, f, ts.do(http.MethodGet, "/open311/v2/requests."+f, nil))
		if len(list) != open311.MaxRequests {
			t.Fatalf("requests.%s: %d, want at most %d", f, len(list), open311.MaxRequests)
		}
		if list[0].ServiceRequestID != "P0001-TEST" || list[999].ServiceRequestID != "P1000-TEST" {
			t.Errorf("not newest first: %s … %s", list[0].ServiceRequestID, list[999].ServiceRequestID)
		}
	}
	ids := make([]string, 201)
	for i := range ids {
		ids[i] = "X"
	}
	w := ts.do(http.MethodGet, "/open311/v2/requests.json?service_request_id="+url.QueryEscape(strings.Join(ids, ",")), nil)
	if w.Code != 400 {
		t.Errorf("201 ids: %d", w.Code)
	}
}
