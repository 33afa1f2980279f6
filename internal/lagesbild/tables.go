package lagesbild

import (
	"archive/zip"
	"encoding/csv"
	"io"
	"strconv"
)

// Table is one section of the lägesbild as rows of text, for CSV and print.
type Table struct {
	Name   string
	Header []string
	Rows   [][]string
}

// Sections lists the table names in order.
var Sections = []string{"totals", "categories", "areas", "felanmalan", "events", "walks", "hotspots", "promises"}

func itoa(n int) string { return strconv.Itoa(n) }

func ftoa(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', 1, 64)
}

func countCells(r Row) []string {
	count := itoa(r.Count)
	if r.Suppressed {
		count = "<" + itoa(MinPublicCount)
	}
	out := []string{count}
	for _, c := range []*Change{r.Previous, r.LastYear} {
		if c == nil {
			out = append(out, "", "", "")
			continue
		}
		out = append(out, itoa(c.Before), itoa(c.Diff), ftoa(c.Percent))
	}
	return out
}

var countHeader = []string{"count", "previous_count", "previous_diff", "previous_change_pct", "last_year_count", "last_year_diff", "last_year_change_pct"}

// Tables returns every section as a table.
func (l Lagesbild) Tables() []Table {
	rows := func(name string, keyCols []string, rs []Row, key func(Row) []string) Table {
		t := Table{Name: name, Header: append(append([]string{}, keyCols...), countHeader...)}
		for _, r := range rs {
			t.Rows = append(t.Rows, append(key(r), countCells(r)...))
		}
		return t
	}
	f := l.Felanmalan
	ts := []Table{
		rows("totals", []string{"kind"}, l.Totals, func(r Row) []string { return []string{r.Key} }),
		rows("categories", []string{"code", "parent", "kind", "group", "name"}, l.Categories, func(r Row) []string {
			return []string{r.Key, r.Parent, r.Kind, strconv.FormatBool(r.Group), r.Name}
		}),
		rows("areas", []string{"id", "name", "kind", "priority"}, l.Areas, func(r Row) []string {
			return []string{r.Key, r.Name, r.Kind, strconv.FormatBool(r.Priority)}
		}),
		{Name: "felanmalan", Header: []string{"opened", "resolved", "open_at_end", "median_open_age_days", "median_days_to_resolve"},
			Rows: [][]string{{itoa(f.Opened), itoa(f.Resolved), itoa(f.OpenAtEnd), ftoa(f.MedianOpenAgeDays), ftoa(f.MedianDaysToResolve)}}},
		{Name: "events", Header: []string{"source", "type", "precision", "count"}},
		{Name: "walks", Header: []string{"available", "held", "planned", "measures_agreed", "measures_completed", "measures_overdue"},
			Rows: [][]string{{strconv.FormatBool(l.Walks.Available), itoa(l.Walks.Held), itoa(l.Walks.Planned), itoa(l.Walks.MeasuresAgreed), itoa(l.Walks.MeasuresDone), itoa(l.Walks.MeasuresOverdue)}}},
		{Name: "hotspots", Header: []string{"method", "lon", "lat", "count", "z", "p", "p_adjusted", "bin"}},
		{Name: "promises", Header: []string{"promise", "commitment", "responsible", "indicator", "kind", "status", "value", "target", "how"}},
	}
	for _, p := range l.PromiseLines {
		value := ""
		if p.Value != nil {
			value = strconv.FormatFloat(*p.Value, 'f', -1, 64)
		}
		ts[7].Rows = append(ts[7].Rows, []string{p.Promise, p.Commitment, p.Responsible, p.Indicator, p.Kind, p.Status, value, p.Target, p.How})
	}
	for _, e := range l.Events {
		ts[4].Rows = append(ts[4].Rows, []string{e.Source, e.Type, e.Precision, itoa(e.Count)})
	}
	if h := l.Hotspots; h != nil {
		num := func(f *float64, prec int) string {
			if f == nil {
				return ""
			}
			return strconv.FormatFloat(*f, 'g', prec, 64)
		}
		for _, c := range h.Cells {
			bin := ""
			if h.Method == HotspotsGiStar {
				bin = itoa(c.Bin)
			}
			ts[6].Rows = append(ts[6].Rows, []string{h.Method, strconv.FormatFloat(c.Lon, 'f', 5, 64), strconv.FormatFloat(c.Lat, 'f', 5, 64), itoa(c.Count),
				num(c.Z, 4), num(c.P, 3), num(c.PAdjusted, 3), bin})
		}
	}
	return ts
}

// WriteCSV writes one table as CSV with a header line.
func WriteCSV(w io.Writer, t Table) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return err
	}
	return cw.Error()
}

// WriteZip writes every table as NAME.csv into one zip archive.
func WriteZip(w io.Writer, ts []Table) error {
	zw := zip.NewWriter(w)
	for _, t := range ts {
		f, err := zw.Create(t.Name + ".csv")
		if err != nil {
			return err
		}
		if err := WriteCSV(f, t); err != nil {
			return err
		}
	}
	return zw.Close()
}
