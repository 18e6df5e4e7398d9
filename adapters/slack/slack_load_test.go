package slack_test

// Scenarios under load: a burst from one member, a reconnect in the middle
// of a stream, and the race between an answer and Slack's 3-second clock.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"knoop/adapters/slack"
	"knoop/adapters/slack/slackfake"
	"knoop/bot"
	"knoop/store"
)

// Scenario 6: 200 commitments typed fast by one member are recorded in the
// order typed, and every command is acknowledged and answered once, in
// the acknowledgement or, when it was late (the default 2.5 s), by a post.
func TestBurstFromOneMemberKeepsOrder(t *testing.T) {
	const n = 200
	h := start(t, func(c *slack.Config) { c.Wait = 0 }) // the default wait
	envs := make([]string, n)
	for k := 1; k <= n; k++ {
		envs[k-1] = h.slash("UANNA", "C1", fmt.Sprintf("commit task %d by 2026-12-31", k))
	}
	answers := map[string]int{}
	for _, e := range envs {
		if a := h.fake.WaitAck(e, wait); a.Payload != nil {
			answers[decodeAck(t, a).Text]++
		}
	}
	h.stop() // late answers are posted before Run returns
	for _, c := range h.fake.Calls("chat.postMessage") {
		if c.Status == 200 {
			answers[c.Get("text")]++
		}
	}
	if acks := len(h.fake.Acks()); acks != n {
		t.Errorf("%d acks for %d commands", acks, n)
	}
	cms, err := h.store.Commitments(context.Background(), store.CommitmentFilter{NetworkID: h.network("C1").ID, Limit: 2 * n})
	if err != nil {
		t.Fatal(err)
	}
	if len(cms) != n {
		t.Fatalf("%d commitments, want %d", len(cms), n)
	}
	for _, c := range cms {
		if want := fmt.Sprintf("task %d", c.No); c.Text != want || c.Due.Format(time.DateOnly) != "2026-12-31" {
			t.Errorf("commitment #%d is %q due %s, want %q due 2026-12-31", c.No, c.Text, c.Due.Format(time.DateOnly), want)
		}
	}
	for k := 1; k <= n; k++ {
		found := 0
		for text, count := range answers {
			if strings.Contains(text, fmt.Sprintf("#%d task %d —", k, k)) {
				found += count
			}
		}
		if found != 1 {
			t.Errorf("commitment %d was answered %d times", k, found)
		}
	}
}

// Scenario 7: the connection goes in the middle of a stream, by Slack's
// disconnect request or by a network failure. Events whose ack got lost
// are redelivered (same event id, new envelope), and so are a few that
// were acked, as Slack does when an ack is late: every event is answered
// exactly once.
func TestReconnectMidStreamAnswersEachEventOnce(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cut   func(*slackfake.Server)
		first int // acks waited for before the cut
	}{
		{"disconnect", func(s *slackfake.Server) { s.Disconnect("refresh_requested") }, 10},
		{"drop", (*slackfake.Server).DropConnection, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 60
			h := start(t)
			users := []string{"UANNA", "UBOB", "UCAROL"}
			type event struct {
				payload map[string]any
				ts      string
				envs    []string
			}
			events := make([]*event, n)
			push := func(k int) {
				p := slackfake.AppMention(fmt.Sprintf("EvStream%03d", k), users[k%len(users)], "C1",
					fmt.Sprintf("<@%s> commit item %d", slackfake.BotUserID, k), "")
				events[k] = &event{payload: p, ts: p["event"].(map[string]any)["ts"].(string)}
				events[k].envs = append(events[k].envs, h.fake.Push("events_api", p))
			}
			for k := range n / 2 {
				push(k)
			}
			h.fake.WaitAck(events[tc.first].envs[0], wait) // the stream is flowing
			tc.cut(h.fake)
			for k := n / 2; k < n; k++ {
				push(k) // queued for the next connection
			}
			h.fake.WaitConnections(2, wait)
			// The second half reaches the new connection whole, so their
			// acks come. Each member's events are handled in order, so by
			// then the first half is handled too: an ack still missing was
			// lost with the old socket (or its event never arrived).
			for _, e := range events[n/2:] {
				h.fake.WaitAck(e.envs[0], wait)
			}
			redelivered := 0
			for attempt := 1; attempt <= 3; attempt++ {
				got := map[string]bool{}
				for _, a := range h.fake.Acks() {
					got[a.EnvelopeID] = true
				}
				var again []*event
				for k, e := range events {
					if !got[e.envs[len(e.envs)-1]] || (attempt == 1 && k%10 == 5) {
						again = append(again, e)
					}
				}
				if len(again) == 0 {
					break
				}
				for _, e := range again {
					e.envs = append(e.envs, h.fake.PushRedelivery("events_api", e.payload, attempt))
					redelivered++
				}
				for _, e := range again {
					h.fake.WaitAck(e.envs[len(e.envs)-1], wait)
				}
			}
			t.Logf("%d redeliveries for %d events", redelivered, n)
			h.stop() // everything in flight is finished

			replies := map[string]int{}
			for _, c := range h.postsIn("C1") {
				replies[c.Get("thread_ts")]++
			}
			for k, e := range events {
				if replies[e.ts] != 1 {
					t.Errorf("event %d (commit item %d) answered %d times", k, k, replies[e.ts])
				}
			}
			cms, err := h.store.Commitments(context.Background(), store.CommitmentFilter{NetworkID: h.network("C1").ID, Limit: 2 * n})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			for _, c := range cms {
				seen[c.Text]++
			}
			if len(cms) != n || len(seen) != n {
				t.Errorf("%d commitments with %d distinct texts, want %d", len(cms), len(seen), n)
			}
		})
	}
}

// echo answers after a random pause of up to twice the adapter's wait, so
// answers land on both sides of the moment the adapter gives up waiting.
type echo struct{ max time.Duration }

func (e echo) Handle(_ context.Context, m bot.Message) bot.Reply {
	time.Sleep(rand.N(e.max)) // simulated work, not synchronisation
	return bot.Reply{Blocks: []bot.Block{{Kind: bot.Text, Text: "echo " + m.Text}}}
}

// A slash command answered right around the adapter's wait is answered
// exactly once: in the ack when in time, else posted; never neither.
func TestSlashAnswerRacingTheWait(t *testing.T) {
	const n, wait1 = 200, 300 * time.Millisecond
	h := startWith(t, echo{max: 2 * wait1}, func(c *slack.Config) { c.Wait = wait1 })
	envs := make([]string, n)
	for k := range n {
		// One member each, so no command waits behind another.
		envs[k] = h.slash(fmt.Sprintf("UQ%04d", k), "C1", fmt.Sprintf("q%d", k))
	}
	answers := map[string]int{}
	for _, e := range envs {
		if a := h.fake.WaitAck(e, wait); a.Payload != nil {
			answers[decodeAck(t, a).Text]++
		}
	}
	h.stop()
	for _, c := range h.fake.Calls("chat.postMessage") {
		answers[c.Get("text")]++
	}
	inAck := 0
	for _, a := range h.fake.Acks() {
		if a.Payload != nil {
			inAck++
		}
	}
	t.Logf("%d of %d answered in the ack, the rest posted", inAck, n)
	for k := range n {
		if got := answers[fmt.Sprintf("echo q%d", k)]; got != 1 {
			t.Errorf("q%d answered %d times", k, got)
		}
	}
}
