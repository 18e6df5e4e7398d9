package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// Lifetimes of the network page's tokens.
const (
	// SignInLinkTTL is how long a sign-in link sent in chat works.
	SignInLinkTTL = 15 * time.Minute
	// SessionTTL is how long a browser stays signed in.
	SessionTTL = 30 * 24 * time.Hour
)

// ErrExpired is returned for a sign-in link or session past its lifetime.
var ErrExpired = errors.New("expired")

// WebSession is who a page is shown to.
type WebSession struct {
	Member  Member
	Network Network // the member's network (read with the session)
	Guest   bool
	Expires time.Time
}

// newToken returns a random token (43 URL-safe characters) and the hash
// that is stored for it.
func newToken() (string, []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	tok := base64.RawURLEncoding.EncodeToString(b)
	return tok, hashToken(tok)
}

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// NewSignInLink mints a single-use sign-in token for a member, valid for
// SignInLinkTTL from now. Only its hash is stored; the token itself is
// returned once, to be sent to the member. Expired tokens of every member
// are swept out on the way.
func (s *Store) NewSignInLink(ctx context.Context, memberID int64, guest bool, now time.Time) (string, error) {
	tok, hash := newToken()
	err := s.Tx(ctx, func(q *Queries) error {
		if _, err := q.db.Exec(ctx, `DELETE FROM web_tokens WHERE expires_at < $1`, now); err != nil {
			return err
		}
		_, err := q.db.Exec(ctx, `INSERT INTO web_tokens (hash, kind, member_id, guest, expires_at, created_at)
			SELECT $1, 'link', id, $3, $4, $5 FROM members WHERE id = $2 AND forgotten_at IS NULL`,
			hash, memberID, guest, now.Add(SignInLinkTTL), now)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("sign-in link: %w", interpret(err))
	}
	return tok, nil
}

// PeekSignInLink reports whose sign-in link tok is without using it up
// (the page asks "sign in as …?" before the link is spent, so a link
// preview fetching the URL does not burn it). ErrNotFound: unknown or used;
// ErrExpired: too old.
func (q *Queries) PeekSignInLink(ctx context.Context, tok string, now time.Time) (WebSession, error) {
	return q.webToken(ctx, "link", tok, now)
}

// RedeemSignInLink uses up a sign-in link and opens a session for its
// member: it returns the session's token (for the cookie) and who it is
// for. A link works once: a second redeem gets ErrNotFound; a link older
// than SignInLinkTTL gets ErrExpired (and is deleted too).
func (s *Store) RedeemSignInLink(ctx context.Context, tok string, now time.Time) (string, WebSession, error) {
	session, hash := newToken()
	var ws WebSession
	err := s.Tx(ctx, func(q *Queries) error {
		var memberID int64
		var expires time.Time
		err := q.db.QueryRow(ctx, `DELETE FROM web_tokens WHERE hash = $1 AND kind = 'link'
			RETURNING member_id, guest, expires_at`, hashToken(tok)).Scan(&memberID, &ws.Guest, &expires)
		if err != nil {
			return interpret(err)
		}
		if !now.Before(expires) {
			return ErrExpired
		}
		if ws.Member, err = q.Member(ctx, memberID); err != nil {
			return err
		}
		if ws.Member.Forgotten {
			return ErrNotFound
		}
		ws.Expires = now.Add(SessionTTL)
		_, err = q.db.Exec(ctx, `INSERT INTO web_tokens (hash, kind, member_id, guest, expires_at, created_at)
			VALUES ($1, 'session', $2, $3, $4, $5)`, hash, memberID, ws.Guest, ws.Expires, now)
		return interpret(err)
	})
	if errors.Is(err, ErrExpired) {
		// The expired link is deleted all the same.
		_, _ = s.db.Exec(ctx, `DELETE FROM web_tokens WHERE hash = $1`, hashToken(tok))
	}
	if err != nil {
		return "", WebSession{}, fmt.Errorf("redeem sign-in link: %w", err)
	}
	return session, ws, nil
}

// Session returns who a session token belongs to: ErrNotFound when it is
// unknown, revoked or its member was forgotten, ErrExpired when too old.
// One read.
func (q *Queries) Session(ctx context.Context, tok string, now time.Time) (WebSession, error) {
	return q.webToken(ctx, "session", tok, now)
}

func (q *Queries) webToken(ctx context.Context, kind, tok string, now time.Time) (WebSession, error) {
	var ws WebSession
	row := q.db.QueryRow(ctx, `SELECT t.guest, t.expires_at, n.id, n.name, n.charter, n.timezone, n.language, `+memberColumns+`
		FROM web_tokens t JOIN members m ON m.id = t.member_id
		JOIN networks n ON n.id = m.network_id
		LEFT JOIN organisations o ON o.id = m.org_id
		WHERE t.hash = $1 AND t.kind = $2 AND m.forgotten_at IS NULL`, hashToken(tok), kind)
	var guest bool
	var expires time.Time
	var n Network
	m, err := scanMember(scanPrefix{row, []any{&guest, &expires, &n.ID, &n.Name, &n.Charter, &n.Timezone, &n.Language}})
	if err != nil {
		return WebSession{}, fmt.Errorf("web %s: %w", kind, interpret(err))
	}
	if !now.Before(expires) {
		return WebSession{}, fmt.Errorf("web %s: %w", kind, ErrExpired)
	}
	ws.Member, ws.Network, ws.Guest, ws.Expires = m, n, guest, expires
	return ws, nil
}

// scanPrefix scans some columns before a member's.
type scanPrefix struct {
	row    interface{ Scan(...any) error }
	prefix []any
}

func (s scanPrefix) Scan(dst ...any) error { return s.row.Scan(append(s.prefix, dst...)...) }

// EndSession deletes one session (signing out of one browser).
func (q *Queries) EndSession(ctx context.Context, tok string) error {
	_, err := q.db.Exec(ctx, `DELETE FROM web_tokens WHERE hash = $1 AND kind = 'session'`, hashToken(tok))
	return interpret(err)
}

// RevokeWebAccess deletes every session and unused sign-in link of a
// member ("web signout" in chat) and returns how many sessions ended.
func (q *Queries) RevokeWebAccess(ctx context.Context, memberID int64) (int, error) {
	var n int
	err := q.db.QueryRow(ctx, `WITH gone AS (DELETE FROM web_tokens WHERE member_id = $1 RETURNING kind)
		SELECT count(*) FILTER (WHERE kind = 'session') FROM gone`, memberID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("revoke web access: %w", interpret(err))
	}
	return n, nil
}
