package bot_test

import (
	"testing"

	"knoop/bot/bottest"
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
