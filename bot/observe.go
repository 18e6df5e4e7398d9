package bot

import (
	"context"
	"log/slog"

	"knoop/bot/metrics"
)

// WithMetrics makes the bot count messages, replies, errors and command
// latencies into m.
func WithMetrics(m *metrics.Metrics) Option { return func(b *Bot) { b.metrics = m } }

type eventKey struct{}

// WithEvent returns ctx carrying the platform's id of the event being
// handled. Adapters set it once per event; everything logged with that
// context (the *Context logging methods) then carries it as the attribute
// "event", through a handler wrapped by LogHandler.
func WithEvent(ctx context.Context, id string) context.Context {
	if id == "" {
		return ctx
	}
	return context.WithValue(ctx, eventKey{}, id)
}

// EventID is the event id WithEvent put into ctx, or "".
func EventID(ctx context.Context) string {
	id, _ := ctx.Value(eventKey{}).(string)
	return id
}

// LogHandler wraps h so that a record logged with a context carrying an
// event id (WithEvent) gets the attribute event=id.
func LogHandler(h slog.Handler) slog.Handler { return eventHandler{h} }

type eventHandler struct{ slog.Handler }

func (h eventHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := EventID(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("event", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h eventHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return eventHandler{h.Handler.WithAttrs(attrs)}
}

func (h eventHandler) WithGroup(name string) slog.Handler {
	return eventHandler{h.Handler.WithGroup(name)}
}
