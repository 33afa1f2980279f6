package httpapi

import (
	"context"
	"encoding/base64"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/privacy"
	"github.com/trygg/trygg/internal/report"
)

type auditPage struct {
	Entries    []privacy.Entry `json:"entries"`
	NextCursor string          `json:"next_cursor"`
}

// auditOf returns the entries about report id, straight from the table.
func (ts *testServer) auditOf(id uuid.UUID) []privacy.Entry {
	ts.t.Helper()
	list, err := ts.db.AuditEntries(context.Background(), privacy.AuditFilter{Municipalities: []string{"1781", "1782"}, Report: &id, Limit: 100})
	if err != nil {
		ts.t.Fatal(err)
	}
	return list
}

// TestStaffReadsAreAudited goes through every staff route that shows contact
// data or free text and checks each leaves an entry with actor and reason.
func TestStaffReadsAreAudited(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Admin, "1781")
	contact := &report.Contact{Name: "Anna Svensson", Email: "anna@example.se"}
	why := []string{"X-Audit-Reason", "ärende 2026/123"}
	routes := []struct {
		name   string
		action privacy.Action
		send   func() (*httptest.ResponseRecorder, uuid.UUID)
	}{
		{"queue", privacy.ActionReadReport, func() (*httptest.ResponseRecorder, uuid.UUID) {
			id := ts.seed(seeded{contact: contact, received: ts.now.Add(-time.Minute)})
			return ts.do("GET", "/v1/staff/reports?municipality=1781&limit=1", nil, append(bearer(tok), why...)...), id
		}},
		{"report", privacy.ActionReadReport, func() (*httptest.ResponseRecorder, uuid.UUID) {
			id := ts.seed(seeded{description: "Lampan är trasig"})
			return ts.do("GET", "/v1/staff/reports/"+id.String(), nil, append(bearer(tok), why...)...), id
		}},
		{"change", privacy.ActionReadReport, func() (*httptest.ResponseRecorder, uuid.UUID) {
			id := ts.seed(seeded{contact: contact})
			return ts.do("PATCH", "/v1/staff/reports/"+id.String(), map[string]any{"status": "triaged"},
				append(bearer(tok), append(why, "If-Match", `"1"`)...)...), id
		}},
		{"merge", privacy.ActionReadReport, func() (*httptest.ResponseRecorder, uuid.UUID) {
			keep, dup := ts.seed(seeded{}), ts.seed(seeded{description: "Samma lampa"})
			return ts.do("POST", "/v1/staff/reports/"+dup.String()+"/merge", map[string]any{"into": keep}, append(bearer(tok), why...)...), dup
		}},
		{"unmerge", privacy.ActionReadReport, func() (*httptest.ResponseRecorder, uuid.UUID) {
			keep, dup := ts.seed(seeded{}), ts.seed(seeded{contact: contact})
			if w := ts.do("POST", "/v1/staff/reports/"+dup.String()+"/merge", map[string]any{"into": keep}, bearer(tok)...); w.Code != 200 {
				t.Fatalf("merge: %d %s", w.Code, w.Body)
			}
			return ts.do("POST", "/v1/staff/reports/"+dup.String()+"/unmerge", nil, append(bearer(tok), why...)...), dup
		}},
		{"duplicate suggestions", privacy.ActionReadReport, func() (*httptest.ResponseRecorder, uuid.UUID) {
			of, cand := ts.seed(seeded{}), ts.seed(seeded{description: "Lyktan vid torget"})
			return ts.do("GET", "/v1/staff/reports/"+of.String()+"/duplicates", nil, append(bearer(tok), why...)...), cand
		}},
		{"extract", privacy.ActionExtract, func() (*httptest.ResponseRecorder, uuid.UUID) {
			id := ts.seed(seeded{contact: contact})
			return ts.do("GET", "/v1/admin/reports/"+id.String()+"/extract", nil, append(bearer(tok), why...)...), id
		}},
	}
	for _, r := range routes {
		w, id := r.send()
		if w.Code != 200 {
			t.Errorf("%s: %d %s", r.name, w.Code, w.Body)
			continue
		}
		list := ts.auditOf(id)
		if len(list) == 0 {
			t.Errorf("%s: no audit entry for report %s", r.name, id)
			continue
		}
		e := list[0]
		if e.Action != r.action || e.Actor != "admin:admin" || e.Reason != "ärende 2026/123" || e.Municipality != "1781" || e.TokenID == nil {
			t.Errorf("%s: entry %+v, want %s by admin:admin with the reason, in 1781", r.name, e, r.action)
		}
	}

	// A report without contact or text shows no personal data: no entry.
	plain := ts.seed(seeded{})
	if w := ts.do("GET", "/v1/staff/reports/"+plain.String(), nil, bearer(tok)...); w.Code != 200 || len(ts.auditOf(plain)) != 0 {
		t.Errorf("plain report: %d, %d entries; want 200 and none", w.Code, len(ts.auditOf(plain)))
	}
	// A lägesbild export is recorded; the JSON read is not.
	before := ts.count("audit_log")
	if w := ts.do("GET", "/v1/lagesbild?municipality=1781&period=2026-11", nil, bearer(tok)...); w.Code != 200 || ts.count("audit_log") != before {
		t.Errorf("lägesbild json: %d, audit %d → %d; want no entry", w.Code, before, ts.count("audit_log"))
	}
	if w := ts.do("GET", "/v1/lagesbild?municipality=1781&period=2026-11&format=csv&section=totals", nil, append(bearer(tok), why...)...); w.Code != 200 {
		t.Errorf("lägesbild csv: %d %s", w.Code, w.Body)
	}
	page := decode[auditPage](t, ts.do("GET", "/v1/admin/audit?limit=1", nil, bearer(tok)...))
	if len(page.Entries) != 1 || page.Entries[0].Action != privacy.ActionExport || page.Entries[0].Detail["format"] != "csv" {
		t.Errorf("newest entry %+v, want the csv export", page.Entries)
	}
	// An over-long reason is refused before anything is read.
	before = ts.count("audit_log")
	w := ts.do("GET", "/v1/staff/reports/"+plain.String(), nil, append(bearer(tok), "X-Audit-Reason", strings.Repeat("x", 501))...)
	if w.Code != 400 || ts.count("audit_log") != before {
		t.Errorf("long reason: %d %s, want 400 and no entry", w.Code, w.Body)
	}
}

func TestAuditListing(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.token(auth.Admin, "1781")
	anna, bo := ts.token(auth.Caseworker, "1781"), ts.token(auth.Caseworker, "1781")
	other := ts.token(auth.Caseworker, "1782")
	var mine []uuid.UUID
	for i := range 5 {
		// A kilometre apart: at one place each would be suggested as the
		// others' duplicate in the staff view, and reading a suggestion's
		// text is audited too.
		id := ts.seed(seeded{description: "text", at: [2]float64{kristinehamnCentre[0] + 0.02*float64(i), kristinehamnCentre[1]}})
		mine = append(mine, id)
		tok := anna
		if i%2 == 1 {
			tok = bo
		}
		ts.now = ts.now.Add(time.Minute)
		if w := ts.do("GET", "/v1/staff/reports/"+id.String(), nil, bearer(tok)...); w.Code != 200 {
			t.Fatal(w.Code, w.Body)
		}
	}
	far := ts.seed(seeded{at: filipstadCentre, description: "text"})
	if w := ts.do("GET", "/v1/staff/reports/"+far.String(), nil, bearer(other)...); w.Code != 200 {
		t.Fatal(w.Code, w.Body)
	}
	// The tokens were all created with their role as name: actors differ by token id only.
	get := func(q string) auditPage {
		w := ts.do("GET", "/v1/admin/audit"+q, nil, bearer(admin)...)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", q, w.Code, w.Body)
		}
		return decode[auditPage](t, w)
	}
	all := get("")
	if len(all.Entries) != 5 || all.NextCursor != "" {
		t.Fatalf("entries %d (cursor %q), want the 5 of 1781 only", len(all.Entries), all.NextCursor)
	}
	if *all.Entries[0].ReportID != mine[4] || *all.Entries[4].ReportID != mine[0] {
		t.Errorf("not newest first: %v … %v", all.Entries[0].ReportID, all.Entries[4].ReportID)
	}
	// Paging with a cursor returns every entry once.
	seen := map[int64]bool{}
	for q := "?limit=2"; ; {
		p := get(q)
		for _, e := range p.Entries {
			if seen[e.ID] {
				t.Fatalf("entry %d twice", e.ID)
			}
			seen[e.ID] = true
		}
		if p.NextCursor == "" {
			break
		}
		q = "?limit=2&cursor=" + p.NextCursor
	}
	if len(seen) != 5 {
		t.Errorf("paging saw %d entries, want 5", len(seen))
	}
	if p := get("?report=" + mine[2].String()); len(p.Entries) != 1 || *p.Entries[0].ReportID != mine[2] {
		t.Errorf("report filter: %+v", p.Entries)
	}
	if p := get("?actor=caseworker:caseworker"); len(p.Entries) != 5 {
		t.Errorf("actor filter: %d entries, want 5", len(p.Entries))
	}
	if p := get("?actor=admin:admin"); len(p.Entries) != 0 {
		t.Errorf("actor filter for someone who read nothing: %d entries", len(p.Entries))
	}
	from := all.Entries[3].At.Format(time.RFC3339)
	to := all.Entries[1].At.Format(time.RFC3339)
	if p := get("?from=" + from + "&to=" + to); len(p.Entries) != 2 {
		t.Errorf("from %s to %s: %d entries, want 2", from, to, len(p.Entries))
	}
	for _, q := range []string{"?report=nope", "?from=yesterday", "?limit=0", "?cursor=zzz", "?from=" + to + "&to=" + from} {
		if w := ts.do("GET", "/v1/admin/audit"+q, nil, bearer(admin)...); w.Code != 400 {
			t.Errorf("%s: %d, want 400", q, w.Code)
		}
	}
	// No route changes the log.
	n := ts.count("audit_log")
	for _, m := range []string{"DELETE", "PATCH", "PUT", "POST"} {
		if w := ts.do(m, "/v1/admin/audit", map[string]any{}, bearer(admin)...); w.Code < 400 {
			t.Errorf("%s /v1/admin/audit: %d, want refused", m, w.Code)
		}
	}
	if ts.count("audit_log") != n {
		t.Error("the audit log changed")
	}
}

func TestDataSubjectRequests(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.token(auth.Admin, "1781")
	byContact := ts.seed(seeded{contact: &report.Contact{Name: "Anna Svensson", Email: "Anna@Example.se", Phone: "+46 70-123 45 67"},
		description: "Mörkt vid busshållplatsen"})
	byPhone := ts.seed(seeded{contact: &report.Contact{Phone: "070 123 45 67"}})
	byText := ts.seed(seeded{description: "Ring mig på 070-1234567 om lampan"})
	stranger := ts.seed(seeded{contact: &report.Contact{Email: "bo@example.se"}, description: "Annan sak"})
	elsewhere := ts.seed(seeded{at: filipstadCentre, contact: &report.Contact{Email: "anna@example.se"}})
	if _, err := ts.db.Pool.Exec(context.Background(), `INSERT INTO photos (id, report_id, content_type, width, height, sha256, bytes)
VALUES ($1, $2, 'image/jpeg', 1, 1, '\x01', '\xffd8ffe0')`, uuid.New(), byContact); err != nil {
		t.Fatal(err)
	}
	subject := map[string]any{"email": " anna@example.se ", "phone": "0701234567"}

	type found struct {
		Reports []struct {
			ID        uuid.UUID `json:"id"`
			MatchedBy []string  `json:"matched_by"`
			Erased    bool      `json:"erased"`
		} `json:"reports"`
	}
	w := ts.do("POST", "/v1/admin/dsr/search", subject, bearer(admin)...)
	if w.Code != 200 {
		t.Fatalf("search: %d %s", w.Code, w.Body)
	}
	got := map[uuid.UUID][]string{}
	for _, r := range decode[found](t, w).Reports {
		got[r.ID] = r.MatchedBy
	}
	if len(got) != 3 || got[byContact] == nil || got[byPhone] == nil || got[byText] == nil {
		t.Errorf("search found %v, want the three reports of 1781 linked to the subject", got)
	}
	if strings.Join(got[byContact], ",") != "contact.email,contact.phone" || strings.Join(got[byText], ",") != "description" {
		t.Errorf("matched_by %v", got)
	}
	if strings.Contains(w.Body.String(), "Svensson") || strings.Contains(w.Body.String(), "busshållplatsen") {
		t.Error("the search shows personal data; only the export may")
	}
	if w := ts.do("POST", "/v1/admin/dsr/search", map[string]any{}, bearer(admin)...); w.Code != 400 {
		t.Errorf("empty subject: %d", w.Code)
	}
	if w := ts.do("POST", "/v1/admin/dsr/search", map[string]any{"email": "not-an-address"}, bearer(admin)...); w.Code != 400 {
		t.Errorf("bad e-mail: %d", w.Code)
	}

	w = ts.do("POST", "/v1/admin/dsr/export", subject, bearer(admin)...)
	if w.Code != 200 {
		t.Fatalf("export: %d %s", w.Code, w.Body)
	}
	export := decode[struct {
		Reports []privacy.SubjectReport `json:"reports"`
	}](t, w)
	var full *privacy.SubjectReport
	for i := range export.Reports {
		if export.Reports[i].ID == byContact {
			full = &export.Reports[i]
		}
	}
	if len(export.Reports) != 3 || full == nil || full.Contact["name"] != "Anna Svensson" || full.Description != "Mörkt vid busshållplatsen" ||
		len(full.Photos) != 1 || base64.StdEncoding.EncodeToString(full.Photos[0].Data) != base64.StdEncoding.EncodeToString([]byte{0xff, 0xd8, 0xff, 0xe0}) ||
		len(full.Events) == 0 {
		t.Errorf("export %+v, want 3 reports with contact, text, photo bytes and history", export.Reports)
	}
	if len(ts.auditOf(byText)) != 2 { // search and export
		t.Errorf("entries about a found report: %+v", ts.auditOf(byText))
	}

	reportsBefore := ts.count("reports")
	w = ts.do("POST", "/v1/admin/dsr/erase", subject, append(bearer(admin), "X-Audit-Reason", "begäran om radering 2026-11-20")...)
	if w.Code != 200 {
		t.Fatalf("erase: %d %s", w.Code, w.Body)
	}
	erased := decode[struct {
		Erased privacy.Erasure `json:"erased"`
	}](t, w).Erased
	if erased != (privacy.Erasure{Reports: 3, Contacts: 2, Texts: 2, Photos: 1, FollowUps: 3}) {
		t.Errorf("erased %+v", erased)
	}
	var left int
	if err := ts.db.Pool.QueryRow(context.Background(), `
SELECT (SELECT count(*) FROM report_contacts WHERE report_id = ANY($1)) + (SELECT count(*) FROM reports WHERE id = ANY($1) AND description IS NOT NULL)
     + (SELECT count(*) FROM photos WHERE report_id = ANY($1))`, []uuid.UUID{byContact, byPhone, byText}).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 || ts.count("reports") != reportsBefore {
		t.Errorf("after erasure %d personal fields left, reports %d → %d; want none left and the reports kept", left, reportsBefore, ts.count("reports"))
	}
	// The stranger and the other municipality's report are untouched.
	for _, id := range []uuid.UUID{stranger, elsewhere} {
		var n int
		_ = ts.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM report_contacts WHERE report_id = $1`, id).Scan(&n)
		if n != 1 {
			t.Errorf("report %s lost its contact", id)
		}
	}
	if e := ts.auditOf(byPhone)[0]; e.Action != privacy.ActionDSRErase || e.Reason != "begäran om radering 2026-11-20" {
		t.Errorf("erase entry %+v", e)
	}
	// Erasing again finds nothing left to erase.
	w = ts.do("POST", "/v1/admin/dsr/erase", subject, bearer(admin)...)
	if w.Code != 200 || decode[struct {
		Erased privacy.Erasure `json:"erased"`
	}](t, w).Erased != (privacy.Erasure{}) {
		t.Errorf("second erase: %d %s", w.Code, w.Body)
	}
}

func TestPublicRecordExtract(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.token(auth.Admin, "1781")
	id := ts.seed(seeded{contact: &report.Contact{Name: "Sven Ek", Email: "sven@example.se", Phone: "0701234567"},
		description: "Sven här, mejla sven@example.se eller ring 070-123 45 67. Lampan vid Storgatan är trasig."})
	w := ts.do("GET", "/v1/admin/reports/"+id.String()+"/extract", nil, bearer(admin)...)
	if w.Code != 200 {
		t.Fatalf("extract: %d %s", w.Code, w.Body)
	}
	e := decode[privacy.Extract](t, w)
	if e.Unmasked || e.Contact == nil || e.Contact.Name != privacy.MaskContact || e.Contact.Email != privacy.MaskContact ||
		e.Description != "[namn] här, mejla [e-post] eller ring [telefon]. Lampan vid Storgatan är trasig." || e.MaskingRule == "" {
		t.Errorf("masked extract %+v", e)
	}
	if strings.Contains(w.Body.String(), "sven@") || strings.Contains(w.Body.String(), "Ek") {
		t.Errorf("personal data in the masked extract: %s", w.Body)
	}
	if w := ts.do("GET", "/v1/admin/reports/"+id.String()+"/extract?unmask=true", nil, bearer(admin)...); w.Code != 400 {
		t.Errorf("unmask without a reason: %d, want 400", w.Code)
	}
	w = ts.do("GET", "/v1/admin/reports/"+id.String()+"/extract?unmask=true", nil, append(bearer(admin), "X-Audit-Reason", "begäran från polisen, dnr 5000-K123")...)
	if e := decode[privacy.Extract](t, w); w.Code != 200 || !e.Unmasked || e.Contact.Email != "sven@example.se" || !strings.Contains(e.Description, "070-123 45 67") {
		t.Errorf("unmasked extract: %d %+v", w.Code, e)
	}
	list := ts.auditOf(id)
	if len(list) != 2 || list[0].Action != privacy.ActionExtractUnmasked || list[0].Reason != "begäran från polisen, dnr 5000-K123" || list[1].Action != privacy.ActionExtract {
		t.Errorf("entries %+v, want extract then extract.unmasked with its reason", list)
	}
}
