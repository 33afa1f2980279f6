package walk

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

func TestRecordPatchStatusMovesForward(t *testing.T) {
	cases := []struct {
		from, to Status
		kind     apperr.Kind // "" when allowed
	}{
		{Planned, Held, ""},
		{Planned, FollowedUp, ""},
		{Held, Held, ""},
		{Held, FollowedUp, ""},
		{Held, Planned, apperr.Conflict},
		{FollowedUp, Held, apperr.Conflict},
		{Planned, "cancelled", apperr.Invalid},
	}
	for _, c := range cases {
		r := Record{Status: c.from}
		to := c.to
		err := RecordPatch{Status: &to}.Apply(&r)
		switch {
		case c.kind == "" && err != nil:
			t.Errorf("%s → %s refused: %v", c.from, c.to, err)
		case c.kind == "" && r.Status != c.to:
			t.Errorf("%s → %s left status %s", c.from, c.to, r.Status)
		case c.kind != "" && apperr.KindOf(err) != c.kind:
			t.Errorf("%s → %s: %v, want %s", c.from, c.to, err, c.kind)
		}
	}
}

func TestNewRecordValidate(t *testing.T) {
	at := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	neg := -1
	cases := []struct {
		name  string
		n     NewRecord
		field string // "" when valid
	}{
		{"valid", NewRecord{Municipality: "1781", Title: " Centrum ", StartsAt: at}, ""},
		{"no municipality", NewRecord{Title: "x", StartsAt: at}, "municipality"},
		{"bad municipality", NewRecord{Municipality: "17a1", Title: "x", StartsAt: at}, "municipality"},
		{"blank title", NewRecord{Municipality: "1781", Title: "  ", StartsAt: at}, "title"},
		{"no time", NewRecord{Municipality: "1781", Title: "x"}, "starts_at"},
		{"negative participants", NewRecord{Municipality: "1781", Title: "x", StartsAt: at, Participants: &neg}, "participants"},
		{"one-point route", NewRecord{Municipality: "1781", Title: "x", StartsAt: at, Route: []LatLon{{59, 18}}}, "route"},
		{"stop without name", NewRecord{Municipality: "1781", Title: "x", StartsAt: at, Stops: []RecordStop{{Point: LatLon{59, 18}}}}, "stops"},
		{"stop off the globe", NewRecord{Municipality: "1781", Title: "x", StartsAt: at, Stops: []RecordStop{{Name: "a", Point: LatLon{91, 18}}}}, "stops"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.n.Validate()
			if c.field == "" {
				if err != nil || c.n.Title != "Centrum" || c.n.Partners == nil {
					t.Errorf("valid walk: %v, title %q, partners %v", err, c.n.Title, c.n.Partners)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Details.(map[string]string)["field"] != c.field {
				t.Errorf("error %v, want one about %s", err, c.field)
			}
		})
	}
}

func TestMeasurePatch(t *testing.T) {
	walkID, later := uuid.New(), uuid.New()
	done, bogus := MeasureDone, MeasureStatus("forgotten")
	note, blank := "Buskarna klippta", " "
	cases := []struct {
		name  string
		patch MeasurePatch
		field string
	}{
		{"done at a later walk", MeasurePatch{Status: &done, CheckedAtWalk: &later, CheckNote: &note}, ""},
		{"note needs a walk", MeasurePatch{CheckNote: &note}, "checked_at_walk"},
		{"not at the same walk", MeasurePatch{CheckedAtWalk: &walkID}, "checked_at_walk"},
		{"unknown status", MeasurePatch{Status: &bogus}, "status"},
		{"blank owner", MeasurePatch{Owner: &blank}, "owner"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := Measure{WalkID: walkID, Status: MeasureOpen, Owner: "Park"}
			err := c.patch.Apply(&m)
			if c.field == "" {
				if err != nil || m.Status != MeasureDone || *m.CheckedAtWalk != later || m.CheckNote != note || m.Open() {
					t.Errorf("%v: %+v", err, m)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Details.(map[string]string)["field"] != c.field {
				t.Errorf("error %v, want one about %s", err, c.field)
			}
		})
	}
}

func TestTimeOfDayBySwedishClock(t *testing.T) {
	cases := []struct {
		utc  string
		want string
	}{
		{"2026-11-20T04:30:00Z", "morning"}, // 05:30 CET
		{"2026-11-20T08:59:00Z", "morning"}, // 09:59 CET
		{"2026-11-20T09:00:00Z", "day"},     // 10:00 CET
		{"2026-11-20T16:30:00Z", "evening"}, // 17:30 CET
		{"2026-07-01T20:30:00Z", "night"},   // 22:30 CEST
		{"2026-07-01T19:30:00Z", "evening"}, // 21:30 CEST
	}
	for _, c := range cases {
		at, _ := time.Parse(time.RFC3339, c.utc)
		if got := TimeOfDay(at); got != c.want {
			t.Errorf("%s: %s, want %s", c.utc, got, c.want)
		}
	}
}
