package slackfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// PingInterval is how often the fake sends websocket PING frames on each
// connection (slack-go reconnects after 30 s without one).
const PingInterval = time.Second

// triggerLifetime is how long a pushed trigger_id can open a view.
const triggerLifetime = 3 * time.Second

// Ack is one acknowledgement received on the websocket.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage // nil when the ack carried no payload
	At         time.Time
}

type wsConn struct {
	ws        *websocket.Conn
	done      chan struct{}
	closeOnce sync.Once
}

func (c *wsConn) close() {
	c.closeOnce.Do(func() {
		close(c.done)
		_ = c.ws.Close()
	})
}

// write sends one text frame; callers serialise writes with sockState.mu.
func (c *wsConn) write(data []byte) error {
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, data)
}

// sockState is the Socket Mode side; its mutex serialises websocket writes
// and is never taken while holding Server.mu.
type sockState struct {
	mu          sync.Mutex
	active      []*wsConn // newest last; Push takes them in turn
	next        int       // index in active of the next Push's connection
	all         map[*wsConn]bool
	pending     [][]byte // envelopes waiting for a connection
	tickets     map[string]bool
	ticketSeq   int
	envSeq      int
	closed      bool
	pingsPaused atomic.Bool
}

func (st *sockState) init() {
	st.all = map[*wsConn]bool{}
	st.tickets = map[string]bool{}
}

// newTicket issues a single-use websocket URL ticket.
func (s *Server) newTicket() string {
	s.sock.mu.Lock()
	defer s.sock.mu.Unlock()
	s.sock.ticketSeq++
	t := fmt.Sprintf("%d", s.sock.ticketSeq)
	s.sock.tickets[t] = true
	return t
}

func (s *Server) closeSockets() {
	s.sock.mu.Lock()
	s.sock.closed = true
	conns := make([]*wsConn, 0, len(s.sock.all))
	for c := range s.sock.all {
		conns = append(conns, c)
	}
	s.sock.active = nil
	s.sock.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
}

// serveLink accepts the websocket dialled from apps.connections.open's URL.
func (s *Server) serveLink(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.sock.mu.Lock()
	valid := !s.sock.closed && s.sock.tickets[ticket]
	delete(s.sock.tickets, ticket)
	s.sock.mu.Unlock()
	if !valid {
		http.Error(w, "invalid or used ticket", http.StatusUnauthorized)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &wsConn{ws: ws, done: make(chan struct{})}

	s.sock.mu.Lock()
	if s.sock.closed {
		s.sock.mu.Unlock()
		_ = ws.Close()
		return
	}
	s.sock.all[c] = true
	s.wg.Add(2) // pinger and reader; Close waits for both
	hello, _ := json.Marshal(map[string]any{
		"type":            "hello",
		"num_connections": len(s.sock.active) + 1,
		"debug_info": map[string]any{
			"host": "applink-slackfake", "build_number": 1, "approximate_connection_time": 18060,
		},
		"connection_info": map[string]any{"app_id": AppID},
	})
	ok := c.write(hello) == nil
	for ok && len(s.sock.pending) > 0 {
		if c.write(s.sock.pending[0]) != nil {
			ok = false
			break
		}
		s.sock.pending = s.sock.pending[1:]
	}
	if ok {
		s.sock.active = append(s.sock.active, c)
	}
	s.sock.mu.Unlock()

	s.mu.Lock()
	s.accepted++
	s.notifyLocked()
	s.mu.Unlock()

	go s.pinger(c)
	s.readLoop(c)
}

func (s *Server) pinger(c *wsConn) {
	defer s.wg.Done()
	tick := time.NewTicker(PingInterval)
	defer tick.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-tick.C:
			if !s.sock.pingsPaused.Load() {
				// WriteControl may run concurrently with the other writer.
				_ = c.ws.WriteControl(websocket.PingMessage, []byte("slackfake"), time.Now().Add(time.Second))
			}
		}
	}
}

// readLoop records acks until the connection ends.
func (s *Server) readLoop(c *wsConn) {
	defer s.wg.Done()
	defer s.retire(c, true)
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		var m struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &m) != nil || m.EnvelopeID == "" {
			continue
		}
		a := Ack{EnvelopeID: m.EnvelopeID, Payload: m.Payload, At: time.Now()}
		s.mu.Lock()
		if !s.forget {
			s.acks = append(s.acks, a)
		}
		s.notifyLocked()
		observe := s.onAck
		s.mu.Unlock()
		if observe != nil {
			observe(a)
		}
	}
}

// retire stops pushing to c; with forget it also closes c and drops it.
func (s *Server) retire(c *wsConn, forget bool) {
	s.sock.mu.Lock()
	for i, a := range s.sock.active {
		if a == c {
			s.sock.active = append(s.sock.active[:i:i], s.sock.active[i+1:]...)
			break
		}
	}
	if forget {
		delete(s.sock.all, c)
	}
	s.sock.mu.Unlock()
	if forget {
		c.close()
	}
}

// Push sends an envelope {"envelope_id","type","payload","accepts_response_payload"}
// and returns its envelope id. With several connections open (several
// replicas, or one client's connections) the envelopes go to them in turn,
// one each, as Slack does; with no connection it is queued and sent right
// after the next connection's hello. typ is
// "events_api", "slash_commands" or "interactive". payload is marshalled to
// JSON ([]byte and json.RawMessage are sent as they are). A top-level
// "response_url" on https://hooks.slack.com/ is rewritten to this server, so
// POSTs to it are recorded as Calls("response_url"); a top-level "trigger_id"
// becomes valid for views.open for 3 seconds, once.
func (s *Server) Push(typ string, payload any) string {
	return s.push(typ, payload, 0, "")
}

// PushRedelivery pushes payload again the way Slack redelivers an event that
// was not acked: a new envelope id, with retry_attempt and retry_reason
// ("timeout") set. Reuse the event_id of the first delivery.
func (s *Server) PushRedelivery(typ string, payload any, retryAttempt int) string {
	return s.push(typ, payload, retryAttempt, "timeout")
}

func (s *Server) push(typ string, payload any, attempt int, reason string) string {
	raw := s.preparePayload(payload)
	env := map[string]any{
		"type":                     typ,
		"payload":                  raw,
		"accepts_response_payload": acceptsResponse(typ, raw),
	}
	if typ == "events_api" || attempt > 0 {
		env["retry_attempt"] = attempt
		env["retry_reason"] = reason
	}
	s.sock.mu.Lock()
	defer s.sock.mu.Unlock()
	s.sock.envSeq++
	id := fmt.Sprintf("%08x-fa4e-4c0d-9e1f-%012x", s.sock.envSeq, s.sock.envSeq)
	env["envelope_id"] = id
	data, _ := json.Marshal(env)
	s.deliverLocked(data)
	return id
}

// deliverLocked writes to the live connections in turn, as Slack spreads
// an app's envelopes over its open connections, else queues; s.sock.mu held.
func (s *Server) deliverLocked(data []byte) {
	for !s.sock.closed && len(s.sock.active) > 0 {
		i := s.sock.next % len(s.sock.active)
		c := s.sock.active[i]
		if c.write(data) == nil {
			s.sock.next = i + 1
			return
		}
		s.sock.active = append(s.sock.active[:i:i], s.sock.active[i+1:]...)
		c.close()
	}
	s.sock.pending = append(s.sock.pending, data)
}

// acceptsResponse mirrors Slack: slash commands, view submissions and
// option requests may be answered in the ack; events and block actions not.
func acceptsResponse(typ string, raw json.RawMessage) bool {
	switch typ {
	case "slash_commands":
		return true
	case "interactive":
		var p struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(raw, &p)
		return p.Type == "view_submission" || p.Type == "block_suggestion"
	}
	return false
}

// preparePayload marshals payload, rewrites its response_url to this server
// and notes its trigger_id.
func (s *Server) preparePayload(payload any) json.RawMessage {
	var raw []byte
	switch p := payload.(type) {
	case json.RawMessage:
		raw = p
	case []byte:
		raw = p
	default:
		b, err := json.Marshal(payload)
		if err != nil {
			s.t.Fatalf("slackfake: marshal payload: %v", err)
		}
		raw = b
	}
	var obj map[string]any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if dec.Decode(&obj) != nil {
		return raw
	}
	if tid, _ := obj["trigger_id"].(string); tid != "" {
		s.mu.Lock()
		s.triggers[tid] = &trigger{at: time.Now()}
		s.mu.Unlock()
	}
	if u, _ := obj["response_url"].(string); strings.HasPrefix(u, "https://hooks.slack.com/") {
		obj["response_url"] = s.url + "/hooks/" + strings.TrimPrefix(u, "https://hooks.slack.com/")
		raw, _ = json.Marshal(obj)
	}
	return raw
}

// Acks returns the acks received so far, in arrival order.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.acks...)
}

// WaitAck waits for the ack of envelopeID; it fails the test after timeout.
func (s *Server) WaitAck(envelopeID string, timeout time.Duration) Ack {
	s.t.Helper()
	var found Ack
	if !s.waitFor(timeout, func() bool {
		for _, a := range s.acks {
			if a.EnvelopeID == envelopeID {
				found = a
				return true
			}
		}
		return false
	}) {
		s.t.Fatalf("slackfake: no ack for envelope %s within %v", envelopeID, timeout)
	}
	return found
}

// Connections returns how many websocket connections were accepted so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// WaitConnections waits until n connections were accepted (hello and queued
// envelopes already sent on the n-th); it fails the test after timeout.
func (s *Server) WaitConnections(n int, timeout time.Duration) {
	s.t.Helper()
	if !s.waitFor(timeout, func() bool { return s.accepted >= n }) {
		s.t.Fatalf("slackfake: waited %v for %d websocket connections, got %d", timeout, n, s.Connections())
	}
}

// current takes the newest connection out of the push rotation.
func (s *Server) current() *wsConn {
	s.sock.mu.Lock()
	defer s.sock.mu.Unlock()
	n := len(s.sock.active)
	if n == 0 {
		return nil
	}
	c := s.sock.active[n-1]
	s.sock.active = s.sock.active[:n-1]
	return c
}

// Disconnect sends {"type":"disconnect","reason":reason} on the newest
// connection (slack-go then reconnects through apps.connections.open). That
// connection gets no more pushes (they queue for the next one) but its acks
// are still recorded until the client closes it. Fails the test if no
// connection is open: use WaitConnections first.
func (s *Server) Disconnect(reason string) {
	s.t.Helper()
	c := s.current()
	if c == nil {
		s.t.Errorf("slackfake: Disconnect(%q) with no open connection", reason)
		return
	}
	msg, _ := json.Marshal(map[string]any{
		"type": "disconnect", "reason": reason,
		"debug_info": map[string]any{"host": "applink-slackfake"},
	})
	s.sock.mu.Lock()
	err := c.write(msg)
	s.sock.mu.Unlock()
	if err != nil {
		s.retire(c, true)
	}
}

// DropConnection closes the newest connection abruptly (no close frame), as
// a network failure would. Fails the test if no connection is open.
func (s *Server) DropConnection() {
	s.t.Helper()
	c := s.current()
	if c == nil {
		s.t.Errorf("slackfake: DropConnection with no open connection")
		return
	}
	s.retire(c, true)
}

// PausePings stops (true) or resumes (false) the PING frames on every
// connection, to exercise the client's ping timeout (socketmode.OptionPingInterval).
func (s *Server) PausePings(paused bool) { s.sock.pingsPaused.Store(paused) }
