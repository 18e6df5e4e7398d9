package slack

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"knoop/bot"
)

// maxBody is the largest request body read; Slack's events, commands and
// interactions are far smaller. A larger one is answered 413.
const maxBody = 256 << 10

// Timeouts of an HTTP server facing Slack (and the internet): a request
// must arrive whole within ReadTimeout and be answered within WriteTimeout
// (Slack gives up after 3 s; the adapter acknowledges within Config.Wait);
// an idle keep-alive connection is closed after IdleTimeout. knoop run's
// own listeners use the same values.
const (
	ReadTimeout  = 10 * time.Second
	WriteTimeout = 15 * time.Second
	IdleTimeout  = 60 * time.Second
)

// Handler returns the HTTP-mode endpoints: /slack/events,
// /slack/commands and /slack/interactive. Every request's signature is
// checked against the signing secret (and its timestamp must be within
// 5 minutes); anything else is answered 401 or 400 and changes nothing.
func (a *Adapter) Handler(ctx context.Context, h bot.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/events", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
		if err != nil {
			http.Error(w, "malformed event", http.StatusBadRequest)
			return
		}
		switch ev.Type {
		case slackevents.URLVerification:
			var ch slackevents.ChallengeResponse
			if err := json.Unmarshal(body, &ch); err != nil {
				http.Error(w, "malformed challenge", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte(ch.Challenge))
		case slackevents.CallbackEvent:
			a.await(ctx, eventKey(ev), a.eventWork(h, ev))
			w.WriteHeader(http.StatusOK)
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	mux.HandleFunc("POST /slack/commands", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		cmd, err := slack.SlashCommandParse(r)
		if err != nil || cmd.UserID == "" {
			http.Error(w, "malformed slash command", http.StatusBadRequest)
			return
		}
		writeJSON(w, a.await(ctx, slashKey(cmd), a.slashWork(h, cmd)))
	}))
	mux.HandleFunc("POST /slack/interactive", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "malformed interaction", http.StatusBadRequest)
			return
		}
		var cb slack.InteractionCallback
		if err := json.Unmarshal([]byte(r.FormValue("payload")), &cb); err != nil || cb.Type == "" {
			http.Error(w, "malformed interaction", http.StatusBadRequest)
			return
		}
		writeJSON(w, a.await(ctx, cb.User.ID, a.interactionWork(h, cb)))
	}))
	return mux
}

// await dispatches work and blocks until it is acknowledged: the HTTP
// response is Slack's acknowledgement.
func (a *Adapter) await(ctx context.Context, key string, work func(ctx context.Context, late func() bool) any) any {
	acked := make(chan any, 1)
	a.dispatch(ctx, key, work, func(p any) { acked <- p })
	return <-acked
}

func writeJSON(w http.ResponseWriter, v any) {
	if v == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// verified checks Slack's signature headers and timestamp (5 minutes)
// before it reads a byte of the body, then reads the body (at most
// maxBody), checks the signature over it and passes the body on, restored
// for form parsing. An unsigned client cannot make Knoop read or hold a
// body.
func (a *Adapter) verified(next func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !plausibleSignature(r.Header.Get("X-Slack-Signature")) {
			http.Error(w, "missing or malformed signature", http.StatusUnauthorized)
			return
		}
		// The verifier reads only the headers: the timestamp is checked
		// here, before the body.
		sv, err := slack.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
		if err != nil {
			http.Error(w, "missing or stale signature", http.StatusUnauthorized)
			return
		}
		if r.ContentLength > maxBody {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		if _, err := sv.Write(body); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if err := sv.Ensure(); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next(w, r, body)
	}
}

// plausibleSignature reports whether sig has the shape of a Slack request
// signature: "v0=" and 64 hex digits.
func plausibleSignature(sig string) bool {
	hexPart, ok := strings.CutPrefix(sig, "v0=")
	if !ok || len(hexPart) != 64 {
		return false
	}
	_, err := hex.DecodeString(hexPart)
	return err == nil
}

// mountPoint holds the HTTP-mode endpoints while Run runs, for a server
// the caller runs (HTTPHandler). Requests in flight hold the read lock, so
// closing waits for them before Run waits for their work.
type mountPoint struct {
	mu      sync.RWMutex
	handler http.Handler // nil: not serving (before Run, after it ended)
}

// HTTPHandler returns the HTTP-mode endpoints (/slack/events,
// /slack/commands, /slack/interactive) for a server the caller runs:
// knoop run serves them beside /healthz and /metrics on one listener.
// Leave Config.Listen empty so Run does not listen itself. Until Run has
// connected, and from the moment it is shutting down, requests are
// answered 503 and Slack retries them.
func (a *Adapter) HTTPHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mounted.mu.RLock()
		defer a.mounted.mu.RUnlock()
		if a.mounted.handler == nil {
			http.Error(w, "knoop is not connected to Slack", http.StatusServiceUnavailable)
			return
		}
		a.mounted.handler.ServeHTTP(w, r)
	})
}

// serveMounted makes HTTPHandler serve until ctx ends, then waits for the
// requests in flight.
func (a *Adapter) serveMounted(ctx context.Context, h bot.Handler) error {
	a.mounted.mu.Lock()
	a.mounted.handler = a.Handler(ctx, h)
	a.mounted.mu.Unlock()
	a.conn.Up(a.cfg.Metrics, Platform, "http mode serving")
	a.log.Info("slack http mode serving on the shared listener")
	<-ctx.Done()
	a.conn.Down("shutting down")
	a.mounted.mu.Lock()
	a.mounted.handler = nil
	a.mounted.mu.Unlock()
	return nil
}

// runHTTP serves the HTTP-mode endpoints on cfg.Listen until ctx ends,
// then lets requests in flight finish. With no Listen, the caller serves
// them (HTTPHandler).
func (a *Adapter) runHTTP(ctx context.Context, h bot.Handler) error {
	if a.cfg.Listen == "" {
		return a.serveMounted(ctx, h)
	}
	srv := &http.Server{
		Addr:              a.cfg.Listen,
		Handler:           a.Handler(ctx, h),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	a.log.Info("slack http mode listening", "addr", a.cfg.Listen)
	a.conn.Up(a.cfg.Metrics, Platform, "http mode listening on "+a.cfg.Listen)
	select {
	case err := <-errc:
		return fmt.Errorf("slack: http: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("slack: http shutdown: %w", err)
	}
	return nil
}
