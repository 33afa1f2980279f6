package report

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/category"
)

func TestPlanNearby(t *testing.T) {
	now := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		q        NearbyQuery
		wantErr  string // field named in the error
		wantCats []string
		wantR    int
	}{
		{"street light", NearbyQuery{Lat: 59.3, Lon: 14.1, Category: "FEL.LIGHT"}, "", []string{"FEL.LIGHT"}, 30},
		{"road", NearbyQuery{Lat: 59.3, Lon: 14.1, Kind: "felanmalan", Category: "FEL.ROAD"}, "", []string{"FEL.ROAD"}, 100},
		{"dark place", NearbyQuery{Lat: 59.3, Lon: 14.1, Category: "OTR.PLACE.LIGHT"}, "", []string{"OTR.PLACE.LIGHT", "OTR.PLACE.OLD", "OTR.PLACE.VEG"}, 50},
		{"kind disagrees", NearbyQuery{Lat: 59.3, Lon: 14.1, Kind: "otrygghet", Category: "FEL.LIGHT"}, "kind", nil, 0},
		{"group", NearbyQuery{Lat: 59.3, Lon: 14.1, Category: "OTR.PLACE"}, "category", nil, 0},
		{"unknown", NearbyQuery{Lat: 59.3, Lon: 14.1, Category: "FEL.NOPE"}, "category", nil, 0},
		{"latitude", NearbyQuery{Lat: 91, Lon: 14.1, Category: "FEL.LIGHT"}, "lat", nil, 0},
		{"NaN", NearbyQuery{Lat: math.NaN(), Lon: 14.1, Category: "FEL.LIGHT"}, "lat", nil, 0},
		{"longitude", NearbyQuery{Lat: 59.3, Lon: 200, Category: "FEL.LIGHT"}, "lon", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := PlanNearby(tt.q, now, taxonomy)
			if tt.wantErr != "" {
				e, ok := apperr.As(err)
				if !ok || e.Kind != apperr.Invalid || e.Details.(map[string]string)["field"] != tt.wantErr {
					t.Fatalf("got %v, want invalid %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(s.Categories)
			if !slices.Equal(s.Categories, tt.wantCats) || s.RadiusM != tt.wantR {
				t.Fatalf("categories %v radius %d, want %v %d", s.Categories, s.RadiusM, tt.wantCats, tt.wantR)
			}
			if !s.Since.Equal(now.Add(-365*24*time.Hour)) || s.Limit != NearbyLimit {
				t.Fatalf("since %v limit %d", s.Since, s.Limit)
			}
		})
	}
}

func TestPublicCounts(t *testing.T) {
	cats := map[string]category.Category{
		"OTR.PLACE.LIGHT": {Code: "OTR.PLACE.LIGHT", Sensitivity: category.Normal},
		"OTR.SOC.GATHER":  {Code: "OTR.SOC.GATHER", Sensitivity: category.Sensitive},
		"OTR.SOC.DRUGS":   {Code: "OTR.SOC.DRUGS", Sensitivity: category.Restricted},
	}
	in := []CategoryCount{
		{Category: "OTR.PLACE.LIGHT", Reports: 1},
		{Category: "OTR.SOC.GATHER", Reports: 2},
		{Category: "OTR.SOC.GATHER", Reports: 3},
		{Category: "OTR.SOC.DRUGS", Reports: 1, Confirmations: 9},
	}
	got := PublicCounts(in, cats)
	want := []CategoryCount{{Category: "OTR.PLACE.LIGHT", Reports: 1}, {Category: "OTR.SOC.GATHER", Reports: 3}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
