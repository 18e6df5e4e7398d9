package store

import "context"

// Exec runs one statement in q's transaction, for tests of Tx itself.
func (q *Queries) Exec(ctx context.Context, sql string, args ...any) error {
	_, err := q.db.Exec(ctx, sql, args...)
	return err
}
