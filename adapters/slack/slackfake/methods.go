package slackfake

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
)

// handlers answer the Web API methods; each returns the JSON reply.
var handlers = map[string]func(*Server, *Call) map[string]any{
	"auth.test":             (*Server).authTest,
	"apps.connections.open": (*Server).appsConnectionsOpen,
	"chat.postMessage":      (*Server).chatPostMessage,
	"chat.postEphemeral":    (*Server).chatPostEphemeral,
	"chat.update":           (*Server).chatUpdate,
	"chat.delete":           (*Server).chatDelete,
	"views.open":            (*Server).viewsOpen,
	"views.push":            (*Server).viewsOpen,
	"views.update":          (*Server).viewsUpdate,
	"views.publish":         (*Server).viewsPublish,
	"users.info":            (*Server).usersInfo,
	"team.info":             (*Server).teamInfo,
	"conversations.open":    (*Server).conversationsOpen,
	"conversations.info":    (*Server).conversationsInfo,
}

var tsSeq atomic.Int64

// NewTS returns a fresh message timestamp such as "1700000000.000100". It is
// process-wide and strictly increasing, shared by the server's posts and the
// payload builders, so every message of a test run has a distinct, ordered ts.
func NewTS() string {
	micro := tsSeq.Add(1) * 100
	return fmt.Sprintf("%d.%06d", 1700000000+micro/1e6, micro%1e6)
}

func (s *Server) authTest(*Call) map[string]any {
	s.mu.Lock()
	team := s.teams[TeamID]
	s.mu.Unlock()
	return ok("url", "https://"+team.Domain+".slack.com/", "team", team.Name, "user", BotName,
		"team_id", TeamID, "user_id", BotUserID, "bot_id", BotID, "is_enterprise_install", false)
}

func (s *Server) appsConnectionsOpen(*Call) map[string]any {
	return ok("url", "ws://"+s.srv.Listener.Addr().String()+"/link/?ticket="+s.newTicket())
}

// message builds the message object Slack returns for a bot post.
func message(c *Call, ts string) map[string]any {
	m := map[string]any{"type": "message", "user": BotUserID, "bot_id": BotID, "app_id": AppID,
		"team": TeamID, "text": c.Get("text"), "ts": ts}
	if b := c.raw("blocks"); b != "" {
		m["blocks"] = json.RawMessage(b)
	}
	if th := c.Get("thread_ts"); th != "" {
		m["thread_ts"] = th
	}
	return m
}

// checkContent applies Slack's argument checks for a message's content.
func checkContent(c *Call) string {
	text, blocks := c.Get("text"), c.raw("blocks")
	if text == "" && blocks == "" && c.raw("attachments") == "" {
		return "no_text"
	}
	if len(text) > 40000 {
		return "msg_too_long"
	}
	if blocks != "" {
		return validateBlocks(blocks)
	}
	return ""
}

func (s *Server) chatPostMessage(c *Call) map[string]any {
	ch := c.Get("channel")
	if ch == "" {
		return fail("channel_not_found")
	}
	if code := checkContent(c); code != "" {
		return fail(code)
	}
	if strings.HasPrefix(ch, "U") || strings.HasPrefix(ch, "W") {
		ch, _ = s.openConversation([]string{ch}) // posting to a user id posts in the DM
	}
	ts := NewTS()
	return ok("channel", ch, "ts", ts, "message", message(c, ts))
}

func (s *Server) chatPostEphemeral(c *Call) map[string]any {
	if c.Get("channel") == "" {
		return fail("channel_not_found")
	}
	if c.Get("user") == "" {
		return fail("user_not_found")
	}
	if code := checkContent(c); code != "" {
		return fail(code)
	}
	return ok("message_ts", NewTS())
}

func (s *Server) chatUpdate(c *Call) map[string]any {
	ch, ts := c.Get("channel"), c.Get("ts")
	if ch == "" {
		return fail("channel_not_found")
	}
	if ts == "" {
		return fail("message_not_found")
	}
	if code := checkContent(c); code != "" {
		return fail(code)
	}
	return ok("channel", ch, "ts", ts, "text", c.Get("text"), "message", message(c, ts))
}

func (s *Server) chatDelete(c *Call) map[string]any {
	ch, ts := c.Get("channel"), c.Get("ts")
	if ch == "" {
		return fail("channel_not_found")
	}
	if ts == "" {
		return fail("message_not_found")
	}
	return ok("channel", ch, "ts", ts)
}

// validateBlocks applies the Block Kit limits that most often bite a bot.
func validateBlocks(raw string) string {
	var blocks []map[string]any
	if json.Unmarshal([]byte(raw), &blocks) != nil {
		return "invalid_blocks_format"
	}
	if len(blocks) > 50 {
		return "invalid_blocks"
	}
	ids := map[string]bool{}
	for _, b := range blocks {
		typ, _ := b["type"].(string)
		if typ == "" {
			return "invalid_blocks"
		}
		if id, _ := b["block_id"].(string); id != "" {
			if ids[id] || len(id) > 255 {
				return "invalid_blocks"
			}
			ids[id] = true
		}
		text, _ := b["text"].(map[string]any)
		t, _ := text["text"].(string)
		if (typ == "section" && len(t) > 3000) || (typ == "header" && len(t) > 150) {
			return "invalid_blocks"
		}
		if els, _ := b["elements"].([]any); typ == "actions" && len(els) > 25 {
			return "invalid_blocks"
		}
	}
	return ""
}

// useTrigger checks a trigger_id that Push handed out; unknown ids are accepted.
func (s *Server) useTrigger(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	tr, found := s.triggers[id]
	switch {
	case !found:
		return ""
	case tr.used:
		return "exchanged_trigger_id"
	case time.Since(tr.at) > triggerLifetime:
		return "expired_trigger_id"
	}
	tr.used = true
	return ""
}

// storeView completes a view request into the view object Slack returns.
func (s *Server) storeView(req map[string]any, id string) map[string]any {
	v := maps.Clone(req)
	if id == "" {
		id = s.nextID("V")
	}
	v["id"], v["team_id"], v["app_id"], v["bot_id"] = id, TeamID, AppID, BotID
	v["root_view_id"], v["app_installed_team_id"] = id, TeamID
	v["state"] = map[string]any{"values": map[string]any{}}
	v["hash"] = fmt.Sprintf("%d.%s", time.Now().Unix(), s.nextID("h"))
	for _, k := range []string{"private_metadata", "callback_id", "external_id"} {
		if _, has := v[k]; !has {
			v[k] = ""
		}
	}
	if _, has := v["blocks"]; !has {
		v["blocks"] = []any{}
	}
	s.mu.Lock()
	s.views[id] = v
	s.mu.Unlock()
	return v
}

func (s *Server) viewsOpen(c *Call) map[string]any {
	view, _ := c.JSON["view"].(map[string]any)
	if c.Get("trigger_id") == "" || view == nil {
		return fail("invalid_arguments")
	}
	if view["type"] != "modal" || view["title"] == nil {
		return fail("invalid_arguments")
	}
	if code := s.useTrigger(c.Get("trigger_id")); code != "" {
		return fail(code)
	}
	return ok("view", s.storeView(view, ""))
}

func (s *Server) viewsUpdate(c *Call) map[string]any {
	view, _ := c.JSON["view"].(map[string]any)
	id, ext := c.Get("view_id"), c.Get("external_id")
	if view == nil || (id == "" && ext == "") {
		return fail("invalid_arguments")
	}
	s.mu.Lock()
	if id == "" {
		for vid, v := range s.views {
			if v["external_id"] == ext {
				id = vid
			}
		}
	}
	old, known := s.views[id]
	s.mu.Unlock()
	if id == "" {
		return fail("not_found")
	}
	if h := c.Get("hash"); h != "" && known && old["hash"] != h {
		return fail("hash_conflict")
	}
	return ok("view", s.storeView(view, id))
}

func (s *Server) viewsPublish(c *Call) map[string]any {
	view, _ := c.JSON["view"].(map[string]any)
	if view == nil || c.Get("user_id") == "" {
		return fail("invalid_arguments")
	}
	return ok("view", s.storeView(view, ""))
}

func (s *Server) usersInfo(c *Call) map[string]any {
	s.mu.Lock()
	u, found := s.users[c.Get("user")]
	s.mu.Unlock()
	if !found {
		return fail("user_not_found")
	}
	return ok("user", u)
}

func (s *Server) teamInfo(c *Call) map[string]any {
	id := c.Get("team")
	if id == "" {
		id = TeamID
	}
	s.mu.Lock()
	team, found := s.teams[id]
	s.mu.Unlock()
	if !found {
		return fail("team_not_found")
	}
	return ok("team", team)
}

// openConversation returns the DM (one user) or group DM (several) of users,
// creating it on first use; already reports whether it existed.
func (s *Server) openConversation(users []string) (id string, already bool) {
	users = slices.Sorted(slices.Values(users))
	key := strings.Join(users, ",")
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, found := s.ims[key]; found {
		return id, true
	}
	s.seq++
	ch := slack.Channel{}
	ch.Created = slack.JSONTime(time.Now().Unix())
	ch.IsOpen = true
	if len(users) == 1 {
		ch.ID = fmt.Sprintf("D%06d", s.seq)
		ch.IsIM, ch.User = true, users[0]
	} else {
		ch.ID = fmt.Sprintf("G%06d", s.seq)
		ch.IsMpIM, ch.IsPrivate, ch.IsGroup = true, true, true
		ch.Name = "mpdm-" + strings.Join(users, "--") + "-1"
		ch.Members = append(users, BotUserID)
	}
	s.ims[key] = ch.ID
	s.channels[ch.ID] = ch
	return ch.ID, false
}

// DMChannel returns the id of the direct-message conversation between the
// bot and user, the same one conversations.open answers.
func (s *Server) DMChannel(user string) string {
	id, _ := s.openConversation([]string{user})
	return id
}

func (s *Server) conversationsOpen(c *Call) map[string]any {
	if ch := c.Get("channel"); ch != "" {
		return ok("no_op", true, "already_open", true, "channel", map[string]any{"id": ch})
	}
	users := strings.FieldsFunc(c.Get("users"), func(r rune) bool { return r == ',' })
	if len(users) == 0 || len(users) > 8 {
		return fail("users_list_not_supplied")
	}
	id, already := s.openConversation(users)
	var ch any = map[string]any{"id": id}
	if c.Get("return_im") == "true" {
		s.mu.Lock()
		ch = s.channels[id]
		s.mu.Unlock()
	}
	return ok("no_op", already, "already_open", already, "channel", ch)
}

// conversationsInfo answers from AddChannel and conversations.open; other
// ids are made up from their prefix: D… a DM, G… a private channel, else public.
func (s *Server) conversationsInfo(c *Call) map[string]any {
	id := c.Get("channel")
	if id == "" {
		return fail("channel_not_found")
	}
	s.mu.Lock()
	ch, found := s.channels[id]
	s.mu.Unlock()
	if !found {
		ch.ID = id
		ch.Created = slack.JSONTime(1600000000)
		ch.IsMember = true
		switch id[0] {
		case 'D':
			ch.IsIM, ch.IsOpen = true, true
		case 'G':
			ch.IsGroup, ch.IsPrivate = true, true
			ch.Name = strings.ToLower(id)
		default:
			ch.IsChannel = true
			ch.Name = strings.ToLower(id)
		}
		ch.NameNormalized = ch.Name
	}
	return ok("channel", ch)
}
