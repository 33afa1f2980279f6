package lagesbild

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
)

// MapArea is an area's outline for the printed map: rings of lon/lat pairs.
type MapArea struct {
	Name     string
	Count    int
	Priority bool
	Rings    [][][2]float64
}

// svgPath is one area drawn on the printed map.
type svgPath struct {
	Name     string
	Count    int
	Priority bool
	D        string
	Fill     string
	LabelX   float64
	LabelY   float64
}

const mapW, mapH = 640.0, 420.0

// drawMap projects areas to an SVG box: longitudes shrunk by cos(latitude), which
// is close enough for one municipality and keeps the code free of projections.
func drawMap(areas []MapArea) []svgPath {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, a := range areas {
		for _, r := range a.Rings {
			for _, p := range r {
				minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
				minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
			}
		}
	}
	if math.IsInf(minX, 1) {
		return nil
	}
	k := math.Cos((minY + maxY) / 2 * math.Pi / 180)
	w, h := math.Max((maxX-minX)*k, 1e-9), math.Max(maxY-minY, 1e-9)
	scale := math.Min((mapW-20)/w, (mapH-20)/h)
	maxCount := 1
	for _, a := range areas {
		maxCount = max(maxCount, a.Count)
	}
	out := make([]svgPath, 0, len(areas))
	for _, a := range areas {
		var d strings.Builder
		var sx, sy float64
		n := 0
		for _, r := range a.Rings {
			for i, p := range r {
				x := 10 + (p[0]-minX)*k*scale
				y := mapH - 10 - (p[1]-minY)*scale
				if i == 0 {
					fmt.Fprintf(&d, "M%.1f %.1f", x, y)
				} else {
					fmt.Fprintf(&d, "L%.1f %.1f", x, y)
				}
				sx, sy, n = sx+x, sy+y, n+1
			}
			d.WriteString("Z")
		}
		// Darker blue for more reports; white for none.
		shade := 255 - int(200*float64(a.Count)/float64(maxCount))
		out = append(out, svgPath{Name: a.Name, Count: a.Count, Priority: a.Priority, D: d.String(),
			Fill: fmt.Sprintf("rgb(%d,%d,255)", shade, shade), LabelX: sx / float64(max(n, 1)), LabelY: sy / float64(max(n, 1))})
	}
	return out
}

var page = template.Must(template.New("lagesbild").Funcs(template.FuncMap{
	"pct": func(c *Change) string {
		if c == nil {
			return ""
		}
		if c.Percent == nil {
			return fmt.Sprintf("%+d", c.Diff)
		}
		return fmt.Sprintf("%+d (%+.1f %%)", c.Diff, *c.Percent)
	},
	"before": func(c *Change) string {
		if c == nil {
			return ""
		}
		return fmt.Sprint(c.Before)
	},
	"num": func(f *float64) string {
		if f == nil {
			return "–"
		}
		return fmt.Sprintf("%.1f", *f)
	},
	"deref": func(f *float64) float64 { return *f },
	"value": func(f *float64) string {
		if f == nil {
			return "–"
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	},
	"status": func(s string) string {
		switch s {
		case "fulfilled":
			return "Uppfyllt"
		case "partly":
			return "Delvis"
		case "not_fulfilled":
			return "Ej uppfyllt"
		case "not_yet_measurable":
			return "Kan inte mätas än"
		}
		return s
	},
	"conf": func(bin int) string {
		switch bin {
		case 3:
			return "99 %"
		case 2:
			return "95 %"
		case 1:
			return "90 %"
		}
		return ""
	},
	"count": func(r Row) string {
		if r.Suppressed {
			return fmt.Sprintf("<%d", MinPublicCount)
		}
		return fmt.Sprint(r.Count)
	},
}).Parse(pageHTML))

// WriteHTML renders the printable lägesbild: tables, the period comparison and a
// small SVG map of the areas, styled for A4 so a browser can save it as PDF.
func WriteHTML(w io.Writer, l Lagesbild, areas []MapArea) error {
	return page.Execute(w, struct {
		L    Lagesbild
		Map  []svgPath
		W, H float64
	}{l, drawMap(areas), mapW, mapH})
}

const pageHTML = `<!doctype html>
<html lang="sv"><head><meta charset="utf-8">
<title>Lägesbild {{.L.Name}} {{.L.Period.Label}}</title>
<style>
@page { size: A4; margin: 15mm }
body { font: 11pt/1.35 system-ui, sans-serif; color: #111; max-width: 190mm; margin: auto }
h1 { font-size: 18pt; margin-bottom: 0 } h2 { font-size: 13pt; margin-top: 1.4em; break-after: avoid }
table { border-collapse: collapse; width: 100%; break-inside: auto } tr { break-inside: avoid }
th, td { border-bottom: 1px solid #ccc; padding: 2px 6px; text-align: left } td.n, th.n { text-align: right }
.group td { font-weight: 600 } .muted { color: #555 } svg path { stroke: #333; stroke-width: .6 }
</style></head><body>
<h1>Lägesbild {{.L.Name}}{{if .L.Area}} – {{.L.Area.Name}}{{end}}</h1>
<p class="muted">Period {{.L.Period.Label}} ({{.L.Period.From.Format "2006-01-02"}} – {{.L.Period.To.AddDate 0 0 -1 | printf "%.10s"}}),
jämfört med {{.L.PreviousLabel}} och {{.L.LastYearLabel}}. Skapad {{.L.GeneratedAt.Format "2006-01-02 15:04"}} UTC.{{if .L.Public}} Offentlig version: antal under {{3}} visas inte.{{end}}</p>

<h2>Anmälningar per typ</h2>
<table><tr><th>Typ</th><th class="n">Antal</th><th class="n">{{.L.PreviousLabel}}</th><th class="n">Förändring</th><th class="n">{{.L.LastYearLabel}}</th><th class="n">Förändring</th></tr>
{{range .L.Totals}}<tr><td>{{.Name}}</td><td class="n">{{count .}}</td><td class="n">{{before .Previous}}</td><td class="n">{{pct .Previous}}</td><td class="n">{{before .LastYear}}</td><td class="n">{{pct .LastYear}}</td></tr>
{{end}}</table>

<h2>Kategorier</h2>
<table><tr><th>Kod</th><th>Kategori</th><th class="n">Antal</th><th class="n">Mot föregående</th><th class="n">Mot förra året</th></tr>
{{range .L.Categories}}<tr{{if .Group}} class="group"{{end}}><td>{{.Key}}</td><td>{{.Name}}</td><td class="n">{{count .}}</td><td class="n">{{pct .Previous}}</td><td class="n">{{pct .LastYear}}</td></tr>
{{end}}</table>

<h2>Områden</h2>
{{if .Map}}<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.W}} {{.H}}" width="100%" role="img" aria-label="Karta över områdena">
{{range .Map}}<path d="{{.D}}" fill="{{.Fill}}"{{if .Priority}} stroke-width="2"{{end}}><title>{{.Name}}: {{.Count}}</title></path>
{{end}}</svg>{{end}}
<table><tr><th>Område</th><th>Typ</th><th class="n">Antal</th><th class="n">Mot föregående</th><th class="n">Mot förra året</th></tr>
{{range .L.Areas}}<tr><td>{{.Name}}{{if .Priority}} (prioriterat){{end}}</td><td>{{.Kind}}</td><td class="n">{{count .}}</td><td class="n">{{pct .Previous}}</td><td class="n">{{pct .LastYear}}</td></tr>
{{else}}<tr><td colspan="5" class="muted">Inga områden inlagda.</td></tr>{{end}}</table>

{{with .L.Hotspots}}<h2>Brännpunkter</h2>
{{if eq .Method "gistar"}}<p class="muted">Getis-Ord Gi* på rutor om {{.CellM}} m, FDR-korrigerat: {{.SignificantHotCells}} signifikanta heta rutor av {{.StudyCells}} ({{.Reports}} rapporter).</p>{{else}}<p class="muted">{{.Note}}</p>{{end}}
<table><tr><th class="n">Lon</th><th class="n">Lat</th><th class="n">Antal</th>{{if eq .Method "gistar"}}<th class="n">z</th><th class="n">Konfidens</th>{{end}}</tr>
{{range .Cells}}<tr><td class="n">{{printf "%.5f" .Lon}}</td><td class="n">{{printf "%.5f" .Lat}}</td><td class="n">{{.Count}}</td>{{if .Z}}<td class="n">{{printf "%.2f" (deref .Z)}}</td><td class="n">{{conf .Bin}}</td>{{end}}</tr>
{{else}}<tr><td colspan="5" class="muted">Inga signifikanta brännpunkter.</td></tr>{{end}}</table>{{end}}

<h2>Felanmälningar</h2>
<table><tr><th class="n">Inkomna</th><th class="n">Åtgärdade</th><th class="n">Öppna vid periodens slut</th><th class="n">Medianålder öppna (dagar)</th><th class="n">Median tid till åtgärd (dagar)</th></tr>
<tr><td class="n">{{.L.Felanmalan.Opened}}</td><td class="n">{{.L.Felanmalan.Resolved}}</td><td class="n">{{.L.Felanmalan.OpenAtEnd}}</td><td class="n">{{num .L.Felanmalan.MedianOpenAgeDays}}</td><td class="n">{{num .L.Felanmalan.MedianDaysToResolve}}</td></tr></table>

<h2>Trygghetsvandringar och åtgärder</h2>
{{if .L.Walks.Available}}<p>{{.L.Walks.Held}} vandringar genomförda, {{.L.Walks.Planned}} planerade; {{.L.Walks.MeasuresAgreed}} åtgärder beslutade, {{.L.Walks.MeasuresDone}} klara, {{.L.Walks.MeasuresOverdue}} försenade.</p>{{else}}<p class="muted">Inga vandringsdata.</p>{{end}}

{{if .L.PromiseLines}}<h2>Medborgarlöften</h2>
<table><tr><th>Löfte</th><th>Åtagande</th><th>Ansvarig</th><th>Indikator</th><th class="n">Värde</th><th>Mål</th><th>Status</th></tr>
{{range .L.PromiseLines}}<tr><td>{{.Promise}}</td><td>{{.Commitment}}</td><td>{{.Responsible}}</td><td>{{.Indicator}}</td><td class="n">{{value .Value}}</td><td>{{.Target}}</td><td>{{status .Status}}</td></tr>
{{end}}</table>{{end}}

{{if .L.Events}}<h2>Händelser från andra källor</h2>
<table><tr><th>Källa</th><th>Typ</th><th>Precision</th><th class="n">Antal</th></tr>
{{range .L.Events}}<tr><td>{{.Source}}</td><td>{{.Type}}</td><td>{{.Precision}}</td><td class="n">{{.Count}}</td></tr>
{{end}}</table>{{end}}
</body></html>
`
