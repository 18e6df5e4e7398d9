package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Network is a set of rooms sharing a charter, goals and commitments.
type Network struct {
	ID       int64
	Name     string
	Charter  string
	Timezone string
	Language string
}

// Member is a person in a network, known by a platform user id.
type Member struct {
	ID             int64
	NetworkID      int64
	Platform       string
	PlatformUserID string // empty once forgotten
	DisplayName    string
	OrgID          int64 // 0 when none
	OrgName        string
	Timezone       string // empty: the network's
	Language       string // empty: detect per message
	AwayUntil      time.Time
	Forgotten      bool
	CreatedAt      time.Time
	// Nudges is "on", "weekly" or "off"; WorkStart and WorkEnd are the
	// working hours, in minutes after local midnight.
	Nudges             string
	WorkStart, WorkEnd int
}

// Away reports whether the member is away on day (a date in their zone).
func (m Member) Away(day time.Time) bool {
	return !m.AwayUntil.IsZero() && !day.After(m.AwayUntil)
}

// NetworkForRoom returns the network a room belongs to, creating a network
// for a room seen for the first time. Two first messages in one new room at
// once both end up in the same network.
func (q *Queries) NetworkForRoom(ctx context.Context, platform, roomID string, def NetworkDefaults) (Network, error) {
	n, err := q.networkByRoom(ctx, platform, roomID)
	if !errors.Is(err, ErrNotFound) {
		return n, err
	}
	err = pgx.BeginFunc(ctx, q.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO networks (name, timezone, language)
			VALUES ($1, coalesce(nullif($2, ''), 'Europe/Amsterdam'), coalesce(nullif($3, ''), 'en'))
			RETURNING id, name, charter, timezone, language`, platform+":"+roomID, def.Timezone, def.Language).
			Scan(&n.ID, &n.Name, &n.Charter, &n.Timezone, &n.Language)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO rooms (platform, room_id, network_id) VALUES ($1, $2, $3)
			ON CONFLICT (platform, room_id) DO NOTHING`, platform, roomID, n.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errRoomTaken
		}
		return nil
	})
	if errors.Is(err, errRoomTaken) {
		return q.networkByRoom(ctx, platform, roomID)
	}
	if err != nil {
		return Network{}, fmt.Errorf("create network: %w", interpret(err))
	}
	return n, nil
}

// NetworkDefaults are the settings a new network starts with; empty
// fields take the schema's defaults (Europe/Amsterdam, en).
type NetworkDefaults struct {
	Timezone string
	Language string
}

var errRoomTaken = errors.New("room linked concurrently")

func (q *Queries) networkByRoom(ctx context.Context, platform, roomID string) (Network, error) {
	var n Network
	err := q.db.QueryRow(ctx, `
		SELECT n.id, n.name, n.charter, n.timezone, n.language
		FROM rooms r JOIN networks n ON n.id = r.network_id
		WHERE r.platform = $1 AND r.room_id = $2`, platform, roomID).
		Scan(&n.ID, &n.Name, &n.Charter, &n.Timezone, &n.Language)
	if err != nil {
		return Network{}, fmt.Errorf("network by room: %w", interpret(err))
	}
	return n, nil
}

// JoinNetwork puts a room into net unless the room is in a network
// already, and returns the network the room is in.
func (q *Queries) JoinNetwork(ctx context.Context, net Network, platform, roomID string) (Network, error) {
	_, err := q.db.Exec(ctx, `INSERT INTO rooms (platform, room_id, network_id) VALUES ($1, $2, $3)
		ON CONFLICT (platform, room_id) DO NOTHING`, platform, roomID, net.ID)
	if err != nil {
		return Network{}, fmt.Errorf("join network: %w", interpret(err))
	}
	return q.networkByRoom(ctx, platform, roomID)
}

// Network reads one network.
func (q *Queries) Network(ctx context.Context, id int64) (Network, error) {
	var n Network
	err := q.db.QueryRow(ctx, `SELECT id, name, charter, timezone, language FROM networks WHERE id = $1`, id).
		Scan(&n.ID, &n.Name, &n.Charter, &n.Timezone, &n.Language)
	if err != nil {
		return Network{}, fmt.Errorf("network: %w", interpret(err))
	}
	return n, nil
}

// SetCharter replaces the network's charter.
func (q *Queries) SetCharter(ctx context.Context, networkID int64, charter string) error {
	_, err := q.db.Exec(ctx, `UPDATE networks SET charter = $2 WHERE id = $1`, networkID, charter)
	return interpret(err)
}

const memberColumns = `m.id, m.network_id, m.platform, coalesce(m.platform_user_id, ''), m.display_name,
	coalesce(m.org_id, 0), coalesce(o.name, ''), coalesce(m.timezone, ''), coalesce(m.language, ''),
	coalesce(m.away_until, '0001-01-01'::date), m.forgotten_at IS NOT NULL, m.created_at,
	m.nudges, m.work_start, m.work_end`

func scanMember(row interface{ Scan(...any) error }) (Member, error) {
	var m Member
	err := row.Scan(&m.ID, &m.NetworkID, &m.Platform, &m.PlatformUserID, &m.DisplayName,
		&m.OrgID, &m.OrgName, &m.Timezone, &m.Language, &m.AwayUntil, &m.Forgotten, &m.CreatedAt,
		&m.Nudges, &m.WorkStart, &m.WorkEnd)
	if m.AwayUntil.Year() == 1 {
		m.AwayUntil = time.Time{}
	}
	return m, err
}

// EnsureMember returns the member for a platform user in a network,
// creating them on first sight. A changed display name is updated. The
// common case, a known member under the same name, is one read.
func (q *Queries) EnsureMember(ctx context.Context, networkID int64, platform, userID, displayName string) (Member, error) {
	return q.EnsureMemberAt(ctx, networkID, platform, userID, displayName, time.Now())
}

// EnsureMemberAt is EnsureMember with the clock given: a member first seen
// joins at at (digests report new members by it).
func (q *Queries) EnsureMemberAt(ctx context.Context, networkID int64, platform, userID, displayName string, at time.Time) (Member, error) {
	m, err := scanMember(q.db.QueryRow(ctx, `SELECT `+memberColumns+`
		FROM members m LEFT JOIN organisations o ON o.id = m.org_id
		WHERE m.network_id = $1 AND m.platform = $2 AND m.platform_user_id = $3`, networkID, platform, userID))
	if err == nil && (displayName == "" || displayName == m.DisplayName) {
		return m, nil
	}
	if err != nil && !errors.Is(interpret(err), ErrNotFound) {
		return Member{}, fmt.Errorf("ensure member: %w", interpret(err))
	}
	var id int64
	err = q.db.QueryRow(ctx, `
		INSERT INTO members (network_id, platform, platform_user_id, display_name, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5)
		ON CONFLICT (network_id, platform, platform_user_id) WHERE platform_user_id IS NOT NULL
		DO UPDATE SET display_name = CASE WHEN excluded.display_name = '' THEN members.display_name
			ELSE excluded.display_name END, updated_at = now()
		RETURNING id`, networkID, platform, userID, displayName, at).Scan(&id)
	if err != nil {
		return Member{}, fmt.Errorf("ensure member: %w", interpret(err))
	}
	return q.Member(ctx, id)
}

// Member reads one member by id.
func (q *Queries) Member(ctx context.Context, id int64) (Member, error) {
	m, err := scanMember(q.db.QueryRow(ctx, `SELECT `+memberColumns+`
		FROM members m LEFT JOIN organisations o ON o.id = m.org_id WHERE m.id = $1`, id))
	if err != nil {
		return Member{}, fmt.Errorf("member: %w", interpret(err))
	}
	return m, nil
}

// MemberByUserID finds the member with a platform user id in a network,
// as a mention names them. Forgotten members are not found: ErrNotFound.
func (q *Queries) MemberByUserID(ctx context.Context, networkID int64, platform, userID string) (Member, error) {
	m, err := scanMember(q.db.QueryRow(ctx, `SELECT `+memberColumns+`
		FROM members m LEFT JOIN organisations o ON o.id = m.org_id
		WHERE m.network_id = $1 AND m.platform = $2 AND m.platform_user_id = $3 AND m.forgotten_at IS NULL`,
		networkID, platform, userID))
	if err != nil {
		return Member{}, fmt.Errorf("member by user id: %w", interpret(err))
	}
	return m, nil
}

// FindMembers lists the members a name typed by a member may mean: their
// display name, whole or its first word, case-insensitively (at most 5).
// It never matches ids: a mention is resolved by MemberByUserID, so a
// display name cannot capture another member's mention.
func (q *Queries) FindMembers(ctx context.Context, networkID int64, name string) ([]Member, error) {
	name = strings.TrimSpace(name)
	rows, err := q.db.Query(ctx, `SELECT `+memberColumns+`
		FROM members m LEFT JOIN organisations o ON o.id = m.org_id
		WHERE m.network_id = $1 AND m.forgotten_at IS NULL AND (
			lower(m.display_name) = lower($2) OR lower(split_part(m.display_name, ' ', 1)) = lower($2))
		ORDER BY (lower(m.display_name) = lower($2)) DESC, m.id
		LIMIT 5`, networkID, name)
	if err != nil {
		return nil, fmt.Errorf("find members: %w", interpret(err))
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("find members: %w", err)
		}
		out = append(out, m)
	}
	return out, interpret(rows.Err())
}

// SetOrganisation puts a member in an organisation, creating it by name
// (matched case-insensitively) if the network does not know it yet. Two
// members naming a new organisation at once end up in the same one.
func (s *Store) SetOrganisation(ctx context.Context, memberID int64, name string) (string, error) {
	var stored string
	err := s.Tx(ctx, func(q *Queries) error {
		var networkID int64
		if err := q.db.QueryRow(ctx, `SELECT network_id FROM members WHERE id = $1 FOR NO KEY UPDATE`, memberID).Scan(&networkID); err != nil {
			return interpret(err)
		}
		var orgID int64
		// DO UPDATE (to the same name) makes the row visible to RETURNING
		// whether this statement inserted it or a concurrent one did.
		err := q.db.QueryRow(ctx, `INSERT INTO organisations (network_id, name) VALUES ($1, $2)
			ON CONFLICT (network_id, lower(name)) DO UPDATE SET name = organisations.name
			RETURNING id, name`, networkID, name).Scan(&orgID, &stored)
		if err != nil {
			return interpret(err)
		}
		if _, err := q.db.Exec(ctx, `UPDATE members SET org_id = $2, updated_at = now() WHERE id = $1`, memberID, orgID); err != nil {
			return interpret(err)
		}
		// member_terms carries the organisation so who-queries can rank
		// organisations without a join.
		_, err = q.db.Exec(ctx, `UPDATE member_terms SET org_id = $2 WHERE member_id = $1`, memberID, orgID)
		return interpret(err)
	})
	if err != nil {
		return "", fmt.Errorf("set organisation: %w", err)
	}
	return stored, nil
}

// SetAway stores the last day a member is away; a zero time clears it.
func (q *Queries) SetAway(ctx context.Context, memberID int64, until time.Time) error {
	var v any
	if !until.IsZero() {
		v = until.Format(time.DateOnly)
	}
	_, err := q.db.Exec(ctx, `UPDATE members SET away_until = $2::date, updated_at = now() WHERE id = $1`, memberID, v)
	return interpret(err)
}

// SetMemberPrefs stores a member's timezone and language; empty leaves a
// field unchanged.
func (q *Queries) SetMemberPrefs(ctx context.Context, memberID int64, timezone, language string) error {
	_, err := q.db.Exec(ctx, `UPDATE members SET
		timezone = coalesce(nullif($2, ''), timezone),
		language = coalesce(nullif($3, ''), language), updated_at = now()
		WHERE id = $1`, memberID, timezone, language)
	return interpret(err)
}

// FirstSeen records a platform event id and reports whether this is the
// first time it was seen. Adapters call it before handling an event, so a
// redelivered event (same id, new envelope) is handled once, also across
// replicas.
//
// The row is written without waiting for its WAL flush (both statements
// go in one simple-protocol message, so they run as one implicit
// transaction and SET LOCAL covers the insert): every event costs one of
// these, and under load they queued on the WAL. What a PostgreSQL crash
// can lose is the last fraction of a second of markers, so an event
// redelivered across such a crash could be answered twice; member data
// is always committed durably. Call it outside a transaction.
func (q *Queries) FirstSeen(ctx context.Context, platform, eventID string) (bool, error) {
	tag, err := q.db.Exec(ctx, `SET LOCAL synchronous_commit = off;
		INSERT INTO processed_events (platform, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		pgx.QueryExecModeSimpleProtocol, platform, eventID)
	if err != nil {
		return false, fmt.Errorf("first seen: %w", interpret(err))
	}
	return tag.RowsAffected() == 1, nil
}

// PruneEvents forgets processed event ids older than before: platforms
// redeliver within minutes, so a week is plenty.
func (q *Queries) PruneEvents(ctx context.Context, before time.Time) (int64, error) {
	tag, err := q.db.Exec(ctx, `DELETE FROM processed_events WHERE created_at < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("prune events: %w", interpret(err))
	}
	return tag.RowsAffected(), nil
}

// NetworkOfRoom reads the network a room belongs to, without creating
// one; ErrNotFound when Knoop has not heard from the room.
func (q *Queries) NetworkOfRoom(ctx context.Context, platform, roomID string) (Network, error) {
	return q.networkByRoom(ctx, platform, roomID)
}
