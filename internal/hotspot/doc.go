// Package hotspot is trygg's analytics engine for hotspot maps: it finds grid
// cells whose report counts are significantly high (or low) and says how that
// pattern changes over time.
//
// It is pure computation: no SQL, no HTTP, no clock, no randomness. The caller
// bins reports into cells (in PostGIS or with CountPoints) and hands over the
// counts; everything here is deterministic and tested with known answers.
//
// What it offers:
//
//   - Grid: square or hexagonal cells in metres (SWEREF 99 TM, EPSG:3006),
//     indexed exactly like PostGIS ST_SquareGrid/ST_Square and
//     ST_HexagonGrid/ST_Hexagon, so SQL and Go agree on what cell (i, j) is.
//   - Weights: binary spatial neighbours by contiguity (queen, rook, hex ring)
//     or by a distance band, built through a grid index in O(n·k).
//   - GiStar: the Getis-Ord Gi* z-score with the cell itself included, the
//     same statistic as ArcGIS "Hot Spot Analysis" and R spdep localG on
//     include.self binary weights.
//   - BenjaminiHochberg and BinOf: false-discovery-rate adjustment and the
//     ±3/±2/±1 confidence bins (ArcGIS Gi_Bin).
//   - KernelDensity: quartic-kernel density per cell.
//   - Optimize: cell size from the average nearest-neighbour distance and the
//     neighbourhood distance from incremental spatial autocorrelation.
//   - MannKendall and Emerging: space-time Gi*, a trend test per cell and the
//     ArcGIS "Emerging Hot Spot Analysis" pattern categories.
//
// Analyze and Emerging are the two entry points most callers need.
//
// Where this package departs from ArcGIS, on purpose: the Mann–Kendall trend
// of an emerging hot spot leaves out the first time steps, whose space-time
// neighbourhood is incomplete (see classifySeries); and where the ArcGIS text
// lets two emerging categories apply, ClassifyPattern documents which wins.
// Gi* p-values are normal approximations, as everywhere; with sparse counts
// they are optimistic in the far tail (see Analyze).
package hotspot
