package store

import (
	"context"
	"fmt"
	"time"
)

// termsVersion names how Terms indexes text. Migrate rebuilds
// member_terms from the evidence when a database was indexed by another
// version, so a network upgraded to a Knoop that indexes differently
// (version 2 adds the parts of Dutch compounds) finds what it should.
const termsVersion = "2"

// reindexTerms rebuilds every member's search terms if the database's
// terms version is not termsVersion. Concurrent starts take turns on a
// transaction-level advisory lock; the second finds the work done.
func (s *Store) reindexTerms(ctx context.Context) error {
	start := time.Now()
	n := 0
	err := s.Tx(ctx, func(q *Queries) error {
		if _, err := q.db.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('knoop.member_terms.' || current_schema()))`); err != nil {
			return err
		}
		v, ok, err := q.State(ctx, "store", "terms_version")
		if err != nil || (ok && v == termsVersion) {
			return err
		}
		rows, err := q.db.Query(ctx, `SELECT DISTINCT member_id FROM evidence ORDER BY member_id`)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if err := q.refreshTerms(ctx, id); err != nil {
				return err
			}
		}
		n = len(ids)
		return q.SetState(ctx, "store", "terms_version", termsVersion)
	})
	if err != nil {
		return fmt.Errorf("reindex search terms: %w", interpret(err))
	}
	if n > 0 {
		s.log.Info("search terms reindexed", "version", termsVersion, "members", n, "duration", time.Since(start))
	}
	return nil
}
