package store

import (
	"context"
	"fmt"
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

// addEvidence records one searchable piece of evidence and its words.
// Callers run it in the transaction that writes the source row.
func (q *Queries) addEvidence(ctx context.Context, memberID int64, kind string, sourceID int64, text string, weight float64, at time.Time) error {
	_, err := q.db.Exec(ctx, `
		WITH m AS (SELECT network_id FROM members WHERE id = $1),
		ins AS (
			INSERT INTO evidence (network_id, member_id, kind, source_id, text, tsv, weight, at)
			SELECT m.network_id, $1, $2, $3, $4, knoop_tsv($4), $5, $6 FROM m
		)
		INSERT INTO lexicon (network_id, word)
		SELECT DISTINCT m.network_id, w
		FROM m, unnest(tsvector_to_array(to_tsvector('simple', public.unaccent($4)))) AS w
		WHERE length(w) BETWEEN 3 AND 40
		ON CONFLICT DO NOTHING`, memberID, kind, sourceID, text, weight, at)
	if err != nil {
		return fmt.Errorf("add evidence: %w", interpret(err))
	}
	return nil
}

func (q *Queries) removeEvidence(ctx context.Context, kind string, sourceID int64) error {
	_, err := q.db.Exec(ctx, `DELETE FROM evidence WHERE kind = $1 AND source_id = $2`, kind, sourceID)
	if err != nil {
		return fmt.Errorf("remove evidence: %w", interpret(err))
	}
	return nil
}
