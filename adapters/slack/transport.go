package slack

import (
	"net/http"
	"time"
)

// webAPIClient is the HTTP client for Slack's Web API. Go's default
// transport keeps two idle connections per host, so under load most posts
// (one per answer, made side by side) opened a new connection and left the
// old one in TIME_WAIT; this one keeps enough of them alive for the
// answers in flight.
func webAPIClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 128
	t.MaxIdleConnsPerHost = 64
	t.IdleConnTimeout = 90 * time.Second
	return &http.Client{Transport: t}
}
