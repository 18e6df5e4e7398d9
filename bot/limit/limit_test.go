package limit

import (
	"fmt"
	"testing"
	"time"
)

func TestTakeWarnsOnceThenDrops(t *testing.T) {
	l := New(2)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	want := []Verdict{Allow, Allow, Warn, Drop, Drop}
	for i, w := range want {
		if got := l.Take("anna", 1, now); got != w {
			t.Fatalf("message %d: %v, want %v", i+1, got, w)
		}
	}
	if got := l.Take("bob", 1, now); got != Allow {
		t.Errorf("another key: %v", got)
	}
	// One token comes back after 30 s; the next refusal warns again.
	now = now.Add(30 * time.Second)
	if got := l.Take("anna", 1, now); got != Allow {
		t.Errorf("after refill: %v", got)
	}
	if got := l.Take("anna", 1, now); got != Warn {
		t.Errorf("past the limit again: %v", got)
	}
	// A cost above the burst costs the burst, so it can pass at all.
	now = now.Add(time.Minute)
	if got := l.Take("anna", 10, now); got != Allow {
		t.Errorf("expensive message with a full bucket: %v", got)
	}
}

func TestNilLimiterAllows(t *testing.T) {
	var l *Limiter = New(0)
	if l != nil || l.Take("x", 5, time.Now()) != Allow || l.Len() != 0 {
		t.Fatal("no limit must allow everything")
	}
}

// Buckets of members who went quiet are dropped, so the map does not
// grow with every member ever seen.
func TestSweepForgetsIdleBuckets(t *testing.T) {
	l := New(20)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for i := range 3 * sweepEvery {
		l.Take(fmt.Sprint("m", i), 1, now)
		now = now.Add(time.Second)
	}
	if n := l.Len(); n >= 2*sweepEvery {
		t.Fatalf("%d buckets kept for %d members, most of them idle", n, 3*sweepEvery)
	}
}
