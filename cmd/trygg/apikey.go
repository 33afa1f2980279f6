package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/open311"
)

const apikeyUsage = "usage: trygg apikey create --name APP | trygg apikey revoke ID"

// apikeyCmd manages the api_keys Open311 client apps send with POST requests.
// The key is printed once; only its hash is stored.
func apikeyCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", apikeyUsage)
	}
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("apikey create", flag.ContinueOnError)
		name := fs.String("name", "", "the client app the key is for")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if strings.TrimSpace(*name) == "" || fs.NArg() > 0 {
			return fmt.Errorf("%s", apikeyUsage)
		}
		db, err := openDB(ctx, getenv)
		if err != nil {
			return err
		}
		defer db.Close()
		key, hash := open311.NewAPIKey()
		id, err := db.CreateAPIKey(ctx, strings.TrimSpace(*name), hash)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "api key id %s (%s); the key is shown only now:\n%s\n", id, *name, key)
		return nil
	case "revoke":
		if len(args) != 2 {
			return fmt.Errorf("%s", apikeyUsage)
		}
		id, err := uuid.Parse(args[1])
		if err != nil {
			return fmt.Errorf("api key id must be a UUID: %w", err)
		}
		db, err := openDB(ctx, getenv)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.RevokeAPIKey(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(out, "revoked api key %s\n", id)
		return nil
	}
	return fmt.Errorf("%s", apikeyUsage)
}
