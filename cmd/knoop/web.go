package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	slackadapter "knoop/adapters/slack"
	"knoop/adapters/web"
	"knoop/store"
)

// webPage is the network page being served: on a listener of its own, or
// mounted on knoop run's ops server when [web] listen equals [http] listen.
type webPage struct {
	base string       // the URL members reach it at, for sign-in links
	srv  *http.Server // nil when mounted on the ops server
	ln   net.Listener
}

// webCacheTTL is how long the page reuses a network's aggregates
// (organisations, connections, goal histories): a change made in chat
// shows on those parts of the page within it.
const webCacheTTL = 30 * time.Second

// startWeb serves the network page on addr ("127.0.0.1:0" picks a free
// port), or on the one of knoop run's servers that listens on addr
// already. baseURL, when set, is the public URL members use (behind a
// proxy); otherwise the listener's.
func startWeb(st *store.Store, log *slog.Logger, addr, baseURL string, servers []*opsServer) (*webPage, error) {
	p := &webPage{}
	var ln net.Listener
	var ops *opsServer
	for _, s := range servers {
		if s.configured == addr {
			ops = s
		}
	}
	if ops != nil {
		p.base = "http://" + ops.Addr()
	} else {
		var err error
		if ln, err = net.Listen("tcp", addr); err != nil {
			return nil, fmt.Errorf("web.listen: %w", err)
		}
		p.base, p.ln = "http://"+ln.Addr().String(), ln
	}
	if baseURL != "" {
		p.base = baseURL
	}
	page, err := web.New(st, web.Options{BaseURL: p.base, Log: log, CacheTTL: webCacheTTL})
	if err != nil {
		if ln != nil {
			_ = ln.Close()
		}
		return nil, err
	}
	if ln == nil {
		// Everything that server does not answer itself is the page's.
		ops.mux.Handle("/", page.Handler())
	} else {
		p.srv = &http.Server{Handler: page.Handler(), ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout: slackadapter.ReadTimeout, WriteTimeout: slackadapter.WriteTimeout, IdleTimeout: slackadapter.IdleTimeout}
		go func() { _ = p.srv.Serve(ln) }()
	}
	log.Info("network page serving", "url", p.base)
	return p, nil
}

// Stop ends the page's own listener, letting requests in flight finish
// for up to a second.
func (p *webPage) Stop(ctx context.Context) {
	if p == nil || p.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	_ = p.srv.Shutdown(ctx)
}
