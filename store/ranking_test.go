package store_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"knoop/store"
	"knoop/store/storetest"
)

func TestSplitCompound(t *testing.T) {
	for w, want := range map[string][]string{
		"koelketenlogistiek":    {"koelketen", "logistiek"},
		"batterijopslag":        {"batterij", "opslag"},
		"stadslogistiek":        {"stad", "logistiek"}, // linking s
		"kasklimaatbeheersing":  {"kas", "klimaat", "beheersing"},
		"warehousemanagement":   {"warehouse", "management"},
		"logistiek":             nil, // a part itself
		"kernenergie":           nil, // "kern" is not a known part
		"koelketenlogistiekxyz": nil, // not made only of parts
		"bus":                   nil,
	} {
		if got := store.SplitCompound(w); !slices.Equal(got, want) {
			t.Errorf("SplitCompound(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestTermsIndexCompoundParts(t *testing.T) {
	terms := store.Terms("gewasbeschermingsplan en koelketenlogistiek")
	for _, want := range []string{"gewasbeschermingsplan", "gewas", "bescherming", "plan", "gewasbescherming",
		"koelketenlogistiek", "koelketen", "logistiek", "koelketen logistiek"} {
		if !slices.Contains(terms, want) {
			t.Errorf("Terms lack %q: %v", want, terms)
		}
	}
}

func TestWhoFindsCompoundsAndCountsCoverage(t *testing.T) {
	b := setup(t)
	anna := b.member(t, "anna", "Anna", "Havenbedrijf")
	bob := b.member(t, "bob", "Bob", "TU Delft")
	if _, err := b.s.AddSkills(b.ctx, anna.ID, []string{"koelketenlogistiek"}, day); err != nil {
		t.Fatal(err)
	}
	if _, err := b.s.AddSkills(b.ctx, bob.ID, []string{"logistiek", "waterstof", "productie"}, day); err != nil {
		t.Fatal(err)
	}
	// "koelketen" finds the compound; coverage is 1 for a one-word question.
	res, err := b.s.Who(b.ctx, b.net.ID, []store.Concept{{Text: "koelketen", Weight: 1, Covers: 1}}, day, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Experts) != 1 || res.Experts[0].Member.ID != anna.ID || res.Experts[0].Coverage != 1 {
		t.Fatalf("koelketen: %+v", res.Experts)
	}
	// Asked "koelketen logistiek": Anna has both, Bob one of two words,
	// so Anna ranks first and Bob's coverage is a half.
	cs := []store.Concept{
		{Text: "koelketen logistiek", Weight: 1.5, Covers: 3},
		{Text: "koelketen", Weight: 0.5, Covers: 1},
		{Text: "logistiek", Weight: 0.5, Covers: 2},
	}
	res, err = b.s.Who(b.ctx, b.net.ID, cs, day, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Experts) != 2 || res.Experts[0].Member.ID != anna.ID || res.Experts[1].Coverage != 0.5 {
		t.Fatalf("koelketen logistiek: %+v", res.Experts)
	}
	// A typo is forgiven, but a word that merely contains a known one is
	// not a typo of it, and exact concepts forgive nothing.
	res, err = b.s.Who(b.ctx, b.net.ID, concepts("waterstoff"), day, 5)
	if err != nil || len(res.Experts) != 1 || res.Experts[0].Member.ID != bob.ID {
		t.Fatalf("waterstoff: %+v %v", res.Experts, err)
	}
	res, err = b.s.Who(b.ctx, b.net.ID, concepts("filmproductie"), day, 5)
	if err != nil || len(res.Experts) != 0 {
		t.Fatalf("filmproductie: %+v %v", res.Experts, err)
	}
	res, err = b.s.Who(b.ctx, b.net.ID, []store.Concept{{Text: "waterstoff", Weight: 1, Exact: true}}, day, 5)
	if err != nil || len(res.Experts) != 0 {
		t.Fatalf("exact waterstoff: %+v %v", res.Experts, err)
	}
}

func TestMigrateReindexesOldTerms(t *testing.T) {
	_, cfg := storetest.SchemaConfig(t)
	ctx := context.Background()
	s, err := store.OpenConfig(ctx, cfg.Copy(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	net, err := s.NetworkForRoom(ctx, "console", "room", store.NetworkDefaults{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.EnsureMember(ctx, net.ID, "console", "anna", "Anna")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSkills(ctx, m.ID, []string{"batterijopslag"}, day); err != nil {
		t.Fatal(err)
	}
	// Make the index look as an older Knoop left it: no compound parts.
	if _, err := s.Pool().Exec(ctx, `DELETE FROM member_terms WHERE term = 'opslag'`); err != nil {
		t.Fatal(err)
	}
	if err := s.SetState(ctx, "store", "terms_version", "1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := s.Who(ctx, net.ID, concepts("opslag"), day, 5)
	if err != nil || len(res.Experts) != 1 {
		t.Fatalf("after reindex: %+v %v", res.Experts, err)
	}
}

func TestMutualEndorsementsDoNotDeadlock(t *testing.T) {
	b := setup(t)
	var ms []store.Member
	for i := range 6 {
		ms = append(ms, b.member(t, fmt.Sprint("m", i), fmt.Sprint("M", i), "Org"))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for round := range 5 {
		for i := range ms {
			for j := range ms {
				if i != j {
					wg.Go(func() {
						_, err := b.s.Endorse(b.ctx, ms[i].ID, ms[j].ID, fmt.Sprint("skill ", round), day)
						if err != nil && !errors.Is(err, store.ErrConflict) {
							errs <- err
						}
					})
				}
			}
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
