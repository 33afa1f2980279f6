package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/trygg/trygg/internal/promise"
)

// importSurveysCmd is `trygg import surveys FILE.csv --municipality CODE`:
// trygghetsmätning results, all or nothing.
func importSurveysCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	fs := flag.NewFlagSet("import surveys", flag.ContinueOnError)
	fs.SetOutput(out)
	code := fs.String("municipality", "", "kommunkod the results belong to")
	file, err := fileAndFlags(fs, args)
	if err != nil {
		return err
	}
	if file == "" || *code == "" {
		return fmt.Errorf("usage: trygg import surveys FILE.csv --municipality CODE")
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	rs, err := promise.ParseSurveysCSV(f)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.ImportSurveys(ctx, *code, rs)
	if err != nil {
		return fmt.Errorf("nothing imported: %w", err)
	}
	fmt.Fprintf(out, "surveys: %d results stored for %s\n", n, *code)
	return nil
}
