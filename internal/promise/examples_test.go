package promise

import "testing"

// The examples must be valid promises, and their activities must point at
// commitments that exist.
func TestExamplesAreValid(t *testing.T) {
	ex := Examples()
	if len(ex) != 4 {
		t.Fatalf("%d examples", len(ex))
	}
	for _, e := range ex {
		p := e.Promise
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.Title, err)
		}
		for _, a := range e.Activities {
			if a.Commitment < 0 || a.Commitment >= len(p.Commitments) {
				t.Errorf("%s: activity for commitment %d", p.Title, a.Commitment)
			}
			if a.Activity.OccurredOn.Before(p.ValidFrom.Time) || a.Activity.OccurredOn.After(p.ValidTo.Time) {
				t.Errorf("%s: activity on %s outside validity", p.Title, a.Activity.OccurredOn.Format("2006-01-02"))
			}
		}
	}
}
