package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"knoop/store"
)

// progressLine returns a store.ImportProgress callback that keeps one
// line on stderr up to date ("loading: index 40,000/100,000") while a
// bulk load runs, and done, which ends the line. When stderr is not a
// terminal (a pipe, a log file, a test) it returns nil and nothing is
// printed: the progress line is for a person watching.
func (e env) progressLine(what string) (progress func(store.ImportProgress), done func()) {
	f, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, func() {}
	}
	return newProgressLine(f, what, time.Now)
}

func newProgressLine(w io.Writer, what string, now func() time.Time) (func(store.ImportProgress), func()) {
	start := now()
	var last time.Time
	printed := false
	progress := func(p store.ImportProgress) {
		t := now()
		if p.Done != p.Total && t.Sub(last) < 200*time.Millisecond {
			return
		}
		last, printed = t, true
		fmt.Fprintf(w, "\r\x1b[K%s: %s %s/%s (%s)", what, p.Stage, thousands(p.Done), thousands(p.Total),
			t.Sub(start).Round(time.Second))
	}
	return progress, func() {
		if printed {
			fmt.Fprintln(w)
		}
	}
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
