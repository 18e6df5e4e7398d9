// Package slackfake is a local fake of Slack for tests: an httptest server that
// answers the Web API methods Knoop uses and speaks the Socket Mode websocket
// protocol the way slack-go's socketmode client expects it.
//
// Point a real slack-go client at it:
//
//	s := slackfake.New(t)
//	api := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()), slack.OptionAppLevelToken("xapp-1-test"))
//	sm := socketmode.New(api)
//
// Every Web API call is recorded (Calls, WaitCalls); envelopes are pushed with
// Push and the acks the client sends back are recorded (Acks, WaitAck).
// All methods are safe for concurrent use. The Wait* methods and the methods
// that fail the test must be called from the test's goroutine.
//
// Outside tests (a load harness), pass any TB: New needs only the few
// methods of testing.TB listed there. Observe streams calls and acks as they
// arrive, and Retain(false) stops keeping them, for long runs.
package slackfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
)

// Identities of the fake workspace and of the bot, as auth.test reports them.
const (
	TeamID     = "T1"
	TeamName   = "Knoop Test"
	TeamDomain = "knoop-test"
	AppID      = "A1"
	BotUserID  = "UKNOOP"
	BotName    = "knoop"
	BotID      = "B1"
)

type failure struct {
	status     int    // HTTP status, or 0 for a Slack error
	retryAfter int    // seconds, for 429
	code       string // Slack error code when status is 0
}

type trigger struct {
	at   time.Time
	used bool
}

// TB is the part of testing.TB the fake uses; *testing.T and *testing.B
// satisfy it, and a program can supply its own.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Server is a running fake Slack. Create it with New.
type Server struct {
	t   TB
	srv *httptest.Server
	url string

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every recorded change
	calls    []Call
	acks     []Ack
	accepted int
	seq      int
	users    map[string]slack.User
	teams    map[string]slack.TeamInfo
	channels map[string]slack.Channel
	ims      map[string]string // sorted user list -> conversation id
	views    map[string]map[string]any
	triggers map[string]*trigger
	failures map[string][]failure
	scopes   []string        // the X-OAuth-Scopes of bot-token answers
	refused  map[string]bool // tokens answered invalid_auth
	onCall   func(Call)      // see Observe
	onAck    func(Ack)
	forget   bool // see Retain

	sock sockState

	closeOnce sync.Once
	wg        sync.WaitGroup
}

// New starts a fake Slack on a loopback port; t.Cleanup closes it.
func New(t TB) *Server {
	s := &Server{
		t:        t,
		changed:  make(chan struct{}),
		users:    map[string]slack.User{},
		teams:    map[string]slack.TeamInfo{TeamID: {ID: TeamID, Name: TeamName, Domain: TeamDomain}},
		channels: map[string]slack.Channel{},
		ims:      map[string]string{},
		views:    map[string]map[string]any{},
		triggers: map[string]*trigger{},
		failures: map[string][]failure{},
		scopes:   DefaultScopes,
		refused:  map[string]bool{},
	}
	s.sock.init()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/hooks/", s.serveHook)
	mux.HandleFunc("/link/", s.serveLink)
	s.srv = httptest.NewUnstartedServer(mux)
	s.srv.Start()
	s.url = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// APIURL is the Web API base URL (ending in "/") for slack.OptionAPIURL.
func (s *Server) APIURL() string { return s.url + "/api/" }

// URL is the server's root URL ("http://127.0.0.1:port").
func (s *Server) URL() string { return s.url }

// Close closes every websocket, stops the server and waits for its goroutines.
// It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.closeSockets()
		s.srv.Close()
		s.wg.Wait()
	})
}

// Observe calls onCall with every Web API call and response_url POST, and
// onAck with every acknowledgement, as each is recorded (either may be
// nil). They run on the server's goroutines, one call at a time per
// connection or request, so they must be safe for concurrent use and quick.
func (s *Server) Observe(onCall func(Call), onAck func(Ack)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onCall, s.onAck = onCall, onAck
}

// Retain sets whether calls and acks are kept for Calls, Acks and the Wait
// methods (the default). A long load run that watches them through Observe
// turns it off so memory stays flat; calls made to set up the fake's
// state (users, conversations) still work.
func (s *Server) Retain(keep bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forget = !keep
}

// AddUser makes users.info answer for u.ID with u.
func (s *Server) AddUser(u slack.User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
}

// AddTeam makes team.info answer for id (team T1 exists from the start).
func (s *Server) AddTeam(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.teams[id] = slack.TeamInfo{ID: id, Name: name, Domain: strings.ToLower(strings.ReplaceAll(name, " ", "-"))}
}

// AddChannel makes conversations.info answer for ch.ID with ch.
func (s *Server) AddChannel(ch slack.Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[ch.ID] = ch
}

// DefaultScopes are the scopes a bot token has unless SetScopes says
// otherwise: those of Knoop's app manifest.
var DefaultScopes = []string{
	"app_mentions:read", "chat:write", "chat:write.public", "commands", "im:history",
	"im:read", "im:write", "users:read", "users.profile:read", "team:read",
	"channels:read", "groups:read", "mpim:read",
}

// SetScopes sets the scopes the bot token was granted, sent as the
// X-OAuth-Scopes header of every answer to a bot-token call, as Slack
// does.
func (s *Server) SetScopes(scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scopes = scopes
}

// RefuseToken makes every call with token (bot or app-level) fail with
// invalid_auth, as for a revoked or mistyped token.
func (s *Server) RefuseToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refused[token] = true
}

// FailNext makes the next call of method answer HTTP status: 429 carries a
// Retry-After header of retryAfter seconds when retryAfter > 0 (slack-go then
// returns *slack.RateLimitedError, without it slack.StatusCodeError). Calls
// queue up: FailNext twice fails the next two calls.
func (s *Server) FailNext(method string, status int, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[method] = append(s.failures[method], failure{status: status, retryAfter: retryAfter})
}

// FailNextError makes the next call of method answer HTTP 200 with
// {"ok":false,"error":code}, e.g. "channel_not_found" or "not_in_channel".
func (s *Server) FailNextError(method, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[method] = append(s.failures[method], failure{code: code})
}

// Calls returns every recorded call of method, in arrival order.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsLocked(method)
}

func (s *Server) callsLocked(method string) []Call {
	var out []Call
	for _, c := range s.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// AllCalls returns every recorded call, in arrival order.
func (s *Server) AllCalls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// WaitCalls waits until at least n calls of method were recorded and returns
// all of them; it fails the test after timeout.
func (s *Server) WaitCalls(method string, n int, timeout time.Duration) []Call {
	s.t.Helper()
	var out []Call
	if !s.waitFor(timeout, func() bool { out = s.callsLocked(method); return len(out) >= n }) {
		s.t.Fatalf("slackfake: waited %v for %d %s calls, got %d", timeout, n, method, len(out))
	}
	return out
}

// waitFor evaluates cond under s.mu after every change until it holds or timeout passes.
func (s *Server) waitFor(timeout time.Duration, cond func() bool) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		ok := cond()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-timer.C:
			s.mu.Lock()
			defer s.mu.Unlock()
			return cond()
		}
	}
}

// notifyLocked wakes the waiters; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) nextID(prefix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("%s%06d", prefix, s.seq)
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	c := readCall(r, strings.TrimPrefix(r.URL.Path, "/api/"))
	status, resp, hdr := s.answer(&c)
	s.finish(w, c, status, resp, hdr)
}

// serveHook records a POST to a response_url (see Push).
func (s *Server) serveHook(w http.ResponseWriter, r *http.Request) {
	c := readCall(r, "response_url")
	status, resp, hdr := http.StatusOK, map[string]any{"ok": true}, http.Header{}
	if f, ok := s.takeFailure(c.Method); ok {
		status, resp, hdr = failWith(f)
	}
	s.finish(w, c, status, resp, hdr)
}

// finish records the call, then writes the answer, so a client that got its
// answer always finds its call in Calls.
func (s *Server) finish(w http.ResponseWriter, c Call, status int, resp map[string]any, hdr http.Header) {
	var body []byte
	if resp != nil {
		body, _ = json.Marshal(resp)
		c.Response = map[string]any{}
		_ = json.Unmarshal(body, &c.Response) // plain JSON values, no RawMessage
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	} else {
		body = []byte("<html><body>slackfake: injected failure</body></html>")
		w.Header().Set("Content-Type", "text/html")
	}
	c.Status = status
	for k, vs := range hdr {
		w.Header()[k] = vs
	}
	s.mu.Lock()
	if !s.forget {
		s.calls = append(s.calls, c)
	}
	s.notifyLocked()
	observe := s.onCall
	s.mu.Unlock()
	if observe != nil {
		observe(c)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (s *Server) takeFailure(method string) (failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.failures[method]
	if len(q) == 0 {
		return failure{}, false
	}
	s.failures[method] = q[1:]
	return q[0], true
}

func failWith(f failure) (int, map[string]any, http.Header) {
	hdr := http.Header{}
	switch {
	case f.status == 0:
		return http.StatusOK, fail(f.code), hdr
	case f.status == http.StatusTooManyRequests:
		if f.retryAfter > 0 {
			hdr.Set("Retry-After", fmt.Sprint(f.retryAfter))
		}
		return f.status, fail("ratelimited"), hdr
	default:
		return f.status, nil, hdr
	}
}

// answer computes the reply to a Web API call.
func (s *Server) answer(c *Call) (int, map[string]any, http.Header) {
	if f, ok := s.takeFailure(c.Method); ok {
		return failWith(f)
	}
	s.mu.Lock()
	refused, scopes := s.refused[c.Token], strings.Join(s.scopes, ",")
	s.mu.Unlock()
	if refused {
		return http.StatusOK, fail("invalid_auth"), nil
	}
	if c.Method == "apps.connections.open" {
		if !strings.HasPrefix(c.Token, "xapp-") {
			return http.StatusOK, fail("invalid_auth"), nil
		}
	} else if c.Token == "" {
		return http.StatusOK, fail("not_authed"), nil
	} else if strings.HasPrefix(c.Token, "xapp-") {
		return http.StatusOK, fail("not_allowed_token_type"), nil
	}
	h, ok := handlers[c.Method]
	if !ok {
		return http.StatusOK, fail("unknown_method"), nil
	}
	hdr := http.Header{}
	if c.Method != "apps.connections.open" {
		hdr.Set("X-OAuth-Scopes", scopes)
	}
	return http.StatusOK, h(s, c), hdr
}

// ok builds {"ok":true, k1:v1, ...}.
func ok(kv ...any) map[string]any {
	m := map[string]any{"ok": true}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func fail(code string) map[string]any { return map[string]any{"ok": false, "error": code} }

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
