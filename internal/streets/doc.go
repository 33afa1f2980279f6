// Package streets turns an OpenStreetMap extract into the network of streets and
// paths people can walk on a trygghetsvandring: nodes where ways meet and edges
// between them, each with its length in metres, highway class, lighting and
// surface. It reads .osm (XML) and .osm.pbf files with github.com/paulmach/osm and
// does no I/O of its own beyond the reader it is given; storing the network
// (PostGIS) and routing on it (package walk) happen elsewhere.
//
// # Which ways are walkable
//
// A way is kept when all of these hold (see Walkable):
//
//   - highway is one of the classes in walkableHighways: footway, path,
//     pedestrian, steps, living_street, residential, service, unclassified,
//     tertiary(_link), secondary(_link), primary(_link), track, cycleway,
//     bridleway, corridor, road. Swedish cycleways are nearly always shared
//     gång- och cykelvägar, so they are kept unless foot says otherwise.
//     Motorways and trunk roads (motortrafikled) are left out unless tagged
//     foot=yes/designated/permissive; platforms, construction and proposed
//     ways are never kept.
//   - foot is not no, private or use_sidepath (use_sidepath means "walk on the
//     separately mapped sidewalk", which is its own footway).
//   - access is not no or private, unless foot is yes, designated or
//     permissive, which overrides it for people on foot.
//
// oneway tags are ignored: a one-way footway or street can be walked both ways.
//
// # How ways become edges
//
// Every kept way is cut at its ends and at every node referenced more than once
// across all kept ways (a crossing, a junction or a way touching itself). The
// pieces between cuts are the edges. Node references missing from the extract
// (ways cut by the extract's boundary) break the way there; the parts either side
// are kept if they have at least two nodes.
//
// # Lengths
//
// Lengths are geodesic on the WGS 84 ellipsoid (Vincenty's inverse formula), the
// same surface PostGIS uses for ST_Length(geography), so stored lengths agree
// with PostGIS to well under a millimetre per segment.
package streets
