package demo

import (
	"strings"
	"testing"
	"time"
)

func TestObservedWithinTwoYearsBeforeNow(t *testing.T) {
	from := now.AddDate(-2, 0, 0)
	var firstQuarter, lastQuarter int
	for _, r := range generated {
		if r.ObservedAt.Before(from) || r.ObservedAt.After(now) {
			t.Fatalf("%s observed %v, outside %v – %v", r.ExternalKey, r.ObservedAt, from, now)
		}
		switch age := now.Sub(r.ObservedAt); {
		case age < now.Sub(from)/4:
			lastQuarter++
		case age > now.Sub(from)*3/4:
			firstQuarter++
		}
	}
	// Reporting grows as the service becomes known.
	if lastQuarter <= firstQuarter {
		t.Errorf("newest half-year has %d reports, oldest %d; want growth", lastQuarter, firstQuarter)
	}
}

// hour returns the hour of the day in Sweden, computed from the UTC offset
// rules (CET +1, CEST +2 from the last Sunday of March to the last Sunday of
// October at 01:00 UTC) rather than from the package's time zone.
func hour(t time.Time) int {
	u := t.UTC()
	lastSunday := func(month time.Month) time.Time {
		d := time.Date(u.Year(), month+1, 0, 1, 0, 0, 0, time.UTC) // last day of month, 01:00 UTC
		return d.AddDate(0, 0, -int(d.Weekday()))
	}
	offset := 1
	if !u.Before(lastSunday(time.March)) && u.Before(lastSunday(time.October)) {
		offset = 2
	}
	return (u.Hour() + offset) % 24
}

func TestSocialReportsComeInTheEvening(t *testing.T) {
	var socialDark, socialDay, faultDark, faultDay int
	for _, r := range generated {
		h := hour(r.ObservedAt)
		dark := h >= 18 || h < 6
		daytime := h >= 10 && h < 18
		switch {
		case strings.HasPrefix(r.Category, "OTR.SOC."):
			if dark {
				socialDark++
			} else if daytime {
				socialDay++
			}
		case r.Kind == Felanmalan && r.Category != "FEL.LIGHT":
			if dark {
				faultDark++
			} else if daytime {
				faultDay++
			}
		}
	}
	if socialDark < 3*socialDay {
		t.Errorf("OTR.SOC.*: %d in the evening or at night, %d in the daytime; want at least three times as many", socialDark, socialDay)
	}
	if faultDark >= faultDay {
		t.Errorf("felanmälningar: %d in the evening or at night, %d in the daytime; want mostly daytime", faultDark, faultDay)
	}
}

func TestSeasons(t *testing.T) {
	var winter, lightWinter, lightSummer, mopedSummer, mopedWinter int
	for _, r := range generated {
		m := r.ObservedAt.In(stockholmForTest(t)).Month()
		switch r.Category {
		case "FEL.WINTER":
			if m > time.March && m < time.December {
				t.Errorf("%s: FEL.WINTER in %v", r.ExternalKey, m)
			}
			winter++
		case "FEL.LIGHT", "OTR.PLACE.LIGHT":
			if m == time.November || m == time.December || m == time.January {
				lightWinter++
			} else if m >= time.May && m <= time.July {
				lightSummer++
			}
		case "OTR.SOC.VEHICLE":
			if m >= time.May && m <= time.August {
				mopedSummer++
			} else if m == time.December || m <= time.February {
				mopedWinter++
			}
		}
	}
	if winter < 20 {
		t.Errorf("only %d FEL.WINTER reports", winter)
	}
	if lightWinter < 3*lightSummer {
		t.Errorf("darkness: %d reports in Nov–Jan, %d in May–Jul; want many more in the dark months", lightWinter, lightSummer)
	}
	if mopedSummer < 5*mopedWinter {
		t.Errorf("mopeds: %d reports in May–Aug, %d in Dec–Feb; want a summer season", mopedSummer, mopedWinter)
	}
}

func stockholmForTest(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestTimeOfDay(t *testing.T) {
	tests := []struct {
		utc  time.Time
		want string
	}{
		{time.Date(2026, 1, 15, 4, 59, 0, 0, time.UTC), Night},   // 05:59 CET
		{time.Date(2026, 1, 15, 5, 0, 0, 0, time.UTC), Morning},  // 06:00 CET
		{time.Date(2026, 7, 15, 4, 0, 0, 0, time.UTC), Morning},  // 06:00 CEST
		{time.Date(2026, 7, 15, 7, 59, 0, 0, time.UTC), Morning}, // 09:59 CEST
		{time.Date(2026, 7, 15, 8, 0, 0, 0, time.UTC), Day},      // 10:00 CEST
		{time.Date(2026, 1, 15, 16, 59, 0, 0, time.UTC), Day},    // 17:59 CET
		{time.Date(2026, 1, 15, 17, 0, 0, 0, time.UTC), Evening}, // 18:00 CET
		{time.Date(2026, 7, 15, 19, 59, 0, 0, time.UTC), Evening},
		{time.Date(2026, 7, 15, 20, 0, 0, 0, time.UTC), Night}, // 22:00 CEST
		{time.Date(2026, 1, 15, 23, 30, 0, 0, time.UTC), Night},
	}
	for _, tt := range tests {
		if got := TimeOfDay(tt.utc); got != tt.want {
			t.Errorf("TimeOfDay(%v) = %s, want %s", tt.utc, got, tt.want)
		}
	}
}
