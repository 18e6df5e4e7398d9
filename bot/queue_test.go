package bot_test

import (
	"sync"
	"testing"

	"knoop/bot"
)

// A member's queue holds at most Limit waiting jobs: past it Do refuses
// (and runs nothing), while other members' jobs are taken as usual.
func TestQueueIsBounded(t *testing.T) {
	q := bot.Queue{Limit: 4}
	block := make(chan struct{})
	var mu sync.Mutex
	var ran []int
	var wg sync.WaitGroup
	job := func(i int) func() {
		return func() {
			defer wg.Done()
			if i == 0 {
				<-block
			}
			mu.Lock()
			ran = append(ran, i)
			mu.Unlock()
		}
	}
	accepted := 0
	for i := range 10 {
		wg.Add(1)
		if q.Do("anna", job(i)) {
			accepted++
		} else {
			wg.Done()
		}
	}
	// The running job and three waiting ones.
	if accepted != 4 {
		t.Errorf("accepted %d jobs for one member, want Limit 4 (the running one included)", accepted)
	}
	wg.Add(1)
	if !q.Do("bob", func() { wg.Done() }) {
		t.Errorf("another member's job refused")
	}
	close(block)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	for i, v := range ran {
		if v != i {
			t.Fatalf("jobs ran out of order: %v", ran)
		}
	}
	if len(ran) != 4 {
		t.Errorf("ran %v", ran)
	}
	// Drained: the member may queue again.
	wg.Add(1)
	if !q.Do("anna", func() { wg.Done() }) {
		t.Errorf("refused after the queue drained")
	}
	wg.Wait()
}
