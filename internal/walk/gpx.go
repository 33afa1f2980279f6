package walk

import (
	"encoding/xml"
	"io"
	"strconv"
	"time"

	"github.com/paulmach/orb"
)

// GPX 1.1 (https://www.topografix.com/GPX/1/1/). A planned walk is written
// as three parts, so every kind of device and app shows something useful:
//
//   - one wpt per stop, at the place itself (what the group looks at), with
//     the candidate's label as name, its reason as desc and its kind as type;
//   - one rte whose rtepts are the start, the stops' street points and the
//     end: a GPS unit can navigate it and announce the stops;
//   - one trk with the full line along the streets, so apps that do not
//     route show exactly the planned way.
//
// Struct field order follows the schema's xsd:sequence, which validators
// enforce.
const gpxNamespace = "http://www.topografix.com/GPX/1/1"

// GPXMeta is the file's metadata.
type GPXMeta struct {
	Name string // the walk's name, e.g. "Trygghetsvandring Centrum"
	Desc string
	Time time.Time // when the file was made; zero leaves it out
}

type gpxFile struct {
	XMLName        xml.Name    `xml:"gpx"`
	Xmlns          string      `xml:"xmlns,attr"`
	XmlnsXSI       string      `xml:"xmlns:xsi,attr"`
	SchemaLocation string      `xml:"xsi:schemaLocation,attr"`
	Version        string      `xml:"version,attr"`
	Creator        string      `xml:"creator,attr"`
	Metadata       gpxMetadata `xml:"metadata"`
	Waypoints      []gpxPoint  `xml:"wpt"`
	Route          gpxRoute    `xml:"rte"`
	Track          gpxTrack    `xml:"trk"`
}

type gpxMetadata struct {
	Name      string        `xml:"name,omitempty"`
	Desc      string        `xml:"desc,omitempty"`
	Copyright *gpxCopyright `xml:"copyright"`
	Time      string        `xml:"time,omitempty"`
}

// gpxCopyright credits OpenStreetMap, whose streets the route follows.
type gpxCopyright struct {
	Author  string `xml:"author,attr"`
	License string `xml:"license"`
}

// gpxPoint is a wptType, used for wpt, rtept and trkpt.
type gpxPoint struct {
	Lat  string `xml:"lat,attr"`
	Lon  string `xml:"lon,attr"`
	Name string `xml:"name,omitempty"`
	Desc string `xml:"desc,omitempty"`
	Type string `xml:"type,omitempty"`
}

type gpxRoute struct {
	Name   string     `xml:"name,omitempty"`
	Points []gpxPoint `xml:"rtept"`
}

type gpxTrack struct {
	Name    string `xml:"name,omitempty"`
	Segment struct {
		Points []gpxPoint `xml:"trkpt"`
	} `xml:"trkseg"`
}

// gpxAt formats a point; xsd:decimal allows no exponent, so no %g.
func gpxAt(p orb.Point) gpxPoint {
	return gpxPoint{
		Lat: strconv.FormatFloat(p[1], 'f', 7, 64),
		Lon: strconv.FormatFloat(p[0], 'f', 7, 64),
	}
}

// WriteGPX writes the route as a GPX 1.1 document.
func WriteGPX(w io.Writer, r Route, meta GPXMeta) error {
	f := gpxFile{
		Xmlns:          gpxNamespace,
		XmlnsXSI:       "http://www.w3.org/2001/XMLSchema-instance",
		SchemaLocation: gpxNamespace + " " + gpxNamespace + "/gpx.xsd",
		Version:        "1.1",
		Creator:        "trygg",
		Metadata: gpxMetadata{
			Name: meta.Name,
			Desc: meta.Desc,
			Copyright: &gpxCopyright{
				Author:  "OpenStreetMap contributors",
				License: "https://opendatacommons.org/licenses/odbl/1-0/",
			},
		},
	}
	if !meta.Time.IsZero() {
		f.Metadata.Time = meta.Time.UTC().Format(time.RFC3339)
	}
	f.Route.Name, f.Track.Name = meta.Name, meta.Name

	start := gpxAt(r.Start)
	start.Name = "Start"
	f.Route.Points = append(f.Route.Points, start)
	for _, s := range r.Stops {
		wpt := gpxAt(s.Candidate.Point)
		wpt.Name, wpt.Desc, wpt.Type = s.Candidate.Label(), s.Candidate.Reason, string(s.Candidate.Kind)
		f.Waypoints = append(f.Waypoints, wpt)
		rtept := gpxAt(s.Point)
		rtept.Name, rtept.Desc = s.Candidate.Label(), s.Candidate.Reason
		f.Route.Points = append(f.Route.Points, rtept)
	}
	end := gpxAt(r.End)
	end.Name = "Mål"
	f.Route.Points = append(f.Route.Points, end)
	for _, p := range r.Line {
		f.Track.Segment.Points = append(f.Track.Segment.Points, gpxAt(p))
	}

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
