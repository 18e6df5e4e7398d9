package matrix

import (
	"context"
	"slices"
	"testing"
)

// The saved sync position moves past a response only once the work queued
// for it and for every response before it has finished, and never back.
func TestPositionsWaitForWork(t *testing.T) {
	var saved []string
	p := &positions{save: func(_ context.Context, token string) error {
		saved = append(saved, token)
		return nil
	}}
	ctx := context.Background()
	p.seal(ctx, "t1") // a response without events
	a := p.begin()    // work of the response ending at t2
	b := p.begin()
	p.seal(ctx, "t2")
	c := p.begin() // work of the response ending at t3
	p.seal(ctx, "t3")
	if !slices.Equal(saved, []string{"t1"}) {
		t.Fatalf("saved %v before any work finished, want [t1]", saved)
	}
	c() // t3's work is done, but t2's is not: nothing may move
	if !slices.Equal(saved, []string{"t1"}) {
		t.Fatalf("saved %v with t2's work open, want [t1]", saved)
	}
	b()
	a() // everything up to t3 is done
	if !slices.Equal(saved, []string{"t1", "t3"}) {
		t.Fatalf("saved %v, want [t1 t3]", saved)
	}
	p.seal(ctx, "t4")
	if !slices.Equal(saved, []string{"t1", "t3", "t4"}) {
		t.Fatalf("saved %v, want [t1 t3 t4]", saved)
	}
}
