package store

import (
	"context"
	"fmt"
)

// RelatedWord is a word several given members have in their evidence.
type RelatedWord struct {
	Word    string
	Members int     // how many of the given members have it
	Score   float64 // their summed evidence score for it
}

// RelatedWords returns the words (as written, from the lexicon) that at
// least minMembers of the given members have in their evidence, most
// shared first, then by summed score; at most limit. It is the network's
// own knowledge of what goes together: the experts of a topic share the
// skills around it.
func (q *Queries) RelatedWords(ctx context.Context, networkID int64, memberIDs []int64, minMembers, limit int) ([]RelatedWord, error) {
	rows, err := q.db.Query(ctx, `
		SELECT mt.term, count(*)::int, sum(mt.score)
		FROM member_terms mt
		JOIN lexicon l ON l.network_id = $1 AND l.word = mt.term
		WHERE mt.member_id = ANY($2) AND mt.network_id = $1
		GROUP BY mt.term HAVING count(*) >= $3
		ORDER BY count(*) DESC, sum(mt.score) DESC, mt.term LIMIT $4`, networkID, memberIDs, minMembers, limit)
	if err != nil {
		return nil, fmt.Errorf("related words: %w", interpret(err))
	}
	defer rows.Close()
	var out []RelatedWord
	for rows.Next() {
		var r RelatedWord
		if err := rows.Scan(&r.Word, &r.Members, &r.Score); err != nil {
			return nil, fmt.Errorf("related words: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
