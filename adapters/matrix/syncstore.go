package matrix

import (
	"context"
	"sync"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"

	"knoop/bot"
)

// syncStore keeps mautrix's sync position and filter in PostgreSQL, so a
// restart continues where the finished work ends: what was said while
// Knoop was down, or while it died mid-answer, is answered; older history
// is not replayed.
//
// mautrix saves a sync position before it hands the response's events to
// the handlers, so SaveNextBatch keeps nothing: positions moves the saved
// position on once the work queued for a response (and every response
// before it) has finished.
type syncStore struct {
	kv bot.StateKeeper
}

var _ mautrix.SyncStore = (*syncStore)(nil)

func (s *syncStore) SaveFilterID(ctx context.Context, user id.UserID, filterID string) error {
	return s.kv.SetState(ctx, Platform, "filter:"+string(user), filterID)
}

func (s *syncStore) LoadFilterID(ctx context.Context, user id.UserID) (string, error) {
	v, _, err := s.kv.State(ctx, Platform, "filter:"+string(user))
	return v, err
}

// SaveNextBatch keeps nothing; see positions.
func (s *syncStore) SaveNextBatch(context.Context, id.UserID, string) error { return nil }

func (s *syncStore) LoadNextBatch(ctx context.Context, user id.UserID) (string, error) {
	v, _, err := s.kv.State(ctx, Platform, "next_batch:"+string(user))
	return v, err
}

// positions holds sync positions back until the work before them is done.
// Work is numbered as it is queued (begin, in the sync loop); a position
// is sealed after its response was processed and may be saved once no
// work numbered at or before its seal is open. Safe for concurrent use.
type positions struct {
	save func(ctx context.Context, token string) error

	mu     sync.Mutex
	seq    uint64           // number of the last work queued
	open   map[uint64]bool  // work not finished
	sealed []sealedPosition // in sync order
	index  uint64           // index of the last sealed position
	saveMu sync.Mutex       // saves one at a time, never an older after a newer
	saved  uint64           // index of the last saved position
	failed func(err error)  // reports a failed save
}

type sealedPosition struct {
	token string
	upTo  uint64 // work numbered up to here came before it
	index uint64
}

// begin numbers a piece of work; call done when it has finished. Call it
// in the sync loop, while the event is processed.
func (p *positions) begin() (done func()) {
	p.mu.Lock()
	p.seq++
	n := p.seq
	if p.open == nil {
		p.open = map[uint64]bool{}
	}
	p.open[n] = true
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		delete(p.open, n)
		p.mu.Unlock()
		p.flush(context.Background())
	}
}

// seal records that the response ending at token was processed: its
// events' work has all been begun.
func (p *positions) seal(ctx context.Context, token string) {
	p.mu.Lock()
	p.index++
	p.sealed = append(p.sealed, sealedPosition{token: token, upTo: p.seq, index: p.index})
	p.mu.Unlock()
	p.flush(ctx)
}

// flush saves the newest sealed position no open work precedes.
func (p *positions) flush(ctx context.Context) {
	p.mu.Lock()
	oldest := p.seq + 1
	for n := range p.open {
		oldest = min(oldest, n)
	}
	var ready *sealedPosition
	i := 0
	for ; i < len(p.sealed) && p.sealed[i].upTo < oldest; i++ {
		ready = &p.sealed[i]
	}
	var pos sealedPosition
	if ready != nil {
		pos = *ready
	}
	p.sealed = p.sealed[i:]
	p.mu.Unlock()
	if ready == nil {
		return
	}
	p.saveMu.Lock()
	defer p.saveMu.Unlock()
	if pos.index <= p.saved {
		return
	}
	if err := p.save(context.WithoutCancel(ctx), pos.token); err != nil {
		if p.failed != nil {
			p.failed(err)
		}
		return
	}
	p.saved = pos.index
}
