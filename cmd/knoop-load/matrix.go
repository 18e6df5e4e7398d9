package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"strings"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"knoop/adapters/matrix/matrixtest"
)

// startMatrix starts Dendrite, registers the bot account (a fresh name:
// the sync lock is a database-wide advisory lock named after the account)
// and a member who opens a room and invites the bot.
func (e *environment) startMatrix() error {
	ctx, cancel := context.WithTimeout(e.r.ctx, time.Minute)
	defer cancel()
	e.r.Logf("starting Dendrite")
	e.mx = matrixtest.Start(e.r)
	local := "knoopload-" + strings.ToLower(rand.Text()[:8])
	bot := e.mx.Register(e.r, local, "knoop-load-password", false)
	e.mxBot, e.mxToken = bot.UserID, bot.AccessToken
	e.mxAsker = e.mx.Register(e.r, "asker", "asker-password", false)
	room, err := e.mxAsker.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "private_chat", Name: "Knoop load"})
	if err != nil {
		return fmt.Errorf("matrix: create room: %w", err)
	}
	e.mxRoom = room.RoomID
	if _, err := e.mxAsker.InviteUser(ctx, room.RoomID, &mautrix.ReqInviteUser{UserID: e.mxBot}); err != nil {
		return fmt.Errorf("matrix: invite: %w", err)
	}
	return nil
}

// matrixQuestion is one question asked in the Matrix room.
type matrixQuestion struct {
	id      id.EventID
	sent    time.Time
	replies int
	replyAt time.Time // origin_server_ts of the first reply
}

// takeover finds the replica holding the Matrix sync, kills it with
// SIGKILL, asks a new question every second and measures the time from
// the kill to the first answer from another replica.
func (e *environment) takeover(ctx context.Context) *matrixReport {
	rep := &matrixReport{}
	fail := func(format string, args ...any) *matrixReport {
		rep.Problem = fmt.Sprintf(format, args...)
		e.r.Logf("matrix: %s", rep.Problem)
		return rep
	}
	if err := e.waitJoined(ctx); err != nil {
		return fail("%v", err)
	}
	holder := e.syncHolder("msg=\"matrix syncing\"")
	if holder == nil {
		return fail("no replica logged that it syncs the Matrix account")
	}
	rep.Holder = holder.n
	var qs []*matrixQuestion
	ask := func(text string) {
		resp, err := e.mxAsker.SendText(ctx, e.mxRoom, text)
		if err != nil {
			e.r.Logf("matrix: ask: %v", err)
			return
		}
		qs = append(qs, &matrixQuestion{id: resp.EventID, sent: time.Now()})
	}
	ask("!knoop help")
	if !e.waitMatrixAnswers(ctx, qs, 30*time.Second) {
		return fail("the first question was not answered within 30 s")
	}

	e.r.Logf("matrix: replica %d holds the sync; killing it (SIGKILL)", holder.n)
	before := len(qs)
	killed := time.Now()
	holder.kill()
	deadline := killed.Add(60 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		ask("!knoop who is good at logistics?")
		if e.waitAnyAnswer(ctx, qs[before:], time.Second) {
			break
		}
	}
	e.waitMatrixAnswers(ctx, qs, 30*time.Second) // every question asked meanwhile
	time.Sleep(3 * time.Second)                  // room for a second answer
	e.countMatrixAnswers(ctx, qs)

	first := time.Time{}
	for _, q := range qs[before:] {
		if q.replies > 0 && (first.IsZero() || q.replyAt.Before(first)) {
			first = q.replyAt
		}
	}
	rep.Questions = len(qs)
	for _, q := range qs {
		switch {
		case q.replies == 0:
			rep.Lost++
		case q.replies > 1:
			rep.Doubled++
		}
	}
	if first.IsZero() {
		return fail("no answer within 60 s of killing replica %d", holder.n)
	}
	rep.TakeoverSeconds = first.Sub(killed).Seconds()
	if nh := e.syncHolder("msg=\"matrix sync lock taken over\""); nh != nil {
		rep.NewHolder = nh.n
	}
	e.r.Logf("matrix: answered by replica %d %.1f s after the kill", rep.NewHolder, rep.TakeoverSeconds)
	return rep
}

func (e *environment) waitJoined(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		m, err := e.mxAsker.JoinedMembers(ctx, e.mxRoom)
		if err == nil {
			if _, ok := m.Joined[e.mxBot]; ok {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond) // polling the homeserver
	}
	return fmt.Errorf("the bot did not join the room within 60 s")
}

// syncHolder is the running replica whose log has line.
func (e *environment) syncHolder(line string) *replica {
	for _, p := range e.replicas {
		if b, err := os.ReadFile(p.logPath); err == nil && p.running() && strings.Contains(string(b), line) {
			return p
		}
	}
	return nil
}

// waitMatrixAnswers polls the room until every question in qs has an answer.
func (e *environment) waitMatrixAnswers(ctx context.Context, qs []*matrixQuestion, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		e.countMatrixAnswers(ctx, qs)
		all := true
		for _, q := range qs {
			all = all && q.replies > 0
		}
		if all || time.Now().After(deadline) || ctx.Err() != nil {
			return all
		}
		time.Sleep(100 * time.Millisecond) // polling the homeserver
	}
}

// waitAnyAnswer polls the room until one question in qs has an answer.
func (e *environment) waitAnyAnswer(ctx context.Context, qs []*matrixQuestion, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		e.countMatrixAnswers(ctx, qs)
		for _, q := range qs {
			if q.replies > 0 {
				return true
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(100 * time.Millisecond) // polling the homeserver
	}
}

// countMatrixAnswers counts the bot's replies to each question.
func (e *environment) countMatrixAnswers(ctx context.Context, qs []*matrixQuestion) {
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	evts, err := matrixtest.History(c, e.mxAsker, e.mxRoom, e.mxBot)
	if err != nil {
		return
	}
	byID := map[id.EventID]*matrixQuestion{}
	for _, q := range qs {
		q.replies, q.replyAt = 0, time.Time{}
		byID[q.id] = q
	}
	for _, ev := range evts {
		if ev.Type != event.EventMessage {
			continue
		}
		m := ev.Content.AsMessage()
		if m == nil || m.RelatesTo == nil {
			continue
		}
		if q := byID[m.RelatesTo.GetReplyTo()]; q != nil {
			q.replies++
			if q.replies == 1 {
				q.replyAt = time.UnixMilli(ev.Timestamp)
			}
		}
	}
}
