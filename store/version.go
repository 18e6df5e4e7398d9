package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// SchemaVersion reports the migration version of the database pool
// points at and the newest migration this build embeds, without migrating
// (knoop doctor). current is 0 when Knoop's tables were never created.
func SchemaVersion(ctx context.Context, pool *pgxpool.Pool) (current, latest int64, err error) {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := newMigrator(ctx, db)
	if err != nil {
		return 0, 0, err
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		latest = srcs[len(srcs)-1].Version
	}
	// Asking goose would create its version table: look first.
	var exists bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('goose_db_version') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, latest, fmt.Errorf("schema version: %w", err)
	}
	if !exists {
		return 0, latest, nil
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, latest, fmt.Errorf("schema version: %w", err)
	}
	return current, latest, nil
}
