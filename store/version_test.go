package store_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"knoop/store"
	"knoop/store/storetest"
)

// SchemaVersion sees a migrated schema as current and an empty one as
// version 0, and does not migrate it.
func TestSchemaVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.Schema(t)
	current, latest, err := store.SchemaVersion(ctx, s.Pool())
	if err != nil || current != latest || latest < 1 {
		t.Errorf("migrated schema: current %d latest %d err %v", current, latest, err)
	}
	_, cfg := storetest.SchemaConfig(t)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	current, latest, err = store.SchemaVersion(ctx, pool)
	if err != nil || current != 0 || latest < 1 {
		t.Errorf("empty schema: current %d latest %d err %v", current, latest, err)
	}
	var tables int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&tables); err != nil || tables != 0 {
		t.Errorf("SchemaVersion created %d tables (%v)", tables, err)
	}
}
