package matrix

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"knoop/bot"
	"knoop/bot/bottest"
)

// The digest as Matrix shows it (HTML formatted_body), in both languages:
// the summary and the details in its thread. No pills, no @room.
func TestDigestHTMLGolden(t *testing.T) {
	h := bottest.New(t)
	bottest.SeedNetwork(t, h)
	h.SayText("bob", "done 4 sent to the province")
	for _, lang := range []string{bot.EN, bot.NL} {
		summary, details, err := h.Bot.DigestReplies(context.Background(), h.Platform, h.Room, lang)
		if err != nil {
			t.Fatal(err)
		}
		got := renderHTML(summary, "!knoop") + "\n<!-- thread -->\n" + renderHTML(details, "!knoop") + "\n"
		for _, ping := range []string{"@room", "matrix.to"} {
			if strings.Contains(got, ping) {
				t.Errorf("digest HTML contains %q", ping)
			}
		}
		bottest.Golden(t, filepath.Join("testdata", "digest_"+lang+".html"), got)
	}
}
