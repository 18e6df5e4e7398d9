package store_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"knoop/store"
	"knoop/store/storetest"
)

var day = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

type bundle struct {
	s   *store.Store
	net store.Network
	ctx context.Context
}

func concepts(texts ...string) []store.Concept {
	out := make([]store.Concept, len(texts))
	for i, t := range texts {
		out[i] = store.Concept{Text: t, Weight: 1}
	}
	return out
}

func setup(t *testing.T) bundle {
	t.Helper()
	s := storetest.Schema(t)
	ctx := context.Background()
	n, err := s.NetworkForRoom(ctx, "console", "room", store.NetworkDefaults{})
	if err != nil {
		t.Fatal(err)
	}
	return bundle{s: s, net: n, ctx: ctx}
}

func (b bundle) member(t *testing.T, id, name, org string) store.Member {
	t.Helper()
	m, err := b.s.EnsureMember(b.ctx, b.net.ID, "console", id, name)
	if err != nil {
		t.Fatal(err)
	}
	if org != "" {
		if _, err := b.s.SetOrganisation(b.ctx, m.ID, org); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func TestMigrateConcurrently(t *testing.T) {
	_, cfg := storetest.SchemaConfig(t)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Go(func() {
			s, err := store.OpenConfig(context.Background(), cfg.Copy(), slog.New(slog.DiscardHandler))
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	s, err := store.OpenConfig(context.Background(), cfg.Copy(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := s.MigrationStatus(context.Background())
	if err != nil || len(st) == 0 {
		t.Fatalf("status %v %v", st, err)
	}
}

func TestNetworkForRoomIsStable(t *testing.T) {
	b := setup(t)
	again, err := b.s.NetworkForRoom(b.ctx, "console", "room", store.NetworkDefaults{})
	if err != nil || again.ID != b.net.ID {
		t.Fatalf("second lookup gave %v, %v; want network %d", again.ID, err, b.net.ID)
	}
	other, err := b.s.NetworkForRoom(b.ctx, "console", "other", store.NetworkDefaults{Language: "nl"})
	if err != nil || other.ID == b.net.ID {
		t.Fatalf("another room should get its own network, got %v %v", other.ID, err)
	}
	if other.Language != "nl" || b.net.Language != "en" {
		t.Errorf("defaults not applied: %q %q", other.Language, b.net.Language)
	}
	if b.net.Timezone != "Europe/Amsterdam" {
		t.Errorf("default timezone %q", b.net.Timezone)
	}
}

func TestSkillsAndWho(t *testing.T) {
	b := setup(t)
	anna := b.member(t, "anna", "Anna de Vries", "Havenbedrijf Rotterdam")
	bob := b.member(t, "bob", "Bob Jansen", "TU Delft")
	added, err := b.s.AddSkills(b.ctx, anna.ID, []string{"koelketen", "Logistics"}, day)
	if err != nil || len(added) != 2 {
		t.Fatalf("add: %v %v", added, err)
	}
	again, err := b.s.AddSkills(b.ctx, anna.ID, []string{"logistics"}, day)
	if err != nil || len(again) != 0 {
		t.Fatalf("re-adding a skill in other case should add nothing: %v %v", again, err)
	}
	if _, err := b.s.AddSkills(b.ctx, bob.ID, []string{"python", "data science"}, day); err != nil {
		t.Fatal(err)
	}
	for _, words := range []string{"logistic", "koelketens", "Logistics", "logstics"} {
		res, err := b.s.Who(b.ctx, b.net.ID, concepts(words), day, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Experts) != 1 || res.Experts[0].Member.ID != anna.ID {
			t.Errorf("who %v: got %+v, want anna only", words, res.Experts)
			continue
		}
		if res.Experts[0].Member.OrgName != "Havenbedrijf Rotterdam" || len(res.Orgs) != 1 {
			t.Errorf("who %v: org %q orgs %+v", words, res.Experts[0].Member.OrgName, res.Orgs)
		}
	}
	res, err := b.s.Who(b.ctx, b.net.ID, concepts("welding"), day, 5)
	if err != nil || len(res.Experts) != 0 {
		t.Fatalf("nobody knows welding: %+v %v", res, err)
	}
	removed, err := b.s.RemoveSkills(b.ctx, anna.ID, []string{"KOELKETEN", "unknown"})
	if err != nil || len(removed) != 1 || removed[0] != "koelketen" {
		t.Fatalf("remove: %v %v", removed, err)
	}
	res, _ = b.s.Who(b.ctx, b.net.ID, concepts("koelketen"), day, 5)
	if len(res.Experts) != 0 {
		t.Fatalf("removed skill still found: %+v", res.Experts)
	}
}

func TestDeliveryOutranksDeclaration(t *testing.T) {
	b := setup(t)
	anna := b.member(t, "anna", "Anna", "")
	bob := b.member(t, "bob", "Bob", "")
	for _, m := range []store.Member{anna, bob} {
		if _, err := b.s.AddSkills(b.ctx, m.ID, []string{"cold chain"}, day); err != nil {
			t.Fatal(err)
		}
	}
	c, err := b.s.AddCommitment(b.ctx, store.NewCommitment{NetworkID: b.net.ID, OwnerID: bob.ID,
		Text: "cold chain pilot report", Due: day.AddDate(0, 0, 7), At: day})
	if err != nil || c.No != 1 || c.Status != store.StatusOpen {
		t.Fatalf("commit: %+v %v", c, err)
	}
	if _, err := b.s.ChangeCommitment(b.ctx, store.Change{NetworkID: b.net.ID, No: c.No, MemberID: anna.ID, Kind: "done", At: day}); !errors.Is(err, store.ErrNotOwner) {
		t.Fatalf("someone else marking done: %v, want ErrNotOwner", err)
	}
	done, err := b.s.ChangeCommitment(b.ctx, store.Change{NetworkID: b.net.ID, No: c.No, MemberID: bob.ID, Kind: "done", Note: "shipped", At: day.Add(time.Hour)})
	if err != nil || done.Status != store.StatusDone || done.LastNote != "shipped" {
		t.Fatalf("done: %+v %v", done, err)
	}
	if _, err := b.s.ChangeCommitment(b.ctx, store.Change{NetworkID: b.net.ID, No: c.No, MemberID: bob.ID, Kind: "dropped", At: day}); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("dropping a done commitment: %v, want ErrClosed", err)
	}
	res, err := b.s.Who(b.ctx, b.net.ID, concepts("cold chain", "cold", "chain"), day, 5)
	if err != nil || len(res.Experts) != 2 {
		t.Fatalf("who: %+v %v", res, err)
	}
	if res.Experts[0].Member.ID != bob.ID {
		t.Fatalf("the one who delivered should rank first, got %s", res.Experts[0].Member.DisplayName)
	}
	h, err := b.s.History(b.ctx, c.ID)
	if err != nil || len(h) != 2 || h[1].Kind != "done" {
		t.Fatalf("history: %+v %v", h, err)
	}
}

func TestEndorsementFromReceiverCountsDouble(t *testing.T) {
	b := setup(t)
	anna := b.member(t, "anna", "Anna", "")
	bob := b.member(t, "bob", "Bob", "")
	carl := b.member(t, "carl", "Carl", "")
	c, err := b.s.AddCommitment(b.ctx, store.NewCommitment{NetworkID: b.net.ID, OwnerID: anna.ID, RecipientID: bob.ID, Text: "route plan", At: day})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.s.ChangeCommitment(b.ctx, store.Change{NetworkID: b.net.ID, No: c.No, MemberID: anna.ID, Kind: "done", At: day}); err != nil {
		t.Fatal(err)
	}
	recv, err := b.s.Endorse(b.ctx, bob.ID, anna.ID, "planning", day)
	if err != nil || !recv {
		t.Fatalf("bob received a delivery from anna: %v %v", recv, err)
	}
	recv, err = b.s.Endorse(b.ctx, carl.ID, anna.ID, "planning", day)
	if err != nil || recv {
		t.Fatalf("carl received nothing: %v %v", recv, err)
	}
	if _, err := b.s.Endorse(b.ctx, carl.ID, anna.ID, "Planning", day); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second endorsement: %v, want ErrConflict", err)
	}
	es, err := b.s.Endorsements(b.ctx, anna.ID)
	if err != nil || len(es) != 2 {
		t.Fatalf("endorsements %+v %v", es, err)
	}
}

func TestForgetKeepsCommitments(t *testing.T) {
	b := setup(t)
	anna := b.member(t, "anna", "Anna", "Gemeente Den Haag")
	if _, err := b.s.AddSkills(b.ctx, anna.ID, []string{"subsidies"}, day); err != nil {
		t.Fatal(err)
	}
	c, err := b.s.AddCommitment(b.ctx, store.NewCommitment{NetworkID: b.net.ID, OwnerID: anna.ID, Text: "grant application", At: day})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.s.Forget(b.ctx, anna.ID, day); err != nil {
		t.Fatal(err)
	}
	if err := b.s.Forget(b.ctx, anna.ID, day); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("forgetting twice: %v", err)
	}
	got, err := b.s.Commitment(b.ctx, b.net.ID, c.No)
	if err != nil || got.Text != "grant application" || got.OwnerName != "" {
		t.Fatalf("commitment after forget: %+v %v", got, err)
	}
	res, _ := b.s.Who(b.ctx, b.net.ID, concepts("subsidies"), day, 5)
	if len(res.Experts) != 0 {
		t.Fatalf("forgotten member still answers: %+v", res.Experts)
	}
	again, err := b.s.EnsureMember(b.ctx, b.net.ID, "console", "anna", "Anna")
	if err != nil || again.ID == anna.ID {
		t.Fatalf("a forgotten member who returns is a new member: %v %v", again.ID, err)
	}
}

func TestAdvisoryLockIsExclusiveAndReleased(t *testing.T) {
	b := setup(t)
	l1, err := b.s.TryLock(b.ctx, "matrix-sync:@knoop:localhost")
	if err != nil || l1 == nil {
		t.Fatalf("first lock: %v %v", l1, err)
	}
	l2, err := b.s.TryLock(b.ctx, "matrix-sync:@knoop:localhost")
	if err != nil || l2 != nil {
		t.Fatalf("second lock while held: %v %v", l2, err)
	}
	if !l1.Alive(b.ctx) {
		t.Fatal("held lock not alive")
	}
	l1.Release(b.ctx)
	l1.Release(b.ctx) // twice is harmless
	if l1.Alive(b.ctx) {
		t.Fatal("released lock still alive")
	}
	l3, err := b.s.TryLock(b.ctx, "matrix-sync:@knoop:localhost")
	if err != nil || l3 == nil {
		t.Fatalf("lock after release: %v %v", l3, err)
	}
	l3.Release(b.ctx)
	if v, ok, err := b.s.State(b.ctx, "matrix", "next_batch"); err != nil || ok || v != "" {
		t.Fatalf("unset state: %q %v %v", v, ok, err)
	}
	if err := b.s.SetState(b.ctx, "matrix", "next_batch", "s72_1"); err != nil {
		t.Fatal(err)
	}
	if err := b.s.SetState(b.ctx, "matrix", "next_batch", "s73_2"); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := b.s.State(b.ctx, "matrix", "next_batch"); err != nil || !ok || v != "s73_2" {
		t.Fatalf("state: %q %v %v", v, ok, err)
	}
}

func TestPruneEventsAndCounts(t *testing.T) {
	b := setup(t)
	first, err := b.s.FirstSeen(b.ctx, "slack", "Ev1")
	if err != nil || !first {
		t.Fatalf("first sighting: %v %v", first, err)
	}
	if again, _ := b.s.FirstSeen(b.ctx, "slack", "Ev1"); again {
		t.Fatal("a redelivery counted as new")
	}
	if n, err := b.s.PruneEvents(b.ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("pruned %d fresh ids: %v", n, err)
	}
	if n, err := b.s.PruneEvents(b.ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("pruned %d old ids: %v", n, err)
	}
	anna := b.member(t, "anna", "Anna", "")
	for i := range 25 {
		if _, err := b.s.AddCommitment(b.ctx, store.NewCommitment{NetworkID: b.net.ID, OwnerID: anna.ID, Text: fmt.Sprint("task ", i), At: day}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.s.ChangeCommitment(b.ctx, store.Change{NetworkID: b.net.ID, No: 3, MemberID: anna.ID, Kind: "done", At: day}); err != nil {
		t.Fatal(err)
	}
	if open, done, err := b.s.CommitmentCounts(b.ctx, anna.ID); err != nil || open != 24 || done != 1 {
		t.Fatalf("counts %d open %d done: %v", open, done, err)
	}
}

// Two transactions that lock two rows in opposite orders deadlock;
// PostgreSQL aborts one and Tx runs it again, so both succeed (as two
// members' first skills racing on new lexicon words do).
func TestTxRunsADeadlockVictimAgain(t *testing.T) {
	b := setup(t)
	other, err := b.s.NetworkForRoom(b.ctx, "console", "other room", store.NetworkDefaults{})
	if err != nil {
		t.Fatal(err)
	}
	ids := [2]int64{b.net.ID, other.ID}
	var locked sync.WaitGroup
	locked.Add(2)
	var attempts [2]atomic.Int32
	errs := make(chan error, 2)
	for i := range 2 {
		go func() {
			errs <- b.s.Tx(b.ctx, func(q *store.Queries) error {
				first := attempts[i].Add(1) == 1
				if err := q.Exec(b.ctx, `UPDATE networks SET name = name WHERE id = $1`, ids[i]); err != nil {
					return err
				}
				if first {
					locked.Done()
					locked.Wait() // each holds its first row: the second updates deadlock
				}
				return q.Exec(b.ctx, `UPDATE networks SET name = name WHERE id = $1`, ids[1-i])
			})
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("Tx: %v", err)
		}
	}
	if n := attempts[0].Load() + attempts[1].Load(); n != 3 {
		t.Errorf("%d runs of the two transactions, want 3 (one deadlock victim run again)", n)
	}
}

// FirstSeen's relaxed commit stays with its own insert: the connection's
// next statement commits durably again.
func TestFirstSeenKeepsDurableCommits(t *testing.T) {
	_, cfg := storetest.SchemaConfig(t)
	cfg.MaxConns = 1
	s, err := store.OpenConfig(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if first, err := s.FirstSeen(context.Background(), "slack", "EvDurable"); err != nil || !first {
		t.Fatalf("first sighting: %v %v", first, err)
	}
	var mode string
	if err := s.Pool().QueryRow(context.Background(), `SHOW synchronous_commit`).Scan(&mode); err != nil || mode != "on" {
		t.Fatalf("synchronous_commit after FirstSeen on the same connection = %q, %v; want on", mode, err)
	}
}
