package eval

import (
	"context"
	"math"
	"sort"
	"strings"
	"unicode"

	"knoop/bot"
)

// BM25 parameters, the common defaults.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// BM25 is the baseline: plain Okapi BM25 over each member's text (declared
// skills, delivered commitments and endorsed skills, concatenated), with
// lower-cased word tokens and no stemming, synonyms or typo tolerance. It
// reads the topic from the question with the same parser as Knoop, so the
// two rankers differ only in how they rank.
type BM25 struct {
	ids    []string
	tf     []map[string]int
	length []float64
	avg    float64
	df     map[string]int
}

// NewBM25 indexes members.
func NewBM25(members []Member) *BM25 {
	endorsed := map[string][]string{}
	for _, m := range members {
		for _, e := range m.Endorsements {
			endorsed[m.ID] = append(endorsed[m.ID], e.Skill)
		}
	}
	r := &BM25{df: map[string]int{}}
	total := 0.0
	for _, m := range members {
		var text []string
		text = append(text, m.Skills...)
		text = append(text, m.Delivered...)
		text = append(text, endorsed[m.ID]...)
		toks := tokens(strings.Join(text, " "))
		tf := map[string]int{}
		for _, t := range toks {
			if tf[t] == 0 {
				r.df[t]++
			}
			tf[t]++
		}
		r.ids = append(r.ids, m.ID)
		r.tf = append(r.tf, tf)
		r.length = append(r.length, float64(len(toks)))
		total += float64(len(toks))
	}
	if len(members) > 0 {
		r.avg = total / float64(len(members))
	}
	return r
}

// tokens lower-cases text and splits it into runs of letters and digits.
func tokens(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Name implements Ranker.
func (r *BM25) Name() string { return "bm25" }

// Rank implements Ranker: members with a positive score, best first
// (ties by id), at most limit. A question that is not a who-question gets
// no answer.
func (r *BM25) Rank(_ context.Context, text string, limit int) ([]string, error) {
	p := bot.Parse(text)
	if p.Command != "who" {
		return nil, nil
	}
	q := tokens(p.Args)
	n := float64(len(r.ids))
	type scored struct {
		id    string
		score float64
	}
	var hits []scored
	for i, tf := range r.tf {
		s := 0.0
		for _, t := range q {
			f := float64(tf[t])
			if f == 0 {
				continue
			}
			df := float64(r.df[t])
			idf := math.Log(1 + (n-df+0.5)/(df+0.5))
			s += idf * f * (bm25K1 + 1) / (f + bm25K1*(1-bm25B+bm25B*r.length[i]/r.avg))
		}
		if s > 0 {
			hits = append(hits, scored{r.ids[i], s})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return hits[i].id < hits[j].id
	})
	out := make([]string, 0, min(limit, len(hits)))
	for i, h := range hits {
		if i == limit {
			break
		}
		out = append(out, h.id)
	}
	return out, nil
}
