package demo

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// now is a fixed "today" for the tests; a time zone other than UTC and
// Stockholm makes sure nothing depends on the zone of the argument.
var now = time.Date(2026, 11, 23, 14, 30, 0, 0, time.FixedZone("UTC-5", -5*3600))

// generated is the output of one Generate call shared by the tests that only
// read it.
var generated = Generate(42, now)

// The taxonomy of DESIGN.md, written out here as the known answer.
var (
	otrygghetCodes = strings.Fields(`OTR.PLACE.LIGHT OTR.PLACE.VEG OTR.PLACE.SIGHT OTR.PLACE.DESERTED
		OTR.PLACE.ROUTE OTR.PLACE.DISORDER OTR.PLACE.TRAFFIC OTR.SOC.GATHER OTR.SOC.DISORDER
		OTR.SOC.HARASS OTR.SOC.INTOX OTR.SOC.DRUGS OTR.SOC.VEHICLE OTR.DMG.GRAFFITI OTR.DMG.GLASS
		OTR.FIRE OTR.OTHER`)
	felanmalanCodes = strings.Fields(`FEL.LIGHT FEL.ROAD FEL.PATH FEL.SIGN FEL.SIGNAL FEL.WINTER
		FEL.CLEAN FEL.GRAFFITI FEL.VANDAL FEL.PARK FEL.PLAY FEL.FURNITURE FEL.ABANDONED FEL.DRAIN`)
)

func TestGenerateIsDeterministic(t *testing.T) {
	again := Generate(42, now.In(time.UTC)) // the same instant in another zone
	if !reflect.DeepEqual(summarise(generated), summarise(again)) {
		t.Error("two runs with the same seed and now differ")
	}
	other := Generate(43, now)
	if reflect.DeepEqual(summarise(generated), summarise(other)) {
		t.Error("seeds 42 and 43 give the same reports")
	}
}

// summarise keeps what a comparison needs; time.Time values of equal instants
// in different zones are not DeepEqual, so times become Unix seconds.
func summarise(reports []Report) []any {
	out := make([]any, len(reports))
	for i, r := range reports {
		out[i] = []any{r.Municipality, r.Kind, r.Category, r.Lat, r.Lon, r.ObservedAt.Unix(), r.Status,
			r.ResolvedAt.Unix(), r.Published, r.Feeling, r.TimeOfDay, r.Description, r.ExternalKey}
	}
	return out
}

func TestGenerateCounts(t *testing.T) {
	want := map[string]int{"1290": 1700, "1781": 1100, "1782": 600, "1863": 500}
	got := map[string]int{}
	for _, r := range generated {
		got[r.Municipality]++
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reports per municipality = %v, want %v", got, want)
	}
	if m := Municipalities(); !reflect.DeepEqual(m, []string{"1781", "1782", "1863", "1290"}) {
		t.Errorf("Municipalities() = %v", m)
	}
}

func TestCategoriesBelongToTheirKind(t *testing.T) {
	kindOfCode := map[string]string{}
	for _, c := range otrygghetCodes {
		kindOfCode[c] = Otrygghet
	}
	for _, c := range felanmalanCodes {
		kindOfCode[c] = Felanmalan
	}
	seen := map[string]int{}
	for _, r := range generated {
		want, ok := kindOfCode[r.Category]
		if !ok {
			t.Fatalf("%s: category %q is not in the taxonomy", r.ExternalKey, r.Category)
		}
		if r.Kind != want {
			t.Fatalf("%s: category %s has kind %q, want %q", r.ExternalKey, r.Category, r.Kind, want)
		}
		seen[r.Category]++
	}
	for code := range kindOfCode {
		if seen[code] == 0 {
			t.Errorf("category %s never occurs; the demo should show every category", code)
		}
	}
	kinds := map[string]int{}
	for _, r := range generated {
		kinds[r.Kind]++
	}
	if share := float64(kinds[Otrygghet]) / float64(len(generated)); share < 0.35 || share > 0.65 {
		t.Errorf("otrygghet is %.0f %% of the reports, want a mix of both kinds", 100*share)
	}
}

func TestExternalKeys(t *testing.T) {
	format := regexp.MustCompile(`^demo-(\d{4})-\d{6}$`)
	seen := map[string]bool{}
	for _, r := range generated {
		m := format.FindStringSubmatch(r.ExternalKey)
		if m == nil || m[1] != r.Municipality {
			t.Fatalf("external key %q for municipality %s", r.ExternalKey, r.Municipality)
		}
		if seen[r.ExternalKey] {
			t.Fatalf("external key %q twice", r.ExternalKey)
		}
		seen[r.ExternalKey] = true
	}
	// Seeding again a day later must address the same rows.
	later := Generate(42, now.Add(24*time.Hour))
	for i := range later {
		if later[i].ExternalKey != generated[i].ExternalKey {
			t.Fatalf("report %d: key %s a day later, %s before", i, later[i].ExternalKey, generated[i].ExternalKey)
		}
	}
}
