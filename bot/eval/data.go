// Package eval measures how well Knoop answers "who is good at X?": it
// loads a labelled network (members and their evidence) into a store,
// asks every labelled question the way a member would, and scores the
// answers with the usual ranking metrics, for Knoop's ranker and for a
// plain BM25 baseline on the same data.
package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Member is one line of a members file. Only ID and Skills are required.
type Member struct {
	ID           string        `json:"id"`
	Name         string        `json:"name,omitempty"`
	Org          string        `json:"org,omitempty"`
	Lang         string        `json:"lang,omitempty"`
	Skills       []string      `json:"skills"`
	Delivered    []string      `json:"delivered,omitempty"`
	Endorsements []Endorsement `json:"endorsements,omitempty"`
}

// Endorsement says member By vouches for Skill.
type Endorsement struct {
	By    string `json:"by"`
	Skill string `json:"skill"`
}

// Query is one line of a queries file: a question as a member types it
// and graded judgements (member id → grade ≥ 1; absent means not
// relevant). An empty Relevant means nobody in the network is relevant,
// and the right answer is "nobody".
type Query struct {
	ID string `json:"id"`
	// Topic names what the question is about; the paraphrases and
	// translations of one question share it, and with it their half
	// (see Half). Optional.
	Topic    string         `json:"topic,omitempty"`
	Text     string         `json:"text"`
	Lang     string         `json:"lang,omitempty"`
	Group    string         `json:"group,omitempty"`
	Relevant map[string]int `json:"relevant"`
}

// NoAnswer reports whether nobody is relevant to the query.
func (q Query) NoAnswer() bool { return len(q.Relevant) == 0 }

// LineError is bad input, naming the file and line.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// readLines calls fn with each non-blank line of a JSON-lines file,
// decoded strictly into a fresh T.
func readLines[T any](path string, fn func(line int, v T) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return decodeLines(path, f, fn)
}

func decodeLines[T any](name string, r io.Reader, fn func(line int, v T) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	n := 0
	for sc.Scan() {
		n++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var v T
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			return &LineError{name, n, fmt.Errorf("not a valid JSON object: %w", err)}
		}
		if dec.More() {
			return &LineError{name, n, errors.New("more than one JSON value on the line")}
		}
		if err := fn(n, v); err != nil {
			return &LineError{name, n, err}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// LoadMembers reads and checks a members file: ids present and unique,
// skills present, endorsers known members other than the endorsee.
func LoadMembers(path string) ([]Member, error) {
	var out []Member
	seen := map[string]bool{}
	lines := map[string]int{}
	err := readLines(path, func(line int, m Member) error {
		m.ID = strings.TrimSpace(m.ID)
		switch {
		case m.ID == "":
			return errors.New(`"id" is missing`)
		case seen[m.ID]:
			return fmt.Errorf("member %q appears twice (first on line %d)", m.ID, lines[m.ID])
		case m.Skills == nil:
			return fmt.Errorf(`member %q: "skills" is missing`, m.ID)
		}
		for _, e := range m.Endorsements {
			if strings.TrimSpace(e.By) == "" || strings.TrimSpace(e.Skill) == "" {
				return fmt.Errorf("member %q: an endorsement needs \"by\" and \"skill\"", m.ID)
			}
		}
		seen[m.ID], lines[m.ID] = true, line
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Endorsers may appear later in the file, so they are checked last.
	for _, m := range out {
		for _, e := range m.Endorsements {
			switch {
			case !seen[e.By]:
				return nil, &LineError{path, lines[m.ID], fmt.Errorf("member %q is endorsed by unknown member %q", m.ID, e.By)}
			case e.By == m.ID:
				return nil, &LineError{path, lines[m.ID], fmt.Errorf("member %q endorses themselves", m.ID)}
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no members", path)
	}
	return out, nil
}

// LoadQueries reads and checks a queries file against the members: ids
// present and unique, text present, judged members known, grades ≥ 1.
func LoadQueries(path string, members []Member) ([]Query, error) {
	known := make(map[string]bool, len(members))
	for _, m := range members {
		known[m.ID] = true
	}
	var out []Query
	seen := map[string]bool{}
	err := readLines(path, func(line int, q Query) error {
		switch {
		case strings.TrimSpace(q.ID) == "":
			return errors.New(`"id" is missing`)
		case seen[q.ID]:
			return fmt.Errorf("query %q appears twice", q.ID)
		case strings.TrimSpace(q.Text) == "":
			return fmt.Errorf(`query %q: "text" is missing`, q.ID)
		case q.Relevant == nil:
			return fmt.Errorf(`query %q: "relevant" is missing (use {} when nobody is)`, q.ID)
		}
		for id, g := range q.Relevant {
			if !known[id] {
				return fmt.Errorf("query %q: unknown member %q in relevant", q.ID, id)
			}
			if g < 1 {
				return fmt.Errorf("query %q: grade of %q is %d; grades are ≥ 1 (leave irrelevant members out)", q.ID, id, g)
			}
		}
		if q.Group == "" {
			q.Group = "ungrouped"
		}
		seen[q.ID] = true
		out = append(out, q)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no queries", path)
	}
	return out, nil
}
