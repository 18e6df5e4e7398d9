package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Set-based statements for the scheduler's planning pass: a pass at scale
// (10,000 rooms due in one minute, a million open commitments) claims
// hundreds of slots and reminders per statement instead of one per round
// trip.

// DueSchedule is a due schedule with what planning needs besides it.
type DueSchedule struct {
	Schedule
	Timezone string    // the network's
	Since    time.Time // the room's last digest that went out; zero: none
}

// DueSchedulesForPlanning is DueSchedules with each network's timezone
// and each room's last digest (LastDigest) read in the same statement.
// Call it in a transaction (Store.Tx) and advance each schedule before
// committing; rows another transaction holds are skipped.
func (q *Queries) DueSchedulesForPlanning(ctx context.Context, now time.Time, limit int) ([]DueSchedule, error) {
	rows, err := q.db.Query(ctx, `SELECT s.id, s.network_id, s.platform, s.room_id, s.spec, s.next_at, n.timezone,
			(SELECT max(d.slot) FROM digests d WHERE d.platform = s.platform AND d.room_id = s.room_id AND d.skipped = '')
		FROM schedules s JOIN networks n ON n.id = s.network_id
		WHERE s.next_at <= $1 ORDER BY s.next_at LIMIT $2 FOR UPDATE OF s SKIP LOCKED`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("due schedules: %w", interpret(err))
	}
	defer rows.Close()
	var out []DueSchedule
	for rows.Next() {
		var d DueSchedule
		var since *time.Time
		if err := rows.Scan(&d.ID, &d.NetworkID, &d.Platform, &d.RoomID, &d.Spec, &d.NextAt, &d.Timezone, &since); err != nil {
			return nil, fmt.Errorf("due schedules: %w", err)
		}
		if since != nil {
			d.Since = *since
		}
		out = append(out, d)
	}
	return out, interpret(rows.Err())
}

// ClaimDigests is ClaimDigest for many slots of different rooms in one
// statement: it returns the digests this call claimed, with their ids;
// slots already claimed are left out.
func (q *Queries) ClaimDigests(ctx context.Context, ds []Digest, at time.Time) ([]Digest, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	nets, platforms, rooms := make([]int64, len(ds)), make([]string, len(ds)), make([]string, len(ds))
	slots, sinces, skips := make([]time.Time, len(ds)), make([]*time.Time, len(ds)), make([]string, len(ds))
	for i, d := range ds {
		nets[i], platforms[i], rooms[i], slots[i], skips[i] = d.NetworkID, d.Platform, d.RoomID, d.Slot, d.Skipped
		if !d.Since.IsZero() {
			sinces[i] = &ds[i].Since
		}
	}
	rows, err := q.db.Query(ctx, `INSERT INTO digests (network_id, platform, room_id, slot, since, skipped, created_at)
		SELECT n, p, r, sl, si, sk, $7 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[])
			AS x(n, p, r, sl, si, sk)
		ON CONFLICT (platform, room_id, slot) DO NOTHING RETURNING id, platform, room_id, slot`,
		nets, platforms, rooms, slots, sinces, skips, at)
	if err != nil {
		return nil, fmt.Errorf("claim digests: %w", interpret(err))
	}
	defer rows.Close()
	type slotKey struct {
		platform, room string
		slot           int64
	}
	byKey := make(map[slotKey]int, len(ds))
	for i, d := range ds {
		byKey[slotKey{d.Platform, d.RoomID, d.Slot.UnixMicro()}] = i
	}
	var out []Digest
	for rows.Next() {
		var id int64
		var k slotKey
		var slot time.Time
		if err := rows.Scan(&id, &k.platform, &k.room, &slot); err != nil {
			return nil, fmt.Errorf("claim digests: %w", err)
		}
		k.slot = slot.UnixMicro()
		i, ok := byKey[k]
		if !ok {
			return nil, fmt.Errorf("claim digests: %s:%s at %s was not asked for", k.platform, k.room, slot)
		}
		d := ds[i]
		d.ID = id
		out = append(out, d)
	}
	return out, interpret(rows.Err())
}

// AdvanceSchedules moves schedules to their next slots: ids[i] to next[i].
func (q *Queries) AdvanceSchedules(ctx context.Context, ids []int64, next []time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := q.db.Exec(ctx, `UPDATE schedules s SET next_at = x.next
		FROM unnest($1::bigint[], $2::timestamptz[]) AS x(id, next) WHERE s.id = x.id`, ids, next)
	if err != nil {
		return fmt.Errorf("advance schedules: %w", interpret(err))
	}
	return nil
}

// ClaimNudges is ClaimNudge for many reminders in one statement: it
// returns the reminders this call claimed, with their ids; keys already
// claimed (or repeated in ns) are left out.
func (q *Queries) ClaimNudges(ctx context.Context, ns []Nudge) ([]Nudge, error) {
	if len(ns) == 0 {
		return nil, nil
	}
	keys, members, commitments := make([]string, len(ns)), make([]int64, len(ns)), make([]int64, len(ns))
	stages, overdue, created := make([]string, len(ns)), make([]bool, len(ns)), make([]time.Time, len(ns))
	byKey := make(map[string]int, len(ns))
	for i, n := range ns {
		keys[i], members[i], commitments[i], stages[i], overdue[i], created[i] = n.Key, n.MemberID, n.CommitmentID, n.Stage, n.Overdue, n.CreatedAt
		byKey[n.Key] = i
	}
	rows, err := q.db.Query(ctx, `INSERT INTO nudges (key, member_id, commitment_id, stage, overdue, created_at)
		SELECT k, m, nullif(c, 0), st, o, t
		FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::boolean[], $6::timestamptz[]) AS x(k, m, c, st, o, t)
		ON CONFLICT (key) DO NOTHING RETURNING id, key`, keys, members, commitments, stages, overdue, created)
	if err != nil {
		return nil, fmt.Errorf("claim nudges: %w", interpret(err))
	}
	defer rows.Close()
	var out []Nudge
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return nil, fmt.Errorf("claim nudges: %w", err)
		}
		n := ns[byKey[key]]
		n.ID = id
		out = append(out, n)
	}
	return out, interpret(rows.Err())
}

// SchemaLock is a held advisory lock of the store's schema, on a
// connection of its own (outside the pool, so holding it never starves
// the work it guards of connections, however small the pool). If the
// process dies, PostgreSQL releases it with the connection.
type SchemaLock struct {
	conn *pgx.Conn
}

// TrySchemaLock takes the advisory lock name of the schema the store
// works in, if no session holds it; it returns nil, nil when one does.
// Replicas sharing the schema exclude each other; deployments (and tests)
// in other schemas of the database do not.
func (s *Store) TrySchemaLock(ctx context.Context, name string) (*SchemaLock, error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	var schema string
	var got bool
	err = conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema)
	if err == nil {
		err = conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, lockID(name, schema)).Scan(&got)
	}
	if err == nil && got {
		return &SchemaLock{conn: conn}, nil
	}
	_ = conn.Close(context.WithoutCancel(ctx))
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, interpret(err))
	}
	return nil, nil
}

// Release gives the lock up and closes its connection.
func (l *SchemaLock) Release(ctx context.Context) {
	_ = l.conn.Close(ctx) // ending the session releases its advisory locks
}

// NudgeCandidatePage lists the open commitments due on or before dueBy
// that planning considers for reminders: one page of them after the
// commitment id after (owners who cannot
// get reminders included: the page is taken over commitments alone, so
// its first step is one index range), each with one index probe into its
// history and one into its reminders. Each candidate carries LastKey, the
// key of the newest reminder claimed for it, so planning can tell a
// reminder already claimed without asking again. No connection is held
// between pages, and memory stays at a page.
func (q *Queries) NudgeCandidatePage(ctx context.Context, dueBy time.Time, after int64, limit int) ([]NudgeCandidate, error) {
	rows, err := q.db.Query(ctx, `WITH c AS MATERIALIZED (
			SELECT c.id, c.network_id, c.no, c.owner_id, c.due, c.created_at FROM commitments c
			WHERE c.status = 'open' AND c.due <= $1::date AND c.id > $2 ORDER BY c.id LIMIT $3)
		SELECT c.id, c.network_id, c.no, c.owner_id, c.due, c.created_at,
			m.id, m.network_id, m.platform, coalesce(m.platform_user_id, ''), coalesce(m.timezone, ''), coalesce(m.language, ''),
			coalesce(m.away_until, '0001-01-01'::date), m.nudges, m.work_start, m.work_end,
			n.timezone, n.language, a.at, s.overdue, coalesce(s.last_key, '')
		FROM c
		JOIN members m ON m.id = c.owner_id
		JOIN networks n ON n.id = c.network_id
		CROSS JOIN LATERAL (SELECT coalesce(max(u.created_at), c.created_at) AS at FROM commitment_updates u
			WHERE u.commitment_id = c.id AND u.member_id = c.owner_id) a
		CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE x.overdue AND x.skipped = '' AND x.created_at > a.at) AS overdue,
				(array_agg(x.key ORDER BY x.created_at DESC, x.id DESC))[1] AS last_key
			FROM nudges x WHERE x.commitment_id = c.id) s
		ORDER BY c.id`, dueBy.Format(time.DateOnly), after, limit)
	if err != nil {
		return nil, fmt.Errorf("nudge candidates: %w", interpret(err))
	}
	defer rows.Close()
	out := make([]NudgeCandidate, 0, limit)
	for rows.Next() {
		var n NudgeCandidate
		c := &n.Commitment
		m := &n.Owner
		err := rows.Scan(&c.ID, &c.NetworkID, &c.No, &c.OwnerID, &c.Due, &c.CreatedAt,
			&m.ID, &m.NetworkID, &m.Platform, &m.PlatformUserID, &m.Timezone, &m.Language,
			&m.AwayUntil, &m.Nudges, &m.WorkStart, &m.WorkEnd,
			&n.NetworkTimezone, &n.NetworkLanguage, &n.LastAct, &n.OverdueSent, &n.LastKey)
		if err != nil {
			return nil, fmt.Errorf("nudge candidates: %w", err)
		}
		c.Status = StatusOpen
		if m.AwayUntil.Year() == 1 {
			m.AwayUntil = time.Time{}
		}
		out = append(out, n)
	}
	return out, interpret(rows.Err())
}
