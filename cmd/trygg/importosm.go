package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/trygg/trygg/internal/streets"
)

// importOSMCmd is `trygg import osm FILE --municipality CODE`: parse an
// OpenStreetMap extract into its walkable network and replace the
// municipality's network with it.
func importOSMCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	fs := flag.NewFlagSet("import osm", flag.ContinueOnError)
	fs.SetOutput(out)
	code := fs.String("municipality", "", "kommunkod the network belongs to, e.g. 0180")
	// Accept the file before or after the flags.
	var file string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	}
	if file == "" || *code == "" {
		return fmt.Errorf("usage: trygg import osm FILE(.osm|.osm.pbf) --municipality CODE")
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()

	began := time.Now()
	fmt.Fprintf(out, "reading %s\n", file)
	// Parse reports every 10,000 elements; a county extract has tens of
	// millions, so print at most one line a second.
	var printed time.Time
	net, err := streets.Parse(ctx, f, streets.FormatFromName(file), func(done int) {
		if time.Since(printed) >= time.Second {
			fmt.Fprintf(out, "  %d OSM elements read\n", done)
			printed = time.Now()
		}
	})
	if err != nil {
		return fmt.Errorf("parse %s: %w", file, err)
	}
	fmt.Fprintf(out, "parsed %d walkable ways into %d nodes and %d edges (%.1f km) in %s\n",
		net.WaysKept, len(net.Nodes), len(net.Edges), net.Length()/1000, time.Since(began).Round(time.Millisecond))
	if net.MissingNodeRefs > 0 {
		fmt.Fprintf(out, "note: %d node references point outside the extract; ways were cut there\n", net.MissingNodeRefs)
	}

	db, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	stored := time.Now()
	info, err := db.ImportNetwork(ctx, *code, filepath.Base(file), net)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "stored municipality %s network generation %d: %d nodes, %d edges, %.1f km in %s\n",
		info.Municipality, info.Generation, info.Nodes, info.Edges, info.LengthM/1000, time.Since(stored).Round(time.Millisecond))
	return nil
}
