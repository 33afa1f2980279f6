package open311

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/category"
	"github.com/trygg/trygg/internal/report"
)

// CheckAttributes validates submitted attributes against a service definition:
// every code must be defined, required ones present, list values among the
// definition's keys, a singlevaluelist given at most once.
func CheckAttributes(def ServiceDefinition, attrs map[string][]string) error {
	known := map[string]Attribute{}
	for _, a := range def.Attributes {
		known[a.Code] = a
	}
	for code := range attrs {
		if _, ok := known[code]; !ok {
			return apperr.Field("attribute["+code+"]", "service %s has no attribute %q; GET services/%s.json lists them", def.ServiceCode, code, def.ServiceCode)
		}
	}
	for _, a := range def.Attributes {
		vals := nonEmpty(attrs[a.Code])
		name := "attribute[" + a.Code + "]"
		if len(vals) == 0 {
			if a.Required {
				return apperr.Field(name, "%s is required for service %s", name, def.ServiceCode)
			}
			continue
		}
		if a.Datatype != MultiValueList && len(vals) > 1 {
			return apperr.Field(name, "%s takes one value, not %d", name, len(vals))
		}
		for _, v := range vals {
			if err := checkValue(a, name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func nonEmpty(vals []string) []string {
	var out []string
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}

func checkValue(a Attribute, name, v string) error {
	switch a.Datatype {
	case SingleValueList, MultiValueList:
		keys := make([]string, len(a.Values))
		for i, val := range a.Values {
			if val.Key == v {
				return nil
			}
			keys[i] = val.Key
		}
		return apperr.Field(name, "%s must be one of %s, not %q", name, strings.Join(keys, ", "), v)
	case Number:
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return apperr.Field(name, "%s must be a number", name)
		}
	case DatetimeType:
		if _, err := ParseDatetime(v); err != nil {
			return apperr.Field(name, "%s must be a W3C date-time such as 2026-11-20T21:30:00+01:00", name)
		}
	}
	return nil
}

// ToReport turns a submission for category c into the native submission the
// reporting core validates and stores, so Open311 reports follow exactly the
// rules and workflow of reports from trygg's own app.
func (s Submission) ToReport(c category.Category) (report.New, error) {
	if err := CheckAttributes(Definition(c, "en"), s.Attributes); err != nil {
		return report.New{}, err
	}
	if s.Lat == nil || s.Long == nil {
		if s.AddressString != "" || s.AddressID != "" {
			return report.New{}, apperr.Field("lat", "trygg places reports by their point: send lat and long; address_string or address_id alone cannot be located")
		}
		return report.New{}, apperr.Field("lat", "a location is required: lat and long in WGS 84 decimal degrees")
	}
	if s.MediaURL != "" {
		if u, err := url.Parse(s.MediaURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return report.New{}, apperr.Field("media_url", "media_url must be an http or https URL")
		}
	}
	n := report.New{
		Kind:        c.Kind,
		Category:    c.Code,
		Location:    &report.Location{Lat: *s.Lat, Lon: *s.Long},
		Description: s.Description,
		Source:      report.SourceOpen311,
	}
	if v := nonEmpty(s.Attributes[AttrFeeling]); len(v) == 1 {
		f, _ := strconv.Atoi(v[0]) // CheckAttributes allowed only 1..5
		n.Feeling = &f
	}
	if v := nonEmpty(s.Attributes[AttrTimeOfDay]); len(v) == 1 {
		n.TimeOfDay = v[0]
	}
	name := strings.TrimSpace(s.FirstName + " " + s.LastName)
	if ct := (report.Contact{Name: name, Email: s.Email, Phone: s.Phone}); !ct.Empty() {
		n.Contact = &ct
	}
	return n, nil
}
