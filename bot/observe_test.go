package bot_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/bot/metrics"
)

// The bot counts messages in, replies out and command latencies by
// command, and a who-question also in the who histogram.
func TestBotMetrics(t *testing.T) {
	t.Parallel()
	h := bottest.New(t)
	m := metrics.New()
	h.Bot = bot.New(h.Store, bottest.Logger(t), bot.WithClock(h.Clock.Now), bot.WithMetrics(m))
	h.SayText("anna", "skills add cold chain")
	h.SayText("bob", "who is good at cold chain?")
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`knoop_messages_in_total{platform="console"} 2`,
		`knoop_replies_out_total{platform="console"} 2`,
		`knoop_command_duration_seconds_count{command="skills"} 1`,
		`knoop_command_duration_seconds_count{command="who"} 1`,
		`knoop_who_query_duration_seconds_count 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s\n%s", want, grep(string(body), "knoop_"))
		}
	}
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// A record logged with an event's context carries the event id.
func TestLogHandlerAddsEventID(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(bot.LogHandler(slog.NewJSONHandler(&buf, nil))).With("platform", "slack")
	ctx := bot.WithEvent(context.Background(), "Ev123")
	log.InfoContext(ctx, "handled")
	log.Info("no event")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"event":"Ev123"`) || !strings.Contains(lines[0], `"platform":"slack"`) || strings.Contains(lines[1], `"event":`) {
		t.Errorf("log lines:\n%s", buf.String())
	}
	if bot.EventID(ctx) != "Ev123" || bot.EventID(context.Background()) != "" {
		t.Errorf("EventID round trip failed")
	}
}
