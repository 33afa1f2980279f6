package open311

import (
	"strings"

	"github.com/trygg/trygg/internal/category"
)

// ServiceType is realtime: trygg creates the report while the client waits.
const ServiceType = "realtime"

// Attribute codes of otrygghet services, named like the report fields they fill.
const (
	AttrFeeling   = "feeling"
	AttrTimeOfDay = "time_of_day"
)

// ListServices lists one service per reportable category, in the taxonomy's order.
func ListServices(cats []category.Category, lang string) []Service {
	out := []Service{}
	for _, c := range cats {
		if c.Reportable() {
			out = append(out, ServiceFor(c, cats, lang))
		}
	}
	return out
}

// ServiceFor describes one category as an Open311 service. Keywords are the
// names of the category's ancestors, so a client can search "Människor och
// beteenden" and find its subcategories.
func ServiceFor(c category.Category, cats []category.Category, lang string) Service {
	var kw []string
	for p := c.Parent; p != ""; {
		parent, ok := find(cats, p)
		if !ok {
			break
		}
		kw = append(kw, parent.Name(lang))
		p = parent.Parent
	}
	return Service{
		ServiceCode: c.Code,
		ServiceName: c.Name(lang),
		Description: c.Description(lang),
		Metadata:    len(attributesFor(c, lang)) > 0,
		Type:        ServiceType,
		Keywords:    strings.Join(kw, ","),
		Group:       groupName(c.Kind, lang),
	}
}

// Definition is the service definition of a category: its attributes.
func Definition(c category.Category, lang string) ServiceDefinition {
	return ServiceDefinition{ServiceCode: c.Code, Attributes: attributesFor(c, lang)}
}

func find(cats []category.Category, code string) (category.Category, bool) {
	for _, c := range cats {
		if c.Code == code {
			return c, true
		}
	}
	return category.Category{}, false
}

func groupName(kind, lang string) string {
	if kind == category.KindFelanmalan {
		if lang == "en" {
			return "fault report"
		}
		return "felanmälan"
	}
	if lang == "en" {
		return "feeling unsafe"
	}
	return "otrygghet"
}

// attributesFor returns the questions a category asks. Felanmälan needs none;
// otrygghet asks how unsafe the place feels and when, the two numbers the
// lägesbild is built from besides the point.
func attributesFor(c category.Category, lang string) []Attribute {
	if c.Kind != category.KindOtrygghet {
		return []Attribute{}
	}
	en := lang == "en"
	pick := func(sv, english string) string {
		if en {
			return english
		}
		return sv
	}
	return []Attribute{
		{
			Variable: true, Code: AttrFeeling, Datatype: SingleValueList, Order: 1,
			Description: pick("Hur otrygg känns platsen?", "How unsafe does the place feel?"),
			Values: []Value{
				{Key: "1", Name: pick("Mycket otrygg", "Very unsafe")},
				{Key: "2", Name: pick("Ganska otrygg", "Rather unsafe")},
				{Key: "3", Name: pick("Varken eller", "Neither")},
				{Key: "4", Name: pick("Ganska trygg", "Rather safe")},
				{Key: "5", Name: pick("Trygg", "Safe")},
			},
		},
		{
			Variable: true, Code: AttrTimeOfDay, Datatype: SingleValueList, Order: 2,
			Description: pick("När på dygnet känns det otryggt?", "When in the day does it feel unsafe?"),
			Values: []Value{
				{Key: "morning", Name: pick("Morgon", "Morning")},
				{Key: "day", Name: pick("Dag", "Day")},
				{Key: "evening", Name: pick("Kväll", "Evening")},
				{Key: "night", Name: pick("Natt", "Night")},
			},
		},
	}
}
