// Package intro holds the rules of introductions, independent of chat
// platforms and storage: the states a request goes through, who may move
// it, how many open requests an expert takes per week, and which member of
// a who-answer to offer next. The bot package applies them; this package
// imports nothing of Knoop's.
package intro

import (
	"errors"
	"time"
)

// Status is where a request stands.
type Status string

const (
	// Asked: the expert has the request and has not answered.
	Asked Status = "asked"
	// Accepted: the expert said yes; Knoop opened a conversation for both.
	Accepted Status = "accepted"
	// Declined: the expert said "not now".
	Declined Status = "declined"
	// Expired: the expert did not answer within AnswerWorkdays.
	Expired Status = "expired"
)

// AnswerWorkdays is how many working days an expert has to answer before
// the asker is told and offered the next member.
const AnswerWorkdays = 3

// Event is what happens to a request.
type Event int

const (
	// Accept is the expert's yes.
	Accept Event = iota
	// NotNow is the expert's "not now".
	NotNow
)

// Errors of Next.
var (
	// ErrNotYours: only the expert answers a request.
	ErrNotYours = errors.New("intro: only the expert answers")
	// ErrDecided: the request was answered before.
	ErrDecided = errors.New("intro: already answered")
)

// Next is the status after ev, when the member actor does it to a request
// to expert now in status from. Only the expert answers, and only once.
func Next(from Status, ev Event, actor, expert int64) (Status, error) {
	if actor != expert {
		return from, ErrNotYours
	}
	if from != Asked {
		return from, ErrDecided
	}
	if ev == Accept {
		return Accepted, nil
	}
	return Declined, nil
}

// DefaultWeeklyLimit is how many open requests an expert gets in seven
// days unless configured otherwise.
const DefaultWeeklyLimit = 3

// Window is the period the weekly limit counts over.
const Window = 7 * 24 * time.Hour

// OfferTTL is how long a who-answer can be referred to by number
// ("intro 2").
const OfferTTL = 24 * time.Hour

// Full reports whether an expert with open requests made in the last
// Window already has as many as limit (a limit of 0 or less means the
// default).
func Full(open, limit int) bool {
	if limit <= 0 {
		limit = DefaultWeeklyLimit
	}
	return open >= limit
}

// Candidate is a member of a who-answer as far as offering goes.
type Candidate struct {
	ID int64
	// Off: the member said "intros off"; Away: away today; Full: their
	// weekly limit is reached.
	Off, Away, Full bool
}

// Available reports whether Knoop may offer the member now.
func (c Candidate) Available() bool { return !c.Off && !c.Away && !c.Full }

// Pick returns the first available candidate of list that is neither the
// asker nor already tried, and the candidates after it (what is left to
// offer later). ok is false when nobody is left.
func Pick(list []Candidate, asker int64, tried map[int64]bool) (next Candidate, rest []Candidate, ok bool) {
	for i, c := range list {
		if c.ID == asker || tried[c.ID] || !c.Available() {
			continue
		}
		return c, list[i+1:], true
	}
	return Candidate{}, nil, false
}
