package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Commitment statuses.
const (
	StatusOpen    = "open"
	StatusDone    = "done"
	StatusDropped = "dropped"
)

// ErrNotOwner is returned when a member changes a commitment that is not
// theirs.
var ErrNotOwner = errors.New("not the owner")

// ErrClosed is returned when a commitment that is done or dropped is
// changed again.
var ErrClosed = errors.New("commitment is closed")

// Goal is a shared goal of a network.
type Goal struct {
	ID        int64
	No        int64
	Text      string
	CreatedAt time.Time
}

// GoalProgress is a goal with its commitments counted.
type GoalProgress struct {
	Goal
	Done, Total, Overdue int
	Orgs                 []string
}

// Commitment is who contributes what, by when, to which goal.
type Commitment struct {
	ID            int64
	NetworkID     int64
	No            int64
	OwnerID       int64
	OwnerName     string
	OwnerOrg      string
	RecipientID   int64
	RecipientName string
	GoalNo        int64
	GoalText      string
	Text          string
	Due           time.Time // zero: no due date
	Status        string
	CreatedAt     time.Time
	DoneAt        time.Time
	LastNote      string
}

// CommitmentUpdate is one entry in a commitment's history.
type CommitmentUpdate struct {
	Kind      string
	Note      string
	Due       time.Time
	CreatedAt time.Time
}

// NewCommitment is what a member commits to.
type NewCommitment struct {
	NetworkID   int64
	OwnerID     int64
	RecipientID int64 // 0: none
	GoalNo      int64 // 0: none
	Text        string
	Due         time.Time // zero: none
	At          time.Time
}

func dateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}

// AddGoal adds a goal and returns it with its number.
func (q *Queries) AddGoal(ctx context.Context, networkID, memberID int64, text string, at time.Time) (Goal, error) {
	g := Goal{Text: text, CreatedAt: at}
	err := q.db.QueryRow(ctx, `
		WITH n AS (UPDATE networks SET goal_seq = goal_seq + 1 WHERE id = $1 RETURNING goal_seq)
		INSERT INTO goals (network_id, no, text, created_by, created_at)
		SELECT $1, n.goal_seq, $2, $3, $4 FROM n RETURNING id, no`, networkID, text, memberID, at).Scan(&g.ID, &g.No)
	if err != nil {
		return Goal{}, fmt.Errorf("add goal: %w", interpret(err))
	}
	return g, nil
}

// Goals lists a network's goals with progress as of today.
func (q *Queries) Goals(ctx context.Context, networkID int64, today time.Time) ([]GoalProgress, error) {
	rows, err := q.db.Query(ctx, `
		SELECT g.id, g.no, g.text, g.created_at,
			count(c.id) FILTER (WHERE c.status = 'done'),
			count(c.id) FILTER (WHERE c.status <> 'dropped'),
			count(c.id) FILTER (WHERE c.status = 'open' AND c.due < $2::date),
			coalesce(array_agg(DISTINCT o.name) FILTER (WHERE o.name IS NOT NULL AND c.status <> 'dropped'), '{}')
		FROM goals g
		LEFT JOIN commitments c ON c.goal_id = g.id
		LEFT JOIN members m ON m.id = c.owner_id
		LEFT JOIN organisations o ON o.id = m.org_id
		WHERE g.network_id = $1
		GROUP BY g.id ORDER BY g.no`, networkID, today.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("goals: %w", interpret(err))
	}
	defer rows.Close()
	var out []GoalProgress
	for rows.Next() {
		var g GoalProgress
		if err := rows.Scan(&g.ID, &g.No, &g.Text, &g.CreatedAt, &g.Done, &g.Total, &g.Overdue, &g.Orgs); err != nil {
			return nil, fmt.Errorf("goals: %w", err)
		}
		out = append(out, g)
	}
	return out, interpret(rows.Err())
}

// AddCommitment records a commitment and its first history entry in one
// transaction and returns it with its short number.
func (s *Store) AddCommitment(ctx context.Context, nc NewCommitment) (Commitment, error) {
	var goalID *int64
	if nc.GoalNo != 0 {
		var g int64
		err := s.db.QueryRow(ctx, `SELECT id FROM goals WHERE network_id = $1 AND no = $2`, nc.NetworkID, nc.GoalNo).Scan(&g)
		if err != nil {
			return Commitment{}, fmt.Errorf("goal %d: %w", nc.GoalNo, interpret(err))
		}
		goalID = &g
	}
	var recipient *int64
	if nc.RecipientID != 0 {
		recipient = &nc.RecipientID
	}
	// The short number comes first, in a statement of its own whose
	// commit does not wait for the WAL flush, so the network's row (which
	// hands out the numbers) is locked for microseconds, not for a disk
	// write per commitment: under load every commitment of a network
	// queued behind the one before. The commitment then commits durably;
	// its WAL record follows the number's, so once it is on disk the
	// number is too. A failure in between leaves a gap in the numbers,
	// nothing else.
	var no int64
	err := s.db.QueryRow(ctx, `
		WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
		UPDATE networks SET commitment_seq = commitment_seq + 1 FROM relaxed WHERE id = $1
		RETURNING commitment_seq`, nc.NetworkID).Scan(&no)
	if err != nil {
		return Commitment{}, fmt.Errorf("add commitment: %w", interpret(err))
	}
	var id int64
	err = s.db.QueryRow(ctx, `
		WITH c AS (
			INSERT INTO commitments (network_id, no, owner_id, recipient_id, goal_id, text, due, created_at, updated_at)
			VALUES ($1, $8, $2, $3, $4, $5, $6::date, $7, $7) RETURNING id),
		u AS (
			INSERT INTO commitment_updates (commitment_id, member_id, kind, note, due, created_at)
			SELECT c.id, $2, 'created', '', $6::date, $7 FROM c)
		SELECT id FROM c`,
		nc.NetworkID, nc.OwnerID, recipient, goalID, nc.Text, dateArg(nc.Due), nc.At, no).Scan(&id)
	if err != nil {
		return Commitment{}, fmt.Errorf("add commitment: %w", interpret(err))
	}
	return s.commitmentByID(ctx, id)
}

func (q *Queries) addUpdate(ctx context.Context, commitmentID, memberID int64, kind, note string, due, at time.Time) error {
	_, err := q.db.Exec(ctx, `INSERT INTO commitment_updates (commitment_id, member_id, kind, note, due, created_at)
		VALUES ($1, $2, $3, $4, $5::date, $6)`, commitmentID, memberID, kind, note, dateArg(due), at)
	if err != nil {
		return fmt.Errorf("commitment update: %w", interpret(err))
	}
	return nil
}

const commitmentColumns = `c.id, c.network_id, c.no, c.owner_id, coalesce(nullif(m.display_name, ''), ''),
	coalesce(o.name, ''), coalesce(c.recipient_id, 0), coalesce(r.display_name, ''),
	coalesce(g.no, 0), coalesce(g.text, ''), c.text, coalesce(c.due, '0001-01-01'::date), c.status,
	c.created_at, coalesce(c.done_at, '0001-01-01'::timestamptz),
	coalesce((SELECT u.note FROM commitment_updates u WHERE u.commitment_id = c.id AND u.note <> '' AND u.kind IN ('update', 'done', 'dropped')
		ORDER BY u.created_at DESC, u.id DESC LIMIT 1), '')`

const commitmentFrom = ` FROM commitments c
	JOIN members m ON m.id = c.owner_id
	LEFT JOIN organisations o ON o.id = m.org_id
	LEFT JOIN members r ON r.id = c.recipient_id
	LEFT JOIN goals g ON g.id = c.goal_id `

func scanCommitment(row interface{ Scan(...any) error }) (Commitment, error) {
	var c Commitment
	err := row.Scan(&c.ID, &c.NetworkID, &c.No, &c.OwnerID, &c.OwnerName, &c.OwnerOrg, &c.RecipientID,
		&c.RecipientName, &c.GoalNo, &c.GoalText, &c.Text, &c.Due, &c.Status, &c.CreatedAt, &c.DoneAt, &c.LastNote)
	if c.Due.Year() == 1 {
		c.Due = time.Time{}
	}
	if c.DoneAt.Year() == 1 {
		c.DoneAt = time.Time{}
	}
	return c, err
}

func (q *Queries) commitmentByID(ctx context.Context, id int64) (Commitment, error) {
	c, err := scanCommitment(q.db.QueryRow(ctx, `SELECT `+commitmentColumns+commitmentFrom+`WHERE c.id = $1`, id))
	if err != nil {
		return Commitment{}, fmt.Errorf("commitment: %w", interpret(err))
	}
	return c, nil
}

// Commitment reads a commitment by its short number in a network.
func (q *Queries) Commitment(ctx context.Context, networkID, no int64) (Commitment, error) {
	c, err := scanCommitment(q.db.QueryRow(ctx, `SELECT `+commitmentColumns+commitmentFrom+
		`WHERE c.network_id = $1 AND c.no = $2`, networkID, no))
	if err != nil {
		return Commitment{}, fmt.Errorf("commitment %d: %w", no, interpret(err))
	}
	return c, nil
}

// CommitmentFilter selects commitments to list. Zero fields do not filter.
type CommitmentFilter struct {
	NetworkID int64
	OwnerID   int64
	// RecipientID: commitments made to this member.
	RecipientID int64
	GoalNo      int64
	OpenOnly    bool
	// Orphaned: open commitments whose owner asked to be forgotten.
	Orphaned bool
	Overdue  time.Time // non-zero: open and due before this day
	Limit    int
}

// Commitments lists commitments: open ones by due date first, then the
// closed ones, newest first.
func (q *Queries) Commitments(ctx context.Context, f CommitmentFilter) ([]Commitment, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	// The filter is built from the fields set, so each shape of query gets
	// a plan that uses its index.
	where := []string{"c.network_id = $1"}
	args := []any{f.NetworkID}
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.OwnerID != 0 {
		arg("c.owner_id = ?", f.OwnerID)
	}
	if f.RecipientID != 0 {
		arg("c.recipient_id = ?", f.RecipientID)
	}
	if f.GoalNo != 0 {
		arg("g.no = ?", f.GoalNo)
	}
	if f.Orphaned {
		where = append(where, "c.status = 'open' AND m.forgotten_at IS NOT NULL")
	}
	if f.OpenOnly {
		where = append(where, "c.status = 'open'")
	}
	if !f.Overdue.IsZero() {
		arg("c.status = 'open' AND c.due < ?::date", dateArg(f.Overdue))
	}
	args = append(args, f.Limit)
	rows, err := q.db.Query(ctx, `SELECT `+commitmentColumns+commitmentFrom+`
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY c.status = 'open' DESC, c.status = 'done' DESC, c.due NULLS LAST, c.no DESC
		LIMIT $`+fmt.Sprint(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("commitments: %w", interpret(err))
	}
	defer rows.Close()
	var out []Commitment
	for rows.Next() {
		c, err := scanCommitment(rows)
		if err != nil {
			return nil, fmt.Errorf("commitments: %w", err)
		}
		out = append(out, c)
	}
	return out, interpret(rows.Err())
}

// History returns a commitment's updates, oldest first.
func (q *Queries) History(ctx context.Context, commitmentID int64) ([]CommitmentUpdate, error) {
	rows, err := q.db.Query(ctx, `SELECT kind, note, coalesce(due, '0001-01-01'::date), created_at
		FROM commitment_updates WHERE commitment_id = $1 ORDER BY created_at, id`, commitmentID)
	if err != nil {
		return nil, fmt.Errorf("history: %w", interpret(err))
	}
	defer rows.Close()
	var out []CommitmentUpdate
	for rows.Next() {
		var u CommitmentUpdate
		if err := rows.Scan(&u.Kind, &u.Note, &u.Due, &u.CreatedAt); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		if u.Due.Year() == 1 {
			u.Due = time.Time{}
		}
		out = append(out, u)
	}
	return out, interpret(rows.Err())
}

// Change is a change a member makes to one of their commitments.
type Change struct {
	NetworkID int64
	No        int64
	MemberID  int64
	Kind      string    // "update", "done", "dropped", "due"
	Note      string    // free text for update/done/dropped
	Due       time.Time // the new due date for "due"
	At        time.Time
	// Coordinator lets MemberID drop a commitment whose owner was
	// forgotten (nothing else of someone else's).
	Coordinator bool
}

// ChangeCommitment applies a change by the commitment's owner, with its
// history entry and, for "done", the delivery evidence, in one transaction.
// A coordinator may also drop an orphan (see Change.Coordinator). It
// returns ErrNotFound, ErrNotOwner or ErrClosed without changing anything.
func (s *Store) ChangeCommitment(ctx context.Context, ch Change) (Commitment, error) {
	var id int64
	err := s.Tx(ctx, func(q *Queries) error {
		var owner int64
		var status, text string
		var orphan bool
		err := q.db.QueryRow(ctx, `SELECT c.id, c.owner_id, c.status, c.text, m.forgotten_at IS NOT NULL
			FROM commitments c JOIN members m ON m.id = c.owner_id
			WHERE c.network_id = $1 AND c.no = $2 FOR UPDATE OF c`, ch.NetworkID, ch.No).Scan(&id, &owner, &status, &text, &orphan)
		if err != nil {
			return interpret(err)
		}
		if owner != ch.MemberID && !(ch.Coordinator && orphan && ch.Kind == "dropped") {
			return ErrNotOwner
		}
		if status != StatusOpen {
			return ErrClosed
		}
		var upd string
		switch ch.Kind {
		case "done":
			upd = `UPDATE commitments SET status = 'done', done_at = $2, updated_at = $2 WHERE id = $1`
		case "dropped":
			upd = `UPDATE commitments SET status = 'dropped', updated_at = $2 WHERE id = $1`
		case "due":
			upd = `UPDATE commitments SET due = $3::date, updated_at = $2 WHERE id = $1`
		case "update":
			upd = `UPDATE commitments SET updated_at = $2 WHERE id = $1`
		default:
			return fmt.Errorf("unknown change %q", ch.Kind)
		}
		args := []any{id, ch.At}
		if ch.Kind == "due" {
			args = append(args, dateArg(ch.Due))
		}
		if _, err := q.db.Exec(ctx, upd, args...); err != nil {
			return fmt.Errorf("change commitment: %w", interpret(err))
		}
		if err := q.addUpdate(ctx, id, ch.MemberID, ch.Kind, ch.Note, ch.Due, ch.At); err != nil {
			return err
		}
		if ch.Kind == "done" {
			return q.addEvidence(ctx, owner, KindDelivered, id, text, WeightDelivered, ch.At)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			err = ErrNotFound
		}
		return Commitment{}, err
	}
	return s.commitmentByID(ctx, id)
}

// Ask is an open question to the network.
type Ask struct {
	No        int64
	Text      string
	AskedBy   string
	CreatedAt time.Time
}

// AddAsk records an open ask.
func (q *Queries) AddAsk(ctx context.Context, networkID, memberID int64, text string, at time.Time) (Ask, error) {
	a := Ask{Text: text, CreatedAt: at}
	err := q.db.QueryRow(ctx, `
		WITH n AS (UPDATE networks SET ask_seq = ask_seq + 1 WHERE id = $1 RETURNING ask_seq)
		INSERT INTO asks (network_id, no, member_id, text, created_at)
		SELECT $1, n.ask_seq, $2, $3, $4 FROM n RETURNING no`, networkID, memberID, text, at).Scan(&a.No)
	if err != nil {
		return Ask{}, fmt.Errorf("add ask: %w", interpret(err))
	}
	return a, nil
}

// OpenAsks lists the network's open asks, oldest first.
func (q *Queries) OpenAsks(ctx context.Context, networkID int64) ([]Ask, error) {
	rows, err := q.db.Query(ctx, `SELECT a.no, a.text, coalesce(m.display_name, ''), a.created_at
		FROM asks a LEFT JOIN members m ON m.id = a.member_id
		WHERE a.network_id = $1 AND a.status = 'open' ORDER BY a.no LIMIT 50`, networkID)
	if err != nil {
		return nil, fmt.Errorf("asks: %w", interpret(err))
	}
	defer rows.Close()
	var out []Ask
	for rows.Next() {
		var a Ask
		if err := rows.Scan(&a.No, &a.Text, &a.AskedBy, &a.CreatedAt); err != nil {
			return nil, fmt.Errorf("asks: %w", err)
		}
		out = append(out, a)
	}
	return out, interpret(rows.Err())
}

// CommitmentCounts counts a member's open and delivered commitments.
func (q *Queries) CommitmentCounts(ctx context.Context, ownerID int64) (open, done int, err error) {
	err = q.db.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE status = 'done')
		FROM commitments WHERE owner_id = $1`, ownerID).Scan(&open, &done)
	if err != nil {
		return 0, 0, fmt.Errorf("commitment counts: %w", interpret(err))
	}
	return open, done, nil
}
