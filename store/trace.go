package store

import (
	"context"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// Counter counts the statements and round trips a pool sends to
// PostgreSQL. Set it as the pool's tracer (pgxpool.Config.ConnConfig.Tracer)
// before the pool is created; its methods are safe for concurrent use and
// cost one atomic add per statement.
//
// A statement is one SQL statement other than transaction control
// (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE)
// (a simple-protocol string of several counts each). A round trip is one
// request the driver waits for: a query, a whole batch, a BEGIN, a COMMIT.
type Counter struct {
	statements atomic.Int64
	roundTrips atomic.Int64
}

var (
	_ pgx.QueryTracer = (*Counter)(nil)
	_ pgx.BatchTracer = (*Counter)(nil)
)

// Counts returns the statements and round trips counted so far.
func (c *Counter) Counts() (statements, roundTrips int64) {
	return c.statements.Load(), c.roundTrips.Load()
}

// TraceQueryStart implements pgx.QueryTracer.
func (c *Counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.roundTrips.Add(1)
	c.statements.Add(int64(statementsIn(d.SQL)))
	return ctx
}

// TraceQueryEnd implements pgx.QueryTracer.
func (c *Counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart implements pgx.BatchTracer: a batch is one round trip.
func (c *Counter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.roundTrips.Add(1)
	return ctx
}

// TraceBatchQuery implements pgx.BatchTracer.
func (c *Counter) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	c.statements.Add(int64(statementsIn(d.SQL)))
}

// TraceBatchEnd implements pgx.BatchTracer.
func (c *Counter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// statementsIn counts the statements of sql, not counting transaction
// control. Knoop's SQL has no semicolons inside literals.
func statementsIn(sql string) int {
	n := 0
	for s := range strings.SplitSeq(sql, ";") {
		w := strings.ToLower(strings.TrimSpace(s))
		if w == "" {
			continue
		}
		if f, _, _ := strings.Cut(w, " "); f == "begin" || f == "commit" || f == "rollback" || f == "savepoint" || f == "release" {
			continue
		}
		n++
	}
	return n
}
