// Package store keeps Knoop's state in PostgreSQL: networks, members,
// organisations, skills, endorsements, goals, commitments, open asks and the
// evidence that answers "who is good at X?".
//
// Every write a member is told about is committed before the method returns,
// so a caller may confirm it the moment it gets a nil error.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write would break a uniqueness rule, such
// as an endorsement given twice.
var ErrConflict = errors.New("already exists")

// DBTX is what a query needs: a pool or a transaction.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

func sendBatch(ctx context.Context, db DBTX, b *pgx.Batch) error {
	return db.SendBatch(ctx, b).Close()
}

// Queries runs Knoop's queries on a pool or inside a transaction.
type Queries struct {
	db    DBTX
	typos *typoCache // nil in a transaction: no typo matching there
}

// Store owns the connection pool. Its embedded Queries run outside a
// transaction; Tx runs several in one.
type Store struct {
	*Queries
	pool *pgxpool.Pool
	log  *slog.Logger
}

// Open connects to url, applies pending migrations and returns a ready
// store. Several processes may Open the same database at once: migrations
// are serialised by a PostgreSQL advisory lock.
func Open(ctx context.Context, url string, log *slog.Logger) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	return OpenConfig(ctx, cfg, log)
}

// OpenConfig is Open for a prepared pool configuration (tests use it to set
// a search_path).
func OpenConfig(ctx context.Context, cfg *pgxpool.Config, log *slog.Logger) (*Store, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect: %w", err)
	}
	s := New(pool, log)
	if err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// New wraps an existing pool without migrating.
func New(pool *pgxpool.Pool, log *slog.Logger) *Store {
	return &Store{Queries: &Queries{db: pool, typos: &typoCache{}}, pool: pool, log: log}
}

// Pool returns the underlying pool, for callers that need raw access
// (benchmarks, the seed command, health checks).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes the pool.
func (s *Store) Close() { s.pool.Close() }

// Migrate applies the embedded migrations that have not run yet.
// Processes migrating the same schema take turns on an advisory lock
// named after the schema; other schemas in the database (test schemas,
// other deployments) do not wait for them.
// It then rebuilds the search index if it was built by another version
// of Terms.
func (s *Store) Migrate(ctx context.Context) error {
	// Extensions live in the database, not the schema: create them
	// first, one process at a time across the whole database.
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockID("knoop-extensions", "")); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`)
		return err
	})
	if err != nil {
		return fmt.Errorf("migrate: extensions: %w", err)
	}
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := newMigrator(ctx, db)
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		s.log.Info("migration applied", "version", r.Source.Version, "duration", r.Duration)
	}
	if err := s.migrateRiver(ctx); err != nil {
		return err
	}
	return s.reindexTerms(ctx)
}

// riverSchemaVersion is the version of River's job tables Knoop runs on.
// It is pinned, so upgrading River never changes the schema unnoticed:
// raise it together with the River version.
const riverSchemaVersion = 8

// migrateRiver brings River's job tables (the scheduler's durable queue)
// to riverSchemaVersion, in the search_path's first schema. River runs
// each version in a transaction of its own (one adds an enum value the
// next uses), so processes starting at once are serialised by a session
// advisory lock held on a connection of its own.
func (s *Store) migrateRiver(ctx context.Context) error {
	m, err := rivermigrate.New(riverpgxv5.New(s.pool), &rivermigrate.Config{Logger: s.log})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	// The lock is held on a connection of its own, outside the pool, so
	// River's migrator can use the pool even when it has one connection.
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx)) // closing the session also drops the lock
	var schema string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lockID("knoop-river", schema)); err != nil {
		return fmt.Errorf("job queue migration lock: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{TargetVersion: riverSchemaVersion})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	for _, v := range res.Versions {
		s.log.Info("job queue migration applied", "version", v.Version, "duration", v.Duration)
	}
	return nil
}

// MigrationStatus reports, per embedded migration, whether it has run.
func (s *Store) MigrationStatus(ctx context.Context) ([]string, error) {
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := newMigrator(ctx, db)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]string, 0, len(st))
	for _, m := range st {
		out = append(out, fmt.Sprintf("%05d %s %s", m.Source.Version, m.State, m.Source.Path))
	}
	return out, nil
}

// lockID is the advisory lock key for name in schema.
func lockID(name, schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte(name + "\x00" + schema))
	return int64(h.Sum64())
}

func newMigrator(ctx context.Context, db *sql.DB) (*goose.Provider, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var schema string
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(lockID("knoop-migrate", schema)))
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker))
}

// Tx runs fn in one transaction, committed when fn returns nil. A
// transaction PostgreSQL aborts as a deadlock victim or a serialization
// failure is run again (up to txAttempts times in all): two members'
// first skills racing to insert the same new words into the lexicon in
// different orders deadlock, and the loser must not get an error for it.
// fn must therefore do nothing but database work and reset what it
// collects.
func (s *Store) Tx(ctx context.Context, fn func(q *Queries) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			return fn(&Queries{db: tx})
		})
		if attempt == txAttempts || !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt) * time.Duration(5+rand.IntN(20)) * time.Millisecond):
		}
	}
}

// txAttempts bounds Tx's runs of one transaction.
const txAttempts = 4

// retryable reports whether err aborted a transaction that can simply run
// again: deadlock_detected or serialization_failure.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}

// interpret translates driver errors into the store's sentinels, once, at
// the edge.
func interpret(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return fmt.Errorf("%w: %s", ErrConflict, pgErr.ConstraintName)
	}
	return err
}

// WithTx runs fn in one transaction, handing it the raw transaction too,
// for work that must commit with the store's writes (job queue inserts).
func (s *Store) WithTx(ctx context.Context, fn func(tx pgx.Tx, q *Queries) error) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return fn(tx, &Queries{db: tx})
	})
}
