// Package config reads trygg's settings from the environment, applies defaults,
// validates them once at start and renders them for one log line with secrets
// masked.
package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is every setting the service reads. Each field names its variable.
type Config struct {
	DatabaseURL        string        // DATABASE_URL
	Addr               string        // TRYGG_ADDR
	PublicURL          string        // TRYGG_PUBLIC_URL: base URL used in links when set
	LogLevel           string        // TRYGG_LOG_LEVEL: debug, info, warn, error
	LogFormat          string        // TRYGG_LOG_FORMAT: text or json
	CORSOrigins        []string      // TRYGG_CORS_ORIGINS: comma list of allowed origins
	BodyLimit          int64         // TRYGG_BODY_LIMIT_BYTES: JSON/form bodies
	PhotoLimit         int64         // TRYGG_PHOTO_LIMIT_BYTES: one uploaded photo
	PhotoMaxPixels     int           // TRYGG_PHOTO_MAX_PIXELS: decompression-bomb guard
	RateLimit          float64       // TRYGG_RATE_LIMIT: public writes per second per client
	RateBurst          int           // TRYGG_RATE_BURST
	RequestTimeout     time.Duration // TRYGG_REQUEST_TIMEOUT
	ShutdownTimeout    time.Duration // TRYGG_SHUTDOWN_TIMEOUT
	DBMaxConns         int32         // TRYGG_DB_MAX_CONNS
	Open311KeyRequired bool          // TRYGG_OPEN311_KEY_REQUIRED
	MinCellCount       int           // TRYGG_MIN_CELL_COUNT: public cells below this are suppressed
	BasemapStyleURL    string        // TRYGG_BASEMAP_STYLE_URL
	DeliveryWorkers    int           // TRYGG_DELIVERY_WORKERS: concurrent deliveries of forwarded reports; 0: this instance delivers none

	// Privacy (issue 10). Durations also accept whole days, e.g. 90d.
	HashSecret        string        // TRYGG_HASH_SECRET: key material for device and IP hashes (secret)
	HashKeyPeriod     time.Duration // TRYGG_HASH_KEY_PERIOD: how long one device-hash key is current
	RetainContact     time.Duration // TRYGG_RETAIN_CONTACT: contact data of closed reports
	RetainText        time.Duration // TRYGG_RETAIN_TEXT: free text of closed reports
	RetainPhotos      time.Duration // TRYGG_RETAIN_PHOTOS: photos of closed reports
	RetainDevice      time.Duration // TRYGG_RETAIN_DEVICE: device hashes
	RetainPoints      time.Duration // TRYGG_RETAIN_POINTS: exact points of sensitive categories
	RetainIdempotency time.Duration // TRYGG_RETAIN_IDEMPOTENCY: stored responses of retried POSTs
	RetainAudit       time.Duration // TRYGG_RETAIN_AUDIT: audit entries; 0 keeps them for ever
	PurgeInterval     time.Duration // TRYGG_PURGE_INTERVAL: scheduled purge inside serve; 0 turns it off
}

// FromEnv reads the configuration through getenv (os.Getenv in production, a map
// in tests) and validates it.
func FromEnv(getenv func(string) string) (Config, error) {
	r := reader{getenv: getenv}
	c := Config{
		DatabaseURL:        r.str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/trygg?sslmode=disable"),
		Addr:               r.str("TRYGG_ADDR", ":8080"),
		PublicURL:          strings.TrimRight(r.str("TRYGG_PUBLIC_URL", ""), "/"),
		LogLevel:           r.str("TRYGG_LOG_LEVEL", "info"),
		LogFormat:          r.str("TRYGG_LOG_FORMAT", "text"),
		CORSOrigins:        r.list("TRYGG_CORS_ORIGINS"),
		BodyLimit:          r.int64("TRYGG_BODY_LIMIT_BYTES", 64<<10),
		PhotoLimit:         r.int64("TRYGG_PHOTO_LIMIT_BYTES", 8<<20),
		PhotoMaxPixels:     int(r.int64("TRYGG_PHOTO_MAX_PIXELS", 40_000_000)),
		RateLimit:          r.float("TRYGG_RATE_LIMIT", 2),
		RateBurst:          int(r.int64("TRYGG_RATE_BURST", 20)),
		RequestTimeout:     r.duration("TRYGG_REQUEST_TIMEOUT", 15*time.Second),
		ShutdownTimeout:    r.duration("TRYGG_SHUTDOWN_TIMEOUT", 20*time.Second),
		DBMaxConns:         int32(r.int64("TRYGG_DB_MAX_CONNS", 16)),
		Open311KeyRequired: r.bool("TRYGG_OPEN311_KEY_REQUIRED", true),
		MinCellCount:       int(r.int64("TRYGG_MIN_CELL_COUNT", 3)),
		BasemapStyleURL:    r.str("TRYGG_BASEMAP_STYLE_URL", ""),
		DeliveryWorkers:    int(r.int64("TRYGG_DELIVERY_WORKERS", 4)),
		HashSecret:         r.str("TRYGG_HASH_SECRET", ""),
		HashKeyPeriod:      r.period("TRYGG_HASH_KEY_PERIOD", 30*day),
		RetainContact:      r.period("TRYGG_RETAIN_CONTACT", 90*day),
		RetainText:         r.period("TRYGG_RETAIN_TEXT", 365*day),
		RetainPhotos:       r.period("TRYGG_RETAIN_PHOTOS", 365*day),
		RetainDevice:       r.period("TRYGG_RETAIN_DEVICE", 30*day),
		RetainPoints:       r.period("TRYGG_RETAIN_POINTS", 365*day),
		RetainIdempotency:  r.period("TRYGG_RETAIN_IDEMPOTENCY", 24*time.Hour),
		RetainAudit:        r.period("TRYGG_RETAIN_AUDIT", 5*365*day),
		PurgeInterval:      r.period("TRYGG_PURGE_INTERVAL", time.Hour),
	}
	if len(r.errs) > 0 {
		return c, fmt.Errorf("config: %s", strings.Join(r.errs, "; "))
	}
	return c, c.validate()
}

func (c Config) validate() error {
	var errs []string
	if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		errs = append(errs, "DATABASE_URL must be a postgres:// URL")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, "TRYGG_LOG_LEVEL must be debug, info, warn or error")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, "TRYGG_LOG_FORMAT must be text or json")
	}
	if c.BodyLimit < 1024 {
		errs = append(errs, "TRYGG_BODY_LIMIT_BYTES must be at least 1024")
	}
	if c.PhotoLimit < 1024 {
		errs = append(errs, "TRYGG_PHOTO_LIMIT_BYTES must be at least 1024")
	}
	if c.RateLimit <= 0 || c.RateBurst < 1 {
		errs = append(errs, "TRYGG_RATE_LIMIT must be > 0 and TRYGG_RATE_BURST >= 1")
	}
	if c.RequestTimeout <= 0 || c.ShutdownTimeout <= 0 {
		errs = append(errs, "timeouts must be positive")
	}
	if c.DBMaxConns < 2 {
		errs = append(errs, "TRYGG_DB_MAX_CONNS must be at least 2")
	}
	if c.DeliveryWorkers < 0 || c.DeliveryWorkers > 100 {
		errs = append(errs, "TRYGG_DELIVERY_WORKERS must be between 0 and 100")
	}
	if c.MinCellCount < 1 {
		errs = append(errs, "TRYGG_MIN_CELL_COUNT must be at least 1")
	}
	if c.HashSecret != "" && len(c.HashSecret) < 16 {
		errs = append(errs, "TRYGG_HASH_SECRET must be at least 16 characters (e.g. openssl rand -hex 32)")
	}
	if c.HashKeyPeriod < time.Hour {
		errs = append(errs, "TRYGG_HASH_KEY_PERIOD must be at least 1h")
	}
	for name, d := range map[string]time.Duration{
		"TRYGG_RETAIN_CONTACT": c.RetainContact, "TRYGG_RETAIN_TEXT": c.RetainText, "TRYGG_RETAIN_PHOTOS": c.RetainPhotos,
		"TRYGG_RETAIN_DEVICE": c.RetainDevice, "TRYGG_RETAIN_POINTS": c.RetainPoints, "TRYGG_RETAIN_IDEMPOTENCY": c.RetainIdempotency,
	} {
		if d < time.Hour {
			errs = append(errs, name+" must be at least 1h")
		}
	}
	if c.RetainAudit < 0 || c.PurgeInterval < 0 {
		errs = append(errs, "TRYGG_RETAIN_AUDIT and TRYGG_PURGE_INTERVAL must not be negative")
	}
	for _, o := range c.CORSOrigins {
		if u, err := url.Parse(o); o != "*" && (err != nil || u.Scheme == "" || u.Host == "") {
			errs = append(errs, fmt.Sprintf("TRYGG_CORS_ORIGINS: %q is not an origin like https://app.example.se", o))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("config: %s", strings.Join(errs, "; "))
	}
	return nil
}

// LogAttrs returns the settings as key/value pairs for one log line, with the
// database password masked.
func (c Config) LogAttrs() []any {
	db := c.DatabaseURL
	if u, err := url.Parse(db); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		db = u.String()
	}
	return []any{
		"database_url", db, "addr", c.Addr, "public_url", c.PublicURL,
		"log_level", c.LogLevel, "log_format", c.LogFormat, "cors_origins", c.CORSOrigins,
		"body_limit", c.BodyLimit, "photo_limit", c.PhotoLimit, "photo_max_pixels", c.PhotoMaxPixels,
		"rate_limit", c.RateLimit, "rate_burst", c.RateBurst,
		"request_timeout", c.RequestTimeout.String(), "shutdown_timeout", c.ShutdownTimeout.String(),
		"db_max_conns", c.DBMaxConns, "open311_key_required", c.Open311KeyRequired,
		"min_cell_count", c.MinCellCount, "basemap_style_url", c.BasemapStyleURL,
		"delivery_workers", c.DeliveryWorkers,
		"device_hash_key", maskSecret(c.HashSecret), "hash_key_period", c.HashKeyPeriod.String(),
		"retain_contact", c.RetainContact.String(), "retain_text", c.RetainText.String(),
		"retain_photos", c.RetainPhotos.String(), "retain_device", c.RetainDevice.String(),
		"retain_points", c.RetainPoints.String(), "retain_idempotency", c.RetainIdempotency.String(),
		"retain_audit", c.RetainAudit.String(), "purge_interval", c.PurgeInterval.String(),
	}
}

const day = 24 * time.Hour

// maskSecret shows whether a secret is set, never its value.
func maskSecret(s string) string {
	if s == "" {
		return "(unset: random per process)"
	}
	return "xxxxx"
}

type reader struct {
	getenv func(string) string
	errs   []string
}

func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) list(name string) []string {
	var out []string
	for _, p := range strings.Split(r.getenv(name), ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r *reader) int64(name string, def int64) int64 {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		r.errs = append(r.errs, fmt.Sprintf("%s: %q is not a whole number", name, v))
	}
	return n
}

func (r *reader) float(name string, def float64) float64 {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		r.errs = append(r.errs, fmt.Sprintf("%s: %q is not a number", name, v))
	}
	return f
}

func (r *reader) bool(name string, def bool) bool {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.errs = append(r.errs, fmt.Sprintf("%s: %q is not true or false", name, v))
	}
	return b
}

// period reads a duration that may also be given in whole days ("90d").
func (r *reader) period(name string, def time.Duration) time.Duration {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	if n, ok := strings.CutSuffix(v, "d"); ok {
		if d, err := strconv.Atoi(n); err == nil && d >= 0 {
			return time.Duration(d) * day
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		r.errs = append(r.errs, fmt.Sprintf("%s: %q is not a duration like 90d or 24h", name, v))
	}
	return d
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		r.errs = append(r.errs, fmt.Sprintf("%s: %q is not a duration like 15s", name, v))
	}
	return d
}
