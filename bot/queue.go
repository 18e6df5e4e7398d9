package bot

import "sync"

// Queue runs jobs one at a time per key (a member), in the order they were
// given, and jobs of different keys side by side. Adapters use it so a
// member who types "commit …" and then clicks Done gets them handled in
// that order, while other members are not held up. The zero value is
// ready to use.
type Queue struct {
	mu     sync.Mutex
	queues map[string][]func()
}

// Do queues job behind key's earlier jobs and returns at once.
func (o *Queue) Do(key string, job func()) {
	o.mu.Lock()
	if o.queues == nil {
		o.queues = map[string][]func(){}
	}
	q, running := o.queues[key]
	o.queues[key] = append(q, job)
	o.mu.Unlock()
	if running {
		return
	}
	go o.drain(key)
}

func (o *Queue) drain(key string) {
	for {
		o.mu.Lock()
		q := o.queues[key]
		if len(q) == 0 {
			delete(o.queues, key)
			o.mu.Unlock()
			return
		}
		job := q[0]
		o.queues[key] = q[1:]
		o.mu.Unlock()
		job()
	}
}
