package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"regexp"

	"github.com/trygg/trygg/internal/delivery"
)

const destinationUsage = `usage: trygg destination set --municipality CODE|'*' --kind webhook|open311 --url URL [--service-code C]
       trygg destination list
       trygg destination delete --municipality CODE|'*'
The webhook secret is read from TRYGG_DESTINATION_SECRET, the Open311 api_key from
TRYGG_DESTINATION_API_KEY, so neither shows in the process list.`

var destinationMunicipality = regexp.MustCompile(`^([0-9]{4}|\*)$`)

// destinationCmd configures where forwarded felanmälningar are delivered.
func destinationCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", destinationUsage)
	}
	fs := flag.NewFlagSet("destination "+args[0], flag.ContinueOnError)
	muni := fs.String("municipality", "", "kommunkod, or * for every municipality without its own")
	kind := fs.String("kind", "", "webhook or open311")
	u := fs.String("url", "", "the webhook URL, or the Open311 server's requests endpoint (…/requests.json)")
	service := fs.String("service-code", "", "Open311 service_code to use (default: the report's category)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s", destinationUsage)
	}
	db, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "set":
		d := delivery.Destination{Municipality: *muni, Kind: *kind, URL: *u, ServiceCode: *service,
			Secret: getenv("TRYGG_DESTINATION_SECRET"), APIKey: getenv("TRYGG_DESTINATION_API_KEY")}
		if err := checkDestination(d); err != nil {
			return err
		}
		if err := db.SetDestination(ctx, d); err != nil {
			return err
		}
		fmt.Fprintf(out, "destination for %s: %s %s\n", d.Municipality, d.Kind, d.URL)
		return nil
	case "list":
		ds, err := db.Destinations(ctx)
		if err != nil {
			return err
		}
		for _, d := range ds {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", d.Municipality, d.Kind, d.URL, d.ServiceCode)
		}
		return nil
	case "delete":
		if !destinationMunicipality.MatchString(*muni) {
			return fmt.Errorf("--municipality must be a kommunkod or *")
		}
		ok, err := db.DeleteDestination(ctx, *muni)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("no destination for %s", *muni)
		}
		fmt.Fprintf(out, "destination for %s deleted\n", *muni)
		return nil
	}
	return fmt.Errorf("%s", destinationUsage)
}

func checkDestination(d delivery.Destination) error {
	if !destinationMunicipality.MatchString(d.Municipality) {
		return fmt.Errorf("--municipality must be a kommunkod or *")
	}
	if p, err := url.Parse(d.URL); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return fmt.Errorf("--url must be an http(s) URL")
	}
	switch d.Kind {
	case delivery.KindWebhook:
		if len(d.Secret) < 16 {
			return fmt.Errorf("a webhook needs TRYGG_DESTINATION_SECRET of at least 16 characters to sign with")
		}
	case delivery.KindOpen311:
	default:
		return fmt.Errorf("--kind must be webhook or open311")
	}
	return nil
}
