package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
)

// LoadOptions shape the synthetic scheduler load SeedLoad writes.
type LoadOptions struct {
	Networks          int // each with its own rooms, members and commitments
	RoomsPerNetwork   int // each room gets a digest schedule
	MembersPerNetwork int
	OpenPerMember     int    // open commitments per member
	Spec              string // every room's digest schedule (a cron line)
	NextAt            time.Time
	Now               time.Time // members and commitments were created before it
	Seed              int64
}

// LoadStats counts what SeedLoad wrote.
type LoadStats struct {
	Networks, Rooms, Members, Commitments int
}

// SeedLoad writes the load a scheduler at scale plans over: networks with
// rooms whose digests are all due at NextAt, members with default working
// hours and reminders on, and open commitments whose due dates spread
// from 60 days before Now to 120 days after it, a few per goal. Rows go
// in by COPY with ids taken from the sequences, so a million commitments
// take about a minute even on a busy machine.
func (s *Store) SeedLoad(ctx context.Context, o LoadOptions) (LoadStats, error) {
	rng := rand.New(rand.NewPCG(uint64(o.Seed), 0x6c6f6164))
	var st LoadStats
	err := s.WithTx(ctx, func(tx pgx.Tx, q *Queries) error {
		b := &bulk{ctx: ctx, tx: tx}
		nets := b.ids("networks", o.Networks)
		members := b.ids("members", o.Networks*o.MembersPerNetwork)
		goals := b.ids("goals", o.Networks*3)
		const orgsPer = 5
		orgs := b.ids("organisations", o.Networks*orgsPer)
		if b.err != nil {
			return b.err
		}
		perNet := o.MembersPerNetwork * o.OpenPerMember
		b.copy("networks", []string{"id", "name", "timezone", "language", "commitment_seq", "goal_seq", "created_at"}, len(nets),
			func(i int) []any {
				lang := "en"
				if i%2 == 1 {
					lang = "nl"
				}
				return []any{nets[i], fmt.Sprintf("load %d", i), "Europe/Amsterdam", lang, perNet, 3, o.Now.AddDate(-1, 0, 0)}
			})
		room := func(i int) (int, string) {
			return i / o.RoomsPerNetwork, fmt.Sprintf("load-%d-%d", nets[i/o.RoomsPerNetwork], i%o.RoomsPerNetwork)
		}
		nRooms := len(nets) * o.RoomsPerNetwork
		b.copy("rooms", []string{"platform", "room_id", "network_id"}, nRooms, func(i int) []any {
			n, r := room(i)
			return []any{"console", r, nets[n]}
		})
		b.copy("schedules", []string{"network_id", "platform", "room_id", "spec", "next_at"}, nRooms, func(i int) []any {
			n, r := room(i)
			return []any{nets[n], "console", r, o.Spec, o.NextAt}
		})
		b.copy("organisations", []string{"id", "network_id", "name"}, len(orgs), func(i int) []any {
			return []any{orgs[i], nets[i/orgsPer], fmt.Sprintf("%s %s", seedOrgKinds[i%len(seedOrgKinds)], seedPlaces[i%len(seedPlaces)])}
		})
		b.copy("members", []string{"id", "network_id", "platform", "platform_user_id", "display_name", "org_id", "created_at", "updated_at"},
			len(members), func(i int) []any {
				n := i / o.MembersPerNetwork
				at := o.Now.AddDate(0, 0, -100)
				return []any{members[i], nets[n], "console", fmt.Sprintf("load-%d", members[i]),
					seedFirst[i%len(seedFirst)] + " " + seedLast[(i/len(seedFirst))%len(seedLast)], orgs[n*orgsPer+i%orgsPer], at, at}
			})
		b.copy("goals", []string{"id", "network_id", "no", "text", "created_at"}, len(goals), func(i int) []any {
			return []any{goals[i], nets[i/3], i%3 + 1, fmt.Sprintf(seedDeliverables[i%len(seedDeliverables)], seedSkills[i%len(seedSkills)]),
				o.Now.AddDate(0, -6, 0)}
		})
		today := time.Date(o.Now.Year(), o.Now.Month(), o.Now.Day(), 0, 0, 0, 0, time.UTC)
		b.copy("commitments", []string{"network_id", "no", "owner_id", "goal_id", "text", "due", "status", "created_at", "updated_at"},
			len(members)*o.OpenPerMember, func(i int) []any {
				m := i / o.OpenPerMember
				n := m / o.MembersPerNetwork
				var goal any
				if g := rng.IntN(4); g < 3 {
					goal = goals[n*3+g]
				}
				created := o.Now.AddDate(0, 0, -30-rng.IntN(60))
				return []any{nets[n], i%perNet + 1, members[m], goal,
					fmt.Sprintf(seedDeliverables[rng.IntN(len(seedDeliverables))], seedSkills[rng.IntN(len(seedSkills))]),
					today.AddDate(0, 0, rng.IntN(181)-60), StatusOpen, created, created}
			})
		// Every commitment has its "created" entry, as AddCommitment writes.
		if b.err == nil {
			_, b.err = tx.Exec(ctx, `INSERT INTO commitment_updates (commitment_id, member_id, kind, due, created_at)
				SELECT c.id, c.owner_id, 'created', c.due, c.created_at FROM commitments c
				JOIN networks n ON n.id = c.network_id WHERE n.id = ANY($1)`, nets)
		}
		st = LoadStats{Networks: len(nets), Rooms: nRooms, Members: len(members), Commitments: len(members) * o.OpenPerMember}
		return b.err
	})
	if err != nil {
		return LoadStats{}, fmt.Errorf("seed load: %w", err)
	}
	for _, t := range []string{"networks", "rooms", "schedules", "members", "commitments", "commitment_updates", "goals", "organisations"} {
		if _, err := s.pool.Exec(ctx, `VACUUM ANALYZE `+t); err != nil {
			return st, fmt.Errorf("seed load: %w", err)
		}
	}
	return st, nil
}
