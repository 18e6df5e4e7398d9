package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"knoop/store/lexicon"
)

// typoRecheck is how often a network's cached word list is checked
// against the lexicon table: new words appear as members write, and a
// typo of a word written in the last half minute is not corrected yet.
const typoRecheck = 30 * time.Second

// typoCache holds, per network, its lexicon indexed for typo matching
// (lexicon.Typos), keyed by the lexicon's version: its number of words
// (the table only grows). One per Store, shared by its goroutines.
type typoCache struct {
	mu   sync.Mutex
	nets map[int64]*netTypos
}

type netTypos struct {
	mu      sync.Mutex // one load at a time per network
	typos   *lexicon.Typos
	version int64
	checked time.Time
}

// typosFor returns the network's typo index, loading it when it is older
// than typoRecheck and the lexicon has grown since.
func (q *Queries) typosFor(ctx context.Context, networkID int64) (*lexicon.Typos, error) {
	if q.typos == nil {
		return nil, nil
	}
	c := q.typos
	c.mu.Lock()
	if c.nets == nil {
		c.nets = map[int64]*netTypos{}
	}
	n := c.nets[networkID]
	if n == nil {
		n = &netTypos{}
		c.nets[networkID] = n
	}
	c.mu.Unlock()
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.typos != nil && time.Since(n.checked) < typoRecheck {
		return n.typos, nil
	}
	var version int64
	if err := q.db.QueryRow(ctx, `SELECT count(*) FROM lexicon WHERE network_id = $1`, networkID).Scan(&version); err != nil {
		return nil, fmt.Errorf("lexicon version: %w", interpret(err))
	}
	n.checked = time.Now()
	if n.typos != nil && version == n.version {
		return n.typos, nil
	}
	rows, err := q.db.Query(ctx, `SELECT word FROM lexicon WHERE network_id = $1`, networkID)
	if err != nil {
		return nil, fmt.Errorf("lexicon: %w", interpret(err))
	}
	words := make([]string, 0, version)
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			rows.Close()
			return nil, fmt.Errorf("lexicon: %w", err)
		}
		words = append(words, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lexicon: %w", interpret(err))
	}
	n.typos, n.version = lexicon.NewTypos(words), version
	return n.typos, nil
}
