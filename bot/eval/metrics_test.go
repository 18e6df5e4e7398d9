package eval

import (
	"math"
	"testing"
	"time"
)

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-4 {
		t.Errorf("%s = %.5f, want %.5f", name, got, want)
	}
}

// The example is worked by hand: ranked a b c d; b is grade 2, d and e
// (not retrieved) grade 1.
func TestMetricsByHand(t *testing.T) {
	ranked := []string{"a", "b", "c", "d"}
	rel := map[string]int{"b": 2, "d": 1, "e": 1}
	near(t, "RR", ReciprocalRank(ranked, rel), 0.5)
	near(t, "P@1", PrecisionAt(1, ranked, rel), 0)
	near(t, "P@5", PrecisionAt(5, ranked, rel), 2.0/5)
	near(t, "R@10", RecallAt(10, ranked, rel), 2.0/3)
	// DCG = 3/log2(3) + 1/log2(5) = 1.89279 + 0.43068;
	// ideal = 3/1 + 1/log2(3) + 1/log2(4) = 3 + 0.63093 + 0.5.
	near(t, "nDCG@10", NDCGAt(10, ranked, rel), (1.89279+0.43068)/(3+0.63093+0.5))

	perfect := []string{"b", "d", "e"}
	near(t, "perfect nDCG", NDCGAt(10, perfect, rel), 1)
	near(t, "perfect RR", ReciprocalRank(perfect, rel), 1)
	near(t, "empty RR", ReciprocalRank(nil, rel), 0)
	near(t, "empty nDCG", NDCGAt(10, nil, rel), 0)
	near(t, "nothing relevant nDCG", NDCGAt(10, ranked, map[string]int{}), 0)
	// A relevant member below the cutoff does not count.
	long := []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "b"}
	near(t, "RR below cutoff", ReciprocalRank(long, rel), 0)
	near(t, "R@10 below cutoff", RecallAt(10, long, rel), 0)
}

func TestSummarise(t *testing.T) {
	outs := []Outcome{
		{Query: Query{ID: "q1", Group: "g", Relevant: map[string]int{"b": 2, "d": 1, "e": 1}}, Ranked: []string{"a", "b", "c", "d"}, Latency: 3 * time.Millisecond},
		{Query: Query{ID: "q2", Group: "g", Relevant: map[string]int{"a": 1}}, Ranked: []string{"a"}, Latency: time.Millisecond},
		{Query: Query{ID: "q3", Group: "none", Relevant: map[string]int{}}, Ranked: nil, Latency: 2 * time.Millisecond},
		{Query: Query{ID: "q4", Group: "none", Relevant: map[string]int{}}, Ranked: []string{"a"}, Latency: 4 * time.Millisecond},
	}
	s := ByGroup(outs)
	if len(s) != 3 || s[0].Group != "all" || s[1].Group != "g" || s[2].Group != "none" {
		t.Fatalf("groups: %+v", s)
	}
	all := s[0]
	if all.Queries != 4 || all.Answerable != 2 || all.NoAnswer != 2 {
		t.Fatalf("counts: %+v", all)
	}
	near(t, "MRR", all.MRR, (0.5+1)/2)
	near(t, "P@1", all.P1, 0.5)
	near(t, "nobody", all.Nobody, 0.5)
	near(t, "answered", all.Answered, 1)
	near(t, "p50", all.P50ms, 2)
	near(t, "p95", all.P95ms, 4)
	near(t, "g nobody", s[1].Nobody, 0)
	near(t, "none nobody", s[2].Nobody, 0.5)
}

func TestBM25(t *testing.T) {
	members := []Member{
		{ID: "m1", Skills: []string{"cold chain", "logistics", "warehousing"}},
		{ID: "m2", Skills: []string{"logistics"}, Delivered: []string{"logistics plan for the port"}},
		{ID: "m3", Skills: []string{"koelketen"}, Endorsements: []Endorsement{{By: "m1", Skill: "cold chain"}}},
	}
	b := NewBM25(members)
	got, err := b.Rank(t.Context(), "who is good at cold chain?", 10)
	if err != nil {
		t.Fatal(err)
	}
	// m3 is found through the endorsed words; it is shorter, so first.
	if len(got) != 2 || got[0] != "m3" || got[1] != "m1" {
		t.Fatalf("cold chain: %v", got)
	}
	got, _ = b.Rank(t.Context(), "who knows logistics", 10)
	if len(got) != 2 || got[0] != "m2" {
		t.Fatalf("logistics: %v", got)
	}
	got, _ = b.Rank(t.Context(), "who knows beekeeping", 10)
	if len(got) != 0 {
		t.Fatalf("beekeeping: %v", got)
	}
	got, _ = b.Rank(t.Context(), "hello there", 10)
	if len(got) != 0 {
		t.Fatalf("not a question: %v", got)
	}
}
