package promise

import (
	"fmt"
	"time"
)

// Example is a demo medborgarlöfte with activities logged against its
// commitments (Commitment is the index in Promise.Commitments) and the names of
// the priority areas it needs (created by the seed before the promise).
type Example struct {
	Promise       Promise
	Activities    []ExampleActivity
	PriorityAreas []ExampleArea
}

// ExampleActivity is a demo activity of one commitment.
type ExampleActivity struct {
	Commitment int
	Activity   Activity
}

// ExampleArea is a demo priority area: a square of Side degrees of latitude
// around a point. Its outline is illustrative, not the district's boundary.
type ExampleArea struct {
	Name        string
	Lon, Lat    float64
	Side        float64
	Commitments []int
}

func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func activity(n int, typ, desc string, first time.Time, every time.Duration, commitment int) []ExampleActivity {
	out := make([]ExampleActivity, n)
	for i := range out {
		on := first.Add(time.Duration(i) * every)
		out[i] = ExampleActivity{Commitment: commitment, Activity: Activity{OccurredOn: Date{on}, Type: typ, Description: fmt.Sprintf("%s (%d)", desc, i+1)}}
	}
	return out
}

func count(typ string, perYear int, label string) []Indicator {
	return []Indicator{{Kind: ActivityCount, Label: label, Params: Params{ActivityType: typ, PerYear: perYear}}}
}

// Examples are the demo promises of the seed municipalities, written after the
// kind of medborgarlöften Kristinehamn, Filipstad, Kristianstad and Hällefors
// have signed, with activities chosen so that progress shows every status. The
// wording is trygg's own.
func Examples() []Example {
	week := 7 * 24 * time.Hour
	d := func(s string) time.Time { return day(s).Time }
	kristinehamn := Example{Promise: Promise{
		Municipality: "1781", Title: "Medborgarlöfte Kristinehamn 2016",
		Partners: []string{"Kristinehamns kommun", "Polisen, lokalpolisområdet"}, SignedOn: ptr(day("2016-03-01")),
		ValidFrom: day("2016-01-01"), ValidTo: day("2016-12-31"), FollowUp: "Uppföljning under första kvartalet 2017.",
		ProblemPicture: "Invånare känner sig otrygga i centrum på kvällar, främst på grund av buskörning med mopeder och dåligt upplysta gångstråk.",
		Commitments: []Commitment{
			{Text: "Kommun och polis går minst två trygghetsvandringar under året tillsammans med boende, och följer upp åtgärderna vid nästa vandring.", Responsible: Both, Indicators: count(ActivityWalk, 2, "Trygghetsvandringar per år")},
			{Text: "Vi håller minst två träffar under året med grannsamverkans kontaktombud.", Responsible: Both, Indicators: count("grannsamverkan", 2, "Träffar med grannsamverkan per år")},
			{Text: "Polisen gör riktade kontroller mot buskörning med moped och EPA-traktor i centrum, minst fyra under året.", Responsible: Polisen, Indicators: count("trafikkontroll", 4, "Riktade kontroller per år")},
			{Text: "Kommunen ser över belysningen längs de gångstråk där invånare anmält att det är mörkt och otryggt.", Responsible: Kommunen, Indicators: []Indicator{{Kind: ReportCount, Label: "Anmälningar om mörka platser",
				Params: Params{Categories: []string{"OTR.PLACE.LIGHT", "FEL.LIGHT"}, Baseline: "2016-Q1", Current: "2016-Q4", Direction: "decrease", Change: 20}}}},
			{Text: "Kommun, polis och fältassistenter finns på plats i centrum på fredagskvällar under sommarlovet.", Responsible: Both, Indicators: count("kvallsnarvaro", 6, "Fredagskvällar med närvaro")},
		}},
		Activities: concat(
			activity(2, ActivityWalk, "Trygghetsvandring i centrum", d("2016-04-20"), 26*week, 0),
			activity(1, "grannsamverkan", "Träff med kontaktombud", d("2016-05-10"), week, 1),
			activity(6, "kvallsnarvaro", "Fredagskväll i centrum", d("2016-06-17"), week, 4),
		)}
	filipstad := Example{Promise: Promise{
		Municipality: "1782", Title: "Medborgarlöfte Filipstad 2016",
		Partners: []string{"Filipstads kommun", "Polisen, lokalpolisområdet"}, SignedOn: ptr(day("2016-02-15")),
		ValidFrom: day("2016-01-01"), ValidTo: day("2016-12-31"), FollowUp: "Uppföljning sker första kvartalet 2017.",
		ProblemPicture: "Oro för inbrott i villaområden, ungdomar som samlas i centrum på helgkvällar och mörka gångtunnlar.",
		Commitments: []Commitment{
			{Text: "Polisen syns mer i centrala Filipstad på fredags- och lördagskvällar.", Responsible: Polisen, Indicators: count("helgpatrull", 20, "Helgkvällar med synlig polis")},
			{Text: "Kommunen startar nattvandring tillsammans med föreningslivet.", Responsible: Kommunen, Indicators: count("nattvandring", 10, "Nattvandringar")},
			{Text: "Kommun och polis går en trygghetsvandring i ett bostadsområde som invånarna själva pekar ut.", Responsible: Both, Indicators: count(ActivityWalk, 1, "Trygghetsvandring")},
			{Text: "Kommun och polis bjuder in till informationsmöten om grannsamverkan mot inbrott.", Responsible: Both, Indicators: count("grannsamverkan", 2, "Informationsmöten")},
			{Text: "Kommunen byter till bättre belysning i de gångtunnlar som upplevs mest otrygga.", Responsible: Kommunen, Indicators: count("belysning", 3, "Gångtunnlar med ny belysning")},
			{Text: "Skolan och polisen arbetar tillsammans förebyggande mot droger, med minst två temadagar.", Responsible: Both, Indicators: count("temadag", 2, "Temadagar")},
		}},
		Activities: concat(
			activity(24, "helgpatrull", "Helgkväll i centrum", d("2016-01-08"), 2*week, 0),
			activity(4, "nattvandring", "Nattvandring", d("2016-05-06"), 4*week, 1),
			activity(1, ActivityWalk, "Trygghetsvandring", d("2016-09-14"), week, 2),
			activity(3, "belysning", "Ny belysning i gångtunnel", d("2016-03-01"), 10*week, 4),
			activity(1, "temadag", "Temadag om droger", d("2016-10-05"), week, 5),
		)}
	kristianstad := Example{Promise: Promise{
		Municipality: "1290", Title: "Medborgarlöfte Kristianstad 2022–2023",
		Partners: []string{"Kristianstads kommun", "Polisen, lokalpolisområdet"}, SignedOn: ptr(day("2022-02-01")),
		ValidFrom: day("2022-01-01"), ValidTo: day("2023-12-31"), FollowUp: "Uppföljning varje år under första kvartalet.",
		ProblemPicture: "Hastighetsöverträdelser och vårdslös körning i bostadsområden; otrygghet i två prioriterade områden.",
		Commitments: []Commitment{
			{Text: "Polisen gör trafikkontroller där invånarnas tips visar att det körs för fort eller vårdslöst.", Responsible: Polisen, Indicators: count("trafikkontroll", 12, "Tipsstyrda trafikkontroller per år")},
			{Text: "Kommun och polis prioriterar de två utpekade områdena med trygghetsvandringar, två per område och år.", Responsible: Both, Indicators: count(ActivityWalk, 4, "Trygghetsvandringar i de prioriterade områdena")},
			{Text: "Bostadsbolaget förbättrar belysning och siktlinjer på gårdarna i de prioriterade områdena.", Responsible: Other, ResponsibleOther: "Det kommunala bostadsbolaget", Indicators: count("belysning", 1, "Genomförda gårdsåtgärder per år")},
		}},
		PriorityAreas: []ExampleArea{
			{Name: "Gamlegården", Lon: 14.182, Lat: 56.032, Side: 0.010, Commitments: []int{1, 2}},
			{Name: "Charlottesborg", Lon: 14.140, Lat: 56.047, Side: 0.010, Commitments: []int{1, 2}},
		},
		Activities: concat(
			activity(14, "trafikkontroll", "Trafikkontroll efter tips", d("2022-01-20"), 3*week, 0),
			activity(9, "trafikkontroll", "Trafikkontroll efter tips", d("2023-02-01"), 5*week, 0),
			activity(4, ActivityWalk, "Trygghetsvandring", d("2022-04-05"), 8*week, 1),
			activity(4, ActivityWalk, "Trygghetsvandring", d("2023-04-05"), 8*week, 1),
		)}
	hallefors := Example{Promise: Promise{
		Municipality: "1863", Title: "Medborgarlöfte Hällefors 2026 (EST)",
		Partners: []string{"Hällefors kommun", "Polisen, lokalpolisområdet"}, SignedOn: ptr(day("2026-01-20")),
		ValidFrom: day("2026-01-01"), ValidTo: day("2026-12-31"), FollowUp: "Uppföljning i EST-gruppen varje månad och publikt i januari 2027.",
		ProblemPicture: "Skadegörelse och ungdomar som samlas vid centrum och skolan på kvällstid; en gemensam lägesbild saknades.",
		Commitments: []Commitment{
			{Text: "Kommun och polis träffas varannan vecka i en EST-grupp och håller en gemensam lägesbild aktuell.", Responsible: Both, Indicators: count("est_mote", 24, "EST-möten")},
			{Text: "Vi går minst två trygghetsvandringar under året på de platser lägesbilden pekar ut.", Responsible: Both, Indicators: count(ActivityWalk, 2, "Trygghetsvandringar")},
			{Text: "Kommunen håller minst tre medborgardialoger om trygghet under året.", Responsible: Kommunen, Indicators: count("dialog", 3, "Medborgardialoger")},
			{Text: "Anmälningarna om skadegörelse ska minska med en femtedel jämfört med 2025.", Responsible: Both, Indicators: []Indicator{{Kind: ReportCount, Label: "Anmälningar om skadegörelse",
				Params: Params{Categories: []string{"OTR.DMG", "FEL.VANDAL", "FEL.GRAFFITI"}, Baseline: "2025", Current: "2026", Direction: "decrease", Change: 20}}}},
		}},
		Activities: concat(
			activity(20, "est_mote", "EST-möte", d("2026-01-13"), 2*week, 0),
			activity(2, ActivityWalk, "Trygghetsvandring", d("2026-04-22"), 20*week, 1),
		)}
	return []Example{kristinehamn, filipstad, kristianstad, hallefors}
}

func ptr[T any](v T) *T { return &v }

func concat(parts ...[]ExampleActivity) []ExampleActivity {
	var out []ExampleActivity
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
