// Package walk plans trygghetsvandringar: walking routes that pass the places
// that matter most (hotspots, clusters of reports, open measures, places a
// planner adds by hand) within a length or time budget.
//
// The pure part of the package has no I/O. A Graph holds a municipality's
// walkable street network in memory (built from a streets.Network or from
// nodes and edges loaded from the database); Plan snaps the candidate places
// to it, computes shortest walking distances between them with Dijkstra, and
// solves the orienteering problem — collect as much score as possible on a
// route from Start to End no longer than the budget — with a heuristic:
// greedy insertion by score per extra metre, 2-opt and relocation, and
// iterated local search that removes and reinserts stops until a time limit.
// The result can be written as GPX 1.1 and GeoJSON.
//
// Streets are walkable both ways whatever their oneway tag. When a problem
// asks to avoid unlit streets, unlit and unknown-lit streets cost more when
// choosing the path between two stops (×1.5 for lit=no, ×1.2 for unknown), but
// every length reported and checked against the budget is real metres.
package walk
