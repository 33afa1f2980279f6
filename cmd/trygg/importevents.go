package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/trygg/trygg/internal/lagesbild"
)

// importEventsCmd is `trygg import events FILE`: the police's events JSON, or a
// partner CSV (--source NAME). Re-importing a file adds nothing twice.
func importEventsCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	fs := flag.NewFlagSet("import events", flag.ContinueOnError)
	fs.SetOutput(out)
	source := fs.String("source", "", "source name for a CSV file (e.g. securitas)")
	file, err := fileAndFlags(fs, args)
	if err != nil {
		return err
	}
	if file == "" {
		return fmt.Errorf("usage: trygg import events FILE.json | FILE.csv --source NAME")
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	var evs []lagesbild.Event
	if strings.HasSuffix(strings.ToLower(file), ".csv") {
		if *source == "" {
			return fmt.Errorf("a CSV file needs --source NAME")
		}
		evs, err = lagesbild.ParseEventsCSV(f, *source)
	} else {
		evs, err = lagesbild.ParsePoliceEvents(f)
	}
	if err != nil {
		return err
	}
	db, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	added, known, err := db.ImportEvents(ctx, evs, nil)
	if err != nil {
		return fmt.Errorf("nothing imported: %w", err)
	}
	fmt.Fprintf(out, "events: %d read, %d added, %d already stored\n", len(evs), added, known)
	return nil
}
