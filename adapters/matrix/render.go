package matrix

import (
	"html"
	"regexp"
	"strings"

	"knoop/bot"
)

// renderHTML turns a platform-neutral reply into the formatted_body of an
// m.notice: paragraphs, bold headings, lists with the why under each item,
// members as pills, and the one-click actions as commands to type (Matrix
// has no buttons; commitment messages also take ✅ and ⏰ reactions).
func renderHTML(r bot.Reply, prefix string) string {
	var b strings.Builder
	inList := false
	closeList := func() {
		if inList {
			b.WriteString("</li></ul>")
			inList = false
		}
	}
	for _, bl := range r.Blocks {
		text := escape(bl.Text)
		if bl.Member != "" && strings.HasPrefix(bl.Text, bl.Name) {
			// The one link Knoop writes: a pill it renders from an id.
			text = `<a href="https://matrix.to/#/` + html.EscapeString(bl.Member) + `">` + escape(bl.Name) + `</a>` +
				escape(strings.TrimPrefix(bl.Text, bl.Name))
		}
		switch bl.Kind {
		case bot.Heading:
			closeList()
			b.WriteString("<p><b>" + text + "</b></p>")
		case bot.Item:
			if inList {
				b.WriteString("</li><li>")
			} else {
				b.WriteString("<ul><li>")
				inList = true
			}
			b.WriteString(text)
		case bot.Context:
			if inList {
				b.WriteString("<br><i>" + text + "</i>")
			} else {
				b.WriteString("<p><i>" + text + "</i></p>")
			}
		case bot.Code:
			closeList()
			b.WriteString("<pre><code>" + escape(bl.Text) + "</code></pre>")
		default:
			closeList()
			b.WriteString("<p>" + text + "</p>")
		}
	}
	closeList()
	if len(r.Actions) > 0 {
		parts := make([]string, len(r.Actions))
		for i, a := range r.Actions {
			cmd := prefix + " " + a.Command
			if a.NeedsInput {
				cmd += " …"
			}
			parts[i] = escape(a.Label) + ": <code>" + escape(cmd) + "</code>"
		}
		b.WriteString("<p><i>" + strings.Join(parts, " · ") + "</i></p>")
	}
	if r.Commitment != 0 {
		b.WriteString("<p><i>✅ = " + html.EscapeString(doneLabel(r.Lang)) + " · ⏰ = " + html.EscapeString(snoozeLabel(r.Lang)) + "</i></p>")
	}
	return b.String()
}

// escape makes text safe for formatted_body: HTML-escaped, and defused.
func escape(s string) string { return html.EscapeString(defuse(s)) }

var (
	roomPingRE  = regexp.MustCompile(`(?i)@(room)`)
	permalinkRE = regexp.MustCompile(`(?i)(matrix)(\.to)`)
)

// defuse keeps text a member wrote from pinging or linking when Knoop
// posts it: "@room" would notify the whole room (legacy push rules read
// the body, and Knoop often holds the power level for it), and a
// matrix.to permalink is shown by clients as a pill. A word joiner
// (U+2060, invisible) breaks both without changing what readers see.
func defuse(s string) string {
	s = roomPingRE.ReplaceAllString(s, "@\u2060$1")
	return permalinkRE.ReplaceAllString(s, "$1\u2060$2")
}

// renderText is the plain body, for clients without HTML.
func renderText(r bot.Reply) string {
	t := defuse(bot.RenderText(r))
	if r.Commitment != 0 {
		t += "\n✅ = " + doneLabel(r.Lang) + " · ⏰ = " + snoozeLabel(r.Lang)
	}
	return t
}

func doneLabel(lang string) string {
	if lang == bot.NL {
		return "klaar"
	}
	return "done"
}

func snoozeLabel(lang string) string {
	if lang == bot.NL {
		return "week uitstellen"
	}
	return "snooze a week"
}
