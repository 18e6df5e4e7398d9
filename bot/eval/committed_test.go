package eval_test

import (
	"slices"
	"testing"
	"time"

	"knoop/bot/eval"
	"knoop/store/storetest"
)

// TestCommittedSet runs the evaluation on the open labelled sets in
// testdata/eval — the network set's development and test halves, and the
// care set written before the ranking work knew its words — and fails
// when Knoop's ranker stops beating BM25 on MRR and nDCG@10 in a group it
// beats it in today (tying where BM25 is perfect), or answers "nobody"
// to fewer than 80 % of the questions nobody can answer.
//
// Not yet reached, and so only logged: the care set's monolingual group
// (and with it its overall figures), where the coverage rule refuses
// some questions BM25 answers (see README, "Ranking quality").
func TestCommittedSet(t *testing.T) {
	for _, tc := range []struct {
		dir, half string
		unmet     []string
	}{
		{"../../testdata/eval", eval.Dev, nil},
		{"../../testdata/eval", eval.Test, nil},
		{"../../testdata/eval/care", "all", []string{"all", "monolingual"}},
	} {
		t.Run(tc.dir[len("../../testdata/"):]+"/"+tc.half, func(t *testing.T) {
			members, err := eval.LoadMembers(tc.dir + "/members.jsonl")
			if err != nil {
				t.Fatal(err)
			}
			queries, err := eval.LoadQueries(tc.dir+"/queries.jsonl", members)
			if err != nil {
				t.Fatal(err)
			}
			if queries, err = eval.SelectHalf(queries, tc.half); err != nil {
				t.Fatal(err)
			}
			s := storetest.Schema(t)
			k, err := eval.Load(t.Context(), s, members, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			kOuts, err := eval.Run(t.Context(), k, queries)
			if err != nil {
				t.Fatal(err)
			}
			bOuts, err := eval.Run(t.Context(), eval.NewBM25(members), queries)
			if err != nil {
				t.Fatal(err)
			}
			knoop := eval.Result{Ranker: "knoop", Groups: eval.ByGroup(kOuts)}
			bm25 := eval.Result{Ranker: "bm25", Groups: eval.ByGroup(bOuts)}
			for _, g := range knoop.Groups {
				b, _ := bm25.Group(g.Group)
				t.Logf("%-15s knoop MRR %.3f nDCG@10 %.3f nobody %.3f (direct %.2f translated %.2f inferred %.2f) | bm25 MRR %.3f nDCG@10 %.3f nobody %.3f",
					g.Group, g.MRR, g.NDCG10, g.Nobody, g.Direct, g.Translated, g.Inferred, b.MRR, b.NDCG10, b.Nobody)
				beats := func(k, b float64) bool { return k > b || (b >= 1-1e-9 && k >= 1-1e-9) }
				if g.Answerable > 0 && !slices.Contains(tc.unmet, g.Group) && (!beats(g.MRR, b.MRR) || !beats(g.NDCG10, b.NDCG10)) {
					t.Errorf("%s: Knoop (MRR %.3f, nDCG@10 %.3f) does not beat BM25 (MRR %.3f, nDCG@10 %.3f)",
						g.Group, g.MRR, g.NDCG10, b.MRR, b.NDCG10)
				}
				if g.NoAnswer > 0 && g.Nobody < 0.8 {
					t.Errorf("%s: Knoop answers nobody to %.0f%% of the no-answer questions, want at least 80%%", g.Group, 100*g.Nobody)
				}
			}
		})
	}
}
