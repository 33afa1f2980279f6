package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"

	"github.com/trygg/trygg/internal/config"
	"github.com/trygg/trygg/internal/httpapi"
	"github.com/trygg/trygg/internal/postgres"
)

// serveInProcess starts trygg's real router on a loopback port inside this
// process, so that a CPU profile of the run covers the server's side. It
// returns the base URL and a function that stops the profile and the server.
func serveInProcess(ctx context.Context, profile string) (string, func() error, error) {
	cfg, err := config.FromEnv(func(k string) string {
		switch k {
		case "TRYGG_RATE_LIMIT", "TRYGG_RATE_BURST":
			return "1000000000"
		}
		return os.Getenv(k)
	})
	if err != nil {
		return "", nil, err
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.DBMaxConns)
	if err != nil {
		return "", nil, err
	}
	api, err := httpapi.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)), httpapi.Options{})
	if err != nil {
		db.Close()
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		db.Close()
		return "", nil, err
	}
	srv := &http.Server{Handler: api.Handler()}
	go srv.Serve(ln)
	f, err := os.Create(profile)
	if err != nil {
		srv.Close()
		db.Close()
		return "", nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return "", nil, err
	}
	stop := func() error {
		pprof.StopCPUProfile()
		srv.Close()
		db.Close()
		return f.Close()
	}
	return "http://" + ln.Addr().String(), stop, nil
}
