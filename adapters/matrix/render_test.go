package matrix

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"knoop/bot"
)

// knoopMember is the one member id the fuzz replies name: the only link
// allowed in the output is Knoop's own pill for it.
const knoopMember = "@anna:example.org"

// checkNoMemberMarkup fails when body or formatted_body carries a link,
// a pill or a room ping that Knoop did not render from knoopMember.
func checkNoMemberMarkup(t *testing.T, member, body, formatted string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(formatted))
	if err != nil {
		t.Fatalf("formatted_body does not parse: %v", err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			switch n.Data {
			case "p", "b", "i", "ul", "li", "br", "code", "pre", "html", "head", "body":
			case "a":
				for _, at := range n.Attr {
					if at.Key == "href" && at.Val != "https://matrix.to/#/"+knoopMember {
						t.Fatalf("member text %q rendered as link %q", member, at.Val)
					}
				}
			default:
				t.Fatalf("member text %q rendered as element <%s>", member, n.Data)
			}
		case html.TextNode:
			checkText(t, member, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	checkText(t, member, body)
}

func checkText(t *testing.T, member, s string) {
	t.Helper()
	lower := strings.ToLower(s)
	for _, bad := range []string{"@room", "matrix.to/#/", "matrix.to/#%2f"} {
		if strings.Contains(lower, bad) {
			t.Fatalf("member text %q reaches the message as %q: %q", member, bad, s)
		}
	}
}

// FuzzRenderNoMemberMarkup feeds member-written text into every kind of
// block, as a member name and as an action label. Whatever it is, the
// message carries no HTML element Knoop did not write, no link, no pill
// (a matrix.to permalink, which clients show as one) and no @room except
// the pill Knoop rendered itself from a member id.
func FuzzRenderNoMemberMarkup(f *testing.F) {
	for _, s := range []string{
		"@room", "@ROOM please", `<a href="https://matrix.to/#/@eve:evil.org">Anna</a>`,
		"https://matrix.to/#/@eve:evil.org", "https://MATRIX.TO/#/!room:evil.org",
		"<img src=x onerror=alert(1)>", "<b>bold</b>", "&lt;a href=x&gt;", "a < b & c",
		"<script>alert(1)</script>", "@room@room", "@\u2060room",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, member string) {
		r := bot.Reply{
			Blocks: []bot.Block{
				{Kind: bot.Heading, Text: member},
				{Kind: bot.Item, Text: member + " — Port", Member: knoopMember, Name: member},
				{Kind: bot.Context, Text: "“" + member + "”"},
				{Kind: bot.Code, Text: `{"text": "` + member + `"}`},
				{Kind: bot.Text, Text: member},
			},
			Actions:    []bot.Action{{Label: member, Command: "done 1"}},
			Commitment: 1,
		}
		checkNoMemberMarkup(t, member, renderText(r), renderHTML(r, "!knoop"))
	})
}
