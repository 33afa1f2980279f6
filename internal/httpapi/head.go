package httpapi

import "net/http"

// answerHeadAsGet lets every GET route answer HEAD as well, as net/http's
// ServeMux does and gin does not: a HEAD request is routed and handled as the
// GET it asks about, so its status and headers (Content-Type, ETag, Cache-Control,
// 304 on If-None-Match) are those of the GET. The handler still writes the body;
// http.Server discards it for a HEAD request and, exactly as for the GET, turns a
// short body into a Content-Length. trygg registers no HEAD routes of its own.
//
// The request is copied, not changed: the server looks at the original's method
// to know that the body must not be sent. Logs and metrics count the request as
// the GET it was answered as.
func answerHeadAsGet(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			get := new(http.Request)
			*get = *r
			get.Method = http.MethodGet
			r = get
		}
		h.ServeHTTP(w, r)
	})
}
