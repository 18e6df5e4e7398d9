// Package storetest gives tests a real PostgreSQL store in a throw-away
// schema of its own, dropped when the test ends.
//
// The database comes from KNOOP_TEST_DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/test. A test that cannot reach it
// fails (it does not skip): the suite is meant to run against the real thing.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"knoop/store"
)

// DefaultURL is the database tests use when KNOOP_TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// URL returns the test database URL.
func URL() string {
	if u := os.Getenv("KNOOP_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// TB is the part of testing.TB the helpers need, so benchmarks can use them.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
	Logf(format string, args ...any)
}

// Schema creates a fresh schema, migrates it and returns a store whose
// every connection uses it. The schema is dropped at cleanup.
func Schema(t TB) *store.Store {
	t.Helper()
	name, cfg := SchemaConfig(t)
	s, err := store.OpenConfig(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open store in schema %s: %v", name, err)
	}
	t.Cleanup(s.Close)
	return s
}

// SchemaConfig creates an empty schema (dropped at cleanup) and returns
// its name and a pool configuration pointing at it.
func SchemaConfig(t TB) (string, *pgxpool.Config) {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "knooptest_" + hex.EncodeToString(b)

	admin, err := pgx.Connect(ctx, URL())
	if err != nil {
		t.Fatalf("connect to test database (set KNOOP_TEST_DATABASE_URL): %v", err)
	}
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		_ = admin.Close(ctx)
		t.Fatalf("create schema: %v", err)
	}
	_ = admin.Close(ctx)
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), URL())
		if err != nil {
			t.Logf("drop schema %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+name+" CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", name, err)
		}
	})

	cfg, err := pgxpool.ParseConfig(URL())
	if err != nil {
		t.Fatalf("parse test database url: %v", err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = name + ",public"
	cfg.MaxConns = 8
	return name, cfg
}

// Ensure storetest.TB is satisfied by the testing types.
var _ TB = (testing.TB)(nil)
