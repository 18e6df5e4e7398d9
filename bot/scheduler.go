package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"knoop/bot/metrics"
	"knoop/store"
)

// The scheduler posts digests and nudges. Its work is split in two:
//
//   - Planning (Tick) decides, as of the bot's clock, which digest slots
//     and reminders are due, claims each in PostgreSQL under a unique key
//     (a digest slot of a room, a stage of a commitment's reminders) and,
//     in the same transaction, queues a job to deliver it. However many
//     replicas plan at once, a slot or stage is claimed once.
//   - Delivery runs the jobs on River (a job queue in PostgreSQL): one
//     replica works each job, a platform error is retried with backoff,
//     and a job whose replica died mid-send is picked up again by another
//     once RescueAfter has passed.
//
// A periodic job (elected leader only) runs Tick every minute, and at
// start, so slots missed while every replica was down are caught up.

// SchedulerOptions tune the scheduler; zero values take the defaults.
type SchedulerOptions struct {
	// Tick is how often planning runs (default one minute).
	Tick time.Duration
	// CatchUp is how late a digest or reminder may still go out (default
	// 6 hours); later ones are skipped with a log line.
	CatchUp time.Duration
	// RescueAfter is how long a job may run before it is taken to belong
	// to a dead replica and retried (default 5 minutes).
	RescueAfter time.Duration
	// Workers is how many jobs one replica works at once (default 4).
	Workers int
	// NoPeriodic leaves out the periodic tick: tests call Tick themselves.
	NoPeriodic bool
	// ID names this replica in the job tables (default: River's).
	ID string
	// RetryDelay, when set, retries failed deliveries after this fixed
	// delay instead of River's growing backoff (tests).
	RetryDelay time.Duration
}

// fixedRetry retries after a fixed delay.
type fixedRetry time.Duration

func (f fixedRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(time.Duration(f)) }

// Scheduler plans and delivers digests and nudges.
type Scheduler struct {
	b        *Bot
	log      *slog.Logger
	adapters map[string]Adapter
	opts     SchedulerOptions
	client   *river.Client[pgx.Tx]
	started  atomic.Bool
	// ticked is the wall time of this replica's last finished Tick.
	ticked atomic.Int64
}

// Job arguments. Each names a claimed row; the row says what to send.
type tickArgs struct{}

func (tickArgs) Kind() string { return "knoop_tick" }

type digestArgs struct {
	Digest int64 `json:"digest"`
}

func (digestArgs) Kind() string { return "knoop_digest" }

type nudgeArgs struct {
	Nudge int64 `json:"nudge"`
}

func (nudgeArgs) Kind() string { return "knoop_nudge" }

// deliveryAttempts bounds retries: with River's backoff (attempt⁴
// seconds) ten attempts span about seven hours, past the catch-up window.
const deliveryAttempts = 10

// NewScheduler builds a scheduler for b that delivers through adapters.
func NewScheduler(b *Bot, adapters []Adapter, opts SchedulerOptions) (*Scheduler, error) {
	if opts.Tick <= 0 {
		opts.Tick = time.Minute
	}
	if opts.CatchUp <= 0 {
		opts.CatchUp = 6 * time.Hour
	}
	if opts.RescueAfter <= 0 {
		opts.RescueAfter = 5 * time.Minute
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	s := &Scheduler{b: b, log: b.log.With("component", "scheduler"), adapters: map[string]Adapter{}, opts: opts}
	for _, a := range adapters {
		s.adapters[a.Name()] = a
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[tickArgs]) error {
		_, err := s.Tick(ctx)
		return err
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[digestArgs]) error {
		return s.deliverDigest(ctx, j.Args.Digest)
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[nudgeArgs]) error {
		return s.deliverNudge(ctx, j.Args.Nudge)
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[introExpiredArgs]) error {
		return s.deliverIntroExpired(ctx, j.Args)
	}))
	jobTimeout := time.Minute
	if opts.RescueAfter <= jobTimeout {
		jobTimeout = opts.RescueAfter / 2
	}
	cfg := &river.Config{
		ID:                   opts.ID,
		Logger:               s.log.With("component", "jobs"),
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Workers}},
		Workers:              workers,
		JobTimeout:           jobTimeout,
		RescueStuckJobsAfter: opts.RescueAfter,
		MaxAttempts:          deliveryAttempts,
	}
	if opts.RetryDelay > 0 {
		cfg.RetryPolicy = fixedRetry(opts.RetryDelay)
	}
	if !opts.NoPeriodic {
		cfg.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(opts.Tick),
			func() (river.JobArgs, *river.InsertOpts) {
				return tickArgs{}, &river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: opts.Tick}}
			}, &river.PeriodicJobOpts{RunOnStart: true, ID: "knoop_tick"})}
	}
	client, err := river.NewClient(riverpgxv5.New(b.store.Pool()), cfg)
	if err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	s.client = client
	return s, nil
}

// Run works jobs until ctx ends, then lets jobs in flight finish for up
// to grace before cancelling them (a cancelled job is retried later, by
// this replica or another).
func (s *Scheduler) Run(ctx context.Context, grace time.Duration) error {
	defer s.countJobs()()
	if err := s.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("scheduler: start: %w", err)
	}
	s.started.Store(true)
	s.log.Info("scheduler started", "tick", s.opts.Tick, "catch_up", s.opts.CatchUp)
	<-ctx.Done()
	s.started.Store(false)
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if err := s.client.Stop(stopCtx); err != nil {
		s.log.Warn("scheduler: jobs still running after the grace period; cancelling them", "err", err)
		hard, cancelHard := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancelHard()
		_ = s.client.StopAndCancel(hard)
	}
	s.log.Info("scheduler stopped")
	return nil
}

// Ready reports whether the scheduler is working jobs.
func (s *Scheduler) Ready() error {
	if !s.started.Load() {
		return errors.New("scheduler not running")
	}
	return nil
}

// Planned counts what one Tick queued and skipped.
type Planned struct {
	Digests, DigestsSkipped, Nudges int
	IntrosExpired                   int // introduction requests unanswered too long
	// Busy: another pass (of this replica or another) was still running,
	// so this one did nothing.
	Busy bool
}

// PlanningLock names the advisory lock a planning pass holds (per schema,
// see store.TrySchemaLock).
const PlanningLock = "knoop.planning"

// Tick plans, as of the bot's clock, every digest slot and reminder that
// is due, and queues their delivery. Passes never overlap: a pass holds
// PlanningLock in PostgreSQL while it runs, and a Tick that finds it held
// (a slow pass of this or another replica, a periodic job and a manual
// Tick) returns at once with Busy set; the next minute's pass picks up
// what is due then.
func (s *Scheduler) Tick(ctx context.Context) (Planned, error) {
	lock, err := s.b.store.TrySchemaLock(ctx, PlanningLock)
	if err != nil {
		return Planned{}, fmt.Errorf("planning: %w", err)
	}
	if lock == nil {
		s.log.Warn("planning pass skipped: the previous pass is still running")
		return Planned{Busy: true}, nil
	}
	defer lock.Release(context.WithoutCancel(ctx))
	now := s.b.now()
	var p Planned
	for {
		n, err := s.planDigests(ctx, now, &p)
		if err != nil {
			return p, err
		}
		if n < digestBatch {
			break
		}
	}
	if err := s.planNudges(ctx, now, &p); err != nil {
		return p, err
	}
	if err := s.planIntros(ctx, &p); err != nil {
		return p, err
	}
	s.ticked.Store(time.Now().UnixNano())
	s.b.metrics.AddJobs("digest", metrics.JobQueued, p.Digests)
	s.b.metrics.AddJobs("nudge", metrics.JobQueued, p.Nudges)
	if p != (Planned{}) {
		s.log.Info("scheduler planned", "digests", p.Digests, "digests_skipped", p.DigestsSkipped, "nudges", p.Nudges)
	}
	return p, nil
}

// digestBatch is how many schedules one planning transaction claims:
// a few statements per batch, whatever its size.
const digestBatch = 500

// planDigests claims the latest due slot of up to digestBatch schedules,
// advances them past now and queues the deliveries, in one transaction of
// four statements (due schedules, claims, jobs, advances).
func (s *Scheduler) planDigests(ctx context.Context, now time.Time, p *Planned) (int, error) {
	var n int
	var queued, skipped int
	err := s.b.store.WithTx(ctx, func(tx pgx.Tx, q *store.Queries) error {
		queued, skipped = 0, 0
		due, err := q.DueSchedulesForPlanning(ctx, now, digestBatch)
		if err != nil {
			return err
		}
		n = len(due)
		claims := make([]store.Digest, 0, len(due))
		ids, nexts := make([]int64, 0, len(due)), make([]time.Time, 0, len(due))
		for _, sc := range due {
			loc := loadLocation(sc.Timezone)
			slot, next, missed := slotsUpTo(sc.Schedule, now, loc)
			if next.IsZero() {
				// A spec that no longer parses: park it a year out
				// rather than failing every tick.
				s.log.Error("digest schedule unreadable", "room", sc.RoomID, "spec", sc.Spec)
				next = now.AddDate(1, 0, 0)
			}
			if missed > 0 {
				s.log.Warn("digest slots missed while no replica ran; skipped", "platform", sc.Platform, "room", sc.RoomID, "missed", missed)
			}
			skip := ""
			if late := now.Sub(slot); late > s.opts.CatchUp {
				skip = "late"
				s.log.Warn("digest slot skipped: more than the catch-up window late", "platform", sc.Platform,
					"room", sc.RoomID, "slot", slot, "late", late.Round(time.Minute))
			} else if name, ok := s.b.calendar.Holiday(civil(slot.In(loc))); ok {
				skip = "holiday: " + name
				s.log.Info("digest slot skipped: public holiday", "platform", sc.Platform, "room", sc.RoomID, "slot", slot, "holiday", name)
			}
			claims = append(claims, store.Digest{NetworkID: sc.NetworkID, Platform: sc.Platform,
				RoomID: sc.RoomID, Slot: slot, Since: sc.Since, Skipped: skip})
			ids, nexts = append(ids, sc.ID), append(nexts, next)
		}
		claimed, err := q.ClaimDigests(ctx, claims, now)
		if err != nil {
			return err
		}
		jobs := make([]river.InsertManyParams, 0, len(claimed))
		for _, d := range claimed {
			if d.Skipped != "" {
				skipped++
				continue
			}
			jobs = append(jobs, river.InsertManyParams{Args: digestArgs{Digest: d.ID}})
		}
		if len(jobs) > 0 {
			if _, err := s.client.InsertManyFastTx(ctx, tx, jobs); err != nil {
				return fmt.Errorf("queue digests: %w", err)
			}
		}
		queued = len(jobs)
		return q.AdvanceSchedules(ctx, ids, nexts)
	})
	if err == nil {
		p.Digests += queued
		p.DigestsSkipped += skipped
	}
	return n, err
}

// slotsUpTo walks a schedule from its stored next slot to now: the latest
// slot at or before now, the first after it, and how many slots before
// the latest were passed over.
func slotsUpTo(sc store.Schedule, now time.Time, loc *time.Location) (slot, next time.Time, missed int) {
	slot = sc.NextAt
	for i := 0; ; i++ {
		n, err := nextSlot(sc.Spec, slot, loc)
		if err != nil {
			return slot, time.Time{}, missed
		}
		if n.After(now) {
			return slot, n, missed
		}
		if i > 100_000 {
			return n, time.Time{}, missed
		}
		slot = n
		missed++
	}
}

// locations caches time zones by name: loading one reads the zone
// database, and planning asks for a zone per candidate.
var locations sync.Map

func loadLocation(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.UTC
	}
	locations.Store(name, loc)
	return loc
}

// nudgePage is how many candidates planning reads at once: memory stays
// bounded by a page however many commitments are open.
const nudgePage = 10_000

// planNudges claims the reminders due now and queues their delivery, a
// page of candidates at a time. Reminders already claimed are recognised
// by the candidate's LastKey; the others are checked against those
// claimed in one statement, then claimed and queued in one transaction of
// two statements.
func (s *Scheduler) planNudges(ctx context.Context, now time.Time, p *Planned) error {
	// Candidates are read generously (weekends, holidays and zones can
	// put a member's first reminder days ahead of UTC's today); nudgeFor
	// decides exactly.
	dueBy := civil(now).AddDate(0, 0, 2*s.b.nudgeLead+21)
	plans := make([]store.Nudge, 0, nudgePage)
	seen := map[string]bool{}
	for after := int64(0); ; {
		cands, err := s.b.store.NudgeCandidatePage(ctx, dueBy, after, nudgePage)
		if err != nil {
			return err
		}
		plans = plans[:0]
		clear(seen)
		for _, c := range cands {
			after = c.ID
			// Owners gone or with reminders off are in the page (the page
			// is taken over commitments alone) but get none.
			n, ok := s.b.nudgeFor(c, now)
			// The newest reminder of the commitment is this one: claimed
			// before (the common case, every minute after the first).
			// A weekly summary's key is the member's: the same key can
			// come up on another page too, where claiming finds it taken.
			if ok && n.Key != c.LastKey && !seen[n.Key] {
				seen[n.Key] = true
				plans = append(plans, n)
			}
		}
		if err := s.claimNudges(ctx, plans, p); err != nil {
			return err
		}
		if len(cands) < nudgePage {
			return nil
		}
	}
}

// claimNudges claims and queues the plans not claimed before.
func (s *Scheduler) claimNudges(ctx context.Context, plans []store.Nudge, p *Planned) error {
	if len(plans) == 0 {
		return nil
	}
	keys := make([]string, len(plans))
	for i, n := range plans {
		keys[i] = n.Key
	}
	claimed, err := s.b.store.NudgesClaimed(ctx, keys)
	if err != nil {
		return err
	}
	var fresh []store.Nudge
	for _, n := range plans {
		if !claimed[n.Key] {
			fresh = append(fresh, n)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	var queued int
	err = s.b.store.WithTx(ctx, func(tx pgx.Tx, q *store.Queries) error {
		got, err := q.ClaimNudges(ctx, fresh)
		if err != nil {
			return err
		}
		jobs := make([]river.InsertManyParams, len(got))
		for i, n := range got {
			jobs[i] = river.InsertManyParams{Args: nudgeArgs{Nudge: n.ID}}
		}
		if len(jobs) > 0 {
			if _, err := s.client.InsertManyFastTx(ctx, tx, jobs); err != nil {
				return fmt.Errorf("queue nudges: %w", err)
			}
		}
		queued = len(jobs)
		return nil
	})
	if err == nil {
		p.Nudges += queued
	}
	return err
}

// maxOverdueNudges is how many overdue reminders a commitment gets before
// Knoop waits for its owner to act.
const maxOverdueNudges = 5

// nudgeFor decides whether a commitment's owner gets a reminder now, and
// which. Reminders come only on working days, inside the owner's working
// hours in their own timezone, never while they are away:
//
//   - "before": nudgeLead working days or fewer before the due date (not
//     when the date was set in the last day: they just chose it);
//   - "due": on the due date;
//   - "over1", "over3", "over7", then weekly ("over14", "over21", …)
//     days after it, pausing after maxOverdueNudges until the owner acts.
//
// A stage that passed on a day off is not sent late: the next stage is.
// With nudges "weekly" the owner gets one summary a week instead.
func (b *Bot) nudgeFor(c store.NudgeCandidate, now time.Time) (store.Nudge, bool) {
	if c.Due.IsZero() || c.Owner.Nudges == "off" || c.Owner.PlatformUserID == "" {
		return store.Nudge{}, false
	}
	tz := c.Owner.Timezone
	if tz == "" {
		tz = c.NetworkTimezone
	}
	local := now.In(loadLocation(tz))
	day := civil(local)
	minute := local.Hour()*60 + local.Minute()
	if !b.calendar.Workday(day) || minute < c.Owner.WorkStart || minute >= c.Owner.WorkEnd || c.Owner.Away(day) {
		return store.Nudge{}, false
	}
	n := store.Nudge{MemberID: c.Owner.ID, CreatedAt: now}
	if c.Owner.Nudges == "weekly" {
		if c.Due.After(day.AddDate(0, 0, 7)) {
			return store.Nudge{}, false
		}
		y, w := day.ISOWeek()
		n.Key = fmt.Sprintf("w%d:%d-W%02d", c.Owner.ID, y, w)
		n.Stage = "weekly"
		return n, true
	}
	switch {
	case c.Due.After(day):
		if b.calendar.workdaysUntil(day, c.Due) > b.nudgeLead || now.Sub(c.LastAct) < 24*time.Hour {
			return store.Nudge{}, false
		}
		n.Stage = "before"
	case c.Due.Equal(day):
		n.Stage = "due"
	default:
		if c.OverdueSent >= maxOverdueNudges {
			return store.Nudge{}, false
		}
		n.Stage = fmt.Sprintf("over%d", overdueStage(int(day.Sub(c.Due).Hours()/24)))
		n.Overdue = true
	}
	n.CommitmentID = c.ID
	n.Key = fmt.Sprintf("c%d:%s:%s", c.ID, c.Due.Format(time.DateOnly), n.Stage)
	return n, true
}

// overdueStage is the reminder stage for a commitment k days overdue:
// 1, 3, 7, then every 7 days.
func overdueStage(k int) int {
	switch {
	case k >= 14:
		return 7 * (k / 7)
	case k >= 7:
		return 7
	case k >= 3:
		return 3
	default:
		return 1
	}
}

// deliverDigest sends a claimed digest slot: a summary message, and the
// details in its thread where the platform has threads.
func (s *Scheduler) deliverDigest(ctx context.Context, id int64) error {
	st := s.b.store
	d, err := st.DigestByID(ctx, id)
	if err != nil {
		return err
	}
	if !d.SentAt.IsZero() || d.Skipped != "" {
		return nil
	}
	now := s.b.now()
	log := s.log.With("platform", d.Platform, "room", d.RoomID, "slot", d.Slot)
	if late := now.Sub(d.Slot); late > s.opts.CatchUp {
		log.Warn("digest skipped: more than the catch-up window late", "late", late.Round(time.Minute))
		return st.SkipDigest(ctx, id, "late")
	}
	a, ok := s.adapters[d.Platform]
	if !ok {
		log.Warn("digest skipped: platform not configured on this replica")
		return st.SkipDigest(ctx, id, "platform not configured")
	}
	net, err := st.Network(ctx, d.NetworkID)
	if err != nil {
		return err
	}
	summary, details, err := s.b.buildDigest(ctx, net, d.Since, now, net.Language)
	if err != nil {
		return err
	}
	to := Target{Platform: d.Platform, RoomID: d.RoomID, Key: fmt.Sprintf("digest-%d", d.ID)}
	poster, canPost := a.(Poster)
	threader, canThread := a.(Threader)
	if !canPost || !canThread || details.IsZero() {
		summary.Blocks = append(summary.Blocks, details.Blocks...)
		if err := a.Send(ctx, to, summary); err != nil {
			return fmt.Errorf("send digest: %w", err)
		}
		log.Info("digest sent")
		return st.MarkDigestSent(ctx, id, "", now)
	}
	root := d.MessageID
	if root == "" {
		summary.add(Context, tr(summary.Lang, "digest_details"))
		if root, err = poster.Post(ctx, to, summary); err != nil {
			return fmt.Errorf("send digest: %w", err)
		}
		if err := st.MarkDigestPosted(ctx, id, root); err != nil {
			return err
		}
	}
	thread := Target{Platform: d.Platform, RoomID: d.RoomID, ThreadID: root, Key: fmt.Sprintf("digest-%d-details", d.ID)}
	if err := threader.SendInThread(ctx, thread, details); err != nil {
		return fmt.Errorf("send digest details: %w", err)
	}
	log.Info("digest sent", "message", root)
	return st.MarkDigestSent(ctx, id, root, now)
}

// deliverNudge sends a claimed reminder by direct message, unless the
// commitment changed since it was planned.
func (s *Scheduler) deliverNudge(ctx context.Context, id int64) error {
	st := s.b.store
	n, err := st.NudgeByID(ctx, id)
	if err != nil {
		return err
	}
	if !n.SentAt.IsZero() {
		return nil
	}
	now := s.b.now()
	log := s.log.With("nudge", n.Key)
	if late := now.Sub(n.CreatedAt); late > s.opts.CatchUp {
		log.Warn("nudge skipped: more than the catch-up window late", "late", late.Round(time.Minute))
		return st.SkipNudge(ctx, id, "late")
	}
	m, err := st.Member(ctx, n.MemberID)
	if err != nil {
		return err
	}
	if m.Forgotten || m.PlatformUserID == "" || m.Nudges == "off" {
		return st.SkipNudge(ctx, id, "member opted out")
	}
	net, err := st.Network(ctx, m.NetworkID)
	if err != nil {
		return err
	}
	c := &call{ctx: ctx, b: s.b, net: net, me: m, lang: fallbackLang(m.Language, net.Language), now: now}
	c.loc = c.location()
	c.now = now.In(c.loc)
	var r Reply
	if n.CommitmentID != 0 {
		cm, err := st.CommitmentByID(ctx, n.CommitmentID)
		if err != nil {
			return err
		}
		if cm.Status != store.StatusOpen || cm.Due.IsZero() || !n.Overdue && cm.Due.Before(c.today()) ||
			fmt.Sprintf("c%d:%s:%s", cm.ID, cm.Due.Format(time.DateOnly), n.Stage) != n.Key {
			log.Info("nudge skipped: the commitment changed since it was planned")
			return st.SkipNudge(ctx, id, "commitment changed")
		}
		r = c.nudgeReply(cm, n)
	} else {
		list, err := st.OpenCommitmentsDue(ctx, m.ID, c.today().AddDate(0, 0, 7))
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return st.SkipNudge(ctx, id, "nothing due")
		}
		r = c.weeklyReply(list)
	}
	a, ok := s.adapters[m.Platform]
	if !ok {
		log.Warn("nudge skipped: platform not configured on this replica", "platform", m.Platform)
		return st.SkipNudge(ctx, id, "platform not configured")
	}
	if err := a.Send(ctx, Target{Platform: m.Platform, UserID: m.PlatformUserID, Key: "nudge-" + fmt.Sprint(n.ID)}, r); err != nil {
		return fmt.Errorf("send nudge: %w", err)
	}
	log.Info("nudge sent", "member", m.ID)
	return st.MarkNudgeSent(ctx, id, "", now)
}

// nudgeReply is the reminder about one commitment, with one-click Done ·
// Snooze a week · New date.
func (c *call) nudgeReply(cm store.Commitment, n store.Nudge) Reply {
	r := Reply{Lang: c.lang, Commitment: cm.No, Private: true}
	text := truncate(cm.Text, 200)
	days := int(c.today().Sub(cm.Due).Hours() / 24)
	switch {
	case n.Stage == "before":
		r.add(Text, tr(c.lang, "nudge_before", cm.No, text, c.fmtDate(cm.Due)))
	case n.Stage == "due":
		r.add(Text, tr(c.lang, "nudge_due", cm.No, text))
	case days == 1:
		r.add(Text, tr(c.lang, "nudge_overdue1", cm.No, text, c.fmtDate(cm.Due)))
	default:
		r.add(Text, tr(c.lang, "nudge_overdue", cm.No, text, c.fmtDate(cm.Due), days))
	}
	if n.Overdue {
		if sent, err := c.b.store.OverdueNudgesSince(c.ctx, cm.ID); err == nil && sent >= maxOverdueNudges {
			r.add(Context, tr(c.lang, "nudge_last"))
		}
	}
	r.add(Context, tr(c.lang, "nudge_off_hint", cmdNudges.Word(c.lang), cmdNudges.Word(c.lang)))
	r.Actions = c.commitmentActions(cm.No)
	return r
}

// weeklyReply is the weekly summary of a member's commitments due soon or
// overdue; the buttons act on the most urgent one.
func (c *call) weeklyReply(list []store.Commitment) Reply {
	r := Reply{Lang: c.lang, Private: true}
	r.add(Heading, tr(c.lang, "nudge_weekly"))
	for _, cm := range list {
		r.add(Item, c.fmtCommitment(cm, false))
	}
	r.add(Context, tr(c.lang, "nudge_hint", cmdDone.Word(c.lang), cmdSnooze.Word(c.lang), cmdDue.Word(c.lang), cmdNudges.Word(c.lang)))
	r.Commitment = list[0].No
	r.Actions = c.commitmentActions(list[0].No)
	return r
}
