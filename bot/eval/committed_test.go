package eval_test

import (
	"testing"
	"time"

	"knoop/bot/eval"
	"knoop/store/storetest"
)

// TestCommittedSet runs the evaluation on the open labelled set in
// testdata/eval and fails when Knoop's ranker stops beating BM25 on MRR
// and nDCG@10 overall and in every group, or answers "nobody" to fewer
// than 80 % of the questions nobody can answer.
func TestCommittedSet(t *testing.T) {
	members, err := eval.LoadMembers("../../testdata/eval/members.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	queries, err := eval.LoadQueries("../../testdata/eval/queries.jsonl", members)
	if err != nil {
		t.Fatal(err)
	}
	s := storetest.Schema(t)
	start := time.Now()
	k, err := eval.Load(t.Context(), s, members, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %d members in %s", len(members), time.Since(start).Round(time.Millisecond))
	start = time.Now()
	kOuts, err := eval.Run(t.Context(), k, queries)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("asked %d questions in %s", len(queries), time.Since(start).Round(time.Millisecond))
	bOuts, err := eval.Run(t.Context(), eval.NewBM25(members), queries)
	if err != nil {
		t.Fatal(err)
	}
	knoop := eval.Result{Ranker: "knoop", Groups: eval.ByGroup(kOuts)}
	bm25 := eval.Result{Ranker: "bm25", Groups: eval.ByGroup(bOuts)}
	for _, g := range knoop.Groups {
		b, _ := bm25.Group(g.Group)
		t.Logf("%-15s knoop MRR %.3f nDCG@10 %.3f nobody %.3f | bm25 MRR %.3f nDCG@10 %.3f nobody %.3f",
			g.Group, g.MRR, g.NDCG10, g.Nobody, b.MRR, b.NDCG10, b.Nobody)
		if g.Answerable > 0 && (g.MRR <= b.MRR || g.NDCG10 <= b.NDCG10) {
			t.Errorf("%s: Knoop (MRR %.3f, nDCG@10 %.3f) does not beat BM25 (MRR %.3f, nDCG@10 %.3f)",
				g.Group, g.MRR, g.NDCG10, b.MRR, b.NDCG10)
		}
		if g.NoAnswer > 0 && g.Nobody < 0.8 {
			t.Errorf("%s: Knoop answers nobody to %.0f%% of the no-answer questions, want at least 80%%", g.Group, 100*g.Nobody)
		}
	}
}
