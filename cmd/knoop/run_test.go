package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/slack-go/slack"

	"knoop/adapters/slack/slackfake"
)

// runWait bounds every wait of the run tests; it is never reached when
// things work.
const runWait = 30 * time.Second

// syncBuffer is a bytes.Buffer safe for the logger's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is `knoop run` started in-process against a fake Slack.
type running struct {
	t      *testing.T
	fake   *slackfake.Server
	schema string
	dbURL  string
	cancel context.CancelFunc
	code   chan int
	stderr *syncBuffer
}

// startRun starts `knoop run` with Slack in Socket Mode on fake and the
// database in a throw-away schema, as the environment would configure it.
func startRun(t *testing.T, fake *slackfake.Server, extra map[string]string) *running {
	t.Helper()
	env := map[string]string{
		"KNOOP_SLACK_BOT_TOKEN": "xoxb-run-test",
		"KNOOP_SLACK_APP_TOKEN": "xapp-1-run-test",
		"KNOOP_SLACK_API_URL":   fake.APIURL(),
	}
	for k, v := range extra {
		env[k] = v
	}
	r := startKnoop(t, env)
	r.fake = fake
	if env["KNOOP_SLACK_MODE"] != "http" && env["KNOOP_SLACK_BOT_TOKEN"] != "" {
		fake.WaitConnections(1, runWait)
	}
	return r
}

// startKnoop starts `knoop run` with env over the defaults of the run
// tests: debug logs, HTTP on a free port, the database in a throw-away
// schema unless env names one.
func startKnoop(t *testing.T, extra map[string]string) *running {
	t.Helper()
	empty := filepath.Join(t.TempDir(), "empty.toml")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"KNOOP_CONFIG":      empty,
		"KNOOP_LOG_LEVEL":   "debug",
		"KNOOP_HTTP_LISTEN": "127.0.0.1:0",
	}
	for k, v := range extra {
		env[k] = v
	}
	var schema string
	if env["KNOOP_DATABASE_URL"] == "" {
		schema, env["KNOOP_DATABASE_URL"] = schemaURL(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{t: t, schema: schema, dbURL: env["KNOOP_DATABASE_URL"], cancel: cancel, code: make(chan int, 1), stderr: &syncBuffer{}}
	var stdout syncBuffer
	go func() { r.code <- runMain(ctx, []string{"run"}, strings.NewReader(""), &stdout, r.stderr, envOf(env)) }()
	t.Cleanup(func() {
		cancel()
		if t.Failed() {
			t.Logf("knoop run stderr:\n%s", r.stderr)
		}
	})
	return r
}

// stop ends the context, as SIGTERM does through signal.NotifyContext, and
// returns the exit code.
func (r *running) stop() int {
	r.t.Helper()
	r.cancel()
	select {
	case code := <-r.code:
		return code
	case <-time.After(runWait):
		r.t.Fatalf("knoop run did not exit within %v of its context ending", runWait)
		return -1
	}
}

// mention pushes "<@UKNOOP> text" in C1 and returns the mention's ts.
func mention(fake *slackfake.Server, eventID, user, text string) (ts, envelope string) {
	p := slackfake.AppMention(eventID, user, "C1", "<@"+slackfake.BotUserID+"> "+text, "")
	return p["event"].(map[string]any)["ts"].(string), fake.Push("events_api", p)
}

// replyIn returns the successful posts in the thread ts.
func replyIn(fake *slackfake.Server, ts string) []slackfake.Call {
	var out []slackfake.Call
	for _, c := range fake.Calls("chat.postMessage") {
		if c.Status == 200 && c.Get("thread_ts") == ts {
			out = append(out, c)
		}
	}
	return out
}

// `knoop run` connects to Slack, answers a mention in its thread and exits
// 0 when its context ends.
func TestRunAnswersSlack(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.AddUser(slack.User{ID: "UANNA", Name: "anna", TeamID: slackfake.TeamID, TZ: "Europe/Amsterdam",
		Profile: slack.UserProfile{DisplayName: "Anna"}})
	r := startRun(t, fake, nil)
	ts, env := mention(fake, "EvRun1", "UANNA", "skills add cold chain")
	fake.WaitAck(env, runWait)
	replies := replyIn(fake, ts)
	if len(replies) != 1 || replies[0].Get("channel") != "C1" || !strings.Contains(replies[0].Get("text"), "Added to your skills: cold chain") {
		t.Fatalf("replies in the mention's thread: %+v", replies)
	}
	if tok := fake.Calls("auth.test")[0].Token; tok != "xoxb-run-test" {
		t.Errorf("auth.test with token %q", tok)
	}
	if code := r.stop(); code != 0 {
		t.Fatalf("knoop run exited %d, want 0", code)
	}
	if n := query(t, r.dbURL, `SELECT count(*) FROM processed_events WHERE platform = 'slack' AND event_id = 'EvRun1'`); n != 1 {
		t.Errorf("the event id was recorded %d times", n)
	}
}

// SIGTERM while events are in flight: `knoop run` finishes them, answers
// each once, exits 0, and no event is acknowledged without its answer.
// The events are held in flight by a lock the test takes on the table
// every event's dedupe writes to.
func TestRunShutdownFinishesEventsInFlight(t *testing.T) {
	t.Parallel()
	// More events than slack-go's ack buffer (20) holds once the socket is
	// gone; a pool big enough for each to wait on the lock.
	const n = 24
	fake := slackfake.New(t)
	for i := range n + 1 {
		id := fmt.Sprintf("U%03d", i)
		fake.AddUser(slack.User{ID: id, Name: strings.ToLower(id), TeamID: slackfake.TeamID,
			Profile: slack.UserProfile{DisplayName: "Member " + id}})
	}
	r := startRun(t, fake, map[string]string{"KNOOP_DATABASE_MAX_CONNS": fmt.Sprint(n + 4)})
	// A first event creates the network and the members' table rows.
	ts0, env0 := mention(fake, "EvWarm", "U000", "skills add logistics")
	fake.WaitAck(env0, runWait)
	if len(replyIn(fake, ts0)) != 1 {
		t.Fatalf("no answer to the first mention")
	}

	ctx := context.Background()
	locker, err := pgx.Connect(ctx, r.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(ctx)
	tx, err := locker.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }() // released below; this is for early failures
	if _, err := tx.Exec(ctx, `LOCK TABLE processed_events IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	type inFlight struct{ ts, env string }
	var slow []inFlight
	for i := 1; i <= n; i++ {
		ts, env := mention(fake, fmt.Sprintf("EvSlow%02d", i), fmt.Sprintf("U%03d", i), fmt.Sprintf("skills add topic %d", i))
		slow = append(slow, inFlight{ts, env})
	}
	// Wait until every one of them is blocked on the lock: in flight.
	waitFor(t, "all events waiting on the lock", func() bool {
		return query(t, r.dbURL, `SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
			JOIN pg_namespace s ON s.oid = c.relnamespace
			WHERE s.nspname = $1 AND c.relname = 'processed_events' AND NOT l.granted`, r.schema) >= n
	})

	// SIGTERM, then let the events go on.
	r.cancel()
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if code := r.stop(); code != 0 {
		t.Fatalf("knoop run exited %d, want 0", code)
	}

	// Every event in flight was finished and answered once.
	for i, s := range slow {
		replies := replyIn(fake, s.ts)
		if len(replies) != 1 || !strings.Contains(replies[0].Get("text"), fmt.Sprintf("topic %d", i+1)) {
			t.Errorf("event %d in flight at shutdown: %d answers %s", i+1, len(replies), texts(replies))
		}
	}
	if got := query(t, r.dbURL, `SELECT count(*) FROM processed_events WHERE event_id LIKE 'EvSlow%'`); got != n {
		t.Errorf("%d of %d events in flight recorded as processed", got, n)
	}
	// No acknowledgement without its answer: the socket closed at SIGTERM,
	// so the events finished afterwards could not be acked (Slack
	// redelivers them and the recorded event ids drop the copies). An ack
	// that did get out (the adapter acks anyway after 2.5 s, Slack's
	// deadline being 3 s) is for an event that was answered before exit.
	acked := 0
	for _, a := range fake.Acks() {
		for i, s := range slow {
			if a.EnvelopeID == s.env {
				acked++
				if len(replyIn(fake, s.ts)) != 1 {
					t.Errorf("event %d was acknowledged but not answered", i+1)
				}
			}
		}
	}
	t.Logf("%d of %d events in flight at shutdown were acknowledged", acked, n)
}

// waitFor polls cond until it holds; it fails the test after runWait.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(runWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", runWait, what)
		}
		time.Sleep(10 * time.Millisecond) // polling interval, not synchronisation
	}
}

func texts(calls []slackfake.Call) string {
	var b strings.Builder
	for _, c := range calls {
		fmt.Fprintf(&b, " %q", c.Get("text"))
	}
	return b.String()
}

// An adapter that fails for good (here Slack refuses the bot token) is
// retried with backoff; meanwhile /readyz says why; after
// [run] adapter_give_up knoop run exits non-zero, so the service manager
// restarts it.
func TestRunExitsWhenAnAdapterFailsForGood(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.RefuseToken("xoxb-refused")
	r := startKnoop(t, map[string]string{
		"KNOOP_SLACK_BOT_TOKEN":     "xoxb-refused",
		"KNOOP_SLACK_APP_TOKEN":     "xapp-1-run-test",
		"KNOOP_SLACK_API_URL":       fake.APIURL(),
		"KNOOP_RUN_ADAPTER_GIVE_UP": "4s",
	})
	_, body := r.waitGet("/readyz", func(code int, body string) bool {
		return code == 503 && strings.Contains(body, "invalid_auth")
	})
	if !strings.Contains(body, "FAIL slack") || !strings.Contains(body, "knoop exits") {
		t.Errorf("/readyz while retrying:\n%s", body)
	}
	select {
	case code := <-r.code:
		if code == 0 {
			t.Fatalf("knoop run exited 0 after Slack refused its token")
		}
	case <-time.After(runWait):
		t.Fatalf("knoop run still running %v after Slack refused its token", runWait)
	}
	if n := len(fake.Calls("auth.test")); n < 2 {
		t.Errorf("auth.test tried %d times, want retries", n)
	}
	if !strings.Contains(r.stderr.String(), "adapter failed for good") {
		t.Errorf("no log line says why knoop run exits")
	}
}

// knoop run applies [limits] commands_per_minute to Slack members: past
// it one short "slow down", shown to the member only, then silence.
func TestRunRateLimitsAMember(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.AddUser(slack.User{ID: "UANNA", Name: "anna", TeamID: slackfake.TeamID, Profile: slack.UserProfile{DisplayName: "Anna"}})
	r := startRun(t, fake, map[string]string{"KNOOP_LIMITS_COMMANDS_PER_MINUTE": "2"})
	for i, text := range []string{"skills add ports", "skills add rail"} {
		ts, env := mention(fake, fmt.Sprint("EvRate", i), "UANNA", text)
		fake.WaitAck(env, runWait)
		if len(replyIn(fake, ts)) != 1 {
			t.Fatalf("command %d within the limit not answered", i+1)
		}
	}
	ts, env := mention(fake, "EvRate2", "UANNA", "skills add roads")
	fake.WaitAck(env, runWait)
	slow := 0
	for _, c := range fake.Calls("chat.postEphemeral") {
		if c.Status == 200 && strings.Contains(c.Get("text"), "slow down") && c.Get("user") == "UANNA" {
			slow++
		}
	}
	if slow != 1 || len(replyIn(fake, ts)) != 0 {
		t.Fatalf("past the limit: %d private slow-downs, %d thread replies; want 1 and 0", slow, len(replyIn(fake, ts)))
	}
	posts, ephemerals := len(fake.Calls("chat.postMessage")), len(fake.Calls("chat.postEphemeral"))
	_, env = mention(fake, "EvRate3", "UANNA", "skills add canals")
	fake.WaitAck(env, runWait)
	if len(fake.Calls("chat.postMessage")) != posts || len(fake.Calls("chat.postEphemeral")) != ephemerals {
		t.Errorf("a second message past the limit was answered")
	}
	if code := r.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if n := query(t, r.dbURL, `SELECT count(*) FROM skills WHERE skill IN ('roads', 'canals')`); n != 0 {
		t.Errorf("%d skills saved past the limit", n)
	}
	if n := query(t, r.dbURL, `SELECT count(*) FROM skills WHERE skill IN ('ports', 'rail')`); n != 2 {
		t.Errorf("%d of the 2 skills within the limit saved", n)
	}
}

// The same for Matrix: a refused login ends knoop run non-zero after the
// retries, with the homeserver's refusal on /readyz meanwhile.
func TestRunExitsWhenMatrixLoginIsRefused(t *testing.T) {
	t.Parallel()
	hs := newBadHomeserver(t)
	r := startKnoop(t, map[string]string{
		"KNOOP_MATRIX_HOMESERVER":   hs.URL,
		"KNOOP_MATRIX_USER_ID":      "@knoop:localhost",
		"KNOOP_MATRIX_PASSWORD":     "wrong-password",
		"KNOOP_RUN_ADAPTER_GIVE_UP": "3s",
	})
	r.waitGet("/readyz", func(code int, body string) bool {
		return code == 503 && strings.Contains(body, "FAIL matrix") && strings.Contains(body, "M_FORBIDDEN")
	})
	select {
	case code := <-r.code:
		if code == 0 {
			t.Fatalf("knoop run exited 0 after the Matrix login was refused")
		}
	case <-time.After(runWait):
		t.Fatalf("knoop run still running %v after the Matrix login was refused", runWait)
	}
}
