package store

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"
)

// Expert is a member who matched a "who is good at" question, with the
// evidence that made them match.
type Expert struct {
	Member   Member
	Score    float64
	Coverage float64 // share of the asked words the member matched, 0..1
	// Matched has bit i set when the member matched concept i of the
	// question (the first 64 concepts).
	Matched  uint64
	Evidence []Hit
	// Basis says how the member was found (filled by the caller that
	// built the concepts): "direct" (the asked words, their typos and the
	// network's vocabulary), "translated" (a dictionary or cognate
	// translation) or "inferred" (related words of the network's own
	// data); Via the translated or related words that matched.
	Basis string
	Via   []string
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
	// Partial: nobody matched the whole question; Experts are the
	// closest, covering the words in Covered (set by the caller).
	Partial bool
	Covered []string
}

// Concept is one thing asked for: a word or a two-word phrase, with how
// much a match on it counts (synonyms count less than the words asked)
// and which parts of the question it stands for, as a bit set over the
// asked words (Covers 0: all of them).
type Concept struct {
	Text   string
	Weight float64
	Covers uint32
	// Exact concepts match only their own forms, not look-alike words:
	// synonyms from a vocabulary are spelt right, and looking up their
	// look-alikes costs time and finds unrelated words.
	Exact bool
}

// perTermCandidates bounds how many members each search term contributes
// before ranking. The five best members overall are all but certainly
// among the best few hundred of at least one term, and the bound keeps a
// query over a very common word as cheap as one over a rare word.
const perTermCandidates = 100

// fuzzyWeight is what a word counts for when it only resembles the word
// asked (a typo or inflection found by trigram similarity).
const fuzzyWeight = 0.8

// Who ranks the members of a network for the asked concepts. Each concept
// matches its written, English-stemmed and Dutch-stemmed forms (see
// Terms); single words of four or more letters that are not known in the
// network also match known words that look like them (pg_trgm
// similarity ≥ 0.5, at most two letters longer or shorter), which
// forgives typos but does not take "productie" for "filmproductie". Per
// concept a member counts once, with their best-matching form. A member's
// coverage is the share of the asked words their matched concepts stand
// for (see Concept.Covers); their score is the sum over concepts of
// weight × evidence score, decayed to now, times coverage squared, so a
// member who matches the whole question ranks above one who matches a
// word of it. It returns at most limit experts, their matching evidence,
// and three organisations.
//
// Everything is one statement, so a question costs one round trip.
func (q *Queries) Who(ctx context.Context, networkID int64, concepts []Concept, now time.Time, limit int) (WhoResult, error) {
	var res WhoResult
	var terms, single []string
	var groups, singleGroups []int32
	var weights, singleWeights []float64
	var covers, singleCovers []int64
	var all uint32
	for _, c := range concepts {
		all |= c.Covers
	}
	seen := map[string]bool{}
	for g, c := range concepts {
		cov := c.Covers
		if cov == 0 {
			cov = all
		}
		for _, f := range QueryForms(c.Text) {
			key := fmt.Sprint(g, "\x00", f)
			if seen[key] {
				continue
			}
			seen[key] = true
			terms, groups, weights, covers = append(terms, f), append(groups, int32(g)), append(weights, c.Weight), append(covers, int64(cov))
		}
		if ws := Words(c.Text); !c.Exact && len(ws) == 1 && len([]rune(ws[0])) >= 4 {
			single, singleGroups, singleWeights = append(single, ws[0]), append(singleGroups, int32(g)), append(singleWeights, c.Weight*fuzzyWeight)
			singleCovers = append(singleCovers, int64(cov))
		}
	}
	// Typos as people make them (a swap, a letter missing, doubled or
	// wrong) of words the network knows; the trigram path in the
	// statement catches look-alikes further away.
	if len(single) > 0 {
		typos, err := q.typosFor(ctx, networkID)
		if err != nil {
			return res, fmt.Errorf("who: %w", err)
		}
		for i, w := range single {
			for _, near := range typos.Near(w) {
				for _, f := range stems(near) {
					key := fmt.Sprint(singleGroups[i], "\x00", f)
					if seen[key] {
						continue
					}
					seen[key] = true
					terms, groups, weights, covers = append(terms, f), append(groups, singleGroups[i]), append(weights, singleWeights[i]), append(covers, singleCovers[i])
				}
			}
		}
	}
	if len(terms) == 0 {
		return res, nil
	}
	rows, err := q.db.Query(ctx, whoSQL, networkID, terms, groups, weights, single, singleGroups, singleWeights,
		perTermCandidates, limit, covers, singleCovers, int64(all))
	if err != nil {
		return res, fmt.Errorf("who: %w", interpret(err))
	}
	defer rows.Close()
	want := make(map[string]bool, len(terms))
	for _, t := range terms {
		want[t] = true
	}
	index := map[int64]int{}
	var ranks []float64
	type memberHit struct {
		id  int64
		hit Hit
	}
	var hits []memberHit
	for rows.Next() {
		var (
			typ, name, kind, text string
			id                    int64
			score, coverage       float64
			n                     int64
			at                    time.Time
			m                     Member
		)
		err := rows.Scan(&typ, &id, &score, &coverage, &n, &name, &kind, &text, &at,
			&m.NetworkID, &m.Platform, &m.PlatformUserID, &m.DisplayName, &m.OrgID, &m.OrgName,
			&m.Timezone, &m.Language, &m.AwayUntil, &m.Forgotten, &m.CreatedAt)
		if err != nil {
			return res, fmt.Errorf("who: %w", err)
		}
		switch typ {
		case "t": // a look-alike word's forms
			for _, f := range []string{name, kind, text} {
				want[f] = true
			}
		case "m":
			m.ID = id
			if m.AwayUntil.Year() == 1 {
				m.AwayUntil = time.Time{}
			}
			index[id] = len(res.Experts)
			res.Experts = append(res.Experts, Expert{Member: m, Score: decayAt(score, now), Coverage: coverage, Matched: uint64(n)})
			ranks = append(ranks, math.Round(score*1e9))
		case "o":
			res.Orgs = append(res.Orgs, OrgStrength{Name: name, Score: decayAt(score, now), Members: int(n)})
		case "e":
			hits = append(hits, memberHit{id, Hit{Kind: kind, Text: text, At: at}})
		}
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("who: %w", interpret(err))
	}
	for _, h := range hits {
		if i, ok := index[h.id]; ok && matches(h.hit.Text, want) {
			res.Experts[i].Evidence = append(res.Experts[i].Evidence, h.hit)
		}
	}
	// Rank as the statement did (the join that fetched the members need
	// not keep its order): by rounded stored score, ties by member id.
	order := make([]int, len(res.Experts))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := order[a], order[b]
		if ranks[x] != ranks[y] {
			return ranks[x] > ranks[y]
		}
		return res.Experts[x].Member.ID < res.Experts[y].Member.ID
	})
	experts := make([]Expert, len(order))
	for i, k := range order {
		experts[i] = res.Experts[k]
	}
	res.Experts = experts
	sort.SliceStable(res.Orgs, func(i, j int) bool { return res.Orgs[i].Score > res.Orgs[j].Score })
	return res, nil
}

// whoSQL: $1 network, $2-$4 terms with concept index and weight, $5-$7
// single words to forgive typos in, $8 candidates per term, $9 limit,
// $10 and $11 the word sets the terms and single words cover, $12 the
// set of all asked words (0: coverage is not counted).
const whoSQL = `
WITH missing AS MATERIALIZED (
	SELECT x.word, x.g, x.w, x.c FROM unnest($5::text[], $6::int[], $7::float8[], $11::bigint[]) AS x(word, g, w, c)
	WHERE NOT EXISTS (SELECT 1 FROM lexicon WHERE network_id = $1 AND word = x.word)
),
fuzzy AS MATERIALIZED (
	SELECT m.g, m.w, m.c, l.word, l.en, l.nl FROM missing m
	CROSS JOIN LATERAL (
		SELECT word, en, nl FROM lexicon
		WHERE network_id = $1 AND word % m.word AND similarity(word, m.word) >= 0.5
			AND abs(length(word) - length(m.word)) <= 2
		ORDER BY similarity(word, m.word) DESC, word LIMIT 3) l
),
t AS (
	SELECT term, g, max(w) AS w, bit_or(c) AS c FROM (
		SELECT * FROM unnest($2::text[], $3::int[], $4::float8[], $10::bigint[]) AS i(term, g, w, c)
		UNION ALL
		SELECT unnest(ARRAY[word, en, nl]), g, w, c FROM fuzzy
	) all_terms GROUP BY term, g
),
cand AS (
	SELECT mt.member_id, mt.org_id, t.g, t.c, mt.score * t.w AS s
	FROM t CROSS JOIN LATERAL (
		SELECT member_id, org_id, score FROM member_terms
		WHERE network_id = $1 AND term = t.term
		ORDER BY score DESC LIMIT $8) mt
),
per_concept AS (
	SELECT member_id, g, max(org_id) AS org_id, max(s) AS s, bit_or(c) AS c FROM cand GROUP BY member_id, g
),
per_member AS (
	SELECT member_id, max(org_id) AS org_id, sum(s) AS raw,
		bit_or(CASE WHEN g < 64 THEN 1::bigint << g ELSE 0 END) AS matched,
		CASE WHEN $12::bigint = 0 THEN 1.0
			ELSE bit_count((bit_or(c) & $12::bigint)::bit(64))::float8 / bit_count($12::bigint::bit(64)) END AS coverage
	FROM per_concept GROUP BY member_id
),
ranked AS (
	SELECT member_id, org_id, raw * coverage * coverage AS score, coverage, matched FROM per_member
),
top AS MATERIALIZED (
	-- Scores are rounded before ties are broken, so members with the same
	-- evidence rank the same way whatever order the sums were taken in.
	SELECT member_id, score, coverage, matched FROM ranked ORDER BY round(score * 1e9) DESC, member_id LIMIT $9
),
orgs AS (
	SELECT org_id, sum(score) AS score, count(*) AS n FROM ranked
	WHERE org_id IS NOT NULL GROUP BY org_id ORDER BY score DESC, org_id LIMIT 3
)
SELECT 't', 0::bigint, 0::float8, 0::float8, 0::bigint, word, en, nl, now(),
	0::bigint, '', '', '', 0::bigint, '', '', '', '0001-01-01'::date, false, now()
FROM fuzzy
UNION ALL
SELECT 'm', top.member_id, top.score, top.coverage, top.matched, '', '', '', now(),
	m.network_id, m.platform, coalesce(m.platform_user_id, ''), m.display_name, coalesce(m.org_id, 0),
	coalesce(o.name, ''), coalesce(m.timezone, ''), coalesce(m.language, ''),
	coalesce(m.away_until, '0001-01-01'::date), m.forgotten_at IS NOT NULL, m.created_at
FROM top JOIN members m ON m.id = top.member_id LEFT JOIN organisations o ON o.id = m.org_id
UNION ALL
SELECT 'o', o.id, orgs.score, 0, orgs.n, o.name, '', '', now(),
	0, '', '', '', 0, '', '', '', '0001-01-01'::date, false, now()
FROM orgs JOIN organisations o ON o.id = orgs.org_id
UNION ALL
SELECT 'e', e.member_id, 0, 0, 0::bigint, '', e.kind, e.text, e.at,
	0, '', '', '', 0, '', '', '', '0001-01-01'::date, false, now()
FROM top JOIN evidence e ON e.member_id = top.member_id`

// matches reports whether any term of text is wanted.
func matches(text string, want map[string]bool) bool {
	for _, t := range Terms(text) {
		if want[t] {
			return true
		}
	}
	return false
}
