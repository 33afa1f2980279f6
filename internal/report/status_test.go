package report

import (
	"slices"
	"testing"

	"github.com/trygg/trygg/internal/apperr"
)

func TestCheckTransition(t *testing.T) {
	cases := []struct {
		kind     string
		from, to Status
		want     apperr.Kind // "" = allowed
	}{
		{KindFelanmalan, Received, Triaged, ""},
		{KindFelanmalan, Received, InProgress, ""},
		{KindFelanmalan, Received, Forwarded, ""},
		{KindFelanmalan, Received, Rejected, ""},
		{KindFelanmalan, Received, Resolved, apperr.Conflict},
		{KindFelanmalan, Triaged, Resolved, ""},
		{KindFelanmalan, InProgress, Resolved, ""},
		{KindFelanmalan, InProgress, Triaged, apperr.Conflict},
		{KindFelanmalan, Forwarded, InProgress, ""},
		{KindFelanmalan, Resolved, InProgress, ""}, // reopened
		{KindFelanmalan, Resolved, Received, apperr.Conflict},
		{KindFelanmalan, Rejected, Triaged, ""},
		{KindFelanmalan, Rejected, Resolved, apperr.Conflict},
		{KindFelanmalan, Duplicate, Triaged, apperr.Conflict},
		{KindFelanmalan, Received, Received, apperr.Conflict},
		{KindFelanmalan, Received, Duplicate, apperr.Conflict}, // only by merging
		{KindFelanmalan, Received, "closed", apperr.Invalid},
		{KindOtrygghet, Received, Triaged, apperr.Conflict}, // no repair workflow
	}
	for _, tc := range cases {
		err := CheckTransition(tc.kind, tc.from, tc.to)
		got := apperr.Kind("")
		if err != nil {
			got = apperr.KindOf(err)
		}
		if got != tc.want {
			t.Errorf("%s %s → %s: %q (%v), want %q", tc.kind, tc.from, tc.to, got, err, tc.want)
		}
	}
}

func TestTransitionConflictListsAllowed(t *testing.T) {
	e, ok := apperr.As(CheckTransition(KindFelanmalan, InProgress, Triaged))
	if !ok {
		t.Fatal("not an apperr")
	}
	d, _ := e.Details.(map[string]any)
	if allowed, _ := d["allowed"].([]Status); !slices.Equal(allowed, []Status{Forwarded, Resolved, Rejected}) {
		t.Errorf("details %v", e.Details)
	}
}

func TestStatusSets(t *testing.T) {
	open := map[Status]bool{Received: true, Triaged: true, InProgress: true, Forwarded: true,
		Resolved: false, Rejected: false, Duplicate: false}
	for s, want := range open {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
		if s.Open() != want {
			t.Errorf("%s.Open() = %v, want %v", s, s.Open(), want)
		}
	}
	if Status("closed").Valid() || Status("").Valid() {
		t.Error("unknown status valid")
	}
	// Every status a report can move to is itself a known status.
	for s := range open {
		for _, to := range Allowed(s) {
			if !to.Valid() || to == Duplicate || to == s {
				t.Errorf("%s may move to %q", s, to)
			}
		}
	}
}
