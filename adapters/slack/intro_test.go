package slack_test

import (
	"strings"
	"testing"

	"knoop/adapters/slack/slackfake"
)

// An introduction on Slack: the who-answer has an "Introduce me" button,
// its click sends the expert a direct message with Accept · Not now, and
// Accept opens a group direct message with both.
func TestIntroductionButtonsAndGroupDM(t *testing.T) {
	h := start(t)
	h.slashAnswer("UANNA", "C1", "skills add cold chain")
	who := h.slashAnswer("UBOB", "C1", "who is good at cold chain?")
	if got := buttons(who.Blocks); got["knoop_run_0"] != "intro 1" {
		t.Fatalf("who-answer buttons %v, want intro 1", got)
	}
	click := h.fake.Push("interactive", slackfake.ButtonClick("UBOB", "C1", slackfake.NewTS(), "knoop_run_0", "intro 1", "trig-intro"))
	h.fake.WaitAck(click, wait)
	annaDM := h.fake.DMChannel("UANNA")
	req := h.waitPost("to Anna", func(c slackfake.Call) bool { return c.Get("channel") == annaDM })
	if !strings.Contains(req.Get("text"), "Bob would like to be introduced to you about “cold chain”") {
		t.Fatalf("Anna's request says %q", req.Get("text"))
	}
	btns := buttons(blocksOf(t, req))
	if btns["knoop_run_0"] != "intro accept 1" || btns["knoop_run_1"] != "intro notnow 1" {
		t.Fatalf("request buttons %v", btns)
	}
	// Bob's confirmation is for Bob only.
	eph := h.fake.WaitCalls("chat.postEphemeral", 1, wait)
	if eph[0].Get("user") != "UBOB" || !strings.Contains(eph[0].Get("text"), "I've asked Anna") {
		t.Fatalf("Bob was told %q (user %s)", eph[0].Get("text"), eph[0].Get("user"))
	}
	for _, c := range h.postsIn("C1") {
		if strings.Contains(c.Get("text"), "introduced") || strings.Contains(c.Get("text"), "asked Anna") {
			t.Fatalf("the request showed in the channel: %q", c.Get("text"))
		}
	}

	accept := h.fake.Push("interactive", slackfake.ButtonClick("UANNA", annaDM, req.Get("ts"), "knoop_run_0", "intro accept 1", "trig-accept"))
	h.fake.WaitAck(accept, wait)
	intro := h.waitPost("in the group DM", func(c slackfake.Call) bool { return strings.HasPrefix(c.Get("channel"), "G") })
	if !strings.Contains(intro.Get("text"), "Introduction: Bob, meet Anna") {
		t.Fatalf("group DM says %q", intro.Get("text"))
	}
	group := false
	for _, c := range h.fake.Calls("conversations.open") {
		group = group || c.Get("users") == "UBOB,UANNA"
	}
	if !group {
		t.Fatalf("no conversations.open with both users: %v", h.fake.Calls("conversations.open"))
	}
}
