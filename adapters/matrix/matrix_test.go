package matrix_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"knoop/adapters/matrix"
	"knoop/adapters/matrix/matrixtest"
	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
	"knoop/store/storetest"
)

const wait = 30 * time.Second

// harness is a bot account on the shared Dendrite, a real bot on its own
// schema, and a member (alice) with a room Knoop was invited to.
type harness struct {
	t     *testing.T
	srv   *matrixtest.Server
	store *store.Store
	knoop id.UserID
	pw    string
	alice *mautrix.Client
	room  id.RoomID
}

func setup(t *testing.T) *harness {
	t.Helper()
	srv := matrixtest.Shared(t)
	h := &harness{t: t, srv: srv, store: storetest.Schema(t), pw: "knoop-password"}
	local := srv.Unique("knoop")
	srv.Register(t, local, h.pw, false)
	h.knoop = matrixtest.UserID(local)
	h.alice = srv.Register(t, srv.Unique("alice"), "alice-password", false)
	return h
}

// run starts a Knoop process (adapter + bot on the harness's database) and
// returns a function that stops it and waits for it.
func (h *harness) run() (stop func()) {
	h.t.Helper()
	a, err := matrix.New(matrix.Config{Homeserver: h.srv.URL, UserID: string(h.knoop), Password: h.pw},
		slog.New(slog.DiscardHandler))
	if err != nil {
		h.t.Fatal(err)
	}
	b := bot.New(h.store, bottest.Logger(h.t))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, b) }()
	return func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				h.t.Errorf("adapter Run: %v", err)
			}
		case <-time.After(wait):
			h.t.Errorf("adapter did not stop")
		}
	}
}

func (h *harness) createRoom() id.RoomID {
	h.t.Helper()
	resp, err := h.alice.CreateRoom(context.Background(), &mautrix.ReqCreateRoom{Preset: "private_chat", Name: "Greenport"})
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.alice.InviteUser(context.Background(), resp.RoomID, &mautrix.ReqInviteUser{UserID: h.knoop}); err != nil {
		h.t.Fatal(err)
	}
	return resp.RoomID
}

func (h *harness) waitJoined(room id.RoomID) {
	h.t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		m, err := h.alice.JoinedMembers(context.Background(), room)
		if err == nil {
			if _, ok := m.Joined[h.knoop]; ok {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	h.t.Fatalf("%s did not join %s", h.knoop, room)
}

func (h *harness) say(room id.RoomID, text string) id.EventID {
	h.t.Helper()
	resp, err := h.alice.SendText(context.Background(), room, text)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.EventID
}

// answer waits for Knoop's reply to question.
func (h *harness) answer(room id.RoomID, question id.EventID) *event.Event {
	h.t.Helper()
	return matrixtest.WaitMessageAfter(h.t, h.alice, room, question, h.knoop, matrixtest.ReplyTo(question), wait)
}

func body(e *event.Event) string { return e.Content.AsMessage().Body }

func TestInviteWhoCommitAndReaction(t *testing.T) {
	h := setup(t)
	stop := h.run()
	defer stop()
	room := h.createRoom()
	h.waitJoined(room)

	q := h.say(room, "!knoop skills add cold chain, logistiek")
	if got := body(h.answer(room, q)); !strings.Contains(got, "cold chain") {
		t.Fatalf("skills answer %q", got)
	}
	q = h.say(room, h.knoop.Localpart()+": who is good at cold chain?")
	ans := h.answer(room, q)
	msg := ans.Content.AsMessage()
	if msg.MsgType != event.MsgNotice || !strings.Contains(msg.Body, "declared: cold chain") || !strings.Contains(msg.FormattedBody, "<ul><li>") {
		t.Fatalf("who answer: %s / %s", msg.Body, msg.FormattedBody)
	}

	q = h.say(room, "!knoop commit deliver the pilot report by 2030-01-15")
	ans = h.answer(room, q)
	if !strings.Contains(body(ans), "#1 deliver the pilot report") || !strings.Contains(body(ans), "✅") {
		t.Fatalf("commit answer %q", body(ans))
	}
	if _, err := h.alice.SendReaction(context.Background(), room, ans.ID, "✅"); err != nil {
		t.Fatal(err)
	}
	done := matrixtest.WaitMessageAfter(t, h.alice, room, ans.ID, h.knoop, matrixtest.BodyContains("marked done"), wait)
	if !strings.Contains(body(done), "#1") {
		t.Fatalf("done answer %q", body(done))
	}
	n, err := h.store.NetworkForRoom(context.Background(), matrix.Platform, string(room), store.NetworkDefaults{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := h.store.Commitment(context.Background(), n.ID, 1)
	if err != nil || c.Status != store.StatusDone {
		t.Fatalf("commitment after ✅: %+v %v", c, err)
	}
	// A message not addressed to Knoop in a group room gets no answer.
	other := h.srv.Register(t, h.srv.Unique("bob"), "bob-password", false)
	if _, err := h.alice.InviteUser(context.Background(), room, &mautrix.ReqInviteUser{UserID: other.UserID}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.JoinRoomByID(context.Background(), room); err != nil {
		t.Fatal(err)
	}
	chatter := h.say(room, "lunch at noon?")
	q = h.say(room, "!knoop goals")
	h.answer(room, q)
	evts, err := matrixtest.History(context.Background(), h.alice, room, h.knoop)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evts {
		if matrixtest.ReplyTo(chatter)(e) {
			t.Fatalf("Knoop answered chatter: %s", matrixtest.Describe(e))
		}
	}
}

func TestRestartAnswersOnceAndJoinsInvitesSentWhileDown(t *testing.T) {
	h := setup(t)
	stop := h.run()
	room := h.createRoom()
	h.waitJoined(room)
	first := h.say(room, "!knoop help")
	h.answer(room, first)
	stop()

	// While Knoop is down: a question, and an invite to a new room.
	down := h.say(room, "!knoop skills add waterstof")
	room2 := h.createRoom()

	stop = h.run()
	defer stop()
	if got := body(h.answer(room, down)); !strings.Contains(got, "waterstof") {
		t.Fatalf("question sent while down answered %q", got)
	}
	h.waitJoined(room2)
	q := h.say(room2, "!knoop skills")
	if got := body(h.answer(room2, q)); !strings.Contains(got, "waterstof") {
		t.Fatalf("rooms of one account should share a network: %q", got)
	}
	// Each question was answered exactly once, the old one not replayed.
	evts, err := matrixtest.History(context.Background(), h.alice, room, h.knoop)
	if err != nil {
		t.Fatal(err)
	}
	count := map[id.EventID]int{}
	for _, e := range evts {
		for _, q := range []id.EventID{first, down} {
			if matrixtest.ReplyTo(q)(e) {
				count[q]++
			}
		}
	}
	if count[first] != 1 || count[down] != 1 {
		t.Fatalf("answers per question: before restart %d, while down %d; want 1 and 1", count[first], count[down])
	}
}

func TestTwoProcessesOneAnswersAndTheOtherTakesOver(t *testing.T) {
	h := setup(t)
	stop1 := onceFunc(h.run())
	defer stop1()
	room := h.createRoom()
	h.waitJoined(room) // the first process syncs: it holds the lock
	stop2 := h.run()   // the second waits for the lock
	defer stop2()
	q := h.say(room, "!knoop asks")
	h.answer(room, q)
	q2 := h.say(room, "!knoop goals")
	h.answer(room, q2)
	// The first process stops: the second takes the lock and answers.
	stop1()
	q3 := h.say(room, "!knoop charter")
	h.answer(room, q3)
	evts, err := matrixtest.History(context.Background(), h.alice, room, h.knoop)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evts {
		for _, x := range []id.EventID{q, q2, q3} {
			if matrixtest.ReplyTo(x)(e) {
				n++
			}
		}
	}
	if n != 3 {
		t.Fatalf("%d answers to 3 questions with two Knoop processes", n)
	}
}

func onceFunc(f func()) func() {
	done := false
	return func() {
		if !done {
			done = true
			f()
		}
	}
}

func TestReplyToKnoopAndSnoozeReaction(t *testing.T) {
	h := setup(t)
	stop := h.run()
	defer stop()
	room := h.createRoom()
	h.waitJoined(room)
	bob := h.srv.Register(t, h.srv.Unique("bob"), "bob-password", false)
	if _, err := h.alice.InviteUser(context.Background(), room, &mautrix.ReqInviteUser{UserID: bob.UserID}); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.JoinRoomByID(context.Background(), room); err != nil {
		t.Fatal(err)
	}
	q := h.say(room, "!knoop commit write the route plan by 2030-03-01")
	ans := h.answer(room, q)

	// ⏰ on the commitment message snoozes it a week.
	if _, err := h.alice.SendReaction(context.Background(), room, ans.ID, "⏰"); err != nil {
		t.Fatal(err)
	}
	matrixtest.WaitMessageAfter(t, h.alice, room, ans.ID, h.knoop, matrixtest.BodyContains("now due"), wait)
	n, err := h.store.NetworkForRoom(context.Background(), matrix.Platform, string(room), store.NetworkDefaults{})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := h.store.Commitment(context.Background(), n.ID, 1); err != nil || c.Due.Format(time.DateOnly) != "2030-03-08" {
		t.Fatalf("after ⏰: %+v %v", c, err)
	}

	// A reply to Knoop's message needs no prefix, even in a group room.
	reply := &event.MessageEventContent{MsgType: event.MsgText, Body: "update 1 halfway"}
	reply.SetReply(ans)
	sent, err := h.alice.SendMessageEvent(context.Background(), room, event.EventMessage, reply)
	if err != nil {
		t.Fatal(err)
	}
	if got := body(h.answer(room, sent.EventID)); !strings.Contains(got, "Progress on #1 noted") {
		t.Fatalf("reply to Knoop answered %q", got)
	}
}
