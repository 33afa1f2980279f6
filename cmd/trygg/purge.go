package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/trygg/trygg/internal/config"
	"github.com/trygg/trygg/internal/httpapi"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/privacy"
)

// policyOf is the retention policy the configuration sets.
func policyOf(cfg config.Config) privacy.Policy {
	return privacy.Policy{
		Contact: cfg.RetainContact, Text: cfg.RetainText, Photos: cfg.RetainPhotos, Device: cfg.RetainDevice,
		Points: cfg.RetainPoints, Idempotency: cfg.RetainIdempotency, Audit: cfg.RetainAudit,
	}
}

// rekeyLegacy turns the unkeyed device hashes of versions before migration 9
// into keyed ones. Without TRYGG_HASH_SECRET the keys die with the process, so
// re-keying would only make those rows unmatchable: it waits for a secret.
func rekeyLegacy(ctx context.Context, cfg config.Config, keys *privacy.DeviceKeys, db *postgres.DB, log *slog.Logger) error {
	if cfg.HashSecret == "" {
		return nil
	}
	n, err := keys.Rekey(ctx, db)
	if n > 0 {
		log.Info("re-keyed unkeyed device hashes", "rows", n)
	}
	return err
}

// purgeCmd runs the retention policy once: `trygg purge [--dry-run]`.
func purgeCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dry := fs.Bool("dry-run", false, "list what would be purged and change nothing")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return fmt.Errorf("usage: trygg purge [--dry-run]")
	}
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	db, err := postgres.Open(ctx, cfg.DatabaseURL, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	keys := httpapi.NewDeviceKeys(cfg, db, time.Now, log)
	if !*dry {
		if err := rekeyLegacy(ctx, cfg, keys, db, log); err != nil {
			return err
		}
	}
	p := &privacy.Purger{Store: db, Policy: policyOf(cfg), Keys: keys, Now: time.Now}
	res, err := p.Run(ctx, *dry)
	if err != nil {
		return err
	}
	verb := "purged"
	if *dry {
		verb = "would purge (dry run, nothing changed)"
	}
	fmt.Fprintf(stdout, "%s at %s:\n", verb, res.At.UTC().Format(time.RFC3339))
	for _, it := range privacy.Items {
		fmt.Fprintf(stdout, "  %-12s %d\n", it, res.Counts[it])
		for _, id := range res.Reports[it] {
			fmt.Fprintf(stdout, "    report %s\n", id)
		}
	}
	return nil
}
