package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/trygg/trygg/internal/config"
	"github.com/trygg/trygg/internal/delivery"
	"github.com/trygg/trygg/internal/httpapi"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/privacy"
)

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// serve runs the HTTP server until ctx ends, then drains in-flight requests.
func serve(ctx context.Context, getenv func(string) string, logw io.Writer) error {
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, logw)
	slog.SetDefault(log)
	log.Info("config", cfg.LogAttrs()...)
	db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer db.Close()
	keys := httpapi.NewDeviceKeys(cfg, db, time.Now, log)
	if err := rekeyLegacy(ctx, cfg, keys, db, log); err != nil {
		return err
	}
	api, err := httpapi.New(cfg, db, log, httpapi.Options{DeviceKeys: keys})
	if err != nil {
		return err
	}
	stopDeliveries, err := startDeliveries(ctx, cfg, db, log)
	if err != nil {
		return err
	}
	defer stopDeliveries()
	// The retention purge runs beside the server and stops with it.
	purgeCtx, stopPurge := context.WithCancel(ctx)
	var purging sync.WaitGroup
	defer func() { stopPurge(); purging.Wait() }()
	if cfg.PurgeInterval > 0 {
		p := &privacy.Purger{Store: db, Policy: policyOf(cfg), Keys: keys, Now: time.Now}
		purging.Go(func() { p.Schedule(purgeCtx, cfg.PurgeInterval, log) })
	}
	srv := newHTTPServer(cfg, api.Handler())
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// startDeliveries runs the River client that delivers forwarded felanmälningar;
// the returned function stops it, letting attempts under way finish.
func startDeliveries(ctx context.Context, cfg config.Config, db *postgres.DB, log *slog.Logger) (func(), error) {
	if cfg.DeliveryWorkers == 0 {
		return func() {}, nil
	}
	w := &delivery.Worker{Store: db, Sender: delivery.Sender{Client: &http.Client{Timeout: 30 * time.Second}}, Log: log}
	client, err := delivery.NewClient(db.Pool, w, delivery.ClientOptions{MaxWorkers: cfg.DeliveryWorkers, Log: log})
	if err != nil {
		return nil, err
	}
	// The client outlives ctx so that the HTTP drain and the delivery drain
	// happen together at shutdown.
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, err
	}
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		if err := client.Stop(sctx); err != nil {
			log.Warn("stopping deliveries", "error", err)
		}
	}, nil
}

// newHTTPServer bounds every phase of a connection, so slow or oversized clients
// (slowloris) cannot hold connections or memory: headers within 5 s and 64 KiB,
// the whole request within 30 s, the answer within the request timeout plus a
// margin, idle keep-alive connections for 2 min.
func newHTTPServer(cfg config.Config, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              cfg.Addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      cfg.RequestTimeout + 15*time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}
