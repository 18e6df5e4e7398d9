package bot

import "sync"

// Queue runs jobs one at a time per key (a member), in the order they were
// given, and jobs of different keys side by side. Adapters use it so a
// member who types "commit …" and then clicks Done gets them handled in
// that order, while other members are not held up. The zero value is
// ready to use and unbounded.
type Queue struct {
	// Limit bounds how many jobs one key may have at once, the running
	// one included; past it Do refuses. 0: no bound. Set it before the
	// first Do.
	Limit int

	mu     sync.Mutex
	queues map[string][]func() // a key's jobs; the first is running
}

// Do queues job behind key's earlier jobs and returns at once. It returns
// false, and job never runs, when key already has Limit jobs: one member
// flooding Knoop holds a bounded amount of memory and work.
func (o *Queue) Do(key string, job func()) bool {
	o.mu.Lock()
	if o.queues == nil {
		o.queues = map[string][]func(){}
	}
	q, running := o.queues[key]
	if o.Limit > 0 && len(q) >= o.Limit {
		o.mu.Unlock()
		return false
	}
	o.queues[key] = append(q, job)
	o.mu.Unlock()
	if !running {
		go o.drain(key)
	}
	return true
}

func (o *Queue) drain(key string) {
	for {
		o.mu.Lock()
		job := o.queues[key][0]
		o.mu.Unlock()
		job()
		o.mu.Lock()
		q := o.queues[key][1:]
		if len(q) == 0 {
			delete(o.queues, key)
			o.mu.Unlock()
			return
		}
		o.queues[key] = q
		o.mu.Unlock()
	}
}
