package eval

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Cutoff is the depth every ranking is judged to.
const Cutoff = 10

// ReciprocalRank is 1/rank of the first relevant member in the top
// Cutoff of ranked, or 0.
func ReciprocalRank(ranked []string, rel map[string]int) float64 {
	for i, id := range top(ranked) {
		if rel[id] > 0 {
			return 1 / float64(i+1)
		}
	}
	return 0
}

// PrecisionAt is the share of the first k places that hold a relevant
// member; places a short ranking leaves empty count as misses.
func PrecisionAt(k int, ranked []string, rel map[string]int) float64 {
	n := 0
	for i, id := range ranked {
		if i == k {
			break
		}
		if rel[id] > 0 {
			n++
		}
	}
	return float64(n) / float64(k)
}

// RecallAt is the share of relevant members found in the first k places.
func RecallAt(k int, ranked []string, rel map[string]int) float64 {
	total := 0
	for _, g := range rel {
		if g > 0 {
			total++
		}
	}
	if total == 0 {
		return 0
	}
	n := 0
	for i, id := range ranked {
		if i == k {
			break
		}
		if rel[id] > 0 {
			n++
		}
	}
	return float64(n) / float64(total)
}

// NDCGAt is the normalised discounted cumulative gain of the first k
// places, with gain 2^grade − 1 and discount log2(place + 1).
func NDCGAt(k int, ranked []string, rel map[string]int) float64 {
	dcg := 0.0
	for i, id := range ranked {
		if i == k {
			break
		}
		dcg += gain(rel[id]) / math.Log2(float64(i+2))
	}
	grades := make([]int, 0, len(rel))
	for _, g := range rel {
		grades = append(grades, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(grades)))
	ideal := 0.0
	for i, g := range grades {
		if i == k {
			break
		}
		ideal += gain(g) / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

func gain(grade int) float64 {
	if grade <= 0 {
		return 0
	}
	return math.Exp2(float64(grade)) - 1
}

func top(ranked []string) []string {
	if len(ranked) > Cutoff {
		return ranked[:Cutoff]
	}
	return ranked
}

// Outcome is one query asked of one ranker.
type Outcome struct {
	Query   Query
	Ranked  []string // member ids, best first
	Basis   string   // how the answer was found, if the ranker says (see BasisRanker)
	Latency time.Duration
}

// Summary is the metrics of a set of outcomes. The ranking metrics are
// means over the queries someone is relevant to (Answerable); Nobody is
// the share of the other queries (NoAnswer) that got an empty answer,
// Answered the share of answerable ones that got a non-empty one.
type Summary struct {
	Group      string  `json:"group"`
	Queries    int     `json:"queries"`
	Answerable int     `json:"answerable"`
	NoAnswer   int     `json:"no_answer"`
	MRR        float64 `json:"mrr"`
	P1         float64 `json:"p_at_1"`
	P5         float64 `json:"p_at_5"`
	NDCG10     float64 `json:"ndcg_at_10"`
	Recall10   float64 `json:"recall_at_10"`
	Answered   float64 `json:"answered"`
	Nobody     float64 `json:"nobody"`
	// Shares of the answered answerable questions whose answer lists
	// members found from direct, translated or inferred evidence (an
	// answer can have several; all 0 for a ranker that does not say).
	Direct     float64 `json:"direct"`
	Translated float64 `json:"translated"`
	Inferred   float64 `json:"inferred"`
	P50ms      float64 `json:"latency_p50_ms"`
	P95ms      float64 `json:"latency_p95_ms"`
	P99ms      float64 `json:"latency_p99_ms"`
}

// Summarise computes the metrics of outcomes under the name group.
func Summarise(group string, outs []Outcome) Summary {
	s := Summary{Group: group, Queries: len(outs)}
	lat := make([]time.Duration, 0, len(outs))
	for _, o := range outs {
		lat = append(lat, o.Latency)
		if o.Query.NoAnswer() {
			s.NoAnswer++
			if len(o.Ranked) == 0 {
				s.Nobody++
			}
			continue
		}
		s.Answerable++
		rel := o.Query.Relevant
		s.MRR += ReciprocalRank(o.Ranked, rel)
		s.P1 += PrecisionAt(1, o.Ranked, rel)
		s.P5 += PrecisionAt(5, o.Ranked, rel)
		s.NDCG10 += NDCGAt(10, o.Ranked, rel)
		s.Recall10 += RecallAt(10, o.Ranked, rel)
		if len(o.Ranked) > 0 {
			s.Answered++
			for _, b := range strings.Split(o.Basis, ",") {
				switch b {
				case "direct":
					s.Direct++
				case "translated":
					s.Translated++
				case "inferred":
					s.Inferred++
				}
			}
		}
	}
	if s.Answered > 0 {
		s.Direct /= s.Answered
		s.Translated /= s.Answered
		s.Inferred /= s.Answered
	}
	if n := float64(s.Answerable); n > 0 {
		s.MRR /= n
		s.P1 /= n
		s.P5 /= n
		s.NDCG10 /= n
		s.Recall10 /= n
		s.Answered /= n
	}
	if s.NoAnswer > 0 {
		s.Nobody /= float64(s.NoAnswer)
	}
	slices.Sort(lat)
	s.P50ms, s.P95ms, s.P99ms = percentile(lat, 0.50), percentile(lat, 0.95), percentile(lat, 0.99)
	return s
}

// percentile is the nearest-rank percentile of sorted latencies, in ms.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	i = max(0, min(i, len(sorted)-1))
	return float64(sorted[i].Microseconds()) / 1000
}

// ByGroup summarises outcomes overall (group "all") and per query group,
// groups in order of first appearance.
func ByGroup(outs []Outcome) []Summary {
	res := []Summary{Summarise("all", outs)}
	var order []string
	groups := map[string][]Outcome{}
	for _, o := range outs {
		g := o.Query.Group
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], o)
	}
	for _, g := range order {
		res = append(res, Summarise(g, groups[g]))
	}
	return res
}
