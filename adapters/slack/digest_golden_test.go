package slack

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"knoop/bot"
	"knoop/bot/bottest"
)

// The digest as Slack shows it (Block Kit), in both languages: the
// summary message and the details posted in its thread. Mentions never
// reach a digest: names stay plain text, nothing pings the channel.
func TestDigestBlocksGolden(t *testing.T) {
	h := bottest.New(t)
	bottest.SeedNetwork(t, h)
	h.SayText("bob", "done 4 sent to the province")
	for _, lang := range []string{bot.EN, bot.NL} {
		summary, details, err := h.Bot.DigestReplies(context.Background(), h.Platform, h.Room, lang)
		if err != nil {
			t.Fatal(err)
		}
		var doc []any
		for _, r := range []bot.Reply{summary, details} {
			blocks, text := render(r)
			doc = append(doc, map[string]any{"text": text, "blocks": blocks})
		}
		got, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		for _, ping := range []string{"<!channel>", "<!here>", "<!everyone>", "<@"} {
			if strings.Contains(string(got), ping) {
				t.Errorf("digest blocks contain %q", ping)
			}
		}
		bottest.Golden(t, filepath.Join("testdata", "digest_"+lang+".json"), string(got)+"\n")
	}
}
