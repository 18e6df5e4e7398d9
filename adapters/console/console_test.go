package console_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"knoop/adapters/console"
	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
	"knoop/store/storetest"
)

// start is the fixed test time: Friday 27 November 2026, 10:00 in Amsterdam.
var start = time.Date(2026, 11, 27, 10, 0, 0, 0, amsterdam())

func amsterdam() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
}

// newBot is the real bot on a fresh schema, with the clock stopped at start.
func newBot(t *testing.T) (*bot.Bot, *store.Store) {
	t.Helper()
	s := storetest.Schema(t)
	return bot.New(s, bottest.Logger(t), bot.WithClock(func() time.Time { return start })), s
}

// run feeds script to a console in front of b and returns what it printed.
func run(t *testing.T, b bot.Handler, script string, opts console.Options) string {
	t.Helper()
	return runReader(t, b, strings.NewReader(script), opts)
}

func runReader(t *testing.T, b bot.Handler, in io.Reader, opts console.Options) string {
	t.Helper()
	var out strings.Builder
	if err := console.New(in, &out, opts).Run(context.Background(), b); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.String()
}

// replies splits non-interactive console output into its reply blocks. It
// fails the test when the output is not a sequence of non-empty replies
// each followed by exactly one blank line.
func replies(t *testing.T, out string) []string {
	t.Helper()
	if out == "" {
		return nil
	}
	if !strings.HasSuffix(out, "\n\n") || strings.HasSuffix(out, "\n\n\n") {
		t.Fatalf("output does not end in exactly one blank line:\n%q", out)
	}
	parts := strings.Split(strings.TrimSuffix(out, "\n\n"), "\n\n")
	for i, p := range parts {
		if strings.TrimSpace(p) == "" || strings.HasPrefix(p, "\n") {
			t.Fatalf("reply %d is empty or starts with a blank line; output:\n%q", i, out)
		}
	}
	return parts
}

// count runs a count(*) query in the test schema.
func count(t *testing.T, s *store.Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.Pool().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// memberIDs lists the platform user ids of console members, sorted.
func memberIDs(t *testing.T, s *store.Store) []string {
	t.Helper()
	rows, err := s.Pool().Query(context.Background(),
		`SELECT platform_user_id FROM members WHERE platform = $1 ORDER BY platform_user_id`, console.Platform)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// listed returns the members a who-answer lists, in order ("• name" items,
// without the organisation).
func listed(reply string) []string {
	var names []string
	for _, l := range strings.Split(reply, "\n") {
		if name, ok := strings.CutPrefix(l, "• "); ok {
			name, _, _ = strings.Cut(name, " — ")
			names = append(names, name)
		}
	}
	return names
}

func mustContain(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s: missing %q in:\n%s", what, w, got)
		}
	}
}

// TestScenario is the scripted two-member scenario: both declare a shared
// skill in different languages, a who-question finds both, bob commits
// with a Dutch date, delivers, and is then listed first.
func TestScenario(t *testing.T) {
	t.Parallel()
	b, s := newBot(t)
	script := strings.Join([]string{
		"/as alice",
		"skills add logistiek, koelketen",
		"/as bob",
		"vaardigheden toevoegen logistics",
		"/as alice",
		"who logistics",
		"/as bob",
		"ik lever het routeplan voor volgende week vrijdag",
		"klaar 1",
		"/as alice",
		"who logistics",
	}, "\n") + "\n"
	r := replies(t, run(t, b, script, console.Options{}))
	if len(r) != 6 {
		t.Fatalf("want 6 replies, got %d:\n%s", len(r), strings.Join(r, "\n----\n"))
	}
	mustContain(t, "alice's skills", r[0], "logistiek", "koelketen")
	mustContain(t, "bob's skills (Dutch command, Dutch answer)", r[1], "Toegevoegd", "logistics")

	first := listed(r[2])
	if !slices.Contains(first, "alice") || !slices.Contains(first, "bob") || len(first) != 2 {
		t.Errorf("who logistics before delivery lists %v, want alice and bob:\n%s", first, r[2])
	}
	mustContain(t, "who before delivery", r[2], "“logistics”", "logistiek")

	// Volgende week vrijdag, said on Friday 27 November: Friday 4 December.
	mustContain(t, "commitment", r[3], "#1", "routeplan", "vr 4 dec 2026")
	if strings.Contains(r[3], "27 nov") || strings.Contains(r[3], "11 dec") {
		t.Errorf("commitment got the wrong due date:\n%s", r[3])
	}
	mustContain(t, "klaar 1", r[4], "#1", "geleverd")

	after := listed(r[5])
	if len(after) != 2 || after[0] != "bob" || after[1] != "alice" {
		t.Errorf("who logistics after bob delivered lists %v, want [bob alice]:\n%s", after, r[5])
	}
	if got := memberIDs(t, s); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Errorf("members %v, want [alice bob]", got)
	}
	if n := count(t, s, `SELECT count(*) FROM commitments WHERE no = 1 AND status = 'done' AND due = '2026-12-04'`); n != 1 {
		t.Errorf("commitment #1 is not stored as delivered with due date 2026-12-04")
	}
}

// TestDeliveryMovesMemberUp is the scenario arranged so the order has to
// change: alice declared the very word asked and comes first; bob declared
// only its Dutch synonym but then delivers logistics work, and overtakes.
func TestDeliveryMovesMemberUp(t *testing.T) {
	t.Parallel()
	b, _ := newBot(t)
	script := strings.Join([]string{
		"/as alice",
		"skills add logistics, koelketen",
		"/as bob",
		"vaardigheden toevoegen logistiek",
		"/as alice",
		"who logistics",
		"/as bob",
		"ik lever het logistieke routeplan voor volgende week vrijdag",
		"klaar 1",
		"/as alice",
		"who logistics",
	}, "\n") + "\n"
	r := replies(t, run(t, b, script, console.Options{}))
	if len(r) != 6 {
		t.Fatalf("want 6 replies, got %d:\n%s", len(r), strings.Join(r, "\n----\n"))
	}
	if got := listed(r[2]); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Errorf("before delivery: listed %v, want [alice bob]:\n%s", got, r[2])
	}
	mustContain(t, "commitment", r[3], "vr 4 dec 2026")
	if got := listed(r[5]); !slices.Equal(got, []string{"bob", "alice"}) {
		t.Errorf("after delivery: listed %v, want [bob alice]:\n%s", got, r[5])
	}
	// The why-line shows the delivery as evidence.
	mustContain(t, "why-line after delivery", r[5], "delivered “lever het logistieke routeplan” (Nov 2026)")
}

func TestAsIgnoresInvalidNames(t *testing.T) {
	t.Parallel()
	b, s := newBot(t)
	script := strings.Join([]string{
		"/as alice",
		"/as bob smith",                  // a space
		"/as " + strings.Repeat("x", 65), // too long
		"/as b<o>b",                      // markup
		"/as bob\x00",                    // NUL
		"/as bob!",                       // punctuation
		"/as @",                          // nothing after @
		"skills add koelketen",           // still alice
		"/as @Carol",                     // valid, @ stripped
		"skills add binnenvaart",
		"/as " + strings.Repeat("d", 64), // longest valid name
		"skills add bunkeren",
		"/as Jöran.de-Vries_2", // letters beyond ASCII, dot, dash, underscore, digit
		"skills add waterstof",
	}, "\n") + "\n"
	r := replies(t, run(t, b, script, console.Options{}))
	if len(r) != 4 {
		t.Fatalf("only the four skills lines should answer, got %d replies:\n%s", len(r), strings.Join(r, "\n----\n"))
	}
	want := []string{"alice", "carol", strings.Repeat("d", 64), "jöran.de-vries_2"}
	slices.Sort(want)
	if got := memberIDs(t, s); !slices.Equal(got, want) {
		t.Errorf("members %q, want %q", got, want)
	}
	var name string
	if err := s.Pool().QueryRow(context.Background(),
		`SELECT display_name FROM members WHERE platform_user_id = 'carol'`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name != "Carol" {
		t.Errorf("carol's display name %q, want Carol (as typed, without @)", name)
	}
	// The koelketen line was said by alice: the invalid switches changed nothing.
	who := replies(t, run(t, b, "who koelketen\n", console.Options{User: "zed"}))
	if got := listed(who[0]); !slices.Equal(got, []string{"alice"}) {
		t.Errorf("who koelketen lists %v, want [alice]:\n%s", got, who[0])
	}
}

func TestAsIsCaseInsensitiveForIdentity(t *testing.T) {
	t.Parallel()
	b, s := newBot(t)
	r := replies(t, run(t, b, "/as Bob\nskills add koelketen\n/as bob\nskills add haven\n", console.Options{}))
	if len(r) != 2 {
		t.Fatalf("want 2 replies, got %d", len(r))
	}
	if got := memberIDs(t, s); !slices.Equal(got, []string{"bob"}) {
		t.Errorf("members %v, want one member bob", got)
	}
}

func TestEmptyLinesPrintNothing(t *testing.T) {
	t.Parallel()
	b, s := newBot(t)
	if out := run(t, b, "\n\n   \n\t\n\r\n \t \r\n", console.Options{}); out != "" {
		t.Errorf("blank lines printed %q", out)
	}
	if n := count(t, s, `SELECT count(*) FROM members`); n != 0 {
		t.Errorf("blank lines created %d members", n)
	}
	// Blank lines between messages change nothing either.
	r := replies(t, run(t, b, "\n\nhelp who\n\n\n   \nhelp who\n\n", console.Options{}))
	if len(r) != 2 || r[0] != r[1] {
		t.Errorf("want two identical help replies, got %d:\n%s", len(r), strings.Join(r, "\n----\n"))
	}
}

func TestTooLongLine(t *testing.T) {
	t.Parallel()
	b, s := newBot(t)
	long := "skills add logistics, " + strings.Repeat("koelketen ", 10*1024) // about 100 KB
	r := replies(t, run(t, b, long+"\n", console.Options{User: "alice"}))
	if len(r) != 1 {
		t.Fatalf("want one reply, got %d", len(r))
	}
	mustContain(t, "100 KB line", r[0], "too long", fmt.Sprint(bot.MaxMessageBytes), "Nothing was changed")
	for _, table := range []string{"networks", "members", "skills", "evidence"} {
		if n := count(t, s, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("a too-long line left %d rows in %s", n, table)
		}
	}
	// And the skill really was not recorded.
	r = replies(t, run(t, b, "who logistics\n", console.Options{User: "bob"}))
	if len(listed(r[0])) != 0 {
		t.Errorf("who logistics after a refused line lists %v", listed(r[0]))
	}
}

// A line longer than the console's read limit is cut, answered as too
// long, and the next line is still read as its own message.
func TestHugeLineKeepsLineBoundaries(t *testing.T) {
	t.Parallel()
	b, _ := newBot(t)
	huge := strings.Repeat("x", 3<<20) // 3 MB, past the 1 MB read limit
	r := replies(t, run(t, b, huge+"\nhelp who\n"+huge, console.Options{}))
	if len(r) != 3 {
		t.Fatalf("want 3 replies, got %d", len(r))
	}
	mustContain(t, "huge line", r[0], "too long")
	mustContain(t, "line after the huge one", r[1], "who <topic>")
	mustContain(t, "huge last line without newline", r[2], "too long")
}

// The size limit is the bot's, in bytes of the line without its line end.
func TestLengthBoundary(t *testing.T) {
	t.Parallel()
	b, _ := newBot(t)
	atLimit := "help who" + strings.Repeat(" ", bot.MaxMessageBytes-len("help who"))
	overLimit := atLimit + " "
	r := replies(t, run(t, b, atLimit+"\r\n"+overLimit+"\n", console.Options{}))
	if len(r) != 2 {
		t.Fatalf("want 2 replies, got %d", len(r))
	}
	mustContain(t, "line of exactly the limit", r[0], "who <topic>")
	mustContain(t, "line one byte over", r[1], "too long")
}

func TestNULBytes(t *testing.T) {
	t.Parallel()
	b, s := newBot(t)
	script := "/as alice\n" +
		"skills add koel\x00keten, haven\n" + // NUL is a separator, like a space
		"/as bo\x00b\n" + // not a valid name: still alice
		"who\x00haven\n" +
		"\x00\x00\x00\n" // only control characters: a blank line, no reply
	r := replies(t, run(t, b, script, console.Options{}))
	if len(r) != 2 {
		t.Fatalf("want 2 replies, got %d:\n%s", len(r), strings.Join(r, "\n----\n"))
	}
	mustContain(t, "skills with NUL", r[0], "koel keten", "haven")
	if strings.Contains(strings.Join(r, ""), "\x00") {
		t.Errorf("a NUL byte was echoed back")
	}
	if got := listed(r[1]); !slices.Equal(got, []string{"alice"}) {
		t.Errorf("who\\x00haven lists %v, want [alice]:\n%s", got, r[1])
	}
	if got := memberIDs(t, s); !slices.Equal(got, []string{"alice"}) {
		t.Errorf("members %v, want [alice]", got)
	}
	if n := count(t, s, `SELECT count(*) FROM skills WHERE skill ~ '[[:cntrl:]]'`); n != 0 {
		t.Errorf("%d skills contain control characters", n)
	}
}

func TestInvalidUTF8IsNotStored(t *testing.T) {
	t.Parallel()
	b, s := newBot(t)
	r := replies(t, run(t, b, "skills add ko\xffel, haven\n", console.Options{User: "alice"}))
	if len(r) != 1 {
		t.Fatalf("want 1 reply, got %d", len(r))
	}
	rows, err := s.Pool().Query(context.Background(), `SELECT skill FROM skills`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(name, "\xff") {
			t.Errorf("skill %q holds invalid UTF-8", name)
		}
	}
}

func TestQuitStopsReading(t *testing.T) {
	t.Parallel()
	for _, quit := range []string{"/quit", "/exit", "  /quit\t", "/quit\r"} {
		t.Run(strings.TrimSpace(quit), func(t *testing.T) {
			b, s := newBot(t)
			r := replies(t, run(t, b, "/as alice\nskills add haven\n"+quit+"\n/as bob\nskills add koelketen\nhelp\n", console.Options{}))
			if len(r) != 1 {
				t.Fatalf("want only the reply before %q, got %d", quit, len(r))
			}
			if got := memberIDs(t, s); !slices.Equal(got, []string{"alice"}) {
				t.Errorf("members %v: lines after %q were handled", got, quit)
			}
		})
	}
}

// /quit inside a sentence, or as an argument, is an ordinary message.
func TestQuitOnlyAsWholeLine(t *testing.T) {
	t.Parallel()
	b, _ := newBot(t)
	r := replies(t, run(t, b, "help /quit\nhelp who\n", console.Options{}))
	if len(r) != 2 {
		t.Fatalf("want 2 replies, got %d", len(r))
	}
}

func TestLastLineWithoutNewline(t *testing.T) {
	t.Parallel()
	b, s := newBot(t)
	r := replies(t, run(t, b, "/as alice\nskills add haven\n/as bob\nskills add koelketen", console.Options{}))
	if len(r) != 2 {
		t.Fatalf("want 2 replies, got %d", len(r))
	}
	mustContain(t, "last line", r[1], "koelketen")
	if got := memberIDs(t, s); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Errorf("members %v, want [alice bob]", got)
	}
	// A /as or /quit on the last line without newline is fine too.
	if out := run(t, b, "/as carol", console.Options{}); out != "" {
		t.Errorf("/as at EOF printed %q", out)
	}
	if out := run(t, b, "/quit", console.Options{}); out != "" {
		t.Errorf("/quit at EOF printed %q", out)
	}
	if out := run(t, b, "", console.Options{}); out != "" {
		t.Errorf("empty input printed %q", out)
	}
}

// The console reads the same whatever sizes the reads come in, and when the
// last data arrives together with io.EOF.
func TestReadSizes(t *testing.T) {
	t.Parallel()
	script := "/as alice\nskills add haven\r\nhelp who\n\n/as bob\nskills add koelketen"
	b, _ := newBot(t)
	want := run(t, b, script, console.Options{})
	for name, in := range map[string]io.Reader{
		"one byte": iotest.OneByteReader(strings.NewReader(script)),
		"half":     iotest.HalfReader(strings.NewReader(script)),
		"data+EOF": iotest.DataErrReader(strings.NewReader(script)),
	} {
		b, _ := newBot(t)
		if got := runReader(t, b, in, console.Options{}); got != want {
			t.Errorf("%s reads: output differs\n got: %q\nwant: %q", name, got, want)
		}
	}
}

func TestReadErrorIsReturned(t *testing.T) {
	t.Parallel()
	b, _ := newBot(t)
	boom := errors.New("disk on fire")
	in := io.MultiReader(strings.NewReader("help who\n"), iotest.ErrReader(boom))
	var out strings.Builder
	err := console.New(in, &out, console.Options{}).Run(context.Background(), b)
	if !errors.Is(err, boom) {
		t.Fatalf("Run returned %v, want the read error", err)
	}
	if r := replies(t, out.String()); len(r) != 1 {
		t.Errorf("the line before the error should be answered once, got %d replies", len(r))
	}
}

// Every reply is printed as RenderText of the bot's reply followed by one
// blank line, in the order the lines came.
func TestRepliesSeparatedByBlankLine(t *testing.T) {
	t.Parallel()
	b, _ := newBot(t)
	lines := []string{"help who", "hulp toezeggen", "who", "charter"}
	out := run(t, b, strings.Join(lines, "\n")+"\n", console.Options{User: "Alice", Room: "r9", Coordinator: true})

	// The same messages, handled directly, give the expected text.
	b2, _ := newBot(t)
	var want strings.Builder
	for _, l := range lines {
		reply := b2.Handle(context.Background(), bot.Message{
			Platform: console.Platform, RoomID: "r9", UserID: "alice", UserName: "Alice",
			Text: l, Direct: true, Coordinator: true,
		})
		want.WriteString(bot.RenderText(reply) + "\n\n")
	}
	if out != want.String() {
		t.Errorf("console output differs from the rendered replies\n got: %q\nwant: %q", out, want.String())
	}
	r := replies(t, out)
	if len(r) != len(lines) {
		t.Fatalf("want %d reply blocks, got %d", len(lines), len(r))
	}
	mustContain(t, "help who", r[0], "who <topic>")
	mustContain(t, "hulp toezeggen", r[1], "toezeggen <wat>")
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	b, s := newBot(t)
	a := console.New(strings.NewReader("skills add haven\n"), io.Discard, console.Options{})
	if a.Name() != console.Platform || console.Platform != "console" {
		t.Errorf("Name() = %q, want %q", a.Name(), "console")
	}
	if err := a.Run(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if got := memberIDs(t, s); !slices.Equal(got, []string{"me"}) {
		t.Errorf("default member %v, want [me]", got)
	}
	if n := count(t, s, `SELECT count(*) FROM rooms WHERE platform = 'console' AND room_id = 'console'`); n != 1 {
		t.Errorf("default room: %d rooms named console, want 1", n)
	}
}

// Each room is its own network: what is said in one is not found in another.
func TestRoomsAreSeparateNetworks(t *testing.T) {
	t.Parallel()
	b, _ := newBot(t)
	run(t, b, "skills add koelketen\n", console.Options{User: "alice", Room: "r1"})
	r := replies(t, run(t, b, "who koelketen\n", console.Options{User: "bob", Room: "r2"}))
	if got := listed(r[0]); len(got) != 0 {
		t.Errorf("room r2 found %v from room r1", got)
	}
	r = replies(t, run(t, b, "who koelketen\n", console.Options{User: "bob", Room: "r1"}))
	if got := listed(r[0]); !slices.Equal(got, []string{"alice"}) {
		t.Errorf("room r1 lists %v, want [alice]", got)
	}
}

func TestOrgHint(t *testing.T) {
	t.Parallel()
	b, _ := newBot(t)
	run(t, b, "skills add koelketen\n", console.Options{User: "alice", Org: "Havenbedrijf Rotterdam"})
	// The hint is for new members only: it does not overwrite.
	run(t, b, "skills add haven\n", console.Options{User: "alice", Org: "TU Delft"})
	r := replies(t, run(t, b, "who koelketen\n", console.Options{User: "bob"}))
	mustContain(t, "who with org", r[0], "alice — Havenbedrijf Rotterdam")
	if strings.Contains(r[0], "TU Delft") {
		t.Errorf("a later org hint replaced the organisation:\n%s", r[0])
	}
}

func TestLanguageHint(t *testing.T) {
	t.Parallel()
	b, _ := newBot(t)
	// "org" is the same word in both languages: the hint decides.
	nl := replies(t, run(t, b, "org\n", console.Options{User: "alice", Lang: "nl"}))
	en := replies(t, run(t, b, "org\n", console.Options{User: "bob", Lang: "en"}))
	mustContain(t, "org with nl hint", nl[0], "organisatie")
	mustContain(t, "org with en hint", en[0], "organisation")
}

func TestCoordinatorOption(t *testing.T) {
	t.Parallel()
	b, _ := newBot(t)
	r := replies(t, run(t, b, "charter We share routes and data.\ncharter\n", console.Options{User: "bob", Room: "r1"}))
	mustContain(t, "charter by a non-coordinator", r[0], "Only coordinators")
	if strings.Contains(r[1], "We share routes") {
		t.Errorf("a non-coordinator set the charter:\n%s", r[1])
	}
	r = replies(t, run(t, b, "charter We share routes and data.\ncharter\n", console.Options{User: "anna", Room: "r1", Coordinator: true}))
	if strings.Contains(r[0], "Only coordinators") {
		t.Errorf("the coordinator was refused:\n%s", r[0])
	}
	mustContain(t, "charter after the coordinator set it", r[1], "We share routes and data.")
}

func TestInteractivePromptAndGreeting(t *testing.T) {
	t.Parallel()
	b, _ := newBot(t)
	out := run(t, b, "/as bob\n/as not valid\nhelp who\n\n", console.Options{User: "alice", Interactive: true})

	b2, _ := newBot(t)
	help := bot.RenderText(b2.Handle(context.Background(), bot.Message{
		Platform: console.Platform, RoomID: "console", UserID: "bob", UserName: "bob", Text: "help who", Direct: true,
	}))
	want := "Knoop console — you are alice. Type `help` (or `hulp`), `/as NAME` to switch member, `/quit` to leave.\n" +
		"alice> " + "(you are now bob)\n" +
		"bob> " + "(not a valid name: use letters, digits, '.', '-' or '_', at most 64)\n" + // same member
		"bob> " + help + "\n\n" +
		"bob> " + // the blank line
		"bob> " // EOF
	if out != want {
		t.Errorf("interactive output\n got: %q\nwant: %q", out, want)
	}
}

func TestCancelledContextReadsNothing(t *testing.T) {
	t.Parallel()
	b, s := newBot(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := strings.NewReader("skills add haven\n")
	var out strings.Builder
	if err := console.New(in, &out, console.Options{Interactive: true}).Run(ctx, b); err != nil {
		t.Fatalf("Run with a cancelled context: %v", err)
	}
	if in.Len() != len("skills add haven\n") {
		t.Errorf("Run read input after the context ended")
	}
	if strings.Contains(out.String(), "> ") {
		t.Errorf("a prompt was shown after the context ended: %q", out.String())
	}
	if n := count(t, s, `SELECT count(*) FROM members`); n != 0 {
		t.Errorf("%d members created after the context ended", n)
	}
}

func TestSend(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	a := console.New(strings.NewReader(""), &out, console.Options{})
	hello := bot.Reply{Blocks: []bot.Block{{Kind: bot.Heading, Text: "Digest"}, {Kind: bot.Item, Text: "one"}}}
	ctx := context.Background()
	if err := a.Send(ctx, bot.Target{Platform: console.Platform, RoomID: "console"}, hello); err != nil {
		t.Fatal(err)
	}
	if err := a.Send(ctx, bot.Target{Platform: console.Platform, UserID: "bob"}, hello); err != nil {
		t.Fatal(err)
	}
	if err := a.SendDirect(ctx, "carol", hello); err != nil {
		t.Fatal(err)
	}
	if err := a.Send(ctx, bot.Target{Platform: console.Platform, RoomID: "console"}, bot.Reply{}); err != nil {
		t.Fatal(err)
	}
	want := "Digest\n• one\n\n" + "[to bob] Digest\n• one\n\n" + "[to carol] Digest\n• one\n\n"
	if out.String() != want {
		t.Errorf("sent\n got: %q\nwant: %q", out.String(), want)
	}
	var _ bot.DirectMessenger = a
}

// A script in a file, as `knoop console < script.txt` reads it.
func TestScriptFile(t *testing.T) {
	t.Parallel()
	b, _ := newBot(t)
	f, err := os.Open(filepath.Join("testdata", "scenario.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := replies(t, runReader(t, b, f, console.Options{}))
	if len(r) != 6 {
		t.Fatalf("want 6 replies, got %d:\n%s", len(r), strings.Join(r, "\n----\n"))
	}
	mustContain(t, "commitment from the script file", r[3], "vr 4 dec 2026")
	if got := listed(r[5]); len(got) == 0 || got[0] != "bob" {
		t.Errorf("after delivery: listed %v, want bob first", got)
	}
}
