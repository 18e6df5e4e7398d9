package matrix_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"knoop/adapters/matrix"
	"knoop/bot"
	"knoop/bot/bottest"
)

// "forget me" on Matrix also removes what the adapter keeps about the
// member: the direct room Knoop opened with them, and their display name
// in mautrix's state store (the membership stays while they are in the
// room, since encryption shares keys by it).
func TestForgetRemovesDirectRoomAndProfile(t *testing.T) {
	h := setup(t)
	a, err := matrix.New(matrix.Config{Homeserver: h.srv.URL, UserID: string(h.knoop), Password: h.pw},
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(h.store, bottest.Logger(t))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, b) }()
	defer func() {
		cancel()
		<-done
	}()
	room := h.createRoom()
	h.waitJoined(room)
	q := h.say(room, "!knoop skills add privacy law")
	h.answer(room, q)
	alice := string(h.alice.UserID)
	if err := a.SendDirect(context.Background(), alice, bot.Reply{Blocks: []bot.Block{{Kind: bot.Text, Text: "hello"}}}); err != nil {
		t.Fatal(err)
	}
	count := func(sql string) int {
		var n int
		if err := h.store.Pool().QueryRow(context.Background(), sql, alice).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	const dmRows = `SELECT count(*) FROM adapter_state WHERE platform = 'matrix' AND key = 'dm:' || $1`
	const named = `SELECT count(*) FROM mx_user_profile WHERE user_id = $1 AND displayname <> ''`
	waitUntil(t, "the direct room and alice's profile kept", func() bool { return count(dmRows) == 1 && count(named) > 0 })

	h.say(room, "!knoop forget me confirm")
	waitUntil(t, "alice forgotten", func() bool {
		return count(`SELECT count(*) FROM members WHERE forgotten_at IS NOT NULL AND $1 <> ''`) == 1
	})
	if n := count(dmRows); n != 0 {
		t.Errorf("direct room of a forgotten member kept (%d rows)", n)
	}
	if n := count(named); n != 0 {
		t.Errorf("display name of a forgotten member kept in mx_user_profile (%d rows)", n)
	}
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
