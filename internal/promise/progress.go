package promise

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/lagesbild"
)

// IndicatorProgress is one evaluated indicator.
type IndicatorProgress struct {
	ID    uuid.UUID     `json:"id"`
	Kind  IndicatorKind `json:"kind"`
	Label string        `json:"label"`
	Result
}

// CommitmentProgress is one commitment and its indicators.
type CommitmentProgress struct {
	ID               uuid.UUID           `json:"id"`
	Text             string              `json:"text"`
	Responsible      Responsible         `json:"responsible"`
	ResponsibleOther string              `json:"responsible_other,omitempty"`
	Status           Status              `json:"status"`
	Indicators       []IndicatorProgress `json:"indicators"`
	Activities       int                 `json:"activities"`
}

// Progress is a promise's state on a day.
type Progress struct {
	ID           uuid.UUID            `json:"id"`
	Municipality string               `json:"municipality"`
	Title        string               `json:"title"`
	Partners     []string             `json:"partners"`
	ValidFrom    Date                 `json:"valid_from"`
	ValidTo      Date                 `json:"valid_to"`
	FollowUp     string               `json:"follow_up"`
	AsOf         time.Time            `json:"as_of"`
	Status       Status               `json:"status"`
	Commitments  []CommitmentProgress `json:"commitments"`
}

// Evaluate measures and judges every indicator of p as of now. activities is
// how many activities were logged per commitment (shown, not judged).
func Evaluate(ctx context.Context, m Measurer, p Promise, activities map[uuid.UUID]int, now time.Time) (Progress, error) {
	pr := Progress{ID: p.ID, Municipality: p.Municipality, Title: p.Title, Partners: p.Partners, ValidFrom: p.ValidFrom,
		ValidTo: p.ValidTo, FollowUp: p.FollowUp, AsOf: now, Commitments: []CommitmentProgress{}}
	var all []Result
	for _, c := range p.Commitments {
		cp := CommitmentProgress{ID: c.ID, Text: c.Text, Responsible: c.Responsible, ResponsibleOther: c.ResponsibleOther,
			Activities: activities[c.ID], Indicators: []IndicatorProgress{}}
		var rs []Result
		for _, ind := range c.Indicators {
			r, err := evaluateOne(ctx, m, p, c, ind, now)
			if err != nil {
				return pr, err
			}
			rs = append(rs, r)
			cp.Indicators = append(cp.Indicators, IndicatorProgress{ID: ind.ID, Kind: ind.Kind, Label: ind.Label, Result: r})
		}
		cp.Status = Overall(rs)
		if len(rs) == 0 {
			cp.Status = NotYetMeasurable
		}
		all = append(all, Result{Status: cp.Status})
		pr.Commitments = append(pr.Commitments, cp)
	}
	pr.Status = Overall(all)
	return pr, nil
}

// validity is the promise's days as a half-open range in Europe/Stockholm.
func validity(p Promise) (time.Time, time.Time) {
	from := time.Date(p.ValidFrom.Year(), p.ValidFrom.Month(), p.ValidFrom.Day(), 0, 0, 0, 0, lagesbild.Stockholm)
	to := time.Date(p.ValidTo.Year(), p.ValidTo.Month(), p.ValidTo.Day(), 0, 0, 0, 0, lagesbild.Stockholm).AddDate(0, 0, 1)
	return from, to
}

func evaluateOne(ctx context.Context, m Measurer, p Promise, c Commitment, ind Indicator, now time.Time) (Result, error) {
	q := ind.Params
	switch ind.Kind {
	case ActivityCount:
		from, to := validity(p)
		counts, err := m.ActivitiesPerYear(ctx, p.Municipality, c.ID, q.ActivityType, from, to)
		if err != nil {
			return Result{}, err
		}
		var years []YearCount
		for y := from.Year(); y <= to.Add(-time.Nanosecond).Year(); y++ {
			start := time.Date(y, 1, 1, 0, 0, 0, 0, lagesbild.Stockholm)
			if now.Before(start) || now.Before(from) {
				break
			}
			end := start.AddDate(1, 0, 0)
			if to.Before(end) {
				end = to
			}
			years = append(years, YearCount{Year: y, Count: counts[y], Complete: !now.Before(end)})
		}
		return EvaluateActivities(years, q.PerYear), nil
	case ReportCount, EventCount:
		base, err1 := lagesbild.ParsePeriod(q.Baseline)
		cur, err2 := lagesbild.ParsePeriod(q.Current)
		if err1 != nil || err2 != nil {
			return Result{Status: NotYetMeasurable, How: "Perioderna går inte att läsa."}, nil
		}
		count := func(from, to time.Time) (*float64, error) {
			var n int
			var err error
			if ind.Kind == ReportCount {
				n, err = m.CountReports(ctx, p.Municipality, q.Categories, q.Area, from, to)
			} else {
				n, err = m.CountEvents(ctx, p.Municipality, q.EventTypes, q.Area, from, to)
			}
			v := float64(n)
			return &v, err
		}
		b, err := count(base.From, base.To)
		if err != nil {
			return Result{}, err
		}
		var cv *float64
		if !now.Before(cur.To) {
			if cv, err = count(cur.From, cur.To); err != nil {
				return Result{}, err
			}
		}
		r := EvaluateOutcome(Outcome{Baseline: b, Current: cv, CurrentEnds: cur.To, Unit: "%"}, q.Direction, q.Change, now)
		r.How = base.Label + " mot " + cur.Label + ". " + r.How
		r.counted = []*float64{b, cv}
		return r, nil
	case SurveyValue:
		b, bn, err := m.SurveyResult(ctx, p.Municipality, q.Area, q.SurveyIndicator, q.BaselineYear)
		if err != nil {
			return Result{}, err
		}
		cv, cn, err := m.SurveyResult(ctx, p.Municipality, q.Area, q.SurveyIndicator, q.CurrentYear)
		if err != nil {
			return Result{}, err
		}
		ends := lagesbild.YearPeriod(q.CurrentYear).From
		if cv != nil {
			ends = time.Time{} // a published result can be judged at once
		}
		r := EvaluateOutcome(Outcome{Baseline: b, Current: cv, CurrentEnds: ends, Unit: "poäng"}, q.Direction, q.Change, now)
		r.How = "Trygghetsmätningen, " + q.SurveyIndicator + ", " + itoa(q.BaselineYear) + " mot " + itoa(q.CurrentYear) + ". " + r.How
		r.respondents = []*int{bn, cn}
		return r, nil
	}
	return Result{Status: NotYetMeasurable, How: "Okänd indikatortyp."}, nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// Public is the progress residents may see. An outcome indicator counted on
// reports or events shows no figures when its baseline or current count is
// between 1 and minCount-1 (few enough to point at a person, as in the public
// lägesbild), and a survey indicator none when its baseline or current result
// is known to rest on fewer than minCount respondents: its value is nil and
// how says why; its status stays, as that is what was promised. p is not
// changed.
func Public(p Progress, minCount int) Progress {
	small := func(f *float64) bool { return f != nil && *f > 0 && *f < float64(minCount) }
	few := func(n *int) bool { return n != nil && *n < minCount }
	cs := make([]CommitmentProgress, len(p.Commitments))
	for i, c := range p.Commitments {
		inds := make([]IndicatorProgress, len(c.Indicators))
		for j, ind := range c.Indicators {
			if slices.ContainsFunc(ind.counted, small) {
				ind.Value = nil
				ind.How = "Färre än " + itoa(minCount) + " i bas- eller jämförelseperioden; antalen visas inte offentligt."
			}
			if slices.ContainsFunc(ind.respondents, few) {
				ind.Value = nil
				ind.How = "Färre än " + itoa(minCount) + " svarande i bas- eller jämförelseåret; resultaten visas inte offentligt."
			}
			ind.counted, ind.respondents = nil, nil
			inds[j] = ind
		}
		c.Indicators = inds
		cs[i] = c
	}
	p.Commitments = cs
	return p
}
