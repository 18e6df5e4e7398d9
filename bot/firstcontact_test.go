package bot_test

import (
	"testing"

	"knoop/bot/bottest"
)

// TestFirstContact: a greeting, thanks or a question about Knoop gets a
// short, friendly answer with one example to try, in the language of the
// line, or the member's when the words are shared ("hi", "thanks").
func TestFirstContact(t *testing.T) {
	h := bottest.New(t)
	say(t, h, "nora: taal nl")
	for _, c := range []struct {
		line string
		want []string
	}{
		{"anna: hallo", []string{"Hoi! Ik ben Knoop", "`wie is er goed in subsidieaanvragen?`"}},
		{"anna: Goedemorgen allemaal!", []string{"Hoi! Ik ben Knoop"}},
		{"anna: good morning", []string{"Hi! I'm Knoop", "`who is good at grant applications?`"}},
		{"nora: hi knoop", []string{"Hoi! Ik ben Knoop"}}, // shared word: the member's language
		{"anna: bedankt!", []string{"Graag gedaan!", "`wie is er goed in subsidieaanvragen?`"}},
		{"anna: thank you", []string{"You're welcome!"}},
		{"nora: thanks", []string{"Graag gedaan!"}},
		{"anna: wat kun je?", []string{"Ik ben Knoop, de assistent", "`hulp`"}},
		{"nora: what can you do?", []string{"I'm Knoop, this network's assistant", "`help`"}},
		{"anna: who are you?", []string{"I'm Knoop"}},
		{"anna: wie ben jij?", []string{"Ik ben Knoop"}},
	} {
		contains(t, say(t, h, c.line), c.want...)
	}
	// Small talk inside a real request is the request.
	contains(t, say(t, h, "anna: hi! who knows about tidal energy?"), "tidal energy")
}

// TestUnknownLineInItsOwnLanguage: a line Knoop does not understand is
// answered in the language it is written in, whatever the member's
// setting, and a suggestion comes only when the first word is plausibly a
// typo of a command word.
func TestUnknownLineInItsOwnLanguage(t *testing.T) {
	h := bottest.New(t)
	say(t, h, "nora: taal nl", "emma: language en")
	got := say(t, h, "nora: Does anybody have a spare ticket for the conference?")
	contains(t, got, "I'm not sure what you're asking", "`who <topic>`")
	lacks(t, got, "doel", "Bedoel")
	got = say(t, h, "emma: heeft iemand nog een kaartje over voor de borrel?")
	contains(t, got, "Ik weet niet goed wat je vraagt")
	// No common word tells, but words around questions do.
	contains(t, say(t, h, "nora: Coffee, somebody?"), "I'm not sure what you're asking")
	contains(t, say(t, h, "emma: koffie, iemand?"), "Ik weet niet goed wat je vraagt")
	// A typo of a command word in an English line: the suggestion in English.
	contains(t, say(t, h, "nora: comit the report by friday"), "Did you mean `commit`?")
	// Ordinary words are not typos of command words.
	for _, line := range []string{"emma: over to you", "emma: does that work", "emma: goed zo"} {
		lacks(t, say(t, h, line), "Did you mean", "Bedoel je")
	}
}

// TestButtonLabelsReadNaturally: the open-ask button of a who-answer
// without experts, in both languages.
func TestButtonLabelsReadNaturally(t *testing.T) {
	h := bottest.New(t)
	for _, c := range []struct{ line, label string }{
		{"who knows about tidal energy?", "Post as an open ask"},
		{"wie weet iets van getijdenenergie?", "Plaats als open vraag"},
	} {
		r := h.Say("anna", c.line)
		if len(r.Actions) != 1 || r.Actions[0].Label != c.label {
			t.Errorf("%q: actions %+v, want one labelled %q", c.line, r.Actions, c.label)
		}
	}
	r := h.Say("anna", "toezeggen rapport schrijven voor vrijdag")
	if len(r.Actions) != 3 || r.Actions[1].Label != "Een week uitstellen" {
		t.Errorf("commitment actions %+v", r.Actions)
	}
}
