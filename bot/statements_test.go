package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
	"knoop/store/storetest"
)

// statementBudget is how many PostgreSQL statements each command kind may
// cost, dedupe marker, member and network included (issue 14: at most 3
// for help and lists, at most 5 for writes).
var statementBudget = []struct {
	kind, text string
	max        int64
}{
	{"help", "help", 3},
	{"commitments", "commitments", 3},
	{"skills", "skills", 3},
	{"commit", "commit write the pilot report by next friday", 5},
	{"done", "done %d", 5},
	// A who-answer that lists five members: the question, and remembering
	// the answer with the listed members' introduction state.
	{"who", "who is good at logistics?", 5},
	// A short answer also searches the words the experts share (two more
	// statements: inference for topics nobody declared).
	{"who-short", "who is good at cold chain?", 7},
}

// TestStatementsPerCommand counts the statements and round trips one
// event costs as the Slack and Matrix adapters hand it to the core (with
// an event id to dedupe), after the member and room are known, so the
// budget cannot regress unnoticed.
func TestStatementsPerCommand(t *testing.T) {
	var counter store.Counter
	_, cfg := storetest.SchemaConfig(t)
	cfg.ConnConfig.Tracer = &counter
	s, err := store.OpenConfig(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	clock := bottest.NewClock(bottest.Start)
	b := bot.New(s, bottest.Logger(t), bot.WithClock(clock.Now))
	ctx := context.Background()
	event := 0
	send := func(user, text string) bot.Reply {
		t.Helper()
		event++
		msg := bot.Message{Platform: "slack", RoomID: "C1", Network: "team:T1", UserID: user, UserName: "User " + user,
			Text: text, EventID: fmt.Sprintf("Ev%d", event)}
		var r bot.Reply
		handled, err := b.HandleEvent(ctx, msg, func(_ context.Context, got bot.Reply) error { r = got; return nil })
		if err != nil || !handled {
			t.Fatalf("%q: handled %v, err %v", text, handled, err)
		}
		return r
	}
	// The room, the members and their first commitments exist already:
	// the budget is for a member's everyday command.
	for _, u := range []string{"U1", "U2"} {
		send(u, "skills add logistics, cold chain")
		send(u, "commit a first thing by next friday")
	}
	for _, u := range []string{"U3", "U4", "U5", "U6"} {
		send(u, "skills add logistics")
	}
	send("U1", "who is good at logistics?")
	for _, c := range statementBudget {
		const runs = 4
		st0, rt0 := counter.Counts()
		for range runs {
			text := c.text
			if c.kind == "done" {
				// A fresh commitment each time, made before counting.
				st, rt := counter.Counts()
				r := send("U1", "commit another thing by next friday")
				text = fmt.Sprintf(c.text, r.Commitment)
				st2, rt2 := counter.Counts()
				st0, rt0 = st0+st2-st, rt0+rt2-rt
			}
			if r := send("U1", text); r.IsZero() {
				t.Fatalf("%s: no reply", c.kind)
			}
		}
		st1, rt1 := counter.Counts()
		stmts, trips := float64(st1-st0)/runs, float64(rt1-rt0)/runs
		t.Logf("%-12s %4.1f statements %4.1f round trips per command", c.kind, stmts, trips)
		if stmts > float64(c.max) {
			t.Errorf("%s: %.1f statements per command, budget %d", c.kind, stmts, c.max)
		}
	}
}
