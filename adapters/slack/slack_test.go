package slack_test

// Scenario tests: the real bot on a real PostgreSQL schema, the real
// adapter on slack-go, and slackfake in place of Slack. Every wait is a
// wait for a condition (an ack, a recorded call) with a generous timeout.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	goslack "github.com/slack-go/slack"
	"go.uber.org/goleak"

	"knoop/adapters/slack"
	"knoop/adapters/slack/slackfake"
	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
	"knoop/store/storetest"
)

// TestMain fails the package if a test leaves goroutines behind: Run must
// be done with its connection and its work when it returns.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// wait bounds every wait; it is never reached when things work.
const wait = 20 * time.Second

// now is the bot's clock: Friday 27 November 2026, 10:00 in Amsterdam.
var now = func() time.Time {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return time.Date(2026, 11, 27, 10, 0, 0, 0, loc)
}()

// The members of the fake workspace. Eva is a Slack Connect member from
// another organisation's workspace (team T2); Dirk is a coordinator when a
// test makes him one.
var members = []goslack.User{
	user("UANNA", "Anna", slackfake.TeamID),
	user("UBOB", "Bob", slackfake.TeamID),
	user("UCAROL", "Carol", slackfake.TeamID),
	user("UDIRK", "Dirk", slackfake.TeamID),
	user("UEVA", "Eva", "T2"),
}

func user(id, name, team string) goslack.User {
	return goslack.User{
		ID: id, Name: strings.ToLower(name), RealName: name + " Example", TeamID: team,
		TZ: "Europe/Amsterdam", Locale: "en-GB",
		Profile: goslack.UserProfile{DisplayName: name, RealName: name + " Example"},
	}
}

// logBuffer collects the adapter's log; it is shown when a test fails.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// harness is one bot with its own schema, behind one adapter connected to
// one fake Slack.
type harness struct {
	t       *testing.T
	fake    *slackfake.Server
	store   *store.Store
	cancel  context.CancelFunc
	done    chan error
	stopped bool
	trigger int
	adapter *slack.Adapter
	bot     *bot.Bot       // nil when the test brought its own handler
	clock   *bottest.Clock // the bot's clock, at now until a test moves it
	log     *slog.Logger
}

// start runs the adapter until the test ends (or stop). Acks wait for the
// answer (Wait is a minute) unless a configure function says otherwise.
func start(t *testing.T, configure ...func(*slack.Config)) *harness {
	t.Helper()
	return startWith(t, nil, configure...)
}

// startWith is start with handler in place of the bot when it is not nil.
func startWith(t *testing.T, handler bot.Handler, configure ...func(*slack.Config)) *harness {
	t.Helper()
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	st := storetest.Schema(t)
	fake := slackfake.New(t)
	for _, u := range members {
		fake.AddUser(u)
	}
	fake.AddTeam("T2", "Gemeente Den Haag")
	cfg := slack.Config{BotToken: "xoxb-test", AppToken: "xapp-1-test", APIURL: fake.APIURL(), Wait: time.Minute}
	for _, c := range configure {
		c(&cfg)
	}
	a, err := slack.New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	clock := bottest.NewClock(now)
	var b *bot.Bot
	if handler == nil {
		b = bot.New(st, log, bot.WithClock(clock.Now), bot.WithAdapters(a))
		handler = b
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: t, fake: fake, store: st, cancel: cancel, done: make(chan error, 1), adapter: a, bot: b, clock: clock, log: log}
	go func() { h.done <- a.Run(ctx, handler) }()
	t.Cleanup(func() {
		h.stop()
		if t.Failed() {
			t.Logf("adapter log:\n%s", logs)
		}
	})
	fake.WaitConnections(1, wait)
	return h
}

// stop ends the adapter's context and checks that Run returns nil once the
// events in flight are finished.
func (h *harness) stop() {
	h.t.Helper()
	if h.stopped {
		return
	}
	h.stopped = true
	h.cancel()
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("Run = %v, want nil after the context ended", err)
		}
	case <-time.After(wait):
		h.t.Errorf("Run did not return within %v of its context ending", wait)
	}
}

// slash pushes "/knoop text" and returns the envelope id.
func (h *harness) slash(userID, channel, text string) string {
	h.trigger++
	return h.fake.Push("slash_commands", slackfake.SlashCommand(userID, channel, text, fmt.Sprintf("trig-%d", h.trigger)))
}

// slashAnswer pushes "/knoop text" and returns the acknowledgement payload
// (the answer shown to the member).
func (h *harness) slashAnswer(userID, channel, text string) ackPayload {
	h.t.Helper()
	return decodeAck(h.t, h.fake.WaitAck(h.slash(userID, channel, text), wait))
}

// mention pushes "<@UKNOOP> text" in channel and returns the mention's ts.
func (h *harness) mention(eventID, userID, channel, text string) string {
	p := slackfake.AppMention(eventID, userID, channel, "<@"+slackfake.BotUserID+"> "+text, "")
	h.fake.Push("events_api", p)
	return p["event"].(map[string]any)["ts"].(string)
}

// waitPost waits for a chat.postMessage that matches and returns it.
func (h *harness) waitPost(what string, match func(slackfake.Call) bool) slackfake.Call {
	h.t.Helper()
	deadline := time.Now().Add(wait)
	for {
		calls := h.fake.Calls("chat.postMessage")
		for _, c := range calls {
			if c.Status == 200 && match(c) {
				return c
			}
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("no chat.postMessage %s within %v; posts: %s", what, wait, postTexts(calls))
		}
		h.fake.WaitCalls("chat.postMessage", len(calls)+1, time.Until(deadline)+time.Second)
	}
}

// postsIn returns the successful posts to channel.
func (h *harness) postsIn(channel string) []slackfake.Call {
	var out []slackfake.Call
	for _, c := range h.fake.Calls("chat.postMessage") {
		if c.Status == 200 && c.Get("channel") == channel {
			out = append(out, c)
		}
	}
	return out
}

// network is the network of a Slack channel.
func (h *harness) network(channel string) store.Network {
	h.t.Helper()
	n, err := h.store.NetworkForRoom(context.Background(), slack.Platform, channel, store.NetworkDefaults{})
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// commitment reads commitment no of channel's network.
func (h *harness) commitment(channel string, no int64) store.Commitment {
	h.t.Helper()
	c, err := h.store.Commitment(context.Background(), h.network(channel).ID, no)
	if err != nil {
		h.t.Fatalf("commitment %d: %v", no, err)
	}
	return c
}

func postTexts(calls []slackfake.Call) string {
	var b strings.Builder
	for _, c := range calls {
		fmt.Fprintf(&b, "\n  [%d %s thread=%s] %q", c.Status, c.Get("channel"), c.Get("thread_ts"), c.Get("text"))
	}
	return b.String()
}

// ackPayload is a slash command's acknowledgement payload.
type ackPayload struct {
	ResponseType string         `json:"response_type"`
	Text         string         `json:"text"`
	Blocks       goslack.Blocks `json:"blocks"`
}

func decodeAck(t *testing.T, a slackfake.Ack) ackPayload {
	t.Helper()
	var p ackPayload
	if a.Payload == nil {
		t.Fatalf("ack of %s has no payload", a.EnvelopeID)
	}
	if err := json.Unmarshal(a.Payload, &p); err != nil {
		t.Fatalf("ack payload %s: %v", a.Payload, err)
	}
	return p
}

// buttons lists the buttons of the blocks as action id → value.
func buttons(blocks goslack.Blocks) map[string]string {
	out := map[string]string{}
	for _, b := range blocks.BlockSet {
		ab, ok := b.(*goslack.ActionBlock)
		if !ok || ab.Elements == nil {
			continue
		}
		for _, el := range ab.Elements.ElementSet {
			if btn, ok := el.(*goslack.ButtonBlockElement); ok {
				out[btn.ActionID] = btn.Value
			}
		}
	}
	return out
}

func blocksOf(t *testing.T, c slackfake.Call) goslack.Blocks {
	t.Helper()
	b, err := c.Blocks()
	if err != nil {
		t.Fatalf("blocks of %s: %v", c.Method, err)
	}
	return b
}

// Scenario 1: a who-question mentioning the bot in a channel is answered
// in the thread of the mention, the best member first, each with the why.
func TestMentionWhoAnswersInThread(t *testing.T) {
	h := start(t)
	// Anna declares her skills with a slash command in the channel.
	if p := h.slashAnswer("UANNA", "C1", "skills add cold chain, refrigerated transport"); !strings.Contains(p.Text, "cold chain") {
		t.Fatalf("skills add answered %+v", p)
	}
	// Bob declares his in a direct message: every channel and DM of the
	// workspace is one network, so the channel's answer counts them.
	dm := h.fake.DMChannel("UBOB")
	h.fake.Push("events_api", slackfake.DirectMessage("EvBob", "UBOB", dm, "skills add supply chain, logistics"))
	h.waitPost("in Bob's DM", func(c slackfake.Call) bool { return c.Get("channel") == dm })
	if h.network(dm).ID != h.network("C1").ID {
		t.Fatalf("the DM is in network %d, the channel in %d", h.network(dm).ID, h.network("C1").ID)
	}

	ts := h.mention("EvWho", "UCAROL", "C1", "who is good at cold chain?")
	post := h.waitPost("in the mention's thread", func(c slackfake.Call) bool { return c.Get("thread_ts") == ts })
	if post.Get("channel") != "C1" {
		t.Errorf("answer went to %s, want C1", post.Get("channel"))
	}
	blocks := blocksOf(t, post).BlockSet
	var texts []string
	for _, b := range blocks {
		switch b := b.(type) {
		case *goslack.SectionBlock:
			texts = append(texts, "section:"+b.Text.Text)
		case *goslack.ContextBlock:
			for _, el := range b.ContextElements.Elements {
				if tx, ok := el.(*goslack.TextBlockObject); ok {
					texts = append(texts, "context:"+tx.Text)
				}
			}
		default:
			texts = append(texts, "other:"+string(b.BlockType()))
		}
	}
	want := []string{
		"section:*Good at “cold chain”:*",
		"section:• <@UANNA>", // members of the workspace are mentioned
		"context:declared: cold chain, refrigerated transport",
		"section:• <@UBOB>",
		"context:declared: supply chain",
	}
	if len(texts) < len(want) {
		t.Fatalf("answer blocks %q, want %q first", texts, want)
	}
	for i, w := range want {
		if texts[i] != w {
			t.Errorf("block %d = %q, want %q (all: %q)", i, texts[i], w, texts)
		}
	}
	if !strings.Contains(post.Get("text"), "Anna") {
		t.Errorf("fallback text %q lacks Anna", post.Get("text"))
	}
}

// Scenarios 2 and 3: /knoop commit records the commitment in PostgreSQL and
// answers in the channel with Done, Snooze and New date buttons; a click on
// Done marks it done.
func TestCommitSlashThenDoneButton(t *testing.T) {
	h := start(t)
	p := h.slashAnswer("UANNA", "C1", "commit deliver the pilot report by next friday")
	if p.ResponseType != "in_channel" {
		t.Errorf("response_type %q, want in_channel", p.ResponseType)
	}
	if !strings.Contains(p.Text, "#1") || !strings.Contains(p.Text, "deliver the pilot report") {
		t.Errorf("answer text %q", p.Text)
	}
	wantButtons := map[string]string{"knoop_run_0": "done 1", "knoop_run_1": "snooze 1", "knoop_input_2": "due 1"}
	if got := buttons(p.Blocks); fmt.Sprint(got) != fmt.Sprint(wantButtons) {
		t.Errorf("buttons %v, want %v", got, wantButtons)
	}
	c := h.commitment("C1", 1)
	if c.Text != "deliver the pilot report" || c.Due.Format(time.DateOnly) != "2026-12-04" || c.Status != store.StatusOpen || c.OwnerName != "Anna" {
		t.Fatalf("commitment 1 = %+v, want Anna's open pilot report due 2026-12-04", c)
	}
	if n := len(h.fake.Calls("chat.postMessage")); n != 0 {
		t.Errorf("an answer given in the ack was also posted (%d posts)", n)
	}

	// New date asks for the date in a modal; its submission moves the due date.
	h.fake.Push("interactive", slackfake.ButtonClick("UANNA", "C1", slackfake.NewTS(), "knoop_input_2", "due 1", "trig-date"))
	open := h.fake.WaitCalls("views.open", 1, wait)[0]
	var req struct {
		View struct {
			CallbackID      string `json:"callback_id"`
			PrivateMetadata string `json:"private_metadata"`
		} `json:"view"`
	}
	if err := json.Unmarshal(open.Body, &req); err != nil || open.Get("trigger_id") != "trig-date" || req.View.CallbackID != "knoop_date" {
		t.Fatalf("New date opened %s (trigger %q): %v", open.Body, open.Get("trigger_id"), err)
	}
	sub := h.fake.Push("interactive", slackfake.ViewSubmission("UANNA", req.View.CallbackID, req.View.PrivateMetadata,
		map[string]map[string]any{"due": {"due_input": map[string]any{"type": "datepicker", "selected_date": "2026-12-11"}}}))
	h.fake.WaitAck(sub, wait)
	moved := h.waitPost("answering the new date", func(c slackfake.Call) bool { return c.Get("channel") == "C1" })
	if c := h.commitment("C1", 1); c.Due.Format(time.DateOnly) != "2026-12-11" {
		t.Errorf("after New date: due %s, want 2026-12-11 (answer %q)", c.Due.Format(time.DateOnly), moved.Get("text"))
	}

	click := h.fake.Push("interactive", slackfake.ButtonClick("UANNA", "C1", slackfake.NewTS(), "knoop_run_0", "done 1", "trig-done"))
	h.waitPost("answering Done", func(c slackfake.Call) bool {
		return c.Get("channel") == "C1" && c.Get("thread_ts") == "" && strings.Contains(c.Get("text"), "#1 is marked done")
	})
	if a := h.fake.WaitAck(click, wait); a.Payload != nil {
		t.Errorf("a button click was acknowledged with a payload: %s", a.Payload)
	}
	if c := h.commitment("C1", 1); c.Status != store.StatusDone || c.DoneAt.IsZero() {
		t.Errorf("after Done: status %q, done at %v", c.Status, c.DoneAt)
	}
}

// Scenario 4: /knoop commit without text opens the modal (with the
// network's goals); its submission records the commitment.
func TestCommitModal(t *testing.T) {
	h := start(t, func(c *slack.Config) { c.Admins = []string{"UDIRK"} })
	if p := h.slashAnswer("UDIRK", "C1", "goal add Halve empty truck kilometres"); !strings.Contains(p.Text, "Goal 1 added") {
		t.Fatalf("goal add answered %q", p.Text)
	}
	env := h.fake.Push("slash_commands", slackfake.SlashCommand("UANNA", "C1", "commit", "trig-modal"))
	open := h.fake.WaitCalls("views.open", 1, wait)[0]
	if open.Get("trigger_id") != "trig-modal" || open.Status != 200 || open.Response["ok"] != true {
		t.Fatalf("views.open: trigger %q, answer %d %v", open.Get("trigger_id"), open.Status, open.Response)
	}
	if a := h.fake.WaitAck(env, wait); a.Payload != nil {
		t.Errorf("the slash command that opened the modal was acked with %s", a.Payload)
	}
	var req struct {
		View struct {
			CallbackID      string         `json:"callback_id"`
			PrivateMetadata string         `json:"private_metadata"`
			Blocks          goslack.Blocks `json:"blocks"`
		} `json:"view"`
	}
	if err := json.Unmarshal(open.Body, &req); err != nil {
		t.Fatalf("views.open body %s: %v", open.Body, err)
	}
	v := req.View
	if v.CallbackID != "knoop_commit" {
		t.Errorf("callback_id %q", v.CallbackID)
	}
	inputs := map[string]goslack.BlockElement{}
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*goslack.InputBlock); ok {
			inputs[in.BlockID] = in.Element
		}
	}
	if _, ok := inputs["what"].(*goslack.PlainTextInputBlockElement); !ok {
		t.Errorf("no what input: %#v", inputs)
	}
	if _, ok := inputs["due"].(*goslack.DatePickerBlockElement); !ok {
		t.Errorf("no due date picker: %#v", inputs)
	}
	sel, ok := inputs["goal"].(*goslack.SelectBlockElement)
	if !ok || len(sel.Options) != 1 || sel.Options[0].Value != "1" || !strings.Contains(sel.Options[0].Text.Text, "Halve empty truck") {
		t.Fatalf("goal select %#v", inputs["goal"])
	}

	sub := h.fake.Push("interactive", slackfake.ViewSubmission("UANNA", v.CallbackID, v.PrivateMetadata, map[string]map[string]any{
		"what": {"what_input": slackfake.TextInput("route plan")},
		"due":  {"due_input": map[string]any{"type": "datepicker", "selected_date": "2026-12-18"}},
		"goal": {"goal_input": slackfake.SelectedOption("1")},
	}))
	if a := h.fake.WaitAck(sub, wait); a.Payload != nil {
		t.Errorf("submission acked with %s, want an empty ack (closes the modal)", a.Payload)
	}
	post := h.waitPost("answering the modal", func(c slackfake.Call) bool { return c.Get("channel") == "C1" })
	if !strings.Contains(post.Get("text"), "#1") || !strings.Contains(post.Get("text"), "route plan") {
		t.Errorf("modal answered %q", post.Get("text"))
	}
	c := h.commitment("C1", 1)
	if c.Text != "route plan" || c.GoalNo != 1 || c.Due.Format(time.DateOnly) != "2026-12-18" || c.OwnerName != "Anna" {
		t.Errorf("commitment from the modal = %+v, want route plan for goal 1 due 2026-12-18", c)
	}
}

// Scenario 5: a direct message is answered in the DM; a bot's message and
// a message with a subtype (an edit) are not questions.
func TestDirectMessages(t *testing.T) {
	h := start(t)
	dm := h.fake.DMChannel("UBOB")
	botMsg := slackfake.DirectMessage("EvBotMsg", "UBOB", dm, "skills add bot things")
	botMsg["event"].(map[string]any)["bot_id"] = "B999"
	edit := slackfake.DirectMessage("EvEdit", "UBOB", dm, "skills add edited things")
	edit["event"].(map[string]any)["subtype"] = "message_changed"
	envs := []string{
		h.fake.Push("events_api", botMsg),
		h.fake.Push("events_api", edit),
		h.fake.Push("events_api", slackfake.DirectMessage("EvDM", "UBOB", dm, "skills add logistics")),
	}
	// Acks come after the work, so once all three are in, all three were handled.
	for _, e := range envs {
		h.fake.WaitAck(e, wait)
	}
	posts := h.fake.Calls("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("want one answer, got %d:%s", len(posts), postTexts(posts))
	}
	if posts[0].Get("channel") != dm || posts[0].Get("thread_ts") != "" || !strings.Contains(posts[0].Get("text"), "Added to your skills: logistics") {
		t.Errorf("DM answered with%s", postTexts(posts))
	}
	skills, err := h.store.Skills(context.Background(), h.member(dm, "UBOB").ID)
	if err != nil || len(skills) != 1 || skills[0].Name != "logistics" {
		t.Errorf("Bob's skills = %+v, %v", skills, err)
	}
}

// member reads a member of channel's network.
func (h *harness) member(channel, userID string) store.Member {
	h.t.Helper()
	m, err := h.store.EnsureMember(context.Background(), h.network(channel).ID, slack.Platform, userID, "")
	if err != nil {
		h.t.Fatal(err)
	}
	return m
}

// Scenario 8: a 429 from chat.postMessage is waited out and the answer
// still posted.
func TestRateLimitedPostIsRetried(t *testing.T) {
	h := start(t)
	h.fake.FailNext("chat.postMessage", 429, 1)
	ts := h.mention("EvRate", "UCAROL", "C1", "goals")
	calls := h.fake.WaitCalls("chat.postMessage", 2, wait)
	if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status != 200 {
		t.Fatalf("calls %s, want a 429 then a 200", postTexts(calls))
	}
	if calls[1].Get("thread_ts") != ts || calls[1].Get("channel") != "C1" || calls[1].Get("text") != calls[0].Get("text") {
		t.Errorf("the retry differs from the first try:%s", postTexts(calls))
	}
}

// Scenario 9: a Slack Connect member from another organisation's workspace
// gets that workspace's name as their organisation.
func TestSlackConnectOrganisation(t *testing.T) {
	h := start(t)
	ts := h.mention("EvEva", "UEVA", "C1", "profile")
	post := h.waitPost("answering Eva", func(c slackfake.Call) bool { return c.Get("thread_ts") == ts })
	if !strings.HasPrefix(post.Get("text"), "Eva — Gemeente Den Haag") {
		t.Errorf("profile answered %q", post.Get("text"))
	}
	if m := h.member("C1", "UEVA"); m.OrgName != "Gemeente Den Haag" || m.DisplayName != "Eva" || m.Timezone != "Europe/Amsterdam" {
		t.Errorf("Eva in the store: %+v", m)
	}
	if calls := h.fake.Calls("team.info"); len(calls) != 1 || calls[0].Get("team") != "T2" {
		t.Errorf("team.info calls %+v, want one for T2", calls)
	}
	// A member of the bot's own workspace gets no organisation from Slack.
	ts = h.mention("EvAnna", "UANNA", "C1", "profile")
	h.waitPost("answering Anna", func(c slackfake.Call) bool { return c.Get("thread_ts") == ts })
	if m := h.member("C1", "UANNA"); m.OrgName != "" {
		t.Errorf("Anna got organisation %q", m.OrgName)
	}
}

// Scenario 10: a configured admin is a coordinator; others are told only
// coordinators may add goals.
func TestCoordinatorsFromAdmins(t *testing.T) {
	h := start(t, func(c *slack.Config) { c.Admins = []string{"UDIRK"} })
	if p := h.slashAnswer("UANNA", "C1", "goal add Zero empty trucks"); !strings.Contains(p.Text, "Only coordinators") {
		t.Errorf("a member adding a goal was answered %q", p.Text)
	}
	if p := h.slashAnswer("UDIRK", "C1", "goal add Halve empty truck kilometres"); !strings.Contains(p.Text, "Goal 1 added: Halve empty truck kilometres") {
		t.Errorf("the admin adding a goal was answered %q", p.Text)
	}
	goals, err := h.store.Goals(context.Background(), h.network("C1").ID, now)
	if err != nil || len(goals) != 1 || goals[0].Text != "Halve empty truck kilometres" {
		t.Errorf("goals = %+v, %v", goals, err)
	}
	// Showing a goal is for everyone.
	if p := h.slashAnswer("UANNA", "C1", "goal 1"); !strings.Contains(p.Text, "Halve empty truck kilometres") {
		t.Errorf("goal 1 answered %q", p.Text)
	}
}

// A server error is retried with backoff.
func TestServerErrorIsRetried(t *testing.T) {
	h := start(t)
	h.fake.FailNext("chat.postMessage", 503, 0)
	h.mention("Ev503", "UCAROL", "C1", "goals")
	calls := h.fake.WaitCalls("chat.postMessage", 2, wait)
	if len(calls) != 2 || calls[0].Status != 503 || calls[1].Status != 200 {
		t.Fatalf("calls %s, want a 503 then a 200", postTexts(calls))
	}
}

// A malformed envelope is skipped (and acknowledged, so Slack does not
// send it again); the next one is answered as usual.
func TestMalformedEnvelopeIsSkipped(t *testing.T) {
	h := start(t)
	for _, bad := range []any{"garbage", map[string]any{"type": "event_callback", "event": "oops"}, []int{1, 2}} {
		id := h.fake.Push("events_api", bad)
		h.fake.WaitAck(id, wait)
	}
	ts := h.mention("EvAfterBad", "UCAROL", "C1", "goals")
	h.waitPost("the answer after malformed envelopes", func(c slackfake.Call) bool { return c.Get("thread_ts") == ts })
	if n := len(h.fake.Calls("chat.postMessage")); n != 1 {
		t.Fatalf("%d posts, want only the answer to the good envelope", n)
	}
}

// A personal view asked with a mention in a channel is shown to the asker
// only: an export never lands in the channel.
func TestPrivateAnswerToMentionIsEphemeral(t *testing.T) {
	h := start(t)
	h.mention("EvExport", "UCAROL", "C1", "export me")
	calls := h.fake.WaitCalls("chat.postEphemeral", 1, wait)
	if calls[0].Get("user") != "UCAROL" || calls[0].Get("channel") != "C1" {
		t.Errorf("ephemeral to %s in %s", calls[0].Get("user"), calls[0].Get("channel"))
	}
	if n := len(h.fake.Calls("chat.postMessage")); n != 0 {
		t.Fatalf("the export was posted to the channel (%d posts)", n)
	}
}

// Slack Connect users of another workspace are guests by default: they
// may ask and commit, are never coordinators, and network-wide lists they
// ask for in a shared channel are shown to them only. "ignore" leaves
// them unanswered and unstored; "member" serves them like everyone.
func TestSlackConnectGuests(t *testing.T) {
	h := start(t, func(c *slack.Config) { c.Admins = []string{"UEVA"} })
	if p := h.slashAnswer("UANNA", "C1", "commit the route plan by 2026-12-20"); !strings.Contains(p.Text, "Recorded") {
		t.Fatalf("member's commit answered %q", p.Text)
	}
	for _, line := range []string{"commitments all", "who logistics", "goals", "profile <@UANNA>"} {
		if p := h.slashAnswer("UEVA", "C1", line); p.ResponseType != "ephemeral" {
			t.Errorf("guest's %q shown to the channel (%s): %q", line, p.ResponseType, p.Text)
		}
	}
	h.mention("EvGuestList", "UEVA", "C1", "commitments all")
	calls := h.fake.WaitCalls("chat.postEphemeral", 1, wait)
	if calls[0].Get("user") != "UEVA" || !strings.Contains(calls[0].Get("text"), "route plan") {
		t.Errorf("guest's list: ephemeral to %s: %q", calls[0].Get("user"), calls[0].Get("text"))
	}
	if p := h.slashAnswer("UEVA", "C1", "commit check the data by 2026-12-21"); !strings.Contains(p.Text, "Recorded") {
		t.Errorf("guest's commit answered %q", p.Text)
	}
	if p := h.slashAnswer("UEVA", "C1", "goal add Den Haag decides"); !strings.Contains(p.Text, "Only coordinators") {
		t.Errorf("a guest listed as admin added a goal: %q", p.Text)
	}
	for _, c := range h.fake.Calls("chat.postMessage") {
		if strings.Contains(c.Get("text"), "route plan") {
			t.Errorf("a list went to the channel: %q", c.Get("text"))
		}
	}
	h.stop()

	ig := start(t, func(c *slack.Config) { c.External = slack.ExternalIgnore })
	if a := ig.fake.WaitAck(ig.slash("UEVA", "C1", "skills add lobbying"), wait); a.Payload != nil {
		t.Errorf("ignored user answered %s", a.Payload)
	}
	ig.slashAnswer("UANNA", "C1", "skills") // answered after Eva's was taken
	var n int
	if err := ig.store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM members WHERE platform_user_id = 'UEVA'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("ignored user stored: %d rows, %v", n, err)
	}
	ig.stop()

	mem := start(t, func(c *slack.Config) { c.External = slack.ExternalMember })
	if p := mem.slashAnswer("UEVA", "C1", "goals"); p.ResponseType == "ephemeral" {
		t.Errorf("external member's goals made private: %q", p.Text)
	}
}

// In a Slack Connect channel, where another organisation reads along,
// network-wide lists are shown to the asker only, also for members, and no
// digest is scheduled; an ordinary channel is unchanged.
func TestSharedChannelsGetNoNetworkWideLists(t *testing.T) {
	h := start(t, func(c *slack.Config) { c.Admins = []string{"UANNA"} })
	h.fake.AddChannel(goslack.Channel{GroupConversation: goslack.GroupConversation{
		Conversation: goslack.Conversation{ID: "CSHARED", IsExtShared: true}, Name: "greenport-shared"}})
	h.slashAnswer("UANNA", "C1", "commit the route plan by 2026-12-20")
	if p := h.slashAnswer("UANNA", "CSHARED", "commitments all"); p.ResponseType != "ephemeral" || !strings.Contains(p.Text, "route plan") {
		t.Errorf("list in a shared channel: %s %q", p.ResponseType, p.Text)
	}
	if p := h.slashAnswer("UANNA", "C1", "commitments all"); p.ResponseType != "in_channel" {
		t.Errorf("list in an own channel: %s %q", p.ResponseType, p.Text)
	}
	if p := h.slashAnswer("UANNA", "CSHARED", "digest every monday 09:00"); !strings.Contains(p.Text, "shared with people outside the network") {
		t.Errorf("digest in a shared channel answered %q", p.Text)
	}
	if _, err := h.store.ScheduleFor(context.Background(), slack.Platform, "CSHARED"); err == nil {
		t.Error("a digest was scheduled in a shared channel")
	}
}

// Every answer the core marks private is shown to the asker only when
// asked with a mention in a channel (the Matrix twin of this test is
// TestPrivateRepliesGoToTheDirectRoom).
func TestEveryPrivateAnswerIsEphemeral(t *testing.T) {
	h := start(t)
	h.slashAnswer("UCAROL", "C1", "skills add cold chain")
	h.slashAnswer("UCAROL", "C1", "commit deliver the secret pilot by 2026-12-20")
	lines := []string{"skills", "commitments", "export me", "done", "forget me"}
	for i, line := range lines {
		h.mention(fmt.Sprintf("EvPrivate%d", i), "UCAROL", "C1", line)
		calls := h.fake.WaitCalls("chat.postEphemeral", i+1, wait)
		if c := calls[i]; c.Get("user") != "UCAROL" || c.Get("channel") != "C1" {
			t.Errorf("%s: ephemeral to %s in %s", line, c.Get("user"), c.Get("channel"))
		}
	}
	if posts := h.fake.Calls("chat.postMessage"); len(posts) != 0 {
		t.Fatalf("a private answer was posted to the channel: %s", postTexts(posts))
	}
}
