package bot_test

import (
	"context"
	"testing"
	"time"

	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
	"knoop/store/storetest"
)

// BenchmarkTick measures one planning pass (digests and reminders) over a
// network of 10,000 members with 5,000 open commitments due within three
// weeks either side of today, after the first pass claimed what was due:
// the steady state a replica pays every minute.
// Run with go test -tags goolm -run '^$' -bench Tick -benchtime 50x ./bot/
func BenchmarkTick(b *testing.B) {
	s := storetest.Schema(b)
	ctx := context.Background()
	net, err := s.NetworkForRoom(ctx, "console", "room", store.NetworkDefaults{})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	if _, err := s.Seed(ctx, net.ID, store.SeedOptions{Members: 10_000, Seed: 5, Now: now}); err != nil {
		b.Fatal(err)
	}
	// Reopen 5,000 delivered commitments with due dates around today.
	if _, err := s.Pool().Exec(ctx, `UPDATE commitments SET status = 'open', done_at = NULL,
			due = DATE '2026-12-02' + (id % 43 - 21)::int
		WHERE id IN (SELECT id FROM commitments ORDER BY id LIMIT 5000)`); err != nil {
		b.Fatal(err)
	}
	clock := bottest.NewClock(now)
	bt := bot.New(s, bottest.Discard, bot.WithClock(clock.Now))
	sched, err := bot.NewScheduler(bt, []bot.Adapter{bottest.NewOutbox("console")}, bot.SchedulerOptions{NoPeriodic: true})
	if err != nil {
		b.Fatal(err)
	}
	first, err := sched.Tick(ctx) // claims what is due (not worked: the scheduler is not started)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("tick", func(b *testing.B) {
		for range b.N {
			if p, err := sched.Tick(ctx); err != nil || p.Nudges != 0 {
				b.Fatalf("steady-state tick: %+v, %v", p, err)
			}
		}
		b.ReportMetric(float64(first.Nudges), "first-pass-nudges")
	})
	b.Run("candidates", func(b *testing.B) {
		for range b.N {
			if c, err := s.NudgeCandidatePage(ctx, now.AddDate(0, 0, 30), 0, 5000); err != nil || len(c) < 4000 {
				b.Fatalf("candidates: %d, %v", len(c), err)
			}
		}
	})
}
