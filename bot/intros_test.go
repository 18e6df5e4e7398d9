package bot_test

import (
	"strings"
	"testing"

	"knoop/bot"
	"knoop/bot/bottest"
)

// introHarness is a harness whose bot sends introductions through a fake
// platform of the harness's name.
func introHarness(t *testing.T, opts ...bot.Option) (*bottest.Harness, *bottest.Adapter) {
	t.Helper()
	h := bottest.New(t)
	a := bottest.NewAdapter(1)
	a.Platform = h.Platform
	h.Bot = bot.New(h.Store, bottest.Logger(t), append([]bot.Option{bot.WithClock(h.Clock.Now), bot.WithAdapters(a)}, opts...)...)
	return h, a
}

// sentTo returns the texts of the messages the bot sent to user, from the
// i-th message sent on.
func sentTo(a *bottest.Adapter, user string, from int) []bot.Reply {
	var out []bot.Reply
	for i, s := range a.Sent() {
		if i >= from && s.To.UserID == user {
			out = append(out, s.Reply)
		}
	}
	return out
}

func TestIntroAcceptEnglish(t *testing.T) {
	h, a := introHarness(t)
	say(t, h,
		"anna: org Port of Rotterdam",
		"anna: skills add cold chain",
		"bram: org TU Delft",
	)
	who := say(t, h, "bram: who is good at cold chain?")
	contains(t, who, "Anna", "[Introduce me to Anna: intro 1]")

	got := say(t, h, "bram: intro 1 we are piloting reefer containers")
	contains(t, got, "I've asked Anna (Port of Rotterdam)", "“cold chain”")
	dm := sentTo(a, "anna", 0)
	if len(dm) != 1 {
		t.Fatalf("anna got %d messages, want 1: %+v", len(dm), a.Sent())
	}
	req := bot.RenderText(dm[0])
	contains(t, req, "Bram (TU Delft) would like to be introduced to you about “cold chain”",
		"Their note: “we are piloting reefer containers”", "Why I suggested you: declared: cold chain",
		"[Accept: intro accept ", "[Not now: intro notnow ")
	if !dm[0].Private {
		t.Error("the request is not private")
	}
	accept := dm[0].Actions[0].Command

	// Only the expert answers; to anyone else the request does not exist.
	contains(t, say(t, h, "carla: "+accept), "couldn't find")
	contains(t, say(t, h, "bram: "+accept), "couldn't find")

	contains(t, say(t, h, "anna: "+accept), "opened a conversation for you and Bram")
	for _, who := range []string{"anna", "bram"} {
		got := sentTo(a, who, 1)
		if len(got) != 1 {
			t.Fatalf("%s got %d introductions, want 1", who, len(got))
		}
		contains(t, bot.RenderText(got[0]), "Introduction: Bram (TU Delft), meet Anna (Port of Rotterdam)", "about “cold chain”")
	}
	contains(t, say(t, h, "anna: "+accept), "already been answered")
	contains(t, say(t, h, "bram: intros"), "you → Anna (Port of Rotterdam) about “cold chain”: accepted")
	contains(t, say(t, h, "anna: intros"), "Bram (TU Delft) → you about “cold chain”: accepted")
	lacks(t, say(t, h, "carla: intros"), "Bram", "Anna")
}

func TestIntroNotNowOffersTheNextMemberDutch(t *testing.T) {
	h, a := introHarness(t)
	say(t, h,
		"anna: vaardigheden toevoegen koelketen",
		"bob: vaardigheden toevoegen koelketen, koelketenlogistiek",
		"carla: vaardigheden toevoegen koelketen",
		"dave: afwezig tot 2027-01-10",
		"dave: vaardigheden toevoegen koelketen",
		"bram: org TU Delft",
	)
	who := say(t, h, "bram: wie is goed in koelketen?")
	contains(t, who, "[Stel me voor aan")
	lacks(t, who, "Stel me voor aan Dave") // away: never offered
	lines := strings.Split(who, "\n")
	var order []string
	for _, l := range lines {
		if strings.HasPrefix(l, "• ") {
			order = append(order, strings.Fields(strings.TrimPrefix(l, "• "))[0])
		}
	}
	if len(order) < 3 {
		t.Fatalf("answer lists %v", order)
	}
	first := strings.ToLower(order[0])
	contains(t, say(t, h, "bram: voorstellen 1"), "Ik heb "+order[0])
	contains(t, say(t, h, "bram: voorstellen 1"), "al om een introductie")
	dm := sentTo(a, first, 0)
	if len(dm) != 1 {
		t.Fatalf("%s got %d messages", first, len(dm))
	}
	contains(t, bot.RenderText(dm[0]), "wil graag aan je voorgesteld worden", "[Graag: voorstellen accepteer ", "[Nu even niet: voorstellen nietnu ")
	n := len(a.Sent())
	contains(t, say(t, h, first+": "+dm[0].Actions[1].Command), "vriendelijk laten weten")
	told := sentTo(a, "bram", n)
	if len(told) != 1 {
		t.Fatalf("bram was told %d times", len(told))
	}
	text := bot.RenderText(told[0])
	contains(t, text, order[0]+" kan op dit moment geen introductie", "Volgende in het antwoord: "+order[1], "[Stel me voor aan "+order[1]+": voorstellen 1]")
	lacks(t, text, "Dave")
	// "voorstellen 1" now means the member offered next.
	contains(t, say(t, h, "bram: voorstellen 1"), "Ik heb "+order[1])
	contains(t, say(t, h, "bram: introducties"), "nu even niet", "wacht op antwoord")
}

func TestIntroByNameOffAndWeeklyLimit(t *testing.T) {
	h, a := introHarness(t, bot.WithIntroLimit(2))
	say(t, h, "anna: skills add cold chain", "anna: intros off")
	contains(t, say(t, h, "bram: intro @anna cold chain: quick question"), "Anna isn't taking introductions")
	if len(a.Sent()) != 0 {
		t.Fatalf("sent %+v to an expert with intros off", a.Sent())
	}
	lacks(t, say(t, h, "bram: who is good at cold chain?"), "Introduce me")
	say(t, h, "anna: intros on")
	contains(t, say(t, h, "bram: intro @anna cold chain"), "I've asked Anna")
	contains(t, say(t, h, "carla: intro @anna cold chain"), "I've asked Anna")
	contains(t, say(t, h, "dave: intro @anna cold chain"), "several introduction requests open this week")
	contains(t, say(t, h, "bram: intro @bram cold chain"), "That's you")
	contains(t, say(t, h, "bram: intro 7"), "listed 1 members")
	contains(t, say(t, h, "erik: intro 1"), "Ask `who <topic>` first")
	contains(t, say(t, h, "bram: intro @anna"), "Usage")
	if got := len(sentTo(a, "anna", 0)); got != 2 {
		t.Fatalf("anna got %d requests, want 2", got)
	}
}

// Without a way to reach the expert nothing is recorded.
func TestIntroUnreachableRecordsNothing(t *testing.T) {
	h := bottest.New(t)
	say(t, h, "anna: skills add cold chain")
	contains(t, say(t, h, "bram: intro @anna cold chain"), "can't reach Anna")
	contains(t, say(t, h, "bram: intros"), "no introductions yet")
}

// "export me" lists a member's introductions; "forget me" removes them
// for both people.
func TestIntroExportAndForget(t *testing.T) {
	h, a := introHarness(t)
	say(t, h, "anna: skills add cold chain", "bram: intro @anna cold chain: reefer pilot")
	_, doc := exportDoc(t, h, "bram")
	got, _ := doc["introductions"].([]any)
	if len(got) != 1 {
		t.Fatalf("bram's export has introductions %v", doc["introductions"])
	}
	x := got[0].(map[string]any)
	if x["role"] != "asked" || x["with"] != "Anna" || x["topic"] != "cold chain" || x["note"] != "reefer pilot" || x["status"] != "asked" {
		t.Fatalf("exported introduction %v", x)
	}
	_, doc = exportDoc(t, h, "anna")
	if got, _ := doc["introductions"].([]any); len(got) != 1 || got[0].(map[string]any)["role"] != "expert" {
		t.Fatalf("anna's export has introductions %v", doc["introductions"])
	}
	accept := sentTo(a, "anna", 0)[0].Actions[0].Command
	say(t, h, "bram: forget me confirm")
	contains(t, say(t, h, "anna: intros"), "no introductions yet")
	contains(t, say(t, h, "anna: "+accept), "couldn't find")
}
