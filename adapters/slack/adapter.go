// Package slack puts Knoop into Slack: Socket Mode by default, HTTP mode
// (Events API, slash commands, interactivity) behind signature
// verification, Block Kit replies with one-click actions, and a modal for
// commitments.
package slack

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

	"github.com/slack-go/slack"

	"knoop/bot"
	"knoop/bot/metrics"
)

// Platform is the name Slack members and rooms are stored under.
const Platform = "slack"

// How Slack Connect users of another workspace are served (Config.External).
const (
	ExternalGuest  = "guest"
	ExternalMember = "member"
	ExternalIgnore = "ignore"
)

// Config is the [slack] section of config.toml.
type Config struct {
	BotToken      string   // xoxb-…
	AppToken      string   // xapp-…, for Socket Mode
	SigningSecret string   // for HTTP mode
	APIURL        string   // base URL of the Web API, ending in "/"; empty: Slack's
	Mode          string   // "socket" (default) or "http"
	Admins        []string // user ids with coordinator rights
	// External says how Slack Connect users of another workspace are
	// served: "guest" (the default: they may ask and commit, are never
	// coordinators, and see network-wide lists only privately), "member"
	// (like the workspace's own people) or "ignore" (not answered).
	External string
	Listen   string // HTTP mode: address to serve on
	// Metrics receives reconnects and adapter errors; nil: not counted.
	Metrics *metrics.Metrics
	// Wait is how long an event may take before it is acknowledged anyway
	// (Slack wants an answer within 3 s). Zero: 2.5 s.
	Wait time.Duration
	// HTTPTimeout bounds every Web API request, the response body
	// included (each retry has its own). Zero: 30 s.
	HTTPTimeout time.Duration
}

// DefaultHTTPTimeout bounds a Web API request when Config.HTTPTimeout is
// zero.
const DefaultHTTPTimeout = 30 * time.Second

// httpClient is the client every Web API request goes through: a bounded
// time to connect, to shake hands and for the whole request (slack-go's
// default client has none).
func httpClient(timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = DefaultHTTPTimeout
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = 10 * time.Second
	return &http.Client{Timeout: timeout, Transport: tr}
}

// Adapter is Knoop on one Slack app.
type Adapter struct {
	cfg    Config
	api    *slack.Client
	log    *slog.Logger
	admins map[string]bool
	now    func() time.Time

	self     identity // the bot's own user and team, from auth.test
	users    sync.Map // user id → cachedUser
	teams    sync.Map // team id → team name
	channels sync.Map // channel id → cachedChannel
	seen     recent   // envelope and event ids this process took

	work  sync.WaitGroup // events being handled, for a clean shutdown
	queue bot.Queue      // one member's events in order

	conn    metrics.Conn // what Ready reports
	mounted mountPoint   // HTTP mode behind a server the caller runs
}

type identity struct {
	userID, teamID string
}

var (
	_ bot.Adapter         = (*Adapter)(nil)
	_ bot.DirectMessenger = (*Adapter)(nil)
	_ bot.ActionRenderer  = (*Adapter)(nil)
	_ bot.Threader        = (*Adapter)(nil)
)

// New returns an adapter for cfg. It checks the configuration, not the
// tokens: Run does that with auth.test.
func New(cfg Config, log *slog.Logger) (*Adapter, error) {
	if cfg.BotToken == "" {
		return nil, errors.New("slack: bot_token (KNOOP_SLACK_BOT_TOKEN) is required")
	}
	switch cfg.Mode {
	case "", "socket":
		cfg.Mode = "socket"
		if !strings.HasPrefix(cfg.AppToken, "xapp-") {
			return nil, errors.New("slack: Socket Mode needs an app-level token xapp-… (app_token, KNOOP_SLACK_APP_TOKEN)")
		}
	case "http":
		if cfg.SigningSecret == "" {
			return nil, errors.New("slack: HTTP mode needs signing_secret (KNOOP_SLACK_SIGNING_SECRET)")
		}
	default:
		return nil, fmt.Errorf("slack: mode must be socket or http, got %q", cfg.Mode)
	}
	switch cfg.External {
	case "":
		cfg.External = ExternalGuest
	case ExternalGuest, ExternalMember, ExternalIgnore:
	default:
		return nil, fmt.Errorf("slack: external must be %s, %s or %s, got %q", ExternalGuest, ExternalMember, ExternalIgnore, cfg.External)
	}
	if cfg.APIURL != "" && !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/"
	}
	if cfg.Wait <= 0 {
		cfg.Wait = 2500 * time.Millisecond
	}
	opts := []slack.Option{
		// The client must come before the retry configuration, which
		// wraps it.
		slack.OptionHTTPClient(httpClient(cfg.HTTPTimeout)),
		slack.OptionAppLevelToken(cfg.AppToken),
		// 429s wait for Retry-After; 5xx and connection errors back off.
		// (slack-go's "all built-in" handlers leave 5xx out.)
		slack.OptionRetryConfig(retryConfig()),
	}
	if cfg.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(cfg.APIURL))
	}
	a := &Adapter{
		cfg:    cfg,
		api:    slack.New(cfg.BotToken, opts...),
		log:    log.With("platform", Platform),
		admins: map[string]bool{},
		now:    time.Now,
	}
	a.queue.Limit = memberQueue
	for _, id := range cfg.Admins {
		a.admins[id] = true
	}
	return a, nil
}

func retryConfig() slack.RetryConfig {
	cfg := slack.DefaultRetryConfig()
	cfg.MaxRetries = 4
	cfg.BackoffInitial = 200 * time.Millisecond
	cfg.BackoffMax = 5 * time.Second
	cfg.Handlers = append(slack.AllBuiltinRetryHandlers(cfg), slack.NewServerErrorRetryHandler(cfg))
	return cfg
}

// Name implements bot.Adapter.
func (a *Adapter) Name() string { return Platform }

// RendersActions implements bot.ActionRenderer: actions become buttons.
func (a *Adapter) RendersActions() bool { return true }

// Run connects (auth.test), then serves Socket Mode or HTTP mode until ctx
// ends. Events in flight when ctx ends are finished before Run returns.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) (runErr error) {
	a.conn.Down("connecting")
	defer func() {
		if runErr != nil {
			a.conn.Down(runErr.Error())
		} else {
			a.conn.Down("stopped")
		}
	}()
	auth, err := a.api.AuthTestContext(ctx)
	if err != nil {
		return fmt.Errorf("slack: auth.test: %w", err)
	}
	a.self = identity{userID: auth.UserID, teamID: auth.TeamID}
	a.log.Info("slack connected", "team", auth.TeamID, "bot_user", auth.UserID, "mode", a.cfg.Mode)
	defer a.work.Wait()
	if a.cfg.Mode == "http" {
		return a.runHTTP(ctx, h)
	}
	return a.runSocket(ctx, h)
}

// Send implements bot.Adapter: a message the bot starts itself.
func (a *Adapter) Send(ctx context.Context, to bot.Target, r bot.Reply) error {
	_, err := a.Post(ctx, to, r)
	return err
}

// Post implements bot.Poster: Send, returning the message's ts so the
// digest's details can go into its thread. A target with only a user is
// their direct-message channel.
func (a *Adapter) Post(ctx context.Context, to bot.Target, r bot.Reply) (string, error) {
	channel := to.RoomID
	if to.UserID != "" && channel == "" {
		ch, _, _, err := a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{to.UserID}})
		if err != nil {
			return "", fmt.Errorf("slack: conversations.open: %w", err)
		}
		channel = ch.ID
	}
	return a.post(ctx, channel, to.ThreadID, r)
}

// SendInThread implements bot.Threader.
func (a *Adapter) SendInThread(ctx context.Context, to bot.Target, r bot.Reply) error {
	_, err := a.post(ctx, to.RoomID, to.ThreadID, r)
	return err
}

// SendDirect implements bot.DirectMessenger.
func (a *Adapter) SendDirect(ctx context.Context, userID string, r bot.Reply) error {
	_, err := a.Post(ctx, bot.Target{Platform: Platform, UserID: userID}, r)
	return err
}

// post sends a reply to a channel, in a thread when threadTS is set. A
// reply longer than Slack's 50 blocks goes out as several messages.
func (a *Adapter) post(ctx context.Context, channel, threadTS string, r bot.Reply) (string, error) {
	blocks, text := render(r)
	var first string
	for i, part := range chunks(blocks) {
		opts := []slack.MsgOption{slack.MsgOptionBlocks(part...), slack.MsgOptionText(partText(text, i), false)}
		if threadTS != "" {
			opts = append(opts, slack.MsgOptionTS(threadTS))
		}
		_, ts, err := a.api.PostMessageContext(ctx, channel, opts...)
		if err != nil {
			return "", fmt.Errorf("slack: chat.postMessage: %w", err)
		}
		if i == 0 {
			first = ts
		}
	}
	return first, nil
}

// partText is the notification text of the i-th message of a split reply.
func partText(text string, i int) string {
	if i == 0 {
		return text
	}
	return "…"
}

// postPrivate shows a reply to one member only.
func (a *Adapter) postPrivate(ctx context.Context, channel, userID, threadTS string, r bot.Reply) error {
	blocks, text := render(r)
	for i, part := range chunks(blocks) {
		opts := []slack.MsgOption{slack.MsgOptionBlocks(part...), slack.MsgOptionText(partText(text, i), false)}
		if threadTS != "" {
			opts = append(opts, slack.MsgOptionTS(threadTS))
		}
		if _, err := a.api.PostEphemeralContext(ctx, channel, userID, opts...); err != nil {
			return fmt.Errorf("slack: chat.postEphemeral: %w", err)
		}
	}
	return nil
}
