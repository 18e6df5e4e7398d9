package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"knoop/store"
	"knoop/store/storetest"
)

// benchTopics are who-questions as members ask them, already turned into
// terms the way the bot does: single words, phrases, synonyms, typos.
var benchTopics = [][]store.Concept{
	{{"cold chain", 1.5}, {"cold", 0.5}, {"chain", 0.5}, {"koelketen", 0.8}, {"koeltransport", 0.8}, {"refrigerated transport", 0.8}},
	{{"logistiek", 1}, {"logistics", 0.8}, {"supply chain", 0.8}, {"toeleveringsketen", 0.8}},
	{{"waterstof", 1}, {"hydrogen", 0.8}},
	{{"subsidieaanvragen", 1}, {"grant", 0.8}, {"grants", 0.8}, {"funding", 0.8}, {"subsidies", 0.8}, {"grant writing", 0.8}},
	{{"python", 1}},
	{{"lng bunkering", 1.5}, {"lng", 0.5}, {"bunkering", 0.5}, {"bunkeren", 0.8}},
	{{"logstics", 1}},
	{{"koelketens", 1}},
	{{"greenhouse climate", 1.5}, {"climate control", 1.5}, {"greenhouse", 0.5}, {"climate", 0.5}, {"control", 0.5}},
	{{"netcongestie", 1}, {"grid congestion", 0.8}},
	{{"circular economy", 1.5}, {"circular", 0.5}, {"economy", 0.5}, {"circulaire economie", 0.8}},
	{{"welding", 1}},
	{{"project management", 1.5}, {"project", 0.5}, {"management", 0.5}, {"projectmanagement", 0.8}},
	{{"customs", 1}, {"douane", 0.8}},
	{{"quantum computing", 1.5}, {"quantum", 0.5}, {"computing", 0.5}},
}

func benchmarkWho(b *testing.B, members int) {
	s := storetest.Schema(b)
	ctx := context.Background()
	net, err := s.NetworkForRoom(ctx, "bench", "room", store.NetworkDefaults{})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	start := time.Now()
	st, err := s.Seed(ctx, net.ID, store.SeedOptions{Members: members, Seed: 7, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d members, %d evidence rows in %s", st.Members, st.Evidence, time.Since(start).Round(time.Second))
	// Warm the caches as a running bot would have them.
	for _, t := range benchTopics {
		if _, err := s.Who(ctx, net.ID, t, now, 5); err != nil {
			b.Fatal(err)
		}
	}
	var lat []time.Duration
	b.ResetTimer()
	i := 0
	for b.Loop() {
		t0 := time.Now()
		if _, err := s.Who(ctx, net.ID, benchTopics[i%len(benchTopics)], now, 5); err != nil {
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
}

// BenchmarkWho measures "who is good at X" in the store at 10k and 100k
// members (about ten evidence rows each). Run with
// go test -run '^$' -bench Who -benchtime 2000x ./store/
func BenchmarkWho(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) { benchmarkWho(b, n) })
	}
}
