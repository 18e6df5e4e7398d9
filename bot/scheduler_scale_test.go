package bot_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
	"knoop/store/storetest"
)

// BenchmarkSchedulerScale measures the scheduler at scale: planning passes
// over open commitments spread over rooms (each with a digest due in the
// same minute) and members, then rendering and sending every room's
// digest. By default it runs at 1/100 of the size; with
// KNOOP_BENCH_SCALE=1 at full size: 1,000 networks × 10 rooms × 100
// members × 10 open commitments = 10,000 rooms, 100,000 members,
// 1,000,000 open commitments (seeding takes minutes).
//
//	KNOOP_BENCH_SCALE=1 go test -tags goolm -run '^$' -bench SchedulerScale -benchtime 1x -timeout 60m ./bot/
//
// Metrics: seed-s (seeding), plan-s (the first pass: every digest and
// every reminder due now claimed and queued), steady-s (the next pass,
// nothing new), peak-heap-MB (the Go heap during the passes), digests,
// nudges, digests/s (working the digest jobs — render and send — with 4
// workers, over the first KNOOP_BENCH_DELIVER digests, default 1,000),
// rss-MB (the process's peak).
func BenchmarkSchedulerScale(b *testing.B) {
	if b.N > 1 {
		b.Skip("one-shot benchmark: run with -benchtime 1x")
	}
	o := store.LoadOptions{Networks: 10, RoomsPerNetwork: 10, MembersPerNetwork: 100, OpenPerMember: 10, Seed: 1}
	if v, _ := strconv.Atoi(os.Getenv("KNOOP_BENCH_SCALE")); v == 1 {
		o.Networks = 1000
	}
	if v, _ := strconv.Atoi(os.Getenv("KNOOP_BENCH_NETWORKS")); v > 0 {
		o.Networks = v // sizes in between: v × 10 rooms, 100 members, 1,000 commitments
	}
	// Wednesday 2 December 2026, 11:00 in Amsterdam: a working day, inside
	// working hours, and the minute every room's digest is due.
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	o.Now, o.NextAt, o.Spec = now, now, "0 11 * * 3"
	s := storetest.Schema(b)
	ctx := context.Background()
	t0 := time.Now()
	st, err := s.SeedLoad(ctx, o)
	if err != nil {
		b.Fatal(err)
	}
	seed := time.Since(t0)
	// Phases are printed as they end (to stderr, unbuffered), so a run
	// stopped early still tells what it measured.
	fmt.Fprintf(os.Stderr, "seeded %d networks, %d rooms, %d members, %d open commitments in %s\n", st.Networks, st.Rooms, st.Members,
		st.Commitments, seed.Round(time.Millisecond))

	clock := bottest.NewClock(now)
	bt := bot.New(s, bottest.Discard, bot.WithClock(clock.Now))
	out := &countingAdapter{}
	sched, err := bot.NewScheduler(bt, []bot.Adapter{out}, bot.SchedulerOptions{NoPeriodic: true})
	if err != nil {
		b.Fatal(err)
	}
	peak := watchHeap()
	b.ResetTimer()
	t0 = time.Now()
	first, err := sched.Tick(ctx)
	if err != nil {
		b.Fatal(err)
	}
	plan := time.Since(t0)
	fmt.Fprintf(os.Stderr, "first pass: %d digests, %d reminders claimed and queued in %s\n", first.Digests, first.Nudges, plan.Round(time.Millisecond))
	if first.Digests != st.Rooms || first.Nudges == 0 {
		b.Fatalf("first pass: %+v, want %d digests and some reminders", first, st.Rooms)
	}
	clock.Set(now.Add(time.Minute))
	t0 = time.Now()
	steady, err := sched.Tick(ctx)
	if err != nil || steady.Digests != 0 || steady.Nudges != 0 {
		b.Fatalf("steady pass: %+v, %v", steady, err)
	}
	steadyTime := time.Since(t0)
	heap := peak()
	fmt.Fprintf(os.Stderr, "steady pass: %s; peak Go heap during the passes %.0f MB\n", steadyTime.Round(time.Millisecond), float64(heap)/(1<<20))

	// Deliver the digests alone: the reminders' jobs are set aside.
	if _, err := s.Pool().Exec(ctx, `DELETE FROM river_job WHERE kind = 'knoop_nudge'`); err != nil {
		b.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	t0 = time.Now()
	go func() { _ = sched.Run(runCtx, 10*time.Second); close(done) }()
	// Deliveries are timed for the first KNOOP_BENCH_DELIVER digests
	// (default 1,000): the rate is what matters, and all 10,000 take long.
	want := min(int64(st.Rooms), 1000)
	if v, _ := strconv.Atoi(os.Getenv("KNOOP_BENCH_DELIVER")); v > 0 {
		want = min(int64(st.Rooms), int64(v))
	}
	for out.rooms.Load() < want {
		if time.Since(t0) > 30*time.Minute {
			b.Fatalf("delivered %d of %d digests in 30 minutes", out.rooms.Load(), want)
		}
		time.Sleep(50 * time.Millisecond)
	}
	deliver := time.Since(t0)
	fmt.Fprintf(os.Stderr, "delivered %d digests in %s (%.1f/s)\n", want, deliver.Round(time.Millisecond), float64(want)/deliver.Seconds())
	b.StopTimer()
	cancel()
	<-done

	b.ReportMetric(seed.Seconds(), "seed-s")
	b.ReportMetric(plan.Seconds(), "plan-s")
	b.ReportMetric(steadyTime.Seconds(), "steady-s")
	b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(first.Digests), "digests")
	b.ReportMetric(float64(first.Nudges), "nudges")
	b.ReportMetric(float64(want)/deliver.Seconds(), "digests/s")
	b.ReportMetric(peakRSS()/1024, "rss-MB")
}

// countingAdapter is a platform that takes every message at once and
// counts them.
type countingAdapter struct {
	rooms, dms atomic.Int64
}

func (a *countingAdapter) Name() string                                 { return "console" }
func (a *countingAdapter) Run(ctx context.Context, _ bot.Handler) error { <-ctx.Done(); return nil }
func (a *countingAdapter) Send(_ context.Context, to bot.Target, _ bot.Reply) error {
	if to.RoomID != "" {
		a.rooms.Add(1)
	} else {
		a.dms.Add(1)
	}
	return nil
}

// watchHeap samples the Go heap in use until the returned function is
// called, which returns the largest sample.
func watchHeap() func() uint64 {
	var mu sync.Mutex
	var max uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			mu.Lock()
			max = maxOf(max, ms.HeapInuse)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return max
	}
}

func maxOf(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// peakRSS is the process's peak resident set in KB (VmHWM), 0 where
// /proc is missing.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return n
		}
	}
	return 0
}
