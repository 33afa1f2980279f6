package lagesbild

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestParsePoliceEvents(t *testing.T) {
	f, err := os.Open("testdata/polisen_events_sample.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	evs, err := ParsePoliceEvents(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 17 {
		t.Fatalf("%d events", len(evs))
	}
	byID := map[string]Event{}
	for _, e := range evs {
		byID[e.ExternalID] = e
	}
	cases := []struct {
		id, place, typ string
		precision      Precision
		occurred       string // local Stockholm time from the event's name
		lat            float64
	}{
		{"420545", "Kristianstad", "Brand", AtMunicipality, "2023-04-19 09:38", 56.029394},
		{"420698", "Västernorrlands län", "Trafikkontroll", AtCounty, "2023-04-20 12:26", 63.427647},
		// published "2023-04-20 9:20:35 +02:00", without the hour's leading zero
		{"420674", "Torsby", "Rattfylleri", AtMunicipality, "2023-04-20 08:24", 60.140907},
		{"420418", "Uppsala", "Misshandel, grov", AtMunicipality, "2023-04-18 00:20", 59.858564},
	}
	for _, c := range cases {
		e, ok := byID[c.id]
		want, _ := time.ParseInLocation("2006-01-02 15:04", c.occurred, Stockholm)
		if !ok || e.PlaceName != c.place || e.Type != c.typ || e.Precision != c.precision || !e.OccurredAt.Equal(want) || e.Lat == nil || *e.Lat != c.lat || e.Source != "polisen" {
			t.Errorf("%s: %+v", c.id, e)
		}
	}
}

func TestIncidentTimeAcrossNewYear(t *testing.T) {
	pub := time.Date(2027, 1, 1, 0, 30, 0, 0, Stockholm)
	if got := incidentTime("31 december 23:50, Brand, Filipstad", pub); got.Year() != 2026 || got.Day() != 31 {
		t.Errorf("got %s", got)
	}
	if got := incidentTime("Sammanfattning", pub); !got.Equal(pub) {
		t.Errorf("no time in name: %s", got)
	}
}

func TestParseEventsCSV(t *testing.T) {
	good := "id,occurred_at,type,place,lat,lon,precision,summary\n" +
		"a1,2026-11-20T22:10:00+01:00,Skadegörelse,Kristinehamn,59.3096,14.1086,,Krossad busskur\n" +
		"a2,2026-11-21T01:00:00+01:00,Ordningsstörning,Kristinehamn,,,municipality,\n"
	evs, err := ParseEventsCSV(strings.NewReader(good), "securitas")
	if err != nil || len(evs) != 2 || evs[0].Precision != Exact || evs[1].Precision != AtMunicipality || evs[1].Lat != nil || evs[0].Source != "securitas" {
		t.Fatalf("%+v %v", evs, err)
	}
	bad := map[string]string{
		"missing column":      "id,type\nx,y\n",
		"bad time":            "id,occurred_at,type\n1,yesterday,Brand\n",
		"no point, no scope":  "id,occurred_at,type\n1,2026-11-20T22:10:00+01:00,Brand\n",
		"exact without point": "id,occurred_at,type,precision\n1,2026-11-20T22:10:00+01:00,Brand,exact\n",
		"point outside":       "id,occurred_at,type,lat,lon\n1,2026-11-20T22:10:00+01:00,Brand,6580000,450000\n",
	}
	for name, in := range bad {
		if _, err := ParseEventsCSV(strings.NewReader(in), "x"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
