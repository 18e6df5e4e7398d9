package store

import (
	"context"
	"fmt"
	"time"
)

// Schedule posts a digest into one room at the slots of a cron line, read
// in the network's timezone.
type Schedule struct {
	ID        int64
	NetworkID int64
	Platform  string
	RoomID    string
	Spec      string
	NextAt    time.Time
}

const scheduleColumns = `id, network_id, platform, room_id, spec, next_at`

func scanSchedule(row interface{ Scan(...any) error }) (Schedule, error) {
	var s Schedule
	err := row.Scan(&s.ID, &s.NetworkID, &s.Platform, &s.RoomID, &s.Spec, &s.NextAt)
	return s, err
}

// SetSchedule sets (or replaces) the digest schedule of a room.
func (q *Queries) SetSchedule(ctx context.Context, networkID int64, platform, roomID, spec string, next time.Time, by int64, at time.Time) (Schedule, error) {
	s, err := scanSchedule(q.db.QueryRow(ctx, `
		INSERT INTO schedules (network_id, platform, room_id, spec, next_at, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, nullif($6, 0), $7, $7)
		ON CONFLICT (platform, room_id) DO UPDATE SET spec = excluded.spec, next_at = excluded.next_at,
			created_by = excluded.created_by, updated_at = excluded.updated_at
		RETURNING `+scheduleColumns, networkID, platform, roomID, spec, next, by, at))
	if err != nil {
		return Schedule{}, fmt.Errorf("set schedule: %w", interpret(err))
	}
	return s, nil
}

// ScheduleFor reads a room's schedule; ErrNotFound when it has none.
func (q *Queries) ScheduleFor(ctx context.Context, platform, roomID string) (Schedule, error) {
	s, err := scanSchedule(q.db.QueryRow(ctx, `SELECT `+scheduleColumns+` FROM schedules
		WHERE platform = $1 AND room_id = $2`, platform, roomID))
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule: %w", interpret(err))
	}
	return s, nil
}

// Schedules lists a network's schedules.
func (q *Queries) Schedules(ctx context.Context, networkID int64) ([]Schedule, error) {
	rows, err := q.db.Query(ctx, `SELECT `+scheduleColumns+` FROM schedules WHERE network_id = $1 ORDER BY id`, networkID)
	if err != nil {
		return nil, fmt.Errorf("schedules: %w", interpret(err))
	}
	defer rows.Close()
	var out []Schedule
	for rows.Next() {
		s, err := scanSchedule(rows)
		if err != nil {
			return nil, fmt.Errorf("schedules: %w", err)
		}
		out = append(out, s)
	}
	return out, interpret(rows.Err())
}

// DeleteSchedule turns a room's digest off; it reports whether there was one.
func (q *Queries) DeleteSchedule(ctx context.Context, platform, roomID string) (bool, error) {
	tag, err := q.db.Exec(ctx, `DELETE FROM schedules WHERE platform = $1 AND room_id = $2`, platform, roomID)
	if err != nil {
		return false, fmt.Errorf("delete schedule: %w", interpret(err))
	}
	return tag.RowsAffected() > 0, nil
}

// DueSchedules locks up to limit schedules whose next slot is at or before
// now. Rows another transaction holds are skipped, so replicas planning at
// the same moment share the work instead of waiting. Call it in a
// transaction (Store.Tx) and advance each schedule before committing.
func (q *Queries) DueSchedules(ctx context.Context, now time.Time, limit int) ([]Schedule, error) {
	rows, err := q.db.Query(ctx, `SELECT `+scheduleColumns+` FROM schedules
		WHERE next_at <= $1 ORDER BY next_at LIMIT $2 FOR UPDATE SKIP LOCKED`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("due schedules: %w", interpret(err))
	}
	defer rows.Close()
	var out []Schedule
	for rows.Next() {
		s, err := scanSchedule(rows)
		if err != nil {
			return nil, fmt.Errorf("due schedules: %w", err)
		}
		out = append(out, s)
	}
	return out, interpret(rows.Err())
}

// AdvanceSchedule moves a schedule to its next slot.
func (q *Queries) AdvanceSchedule(ctx context.Context, id int64, next time.Time) error {
	if _, err := q.db.Exec(ctx, `UPDATE schedules SET next_at = $2 WHERE id = $1`, id, next); err != nil {
		return fmt.Errorf("advance schedule: %w", interpret(err))
	}
	return nil
}

// Digest is one digest slot of a room, claimed before it is sent.
type Digest struct {
	ID        int64
	NetworkID int64
	Platform  string
	RoomID    string
	Slot      time.Time
	Since     time.Time // zero: the room's first digest
	Skipped   string    // why the slot was skipped, if it was
	MessageID string
	SentAt    time.Time // zero: not sent yet
}

// ClaimDigest records a digest slot. It returns the row and true when this
// call claimed it, or false when the slot was already claimed (by another
// replica, or an earlier run).
func (q *Queries) ClaimDigest(ctx context.Context, d Digest, at time.Time) (Digest, bool, error) {
	var since any
	if !d.Since.IsZero() {
		since = d.Since
	}
	err := q.db.QueryRow(ctx, `INSERT INTO digests (network_id, platform, room_id, slot, since, skipped, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (platform, room_id, slot) DO NOTHING RETURNING id`,
		d.NetworkID, d.Platform, d.RoomID, d.Slot, since, d.Skipped, at).Scan(&d.ID)
	if err != nil {
		if err = interpret(err); err == ErrNotFound {
			return d, false, nil
		}
		return d, false, fmt.Errorf("claim digest: %w", err)
	}
	return d, true, nil
}

// DigestByID reads a claimed digest slot.
func (q *Queries) DigestByID(ctx context.Context, id int64) (Digest, error) {
	var d Digest
	var since, sent *time.Time
	err := q.db.QueryRow(ctx, `SELECT id, network_id, platform, room_id, slot, since, skipped, message_id, sent_at
		FROM digests WHERE id = $1`, id).Scan(&d.ID, &d.NetworkID, &d.Platform, &d.RoomID, &d.Slot, &since,
		&d.Skipped, &d.MessageID, &sent)
	if err != nil {
		return Digest{}, fmt.Errorf("digest: %w", interpret(err))
	}
	if since != nil {
		d.Since = *since
	}
	if sent != nil {
		d.SentAt = *sent
	}
	return d, nil
}

// MarkDigestSent records that the platform took a digest.
func (q *Queries) MarkDigestSent(ctx context.Context, id int64, messageID string, at time.Time) error {
	if _, err := q.db.Exec(ctx, `UPDATE digests SET sent_at = $2, message_id = $3 WHERE id = $1`, id, at, messageID); err != nil {
		return fmt.Errorf("mark digest sent: %w", interpret(err))
	}
	return nil
}

// LastDigest returns the slot of the room's last digest that went out
// (sent, or claimed and not skipped), or the zero time.
func (q *Queries) LastDigest(ctx context.Context, platform, roomID string) (time.Time, error) {
	var t *time.Time
	err := q.db.QueryRow(ctx, `SELECT max(slot) FROM digests
		WHERE platform = $1 AND room_id = $2 AND skipped = ''`, platform, roomID).Scan(&t)
	if err != nil {
		return time.Time{}, fmt.Errorf("last digest: %w", interpret(err))
	}
	if t == nil {
		return time.Time{}, nil
	}
	return *t, nil
}

// NewMember is a member who joined a network, for the digest.
type NewMember struct {
	ID     int64
	Name   string
	Org    string
	Skills []string
}

// OrgCount is one organisation's commitments, for the digest.
type OrgCount struct {
	Name       string
	Open, Done int
}

// DigestData is what a digest of a network says.
type DigestData struct {
	Goals      []GoalProgress
	Delivered  []Commitment // done since the last digest, oldest first
	DueSoon    []Commitment // open, due from today through today+6
	Overdue    []Commitment // open, due before today
	Orphaned   []Commitment // open, their owner asked to be forgotten
	NewMembers []NewMember
	Asks       []Ask
	Orgs       []OrgCount
}

// DigestLimit caps each list of a digest; the rest is counted, not shown.
const DigestLimit = 25

// DigestData gathers a network's digest: what happened since since (zero:
// the last 7 days) and what stands as of today (a civil date in the
// network's zone).
func (q *Queries) DigestData(ctx context.Context, networkID int64, since, today time.Time) (DigestData, error) {
	var d DigestData
	var err error
	if since.IsZero() {
		since = today.AddDate(0, 0, -7)
	}
	if d.Goals, err = q.Goals(ctx, networkID, today); err != nil {
		return d, err
	}
	list := func(where string, order string, args ...any) ([]Commitment, error) {
		rows, err := q.db.Query(ctx, `SELECT `+commitmentColumns+commitmentFrom+`
			WHERE c.network_id = $1 AND `+where+` ORDER BY `+order+` LIMIT `+fmt.Sprint(DigestLimit+1),
			append([]any{networkID}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("digest commitments: %w", interpret(err))
		}
		defer rows.Close()
		var out []Commitment
		for rows.Next() {
			c, err := scanCommitment(rows)
			if err != nil {
				return nil, fmt.Errorf("digest commitments: %w", err)
			}
			out = append(out, c)
		}
		return out, interpret(rows.Err())
	}
	day := today.Format(time.DateOnly)
	if d.Delivered, err = list(`c.status = 'done' AND c.done_at > $2`, `c.done_at, c.no`, since); err != nil {
		return d, err
	}
	if d.DueSoon, err = list(`c.status = 'open' AND c.due >= $2::date AND c.due < $2::date + 7`, `c.due, c.no`, day); err != nil {
		return d, err
	}
	if d.Overdue, err = list(`c.status = 'open' AND c.due < $2::date`, `c.due, c.no`, day); err != nil {
		return d, err
	}
	if d.Orphaned, err = list(`c.status = 'open' AND m.forgotten_at IS NOT NULL`, `c.due NULLS LAST, c.no`); err != nil {
		return d, err
	}
	rows, err := q.db.Query(ctx, `SELECT m.id, m.display_name, coalesce(o.name, ''),
			coalesce((SELECT array_agg(s.skill ORDER BY s.id) FROM skills s WHERE s.member_id = m.id), '{}')
		FROM members m LEFT JOIN organisations o ON o.id = m.org_id
		WHERE m.network_id = $1 AND m.created_at > $2 AND m.forgotten_at IS NULL
		ORDER BY m.created_at, m.id LIMIT $3`, networkID, since, DigestLimit+1)
	if err != nil {
		return d, fmt.Errorf("digest members: %w", interpret(err))
	}
	for rows.Next() {
		var m NewMember
		if err := rows.Scan(&m.ID, &m.Name, &m.Org, &m.Skills); err != nil {
			rows.Close()
			return d, fmt.Errorf("digest members: %w", err)
		}
		d.NewMembers = append(d.NewMembers, m)
	}
	rows.Close()
	if err := interpret(rows.Err()); err != nil {
		return d, err
	}
	if d.Asks, err = q.OpenAsks(ctx, networkID); err != nil {
		return d, err
	}
	rows, err = q.db.Query(ctx, `SELECT o.name, count(*) FILTER (WHERE c.status = 'open'), count(*) FILTER (WHERE c.status = 'done')
		FROM commitments c JOIN members m ON m.id = c.owner_id JOIN organisations o ON o.id = m.org_id
		WHERE c.network_id = $1 AND c.status <> 'dropped'
		GROUP BY o.name ORDER BY o.name LIMIT $2`, networkID, DigestLimit+1)
	if err != nil {
		return d, fmt.Errorf("digest organisations: %w", interpret(err))
	}
	defer rows.Close()
	for rows.Next() {
		var o OrgCount
		if err := rows.Scan(&o.Name, &o.Open, &o.Done); err != nil {
			return d, fmt.Errorf("digest organisations: %w", err)
		}
		d.Orgs = append(d.Orgs, o)
	}
	return d, interpret(rows.Err())
}

// SetNudges sets a member's nudge preference: "on", "weekly" or "off".
func (q *Queries) SetNudges(ctx context.Context, memberID int64, mode string) error {
	if _, err := q.db.Exec(ctx, `UPDATE members SET nudges = $2, updated_at = now() WHERE id = $1`, memberID, mode); err != nil {
		return fmt.Errorf("set nudges: %w", interpret(err))
	}
	return nil
}

// SetWorkHours sets a member's working hours (minutes after midnight).
func (q *Queries) SetWorkHours(ctx context.Context, memberID int64, start, end int) error {
	if _, err := q.db.Exec(ctx, `UPDATE members SET work_start = $2, work_end = $3, updated_at = now() WHERE id = $1`,
		memberID, start, end); err != nil {
		return fmt.Errorf("set working hours: %w", interpret(err))
	}
	return nil
}

// NudgeCandidate is an open commitment with a due date whose owner may
// need a reminder, with what the planner needs to decide.
type NudgeCandidate struct {
	Commitment
	Owner           Member
	NetworkTimezone string
	NetworkLanguage string
	// LastAct is when the owner last did something to the commitment
	// (created it, changed its date, updated it).
	LastAct time.Time
	// OverdueSent counts overdue reminders sent since LastAct.
	OverdueSent int
	// LastKey is the key of the newest reminder claimed for the
	// commitment ("" when none; EachNudgeCandidate sets it).
	LastKey string
}

// Nudge is one reminder to a member, claimed before it is sent.
type Nudge struct {
	ID           int64
	Key          string
	MemberID     int64
	CommitmentID int64 // 0 for a weekly summary
	Stage        string
	Overdue      bool
	MessageID    string
	SentAt       time.Time
	CreatedAt    time.Time
}

// NudgesClaimed returns which of keys are already claimed.
func (q *Queries) NudgesClaimed(ctx context.Context, keys []string) (map[string]bool, error) {
	rows, err := q.db.Query(ctx, `SELECT key FROM nudges WHERE key = ANY($1)`, keys)
	if err != nil {
		return nil, fmt.Errorf("nudges claimed: %w", interpret(err))
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("nudges claimed: %w", err)
		}
		out[k] = true
	}
	return out, interpret(rows.Err())
}

// ClaimNudge records a reminder; false when its key was already claimed.
func (q *Queries) ClaimNudge(ctx context.Context, n Nudge) (Nudge, bool, error) {
	err := q.db.QueryRow(ctx, `INSERT INTO nudges (key, member_id, commitment_id, stage, overdue, created_at)
		VALUES ($1, $2, nullif($3, 0), $4, $5, $6) ON CONFLICT (key) DO NOTHING RETURNING id`,
		n.Key, n.MemberID, n.CommitmentID, n.Stage, n.Overdue, n.CreatedAt).Scan(&n.ID)
	if err != nil {
		if err = interpret(err); err == ErrNotFound {
			return n, false, nil
		}
		return n, false, fmt.Errorf("claim nudge: %w", err)
	}
	return n, true, nil
}

// NudgeByID reads a claimed reminder.
func (q *Queries) NudgeByID(ctx context.Context, id int64) (Nudge, error) {
	var n Nudge
	var sent *time.Time
	err := q.db.QueryRow(ctx, `SELECT id, key, member_id, coalesce(commitment_id, 0), stage, overdue, message_id, sent_at, created_at
		FROM nudges WHERE id = $1`, id).Scan(&n.ID, &n.Key, &n.MemberID, &n.CommitmentID, &n.Stage, &n.Overdue,
		&n.MessageID, &sent, &n.CreatedAt)
	if err != nil {
		return Nudge{}, fmt.Errorf("nudge: %w", interpret(err))
	}
	if sent != nil {
		n.SentAt = *sent
	}
	return n, nil
}

// MarkNudgeSent records that the platform took a reminder.
func (q *Queries) MarkNudgeSent(ctx context.Context, id int64, messageID string, at time.Time) error {
	if _, err := q.db.Exec(ctx, `UPDATE nudges SET sent_at = $2, message_id = $3 WHERE id = $1`, id, at, messageID); err != nil {
		return fmt.Errorf("mark nudge sent: %w", interpret(err))
	}
	return nil
}

// CommitmentByID reads a commitment by its row id.
func (q *Queries) CommitmentByID(ctx context.Context, id int64) (Commitment, error) {
	return q.commitmentByID(ctx, id)
}

// OpenCommitmentsDue lists a member's open commitments due on or before
// dueBy, soonest first (the weekly summary).
func (q *Queries) OpenCommitmentsDue(ctx context.Context, ownerID int64, dueBy time.Time) ([]Commitment, error) {
	rows, err := q.db.Query(ctx, `SELECT `+commitmentColumns+commitmentFrom+`
		WHERE c.owner_id = $1 AND c.status = 'open' AND c.due <= $2::date ORDER BY c.due, c.no LIMIT $3`,
		ownerID, dueBy.Format(time.DateOnly), DigestLimit)
	if err != nil {
		return nil, fmt.Errorf("open commitments due: %w", interpret(err))
	}
	defer rows.Close()
	var out []Commitment
	for rows.Next() {
		c, err := scanCommitment(rows)
		if err != nil {
			return nil, fmt.Errorf("open commitments due: %w", err)
		}
		out = append(out, c)
	}
	return out, interpret(rows.Err())
}

// MarkDigestPosted records the id of a digest's first message before its
// details go into the thread, so a retry does not post it again.
func (q *Queries) MarkDigestPosted(ctx context.Context, id int64, messageID string) error {
	if _, err := q.db.Exec(ctx, `UPDATE digests SET message_id = $2 WHERE id = $1`, id, messageID); err != nil {
		return fmt.Errorf("mark digest posted: %w", interpret(err))
	}
	return nil
}

// SkipDigest records why a claimed digest slot was not sent.
func (q *Queries) SkipDigest(ctx context.Context, id int64, why string) error {
	if _, err := q.db.Exec(ctx, `UPDATE digests SET skipped = $2 WHERE id = $1 AND sent_at IS NULL`, id, why); err != nil {
		return fmt.Errorf("skip digest: %w", interpret(err))
	}
	return nil
}

// SkipNudge records that a claimed reminder was not sent (the commitment
// changed, or it came too late); the key stays claimed.
func (q *Queries) SkipNudge(ctx context.Context, id int64, why string) error {
	if _, err := q.db.Exec(ctx, `UPDATE nudges SET skipped = $2 WHERE id = $1 AND sent_at IS NULL`, id, why); err != nil {
		return fmt.Errorf("skip nudge: %w", interpret(err))
	}
	return nil
}

// OverdueNudgesSince counts a commitment's overdue reminders claimed since
// its owner last acted on it.
func (q *Queries) OverdueNudgesSince(ctx context.Context, commitmentID int64) (int, error) {
	var n int
	err := q.db.QueryRow(ctx, `SELECT count(*) FROM nudges x JOIN commitments c ON c.id = x.commitment_id
		WHERE x.commitment_id = $1 AND x.overdue AND x.skipped = ''
			AND x.created_at > (SELECT coalesce(max(u.created_at), c.created_at) FROM commitment_updates u
				WHERE u.commitment_id = c.id AND u.member_id = c.owner_id)`, commitmentID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("overdue nudges: %w", interpret(err))
	}
	return n, nil
}
