package matrixtest_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"knoop/adapters/matrix/matrixtest"
)

func TestMain(m *testing.M) { matrixtest.Main(m) }

const password = "correct horse battery"

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestRoomRoundTripAndRestart(t *testing.T) {
	t0 := time.Now()
	srv := matrixtest.Start(t)
	t.Logf("Start: %v (%s)", time.Since(t0), srv.URL)
	if srv.ServerName != "localhost" || srv.SharedSecret == "" || !srv.Running() {
		t.Fatalf("server = %+v, running %v", srv, srv.Running())
	}

	t0 = time.Now()
	alice := srv.Register(t, "alice", password, true)
	t.Logf("Register (admin): %v", time.Since(t0))
	t0 = time.Now()
	knoop := srv.Register(t, "Knoop", password, false) // the server lowercases it
	t.Logf("Register: %v", time.Since(t0))
	if alice.UserID != matrixtest.UserID("alice") || knoop.UserID != "@knoop:localhost" {
		t.Fatalf("user IDs %s, %s", alice.UserID, knoop.UserID)
	}
	who, err := knoop.Whoami(ctx(t))
	if err != nil || who.UserID != knoop.UserID || who.DeviceID != knoop.DeviceID || knoop.DeviceID == "" {
		t.Fatalf("whoami = %+v, %v (device %q)", who, err, knoop.DeviceID)
	}

	created, err := alice.CreateRoom(ctx(t), &mautrix.ReqCreateRoom{
		Preset: "private_chat",
		Name:   "knoop test",
		Invite: []id.UserID{knoop.UserID},
	})
	if err != nil {
		t.Fatal(err)
	}
	room := created.RoomID
	if _, err := knoop.JoinRoomByID(ctx(t), room); err != nil {
		t.Fatal(err)
	}

	t0 = time.Now()
	sent, err := alice.SendText(ctx(t), room, "hello knoop")
	if err != nil {
		t.Fatal(err)
	}
	got := matrixtest.WaitMessage(t, knoop, room, alice.UserID, matrixtest.Body("hello knoop"), 10*time.Second)
	t.Logf("send + WaitMessage: %v", time.Since(t0))
	if got.ID != sent.EventID || got.Sender != alice.UserID || got.RoomID != room {
		t.Fatalf("got %s from %s in %s, sent %s", got.ID, got.Sender, got.RoomID, sent.EventID)
	}
	if body := got.Content.AsMessage().Body; body != "hello knoop" {
		t.Fatalf("parsed body %q", body)
	}

	// The bot's join is visible too (nil match = any m.room.message, so use
	// a predicate for state events).
	join := matrixtest.WaitMessage(t, alice, room, knoop.UserID, func(e *event.Event) bool {
		return e.Type == event.StateMember && e.Content.AsMember().Membership == event.MembershipJoin
	}, 10*time.Second)
	if join.GetStateKey() != string(knoop.UserID) {
		t.Fatalf("join state key %q", join.GetStateKey())
	}

	// The same text again: WaitMessageAfter finds the second one only.
	question, err := alice.SendText(ctx(t), room, "again?")
	if err != nil {
		t.Fatal(err)
	}
	first, err := knoop.SendMessageEvent(ctx(t), room, event.EventMessage, replyTo(question.EventID, "yes"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.SendReaction(ctx(t), room, first.EventID, "👍"); err != nil {
		t.Fatal(err)
	}
	question2, err := alice.SendText(ctx(t), room, "again?")
	if err != nil {
		t.Fatal(err)
	}
	second, err := knoop.SendMessageEvent(ctx(t), room, event.EventMessage, replyTo(question2.EventID, "yes"))
	if err != nil {
		t.Fatal(err)
	}
	if got := matrixtest.WaitMessage(t, alice, room, knoop.UserID, matrixtest.Body("yes"), 5*time.Second); got.ID != first.EventID {
		t.Fatalf("WaitMessage found %s, want the first reply %s", got.ID, first.EventID)
	}
	if got := matrixtest.WaitMessageAfter(t, alice, room, question2.EventID, knoop.UserID, matrixtest.Body("yes"), 5*time.Second); got.ID != second.EventID {
		t.Fatalf("WaitMessageAfter found %s, want %s", got.ID, second.EventID)
	}
	if got := matrixtest.WaitMessage(t, alice, room, knoop.UserID, matrixtest.ReplyTo(question2.EventID), 5*time.Second); got.ID != second.EventID {
		t.Fatalf("ReplyTo found %s, want %s", got.ID, second.EventID)
	}
	reaction := matrixtest.WaitMessage(t, knoop, room, alice.UserID, func(e *event.Event) bool {
		return e.Type == event.EventReaction
	}, 5*time.Second)
	if r := reaction.Content.AsReaction().RelatesTo; r.EventID != first.EventID || r.Key != "👍" {
		t.Fatalf("reaction relates to %+v", r)
	}

	// Down: requests fail; the data survives a restart on the same URL.
	url := srv.URL
	t0 = time.Now()
	srv.Stop(t)
	t.Logf("Stop: %v", time.Since(t0))
	if srv.Running() {
		t.Fatal("running after Stop")
	}
	if _, err := alice.Whoami(ctx(t)); err == nil {
		t.Fatal("whoami answered while the server was stopped")
	}
	srv.Stop(t) // stopping twice is harmless

	t0 = time.Now()
	srv.Restart(t)
	t.Logf("Restart (from stopped): %v", time.Since(t0))
	if srv.URL != url || !srv.Running() {
		t.Fatalf("after restart URL %s (was %s), running %v", srv.URL, url, srv.Running())
	}
	if got := matrixtest.WaitMessage(t, knoop, room, alice.UserID, matrixtest.Body("hello knoop"), 10*time.Second); got.ID != sent.EventID {
		t.Fatalf("after restart found %s, want %s", got.ID, sent.EventID)
	}
	joined, err := knoop.JoinedRooms(ctx(t))
	if err != nil || len(joined.JoinedRooms) != 1 || joined.JoinedRooms[0] != room {
		t.Fatalf("joined rooms after restart = %+v, %v", joined, err)
	}
	again := srv.Login(t, "alice", password)
	if again.UserID != alice.UserID || again.DeviceID == alice.DeviceID {
		t.Fatalf("login after restart: %s device %s (old device %s)", again.UserID, again.DeviceID, alice.DeviceID)
	}

	// Restart while running, then traffic in both directions still works.
	t0 = time.Now()
	srv.Restart(t)
	t.Logf("Restart (while running): %v", time.Since(t0))
	after, err := again.SendText(ctx(t), room, "still there?")
	if err != nil {
		t.Fatal(err)
	}
	if got := matrixtest.WaitMessageAfter(t, knoop, room, sent.EventID, alice.UserID, matrixtest.BodyContains("still"), 10*time.Second); got.ID != after.EventID {
		t.Fatalf("found %s, want %s", got.ID, after.EventID)
	}
}

func replyTo(target id.EventID, body string) *event.MessageEventContent {
	c := &event.MessageEventContent{MsgType: event.MsgText, Body: body}
	c.RelatesTo = (&event.RelatesTo{}).SetReplyTo(target)
	return c
}

func TestShared(t *testing.T) {
	a := matrixtest.Shared(t)
	b := matrixtest.Shared(t)
	if a != b || !a.Running() {
		t.Fatalf("Shared returned %p and %p (running %v)", a, b, a.Running())
	}
	name := a.Unique("Bob")
	bob := a.Register(t, name, password, false)
	if who, err := bob.Whoami(ctx(t)); err != nil || who.UserID != matrixtest.UserID(strings.ToLower(name)) {
		t.Fatalf("whoami = %+v, %v", who, err)
	}
}

// fatalTB records Fatalf instead of failing the real test.
type fatalTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fatalTB) Skipf(format string, args ...any) {
	f.Fatalf("skipped: "+format, args...)
}

// Missing binaries are built; when that build fails, Start fails the test
// with the command to build them by hand and what went wrong. (The build is
// made to fail at once: no module proxy, an empty module cache.)
func TestMissingBinariesBuildFailureFails(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("KNOOP_DENDRITE_BIN", dir)
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOMODCACHE", t.TempDir())
	if got := matrixtest.BinDir(); got != dir {
		t.Fatalf("BinDir() = %q with KNOOP_DENDRITE_BIN=%q", got, dir)
	}
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		matrixtest.Start(f)
		t.Error("Start returned without binaries")
	}()
	<-done
	want := "GOBIN=" + dir + " go install github.com/matrix-org/dendrite/cmd/dendrite@v0.13.8 github.com/matrix-org/dendrite/cmd/generate-keys@v0.13.8"
	if !strings.Contains(f.msg, want) || !strings.Contains(f.msg, "GOPROXY=off") || strings.HasPrefix(f.msg, "skipped") {
		t.Fatalf("Start failed with %q, want the install command %q and the build's complaint", f.msg, want)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != ".build.lock .build.log" {
		t.Fatalf("after a failed build %s holds %v, want only the lock file and the build's log", dir, names)
	}
}

func TestBinDirDefaults(t *testing.T) {
	t.Setenv("KNOOP_DENDRITE_BIN", "")
	t.Setenv("XDG_CACHE_HOME", "/x/cache")
	if got := matrixtest.BinDir(); got != "/x/cache/knoop-dendrite/bin" {
		t.Fatalf("with XDG_CACHE_HOME: %q", got)
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "/x/home")
	if got := matrixtest.BinDir(); got != "/x/home/.cache/knoop-dendrite/bin" {
		t.Fatalf("with HOME: %q", got)
	}
}
