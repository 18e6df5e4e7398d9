package bot_test

import (
	"context"
	"testing"
	"time"

	"knoop/bot"
	"knoop/bot/bottest"
)

// Every message is handled under a deadline: a command stuck behind a
// lock is cancelled, the member gets an apology, and nothing is saved.
func TestEventDeadline(t *testing.T) {
	h := bottest.New(t)
	h.Bot = bot.New(h.Store, bottest.Logger(t), bot.WithClock(h.Clock.Now), bot.WithEventTimeout(time.Second))
	say(t, h, "anna: org Port of Rotterdam")

	ctx := context.Background()
	tx, err := h.Store.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE skills IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	// The lock is released after a while in any case, so a handler
	// without a deadline finishes (and the test fails) instead of hanging.
	release := time.AfterFunc(20*time.Second, func() { _ = tx.Rollback(ctx) })
	got := h.SayText("anna", "skills add stuck behind a lock")
	release.Stop()
	_ = tx.Rollback(ctx)

	contains(t, got, "something went wrong")
	lacks(t, say(t, h, "anna: skills"), "stuck behind a lock")
}
