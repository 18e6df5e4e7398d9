package slackfake

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// Call is one recorded Web API request (or a POST to a response_url, recorded
// with Method "response_url").
type Call struct {
	Method   string         // e.g. "chat.postMessage"
	Form     url.Values     // form fields (and query parameters) of form-encoded requests
	JSON     map[string]any // decoded body of JSON requests
	Header   http.Header    // request headers (Authorization included)
	At       time.Time      // when the fake received it
	Token    string         // the Bearer token, else the form field "token"
	Path     string         // the request path
	Body     []byte         // the raw request body
	Status   int            // HTTP status the fake answered
	Response map[string]any // the JSON the fake answered (nil for non-JSON failures)
}

// Get returns a top-level string argument, from the form or the JSON body.
func (c Call) Get(key string) string {
	if v := c.Form.Get(key); v != "" {
		return v
	}
	if v, ok := c.JSON[key].(string); ok {
		return v
	}
	return ""
}

// raw returns an argument as JSON text: a form field as is, a JSON body field re-encoded.
func (c Call) raw(key string) string {
	if v := c.Form.Get(key); v != "" {
		return v
	}
	if v, ok := c.JSON[key]; ok && v != nil {
		b, _ := json.Marshal(v)
		return string(b)
	}
	return ""
}

// Blocks decodes the call's "blocks" argument (empty if there is none).
func (c Call) Blocks() (slack.Blocks, error) {
	var b slack.Blocks
	raw := c.raw("blocks")
	if raw == "" {
		return b, nil
	}
	err := json.Unmarshal([]byte(raw), &b)
	return b, err
}

// readCall parses a request into a Call: JSON bodies into JSON, other bodies into Form.
func readCall(r *http.Request, method string) Call {
	body, _ := io.ReadAll(r.Body)
	c := Call{Method: method, Header: r.Header.Clone(), At: time.Now(), Path: r.URL.Path, Body: body}
	c.Form = r.URL.Query()
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case ct == "application/json":
		if len(bytes.TrimSpace(body)) > 0 {
			_ = json.Unmarshal(body, &c.JSON)
		}
	case strings.HasPrefix(ct, "multipart/"):
		r.Body = io.NopCloser(bytes.NewReader(body))
		if r.ParseMultipartForm(32<<20) == nil {
			c.Form = r.Form
		}
	default:
		form, _ := url.ParseQuery(string(body))
		for k, vs := range form {
			c.Form[k] = append(c.Form[k], vs...)
		}
	}
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		c.Token = tok
	} else {
		c.Token = c.Get("token")
	}
	return c
}
