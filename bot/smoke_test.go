package bot_test

import (
	"testing"

	"knoop/bot/bottest"
)

func TestSmoke(t *testing.T) {
	h := bottest.New(t)
	h.Coordinators["anna"] = true
	for _, l := range []struct{ u, s string }{
		{"anna", "help"},
		{"anna", "hulp"},
		{"anna", "help commit"},
		{"anna", "org Havenbedrijf Rotterdam"},
		{"anna", "skills add koelketen, logistiek, subsidies"},
		{"bob", "organisatie TU Delft"},
		{"bob", "skills add cold chain, python"},
		{"anna", "who is good at cold chain?"},
		{"anna", "wie is er goed in koelketens?"},
		{"anna", "does anyone know about LNG bunkering?"},
		{"anna", "goal add Halve empty-truck kilometres in 2027"},
		{"bob", "commit deliver the cold chain pilot report by next friday for goal 1"},
		{"anna", "ik lever de businesscase voor vrijdag"},
		{"anna", "done 1"},
		{"bob", "done 1 shipped, see the shared drive"},
		{"anna", "who cold chain"},
		{"anna", "goals"},
		{"anna", "commitments"},
		{"anna", "profile @bob"},
		{"anna", "endorse @bob cold chain"},
		{"anna", "away until 24 december"},
		{"bob", "wie logistiek"},
		{"anna", "comit foo"},
		{"anna", "blah blah"},
		{"anna", "export me"},
		{"anna", "forget me"},
	} {
		t.Logf("%s> %s\n%s\n", l.u, l.s, h.SayText(l.u, l.s))
	}
}
