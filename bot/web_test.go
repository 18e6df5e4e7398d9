package bot_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
)

// linkToken pulls the sign-in token out of a `web` reply.
func linkToken(t *testing.T, text string) string {
	t.Helper()
	i := strings.Index(text, "https://knoop.example.org/signin?t=")
	if i < 0 {
		t.Fatalf("no sign-in link in %q", text)
	}
	u, err := url.Parse(strings.Fields(text[i:])[0])
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("t")
}

func TestWebCommand(t *testing.T) {
	h := bottest.New(t)
	ctx := context.Background()
	if got := h.SayText("anna", "web"); !strings.Contains(got, "not switched on") {
		t.Fatalf("web without a page: %q", got)
	}
	h.Bot = bot.New(h.Store, bottest.Logger(t), bot.WithClock(h.Clock.Now), bot.WithWebURL("https://knoop.example.org/"))

	r := h.Say("anna", "web")
	if !r.Private {
		t.Error("the sign-in link must be a private reply")
	}
	tok := linkToken(t, bot.RenderText(r))
	if len(tok) < 40 {
		t.Fatalf("token %q is too short to be unguessable", tok)
	}
	ws, err := h.Store.PeekSignInLink(ctx, tok, h.Clock.Now())
	if err != nil || ws.Member.DisplayName != "Anna" {
		t.Fatalf("link is not anna's: %+v %v", ws, err)
	}
	// Dutch alias and Dutch answer.
	if got := h.SayText("bob", "web afmelden"); !strings.Contains(got, "niet aangemeld") {
		t.Errorf("web afmelden without a session: %q", got)
	}
	session, _, err := h.Store.RedeemSignInLink(ctx, tok, h.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Store.Session(ctx, session, h.Clock.Now()); err != nil {
		t.Fatalf("fresh session: %v", err)
	}
	r = h.Say("anna", "web signout")
	if got := bot.RenderText(r); !r.Private || !strings.Contains(got, "1 sessions ended") {
		t.Errorf("web signout: %q (private %v)", got, r.Private)
	}
	if _, err := h.Store.Session(ctx, session, h.Clock.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session after web signout: %v, want not found", err)
	}

	// forget me ends sessions too.
	tok = linkToken(t, h.SayText("anna", "web"))
	if session, _, err = h.Store.RedeemSignInLink(ctx, tok, h.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.Say("anna", "forget me confirm")
	if _, err := h.Store.Session(ctx, session, h.Clock.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session after forget me: %v, want not found", err)
	}
}

func TestWebLinkForConsole(t *testing.T) {
	h := bottest.New(t)
	b := bot.New(h.Store, bottest.Logger(t), bot.WithClock(h.Clock.Now))
	if _, err := b.WebLink(context.Background(), h.Message("anna", "")); !errors.Is(err, bot.ErrWebOff) {
		t.Fatalf("WebLink without a page: %v", err)
	}
	b = bot.New(h.Store, bottest.Logger(t), bot.WithClock(h.Clock.Now), bot.WithWebURL("http://127.0.0.1:1234"))
	link, err := b.WebLink(context.Background(), h.Message("anna", ""))
	if err != nil || !strings.HasPrefix(link, "http://127.0.0.1:1234/signin?t=") {
		t.Fatalf("WebLink: %q %v", link, err)
	}
}

// A guest's link opens a guest session: the page shows them what guests see.
func TestWebLinkOfAGuest(t *testing.T) {
	h := bottest.New(t)
	b := bot.New(h.Store, bottest.Logger(t), bot.WithClock(h.Clock.Now), bot.WithWebURL("https://knoop.example.org"))
	for _, guest := range []bool{false, true} {
		msg := h.Message("gwen", "web")
		msg.Guest = guest
		tok := linkToken(t, bot.RenderText(b.Handle(context.Background(), msg)))
		ws, err := h.Store.PeekSignInLink(context.Background(), tok, h.Clock.Now())
		if err != nil || ws.Guest != guest {
			t.Errorf("link asked as guest=%v: session guest=%v, %v", guest, ws.Guest, err)
		}
	}
}
