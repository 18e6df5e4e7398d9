package bot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"knoop/bot"
	"knoop/bot/bottest"
)

func TestZZCharterNumberBypass(t *testing.T) {
	h := bottest.New(t)
	h.Coordinators["coco"] = true
	t.Log(say(t, h, "coco: charter We connect port logistics."))
	t.Log(say(t, h, "mallory: charter 0"))
	t.Log(say(t, h, "anna: charter"))
}

func TestZZCommitGoalYear(t *testing.T) {
	h := bottest.New(t)
	t.Log(say(t, h, "anna: commit draft the goal 2030 roadmap by friday"))
	t.Log(say(t, h, "anna: ik lever het doel 2030 plan voor vrijdag"))
}

func TestZZHelpSize(t *testing.T) {
	h := bottest.New(t)
	r := h.Say("anna", "help")
	for _, b := range r.Blocks {
		_ = b
	}
	items := 0
	n := 0
	for _, b := range r.Blocks {
		if b.Kind == bot.Item {
			items++
			n += len(b.Text) + 3
		}
	}
	t.Logf("help: %d items, %d bytes in one list section", items, n)
	r = h.Say("anna", "hulp")
	n = 0
	for _, b := range r.Blocks {
		if b.Kind == bot.Item {
			n += len(b.Text) + 3
		}
	}
	t.Logf("hulp: %d bytes", n)
}

func TestZZManyCommitmentsBlocks(t *testing.T) {
	h := bottest.New(t)
	for i := 0; i < 30; i++ {
		say(t, h, fmt.Sprintf("anna: commit task %d by friday", i))
		say(t, h, fmt.Sprintf("anna: update %d halfway", i+1))
	}
	r := h.Say("anna", "commitments")
	t.Logf("commitments reply: %d blocks", len(r.Blocks))
	r = h.Say("anna", "export me")
	for _, b := range r.Blocks {
		if b.Kind == bot.Code {
			t.Logf("export code block: %d bytes", len(b.Text))
		}
	}
}

func TestZZConcurrentOrgHint(t *testing.T) {
	h := bottest.New(t)
	h.SayText("zero", "help")
	var wg sync.WaitGroup
	out := make([]string, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := h.Message(fmt.Sprintf("user%d", i), "skills add logistics")
			m.OrgHint = "Brand New Partner BV"
			out[i] = bot.RenderText(h.Bot.Handle(context.Background(), m))
		}()
	}
	wg.Wait()
	for i, o := range out {
		t.Logf("%d: %s", i, o)
	}
}

func TestZZAskDate(t *testing.T) {
	h := bottest.New(t)
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	h.Clock.Set(time.Date(2026, 12, 1, 0, 30, 0, 0, loc))
	say(t, h, "anna: ask who can review our hydrogen case?")
	t.Log(say(t, h, "anna: asks"))
}
