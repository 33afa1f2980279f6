package promise

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Status is how far an indicator (or a commitment) has come.
type Status string

const (
	Fulfilled        Status = "fulfilled"
	Partly           Status = "partly"
	NotFulfilled     Status = "not_fulfilled"
	NotYetMeasurable Status = "not_yet_measurable"
)

// Result is an evaluated indicator.
type Result struct {
	Status Status   `json:"status"`
	Value  *float64 `json:"value"`
	Target string   `json:"target"`
	How    string   `json:"how"`
	// counted is the baseline and current counts of reports or events an
	// outcome indicator was judged on, for Public to suppress small ones.
	counted []*float64
	// respondents is the n behind the baseline and current survey results of
	// a survey indicator (nil where the survey did not say), for Public.
	respondents []*int
}

// YearCount is the activities of one calendar year of the promise's validity.
type YearCount struct {
	Year  int
	Count int
	// Complete is true once the year (or the validity) has ended.
	Complete bool
}

// EvaluateActivities judges a yearly activity target. Each year of the validity
// that has ended must reach the target; the running year counts once it has
// reached it and is otherwise still open. No year judged yet: partly when
// something was done, not yet measurable when nothing was.
func EvaluateActivities(years []YearCount, perYear int) Result {
	sort.Slice(years, func(i, j int) bool { return years[i].Year < years[j].Year })
	r := Result{Target: fmt.Sprintf("minst %d per år", perYear)}
	total, met, judged := 0, 0, 0
	var detail string
	for _, y := range years {
		total += y.Count
		detail += fmt.Sprintf(" %d: %d.", y.Year, y.Count)
		switch {
		case y.Count >= perYear:
			met++
			judged++
		case y.Complete:
			judged++
		}
	}
	v := float64(total)
	r.Value = &v
	switch {
	case len(years) == 0:
		r.Status, r.How = NotYetMeasurable, "Löftets giltighetstid har inte börjat."
		r.Value = nil
		return r
	case judged == 0 && total > 0:
		r.Status = Partly
	case judged == 0:
		r.Status = NotYetMeasurable
	case met == judged:
		r.Status = Fulfilled
	case met == 0 && total == 0:
		r.Status = NotFulfilled
	default:
		r.Status = Partly
	}
	r.How = fmt.Sprintf("Räknat per kalenderår under giltighetstiden; mål %d per år, %d av %d bedömda år nådde målet.%s", perYear, met, judged, detail)
	return r
}

// Outcome is a measured value in a baseline and a current period.
type Outcome struct {
	Baseline, Current *float64
	// CurrentEnds is when the current period ends; before then it is not judged.
	CurrentEnds time.Time
	// Unit is "%" for counts (change in per cent) or "poäng" for survey values
	// (change in points on the survey's scale).
	Unit string
}

// EvaluateOutcome judges a desired change: fulfilled when the change goes the
// desired way by at least size, partly when it goes that way but less, not
// fulfilled when it stays or goes the other way.
func EvaluateOutcome(o Outcome, direction string, size float64, now time.Time) Result {
	sign := -1.0
	word := "minska"
	if direction == "increase" {
		sign, word = 1, "öka"
	}
	r := Result{Target: fmt.Sprintf("%s med minst %g %s", word, size, o.Unit), Value: o.Current}
	switch {
	case now.Before(o.CurrentEnds):
		r.Status, r.How = NotYetMeasurable, "Jämförelseperioden är inte slut än ("+o.CurrentEnds.Format(time.DateOnly)+")."
		return r
	case o.Baseline == nil || o.Current == nil:
		r.Status, r.How = NotYetMeasurable, "Värde saknas för basperioden eller jämförelseperioden."
		return r
	}
	b, c := *o.Baseline, *o.Current
	var change float64
	if o.Unit == "%" {
		if b == 0 {
			r.Status, r.How = NotYetMeasurable, fmt.Sprintf("Basperioden har 0, så en procentuell förändring går inte att räkna (nu %g).", c)
			return r
		}
		change = (c - b) / b * 100
	} else {
		change = c - b
	}
	change = math.Round(change*10) / 10
	desired := sign * change
	switch {
	case desired >= size:
		r.Status = Fulfilled
	case desired > 0:
		r.Status = Partly
	default:
		r.Status = NotFulfilled
	}
	r.How = fmt.Sprintf("Basperiod %g, jämförelseperiod %g: förändring %+.1f %s.", b, c, change, o.Unit)
	return r
}

// Overall combines a commitment's indicator results: fulfilled when all are,
// not fulfilled when all judged ones failed, not yet measurable when none can be
// judged, otherwise partly.
func Overall(results []Result) Status {
	var judged, ok, failed int
	for _, r := range results {
		switch r.Status {
		case Fulfilled:
			judged++
			ok++
		case NotFulfilled:
			judged++
			failed++
		case Partly:
			judged++
		}
	}
	switch {
	case judged == 0:
		return NotYetMeasurable
	case ok == len(results):
		return Fulfilled
	case failed == judged:
		return NotFulfilled
	}
	return Partly
}
