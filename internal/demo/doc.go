// Package demo generates synthetic, clearly fictitious reports for trying
// trygg out (`trygg seed demo`): a few thousand otrygghet reports and
// felanmälningar in Kristinehamn, Filipstad, Hällefors and Kristianstad.
//
// The reports are shaped like a municipality's real problem picture so that
// maps, hotspots and the lägesbild have something to show: they cluster in town
// centres, around stations, along main roads, in parks and housing areas; social
// categories (groups, intoxication, mopeds) happen in the evening and at night;
// dark places are reported in the dark half of the year, snow and ice only in
// winter; old felanmälningar are mostly resolved and recent ones still open.
//
// Everything is made up. Town centres are real coordinates; the other places
// are offsets from them chosen to be plausible (a station a few hundred metres
// away, a road through town), not surveyed locations, and no report describes a
// real event or person. The output is deterministic for a given seed and time,
// and every report has a stable ExternalKey so that seeding twice can update
// instead of duplicating.
package demo
