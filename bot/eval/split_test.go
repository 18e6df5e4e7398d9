package eval

import (
	"slices"
	"testing"
)

func TestHalvesKeepTopicsTogetherAndSplitEveryGroup(t *testing.T) {
	for _, set := range []string{"../../testdata/eval", "../../testdata/eval/care"} {
		members, err := LoadMembers(set + "/members.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		queries, err := LoadQueries(set+"/queries.jsonl", members)
		if err != nil {
			t.Fatal(err)
		}
		halves := Halves(queries)
		byTopic := map[string]string{}
		count := map[string]map[string]int{}
		for _, q := range queries {
			h := halves[q.ID]
			if h != Dev && h != Test {
				t.Fatalf("%s %s: half %q", set, q.ID, h)
			}
			if q.Topic == "" {
				t.Fatalf("%s %s: no topic", set, q.ID)
			}
			if prev, ok := byTopic[q.Topic]; ok && prev != h {
				t.Errorf("%s: topic %s is in both halves", set, q.Topic)
			}
			byTopic[q.Topic] = h
			if count[q.Group] == nil {
				count[q.Group] = map[string]int{}
			}
			count[q.Group][h]++
		}
		for g, c := range count {
			if c[Dev] == 0 || c[Test] == 0 || c[Dev] > 2*c[Test]+2 || c[Test] > 2*c[Dev]+2 {
				t.Errorf("%s: group %s split unevenly: %v", set, g, c)
			}
		}
		// The split depends on the questions, not on their order.
		rev := slices.Clone(queries)
		slices.Reverse(rev)
		if again := Halves(rev); !mapsEqual(again, halves) {
			t.Errorf("%s: the split changes with the order of the file", set)
		}
		dev, _ := SelectHalf(queries, Dev)
		test, _ := SelectHalf(queries, Test)
		all, _ := SelectHalf(queries, "all")
		if len(dev)+len(test) != len(queries) || len(all) != len(queries) {
			t.Errorf("%s: dev %d + test %d != %d", set, len(dev), len(test), len(queries))
		}
	}
	if _, err := SelectHalf(nil, "train"); err == nil {
		t.Error("SelectHalf accepted an unknown half")
	}
}

func TestHalvesWithoutTopics(t *testing.T) {
	qs := []Query{
		{ID: "a", Text: "who x", Group: "g", Relevant: map[string]int{"m1": 2, "m2": 1}},
		{ID: "b", Text: "wie x", Group: "g", Relevant: map[string]int{"m2": 1, "m1": 2}},
		{ID: "c", Text: "who y", Group: "g", Relevant: map[string]int{"m3": 2}},
		{ID: "d", Text: "who z", Group: "no-answer", Relevant: map[string]int{}},
	}
	h := Halves(qs)
	if h["a"] != h["b"] {
		t.Errorf("questions with the same experts split apart: %v", h)
	}
	if h["a"] == h["c"] {
		t.Errorf("the two topics of one group landed in one half: %v", h)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
