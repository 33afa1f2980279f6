package promise

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/trygg/trygg/internal/apperr"
)

// SurveyResult is one value of a trygghetsmätning: for the municipality (Area
// empty) or one of its areas, a year and a question or index.
type SurveyResult struct {
	Area      string  `json:"area,omitempty"`
	Year      int     `json:"year"`
	Indicator string  `json:"indicator"`
	Value     float64 `json:"value"`
	N         *int    `json:"n,omitempty"`
}

// ParseSurveysCSV reads a header line naming year, indicator and value, and
// optionally area (an area name) and n (respondents). Decimal commas are
// accepted, as Swedish spreadsheets write them.
func ParseSurveysCSV(r io.Reader) ([]SurveyResult, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "CSV: %v", err)
	}
	if len(recs) < 2 {
		return nil, apperr.Errorf(apperr.Invalid, "CSV needs a header line and at least one result")
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"year", "indicator", "value"} {
		if _, ok := col[need]; !ok {
			return nil, apperr.Errorf(apperr.Invalid, "CSV header lacks %q", need)
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	out := make([]SurveyResult, 0, len(recs)-1)
	for k, rec := range recs[1:] {
		line := k + 2
		y, err := strconv.Atoi(get(rec, "year"))
		if err != nil || y < 1990 || y > 2100 {
			return nil, apperr.Errorf(apperr.Invalid, "line %d: year must be a year", line)
		}
		v, err := strconv.ParseFloat(strings.Replace(get(rec, "value"), ",", ".", 1), 64)
		if err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "line %d: value must be a number", line)
		}
		s := SurveyResult{Area: get(rec, "area"), Year: y, Indicator: get(rec, "indicator"), Value: v}
		if s.Indicator == "" {
			return nil, apperr.Errorf(apperr.Invalid, "line %d: indicator is empty", line)
		}
		if n := get(rec, "n"); n != "" {
			c, err := strconv.Atoi(n)
			if err != nil || c < 0 {
				return nil, apperr.Errorf(apperr.Invalid, "line %d: n must be a count", line)
			}
			s.N = &c
		}
		out = append(out, s)
	}
	return out, nil
}
