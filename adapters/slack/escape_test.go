package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"knoop/bot"
)

// knoopMember is the one member id the fuzz replies name: the only Slack
// markup allowed in the output is Knoop's own mention of it.
const knoopMember = "UKNOWN1"

// markupOf returns every piece of Slack control markup ("<…>") in the
// texts Slack interprets: the notification text and every mrkdwn text
// object in the blocks.
func markupOf(t testing.TB, blocks any, text string) []string {
	t.Helper()
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	texts := []string{text}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "mrkdwn" {
				if s, ok := v["text"].(string); ok {
					texts = append(texts, s)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	var found []string
	for _, s := range texts {
		for {
			i := strings.IndexByte(s, '<')
			if i < 0 {
				break
			}
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				found = append(found, s[i:])
				break
			}
			found = append(found, s[i:i+j+1])
			s = s[i+j+1:]
		}
	}
	return found
}

// verbatimOff lists mrkdwn text objects without verbatim: Slack would
// turn bare URLs, #channel names and @mentions in them into links.
func verbatimOff(t testing.TB, blocks any) int {
	t.Helper()
	raw, _ := json.Marshal(blocks)
	var doc any
	_ = json.Unmarshal(raw, &doc)
	n := 0
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "mrkdwn" && v["verbatim"] != true {
				n++
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	return n
}

// FuzzRenderNoMemberMarkup feeds member-written text (as typed, and as it
// arrives from Slack through fromSlack) into every kind of block, as a
// member name and as an action label. Whatever it is, the rendered message
// carries no broadcast (<!channel>, <!here>, <!everyone>), user or group
// mention (<@U…>, <!subteam^…>) or link (<https://…|…>) except the one
// mention Knoop rendered itself from a member id.
func FuzzRenderNoMemberMarkup(f *testing.F) {
	for _, s := range []string{
		"<!channel>", "<!here>", "<!everyone>", "<!subteam^S123|@team>",
		"<@U999>", "<@U999|anna>", "<#C123|general>",
		"<https://evil.example|Your session expired>", "&lt;!channel&gt;",
		"&lt;https://evil.example|log in&gt;", "a < b > c & d", "<<!here>>",
		"Anna <!here>", "```<!channel>```", "*<!here>*", "&amp;lt;!here&amp;gt;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, member := range []string{s, fromSlack(s, "UKNOOP")} {
			r := bot.Reply{
				Blocks: []bot.Block{
					{Kind: bot.Heading, Text: member},
					{Kind: bot.Item, Text: member + " — Port", Member: knoopMember, Name: member},
					{Kind: bot.Item, Text: "• " + member},
					{Kind: bot.Context, Text: "“" + member + "”"},
					{Kind: bot.Code, Text: `{"text": "` + member + `"}`},
					{Kind: bot.Text, Text: member},
				},
				Actions: []bot.Action{{Label: member, Command: "done 1"}},
			}
			blocks, text := render(r)
			for _, m := range markupOf(t, blocks, text) {
				if m != "<@"+knoopMember+">" {
					t.Fatalf("member text %q rendered as markup %q", member, m)
				}
			}
			if n := verbatimOff(t, blocks); n > 0 {
				t.Fatalf("%d mrkdwn texts without verbatim", n)
			}
		}
	})
}
