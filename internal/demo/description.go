package demo

import "math/rand/v2"

// describedShare is how many residents write a few words besides the category.
const describedShare = 0.15

// descriptions are short, generic Swedish texts of the kind residents write.
// They name no person, address, plate, phone number or e-mail address, so demo
// data can never be mistaken for or leak anyone's personal data.
var descriptions = map[string][]string{
	"OTR.PLACE.LIGHT":    {"Väldigt mörkt här på kvällarna.", "Ingen belysning längs gångvägen.", "Mörk passage, känns otryggt att gå här."},
	"OTR.PLACE.VEG":      {"Buskarna har växt igen och skymmer sikten.", "Högt gräs och buskage längs stigen."},
	"OTR.PLACE.SIGHT":    {"Svårt att se vem som kommer runt hörnet.", "Skymd sikt vid tunneln."},
	"OTR.PLACE.DESERTED": {"Öde här efter stängning.", "Inga människor i rörelse på kvällen."},
	"OTR.PLACE.ROUTE":    {"Saknas trygg gångväg hit.", "Måste gå längs vägen, ingen trottoar."},
	"OTR.PLACE.DISORDER": {"Skräpigt och förfallet område.", "Nedgånget och ostädat."},
	"OTR.PLACE.TRAFFIC":  {"Bilarna kör för fort här.", "Farlig korsning för barn på väg till skolan."},
	"OTR.SOC.GATHER":     {"Större grupper samlas här på kvällarna.", "Ungdomsgäng som hänger här sent."},
	"OTR.SOC.DISORDER":   {"Stök och bråk på kvällarna.", "Högljutt och stökigt nattetid."},
	"OTR.SOC.HARASS":     {"Blev trakasserad när jag gick förbi.", "Obehagliga kommentarer till förbipasserande."},
	"OTR.SOC.INTOX":      {"Berusade personer här ofta.", "Mycket alkohol i parken på helgerna."},
	"OTR.SOC.DRUGS":      {"Misstänkt langning här.", "Verkar förekomma narkotikaförsäljning."},
	"OTR.SOC.VEHICLE":    {"Mopeder kör i hög fart på gångvägen.", "Buskörning med bil på parkeringen."},
	"OTR.DMG.GRAFFITI":   {"Mycket klotter på väggarna.", "Nytt klotter på busskuren."},
	"OTR.DMG.GLASS":      {"Krossat glas på marken.", "Glassplitter på lekplatsen."},
	"OTR.FIRE":           {"Någon har eldat i soptunnan.", "Brandrester vid containern."},
	"OTR.OTHER":          {"Känns otryggt här.", "Obehaglig plats."},
	"FEL.LIGHT":          {"Trasig gatlampa vid gångvägen.", "Lampan blinkar hela tiden.", "Flera lampor släckta."},
	"FEL.ROAD":           {"Stort hål i vägen.", "Potthål i cykelbanan.", "Sättningar i asfalten."},
	"FEL.PATH":           {"Trasig plattsättning på gångbanan.", "Lös kantsten."},
	"FEL.SIGN":           {"Skylten är nedkörd.", "Vägmärket har vridits."},
	"FEL.SIGNAL":         {"Trafikljuset fungerar inte.", "Knappen vid övergångsstället är trasig."},
	"FEL.WINTER":         {"Ej plogat.", "Mycket halt, behöver sandas.", "Snövall blockerar övergångsstället."},
	"FEL.CLEAN":          {"Nedskräpat.", "Papperskorgen är full."},
	"FEL.GRAFFITI":       {"Klotter på elskåpet.", "Klotter på bron."},
	"FEL.VANDAL":         {"Sönderslagen busskur.", "Förstörd bänk."},
	"FEL.PARK":           {"Gräset behöver klippas.", "Nedfallen gren över stigen."},
	"FEL.PLAY":           {"Trasig gunga på lekplatsen.", "Rutschkanan har en vass kant."},
	"FEL.FURNITURE":      {"Parkbänken är trasig.", "Papperskorgen har lossnat."},
	"FEL.ABANDONED":      {"Övergiven cykel sedan länge.", "Skrotbil står kvar."},
	"FEL.DRAIN":          {"Igensatt brunn, vattnet står kvar.", "Brunnslocket saknas."},
}

// description draws a resident's text for a category, or "" for most reports.
func description(r *rand.Rand, category string) string {
	texts := descriptions[category]
	if len(texts) == 0 || r.Float64() >= describedShare {
		return ""
	}
	return texts[r.IntN(len(texts))]
}
