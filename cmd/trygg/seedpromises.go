package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/twpayne/go-geom"

	"github.com/trygg/trygg/internal/area"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/promise"
)

// seedPromises stores the demo medborgarlöften (promise.Examples) with their
// priority areas and activities. A promise whose title already exists in its
// municipality is left alone, so seeding twice changes nothing.
func seedPromises(ctx context.Context, db *postgres.DB, out io.Writer) error {
	added := 0
	for _, ex := range promise.Examples() {
		p := ex.Promise
		existing, err := db.Promises(ctx, []string{p.Municipality})
		if err != nil {
			return err
		}
		if slices.ContainsFunc(existing, func(e promise.Promise) bool { return e.Title == p.Title }) {
			continue
		}
		for _, pa := range ex.PriorityAreas {
			s := pa.Side / 2
			mp := geom.NewMultiPolygon(geom.XY)
			_ = mp.Push(geom.NewPolygon(geom.XY).MustSetCoords([][]geom.Coord{{
				{pa.Lon - 2*s, pa.Lat - s}, {pa.Lon + 2*s, pa.Lat - s}, {pa.Lon + 2*s, pa.Lat + s}, {pa.Lon - 2*s, pa.Lat + s}, {pa.Lon - 2*s, pa.Lat - s},
			}}))
			a := area.Area{Municipality: p.Municipality, Kind: area.UtsattOmrade, Name: pa.Name, Priority: true, Geometry: mp}
			if _, _, err := db.ImportAreas(ctx, []area.Area{a}); err != nil {
				return fmt.Errorf("demo area %s: %w", pa.Name, err)
			}
			stored, err := db.Areas(ctx, area.Filter{Municipalities: []string{p.Municipality}, PriorityOnly: true})
			if err != nil {
				return err
			}
			for _, st := range stored {
				if st.Name == pa.Name {
					for _, ci := range pa.Commitments {
						p.Commitments[ci].PriorityAreas = append(p.Commitments[ci].PriorityAreas, st.ID)
					}
				}
			}
		}
		created, err := db.CreatePromise(ctx, p)
		if err != nil {
			return fmt.Errorf("demo promise %s: %w", p.Title, err)
		}
		for _, a := range ex.Activities {
			act := a.Activity
			act.CommitmentID = created.Commitments[a.Commitment].ID
			if _, err := db.LogActivity(ctx, act); err != nil {
				return err
			}
		}
		added++
	}
	fmt.Fprintf(out, "demo promises: %d new medborgarlöften stored\n", added)
	return nil
}
