package demo

import "time"

// Kinds of report.
const (
	Otrygghet  = "otrygghet"
	Felanmalan = "felanmalan"
)

// Statuses of a felanmälan (an otrygghet report is always StatusReceived: it
// has no repair workflow).
const (
	StatusReceived   = "received"
	StatusTriaged    = "triaged"
	StatusInProgress = "in_progress"
	StatusResolved   = "resolved"
	StatusForwarded  = "forwarded"
	StatusRejected   = "rejected"
)

// Report is one synthetic resident report.
type Report struct {
	Municipality string // kommunkod, e.g. "1781"
	Kind         string // Otrygghet or Felanmalan
	Category     string // leaf code of the category taxonomy, e.g. "OTR.SOC.GATHER"
	Lat, Lon     float64
	ObservedAt   time.Time // in Europe/Stockholm
	Status       string
	ResolvedAt   time.Time // zero unless Status is StatusResolved
	Published    bool
	Feeling      int    // otrygghet only: 1 (very unsafe) to 5 (fairly safe); 0 = none
	TimeOfDay    string // otrygghet only: TimeOfDay(ObservedAt); "" for felanmälningar
	Description  string // generic Swedish text or ""
	ExternalKey  string // "demo-<kommunkod>-<number>", unique and stable
}

// Times of day, as a resident reporting otrygghet picks them.
const (
	Morning = "morning"
	Day     = "day"
	Evening = "evening"
	Night   = "night"
)

// TimeOfDay names the part of the day of t in Swedish local time: morning
// 06–10, day 10–18, evening 18–22, night 22–06.
func TimeOfDay(t time.Time) string {
	switch h := t.In(stockholm).Hour(); {
	case h >= 6 && h < 10:
		return Morning
	case h >= 10 && h < 18:
		return Day
	case h >= 18 && h < 22:
		return Evening
	}
	return Night
}
