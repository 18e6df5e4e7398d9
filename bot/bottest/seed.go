package bottest

import (
	"os"
	"strings"
	"testing"
	"time"
)

// SeedNetwork gives the harness's network what a digest reports on: two
// goals, members of two organisations with skills, commitments (one due
// this week, one overdue, two more), and an open ask. It runs with the
// clock on Tuesday 24 November 2026 and leaves it at Start (Friday 27
// November, 10:00 in Amsterdam); carol must be a coordinator.
func SeedNetwork(t testing.TB, h *Harness) {
	t.Helper()
	h.Coordinators["carol"] = true
	h.Clock.Set(time.Date(2026, 11, 24, 10, 0, 0, 0, Start.Location()))
	defer h.Clock.Set(Start)
	say := func(user, text string) {
		t.Helper()
		got := h.SayText(user, text)
		for _, bad := range []string{"Sorry", "can't", "passed", "There is no", "I don't", "Only coordinators"} {
			if strings.Contains(got, bad) {
				t.Fatalf("%s: %q → %q", user, text, got)
			}
		}
	}
	say("carol", "goal add Halve empty truck kilometres in 2027")
	say("carol", "goal add Open the hydrogen test site")
	say("anna", "org Havenbedrijf Rotterdam")
	say("anna", "skills add cold chain, koelketen")
	say("bob", "org TU Delft")
	say("bob", "skills add hydrogen")
	say("anna", "commit route plan for the Greenport shuttle by 2026-12-02 for goal 1")
	say("anna", "commit cold-chain pilot report by 2026-11-25 for goal 1")
	say("bob", "commit safety case for the test site by 2026-12-09 for goal 2")
	say("bob", "commit grant draft by 2026-12-01")
	say("dave", "ask who can review our business case?")
}

// Golden compares got with the file at path; with UPDATE_GOLDEN=1 in the
// environment it writes got there first.
func Golden(t testing.TB, path, got string) {
	t.Helper()
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (UPDATE_GOLDEN=1 creates it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; got:\n%s", path, got)
	}
}
