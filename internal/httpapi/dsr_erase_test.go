package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/privacy"
	"github.com/trygg/trygg/internal/report"
)

// statistics is what an erasure must leave as it was: the counts by
// category, status and day, the confirmations, the history's length.
func (ts *testServer) statistics() string {
	ts.t.Helper()
	var s string
	err := ts.db.Pool.QueryRow(context.Background(), `
SELECT (SELECT string_agg(category || ':' || status || ':' || visibility || ':' || n, ',' ORDER BY category, status, visibility)
        FROM (SELECT category, status, visibility, count(*) AS n FROM reports GROUP BY 1, 2, 3) c)
    || '/' || (SELECT coalesce(sum(confirmations), 0) FROM reports)
    || '/' || (SELECT count(*) FROM report_confirmations)
    || '/' || (SELECT coalesce(string_agg(category || ':' || day || ':' || n, ',' ORDER BY category, day), '')
               FROM (SELECT category, day, sum(n) AS n FROM report_day_counts GROUP BY 1, 2) d)
    || '/' || (SELECT count(*) FROM report_events)`).Scan(&s)
	if err != nil {
		ts.t.Fatal(err)
	}
	return s
}

// TestErasureCoversEverythingLinked builds a resident's whole footprint
// through the API — a report with contact and text, its photo, a staff note
// quoting the resident, a confirmation with its own follow-up token and photo,
// a retried POST's stored receipt — then exports, erases and exports again:
// nothing personal is left, the tokens stop working, a retry still finds its
// report, and the statistics do not move.
func TestErasureCoversEverythingLinked(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.token(auth.Admin, "1781")
	caseworker := ts.token(auth.Caseworker, "1781")
	const email, phone = "karin.lind@example.se", "070-765 43 21"
	body := felanmalan(map[string]any{"description": "Lampan är trasig, ring mig på 070-765 43 21",
		"contact": map[string]any{"name": "Karin Lind", "email": email, "phone": phone}})
	rc := ts.postReport("erase-subject-key-01", body)
	ts.publish(rc.ID.String()) // only published reports take confirmations
	if w := ts.uploadPhoto(rc, solidPNG(t, 90)); w.Code != http.StatusCreated {
		t.Fatalf("photo: %d %s", w.Code, w.Body)
	}
	w := ts.confirmWithPhoto(rc.ID, "erase-confirm-key-01", "device-of-a-neighbour", solidPNG(t, 140))
	if w.Code != http.StatusCreated {
		t.Fatalf("confirmation: %d %s", w.Code, w.Body)
	}
	confirmer := decode[report.Confirmation](t, w).FollowUpToken
	if confirmer == "" {
		t.Fatal("the confirmation gave no follow-up token")
	}
	for _, change := range []map[string]any{
		{"status": "triaged", "note": "Ringde Karin Lind på 070-765 43 21, hon var orolig"},
		{"note": "Vi byter lampan i veckan", "public_note": true},
	} {
		_, etag := ts.staffView(caseworker, rc.ID)
		if w := ts.do(http.MethodPatch, "/v1/staff/reports/"+rc.ID.String(), change, append(bearer(caseworker), "If-Match", etag)...); w.Code != http.StatusOK {
			t.Fatalf("staff change %v: %d %s", change, w.Code, w.Body)
		}
	}
	// The same resident through an Open311 app: its submission's fields hash.
	w = ts.o311Post("json", o311Form("api_key", ts.o311Key("app"), "service_code", "FEL.ROAD", "lat", "59.3090", "long", "14.1090",
		"email", email, "first_name", "Karin", "description", "Hål i gångvägen", "device_id", "karins-telefon"))
	if w.Code != http.StatusCreated {
		t.Fatalf("open311: %d %s", w.Code, w.Body)
	}
	var o311ID uuid.UUID
	var fieldsHash []byte
	if err := ts.db.Pool.QueryRow(context.Background(), `SELECT report_id, fields_hash FROM open311_submissions`).Scan(&o311ID, &fieldsHash); err != nil {
		t.Fatal(err)
	}
	// A second report by the same resident, and someone else's that must stay.
	second := ts.seed(seeded{contact: &report.Contact{Email: "Karin.Lind@example.se"}, category: "FEL.ROAD"})
	other := ts.seed(seeded{contact: &report.Contact{Email: "bo@example.se"}, description: "Hål i vägen"})
	if view, code := ts.followView(rc.ID, rc.FollowUpToken); code != http.StatusOK || len(view.History) == 0 {
		t.Fatalf("follow-up before erasure: %d", code)
	}
	stats := ts.statistics()
	subject := map[string]any{"email": email, "phone": phone}

	w = ts.do(http.MethodPost, "/v1/admin/dsr/export", subject, bearer(admin)...)
	if w.Code != http.StatusOK {
		t.Fatalf("export: %d %s", w.Code, w.Body)
	}
	before := decode[struct {
		Reports []privacy.SubjectReport `json:"reports"`
	}](t, w).Reports
	if len(before) != 3 {
		t.Fatalf("export before erasure has %d reports, want 3", len(before))
	}
	for _, r := range before {
		if r.ID == rc.ID && (len(r.Photos) != 2 || r.Contact["name"] != "Karin Lind" || r.Description == "") {
			t.Errorf("export of the full report: %+v", r)
		}
	}

	w = ts.do(http.MethodPost, "/v1/admin/dsr/erase", subject, bearer(admin)...)
	if w.Code != http.StatusOK {
		t.Fatalf("erase: %d %s", w.Code, w.Body)
	}
	got := decode[struct {
		Erased privacy.Erasure `json:"erased"`
	}](t, w).Erased
	// Follow-up tokens: the reporter's and the confirmer's on the API report,
	// the Open311 report's and the seeded report's; two receipts (report,
	// confirmation). The Open311 report's device hash goes too.
	want := privacy.Erasure{Reports: 3, Contacts: 3, Texts: 2, Photos: 2, Devices: 1, Notes: 2, FollowUps: 4, Receipts: 2}
	if got != want {
		t.Errorf("erased %+v, want %+v", got, want)
	}

	w = ts.do(http.MethodPost, "/v1/admin/dsr/export", subject, bearer(admin)...)
	if w.Code != http.StatusOK {
		t.Fatalf("export after erasure: %d %s", w.Code, w.Body)
	}
	if after := decode[struct {
		Reports []privacy.SubjectReport `json:"reports"`
	}](t, w).Reports; len(after) != 0 {
		t.Errorf("export after erasure still finds %+v", after)
	}
	if s := ts.statistics(); s != stats {
		t.Errorf("statistics changed by the erasure:\n before %s\n after  %s", stats, s)
	}

	// Nothing personal left anywhere the reports reach.
	var left int
	if err := ts.db.Pool.QueryRow(context.Background(), `
SELECT (SELECT count(*) FROM report_contacts WHERE report_id = ANY($1))
     + (SELECT count(*) FROM reports WHERE id = ANY($1) AND (description IS NOT NULL OR device_hash IS NOT NULL))
     + (SELECT count(*) FROM report_events WHERE report_id = ANY($1) AND note IS NOT NULL)
     + (SELECT count(*) FROM report_confirmations WHERE report_id = ANY($1) AND follow_up_hash IS NOT NULL)
     + (SELECT count(*) FROM photos WHERE report_id = ANY($1))
     + (SELECT count(*) FROM open311_submissions WHERE report_id = ANY($1) AND (device_hash IS NOT NULL OR fields_hash = $2))`,
		[]uuid.UUID{rc.ID, second, o311ID}, fieldsHash).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d personal fields left after erasure", left)
	}
	rows, err := ts.db.Pool.Query(context.Background(), `SELECT response FROM idempotency_keys`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var resp []byte
		if err := rows.Scan(&resp); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{rc.FollowUpToken, confirmer} {
			if bytes.Contains(resp, []byte(tok)) {
				t.Errorf("a stored receipt still holds a follow-up token: %s", resp)
			}
		}
	}
	rows.Close()
	for name, tok := range map[string]string{"reporter": rc.FollowUpToken, "confirmer": confirmer} {
		if _, code := ts.followView(rc.ID, tok); code == http.StatusOK {
			t.Errorf("the %s's follow-up token still opens the erased report", name)
		}
	}
	// A client retrying its POST after the erasure gets its report, not a new one.
	w = ts.do(http.MethodPost, "/v1/reports", body, "Idempotency-Key", "erase-subject-key-01")
	if again := decode[report.Receipt](t, w); w.Code != http.StatusCreated || again.ID != rc.ID || again.FollowUpToken != "" {
		t.Errorf("retry after erasure: %d %s", w.Code, w.Body)
	}
	var n int
	_ = ts.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM report_contacts WHERE report_id = $1`, other).Scan(&n)
	if n != 1 {
		t.Error("the other resident's report lost its contact")
	}
}
