package store

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Evidence kinds, in the words the why-line uses.
const (
	KindDeclared  = "declared"
	KindEndorsed  = "endorsed"
	KindDelivered = "delivered"
)

// Evidence weights: a delivery says more than a claim; an endorsement from
// someone who received a delivery from the endorsee counts double.
const (
	WeightDeclared         = 1.0
	WeightEndorsed         = 0.6
	WeightEndorsedReceiver = 1.2
	WeightDelivered        = 2.0
)

// decayDays is the e-folding time of evidence: a year-old declaration
// counts for about a third of a fresh one.
const decayDays = 365.0

var scoreEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// evidenceScore is a row's contribution to member_terms (see the migration
// for why decay is taken relative to a fixed epoch).
func evidenceScore(weight float64, at time.Time) float64 {
	return weight * math.Exp(at.Sub(scoreEpoch).Hours()/24/decayDays)
}

// decayAt converts a stored score to its value as seen at now.
func decayAt(score float64, now time.Time) float64 {
	return score * math.Exp(-now.Sub(scoreEpoch).Hours()/24/decayDays)
}

// addEvidence records one piece of evidence, its words in the lexicon, and
// refreshes the member's search terms. Callers run it in the transaction
// that writes the source row.
func (q *Queries) addEvidence(ctx context.Context, memberID int64, kind string, sourceID int64, text string, weight float64, at time.Time) error {
	if err := q.insertEvidence(ctx, memberID, kind, sourceID, text, weight, at); err != nil {
		return err
	}
	return q.refreshTerms(ctx, memberID)
}

// insertEvidence is addEvidence without refreshing the member's terms.
func (q *Queries) insertEvidence(ctx context.Context, memberID int64, kind string, sourceID int64, text string, weight float64, at time.Time) error {
	_, err := q.db.Exec(ctx, `
		WITH m AS (SELECT network_id FROM members WHERE id = $1),
		ins AS (
			INSERT INTO evidence (network_id, member_id, kind, source_id, text, weight, at)
			SELECT m.network_id, $1, $2, $3, $4, $5, $6 FROM m
		)
		INSERT INTO lexicon (network_id, word, en, nl)
		SELECT DISTINCT m.network_id, w, en, nl FROM m, unnest($7::text[], $8::text[], $9::text[]) AS x(w, en, nl)
		ON CONFLICT DO NOTHING`, append([]any{memberID, kind, sourceID, text, weight, at}, lexiconArgs(Words(text))...)...)
	if err != nil {
		return fmt.Errorf("add evidence: %w", interpret(err))
	}
	return nil
}

func (q *Queries) removeEvidence(ctx context.Context, memberID int64, kind string, sourceID int64) error {
	_, err := q.db.Exec(ctx, `DELETE FROM evidence WHERE kind = $1 AND source_id = $2`, kind, sourceID)
	if err != nil {
		return fmt.Errorf("remove evidence: %w", interpret(err))
	}
	return q.refreshTerms(ctx, memberID)
}

// refreshTerms rebuilds a member's rows in member_terms from their
// evidence. The member row is locked first, so two transactions changing
// one member's evidence take turns instead of racing on the index. The
// lock is FOR NO KEY UPDATE: it must not conflict with the key-share
// locks that foreign keys take, or two members endorsing each other at
// once deadlock (each transaction holds a key-share lock on its endorser
// and waits for the other's endorsee).
func (q *Queries) refreshTerms(ctx context.Context, memberID int64) error {
	var networkID int64
	var orgID *int64
	if err := q.db.QueryRow(ctx, `SELECT network_id, org_id FROM members WHERE id = $1 FOR NO KEY UPDATE`, memberID).Scan(&networkID, &orgID); err != nil {
		return fmt.Errorf("refresh terms: %w", interpret(err))
	}
	rows, err := q.db.Query(ctx, `SELECT text, weight, at FROM evidence WHERE member_id = $1`, memberID)
	if err != nil {
		return fmt.Errorf("refresh terms: %w", interpret(err))
	}
	scores := map[string]float64{}
	for rows.Next() {
		var text string
		var weight float64
		var at time.Time
		if err := rows.Scan(&text, &weight, &at); err != nil {
			rows.Close()
			return fmt.Errorf("refresh terms: %w", err)
		}
		s := evidenceScore(weight, at)
		for _, t := range Terms(text) {
			scores[t] += s
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("refresh terms: %w", interpret(err))
	}
	terms := make([]string, 0, len(scores))
	vals := make([]float64, 0, len(scores))
	for t, s := range scores {
		terms = append(terms, t)
		vals = append(vals, s)
	}
	if _, err := q.db.Exec(ctx, `DELETE FROM member_terms WHERE member_id = $1`, memberID); err != nil {
		return fmt.Errorf("refresh terms: %w", interpret(err))
	}
	_, err = q.db.Exec(ctx, `INSERT INTO member_terms (member_id, term, network_id, org_id, score)
		SELECT $1, t, $2, $3, s FROM unnest($4::text[], $5::float8[]) AS x(t, s)`, memberID, networkID, orgID, terms, vals)
	if err != nil {
		return fmt.Errorf("refresh terms: %w", interpret(err))
	}
	return nil
}

// lexiconArgs are the word, English-stem and Dutch-stem arrays of words.
func lexiconArgs(words []string) []any {
	ens, nls := make([]string, len(words)), make([]string, len(words))
	for i, w := range words {
		ens[i], nls[i] = stemsOf(w)
	}
	return []any{words, ens, nls}
}
