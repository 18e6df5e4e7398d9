package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Intro is one request for an introduction, from the asker to an expert.
type Intro struct {
	ID, NetworkID     int64
	AskerID, ExpertID int64
	Topic, Note       string
	Lang              string // the language the asker asked in
	Status            string // "asked", "accepted", "declined"
	// Rest is the rest of the who-answer the request came from, in order.
	Rest      []int64
	CreatedAt time.Time
	DecidedAt time.Time // zero while asked
}

const introColumns = `id, network_id, asker_id, expert_id, topic, note, lang, status, rest, created_at,
	coalesce(decided_at, '0001-01-01'::timestamptz)`

func scanIntro(row interface{ Scan(...any) error }) (Intro, error) {
	var in Intro
	err := row.Scan(&in.ID, &in.NetworkID, &in.AskerID, &in.ExpertID, &in.Topic, &in.Note, &in.Lang, &in.Status,
		&in.Rest, &in.CreatedAt, &in.DecidedAt)
	if in.DecidedAt.Year() == 1 {
		in.DecidedAt = time.Time{}
	}
	return in, interpret(err)
}

// SaveIntroOffer remembers a member's last who-answer: its topic and the
// members it listed, in order. It replaces the one before.
func (q *Queries) SaveIntroOffer(ctx context.Context, memberID int64, topic string, members []int64, at time.Time) error {
	_, err := q.db.Exec(ctx, `INSERT INTO intro_offers (member_id, topic, members, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (member_id) DO UPDATE
		SET topic = excluded.topic, members = excluded.members, created_at = excluded.created_at`,
		memberID, topic, members, at)
	if err != nil {
		return fmt.Errorf("save intro offer: %w", interpret(err))
	}
	return nil
}

// IntroOffer returns a member's last who-answer made after since.
// ErrNotFound: none.
func (q *Queries) IntroOffer(ctx context.Context, memberID int64, since time.Time) (topic string, members []int64, err error) {
	err = q.db.QueryRow(ctx, `SELECT topic, members FROM intro_offers WHERE member_id = $1 AND created_at > $2`,
		memberID, since).Scan(&topic, &members)
	if err != nil {
		return "", nil, fmt.Errorf("intro offer: %w", interpret(err))
	}
	return topic, members, nil
}

// SetIntrosOff sets whether a member takes introductions.
func (q *Queries) SetIntrosOff(ctx context.Context, memberID int64, off bool) error {
	_, err := q.db.Exec(ctx, `UPDATE members SET intros_off = $2 WHERE id = $1`, memberID, off)
	if err != nil {
		return fmt.Errorf("set intros: %w", interpret(err))
	}
	return nil
}

// AddIntro records a request. ErrConflict: the asker has an unanswered
// request to the same expert already.
func (s *Store) AddIntro(ctx context.Context, in Intro) (Intro, error) {
	var out Intro
	err := s.Tx(ctx, func(q *Queries) error {
		var dup bool
		if err := q.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM intros
			WHERE asker_id = $1 AND expert_id = $2 AND status = 'asked')`, in.AskerID, in.ExpertID).Scan(&dup); err != nil {
			return fmt.Errorf("add intro: %w", interpret(err))
		}
		if dup {
			return ErrConflict
		}
		if in.Rest == nil {
			in.Rest = []int64{}
		}
		var err error
		out, err = scanIntro(q.db.QueryRow(ctx, `INSERT INTO intros (network_id, asker_id, expert_id, topic, note, lang, rest, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING `+introColumns,
			in.NetworkID, in.AskerID, in.ExpertID, in.Topic, in.Note, in.Lang, in.Rest, in.CreatedAt))
		if err != nil {
			return fmt.Errorf("add intro: %w", err)
		}
		return nil
	})
	return out, err
}

// DeleteIntro removes a request (one that could not be delivered).
func (q *Queries) DeleteIntro(ctx context.Context, id int64) error {
	_, err := q.db.Exec(ctx, `DELETE FROM intros WHERE id = $1`, id)
	return interpret(err)
}

// IntroByID returns a request. ErrNotFound: none in the network.
func (q *Queries) IntroByID(ctx context.Context, networkID, id int64) (Intro, error) {
	in, err := scanIntro(q.db.QueryRow(ctx, `SELECT `+introColumns+` FROM intros WHERE id = $1 AND network_id = $2`, id, networkID))
	if err != nil {
		return Intro{}, fmt.Errorf("intro: %w", err)
	}
	return in, nil
}

// ErrChanged is returned when a row changed since it was read.
var ErrChanged = errors.New("changed meanwhile")

// DecideIntro moves a request from asked to status. ErrChanged: it was
// answered meanwhile.
func (q *Queries) DecideIntro(ctx context.Context, id int64, status string, at time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE intros SET status = $2, decided_at = $3 WHERE id = $1 AND status = 'asked'`, id, status, at)
	if err != nil {
		return fmt.Errorf("decide intro: %w", interpret(err))
	}
	if tag.RowsAffected() == 0 {
		return ErrChanged
	}
	return nil
}

// IntrosOf lists the requests a member made or received, newest first.
func (q *Queries) IntrosOf(ctx context.Context, memberID int64, limit int) ([]Intro, error) {
	rows, err := q.db.Query(ctx, `SELECT `+introColumns+` FROM intros
		WHERE asker_id = $1 OR expert_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, memberID, limit)
	if err != nil {
		return nil, fmt.Errorf("intros of: %w", interpret(err))
	}
	defer rows.Close()
	var out []Intro
	for rows.Next() {
		in, err := scanIntro(rows)
		if err != nil {
			return nil, fmt.Errorf("intros of: %w", err)
		}
		out = append(out, in)
	}
	return out, interpret(rows.Err())
}

// MemberIntro is an introduction as "export me" shows it.
type MemberIntro struct {
	Role      string    `json:"role"` // "asked" (the member asked) or "expert"
	With      string    `json:"with"` // the other member's display name ("" once forgotten)
	Topic     string    `json:"topic"`
	Note      string    `json:"note,omitempty"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"at"`
}

// IntrosFor lists the introductions memberID asked for or was asked for,
// oldest first.
func (q *Queries) IntrosFor(ctx context.Context, memberID int64) ([]MemberIntro, error) {
	return collect(ctx, q, "introductions", `SELECT CASE WHEN i.asker_id = $1 THEN 'asked' ELSE 'expert' END,
			m.display_name, i.topic, i.note, i.status, i.created_at
		FROM intros i JOIN members m ON m.id = CASE WHEN i.asker_id = $1 THEN i.expert_id ELSE i.asker_id END
		WHERE i.asker_id = $1 OR i.expert_id = $1 ORDER BY i.created_at, i.id`,
		func(rows pgx.Rows, x *MemberIntro) error {
			return rows.Scan(&x.Role, &x.With, &x.Topic, &x.Note, &x.Status, &x.CreatedAt)
		}, memberID)
}

// StaleIntros lists up to limit requests still asked that were made
// before before, oldest first.
func (q *Queries) StaleIntros(ctx context.Context, before time.Time, limit int) ([]Intro, error) {
	rows, err := q.db.Query(ctx, `SELECT `+introColumns+` FROM intros
		WHERE status = 'asked' AND created_at < $1 ORDER BY created_at, id LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("stale intros: %w", interpret(err))
	}
	defer rows.Close()
	var out []Intro
	for rows.Next() {
		in, err := scanIntro(rows)
		if err != nil {
			return nil, fmt.Errorf("stale intros: %w", err)
		}
		out = append(out, in)
	}
	return out, interpret(rows.Err())
}

// IntroCandidate is a member who may be offered for an introduction, with
// what decides whether they can be asked now.
type IntroCandidate struct {
	Member
	Off  bool // said "intros off"
	Open int  // requests still asked, made after the window's start
}

// IntroCandidates reads the members ids name (in one statement), whether
// each takes introductions and how many requests each has open since
// since. Members not found are left out.
func (q *Queries) IntroCandidates(ctx context.Context, ids []int64, since time.Time) (map[int64]IntroCandidate, error) {
	return q.introCandidates(ctx, `SELECT `+introCandidateColumns+`
		FROM members m LEFT JOIN organisations o ON o.id = m.org_id WHERE m.id = ANY($1)`, ids, since)
}

// OfferIntros remembers a member's last who-answer as SaveIntroOffer does
// and reads its members as IntroCandidates does, in one statement (a
// who-answer offers introductions to the members it lists).
func (q *Queries) OfferIntros(ctx context.Context, memberID int64, topic string, ids []int64, at, since time.Time) (map[int64]IntroCandidate, error) {
	return q.introCandidates(ctx, `WITH saved AS (
		INSERT INTO intro_offers (member_id, topic, members, created_at)
		VALUES ($3, $4, $1, $5) ON CONFLICT (member_id) DO UPDATE
		SET topic = excluded.topic, members = excluded.members, created_at = excluded.created_at)
		SELECT `+introCandidateColumns+`
		FROM members m LEFT JOIN organisations o ON o.id = m.org_id WHERE m.id = ANY($1)`, ids, since, memberID, topic, at)
}

// introCandidateColumns are a member's columns, intros_off and the open
// requests since $2.
const introCandidateColumns = memberColumns + `, m.intros_off,
	(SELECT count(*) FROM intros i WHERE i.expert_id = m.id AND i.status = 'asked' AND i.created_at > $2)::int`

func (q *Queries) introCandidates(ctx context.Context, sql string, args ...any) (map[int64]IntroCandidate, error) {
	rows, err := q.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("intro candidates: %w", interpret(err))
	}
	defer rows.Close()
	out := map[int64]IntroCandidate{}
	for rows.Next() {
		var c IntroCandidate
		m := &c.Member
		if err := rows.Scan(&m.ID, &m.NetworkID, &m.Platform, &m.PlatformUserID, &m.DisplayName,
			&m.OrgID, &m.OrgName, &m.Timezone, &m.Language, &m.AwayUntil, &m.Forgotten, &m.CreatedAt,
			&m.Nudges, &m.WorkStart, &m.WorkEnd, &c.Off, &c.Open); err != nil {
			return nil, fmt.Errorf("intro candidates: %w", err)
		}
		if m.AwayUntil.Year() == 1 {
			m.AwayUntil = time.Time{}
		}
		out[m.ID] = c
	}
	return out, interpret(rows.Err())
}
