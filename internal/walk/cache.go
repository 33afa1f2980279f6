package walk

import (
	"context"
	"sync"

	"github.com/trygg/trygg/internal/streets"
)

// NetworkStore is what the graph cache needs from storage: the generation of
// a municipality's imported network (which changes on every import) and the
// network itself with the generation it was read at.
type NetworkStore interface {
	NetworkGeneration(ctx context.Context, municipality string) (int64, error)
	LoadNetwork(ctx context.Context, municipality string) (*streets.Network, int64, error)
}

// GraphCache keeps one Graph per municipality in memory. Building a graph
// reads the whole network, so it happens once per import: every Graph call
// asks the store for the current generation (one indexed row) and rebuilds
// only when it changed.
type GraphCache struct {
	store NetworkStore
	mu    sync.Mutex
	graph map[string]*cachedGraph
}

type cachedGraph struct {
	mu         sync.Mutex // held while (re)loading, so one request loads and the rest wait
	generation int64
	graph      *Graph
}

// NewGraphCache returns an empty cache over store.
func NewGraphCache(store NetworkStore) *GraphCache {
	return &GraphCache{store: store, graph: make(map[string]*cachedGraph)}
}

// Graph returns the municipality's current walking graph.
func (c *GraphCache) Graph(ctx context.Context, municipality string) (*Graph, error) {
	gen, err := c.store.NetworkGeneration(ctx, municipality)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	e := c.graph[municipality]
	if e == nil {
		e = &cachedGraph{}
		c.graph[municipality] = e
	}
	c.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.graph != nil && e.generation == gen {
		return e.graph, nil
	}
	n, loaded, err := c.store.LoadNetwork(ctx, municipality)
	if err != nil {
		return nil, err
	}
	g, err := FromNetwork(n)
	if err != nil {
		return nil, err
	}
	e.graph, e.generation = g, loaded
	return g, nil
}
