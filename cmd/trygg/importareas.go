package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/area"
)

// fileAndFlags splits "FILE --flag v" or "--flag v FILE" for a flag set.
func fileAndFlags(fs *flag.FlagSet, args []string) (string, error) {
	var file string
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	}
	return file, nil
}

// importAreasCmd is `trygg import areas FILE --municipality CODE`: every
// feature of a GeoJSON FeatureCollection becomes an area, all or none.
func importAreasCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	fs := flag.NewFlagSet("import areas", flag.ContinueOnError)
	fs.SetOutput(out)
	code := fs.String("municipality", "", "kommunkod the areas lie in")
	kind := fs.String("kind", "stadsdel", "centrum, stadsdel, utsatt_omrade or custom")
	nameProp := fs.String("name-property", "", "feature property holding the name (default: name, namn, ...)")
	priority := fs.String("priority", "", "comma list of area names that are priority areas")
	file, err := fileAndFlags(fs, args)
	if err != nil {
		return err
	}
	if file == "" || *code == "" {
		return fmt.Errorf("usage: trygg import areas FILE.geojson --municipality CODE [--kind K] [--name-property P] [--priority NAME,NAME]")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var prio []string
	if *priority != "" {
		prio = strings.Split(*priority, ",")
	}
	areas, err := area.ParseGeoJSON(data, area.ImportOptions{Municipality: *code, Kind: area.Kind(*kind), NameProperty: *nameProp, PriorityNames: prio})
	if err != nil {
		return err
	}
	db, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	created, updated, err := db.ImportAreas(ctx, areas)
	if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
		// Said as the API says it, without the database's wording behind it.
		if d, _ := e.Details.(map[string]string); d["field"] == "municipality" {
			return fmt.Errorf("nothing imported: %s %s", e.Message, *code)
		}
		return fmt.Errorf("nothing imported: %s", e.Message)
	}
	if err != nil {
		return fmt.Errorf("nothing imported: %w", err)
	}
	fmt.Fprintf(out, "areas: %d created, %d replaced in %s\n", created, updated, *code)
	return nil
}
