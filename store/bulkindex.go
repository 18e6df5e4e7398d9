package store

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"
)

// maxTermCache bounds the cache of Terms by evidence text during a bulk
// index pass; members of a network repeat each other's skills, so most
// texts are seen many times, and the cache is dropped whole when full.
const maxTermCache = 200_000

// writeIndex builds the search index of freshly loaded evidence in one
// pass: per member the summed score of every term (the same sums, in the
// same order, as refreshTerms makes from the evidence rows), streamed into
// member_terms by COPY, and every word of the evidence into the lexicon.
// ev's rows are grouped by member.
func writeIndex(ctx context.Context, tx pgx.Tx, networkID int64, ev *evidenceList, memberIDs []int64,
	orgOf func(member int) any, progress func(string, int, int)) error {
	cache := map[string][]string{}
	words := map[string]bool{}
	termsOf := func(text string) []string {
		if ts, ok := cache[text]; ok {
			return ts
		}
		if len(cache) >= maxTermCache {
			clear(cache)
		}
		ts := Terms(text)
		cache[text] = ts
		for _, w := range Words(text) {
			words[w] = true
		}
		return ts
	}
	total := len(memberIDs)
	scores := map[string]float64{}
	var order []string // the member's terms, sorted, for a stable COPY
	next := 0          // next evidence row
	member := -1       // member whose terms are being written
	k := 0             // next term of order
	var org any
	src := pgx.CopyFromFunc(func() ([]any, error) {
		for k == len(order) {
			if next == len(ev.rows) {
				return nil, nil
			}
			member = ev.rows[next].member
			if member%progressEvery == 0 {
				progress("index", member, total)
			}
			clear(scores)
			for ; next < len(ev.rows) && ev.rows[next].member == member; next++ {
				r := &ev.rows[next]
				sc := evidenceScore(float64(r.weight), r.at)
				for _, t := range termsOf(r.text) {
					scores[t] += sc
				}
			}
			order = order[:0]
			for t := range scores {
				order = append(order, t)
			}
			sort.Strings(order)
			k = 0
			org = orgOf(member)
		}
		t := order[k]
		k++
		return []any{memberIDs[member], t, networkID, org, scores[t]}, nil
	})
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"member_terms"}, []string{"member_id", "term", "network_id", "org_id", "score"}, src); err != nil {
		return fmt.Errorf("import search index: %w", interpret(err))
	}
	progress("index", total, total)
	lex := make([]string, 0, len(words))
	for w := range words {
		lex = append(lex, w)
	}
	sort.Strings(lex)
	i := 0
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"lexicon"}, []string{"network_id", "word", "en", "nl"}, pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(lex) {
			return nil, nil
		}
		en, nl := stemsOf(lex[i])
		i++
		return []any{networkID, lex[i-1], en, nl}, nil
	}))
	if err != nil {
		return fmt.Errorf("import lexicon: %w", interpret(err))
	}
	return nil
}
