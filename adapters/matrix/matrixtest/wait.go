package matrixtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

const (
	pollInterval = 25 * time.Millisecond
	pageSize     = 100
	maxPages     = 50 // rooms in tests are small; stop paginating after 5000 events
)

// WaitMessage polls the room's history (GET /messages as cli, which must be
// able to read the room) until an event sent by from satisfies match, and
// returns the earliest such event. It needs no sync loop. An empty from
// accepts any sender; a nil match accepts any m.room.message. match sees
// every timeline event of the sender (messages, reactions, redactions, state
// such as joins), oldest first, with Content already parsed (so
// evt.Content.AsMessage() and AsReaction() work).
//
// Events already in the room count: to wait for a new answer to a question
// asked twice, use WaitMessageAfter. On timeout the test fails (t.Fatalf, so
// call it from the test goroutine) listing what the sender did send.
func WaitMessage(t testing.TB, cli *mautrix.Client, room id.RoomID, from id.UserID, match func(*event.Event) bool, timeout time.Duration) *event.Event {
	t.Helper()
	return WaitMessageAfter(t, cli, room, "", from, match, timeout)
}

// WaitMessageAfter is WaitMessage counting only events that come after the
// event `after` in the room's timeline (e.g. the question the test just sent).
// An empty after means the whole history.
func WaitMessageAfter(t testing.TB, cli *mautrix.Client, room id.RoomID, after id.EventID, from id.UserID, match func(*event.Event) bool, timeout time.Duration) *event.Event {
	t.Helper()
	if match == nil {
		match = func(e *event.Event) bool { return e.Type == event.EventMessage }
	}
	deadline := time.Now().Add(timeout)
	var (
		seen    []*event.Event
		lastErr error
	)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		evts, err := History(ctx, cli, room, from)
		cancel()
		if err == nil {
			if after != "" {
				i := slices.IndexFunc(evts, func(e *event.Event) bool { return e.ID == after })
				if i < 0 {
					// after is not from this sender (or not in the room): fetch the
					// whole timeline to find where it is.
					ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
					all, err2 := History(ctx, cli, room, "")
					cancel()
					if err2 != nil {
						err = err2
					} else if j := slices.IndexFunc(all, func(e *event.Event) bool { return e.ID == after }); j < 0 {
						err = fmt.Errorf("event %s is not in the timeline of %s", after, room)
					} else {
						evts = filterSender(all[j+1:], from)
					}
				} else {
					evts = evts[i+1:]
				}
			}
		}
		if err == nil {
			seen = evts
			for _, e := range evts {
				if match(e) {
					return e
				}
			}
		} else {
			lastErr = err
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(pollInterval)
	}
	who := string(from)
	if who == "" {
		who = "anyone"
	}
	msg := fmt.Sprintf("matrixtest: no matching event from %s in %s within %v", who, room, timeout)
	if after != "" {
		msg += " after " + string(after)
	}
	if lastErr != nil {
		msg += fmt.Sprintf("; last error: %v", lastErr)
	}
	msg += fmt.Sprintf("; %d events seen from %s:", len(seen), who)
	if len(seen) > 20 {
		msg += " (last 20)"
		seen = seen[len(seen)-20:]
	}
	for _, e := range seen {
		msg += "\n\t" + Describe(e)
	}
	t.Fatal(msg)
	return nil
}

// History returns the room's timeline as seen by cli, oldest first, with
// contents parsed; if from is not empty, only that sender's events.
func History(ctx context.Context, cli *mautrix.Client, room id.RoomID, from id.UserID) ([]*event.Event, error) {
	var filter *mautrix.FilterPart
	if from != "" {
		filter = &mautrix.FilterPart{Senders: []id.UserID{from}}
	}
	var (
		evts  []*event.Event
		token string
	)
	for page := 0; page < maxPages; page++ {
		resp, err := cli.Messages(ctx, room, token, "", mautrix.DirectionBackward, filter, pageSize)
		if err != nil {
			return nil, err
		}
		evts = append(evts, resp.Chunk...)
		if len(resp.Chunk) == 0 || resp.End == "" || resp.End == token {
			break
		}
		token = resp.End
	}
	slices.Reverse(evts)
	evts = filterSender(evts, from) // the server filter is only a hint
	for _, e := range evts {
		e.RoomID = room
		// On error (unknown type, malformed content) Parsed stays nil and
		// match can still read Content.Raw.
		_ = e.Content.ParseRaw(e.Type)
	}
	return evts, nil
}

func filterSender(evts []*event.Event, from id.UserID) []*event.Event {
	if from == "" {
		return evts
	}
	out := evts[:0:0]
	for _, e := range evts {
		if e.Sender == from {
			out = append(out, e)
		}
	}
	return out
}

// Describe is a one-line summary of an event for failure messages.
func Describe(e *event.Event) string {
	s := fmt.Sprintf("%s %s from %s", e.ID, e.Type.Type, e.Sender)
	switch c := e.Content.Parsed.(type) {
	case *event.MessageEventContent:
		s += fmt.Sprintf(" [%s] %q", c.MsgType, c.Body)
		if r := c.RelatesTo.GetReplyTo(); r != "" {
			s += " (reply to " + string(r) + ")"
		}
	case *event.ReactionEventContent:
		s += fmt.Sprintf(" %q on %s", c.RelatesTo.Key, c.RelatesTo.EventID)
	case *event.MemberEventContent:
		s += fmt.Sprintf(" %s %s", c.Membership, derefKey(e.StateKey))
	}
	return s
}

func derefKey(k *string) string {
	if k == nil {
		return ""
	}
	return *k
}

// Body matches an m.room.message whose body is exactly body.
func Body(body string) func(*event.Event) bool {
	return func(e *event.Event) bool {
		return e.Type == event.EventMessage && e.Content.AsMessage().Body == body
	}
}

// BodyContains matches an m.room.message whose body contains sub.
func BodyContains(sub string) func(*event.Event) bool {
	return func(e *event.Event) bool {
		return e.Type == event.EventMessage && strings.Contains(e.Content.AsMessage().Body, sub)
	}
}

// ReplyTo matches an m.room.message that replies to the event target.
func ReplyTo(target id.EventID) func(*event.Event) bool {
	return func(e *event.Event) bool {
		return e.Type == event.EventMessage && e.Content.AsMessage().RelatesTo.GetReplyTo() == target
	}
}
