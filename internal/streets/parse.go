package streets

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
	"github.com/paulmach/osm/osmxml"
)

// Format is the encoding of an OSM file.
type Format int

const (
	// FormatAuto looks at the first bytes of the input to choose.
	FormatAuto Format = iota
	FormatXML
	FormatPBF
)

func (f Format) String() string {
	switch f {
	case FormatXML:
		return "xml"
	case FormatPBF:
		return "pbf"
	}
	return "auto"
}

// FormatFromName chooses the format by file name: .pbf is PBF, .osm and .xml
// are XML, anything else is FormatAuto.
func FormatFromName(name string) Format {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".pbf"):
		return FormatPBF
	case strings.HasSuffix(n, ".osm"), strings.HasSuffix(n, ".xml"):
		return FormatXML
	}
	return FormatAuto
}

// ErrUnknownFormat is returned when FormatAuto cannot tell XML from PBF.
var ErrUnknownFormat = errors.New("streets: input is neither OSM XML nor OSM PBF")

// sniff tells the format from the first bytes. XML starts (after an optional
// byte-order mark and white space) with '<'; a PBF file starts with a 4-byte
// big-endian header length followed by a BlobHeader whose first field is the
// string "OSMHeader".
func sniff(head []byte) Format {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(t) > 0 && t[0] == '<' {
		return FormatXML
	}
	if len(head) >= 4+2+9 && bytes.Contains(head[4:min(len(head), 32)], []byte("OSMHeader")) {
		return FormatPBF
	}
	return FormatAuto
}

// progressEvery is how many OSM objects pass between progress calls.
const progressEvery = 10000

// Parse reads an OSM extract and returns its walkable network. progress, if
// not nil, is called with the number of OSM elements (nodes, ways, relations)
// read so far, every 10,000 elements and once at the end. Nodes are held in
// memory until the ways are read, which suits a municipality or county extract.
func Parse(ctx context.Context, r io.Reader, format Format, progress func(done int)) (*Network, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if format == FormatAuto {
		head, _ := br.Peek(64)
		if format = sniff(head); format == FormatAuto {
			return nil, ErrUnknownFormat
		}
	}
	var scanner osm.Scanner
	switch format {
	case FormatXML:
		scanner = osmxml.New(ctx, br)
	case FormatPBF:
		s := osmpbf.New(ctx, br, 2)
		s.SkipRelations = true
		scanner = s
	default:
		return nil, fmt.Errorf("streets: unsupported format %d", format)
	}
	defer scanner.Close()

	b := newBuilder()
	done := 0
	for scanner.Scan() {
		switch o := scanner.Object().(type) {
		case *osm.Node:
			b.addNode(int64(o.ID), orb.Point{o.Lon, o.Lat})
		case *osm.Way:
			if Walkable(o.Tags) {
				b.addWay(o)
			}
		case *osm.Relation:
		default:
			continue // bounds and other non-elements are not counted
		}
		done++
		if progress != nil && done%progressEvery == 0 {
			progress(done)
		}
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("streets: reading %s: %w", format, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if progress != nil {
		progress(done)
	}
	return b.network(), nil
}
