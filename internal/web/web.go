// Package web serves trygg's web pages for residents, caseworkers, analysts and
// planners. The pages are built from web/ by `npm run build` into dist/, which
// is committed and embedded, so `go build` needs no Node.js. dist/pages.json,
// written by the build, says which route serves which HTML file; everything
// else in dist/ is served under /assets/.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed dist
var dist embed.FS

// AssetPrefix is where the built JS, CSS and workers are served.
const AssetPrefix = "/assets/"

// Page is one HTML page and the route it is served at.
type Page struct {
	Route string `json:"route"`
	File  string `json:"file"`
}

// Options configure the pages for a deployment.
type Options struct {
	// BasemapStyleURL is a MapLibre style drawn under trygg's layers on the map
	// pages; empty means a plain background with outlines only.
	BasemapStyleURL string
}

// Site is the loaded pages and assets, each prepared once at start: its ETag
// and, when it shrinks, its gzip form.
type Site struct {
	workerPolicy string
	pages        []Page
	files        map[string]*file
	routes       map[string]bool
}

type file struct {
	body, gz    []byte
	contentType string
	etag        string
}

// Load reads the embedded build.
func Load(opts Options) (*Site, error) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	return load(sub, opts)
}

func load(fsys fs.FS, opts Options) (*Site, error) {
	raw, err := fs.ReadFile(fsys, "pages.json")
	if err != nil {
		return nil, fmt.Errorf("web: the embedded build has no pages.json (run `npm run build` in web/): %w", err)
	}
	s := &Site{files: map[string]*file{}, routes: map[string]bool{}, workerPolicy: workerPolicy(opts)}
	if err := json.Unmarshal(raw, &s.pages); err != nil {
		return nil, fmt.Errorf("web: pages.json: %w", err)
	}
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || name == "pages.json" {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if strings.HasSuffix(name, ".html") {
			body = fillMeta(body, opts)
		}
		s.files[name] = prepare(name, body)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range s.pages {
		if _, ok := s.files[p.File]; !ok {
			return nil, fmt.Errorf("web: page %s names %s, which the build lacks", p.Route, p.File)
		}
		s.routes[p.Route] = true
	}
	return s, nil
}

// workerPolicy is the Content-Security-Policy of script responses, which is the
// policy of any worker started from them.
func workerPolicy(opts Options) string {
	csp := CSPAllowances(opts)
	csp["default-src"] = []string{"'none'"}
	names := make([]string, 0, len(csp))
	for k := range csp {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + " " + strings.Join(csp[k], " ")
	}
	return strings.Join(parts, "; ")
}

// fillMeta writes deployment settings into the pages' meta tags: the pages read
// them from there, as inline scripts are not allowed by the CSP.
func fillMeta(body []byte, opts Options) []byte {
	return bytes.ReplaceAll(body,
		[]byte(`<meta name="trygg-basemap-style" content="">`),
		[]byte(`<meta name="trygg-basemap-style" content="`+html.EscapeString(opts.BasemapStyleURL)+`">`))
}

func prepare(name string, body []byte) *file {
	sum := sha256.Sum256(body)
	f := &file{body: body, contentType: contentType(name), etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	if compressible(f.contentType) && len(body) > 512 {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		if b.Len() < len(body) {
			f.gz = b.Bytes()
		}
	}
	return f
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json":
		return "application/json"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	}
	return "application/octet-stream"
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || ct == "application/json" || ct == "image/svg+xml"
}

// Pages lists the HTML pages and their routes.
func (s *Site) Pages() []Page { return append([]Page(nil), s.pages...) }

// IsPageRoute tells whether a router path (as gin lists it) is one of the web
// pages or the asset route, which are HTML and files rather than API operations
// and so are not in openapi.yaml.
func (s *Site) IsPageRoute(route string) bool {
	return s.routes[route] || route == AssetPrefix+"*file"
}

// Register adds the page routes and the asset route to r.
func (s *Site) Register(r gin.IRoutes) {
	for _, p := range s.pages {
		f := s.files[p.File]
		r.GET(p.Route, func(c *gin.Context) { s.serve(c, f) })
	}
	r.GET(AssetPrefix+"*file", func(c *gin.Context) {
		name := strings.TrimPrefix(c.Param("file"), "/")
		f, ok := s.files[name]
		if !ok || strings.HasSuffix(name, ".html") {
			c.Data(http.StatusNotFound, "text/plain; charset=utf-8", []byte("no such file\n"))
			return
		}
		s.serve(c, f)
	})
}

// serve writes a file with its ETag, compressed when the client accepts gzip.
// Files are not fingerprinted, so clients revalidate each time (no-cache) and get
// 304 while the build is unchanged.
func (s *Site) serve(c *gin.Context, f *file) {
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	if etagMatches(c.GetHeader("If-None-Match"), f.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	if strings.HasPrefix(f.contentType, "text/javascript") {
		// A worker runs under the policy its script arrived with, not the page's:
		// MapLibre's worker fetches tiles, so scripts carry the pages' allowances
		// instead of the API's "load nothing" policy.
		h.Set("Content-Security-Policy", s.workerPolicy)
	}
	body := f.body
	if f.gz != nil && acceptsGzip(c.GetHeader("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	c.Data(http.StatusOK, f.contentType, body)
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/"))
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") || strings.TrimSpace(name) == "*" {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
