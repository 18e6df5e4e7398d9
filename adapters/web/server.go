// Package web serves the network page: a read-only view of a network for
// its members — overview (charter, goals over time, deliveries, new
// members, open asks), directory with the who-search, commitments board
// and the connections between organisations — rendered on the server with
// html/template and SVG, without scripts, in the member's language.
//
// Members sign in with a personal link the `web` command sends them in
// chat (see bot.WebLink); the page then keeps a session cookie. The
// package reads the store and calls the core's who-ranking (bot.Experts);
// bot never imports it.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"knoop/bot"
	"knoop/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Options configure the page.
type Options struct {
	// BaseURL is where members reach the page (http://127.0.0.1:8080,
	// https://knoop.example.org). Cookies are Secure when it is https or
	// the request came over TLS.
	BaseURL string
	// Now is the clock (tests move it); nil: time.Now.
	Now func() time.Time
	Log *slog.Logger
	// CacheTTL is how long network-wide aggregates (organisations,
	// connections, goal histories, deliveries per month) are reused; 0
	// computes them for every page.
	CacheTTL time.Duration
}

// Server answers the page's requests. It is safe for concurrent use.
type Server struct {
	store  *store.Store
	log    *slog.Logger
	now    func() time.Time
	secure bool
	pages  map[string]*template.Template
	mux    *http.ServeMux
	cache  *cache
}

// pageNames are the templates, each rendered inside layout.html.
var pageNames = []string{"overview", "directory", "commitments", "connections", "goal", "signin", "message"}

// New returns the page's server on s.
func New(s *store.Store, opts Options) (*Server, error) {
	srv := &Server{store: s, log: opts.Log, now: opts.Now, secure: strings.HasPrefix(opts.BaseURL, "https://"),
		cache: &cache{ttl: opts.CacheTTL}}
	if srv.now == nil {
		srv.now = time.Now
	}
	if srv.log == nil {
		srv.log = slog.New(slog.DiscardHandler)
	}
	srv.pages = map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		srv.pages[name] = t
	}
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	m := http.NewServeMux()
	m.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	m.HandleFunc("GET /signin", srv.signinPage)
	m.HandleFunc("POST /signin", srv.signin)
	m.HandleFunc("POST /signout", srv.signout)
	m.HandleFunc("GET /{$}", srv.member(srv.overview))
	m.HandleFunc("GET /directory", srv.member(srv.directory))
	m.HandleFunc("GET /commitments", srv.member(srv.commitments))
	m.HandleFunc("GET /connections", srv.member(srv.connections))
	m.HandleFunc("GET /goals/{no}", srv.member(srv.goal))
	srv.mux = m
	return srv, nil
}

// Handler returns the page's handler with its security headers. Mount it
// at the root of a listener (it may share one with /healthz and /metrics:
// those paths are not the page's).
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// No script runs on the page and no style is inline: the
		// stylesheet and the page's own forms are all it may use.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		defer func() {
			if p := recover(); p != nil {
				s.log.ErrorContext(r.Context(), "panic serving web page", "panic", p, "path", r.URL.Path, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		s.mux.ServeHTTP(w, r)
	})
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// viewer is who a page is rendered for.
type viewer struct {
	store.WebSession
	Net   store.Network
	Lang  string
	Loc   *time.Location
	Now   time.Time // in Loc
	Today time.Time // civil date, midnight UTC
	Token string    // the session token (for signing out)
}

type memberHandler func(w http.ResponseWriter, r *http.Request, v *viewer) error

// member wraps a page for signed-in members: without a valid session the
// request gets the sign-in explanation (401) and nothing of the network.
func (s *Server) member(h memberHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := s.viewer(r)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrExpired) && !errors.Is(err, errNoCookie) {
				s.fail(w, r, langOf(r), err)
				return
			}
			if !errors.Is(err, errNoCookie) {
				s.clearCookie(w, r)
			}
			s.message(w, langOf(r), http.StatusUnauthorized, "signin_needed_title", "signin_needed")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if err := h(w, r, v); err != nil {
			s.fail(w, r, v.Lang, err)
		}
	}
}

var errNoCookie = errors.New("no session cookie")

func (s *Server) viewer(r *http.Request) (*viewer, error) {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return nil, errNoCookie
	}
	now := s.now()
	ws, err := s.store.Session(r.Context(), c.Value, now)
	if err != nil {
		return nil, err
	}
	net := ws.Network
	v := &viewer{WebSession: ws, Net: net, Token: c.Value}
	v.Lang = bot.EN
	for _, l := range []string{ws.Member.Language, net.Language} {
		if l == bot.EN || l == bot.NL {
			v.Lang = l
			break
		}
	}
	v.Loc = time.UTC
	for _, z := range []string{ws.Member.Timezone, net.Timezone} {
		if loc, err := time.LoadLocation(z); z != "" && err == nil {
			v.Loc = loc
			break
		}
	}
	v.Now = now.In(v.Loc)
	y, m, d := v.Now.Date()
	v.Today = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return v, nil
}

// langOf guesses the language of a visitor who is not signed in.
func langOf(r *http.Request) string {
	al := strings.ToLower(r.Header.Get("Accept-Language"))
	if strings.HasPrefix(al, "nl") {
		return bot.NL
	}
	return bot.EN
}

// fail logs err with its cause and shows a short apology, never the error.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	s.log.ErrorContext(r.Context(), "web page failed", "path", r.URL.Path, "err", err)
	s.message(w, lang, http.StatusInternalServerError, "error_title", "error")
}

// render writes a page with status 200.
func (s *Server) render(w http.ResponseWriter, name string, data any) error {
	return s.renderStatus(w, name, http.StatusOK, data)
}

func (s *Server) renderStatus(w http.ResponseWriter, name string, status int, data any) error {
	var b strings.Builder
	if err := s.pages[name].ExecuteTemplate(&b, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write([]byte(b.String()))
	return err
}

// messagePage is a page that only says something (sign in first, link
// expired, an error).
type messagePage struct {
	Lang, Title, Text string
	Viewer            *viewer
	Nav               string
}

func (s *Server) message(w http.ResponseWriter, lang string, status int, title, text string, args ...any) {
	w.Header().Set("Cache-Control", "no-store")
	p := messagePage{Lang: lang, Title: tr(lang, title), Text: tr(lang, text, args...)}
	if err := s.renderStatus(w, "message", status, p); err != nil {
		s.log.Error("render message page", "err", err)
	}
}
