package walk

import (
	"context"
	"testing"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/streets"
)

// countingStore serves one two-node network and counts how often it is read.
type countingStore struct {
	generation int64
	loads      int
}

func (s *countingStore) NetworkGeneration(context.Context, string) (int64, error) {
	return s.generation, nil
}

func (s *countingStore) LoadNetwork(context.Context, string) (*streets.Network, int64, error) {
	s.loads++
	a, b := orb.Point{18.07, 59.347}, orb.Point{18.071, 59.347}
	return &streets.Network{
		Nodes: []streets.Node{{ID: 1, Lon: a[0], Lat: a[1]}, {ID: 2, Lon: b[0], Lat: b[1]}},
		Edges: []streets.Edge{{WayID: 9, From: 1, To: 2, Geometry: []orb.Point{a, b}, Length: streets.Distance(a, b)}},
	}, s.generation, nil
}

func TestGraphCacheReloadsOnNewGeneration(t *testing.T) {
	store := &countingStore{generation: 1}
	cache := NewGraphCache(store)
	steps := []struct {
		generation int64
		loads      int
	}{
		{1, 1}, // first use loads
		{1, 1}, // same generation: cached
		{2, 2}, // re-imported: reloaded
		{2, 2},
	}
	var last *Graph
	for i, s := range steps {
		store.generation = s.generation
		g, err := cache.Graph(context.Background(), "0180")
		if err != nil {
			t.Fatal(err)
		}
		if store.loads != s.loads {
			t.Errorf("step %d: %d loads, want %d", i, store.loads, s.loads)
		}
		if i > 0 && (g == last) != (steps[i-1].generation == s.generation) {
			t.Errorf("step %d: graph reused %v across generations %d→%d", i, g == last, steps[i-1].generation, s.generation)
		}
		last = g
	}
}
