// Package storetest gives tests a real PostgreSQL store in a throw-away
// schema of its own, dropped when the test ends.
//
// The database comes from KNOOP_TEST_DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/test if anything answers there, else an
// embedded PostgreSQL shared by all test binaries (see fallback.go). A test
// that cannot reach its database fails (it does not skip): the suite is
// meant to run against the real thing.
//
// A schema's connections have search_path "<schema>, public", and public
// must hold no tables (it holds only the pg_trgm extension's functions):
// a query that misses the test's schema — a connection opened without the
// search_path — then fails instead of reading another test's data. Schema
// fails the test when public holds a table.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"knoop/store"
)

// DefaultURL is the database tests use when KNOOP_TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// URL returns the test database URL, picked once per test binary as the
// package comment says. If no database can be had it says why on stderr
// and returns DefaultURL (connecting to it then fails).
func URL() string {
	u, err := resolveURL()
	if err != nil {
		fmt.Fprintf(os.Stderr, "storetest: %v\n", err)
		return DefaultURL
	}
	return u
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

	url, err := resolveURL()
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to test database (set KNOOP_TEST_DATABASE_URL): %v", err)
	}
	if err := checkPublicEmpty(ctx, admin); err != nil {
		_ = admin.Close(ctx)
		t.Fatalf("storetest: %v", err)
	}
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		_ = admin.Close(ctx)
		t.Fatalf("create schema: %v", err)
	}
	_ = admin.Close(ctx)
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), url)
		if err != nil {
			t.Logf("drop schema %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+name+" CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", name, err)
		}
	})

	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatalf("parse test database url: %v", err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = name + ",public"
	cfg.MaxConns = 8
	return name, cfg
}

// checkPublicEmpty fails when the public schema holds a table, view or
// sequence: a query that misses a test's schema would find it there.
func checkPublicEmpty(ctx context.Context, c *pgx.Conn) error {
	rows, err := c.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY 1 LIMIT 10`)
	if err != nil {
		return fmt.Errorf("listing the public schema: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("listing the public schema: %w", err)
	}
	if len(names) > 0 {
		return fmt.Errorf("the test database's public schema holds %v; tests need it empty (a query that misses its schema must fail, not read these): drop them or use another database (KNOOP_TEST_DATABASE_URL)", names)
	}
	return nil
}

// Ensure storetest.TB is satisfied by the testing types.
var _ TB = (testing.TB)(nil)
