// Package console is the terminal adapter: chat with Knoop as a member,
// interactively or from a script (one message per line).
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"

	"knoop/bot"
)

// Platform is the platform name console members and rooms are stored under.
const Platform = "console"

// maxLine is the longest line read; longer input is cut there (the bot
// then answers that it is too long).
const maxLine = 1 << 20

// Options configure the console.
type Options struct {
	User        string // who you are; "/as bob" switches
	Org         string // organisation hint for new members
	Lang        string // language hint ("en", "nl")
	Room        string // room id; default "console"
	Interactive bool   // show a prompt and a greeting
	// Coordinator gives the console user coordinator rights (the person at
	// the terminal runs the bot, so by default they may).
	Coordinator bool
}

// Adapter reads lines from in and writes replies to out.
type Adapter struct {
	in   io.Reader
	out  io.Writer
	opts Options
	mu   sync.Mutex // serialises writes to out
}

var _ bot.Adapter = (*Adapter)(nil)

// New returns a console adapter.
func New(in io.Reader, out io.Writer, opts Options) *Adapter {
	if opts.Room == "" {
		opts.Room = "console"
	}
	if opts.User == "" {
		opts.User = "me"
	}
	return &Adapter{in: in, out: out, opts: opts}
}

// Name implements bot.Adapter.
func (a *Adapter) Name() string { return Platform }

// Run reads one message per line until the input ends (nil), the member
// types /quit, or ctx ends (Ctrl-C). Lines starting with "/as NAME" switch
// the member speaking. Reading happens in its own goroutine so a blocked
// terminal read never keeps Run from returning when ctx ends.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	user := a.opts.User
	if ctx.Err() != nil {
		return nil
	}
	if a.opts.Interactive {
		a.printf("Knoop console — you are %s. Type `help` (or `hulp`), `/as NAME` to switch member, `/quit` to leave.\n", user)
	}
	// The reader stops when Run returns; one blocked in a read of a
	// terminal ends with the process.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lines := make(chan lineOrErr)
	next := make(chan struct{}, 1)
	go a.read(ctx, lines, next)
	for {
		if ctx.Err() != nil {
			return nil
		}
		if a.opts.Interactive {
			a.printf("%s> ", user)
		}
		next <- struct{}{}
		var in lineOrErr
		select {
		case <-ctx.Done():
			return nil
		case in = <-lines:
		}
		if in.err != nil && !errors.Is(in.err, io.EOF) {
			return fmt.Errorf("console: read: %w", in.err)
		}
		if in.line == "" && errors.Is(in.err, io.EOF) {
			return nil
		}
		cmd, rest, _ := strings.Cut(strings.TrimSpace(in.line), " ")
		switch strings.ToLower(cmd) {
		case "/quit", "/exit":
			return nil
		case "/as":
			if name := cleanName(rest); name != "" {
				user = name
				if a.opts.Interactive {
					a.printf("(you are now %s)\n", user)
				}
			} else if a.opts.Interactive {
				a.printf("(not a valid name: use letters, digits, '.', '-' or '_', at most 64)\n")
			}
		default:
			if text, ok := bot.Clean(in.line); ok && text == "" {
				break // blank, or only control characters
			}
			opts := a.opts
			opts.User = user
			reply := h.Handle(ctx, Message(opts, in.line))
			a.printReply(reply)
		}
		if errors.Is(in.err, io.EOF) {
			return nil
		}
	}
}

// Message is the message the console sends when opts.User types text.
func Message(opts Options, text string) bot.Message {
	if opts.Room == "" {
		opts.Room = "console"
	}
	return bot.Message{
		Platform: Platform, RoomID: opts.Room, UserID: strings.ToLower(opts.User), UserName: opts.User,
		Text: text, Direct: true, Coordinator: opts.Coordinator, OrgHint: opts.Org, Language: opts.Lang,
	}
}

type lineOrErr struct {
	line string
	err  error
}

// read reads one line each time Run asks for one, until ctx ends or the
// input fails.
func (a *Adapter) read(ctx context.Context, lines chan<- lineOrErr, next <-chan struct{}) {
	r := bufio.NewReaderSize(a.in, 64*1024)
	for {
		select {
		case <-ctx.Done():
			return
		case <-next:
		}
		line, err := readLine(r)
		select {
		case <-ctx.Done():
			return
		case lines <- lineOrErr{line, err}:
		}
		if err != nil {
			return
		}
	}
}

// ValidName reports whether s can be used as a console member name.
func ValidName(s string) bool {
	return cleanName(s) != "" && cleanName(s) == strings.TrimPrefix(strings.TrimSpace(s), "@")
}

// readLine reads up to the next newline, keeping at most maxLine+1 bytes
// of it so a huge line cannot exhaust memory.
func readLine(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		chunk, err := r.ReadSlice('\n')
		if b.Len() <= maxLine {
			b.Write(chunk)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return strings.TrimRight(b.String(), "\r\n"), err
	}
}

func cleanName(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "@")
	if len(s) > 64 || s == "" {
		return ""
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '-' && r != '_' {
			return ""
		}
	}
	return s
}

func (a *Adapter) printReply(r bot.Reply) {
	if r.IsZero() {
		return
	}
	a.printf("%s\n\n", bot.RenderText(r))
}

// printf writes to the terminal. Everything printed passes through
// printable, so no text a member (or a platform) supplied can move the
// cursor, clear the screen, set the window title or plant a hyperlink.
func (a *Adapter) printf(format string, args ...any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	io.WriteString(a.out, printable(fmt.Sprintf(format, args...)))
}

// printable drops control characters (ESC and with it every escape
// sequence's introducer, BEL, backspace, carriage return, the C1 range)
// and bidirectional controls, keeping line breaks.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s)
}

// Send implements bot.Adapter: messages the bot starts itself are printed
// with who they are for.
func (a *Adapter) Send(_ context.Context, to bot.Target, r bot.Reply) error {
	if r.IsZero() {
		return nil
	}
	prefix := ""
	if to.UserID != "" {
		prefix = "[to " + to.UserID + "] "
	}
	a.printf("%s%s\n\n", prefix, bot.RenderText(r))
	return nil
}

// SendDirect implements bot.DirectMessenger.
func (a *Adapter) SendDirect(ctx context.Context, userID string, r bot.Reply) error {
	return a.Send(ctx, bot.Target{Platform: Platform, UserID: userID}, r)
}

var _ bot.ConversationOpener = (*Adapter)(nil)

// OpenConversation implements bot.ConversationOpener: the conversation is
// printed with who it is for (the title is in r).
func (a *Adapter) OpenConversation(_ context.Context, _ string, userIDs []string, r bot.Reply) error {
	if r.IsZero() {
		return nil
	}
	a.printf("[to %s] %s\n\n", strings.Join(userIDs, ", "), bot.RenderText(r))
	return nil
}
