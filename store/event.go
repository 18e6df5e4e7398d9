package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// An event transaction carries all the database work of one platform
// event: its dedupe marker, the member's row and the command's own
// statements, committed together after the reply was delivered. The
// store's methods find it in the context (see HandleOnce), so the
// commands need not thread a transaction through every call.

type eventTxKey struct{}

// eventTx is the open transaction of one event. Calls are serialised;
// once the transaction has ended, calls with its context go to the pool.
type eventTx struct {
	mu    sync.Mutex
	tx    pgx.Tx
	ended bool
	wrote bool // a statement other than a plain read ran
}

// ctxDB is the Store's query surface: it runs on the event transaction in
// ctx when there is one, else on the pool.
type ctxDB struct{ pool *pgxpool.Pool }

var _ DBTX = ctxDB{}

// on returns the transaction to use for ctx (nil: the pool) and locks it
// until release is called.
func on(ctx context.Context) (*eventTx, func()) {
	et, _ := ctx.Value(eventTxKey{}).(*eventTx)
	if et == nil {
		return nil, func() {}
	}
	et.mu.Lock()
	if et.ended {
		et.mu.Unlock()
		return nil, func() {}
	}
	return et, et.mu.Unlock
}

// writes reports whether sql may change data: anything but a SELECT (or
// WITH … SELECT) without INSERT, UPDATE, DELETE (as words: updated_at is a
// column) or set_config. A read misjudged as a write only costs a durable
// commit.
func writes(sql string) bool {
	s := strings.ToLower(strings.TrimSpace(sql))
	read := strings.HasPrefix(s, "select") || strings.HasPrefix(s, "with")
	return !read || writeWord.MatchString(s)
}

var writeWord = regexp.MustCompile(`\b(insert|update|delete)\b|set_config`)

func (d ctxDB) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	et, release := on(ctx)
	defer release()
	if et == nil {
		return d.pool.Exec(ctx, sql, args...)
	}
	et.wrote = et.wrote || writes(sql)
	return et.tx.Exec(ctx, sql, args...)
}

func (d ctxDB) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	et, release := on(ctx)
	defer release()
	if et == nil {
		return d.pool.Query(ctx, sql, args...)
	}
	et.wrote = et.wrote || writes(sql)
	return et.tx.Query(ctx, sql, args...)
}

func (d ctxDB) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	et, release := on(ctx)
	defer release()
	if et == nil {
		return d.pool.QueryRow(ctx, sql, args...)
	}
	et.wrote = et.wrote || writes(sql)
	return et.tx.QueryRow(ctx, sql, args...)
}

// Begin starts a transaction, or a savepoint inside the event
// transaction: a nested Tx that fails (a conflict, a deadlock victim)
// rolls back to its savepoint and leaves the event's work intact.
func (d ctxDB) Begin(ctx context.Context) (pgx.Tx, error) {
	et, release := on(ctx)
	defer release()
	if et == nil {
		return d.pool.Begin(ctx)
	}
	et.wrote = true
	return et.tx.Begin(ctx)
}

func (d ctxDB) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	et, release := on(ctx)
	defer release()
	if et == nil {
		return d.pool.SendBatch(ctx, b)
	}
	for _, q := range b.QueuedQueries {
		et.wrote = et.wrote || writes(q.SQL)
	}
	return et.tx.SendBatch(ctx, b)
}

// MemberRef names the member an event comes from.
type MemberRef struct {
	NetworkID      int64
	Platform       string
	PlatformUserID string
}

// ErrTxAborted is returned by HandleOnce when a statement of the event's
// work failed and PostgreSQL aborted its transaction before delivery:
// nothing was committed and nothing delivered, so the caller may run the
// work again outside a transaction.
var ErrTxAborted = errors.New("event transaction aborted")

// HandleOnce runs the work of platform event eventID at most once to
// completion (an empty eventID: work without a dedupe marker, in one
// transaction all the same): it opens a transaction, records the event (waiting, if
// another replica is handling the same event, until that one commits or
// dies), reads the member who sent it in the same statement, and calls
// work with a context whose store calls run in that transaction. work
// delivers the reply last; HandleOnce commits only when work returned
// nil, so a process that dies before or while delivering leaves no trace
// and the redelivered event is handled again. first is false when the
// event was handled before (work is not called).
//
// me is the member's row as stored, found false when the member is new.
// Work that only read commits without waiting for the WAL flush (a
// PostgreSQL crash can then forget the event's marker, so a redelivery
// across such a crash is answered twice); work that wrote commits durably.
func (s *Store) HandleOnce(ctx context.Context, platform, eventID string, who MemberRef,
	work func(ctx context.Context, me Member, found bool) error) (first bool, err error) {
	select {
	case s.events <- struct{}{}:
	case <-ctx.Done():
		return false, fmt.Errorf("event: %w", ctx.Err())
	}
	defer func() { <-s.events }()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("event: %w", err)
	}
	et := &eventTx{tx: tx}
	defer func() {
		et.mu.Lock()
		et.ended = true
		et.mu.Unlock()
		if err != nil || !first {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	var inserted int
	me, err := scanMemberRow(tx.QueryRow(ctx, `
		WITH ev AS (
			INSERT INTO processed_events (platform, event_id)
			SELECT $1::text, $2::text FROM (SELECT set_config('synchronous_commit', 'off', true)) relaxed WHERE $2::text <> ''
			ON CONFLICT DO NOTHING RETURNING 1)
		SELECT (SELECT count(*) FROM ev) + CASE WHEN $2::text = '' THEN 1 ELSE 0 END, `+memberColumnsNullable+`
		FROM (SELECT 1) one LEFT JOIN (members m LEFT JOIN organisations o ON o.id = m.org_id)
			ON m.network_id = $3 AND m.platform = $4 AND m.platform_user_id = $5`,
		platform, eventID, who.NetworkID, who.Platform, who.PlatformUserID), &inserted)
	if err != nil {
		return false, fmt.Errorf("event: %w", interpret(err))
	}
	if inserted == 0 {
		return false, nil
	}
	if err := work(context.WithValue(ctx, eventTxKey{}, et), me, me.ID != 0); err != nil {
		return true, err
	}
	et.mu.Lock()
	wrote := et.wrote
	et.ended = true
	et.mu.Unlock()
	if tx.Conn().PgConn().TxStatus() == 'E' {
		return true, ErrTxAborted
	}
	if wrote {
		if _, err := tx.Exec(ctx, `SELECT set_config('synchronous_commit', 'on', true)`); err != nil {
			return true, fmt.Errorf("event: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return true, fmt.Errorf("event commit: %w", err)
	}
	return true, nil
}

// Aborted reports whether the event transaction in ctx was aborted by a
// failed statement: work checks it before delivering, because nothing it
// did will be committed.
func Aborted(ctx context.Context) bool {
	et, release := on(ctx)
	defer release()
	return et != nil && et.tx.Conn().PgConn().TxStatus() == 'E'
}

// memberColumnsNullable is memberColumns for a member that may be missing
// (a LEFT JOIN): every column reads as its zero value then.
const memberColumnsNullable = `coalesce(m.id, 0), coalesce(m.network_id, 0), coalesce(m.platform, ''),
	coalesce(m.platform_user_id, ''), coalesce(m.display_name, ''),
	coalesce(m.org_id, 0), coalesce(o.name, ''), coalesce(m.timezone, ''), coalesce(m.language, ''),
	coalesce(m.away_until, '0001-01-01'::date), m.forgotten_at IS NOT NULL AND m.id IS NOT NULL,
	coalesce(m.created_at, 'epoch'::timestamptz), coalesce(m.nudges, ''), coalesce(m.work_start, 0), coalesce(m.work_end, 0)`

// scanMemberRow reads a leading count and a member in memberColumnsNullable.
func scanMemberRow(row pgx.Row, n *int) (Member, error) {
	var m Member
	err := row.Scan(n, &m.ID, &m.NetworkID, &m.Platform, &m.PlatformUserID, &m.DisplayName,
		&m.OrgID, &m.OrgName, &m.Timezone, &m.Language, &m.AwayUntil, &m.Forgotten, &m.CreatedAt,
		&m.Nudges, &m.WorkStart, &m.WorkEnd)
	if m.AwayUntil.Year() == 1 {
		m.AwayUntil = time.Time{}
	}
	if m.ID == 0 {
		m = Member{}
	}
	return m, err
}
