package intro

import (
	"errors"
	"testing"
)

func TestNextOnlyTheExpertAnswersOnce(t *testing.T) {
	if s, err := Next(Asked, Accept, 2, 2); err != nil || s != Accepted {
		t.Fatalf("accept = %v %v", s, err)
	}
	if s, err := Next(Asked, NotNow, 2, 2); err != nil || s != Declined {
		t.Fatalf("not now = %v %v", s, err)
	}
	if _, err := Next(Asked, Accept, 1, 2); !errors.Is(err, ErrNotYours) {
		t.Fatalf("asker accepting: %v", err)
	}
	for _, from := range []Status{Accepted, Declined} {
		if s, err := Next(from, Accept, 2, 2); !errors.Is(err, ErrDecided) || s != from {
			t.Fatalf("answer twice from %s = %v %v", from, s, err)
		}
	}
}

func TestFull(t *testing.T) {
	if Full(2, 0) || !Full(3, 0) || !Full(1, 1) || Full(4, 5) {
		t.Fatal("weekly limit counted wrong")
	}
}

func TestPickSkipsAskerTriedOffAwayFull(t *testing.T) {
	list := []Candidate{{ID: 1}, {ID: 2, Off: true}, {ID: 3, Away: true}, {ID: 4, Full: true}, {ID: 5}, {ID: 6}, {ID: 7}}
	next, rest, ok := Pick(list, 1, map[int64]bool{5: true})
	if !ok || next.ID != 6 || len(rest) != 1 || rest[0].ID != 7 {
		t.Fatalf("Pick = %+v %+v %v", next, rest, ok)
	}
	if _, _, ok := Pick(list[1:4], 9, nil); ok {
		t.Fatal("picked an unavailable member")
	}
}
