package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// This file holds what "export me" reads beyond the profile, and what a
// network does with the open commitments of a member who asked to be
// forgotten. Each export section is one query, whatever the number of
// commitments.

// ErrNotOrphaned is returned when a commitment is reassigned whose owner
// is still a member: only orphans (owner forgotten) change hands.
var ErrNotOrphaned = errors.New("commitment still has an owner")

// EndorsementGiven is an endorsement a member gave.
type EndorsementGiven struct {
	To        string    `json:"to"` // endorsee's display name ("" once forgotten)
	Skill     string    `json:"skill"`
	CreatedAt time.Time `json:"at"`
}

// EndorsementsGiven lists the endorsements memberID gave, newest first.
func (q *Queries) EndorsementsGiven(ctx context.Context, memberID int64) ([]EndorsementGiven, error) {
	return collect(ctx, q, "endorsements given", `SELECT m.display_name, e.skill, e.created_at
		FROM endorsements e JOIN members m ON m.id = e.endorsee_id
		WHERE e.endorser_id = $1 ORDER BY e.created_at DESC, e.id DESC`,
		func(rows pgx.Rows, e *EndorsementGiven) error { return rows.Scan(&e.To, &e.Skill, &e.CreatedAt) }, memberID)
}

// MemberAsk is an ask a member posted, open or closed.
type MemberAsk struct {
	No        int64     `json:"no"`
	Text      string    `json:"text"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"at"`
}

// AsksBy lists the asks memberID posted, oldest first.
func (q *Queries) AsksBy(ctx context.Context, memberID int64) ([]MemberAsk, error) {
	return collect(ctx, q, "asks", `SELECT no, text, status, created_at FROM asks
		WHERE member_id = $1 ORDER BY no`,
		func(rows pgx.Rows, a *MemberAsk) error { return rows.Scan(&a.No, &a.Text, &a.Status, &a.CreatedAt) }, memberID)
}

// GoalsCreatedBy lists the goals memberID added, by number.
func (q *Queries) GoalsCreatedBy(ctx context.Context, memberID int64) ([]Goal, error) {
	return collect(ctx, q, "goals created", `SELECT id, no, text, created_at FROM goals
		WHERE created_by = $1 ORDER BY no`,
		func(rows pgx.Rows, g *Goal) error { return rows.Scan(&g.ID, &g.No, &g.Text, &g.CreatedAt) }, memberID)
}

// OwnerHistory returns the history of every commitment ownerID owns,
// keyed by the commitment's short number, oldest entry first.
func (q *Queries) OwnerHistory(ctx context.Context, ownerID int64) (map[int64][]CommitmentUpdate, error) {
	type row struct {
		no int64
		u  CommitmentUpdate
	}
	rows, err := collect(ctx, q, "history", `SELECT c.no, u.kind, u.note, coalesce(u.due, '0001-01-01'::date), u.created_at
		FROM commitments c JOIN commitment_updates u ON u.commitment_id = c.id
		WHERE c.owner_id = $1 ORDER BY c.no, u.created_at, u.id`,
		func(rows pgx.Rows, r *row) error {
			return rows.Scan(&r.no, &r.u.Kind, &r.u.Note, &r.u.Due, &r.u.CreatedAt)
		}, ownerID)
	if err != nil {
		return nil, err
	}
	out := map[int64][]CommitmentUpdate{}
	for _, r := range rows {
		if r.u.Due.Year() == 1 {
			r.u.Due = time.Time{}
		}
		out[r.no] = append(out[r.no], r.u)
	}
	return out, nil
}

// collect runs a query and scans every row into a T.
func collect[T any](ctx context.Context, q *Queries, what, sql string, scan func(pgx.Rows, *T) error, args ...any) ([]T, error) {
	rows, err := q.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, interpret(err))
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := interpret(rows.Err()); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// Reassign gives an open commitment whose owner was forgotten to
// toMemberID, with a history entry by byMemberID. It returns ErrNotFound
// (no such commitment), ErrClosed, or ErrNotOrphaned (the owner is still
// a member) without changing anything. Reminders already claimed for the
// old owner are released, so the new owner's reminders follow the usual
// stages.
func (s *Store) Reassign(ctx context.Context, networkID, no, toMemberID, byMemberID int64, at time.Time) (Commitment, error) {
	var id int64
	err := s.Tx(ctx, func(q *Queries) error {
		var status string
		var forgotten bool
		err := q.db.QueryRow(ctx, `SELECT c.id, c.status, m.forgotten_at IS NOT NULL
			FROM commitments c JOIN members m ON m.id = c.owner_id
			WHERE c.network_id = $1 AND c.no = $2 FOR UPDATE OF c`, networkID, no).Scan(&id, &status, &forgotten)
		if err != nil {
			return interpret(err)
		}
		if status != StatusOpen {
			return ErrClosed
		}
		if !forgotten {
			return ErrNotOrphaned
		}
		if _, err := q.db.Exec(ctx, `UPDATE commitments SET owner_id = $2, updated_at = $3 WHERE id = $1`,
			id, toMemberID, at); err != nil {
			return fmt.Errorf("reassign: %w", interpret(err))
		}
		if _, err := q.db.Exec(ctx, `DELETE FROM nudges WHERE commitment_id = $1`, id); err != nil {
			return fmt.Errorf("reassign: %w", interpret(err))
		}
		return q.addUpdate(ctx, id, byMemberID, "reassigned", "", time.Time{}, at)
	})
	if err != nil {
		return Commitment{}, err
	}
	return s.commitmentByID(ctx, id)
}

// forgetMatrixProfile removes a Matrix member's profile from the Matrix
// client's state store (mautrix's mx_user_profile, in Knoop's schema when
// Matrix runs). Rows of rooms the member left go; in rooms they are still
// in, the display name and avatar are blanked but the membership stays,
// since end-to-end encryption shares room keys by it. A schema without
// the table (no Matrix) has nothing to remove.
func (q *Queries) forgetMatrixProfile(ctx context.Context, memberID int64) error {
	var user string
	err := q.db.QueryRow(ctx, `SELECT coalesce(m.platform_user_id, '') FROM members m
		WHERE m.id = $1 AND m.platform = 'matrix' AND to_regclass('mx_user_profile') IS NOT NULL`, memberID).Scan(&user)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && user == "") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("forget matrix profile: %w", interpret(err))
	}
	for _, st := range []string{
		`DELETE FROM mx_user_profile WHERE user_id = $1 AND membership NOT IN ('join', 'invite')`,
		`UPDATE mx_user_profile SET displayname = '', avatar_url = '', name_skeleton = NULL WHERE user_id = $1`,
	} {
		if _, err := q.db.Exec(ctx, st, user); err != nil {
			return fmt.Errorf("forget matrix profile: %w", interpret(err))
		}
	}
	return nil
}
