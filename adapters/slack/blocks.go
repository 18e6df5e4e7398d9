package slack

import (
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"knoop/bot"
)

// Action ids on Knoop's buttons. A click on actionRun runs the button's
// value as a command typed by the clicking member; actionInput opens a
// modal that asks for the rest of the command (a new date).
const (
	actionRun   = "knoop_run"
	actionInput = "knoop_input"
)

// maxSectionText is Slack's limit for a section's text.
const maxSectionText = 3000

// escape makes member-written text safe for mrkdwn and for a message's
// notification text: Slack reads only &, < and > specially (mentions,
// broadcasts, links), so with these escaped no text a member wrote becomes
// markup. Every text Knoop sends to Slack goes through it; the only markup
// Knoop adds afterwards is a mention it renders from a member id.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// render turns a platform-neutral reply into Block Kit blocks plus the
// plain-text fallback Slack shows in notifications.
func render(r bot.Reply) ([]slack.Block, string) {
	var blocks []slack.Block
	var list []string
	flush := func() {
		if len(list) == 0 {
			return
		}
		blocks = append(blocks, section(strings.Join(list, "\n")))
		list = nil
	}
	for _, b := range r.Blocks {
		text := escape(b.Text)
		if b.Member != "" && strings.HasPrefix(b.Text, b.Name) {
			// A member of this workspace is shown as a mention.
			text = "<@" + b.Member + ">" + escape(strings.TrimPrefix(b.Text, b.Name))
		}
		switch b.Kind {
		case bot.Heading:
			flush()
			blocks = append(blocks, section("*"+text+"*"))
		case bot.Item:
			list = append(list, "• "+text)
		case bot.Context:
			// A why-line belongs to the item above it: the list is cut
			// there so the context shows right under its item.
			flush()
			blocks = append(blocks, slack.NewContextBlock("", mrkdwn(text)))
		case bot.Code:
			flush()
			// Long code (an export) is split over sections at line ends
			// rather than clipped. Slack reads markup inside code too.
			for _, part := range splitLines(escape(b.Text), maxSectionText-6) {
				blocks = append(blocks, section("```"+part+"```"))
			}
		default:
			flush()
			blocks = append(blocks, section(text))
		}
	}
	flush()
	if len(r.Actions) > 0 {
		var els []slack.BlockElement
		for i, a := range r.Actions {
			id := actionRun + "_" + strconv.Itoa(i)
			if a.NeedsInput {
				id = actionInput + "_" + strconv.Itoa(i)
			}
			btn := slack.NewButtonBlockElement(id, a.Command, slack.NewTextBlockObject(slack.PlainTextType, a.Label, false, false))
			if a.Primary {
				btn = btn.WithStyle(slack.StylePrimary)
			}
			els = append(els, btn)
		}
		blocks = append(blocks, slack.NewActionBlock("knoop_actions", els...))
	}
	return blocks, clip(escape(bot.RenderText(r)))
}

func section(text string) slack.Block {
	return slack.NewSectionBlock(mrkdwn(text), nil, nil)
}

// mrkdwn is a verbatim mrkdwn text object: Slack does not turn bare URLs,
// channel names or @words in it into links or mentions.
func mrkdwn(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, clip(text), false, true)
}

func clip(s string) string {
	if len(s) <= maxSectionText {
		return s
	}
	cut := maxSectionText - 3
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// fromSlack turns the text of a Slack message or slash command into the
// plain text the core reads. Slack's own markup becomes plain words:
// "<@U123>" and "<@U123|anna>" become "@U123" (an id the core resolves
// exactly; the bot's own mention is removed), "<#C1|general>" becomes
// "#general", "<!here>" and the other broadcasts become "@here", a group
// "<!subteam^S1|@team>" becomes "@team", a link "<https://x|label>"
// becomes "label (https://x)". Then &lt;, &gt; and &amp; become the
// characters the member typed. The result is plain text: it is stored as
// such and every renderer escapes it again, so nothing a member typed is
// ever sent back to Slack as markup.
func fromSlack(text, botUserID string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '<')
		if i < 0 {
			b.WriteString(text)
			break
		}
		j := strings.IndexByte(text[i:], '>')
		if j < 0 {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		b.WriteString(plainMarkup(text[i+1:i+j], botUserID))
		text = text[i+j+1:]
	}
	// Slack escapes &, < and > in message text.
	out := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(b.String())
	return strings.TrimSpace(out)
}

// plainMarkup is the plain text for the inside of one "<…>" of Slack
// markup.
func plainMarkup(inner, botUserID string) string {
	target, label, _ := strings.Cut(inner, "|")
	switch {
	case strings.HasPrefix(target, "@"):
		if target[1:] == botUserID {
			return ""
		}
		return target
	case strings.HasPrefix(target, "#"):
		if label != "" {
			return "#" + label
		}
		return target
	case strings.HasPrefix(target, "!subteam^"):
		if label != "" {
			return "@" + strings.TrimPrefix(label, "@")
		}
		return "@" + strings.TrimPrefix(target, "!subteam^")
	case strings.HasPrefix(target, "!"):
		// Broadcasts (!here, !channel, !everyone) and dates
		// (!date^…|fallback): the label, else the word.
		if label != "" {
			return label
		}
		return "@" + strings.TrimPrefix(target, "!")
	case label != "" && label != target && label != strings.TrimPrefix(strings.TrimPrefix(target, "mailto:"), "https://"):
		return label + " (" + target + ")"
	default:
		return strings.TrimPrefix(target, "mailto:")
	}
}

// splitLines cuts s into pieces of at most n bytes, at line ends where it
// can and never inside a UTF-8 sequence.
func splitLines(s string, n int) []string {
	var out []string
	for len(s) > n {
		cut := strings.LastIndexByte(s[:n], '\n')
		if cut <= 0 {
			cut = n
			for cut > 0 && !utf8Start(s[cut]) {
				cut--
			}
		}
		out = append(out, s[:cut])
		s = strings.TrimPrefix(s[cut:], "\n")
	}
	return append(out, s)
}

// maxBlocks is Slack's limit of blocks in one message.
const maxBlocks = 50

// chunks splits blocks into messages of at most maxBlocks.
func chunks(blocks []slack.Block) [][]slack.Block {
	var out [][]slack.Block
	for len(blocks) > maxBlocks {
		out = append(out, blocks[:maxBlocks])
		blocks = blocks[maxBlocks:]
	}
	return append(out, blocks)
}
