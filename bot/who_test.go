package bot_test

import (
	"strings"
	"testing"

	"knoop/bot/bottest"
	"knoop/store/lexicon"
)

// A question is answered only by members who match all of it: an
// energy-transition expert is not an answer to "nuclear energy".
func TestWhoSaysNobodyForAPartialMatch(t *testing.T) {
	h := bottest.New(t)
	say(t, h, "anna: skills add energietransitie, energy transition")
	contains(t, say(t, h, "bob: who is good at nuclear energy?"), "nobody")
	contains(t, say(t, h, "bob: who is good at energy transition?"), "Anna")
	contains(t, say(t, h, "bob: wie weet iets van kernenergie?"), "niemand")
}

// Dutch compounds are found by their parts and their parts' translations,
// in both directions.
func TestWhoFindsCompoundsAcrossLanguages(t *testing.T) {
	h := bottest.New(t)
	say(t, h,
		"anna: skills add koelketenlogistiek",
		"bob: skills add battery storage",
		"carla: skills add voedselveiligheid",
	)
	contains(t, say(t, h, "dave: who knows cold chain logistics?"), "Anna")
	contains(t, say(t, h, "dave: wie is goed in koelketens?"), "Anna")
	contains(t, say(t, h, "dave: wie heeft ervaring met batterijopslag?"), "Bob")
	got := say(t, h, "dave: does anyone know about food safety?")
	contains(t, got, "Carla")
	lacks(t, got, "Anna", "Bob")
}

// Typos as people make them — swapped letters, a letter missing or
// doubled — find the word the network knows; an unrelated short word
// does not.
func TestWhoForgivesTypos(t *testing.T) {
	h := bottest.New(t)
	say(t, h,
		"anna: skills add python, warehousing",
		"bob: skills add data",
	)
	contains(t, say(t, h, "carla: who knows pyhton?"), "Anna")
	contains(t, say(t, h, "carla: who knows pythn?"), "Anna")
	contains(t, say(t, h, "carla: who is good at warehoussing?"), "Anna")
	got := say(t, h, "carla: who knows date?")
	lacks(t, got, "Bob")
	contains(t, got, "nobody")
}

// Words the vocabulary does not know cross languages by the regular
// cognate correspondences, and the why-line says so.
func TestWhoFindsCognatesAndSaysTheyAreTranslations(t *testing.T) {
	h := bottest.New(t)
	say(t, h,
		"anna: skills add epidemiologie",
		"bob: skills add epidemiology",
		"carla: skills add anesthesiologie",
	)
	got := say(t, h, "dave: who knows epidemiology?")
	contains(t, got, "Anna", "Bob", "via translation: epidemiologie")
	got = say(t, h, "dave: who is good at anaesthesiology?")
	contains(t, got, "Carla")
	lacks(t, got, "Anna", "Bob")
	// Direct evidence ranks above translated evidence, and says nothing
	// of translation.
	got = say(t, h, "dave: wie kent epidemiologie?")
	if a, b := strings.Index(got, "Anna"), strings.Index(got, "Bob"); a < 0 || b < 0 || a > b {
		t.Errorf("the member who wrote the asked word is not first:\n%s", got)
	}
}

// With the general dictionary installed, a Dutch question finds English
// evidence it has no vocabulary line for, and the other way round.
func TestWhoTranslatesWithTheDictionary(t *testing.T) {
	if _, err := lexicon.Shared(); err != nil {
		t.Skip("FreeDict Dutch-English not installed:", err)
	}
	h := bottest.New(t)
	say(t, h,
		"anna: skills add domestic violence",
		"bob: skills add valpreventie",
	)
	contains(t, say(t, h, "carla: wie kent geweld?"), "Anna", "via vertaling: violence")
	contains(t, say(t, h, "carla: who knows fall prevention?"), "Bob", "via translation")
}

// When nobody covers the whole question but some cover a meaningful part
// of it, Knoop names the closest, says what they cover, and still offers
// the open ask; a match on the question's head word alone stays "nobody".
func TestWhoAnswersPartialMatchesLabelled(t *testing.T) {
	h := bottest.New(t)
	say(t, h,
		"anna: skills add waterstof",
		"bob: skills add energy transition",
	)
	got := say(t, h, "carla: who knows hydrogen trucks?")
	contains(t, got, "Nobody covers all of “hydrogen trucks”", "covering “hydrogen”", "Anna", "Post as an open ask")
	lacks(t, got, "Bob")
	got = say(t, h, "carla: wie kent waterstofvrachtwagen?")
	contains(t, got, "Niemand dekt", "Anna", "Plaats als open vraag")
	contains(t, say(t, h, "carla: who is good at nuclear energy?"), "I found nobody")
}

// A topic nobody else declared is inferred from the network's own data:
// the skills the direct experts share find members who never wrote the
// asked word, below the direct experts and labelled "related".
func TestWhoInfersRelatedExperts(t *testing.T) {
	h := bottest.New(t)
	say(t, h,
		"anna: skills add anorexia, adolescent psychiatry",
		"bob: skills add anorexia, adolescent psychiatry",
		"carla: skills add adolescent psychiatry",
		"dave: skills add harbour logistics",
	)
	got := say(t, h, "erik: who knows anorexia?")
	contains(t, got, "Anna", "Bob", "Carla", "related: ")
	lacks(t, got, "Dave")
	a, b, c := strings.Index(got, "Anna"), strings.Index(got, "Bob"), strings.Index(got, "Carla")
	if c < a || c < b {
		t.Errorf("the inferred expert ranks above a direct one:\n%s", got)
	}
	if i := strings.Index(got, "related: "); i < c {
		t.Errorf("a direct expert's line says related:\n%s", got)
	}
}
