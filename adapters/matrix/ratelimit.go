package matrix

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// retryAfterTransport copies M_LIMIT_EXCEEDED's retry_after_ms from the
// JSON body into a Retry-After header when the server sent none: mautrix
// waits for Retry-After before it retries a 429, and the Matrix spec puts
// the wait in the body.
type retryAfterTransport struct {
	next http.RoundTripper
}

func (t retryAfterTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "" {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var e struct {
		RetryAfterMs int64 `json:"retry_after_ms"`
	}
	if json.Unmarshal(body, &e) == nil && e.RetryAfterMs > 0 {
		resp.Header.Set("Retry-After", strconv.FormatInt((e.RetryAfterMs+999)/1000, 10))
	}
	return resp, nil
}
