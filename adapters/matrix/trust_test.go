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
)

// runWith starts Knoop like run, with cfg changed by change.
func (h *harness) runWith(change func(*matrix.Config)) (stop func()) {
	h.t.Helper()
	cfg := matrix.Config{Homeserver: h.srv.URL, UserID: string(h.knoop), Password: h.pw}
	change(&cfg)
	a, err := matrix.New(cfg, slog.New(slog.DiscardHandler))
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

// roomOf creates a room owned by cli (power level 100 there) with Knoop
// invited, and the others invited and joined.
func (h *harness) roomOf(cli *mautrix.Client, others ...*mautrix.Client) id.RoomID {
	h.t.Helper()
	ctx := context.Background()
	resp, err := cli.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "private_chat"})
	if err != nil {
		h.t.Fatal(err)
	}
	for _, o := range others {
		if _, err := cli.InviteUser(ctx, resp.RoomID, &mautrix.ReqInviteUser{UserID: o.UserID}); err != nil {
			h.t.Fatal(err)
		}
		if _, err := o.JoinRoomByID(ctx, resp.RoomID); err != nil {
			h.t.Fatal(err)
		}
	}
	if _, err := cli.InviteUser(ctx, resp.RoomID, &mautrix.ReqInviteUser{UserID: h.knoop}); err != nil {
		h.t.Fatal(err)
	}
	return resp.RoomID
}

func (h *harness) joined(cli *mautrix.Client, room id.RoomID) {
	h.t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if m, err := cli.JoinedMembers(context.Background(), room); err == nil {
			if _, ok := m.Joined[h.knoop]; ok {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	h.t.Fatalf("%s did not join %s", h.knoop, room)
}

// ask sends text as cli in room and returns Knoop's answer to it.
func (h *harness) ask(cli *mautrix.Client, room id.RoomID, text string) string {
	h.t.Helper()
	resp, err := cli.SendText(context.Background(), room, text)
	if err != nil {
		h.t.Fatal(err)
	}
	return body(matrixtest.WaitMessageAfter(h.t, cli, room, resp.EventID, h.knoop, matrixtest.ReplyTo(resp.EventID), wait))
}

func setLevel(t *testing.T, cli *mautrix.Client, room id.RoomID, user id.UserID, level int) {
	t.Helper()
	var pl event.PowerLevelsEventContent
	if err := cli.StateEvent(context.Background(), room, event.StatePowerLevels, "", &pl); err != nil {
		t.Fatal(err)
	}
	pl.SetUserLevel(user, level)
	if _, err := cli.SendStateEvent(context.Background(), room, event.StatePowerLevels, "", &pl); err != nil {
		t.Fatal(err)
	}
}

// Coordinator rights come from the configured users and the configured
// coordination rooms only: never from a direct room (where the member who
// opened it has power level 100), and a change of power level counts for
// the very next message.
func TestCoordinatorRightsFromCoordinationRoomsOnly(t *testing.T) {
	h := setup(t)
	bob := h.srv.Register(t, h.srv.Unique("bob"), "bob-password", false)
	carol := h.srv.Register(t, h.srv.Unique("carol"), "carol-password", false)
	coord := h.roomOf(h.alice) // alice created it: power level 100
	stop := h.runWith(func(c *matrix.Config) {
		c.CoordinationRooms = []string{string(coord)}
		c.Coordinators = []string{string(carol.UserID)}
	})
	defer stop()
	h.joined(h.alice, coord)
	bobDM := h.roomOf(bob) // bob's direct room with Knoop: he is admin there
	carolDM := h.roomOf(carol)
	h.joined(bob, bobDM)
	h.joined(carol, carolDM)

	if got := h.ask(bob, bobDM, "charter Bob decides everything"); !strings.Contains(got, "Only coordinators") {
		t.Fatalf("admin of his own direct room set the charter: %q", got)
	}
	if got := h.ask(h.alice, coord, "!knoop charter We share routes"); strings.Contains(got, "Only coordinators") {
		t.Fatalf("power level 100 in the coordination room refused: %q", got)
	}
	if got := h.ask(carol, carolDM, "goal add Halve empty truck kilometres"); strings.Contains(got, "Only coordinators") {
		t.Fatalf("configured coordinator refused: %q", got)
	}
	setLevel(t, h.alice, coord, bob.UserID, 50)
	if got := h.ask(bob, bobDM, "goal add Open the hydrogen site"); strings.Contains(got, "Only coordinators") {
		t.Fatalf("power level 50 in the coordination room did not count at once: %q", got)
	}
	setLevel(t, h.alice, coord, bob.UserID, 0)
	if got := h.ask(bob, bobDM, "goal add Bob's goal"); !strings.Contains(got, "Only coordinators") {
		t.Fatalf("lowered power level still counted: %q", got)
	}
}

// directRoomOf finds the direct room Knoop opened for user and joins it.
func (h *harness) directRoomOf(cli *mautrix.Client) id.RoomID {
	h.t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		v, ok, err := h.store.State(context.Background(), matrix.Platform, "dm:"+string(cli.UserID))
		if err != nil {
			h.t.Fatal(err)
		}
		if ok {
			if _, err := cli.JoinRoomByID(context.Background(), id.RoomID(v)); err != nil {
				h.t.Fatal(err)
			}
			return id.RoomID(v)
		}
		time.Sleep(50 * time.Millisecond)
	}
	h.t.Fatalf("no direct room for %s", cli.UserID)
	return ""
}

// waitBody waits for a message from Knoop in room containing want.
func (h *harness) waitBody(cli *mautrix.Client, room id.RoomID, want string) {
	h.t.Helper()
	matrixtest.WaitMessage(h.t, cli, room, h.knoop, matrixtest.BodyContains(want), wait)
}

// Every answer that is private on Slack (shown to the asker only) goes to
// the member's direct room on Matrix; the room gets one short line.
func TestPrivateRepliesGoToTheDirectRoom(t *testing.T) {
	h := setup(t)
	bob := h.srv.Register(t, h.srv.Unique("bob"), "bob-password", false)
	stop := h.run()
	defer stop()
	room := h.roomOf(h.alice, bob) // three members: not a direct room
	h.joined(h.alice, room)
	h.ask(h.alice, room, "!knoop skills add cold chain")
	h.ask(h.alice, room, "!knoop commit deliver the secret pilot by 2030-01-15")
	var dm id.RoomID
	for _, c := range []struct{ line, private string }{
		{"!knoop skills", "cold chain"},
		{"!knoop commitments", "secret pilot"},
		{"!knoop export me", `"display_name"`},
		{"!knoop done", "secret pilot"},
		{"!knoop forget me", "forget me confirm"},
	} {
		got := h.ask(h.alice, room, c.line)
		if got != "I sent you the answer in a direct message." {
			t.Errorf("%s answered in the room: %q", c.line, got)
		}
		if dm == "" {
			dm = h.directRoomOf(h.alice)
		}
		h.waitBody(h.alice, dm, c.private)
	}
}

// Only people of allowed servers (or allowed themselves) are members;
// others are ignored, or answered as guests when configured so.
func TestOnlyAllowedSendersAreMembersOthersGuests(t *testing.T) {
	h := setup(t)
	bob := h.srv.Register(t, h.srv.Unique("bob"), "bob-password", false)
	allowAlice := func(c *matrix.Config) { c.Allow = []string{string(h.alice.UserID)} }
	stop := h.runWith(allowAlice)
	room := h.roomOf(h.alice, bob)
	h.joined(h.alice, room)
	h.ask(h.alice, room, "!knoop commit deliver the route plan by 2030-01-15")
	ignored, err := bob.SendText(context.Background(), room, "!knoop skills add lockpicking")
	if err != nil {
		t.Fatal(err)
	}
	// bob reads along: alice's network-wide lists go to her direct room.
	if got := h.ask(h.alice, room, "!knoop commitments all"); got != "I sent you the answer in a direct message." {
		t.Fatalf("a list went to a room someone not allowed reads: %q", got)
	}
	h.waitBody(h.alice, h.directRoomOf(h.alice), "route plan")
	evts, err := matrixtest.History(context.Background(), h.alice, room, h.knoop)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evts {
		if matrixtest.ReplyTo(ignored.EventID)(e) {
			t.Fatalf("Knoop answered someone not allowed: %s", matrixtest.Describe(e))
		}
	}
	var n int
	if err := h.store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM members WHERE platform_user_id = $1`, string(bob.UserID)).Scan(&n); err != nil || n != 0 {
		t.Fatalf("someone not allowed became a member: %d rows, %v", n, err)
	}
	stop()

	// As guests: answered, but network-wide lists only privately.
	stop = h.runWith(func(c *matrix.Config) { allowAlice(c); c.External = matrix.ExternalGuest })
	defer stop()
	if got := h.ask(bob, room, "!knoop commitments all"); got != "I sent you the answer in a direct message." {
		t.Fatalf("a guest's list went to the shared room: %q", got)
	}
	h.waitBody(bob, h.directRoomOf(bob), "route plan")
	if got := h.ask(bob, room, "!knoop commit check the data by 2030-02-01"); !strings.Contains(got, "Recorded") {
		t.Fatalf("a guest could not commit: %q", got)
	}
}

// A pill is an id: endorsing the member a pill links to works although
// another member took the same display name.
func TestPillsResolveToIDs(t *testing.T) {
	h := setup(t)
	bob := h.srv.Register(t, h.srv.Unique("bob"), "bob-password", false)
	eve := h.srv.Register(t, h.srv.Unique("eve"), "eve-password", false)
	for _, c := range []*mautrix.Client{bob, eve} {
		if err := c.SetDisplayName(context.Background(), "Bob"); err != nil {
			t.Fatal(err)
		}
	}
	stop := h.run()
	defer stop()
	room := h.roomOf(h.alice, bob, eve)
	h.joined(h.alice, room)
	h.ask(bob, room, "!knoop skills add cold chain")
	h.ask(eve, room, "!knoop skills add cold chain")
	content := &event.MessageEventContent{
		MsgType: event.MsgText, Body: "!knoop endorse Bob cold chain", Format: event.FormatHTML,
		FormattedBody: `!knoop endorse <a href="https://matrix.to/#/` + string(bob.UserID) + `">Bob</a> cold chain`,
		Mentions:      &event.Mentions{UserIDs: []id.UserID{bob.UserID}},
	}
	resp, err := h.alice.SendMessageEvent(context.Background(), room, event.EventMessage, content)
	if err != nil {
		t.Fatal(err)
	}
	got := body(matrixtest.WaitMessageAfter(t, h.alice, room, resp.EventID, h.knoop, matrixtest.ReplyTo(resp.EventID), wait))
	if !strings.Contains(got, "You endorsed Bob for cold chain") {
		t.Fatalf("endorse by pill: %q", got)
	}
	// The endorsement commits right after its answer was sent.
	var who string
	waitUntil(t, "the endorsement stored", func() bool {
		return h.store.Pool().QueryRow(context.Background(), `SELECT m.platform_user_id FROM endorsements e
			JOIN members m ON m.id = e.endorsee_id`).Scan(&who) == nil
	})
	if who != string(bob.UserID) {
		t.Fatalf("endorsement went to %q, want %s", who, bob.UserID)
	}
	// Without a pill the name fits two members: a question, no guess.
	if got := h.ask(h.alice, room, "!knoop profile Bob"); !strings.Contains(got, "could be several members") {
		t.Fatalf("plain name of two members: %q", got)
	}
}
