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
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
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
	db DBTX
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
	return &Store{Queries: &Queries{db: pool}, pool: pool, log: log}
}

// Pool returns the underlying pool, for callers that need raw access
// (benchmarks, the seed command, health checks).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes the pool.
func (s *Store) Close() { s.pool.Close() }

// Migrate applies the embedded migrations that have not run yet, then
// rebuilds the search index if it was built by another version of Terms.
func (s *Store) Migrate(ctx context.Context) error {
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := newMigrator(db)
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
	return s.reindexTerms(ctx)
}

// MigrationStatus reports, per embedded migration, whether it has run.
func (s *Store) MigrationStatus(ctx context.Context) ([]string, error) {
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := newMigrator(db)
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

func newMigrator(db *sql.DB) (*goose.Provider, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker))
}

// Tx runs fn in one transaction, committed when fn returns nil.
func (s *Store) Tx(ctx context.Context, fn func(q *Queries) error) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return fn(&Queries{db: tx})
	})
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
