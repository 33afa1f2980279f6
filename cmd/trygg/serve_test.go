package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/config"
)

func TestHTTPServerBoundsEveryPhase(t *testing.T) {
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(cfg, http.NotFoundHandler())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= cfg.RequestTimeout ||
		srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 || srv.MaxHeaderBytes > 1<<20 {
		t.Fatalf("server limits: %+v", srv)
	}
}

// startLimited runs the production server with its timeouts shortened, so the
// cut-offs are seen within the test's time.
func startLimited(t *testing.T) string {
	t.Helper()
	cfg, _ := config.FromEnv(func(string) string { return "" })
	srv := newHTTPServer(cfg, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	srv.ReadHeaderTimeout, srv.ReadTimeout, srv.IdleTimeout = 300*time.Millisecond, 600*time.Millisecond, 600*time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// closedByServer reads until the server closes the connection, or fails the test
// when it is still open at the deadline (a generous bound, not a timing claim).
func closedByServer(t *testing.T, c net.Conn, what string) string {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
	b, err := io.ReadAll(c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("%s: the server kept the connection open", what)
	}
	return string(b)
}

func TestSlowClientsAreCutOff(t *testing.T) {
	addr := startLimited(t)
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}

	// Slowloris: headers trickle in, one every 100 ms, and never end.
	slow := dial()
	go func() {
		io.WriteString(slow, "GET / HTTP/1.1\r\nHost: x\r\n")
		for i := 0; i < 200; i++ {
			if _, err := io.WriteString(slow, "X-Slow: 1\r\n"); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	closedByServer(t, slow, "slow headers")

	// A slow body: headers at once, then the promised kilobyte never arrives.
	c := dial()
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\nabc")
	closedByServer(t, c, "slow body")

	// An idle keep-alive connection is closed.
	c = dial()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil || resp.StatusCode != 204 {
		t.Fatalf("plain request: %v %v", resp, err)
	}
	closedByServer(t, c, "idle connection")

	// Oversized headers are refused with 431.
	c = dial()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", 200<<10)+"\r\n\r\n")
	if got := closedByServer(t, c, "oversized headers"); !strings.HasPrefix(got, "HTTP/1.1 431") {
		t.Fatalf("oversized headers: %.60q", got)
	}
}
