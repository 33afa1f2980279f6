package privacy_test

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/postgres/pgtest"
	"github.com/trygg/trygg/internal/privacy"
)

var (
	testNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	policy  = privacy.Policy{
		Contact: 90 * day, Text: 365 * day, Photos: 365 * day, Device: 30 * day,
		Points: 365 * day, Idempotency: 24 * time.Hour, Audit: 5 * 365 * day,
	}
	kristinehamn = [2]float64{14.1086, 59.3096}
)

const day = 24 * time.Hour

// fixture is a report written straight to the database with every kind of
// personal data the purge knows.
type fixture struct {
	category string
	status   string
	received time.Duration // before testNow
	resolved time.Duration // before testNow; 0 = not resolved
	contact  bool
	text     bool
	photo    bool
	device   bool
}

func seedReport(t *testing.T, db *postgres.DB, f fixture) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	id := uuid.New()
	received := testNow.Add(-f.received)
	var resolved *time.Time
	if f.resolved > 0 {
		r := testNow.Add(-f.resolved)
		resolved = &r
	}
	desc := ""
	if f.text {
		desc = "Det var mörkt, ring mig på 070-123 45 67"
	}
	var dev []byte
	if f.device {
		dev = privacy.Digest("phone-" + id.String())
	}
	_, err := db.Pool.Exec(ctx, `
INSERT INTO reports (id, reference, kind, category, geom, observed_at, received_at, updated_at, resolved_at,
                     description, status, visibility, source, follow_up_hash, device_hash, device_key_period)
SELECT $1::uuid, upper(substr(md5($1::uuid::text), 1, 8)), c.kind, c.code, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5::timestamptz, $5::timestamptz,
       coalesce($6::timestamptz, $5::timestamptz), $6::timestamptz, nullif($7, ''), $8, 'published', 'app', '\x00', $9, CASE WHEN $9::bytea IS NULL THEN NULL ELSE 1 END
FROM categories c WHERE c.code = $2`, id, f.category, kristinehamn[0], kristinehamn[1], received, resolved, desc, f.status, dev)
	if err != nil {
		t.Fatal(err)
	}
	if f.contact {
		mustExec(t, db, `INSERT INTO report_contacts (report_id, name, email, phone) VALUES ($1, 'Anna Svensson', 'anna@example.se', '070-1234567')`, id)
	}
	if f.photo {
		mustExec(t, db, `INSERT INTO photos (id, report_id, content_type, width, height, sha256, bytes, created_at)
VALUES ($1, $2, 'image/jpeg', 1, 1, '\x01', '\xffd8', $3)`, uuid.New(), id, received)
	}
	if f.device {
		mustExec(t, db, `INSERT INTO report_confirmations (id, report_id, device_hash, created_at, device_key_period)
VALUES ($1, $2, $3, $4, 1)`, uuid.New(), id, privacy.Digest("other-"+id.String()), received)
	}
	return id
}

func mustExec(t *testing.T, db *postgres.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// state is everything the purge may touch, as one comparable string.
func state(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var s string
	err := db.Pool.QueryRow(context.Background(), `
SELECT concat_ws(' | ',
  (SELECT string_agg(concat_ws(',', id, category, municipality_code, status, description, encode(device_hash, 'hex'),
                               ST_AsText(geom), point_coarsened_at), ';' ORDER BY id) FROM reports),
  (SELECT string_agg(concat_ws(',', report_id, email), ';' ORDER BY report_id) FROM report_contacts),
  (SELECT string_agg(id::text, ';' ORDER BY id) FROM photos),
  (SELECT string_agg(concat_ws(',', id, encode(device_hash, 'hex')), ';' ORDER BY id) FROM report_confirmations),
  (SELECT string_agg(key, ';' ORDER BY key) FROM idempotency_keys),
  (SELECT string_agg(id::text, ';' ORDER BY id) FROM audit_log),
  (SELECT string_agg(period::text, ';' ORDER BY period) FROM hash_keys))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type memSalts map[int][]byte

func TestPurge(t *testing.T) {
	db := postgres.New(pgtest.New(t))
	ctx := context.Background()
	clock := func() time.Time { return testNow }

	// A: an otrygghet report of a sensitive category, long ago: everything goes.
	a := seedReport(t, db, fixture{category: "OTR.SOC.GATHER", status: "received", received: 400 * day,
		contact: true, text: true, photo: true, device: true})
	// B: an open felanmälan, as old: the caseworker still needs contact, text
	// and photo; only the device hash goes. Its category is not sensitive.
	b := seedReport(t, db, fixture{category: "FEL.LIGHT", status: "in_progress", received: 400 * day,
		contact: true, text: true, photo: true, device: true})
	// C: resolved 100 days ago: contact (90 d) goes, text (365 d) stays.
	c := seedReport(t, db, fixture{category: "FEL.LIGHT", status: "resolved", received: 120 * day, resolved: 100 * day,
		contact: true, text: true})
	// D: a recent sensitive report keeps everything.
	d := seedReport(t, db, fixture{category: "OTR.SOC.GATHER", status: "received", received: 10 * day,
		contact: true, text: true, device: true})

	mustExec(t, db, `INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response, created_at)
VALUES ('report', 'old', '\x00', 201, '{}', $1), ('report', 'new', '\x00', 201, '{}', $2)`,
		testNow.Add(-48*time.Hour), testNow.Add(-time.Hour))
	if err := db.AppendAudit(ctx, []privacy.Entry{
		{At: testNow.Add(-6 * 365 * day), Actor: "admin:old", Action: privacy.ActionExport},
		{At: testNow.Add(-day), Actor: "admin:new", Action: privacy.ActionExport},
	}); err != nil {
		t.Fatal(err)
	}
	keys := &privacy.DeviceKeys{Secret: []byte("0123456789abcdef"), Period: 30 * day, Store: db, Now: clock}
	cur := keys.PeriodOf(testNow)
	for p := cur - 3; p <= cur; p++ {
		if _, err := db.HashSalt(ctx, p, make([]byte, 32)); err != nil {
			t.Fatal(err)
		}
	}
	var aX, aY float64
	if err := db.Pool.QueryRow(ctx, `SELECT ST_X(geom_sweref), ST_Y(geom_sweref) FROM reports WHERE id = $1`, a).Scan(&aX, &aY); err != nil {
		t.Fatal(err)
	}

	purger := &privacy.Purger{Store: db, Policy: policy, Keys: keys, Now: clock}
	want := map[privacy.Item]int64{
		privacy.ItemContact: 2, privacy.ItemText: 1, privacy.ItemPhotos: 1, privacy.ItemDevice: 2,
		privacy.ItemPoints: 1, privacy.ItemIdempotency: 1, privacy.ItemAudit: 1, privacy.ItemHashKeys: 2,
	}

	before := state(t, db)
	dry, err := purger.Run(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if !dry.DryRun || !mapsEqual(dry.Counts, want) {
		t.Errorf("dry run counts %v, want %v", dry.Counts, want)
	}
	if got := dry.Reports[privacy.ItemContact]; !slices.Contains(got, a.String()) || !slices.Contains(got, c.String()) || slices.Contains(got, b.String()) {
		t.Errorf("dry run lists contact of %v, want A and C only", got)
	}
	if got := dry.Reports[privacy.ItemPoints]; len(got) != 1 || got[0] != a.String() {
		t.Errorf("dry run lists points of %v, want A", got)
	}
	if state(t, db) != before {
		t.Fatal("a dry run changed the database")
	}

	res, err := purger.Run(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if !mapsEqual(res.Counts, want) {
		t.Errorf("purge counts %v, want %v (as the dry run said)", res.Counts, want)
	}

	type row struct {
		contact, text, photos, device, confirmation bool
		muni, category                              string
		coarsened                                   bool
	}
	read := func(id uuid.UUID) row {
		var r row
		err := db.Pool.QueryRow(ctx, `
SELECT EXISTS (SELECT 1 FROM report_contacts WHERE report_id = r.id), r.description IS NOT NULL,
       EXISTS (SELECT 1 FROM photos WHERE report_id = r.id), r.device_hash IS NOT NULL,
       EXISTS (SELECT 1 FROM report_confirmations WHERE report_id = r.id AND device_key_period IS DISTINCT FROM -1),
       r.municipality_code, r.category, r.point_coarsened_at IS NOT NULL
FROM reports r WHERE r.id = $1`, id).Scan(&r.contact, &r.text, &r.photos, &r.device, &r.confirmation, &r.muni, &r.category, &r.coarsened)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for name, tc := range map[string]struct {
		id   uuid.UUID
		want row
	}{
		"A old sensitive otrygghet": {a, row{muni: "1781", category: "OTR.SOC.GATHER", coarsened: true}},
		"B open felanmälan":         {b, row{contact: true, text: true, photos: true, muni: "1781", category: "FEL.LIGHT"}},
		"C resolved 100 days ago":   {c, row{text: true, muni: "1781", category: "FEL.LIGHT"}},
		"D recent":                  {d, row{contact: true, text: true, device: true, confirmation: true, muni: "1781", category: "OTR.SOC.GATHER"}},
	} {
		if got := read(tc.id); got != tc.want {
			t.Errorf("%s: %+v, want %+v", name, got, tc.want)
		}
	}
	// A's point is now the centre of its 100 m square, within 71 m of where it was.
	var x, y float64
	if err := db.Pool.QueryRow(ctx, `SELECT ST_X(geom_sweref), ST_Y(geom_sweref) FROM reports WHERE id = $1`, a).Scan(&x, &y); err != nil {
		t.Fatal(err)
	}
	if math.Abs(math.Mod(x, 100)-50) > 0.01 || math.Abs(math.Mod(y, 100)-50) > 0.01 || math.Hypot(x-aX, y-aY) > 71 {
		t.Errorf("A moved from (%.1f, %.1f) to (%.1f, %.1f), want the centre of its 100 m square", aX, aY, x, y)
	}
	var reports, confirmations, keysLeft, audit int
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM report_confirmations),
       (SELECT min(period) FROM hash_keys) , (SELECT count(*) FROM audit_log)`).Scan(&reports, &confirmations, &keysLeft, &audit); err != nil {
		t.Fatal(err)
	}
	if reports != 4 || confirmations != 3 || keysLeft != cur-1 || audit != 1 {
		t.Errorf("reports %d, confirmations %d, oldest key period %d, audit entries %d; want 4 and 3 (counts stay), %d, 1",
			reports, confirmations, keysLeft, audit, cur-1)
	}

	after := state(t, db)
	again, err := purger.Run(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if again.Total() != 0 || state(t, db) != after {
		t.Errorf("a second run changed something: %v", again.Counts)
	}
}

func mapsEqual(a, b map[privacy.Item]int64) bool {
	for _, it := range privacy.Items {
		if a[it] != b[it] {
			return false
		}
	}
	return true
}

// TestAuditLogIsAppendOnly checks the trigger: no UPDATE, DELETE or TRUNCATE
// outside the retention purge.
func TestAuditLogIsAppendOnly(t *testing.T) {
	db := postgres.New(pgtest.New(t))
	ctx := context.Background()
	if err := db.AppendAudit(ctx, []privacy.Entry{{At: testNow, Actor: "admin:a", Action: privacy.ActionExport}}); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`UPDATE audit_log SET actor = 'someone else'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
	} {
		if _, err := db.Pool.Exec(ctx, sql); err == nil {
			t.Errorf("%s: succeeded, want refused", sql)
		}
	}
	list, err := db.AuditEntries(ctx, privacy.AuditFilter{Municipalities: []string{"1781"}, Limit: 10})
	if err != nil || len(list) != 1 || list[0].Actor != "admin:a" {
		t.Errorf("entries after the refused changes: %+v %v", list, err)
	}
}
