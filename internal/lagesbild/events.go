package lagesbild

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/trygg/trygg/internal/apperr"
)

// Precision is how well an event's point locates it.
type Precision string

const (
	Exact Precision = "exact"
	// AtMunicipality and AtCounty mark points that are only the centroid of the
	// municipality or county named: they count for that municipality and must
	// never enter point-based hotspot analysis.
	AtMunicipality Precision = "municipality"
	AtCounty       Precision = "county"
)

// Event is one incident from another source than residents.
type Event struct {
	Source     string
	ExternalID string
	OccurredAt time.Time
	Type       string
	Name       string
	Summary    string
	URL        string
	PlaceName  string
	Lon, Lat   *float64
	Precision  Precision
}

// policeEvent is the Swedish Police's public events format, as published.
type policeEvent struct {
	ID       json.Number `json:"id"`
	Datetime string      `json:"datetime"`
	Name     string      `json:"name"`
	Summary  string      `json:"summary"`
	URL      string      `json:"url"`
	Type     string      `json:"type"`
	Location struct {
		Name string `json:"name"`
		GPS  string `json:"gps"`
	} `json:"location"`
}

// police datetimes may lack the hour's leading zero: "2023-04-20 9:22:45 +02:00".
const policeLayout = "2006-01-02 15:04:05 -07:00"

var (
	shortHour   = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}) (\d):`)
	nameTime    = regexp.MustCompile(`^(\d{1,2}) ([a-zåäö]+) (\d{1,2}):(\d{2}),`)
	swedishMons = map[string]time.Month{"januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
		"augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12}
)

// ParsePoliceEvents reads a JSON array in the police's events format. The
// "datetime" is when the notice was published; the incident's own time is at the
// start of its name ("20 april 10:27, Stöld, Luleå") and is used when present,
// in the year of publication (or the year before, for a notice about late
// December published in January). A place ending in " län" is a county.
func ParsePoliceEvents(r io.Reader) ([]Event, error) {
	var raw []policeEvent
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "not the police events JSON format (an array of events): %v", err)
	}
	out := make([]Event, 0, len(raw))
	for i, p := range raw {
		where := fmt.Sprintf("event %d (id %s)", i+1, p.ID)
		if p.ID == "" || p.Type == "" {
			return nil, apperr.Errorf(apperr.Invalid, "%s lacks id or type", where)
		}
		published, err := time.Parse(policeLayout, shortHour.ReplaceAllString(p.Datetime, "$1 0$2:"))
		if err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "%s: datetime %q: %v", where, p.Datetime, err)
		}
		e := Event{Source: "polisen", ExternalID: p.ID.String(), OccurredAt: incidentTime(p.Name, published), Type: p.Type,
			Name: p.Name, Summary: p.Summary, URL: p.URL, PlaceName: strings.TrimSpace(p.Location.Name), Precision: AtMunicipality}
		if strings.HasSuffix(e.PlaceName, " län") {
			e.Precision = AtCounty
		}
		if p.Location.GPS != "" {
			lat, lon, err := latLon(p.Location.GPS)
			if err != nil {
				return nil, apperr.Errorf(apperr.Invalid, "%s: gps %q: %v", where, p.Location.GPS, err)
			}
			e.Lat, e.Lon = &lat, &lon
		}
		out = append(out, e)
	}
	return out, nil
}

func incidentTime(name string, published time.Time) time.Time {
	m := nameTime.FindStringSubmatch(name)
	if m == nil {
		return published
	}
	mon, ok := swedishMons[m[2]]
	if !ok {
		return published
	}
	d, _ := strconv.Atoi(m[1])
	h, _ := strconv.Atoi(m[3])
	mi, _ := strconv.Atoi(m[4])
	t := time.Date(published.Year(), mon, d, h, mi, 0, 0, Stockholm)
	if t.After(published.Add(24 * time.Hour)) {
		t = t.AddDate(-1, 0, 0)
	}
	return t
}

func latLon(s string) (lat, lon float64, err error) {
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return 0, 0, fmt.Errorf("want \"lat,lon\"")
	}
	if lat, err = strconv.ParseFloat(strings.TrimSpace(a), 64); err != nil {
		return
	}
	if lon, err = strconv.ParseFloat(strings.TrimSpace(b), 64); err != nil {
		return
	}
	if lat < 54 || lat > 70 || lon < 10 || lon > 25 {
		return 0, 0, fmt.Errorf("%g,%g is not in Sweden", lat, lon)
	}
	return lat, lon, nil
}

// ParseEventsCSV reads partner data: a header line naming at least id,
// occurred_at (RFC 3339), type; optionally name, summary, url, place, lat, lon,
// precision (exact when a point is given and no precision is named).
func ParseEventsCSV(r io.Reader, source string) ([]Event, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "CSV: %v", err)
	}
	if len(recs) < 2 {
		return nil, apperr.Errorf(apperr.Invalid, "CSV needs a header line and at least one event")
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"id", "occurred_at", "type"} {
		if _, ok := col[need]; !ok {
			return nil, apperr.Errorf(apperr.Invalid, "CSV header lacks %q (have %v)", need, recs[0])
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	out := make([]Event, 0, len(recs)-1)
	for n, rec := range recs[1:] {
		line := n + 2
		at, err := time.Parse(time.RFC3339, get(rec, "occurred_at"))
		if err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "line %d: occurred_at must be RFC 3339 (2026-11-20T18:00:00+01:00)", line)
		}
		e := Event{Source: source, ExternalID: get(rec, "id"), OccurredAt: at, Type: get(rec, "type"), Name: get(rec, "name"),
			Summary: get(rec, "summary"), URL: get(rec, "url"), PlaceName: get(rec, "place"), Precision: Precision(get(rec, "precision"))}
		if e.ExternalID == "" || e.Type == "" {
			return nil, apperr.Errorf(apperr.Invalid, "line %d: id and type are required", line)
		}
		if la, lo := get(rec, "lat"), get(rec, "lon"); la != "" || lo != "" {
			lat, lon, err := latLon(la + "," + lo)
			if err != nil {
				return nil, apperr.Errorf(apperr.Invalid, "line %d: %v", line, err)
			}
			e.Lat, e.Lon = &lat, &lon
			if e.Precision == "" {
				e.Precision = Exact
			}
		}
		switch e.Precision {
		case Exact, AtMunicipality, AtCounty:
		case "":
			return nil, apperr.Errorf(apperr.Invalid, "line %d: an event without lat/lon needs precision municipality or county and a place", line)
		default:
			return nil, apperr.Errorf(apperr.Invalid, "line %d: precision must be exact, municipality or county", line)
		}
		if e.Precision == Exact && e.Lat == nil {
			return nil, apperr.Errorf(apperr.Invalid, "line %d: precision exact needs lat and lon", line)
		}
		out = append(out, e)
	}
	return out, nil
}
