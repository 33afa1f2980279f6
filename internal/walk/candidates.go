package walk

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/streets"
)

// CategoryCount is how many reports of one category a place holds; Name is
// the category's readable name ("groups loitering").
type CategoryCount struct {
	Name  string
	Count int
}

// ReportPlace is a place reports point at: a significant hotspot cell or a
// cluster of unresolved reports. TimesOfDay counts reports by time_of_day
// (morning, day, evening, night); reports without one are left out.
type ReportPlace struct {
	ID         string
	Center     orb.Point
	Count      int
	Categories []CategoryCount
	TimesOfDay map[string]int
	// Bin is the Gi* confidence bin of a hotspot cell (+2 is 95 %, +3 is
	// 99 %); 0 for a cluster.
	Bin int
}

// OpenMeasure is a measure agreed on an earlier walk that is not done yet.
type OpenMeasure struct {
	ID    string
	Point orb.Point
	What  string
	Owner string
}

// Scores per source. A report counts once; a 99 % hotspot weighs half as
// much again as a 95 % one, because it is twice as unlikely to be chance
// (p < 0.01 against p < 0.05) without being a different kind of place.
const (
	scorePerReport    = 1.0
	bin3Weight        = 1.5
	clusterWeight     = 0.8 // clusters are not tested for significance
	openMeasureScore  = 5.0
	duplicateDistance = 75.0 // metres: a cluster this close to a hotspot is the same place
)

// HotspotCandidate turns a hotspot cell into a candidate stop.
func HotspotCandidate(p ReportPlace) Candidate {
	conf, w := "95 %", 1.0
	if p.Bin >= 3 {
		conf, w = "99 %", bin3Weight
	}
	return Candidate{
		ID: p.ID, Name: "Hotspot " + p.ID, Point: p.Center, Kind: KindHotspot,
		Score:  float64(p.Count) * scorePerReport * w,
		Reason: "Gi* " + conf + " hotspot, " + describeReports(p),
	}
}

// ClusterCandidate turns a cluster of unresolved reports into a candidate.
func ClusterCandidate(p ReportPlace) Candidate {
	return Candidate{
		ID: p.ID, Name: "Cluster " + p.ID, Point: p.Center, Kind: KindCluster,
		Score:  float64(p.Count) * scorePerReport * clusterWeight,
		Reason: "cluster of unresolved reports, " + describeReports(p),
	}
}

// MeasureCandidate turns an open measure into a must-visit stop: a measure
// agreed on a walk is checked on the next one.
func MeasureCandidate(m OpenMeasure) Candidate {
	return Candidate{
		ID: "measure-" + m.ID, Name: "Åtgärd: " + m.What, Point: m.Point, Kind: KindOpenMeasure,
		Score: openMeasureScore, MustVisit: true,
		Reason: fmt.Sprintf("open measure from an earlier walk (%s), check it on this walk", m.Owner),
	}
}

// ManualCandidate is a place the planner insists on.
func ManualCandidate(id, name string, p orb.Point) Candidate {
	if name == "" {
		name = "Vald plats " + id
	}
	return Candidate{ID: id, Name: name, Point: p, Kind: KindManual, MustVisit: true, Reason: "added by the planner"}
}

// describeReports says "42 reports of groups loitering/intoxication,
// evenings": the count, the two commonest categories and the time of day
// when one dominates (at least half the reports that have one).
func describeReports(p ReportPlace) string {
	noun := "reports"
	if p.Count == 1 {
		noun = "report"
	}
	s := fmt.Sprintf("%d %s", p.Count, noun)
	cats := slices.Clone(p.Categories)
	slices.SortStableFunc(cats, func(a, b CategoryCount) int { return cmp.Compare(b.Count, a.Count) })
	var names []string
	for _, c := range cats[:min(2, len(cats))] {
		names = append(names, c.Name)
	}
	if len(names) > 0 {
		s += " of " + strings.Join(names, "/")
	}
	if t := dominantTime(p.TimesOfDay); t != "" {
		s += ", " + t
	}
	return s
}

var timeWords = map[string]string{"morning": "mornings", "day": "daytime", "evening": "evenings", "night": "nights"}

func dominantTime(times map[string]int) string {
	total, best, bestN := 0, "", 0
	for _, t := range []string{"morning", "day", "evening", "night"} {
		n := times[t]
		total += n
		if n > bestN {
			best, bestN = t, n
		}
	}
	if total == 0 || 2*bestN < total {
		return ""
	}
	return timeWords[best]
}

// MergeCandidates puts the sources together: every hotspot, open measure and
// manual place, and the clusters that do not repeat a hotspot already
// listed (a cluster within 75 m of a hotspot centre is the same place).
func MergeCandidates(hotspots, clusters, measures, manual []Candidate) []Candidate {
	out := slices.Concat(manual, measures, hotspots)
	for _, c := range clusters {
		dup := slices.ContainsFunc(hotspots, func(h Candidate) bool {
			return streets.Distance(h.Point, c.Point) < duplicateDistance
		})
		if !dup {
			out = append(out, c)
		}
	}
	return out
}
