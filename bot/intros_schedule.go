package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"knoop/bot/intro"
	"knoop/store"
)

// An introduction request the expert leaves unanswered for
// intro.AnswerWorkdays working days expires: the scheduler's tick marks
// it expired and, in the same transaction, queues a job that tells the
// asker (kindly) and offers the next member of the answer. A request is
// expired once, however many replicas plan.

type introExpiredArgs struct {
	Intro   int64 `json:"intro"`
	Network int64 `json:"network"`
}

func (introExpiredArgs) Kind() string { return "knoop_intro_expired" }

const introBatch = 200

// planIntros expires the requests unanswered for too long and queues the
// messages to their askers.
func (s *Scheduler) planIntros(ctx context.Context, p *Planned) error {
	now := s.b.now()
	// Three working days are at least three calendar days.
	stale, err := s.b.store.StaleIntros(ctx, now.AddDate(0, 0, -intro.AnswerWorkdays), introBatch)
	if err != nil {
		return err
	}
	for _, in := range stale {
		net, err := s.b.store.Network(ctx, in.NetworkID)
		if err != nil {
			return err
		}
		loc := loadLocation(net.Timezone)
		if s.b.calendar.workdaysUntil(civil(in.CreatedAt.In(loc)), civil(now.In(loc))) < intro.AnswerWorkdays {
			continue
		}
		err = s.b.store.WithTx(ctx, func(tx pgx.Tx, q *store.Queries) error {
			if err := q.DecideIntro(ctx, in.ID, string(intro.Expired), now); err != nil {
				return err
			}
			if _, err := s.client.InsertTx(ctx, tx, introExpiredArgs{Intro: in.ID, Network: in.NetworkID}, nil); err != nil {
				return fmt.Errorf("queue intro expiry: %w", err)
			}
			p.IntrosExpired++
			return nil
		})
		if errors.Is(err, store.ErrChanged) {
			continue // answered (or expired by another replica) meanwhile
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// deliverIntroExpired tells the asker of an expired request and offers
// the next member of the answer.
func (s *Scheduler) deliverIntroExpired(ctx context.Context, args introExpiredArgs) error {
	st := s.b.store
	in, err := st.IntroByID(ctx, args.Network, args.Intro)
	if errors.Is(err, store.ErrNotFound) {
		return nil // forgotten meanwhile
	}
	if err != nil {
		return err
	}
	asker, err := st.Member(ctx, in.AskerID)
	if err != nil {
		return err
	}
	expert, err := st.Member(ctx, in.ExpertID)
	if err != nil {
		return err
	}
	if asker.Forgotten || asker.PlatformUserID == "" {
		return nil
	}
	a, ok := s.adapters[asker.Platform]
	if !ok {
		s.log.Warn("intro expiry not sent: platform not configured on this replica", "platform", asker.Platform)
		return nil
	}
	net, err := st.Network(ctx, in.NetworkID)
	if err != nil {
		return err
	}
	c := &call{ctx: ctx, b: s.b, net: net, now: s.b.now()}
	c = c.forMember(asker, in.Lang)
	r := Reply{Lang: c.lang, Private: true}
	r.add(Text, tr(c.lang, "intro_expired", expert.DisplayName, in.Topic, intro.AnswerWorkdays))
	c.offerNext(&r, in.Topic, in.Rest, map[int64]bool{expert.ID: true})
	if err := a.Send(ctx, Target{Platform: asker.Platform, UserID: asker.PlatformUserID, Key: fmt.Sprintf("intro-%d-expired", in.ID)}, r); err != nil {
		return fmt.Errorf("send intro expiry: %w", err)
	}
	return nil
}
