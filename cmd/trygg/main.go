// Command trygg is the trygg service and its administration tools.
//
//	trygg serve
//	trygg migrate up|down|version
//	trygg seed demo
//	trygg token create --role ROLE --municipality CODE[,CODE] [--name NAME]
//	trygg token revoke ID
//	trygg apikey create --name APP
//	trygg apikey revoke ID
//	trygg destination set|list|delete
//	trygg import osm FILE --municipality CODE
//	trygg purge [--dry-run]
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "trygg:", err)
		os.Exit(1)
	}
}

const usage = `usage: trygg <command>

  serve                              run the HTTP service
  migrate up|down|version            manage the database schema
  seed demo                          load synthetic demo reports (idempotent)
  token create --role R --municipality CODE[,CODE] [--name N]
                                     create a staff bearer token (printed once)
  token revoke ID                    revoke a staff token
  apikey create --name APP           create an Open311 api_key for a client app (printed once)
  apikey revoke ID                   revoke an Open311 api_key
  destination set|list|delete        where forwarded felanmälningar are delivered
  import osm FILE --municipality CODE
                                     replace a municipality's walkable street network
  import areas FILE --municipality CODE [--kind K] [--priority NAMES]
                                     add areas from GeoJSON (all or nothing)
  import events FILE [--source NAME] police events JSON or partner CSV (idempotent)
  import surveys FILE --municipality CODE
                                     trygghetsmätning results from CSV
  purge [--dry-run]                  apply the retention policy once (serve also runs it
                                     every TRYGG_PURGE_INTERVAL); --dry-run lists what would go

Configuration is read from the environment (DATABASE_URL, TRYGG_ADDR, ...; see README).`

// run dispatches a subcommand; it is main without the process around it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("no command\n%s", usage)
	}
	switch args[0] {
	case "serve":
		return serve(ctx, getenv, stderr)
	case "migrate":
		return migrateCmd(args[1:], getenv, stdout)
	case "seed":
		return seedCmd(ctx, args[1:], getenv, stdout)
	case "token":
		return tokenCmd(ctx, args[1:], getenv, stdout)
	case "apikey":
		return apikeyCmd(ctx, args[1:], getenv, stdout)
	case "destination":
		return destinationCmd(ctx, args[1:], getenv, stdout)
	case "import":
		return importCmd(ctx, args[1:], getenv, stdout)
	case "purge":
		return purgeCmd(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}
