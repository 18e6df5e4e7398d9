package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
	"knoop/store/storetest"
)

// queryCounter counts the statements a store sends to PostgreSQL.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	q.n.Add(1)
	return ctx
}
func (q *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// countingHarness is bottest's harness on a store whose statements are
// counted.
func countingHarness(t *testing.T) (*bottest.Harness, *queryCounter) {
	t.Helper()
	h := bottest.New(t)
	_, cfg := storetest.SchemaConfig(t)
	qc := &queryCounter{}
	cfg.ConnConfig.Tracer = qc
	s, err := store.OpenConfig(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	h.Store = s
	h.Bot = bot.New(s, bottest.Logger(t), bot.WithClock(h.Clock.Now))
	return h, qc
}

func exportDoc(t *testing.T, h *bottest.Harness, user string) (string, map[string]any) {
	t.Helper()
	r := h.Say(user, "export me")
	if len(r.Blocks) != 2 || r.Blocks[1].Kind != bot.Code {
		t.Fatalf("export reply shape: %+v", r)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.Blocks[1].Text), &doc); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	return r.Blocks[1].Text, doc
}

// "export me" has everything Knoop keeps about the member: endorsements
// given, asks, commitments made to them, goals they created; and its cost
// does not grow with the number of commitments (one query per section).
func TestExportIsComplete(t *testing.T) {
	h, qc := countingHarness(t)
	h.Coordinators["anna"] = true
	say(t, h, "bob: skills add planning", "anna: endorse @bob planning", "anna: ask who can review our business case?",
		"anna: goal add Halve empty-truck kilometres", "bob: commit send the route data to @anna by friday",
		"anna: commit grant application by friday", "anna: update 2 draft ready")
	text, doc := exportDoc(t, h, "anna")
	for _, section := range []string{"endorsements_given", "asks", "commitments_received", "goals_created"} {
		if _, ok := doc[section]; !ok {
			t.Errorf("export lacks %q", section)
		}
	}
	for _, want := range []string{`"to": "Bob"`, `"planning"`, "review our business case", "send the route data",
		"Halve empty-truck kilometres", "draft ready"} {
		contains(t, text, want)
	}

	before := qc.n.Load()
	exportDoc(t, h, "anna")
	few := qc.n.Load() - before
	for i := range 20 {
		say(t, h, fmt.Sprintf("anna: commit task %d", i), fmt.Sprintf("anna: update %d started", i+3))
	}
	before = qc.n.Load()
	text, _ = exportDoc(t, h, "anna")
	many := qc.n.Load() - before
	contains(t, text, "task 19", "started")
	if many != few {
		t.Errorf("export took %d statements with 2 commitments, %d with 22: one query per section, not per commitment", few, many)
	}
}

// "forget me" removes the asks and the notes the member wrote, and the
// member's open commitments do not stay ownerless: coordinators list them
// (English and Dutch), reassign or drop them, and the digest shows them.
func TestForgetLeavesNoOrphanBehind(t *testing.T) {
	h := bottest.New(t)
	h.Coordinators["coco"] = true
	say(t, h, "anna: ask who knows the Rotterdam tender, call me on 06-12345678?",
		"anna: commit grant application by friday", "anna: update 1 call me on 06-12345678",
		"anna: commit pilot report", "anna: commit old thing", "anna: done 3", "anna: commit third thing",
		"bob: skills add grants")
	say(t, h, "anna: forget me confirm")

	lacks(t, say(t, h, "bob: asks"), "Rotterdam tender")
	lacks(t, say(t, h, "coco: commitments all"), "06-12345678")
	var notes int
	if err := h.Store.Pool().QueryRow(context.Background(),
		`SELECT count(*) FROM commitment_updates WHERE note LIKE '%06-12345678%'`).Scan(&notes); err != nil {
		t.Fatal(err)
	}
	if notes != 0 {
		t.Errorf("%d notes of the forgotten member kept", notes)
	}

	// Only coordinators see the list.
	contains(t, say(t, h, "bob: commitments orphaned"), "Only coordinators")
	got := say(t, h, "coco: commitments orphaned")
	contains(t, got, "#1 grant application", "#2 pilot report", "#4 third thing")
	lacks(t, got, "old thing")
	contains(t, say(t, h, "coco: toezeggingen verweesd"), "#1", "#2")

	// The digest lists them.
	summary, details, err := h.Bot.DigestReplies(context.Background(), h.Platform, h.Room, "en")
	if err != nil {
		t.Fatal(err)
	}
	all := bot.RenderText(summary) + bot.RenderText(details)
	contains(t, all, "Without an owner", "#1 grant application", "#4 third thing", "3 without an owner")

	// Reassigning is for coordinators, to members, for orphans only.
	contains(t, say(t, h, "bob: reassign 1 @bob"), "Only coordinators")
	contains(t, say(t, h, "coco: reassign 1 @nobody"), "don't know a member")
	contains(t, say(t, h, "coco: reassign 9 @bob"), "no commitment #9")
	say(t, h, "bob: commit bob's own work")
	contains(t, say(t, h, "coco: reassign 5 @coco"), "still has an owner")
	contains(t, say(t, h, "coco: reassign 1 @bob"), "#1", "Bob")
	contains(t, say(t, h, "bob: commitments"), "#1 grant application")
	contains(t, say(t, h, "bob: done 1 submitted"), "#1")
	// Dropping an orphan is for coordinators, in Dutch too.
	contains(t, say(t, h, "bob: drop 2"), "not yours")
	contains(t, say(t, h, "coco: schrappen 2 niemand neemt het over"), "#2")
	lacks(t, say(t, h, "coco: commitments orphaned"), "#1", "#2")
	contains(t, say(t, h, "coco: overdragen 4 @bob"), "#4")
	contains(t, say(t, h, "coco: reassign 3 @bob"), "already closed")
}
