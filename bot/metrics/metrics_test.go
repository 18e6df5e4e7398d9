package metrics_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"knoop/bot/metrics"
)

// Every collector shows up on /metrics with its labels, and two sets of
// metrics do not share state.
func TestHandlerServesEveryMetric(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.MessageIn("slack")
	m.ReplyOut("slack")
	m.Command("who", 3*time.Millisecond)
	m.WhoQuery(3 * time.Millisecond)
	m.Error("panic")
	m.Job("digest", metrics.JobQueued)
	m.Job("nudge", metrics.JobRetried)
	m.Reconnect("matrix")
	other := metrics.New()
	other.MessageIn("slack")
	other.MessageIn("slack")

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`knoop_messages_in_total{platform="slack"} 1`,
		`knoop_replies_out_total{platform="slack"} 1`,
		`knoop_command_duration_seconds_count{command="who"} 1`,
		`knoop_who_query_duration_seconds_count 1`,
		`knoop_errors_total{kind="panic"} 1`,
		`knoop_jobs_total{kind="digest",state="queued"} 1`,
		`knoop_jobs_total{kind="nudge",state="retried"} 1`,
		`knoop_adapter_reconnects_total{platform="matrix"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// A nil *Metrics is a valid no-op.
func TestNilMetrics(t *testing.T) {
	t.Parallel()
	var m *metrics.Metrics
	m.MessageIn("x")
	m.ReplyOut("x")
	m.Command("x", time.Second)
	m.WhoQuery(time.Second)
	m.Error("x")
	m.Job("x", metrics.JobFailed)
	m.Reconnect("x")
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 404 {
		t.Errorf("nil metrics handler answered %d", rec.Code)
	}
}

// Conn reports its state and counts a reconnect only after a loss.
func TestConn(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	var c metrics.Conn
	if _, err := c.Ready(); err == nil || err.Error() != "not started" {
		t.Errorf("zero Conn: %v", err)
	}
	c.Down("connecting")
	c.Up(m, "slack", "connected")
	if d, err := c.Ready(); err != nil || d != "connected" {
		t.Errorf("after Up: %q %v", d, err)
	}
	c.Up(m, "slack", "connected")
	c.Down("lost")
	if _, err := c.Ready(); err == nil || err.Error() != "lost" {
		t.Errorf("after Down: %v", err)
	}
	c.Up(m, "slack", "connected")
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `knoop_adapter_reconnects_total{platform="slack"} 1`) {
		t.Errorf("want one reconnect:\n%s", rec.Body.String())
	}
}
