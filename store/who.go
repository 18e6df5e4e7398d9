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

// OrgStrength is an organisation ranked by the summed scores of its members.
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

// decayDays is the e-folding time of evidence: a year-old declaration
// counts for about a third of a fresh one.
const decayDays = 365.0

// Who ranks the members of a network for the given terms (words or short
// phrases, lower-cased, stop words removed, synonyms added by the caller).
// Each term also matches its English and Dutch stems, unaccented; a
// phrase matches where all its words occur. Single words of four or more
// letters also match the network's known words that look like them
// (trigram similarity), which forgives typos and inflections. A member's
// score sums, over matching evidence, weight × decay × (0.5 + text rank).
// It returns at most limit experts and three organisations.
func (q *Queries) Who(ctx context.Context, networkID int64, words []string, now time.Time, limit int) (WhoResult, error) {
	var res WhoResult
	if len(words) == 0 {
		return res, nil
	}
	rows, err := q.db.Query(ctx, `
		WITH toks AS (SELECT DISTINCT t FROM unnest($2::text[]) AS t WHERE t <> ''),
		words AS (
			SELECT t AS w FROM toks
			UNION
			SELECT l.word FROM toks CROSS JOIN LATERAL (
				SELECT word FROM lexicon
				WHERE network_id = $1 AND length(toks.t) >= 4 AND strpos(toks.t, ' ') = 0 AND word % toks.t
					AND similarity(word, toks.t) >= 0.5
				ORDER BY similarity(word, toks.t) DESC LIMIT 3) l
		),
		q AS (SELECT tsquery_or_agg(knoop_tsq(w)) AS q FROM words),
		hits AS (
			SELECT e.member_id, e.kind, e.text, e.at,
				e.weight * exp(-greatest(0, extract(epoch FROM $3::timestamptz - e.at)) / 86400.0 / $4)
					* (0.5 + ts_rank(e.tsv, q.q)) AS s
			FROM evidence e, q
			WHERE e.network_id = $1 AND e.tsv @@ q.q
		),
		per_member AS (SELECT member_id, sum(s) AS score FROM hits GROUP BY member_id),
		top AS (SELECT member_id, score FROM per_member ORDER BY score DESC, member_id LIMIT $5),
		orgs AS (
			SELECT m.org_id, sum(pm.score) AS score, count(*) AS n
			FROM per_member pm JOIN members m ON m.id = pm.member_id
			WHERE m.org_id IS NOT NULL
			GROUP BY m.org_id ORDER BY score DESC, m.org_id LIMIT 3
		)
		SELECT 'm', top.member_id, top.score, 0, '', '', now() FROM top
		UNION ALL
		SELECT 'o', o.id, orgs.score, orgs.n, o.name, '', now() FROM orgs JOIN organisations o ON o.id = orgs.org_id
		UNION ALL
		SELECT 'e', h.member_id, h.s, 0, h.kind, h.text, h.at FROM hits h JOIN top USING (member_id)`,
		networkID, words, now, decayDays, limit)
	if err != nil {
		return res, fmt.Errorf("who: %w", interpret(err))
	}
	defer rows.Close()
	index := map[int64]int{}
	type memberHit struct {
		id  int64
		hit Hit
	}
	var hits []memberHit
	for rows.Next() {
		var typ, kind, text string
		var id int64
		var score float64
		var n int
		var at time.Time
		if err := rows.Scan(&typ, &id, &score, &n, &kind, &text, &at); err != nil {
			return res, fmt.Errorf("who: %w", err)
		}
		switch typ {
		case "m":
			index[id] = len(res.Experts)
			res.Experts = append(res.Experts, Expert{Member: Member{ID: id}, Score: score})
		case "o":
			res.Orgs = append(res.Orgs, OrgStrength{Name: kind, Score: score, Members: n})
		case "e":
			hits = append(hits, memberHit{id, Hit{Kind: kind, Text: text, At: at}})
		}
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("who: %w", interpret(err))
	}
	for _, h := range hits {
		if i, ok := index[h.id]; ok {
			res.Experts[i].Evidence = append(res.Experts[i].Evidence, h.hit)
		}
	}
	ids := make([]int64, len(res.Experts))
	for i, e := range res.Experts {
		ids[i] = e.Member.ID
	}
	members, err := q.membersByID(ctx, ids)
	if err != nil {
		return res, err
	}
	for i := range res.Experts {
		res.Experts[i].Member = members[res.Experts[i].Member.ID]
	}
	sort.SliceStable(res.Orgs, func(i, j int) bool { return res.Orgs[i].Score > res.Orgs[j].Score })
	return res, nil
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
