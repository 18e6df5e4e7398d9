package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// SeedOptions shape a synthetic network.
type SeedOptions struct {
	Members int
	Seed    int64
	Now     time.Time
}

// SeedStats counts what Seed wrote.
type SeedStats struct {
	Members, Orgs, Evidence int
}

// Seed fills a network with a synthetic membership for benchmarks and
// demos: about one organisation per 40 members, and per member four to six
// declared skills, two to four delivered commitments and a few
// endorsements (about ten evidence rows each), spread over two years. It
// writes through COPY and set-based SQL, so 100,000 members take minutes,
// not hours, and the rows look exactly like the ones the bot writes.
func (s *Store) Seed(ctx context.Context, networkID int64, o SeedOptions) (SeedStats, error) {
	rng := rand.New(rand.NewPCG(uint64(o.Seed), 0x6b6e6f6f70))
	var st SeedStats
	nOrgs := max(1, o.Members/40)
	err := s.Tx(ctx, func(q *Queries) error {
		tx := q.db.(pgx.Tx)
		var runID int64
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM members WHERE network_id = $1`, networkID).Scan(&runID); err != nil {
			return err
		}
		orgIDs := make([]int64, 0, nOrgs)
		for i := range nOrgs {
			name := fmt.Sprintf("%s %s", seedOrgKinds[i%len(seedOrgKinds)], seedPlaces[(i/len(seedOrgKinds))%len(seedPlaces)])
			if i >= len(seedOrgKinds)*len(seedPlaces) {
				name = fmt.Sprintf("%s %d", name, i)
			}
			var id int64
			err := tx.QueryRow(ctx, `INSERT INTO organisations (network_id, name) VALUES ($1, $2)
				ON CONFLICT (network_id, lower(name)) DO UPDATE SET name = excluded.name RETURNING id`, networkID, name).Scan(&id)
			if err != nil {
				return fmt.Errorf("seed organisation: %w", err)
			}
			orgIDs = append(orgIDs, id)
		}
		st.Orgs = len(orgIDs)

		memberRows := make([][]any, o.Members)
		for i := range memberRows {
			name := seedFirst[rng.IntN(len(seedFirst))] + " " + seedLast[rng.IntN(len(seedLast))]
			memberRows[i] = []any{networkID, "seed", fmt.Sprintf("seed-%d-%d", runID, i), name, orgIDs[rng.IntN(len(orgIDs))]}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"members"},
			[]string{"network_id", "platform", "platform_user_id", "display_name", "org_id"}, pgx.CopyFromRows(memberRows)); err != nil {
			return fmt.Errorf("seed members: %w", err)
		}
		ids := make([]int64, 0, o.Members)
		rows, err := tx.Query(ctx, `SELECT id FROM members WHERE network_id = $1 AND platform = 'seed'
			AND platform_user_id LIKE $2 ORDER BY id`, networkID, fmt.Sprintf("seed-%d-%%", runID))
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		st.Members = len(ids)

		// Each member has a few "home" topics near each other in the
		// vocabulary, so skills, deliveries and endorsements agree.
		var skills, commits, endorse [][]any
		var commitNo int64
		if err := tx.QueryRow(ctx, `SELECT commitment_seq FROM networks WHERE id = $1`, networkID).Scan(&commitNo); err != nil {
			return err
		}
		when := func() time.Time { return o.Now.Add(-time.Duration(rng.Int64N(int64(730 * 24 * time.Hour)))) }
		orgOf := make(map[int64]int64, len(ids))
		for i, id := range ids {
			orgOf[id] = memberRows[i][4].(int64)
		}
		// member_terms and the lexicon are computed here, exactly as
		// refreshTerms and addEvidence would, from the same rows.
		termCache := map[string][]string{}
		words := map[string]bool{}
		var termRows [][]any
		memberScores := map[string]float64{}
		evidence := func(text string, weight float64, at time.Time) {
			ts, ok := termCache[text]
			if !ok {
				ts = Terms(text)
				termCache[text] = ts
				for _, w := range Words(text) {
					words[w] = true
				}
			}
			sc := evidenceScore(weight, at)
			for _, t := range ts {
				memberScores[t] += sc
			}
		}
		for _, id := range ids {
			clear(memberScores)
			home := rng.IntN(len(seedSkills))
			topic := func() string { return seedSkills[(home+rng.IntN(6))%len(seedSkills)] }
			seen := map[string]bool{}
			for range 5 + rng.IntN(4) {
				sk := topic()
				if seen[sk] {
					continue
				}
				seen[sk] = true
				at := when()
				skills = append(skills, []any{id, sk, at})
				evidence(sk, WeightDeclared, at)
			}
			for range 2 + rng.IntN(3) {
				commitNo++
				at := when()
				text := fmt.Sprintf(seedDeliverables[rng.IntN(len(seedDeliverables))], topic())
				commits = append(commits, []any{networkID, commitNo, id, text, "done", at, at, at})
				evidence(text, WeightDelivered, at)
			}
			endorsedBy := map[string]bool{}
			for range rng.IntN(5) {
				by, sk, at := ids[rng.IntN(len(ids))], topic(), when()
				key := fmt.Sprint(by, "|", sk)
				if by == id || endorsedBy[key] {
					continue
				}
				endorsedBy[key] = true
				endorse = append(endorse, []any{by, id, sk, WeightEndorsed, at})
				evidence(sk, WeightEndorsed, at)
			}
			for t, sc := range memberScores {
				termRows = append(termRows, []any{id, t, networkID, orgOf[id], sc})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"member_terms"},
			[]string{"member_id", "term", "network_id", "org_id", "score"}, pgx.CopyFromRows(termRows)); err != nil {
			return fmt.Errorf("seed member terms: %w", err)
		}
		var lexRows [][]any
		for w := range words {
			en, nl := stemsOf(w)
			lexRows = append(lexRows, []any{networkID, w, en, nl})
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE seed_lexicon (LIKE lexicon) ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"seed_lexicon"}, []string{"network_id", "word", "en", "nl"}, pgx.CopyFromRows(lexRows)); err != nil {
			return fmt.Errorf("seed lexicon: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE networks SET commitment_seq = $2 WHERE id = $1`, networkID, commitNo); err != nil {
			return err
		}
		copies := []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"skills", []string{"member_id", "skill", "created_at"}, skills},
			{"commitments", []string{"network_id", "no", "owner_id", "text", "status", "created_at", "updated_at", "done_at"}, commits},
			{"endorsements", []string{"endorser_id", "endorsee_id", "skill", "weight", "created_at"}, endorse},
		}
		for _, c := range copies {
			if _, err := tx.Exec(ctx, `CREATE TEMP TABLE seed_`+c.table+` (LIKE `+c.table+` INCLUDING DEFAULTS) ON COMMIT DROP`); err != nil {
				return err
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"seed_" + c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
				return fmt.Errorf("seed %s: %w", c.table, err)
			}
		}
		// Endorsements are unique per (endorser, endorsee, skill): keep one.
		stmts := []string{
			`INSERT INTO skills (member_id, skill, created_at) SELECT member_id, skill, created_at FROM seed_skills
				ON CONFLICT DO NOTHING`,
			`INSERT INTO commitments (network_id, no, owner_id, text, status, created_at, updated_at, done_at)
				SELECT network_id, no, owner_id, text, status, created_at, updated_at, done_at FROM seed_commitments`,
			`INSERT INTO endorsements (endorser_id, endorsee_id, skill, weight, created_at)
				SELECT endorser_id, endorsee_id, skill, weight, created_at FROM seed_endorsements
				ON CONFLICT DO NOTHING`,
			`INSERT INTO evidence (network_id, member_id, kind, source_id, text, weight, at)
				SELECT $1, s.member_id, 'declared', s.id, s.skill, ` + fmt.Sprint(WeightDeclared) + `, s.created_at
				FROM skills s JOIN members m ON m.id = s.member_id
				WHERE m.network_id = $1 AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.kind = 'declared' AND e.source_id = s.id)`,
			`INSERT INTO evidence (network_id, member_id, kind, source_id, text, weight, at)
				SELECT $1, c.owner_id, 'delivered', c.id, c.text, ` + fmt.Sprint(WeightDelivered) + `, c.done_at
				FROM commitments c
				WHERE c.network_id = $1 AND c.status = 'done'
				AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.kind = 'delivered' AND e.source_id = c.id)`,
			`INSERT INTO evidence (network_id, member_id, kind, source_id, text, weight, at)
				SELECT $1, en.endorsee_id, 'endorsed', en.id, en.skill, en.weight, en.created_at
				FROM endorsements en JOIN members m ON m.id = en.endorsee_id
				WHERE m.network_id = $1 AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.kind = 'endorsed' AND e.source_id = en.id)`,
			`INSERT INTO lexicon SELECT * FROM seed_lexicon ON CONFLICT DO NOTHING`,
		}
		for _, stmt := range stmts {
			var args []any
			if strings.Contains(stmt, "$1") {
				args = append(args, networkID)
			}
			if _, err := tx.Exec(ctx, stmt, args...); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
		}
		return tx.QueryRow(ctx, `SELECT count(*) FROM evidence WHERE network_id = $1`, networkID).Scan(&st.Evidence)
	})
	if err != nil {
		return st, err
	}
	// A fresh visibility map lets who-queries read member_terms from the
	// index alone, as they do on a database autovacuum keeps up with.
	for _, stmt := range []string{`VACUUM ANALYZE member_terms`, `ANALYZE members`, `ANALYZE evidence`, `ANALYZE lexicon`} {
		if _, err := s.pool.Exec(ctx, stmt); err != nil {
			return st, fmt.Errorf("seed: %w", err)
		}
	}
	return st, nil
}
