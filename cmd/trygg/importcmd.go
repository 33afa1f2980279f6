package main

import (
	"context"
	"fmt"
	"io"
)

// importCmd dispatches `trygg import <what> ...`: each kind of import lives in
// its own file (importosm.go, ...).
func importCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: trygg import osm FILE --municipality CODE")
	}
	switch args[0] {
	case "osm":
		return importOSMCmd(ctx, args[1:], getenv, out)
	case "areas":
		return importAreasCmd(ctx, args[1:], getenv, out)
	case "events":
		return importEventsCmd(ctx, args[1:], getenv, out)
	case "surveys":
		return importSurveysCmd(ctx, args[1:], getenv, out)
	}
	return fmt.Errorf("unknown import %q (osm, areas, events, surveys)", args[0])
}
