package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"knoop/adapters/slack/slackfake"
)

// httpAddr is where `knoop run` serves HTTP, from its "http listening"
// log line (JSON: the log does not go to a terminal).
func (r *running) httpAddr() string {
	r.t.Helper()
	var addr string
	waitFor(r.t, "the http listening log line", func() bool {
		for _, line := range strings.Split(r.stderr.String(), "\n") {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "http listening" {
				addr = rec.Addr
				return true
			}
		}
		return false
	})
	return addr
}

// get fetches path from `knoop run`'s HTTP server.
func (r *running) get(path string) (int, string) {
	r.t.Helper()
	resp, err := http.Get("http://" + r.httpAddr() + path)
	if err != nil {
		r.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitGet polls path until cond holds for its answer.
func (r *running) waitGet(path string, cond func(code int, body string) bool) (int, string) {
	r.t.Helper()
	var code int
	var body string
	waitFor(r.t, "GET "+path+" to answer as expected", func() bool {
		code, body = r.get(path)
		return cond(code, body)
	})
	return code, body
}

// /healthz answers while the process lives; /readyz is 200 once the
// database answers and Slack's socket is connected; /metrics counts the
// messages, replies, command latencies and a reconnect.
func TestRunServesHealthReadinessAndMetrics(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.AddUser(slack.User{ID: "UANNA", Name: "anna", TeamID: slackfake.TeamID, Profile: slack.UserProfile{DisplayName: "Anna"}})
	r := startRun(t, fake, nil)

	if code, body := r.get("/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	_, body := r.waitGet("/readyz", func(code int, _ string) bool { return code == 200 })
	for _, want := range []string{"ok database", "ok slack: socket mode connected"} {
		if !strings.Contains(body, want) {
			t.Errorf("/readyz lacks %q:\n%s", want, body)
		}
	}

	ts, env := mention(fake, "EvOps1", "UANNA", "skills add cold chain")
	fake.WaitAck(env, runWait)
	if len(replyIn(fake, ts)) != 1 {
		t.Fatalf("no answer")
	}
	fake.Disconnect("refresh_requested")
	fake.WaitConnections(2, runWait)
	_, metrics := r.waitGet("/metrics", func(_ int, body string) bool {
		return strings.Contains(body, `knoop_adapter_reconnects_total{platform="slack"} 1`)
	})
	for _, want := range []string{
		`knoop_messages_in_total{platform="slack"} 1`,
		`knoop_replies_out_total{platform="slack"} 1`,
		`knoop_command_duration_seconds_count{command="skills"} 1`,
		`# TYPE knoop_who_query_duration_seconds histogram`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// knoop ready, the container health check, agrees.
	if res := knoop(t, nil, nil, "ready", "--url", "http://"+r.httpAddr()+"/readyz"); res.code != 0 || !strings.Contains(res.stdout, "ok slack") {
		t.Errorf("knoop ready while ready: %v", res)
	}
	if code := r.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if res := knoop(t, nil, nil, "ready", "--url", "http://"+r.httpAddr()+"/readyz"); res.code != 1 {
		t.Errorf("knoop ready after exit: %v", res)
	}
}

// In Slack HTTP mode, Slack's endpoints share the one listener with
// /healthz, /readyz and /metrics.
func TestRunSlackHTTPModeSharesTheListener(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.AddUser(slack.User{ID: "UANNA", Name: "anna", TeamID: slackfake.TeamID, Profile: slack.UserProfile{DisplayName: "Anna"}})
	const secret = "http-mode-signing-secret"
	r := startRun(t, fake, map[string]string{"KNOOP_SLACK_MODE": "http", "KNOOP_SLACK_SIGNING_SECRET": secret, "KNOOP_SLACK_APP_TOKEN": ""})
	_, body := r.waitGet("/readyz", func(code int, _ string) bool { return code == 200 })
	if !strings.Contains(body, "ok slack: http mode serving") {
		t.Errorf("/readyz:\n%s", body)
	}
	form := url.Values{"command": {"/knoop"}, "text": {"skills add logistics"}, "user_id": {"UANNA"},
		"channel_id": {"C1"}, "team_id": {slackfake.TeamID}, "trigger_id": {"1.2.3"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":" + form))
	req, _ := http.NewRequest("POST", "http://"+r.httpAddr()+"/slack/commands", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(answer), "logistics") {
		t.Errorf("slash command over the shared listener: %d %s", resp.StatusCode, answer)
	}
	// An unsigned request changes nothing.
	resp, err = http.Post("http://"+r.httpAddr()+"/slack/commands", "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned request: %d", resp.StatusCode)
	}
	if code := r.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// opsAddr is where `knoop run` serves /healthz, /readyz and /metrics when
// [http] ops_listen is set, from its "ops listening" log line.
func (r *running) opsAddr() string {
	r.t.Helper()
	var addr string
	waitFor(r.t, "the ops listening log line", func() bool {
		for _, line := range strings.Split(r.stderr.String(), "\n") {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "ops listening" {
				addr = rec.Addr
				return true
			}
		}
		return false
	})
	return addr
}

func getURL(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// With [http] ops_listen, /healthz, /readyz and /metrics move there and
// the listener Slack reaches carries Slack's endpoints alone.
func TestRunOpsListenSeparatesOpsFromSlack(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.AddUser(slack.User{ID: "UANNA", Name: "anna", TeamID: slackfake.TeamID, Profile: slack.UserProfile{DisplayName: "Anna"}})
	const secret = "ops-listen-signing-secret"
	r := startRun(t, fake, map[string]string{"KNOOP_SLACK_MODE": "http", "KNOOP_SLACK_SIGNING_SECRET": secret,
		"KNOOP_SLACK_APP_TOKEN": "", "KNOOP_HTTP_OPS_LISTEN": "127.0.0.1:0"})
	web, ops := r.httpAddr(), r.opsAddr()
	if web == ops {
		t.Fatalf("one address for both: %s", web)
	}
	waitFor(t, "/readyz on ops_listen", func() bool {
		code, _ := getURL(t, "http://"+ops+"/readyz")
		return code == 200
	})
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		if code, _ := getURL(t, "http://"+web+path); code != http.StatusNotFound {
			t.Errorf("%s on the Slack-facing listener: %d, want 404", path, code)
		}
		if code, _ := getURL(t, "http://"+ops+path); code != http.StatusOK {
			t.Errorf("%s on ops_listen: %d, want 200", path, code)
		}
	}
	form := url.Values{"command": {"/knoop"}, "text": {"skills add logistics"}, "user_id": {"UANNA"},
		"channel_id": {"C1"}, "team_id": {slackfake.TeamID}, "trigger_id": {"1.2.3"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":" + form))
	for addr, want := range map[string]int{web: http.StatusOK, ops: http.StatusNotFound} {
		req, _ := http.NewRequest("POST", "http://"+addr+"/slack/commands", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("slash command on %s: %d, want %d", addr, resp.StatusCode, want)
		}
	}
	if code := r.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// Every HTTP server of knoop run has read, write and idle timeouts, so a
// client that trickles a request or keeps an idle connection open cannot
// hold it for ever.
func TestHTTPServersHaveTimeouts(t *testing.T) {
	for _, ops := range []bool{true, false} {
		s, err := newOpsServer("127.0.0.1:0", nil, ops)
		if err != nil {
			t.Fatal(err)
		}
		if s.srv.ReadTimeout <= 0 || s.srv.WriteTimeout <= 0 || s.srv.IdleTimeout <= 0 || s.srv.ReadHeaderTimeout <= 0 {
			t.Errorf("server (ops %v) timeouts: read %v, write %v, idle %v, header %v", ops,
				s.srv.ReadTimeout, s.srv.WriteTimeout, s.srv.IdleTimeout, s.srv.ReadHeaderTimeout)
		}
		_ = s.ln.Close()
	}
}
