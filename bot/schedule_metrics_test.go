package bot_test

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/bot/metrics"
)

// The scheduler counts a digest queued, retried after a platform error
// and done.
func TestSchedulerCountsJobs(t *testing.T) {
	h := bottest.New(t)
	h.Coordinators["carol"] = true
	m := metrics.New()
	h.Bot = bot.New(h.Store, bottest.Logger(t), bot.WithClock(h.Clock.Now), bot.WithMetrics(m))
	out := bottest.NewOutbox("console")
	out.FailNext(1)
	s, err := bot.NewScheduler(h.Bot, []bot.Adapter{out}, bot.SchedulerOptions{NoPeriodic: true, RetryDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = s.Run(ctx, 5*time.Second); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	h.SayText("carol", "digest every monday 09:00")
	h.Clock.Set(ams(2026, 11, 30, 9, 0))
	if p, err := s.Tick(context.Background()); err != nil || p.Digests != 1 {
		t.Fatalf("tick: %+v %v", p, err)
	}
	out.WaitPosts(t, 1, 20*time.Second)
	want := []string{
		`knoop_jobs_total{kind="digest",state="queued"} 1`,
		`knoop_jobs_total{kind="digest",state="retried"} 1`,
		`knoop_jobs_total{kind="digest",state="done"} 1`,
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		body, _ := io.ReadAll(rec.Body)
		missing := ""
		for _, w := range want {
			if !strings.Contains(string(body), w) {
				missing = w
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics lacks %s:\n%s", missing, grep(string(body), "knoop_jobs"))
		}
		time.Sleep(20 * time.Millisecond) // polling interval, not synchronisation
	}
}
