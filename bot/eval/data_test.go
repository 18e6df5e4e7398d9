package eval

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadFixture(t *testing.T) {
	ms, err := LoadMembers("testdata/members.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	qs, err := LoadQueries("testdata/queries.jsonl", ms)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 || len(qs) != 4 || !qs[3].NoAnswer() || qs[0].Relevant["m1"] != 2 {
		t.Fatalf("members %+v\nqueries %+v", ms, qs)
	}
}

func TestBadInputNamesFileAndLine(t *testing.T) {
	good := `{"id":"m1","skills":["x"]}` + "\n" + `{"id":"m2","skills":[]}` + "\n"
	for _, tc := range []struct {
		name, members, queries, want string
	}{
		{"malformed member", good + "{\"id\":\"m3\",\n", "", "members.jsonl:3: not a valid JSON object"},
		{"unknown field", `{"id":"m1","skils":["x"]}`, "", `members.jsonl:1: not a valid JSON object: json: unknown field "skils"`},
		{"missing id", `{"skills":["x"]}`, "", `members.jsonl:1: "id" is missing`},
		{"missing skills", `{"id":"m1"}`, "", `members.jsonl:1: member "m1": "skills" is missing`},
		{"duplicate", good + `{"id":"m1","skills":[]}`, "", `members.jsonl:3: member "m1" appears twice (first on line 1)`},
		{"unknown endorser", `{"id":"m1","skills":[],"endorsements":[{"by":"m9","skill":"x"}]}`, "", `members.jsonl:1: member "m1" is endorsed by unknown member "m9"`},
		{"self endorsement", `{"id":"m1","skills":[],"endorsements":[{"by":"m1","skill":"x"}]}`, "", `members.jsonl:1: member "m1" endorses themselves`},
		{"unknown relevant", good, `{"id":"q1","text":"who x","relevant":{"m7":2}}`, `queries.jsonl:1: query "q1": unknown member "m7" in relevant`},
		{"bad grade", good, "\n" + `{"id":"q1","text":"who x","relevant":{"m1":0}}`, `queries.jsonl:2: query "q1": grade of "m1" is 0`},
		{"missing relevant", good, `{"id":"q1","text":"who x"}`, `queries.jsonl:1: query "q1": "relevant" is missing`},
		{"missing text", good, `{"id":"q1","relevant":{}}`, `queries.jsonl:1: query "q1": "text" is missing`},
		{"two values", good, `{"id":"q1","text":"who x","relevant":{}} {}`, `queries.jsonl:1: more than one JSON value`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mp := write(t, "members.jsonl", tc.members)
			ms, err := LoadMembers(mp)
			if err == nil && tc.queries != "" {
				_, err = LoadQueries(write(t, "queries.jsonl", tc.queries), ms)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("%v is not a LineError", err)
			}
		})
	}
	if _, err := LoadMembers(filepath.Join(t.TempDir(), "missing.jsonl")); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "missing.jsonl") {
		t.Fatalf("missing file: %v", err)
	}
}
