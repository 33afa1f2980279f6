package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/web"
)

// apiCSP is the policy of every non-HTML response: nothing may load, nothing may
// frame it. It costs nothing and covers a JSON or SVG answer opened in a tab.
const apiCSP = "default-src 'none'; frame-ancestors 'none'"

// pagePolicy builds the Content-Security-Policy of HTML responses: the web
// pages' own allowances (internal/web) on a default of nothing, no inline script
// ever, and inline <style> blocks only by their hash, computed from the body
// being sent (the lägesbild and walk reports are single self-contained files).
type pagePolicy struct {
	base map[string][]string
}

func newPagePolicy(opts web.Options) pagePolicy {
	base := map[string][]string{
		"default-src":     {"'none'"},
		"font-src":        {"'self'"},
		"manifest-src":    {"'self'"},
		"base-uri":        {"'none'"},
		"form-action":     {"'self'"},
		"frame-ancestors": {"'none'"},
	}
	maps.Copy(base, web.CSPAllowances(opts))
	return pagePolicy{base: base}
}

var styleBlock = regexp.MustCompile(`(?is)<style[^>]*>(.*?)</style>`)

// header returns the policy for an HTML body (nil when it is compressed or not
// at hand: then no inline style is allowed).
func (p pagePolicy) header(body []byte) string {
	d := maps.Clone(p.base)
	if body != nil {
		for _, m := range styleBlock.FindAllSubmatch(body, -1) {
			sum := sha256.Sum256(m[1])
			d["style-src"] = append(slices.Clone(d["style-src"]), "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
		}
	}
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(d)) {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k)
		b.WriteString(" ")
		b.WriteString(strings.Join(slices.Compact(d[k]), " "))
	}
	return b.String()
}

// securityHeaders sets the headers every response carries and, on HTML, the
// page policy, decided when the body is first written (the Content-Type is known
// by then and the headers are not yet sent).
func securityHeaders(p pagePolicy) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", apiCSP)
		c.Writer = &cspWriter{ResponseWriter: c.Writer, policy: p}
		c.Next()
	}
}

type cspWriter struct {
	gin.ResponseWriter
	policy pagePolicy
	done   bool
}

func (w *cspWriter) decide(body []byte) {
	if w.done {
		return
	}
	w.done = true
	h := w.Header()
	if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		return
	}
	if h.Get("Content-Encoding") != "" {
		body = nil
	}
	h.Set("Content-Security-Policy", w.policy.header(body))
}

func (w *cspWriter) Write(b []byte) (int, error) {
	w.decide(b)
	return w.ResponseWriter.Write(b)
}

func (w *cspWriter) WriteString(s string) (int, error) {
	w.decide([]byte(s))
	return w.ResponseWriter.WriteString(s)
}

func (w *cspWriter) WriteHeaderNow() {
	w.decide(nil)
	w.ResponseWriter.WriteHeaderNow()
}
