package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Queries behind the network page (adapters/web). Each answers one part of
// a page in one statement, bounded by a limit, so a page stays fast on a
// network of 10,000 members.

// GoalPoint is the state of a goal's commitments at the end of one day.
type GoalPoint struct {
	Day                 time.Time
	Done, Open, Overdue int
}

// GoalHistory returns, per goal number, the state of its commitments at
// the end of each of days (civil dates, read in timezone tz): delivered by
// then, open and not yet due, open and past due. A commitment counts from
// the day it was made; a dropped one stops counting the day it was dropped.
func (q *Queries) GoalHistory(ctx context.Context, networkID int64, tz string, days []time.Time) (map[int64][]GoalPoint, error) {
	ds := make([]string, len(days))
	for i, d := range days {
		ds[i] = d.Format(time.DateOnly)
	}
	rows, err := q.db.Query(ctx, `
		WITH d AS (SELECT unnest($2::date[]) AS day),
		c AS (SELECT goal_id, due, status,
				(created_at AT TIME ZONE $3)::date AS made,
				(done_at AT TIME ZONE $3)::date AS done,
				(updated_at AT TIME ZONE $3)::date AS changed
			FROM commitments WHERE network_id = $1 AND goal_id IS NOT NULL)
		SELECT g.no, d.day,
			count(c.goal_id) FILTER (WHERE c.done <= d.day),
			count(c.goal_id) FILTER (WHERE (c.done IS NULL OR c.done > d.day) AND (c.due IS NULL OR c.due >= d.day)),
			count(c.goal_id) FILTER (WHERE (c.done IS NULL OR c.done > d.day) AND c.due < d.day)
		FROM goals g CROSS JOIN d
		LEFT JOIN c ON c.goal_id = g.id AND c.made <= d.day
			AND NOT (c.status = 'dropped' AND c.changed <= d.day)
		WHERE g.network_id = $1
		GROUP BY g.no, d.day ORDER BY g.no, d.day`, networkID, ds, tz)
	if err != nil {
		return nil, fmt.Errorf("goal history: %w", interpret(err))
	}
	defer rows.Close()
	out := map[int64][]GoalPoint{}
	for rows.Next() {
		var no int64
		var p GoalPoint
		if err := rows.Scan(&no, &p.Day, &p.Done, &p.Open, &p.Overdue); err != nil {
			return nil, fmt.Errorf("goal history: %w", err)
		}
		out[no] = append(out[no], p)
	}
	return out, interpret(rows.Err())
}

// MonthCount is a number per calendar month.
type MonthCount struct {
	Month time.Time // the first day of the month
	Count int
}

// DeliveriesPerMonth counts commitments delivered per month (in timezone
// tz) from the month of from on; months without deliveries are left out.
func (q *Queries) DeliveriesPerMonth(ctx context.Context, networkID int64, tz string, from time.Time) ([]MonthCount, error) {
	rows, err := q.db.Query(ctx, `
		SELECT date_trunc('month', done_at AT TIME ZONE $3)::date, count(*)
		FROM commitments WHERE network_id = $1 AND status = 'done' AND done_at >= $2
		GROUP BY 1 ORDER BY 1`, networkID, from, tz)
	if err != nil {
		return nil, fmt.Errorf("deliveries per month: %w", interpret(err))
	}
	defer rows.Close()
	var out []MonthCount
	for rows.Next() {
		var m MonthCount
		if err := rows.Scan(&m.Month, &m.Count); err != nil {
			return nil, fmt.Errorf("deliveries per month: %w", err)
		}
		out = append(out, m)
	}
	return out, interpret(rows.Err())
}

// NewMembersSince returns the members who joined after since, newest
// first (at most limit), and how many joined in all.
func (q *Queries) NewMembersSince(ctx context.Context, networkID int64, since time.Time, limit int) ([]NewMember, int, error) {
	var total int
	if err := q.db.QueryRow(ctx, `SELECT count(*) FROM members
		WHERE network_id = $1 AND created_at > $2 AND forgotten_at IS NULL`, networkID, since).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("new members: %w", interpret(err))
	}
	rows, err := q.db.Query(ctx, `SELECT m.id, m.display_name, coalesce(o.name, ''),
			coalesce((SELECT array_agg(s.skill ORDER BY s.id) FROM skills s WHERE s.member_id = m.id), '{}')
		FROM members m LEFT JOIN organisations o ON o.id = m.org_id
		WHERE m.network_id = $1 AND m.created_at > $2 AND m.forgotten_at IS NULL
		ORDER BY m.created_at DESC, m.id DESC LIMIT $3`, networkID, since, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("new members: %w", interpret(err))
	}
	defer rows.Close()
	var out []NewMember
	for rows.Next() {
		var m NewMember
		if err := rows.Scan(&m.ID, &m.Name, &m.Org, &m.Skills); err != nil {
			return nil, 0, fmt.Errorf("new members: %w", err)
		}
		out = append(out, m)
	}
	return out, total, interpret(rows.Err())
}

// OrgSummary is an organisation of a network as the page lists it.
type OrgSummary struct {
	ID         int64
	Name       string
	Members    int
	Open, Done int
	Skills     []string // the skills most of its members declared, at most 5
}

// Organisations lists a network's organisations by name, with their
// members, commitments and most declared skills.
func (q *Queries) Organisations(ctx context.Context, networkID int64) ([]OrgSummary, error) {
	rows, err := q.db.Query(ctx, `
		WITH mem AS (SELECT org_id, count(*) AS n FROM members
				WHERE network_id = $1 AND org_id IS NOT NULL AND forgotten_at IS NULL GROUP BY org_id),
		com AS (SELECT m.org_id, count(*) FILTER (WHERE c.status = 'open') AS open,
				count(*) FILTER (WHERE c.status = 'done') AS done
			FROM commitments c JOIN members m ON m.id = c.owner_id
			WHERE c.network_id = $1 AND m.org_id IS NOT NULL GROUP BY m.org_id),
		sk AS (SELECT org_id, array_agg(skill ORDER BY r) AS skills FROM (
				SELECT org_id, skill, row_number() OVER (PARTITION BY org_id ORDER BY n DESC, skill) AS r
				FROM (SELECT m.org_id, lower(s.skill) AS skill, count(*) AS n
					FROM skills s JOIN members m ON m.id = s.member_id
					WHERE m.network_id = $1 AND m.org_id IS NOT NULL GROUP BY 1, 2) x) y
			WHERE r <= 5 GROUP BY org_id)
		SELECT o.id, o.name, coalesce(mem.n, 0), coalesce(com.open, 0), coalesce(com.done, 0), coalesce(sk.skills, '{}')
		FROM organisations o LEFT JOIN mem ON mem.org_id = o.id LEFT JOIN com ON com.org_id = o.id
			LEFT JOIN sk ON sk.org_id = o.id
		WHERE o.network_id = $1
		ORDER BY lower(o.name), o.id`, networkID)
	if err != nil {
		return nil, fmt.Errorf("organisations: %w", interpret(err))
	}
	defer rows.Close()
	var out []OrgSummary
	for rows.Next() {
		var o OrgSummary
		if err := rows.Scan(&o.ID, &o.Name, &o.Members, &o.Open, &o.Done, &o.Skills); err != nil {
			return nil, fmt.Errorf("organisations: %w", err)
		}
		out = append(out, o)
	}
	return out, interpret(rows.Err())
}

// DirectoryEntry is a member as the directory lists them.
type DirectoryEntry struct {
	Member
	Skills    []string
	Delivered int // commitments delivered
	Endorsed  int // endorsements received
}

// DirectoryFilter selects members for the directory. Zero fields do not
// filter.
type DirectoryFilter struct {
	NetworkID     int64
	OrgID         int64
	Language      string // "en" or "nl": members who set it
	Offset, Limit int
}

// Directory lists a network's members by name, a page at a time, with
// their skills and evidence counts, and the number of members the filter
// selects in all. Forgotten members are left out.
func (q *Queries) Directory(ctx context.Context, f DirectoryFilter) ([]DirectoryEntry, int, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	where := []string{"m.network_id = $1", "m.forgotten_at IS NULL"}
	args := []any{f.NetworkID}
	if f.OrgID != 0 {
		args = append(args, f.OrgID)
		where = append(where, fmt.Sprintf("m.org_id = $%d", len(args)))
	}
	if f.Language != "" {
		args = append(args, f.Language)
		where = append(where, fmt.Sprintf("m.language = $%d", len(args)))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := q.db.QueryRow(ctx, `SELECT count(*) FROM members m WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("directory: %w", interpret(err))
	}
	args = append(args, f.Limit, f.Offset)
	// The page's members are picked first (an index scan in name order),
	// so the skills and counts are read for those 50 only, however deep
	// the page.
	rows, err := q.db.Query(ctx, `WITH page AS (
			SELECT m.id FROM members m WHERE `+cond+`
			ORDER BY lower(m.display_name), m.id
			LIMIT $`+fmt.Sprint(len(args)-1)+` OFFSET $`+fmt.Sprint(len(args))+`)
		SELECT `+memberColumns+`,
			coalesce((SELECT array_agg(s.skill ORDER BY s.id) FROM skills s WHERE s.member_id = m.id), '{}'),
			(SELECT count(*) FROM commitments c WHERE c.owner_id = m.id AND c.status = 'done'),
			(SELECT count(*) FROM endorsements e WHERE e.endorsee_id = m.id)
		FROM page JOIN members m ON m.id = page.id LEFT JOIN organisations o ON o.id = m.org_id
		ORDER BY lower(m.display_name), m.id`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("directory: %w", interpret(err))
	}
	defer rows.Close()
	var out []DirectoryEntry
	for rows.Next() {
		var e DirectoryEntry
		m, err := scanMember(scanSuffix{rows, []any{&e.Skills, &e.Delivered, &e.Endorsed}})
		if err != nil {
			return nil, 0, fmt.Errorf("directory: %w", err)
		}
		e.Member = m
		out = append(out, e)
	}
	return out, total, interpret(rows.Err())
}

// scanSuffix scans some columns after a member's.
type scanSuffix struct {
	row    interface{ Scan(...any) error }
	suffix []any
}

func (s scanSuffix) Scan(dst ...any) error { return s.row.Scan(append(dst, s.suffix...)...) }

// Board is the commitments board: each column at most BoardLimit
// commitments, with the column's full count.
type Board struct {
	Overdue, DueSoon, Open, Delivered                     []Commitment
	OverdueCount, DueSoonCount, OpenCount, DeliveredCount int
}

// BoardLimit caps each column of the board.
const BoardLimit = 30

// BoardFilter selects the board's commitments. Zero fields do not filter.
type BoardFilter struct {
	NetworkID int64
	GoalNo    int64
	OrgID     int64     // the owner's organisation
	Today     time.Time // civil date in the network's zone
}

// CommitmentBoard fills the board: overdue (open, due before today), due
// soon (open, due in the next 7 days), open (the rest of the open ones)
// and delivered in the last 30 days.
func (q *Queries) CommitmentBoard(ctx context.Context, f BoardFilter) (Board, error) {
	var b Board
	where := "c.network_id = $1"
	args := []any{f.NetworkID, f.Today.Format(time.DateOnly)}
	if f.GoalNo != 0 {
		args = append(args, f.GoalNo)
		where += fmt.Sprintf(" AND g.no = $%d", len(args))
	}
	if f.OrgID != 0 {
		args = append(args, f.OrgID)
		where += fmt.Sprintf(" AND m.org_id = $%d", len(args))
	}
	// One statement counts the four columns, one reads them: two round
	// trips for the whole board.
	cols := []struct {
		cond, order string
		dst         *[]Commitment
		count       *int
	}{
		{`c.status = 'open' AND c.due < $2::date`, `c.due, c.no`, &b.Overdue, &b.OverdueCount},
		{`c.status = 'open' AND c.due >= $2::date AND c.due < $2::date + 7`, `c.due, c.no`, &b.DueSoon, &b.DueSoonCount},
		{`c.status = 'open' AND (c.due IS NULL OR c.due >= $2::date + 7)`, `c.due NULLS LAST, c.no`, &b.Open, &b.OpenCount},
		{`c.status = 'done' AND c.done_at >= $2::date - 30`, `c.done_at DESC, c.no DESC`, &b.Delivered, &b.DeliveredCount},
	}
	counts := make([]string, len(cols))
	lists := make([]string, len(cols))
	for i, col := range cols {
		counts[i] = `count(*) FILTER (WHERE ` + col.cond + `)`
		lists[i] = fmt.Sprintf(`(SELECT %d, `, i) + commitmentColumns + commitmentFrom + `WHERE ` + where + ` AND ` + col.cond +
			` ORDER BY ` + col.order + fmt.Sprintf(` LIMIT %d)`, BoardLimit)
	}
	err := q.db.QueryRow(ctx, `SELECT `+strings.Join(counts, ", ")+commitmentFrom+`WHERE `+where+
		` AND (c.status = 'open' OR (c.status = 'done' AND c.done_at >= $2::date - 30))`, args...).
		Scan(cols[0].count, cols[1].count, cols[2].count, cols[3].count)
	if err != nil {
		return b, fmt.Errorf("board: %w", interpret(err))
	}
	rows, err := q.db.Query(ctx, strings.Join(lists, " UNION ALL "), args...)
	if err != nil {
		return b, fmt.Errorf("board: %w", interpret(err))
	}
	defer rows.Close()
	for rows.Next() {
		var col int
		c, err := scanCommitment(scanPrefix{rows, []any{&col}})
		if err != nil {
			return b, fmt.Errorf("board: %w", err)
		}
		*cols[col].dst = append(*cols[col].dst, c)
	}
	return b, interpret(rows.Err())
}

// OrgLink is work between two organisations in a period.
type OrgLink struct {
	A, B         int64 // organisation ids, A < B
	Deliveries   int   // commitments delivered by a member of one to a member of the other
	Endorsements int   // endorsements between their members
}

// OrgLinks lists which organisations worked together since since:
// commitments delivered by a member of one to a member of the other, and
// endorsements between their members, either way.
func (q *Queries) OrgLinks(ctx context.Context, networkID int64, since time.Time) ([]OrgLink, error) {
	rows, err := q.db.Query(ctx, `
		WITH pairs AS (
			SELECT mo.org_id AS a, mr.org_id AS b, 1 AS d, 0 AS e
			FROM commitments c JOIN members mo ON mo.id = c.owner_id JOIN members mr ON mr.id = c.recipient_id
			WHERE c.network_id = $1 AND c.status = 'done' AND c.done_at >= $2 AND mo.org_id <> mr.org_id
			UNION ALL
			SELECT m1.org_id, m2.org_id, 0, 1
			FROM endorsements e JOIN members m1 ON m1.id = e.endorser_id JOIN members m2 ON m2.id = e.endorsee_id
			WHERE m1.network_id = $1 AND e.created_at >= $2 AND m1.org_id <> m2.org_id)
		SELECT least(a, b), greatest(a, b), sum(d), sum(e) FROM pairs
		GROUP BY 1, 2 ORDER BY sum(d) + sum(e) DESC, 1, 2`, networkID, since)
	if err != nil {
		return nil, fmt.Errorf("organisation links: %w", interpret(err))
	}
	defer rows.Close()
	var out []OrgLink
	for rows.Next() {
		var l OrgLink
		if err := rows.Scan(&l.A, &l.B, &l.Deliveries, &l.Endorsements); err != nil {
			return nil, fmt.Errorf("organisation links: %w", err)
		}
		out = append(out, l)
	}
	return out, interpret(rows.Err())
}
