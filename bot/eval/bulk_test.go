package eval_test

import (
	"slices"
	"testing"
	"time"

	"knoop/bot/eval"
	"knoop/store/storetest"
)

// The open labelled set loaded in bulk answers every question exactly as
// it does loaded member by member through the bot's store calls.
func TestBulkLoadAnswersAsMemberByMember(t *testing.T) {
	members, err := eval.LoadMembers("../../testdata/eval/members.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	queries, err := eval.LoadQueries("../../testdata/eval/queries.jsonl", members)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	one, err := eval.Load(t.Context(), storetest.Schema(t), members, now)
	if err != nil {
		t.Fatal(err)
	}
	bulk, err := eval.LoadBulk(t.Context(), storetest.Schema(t), members, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	answered := 0
	for _, q := range queries {
		want, err := one.Rank(t.Context(), q.Text, eval.Cutoff)
		if err != nil {
			t.Fatal(err)
		}
		got, err := bulk.Rank(t.Context(), q.Text, eval.Cutoff)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(want, got) {
			t.Errorf("query %s %q: member by member %v, bulk %v", q.ID, q.Text, want, got)
		}
		if len(want) > 0 {
			answered++
		}
	}
	if answered < len(queries)/2 {
		t.Fatalf("only %d of %d questions got an answer: nothing much was compared", answered, len(queries))
	}
}
