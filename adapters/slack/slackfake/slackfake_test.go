package slackfake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const wait = 5 * time.Second

func newAPI(s *Server) *slack.Client {
	return slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()), slack.OptionAppLevelToken("xapp-1-x"))
}

// runSocket starts a socketmode client; cleanup stops it before the server closes.
func runSocket(t *testing.T, s *Server, opts ...socketmode.Option) *socketmode.Client {
	t.Helper()
	sm := socketmode.New(newAPI(s), opts...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sm.RunContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(wait):
			t.Error("socketmode client did not stop")
		}
	})
	return sm
}

// next returns the next event of type want, skipping others.
func next(t *testing.T, sm *socketmode.Client, want socketmode.EventType) socketmode.Event {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case evt := <-sm.Events:
			if evt.Type == want {
				return evt
			}
			// incoming_error is normal: slack-go reports its own close of the old
			// socket after a disconnect ("use of closed network connection").
			if evt.Type == socketmode.EventTypeErrorBadMessage {
				t.Fatalf("client error while waiting for %s: %+v", want, evt.Data)
			}
		case <-timeout:
			t.Fatalf("no %s event within %v", want, wait)
		}
	}
}

func TestPostMessageRecorded(t *testing.T) {
	s := New(t)
	api := newAPI(s)
	ch, ts, err := api.PostMessage("C1", slack.MsgOptionText("hello", false),
		slack.MsgOptionBlocks(slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "*hi*", false, false), nil, nil)),
		slack.MsgOptionTS("1.000001"))
	if err != nil || ch != "C1" || !strings.HasPrefix(ts, "17") {
		t.Fatalf("PostMessage = %q %q %v", ch, ts, err)
	}
	_, ts2, _ := api.PostMessage("C1", slack.MsgOptionText("again", false))
	if ts2 <= ts {
		t.Errorf("ts not increasing: %s then %s", ts, ts2)
	}
	calls := s.WaitCalls("chat.postMessage", 2, wait)
	c := calls[0]
	if c.Get("text") != "hello" || c.Get("thread_ts") != "1.000001" || c.Token != "xoxb-test" || c.Response["ts"] != ts {
		t.Errorf("call = %+v", c)
	}
	blocks, err := c.Blocks()
	if err != nil || len(blocks.BlockSet) != 1 || blocks.BlockSet[0].(*slack.SectionBlock).Text.Text != "*hi*" {
		t.Errorf("blocks = %+v, %v", blocks, err)
	}
	if _, _, err := api.PostMessage("C1"); err == nil || err.Error() != "no_text" {
		t.Errorf("empty post: %v", err)
	}
	if _, _, err := api.PostMessage("U9", slack.MsgOptionText("dm", false)); err != nil {
		t.Errorf("post to user: %v", err)
	} else if got := s.Calls("chat.postMessage")[3].Response["channel"]; got != s.DMChannel("U9") {
		t.Errorf("post to user went to %v", got)
	}
	if _, err := api.PostEphemeral("C1", "U1", slack.MsgOptionText("psst", false)); err != nil {
		t.Error(err)
	}
	if _, _, _, err := api.UpdateMessage("C1", ts, slack.MsgOptionText("edited", false)); err != nil {
		t.Error(err)
	}
	if _, _, err := api.DeleteMessage("C1", ts); err != nil {
		t.Error(err)
	}
}

func TestUsersTeamsConversations(t *testing.T) {
	s := New(t)
	api := newAPI(s)
	s.AddUser(slack.User{ID: "U1", Name: "alice", RealName: "Alice A", TZ: "Europe/Amsterdam", Locale: "nl-NL",
		TeamID: "T1", Profile: slack.UserProfile{DisplayName: "ali"}})
	u, err := api.GetUserInfo("U1")
	if err != nil || u.Name != "alice" || u.RealName != "Alice A" || u.TZ != "Europe/Amsterdam" ||
		u.Locale != "nl-NL" || u.TeamID != "T1" || u.Profile.DisplayName != "ali" {
		t.Fatalf("GetUserInfo = %+v, %v", u, err)
	}
	if _, err := api.GetUserInfo("U404"); err == nil || err.Error() != "user_not_found" {
		t.Errorf("unknown user: %v", err)
	}
	auth, err := api.AuthTest()
	if err != nil || auth.UserID != BotUserID || auth.BotID != BotID || auth.TeamID != TeamID || auth.User != BotName {
		t.Errorf("AuthTest = %+v, %v", auth, err)
	}
	s.AddTeam("T2", "Other")
	if team, err := api.GetOtherTeamInfo("T2"); err != nil || team.Name != "Other" {
		t.Errorf("team.info = %+v, %v", team, err)
	}
	im, _, already, err := api.OpenConversation(&slack.OpenConversationParameters{Users: []string{"U1"}})
	if err != nil || !strings.HasPrefix(im.ID, "D") || already {
		t.Fatalf("OpenConversation = %+v %v %v", im, already, err)
	}
	info, err := api.GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: im.ID})
	if err != nil || !info.IsIM || info.User != "U1" {
		t.Errorf("conversations.info = %+v, %v", info, err)
	}
	if _, err := slack.New("xapp-1-x", slack.OptionAPIURL(s.APIURL())).AuthTest(); err == nil {
		t.Error("app token accepted for auth.test")
	}
	if _, _, err := api.GetConversations(&slack.GetConversationsParameters{}); err == nil || err.Error() != "unknown_method" {
		t.Errorf("unknown method: %v", err)
	}
	if len(s.Calls("conversations.list")) != 1 {
		t.Error("unknown method not recorded")
	}
}

func TestFailNext(t *testing.T) {
	s := New(t)
	api := newAPI(s)
	s.FailNext("chat.postMessage", http.StatusTooManyRequests, 7)
	_, _, err := api.PostMessage("C1", slack.MsgOptionText("x", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 7*time.Second {
		t.Fatalf("err = %#v", err)
	}
	s.FailNext("chat.postMessage", http.StatusServiceUnavailable, 0)
	_, _, err = api.PostMessage("C1", slack.MsgOptionText("x", false))
	var sc slack.StatusCodeError
	if !errors.As(err, &sc) || sc.Code != 503 {
		t.Fatalf("err = %#v", err)
	}
	s.FailNextError("chat.postMessage", "not_in_channel")
	if _, _, err = api.PostMessage("C1", slack.MsgOptionText("x", false)); err == nil || err.Error() != "not_in_channel" {
		t.Fatalf("err = %v", err)
	}
	if _, _, err = api.PostMessage("C1", slack.MsgOptionText("x", false)); err != nil {
		t.Fatal(err)
	}
	if calls := s.Calls("chat.postMessage"); len(calls) != 4 || calls[0].Status != 429 || calls[3].Status != 200 {
		t.Errorf("calls = %+v", calls)
	}
}

func TestSocketModeRoundTrip(t *testing.T) {
	s := New(t)
	queued := s.Push("events_api", AppMention("Ev1", "U1", "C1", "<@UKNOOP> hi", ""))
	sm := runSocket(t, s)
	next(t, sm, socketmode.EventTypeHello)
	evt := next(t, sm, socketmode.EventTypeEventsAPI)
	if evt.Request.EnvelopeID != queued {
		t.Fatalf("envelope %s, want queued %s", evt.Request.EnvelopeID, queued)
	}
	mention, ok := evt.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.AppMentionEvent)
	if !ok || mention.Text != "<@UKNOOP> hi" || mention.User != "U1" || mention.TimeStamp == "" {
		t.Fatalf("inner event = %#v", evt.Data)
	}
	if err := sm.Ack(*evt.Request, map[string]any{"text": "ok"}); err != nil {
		t.Fatal(err)
	}
	ack := s.WaitAck(queued, wait)
	if string(ack.Payload) != `{"text":"ok"}` {
		t.Errorf("ack payload %s", ack.Payload)
	}
	if c := s.Calls("apps.connections.open"); len(c) != 1 || c[0].Header.Get("Authorization") != "Bearer xapp-1-x" {
		t.Errorf("apps.connections.open calls = %+v", c)
	}

	s.Disconnect("refresh_requested")
	s.WaitConnections(2, wait)
	next(t, sm, socketmode.EventTypeHello)
	id := s.PushRedelivery("events_api", DirectMessage("Ev1", "U1", "D1", "again"), 1)
	evt = next(t, sm, socketmode.EventTypeEventsAPI)
	msg, ok := evt.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
	if !ok || msg.Text != "again" || msg.ChannelType != "im" || evt.Request.RetryAttempt != 1 || evt.Request.EnvelopeID != id {
		t.Fatalf("after reconnect: %#v %#v", evt.Request, evt.Data)
	}
	sm.Ack(*evt.Request)
	if ack := s.WaitAck(id, wait); ack.Payload != nil {
		t.Errorf("empty ack payload = %s", ack.Payload)
	}
	if s.Connections() != 2 {
		t.Errorf("connections = %d", s.Connections())
	}

	s.DropConnection()
	s.WaitConnections(3, wait)
	s.Push("events_api", AppMention("Ev2", "U1", "C1", "third", ""))
	next(t, sm, socketmode.EventTypeEventsAPI)
}

func TestInteractivePayloads(t *testing.T) {
	s := New(t)
	api := newAPI(s)
	sm := runSocket(t, s)
	s.WaitConnections(1, wait)

	s.Push("slash_commands", SlashCommand("U1", "C1", "help me", "trig1"))
	evt := next(t, sm, socketmode.EventTypeSlashCommand)
	cmd := evt.Data.(slack.SlashCommand)
	if cmd.Command != "/knoop" || cmd.Text != "help me" || cmd.UserID != "U1" || !evt.Request.AcceptsResponsePayload ||
		!strings.HasPrefix(cmd.ResponseURL, s.URL()) {
		t.Fatalf("slash command = %+v", cmd)
	}
	modal := slack.ModalViewRequest{Type: slack.VTModal, Title: slack.NewTextBlockObject("plain_text", "Knoop", false, false),
		CallbackID: "cb"}
	view, err := api.OpenView(cmd.TriggerID, modal)
	if err != nil || view.ID == "" || view.CallbackID != "cb" {
		t.Fatalf("OpenView = %+v, %v", view, err)
	}
	if _, err := api.OpenView(cmd.TriggerID, modal); err == nil || err.Error() != "exchanged_trigger_id" {
		t.Errorf("second OpenView: %v", err)
	}
	if v2, err := api.UpdateView(modal, "", view.Hash, view.ID); err != nil || v2.ID != view.ID {
		t.Errorf("UpdateView = %+v, %v", v2, err)
	}
	if err := slack.PostWebhook(cmd.ResponseURL, &slack.WebhookMessage{Text: "later"}); err != nil {
		t.Fatal(err)
	}
	if c := s.WaitCalls("response_url", 1, wait); c[0].Get("text") != "later" {
		t.Errorf("response_url call = %+v", c[0])
	}

	s.Push("interactive", ButtonClick("U1", "C1", "1700000000.000100", "done", "42", "trig2"))
	evt = next(t, sm, socketmode.EventTypeInteractive)
	cb := evt.Data.(slack.InteractionCallback)
	if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) != 1 ||
		cb.ActionCallback.BlockActions[0].ActionID != "done" || cb.ActionCallback.BlockActions[0].Value != "42" ||
		cb.Container.MessageTs != "1700000000.000100" || cb.User.ID != "U1" || cb.Channel.ID != "C1" {
		t.Fatalf("button = %+v", cb)
	}

	s.Push("interactive", ViewSubmission("U1", "cb", "meta", map[string]map[string]any{
		"b1": {"a1": TextInput("typed")}, "b2": {"a2": SelectedOption("opt")},
	}))
	evt = next(t, sm, socketmode.EventTypeInteractive)
	cb = evt.Data.(slack.InteractionCallback)
	vals := cb.View.State.Values
	if cb.Type != slack.InteractionTypeViewSubmission || cb.View.CallbackID != "cb" || cb.View.PrivateMetadata != "meta" ||
		vals["b1"]["a1"].Value != "typed" || vals["b2"]["a2"].SelectedOption.Value != "opt" {
		t.Fatalf("view submission = %+v", cb.View)
	}
	raw, _ := json.Marshal(SlashCommand("U1", "D1", "", ""))
	if !strings.Contains(string(raw), `"channel_name":"directmessage"`) {
		t.Errorf("slash command payload %s", raw)
	}
}

func TestBotTokenRefusedForSocketMode(t *testing.T) {
	s := New(t)
	sm := socketmode.New(slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()), slack.OptionAppLevelToken("xoxb-wrong")))
	done := make(chan error, 1)
	go func() { done <- sm.Run() }()
	go func() {
		for range sm.Events { // drain until Run returns
		}
	}()
	select {
	case err := <-done:
		if err == nil || err.Error() != "invalid_auth" {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(wait):
		t.Fatal("Run did not stop on invalid_auth")
	}
	close(sm.Events)
}

func TestPingsKeepConnectionAlive(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 4 s")
	}
	s := New(t)
	// With a 1.5 s client timeout the fake's 1 s PINGs must keep the connection up.
	sm := runSocket(t, s, socketmode.OptionPingInterval(1500*time.Millisecond))
	next(t, sm, socketmode.EventTypeHello)
	time.Sleep(2 * time.Second)
	if n := s.Connections(); n != 1 {
		t.Fatalf("reconnected despite pings: %d connections", n)
	}
	s.PausePings(true)
	s.WaitConnections(2, wait)
	s.PausePings(false)
	next(t, sm, socketmode.EventTypeHello)
}

func TestPushOrderAndQueue(t *testing.T) {
	s := New(t)
	var ids []string
	push := func(n int) {
		for range n {
			ids = append(ids, s.Push("events_api", DirectMessage(fmt.Sprintf("Ev%d", len(ids)), "U1", "D1", "m")))
		}
	}
	push(20) // queued: no connection yet
	sm := runSocket(t, s)
	s.WaitConnections(1, wait)
	push(20)
	for _, id := range ids {
		evt := next(t, sm, socketmode.EventTypeEventsAPI)
		if evt.Request.EnvelopeID != id {
			t.Fatalf("got %s, want %s", evt.Request.EnvelopeID, id)
		}
		sm.Ack(*evt.Request)
	}
	s.WaitAck(ids[len(ids)-1], wait)
	if len(s.Acks()) != 40 {
		t.Errorf("%d acks", len(s.Acks()))
	}
}

// With several connections open (replicas), envelopes go to them in turn,
// one each; Observe sees every ack and call, also with Retain(false).
func TestPushSpreadsOverConnections(t *testing.T) {
	s := New(t)
	var mu sync.Mutex
	observed := map[string]int{}
	s.Observe(func(c Call) {
		mu.Lock()
		defer mu.Unlock()
		observed[c.Method]++
	}, func(Ack) {
		mu.Lock()
		defer mu.Unlock()
		observed["ack"]++
	})
	a := runSocket(t, s)
	s.WaitConnections(1, wait)
	b := runSocket(t, s)
	s.WaitConnections(2, wait)
	s.Retain(false)
	const n = 10
	for i := range n {
		s.Push("events_api", DirectMessage(fmt.Sprintf("Ev%d", i), "U1", "D1", "m"))
	}
	for _, sm := range []*socketmode.Client{a, b} {
		for range n / 2 {
			sm.Ack(*next(t, sm, socketmode.EventTypeEventsAPI).Request)
		}
	}
	deadline := time.Now().Add(wait)
	for {
		mu.Lock()
		got := observed["ack"]
		mu.Unlock()
		if got == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("observed %d acks, want %d", got, n)
		}
		time.Sleep(10 * time.Millisecond) // polling the observer, not synchronisation
	}
	if len(s.Acks()) != 0 {
		t.Errorf("%d acks kept with Retain(false)", len(s.Acks()))
	}
	mu.Lock()
	defer mu.Unlock()
	if observed["apps.connections.open"] != 2 {
		t.Errorf("observed calls %v", observed)
	}
}
