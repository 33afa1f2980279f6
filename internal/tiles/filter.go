package tiles

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/trygg/trygg/internal/apperr"
)

// Filter narrows the reports a layer shows. Empty lists mean "all".
type Filter struct {
	Kinds      []string
	Categories []string // a code matches itself and every code below it: OTR.SOC matches OTR.SOC.GATHER
	Statuses   []string
	From, To   time.Time // observed_at in [From, To); zero means open
}

var (
	kinds       = []string{"otrygghet", "felanmalan"}
	statuses    = []string{"received", "triaged", "in_progress", "resolved", "forwarded", "rejected", "duplicate"}
	categoryRe  = regexp.MustCompile(`^[A-Z]+(\.[A-Z]+)*$`)
	maxListSize = 50
)

// ParseFilter reads kind, category, status, from and to from query parameters.
// Lists are comma separated; from and to are RFC 3339 times or YYYY-MM-DD days
// (a day as "to" includes that whole day).
func ParseFilter(q url.Values) (Filter, error) {
	var f Filter
	var err error
	if f.Kinds, err = commaList(q, "kind", func(s string) bool { return slices.Contains(kinds, s) }); err != nil {
		return f, err
	}
	if f.Categories, err = commaList(q, "category", categoryRe.MatchString); err != nil {
		return f, err
	}
	if f.Statuses, err = commaList(q, "status", func(s string) bool { return slices.Contains(statuses, s) }); err != nil {
		return f, err
	}
	if f.From, err = instant(q.Get("from"), "from", false); err != nil {
		return f, err
	}
	if f.To, err = instant(q.Get("to"), "to", true); err != nil {
		return f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return f, apperr.Field("to", "to must be after from")
	}
	return f, nil
}

// commaList splits, checks, sorts and de-duplicates a comma list, so that equal filters
// give equal cache keys whatever order they were written in.
func commaList(q url.Values, name string, ok func(string) bool) ([]string, error) {
	raw := strings.Join(q[name], ",")
	if raw == "" {
		return nil, nil
	}
	var out []string
	for _, v := range strings.Split(raw, ",") {
		v = strings.TrimSpace(v)
		if !ok(v) {
			return nil, apperr.Field(name, "%q is not a valid %s", v, name)
		}
		out = append(out, v)
	}
	if len(out) > maxListSize {
		return nil, apperr.Field(name, "at most %d values", maxListSize)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func instant(s, name string, endOfDay bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, apperr.Field(name, "%s must be an RFC 3339 time or a YYYY-MM-DD day", name)
	}
	// Days are Swedish calendar days: a report at 23:30 local time on the 5th
	// belongs to the 5th.
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, stockholm)
	if endOfDay {
		d = d.AddDate(0, 0, 1)
	}
	return d.UTC(), nil
}

var stockholm = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return l
	}
	return time.UTC
}()

// Key is the filter in a canonical text form for cache keys.
func (f Filter) Key() string {
	var b strings.Builder
	b.WriteString("k=" + strings.Join(f.Kinds, ","))
	b.WriteString(";c=" + strings.Join(f.Categories, ","))
	b.WriteString(";s=" + strings.Join(f.Statuses, ","))
	if !f.From.IsZero() {
		b.WriteString(";f=" + f.From.Format(time.RFC3339Nano))
	}
	if !f.To.IsZero() {
		b.WriteString(";t=" + f.To.Format(time.RFC3339Nano))
	}
	return b.String()
}
