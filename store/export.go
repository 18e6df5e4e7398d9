package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
)

// The network export format: one JSON document with everything a network
// owns, so it can move between Knoop instances or be kept outside
// PostgreSQL. What is derived (evidence, the search index, the lexicon) is
// rebuilt on import; what is transient (processed event ids, sent digests
// and reminders, adapter state) is left out. Members are referred to by
// keys local to the document ("m1", "m2", …, in the order they joined),
// so a document exported, imported and exported again is the same.
//
// Version 1. A later Knoop reads older versions; it refuses newer ones.

// ExportFormat names the document type.
const ExportFormat = "knoop-network"

// ExportVersion is the version this Knoop writes.
const ExportVersion = 1

// Export is a network as a document.
type Export struct {
	Format        string              `json:"format"`
	Version       int                 `json:"version"`
	Network       ExportNetwork       `json:"network"`
	Rooms         []ExportRoom        `json:"rooms"`
	Organisations []ExportOrg         `json:"organisations"`
	Members       []ExportMember      `json:"members"`
	Endorsements  []ExportEndorsement `json:"endorsements"`
	Goals         []ExportGoal        `json:"goals"`
	Commitments   []ExportCommitment  `json:"commitments"`
	Asks          []ExportAsk         `json:"asks"`
	Schedules     []ExportSchedule    `json:"schedules"`
}

// ExportNetwork is the network's own settings.
type ExportNetwork struct {
	Name      string    `json:"name"`
	Charter   string    `json:"charter"`
	Timezone  string    `json:"timezone"`
	Language  string    `json:"language"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportRoom is a room of the network on a platform.
type ExportRoom struct {
	Platform string `json:"platform"`
	RoomID   string `json:"room_id"`
}

// ExportOrg is an organisation.
type ExportOrg struct {
	Name      string   `json:"name"`
	Strengths []string `json:"strengths"`
}

// ExportMember is a member; a forgotten member keeps only their key, so
// their commitments keep an (anonymous) owner.
type ExportMember struct {
	Key          string        `json:"key"`
	Platform     string        `json:"platform"`
	UserID       string        `json:"user_id,omitempty"`
	DisplayName  string        `json:"display_name,omitempty"`
	Organisation string        `json:"organisation,omitempty"`
	Timezone     string        `json:"timezone,omitempty"`
	Language     string        `json:"language,omitempty"`
	AwayUntil    string        `json:"away_until,omitempty"` // YYYY-MM-DD
	Nudges       string        `json:"nudges"`
	WorkHours    [2]int        `json:"work_hours"` // minutes after midnight
	Forgotten    bool          `json:"forgotten,omitempty"`
	CreatedAt    time.Time     `json:"created_at"`
	Skills       []ExportSkill `json:"skills"`
}

// ExportSkill is a declared skill.
type ExportSkill struct {
	Skill     string    `json:"skill"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportEndorsement is one member vouching for another's skill.
type ExportEndorsement struct {
	By        string    `json:"by"`
	Of        string    `json:"of"`
	Skill     string    `json:"skill"`
	Weight    float64   `json:"weight"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportGoal is a shared goal.
type ExportGoal struct {
	No        int64     `json:"no"`
	Text      string    `json:"text"`
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportCommitment is a commitment with its history.
type ExportCommitment struct {
	No        int64          `json:"no"`
	Owner     string         `json:"owner"`
	Recipient string         `json:"recipient,omitempty"`
	Goal      int64          `json:"goal,omitempty"`
	Text      string         `json:"text"`
	Due       string         `json:"due,omitempty"` // YYYY-MM-DD
	Status    string         `json:"status"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
	DoneAt    *time.Time     `json:"done_at,omitempty"`
	History   []ExportUpdate `json:"history"`
}

// ExportUpdate is one entry of a commitment's history.
type ExportUpdate struct {
	Kind   string    `json:"kind"`
	Member string    `json:"member,omitempty"`
	Note   string    `json:"note,omitempty"`
	Due    string    `json:"due,omitempty"`
	At     time.Time `json:"at"`
}

// ExportAsk is an open (or closed) question to the network.
type ExportAsk struct {
	No        int64     `json:"no"`
	Member    string    `json:"member,omitempty"`
	Text      string    `json:"text"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportSchedule is a room's digest schedule.
type ExportSchedule struct {
	Platform string    `json:"platform"`
	RoomID   string    `json:"room_id"`
	Spec     string    `json:"spec"`
	NextAt   time.Time `json:"next_at"`
}

// Networks lists the networks with one of their rooms each, for choosing
// what to export.
func (q *Queries) Networks(ctx context.Context) ([]NetworkSummary, error) {
	rows, err := q.db.Query(ctx, `SELECT n.id, n.name,
			(SELECT count(*) FROM members m WHERE m.network_id = n.id),
			coalesce((SELECT string_agg(r.platform || ':' || r.room_id, ', ' ORDER BY r.created_at)
				FROM (SELECT * FROM rooms r WHERE r.network_id = n.id ORDER BY r.created_at LIMIT 3) r), '')
		FROM networks n ORDER BY n.id`)
	if err != nil {
		return nil, fmt.Errorf("networks: %w", interpret(err))
	}
	defer rows.Close()
	var out []NetworkSummary
	for rows.Next() {
		var n NetworkSummary
		if err := rows.Scan(&n.ID, &n.Name, &n.Members, &n.Rooms); err != nil {
			return nil, fmt.Errorf("networks: %w", err)
		}
		out = append(out, n)
	}
	return out, interpret(rows.Err())
}

// NetworkSummary names a network for a listing.
type NetworkSummary struct {
	ID      int64
	Name    string
	Members int
	Rooms   string
}

func dateString(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// ExportNetwork reads a whole network as a document, in one snapshot.
func (s *Store) ExportNetwork(ctx context.Context, networkID int64) (Export, error) {
	x := Export{Format: ExportFormat, Version: ExportVersion}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		n := &x.Network
		if err := tx.QueryRow(ctx, `SELECT name, charter, timezone, language, created_at FROM networks WHERE id = $1`, networkID).
			Scan(&n.Name, &n.Charter, &n.Timezone, &n.Language, &n.CreatedAt); err != nil {
			return fmt.Errorf("export network %d: %w", networkID, interpret(err))
		}
		n.CreatedAt = n.CreatedAt.UTC()
		collect := func(sql string, scan func(pgx.Rows) error) error {
			rows, err := tx.Query(ctx, sql, networkID)
			if err != nil {
				return fmt.Errorf("export: %w", interpret(err))
			}
			defer rows.Close()
			for rows.Next() {
				if err := scan(rows); err != nil {
					return fmt.Errorf("export: %w", err)
				}
			}
			return interpret(rows.Err())
		}
		if err := collect(`SELECT platform, room_id FROM rooms WHERE network_id = $1 ORDER BY platform, room_id`, func(r pgx.Rows) error {
			var v ExportRoom
			err := r.Scan(&v.Platform, &v.RoomID)
			x.Rooms = append(x.Rooms, v)
			return err
		}); err != nil {
			return err
		}
		if err := collect(`SELECT name, strengths FROM organisations WHERE network_id = $1 ORDER BY lower(name)`, func(r pgx.Rows) error {
			var v ExportOrg
			err := r.Scan(&v.Name, &v.Strengths)
			x.Organisations = append(x.Organisations, v)
			return err
		}); err != nil {
			return err
		}
		keys := map[int64]string{}
		key := func(id *int64) string {
			if id == nil {
				return ""
			}
			return keys[*id]
		}
		if err := collect(`SELECT m.id, m.platform, coalesce(m.platform_user_id, ''), m.display_name, coalesce(o.name, ''),
				coalesce(m.timezone, ''), coalesce(m.language, ''), m.away_until, m.nudges, m.work_start, m.work_end,
				m.forgotten_at IS NOT NULL, m.created_at,
				coalesce((SELECT array_agg(s.skill ORDER BY s.created_at, s.id) FROM skills s WHERE s.member_id = m.id), '{}'),
				coalesce((SELECT array_agg(s.created_at ORDER BY s.created_at, s.id) FROM skills s WHERE s.member_id = m.id), '{}')
			FROM members m LEFT JOIN organisations o ON o.id = m.org_id
			WHERE m.network_id = $1 ORDER BY m.id`, func(r pgx.Rows) error {
			var v ExportMember
			var id int64
			var away *time.Time
			var skills []string
			var at []time.Time
			err := r.Scan(&id, &v.Platform, &v.UserID, &v.DisplayName, &v.Organisation, &v.Timezone, &v.Language, &away,
				&v.Nudges, &v.WorkHours[0], &v.WorkHours[1], &v.Forgotten, &v.CreatedAt, &skills, &at)
			v.Key = fmt.Sprintf("m%d", len(x.Members)+1)
			v.AwayUntil = dateString(away)
			v.CreatedAt = v.CreatedAt.UTC()
			v.Skills = []ExportSkill{}
			for i := range skills {
				v.Skills = append(v.Skills, ExportSkill{Skill: skills[i], CreatedAt: at[i].UTC()})
			}
			keys[id] = v.Key
			x.Members = append(x.Members, v)
			return err
		}); err != nil {
			return err
		}
		if err := collect(`SELECT e.endorser_id, e.endorsee_id, e.skill, e.weight, e.created_at
			FROM endorsements e JOIN members m ON m.id = e.endorsee_id
			WHERE m.network_id = $1 ORDER BY e.id`, func(r pgx.Rows) error {
			var v ExportEndorsement
			var by, of int64
			var w float32
			err := r.Scan(&by, &of, &v.Skill, &w, &v.CreatedAt)
			v.By, v.Of, v.Weight, v.CreatedAt = keys[by], keys[of], math.Round(float64(w)*1e4)/1e4, v.CreatedAt.UTC()
			x.Endorsements = append(x.Endorsements, v)
			return err
		}); err != nil {
			return err
		}
		if err := collect(`SELECT no, text, created_by, created_at FROM goals WHERE network_id = $1 ORDER BY no`, func(r pgx.Rows) error {
			var v ExportGoal
			var by *int64
			err := r.Scan(&v.No, &v.Text, &by, &v.CreatedAt)
			v.CreatedBy, v.CreatedAt = key(by), v.CreatedAt.UTC()
			x.Goals = append(x.Goals, v)
			return err
		}); err != nil {
			return err
		}
		byID := map[int64]int{}
		if err := collect(`SELECT c.id, c.no, c.owner_id, c.recipient_id, coalesce(g.no, 0), c.text, c.due, c.status,
				c.created_at, c.updated_at, c.done_at
			FROM commitments c LEFT JOIN goals g ON g.id = c.goal_id
			WHERE c.network_id = $1 ORDER BY c.no`, func(r pgx.Rows) error {
			var v ExportCommitment
			var id, owner int64
			var recipient *int64
			var due *time.Time
			err := r.Scan(&id, &v.No, &owner, &recipient, &v.Goal, &v.Text, &due, &v.Status, &v.CreatedAt, &v.UpdatedAt, &v.DoneAt)
			v.Owner, v.Recipient, v.Due = keys[owner], key(recipient), dateString(due)
			v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
			if v.DoneAt != nil {
				t := v.DoneAt.UTC()
				v.DoneAt = &t
			}
			v.History = []ExportUpdate{}
			byID[id] = len(x.Commitments)
			x.Commitments = append(x.Commitments, v)
			return err
		}); err != nil {
			return err
		}
		if err := collect(`SELECT u.commitment_id, u.kind, u.member_id, u.note, u.due, u.created_at
			FROM commitment_updates u JOIN commitments c ON c.id = u.commitment_id
			WHERE c.network_id = $1 ORDER BY u.commitment_id, u.created_at, u.id`, func(r pgx.Rows) error {
			var v ExportUpdate
			var cid int64
			var member *int64
			var due *time.Time
			err := r.Scan(&cid, &v.Kind, &member, &v.Note, &due, &v.At)
			v.Member, v.Due, v.At = key(member), dateString(due), v.At.UTC()
			if i, ok := byID[cid]; ok {
				x.Commitments[i].History = append(x.Commitments[i].History, v)
			}
			return err
		}); err != nil {
			return err
		}
		if err := collect(`SELECT no, member_id, text, status, created_at FROM asks WHERE network_id = $1 ORDER BY no`, func(r pgx.Rows) error {
			var v ExportAsk
			var member *int64
			err := r.Scan(&v.No, &member, &v.Text, &v.Status, &v.CreatedAt)
			v.Member, v.CreatedAt = key(member), v.CreatedAt.UTC()
			x.Asks = append(x.Asks, v)
			return err
		}); err != nil {
			return err
		}
		return collect(`SELECT platform, room_id, spec, next_at FROM schedules WHERE network_id = $1 ORDER BY platform, room_id`, func(r pgx.Rows) error {
			var v ExportSchedule
			err := r.Scan(&v.Platform, &v.RoomID, &v.Spec, &v.NextAt)
			v.NextAt = v.NextAt.UTC()
			x.Schedules = append(x.Schedules, v)
			return err
		})
	})
	if err != nil {
		return Export{}, err
	}
	if x.Rooms == nil {
		x.Rooms = []ExportRoom{}
	}
	if x.Organisations == nil {
		x.Organisations = []ExportOrg{}
	}
	if x.Members == nil {
		x.Members = []ExportMember{}
	}
	if x.Endorsements == nil {
		x.Endorsements = []ExportEndorsement{}
	}
	if x.Goals == nil {
		x.Goals = []ExportGoal{}
	}
	if x.Commitments == nil {
		x.Commitments = []ExportCommitment{}
	}
	if x.Asks == nil {
		x.Asks = []ExportAsk{}
	}
	if x.Schedules == nil {
		x.Schedules = []ExportSchedule{}
	}
	return x, nil
}

// ErrImport wraps what is wrong with an import document.
var ErrImport = errors.New("import")

func importErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrImport, fmt.Sprintf(format, args...))
}

// validate checks a document before anything is written.
func (x *Export) validate() error {
	if x.Format != ExportFormat {
		return importErr("not a Knoop network export (format %q, want %q)", x.Format, ExportFormat)
	}
	if x.Version < 1 || x.Version > ExportVersion {
		return importErr("export version %d is not supported (this Knoop reads 1 to %d)", x.Version, ExportVersion)
	}
	if _, err := time.LoadLocation(x.Network.Timezone); err != nil || x.Network.Timezone == "" {
		return importErr("network timezone %q is not a known zone", x.Network.Timezone)
	}
	if x.Network.Language != "en" && x.Network.Language != "nl" {
		return importErr("network language %q must be en or nl", x.Network.Language)
	}
	keys := map[string]bool{}
	for i, m := range x.Members {
		if m.Key == "" || keys[m.Key] {
			return importErr("member %d: missing or repeated key %q", i+1, m.Key)
		}
		keys[m.Key] = true
		if m.Nudges != "on" && m.Nudges != "weekly" && m.Nudges != "off" {
			return importErr("member %s: nudges %q must be on, weekly or off", m.Key, m.Nudges)
		}
		if m.WorkHours[0] < 0 || m.WorkHours[1] > 1440 || m.WorkHours[0] >= m.WorkHours[1] {
			return importErr("member %s: working hours %v out of range", m.Key, m.WorkHours)
		}
		if !m.Forgotten && m.UserID == "" {
			return importErr("member %s: user_id is required unless forgotten", m.Key)
		}
		if _, err := parseDate(m.AwayUntil); err != nil {
			return importErr("member %s: away_until %q is not YYYY-MM-DD", m.Key, m.AwayUntil)
		}
	}
	ref := func(what, k string, optional bool) error {
		if k == "" && optional {
			return nil
		}
		if !keys[k] {
			return importErr("%s refers to unknown member %q", what, k)
		}
		return nil
	}
	for i, e := range x.Endorsements {
		if err := ref(fmt.Sprintf("endorsement %d", i+1), e.By, false); err != nil {
			return err
		}
		if err := ref(fmt.Sprintf("endorsement %d", i+1), e.Of, false); err != nil {
			return err
		}
	}
	goals := map[int64]bool{}
	for _, g := range x.Goals {
		if g.No < 1 || goals[g.No] {
			return importErr("goal %d: missing or repeated number", g.No)
		}
		goals[g.No] = true
		if err := ref(fmt.Sprintf("goal %d", g.No), g.CreatedBy, true); err != nil {
			return err
		}
	}
	nos := map[int64]bool{}
	for _, c := range x.Commitments {
		what := fmt.Sprintf("commitment %d", c.No)
		if c.No < 1 || nos[c.No] {
			return importErr("%s: missing or repeated number", what)
		}
		nos[c.No] = true
		if err := ref(what, c.Owner, false); err != nil {
			return err
		}
		if err := ref(what, c.Recipient, true); err != nil {
			return err
		}
		if c.Goal != 0 && !goals[c.Goal] {
			return importErr("%s refers to unknown goal %d", what, c.Goal)
		}
		if c.Status != StatusOpen && c.Status != StatusDone && c.Status != StatusDropped {
			return importErr("%s: status %q must be open, done or dropped", what, c.Status)
		}
		if _, err := parseDate(c.Due); err != nil {
			return importErr("%s: due %q is not YYYY-MM-DD", what, c.Due)
		}
		for _, u := range c.History {
			if err := ref(what+" history", u.Member, true); err != nil {
				return err
			}
			if _, err := parseDate(u.Due); err != nil {
				return importErr("%s history: due %q is not YYYY-MM-DD", what, u.Due)
			}
		}
	}
	asks := map[int64]bool{}
	for _, a := range x.Asks {
		if a.No < 1 || asks[a.No] {
			return importErr("ask %d: missing or repeated number", a.No)
		}
		asks[a.No] = true
		if a.Status != "open" && a.Status != "closed" {
			return importErr("ask %d: status %q must be open or closed", a.No, a.Status)
		}
		if err := ref(fmt.Sprintf("ask %d", a.No), a.Member, true); err != nil {
			return err
		}
	}
	rooms := map[ExportRoom]bool{}
	for _, r := range x.Rooms {
		if r.Platform == "" || r.RoomID == "" {
			return importErr("a room needs a platform and a room_id")
		}
		rooms[r] = true
	}
	for _, sc := range x.Schedules {
		if !rooms[ExportRoom{sc.Platform, sc.RoomID}] {
			return importErr("schedule for %s:%s names a room not in the document", sc.Platform, sc.RoomID)
		}
	}
	return nil
}

func parseDate(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// ImportNetwork creates a new network from a document, in one transaction:
// on any error nothing is written. Rooms that already belong to a network
// here are refused (ErrConflict). Evidence and the search index are
// rebuilt from skills, endorsements and delivered commitments. It is
// Import (store/import.go, a bulk load) without progress reports.
func (s *Store) ImportNetwork(ctx context.Context, x Export) (int64, error) {
	return s.Import(ctx, x, ImportOptions{})
}
