package httpapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/delivery"
	"github.com/trygg/trygg/internal/privacy"
	"github.com/trygg/trygg/internal/report"
	"github.com/trygg/trygg/internal/tiles"
)

// auditFixture is what the audit matrix's probes read: reports carrying a
// resident's contact data and free text (one published, one not, with an
// unpublished photo), a walk and a lägesbild snapshot, all in 1781.
type auditFixture struct {
	ts                 *testServer
	tokens             map[auth.Role]string
	published, pending uuid.UUID
	pendingRef         string
	photo              uuid.UUID
	walk, snapshot     uuid.UUID
	tile               tiles.Tile
}

// auditSecrets are pieces of the fixture's contact data and free text: a
// response of a route that is not audited must contain none of them.
var auditSecrets = []string{"dmark", "port 4B", "987 65 43", "0709876543"}

// auditProbe is one request the matrix sends. With action set, the response
// must be 2xx and the request must leave at least one entry of that action in
// the caller's name; without, the response must be 2xx and carry none of
// auditSecrets.
type auditProbe struct {
	name   string
	action privacy.Action
	role   auth.Role // the caller; admin unless set
	req    func(fx *auditFixture) matrixRequest
	// shows, when set, is what the answer must contain, so that a probe of a
	// route that is not audited cannot pass on an empty answer.
	shows func(fx *auditFixture) string
}

func showsPending(fx *auditFixture) string { return fx.pendingRef }
func showsLight(*auditFixture) string      { return "FEL.LIGHT" }

// auditDecision is what a route does about personal data. audited is the
// action its responses are recorded under when they show personal data (""
// when no response of the route ever does), why says what it returns.
type auditDecision struct {
	audited privacy.Action
	why     string
	probes  []auditProbe
}

func get(path string) func(*auditFixture) matrixRequest {
	return func(*auditFixture) matrixRequest { return matrixRequest{method: http.MethodGet, path: path} }
}

const (
	whyPage     = "a web page or its static asset: no data"
	whyService  = "service status or the API contract: no data"
	whyRefData  = "reference data (categories, municipalities, services): no personal data"
	whyOwnWrite = "a resident's write: the answer holds only what the caller sent and its receipt"
	whyPartner  = "partners' and staff's own planning data (areas, promises, commitments, activities, events, surveys): no resident's contact or text"
	whyWalk     = "a walk's plan, stops, observations and measures, written by staff on the walk, not a resident's report; what leaves trygg (protocol, GPX) is audited"
	whyAudited  = "shows a report's contact data or free text to staff: report.read before the response"
	whyCounts   = "counts per cell, category or area only; small counts suppressed on public routes"
)

// personalDataRoutes decides, for every route of the router, whether it can
// return personal data (contact data, a resident's free text, an unpublished
// photo) or hand data out of trygg (an export), and so must record an audit
// entry before answering — or why it cannot. TestAuditMatrix walks the router:
// a route missing here fails it. HEAD routes answer as their GET and share its
// decision.
var personalDataRoutes = map[string]auditDecision{
	"GET /":              {why: whyPage},
	"GET /follow":        {why: whyPage},
	"GET /map":           {why: whyPage},
	"GET /promises":      {why: whyPage},
	"GET /staff":         {why: whyPage},
	"GET /walks":         {why: whyPage},
	"GET /assets/*file":  {why: whyPage},
	"GET /healthz":       {why: whyService},
	"GET /readyz":        {why: whyService},
	"GET /metrics":       {why: whyService},
	"GET /openapi.yaml":  {why: whyService},
	"GET /v1/categories": {why: whyRefData},
	"GET /v1/municipalities/locate": {why: whyRefData, probes: []auditProbe{
		{name: "locate", req: get("/v1/municipalities/locate?lat=59.3096&lon=14.1086")}}},

	// Resident routes.
	"POST /v1/reports":                      {why: whyOwnWrite},
	"POST /v1/reports/:id/confirmations":    {why: whyOwnWrite},
	"POST /v1/reports/:id/photos":           {why: whyOwnWrite},
	"GET /v1/reports/:id":                   {why: "the follow-up view for the holder of the report's token: status, history and public notes, never the description or contact"},
	"GET /v1/reports/nearby":                {why: "published reports near a point for the \"I see this too\" check: category, status, distance, no text", probes: []auditProbe{{name: "nearby", shows: showsLight, req: get("/v1/reports/nearby?lat=59.3096&lon=14.1086&category=FEL.LIGHT")}}},
	"POST /open311/v2/requests.json":        {why: whyOwnWrite},
	"POST /open311/v2/requests.xml":         {why: whyOwnWrite},
	"GET /open311/v2/discovery.json":        {why: whyRefData},
	"GET /open311/v2/discovery.xml":         {why: whyRefData},
	"GET /open311/v2/services.json":         {why: whyRefData},
	"GET /open311/v2/services.xml":          {why: whyRefData},
	"GET /open311/v2/services/:code_format": {why: whyRefData},
	"GET /open311/v2/tokens/:token_format":  {why: "maps an Open311 token to its request id"},
	"GET /open311/v2/requests.json": {why: "published reports as Open311 shows them to anyone: no contact, no description", probes: []auditProbe{
		{name: "json", shows: showsLight, req: get("/open311/v2/requests.json")}}},
	"GET /open311/v2/requests.xml": {why: "as requests.json", probes: []auditProbe{{name: "xml", shows: showsLight, req: get("/open311/v2/requests.xml")}}},
	"GET /open311/v2/requests/:id_format": {why: "one published report as requests.json shows it", probes: []auditProbe{
		{name: "published", shows: showsLight, req: func(fx *auditFixture) matrixRequest {
			var ref string
			_ = fx.ts.db.Pool.QueryRow(context.Background(), `SELECT reference FROM reports WHERE id = $1`, fx.published).Scan(&ref)
			return matrixRequest{method: http.MethodGet, path: "/open311/v2/requests/" + ref + ".json"}
		}}}},

	// Photos: the public gets published ones; staff get unpublished ones too,
	// and that is a read of personal data (faces, number plates, front doors).
	"GET /v1/reports/:id/photos/:photo_id": {audited: privacy.ActionPhotoRead,
		why: "staff reading a photo the public may not see is recorded (photo.read); published photos are public",
		probes: []auditProbe{{name: "unpublished, as caseworker", action: privacy.ActionPhotoRead, role: auth.Caseworker,
			req: func(fx *auditFixture) matrixRequest {
				return matrixRequest{method: http.MethodGet, path: photoURL(fx.pending.String(), fx.photo.String())}
			}}}},

	// Staff report handling: every answer is the report (or the queue) as staff see it.
	"GET /v1/staff/reports": {audited: privacy.ActionReadReport, why: whyAudited, probes: []auditProbe{
		{name: "queue", action: privacy.ActionReadReport, req: get("/v1/staff/reports?municipality=1781")}}},
	"GET /v1/staff/reports/:id": {audited: privacy.ActionReadReport, why: whyAudited, probes: []auditProbe{
		{name: "report", action: privacy.ActionReadReport, req: func(fx *auditFixture) matrixRequest {
			return matrixRequest{method: http.MethodGet, path: "/v1/staff/reports/" + fx.pending.String()}
		}}}},
	"PATCH /v1/staff/reports/:id": {audited: privacy.ActionReadReport,
		why: whyAudited + "; forwarding a felanmälan puts its text in the outbox for an external system: a delivery entry in the forwarding caseworker's name, in the same transaction",
		probes: []auditProbe{
			{name: "change", action: privacy.ActionReadReport, req: func(fx *auditFixture) matrixRequest {
				id := fx.ts.seed(seeded{description: "Ebba Ödmark i port 4B", contact: &report.Contact{Email: "ebba.odmark@example.se"}})
				return matrixRequest{method: http.MethodPatch, path: "/v1/staff/reports/" + id.String(),
					body: map[string]any{"status": "triaged"}, headers: []string{"If-Match", `"1"`}}
			}},
			{name: "forward", action: privacy.ActionDelivery, role: auth.Caseworker, req: func(fx *auditFixture) matrixRequest {
				id := fx.ts.seed(seeded{description: "Lampan i port 4B", status: report.Triaged})
				return matrixRequest{method: http.MethodPatch, path: "/v1/staff/reports/" + id.String(),
					body: map[string]any{"status": "forwarded"}, headers: []string{"If-Match", `"1"`}}
			}},
		}},
	"POST /v1/staff/reports/:id/merge": {audited: privacy.ActionReadReport, why: whyAudited, probes: []auditProbe{
		{name: "merge", action: privacy.ActionReadReport, req: func(fx *auditFixture) matrixRequest {
			keep, dup := fx.ts.seed(seeded{}), fx.ts.seed(seeded{description: "Samma lampa, port 4B"})
			return matrixRequest{method: http.MethodPost, path: "/v1/staff/reports/" + dup.String() + "/merge", body: map[string]any{"into": keep}}
		}}}},
	"POST /v1/staff/reports/:id/unmerge": {audited: privacy.ActionReadReport, why: whyAudited, probes: []auditProbe{
		{name: "unmerge", action: privacy.ActionReadReport, req: func(fx *auditFixture) matrixRequest {
			keep, dup := fx.ts.seed(seeded{}), fx.ts.seed(seeded{description: "Samma lampa, port 4B"})
			if w := fx.ts.do(http.MethodPost, "/v1/staff/reports/"+dup.String()+"/merge", map[string]any{"into": keep}, bearer(fx.tokens[auth.Admin])...); w.Code != 200 {
				fx.ts.t.Fatalf("merge before unmerge: %d %s", w.Code, w.Body)
			}
			return matrixRequest{method: http.MethodPost, path: "/v1/staff/reports/" + dup.String() + "/unmerge"}
		}}}},
	"GET /v1/staff/reports/:id/duplicates": {audited: privacy.ActionReadReport, why: whyAudited + " (the suggested duplicates' text)", probes: []auditProbe{
		{name: "suggestions", action: privacy.ActionReadReport, req: func(fx *auditFixture) matrixRequest {
			of := fx.ts.seed(seeded{})
			return matrixRequest{method: http.MethodGet, path: "/v1/staff/reports/" + of.String() + "/duplicates"}
		}}}},
	"PATCH /v1/staff/reports/:id/photos/:photo_id": {audited: privacy.ActionReadReport, why: "answers with the report as staff see it: " + whyAudited, probes: []auditProbe{
		{name: "moderate", action: privacy.ActionReadReport, req: func(fx *auditFixture) matrixRequest {
			id := fx.ts.seed(seeded{description: "Ebba Ödmark i port 4B"})
			return matrixRequest{method: http.MethodPatch, path: "/v1/staff/reports/" + id.String() + "/photos/" + fx.ts.seedPhoto(id).String(),
				body: map[string]any{"visibility": "hidden"}}
		}}}},
	"GET /v1/staff/reports/:id/deliveries": {why: "a report's deliveries: destination, state, attempts, errors; no report text", probes: []auditProbe{
		{name: "deliveries", req: func(fx *auditFixture) matrixRequest {
			return matrixRequest{method: http.MethodGet, path: "/v1/staff/reports/" + fx.pending.String() + "/deliveries"}
		}}}},

	// Maps, layers and hot spots: staff layers show exact points, reference,
	// category and status, never contact or text; the tests below hold them to it.
	"GET /tiles/:layer": {why: "TileJSON: layer metadata"},
	"GET /tiles/:layer/:z/:x/:y": {why: "vector tiles: the staff layer carries reference, kind, category, status and the exact point, public layers coarsened points and counts; no contact, no text",
		probes: []auditProbe{
			{name: "staff reports tile", shows: showsPending, req: func(fx *auditFixture) matrixRequest {
				return matrixRequest{method: http.MethodGet, path: fmt.Sprintf("/tiles/reports/%d/%d/%d.mvt", fx.tile.Z, fx.tile.X, fx.tile.Y)}
			}},
			{name: "public reports tile", shows: showsLight, req: func(fx *auditFixture) matrixRequest {
				return matrixRequest{method: http.MethodGet, path: fmt.Sprintf("/tiles/reports_public/%d/%d/%d.mvt", fx.tile.Z, fx.tile.X, fx.tile.Y)}
			}},
		}},
	"GET /v1/layers/:layer": {why: "GeoJSON/CSV of the same layers as the tiles, same properties", probes: []auditProbe{
		{name: "staff geojson", shows: showsPending, req: get("/v1/layers/reports.geojson")},
		{name: "staff csv", shows: showsPending, req: get("/v1/layers/reports.csv")},
		{name: "public geojson", shows: showsLight, req: get("/v1/layers/reports_public.geojson")},
	}},
	"GET /ogc":                                 {why: "OGC API landing page: links"},
	"GET /ogc/conformance":                     {why: "OGC API conformance classes"},
	"GET /ogc/collections":                     {why: "OGC API collection metadata"},
	"GET /ogc/collections/:collectionId":       {why: "OGC API collection metadata"},
	"GET /ogc/collections/:collectionId/items": {why: "the layers as OGC API Features, same properties as the tiles", probes: []auditProbe{{name: "staff items", shows: showsPending, req: get("/ogc/collections/reports/items")}}},
	"GET /ogc/collections/:collectionId/items/:featureId": {why: "one feature of a layer", probes: []auditProbe{
		{name: "staff item", shows: showsPending, req: func(fx *auditFixture) matrixRequest {
			return matrixRequest{method: http.MethodGet, path: "/ogc/collections/reports/items/" + fx.pending.String()}
		}}}},
	"GET /v1/hotspots": {why: whyCounts, probes: []auditProbe{
		{name: "gi*", req: get("/v1/hotspots?municipality=1781&from=2026-11-01&to=2026-11-30&cell=250&method=gistar&fdr=true")}}},
	"GET /v1/hotspots/emerging": {why: whyCounts, probes: []auditProbe{
		{name: "emerging", req: get("/v1/hotspots/emerging?municipality=1781&cell=1000&step=month&steps=4&to=2026-11-30")}}},
	"GET /tiles/hotspots.json": {why: "TileJSON of the hot spot layer"},
	"GET /tiles/hotspots/:z/:x/:y": {why: whyCounts, probes: []auditProbe{
		{name: "hotspot tile", req: func(fx *auditFixture) matrixRequest {
			tl := tiles.Containing(12, kristinehamnCentre[0], kristinehamnCentre[1])
			return matrixRequest{method: http.MethodGet, path: fmt.Sprintf("/tiles/hotspots/%d/%d/%d.mvt?municipality=1781&cell=250", tl.Z, tl.X, tl.Y)}
		}}}},

	// Lägesbild: JSON is the staff page's read of aggregates; every other
	// format is a document leaving trygg.
	"GET /v1/lagesbild": {audited: privacy.ActionExport, why: "aggregates; format=csv|geojson|html is an export (export)", probes: []auditProbe{
		{name: "json", shows: showsLight, req: get("/v1/lagesbild?municipality=1781&period=2026-11")},
		{name: "csv export", action: privacy.ActionExport, req: get("/v1/lagesbild?municipality=1781&period=2026-11&format=csv&section=totals")},
		{name: "html export", action: privacy.ActionExport, req: get("/v1/lagesbild?municipality=1781&period=2026-11&format=html")},
	}},
	"POST /v1/lagesbild/snapshots": {why: "freezes the aggregates; answers with the snapshot's id and content"},
	"GET /v1/lagesbild/snapshots":  {why: "lists snapshots: ids, parameters, who froze them"},
	"GET /v1/lagesbild/snapshots/:id": {why: "a frozen lägesbild: aggregates only (JSON, as the staff page reads it)", probes: []auditProbe{
		{name: "snapshot", req: func(fx *auditFixture) matrixRequest {
			return matrixRequest{method: http.MethodGet, path: "/v1/lagesbild/snapshots/" + fx.snapshot.String()}
		}}}},
	"GET /v1/lagesbild/snapshots/:id/content": {why: "the frozen snapshot's JSON byte for byte (to check its hash): aggregates only, as snapshots/{id}", probes: []auditProbe{
		{name: "content", shows: showsLight, req: func(fx *auditFixture) matrixRequest {
			return matrixRequest{method: http.MethodGet, path: "/v1/lagesbild/snapshots/" + fx.snapshot.String() + "/content"}
		}}}},
	"GET /v1/public/areas":          {why: whyCounts},
	"GET /v1/public/promises":       {why: whyPartner},
	"GET /v1/public/lagesbild":      {why: whyCounts, probes: []auditProbe{{name: "public", req: get("/v1/public/lagesbild?municipality=1781&period=2026-11")}}},
	"GET /v1/promises/:id/progress": {why: whyPartner},

	// Areas, promises, imports: partners' data.
	"GET /v1/staff/areas":                                      {why: whyPartner},
	"POST /v1/staff/areas":                                     {why: whyPartner},
	"GET /v1/staff/areas/:id":                                  {why: whyPartner},
	"PATCH /v1/staff/areas/:id":                                {why: whyPartner},
	"DELETE /v1/staff/areas/:id":                               {why: whyPartner},
	"POST /v1/staff/areas/import":                              {why: whyPartner},
	"POST /v1/staff/events":                                    {why: whyPartner},
	"POST /v1/staff/surveys":                                   {why: whyPartner},
	"GET /v1/staff/promises":                                   {why: whyPartner},
	"POST /v1/staff/promises":                                  {why: whyPartner},
	"GET /v1/staff/promises/:id":                               {why: whyPartner},
	"PATCH /v1/staff/promises/:id":                             {why: whyPartner},
	"DELETE /v1/staff/promises/:id":                            {why: whyPartner},
	"POST /v1/staff/promises/:id/commitments":                  {why: whyPartner},
	"PATCH /v1/staff/promises/:id/commitments/:commitment_id":  {why: whyPartner},
	"DELETE /v1/staff/promises/:id/commitments/:commitment_id": {why: whyPartner},
	"GET /v1/staff/promises/:id/activities":                    {why: whyPartner},
	"POST /v1/staff/promises/:id/activities":                   {why: whyPartner},

	// Walks.
	"POST /v1/walks/plan":                         {why: whyWalk + " (a plan lists candidate places by category and count, no report text)"},
	"POST /v1/walks":                              {why: whyWalk},
	"GET /v1/walks":                               {why: whyWalk},
	"GET /v1/walks/:id":                           {why: whyWalk},
	"PATCH /v1/walks/:id":                         {why: whyWalk},
	"POST /v1/walks/:id/observations":             {why: whyWalk},
	"POST /v1/walks/:id/observations/:oid/photos": {why: whyWalk},
	"POST /v1/walks/:id/measures":                 {why: whyWalk},
	"PATCH /v1/walks/:id/measures/:mid":           {why: whyWalk},
	"GET /v1/walks/:id/report": {audited: privacy.ActionExport, why: "the walk protocol handed to partners: an export", probes: []auditProbe{
		{name: "protocol", action: privacy.ActionExport, req: func(fx *auditFixture) matrixRequest {
			return matrixRequest{method: http.MethodGet, path: "/v1/walks/" + fx.walk.String() + "/report?format=html"}
		}}}},
	"GET /v1/walks/:id/route.gpx": {audited: privacy.ActionExport, why: "the walk's route as a GPX file: an export", probes: []auditProbe{
		{name: "gpx", action: privacy.ActionExport, req: func(fx *auditFixture) matrixRequest {
			return matrixRequest{method: http.MethodGet, path: "/v1/walks/" + fx.walk.String() + "/route.gpx"}
		}}}},

	// Privacy administration.
	"GET /v1/admin/audit": {why: "the audit log itself (admin only; entries of data subject requests name the subject): reading it is not logged again, or every look would add to what it shows"},
	"POST /v1/admin/dsr/search": {audited: privacy.ActionDSRSearch, why: "finds a subject's reports", probes: []auditProbe{
		{name: "search", action: privacy.ActionDSRSearch, req: func(fx *auditFixture) matrixRequest { return matrixDSR(fx.ts, "1781", "search") }}}},
	"POST /v1/admin/dsr/export": {audited: privacy.ActionDSRExport, why: "hands over everything about a subject", probes: []auditProbe{
		{name: "export", action: privacy.ActionDSRExport, req: func(fx *auditFixture) matrixRequest { return matrixDSR(fx.ts, "1781", "export") }}}},
	"POST /v1/admin/dsr/erase": {audited: privacy.ActionDSRErase, why: "erases a subject's data; answers with what went", probes: []auditProbe{
		{name: "erase", action: privacy.ActionDSRErase, req: func(fx *auditFixture) matrixRequest { return matrixDSR(fx.ts, "1781", "erase") }}}},
	"GET /v1/admin/reports/:id/extract": {audited: privacy.ActionExtract, why: "a public-record extract (masked; unmask=true is extract.unmasked)", probes: []auditProbe{
		{name: "extract", action: privacy.ActionExtract, req: func(fx *auditFixture) matrixRequest {
			return matrixRequest{method: http.MethodGet, path: "/v1/admin/reports/" + fx.pending.String() + "/extract"}
		}}}},
}

func newAuditFixture(t *testing.T) *auditFixture {
	ts := newTestServer(t, nil)
	fx := &auditFixture{ts: ts, tokens: map[auth.Role]string{}}
	for _, role := range auth.Roles {
		fx.tokens[role] = ts.token(role, "1781")
	}
	contact := &report.Contact{Name: "Ebba Ödmark", Email: "ebba.odmark@example.se", Phone: "070-987 65 43"}
	text := "Ebba Ödmark i port 4B ser dem varje kväll, ring 0709876543"
	fx.published = ts.seed(seeded{description: text, contact: contact, visibility: report.Published})
	fx.pending = ts.seed(seeded{description: text, contact: contact})
	if err := ts.db.Pool.QueryRow(context.Background(), `SELECT reference FROM reports WHERE id = $1`, fx.pending).Scan(&fx.pendingRef); err != nil {
		t.Fatal(err)
	}
	fx.photo = ts.seedPhoto(fx.pending)
	fx.tile = tiles.Containing(14, kristinehamnCentre[0], kristinehamnCentre[1])
	if err := ts.db.SetDestination(context.Background(), delivery.Destination{Municipality: "1781", Kind: "webhook",
		URL: "http://127.0.0.1:9/felanmalan", Secret: "audit-matrix-secret"}); err != nil {
		t.Fatal(err)
	}
	admin := bearer(fx.tokens[auth.Admin])
	w := ts.do(http.MethodPost, "/v1/walks", map[string]any{"municipality": "1781", "title": "Kvällsvandring", "starts_at": "2026-11-25T18:00:00+01:00"}, admin...)
	if w.Code != http.StatusCreated {
		t.Fatalf("walk: %d %s", w.Code, w.Body)
	}
	fx.walk = decode[struct {
		ID uuid.UUID `json:"id"`
	}](t, w).ID
	w = ts.do(http.MethodPost, "/v1/lagesbild/snapshots", map[string]any{"municipality": "1781", "period": "2026-11"}, admin...)
	if w.Code != http.StatusCreated {
		t.Fatalf("snapshot: %d %s", w.Code, w.Body)
	}
	fx.snapshot = decode[struct {
		ID uuid.UUID `json:"id"`
	}](t, w).ID
	return fx
}

// auditEntries counts the entries of action by actor.
func (ts *testServer) auditEntries(action privacy.Action, actor string) int {
	ts.t.Helper()
	var n int
	if err := ts.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1 AND actor = $2`,
		string(action), actor).Scan(&n); err != nil {
		ts.t.Fatal(err)
	}
	return n
}

// responseText is the body as text, unpacked when gzip'd.
func responseText(t *testing.T, h http.Header, body []byte) string {
	if h.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return string(body)
}

// TestAuditMatrix walks every route of the router: each must have a decision
// in personalDataRoutes; a route that records an action must have a probe
// that proves it; probes of routes that are not audited prove their answers
// carry none of the fixture's contact data or text.
func TestAuditMatrix(t *testing.T) {
	t.Parallel()
	fx := newAuditFixture(t)
	ts := fx.ts
	var routes []string
	for _, r := range ts.srv.Engine().Routes() {
		method := r.Method
		if method == http.MethodHead {
			method = http.MethodGet
		}
		key := method + " " + r.Path
		if !slices.Contains(routes, key) {
			routes = append(routes, key)
		}
	}
	slices.Sort(routes)
	if len(routes) < 80 {
		t.Fatalf("only %d routes: the router walk is broken", len(routes))
	}
	for key := range personalDataRoutes {
		if !slices.Contains(routes, key) {
			t.Errorf("personalDataRoutes lists %s, which the router does not have", key)
		}
	}
	for _, key := range routes {
		t.Run(key, func(t *testing.T) {
			d, ok := personalDataRoutes[key]
			if !ok {
				t.Fatalf("route %s has no audit decision: add it to personalDataRoutes (auditmatrix_test.go), saying whether it returns personal data and what it records", key)
			}
			if d.why == "" {
				t.Error("the decision gives no reason")
			}
			if d.audited != "" && !slices.ContainsFunc(d.probes, func(p auditProbe) bool { return p.action == d.audited }) {
				t.Errorf("the route records %s but no probe proves it", d.audited)
			}
			for _, p := range d.probes {
				role := p.role
				if role == "" {
					role = auth.Admin
				}
				actor := string(role) + ":" + string(role)
				r := p.req(fx)
				before := 0
				if p.action != "" {
					before = ts.auditEntries(p.action, actor)
				}
				w := ts.do(r.method, r.path, r.body, append(slices.Clone(r.headers), bearer(fx.tokens[role])...)...)
				if w.Code >= 300 {
					t.Errorf("%s: %s %s = %d %s", p.name, r.method, r.path, w.Code, w.Body)
					continue
				}
				if p.action != "" {
					if after := ts.auditEntries(p.action, actor); after <= before {
						t.Errorf("%s: no %s entry by %s", p.name, p.action, actor)
					}
					continue
				}
				text := responseText(t, w.Header(), w.Body.Bytes())
				if p.shows != nil && !strings.Contains(text, p.shows(fx)) {
					t.Errorf("%s: the answer does not show %q, so it proves nothing: %.300s", p.name, p.shows(fx), text)
				}
				for _, s := range auditSecrets {
					if strings.Contains(text, s) {
						t.Errorf("%s: the answer (not audited) carries the resident's %q: %.300s", p.name, s, text)
					}
				}
			}
		})
	}
}

// TestForwardingIsAudited checks the delivery entry in detail: written with
// the outbox row, by the caseworker whose change forwarded the report, naming
// the destination and the fields sent, and not written when there is no
// destination to send to.
func TestForwardingIsAudited(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Caseworker, "1781", "1782")
	if err := ts.db.SetDestination(context.Background(), delivery.Destination{Municipality: "1781", Kind: "webhook",
		URL: "http://127.0.0.1:9/felanmalan", Secret: "s"}); err != nil {
		t.Fatal(err)
	}
	forward := func(id uuid.UUID) {
		t.Helper()
		w := ts.do(http.MethodPatch, "/v1/staff/reports/"+id.String(), map[string]any{"status": "forwarded"}, append(bearer(tok), "If-Match", `"1"`)...)
		if w.Code != http.StatusOK {
			t.Fatalf("forward: %d %s", w.Code, w.Body)
		}
	}
	id := ts.seed(seeded{description: "Lampan vid port 4B", status: report.Triaged})
	forward(id)
	var entries []privacy.Entry
	for _, e := range ts.auditOf(id) {
		if e.Action == privacy.ActionDelivery {
			entries = append(entries, e)
		}
	}
	var deliveryID string
	_ = ts.db.Pool.QueryRow(context.Background(), `SELECT id::text FROM report_deliveries WHERE report_id = $1`, id).Scan(&deliveryID)
	if len(entries) != 1 {
		t.Fatalf("delivery entries %+v, want one", entries)
	}
	e := entries[0]
	if e.Actor != "caseworker:caseworker" || e.Municipality != "1781" || e.Detail["destination"] != "1781" ||
		e.Detail["url"] != "http://127.0.0.1:9/felanmalan" || e.Detail["delivery"] != deliveryID ||
		fmt.Sprint(e.Detail["fields"]) != "[category location description]" || !e.At.Equal(ts.now) {
		t.Errorf("delivery entry %+v", e)
	}
	// No destination for Filipstad: nothing is sent, nothing recorded.
	other := ts.seed(seeded{at: filipstadCentre, description: "Lampan", status: report.Triaged})
	forward(other)
	for _, e := range ts.auditOf(other) {
		if e.Action == privacy.ActionDelivery {
			t.Errorf("a delivery entry without a destination: %+v", e)
		}
	}
}
