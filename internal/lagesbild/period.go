// Package lagesbild is the EST group's shared problem picture: for a municipality
// (or one area) and a period, what was reported, by kind, category and area, how
// that compares with the period before and the same period a year earlier, how
// felanmälningar are being handled, what other sources and walks add, and how
// the medborgarlöften stand.
//
// The package is pure: it parses periods (in Europe/Stockholm), computes changes,
// rolls leaf counts up the category tree and suppresses small counts for the
// public variant. Counting is the store's job (internal/postgres/lagesbild.go).
package lagesbild

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/trygg/trygg/internal/apperr"
)

// Granularity is the sort of period.
type Granularity string

const (
	Week    Granularity = "week"
	Month   Granularity = "month"
	Quarter Granularity = "quarter"
	Year    Granularity = "year"
	Custom  Granularity = "custom"
)

// Period is a half-open interval [From, To) of local days in Europe/Stockholm.
// From and To are midnights in that zone, so a week across the change to or from
// summer time is 167 or 169 hours long, as the calendar says.
type Period struct {
	Label       string      `json:"label"`
	Granularity Granularity `json:"granularity"`
	From        time.Time   `json:"from"`
	To          time.Time   `json:"to"`
}

// Stockholm is the zone every period is read in.
var Stockholm = mustZone("Europe/Stockholm")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // the Go distribution embeds tzdata via time/tzdata in main
	}
	return loc
}

var (
	weekRE    = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)
	monthRE   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	quarterRE = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
	yearRE    = regexp.MustCompile(`^(\d{4})$`)
	rangeRE   = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$`)
)

// ParsePeriod reads 2026-W47, 2026-11, 2026-Q3, 2026 or 2026-01-01..2026-03-31
// (both days included).
func ParsePeriod(s string) (Period, error) {
	bad := func(why string) (Period, error) {
		return Period{}, apperr.Field("period", "period %q: %s (use 2026-W47, 2026-11, 2026-Q3, 2026 or 2026-01-01..2026-03-31)", s, why)
	}
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	switch {
	case weekRE.MatchString(s):
		m := weekRE.FindStringSubmatch(s)
		y, w := atoi(m[1]), atoi(m[2])
		if w < 1 || w > ISOWeeks(y) {
			return bad(fmt.Sprintf("%d has %d ISO weeks", y, ISOWeeks(y)))
		}
		return WeekPeriod(y, w), nil
	case monthRE.MatchString(s):
		m := monthRE.FindStringSubmatch(s)
		mo := atoi(m[2])
		if mo < 1 || mo > 12 {
			return bad("no such month")
		}
		return MonthPeriod(atoi(m[1]), time.Month(mo)), nil
	case quarterRE.MatchString(s):
		m := quarterRE.FindStringSubmatch(s)
		return QuarterPeriod(atoi(m[1]), atoi(m[2])), nil
	case yearRE.MatchString(s):
		return YearPeriod(atoi(s)), nil
	case rangeRE.MatchString(s):
		m := rangeRE.FindStringSubmatch(s)
		from, err1 := time.ParseInLocation(time.DateOnly, m[1], Stockholm)
		last, err2 := time.ParseInLocation(time.DateOnly, m[2], Stockholm)
		if err1 != nil || err2 != nil {
			return bad("not a calendar date")
		}
		if last.Before(from) {
			return bad("the range ends before it starts")
		}
		if last.Sub(from) > 3*366*24*time.Hour {
			return bad("a custom range may be at most three years")
		}
		return CustomPeriod(from, last.AddDate(0, 0, 1)), nil
	}
	return bad("unknown form")
}

// ISOWeeks is the number of ISO 8601 weeks in year: 53 when 28 December falls in
// week 53, else 52.
func ISOWeeks(year int) int {
	_, w := time.Date(year, 12, 28, 12, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// WeekPeriod is ISO week w of ISO year y: Monday to Monday.
func WeekPeriod(y, w int) Period {
	// 4 January is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, Stockholm)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(w-1))
	return Period{Label: fmt.Sprintf("%04d-W%02d", y, w), Granularity: Week, From: monday, To: monday.AddDate(0, 0, 7)}
}

// MonthPeriod is one calendar month.
func MonthPeriod(y int, m time.Month) Period {
	from := time.Date(y, m, 1, 0, 0, 0, 0, Stockholm)
	return Period{Label: fmt.Sprintf("%04d-%02d", y, int(m)), Granularity: Month, From: from, To: from.AddDate(0, 1, 0)}
}

// QuarterPeriod is quarter q (1–4) of year y.
func QuarterPeriod(y, q int) Period {
	from := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, Stockholm)
	return Period{Label: fmt.Sprintf("%04d-Q%d", y, q), Granularity: Quarter, From: from, To: from.AddDate(0, 3, 0)}
}

// YearPeriod is one calendar year.
func YearPeriod(y int) Period {
	from := time.Date(y, 1, 1, 0, 0, 0, 0, Stockholm)
	return Period{Label: fmt.Sprintf("%04d", y), Granularity: Year, From: from, To: from.AddDate(1, 0, 0)}
}

// CustomPeriod is [from, to) between two local midnights.
func CustomPeriod(from, to time.Time) Period {
	from, to = from.In(Stockholm), to.In(Stockholm)
	return Period{Label: from.Format(time.DateOnly) + ".." + to.AddDate(0, 0, -1).Format(time.DateOnly), Granularity: Custom, From: from, To: to}
}

// Days is the number of calendar days in the period.
func (p Period) Days() int {
	n := 0
	for d := p.From; d.Before(p.To); d = d.AddDate(0, 0, 1) {
		n++
	}
	return n
}

// Previous is the period just before, of the same kind: the week, month, quarter
// or year before; for a custom range, the same number of days ending where this
// one starts.
func (p Period) Previous() Period {
	switch p.Granularity {
	case Week:
		y, w := p.From.AddDate(0, 0, -7).ISOWeek()
		return WeekPeriod(y, w)
	case Month:
		f := p.From.AddDate(0, -1, 0)
		return MonthPeriod(f.Year(), f.Month())
	case Quarter:
		f := p.From.AddDate(0, -3, 0)
		return QuarterPeriod(f.Year(), (int(f.Month())-1)/3+1)
	case Year:
		return YearPeriod(p.From.Year() - 1)
	}
	return CustomPeriod(p.From.AddDate(0, 0, -p.Days()), p.From)
}

// LastYear is the same period a year earlier. For week 53, whose year before has
// no week 53, it is week 52 of that year: the last full week before the new year.
func (p Period) LastYear() Period {
	switch p.Granularity {
	case Week:
		y, w := p.From.ISOWeek()
		if w > ISOWeeks(y-1) {
			w = ISOWeeks(y - 1)
		}
		return WeekPeriod(y-1, w)
	case Month:
		return MonthPeriod(p.From.Year()-1, p.From.Month())
	case Quarter:
		return QuarterPeriod(p.From.Year()-1, (int(p.From.Month())-1)/3+1)
	case Year:
		return YearPeriod(p.From.Year() - 1)
	}
	return CustomPeriod(p.From.AddDate(-1, 0, 0), p.To.AddDate(-1, 0, 0))
}
