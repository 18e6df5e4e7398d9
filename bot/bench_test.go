package bot_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
	"knoop/store/storetest"
)

// benchLines is a realistic mix: mostly questions and reads, some writes.
var benchLines = []string{
	"who is good at cold chain?",
	"wie is er goed in subsidieaanvragen?",
	"who python",
	"commitments",
	"skills add logistics, koelketen",
	"commit deliver the pilot report by next friday",
	"goals",
	"profile",
	"wie weet er iets van waterstof?",
	"help commit",
}

// BenchmarkCommands measures end-to-end command handling: text in through
// the fake adapter, parse, PostgreSQL, reply out, with as many concurrent
// handlers as a real adapter runs, on a network of 10,000 seeded members.
// Run with go test -run '^$' -bench Commands -benchtime 20000x ./bot/
func BenchmarkCommands(b *testing.B) {
	s := storetest.Schema(b)
	ctx := context.Background()
	net, err := s.NetworkForRoom(ctx, "fake", "room", store.NetworkDefaults{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Seed(ctx, net.ID, store.SeedOptions{Members: 10_000, Seed: 3, Now: time.Now()}); err != nil {
		b.Fatal(err)
	}
	bt := bot.New(s, bottest.Discard)
	const workers = 16
	a := bottest.NewAdapter(workers * 4)
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { _ = a.RunWorkers(runCtx, bt, workers) })

	b.ResetTimer()
	start := time.Now()
	go func() {
		for i := range b.N {
			a.In <- bot.Message{Platform: "fake", RoomID: "room", UserID: fmt.Sprintf("u%d", i%500),
				UserName: fmt.Sprintf("User %d", i%500), Text: benchLines[i%len(benchLines)]}
		}
	}()
	a.Handled(b.N)
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	wg.Wait()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "commands/s")
	replies := a.Replies()
	if len(replies) != b.N {
		b.Fatalf("%d replies for %d commands", len(replies), b.N)
	}
	var empty int
	for _, r := range replies {
		if r.Reply.IsZero() {
			empty++
		}
	}
	if empty > 0 {
		b.Fatalf("%d empty replies", empty)
	}
}

// BenchmarkParse measures the language layer alone.
func BenchmarkParse(b *testing.B) {
	var lat []time.Duration
	i := 0
	for b.Loop() {
		t0 := time.Now()
		text, _ := bot.Clean(benchLines[i%len(benchLines)])
		bot.Parse(text)
		lat = append(lat, time.Since(t0))
		i++
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*95/100].Nanoseconds())/1000, "p95_µs")
}

// whoTopics are who-topics as members type them: words, phrases, Dutch
// compounds, both languages, typos, and topics nobody has.
var whoTopics = []string{
	"cold chain logistics", "koelketens", "subsidieaanvragen", "grant applications", "waterstof", "hydrogen",
	"python", "LNG bunkering", "logstics", "greenhouse climate control", "netcongestie", "battery storage",
	"circular economy", "project management", "douane", "koelketenlogistiek", "voedselveiligheid",
	"machine learning", "quantum computing", "nuclear energy",
}

// BenchmarkWho measures a who-question below the chat layer, the way the
// who-command asks it (bot.Experts: concepts from the topic, then one
// store query), on seeded networks of 10,000 and 100,000 members. Run with
// go test -tags goolm -run '^$' -bench Who -benchtime 2000x ./bot/
func BenchmarkWho(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			s := storetest.Schema(b)
			ctx := context.Background()
			net, err := s.NetworkForRoom(ctx, "bench", "room", store.NetworkDefaults{})
			if err != nil {
				b.Fatal(err)
			}
			now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
			if _, err := s.Seed(ctx, net.ID, store.SeedOptions{Members: n, Seed: 7, Now: now}); err != nil {
				b.Fatal(err)
			}
			for _, t := range whoTopics { // warm caches as a running bot has them
				if _, err := bot.Experts(ctx, s, net.ID, t, now, 5); err != nil {
					b.Fatal(err)
				}
			}
			var lat []time.Duration
			i := 0
			for b.Loop() {
				t0 := time.Now()
				if _, err := bot.Experts(ctx, s, net.ID, whoTopics[i%len(whoTopics)], now, 5); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
				i++
			}
			b.StopTimer()
			slices.Sort(lat)
			pct := func(p float64) float64 { return float64(lat[int(float64(len(lat)-1)*p)].Microseconds()) / 1000 }
			b.ReportMetric(pct(0.50), "p50_ms")
			b.ReportMetric(pct(0.95), "p95_ms")
			b.ReportMetric(pct(0.99), "p99_ms")
		})
	}
}
