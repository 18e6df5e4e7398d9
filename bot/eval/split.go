package eval

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
)

// The halves of a labelled set. Rules, vocabulary and weights of the
// ranker may be changed only by looking at the development half; the
// test half is what is reported.
const (
	Dev  = "dev"
	Test = "test"
)

// topicKey is what a question is about: its Topic, or when it has none
// its sorted relevant members (the same topic has the same experts), or
// its text for a no-answer question.
func topicKey(q Query) string {
	if q.Topic != "" {
		return q.Topic
	}
	if len(q.Relevant) > 0 {
		ids := make([]string, 0, len(q.Relevant))
		for id := range q.Relevant {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		return strings.Join(ids, ",")
	}
	return q.Text
}

func fnv32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// Halves splits a labelled set into a development and a test half and
// returns each question's half (Dev or Test) by id. The split is by
// topic, so a question and its translation or paraphrase always fall in
// the same half, and stratified: topics are classed by the group of
// their questions ("mixed" when those differ, as a monolingual question
// and its cross-language translation do), ordered within a class by the
// 32-bit FNV-1a hash of the topic (ties by the topic itself), and dealt
// alternately to dev and test. So every group is split about evenly, and
// the split depends only on the questions' topics and groups, never on
// the order of the file or on any ranker.
func Halves(queries []Query) map[string]string {
	groups := map[string]map[string]bool{}
	for _, q := range queries {
		k := topicKey(q)
		if groups[k] == nil {
			groups[k] = map[string]bool{}
		}
		groups[k][q.Group] = true
	}
	classes := map[string][]string{}
	for k, gs := range groups {
		class := "mixed"
		if len(gs) == 1 {
			for g := range gs {
				class = g
			}
		}
		classes[class] = append(classes[class], k)
	}
	half := map[string]string{}
	for _, keys := range classes {
		slices.SortFunc(keys, func(a, b string) int {
			ha, hb := fnv32(a), fnv32(b)
			switch {
			case ha < hb:
				return -1
			case ha > hb:
				return 1
			}
			return strings.Compare(a, b)
		})
		for i, k := range keys {
			half[k] = Dev
			if i%2 == 1 {
				half[k] = Test
			}
		}
	}
	out := make(map[string]string, len(queries))
	for _, q := range queries {
		out[q.ID] = half[topicKey(q)]
	}
	return out
}

// SelectHalf returns the questions of one half ("dev" or "test", see
// Halves), or all of them for "all" or "".
func SelectHalf(queries []Query, half string) ([]Query, error) {
	switch half {
	case "", "all":
		return queries, nil
	case Dev, Test:
	default:
		return nil, fmt.Errorf("unknown half %q: dev, test or all", half)
	}
	halves := Halves(queries)
	var out []Query
	for _, q := range queries {
		if halves[q.ID] == half {
			out = append(out, q)
		}
	}
	return out, nil
}
