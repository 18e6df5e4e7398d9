package bot_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"knoop/bot"
	"knoop/bot/bottest"
)

// golden compares got with testdata/name; UPDATE_GOLDEN=1 rewrites it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

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
		golden(t, "digest_"+lang+".golden", bot.RenderText(summary)+"\n---- thread ----\n"+bot.RenderText(details)+"\n")
	}
}
