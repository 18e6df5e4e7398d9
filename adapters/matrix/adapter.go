// Package matrix puts Knoop into Matrix rooms through mautrix: commands
// (!knoop …), mentions, direct messages, replies to Knoop and reactions on
// its commitment messages, with the sync position kept in PostgreSQL so a
// restart answers what was said while Knoop was down, once.
package matrix

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"knoop/bot"
	"knoop/bot/metrics"
)

// Platform is the name Matrix members and rooms are stored under.
const Platform = "matrix"

// What Knoop does with people of servers not in Config.Allow.
const (
	ExternalIgnore = "ignore"
	ExternalGuest  = "guest"
	ExternalMember = "member"
)

// Config is the [matrix] section of config.toml.
type Config struct {
	Homeserver  string // https://matrix.example.org
	UserID      string // @knoop:example.org
	AccessToken string // or Password, used once; the token is kept
	Password    string //
	// Allow lists the servers ("example.org") or users ("@anna:example.org")
	// whose people are members: their invites are accepted and their
	// messages answered. Empty: the bot's own server.
	Allow []string
	// External says what happens to everyone else who writes in a room
	// Knoop is in: "ignore" (the default: not answered, nothing stored),
	// "guest" (answered as guests, see bot.Message.Guest) or "member".
	External string
	// Coordinators are user ids with coordinator rights. Everyone with
	// power level 50 or more in one of CoordinationRooms (room ids) is a
	// coordinator too. Rights never come from the room a message is sent
	// in, so never from a direct room, where everyone is admin.
	Coordinators      []string
	CoordinationRooms []string
	Prefix            string // command prefix; default "!knoop"
	// Metrics receives reconnects and adapter errors; nil: not counted.
	Metrics *metrics.Metrics
	// HTTPTimeout bounds every request to the homeserver, the response
	// body included. It must exceed the /sync long poll (30 s). Zero: 90 s.
	HTTPTimeout time.Duration
}

// DefaultHTTPTimeout bounds a request to the homeserver when
// Config.HTTPTimeout is zero: the 30 s /sync long poll, and room to spare.
const DefaultHTTPTimeout = 90 * time.Second

// httpClient is the client every request to the homeserver goes through:
// a bounded time to connect, to shake hands and for the whole request
// (mautrix's own default of 180 s was replaced by a client without any).
func httpClient(timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = DefaultHTTPTimeout
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = 10 * time.Second
	return &http.Client{Timeout: timeout, Transport: retryAfterTransport{next: tr}}
}

// Adapter is Knoop on one Matrix account.
type Adapter struct {
	cfg          Config
	cli          *mautrix.Client
	log          *slog.Logger
	me           id.UserID
	allow        map[string]bool
	coordinators map[id.UserID]bool

	queue   bot.Queue
	work    sync.WaitGroup
	kv      bot.StateKeeper // from the handler, when it keeps state
	start   time.Time       // events older than the first sync are history, not questions
	resumed bool            // a sync position was saved: everything after it is new
	pos     *positions      // the sync position, saved past finished work; nil without kv

	conn metrics.Conn // what Ready reports

	mu     sync.Mutex
	direct map[id.RoomID]bool                           // rooms with only Knoop and one member
	shared map[id.RoomID]bool                           // rooms where people who are not members read along
	levels map[id.RoomID]*event.PowerLevelsEventContent // kept current by the sync
	dms    map[id.UserID]id.RoomID                      // a direct room per member, for reminders
	keeper bot.StateKeeper                              // set at Run's start, also on a standby replica
}

var (
	_ bot.Adapter  = (*Adapter)(nil)
	_ bot.Threader = (*Adapter)(nil)
)

// New checks cfg and prepares a client; Run logs in and syncs.
func New(cfg Config, log *slog.Logger) (*Adapter, error) {
	if cfg.Homeserver == "" || cfg.UserID == "" {
		return nil, errors.New("matrix: homeserver and user_id are required (KNOOP_MATRIX_HOMESERVER, KNOOP_MATRIX_USER_ID)")
	}
	if cfg.AccessToken == "" && cfg.Password == "" {
		return nil, errors.New("matrix: access_token or password is required (KNOOP_MATRIX_ACCESS_TOKEN / KNOOP_MATRIX_PASSWORD)")
	}
	me := id.UserID(cfg.UserID)
	if _, _, err := me.Parse(); err != nil {
		return nil, fmt.Errorf("matrix: user_id %q: %w", cfg.UserID, err)
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "!knoop"
	}
	switch cfg.External {
	case "":
		cfg.External = ExternalIgnore
	case ExternalIgnore, ExternalGuest, ExternalMember:
	default:
		return nil, fmt.Errorf("matrix: external = %q: want %q, %q or %q", cfg.External, ExternalIgnore, ExternalGuest, ExternalMember)
	}
	for _, r := range cfg.CoordinationRooms {
		if !strings.HasPrefix(r, "!") {
			return nil, fmt.Errorf("matrix: coordination room %q is not a room id (!…:server)", r)
		}
	}
	cli, err := mautrix.NewClient(cfg.Homeserver, me, cfg.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("matrix: %w", err)
	}
	// 429 (waiting retry_after_ms) and 5xx are retried with doubling
	// backoff; sends carry transaction ids, so a retried send is not
	// posted twice.
	cli.DefaultHTTPRetries = 4
	cli.Client = httpClient(cfg.HTTPTimeout)
	a := &Adapter{cfg: cfg, cli: cli, log: log.With("platform", Platform), me: me, allow: map[string]bool{},
		direct: map[id.RoomID]bool{}, shared: map[id.RoomID]bool{}, levels: map[id.RoomID]*event.PowerLevelsEventContent{}, dms: map[id.UserID]id.RoomID{},
		coordinators: map[id.UserID]bool{}}
	a.queue.Limit = memberQueue
	for _, s := range cfg.Allow {
		a.allow[s] = true
	}
	for _, u := range cfg.Coordinators {
		a.coordinators[id.UserID(u)] = true
	}
	if len(a.allow) == 0 {
		a.allow[me.Homeserver()] = true
	}
	return a, nil
}

// Name implements bot.Adapter.
func (a *Adapter) Name() string { return Platform }

// Run logs in (keeping a password login's token), takes the sync lock so
// one replica syncs at a time, and syncs until ctx ends. Events being
// handled when ctx ends are finished first.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) (runErr error) {
	a.conn.Down("logging in")
	defer func() {
		if runErr != nil {
			a.conn.Down(runErr.Error())
		} else {
			a.conn.Down("stopped")
		}
	}()
	if kv, ok := h.(bot.StateKeeper); ok {
		a.mu.Lock()
		a.keeper = kv
		a.mu.Unlock()
	}
	if err := a.login(ctx, h); err != nil {
		return err
	}
	release, alive, err := a.lock(ctx, h)
	if err != nil || release == nil {
		return err
	}
	defer release()
	a.conn.Down("starting to sync")
	// A fresh syncer each Run: knoop run runs an adapter again after a
	// failure, and handlers registered by the failed Run would otherwise
	// answer every event twice.
	a.cli.Syncer = mautrix.NewDefaultSyncer()
	if kv, ok := h.(bot.StateKeeper); ok {
		a.kv = kv
		a.cli.Store = &syncStore{kv: kv}
		a.pos = &positions{
			save: func(ctx context.Context, token string) error {
				return kv.SetState(ctx, Platform, "next_batch:"+string(a.me), token)
			},
			failed: func(err error) { a.log.Warn("matrix sync position not saved", "err", err) },
		}
	}
	closeCrypto, err := a.setupCrypto(ctx, h)
	if err != nil {
		return err
	}
	defer closeCrypto()
	// Answers in flight finish before the crypto and state store closes
	// (deferred calls run last first): a reply sent after it closed
	// failed with "sql: database is closed" at SIGTERM.
	defer a.work.Wait()
	a.start = time.Now()
	if a.cli.Store != nil {
		tok, err := a.cli.Store.LoadNextBatch(ctx, a.me)
		if err != nil {
			return fmt.Errorf("matrix: sync position: %w", err)
		}
		a.resumed = tok != ""
	}
	syncer := a.cli.Syncer.(*mautrix.DefaultSyncer)
	syncer.OnSync(func(context.Context, *mautrix.RespSync, string) bool {
		a.conn.Up(a.cfg.Metrics, Platform, "syncing")
		return true
	})
	a.cli.Syncer = watchedSyncer{syncer, a}
	defer func() { a.cli.Syncer = syncer }()
	syncer.OnEventType(event.EventMessage, func(ctx context.Context, evt *event.Event) { a.onMessage(ctx, h, evt) })
	syncer.OnEventType(event.EventReaction, func(ctx context.Context, evt *event.Event) { a.onReaction(ctx, h, evt) })
	syncer.OnEventType(event.StateMember, func(ctx context.Context, evt *event.Event) { a.onMember(ctx, evt) })
	syncer.OnEventType(event.StatePowerLevels, func(ctx context.Context, evt *event.Event) { a.onPowerLevels(evt) })
	syncCtx, stop := context.WithCancel(ctx)
	defer stop()
	if alive != nil {
		// If the lock's database session dies, another replica may take
		// over: stop syncing at once.
		go func() {
			t := time.NewTicker(5 * time.Second)
			defer t.Stop()
			for {
				select {
				case <-syncCtx.Done():
					return
				case <-t.C:
					if !alive() {
						a.log.Error("matrix sync lock lost; stopping")
						stop()
						return
					}
				}
			}
		}()
	}
	a.log.Info("matrix syncing", "user", a.me)
	err = a.cli.SyncWithContext(syncCtx)
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return nil
	}
	return fmt.Errorf("matrix: sync: %w", err)
}

// lock waits until this process holds the sync lock of the account.
func (a *Adapter) lock(ctx context.Context, h bot.Handler) (func(), func() bool, error) {
	l, ok := h.(bot.Locker)
	if !ok {
		return func() {}, nil, nil
	}
	for waited := false; ; waited = true {
		release, alive, err := l.TryLock(ctx, "matrix-sync:"+string(a.me))
		if err != nil {
			return nil, nil, fmt.Errorf("matrix: sync lock: %w", err)
		}
		if release != nil {
			if waited {
				a.log.Info("matrix sync lock taken over")
			}
			return release, alive, nil
		}
		if !waited {
			a.log.Info("another replica syncs this account; waiting to take over")
			a.conn.Standby("standby: another replica syncs this account")
		}
		select {
		case <-ctx.Done():
			return nil, nil, nil
		case <-time.After(2 * time.Second):
		}
	}
}

// login uses the configured token, or a token kept from an earlier
// password login, or logs in with the password once and keeps the token.
func (a *Adapter) login(ctx context.Context, h bot.Handler) error {
	kv, _ := h.(bot.StateKeeper)
	key := TokenKey(string(a.me))
	if a.cfg.AccessToken == "" && kv != nil {
		if tok, ok, err := kv.State(ctx, Platform, key); err == nil && ok {
			a.cli.AccessToken = tok
		}
	}
	if a.cli.AccessToken != "" {
		resp, err := a.cli.Whoami(ctx)
		if err == nil {
			a.cli.DeviceID = resp.DeviceID
			return nil
		}
		if a.cfg.Password == "" {
			return fmt.Errorf("matrix: access token refused: %w", err)
		}
	}
	resp, err := a.cli.Login(ctx, &mautrix.ReqLogin{
		Type:                     mautrix.AuthTypePassword,
		Identifier:               mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: string(a.me)},
		Password:                 a.cfg.Password,
		InitialDeviceDisplayName: "Knoop",
		StoreCredentials:         true,
	})
	if err != nil {
		return fmt.Errorf("matrix: login: %w", err)
	}
	if kv != nil {
		if err := kv.SetState(ctx, Platform, key, resp.AccessToken); err != nil {
			return err
		}
	}
	return nil
}

// Send implements bot.Adapter.
func (a *Adapter) Send(ctx context.Context, to bot.Target, r bot.Reply) error {
	_, err := a.Post(ctx, to, r)
	return err
}

// Post implements bot.Poster: Send, returning the event id so the
// digest's details can go into its thread. A target with only a user is
// their direct room (created when there is none). The target's key
// becomes the transaction id, so a retried send is not posted twice.
func (a *Adapter) Post(ctx context.Context, to bot.Target, r bot.Reply) (string, error) {
	room := id.RoomID(to.RoomID)
	if room == "" && to.UserID != "" {
		var err error
		if room, err = a.directRoom(ctx, id.UserID(to.UserID)); err != nil {
			return "", err
		}
	}
	txn := ""
	if to.Key != "" {
		txn = "knoop-" + to.Key
	}
	evt, err := a.send(ctx, room, nil, to.ThreadID, r, txn)
	return string(evt), err
}

// SendDirect implements bot.DirectMessenger.
func (a *Adapter) SendDirect(ctx context.Context, userID string, r bot.Reply) error {
	return a.Send(ctx, bot.Target{Platform: Platform, UserID: userID}, r)
}

// directRoom finds the direct room Knoop shares with user: one the member
// wrote to Knoop in, else one Knoop created earlier, else a new one with
// the member invited.
func (a *Adapter) directRoom(ctx context.Context, user id.UserID) (id.RoomID, error) {
	a.mu.Lock()
	room, ok := a.dms[user]
	kv := a.keeper
	a.mu.Unlock()
	if ok {
		return room, nil
	}
	key := "dm:" + string(user)
	if kv != nil {
		if v, found, err := kv.State(ctx, Platform, key); err == nil && found {
			a.rememberDirect(ctx, user, id.RoomID(v), false)
			return id.RoomID(v), nil
		}
	}
	resp, err := a.cli.CreateRoom(ctx, &mautrix.ReqCreateRoom{
		Preset: "trusted_private_chat", IsDirect: true, Invite: []id.UserID{user},
	})
	if err != nil {
		return "", fmt.Errorf("matrix: create direct room: %w", err)
	}
	a.log.Info("direct room created", "room", resp.RoomID, "member", user)
	a.rememberDirect(ctx, user, resp.RoomID, true)
	return resp.RoomID, nil
}

// rememberDirect notes room as the direct room with user, in memory and,
// when persist is set, in PostgreSQL for other replicas and restarts.
func (a *Adapter) rememberDirect(ctx context.Context, user id.UserID, room id.RoomID, persist bool) {
	a.mu.Lock()
	known := a.dms[user] == room
	a.dms[user] = room
	kv := a.keeper
	a.mu.Unlock()
	if persist && !known && kv != nil {
		if err := kv.SetState(ctx, Platform, "dm:"+string(user), string(room)); err != nil {
			a.log.Warn("remember direct room", "err", err)
		}
	}
}

// SendInThread implements bot.Threader.
func (a *Adapter) SendInThread(ctx context.Context, to bot.Target, r bot.Reply) error {
	return a.Send(ctx, to, r)
}

func (a *Adapter) server(user id.UserID) string { return user.Homeserver() }

func (a *Adapter) allowed(user id.UserID) bool {
	return a.allow[string(user)] || a.allow[a.server(user)]
}

// standing says whether Knoop answers user, and whether as a guest:
// people of allowed servers (or allowed themselves) are members, everyone
// else is what Config.External says.
func (a *Adapter) standing(user id.UserID) (answer, guest bool) {
	if a.allowed(user) {
		return true, false
	}
	switch a.cfg.External {
	case ExternalMember:
		return true, false
	case ExternalGuest:
		return true, true
	}
	return false, false
}

func isCommand(body, prefix string) (string, bool) {
	t := strings.TrimSpace(body)
	if len(t) >= len(prefix) && strings.EqualFold(t[:len(prefix)], prefix) {
		return strings.TrimSpace(t[len(prefix):]), true
	}
	return "", false
}

func (a *Adapter) stateKeeper() (bot.StateKeeper, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.keeper, a.keeper != nil
}

// Ready reports whether the adapter is doing its job: syncing, or standing
// by while another replica holds this account's sync lock (ready too: the
// string says so). The error says why not (logging in, a failed login,
// /sync failing). Safe to call at any time, also before Run.
func (a *Adapter) Ready() (string, error) { return a.conn.Ready() }

// watchedSyncer reports failed syncs to Ready and the metrics; mautrix
// retries them after the DefaultSyncer's wait.
type watchedSyncer struct {
	*mautrix.DefaultSyncer
	a *Adapter
}

// ProcessResponse hands the response's events to the handlers, which
// queue their work, then seals the response's position: it is saved once
// that work has finished.
func (w watchedSyncer) ProcessResponse(ctx context.Context, res *mautrix.RespSync, since string) error {
	err := w.DefaultSyncer.ProcessResponse(ctx, res, since)
	if err == nil && w.a.pos != nil {
		w.a.pos.seal(ctx, res.NextBatch)
	}
	return err
}

func (w watchedSyncer) OnFailedSync(res *mautrix.RespSync, err error) (time.Duration, error) {
	w.a.cfg.Metrics.Error("sync")
	w.a.conn.Down("sync failing: " + err.Error())
	w.a.log.Warn("matrix sync failed; retrying", "err", err)
	return w.DefaultSyncer.OnFailedSync(res, err)
}
