// Package bot is Knoop's platform-neutral core: it turns a member's line of
// text into a reply, reading and writing state through the store. Adapters
// (console, Slack, Matrix) bring messages in and render replies out; they
// import this package, never the reverse.
package bot

import "context"

// Message is one line a member addressed to Knoop, as an adapter saw it.
type Message struct {
	Platform string // "console", "slack", "matrix"
	RoomID   string // the room (or direct-message room) it was said in
	// Network groups rooms: a room seen for the first time joins the
	// network of this key (e.g. "team:T123", so every channel and direct
	// message of one Slack workspace is one network). Empty: the room
	// starts a network of its own.
	Network   string
	ThreadID  string // the thread it was said in, if any
	MessageID string // the platform's id for it, if any
	// EventID is the platform's id of the event that carried it, the same
	// on every redelivery (Slack event_id, Matrix event id); HandleEvent
	// answers each once. Empty: not deduplicated.
	EventID  string
	UserID   string // the platform's user id
	UserName string // display name, if the adapter knows it
	Text     string // the text, with the bot's own mention or prefix left in or out
	Direct   bool   // said in a direct-message room
	// Coordinator is set by the adapter from the platform's explicit
	// rights (Slack: configured admins; Matrix: configured users or power
	// level ≥ 50 in the configured coordination rooms), never from rights
	// in a direct room.
	Coordinator bool
	// Guest is set for someone of outside the network's own organisations
	// who may still use Knoop (Slack Connect users of another workspace,
	// Matrix users of servers not allowed as members, when configured as
	// guests): they may ask and commit, are never coordinators, and see
	// network-wide lists (who-answers, everyone's commitments, asks, goals,
	// others' profiles) only in a direct message.
	Guest bool
	// Shared is set for a room where people who are not members of the
	// network can read along (a Slack Connect channel, a Matrix room with
	// people of servers not allowed). Network-wide lists asked there are
	// answered privately, and no digest is scheduled or posted there.
	Shared bool
	// Hints the adapter has about the member, used when a member is first
	// seen or has no preference of their own.
	Timezone string
	Language string
	OrgHint  string
}

// Handler answers messages. Bot is the one implementation; adapters take
// the interface so they can be tested with a trivial handler.
type Handler interface {
	Handle(ctx context.Context, msg Message) Reply
}

// Target says where a message the bot starts itself (a digest, a nudge)
// goes.
type Target struct {
	Platform string
	RoomID   string
	ThreadID string
	UserID   string // set for a direct message to this user
	// Key identifies the message for idempotent delivery: a send retried
	// with the same key may be dropped by platforms that support it
	// (Matrix transaction ids).
	Key string
}

// Adapter is a chat platform. Run receives messages, passes each to h and
// sends h's reply back where the message came from; it blocks until ctx
// ends or the platform fails for good. Send posts a message the bot starts
// itself and may be called from other goroutines while Run runs.
type Adapter interface {
	Name() string
	Run(ctx context.Context, h Handler) error
	Send(ctx context.Context, to Target, r Reply) error
}

// Optional capabilities. The core checks for them with a type assertion and
// falls back to plain Send (and reply words in the text) without them.

// DirectMessenger can open a direct conversation with a user.
type DirectMessenger interface {
	SendDirect(ctx context.Context, platformUserID string, r Reply) error
}

// ActionRenderer shows a Reply's Actions as clickable buttons and turns a
// click back into a Message whose Text is the action's Command.
type ActionRenderer interface {
	RendersActions() bool
}

// Reactor can add a reaction to a message and reports reactions as
// messages (✅ on a commitment message becomes "done N").
type Reactor interface {
	React(ctx context.Context, roomID, messageID, emoji string) error
}

// Poster sends like Send and returns the id of the (first) message
// posted, so follow-ups can go into its thread.
type Poster interface {
	Post(ctx context.Context, to Target, r Reply) (messageID string, err error)
}

// Threader can post into a thread of an earlier message.
type Threader interface {
	SendInThread(ctx context.Context, to Target, r Reply) error
}

// ConversationOpener can start one conversation with several users (a
// Slack group direct message, a new Matrix room inviting them) titled
// title where the platform shows titles, and post r there.
type ConversationOpener interface {
	OpenConversation(ctx context.Context, title string, platformUserIDs []string, r Reply) error
}
