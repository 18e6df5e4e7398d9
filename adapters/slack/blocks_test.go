package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"knoop/bot"
)

func TestRenderEscapesAndKeepsStructure(t *testing.T) {
	r := bot.Reply{
		Blocks: []bot.Block{
			{Kind: bot.Heading, Text: "Good at “R&D <tools>”:"},
			{Kind: bot.Item, Text: "Anna — Havenbedrijf <Rotterdam>"},
			{Kind: bot.Context, Text: "declared: koelketen · delivered “pilot” (Oct 2026)"},
			{Kind: bot.Item, Text: "Bob — TU Delft"},
			{Kind: bot.Text, Text: "<!channel> hi @here"},
		},
		Actions: []bot.Action{{Label: "Done", Command: "done 12", Primary: true}, {Label: "New date", Command: "due 12", NeedsInput: true}},
	}
	blocks, fallback := render(r)
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	js := string(raw)
	for _, want := range []string{
		`"type":"section"`, `"type":"context"`, `"type":"actions"`,
		`*Good at “R\u0026amp;D \u0026lt;tools\u0026gt;”:*`, // escaped, then bold
		`Havenbedrijf \u0026lt;Rotterdam\u0026gt;`,
		`\u0026lt;!channel\u0026gt;`, // never a real @channel
		`"action_id":"knoop_run_0"`, `"value":"done 12"`, `"style":"primary"`,
		`"action_id":"knoop_input_1"`, `"value":"due 12"`,
	} {
		if !strings.Contains(js, want) {
			t.Errorf("blocks lack %s:\n%s", want, js)
		}
	}
	if len(blocks) != 6 { // heading, item, context, item, text, actions
		t.Errorf("got %d blocks, want 6: %s", len(blocks), js)
	}
	// The notification text is escaped like the blocks.
	if !strings.Contains(fallback, "Anna — Havenbedrijf &lt;Rotterdam&gt;") || !strings.Contains(fallback, "&lt;!channel&gt;") {
		t.Errorf("fallback text %q", fallback)
	}
	long, _ := render(bot.Reply{Blocks: []bot.Block{{Text: strings.Repeat("é", 5000)}}})
	raw, _ = json.Marshal(long)
	if len(raw) > 7000 {
		t.Errorf("a 5000-character text was not clipped to Slack's 3000")
	}
}

func TestFromSlack(t *testing.T) {
	for in, want := range map[string]string{
		"<@UKNOOP> who is good at cold chain?":    "who is good at cold chain?",
		"<@UKNOOP|knoop> wie kan subsidies":       "wie kan subsidies",
		"endorse <@U123|anna> cold chain":         "endorse @U123 cold chain",
		"skills add R&amp;D, &lt;b&gt;":           "skills add R&D, <b>",
		"<@UKNOOP>":                               "",
		"broken <@U1":                             "broken <@U1",
		"commit pilot for <@U777> by next friday": "commit pilot for @U777 by next friday",
		// Slack's own markup becomes plain words, never stored as markup.
		"ask <!here> who knows <#C1|general>":             "ask @here who knows #general",
		"who <!subteam^S12|@logistics> <!channel>":        "who @logistics @channel",
		"see <https://example.org/x|the plan>":            "see the plan (https://example.org/x)",
		"see <https://example.org>":                       "see https://example.org",
		"typed &lt;!channel&gt; &amp;lt; literally":       "typed <!channel> &lt; literally",
		"mail <mailto:anna@example.org|anna@example.org>": "mail anna@example.org",
	} {
		if got := fromSlack(in, "UKNOOP"); got != want {
			t.Errorf("fromSlack(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRenderMentionsMembers(t *testing.T) {
	blocks, _ := render(bot.Reply{Blocks: []bot.Block{
		{Kind: bot.Item, Text: "Anna <dV> — Port", Member: "U123", Name: "Anna <dV>"},
		{Kind: bot.Item, Text: "Bob — TU Delft"},
	}})
	raw, _ := json.Marshal(blocks)
	js := string(raw)
	if !strings.Contains(js, `\u003c@U123\u003e — Port`) || strings.Contains(js, "Anna") {
		t.Errorf("member not shown as a mention: %s", js)
	}
	if !strings.Contains(js, "• Bob — TU Delft") {
		t.Errorf("plain item changed: %s", js)
	}
}

func TestRecentForgetsOldIDs(t *testing.T) {
	var r recent
	if !r.first("a") || r.first("a") || !r.first("b") {
		t.Fatal("first sighting not reported once")
	}
	r.ids["a"] = r.ids["a"].Add(-2 * recentTTL)
	r.swept = r.swept.Add(-recentTTL)
	if !r.first("c") || len(r.ids) != 2 {
		t.Fatalf("old id kept: %v", r.ids)
	}
	if !r.first("a") {
		t.Fatal("an id older than the TTL should count as new")
	}
}

func TestLongRepliesAreSplitNotLost(t *testing.T) {
	var r bot.Reply
	for i := range 40 {
		r.Blocks = append(r.Blocks, bot.Block{Kind: bot.Item, Text: "commitment " + strings.Repeat("x", i)},
			bot.Block{Kind: bot.Context, Text: "note"})
	}
	blocks, _ := render(r)
	parts := chunks(blocks)
	if len(blocks) != 80 || len(parts) != 2 || len(parts[0]) != 50 || len(parts[1]) != 30 {
		t.Fatalf("%d blocks in %d parts", len(blocks), len(parts))
	}
	doc := strings.Repeat(`{"no": 12, "text": "grant application é"}`+"\n", 300) // about 13 KB
	blocks, _ = render(bot.Reply{Blocks: []bot.Block{{Kind: bot.Code, Text: doc}}})
	var joined strings.Builder
	for _, b := range blocks {
		raw, _ := json.Marshal(b)
		var s struct{ Text struct{ Text string } }
		_ = json.Unmarshal(raw, &s)
		if len(s.Text.Text) > maxSectionText {
			t.Fatalf("a section of %d bytes", len(s.Text.Text))
		}
		joined.WriteString(strings.TrimSuffix(strings.TrimPrefix(s.Text.Text, "```"), "```") + "\n")
	}
	if strings.TrimSpace(joined.String()) != strings.TrimSpace(doc) {
		t.Fatalf("the export was not kept whole across %d sections", len(blocks))
	}
}
