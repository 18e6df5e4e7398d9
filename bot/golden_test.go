package bot_test

import (
	"context"
	"path/filepath"
	"testing"

	"knoop/bot"
	"knoop/bot/bottest"
)

// The digest as the console shows it, in both languages.
func TestDigestGolden(t *testing.T) {
	h := bottest.New(t)
	bottest.SeedNetwork(t, h)
	h.SayText("bob", "done 4 sent to the province")
	for _, lang := range []string{bot.EN, bot.NL} {
		summary, details, err := h.Bot.DigestReplies(context.Background(), h.Platform, h.Room, lang)
		if err != nil {
			t.Fatal(err)
		}
		bottest.Golden(t, filepath.Join("testdata", "digest_"+lang+".golden"), bot.RenderText(summary)+"\n---- thread ----\n"+bot.RenderText(details)+"\n")
	}
}
