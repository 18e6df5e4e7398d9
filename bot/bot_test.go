package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
)

// say runs lines as users ("alice: skills add x") and returns the last
// reply's text.
func say(t *testing.T, h *bottest.Harness, lines ...string) string {
	t.Helper()
	var last string
	for _, l := range lines {
		user, text, ok := strings.Cut(l, ": ")
		if !ok {
			t.Fatalf("bad script line %q", l)
		}
		last = h.SayText(user, text)
	}
	return last
}

func contains(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("reply lacks %q:\n%s", w, got)
		}
	}
}

func lacks(t *testing.T, got string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			t.Errorf("reply has %q:\n%s", w, got)
		}
	}
}

func network(t *testing.T, h *bottest.Harness) store.Network {
	t.Helper()
	n, err := h.Store.NetworkForRoom(context.Background(), h.Platform, h.Room, store.NetworkDefaults{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWhoRanksDeliveryFirst(t *testing.T) {
	h := bottest.New(t)
	say(t, h,
		"alice: org Havenbedrijf Rotterdam",
		"alice: skills add logistiek, koelketen",
		"bob: organisatie TU Delft",
		"bob: skills add logistics",
	)
	got := say(t, h, "carol: who is good at logistics?")
	contains(t, got, "Alice — Havenbedrijf Rotterdam", "Bob — TU Delft", "declared: logistics")
	got = say(t, h, "bob: ik lever het logistiek routeplan voor volgende week vrijdag")
	contains(t, got, "#1", "logistiek routeplan", "vr 4 dec 2026")
	say(t, h, "bob: klaar 1 staat op de schijf")
	got = say(t, h, "carol: wie is er goed in logistiek?")
	if strings.Index(got, "Bob") > strings.Index(got, "Alice") {
		t.Fatalf("bob delivered and should be listed first:\n%s", got)
	}
	contains(t, got, "leverde “lever het logistiek routeplan” (nov 2026)", "Organisaties sterk hierin:")
}

func TestWhoNobodyOffersOpenAsk(t *testing.T) {
	h := bottest.New(t)
	r := h.Say("anna", "does anyone know about LNG bunkering?")
	got := bot.RenderText(r)
	contains(t, got, "nobody", "LNG bunkering")
	if len(r.Actions) != 1 || !strings.HasPrefix(r.Actions[0].Command, "ask ") {
		t.Fatalf("want one ask action, got %+v", r.Actions)
	}
	got = h.SayText("anna", r.Actions[0].Command)
	contains(t, got, "Open ask #1", "LNG bunkering")
	contains(t, h.SayText("bob", "vragen"), "#1", "LNG bunkering", "Anna")
	nl := h.SayText("anna", "wie weet er iets van kernfusie?")
	contains(t, nl, "niemand", "kernfusie")
}

func TestAwayMemberIsMarked(t *testing.T) {
	h := bottest.New(t)
	say(t, h, "anna: skills add subsidies", "anna: away until 24 december")
	contains(t, say(t, h, "bob: who subsidies"), "Anna (away until Thu 24 Dec 2026)")
	contains(t, say(t, h, "anna: back"), "Welcome back")
	lacks(t, say(t, h, "bob: who subsidies"), "away until")
	contains(t, say(t, h, "anna: away until someday"), "can't read “someday” as a date")
	contains(t, say(t, h, "anna: afwezig tot 2020-01-01"), "wo 1 jan 2020 is al voorbij")
}

func TestCommitWithDateGoalAndRecipient(t *testing.T) {
	h := bottest.New(t)
	h.Coordinators["coco"] = true
	say(t, h, "coco: goal add Halve empty-truck kilometres", "coco: goal add Second goal", "bob: skills add planning")
	r := h.Say("anna", "commit deliver the pilot report to @bob by next friday for goal 2")
	got := bot.RenderText(r)
	contains(t, got, "Recorded as commitment #1", "deliver the pilot report", "due Fri 4 Dec 2026", "goal 2")
	if r.Commitment != 1 || len(r.Actions) != 3 || r.Actions[0].Command != "done 1" || r.Actions[1].Command != "snooze 1" {
		t.Fatalf("commitment reply actions: %+v", r)
	}
	n := network(t, h)
	c, err := h.Store.Commitment(context.Background(), n.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if c.GoalNo != 2 || c.RecipientName != "Bob" || c.Due.Format(time.DateOnly) != "2026-12-04" || c.Text != "deliver the pilot report" {
		t.Fatalf("stored commitment %+v", c)
	}
	got = say(t, h, "anna: toezeggen businesscase opleveren voor 15-12-2026")
	contains(t, got, "toezegging #2", "businesscase opleveren", "di 15 dec 2026")
	contains(t, say(t, h, "anna: commit write memo for goal 9"), "no goal 9")
	contains(t, say(t, h, "anna: commit write memo by 2020-01-01"), "Wed 1 Jan 2020 has already passed")
	contains(t, say(t, h, "anna: commit"), "What do you commit to?")
	contains(t, say(t, h, "anna: commit write the memo"), "No due date", "due 3 <date>")
}

func TestCommitmentLifecycle(t *testing.T) {
	h := bottest.New(t)
	say(t, h, "anna: commit route plan by 2026-12-01")
	contains(t, say(t, h, "anna: update 1 halfway, waiting for data"), "Progress on #1 noted")
	contains(t, say(t, h, "anna: snooze 1"), "#1 is now due Tue 8 Dec 2026")
	contains(t, say(t, h, "anna: datum 1 eind december"), "do 31 dec 2026")
	contains(t, say(t, h, "anna: due 1 someday"), "can't read")
	contains(t, say(t, h, "anna: commitments"), "#1 route plan", "due Thu 31 Dec 2026", "“halfway, waiting for data”")
	contains(t, say(t, h, "anna: done"), "Which commitment?", "#1 route plan")
	contains(t, say(t, h, "anna: done 1 shipped"), "marked done")
	contains(t, say(t, h, "anna: drop 1"), "already closed")
	contains(t, say(t, h, "anna: done 99"), "no commitment #99")
	hist, err := h.Store.History(context.Background(), mustCommitment(t, h, 1).ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []string{}
	for _, u := range hist {
		kinds = append(kinds, u.Kind)
	}
	if got := strings.Join(kinds, ","); got != "created,update,due,due,done" {
		t.Fatalf("history %s", got)
	}
}

func mustCommitment(t *testing.T, h *bottest.Harness, no int64) store.Commitment {
	t.Helper()
	c, err := h.Store.Commitment(context.Background(), network(t, h).ID, no)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOverdueAndGoalViews(t *testing.T) {
	h := bottest.New(t)
	h.Coordinators["coco"] = true
	say(t, h, "coco: goal add Shared data platform", "anna: org Gemeente Den Haag",
		"anna: commit data inventory by monday for goal 1", "bob: commit API design by 2026-12-20 for goal 1")
	h.Clock.Advance(5 * 24 * time.Hour) // Wednesday 2 December
	got := say(t, h, "coco: commitments overdue")
	contains(t, got, "#1 data inventory", "Anna (Gemeente Den Haag)", "overdue since Mon 30 Nov 2026")
	lacks(t, got, "API design")
	contains(t, say(t, h, "coco: toezeggingen doel 1"), "#1 data inventory", "#2 API design")
	contains(t, say(t, h, "coco: commitments @bob"), "Commitments of Bob", "API design")
	say(t, h, "bob: done 2")
	got = say(t, h, "coco: goals")
	contains(t, got, "1. Shared data platform", "▓▓▓▓▓░░░░░ 1/2 delivered", "1 overdue", "Gemeente Den Haag")
	contains(t, say(t, h, "coco: doel 1"), "doel 1: Shared data platform")
}

func TestCoordinatorsOnly(t *testing.T) {
	h := bottest.New(t)
	h.Coordinators["coco"] = true
	contains(t, say(t, h, "anna: goal add Something"), "Only coordinators")
	contains(t, say(t, h, "anna: handvest Wij verbinden havens"), "Alleen coördinatoren")
	contains(t, say(t, h, "anna: goals"), "No goals yet")
	contains(t, say(t, h, "anna: charter"), "no charter yet")
	say(t, h, "coco: charter We connect port logistics and horticulture.")
	contains(t, say(t, h, "anna: charter"), "We connect port logistics and horticulture.")
}

func TestSomeoneElsesCommitmentIsUntouched(t *testing.T) {
	h := bottest.New(t)
	say(t, h, "anna: commit the report by friday")
	for _, line := range []string{"done 1", "drop 1", "update 1 hijacked", "snooze 1", "due 1 2027-01-01", "klaar 1"} {
		got := h.SayText("mallory", line)
		if !strings.Contains(got, "not yours") && !strings.Contains(got, "niet van jou") {
			t.Errorf("%q by someone else: %s", line, got)
		}
	}
	c := mustCommitment(t, h, 1)
	if c.Status != store.StatusOpen || c.Due.Format(time.DateOnly) != "2026-12-04" || c.LastNote != "" {
		t.Fatalf("commitment changed by someone else: %+v", c)
	}
}

func TestEndorse(t *testing.T) {
	h := bottest.New(t)
	say(t, h, "anna: skills add cold chain", "bob: org TU Delft")
	contains(t, say(t, h, "bob: endorse @anna cold chain"), "You endorsed Anna for cold chain.")
	contains(t, say(t, h, "bob: endorse @anna cold chain"), "already endorsed")
	contains(t, say(t, h, "bob: endorse @bob cold chain"), "can't endorse yourself")
	contains(t, say(t, h, "bob: endorse @nobody cold chain"), "don't know a member called @nobody")
	contains(t, say(t, h, "bob: endorse @anna"), "Usage")
	// A delivery to the endorser makes an endorsement count double.
	say(t, h, "carol: org Kwekerij Westland", "anna: commit temperature log for @carol", "anna: done 1")
	contains(t, say(t, h, "carol: aanbevelen @anna koelketen"), "telt dubbel")
	contains(t, say(t, h, "dave: profile @anna"), "Endorsed for:", "cold chain (Bob)", "koelketen (Carol) ✓")
	contains(t, say(t, h, "dave: who cold chain"), "endorsed by 2")
}

func TestSkillsCommands(t *testing.T) {
	h := bottest.New(t)
	contains(t, say(t, h, "anna: skills"), "not declared any skills")
	contains(t, say(t, h, "anna: skills add logistics, Cold Chain, logistics"), "Added to your skills: logistics, Cold Chain")
	contains(t, say(t, h, "anna: skills add cold chain"), "already declared")
	contains(t, say(t, h, "anna: vaardigheden verwijderen cold chain"), "Verwijderd uit je vaardigheden: Cold Chain")
	contains(t, say(t, h, "anna: skills remove welding"), "had not declared welding")
	contains(t, say(t, h, "anna: skills add "+strings.Repeat("x", 81)), "at most 80 characters")
	contains(t, say(t, h, "anna: skills"), "Your skills: logistics")
	r := h.Say("anna", "skills")
	if !r.Private {
		t.Error("a member's own skills list should be private")
	}
}

func TestLanguageFollowsTheMessage(t *testing.T) {
	h := bottest.New(t)
	for _, c := range []struct{ in, want string }{
		{"help", "What I can do"},
		{"hulp", "Wat ik kan"},
		{"doelen", "Nog geen doelen"},
		{"goals", "No goals yet"},
		{"toezeggingen", "Jouw toezeggingen"},
		{"wie kan subsidies", "Ik vond nog niemand"},
		{"who can subsidies", "I found nobody"},
		{"vaardigheden", "nog geen vaardigheden"},
	} {
		contains(t, h.SayText("anna", c.in), c.want)
	}
	say(t, h, "anna: taal nl")
	contains(t, say(t, h, "anna: 12"), "Typ `hulp`")
}

func TestHelpIsGeneratedFromTheRegistry(t *testing.T) {
	h := bottest.New(t)
	en := h.SayText("anna", "help")
	nl := h.SayText("anna", "hulp")
	for _, c := range bot.Commands() {
		contains(t, en, c.Usage[0], c.Summary[0])
		contains(t, nl, c.Usage[1], c.Summary[1])
		detail := h.SayText("anna", "help "+c.Name)
		for _, ex := range append(c.Examples[0], c.Examples[1]...) {
			contains(t, detail, ex)
		}
	}
	contains(t, h.SayText("anna", "help comit"), "commit <what>")
	contains(t, h.SayText("anna", "help zzzzzz"), "no command `zzzzzz`")
}

func TestUnknownCommandSuggestsNearest(t *testing.T) {
	h := bottest.New(t)
	r := h.Say("anna", "comit the report")
	contains(t, bot.RenderText(r), "Did you mean `commit`?")
	if len(r.Actions) != 1 || r.Actions[0].Command != "help commit" {
		t.Fatalf("actions %+v", r.Actions)
	}
	contains(t, h.SayText("anna", "toezegen iets"), "Bedoel je `toezeggen`?")
	contains(t, h.SayText("anna", "xyzzy plugh"), "I don't know that command")
}

func TestTimezoneAndDates(t *testing.T) {
	h := bottest.New(t)
	// 23:30 in Amsterdam on Friday is still Friday in New York but already
	// Saturday in Auckland: "tomorrow" follows the member's zone.
	h.Clock.Set(time.Date(2026, 11, 27, 23, 30, 0, 0, time.FixedZone("CET", 3600)))
	say(t, h, "ny: timezone America/New_York", "nz: tijdzone Pacific/Auckland")
	contains(t, say(t, h, "ny: commit call the port by tomorrow"), "Sat 28 Nov 2026")
	contains(t, say(t, h, "nz: toezeggen bel de haven voor morgen"), "zo 29 nov 2026")
	contains(t, say(t, h, "ny: timezone Mars/Base"), "don't know the timezone")
	contains(t, say(t, h, "ny: timezone"), "America/New_York")
}

func TestExportAndForget(t *testing.T) {
	h := bottest.New(t)
	say(t, h, "anna: org Gemeente Den Haag", "anna: skills add subsidies", "anna: commit grant application by friday",
		"anna: update 1 draft ready", "bob: endorse @anna subsidies", "anna: endorse @bob planning")
	r := h.Say("anna", "export me")
	if !r.Private || len(r.Blocks) != 2 || r.Blocks[1].Kind != bot.Code {
		t.Fatalf("export reply shape: %+v", r)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.Blocks[1].Text), &doc); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	for _, want := range []string{`"organisation": "Gemeente Den Haag"`, `"subsidies"`, `"grant application"`, `"draft ready"`, `"by": "Bob"`} {
		contains(t, r.Blocks[1].Text, want)
	}
	contains(t, say(t, h, "anna: forget me"), "forget me confirm")
	contains(t, say(t, h, "anna: forget me confirm"), "personal data is deleted")
	got := say(t, h, "bob: commitments all")
	contains(t, got, "#1 grant application — a former member")
	lacks(t, got, "Anna")
	lacks(t, say(t, h, "bob: who subsidies"), "Anna")
	contains(t, say(t, h, "bob: profile"), "Bob")
	lacks(t, say(t, h, "bob: profile"), "planning (Anna)")
	// Anna speaking again is a new member with nothing of the old one.
	contains(t, say(t, h, "anna: skills"), "not declared any skills")
}

func TestBadInputChangesNothing(t *testing.T) {
	h := bottest.New(t)
	say(t, h, "anna: skills add logistics")
	before := snapshot(t, h)
	for _, in := range []string{
		"", "   ", "\x00\x00\x00", strings.Repeat("a", 100*1024), "skills add " + strings.Repeat("ß", 60*1024),
		"\xff\xfe\xfd", "🙂🙂🙂", "unknowncommand with args", "done 1", "done abc", "drop -5", "update 99999999999999999999 x",
		"endorse", "profile @ghost", "commitments @ghost", "due 1", "timezone ../../etc/passwd", "goal add x",
		"help " + strings.Repeat("z", 3000), "org", "away", "<script>alert(1)</script>",
	} {
		r := h.Say("mallory", in)
		if r.IsZero() {
			t.Errorf("no reply to %.40q", in)
		}
		txt := bot.RenderText(r)
		if strings.Contains(txt, "panic") || strings.Contains(txt, "goroutine") || strings.Contains(txt, "SQLSTATE") {
			t.Errorf("internal detail leaked for %.40q: %s", in, txt)
		}
	}
	if after := snapshot(t, h); after != before {
		t.Fatalf("bad input changed state:\nbefore %s\nafter  %s", before, after)
	}
	contains(t, h.SayText("mallory", strings.Repeat("a", 100*1024)), "too long")
}

func TestInjectionStringsAreStoredLiterally(t *testing.T) {
	h := bottest.New(t)
	evil := `Robert'); DROP TABLE members;--`
	// Lists split on commas only, so a semicolon stays part of the skill.
	contains(t, say(t, h, "anna: skills add "+evil), "Added to your skills: "+evil)
	contains(t, say(t, h, "anna: org '; DELETE FROM organisations; --"), "'; DELETE FROM organisations; --")
	contains(t, say(t, h, "bob: who robert drop table"), "Anna")
	contains(t, say(t, h, "bob: who %' OR 1=1 --"), "nobody")
	contains(t, say(t, h, "anna: skills"), evil)
}

// snapshot is a fingerprint of everything members can change.
func snapshot(t *testing.T, h *bottest.Harness) string {
	t.Helper()
	var out string
	err := h.Store.Pool().QueryRow(context.Background(), `SELECT concat_ws('|',
		(SELECT count(*) FROM members WHERE display_name <> 'Mallory'), (SELECT count(*) FROM skills),
		(SELECT count(*) FROM organisations), (SELECT count(*) FROM commitments), (SELECT count(*) FROM goals),
		(SELECT count(*) FROM endorsements), (SELECT count(*) FROM asks), (SELECT count(*) FROM evidence),
		(SELECT count(*) FROM member_terms), (SELECT count(*) FROM commitment_updates),
		(SELECT coalesce(string_agg(coalesce(timezone,'') || coalesce(away_until::text,'') || coalesce(org_id::text,''), ','), '') FROM members WHERE display_name <> 'Mallory'))`).Scan(&out)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestConcurrentCommitsAreAllKept(t *testing.T) {
	h := bottest.New(t)
	const n = 40
	var wg sync.WaitGroup
	replies := make([]bot.Reply, n)
	for i := range n {
		wg.Go(func() {
			replies[i] = h.Say(fmt.Sprintf("member%d", i%7), fmt.Sprintf("commit deliverable %d by 2026-12-31", i))
		})
	}
	wg.Wait()
	seen := map[int64]bool{}
	for i, r := range replies {
		if r.Commitment == 0 || seen[r.Commitment] {
			t.Fatalf("reply %d: commitment number %d (duplicate or missing): %s", i, r.Commitment, bot.RenderText(r))
		}
		seen[r.Commitment] = true
	}
	for no := int64(1); no <= n; no++ {
		if !seen[no] {
			t.Fatalf("commitment numbers are not 1..%d: missing %d", n, no)
		}
		mustCommitment(t, h, no)
	}
}

func TestWhoAnswerCarriesMemberIDsForMentions(t *testing.T) {
	h := bottest.New(t)
	say(t, h, "anna: skills add hydrogen")
	r := h.Say("bob", "who hydrogen")
	var found bool
	for _, b := range r.Blocks {
		if b.Kind == bot.Item && b.Member == "anna" && b.Name == "Anna" && strings.HasPrefix(b.Text, b.Name) {
			found = true
		}
	}
	if !found {
		t.Fatalf("no item mentions anna: %+v", r.Blocks)
	}
	if p := h.Say("bob", "profile @anna"); p.Blocks[0].Member != "anna" {
		t.Fatalf("profile heading does not carry the member: %+v", p.Blocks[0])
	}
}

func TestReviewFindings(t *testing.T) {
	h := bottest.New(t)
	h.Coordinators["coco"] = true
	say(t, h, "coco: charter We connect port logistics.", "coco: goal add Shared data")
	// A number is not a licence to change the charter.
	contains(t, say(t, h, "anna: charter 0"), "Only coordinators")
	contains(t, say(t, h, "anna: charter"), "We connect port logistics.")
	// "goal 2030" inside the text is text; "for goal 1" is the goal.
	got := say(t, h, "anna: commit draft the goal 2030 roadmap by friday for goal 1")
	contains(t, got, "#1 draft the goal 2030 roadmap", "goal 1")
	contains(t, say(t, h, "anna: ik lever het doel 2030 plan voor vrijdag"), "#2 lever het doel 2030 plan")
	// An unknown recipient does not lose the commitment.
	got = say(t, h, "anna: commit send the report to @nobody by friday")
	contains(t, got, "#3 send the report", "don't know @nobody")
}

func TestConcurrentNewOrganisation(t *testing.T) {
	h := bottest.New(t)
	n := network(t, h)
	var wg sync.WaitGroup
	ids := make([]int64, 8)
	for i := range ids {
		m, err := h.Store.EnsureMember(context.Background(), n.ID, "console", fmt.Sprint("m", i), "")
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = m.ID
	}
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Go(func() { _, errs[i] = h.Store.SetOrganisation(context.Background(), id, "Nieuwe Coöperatie") })
	}
	wg.Wait()
	for i, id := range ids {
		m, err := h.Store.Member(context.Background(), id)
		if errs[i] != nil || err != nil || m.OrgName != "Nieuwe Coöperatie" {
			t.Errorf("member %d: %v %v org %q", i, errs[i], err, m.OrgName)
		}
	}
}
