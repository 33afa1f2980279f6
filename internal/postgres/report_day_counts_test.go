package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trygg/trygg/internal/postgres/pgtest"
)

// dayCountsDiff lists the counter rows that differ from a recount from
// scratch (zero rows and missing rows are the same thing).
func dayCountsDiff(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `
SELECT coalesce(c.municipality_code, e.municipality_code) || ' ' || coalesce(c.area_id, e.area_id)::text || ' ' ||
       coalesce(c.day, e.day)::text || ' ' || coalesce(c.category, e.category) || ': counted ' || coalesce(c.n, 0) || ', expected ' || coalesce(e.n, 0)
FROM report_day_counts c
FULL JOIN report_day_counts_expected e USING (municipality_code, area_id, day, category)
WHERE coalesce(c.n, 0) <> coalesce(e.n, 0)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func dayCountTotal(t *testing.T, pool *pgxpool.Pool, where string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT coalesce(sum(n), 0) FROM report_day_counts WHERE category <> '' AND `+where).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReportDayCountsFollowEveryChange drives the triggers of migration 000011
// through every change that alters what is counted and checks the counters
// against a recount from scratch after each step.
func TestReportDayCountsFollowEveryChange(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	exec := func(step, sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if d := dayCountsDiff(t, pool); len(d) > 0 {
			t.Fatalf("after %s the counters differ from a recount: %v", step, d)
		}
	}
	const zero = `'00000000-0000-0000-0000-000000000000'`
	// Two areas in Kristianstad, one inside the other, and reports inside
	// both, inside one, and outside both; a bulk insert, as imports do.
	exec("areas", `
INSERT INTO areas (id, municipality_code, kind, name, geom) VALUES
 ('11111111-1111-1111-1111-111111111111', '1290', 'centrum', 'Centrum', ST_Multi(ST_MakeEnvelope(14.14, 56.02, 14.17, 56.04, 4326))),
 ('22222222-2222-2222-2222-222222222222', '1290', 'stadsdel', 'Inre', ST_Multi(ST_MakeEnvelope(14.15, 56.025, 14.16, 56.035, 4326)))`)
	exec("bulk insert", `
INSERT INTO reports (id, reference, kind, category, municipality_code, geom, observed_at, received_at, status, follow_up_hash)
SELECT gen_random_uuid(), 'T-' || i, 'otrygghet', 'OTR.PLACE.LIGHT', '1290',
       ST_SetSRID(ST_MakePoint(14.12 + (i % 7) * 0.01, 56.01 + (i % 5) * 0.007), 4326),
       -- around midnight of the summer-time change, so local days matter
       timestamptz '2026-03-28 22:30:00+00' + i * interval '7 minutes', now(), 'received', '\x00'
FROM generate_series(1, 120) i`)
	if got := dayCountTotal(t, pool, `area_id = `+zero); got != 120 {
		t.Fatalf("whole municipality counts %d, want 120", got)
	}
	var totals int
	if err := pool.QueryRow(ctx, `SELECT coalesce(sum(n), 0) FROM report_day_counts WHERE category = '' AND area_id = `+zero).Scan(&totals); err != nil || totals != 120 {
		t.Fatalf("day totals (category '') sum to %d (%v), want 120", totals, err)
	}
	if dayCountTotal(t, pool, `area_id = '22222222-2222-2222-2222-222222222222'`) == 0 {
		t.Fatal("no report counted in the inner area; the fixture misses it")
	}
	exec("reject some", `UPDATE reports SET status = 'rejected' WHERE reference IN ('T-1', 'T-2', 'T-3')`)
	if got := dayCountTotal(t, pool, `area_id = `+zero); got != 117 {
		t.Fatalf("after rejecting 3: %d, want 117", got)
	}
	exec("un-reject one", `UPDATE reports SET status = 'triaged' WHERE reference = 'T-2'`)
	exec("merge as duplicate", `UPDATE reports SET status = 'duplicate' WHERE reference = 'T-10'`)
	exec("recategorise", `UPDATE reports SET category = 'OTR.PLACE.VEG' WHERE reference IN ('T-11', 'T-12')`)
	exec("status change that counts the same", `UPDATE reports SET status = 'in_progress' WHERE reference = 'T-13'`)
	exec("move in time across a day", `UPDATE reports SET observed_at = observed_at - interval '2 days' WHERE reference = 'T-14'`)
	exec("move into the inner area", `UPDATE reports SET geom = ST_SetSRID(ST_MakePoint(14.155, 56.03), 4326) WHERE reference = 'T-15'`)
	exec("move to another municipality", `UPDATE reports SET geom = ST_SetSRID(ST_MakePoint(13.0, 55.6), 4326), municipality_code = NULL WHERE reference = 'T-16'`)
	exec("a no-op update", `UPDATE reports SET description = 'x' WHERE reference = 'T-17'`)
	exec("reshape an area", `UPDATE areas SET geom = ST_Multi(ST_MakeEnvelope(14.12, 56.01, 14.15, 56.03, 4326)) WHERE name = 'Centrum'`)
	exec("rename an area", `UPDATE areas SET name = 'Centrum 2' WHERE name = 'Centrum'`)
	exec("new area over old reports", `
INSERT INTO areas (id, municipality_code, kind, name, geom) VALUES
 ('33333333-3333-3333-3333-333333333333', '1290', 'custom', 'Öster', ST_Multi(ST_MakeEnvelope(14.16, 56.0, 14.2, 56.05, 4326)))`)
	exec("delete an area", `DELETE FROM areas WHERE name = 'Inre'`)
	if dayCountTotal(t, pool, `area_id = '22222222-2222-2222-2222-222222222222'`) != 0 {
		t.Fatal("a deleted area keeps counts")
	}
	exec("delete reports", `DELETE FROM reports WHERE reference IN ('T-20', 'T-21', 'T-1')`)
	exec("truncate", `TRUNCATE reports CASCADE`)
	if got := dayCountTotal(t, pool, `true`); got != 0 {
		t.Fatalf("after truncate: %d", got)
	}
}
