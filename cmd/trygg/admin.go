package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/config"
	"github.com/trygg/trygg/internal/demo"
	"github.com/trygg/trygg/internal/postgres"
)

func openDB(ctx context.Context, getenv func(string) string) (*postgres.DB, error) {
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return nil, err
	}
	return postgres.Open(ctx, cfg.DatabaseURL, 4)
}

func migrateCmd(args []string, getenv func(string) string, out io.Writer) error {
	// The argument is checked before anything connects: a typo must not touch
	// (or wait for) the database.
	if len(args) != 1 || (args[0] != "up" && args[0] != "down" && args[0] != "version") {
		return fmt.Errorf("usage: trygg migrate up|down|version")
	}
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	mg, err := postgres.NewMigrator(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer mg.Close()
	switch args[0] {
	case "up":
		err = mg.Up()
	case "down":
		err = mg.Down()
	case "version":
	default:
		return fmt.Errorf("usage: trygg migrate up|down|version")
	}
	if err != nil {
		return err
	}
	v, dirty, err := mg.Version()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "schema version %d (dirty: %v; this binary expects %d)\n", v, dirty, postgres.ExpectedVersion())
	return nil
}

func seedCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	if len(args) != 1 || args[0] != "demo" {
		return fmt.Errorf("usage: trygg seed demo")
	}
	db, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	// A fixed seed and today's date: the same data on every machine, ending now.
	now := time.Now().Truncate(24 * time.Hour)
	reports := demo.Generate(1781, now)
	n, err := db.SeedDemo(ctx, reports)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "demo data: %d synthetic reports generated, %d new stored\n", len(reports), n)
	if err := seedPromises(ctx, db, out); err != nil {
		return err
	}
	return nil
}

func tokenCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: trygg token create|revoke")
	}
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("token create", flag.ContinueOnError)
		role := fs.String("role", "", "caseworker, analyst, planner, police or admin")
		munis := fs.String("municipality", "", "kommunkod, or a comma list")
		name := fs.String("name", "", "who the token is for")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		r, err := auth.ParseRole(*role)
		if err != nil {
			return err
		}
		codes, err := auth.ParseMunicipalities(*munis)
		if err != nil {
			return err
		}
		if *name == "" {
			*name = string(r)
		}
		db, err := openDB(ctx, getenv)
		if err != nil {
			return err
		}
		defer db.Close()
		token, hash := auth.NewToken()
		id, err := db.CreateToken(ctx, *name, r, codes, hash)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "token id %s (%s, %v)\n%s\n", id, r, codes, token)
		return nil
	case "revoke":
		if len(args) != 2 {
			return fmt.Errorf("usage: trygg token revoke ID")
		}
		id, err := uuid.Parse(args[1])
		if err != nil {
			return fmt.Errorf("token id must be a UUID: %w", err)
		}
		db, err := openDB(ctx, getenv)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.RevokeToken(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(out, "revoked %s\n", id)
		return nil
	}
	return fmt.Errorf("usage: trygg token create|revoke")
}
