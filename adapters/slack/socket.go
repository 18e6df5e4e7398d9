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

// socketEvent dispatches one Socket Mode event. The switch lists every
// event type; connection events are logged only.
func (a *Adapter) socketEvent(ctx context.Context, h bot.Handler, sm *socketmode.Client, ev socketmode.Event) {
	switch ev.Type {
	case socketmode.EventTypeEventsAPI:
		e, ok := ev.Data.(slackevents.EventsAPIEvent)
		if !ok || ev.Request == nil {
			a.log.Warn("malformed events_api envelope skipped")
			a.ackSoon(ctx, sm, ev.Request, nil)
			return
		}
		if !a.firstEnvelope(ev.Request.EnvelopeID) {
			a.ackSoon(ctx, sm, ev.Request, nil)
			return
		}
		req := *ev.Request
		a.dispatch(ctx, eventKey(e), a.eventWork(h, e), func(any) { a.ack(ctx, sm, &req, nil) })
	case socketmode.EventTypeSlashCommand:
		cmd, ok := ev.Data.(slack.SlashCommand)
		if !ok || ev.Request == nil {
			a.log.Warn("malformed slash command skipped")
			a.ackSoon(ctx, sm, ev.Request, nil)
			return
		}
		if !a.firstEnvelope(ev.Request.EnvelopeID) {
			a.ackSoon(ctx, sm, ev.Request, nil)
			return
		}
		req := *ev.Request
		a.dispatch(ctx, slashKey(cmd), a.slashWork(h, cmd), func(p any) { a.ack(ctx, sm, &req, p) })
	case socketmode.EventTypeInteractive:
		cb, ok := ev.Data.(slack.InteractionCallback)
		if !ok || ev.Request == nil {
			a.log.Warn("malformed interaction skipped")
			a.ackSoon(ctx, sm, ev.Request, nil)
			return
		}
		if !a.firstEnvelope(ev.Request.EnvelopeID) {
			a.ackSoon(ctx, sm, ev.Request, nil)
			return
		}
		req := *ev.Request
		a.dispatch(ctx, cb.User.ID, a.interactionWork(h, cb), func(p any) { a.ack(ctx, sm, &req, p) })
	case socketmode.EventTypeConnecting, socketmode.EventTypeConnected, socketmode.EventTypeHello:
		a.log.Debug("socket mode", "event", string(ev.Type))
	case socketmode.EventTypeDisconnect:
		a.log.Info("socket mode disconnect requested; reconnecting")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("socket mode connection problem", "event", string(ev.Type), "data", fmt.Sprint(ev.Data))
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("socket mode: the app-level token was refused")
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
