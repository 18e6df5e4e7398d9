package bot_test

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"knoop/bot"
	"knoop/bot/bottest"
)

// as sends text as a member with the given platform id and display name.
func as(h *bottest.Harness, userID, name, text string) string {
	m := h.Message(userID, text)
	m.UserName = name
	return bot.RenderText(h.Bot.Handle(context.Background(), m))
}

// A mention is an id: a member who renames themself after another
// member's id or name captures nothing.
func TestMentionsResolveByIDBeforeNames(t *testing.T) {
	h := bottest.New(t)
	as(h, "anna", "Anna de Vries", "skills add cold chain")
	as(h, "eve", "anna", "skills add cold chain")    // eve calls herself "anna"
	as(h, "mallory", "U777", "skills add logistics") // mallory takes an id as name
	as(h, "U777", "Bob", "skills add hydrogen")
	contains(t, as(h, "carol", "Carol", "endorse @anna cold chain"), "You endorsed Anna de Vries")
	contains(t, as(h, "carol", "Carol", "endorse <@anna> cold chain"), "already endorsed Anna de Vries")
	contains(t, as(h, "carol", "Carol", "profile @U777"), "Bob", "hydrogen")
	contains(t, as(h, "carol", "Carol", "commit the pilot for @U777"), "Recorded as commitment #1")
	if c, err := h.Store.Commitment(context.Background(), network(t, h).ID, 1); err != nil || c.RecipientName != "Bob" {
		t.Fatalf("commitment for @U777 went to %q (%v), want Bob", c.RecipientName, err)
	}
	lacks(t, as(h, "carol", "Carol", "profile @U777"), "logistics")
	ends, err := h.Store.Endorsements(context.Background(), memberID(t, h, "eve"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ends) != 0 {
		t.Fatalf("the look-alike got endorsements: %+v", ends)
	}
}

// A plain name that fits several members gets a question back, never a
// guess, also when one of them fits it exactly.
func TestPlainNameMatchingSeveralAsks(t *testing.T) {
	h := bottest.New(t)
	as(h, "a1", "Anna de Vries", "skills add cold chain")
	as(h, "a2", "Anna", "skills add hydrogen")
	for _, line := range []string{"profile Anna", "profile @anna", "endorse anna cold chain", "commitments anna"} {
		got := as(h, "carol", "Carol", line)
		contains(t, got, "could be several members", "Anna de Vries", "Anna")
		lacks(t, got, "hydrogen", "You endorsed")
	}
	// The whole name, when only one member has it, is not a guess.
	contains(t, as(h, "carol", "Carol", "profile Anna de Vries"), "cold chain")
}

// Display names and organisation hints from platforms are cleaned like
// typed text (control characters, bidi marks) and capped in length.
func TestNamesFromPlatformsAreCleanedAndCapped(t *testing.T) {
	h := bottest.New(t)
	m := h.Message("eve", "skills add python")
	m.UserName = "Eve\x1b[2J\u202e" + strings.Repeat("e", 500)
	m.OrgHint = "Org\x07\n" + strings.Repeat("o", 500)
	h.Bot.Handle(context.Background(), m)
	eve, err := h.Store.Member(context.Background(), memberID(t, h, "eve"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{eve.DisplayName, eve.OrgName} {
		for _, r := range s {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				t.Fatalf("stored name %q keeps %U", s, r)
			}
		}
	}
	if n := len([]rune(eve.DisplayName)); n > bot.MaxNameLen || !strings.HasPrefix(eve.DisplayName, "Eve") {
		t.Errorf("display name %q (%d runes), want at most %d", eve.DisplayName, n, bot.MaxNameLen)
	}
	if n := len([]rune(eve.OrgName)); n > 100 || !strings.HasPrefix(eve.OrgName, "Org") {
		t.Errorf("organisation %q (%d runes)", eve.OrgName, n)
	}
}

func memberID(t *testing.T, h *bottest.Harness, userID string) int64 {
	t.Helper()
	var id int64
	err := h.Store.Pool().QueryRow(context.Background(),
		`SELECT id FROM members WHERE platform = $1 AND platform_user_id = $2`, h.Platform, userID).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A guest may ask and commit, is never a coordinator, and gets network-wide
// lists only privately when asking in a shared room.
func TestGuestsSeeNetworkWideListsPrivately(t *testing.T) {
	h := bottest.New(t)
	h.Coordinators["coco"] = true
	say(t, h, "coco: goal add Halve empty-truck kilometres", "anna: skills add cold chain", "anna: commit route plan by 2026-12-20")
	guest := func(text string) bot.Reply {
		m := h.Message("gus", text)
		m.Guest, m.Coordinator = true, true // rights claimed by a guest do not count
		return h.Bot.Handle(context.Background(), m)
	}
	for _, line := range []string{"commitments all", "commitments overdue", "commitments @anna", "who cold chain", "asks", "goals", "goal 1", "profile @anna"} {
		if r := guest(line); !r.Private {
			t.Errorf("guest's %q answered in the room: %s", line, bot.RenderText(r))
		}
		if r := h.Say("bob", line); r.Private {
			t.Errorf("member's %q made private", line)
		}
	}
	contains(t, bot.RenderText(guest("commit deliver the data by 2026-12-21")), "Recorded as commitment #2")
	contains(t, bot.RenderText(guest("charter We own this now")), "Only coordinators")
	contains(t, bot.RenderText(guest("goal add Something else")), "Only coordinators")
	m := h.Message("gus", "commitments all")
	m.Guest, m.Direct = true, true
	if r := h.Bot.Handle(context.Background(), m); r.Private || !strings.Contains(bot.RenderText(r), "route plan") {
		t.Errorf("guest's list in a direct message: %+v", r)
	}
}

// In a room guests read along, network-wide lists go to the asker only and
// no digest is scheduled, whoever asks.
func TestSharedRoomsGetNoNetworkWideLists(t *testing.T) {
	h := bottest.New(t)
	h.Coordinators["coco"] = true
	say(t, h, "anna: commit route plan by 2026-12-20")
	shared := func(user, text string) bot.Reply {
		m := h.Message(user, text)
		m.Shared = true
		return h.Bot.Handle(context.Background(), m)
	}
	for _, line := range []string{"commitments all", "who route", "asks", "goals", "profile @anna"} {
		if r := shared("bob", line); !r.Private {
			t.Errorf("%q in a shared room answered to the room: %s", line, bot.RenderText(r))
		}
	}
	if r := shared("anna", "profile"); r.Private {
		t.Errorf("own profile made private")
	}
	for _, line := range []string{"digest every monday 09:00", "digest now"} {
		contains(t, bot.RenderText(shared("coco", line)), "shared with people outside the network")
	}
	if _, err := h.Store.ScheduleFor(context.Background(), h.Platform, h.Room); err == nil {
		t.Fatal("a digest was scheduled in a shared room")
	}
}
