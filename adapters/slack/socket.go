package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"knoop/bot"
)

// runSocket serves Socket Mode: slack-go keeps the websocket (reconnecting
// after a disconnect envelope or missed pings); this loop takes its events
// one by one, hands each to a goroutine and acknowledges it when answered
// or, for slow work, after cfg.Wait.
func (a *Adapter) runSocket(ctx context.Context, h bot.Handler) error {
	sm := socketmode.New(a.api)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- sm.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-runErr:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case ev, ok := <-sm.Events:
			if !ok {
				return errors.New("slack: socket mode closed")
			}
			a.socketEvent(ctx, h, sm, ev)
		}
	}
}

// socketEvent dispatches one Socket Mode event. Envelopes (events, slash
// commands, interactions) are handled in order per member and
// acknowledged; the switch in the second half lists the connection events,
// which are logged only.
func (a *Adapter) socketEvent(ctx context.Context, h bot.Handler, sm *socketmode.Client, ev socketmode.Event) {
	if key, work, isEnvelope := a.envelopeWork(h, ev); isEnvelope {
		switch {
		case work == nil || ev.Request == nil:
			a.log.Warn("malformed envelope skipped", "type", string(ev.Type))
			a.ackSoon(ctx, sm, ev.Request, nil)
		case !a.firstEnvelope(ev.Request.EnvelopeID):
			a.ackSoon(ctx, sm, ev.Request, nil)
		default:
			req := *ev.Request
			a.dispatch(ctx, key, work, func(p any) { a.ack(ctx, sm, &req, p) })
		}
		return
	}
	switch ev.Type {
	case socketmode.EventTypeConnected:
		a.log.Debug("socket mode", "type", string(ev.Type))
		a.conn.Up(a.cfg.Metrics, Platform, "socket mode connected")
	case socketmode.EventTypeConnecting:
		a.log.Debug("socket mode", "type", string(ev.Type))
		a.conn.Down("socket mode connecting")
	case socketmode.EventTypeHello:
		a.log.Debug("socket mode", "type", string(ev.Type))
	case socketmode.EventTypeDisconnect:
		a.log.Info("socket mode disconnect requested; reconnecting")
		a.conn.Down("socket mode reconnecting after a disconnect request")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("socket mode connection problem", "type", string(ev.Type), "err", fmt.Sprint(ev.Data))
		a.conn.Down("socket mode connection problem: " + string(ev.Type))
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("socket mode: the app-level token was refused")
		a.conn.Down("socket mode: the app-level token was refused")
	case socketmode.EventTypeErrorBadMessage:
		// Acknowledge it if it has an envelope id, so Slack does not send
		// the same broken envelope again; log it without its content.
		var env struct {
			EnvelopeID string `json:"envelope_id"`
		}
		if bad, ok := ev.Data.(*socketmode.ErrorBadMessage); ok {
			if json.Unmarshal(bad.Message, &env) == nil && env.EnvelopeID != "" {
				a.ackSoon(ctx, sm, &socketmode.Request{EnvelopeID: env.EnvelopeID}, nil)
			}
			a.log.Warn("malformed socket mode message skipped", "envelope", env.EnvelopeID, "err", bad.Cause)
		} else {
			a.log.Warn("malformed socket mode message skipped")
		}
	default:
		a.log.Debug("socket mode event ignored", "type", string(ev.Type))
	}
}

// firstEnvelope drops an envelope this process already took (the event id
// check in handleEvent catches redeliveries under a new envelope id).
func (a *Adapter) firstEnvelope(id string) bool {
	if id == "" {
		return true
	}
	return a.seen.first("envelope:" + id)
}

// ack sends an acknowledgement, giving up when ctx (the socket's life)
// ends: slack-go queues acks in a small buffer that only a live connection
// drains, so an ack after shutdown would block its goroutine forever. An
// event left unacknowledged is redelivered and the event-id dedupe drops
// it if it was answered.
func (a *Adapter) ack(ctx context.Context, sm *socketmode.Client, req *socketmode.Request, payload any) {
	if req == nil {
		return
	}
	if err := sm.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
		if ctx.Err() != nil {
			a.log.Info("not acknowledged: shutting down; Slack redelivers it", "envelope", req.EnvelopeID)
			return
		}
		a.cfg.Metrics.Error("ack")
		a.log.Warn("ack failed", "envelope", req.EnvelopeID, "err", err)
	}
}

// ackSoon acknowledges an envelope that needs no work, without holding up
// the event loop; Run waits for it like for any other work.
func (a *Adapter) ackSoon(ctx context.Context, sm *socketmode.Client, req *socketmode.Request, payload any) {
	a.work.Add(1)
	go func() {
		defer a.work.Done()
		a.ack(ctx, sm, req, payload)
	}()
}

// envelopeWork returns the ordering key and the work for an envelope, or
// isEnvelope false for connection events. A malformed envelope has no work.
func (a *Adapter) envelopeWork(h bot.Handler, ev socketmode.Event) (key string, work func(context.Context, func() bool) any, isEnvelope bool) {
	switch ev.Type {
	case socketmode.EventTypeEventsAPI:
		if e, ok := ev.Data.(slackevents.EventsAPIEvent); ok {
			return eventKey(e), a.eventWork(h, e), true
		}
	case socketmode.EventTypeSlashCommand:
		if cmd, ok := ev.Data.(slack.SlashCommand); ok {
			return slashKey(cmd), a.slashWork(h, cmd), true
		}
	case socketmode.EventTypeInteractive:
		if cb, ok := ev.Data.(slack.InteractionCallback); ok {
			return cb.User.ID, a.interactionWork(h, cb), true
		}
	default:
		return "", nil, false
	}
	return "", nil, true
}
