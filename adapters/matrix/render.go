package matrix

import (
	"html"
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
		text := html.EscapeString(bl.Text)
		if bl.Member != "" && strings.HasPrefix(bl.Text, bl.Name) {
			text = `<a href="https://matrix.to/#/` + html.EscapeString(bl.Member) + `">` + html.EscapeString(bl.Name) + `</a>` +
				html.EscapeString(strings.TrimPrefix(bl.Text, bl.Name))
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
			b.WriteString("<pre><code>" + html.EscapeString(bl.Text) + "</code></pre>")
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
			parts[i] = html.EscapeString(a.Label) + ": <code>" + html.EscapeString(cmd) + "</code>"
		}
		b.WriteString("<p><i>" + strings.Join(parts, " · ") + "</i></p>")
	}
	if r.Commitment != 0 {
		b.WriteString("<p><i>✅ = " + html.EscapeString(doneLabel(r.Lang)) + " · ⏰ = " + html.EscapeString(snoozeLabel(r.Lang)) + "</i></p>")
	}
	return b.String()
}

// renderText is the plain body, for clients without HTML.
func renderText(r bot.Reply) string {
	t := bot.RenderText(r)
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
