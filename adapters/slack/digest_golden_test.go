package slack

import (
	"context"
	"encoding/json"
	"os"
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
		path := filepath.Join("testdata", "digest_"+lang+".json")
		if os.Getenv("UPDATE_GOLDEN") == "1" {
			if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (UPDATE_GOLDEN=1 creates it)", err)
		}
		if string(want) != string(got)+"\n" {
			t.Errorf("%s differs; got:\n%s", path, got)
		}
	}
}
