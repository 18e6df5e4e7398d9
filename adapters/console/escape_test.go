package console_test

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"knoop/adapters/console"
	"knoop/store"
)

// A display name or organisation name from anywhere (an older version, a
// platform that allows anything, an org hint) never reaches the terminal
// as an escape sequence or a control character.
func TestNoTerminalEscapesFromNames(t *testing.T) {
	t.Parallel()
	b, s := newBot(t)
	hostile := "Eve\x1b[2J\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\u009b31m\u202e"
	// The org hint comes from the command line; bob is created by the bot.
	run(t, b, "skills add koelketen\n", console.Options{User: "bob", Org: "Bad\x1b[31mOrg\r\x08"})
	// eve was stored by something other than this console.
	net, err := s.NetworkForRoom(context.Background(), console.Platform, "console", store.NetworkDefaults{})
	if err != nil {
		t.Fatal(err)
	}
	eve, err := s.EnsureMemberAt(context.Background(), net.ID, console.Platform, "eve", hostile, start)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetOrganisation(context.Background(), eve.ID, "Org\x1b[5m\x01"+hostile); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSkills(context.Background(), eve.ID, []string{"koelketen"}, start); err != nil {
		t.Fatal(err)
	}
	out := run(t, b, "who koelketen\nprofile eve\nprofile bob\n", console.Options{User: "carol"})
	for _, r := range out {
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
			t.Fatalf("control character %U reached the terminal:\n%q", r, out)
		}
	}
	mustContain(t, "who with hostile names", out, "Eve", "click", "Bad", "Org")
	if strings.Contains(out, "\x1b") {
		t.Fatalf("escape sequence in output: %q", out)
	}
}
