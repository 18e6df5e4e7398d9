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
	{{Text: "cold chain", Weight: 1.5, Covers: 3}, {Text: "cold", Weight: 0.5, Covers: 1}, {Text: "chain", Weight: 0.5, Covers: 2}, {Text: "koelketen", Weight: 0.8}, {Text: "koeltransport", Weight: 0.8}, {Text: "refrigerated transport", Weight: 0.8}},
	{{Text: "logistiek", Weight: 1}, {Text: "logistics", Weight: 0.8}, {Text: "supply chain", Weight: 0.8}, {Text: "toeleveringsketen", Weight: 0.8}},
	{{Text: "waterstof", Weight: 1}, {Text: "hydrogen", Weight: 0.8}},
	{{Text: "subsidieaanvragen", Weight: 1}, {Text: "grant", Weight: 0.8}, {Text: "grants", Weight: 0.8}, {Text: "funding", Weight: 0.8}, {Text: "subsidies", Weight: 0.8}, {Text: "grant writing", Weight: 0.8}},
	{{Text: "python", Weight: 1}},
	{{Text: "lng bunkering", Weight: 1.5, Covers: 3}, {Text: "lng", Weight: 0.5, Covers: 1}, {Text: "bunkering", Weight: 0.5, Covers: 2}, {Text: "bunkeren", Weight: 0.8, Covers: 2}},
	{{Text: "logstics", Weight: 1}},
	{{Text: "koelketens", Weight: 1}},
	{{Text: "greenhouse climate", Weight: 1.5, Covers: 3}, {Text: "climate control", Weight: 1.5, Covers: 6}, {Text: "greenhouse", Weight: 0.5, Covers: 1}, {Text: "climate", Weight: 0.5, Covers: 2}, {Text: "control", Weight: 0.5, Covers: 4}},
	{{Text: "netcongestie", Weight: 1}, {Text: "grid congestion", Weight: 0.8}},
	{{Text: "circular economy", Weight: 1.5, Covers: 3}, {Text: "circular", Weight: 0.5, Covers: 1}, {Text: "economy", Weight: 0.5, Covers: 2}, {Text: "circulaire economie", Weight: 0.8, Covers: 3}},
	{{Text: "welding", Weight: 1}},
	{{Text: "project management", Weight: 1.5, Covers: 3}, {Text: "project", Weight: 0.5, Covers: 1}, {Text: "management", Weight: 0.5, Covers: 2}, {Text: "projectmanagement", Weight: 0.8, Covers: 3}},
	{{Text: "customs", Weight: 1}, {Text: "douane", Weight: 0.8}},
	{{Text: "quantum computing", Weight: 1.5, Covers: 3}, {Text: "quantum", Weight: 0.5, Covers: 1}, {Text: "computing", Weight: 0.5, Covers: 2}},
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
