package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ImportOptions tune Import.
type ImportOptions struct {
	// Progress, when set, is called from the importing goroutine as the
	// load advances (at most every progressEvery rows and at the end of
	// each stage). It must not block for long: the transaction is open.
	Progress func(ImportProgress)
}

// ImportProgress is how far an import got: Done of Total rows of a stage
// ("members", "evidence", "index", "analyze").
type ImportProgress struct {
	Stage       string
	Done, Total int
}

// progressEvery is how many rows pass between two Progress calls.
const progressEvery = 10_000

// bulkAnalyzeFrom is the network size from which an import refreshes the
// planner statistics and the visibility map itself (as Seed does) rather
// than leaving it to autovacuum, so the first who-questions after loading
// a large network read member_terms from its index alone.
const bulkAnalyzeFrom = 1000

// Import creates a new network from a document, in one transaction: on
// any error nothing is written. Rooms that already belong to a network
// here are refused (ErrConflict); a document that breaks the format's
// rules is refused (ErrImport) before anything is sent to PostgreSQL.
//
// It loads in bulk: row ids are taken from the tables' sequences in one
// statement per table, every table is filled by COPY, and the derived
// rows (evidence from skills, endorsements and delivered commitments; the
// search index member_terms; the lexicon) are computed here and streamed
// in one pass per table, exactly as addEvidence and refreshTerms would
// compute them one member at a time. 100,000 members with a million
// evidence rows take about a minute instead of a quarter of an hour.
func (s *Store) Import(ctx context.Context, x Export, o ImportOptions) (int64, error) {
	if err := x.validate(); err != nil {
		return 0, err
	}
	if err := x.checkUnique(); err != nil {
		return 0, err
	}
	progress := func(stage string, done, total int) {
		if o.Progress != nil {
			o.Progress(ImportProgress{Stage: stage, Done: done, Total: total})
		}
	}
	var netID int64
	err := s.WithTx(ctx, func(tx pgx.Tx, q *Queries) error {
		id, err := bulkImport(ctx, tx, &x, progress)
		netID = id
		return err
	})
	if err != nil {
		return 0, err
	}
	if len(x.Members) >= bulkAnalyzeFrom {
		progress("analyze", 0, 1)
		for _, stmt := range []string{`VACUUM ANALYZE member_terms`, `ANALYZE members`, `ANALYZE evidence`, `ANALYZE lexicon`,
			`ANALYZE commitments`} {
			if _, err := s.pool.Exec(ctx, stmt); err != nil {
				return netID, fmt.Errorf("import: %s: %w", stmt, err)
			}
		}
		progress("analyze", 1, 1)
	}
	return netID, nil
}

// checkUnique refuses what the tables' unique indexes would refuse, with
// the document's own words: a member's user id twice, a skill declared
// twice by one member, an endorsement given twice.
func (x *Export) checkUnique() error {
	users := map[[2]string]string{}
	for _, m := range x.Members {
		if m.Forgotten {
			continue
		}
		k := [2]string{m.Platform, m.UserID}
		if other, ok := users[k]; ok {
			return importErr("members %s and %s are the same user %s on %s", other, m.Key, m.UserID, m.Platform)
		}
		users[k] = m.Key
		skills := map[string]bool{}
		for _, sk := range m.Skills {
			l := strings.ToLower(sk.Skill)
			if skills[l] {
				return importErr("member %s declares skill %q twice", m.Key, sk.Skill)
			}
			skills[l] = true
		}
	}
	endorsed := map[[3]string]bool{}
	for i, e := range x.Endorsements {
		k := [3]string{e.By, e.Of, strings.ToLower(e.Skill)}
		if endorsed[k] {
			return importErr("endorsement %d: %s endorses %s for %q twice", i+1, e.By, e.Of, e.Skill)
		}
		endorsed[k] = true
	}
	return nil
}

// bulkImport writes x into a new network inside tx and returns its id.
func bulkImport(ctx context.Context, tx pgx.Tx, x *Export, progress func(string, int, int)) (int64, error) {
	if err := checkRoomsFree(ctx, tx, x.Rooms); err != nil {
		return 0, err
	}
	var maxC, maxG, maxA int64
	for _, c := range x.Commitments {
		maxC = max(maxC, c.No)
	}
	for _, g := range x.Goals {
		maxG = max(maxG, g.No)
	}
	for _, a := range x.Asks {
		maxA = max(maxA, a.No)
	}
	n := x.Network
	var netID int64
	if err := tx.QueryRow(ctx, `INSERT INTO networks (name, charter, timezone, language, commitment_seq, goal_seq, ask_seq, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, n.Name, n.Charter, n.Timezone, n.Language, maxC, maxG, maxA, n.CreatedAt).Scan(&netID); err != nil {
		return 0, fmt.Errorf("import network: %w", interpret(err))
	}
	b := &bulk{ctx: ctx, tx: tx}
	b.copy("rooms", []string{"platform", "room_id", "network_id"}, len(x.Rooms), func(i int) []any {
		return []any{x.Rooms[i].Platform, x.Rooms[i].RoomID, netID}
	})

	// Organisations: the document's list first, then those only members
	// name, matched case-insensitively; the first spelling is kept and the
	// last strengths listed for a name win.
	type org struct {
		name      string
		strengths []string
	}
	var orgs []org
	orgIndex := map[string]int{}
	addOrg := func(name string) int {
		l := strings.ToLower(name)
		if i, ok := orgIndex[l]; ok {
			return i
		}
		orgIndex[l] = len(orgs)
		orgs = append(orgs, org{name: name, strengths: []string{}})
		return len(orgs) - 1
	}
	for _, o := range x.Organisations {
		i := addOrg(o.Name)
		if o.Strengths != nil {
			orgs[i].strengths = o.Strengths
		}
	}
	memberOrg := make([]int, len(x.Members)) // index into orgs, or -1
	for i, m := range x.Members {
		memberOrg[i] = -1
		if m.Organisation != "" {
			memberOrg[i] = addOrg(m.Organisation)
		}
	}
	nSkills := 0
	for _, m := range x.Members {
		nSkills += len(m.Skills)
	}
	orgIDs := b.ids("organisations", len(orgs))
	memberIDs := b.ids("members", len(x.Members))
	skillIDs := b.ids("skills", nSkills)
	endorsementIDs := b.ids("endorsements", len(x.Endorsements))
	goalIDs := b.ids("goals", len(x.Goals))
	commitmentIDs := b.ids("commitments", len(x.Commitments))
	if b.err != nil {
		return 0, b.err
	}
	b.copy("organisations", []string{"id", "network_id", "name", "strengths"}, len(orgs), func(i int) []any {
		return []any{orgIDs[i], netID, orgs[i].name, orgs[i].strengths}
	})

	key := make(map[string]int, len(x.Members)) // member key → index
	for i, m := range x.Members {
		key[m.Key] = i
	}
	ref := func(k string) any {
		if k == "" {
			return nil
		}
		return memberIDs[key[k]]
	}
	memberOrgID := func(i int) any {
		if memberOrg[i] < 0 {
			return nil
		}
		return orgIDs[memberOrg[i]]
	}
	b.copy("members", []string{"id", "network_id", "platform", "platform_user_id", "display_name", "org_id", "timezone",
		"language", "away_until", "forgotten_at", "nudges", "work_start", "work_end", "created_at", "updated_at"},
		len(x.Members), func(i int) []any {
			m := &x.Members[i]
			if i%progressEvery == 0 {
				progress("members", i, len(x.Members))
			}
			away, _ := parseDate(m.AwayUntil)
			var uid, forgotten any
			if m.Forgotten {
				forgotten = m.CreatedAt
			} else {
				uid = m.UserID
			}
			return []any{memberIDs[i], netID, m.Platform, uid, m.DisplayName, memberOrgID(i), nullText(m.Timezone),
				nullText(m.Language), away, forgotten, m.Nudges, m.WorkHours[0], m.WorkHours[1], m.CreatedAt, m.CreatedAt}
		})
	progress("members", len(x.Members), len(x.Members))

	// Skills in member order; skillStart[i] is member i's first skill.
	skillStart := make([]int, len(x.Members)+1)
	for i, m := range x.Members {
		skillStart[i+1] = skillStart[i] + len(m.Skills)
	}
	mi, si := 0, 0
	b.copy("skills", []string{"id", "member_id", "skill", "created_at"}, nSkills, func(i int) []any {
		for i >= skillStart[mi+1] {
			mi++
		}
		si = i - skillStart[mi]
		sk := x.Members[mi].Skills[si]
		return []any{skillIDs[i], memberIDs[mi], sk.Skill, sk.CreatedAt}
	})
	b.copy("endorsements", []string{"id", "endorser_id", "endorsee_id", "skill", "weight", "created_at"}, len(x.Endorsements),
		func(i int) []any {
			e := &x.Endorsements[i]
			return []any{endorsementIDs[i], ref(e.By), ref(e.Of), e.Skill, float32(e.Weight), e.CreatedAt}
		})
	goalID := make(map[int64]int64, len(x.Goals))
	for i, g := range x.Goals {
		goalID[g.No] = goalIDs[i]
	}
	b.copy("goals", []string{"id", "network_id", "no", "text", "created_by", "created_at"}, len(x.Goals), func(i int) []any {
		g := &x.Goals[i]
		return []any{goalIDs[i], netID, g.No, g.Text, ref(g.CreatedBy), g.CreatedAt}
	})
	b.copy("commitments", []string{"id", "network_id", "no", "owner_id", "recipient_id", "goal_id", "text", "due", "status",
		"created_at", "updated_at", "done_at"}, len(x.Commitments), func(i int) []any {
		c := &x.Commitments[i]
		due, _ := parseDate(c.Due)
		var goal any
		if c.Goal != 0 {
			goal = goalID[c.Goal]
		}
		return []any{commitmentIDs[i], netID, c.No, ref(c.Owner), ref(c.Recipient), goal, c.Text, due, c.Status,
			c.CreatedAt, c.UpdatedAt, c.DoneAt}
	})
	type update struct{ c, u int }
	var updates []update
	for i, c := range x.Commitments {
		for j := range c.History {
			updates = append(updates, update{i, j})
		}
	}
	b.copy("commitment_updates", []string{"commitment_id", "member_id", "kind", "note", "due", "created_at"}, len(updates),
		func(i int) []any {
			u := &x.Commitments[updates[i].c].History[updates[i].u]
			due, _ := parseDate(u.Due)
			return []any{commitmentIDs[updates[i].c], ref(u.Member), u.Kind, u.Note, due, u.At}
		})
	b.copy("asks", []string{"network_id", "no", "member_id", "text", "status", "created_at"}, len(x.Asks), func(i int) []any {
		a := &x.Asks[i]
		return []any{netID, a.No, ref(a.Member), a.Text, a.Status, a.CreatedAt}
	})
	b.copy("schedules", []string{"network_id", "platform", "room_id", "spec", "next_at"}, len(x.Schedules), func(i int) []any {
		sc := &x.Schedules[i]
		return []any{netID, sc.Platform, sc.RoomID, sc.Spec, sc.NextAt}
	})
	if b.err != nil {
		return 0, b.err
	}

	// Evidence, member by member: declared skills, delivered commitments,
	// endorsements received, each in document order. A forgotten member
	// has none (as after Forget), so an anonymous row never answers
	// "who is good at X".
	ev := &evidenceList{}
	delivered := make([][]int32, len(x.Members))
	for i, c := range x.Commitments {
		if c.Status == StatusDone && c.DoneAt != nil {
			o := key[c.Owner]
			delivered[o] = append(delivered[o], int32(i))
		}
	}
	received := make([][]int32, len(x.Members))
	for i, e := range x.Endorsements {
		o := key[e.Of]
		received[o] = append(received[o], int32(i))
	}
	for i, m := range x.Members {
		if m.Forgotten {
			continue
		}
		for j, sk := range m.Skills {
			ev.add(i, KindDeclared, skillIDs[skillStart[i]+j], sk.Skill, WeightDeclared, sk.CreatedAt)
		}
		for _, c := range delivered[i] {
			cm := &x.Commitments[c]
			ev.add(i, KindDelivered, commitmentIDs[c], cm.Text, WeightDelivered, *cm.DoneAt)
		}
		for _, e := range received[i] {
			en := &x.Endorsements[e]
			ev.add(i, KindEndorsed, endorsementIDs[e], en.Skill, en.Weight, en.CreatedAt)
		}
	}
	b.copy("evidence", []string{"network_id", "member_id", "kind", "source_id", "text", "weight", "at"}, len(ev.rows),
		func(i int) []any {
			if i%(10*progressEvery) == 0 {
				progress("evidence", i, len(ev.rows))
			}
			r := &ev.rows[i]
			return []any{netID, memberIDs[r.member], r.kind, r.source, r.text, r.weight, r.at}
		})
	progress("evidence", len(ev.rows), len(ev.rows))
	if b.err != nil {
		return 0, b.err
	}
	if err := writeIndex(ctx, tx, netID, ev, memberIDs, memberOrgID, progress); err != nil {
		return 0, err
	}
	return netID, nil
}

// checkRoomsFree refuses rooms that already belong to a network here.
func checkRoomsFree(ctx context.Context, tx pgx.Tx, rooms []ExportRoom) error {
	if len(rooms) == 0 {
		return nil
	}
	platforms, ids := make([]string, len(rooms)), make([]string, len(rooms))
	for i, r := range rooms {
		platforms[i], ids[i] = r.Platform, r.RoomID
	}
	var platform, room string
	var other int64
	err := tx.QueryRow(ctx, `SELECT r.platform, r.room_id, r.network_id FROM rooms r
		JOIN unnest($1::text[], $2::text[]) AS x(platform, room_id) USING (platform, room_id)
		ORDER BY r.platform, r.room_id LIMIT 1`, platforms, ids).Scan(&platform, &room, &other)
	if err == nil {
		return fmt.Errorf("%w: room %s:%s already belongs to network %d here", ErrConflict, platform, room, other)
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("import: %w", interpret(err))
	}
	return nil
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// bulk runs a sequence of bulk writes in one transaction, keeping the
// first error (later calls do nothing once one failed).
type bulk struct {
	ctx context.Context
	tx  pgx.Tx
	err error
}

// ids takes n fresh ids from table's id sequence, in increasing order, so
// rows copied in document order keep the order the export reads them in.
func (b *bulk) ids(table string, n int) []int64 {
	if b.err != nil || n == 0 {
		return nil
	}
	rows, err := b.tx.Query(b.ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, n)
	if err != nil {
		b.err = fmt.Errorf("import %s: %w", table, interpret(err))
		return nil
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		b.err = fmt.Errorf("import %s: %w", table, interpret(err))
		return nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// copy streams n rows, row(i) for i in 0..n-1, into table by COPY.
func (b *bulk) copy(table string, cols []string, n int, row func(i int) []any) {
	if b.err != nil || n == 0 {
		return
	}
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		r := row(i)
		i++
		return r, nil
	})
	if _, err := b.tx.CopyFrom(b.ctx, pgx.Identifier{table}, cols, src); err != nil {
		b.err = fmt.Errorf("import %s: %w", table, interpret(err))
	}
}

// evidenceList holds a document's evidence rows, grouped by member.
type evidenceList struct {
	rows []evidenceRow
}

type evidenceRow struct {
	member int // index into the document's members
	kind   string
	source int64
	text   string
	weight float32 // as the real column stores it, so scores match refreshTerms
	at     time.Time
}

func (l *evidenceList) add(member int, kind string, source int64, text string, weight float64, at time.Time) {
	// PostgreSQL keeps microseconds: score what it will store.
	l.rows = append(l.rows, evidenceRow{member, kind, source, text, float32(weight), at.Truncate(time.Microsecond)})
}
