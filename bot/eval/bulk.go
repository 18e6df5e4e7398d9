package eval

import (
	"context"
	"fmt"
	"strings"
	"time"

	"knoop/store"
)

// LoadBulk writes members into a new network of s in one bulk import
// (store.Import: COPY, then one pass that builds the search index) and
// returns Knoop's ranker over it. The network holds what Load writes
// through the bot's store calls — organisations, skills, delivered
// commitments, endorsements, all dated now — so the rankers answer the
// same; 100,000 members load in about a minute instead of a quarter of an
// hour. progress, if not nil, is passed to store.Import.
func LoadBulk(ctx context.Context, s *store.Store, members []Member, now time.Time, progress func(store.ImportProgress)) (*Knoop, error) {
	id, err := s.Import(ctx, Document(members, now), store.ImportOptions{Progress: progress})
	if err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}
	return &Knoop{store: s, networkID: id, now: now}, nil
}

// Document is members as a network export with one room (Platform,
// "eval"), in the shape Load gives them: a skill declared twice (in any
// case) counts once, an endorsement given twice counts once, and every
// delivery is a commitment created and marked done at now, without a
// recipient (so every endorsement has the plain weight).
func Document(members []Member, now time.Time) store.Export {
	now = now.UTC()
	x := store.Export{
		Format:  store.ExportFormat,
		Version: store.ExportVersion,
		Network: store.ExportNetwork{Name: Platform + ":eval", Timezone: "Europe/Amsterdam", Language: "en", CreatedAt: now},
		Rooms:   []store.ExportRoom{{Platform: Platform, RoomID: "eval"}},
	}
	keys := make(map[string]string, len(members))
	for i, m := range members {
		keys[m.ID] = fmt.Sprintf("m%d", i+1)
	}
	endorsed := map[[3]string]bool{}
	for _, m := range members {
		name := m.Name
		if name == "" {
			name = m.ID
		}
		em := store.ExportMember{Key: keys[m.ID], Platform: Platform, UserID: m.ID, DisplayName: name,
			Organisation: m.Org, Nudges: "on", WorkHours: [2]int{9 * 60, 17 * 60}, CreatedAt: now, Skills: []store.ExportSkill{}}
		seen := map[string]bool{}
		for _, sk := range m.Skills {
			if l := strings.ToLower(sk); !seen[l] {
				seen[l] = true
				em.Skills = append(em.Skills, store.ExportSkill{Skill: sk, CreatedAt: now})
			}
		}
		x.Members = append(x.Members, em)
		for _, d := range m.Delivered {
			x.Commitments = append(x.Commitments, store.ExportCommitment{
				No: int64(len(x.Commitments) + 1), Owner: em.Key, Text: d, Status: store.StatusDone,
				CreatedAt: now, UpdatedAt: now, DoneAt: &now,
				History: []store.ExportUpdate{{Kind: "created", Member: em.Key, At: now}, {Kind: "done", Member: em.Key, At: now}},
			})
		}
		for _, e := range m.Endorsements {
			k := [3]string{e.By, m.ID, strings.ToLower(e.Skill)}
			if endorsed[k] {
				continue
			}
			endorsed[k] = true
			x.Endorsements = append(x.Endorsements, store.ExportEndorsement{By: keys[e.By], Of: em.Key, Skill: e.Skill,
				Weight: store.WeightEndorsed, CreatedAt: now})
		}
	}
	return x
}
