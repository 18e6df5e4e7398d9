package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"knoop/adapters/slack/slackfake"
)

// digestChannel is the channel whose digest is scheduled; no load goes there.
const digestChannel = "CDIGEST"

func memberID(i int) string { return fmt.Sprintf("UL%03d", i) }

func channelID(i int) string { return fmt.Sprintf("CL%d", i+1) }

var topics = []string{
	"cold chain", "logistics", "python", "hydrogen", "grant applications", "LNG bunkering", "subsidies",
	"port automation", "horticulture", "data sharing", "circular economy", "nitrogen", "energy transition",
	"customs", "rail freight", "greenhouse", "water management", "robotics", "machine learning",
	"procurement", "contract law", "marketing", "finance", "koelketen", "logistiek", "waterstof",
}

var orgs = []string{
	"Port of Rotterdam", "Greenport West", "TU Delft", "Erasmus University", "Hogeschool Rotterdam",
	"Municipality of The Hague", "Van Oord", "Deltalinqs", "InnovationQuarter", "Koppert",
	"Royal FloraHolland", "Eneco", "Gemeente Rotterdam", "Leiden University", "Shell Pernis",
	"Boskalis", "RDM Makerspace", "YES!Delft", "Westland Infra", "Havenbedrijf Amsterdam",
}

var tasks = []string{
	"deliver the pilot report", "send the data", "draft the business case", "review the grant text",
	"book the venue", "share the cold chain figures", "write the project plan", "call the port authority",
}

var dueWords = []string{"by next friday", "by tomorrow", "by end of december", "by 2026-12-18", "in 2 weeks"}

// kind is what a command is and how it reaches Knoop.
type kind int

const (
	whoMention kind = iota
	whoSlash
	commitMention
	commitSlash
	listSlash
	listMention
	helpSlash
	helpMention
	doneSlash
	warmSlash // warm-up: skills and organisations, the digest schedule
	kinds
)

var kindNames = [kinds]string{"who (mention)", "who (/knoop)", "commit (mention)", "commit (/knoop)",
	"commitments (/knoop)", "commitments (mention)", "help (/knoop)", "help (mention)", "done N (/knoop)", "warm-up"}

func (k kind) slash() bool {
	switch k {
	case whoSlash, commitSlash, listSlash, helpSlash, doneSlash, warmSlash:
		return true
	}
	return false
}

// mix is the share of each kind in the load, in percent.
var mix = []struct {
	k      kind
	weight int
}{
	{whoMention, 25}, {whoSlash, 20}, {commitMention, 12}, {commitSlash, 8}, {listSlash, 10},
	{listMention, 5}, {helpSlash, 8}, {helpMention, 4}, {doneSlash, 8},
}

// command is one command pushed to the fake Slack and what came of it.
type command struct {
	kind    kind
	warm    bool
	user    string
	channel string
	ts      string // a mention's ts: its answer is posted in this thread
	pushed  time.Time
	payload map[string]any // a mention's payload, for redelivery

	redelivered int
	replies     int
	firstAt     time.Time
	lateAck     bool // a slash command acknowledged empty: its answer is posted
	errReply    bool
}

// latePost is a post outside any thread in a load channel: the answer to
// a slash command that took longer than the adapter's 2.5 s wait.
type latePost struct {
	at      time.Time
	channel string
	user    string // the member an ephemeral post is shown to; "" for a public post
}

// driver pushes commands and matches the fake's calls and acks to them.
type driver struct {
	e   *environment
	o   options
	rng *rand.Rand

	mu           sync.Mutex
	byEnv        map[string]*command // first envelope of every event
	byTS         map[string]*command // mentions by ts
	redeliveries map[string]*command // redelivery envelopes
	events       []*command
	late         []latePost
	open         map[string][]int // member → their commitment numbers not yet done
	public       [kinds]int       // slash answers seen in the channel (+1) or privately (-1), per kind
	failedCalls  int
	otherPosts   int
	digestRoots  []time.Time
	digestThread []time.Time
	redelivered  int
	acks         int
	unclaimed    int // late posts no slash command claims
	loadStart    time.Time
	loadEnd      time.Time
	only         []kind // --profile: drive only these kinds
	socketBytes  int64  // envelopes pushed and acks received
	webBytes     int64  // Web API request bodies received
}

func newDriver(e *environment, o options) *driver {
	d := &driver{e: e, o: o, rng: rand.New(rand.NewPCG(7, 11)),
		byEnv: map[string]*command{}, byTS: map[string]*command{}, redeliveries: map[string]*command{}, open: map[string][]int{}}
	for i := range o.members {
		tz := "Europe/Amsterdam"
		locale := "en-GB"
		if i%3 == 1 {
			locale = "nl-NL"
		}
		e.fake.AddUser(slack.User{ID: memberID(i), Name: fmt.Sprintf("member%03d", i), TeamID: slackfake.TeamID, TZ: tz, Locale: locale,
			Profile: slack.UserProfile{DisplayName: fmt.Sprintf("Member %03d", i)}})
	}
	e.fake.Observe(d.onCall, d.onAck)
	return d
}

var (
	recorded = regexp.MustCompile(`(?:commitment|toezegging) #(\d+)`)
	failed   = regexp.MustCompile(`(?i)something went wrong|er ging bij mij iets mis`)
)

// onCall sees every Web API call the replicas make.
func (d *driver) onCall(c slackfake.Call) {
	ok := c.Status == 200
	if ok && c.Response != nil {
		ok, _ = c.Response["ok"].(bool)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.webBytes += int64(len(c.Body))
	if !ok {
		d.failedCalls++
		return
	}
	if c.Method != "chat.postMessage" && c.Method != "chat.postEphemeral" {
		return
	}
	ch, thread := c.Get("channel"), c.Get("thread_ts")
	if ch == digestChannel && !d.loadStart.IsZero() {
		if thread == "" {
			d.digestRoots = append(d.digestRoots, c.At)
		} else {
			d.digestThread = append(d.digestThread, c.At)
		}
		return
	}
	if thread == "" {
		if strings.HasPrefix(ch, "CL") {
			lp := latePost{at: c.At, channel: ch}
			if c.Method == "chat.postEphemeral" {
				lp.user = c.Get("user")
			}
			d.late = append(d.late, lp)
		} else {
			d.otherPosts++
		}
		return
	}
	ev := d.byTS[thread]
	if ev == nil {
		d.otherPosts++
		return
	}
	d.replyLocked(ev, c.At, c.Get("text"))
}

// onAck sees every acknowledgement; a slash command's answer is its payload.
func (d *driver) onAck(a slackfake.Ack) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.acks++
	d.socketBytes += int64(len(a.Payload)) + int64(len(`{"envelope_id":"","payload":}`)+len(a.EnvelopeID))
	ev := d.byEnv[a.EnvelopeID]
	if ev == nil || !ev.kind.slash() {
		return
	}
	if len(a.Payload) == 0 || string(a.Payload) == "null" {
		ev.lateAck = true
		return
	}
	var p struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	_ = json.Unmarshal(a.Payload, &p)
	if p.ResponseType == "in_channel" {
		d.public[ev.kind]++
	} else {
		d.public[ev.kind]--
	}
	d.replyLocked(ev, a.At, p.Text)
}

func (d *driver) replyLocked(ev *command, at time.Time, text string) {
	ev.replies++
	if ev.replies > 1 {
		return
	}
	ev.firstAt = at
	if failed.MatchString(text) {
		ev.errReply = true
	}
	if ev.kind == commitMention || ev.kind == commitSlash {
		if m := recorded.FindStringSubmatch(text); m != nil {
			n, _ := strconv.Atoi(m[1])
			d.open[ev.user] = append(d.open[ev.user], n)
		}
	}
}

// push sends one command; d.mu is held across the push so its ack and
// answer find the event registered.
func (d *driver) push(ev *command, text string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ev.pushed = time.Now()
	var env string
	if ev.kind.slash() {
		env = d.e.fake.Push("slash_commands", slackfake.SlashCommand(ev.user, ev.channel, text, ""))
	} else {
		eventID := fmt.Sprintf("EvL%07d", len(d.events))
		ev.payload = slackfake.AppMention(eventID, ev.user, ev.channel, "<@"+slackfake.BotUserID+"> "+text, "")
		ev.ts = ev.payload["event"].(map[string]any)["ts"].(string)
		d.byTS[ev.ts] = ev
		env = d.e.fake.Push("events_api", ev.payload)
	}
	d.byEnv[env] = ev
	d.events = append(d.events, ev)
	if d.o.profile {
		var p any = ev.payload
		if ev.kind.slash() {
			p = slackfake.SlashCommand(ev.user, ev.channel, text, "")
		}
		b, _ := json.Marshal(map[string]any{"envelope_id": env, "type": "events_api", "payload": p})
		d.socketBytes += int64(len(b))
	}
}

// redeliver pushes a mention again as Slack does after a lost ack: same
// event_id, new envelope.
func (d *driver) redeliver(ev *command) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ev.redelivered++
	d.redelivered++
	env := d.e.fake.PushRedelivery("events_api", ev.payload, ev.redelivered)
	d.redeliveries[env] = ev
}

// warmUp gives every member skills and an organisation and sets the
// digest schedule, then waits for all answers.
func (d *driver) warmUp(ctx context.Context) error {
	start := time.Now()
	n := 0
	tick := time.NewTicker(5 * time.Millisecond) // about 200 commands a second
	defer tick.Stop()
	send := func(user, channel, text string) {
		<-tick.C
		d.push(&command{kind: warmSlash, warm: true, user: user, channel: channel}, text)
		n++
	}
	for i := range d.o.members {
		a, b := topics[i%len(topics)], topics[(i*7+3)%len(topics)]
		send(memberID(i), channelID(i%d.o.channels), "skills add "+a+", "+b)
		send(memberID(i), channelID(i%d.o.channels), "org "+orgs[i%len(orgs)])
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	send(memberID(0), digestChannel, "digest every monday 09:00")
	if left := d.waitAnswered(ctx, true, 60*time.Second); left > 0 {
		return fmt.Errorf("warm-up: %d of %d commands unanswered after 60 s", left, n)
	}
	d.e.r.Logf("warm-up: %d commands answered in %s", n, time.Since(start).Round(time.Millisecond))
	return nil
}

// waitAnswered waits until every event (of the warm-up, or all) has an
// answer, or timeout; it returns how many have none.
func (d *driver) waitAnswered(ctx context.Context, warmOnly bool, timeout time.Duration) int {
	deadline := time.Now().Add(timeout)
	for {
		d.mu.Lock()
		d.attributeLateLocked()
		left := 0
		for _, ev := range d.events {
			if (ev.warm || !warmOnly) && ev.replies == 0 {
				left++
			}
		}
		d.mu.Unlock()
		if left == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return left
		}
		time.Sleep(50 * time.Millisecond) // polling the counters, not synchronisation
	}
}

// next picks the next command at random from the mix.
func (d *driver) next(i int) (*command, string) {
	user := memberID(1 + d.rng.IntN(d.o.members-1))
	ev := &command{user: user, channel: channelID(d.rng.IntN(d.o.channels))}
	w := d.rng.IntN(100)
	for _, m := range mix {
		if w < m.weight {
			ev.kind = m.k
			break
		}
		w -= m.weight
	}
	d.mu.Lock()
	if len(d.only) > 0 {
		ev.kind = d.only[d.rng.IntN(len(d.only))]
	}
	d.mu.Unlock()
	topic := topics[d.rng.IntN(len(topics))]
	task := fmt.Sprintf("%s L%d %s", tasks[d.rng.IntN(len(tasks))], i, dueWords[d.rng.IntN(len(dueWords))])
	if ev.kind == doneSlash {
		d.mu.Lock()
		open := d.open[user]
		if len(open) == 0 {
			ev.kind = commitSlash
		} else {
			k := d.rng.IntN(len(open))
			n := open[k]
			d.open[user] = slices.Delete(open, k, k+1)
			d.mu.Unlock()
			return ev, fmt.Sprintf("done %d shipped, see the shared drive", n)
		}
		d.mu.Unlock()
	}
	switch ev.kind {
	case whoMention:
		if d.rng.IntN(3) == 0 {
			return ev, "wie is er goed in " + topic + "?"
		}
		return ev, "who is good at " + topic + "?"
	case whoSlash:
		return ev, "who " + topic
	case commitMention, commitSlash:
		return ev, "commit " + task
	case listSlash, listMention:
		return ev, "commitments"
	default:
		return ev, "help"
	}
}

// drive pushes rate commands a second for the duration.
func (d *driver) drive(ctx context.Context) error {
	total := int(float64(d.o.rate) * d.o.duration.Seconds())
	interval := time.Second / time.Duration(d.o.rate)
	d.e.r.Logf("driving %d commands at %d/s for %s", total, d.o.rate, d.o.duration)
	start := time.Now()
	d.mu.Lock()
	d.loadStart = start
	d.mu.Unlock()
	var timers sync.WaitGroup
	for i := range total {
		if i%100 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		ev, text := d.next(i)
		d.push(ev, text)
		if !ev.kind.slash() && d.rng.Float64() < d.o.redeliver {
			after := time.Duration(50+d.rng.IntN(950)) * time.Millisecond
			timers.Add(1)
			time.AfterFunc(after, func() { defer timers.Done(); d.redeliver(ev) })
		} else {
			d.mu.Lock()
			ev.payload = nil // kept only for a redelivery
			d.mu.Unlock()
		}
		if i > 0 && i%(5*d.o.rate) == 0 {
			d.progress(i, start)
		}
	}
	timers.Wait()
	d.mu.Lock()
	d.loadEnd = time.Now()
	d.mu.Unlock()
	return nil
}

func (d *driver) progress(i int, start time.Time) {
	d.mu.Lock()
	answered := 0
	for _, ev := range d.events {
		if !ev.warm && ev.replies > 0 {
			answered++
		}
	}
	d.mu.Unlock()
	el := time.Since(start)
	d.e.r.Logf("%5.1f s: pushed %d (%.0f/s), answered %d", el.Seconds(), i, float64(i)/el.Seconds(), answered)
}

// waitReplies waits for the last answers, then a little longer so that a
// doubled answer has time to show.
func (d *driver) waitReplies(ctx context.Context, timeout time.Duration) {
	left := d.waitAnswered(ctx, false, timeout)
	if left > 0 {
		d.e.r.Logf("%d commands still unanswered after %s", left, timeout)
	}
	time.Sleep(3 * time.Second)
}

// attributeLateLocked matches posts outside threads to slash commands
// acknowledged empty (answered late), by channel and, for a private
// answer, member, oldest first. It is recomputed from scratch each time.
func (d *driver) attributeLateLocked() {
	for _, ev := range d.events {
		if ev.kind.slash() && ev.lateAck {
			ev.replies = 0
			ev.firstAt = time.Time{}
		}
	}
	posts := map[string][]time.Time{}
	for _, p := range d.late {
		key := p.channel + "/" + p.user
		posts[key] = append(posts[key], p.at)
	}
	for _, ev := range d.events {
		if !ev.kind.slash() || !ev.lateAck {
			continue
		}
		key := ev.channel + "/" + ev.user
		if d.public[ev.kind] > 0 {
			key = ev.channel + "/"
		}
		if q := posts[key]; len(q) > 0 {
			ev.replies, ev.firstAt = 1, q[0]
			posts[key] = q[1:]
		}
	}
	// Late posts nobody claims are answers too many.
	extra := 0
	for _, q := range posts {
		extra += len(q)
	}
	d.unclaimed = extra
}

// fill puts the load's figures into the report.
func (d *driver) fill(rep *report) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.attributeLateLocked()
	var lat []time.Duration
	perKind := map[kind][]time.Duration{}
	var last time.Time
	l := &rep.Load
	for _, ev := range d.events {
		if ev.warm {
			continue
		}
		l.Commands++
		switch {
		case ev.replies == 0:
			l.Lost++
		case ev.replies > 1:
			l.Doubled++
		}
		if ev.lateAck {
			l.LateSlash++
		}
		if ev.errReply {
			rep.Errors.ErrorReplies++
		}
		if ev.replies > 0 {
			l.Answered++
			dt := ev.firstAt.Sub(ev.pushed)
			lat = append(lat, dt)
			perKind[ev.kind] = append(perKind[ev.kind], dt)
			if ev.firstAt.After(last) {
				last = ev.firstAt
			}
		}
		if ev.redelivered > 0 {
			l.RedeliveredEvents++
			if ev.replies != 1 {
				l.RedeliveredWrong++
			}
		}
	}
	l.Redeliveries = d.redelivered
	l.UnclaimedPosts = d.unclaimed
	l.PushSeconds = d.loadEnd.Sub(d.loadStart).Seconds()
	if l.PushSeconds > 0 {
		l.PushRate = float64(l.Commands) / l.PushSeconds
	}
	if !last.IsZero() {
		l.AnswerSeconds = last.Sub(d.loadStart).Seconds()
		l.Throughput = float64(l.Answered) / l.AnswerSeconds
	}
	l.Latency = summarize(lat)
	for k := range kinds {
		if v := perKind[k]; len(v) > 0 {
			s := summarize(v)
			s.Kind = kindNames[k]
			l.PerKind = append(l.PerKind, s)
		}
	}
	rep.Errors.FailedCalls = d.failedCalls
	rep.Load.StrayPosts = d.otherPosts
}

func summarize(v []time.Duration) latency {
	if len(v) == 0 {
		return latency{}
	}
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	pick := func(q float64) float64 {
		i := int(q*float64(len(v))+0.5) - 1
		i = max(0, min(i, len(v)-1))
		return ms(v[i])
	}
	return latency{N: len(v), P50: pick(0.50), P95: pick(0.95), P99: pick(0.99), Max: ms(v[len(v)-1])}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// waitDigest waits until the digest and its thread reply were posted (or
// 75 s past the slot: planning runs every minute), then 5 s more for a
// second copy.
func (e *environment) waitDigest(ctx context.Context, d *driver) digestReport {
	var slot time.Time
	_ = e.pool.QueryRow(ctx, `SELECT coalesce(max(slot), 'epoch') FROM digests WHERE room_id = $1`, digestChannel).Scan(&slot)
	deadline := time.Now().Add(75 * time.Second)
	if !slot.IsZero() && slot.Year() > 1970 {
		deadline = slot.Add(75 * time.Second)
	} else {
		_ = e.pool.QueryRow(ctx, `SELECT next_at FROM schedules WHERE room_id = $1`, digestChannel).Scan(&slot)
	}
	for time.Now().Before(deadline) && ctx.Err() == nil {
		d.mu.Lock()
		done := len(d.digestRoots) > 0 && len(d.digestThread) > 0
		d.mu.Unlock()
		if done {
			break
		}
		time.Sleep(200 * time.Millisecond) // polling
	}
	time.Sleep(5 * time.Second)
	d.mu.Lock()
	defer d.mu.Unlock()
	r := digestReport{Posts: len(d.digestRoots), ThreadReplies: len(d.digestThread), SentInDB: e.sentDigests(ctx)}
	_ = e.pool.QueryRow(ctx, `SELECT slot FROM digests WHERE room_id = $1 ORDER BY slot DESC LIMIT 1`, digestChannel).Scan(&slot)
	if len(d.digestRoots) > 0 && !slot.IsZero() {
		r.AfterSlotSeconds = d.digestRoots[0].Sub(slot).Seconds()
	}
	return r
}
