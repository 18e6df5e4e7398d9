package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"sync"
)

// runner stands in for testing.TB so the test helpers (slackfake,
// matrixtest, storetest) work in a program: Fatalf ends the run (from the
// main goroutine only), Cleanup functions run at the end in reverse order.
type runner struct {
	ctx  context.Context
	keep bool
	log  *log.Logger

	mu       sync.Mutex
	cleanups []func()
	failed   bool
	tmp      string
}

// fatal is the panic value of Fatalf; run recovers it.
type fatal struct{ msg string }

func newRunner(ctx context.Context, keep bool) *runner {
	return &runner{ctx: ctx, keep: keep, log: log.New(os.Stderr, "knoop-load: ", log.Ltime|log.Lmicroseconds)}
}

func (r *runner) Helper() {}

func (r *runner) Logf(format string, args ...any) { r.log.Printf(format, args...) }

func (r *runner) Errorf(format string, args ...any) {
	r.mu.Lock()
	r.failed = true
	r.mu.Unlock()
	r.log.Printf("error: "+format, args...)
}

func (r *runner) Fatalf(format string, args ...any) {
	r.mu.Lock()
	r.failed = true
	r.mu.Unlock()
	panic(fatal{fmt.Sprintf(format, args...)})
}

func (r *runner) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

func (r *runner) Cleanup(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cleanups = append(r.cleanups, f)
}

// TempDir returns a new directory under the run's own temporary
// directory, which is removed at the end unless --keep.
func (r *runner) TempDir() string {
	r.mu.Lock()
	if r.tmp == "" {
		dir, err := os.MkdirTemp("", "knoop-load-")
		if err != nil {
			r.mu.Unlock()
			r.Fatalf("temp dir: %v", err)
		}
		r.tmp = dir
		r.cleanups = append(r.cleanups, func() {
			if r.keep {
				r.log.Printf("kept %s", dir)
				return
			}
			_ = os.RemoveAll(dir)
		})
	}
	base := r.tmp
	r.mu.Unlock()
	dir, err := os.MkdirTemp(base, "")
	if err != nil {
		r.Fatalf("temp dir: %v", err)
	}
	return dir
}

// run calls f, turning a Fatalf into an error, then runs the cleanups.
func (r *runner) run(f func() (*report, error)) (rep *report, err error) {
	defer func() {
		r.mu.Lock()
		cs := r.cleanups
		r.cleanups = nil
		r.mu.Unlock()
		for i := len(cs) - 1; i >= 0; i-- {
			cs[i]()
		}
	}()
	defer func() {
		if p := recover(); p != nil {
			f, ok := p.(fatal)
			if !ok {
				panic(p)
			}
			err = fmt.Errorf("%s", f.msg)
		}
	}()
	return f()
}
