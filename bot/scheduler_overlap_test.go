package bot_test

import (
	"context"
	"sync"
	"testing"

	"knoop/bot"
	"knoop/bot/bottest"
)

// A planning pass does not start while another still runs — of another
// replica (another scheduler on the same database) or of this one — and
// plans nothing; the pass after it plans what was due.
func TestPlanningPassesNeverOverlap(t *testing.T) {
	h := newSchedHarness(t, true, bot.SchedulerOptions{})
	bottest.SeedNetwork(t, h.Harness)
	h.SayText("carol", "digest every monday 09:00")
	h.Clock.Set(ams(2026, 11, 30, 9, 0))
	ctx := context.Background()

	// Another replica's pass holds the planning lock.
	running, err := h.Store.TrySchemaLock(ctx, bot.PlanningLock)
	if err != nil || running == nil {
		t.Fatalf("take the planning lock: %v, %v", running, err)
	}
	p, err := h.sched.Tick(ctx)
	if err != nil || !p.Busy || p.Digests != 0 {
		t.Fatalf("tick during another pass: %+v, %v; want busy, nothing planned", p, err)
	}
	var claimed int
	if err := h.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM digests`).Scan(&claimed); err != nil || claimed != 0 {
		t.Fatalf("a busy tick claimed %d digests (%v)", claimed, err)
	}
	running.Release(ctx)
	if p := h.tickAt(t, ams(2026, 11, 30, 9, 1)); p.Busy || p.Digests != 1 {
		t.Fatalf("tick after the other pass ended: %+v", p)
	}
	h.wait(t, 2)

	// Passes started at once on two replicas: however they interleave,
	// the slot is planned once and no pass runs beside another (a busy
	// one plans nothing).
	other, err := bot.NewScheduler(h.Bot, nil, bot.SchedulerOptions{NoPeriodic: true})
	if err != nil {
		t.Fatal(err)
	}
	h.Clock.Set(ams(2026, 12, 7, 9, 0))
	var wg sync.WaitGroup
	results := make([]bot.Planned, 8)
	for i := range results {
		s := h.sched
		if i%2 == 1 {
			s = other
		}
		wg.Go(func() {
			p, err := s.Tick(ctx)
			if err != nil {
				t.Error(err)
			}
			results[i] = p
		})
	}
	wg.Wait()
	total := 0
	for _, p := range results {
		if p.Busy && p.Digests != 0 {
			t.Errorf("a busy pass planned: %+v", p)
		}
		total += p.Digests
	}
	if total != 1 {
		t.Fatalf("the slot was planned %d times by concurrent passes: %+v", total, results)
	}
	h.wait(t, 2)
	h.quietRooms(t)
}
