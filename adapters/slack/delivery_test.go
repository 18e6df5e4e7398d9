package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"knoop/adapters/slack"
	"knoop/adapters/slack/slackfake"
)

// Issue 11, point 9: `digest now` is recorded as sent only once it was
// posted. A post that fails for good leaves the event unacknowledged and
// nothing recorded; Slack's redelivery posts the digest, with the same
// items, and records it.
func TestDigestNowIsRecordedOnlyOncePosted(t *testing.T) {
	h := start(t, func(c *slack.Config) { c.Admins = []string{"UDIRK"} })
	ctx := context.Background()
	h.slashAnswer("UANNA", "C1", "commit send the route plan by next friday")
	h.slashAnswer("UANNA", "C1", "done 1")

	h.fake.FailNextError("chat.postMessage", "channel_not_found")
	p := slackfake.AppMention("EvDigestNow", "UDIRK", "C1", "<@"+slackfake.BotUserID+"> digest now", "")
	ts := p["event"].(map[string]any)["ts"].(string)
	envelope := h.fake.Push("events_api", p)
	// Dirk's next question is handled after the digest (one member's
	// events in order): once it is answered, the digest's turn is over.
	after := h.mention("EvAfter", "UDIRK", "C1", "goals")
	h.waitPost("answering Dirk's next question", func(c slackfake.Call) bool { return c.Get("thread_ts") == after })
	if last, err := h.store.LastDigest(ctx, "slack", "C1"); err != nil || !last.IsZero() {
		t.Fatalf("a digest whose post failed is recorded as sent at %v (%v)", last, err)
	}
	for _, a := range h.fake.Acks() {
		if a.EnvelopeID == envelope {
			t.Errorf("the event whose answer failed was acknowledged: Slack would not deliver it again")
		}
	}

	h.fake.PushRedelivery("events_api", p, 1)
	post := h.waitPost("with the digest", func(c slackfake.Call) bool { return c.Get("thread_ts") == ts })
	if !strings.Contains(post.Get("text"), "send the route plan") {
		t.Errorf("the digest posted on redelivery lacks the delivered commitment:\n%s", post.Get("text"))
	}
	// The digest commits right after its post was accepted.
	for deadline := time.Now().Add(wait); ; time.Sleep(20 * time.Millisecond) {
		last, err := h.store.LastDigest(ctx, "slack", "C1")
		if err == nil && !last.IsZero() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the posted digest is not recorded (%v)", err)
		}
	}
}
