package report

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

func TestDecodeChange(t *testing.T) {
	tests := []struct {
		body  string
		kind  apperr.Kind
		field string
	}{
		{body: `{"status":"triaged"}`},
		{body: `{"visibility":"published","note":"ok","public_note":true}`},
		{body: `{}`, kind: apperr.Invalid},
		{body: `{"status":"done"}`, kind: apperr.Invalid, field: "status"},
		{body: `{"visibility":"secret"}`, kind: apperr.Invalid, field: "visibility"},
		{body: `{"public_note":true}`, kind: apperr.Invalid},
		{body: `{"note":"   "}`, kind: apperr.Invalid, field: "note"},
		{body: `{"note":"` + strings.Repeat("å", MaxNote+1) + `"}`, kind: apperr.Invalid, field: "note"},
		{body: `{"status":"triaged","owner":"x"}`, kind: apperr.Invalid, field: "owner"},
		{body: `{"status":1}`, kind: apperr.Invalid, field: "status"},
		{body: `{"status":"triaged"} {}`, kind: apperr.Invalid},
		{body: `{"status":`, kind: apperr.Invalid},
	}
	for _, tt := range tests {
		_, err := DecodeChange(strings.NewReader(tt.body))
		if tt.kind == "" {
			if err != nil {
				t.Errorf("%.40s: %v", tt.body, err)
			}
			continue
		}
		e, ok := apperr.As(err)
		if !ok || e.Kind != tt.kind {
			t.Errorf("%.40s: error %v, want %s", tt.body, err, tt.kind)
			continue
		}
		if tt.field != "" {
			if d, _ := e.Details.(map[string]string); d["field"] != tt.field {
				t.Errorf("%.40s: details %v, want field %s", tt.body, e.Details, tt.field)
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestPlan(t *testing.T) {
	at := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)
	fel := Report{ID: uuid.New(), Kind: KindFelanmalan, Status: Received, Visibility: Pending, Version: 3}
	otr := Report{ID: uuid.New(), Kind: KindOtrygghet, Status: Received, Visibility: Pending, Version: 1}
	tests := []struct {
		name       string
		cur        Report
		ch         Change
		kind       apperr.Kind
		status     Status
		visibility Visibility
		events     []string // type:public
	}{
		{name: "triage", cur: fel, ch: Change{Status: ptr(Triaged)}, status: Triaged, visibility: Pending, events: []string{"status:true"}},
		{name: "status, moderation and internal note at once", cur: fel,
			ch:     Change{Status: ptr(InProgress), Visibility: ptr(Published), Note: ptr("Beställt.")},
			status: InProgress, visibility: Published, events: []string{"status:true", "visibility:false", "note:false"}},
		{name: "public note", cur: fel, ch: Change{Note: ptr("Lagat."), PublicNote: true}, status: Received, visibility: Pending, events: []string{"note:true"}},
		{name: "received cannot be resolved directly", cur: fel, ch: Change{Status: ptr(Resolved)}, kind: apperr.Conflict},
		{name: "duplicate only by merging", cur: fel, ch: Change{Status: ptr(Duplicate)}, kind: apperr.Conflict},
		{name: "otrygghet has no status workflow", cur: otr, ch: Change{Status: ptr(Triaged)}, kind: apperr.Conflict},
		{name: "otrygghet can be moderated", cur: otr, ch: Change{Visibility: ptr(Hidden)}, status: Received, visibility: Hidden, events: []string{"visibility:false"}},
		{name: "same values change nothing", cur: fel, ch: Change{Status: ptr(Received), Visibility: ptr(Pending)}, status: Received, visibility: Pending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := Plan(tt.cur, tt.ch, "caseworker:Anna", at)
			if tt.kind != "" {
				if apperr.KindOf(err) != tt.kind {
					t.Fatalf("error %v, want %s", err, tt.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if u.Status != tt.status || u.Visibility != tt.visibility {
				t.Errorf("status %s visibility %s, want %s %s", u.Status, u.Visibility, tt.status, tt.visibility)
			}
			if len(u.Events) != len(tt.events) {
				t.Fatalf("%d events, want %d", len(u.Events), len(tt.events))
			}
			for i, e := range u.Events {
				got := e.Type + ":" + map[bool]string{true: "true", false: "false"}[e.Public]
				if got != tt.events[i] || e.Actor != "caseworker:Anna" || e.ActorKind != "staff" || !e.At.Equal(at) {
					t.Errorf("event %d = %s by %s/%s at %v, want %s by caseworker:Anna/staff at %v", i, got, e.Actor, e.ActorKind, e.At, tt.events[i], at)
				}
			}
		})
	}
}

func TestPlanMerge(t *testing.T) {
	at := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)
	a := Report{ID: uuid.New(), Reference: "AAAA-AAAA", Kind: KindFelanmalan, Status: Triaged}
	b := Report{ID: uuid.New(), Reference: "BBBB-BBBB", Kind: KindFelanmalan, Status: InProgress}
	otr := Report{ID: uuid.New(), Reference: "CCCC-CCCC", Kind: KindOtrygghet, Status: Received}
	dupOfB := Report{ID: uuid.New(), Reference: "DDDD-DDDD", Kind: KindFelanmalan, Status: Duplicate, DuplicateOf: &b.ID}
	for _, tt := range []struct {
		name        string
		dup, target Report
	}{
		{"into itself", a, a},
		{"into a duplicate", a, dupOfB},
		{"a duplicate again", dupOfB, a},
		{"across kinds", a, otr},
	} {
		if _, _, err := PlanMerge(tt.dup, tt.target, Merge{Into: tt.target.ID}, "admin:x", at); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("%s: error %v, want conflict", tt.name, err)
		}
	}
	du, tu, err := PlanMerge(a, b, Merge{Into: b.ID, Note: ptr("Samma lampa.")}, "caseworker:Anna", at)
	if err != nil {
		t.Fatal(err)
	}
	if du.Status != Duplicate || du.DuplicateOf == nil || *du.DuplicateOf != b.ID {
		t.Errorf("duplicate update %+v", du)
	}
	if tu.Status != InProgress || tu.DuplicateOf != nil {
		t.Errorf("the kept report changed state: %+v", tu)
	}
	// The resident sees the merge, not the caseworker's note.
	if len(du.Events) != 2 || !du.Events[0].Public || du.Events[0].Note != "" || du.Events[0].FromStatus != Triaged ||
		du.Events[1].Type != EventNote || du.Events[1].Public {
		t.Errorf("duplicate events %+v", du.Events)
	}
	if len(tu.Events) != 1 || tu.Events[0].Public || tu.Events[0].Data["merged"] != a.ID {
		t.Errorf("kept report events %+v", tu.Events)
	}
}
