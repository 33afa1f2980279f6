package demo

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestOtrygghetAndFelanmalanFields(t *testing.T) {
	timesOfDay := map[int]string{}
	for h := range 24 {
		switch {
		case h < 6 || h >= 22:
			timesOfDay[h] = "night"
		case h < 10:
			timesOfDay[h] = "morning"
		case h < 18:
			timesOfDay[h] = "day"
		default:
			timesOfDay[h] = "evening"
		}
	}
	for _, r := range generated {
		if r.Kind == Otrygghet {
			if r.Feeling < 1 || r.Feeling > 5 {
				t.Fatalf("%s: feeling %d", r.ExternalKey, r.Feeling)
			}
			if want := timesOfDay[hour(r.ObservedAt)]; r.TimeOfDay != want {
				t.Fatalf("%s observed %v: time of day %q, want %q", r.ExternalKey, r.ObservedAt, r.TimeOfDay, want)
			}
			if r.Status != StatusReceived || !r.ResolvedAt.IsZero() {
				t.Fatalf("%s: otrygghet with status %s, resolved %v", r.ExternalKey, r.Status, r.ResolvedAt)
			}
		} else if r.Feeling != 0 || r.TimeOfDay != "" {
			t.Fatalf("%s: felanmälan with feeling %d, time of day %q", r.ExternalKey, r.Feeling, r.TimeOfDay)
		}
	}
}

func TestFelanmalanStatuses(t *testing.T) {
	allowed := map[string]bool{"received": true, "triaged": true, "in_progress": true, "resolved": true, "forwarded": true, "rejected": true}
	type tally struct{ n, resolved, open int }
	var recent, old tally // under two weeks, over half a year
	statuses := map[string]int{}
	for _, r := range generated {
		if r.Kind != Felanmalan {
			continue
		}
		if !allowed[r.Status] {
			t.Fatalf("%s: status %q", r.ExternalKey, r.Status)
		}
		statuses[r.Status]++
		if (r.Status == "resolved") != !r.ResolvedAt.IsZero() {
			t.Fatalf("%s: status %s with resolved time %v", r.ExternalKey, r.Status, r.ResolvedAt)
		}
		if !r.ResolvedAt.IsZero() && (r.ResolvedAt.Before(r.ObservedAt) || r.ResolvedAt.After(now)) {
			t.Fatalf("%s: resolved %v, observed %v, now %v", r.ExternalKey, r.ResolvedAt, r.ObservedAt, now)
		}
		var tl *tally
		switch age := now.Sub(r.ObservedAt); {
		case age < 14*24*time.Hour:
			tl = &recent
		case age > 183*24*time.Hour:
			tl = &old
		default:
			continue
		}
		tl.n++
		switch r.Status {
		case "resolved":
			tl.resolved++
		case "received", "triaged", "in_progress":
			tl.open++
		}
	}
	for s := range allowed {
		if statuses[s] == 0 {
			t.Errorf("no felanmälan has status %s", s)
		}
	}
	if recent.n < 10 || float64(recent.open) < 0.6*float64(recent.n) || float64(recent.resolved) > 0.2*float64(recent.n) {
		t.Errorf("last two weeks: %d reports, %d open, %d resolved; want mostly open", recent.n, recent.open, recent.resolved)
	}
	if float64(old.resolved) < 0.75*float64(old.n) || float64(old.open) > 0.05*float64(old.n) {
		t.Errorf("older than half a year: %d reports, %d resolved, %d open; want mostly resolved", old.n, old.resolved, old.open)
	}
}

func TestPublished(t *testing.T) {
	published := 0
	for _, r := range generated {
		if r.Published {
			published++
			if r.Status == StatusRejected {
				t.Errorf("%s: rejected but published", r.ExternalKey)
			}
		}
	}
	if share := float64(published) / float64(len(generated)); share < 0.5 || share > 0.65 {
		t.Errorf("%.1f %% published, want about 60 %%", 100*share)
	}
}

var personalData = []*regexp.Regexp{
	regexp.MustCompile(`@`),                             // e-mail
	regexp.MustCompile(`\d[\d \-]{4,}\d`),               // phone or personnummer
	regexp.MustCompile(`(?i)https?:|www\.`),             // links
	regexp.MustCompile(`\b[A-ZÅÄÖ]{3} ?\d{2}[\dA-Z]\b`), // Swedish registration plate
}

func TestDescriptionsAreGeneric(t *testing.T) {
	var texts []string
	for _, list := range descriptions {
		texts = append(texts, list...)
	}
	described := 0
	for _, r := range generated {
		if r.Description != "" {
			described++
			texts = append(texts, r.Description)
		}
	}
	for _, text := range texts {
		if strings.TrimSpace(text) != text || text == "" {
			t.Errorf("description %q has stray spaces", text)
		}
		for _, re := range personalData {
			if re.MatchString(text) {
				t.Errorf("description %q looks like personal data (%s)", text, re)
			}
		}
	}
	if share := float64(described) / float64(len(generated)); share < 0.1 || share > 0.2 {
		t.Errorf("%.1f %% have a description, want a few (about 15 %%)", 100*share)
	}
}
