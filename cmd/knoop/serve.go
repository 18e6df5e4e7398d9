package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"strings"
	"sync/atomic"
	"time"

	slackadapter "knoop/adapters/slack"
	"knoop/bot/metrics"
)

// namedCheck is one readiness condition of /readyz: ready returns what is
// fine ("socket mode connected") or an error saying what is not.
type namedCheck struct {
	name  string
	ready func(ctx context.Context) (string, error)
}

// readier is what an adapter offers /readyz (Slack and Matrix do).
type readier interface {
	Ready() (string, error)
}

// readyTimeout bounds all checks of one /readyz request.
const readyTimeout = 3 * time.Second

// opsServer is one of knoop run's HTTP servers: on [http] listen it
// serves /healthz, /readyz, /metrics and whatever else is mounted on its
// mux (Slack's HTTP-mode endpoints); with [http] ops_listen set, the
// server there has the first three and the one on listen only Slack's.
type opsServer struct {
	configured string // the [http] listen address it was asked for
	mux        *http.ServeMux
	srv        *http.Server
	ln         net.Listener
	checks     []namedCheck
	stopping   atomic.Bool // /readyz says so once shutdown began
}

// newOpsServer binds addr, so a taken port fails the start at once, with
// /healthz, /readyz and /metrics when ops is set, and net/http/pprof beside
// them when pprof is set too. Serve starts answering.
// Every server has read, write and idle timeouts (the Slack adapter's), so
// a slow or idle client cannot hold a connection (a CPU profile must ask
// for fewer seconds than the write timeout).
func newOpsServer(addr string, m *metrics.Metrics, ops, withPprof bool) (*opsServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("http.listen: %w", err)
	}
	s := &opsServer{configured: addr, mux: http.NewServeMux(), ln: ln}
	if ops {
		s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprintln(w, "ok")
		})
		s.mux.HandleFunc("GET /readyz", s.readyz)
		s.mux.Handle("GET /metrics", m.Handler())
		if withPprof {
			s.mux.HandleFunc("GET /debug/pprof/", pprof.Index)
			s.mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
			s.mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
			s.mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
			s.mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
		}
	}
	s.srv = &http.Server{Handler: s.mux, ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: slackadapter.ReadTimeout, WriteTimeout: slackadapter.WriteTimeout, IdleTimeout: slackadapter.IdleTimeout}
	return s, nil
}

// Addr is the bound address (useful with port 0).
func (s *opsServer) Addr() string { return s.ln.Addr().String() }

// Serve answers requests until Shutdown. The checks must be complete
// before it is called.
func (s *opsServer) Serve() {
	go func() { _ = s.srv.Serve(s.ln) }()
}

// Shutdown stops accepting and waits for requests in flight until ctx ends.
func (s *opsServer) Shutdown(ctx context.Context) error { return s.srv.Shutdown(ctx) }

// readyz runs every check: 200 when all pass, else 503; one line per
// check either way ("ok name: detail" or "FAIL name: reason").
func (s *opsServer) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	lines, ok := s.ready(ctx)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	fmt.Fprint(w, strings.Join(lines, "\n")+"\n")
}

func (s *opsServer) ready(ctx context.Context) ([]string, bool) {
	ok := true
	var lines []string
	if s.stopping.Load() {
		ok = false
		lines = append(lines, "FAIL knoop: shutting down")
	}
	for _, c := range s.checks {
		detail, err := c.ready(ctx)
		switch {
		case err != nil:
			ok = false
			lines = append(lines, fmt.Sprintf("FAIL %s: %v", c.name, oneLine(err.Error())))
		case detail != "":
			lines = append(lines, fmt.Sprintf("ok %s: %s", c.name, oneLine(detail)))
		default:
			lines = append(lines, "ok "+c.name)
		}
	}
	return lines, ok
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// runReady asks a running knoop's /readyz and exits 0 only when it is
// ready: a health check for images without curl or wget.
func runReady(e env, args []string) error {
	fs, _ := e.flags("ready")
	url := fs.String("url", "http://127.0.0.1:8080/readyz", "the /readyz URL of the running knoop")
	if err := parse(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(e.ctx, 2*readyTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(e.stdout, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready (HTTP %d)", resp.StatusCode)
	}
	return nil
}
