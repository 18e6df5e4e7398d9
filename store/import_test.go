package store_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"knoop/store"
	"knoop/store/storetest"
)

var importTopics = []string{"cold chain", "koelketen", "koelketenlogistiek", "hydrogen", "waterstof", "grant writing",
	"subsidieaanvragen", "LNG bunkering", "gewasbeschermingsplan", "battery storage", "Coördinatie", "data science",
	"port logistics", "glastuinbouw", "energy transition", "cross-docking"}

// buildNetwork fills b's network the way the bot does, member by member:
// organisations, skills, commitments (some delivered to a recipient, so
// endorsements by recipients count double), endorsements, and one member
// who asked to be forgotten.
func buildNetwork(t *testing.T, b bundle, members int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 7))
	ids := make([]int64, members)
	for i := range members {
		m := b.member(t, fmt.Sprintf("u%d", i), fmt.Sprintf("Member %d", i), fmt.Sprintf("Org %d", i%5))
		ids[i] = m.ID
		var skills []string
		for range 1 + rng.IntN(4) {
			skills = append(skills, importTopics[rng.IntN(len(importTopics))])
		}
		at := day.Add(-time.Duration(rng.IntN(700*24)) * time.Hour)
		if _, err := b.s.AddSkills(b.ctx, m.ID, skills, at); err != nil {
			t.Fatal(err)
		}
	}
	for i := range members {
		for range rng.IntN(3) {
			to := ids[rng.IntN(members)]
			if to == ids[i] {
				to = 0
			}
			at := day.Add(-time.Duration(rng.IntN(300*24)) * time.Hour)
			c, err := b.s.AddCommitment(b.ctx, store.NewCommitment{NetworkID: b.net.ID, OwnerID: ids[i], RecipientID: to,
				Text: "pilot on " + importTopics[rng.IntN(len(importTopics))], At: at})
			if err != nil {
				t.Fatal(err)
			}
			if rng.IntN(3) > 0 {
				done := at.Add(time.Duration(rng.IntN(90*24)) * time.Hour)
				if _, err := b.s.ChangeCommitment(b.ctx, store.Change{NetworkID: b.net.ID, No: c.No, MemberID: ids[i], Kind: "done", At: done}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for i := range members {
		for range rng.IntN(4) {
			by := ids[rng.IntN(members)]
			if by == ids[i] {
				continue
			}
			_, err := b.s.Endorse(b.ctx, by, ids[i], importTopics[rng.IntN(len(importTopics))], day.Add(-time.Duration(rng.IntN(100))*time.Hour))
			if err != nil && !errors.Is(err, store.ErrConflict) {
				t.Fatal(err)
			}
		}
	}
	if err := b.s.Forget(b.ctx, ids[members-1], day); err != nil {
		t.Fatal(err)
	}
}

// index reads what the who-query answers from, member by platform user
// id: member_terms, the lexicon and the evidence, as sorted lines.
func index(t *testing.T, b bundle, networkID int64) (terms, lexicon, evidence []string) {
	t.Helper()
	read := func(sql string) []string {
		rows, err := b.s.Pool().Query(b.ctx, sql, networkID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			out = append(out, line)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
	terms = read(`SELECT concat_ws('|', m.platform_user_id, t.term, round(t.score::numeric, 9), o.name)
		FROM member_terms t JOIN members m ON m.id = t.member_id LEFT JOIN organisations o ON o.id = t.org_id
		WHERE t.network_id = $1`)
	lexicon = read(`SELECT concat_ws('|', word, en, nl) FROM lexicon WHERE network_id = $1`)
	evidence = read(`SELECT concat_ws('|', m.platform_user_id, e.kind, e.text, e.weight, e.at) FROM evidence e
		JOIN members m ON m.id = e.member_id WHERE e.network_id = $1`)
	return terms, lexicon, evidence
}

// A network exported and imported in bulk has the search index, lexicon
// and evidence the original built member by member, and answers every
// who-question the same.
func TestBulkImportIndexesAsMemberByMember(t *testing.T) {
	src := setup(t)
	buildNetwork(t, src, 60)
	x, err := src.s.ExportNetwork(src.ctx, src.net.ID)
	if err != nil {
		t.Fatal(err)
	}
	dst := bundle{s: storetest.Schema(t), ctx: src.ctx}
	var stages []string
	id, err := dst.s.Import(dst.ctx, x, store.ImportOptions{Progress: func(p store.ImportProgress) {
		if p.Done == p.Total {
			stages = append(stages, p.Stage)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"members", "evidence", "index"}; !slices.Equal(stages, want) {
		t.Errorf("progress stages %v, want %v", stages, want)
	}
	wantTerms, wantLex, wantEv := index(t, src, src.net.ID)
	gotTerms, gotLex, gotEv := index(t, dst, id)
	if len(wantTerms) < 500 || len(wantEv) < 100 {
		t.Fatalf("the generated network is too small to compare: %d terms, %d evidence rows", len(wantTerms), len(wantEv))
	}
	for _, c := range []struct {
		what      string
		want, got []string
	}{{"member_terms", wantTerms, gotTerms}, {"lexicon", wantLex, gotLex}, {"evidence", wantEv, gotEv}} {
		if !slices.Equal(c.want, c.got) {
			for i := range min(len(c.want), len(c.got)) {
				if c.want[i] != c.got[i] {
					t.Errorf("%s differs at line %d: member by member %q, bulk %q", c.what, i, c.want[i], c.got[i])
					break
				}
			}
			t.Errorf("%s: %d rows member by member, %d in bulk", c.what, len(c.want), len(c.got))
		}
	}
	for _, topic := range append(importTopics, "koel", "waterstofpilot", "pilot grant", "nobody knows this") {
		qs := concepts(store.Words(topic)...)
		want, err := src.s.Who(src.ctx, src.net.ID, qs, day, 10)
		if err != nil {
			t.Fatal(err)
		}
		got, err := dst.s.Who(dst.ctx, id, qs, day, 10)
		if err != nil {
			t.Fatal(err)
		}
		if w, g := whoLines(want), whoLines(got); !slices.Equal(w, g) {
			t.Errorf("who %q: member by member %v, bulk %v", topic, w, g)
		}
	}
}

func whoLines(r store.WhoResult) []string {
	var out []string
	for _, e := range r.Experts {
		out = append(out, fmt.Sprintf("%s %.9f", e.Member.PlatformUserID, e.Score))
	}
	return out
}

// A document that repeats what must be unique is refused with the reason,
// and nothing is written.
func TestBulkImportRefusesDuplicates(t *testing.T) {
	b := setup(t)
	at := day
	member := func(key, user string, skills ...string) store.ExportMember {
		m := store.ExportMember{Key: key, Platform: "console", UserID: user, Nudges: "on", WorkHours: [2]int{540, 1020}, CreatedAt: at}
		for _, s := range skills {
			m.Skills = append(m.Skills, store.ExportSkill{Skill: s, CreatedAt: at})
		}
		return m
	}
	good := func() store.Export {
		return store.Export{Format: store.ExportFormat, Version: store.ExportVersion,
			Network:      store.ExportNetwork{Timezone: "Europe/Amsterdam", Language: "en", CreatedAt: at},
			Rooms:        []store.ExportRoom{{Platform: "console", RoomID: "elsewhere"}},
			Members:      []store.ExportMember{member("m1", "a", "cold chain"), member("m2", "b")},
			Endorsements: []store.ExportEndorsement{{By: "m2", Of: "m1", Skill: "cold chain", Weight: 0.6, CreatedAt: at}}}
	}
	cases := []struct {
		change func(*store.Export)
		want   string
	}{
		{func(x *store.Export) { x.Members[1].UserID = "a" }, "same user a"},
		{func(x *store.Export) {
			x.Members[0].Skills = append(x.Members[0].Skills, store.ExportSkill{Skill: "Cold Chain"})
		}, "twice"},
		{func(x *store.Export) { x.Endorsements = append(x.Endorsements, x.Endorsements[0]) }, "endorses m1"},
		{func(x *store.Export) { x.Rooms[0].RoomID = "room" }, "already belongs to network"},
	}
	for _, c := range cases {
		x := good()
		c.change(&x)
		_, err := b.s.ImportNetwork(b.ctx, x)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("import: %v, want an error saying %q", err, c.want)
		}
	}
	var n int
	if err := b.s.Pool().QueryRow(b.ctx, `SELECT (SELECT count(*) FROM networks) + (SELECT count(*) FROM members)
		+ (SELECT count(*) FROM evidence) + (SELECT count(*) FROM member_terms)`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("refused imports left rows behind: %d (only the setup's network should exist), %v", n, err)
	}
	if _, err := b.s.ImportNetwork(b.ctx, good()); err != nil {
		t.Fatalf("good document: %v", err)
	}
}
