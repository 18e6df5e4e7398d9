package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// State reads an adapter's remembered value; ok is false when unset.
func (q *Queries) State(ctx context.Context, platform, key string) (value string, ok bool, err error) {
	err = q.db.QueryRow(ctx, `SELECT value FROM adapter_state WHERE platform = $1 AND key = $2`, platform, key).Scan(&value)
	if errors.Is(interpret(err), ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("state: %w", interpret(err))
	}
	return value, true, nil
}

// SetState remembers an adapter's value.
func (q *Queries) SetState(ctx context.Context, platform, key, value string) error {
	_, err := q.db.Exec(ctx, `INSERT INTO adapter_state (platform, key, value) VALUES ($1, $2, $3)
		ON CONFLICT (platform, key) DO UPDATE SET value = excluded.value, updated_at = now()`, platform, key, value)
	if err != nil {
		return fmt.Errorf("set state: %w", interpret(err))
	}
	return nil
}

// Lock is a held PostgreSQL advisory lock. It lives as long as its
// connection: if the process dies, PostgreSQL releases it and another
// replica's TryLock succeeds. Its methods are safe for concurrent use.
type Lock struct {
	mu       sync.Mutex
	conn     *pgxpool.Conn
	key      int64
	released bool
}

// TryLock takes the advisory lock named name if no one holds it. It
// returns nil, nil when another session holds it.
func (s *Store) TryLock(ctx context.Context, name string) (*Lock, error) {
	h := fnv.New64a()
	_, _ = h.Write([]byte("knoop:" + name))
	key := int64(h.Sum64())
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
		conn.Release()
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	if !got {
		conn.Release()
		return nil, nil
	}
	return &Lock{conn: conn, key: key}, nil
}

// Alive reports whether the lock's session still answers (and so still
// holds the lock).
func (l *Lock) Alive(ctx context.Context) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.released && l.conn.Ping(ctx) == nil
}

// Release gives the lock up. If the unlock cannot be confirmed, the
// connection is closed rather than returned to the pool, so no pooled
// session keeps holding the lock.
func (l *Lock) Release(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.released {
		return
	}
	l.released = true
	var ok bool
	if err := l.conn.QueryRow(ctx, `SELECT pg_advisory_unlock($1)`, l.key).Scan(&ok); err != nil || !ok {
		conn := l.conn.Hijack()
		_ = conn.Close(ctx)
		return
	}
	l.conn.Release()
}

// SQLDB returns a database/sql handle on the pool, for libraries that want
// one (mautrix's crypto and state stores). Closing it does not close the
// pool.
func (s *Store) SQLDB() *sql.DB { return stdlib.OpenDBFromPool(s.pool) }
