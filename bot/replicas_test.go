package bot_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
	"knoop/store/storetest"
)

// replica is one scheduler process's worth of state on a shared schema.
type replica struct {
	store *store.Store
	bot   *bot.Bot
	out   *bottest.Outbox
	sched *bot.Scheduler
	stop  func()
}

func startReplica(t *testing.T, cfg *pgxpool.Config, clock *bottest.Clock, id string, opts bot.SchedulerOptions) *replica {
	t.Helper()
	st, err := store.OpenConfig(context.Background(), cfg.Copy(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(st, bottest.Logger(t).With("replica", id), bot.WithClock(clock.Now))
	out := bottest.NewOutbox("console")
	opts.NoPeriodic = true
	opts.ID = id
	if opts.RetryDelay == 0 {
		opts.RetryDelay = 50 * time.Millisecond
	}
	s, err := bot.NewScheduler(b, []bot.Adapter{out}, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = s.Run(ctx, 5*time.Second); close(done) }()
	r := &replica{store: st, bot: b, out: out, sched: s}
	var once sync.Once
	r.stop = func() { once.Do(func() { cancel(); <-done; st.Close() }) }
	t.Cleanup(r.stop)
	return r
}

// Three replicas on one database plan every slot at the same moment:
// each digest and each reminder goes out exactly once.
func TestThreeReplicasDeliverEachDigestAndNudgeOnce(t *testing.T) {
	_, cfg := storetest.SchemaConfig(t)
	clock := bottest.NewClock(ams(2026, 11, 29, 10, 0)) // a Sunday
	var reps []*replica
	for i := range 3 {
		// Deliveries are checked as of the test clock, which jumps
		// days ahead: a wide catch-up window keeps none from being
		// skipped as late.
		reps = append(reps, startReplica(t, cfg, clock, fmt.Sprintf("replica-%d", i), bot.SchedulerOptions{CatchUp: 30 * 24 * time.Hour}))
	}
	// Three members commit to Wednesday 2 Dec: each gets "before" (Mon),
	// "due" (Wed) and "1 day late" (Thu) reminders.
	for i, who := range []string{"anna", "bob", "eva"} {
		m := bot.Message{Platform: "console", RoomID: "room-1", UserID: who, UserName: who, Text: "commit task of " + who + " by 2026-12-02"}
		if got := bot.RenderText(reps[i].bot.Handle(context.Background(), m)); !strings.Contains(got, "#") {
			t.Fatalf("commit: %q", got)
		}
	}
	coord := bot.Message{Platform: "console", RoomID: "room-1", UserID: "carol", UserName: "Carol", Coordinator: true}
	for i, room := range []string{"room-1", "room-2", "room-3"} {
		m := coord
		m.RoomID, m.Text = room, fmt.Sprintf("digest every weekday %d:00", 9+i)
		if got := bot.RenderText(reps[i].bot.Handle(context.Background(), m)); !strings.Contains(got, "Digest set") {
			t.Fatalf("set digest: %q", got)
		}
	}
	count := func() (n int, per map[string]int) {
		per = map[string]int{}
		for _, r := range reps {
			for _, s := range r.out.All() {
				if s.To.RoomID != "" {
					per[fmt.Sprintf("%s %s", s.To.RoomID, s.To.Key)]++
					n++
				}
			}
		}
		return n, per
	}
	const days = 5 // Mon 30 Nov … Fri 4 Dec, three rooms each
	want := 0
	for d := range days {
		for hour := 9; hour <= 11; hour++ {
			clock.Set(ams(2026, 11, 30+d, hour, 0))
			var wg sync.WaitGroup
			for _, r := range reps {
				wg.Go(func() {
					if _, err := r.sched.Tick(context.Background()); err != nil {
						t.Errorf("tick: %v", err)
					}
				})
			}
			wg.Wait()
			// Delivery happens as of the clock: let it finish before
			// the clock moves on.
			want++
			deadline := time.Now().Add(20 * time.Second)
			for n, _ := count(); n < want && time.Now().Before(deadline); n, _ = count() {
				time.Sleep(20 * time.Millisecond)
			}
		}
	}
	// Every job has finished: a double would be recorded by now.
	bottest.JobsSettled(t, reps[0].store.Pool())
	n, per := count()
	if n != want || len(per) != want {
		t.Fatalf("%d deliveries of %d distinct digests, want %d of each: %v", n, len(per), want, per)
	}
	for k, c := range per {
		if c != 1 {
			t.Errorf("%s delivered %d times", k, c)
		}
	}
	dms := map[string]int{}
	deadline := time.Now().Add(20 * time.Second)
	for len(dms) < 9 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		dms = map[string]int{}
		for _, r := range reps {
			for _, s := range r.out.All() {
				if s.To.UserID != "" {
					dms[s.To.UserID+" "+strings.SplitN(bot.RenderText(s.Reply), "\n", 2)[0]]++
				}
			}
		}
	}
	if len(dms) != 9 {
		t.Fatalf("%d distinct reminders, want 9: %v", len(dms), dms)
	}
	for k, c := range dms {
		if c != 1 {
			t.Errorf("reminder %q delivered %d times", k, c)
		}
	}
	var byReplica []int
	for _, r := range reps {
		byReplica = append(byReplica, len(r.out.All()))
	}
	t.Logf("deliveries per replica: %v", byReplica)
}

// A replica killed (SIGKILL) while sending a digest loses nothing: another
// replica picks the job up once it is taken for stuck, and the digest
// goes out once.
func TestReplicaKilledMidSend(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a replica process and waits for River's rescuer")
	}
	name, cfg := storetest.SchemaConfig(t)
	clock := bottest.NewClock(ams(2026, 11, 27, 10, 0))
	st, err := store.OpenConfig(context.Background(), cfg.Copy(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b := bot.New(st, bottest.Logger(t), bot.WithClock(clock.Now))
	m := bot.Message{Platform: "console", RoomID: "room-1", UserID: "carol", UserName: "Carol", Coordinator: true, Text: "digest every monday 09:00"}
	if got := bot.RenderText(b.Handle(context.Background(), m)); !strings.Contains(got, "Digest set") {
		t.Fatalf("set digest: %q", got)
	}

	slot := ams(2026, 11, 30, 9, 0)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "KNOOP_TEST_REPLICA="+name, "KNOOP_TEST_REPLICA_NOW="+slot.Format(time.RFC3339))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sending := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "SENDING ") {
				sending <- line
			}
		}
	}()
	select {
	case line := <-sending:
		t.Logf("replica process: %s", line)
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the replica process never started sending")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	clock.Set(slot.Add(time.Minute))
	start := time.Now()
	r := startReplica(t, cfg, clock, "survivor", bot.SchedulerOptions{RescueAfter: 2 * time.Second})
	// The survivor must first be elected leader (the dead replica's
	// leadership expires after about 15 s), then River's rescuer, which
	// runs every 30 s on the leader, finds the job: typically 18 s.
	sent := r.out.WaitPosts(t, 1, 120*time.Second)
	t.Logf("survivor delivered the digest %s after the kill", time.Since(start).Round(time.Second))
	if !strings.Contains(bot.RenderText(sent[0].Reply), "Digest — Mon 30 Nov 2026") {
		t.Fatalf("digest: %s", bot.RenderText(sent[0].Reply))
	}
	bottest.JobsSettled(t, r.store.Pool())
	r.out.Quiet(t, false) // not delivered twice
	// Planning again at the same slot finds it claimed.
	if p, err := r.sched.Tick(context.Background()); err != nil || p.Digests != 0 {
		t.Fatalf("tick after rescue: %+v, %v", p, err)
	}
}

// runReplica is the killed replica: it plans the slot and blocks in the
// send until the test kills it.
func runReplica(schema string) int {
	now, err := time.Parse(time.RFC3339, os.Getenv("KNOOP_TEST_REPLICA_NOW"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cfg, err := pgxpool.ParseConfig(storetest.URL())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema + ",public"
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.OpenConfig(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	b := bot.New(st, log, bot.WithClock(func() time.Time { return now }))
	out := &announcer{}
	s, err := bot.NewScheduler(b, []bot.Adapter{out}, bot.SchedulerOptions{NoPeriodic: true, ID: "doomed"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	go func() { _ = s.Run(ctx, time.Second) }()
	if _, err := s.Tick(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	select {}
}

// announcer says on stdout that it is sending, then hangs.
type announcer struct{}

func (announcer) Name() string                                 { return "console" }
func (announcer) Run(ctx context.Context, _ bot.Handler) error { <-ctx.Done(); return nil }
func (announcer) Send(ctx context.Context, to bot.Target, _ bot.Reply) error {
	fmt.Printf("SENDING %s %s\n", to.RoomID, to.Key)
	<-ctx.Done()
	select {}
}
