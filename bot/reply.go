package bot

import (
	"strings"
)

// BlockKind says how a block of a reply is shown.
type BlockKind int

const (
	// Text is an ordinary paragraph.
	Text BlockKind = iota
	// Heading is a short title line.
	Heading
	// Item is one entry of a list.
	Item
	// Context is a small explanatory line under the item before it (the why).
	Context
	// Code is preformatted text (JSON exports).
	Code
)

// Block is one part of a reply. Text is plain text: adapters escape it for
// their markup, so member-written text is never interpreted.
type Block struct {
	Kind BlockKind
	Text string
	// Member is set when Text starts with a member's display name and the
	// member is on the platform of the conversation: Member is their
	// platform user id, Name the name Text starts with. Adapters may show a
	// mention (<@U…> on Slack, a pill on Matrix) in place of the name.
	Member, Name string
}

// Action is a one-click follow-up offered with a reply. A click runs
// Command as the member who clicked, exactly as if they had typed it.
// NeedsInput actions (a new date) are completed by the member: adapters
// with forms ask for the rest, others show Command as a hint to type.
type Action struct {
	Label      string
	Command    string
	Primary    bool
	NeedsInput bool
}

// Reply is what the core answers, independent of any platform.
type Reply struct {
	Lang    string
	Blocks  []Block
	Actions []Action
	// Private replies are personal views, shown only to the asker where the
	// platform can (Slack ephemeral messages).
	Private bool
	// Commitment is the short number of the commitment this reply is about,
	// so adapters can accept reactions (✅, ⏰) on it.
	Commitment int64
}

// IsZero reports whether there is nothing to send.
func (r Reply) IsZero() bool { return len(r.Blocks) == 0 && len(r.Actions) == 0 }

func (r *Reply) add(kind BlockKind, text string) {
	r.Blocks = append(r.Blocks, Block{Kind: kind, Text: text})
}

// RenderText renders a reply as plain text, for the console and as the
// fallback body on platforms with rich formatting.
func RenderText(r Reply) string {
	var b strings.Builder
	for i, bl := range r.Blocks {
		if i > 0 {
			b.WriteByte('\n')
		}
		switch bl.Kind {
		case Heading:
			b.WriteString(bl.Text)
		case Item:
			b.WriteString("• ")
			b.WriteString(bl.Text)
		case Context:
			b.WriteString("    ")
			b.WriteString(bl.Text)
		default:
			b.WriteString(bl.Text)
		}
	}
	if len(r.Actions) > 0 {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		for i, a := range r.Actions {
			if i > 0 {
				b.WriteString("  ")
			}
			cmd := a.Command
			if a.NeedsInput {
				cmd += " …"
			}
			b.WriteString("[" + a.Label + ": " + cmd + "]")
		}
	}
	return b.String()
}
