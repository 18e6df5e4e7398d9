package store

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Expert is a member who matched a "who is good at" question, with the
// evidence that made them match.
type Expert struct {
	Member   Member
	Score    float64
	Evidence []Hit
}

// Hit is one matching piece of evidence.
type Hit struct {
	Kind string
	Text string
	At   time.Time
}

// OrgStrength is an organisation ranked by the summed scores of its
// matching members.
type OrgStrength struct {
	Name    string
	Score   float64
	Members int
}

// WhoResult answers a who-question.
type WhoResult struct {
	Experts []Expert
	Orgs    []OrgStrength
}

// Concept is one thing asked for: a word or a two-word phrase, with how
// much a match on it counts (synonyms count less than the words asked).
type Concept struct {
	Text   string
	Weight float64
}

// perTermCandidates bounds how many members each search term contributes
// before ranking. The five best members overall are all but certainly
// among the best few hundred of at least one term, and the bound keeps a
// query over a very common word as cheap as one over a rare word.
const perTermCandidates = 200

// fuzzyWeight is what a word counts for when it only resembles the word
// asked (a typo or inflection found by trigram similarity).
const fuzzyWeight = 0.8

// Who ranks the members of a network for the asked concepts. Each concept
// matches its written, English-stemmed and Dutch-stemmed forms (see
// Terms); single words of four or more letters that are not known in the
// network also match known words that look like them (pg_trgm
// similarity ≥ 0.5), which forgives typos. Per concept a member counts
// once, with their best-matching form; a member's score is the sum over
// concepts of weight × evidence score, decayed to now. It returns at most
// limit experts, their matching evidence, and three organisations.
func (q *Queries) Who(ctx context.Context, networkID int64, concepts []Concept, now time.Time, limit int) (WhoResult, error) {
	var res WhoResult
	terms, groups, weights, err := q.expand(ctx, networkID, concepts)
	if err != nil || len(terms) == 0 {
		return res, err
	}
	rows, err := q.db.Query(ctx, `
		WITH t AS (SELECT * FROM unnest($2::text[], $3::int[], $4::float8[]) AS t(term, g, w)),
		cand AS (
			SELECT mt.member_id, mt.org_id, t.g, mt.score * t.w AS s
			FROM t CROSS JOIN LATERAL (
				SELECT member_id, org_id, score FROM member_terms
				WHERE network_id = $1 AND term = t.term
				ORDER BY score DESC LIMIT $5) mt
		),
		per_concept AS (
			SELECT member_id, max(org_id) AS org_id, max(s) AS s FROM cand GROUP BY member_id, g
		),
		per_member AS (
			SELECT member_id, max(org_id) AS org_id, sum(s) AS score FROM per_concept GROUP BY member_id
		),
		top AS (SELECT member_id, score FROM per_member ORDER BY score DESC, member_id LIMIT $6),
		orgs AS (
			SELECT org_id, sum(score) AS score, count(*) AS n FROM per_member
			WHERE org_id IS NOT NULL GROUP BY org_id ORDER BY score DESC, org_id LIMIT 3
		)
		SELECT 'm', top.member_id, top.score, 0, '' FROM top
		UNION ALL
		SELECT 'o', o.id, orgs.score, orgs.n, o.name FROM orgs JOIN organisations o ON o.id = orgs.org_id`,
		networkID, terms, groups, weights, perTermCandidates, limit)
	if err != nil {
		return res, fmt.Errorf("who: %w", interpret(err))
	}
	for rows.Next() {
		var typ, name string
		var id int64
		var score float64
		var n int
		if err := rows.Scan(&typ, &id, &score, &n, &name); err != nil {
			rows.Close()
			return res, fmt.Errorf("who: %w", err)
		}
		switch typ {
		case "m":
			res.Experts = append(res.Experts, Expert{Member: Member{ID: id}, Score: decayAt(score, now)})
		case "o":
			res.Orgs = append(res.Orgs, OrgStrength{Name: name, Score: decayAt(score, now), Members: n})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("who: %w", interpret(err))
	}
	sort.SliceStable(res.Experts, func(i, j int) bool { return res.Experts[i].Score > res.Experts[j].Score })
	sort.SliceStable(res.Orgs, func(i, j int) bool { return res.Orgs[i].Score > res.Orgs[j].Score })
	if len(res.Experts) == 0 {
		return res, nil
	}
	return res, q.explain(ctx, &res, terms)
}

// expand turns concepts into the flat (term, concept index, weight) lists
// the ranking query takes, adding look-alike words for unknown words.
func (q *Queries) expand(ctx context.Context, networkID int64, concepts []Concept) ([]string, []int32, []float64, error) {
	var terms []string
	var groups []int32
	var weights []float64
	seen := map[[2]any]bool{}
	add := func(g int, forms []string, w float64) {
		for _, f := range forms {
			k := [2]any{g, f}
			if seen[k] {
				continue
			}
			seen[k] = true
			terms, groups, weights = append(terms, f), append(groups, int32(g)), append(weights, w)
		}
	}
	var single []string
	var singleGroup []int32
	for g, c := range concepts {
		forms := QueryForms(c.Text)
		add(g, forms, c.Weight)
		if ws := Words(c.Text); len(ws) == 1 && len([]rune(ws[0])) >= 4 {
			single = append(single, ws[0])
			singleGroup = append(singleGroup, int32(g))
		}
	}
	if len(single) == 0 {
		return terms, groups, weights, nil
	}
	rows, err := q.db.Query(ctx, `
		SELECT x.g, l.word FROM unnest($2::text[], $3::int[]) AS x(w, g)
		CROSS JOIN LATERAL (
			SELECT word FROM lexicon
			WHERE network_id = $1 AND word % x.w AND similarity(word, x.w) >= 0.5 AND word <> x.w
			ORDER BY similarity(word, x.w) DESC LIMIT 3) l
		WHERE NOT EXISTS (SELECT 1 FROM lexicon WHERE network_id = $1 AND word = x.w)`,
		networkID, single, singleGroup)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("who: fuzzy words: %w", interpret(err))
	}
	defer rows.Close()
	for rows.Next() {
		var g int32
		var word string
		if err := rows.Scan(&g, &word); err != nil {
			return nil, nil, nil, fmt.Errorf("who: fuzzy words: %w", err)
		}
		add(int(g), stems(word), concepts[g].Weight*fuzzyWeight)
	}
	return terms, groups, weights, interpret(rows.Err())
}

// explain loads the experts' member rows and the evidence that matched.
func (q *Queries) explain(ctx context.Context, res *WhoResult, terms []string) error {
	ids := make([]int64, len(res.Experts))
	for i, e := range res.Experts {
		ids[i] = e.Member.ID
	}
	members, err := q.membersByID(ctx, ids)
	if err != nil {
		return err
	}
	want := make(map[string]bool, len(terms))
	for _, t := range terms {
		want[t] = true
	}
	rows, err := q.db.Query(ctx, `SELECT member_id, kind, text, at FROM evidence
		WHERE member_id = ANY($1) ORDER BY at DESC`, ids)
	if err != nil {
		return fmt.Errorf("who: evidence: %w", interpret(err))
	}
	defer rows.Close()
	hits := map[int64][]Hit{}
	for rows.Next() {
		var id int64
		var h Hit
		if err := rows.Scan(&id, &h.Kind, &h.Text, &h.At); err != nil {
			return fmt.Errorf("who: evidence: %w", err)
		}
		for _, t := range Terms(h.Text) {
			if want[t] {
				hits[id] = append(hits[id], h)
				break
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("who: evidence: %w", interpret(err))
	}
	for i := range res.Experts {
		id := res.Experts[i].Member.ID
		res.Experts[i].Member = members[id]
		res.Experts[i].Evidence = hits[id]
	}
	return nil
}

func (q *Queries) membersByID(ctx context.Context, ids []int64) (map[int64]Member, error) {
	rows, err := q.db.Query(ctx, `SELECT `+memberColumns+`
		FROM members m LEFT JOIN organisations o ON o.id = m.org_id WHERE m.id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("members: %w", interpret(err))
	}
	defer rows.Close()
	out := make(map[int64]Member, len(ids))
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("members: %w", err)
		}
		out[m.ID] = m
	}
	return out, interpret(rows.Err())
}
