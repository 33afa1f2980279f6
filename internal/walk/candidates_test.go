package walk

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestHotspotCandidateReason(t *testing.T) {
	cases := []struct {
		name      string
		place     ReportPlace
		reason    string
		score     float64
		hotspot   bool
		mustVisit bool
	}{
		{"99 % evenings", ReportPlace{ID: "c1", Count: 42, Bin: 3,
			Categories: []CategoryCount{{"intoxication", 10}, {"groups loitering", 30}, {"graffiti", 2}},
			TimesOfDay: map[string]int{"evening": 25, "night": 5, "day": 10}},
			"Gi* 99 % hotspot, 42 reports of groups loitering/intoxication, evenings", 63, true, false},
		{"95 % no dominant time", ReportPlace{ID: "c2", Count: 7, Bin: 2,
			Categories: []CategoryCount{{"dark place", 7}},
			TimesOfDay: map[string]int{"evening": 2, "night": 2, "day": 3}},
			"Gi* 95 % hotspot, 7 reports of dark place", 7, true, false},
		{"cluster of one", ReportPlace{ID: "k1", Count: 1, TimesOfDay: map[string]int{"night": 1}},
			"cluster of unresolved reports, 1 report, nights", 0.8, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got Candidate
			if c.hotspot {
				got = HotspotCandidate(c.place)
			} else {
				got = ClusterCandidate(c.place)
			}
			if got.Reason != c.reason {
				t.Errorf("reason %q, want %q", got.Reason, c.reason)
			}
			if got.Score != c.score || got.MustVisit != c.mustVisit {
				t.Errorf("score %v must %v, want %v %v", got.Score, got.MustVisit, c.score, c.mustVisit)
			}
		})
	}
}

func TestMergeCandidatesDropsClustersOnHotspots(t *testing.T) {
	hot := []Candidate{HotspotCandidate(ReportPlace{ID: "h", Center: orb.Point{18.07, 59.347}, Count: 5, Bin: 2})}
	// 0.0005° latitude is about 56 m, 0.002° about 223 m.
	near := ClusterCandidate(ReportPlace{ID: "near", Center: orb.Point{18.07, 59.3475}, Count: 5})
	far := ClusterCandidate(ReportPlace{ID: "far", Center: orb.Point{18.07, 59.349}, Count: 5})
	m := MeasureCandidate(OpenMeasure{ID: "m1", Point: orb.Point{18.071, 59.346}, What: "Klipp buskar", Owner: "kommun"})
	man := ManualCandidate("p1", "", orb.Point{18.072, 59.346})
	got := MergeCandidates(hot, []Candidate{near, far}, []Candidate{m}, []Candidate{man})
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
	}
	want := []string{"p1", "measure-m1", "h", "far"}
	if len(ids) != len(want) {
		t.Fatalf("ids %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("ids %v, want %v", ids, want)
		}
	}
	if !got[0].MustVisit || !got[1].MustVisit || got[2].MustVisit {
		t.Errorf("manual places and open measures must be must-visit, hotspots not: %+v", got[:3])
	}
}

func TestHotspotPlacesFindsPlantedCell(t *testing.T) {
	// A 15 × 15 study area with one cell of 30 reports and a scatter of
	// single reports: the planted cell must come out as a 99 % hotspot with
	// its reports described, and no empty cell may.
	var cells []StudyCell
	var reports []CellReports
	for i := range 15 {
		for j := range 15 {
			cells = append(cells, StudyCell{I: i, J: j, Center: orb.Point{18 + float64(i)/1000, 59 + float64(j)/1000}})
			if (i*7+j*3)%11 == 0 {
				reports = append(reports, CellReports{I: i, J: j, Category: "graffiti", Count: 1})
			}
		}
	}
	reports = append(reports,
		CellReports{I: 7, J: 7, Category: "groups loitering", TimeOfDay: "evening", Count: 20},
		CellReports{I: 7, J: 7, Category: "intoxication", TimeOfDay: "night", Count: 10})
	places, err := HotspotPlaces(cells, reports)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, p := range places {
		if p.Count == 0 {
			t.Errorf("empty cell %s reported as a hotspot", p.ID)
		}
		if p.ID != "cell-7-7" && p.Center[0] >= 18.006-1e-9 && p.Center[0] <= 18.008+1e-9 &&
			p.Center[1] >= 59.006-1e-9 && p.Center[1] <= 59.008+1e-9 {
			t.Errorf("neighbour %s of the planted cell kept; only the peak should be", p.ID)
		}
		if p.ID == "cell-7-7" {
			found = true
			if p.Bin != 3 || p.Count != 30 {
				t.Errorf("planted cell: bin %d count %d, want 3 and 30", p.Bin, p.Count)
			}
			want := "Gi* 99 % hotspot, 30 reports of groups loitering/intoxication, evenings"
			if got := HotspotCandidate(p).Reason; got != want {
				t.Errorf("reason %q, want %q", got, want)
			}
		}
	}
	if !found {
		t.Fatalf("planted cell not found among %d places", len(places))
	}
}
