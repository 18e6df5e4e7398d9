package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"knoop/adapters/web"
	"knoop/store"
	"knoop/store/storetest"
)

// BenchmarkPages measures each page of the network page, end to end
// through the handler (session lookup, queries, template), on a seeded
// network of 10,000 members (about 250 organisations, ten evidence rows a
// member, three goals with a fifth of the commitments, a tenth of the
// deliveries to a member of another organisation). Run with
//
//	go test -tags goolm -run '^$' -bench Pages -benchtime 200x ./adapters/web/
func BenchmarkPages(b *testing.B) {
	s := storetest.Schema(b)
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	net, err := s.NetworkForRoom(ctx, "bench", "room", store.NetworkDefaults{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Seed(ctx, net.ID, store.SeedOptions{Members: 10_000, Seed: 7, Now: now}); err != nil {
		b.Fatal(err)
	}
	for _, g := range []string{"Halve empty truck kilometres", "Open the hydrogen test site", "Cut cold-chain emissions"} {
		if _, err := s.AddGoal(ctx, net.ID, 1, g, now.AddDate(0, -6, 0)); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []string{
		// A fifth of the commitments serve a goal; a tenth went to a
		// member of another organisation; some are open, some overdue.
		`UPDATE commitments SET goal_id = (SELECT id FROM goals WHERE network_id = $1 AND no = 1 + id % 3) WHERE network_id = $1 AND id % 5 = 0`,
		`UPDATE commitments SET recipient_id = owner_id + 1 WHERE network_id = $1 AND id % 10 = 1`,
		`UPDATE commitments SET status = 'open', done_at = NULL, due = (now() + (id % 40 - 10) * interval '1 day')::date WHERE network_id = $1 AND id % 7 = 0`,
		`ANALYZE`,
	} {
		if _, err := s.Pool().Exec(ctx, q, []any{net.ID}[:min(1, countArgs(q))]...); err != nil {
			b.Fatal(err)
		}
	}
	var member int64
	if err := s.Pool().QueryRow(ctx, `SELECT id FROM members WHERE network_id = $1 ORDER BY id LIMIT 1`, net.ID).Scan(&member); err != nil {
		b.Fatal(err)
	}
	tok, err := s.NewSignInLink(ctx, member, false, now)
	if err != nil {
		b.Fatal(err)
	}
	session, _, err := s.RedeemSignInLink(ctx, tok, now)
	if err != nil {
		b.Fatal(err)
	}
	// As knoop run serves it: network-wide aggregates reused for 30 s.
	srv, err := web.New(s, web.Options{BaseURL: "http://bench", Now: func() time.Time { return now },
		Log: slog.New(slog.DiscardHandler), CacheTTL: 30 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	cookie := &http.Cookie{Name: "knoop_session", Value: session}
	get := func(path string) time.Duration {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(rec, req)
		d := time.Since(t0)
		if rec.Code != 200 {
			b.Fatalf("%s: %d", path, rec.Code)
		}
		return d
	}
	for _, p := range []struct{ name, path string }{
		{"overview", "/"},
		{"directory", "/directory"},
		{"directory_page_40", "/directory?page=40"},
		{"search", "/directory?q=cold+chain"},
		{"commitments", "/commitments"},
		{"commitments_goal", "/commitments?goal=2"},
		{"connections", "/connections"},
		{"goal", "/goals/1"},
	} {
		b.Run(p.name, func(b *testing.B) {
			// The first request computes the network's aggregates (each
			// reused for 30 s); the rest is what members see most.
			first := get(p.path)
			for range 4 {
				get(p.path)
			}
			var lat []time.Duration
			for b.Loop() {
				lat = append(lat, get(p.path))
			}
			slices.Sort(lat)
			pct := func(q float64) float64 { return float64(lat[int(float64(len(lat)-1)*q)].Microseconds()) / 1000 }
			b.ReportMetric(pct(0.50), "p50_ms")
			b.ReportMetric(pct(0.95), "p95_ms")
			b.ReportMetric(float64(first.Microseconds())/1000, "first_ms")
		})
	}
}

func countArgs(q string) int {
	if q == "ANALYZE" || q == `ANALYZE` {
		return 0
	}
	return 1
}
