package promise

import (
	"testing"
	"time"
)

func f(x float64) *float64 { return &x }

func TestEvaluateActivities(t *testing.T) {
	cases := []struct {
		name  string
		years []YearCount
		want  Status
		value float64
	}{
		{"both years met", []YearCount{{2016, 2, true}, {2017, 3, true}}, Fulfilled, 5},
		{"one of two years met", []YearCount{{2016, 2, true}, {2017, 1, true}}, Partly, 3},
		{"nothing done in a finished year", []YearCount{{2016, 0, true}}, NotFulfilled, 0},
		{"running year already met", []YearCount{{2026, 2, false}}, Fulfilled, 2},
		{"running year under way", []YearCount{{2026, 1, false}}, Partly, 1},
		{"running year, nothing yet", []YearCount{{2026, 0, false}}, NotYetMeasurable, 0},
		{"finished year failed, running year started", []YearCount{{2025, 0, true}, {2026, 1, false}}, Partly, 1},
	}
	for _, c := range cases {
		r := EvaluateActivities(c.years, 2)
		if r.Status != c.want || r.Value == nil || *r.Value != c.value || r.How == "" {
			t.Errorf("%s: %+v, want %s", c.name, r, c.want)
		}
	}
	if r := EvaluateActivities(nil, 2); r.Status != NotYetMeasurable || r.Value != nil {
		t.Errorf("before validity: %+v", r)
	}
}

func TestEvaluateOutcome(t *testing.T) {
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	ended := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		o         Outcome
		direction string
		size      float64
		want      Status
	}{
		{"20 % fewer, 10 % wanted", Outcome{f(50), f(40), ended, "%"}, "decrease", 10, Fulfilled},
		{"exactly the size", Outcome{f(50), f(45), ended, "%"}, "decrease", 10, Fulfilled},
		{"4 % fewer, 10 % wanted", Outcome{f(50), f(48), ended, "%"}, "decrease", 10, Partly},
		{"more instead of fewer", Outcome{f(50), f(60), ended, "%"}, "decrease", 10, NotFulfilled},
		{"unchanged", Outcome{f(50), f(50), ended, "%"}, "decrease", 10, NotFulfilled},
		{"survey up 0.3 points, 0.2 wanted", Outcome{f(3.1), f(3.4), ended, "poäng"}, "increase", 0.2, Fulfilled},
		{"survey down", Outcome{f(3.1), f(3.0), ended, "poäng"}, "increase", 0.2, NotFulfilled},
		{"current period running", Outcome{f(50), nil, now.Add(time.Hour), "%"}, "decrease", 10, NotYetMeasurable},
		{"no baseline count", Outcome{f(0), f(3), ended, "%"}, "decrease", 10, NotYetMeasurable},
		{"survey not held", Outcome{f(3.1), nil, ended, "poäng"}, "increase", 0.2, NotYetMeasurable},
	}
	for _, c := range cases {
		if r := EvaluateOutcome(c.o, c.direction, c.size, now); r.Status != c.want || r.How == "" {
			t.Errorf("%s: %+v, want %s", c.name, r, c.want)
		}
	}
}

func TestOverall(t *testing.T) {
	r := func(s ...Status) []Result {
		var out []Result
		for _, x := range s {
			out = append(out, Result{Status: x})
		}
		return out
	}
	cases := []struct {
		in   []Result
		want Status
	}{
		{r(Fulfilled, Fulfilled), Fulfilled},
		{r(Fulfilled, NotFulfilled), Partly},
		{r(NotFulfilled, NotYetMeasurable), NotFulfilled},
		{r(NotYetMeasurable), NotYetMeasurable},
		{r(Fulfilled, NotYetMeasurable), Partly},
		{r(Partly), Partly},
	}
	for i, c := range cases {
		if got := Overall(c.in); got != c.want {
			t.Errorf("%d: %s, want %s", i, got, c.want)
		}
	}
}
