package eval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"knoop/bot"
	"knoop/store"
)

// Platform is the platform name labelled members get in the store; their
// platform user id is their id in the members file.
const Platform = "eval"

// Ranker answers a who-question with member ids, best first.
type Ranker interface {
	Name() string
	Rank(ctx context.Context, text string, limit int) ([]string, error)
}

// Knoop is Knoop's own ranker over a loaded network: the question goes
// through bot.Parse and bot.Experts, the path of a chat question.
type Knoop struct {
	store     *store.Store
	networkID int64
	now       time.Time
}

// Name implements Ranker.
func (k *Knoop) Name() string { return "knoop" }

// Rank implements Ranker. A line that is not a who-question, or has no
// topic, gets no answer, as in chat.
func (k *Knoop) Rank(ctx context.Context, text string, limit int) ([]string, error) {
	ids, _, err := k.RankBasis(ctx, text, limit)
	return ids, err
}

// RankBasis implements BasisRanker: the bases of the experts listed
// (bot.BasisDirect, BasisTranslated, BasisInferred), comma-separated, in
// that order.
func (k *Knoop) RankBasis(ctx context.Context, text string, limit int) ([]string, string, error) {
	line, ok := bot.Clean(text)
	if !ok {
		return nil, "", nil
	}
	p := bot.Parse(line)
	if p.Command != "who" {
		return nil, "", nil
	}
	res, err := bot.Experts(ctx, k.store, k.networkID, p.Args, k.now, limit)
	if errors.Is(err, bot.ErrNoTopic) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	out := make([]string, 0, len(res.Experts))
	has := map[string]bool{}
	for _, e := range res.Experts {
		out = append(out, e.Member.PlatformUserID)
		has[e.Basis] = true
	}
	var bases []string
	for _, b := range []string{bot.BasisDirect, bot.BasisTranslated, bot.BasisInferred} {
		if has[b] {
			bases = append(bases, b)
		}
	}
	return out, strings.Join(bases, ","), nil
}

// BasisRanker is a Ranker that also says how its answer was found: which
// of "direct", "translated" and "inferred" evidence its members were
// found by, comma-separated ("" when it cannot tell).
type BasisRanker interface {
	Ranker
	RankBasis(ctx context.Context, text string, limit int) ([]string, string, error)
}

// loadWorkers is how many members are written at once.
const loadWorkers = 4

// Load writes members into a new network of s through the store calls the
// bot makes (member, organisation, skills, commitments marked done,
// endorsements), all dated now, and returns Knoop's ranker over it. s
// should be empty: a throw-away schema.
func Load(ctx context.Context, s *store.Store, members []Member, now time.Time) (*Knoop, error) {
	net, err := s.NetworkForRoom(ctx, Platform, "eval", store.NetworkDefaults{})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(members))
	byID := make(map[string]int64, len(members))
	for i, m := range members {
		name := m.Name
		if name == "" {
			name = m.ID
		}
		sm, err := s.EnsureMember(ctx, net.ID, Platform, m.ID, name)
		if err != nil {
			return nil, fmt.Errorf("member %s: %w", m.ID, err)
		}
		ids[i], byID[m.ID] = sm.ID, sm.ID
	}
	err = parallel(ctx, len(members), func(i int) error {
		m, id := members[i], ids[i]
		if m.Org != "" {
			if _, err := s.SetOrganisation(ctx, id, m.Org); err != nil {
				return fmt.Errorf("member %s: %w", m.ID, err)
			}
		}
		if _, err := s.AddSkills(ctx, id, m.Skills, now); err != nil {
			return fmt.Errorf("member %s: %w", m.ID, err)
		}
		for _, d := range m.Delivered {
			c, err := s.AddCommitment(ctx, store.NewCommitment{NetworkID: net.ID, OwnerID: id, Text: d, At: now})
			if err != nil {
				return fmt.Errorf("member %s: %w", m.ID, err)
			}
			if _, err := s.ChangeCommitment(ctx, store.Change{NetworkID: net.ID, No: c.No, MemberID: id, Kind: "done", At: now}); err != nil {
				return fmt.Errorf("member %s: %w", m.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Endorsements last: they look at deliveries between the two members.
	err = parallel(ctx, len(members), func(i int) error {
		m := members[i]
		for _, e := range m.Endorsements {
			_, err := s.Endorse(ctx, byID[e.By], ids[i], e.Skill, now)
			if err != nil && !errors.Is(err, store.ErrConflict) {
				return fmt.Errorf("member %s endorsed by %s: %w", m.ID, e.By, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Knoop{store: s, networkID: net.ID, now: now}, nil
}

// parallel runs fn(0..n-1) on loadWorkers goroutines and returns the
// first error.
func parallel(parent context.Context, n int, fn func(i int) error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	next := make(chan int)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for range loadWorkers {
		wg.Go(func() {
			for i := range next {
				if err := fn(i); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first == nil {
		first = parent.Err()
	}
	return first
}

// Warm asks every query of r once, unmeasured, so caches and plans are as
// a running bot has them before Run measures latency.
func Warm(ctx context.Context, r Ranker, queries []Query) error {
	for _, q := range queries {
		if _, err := r.Rank(ctx, q.Text, Cutoff); err != nil {
			return fmt.Errorf("%s: query %s: %w", r.Name(), q.ID, err)
		}
	}
	return nil
}

// Run asks every query of r once, timed, and returns the outcomes.
func Run(ctx context.Context, r Ranker, queries []Query) ([]Outcome, error) {
	outs := make([]Outcome, 0, len(queries))
	for _, q := range queries {
		t0 := time.Now()
		var (
			ranked []string
			basis  string
			err    error
		)
		if br, ok := r.(BasisRanker); ok {
			ranked, basis, err = br.RankBasis(ctx, q.Text, Cutoff)
		} else {
			ranked, err = r.Rank(ctx, q.Text, Cutoff)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: query %s: %w", r.Name(), q.ID, err)
		}
		outs = append(outs, Outcome{Query: q, Ranked: ranked, Basis: basis, Latency: time.Since(t0)})
	}
	return outs, nil
}
