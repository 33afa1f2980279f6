package streets

import (
	"testing"

	"github.com/paulmach/osm"
)

func TestWalkable(t *testing.T) {
	tests := []struct {
		name string
		tags map[string]string
		want bool
	}{
		{"footway", map[string]string{"highway": "footway"}, true},
		{"steps", map[string]string{"highway": "steps"}, true},
		{"residential", map[string]string{"highway": "residential"}, true},
		{"shared cycleway", map[string]string{"highway": "cycleway"}, true},
		{"cycleway closed to walkers", map[string]string{"highway": "cycleway", "foot": "no"}, false},
		{"sidewalk mapped elsewhere", map[string]string{"highway": "secondary", "foot": "use_sidepath"}, false},
		{"motorway", map[string]string{"highway": "motorway"}, false},
		{"trunk", map[string]string{"highway": "trunk"}, false},
		{"trunk open to walkers", map[string]string{"highway": "trunk", "foot": "yes"}, true},
		{"private service road", map[string]string{"highway": "service", "access": "private"}, false},
		{"private road, foot=yes", map[string]string{"highway": "service", "access": "private", "foot": "yes"}, true},
		{"private road, foot=permissive", map[string]string{"highway": "service", "access": "private", "foot": "permissive"}, true},
		{"private road, foot=designated", map[string]string{"highway": "service", "access": "private", "foot": "designated"}, true},
		{"access=no", map[string]string{"highway": "footway", "access": "no"}, false},
		{"access=customers", map[string]string{"highway": "service", "access": "customers"}, true},
		{"foot=private", map[string]string{"highway": "path", "foot": "private"}, false},
		{"platform", map[string]string{"highway": "platform"}, false},
		{"construction", map[string]string{"highway": "construction"}, false},
		{"no highway", map[string]string{"building": "yes"}, false},
		{"oneway footway", map[string]string{"highway": "footway", "oneway": "yes"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tags osm.Tags
			for k, v := range tt.tags {
				tags = append(tags, osm.Tag{Key: k, Value: v})
			}
			if got := Walkable(tags); got != tt.want {
				t.Errorf("Walkable(%v) = %v, want %v", tt.tags, got, tt.want)
			}
		})
	}
}

func TestParseLit(t *testing.T) {
	tests := []struct {
		in   string
		want Lit
	}{
		{"yes", LitYes}, {"24/7", LitYes}, {"automatic", LitYes},
		{"no", LitNo}, {"disused", LitNo},
		{"", LitUnknown}, {"maybe", LitUnknown},
	}
	for _, tt := range tests {
		if got := ParseLit(tt.in); got != tt.want {
			t.Errorf("ParseLit(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
