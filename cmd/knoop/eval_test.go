package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"knoop/store/storetest"
)

const (
	fixtureMembers = "../../bot/eval/testdata/members.jsonl"
	fixtureQueries = "../../bot/eval/testdata/queries.jsonl"
)

// evalSchemas counts the scratch schemas knoop eval left behind.
func evalSchemas(t *testing.T) int {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, storetest.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n int
	if err := c.QueryRow(ctx, `SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'knoop\_eval\_%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEvalOnFixture(t *testing.T) {
	env := map[string]string{"KNOOP_DATABASE_URL": storetest.URL()}
	r := knoop(t, env, nil, "eval", "--members", fixtureMembers, "--queries", fixtureQueries)
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{"3 members, 4 questions", "MRR", "nDCG@10", "nobody", "p95 ms", "knoop", "bm25",
		"monolingual", "cross-language", "no-answer"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if n := evalSchemas(t); n != 0 {
		t.Errorf("%d scratch schemas left behind", n)
	}

	r = knoop(t, env, nil, "eval", "--members", fixtureMembers, "--queries", fixtureQueries, "--ranker", "knoop", "--json")
	if r.code != 0 {
		t.Fatal(r)
	}
	var doc struct {
		Results []struct {
			Ranker string
			Groups []struct {
				Group  string
				MRR    float64 `json:"mrr"`
				Nobody float64 `json:"nobody"`
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("--json: %v\n%s", err, r.stdout)
	}
	if len(doc.Results) != 1 || doc.Results[0].Ranker != "knoop" || doc.Results[0].Groups[0].Group != "all" {
		t.Fatalf("--json: %+v", doc)
	}
	// The fixture is easy: Knoop answers every question right.
	if g := doc.Results[0].Groups[0]; g.MRR != 1 || g.Nobody != 1 {
		t.Errorf("knoop on the fixture: %+v", g)
	}
}

func TestEvalBM25NeedsNoDatabase(t *testing.T) {
	t.Parallel()
	r := knoop(t, map[string]string{"KNOOP_DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}, nil,
		"eval", "--members", fixtureMembers, "--queries", fixtureQueries, "--ranker", "bm25")
	if r.code != 0 || !strings.Contains(r.stdout, "bm25") || strings.Contains(r.stdout, "knoop ") {
		t.Fatal(r)
	}
	// The halves of a set are asked apart and add up to the whole set.
	n := 0
	for _, half := range []string{"dev", "test"} {
		r := knoop(t, map[string]string{"KNOOP_DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}, nil,
			"eval", "--members", "../../testdata/eval/members.jsonl", "--queries", "../../testdata/eval/queries.jsonl",
			"--ranker", "bm25", "--half", half)
		var k int
		if _, err := fmt.Sscanf(r.stdout, "330 members, %d questions (half: "+half+")", &k); r.code != 0 || err != nil {
			t.Fatalf("--half %s: %v\n%v", half, err, r)
		}
		n += k
	}
	if n != 174 {
		t.Errorf("dev and test hold %d questions, the set %d", n, 174)
	}
}

func TestEvalBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte(`{"id":"m1","skills":["x"]}`+"\n"+`{"id":"m2","skills":[`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	unknown := filepath.Join(dir, "unknown.jsonl")
	if err := os.WriteFile(unknown, []byte(`{"id":"q1","text":"who x","relevant":{"m9":1}}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"eval"}, 2, "--members and --queries are required"},
		{[]string{"eval", "--members", fixtureMembers, "--queries", fixtureQueries, "--ranker", "tfidf"}, 2, "--ranker must be"},
		{[]string{"eval", "--members", fixtureMembers, "--queries", fixtureQueries, "--half", "train"}, 2, `unknown half "train"`},
		{[]string{"eval", "--members", filepath.Join(dir, "none.jsonl"), "--queries", fixtureQueries}, 1, "none.jsonl"},
		{[]string{"eval", "--members", bad, "--queries", fixtureQueries}, 1, "bad.jsonl:2: not a valid JSON object"},
		{[]string{"eval", "--members", fixtureMembers, "--queries", unknown}, 1, `unknown.jsonl:1: query "q1": unknown member "m9"`},
	} {
		r := knoop(t, nil, nil, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("knoop %s: want exit %d and %q\n%v", strings.Join(tc.args, " "), tc.code, tc.want, r)
		}
		if strings.Contains(r.stderr, "using") {
			t.Errorf("knoop %s opened a database before refusing", strings.Join(tc.args, " "))
		}
	}
}
