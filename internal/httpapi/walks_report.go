package httpapi

import (
	"bytes"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/privacy"
	"github.com/trygg/trygg/internal/walk"
)

// protocolBody is the walk protocol: the walk, what it found, what was agreed
// and who answers for it.
type protocolBody struct {
	Walk         walk.Record        `json:"walk"`
	Observations []walk.Observation `json:"observations"`
	Measures     []walk.Measure     `json:"measures"`
	// Responsible lists each owner with the measures they answer for.
	Responsible []ownerMeasures `json:"responsible"`
}

type ownerMeasures struct {
	Owner    string   `json:"owner"`
	Open     int      `json:"open"`
	Measures []string `json:"measures"`
}

func (a *walkAPI) protocol(c *gin.Context) {
	r, _, ok := a.walkOf(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	obs, err := a.s.db.Observations(ctx, r.ID)
	if err != nil {
		fail(c, err)
		return
	}
	ms, err := a.s.db.Measures(ctx, r.ID)
	if err != nil {
		fail(c, err)
		return
	}
	body := protocolBody{Walk: r, Observations: obs, Measures: ms, Responsible: responsible(ms)}
	html := c.Query("format") == "html" || strings.Contains(c.GetHeader("Accept"), "text/html")
	format := "json"
	if html {
		format = "html"
	}
	// The protocol is the document handed to partners: an export.
	if !a.s.audit(c, privacy.ActionExport, []privacy.Entry{{Municipality: r.Municipality,
		Detail: map[string]any{"what": "walk_protocol", "walk": r.ID, "format": format}}}) {
		return
	}
	if html {
		var buf bytes.Buffer
		if err := protocolPage.Execute(&buf, body); err != nil {
			fail(c, err)
			return
		}
		c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
		return
	}
	c.JSON(http.StatusOK, body)
}

func responsible(ms []walk.Measure) []ownerMeasures {
	out := []ownerMeasures{}
	for _, m := range ms {
		i := slices.IndexFunc(out, func(o ownerMeasures) bool { return o.Owner == m.Owner })
		if i < 0 {
			out = append(out, ownerMeasures{Owner: m.Owner, Measures: []string{}})
			i = len(out) - 1
		}
		out[i].Measures = append(out[i].Measures, m.What)
		if m.Open() {
			out[i].Open++
		}
	}
	return out
}

// routeGPX serves the walk's planned route with its stops as GPX 1.1.
func (a *walkAPI) routeGPX(c *gin.Context) {
	r, _, ok := a.walkOf(c)
	if !ok {
		return
	}
	var rt walk.Route
	if r.Route != nil {
		if line, ok := r.Route.Coordinates.(orb.LineString); ok && len(line) >= 2 {
			rt.Line = line
			rt.Start, rt.End = line[0], line[len(line)-1]
		}
	}
	for _, s := range r.Stops {
		p := s.Point.Orb()
		rt.Stops = append(rt.Stops, walk.Stop{Point: p, Candidate: walk.Candidate{
			ID: s.Name, Name: s.Name, Reason: s.Reason, Kind: s.Kind, Point: p,
		}})
	}
	if rt.Line == nil && len(rt.Stops) > 0 {
		rt.Start, rt.End = rt.Stops[0].Point, rt.Stops[len(rt.Stops)-1].Point
	}
	var buf bytes.Buffer
	if err := walk.WriteGPX(&buf, rt, walk.GPXMeta{Name: r.Title, Time: r.StartsAt}); err != nil {
		fail(c, err)
		return
	}
	if !a.s.audit(c, privacy.ActionExport, []privacy.Entry{{Municipality: r.Municipality,
		Detail: map[string]any{"what": "walk_route", "walk": r.ID, "format": "gpx"}}}) {
		return
	}
	c.Header("Content-Disposition", `attachment; filename="walk-`+r.ID.String()+`.gpx"`)
	c.Data(http.StatusOK, "application/gpx+xml", buf.Bytes())
}

// protocolPage is the printable protocol. html/template escapes every value.
var protocolPage = template.Must(template.New("protocol").Funcs(template.FuncMap{
	"date": func(t interface{ Format(string) string }) string { return t.Format("2006-01-02 15:04") },
	"join": strings.Join,
}).Parse(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Protokoll: {{.Walk.Title}}</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #999;padding:.3em;text-align:left;vertical-align:top}@media print{a{color:inherit}}</style></head>
<body>
<h1>Trygghetsvandring: {{.Walk.Title}}</h1>
<p>Kommun {{.Walk.Municipality}} · {{date .Walk.StartsAt}} · status {{.Walk.Status}}<br>
Arrangör: {{.Walk.Organiser}}{{if .Walk.Partners}} · Partner: {{join .Walk.Partners ", "}}{{end}}{{with .Walk.Participants}} · {{.}} deltagare{{end}}
{{with .Walk.RouteLengthM}}<br>Planerad sträcka {{printf "%.0f" .}} m{{end}}</p>
<h2>Stopp</h2>
<table><tr><th>#</th><th>Plats</th><th>Varför</th></tr>
{{range .Walk.Stops}}<tr><td>{{.Seq}}</td><td>{{.Name}}</td><td>{{.Reason}}</td></tr>
{{else}}<tr><td colspan="3">Inga planerade stopp.</td></tr>{{end}}</table>
<h2>Iakttagelser</h2>
<table><tr><th>Tid</th><th>Bedömning</th><th>Kategori</th><th>Faktorer</th><th>Anteckning</th><th>Ärende</th></tr>
{{range .Observations}}<tr><td>{{date .ObservedAt}}</td><td>{{.Rating}}</td><td>{{.Category}}</td><td>{{join .Factors ", "}}</td><td>{{.Note}}</td><td>{{.Reference}}</td></tr>
{{else}}<tr><td colspan="6">Inga iakttagelser.</td></tr>{{end}}</table>
<h2>Åtgärder</h2>
<table><tr><th>Åtgärd</th><th>Tidshorisont</th><th>Ansvarig</th><th>Klart senast</th><th>Status</th><th>Uppföljning</th></tr>
{{range .Measures}}<tr><td>{{.What}}</td><td>{{.Horizon}}</td><td>{{.Owner}}</td><td>{{with .DueDate}}{{.}}{{end}}</td><td>{{.Status}}</td><td>{{.CheckNote}}</td></tr>
{{else}}<tr><td colspan="6">Inga åtgärder.</td></tr>{{end}}</table>
<h2>Ansvariga</h2>
<ul>{{range .Responsible}}<li>{{.Owner}}: {{len .Measures}} åtgärder, {{.Open}} öppna</li>{{end}}</ul>
</body></html>
`))
