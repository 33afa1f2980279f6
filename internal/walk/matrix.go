package walk

import (
	"context"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// matrixWorkers is how many Dijkstra searches run at once. Each holds
// per-vertex arrays, so more than a few buys little on a shared server.
var matrixWorkers = min(2, runtime.GOMAXPROCS(0))

// distances returns the walking metres between every pair of terminals along
// the least-cost paths under c. Searches stop at maxCost, so pairs farther
// apart than that are +Inf: no route within budget can use such a leg.
// The graph is undirected, so the search from terminal i fills both
// dist[i][j] and dist[j][i] for j > i.
//
// Only terminals inside the corridor can be on a route; the others get no
// search of their own and no distances.
func distances(ctx context.Context, g *Graph, terms []Vertex, c costing, maxCost float64, within *corridor) ([][]float64, error) {
	n := len(terms)
	dist := make([][]float64, n)
	for i := range dist {
		dist[i] = make([]float64, n)
		for j := range dist[i] {
			if i != j {
				dist[i][j] = math.Inf(1)
			}
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range matrixWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := g.getSearch()
			defer g.putSearch(s)
			for {
				i := int(next.Add(1) - 1)
				if i >= n-1 || ctx.Err() != nil {
					return
				}
				if !within.contains(terms[i]) {
					continue
				}
				s.from(terms[i], c, maxCost, terms[i+1:], within)
				for j := i + 1; j < n; j++ {
					if s.reached(terms[j]) {
						// Each (i, j) pair is written by the one worker
						// that owns row i, so no two writes collide.
						dist[i][j], dist[j][i] = s.length[terms[j]], s.length[terms[j]]
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return dist, nil
}
