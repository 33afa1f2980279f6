package web

import "net/url"

// CSPAllowances are the Content-Security-Policy sources the pages need; a CSP
// middleware should merge them into its policy rather than repeat them. Every
// script, style and worker is a file under /assets/ (no inline code), so 'self'
// covers them: MapLibre 6 starts its worker as a same-origin module worker from
// /assets/maplibre-gl-worker.mjs and needs no blob: worker. Photos chosen on the
// Report page are previewed from blob: URLs. A configured basemap style is
// fetched from its own origin, with its tiles, sprites and glyphs, so that
// origin is added to connect-src and img-src.
func CSPAllowances(opts Options) map[string][]string {
	csp := map[string][]string{
		"script-src":  {"'self'"},
		"worker-src":  {"'self'"},
		"style-src":   {"'self'"},
		"img-src":     {"'self'", "data:", "blob:"},
		"connect-src": {"'self'"},
	}
	if u, err := url.Parse(opts.BasemapStyleURL); err == nil && u.Scheme != "" && u.Host != "" {
		origin := u.Scheme + "://" + u.Host
		csp["connect-src"] = append(csp["connect-src"], origin)
		csp["img-src"] = append(csp["img-src"], origin)
	}
	return csp
}
