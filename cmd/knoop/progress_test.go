package main

import (
	"strings"
	"testing"
	"time"

	"knoop/store"
)

func TestProgressLine(t *testing.T) {
	var out strings.Builder
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	progress, done := newProgressLine(&out, "importing", func() time.Time { return now })
	progress(store.ImportProgress{Stage: "members", Done: 0, Total: 100_000})
	now = now.Add(50 * time.Millisecond)
	progress(store.ImportProgress{Stage: "members", Done: 10_000, Total: 100_000}) // too soon: not drawn
	now = now.Add(2 * time.Second)
	progress(store.ImportProgress{Stage: "index", Done: 1_234_567, Total: 1_234_567})
	done()
	want := "\r\x1b[Kimporting: members 0/100,000 (0s)\r\x1b[Kimporting: index 1,234,567/1,234,567 (2s)\n"
	if out.String() != want {
		t.Fatalf("progress line wrote %q, want %q", out.String(), want)
	}
	// Not a terminal (a test's stderr is a buffer): no progress at all.
	var buf strings.Builder
	if p, _ := (env{stderr: &buf}).progressLine("x"); p != nil {
		t.Fatal("progress line on a non-terminal")
	}
}
