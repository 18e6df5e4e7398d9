package slackfake

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"
)

// Payload builders: each returns a map that marshals to the JSON Slack sends
// in a Socket Mode envelope's "payload". Change fields by indexing the map,
// e.g. p["event"].(map[string]any)["ts"] = "…".

var hookSeq atomic.Int64

// hookURL is a response_url; Push rewrites it to the fake server.
func hookURL(kind string) string {
	return fmt.Sprintf("https://hooks.slack.com/%s/%s/%d/slackfakehook", kind, TeamID, hookSeq.Add(1))
}

func authorizations() []any {
	return []any{map[string]any{
		"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID,
		"is_bot": true, "is_enterprise_install": false,
	}}
}

// eventCallback wraps an inner event into an events_api payload.
func eventCallback(eventID string, event map[string]any) map[string]any {
	return map[string]any{
		"token":                 "slackfake-verification-token",
		"team_id":               TeamID,
		"context_team_id":       TeamID,
		"api_app_id":            AppID,
		"event":                 event,
		"type":                  "event_callback",
		"event_id":              eventID,
		"event_time":            time.Now().Unix(),
		"authorizations":        authorizations(),
		"is_ext_shared_channel": false,
		"event_context":         "4-slackfake-" + eventID,
	}
}

func clientMsgID() string {
	n := hookSeq.Add(1)
	return fmt.Sprintf("%08x-c1e7-4a5e-8b1d-%012x", n, n)
}

// AppMention is an events_api payload of an app_mention event (a user writes
// "<@UKNOOP> …" in a channel). threadTS "" means not in a thread. The
// message ts is fresh (NewTS).
func AppMention(eventID, user, channel, text, threadTS string) map[string]any {
	ts := NewTS()
	ev := map[string]any{
		"type": "app_mention", "user": user, "text": text, "ts": ts, "event_ts": ts,
		"channel": channel, "team": TeamID, "client_msg_id": clientMsgID(),
	}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	return eventCallback(eventID, ev)
}

// DirectMessage is an events_api payload of a message.im event: user writes
// text in the bot's DM channel.
func DirectMessage(eventID, user, channel, text string) map[string]any {
	ts := NewTS()
	return eventCallback(eventID, map[string]any{
		"type": "message", "channel_type": "im", "user": user, "text": text,
		"ts": ts, "event_ts": ts, "channel": channel, "team": TeamID,
		"client_msg_id": clientMsgID(),
	})
}

func channelName(channel string) string {
	if strings.HasPrefix(channel, "D") {
		return "directmessage"
	}
	return strings.ToLower(channel)
}

// SlashCommand is a slash_commands payload of "/knoop text". Its
// response_url points to the fake once pushed.
func SlashCommand(user, channel, text, triggerID string) map[string]any {
	return map[string]any{
		"token":                 "slackfake-verification-token",
		"team_id":               TeamID,
		"team_domain":           TeamDomain,
		"channel_id":            channel,
		"channel_name":          channelName(channel),
		"user_id":               user,
		"user_name":             strings.ToLower(user),
		"command":               "/knoop",
		"text":                  text,
		"api_app_id":            AppID,
		"is_enterprise_install": false,
		"response_url":          hookURL("commands"),
		"trigger_id":            triggerID,
	}
}

func userObject(user string) map[string]any {
	return map[string]any{"id": user, "username": strings.ToLower(user), "name": strings.ToLower(user), "team_id": TeamID}
}

// ButtonClick is an interactive block_actions payload: user clicks a button
// (action_id actionID, value value, block_id "actions") on the bot message
// messageTS in channel.
func ButtonClick(user, channel, messageTS, actionID, value, triggerID string) map[string]any {
	return map[string]any{
		"type":                  "block_actions",
		"user":                  userObject(user),
		"api_app_id":            AppID,
		"token":                 "slackfake-verification-token",
		"container":             map[string]any{"type": "message", "message_ts": messageTS, "channel_id": channel, "is_ephemeral": false},
		"trigger_id":            triggerID,
		"team":                  map[string]any{"id": TeamID, "domain": TeamDomain},
		"enterprise":            nil,
		"is_enterprise_install": false,
		"channel":               map[string]any{"id": channel, "name": channelName(channel)},
		"message": map[string]any{
			"type": "message", "user": BotUserID, "bot_id": BotID, "app_id": AppID,
			"team": TeamID, "ts": messageTS, "text": "",
		},
		"state":        map[string]any{"values": map[string]any{}},
		"response_url": hookURL("actions"),
		"actions": []any{map[string]any{
			// block_id must be present: slack-go parses actions without one as attachment actions.
			"action_id": actionID, "block_id": "actions", "value": value, "type": "button",
			"text":      map[string]any{"type": "plain_text", "text": value, "emoji": true},
			"action_ts": fmt.Sprintf("%d.%06d", time.Now().Unix(), time.Now().Nanosecond()/1000),
		}},
	}
}

// ViewSubmission is an interactive view_submission payload: user submits the
// modal callbackID with state values[blockID][actionID] (see TextInput,
// SelectedOption). Its view id is "VSUBMITTED"; set p["view"].(map[string]any)["id"]
// to the id views.open returned when it matters.
func ViewSubmission(user, callbackID, privateMetadata string, values map[string]map[string]any) map[string]any {
	if values == nil {
		values = map[string]map[string]any{}
	}
	return map[string]any{
		"type":                  "view_submission",
		"team":                  map[string]any{"id": TeamID, "domain": TeamDomain},
		"user":                  userObject(user),
		"api_app_id":            AppID,
		"token":                 "slackfake-verification-token",
		"trigger_id":            fmt.Sprintf("%d.%d.slackfake", time.Now().UnixNano(), hookSeq.Add(1)),
		"is_enterprise_install": false,
		"enterprise":            nil,
		"response_urls":         []any{},
		"view": map[string]any{
			"id": "VSUBMITTED", "team_id": TeamID, "type": "modal", "blocks": []any{},
			"private_metadata": privateMetadata, "callback_id": callbackID,
			"state":          map[string]any{"values": values},
			"hash":           fmt.Sprintf("%d.slackfake", time.Now().Unix()),
			"title":          map[string]any{"type": "plain_text", "text": "Knoop", "emoji": true},
			"clear_on_close": false, "notify_on_close": false, "close": nil,
			"submit":           map[string]any{"type": "plain_text", "text": "Submit", "emoji": true},
			"previous_view_id": nil, "root_view_id": "VSUBMITTED", "app_id": AppID,
			"external_id": "", "app_installed_team_id": TeamID, "bot_id": BotID,
		},
	}
}

// TextInput is the state value of a plain_text_input holding value.
func TextInput(value string) map[string]any {
	return map[string]any{"type": "plain_text_input", "value": value}
}

// SelectedOption is the state value of a static_select with value chosen.
func SelectedOption(value string) map[string]any {
	return map[string]any{"type": "static_select", "selected_option": map[string]any{
		"text": map[string]any{"type": "plain_text", "text": value, "emoji": true}, "value": value,
	}}
}
