package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/streets"
)

// NetworkInfo describes a municipality's imported street network.
type NetworkInfo struct {
	Municipality string
	Generation   int64
	Nodes, Edges int
	LengthM      float64
}

const (
	upsertNetworkSQL = `
INSERT INTO street_networks (municipality_code, generation, source, nodes, edges, length_m)
VALUES ($1, nextval('street_network_generation'), $2, $3, $4, $5)
ON CONFLICT (municipality_code) DO UPDATE
SET generation = EXCLUDED.generation, imported_at = now(), source = EXCLUDED.source,
    nodes = EXCLUDED.nodes, edges = EXCLUDED.edges, length_m = EXCLUDED.length_m
RETURNING generation`
	deleteEdgesSQL = `DELETE FROM street_edges WHERE municipality_code = $1`
	deleteNodesSQL = `DELETE FROM street_nodes WHERE municipality_code = $1`
	stageNodesSQL  = `CREATE TEMP TABLE street_nodes_in (osm_id bigint, wkb bytea) ON COMMIT DROP`
	stageEdgesSQL  = `CREATE TEMP TABLE street_edges_in (way_id bigint, from_node bigint, to_node bigint, wkb bytea, length_m float8, highway text, lit text, surface text, name text) ON COMMIT DROP`
	moveNodesSQL   = `INSERT INTO street_nodes (municipality_code, osm_id, geom) SELECT $1, osm_id, ST_GeomFromWKB(wkb, 4326) FROM street_nodes_in`
	moveEdgesSQL   = `
INSERT INTO street_edges (municipality_code, way_id, from_node, to_node, geom, length_m, highway, lit, surface, name)
SELECT $1, way_id, from_node, to_node, ST_GeomFromWKB(wkb, 4326), length_m, highway, lit, nullif(surface, ''), nullif(name, '')
FROM street_edges_in`
	municipalityExistsSQL = `SELECT EXISTS (SELECT 1 FROM municipalities WHERE code = $1)`
)

// ImportNetwork replaces a municipality's street network with n in one
// transaction, so planners see either the old network or the new one. Rows are
// streamed with COPY into staging tables and moved with one INSERT each, which
// keeps a county-sized import to seconds.
func (db *DB) ImportNetwork(ctx context.Context, code, source string, n *streets.Network) (NetworkInfo, error) {
	info := NetworkInfo{Municipality: code, Nodes: len(n.Nodes), Edges: len(n.Edges), LengthM: n.Length()}
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, municipalityExistsSQL, code).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return apperr.Errorf(apperr.NotFound, "no municipality with code %s", code)
		}
		if err := tx.QueryRow(ctx, upsertNetworkSQL, code, source, info.Nodes, info.Edges, info.LengthM).Scan(&info.Generation); err != nil {
			return err
		}
		for _, q := range []string{deleteEdgesSQL, deleteNodesSQL} {
			if _, err := tx.Exec(ctx, q, code); err != nil {
				return err
			}
		}
		if err := copyNodes(ctx, tx, n.Nodes); err != nil {
			return fmt.Errorf("copy street nodes: %w", err)
		}
		if err := copyEdges(ctx, tx, n.Edges); err != nil {
			return fmt.Errorf("copy street edges: %w", err)
		}
		if _, err := tx.Exec(ctx, moveNodesSQL, code); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, moveEdgesSQL, code)
		return err
	})
	return info, err
}

func copyNodes(ctx context.Context, tx pgx.Tx, nodes []streets.Node) error {
	if _, err := tx.Exec(ctx, stageNodesSQL); err != nil {
		return err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"street_nodes_in"}, []string{"osm_id", "wkb"},
		pgx.CopyFromSlice(len(nodes), func(i int) ([]any, error) {
			return []any{nodes[i].ID, pointWKB(nodes[i].Lon, nodes[i].Lat)}, nil
		}))
	return err
}

func copyEdges(ctx context.Context, tx pgx.Tx, edges []streets.Edge) error {
	if _, err := tx.Exec(ctx, stageEdgesSQL); err != nil {
		return err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"street_edges_in"},
		[]string{"way_id", "from_node", "to_node", "wkb", "length_m", "highway", "lit", "surface", "name"},
		pgx.CopyFromSlice(len(edges), func(i int) ([]any, error) {
			e := edges[i]
			b, err := lineWKB(e.Geometry)
			if err != nil {
				return nil, err
			}
			return []any{e.WayID, e.From, e.To, b, e.Length, e.Highway, e.Lit.String(), e.Surface, e.Name}, nil
		}))
	return err
}

// lineWKB encodes a lon/lat line as WKB.
func lineWKB(line []orb.Point) ([]byte, error) {
	flat := make([]float64, 0, 2*len(line))
	for _, p := range line {
		flat = append(flat, p[0], p[1])
	}
	return wkb.Marshal(geom.NewLineStringFlat(geom.XY, flat), binary.LittleEndian)
}

// decodeLine reads ST_AsBinary output of a LineString.
func decodeLine(b []byte) ([]orb.Point, error) {
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return nil, err
	}
	ls, ok := g.(*geom.LineString)
	if !ok {
		return nil, errors.New("expected a linestring")
	}
	flat := ls.FlatCoords()
	out := make([]orb.Point, 0, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		out = append(out, orb.Point{flat[i], flat[i+1]})
	}
	return out, nil
}

const (
	networkGenerationSQL = `SELECT generation FROM street_networks WHERE municipality_code = $1`
	loadNodesSQL         = `SELECT osm_id, ST_AsBinary(geom) FROM street_nodes WHERE municipality_code = $1`
	loadEdgesSQL         = `
SELECT way_id, from_node, to_node, ST_AsBinary(geom), length_m, highway, lit, coalesce(surface, ''), coalesce(name, '')
FROM street_edges WHERE municipality_code = $1 ORDER BY id`
)

// NetworkGeneration returns the generation of a municipality's imported
// network; a NotFound error when none was imported.
func (db *DB) NetworkGeneration(ctx context.Context, code string) (int64, error) {
	var gen int64
	err := db.Pool.QueryRow(ctx, networkGenerationSQL, code).Scan(&gen)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, noNetwork(code)
	}
	return gen, err
}

func noNetwork(code string) error {
	return apperr.Errorf(apperr.Unprocessable, "municipality %s has no street network; import one with `trygg import osm FILE --municipality %s`", code, code)
}

// LoadNetwork reads a municipality's network and its generation in one
// repeatable-read snapshot, so the generation matches the rows.
func (db *DB) LoadNetwork(ctx context.Context, code string) (*streets.Network, int64, error) {
	n := &streets.Network{}
	var gen int64
	err := pgx.BeginTxFunc(ctx, db.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, networkGenerationSQL, code).Scan(&gen); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return noNetwork(code)
			}
			return err
		}
		rows, err := tx.Query(ctx, loadNodesSQL, code)
		if err != nil {
			return err
		}
		n.Nodes, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (streets.Node, error) {
			var nd streets.Node
			var b []byte
			if err := r.Scan(&nd.ID, &b); err != nil {
				return nd, err
			}
			var err error
			nd.Lon, nd.Lat, err = decodePoint(b)
			return nd, err
		})
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, loadEdgesSQL, code)
		if err != nil {
			return err
		}
		n.Edges, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (streets.Edge, error) {
			var e streets.Edge
			var b []byte
			var lit string
			if err := r.Scan(&e.WayID, &e.From, &e.To, &b, &e.Length, &e.Highway, &lit, &e.Surface, &e.Name); err != nil {
				return e, err
			}
			e.Lit = streets.ParseLit(lit)
			var err error
			e.Geometry, err = decodeLine(b)
			return e, err
		})
		return err
	})
	return n, gen, err
}
