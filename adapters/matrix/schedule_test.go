package matrix_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"knoop/adapters/matrix"
	"knoop/adapters/matrix/matrixtest"
	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
)

// A coordinator (the room's creator, power level 100) sets a weekly
// digest from Matrix: it arrives once at 09:00 Amsterdam time, with the
// details in a thread; the member with a commitment due gets a reminder
// in a direct room Knoop opens, and ⏰ on it snoozes the commitment.
func TestWeeklyDigestAndNudgeInMatrix(t *testing.T) {
	h := setup(t)
	ams := bottest.Start.Location()
	clock := bottest.NewClock(bottest.Start)
	// alice sets the digest: coordinator rights are configured, never
	// taken from the room she created.
	a, err := matrix.New(matrix.Config{Homeserver: h.srv.URL, UserID: string(h.knoop), Password: h.pw,
		Coordinators: []string{string(h.alice.UserID)}}, bottest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(h.store, bottest.Logger(t), bot.WithClock(clock.Now))
	sched, err := bot.NewScheduler(b, []bot.Adapter{a}, bot.SchedulerOptions{NoPeriodic: true, RetryDelay: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	adapterDone, schedDone := make(chan error, 1), make(chan error, 1)
	go func() { adapterDone <- a.Run(ctx, b) }()
	go func() { schedDone <- sched.Run(ctx, 5*time.Second) }()
	defer func() {
		cancel()
		if err := <-adapterDone; err != nil {
			t.Errorf("adapter Run: %v", err)
		}
		<-schedDone
	}()
	room := h.createRoom()
	h.waitJoined(room)

	q := h.say(room, "!knoop digest every monday 09:00")
	if got := body(h.answer(room, q)); !strings.Contains(got, "Digest set: every Monday at 09:00 (Europe/Amsterdam). Next: Mon 30 Nov 2026 09:00.") {
		t.Fatalf("set digest: %q", got)
	}
	clock.Set(time.Date(2026, 11, 26, 10, 0, 0, 0, ams))
	q = h.say(room, "!knoop commit the pilot report by 2026-12-02")
	last := h.answer(room, q)

	clock.Set(time.Date(2026, 11, 30, 9, 0, 0, 0, ams))
	if p, err := sched.Tick(context.Background()); err != nil || p.Digests != 1 || p.Nudges != 1 {
		t.Fatalf("tick at 09:00: %+v, %v", p, err)
	}
	digest := matrixtest.WaitMessageAfter(t, h.alice, room, last.ID, h.knoop, matrixtest.BodyContains("Digest — Mon 30 Nov 2026"), wait)
	details := matrixtest.WaitMessageAfter(t, h.alice, room, digest.ID, h.knoop, func(e *event.Event) bool {
		rel := e.Content.AsMessage().RelatesTo
		return rel != nil && rel.Type == event.RelThread && rel.EventID == digest.ID
	}, wait)
	if !strings.Contains(body(details), "#1 the pilot report") || strings.Contains(details.Content.AsMessage().FormattedBody, "@room") {
		t.Fatalf("details: %q", body(details))
	}

	// The reminder arrives in a direct room Knoop opened with alice.
	var dm id.RoomID
	deadline := time.Now().Add(wait)
	for dm == "" && time.Now().Before(deadline) {
		if v, ok, err := b.State(context.Background(), matrix.Platform, "dm:"+string(h.alice.UserID)); err == nil && ok {
			dm = id.RoomID(v)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if dm == "" {
		t.Fatal("no direct room for alice")
	}
	if _, err := h.alice.JoinRoomByID(context.Background(), dm); err != nil {
		t.Fatal(err)
	}
	nudge := matrixtest.WaitMessage(t, h.alice, dm, h.knoop, matrixtest.BodyContains("Reminder: #1 “the pilot report” is due Wed 2 Dec 2026"), wait)
	if _, err := h.alice.SendReaction(context.Background(), dm, nudge.ID, "⏰"); err != nil {
		t.Fatal(err)
	}
	matrixtest.WaitMessageAfter(t, h.alice, dm, nudge.ID, h.knoop, matrixtest.BodyContains("#1 is now due"), wait)
	n, err := h.store.NetworkForRoom(context.Background(), matrix.Platform, string(room), store.NetworkDefaults{})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := h.store.Commitment(context.Background(), n.ID, 1); err != nil || c.Due.Format(time.DateOnly) != "2026-12-09" {
		t.Fatalf("after ⏰ on the reminder: %+v %v", c, err)
	}

	// Planning again sends nothing more.
	if p, err := sched.Tick(context.Background()); err != nil || p.Digests != 0 || p.Nudges != 0 {
		t.Fatalf("second tick: %+v, %v", p, err)
	}
	evts, err := matrixtest.History(context.Background(), h.alice, room, h.knoop)
	if err != nil {
		t.Fatal(err)
	}
	digests := 0
	for _, e := range evts {
		if strings.Contains(body(e), "Digest — Mon 30 Nov 2026") {
			digests++
		}
	}
	if digests != 1 {
		t.Fatalf("%d digests in the room, want 1", digests)
	}
}
