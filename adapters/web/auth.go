package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"knoop/store"
)

// cookieName is the session cookie.
const cookieName = "knoop_session"

// signinData is the "sign in as …?" page.
type signinData struct {
	Lang   string
	Title  string
	Token  string
	Name   string
	Org    string
	Viewer *viewer
	Nav    string
}

// signinPage answers the link from chat. It does not use the link up: a
// link preview or a mail scanner may fetch the URL first. The member
// confirms with a button, which posts the token (signin).
func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	tok := r.URL.Query().Get("t")
	if tok == "" || len(tok) > 100 {
		s.message(w, lang, http.StatusBadRequest, "link_bad_title", "link_bad")
		return
	}
	ws, err := s.store.PeekSignInLink(r.Context(), tok, s.now())
	if err != nil {
		s.linkError(w, r, lang, err)
		return
	}
	if ws.Member.Language == "nl" || ws.Member.Language == "en" {
		lang = ws.Member.Language
	}
	w.Header().Set("Cache-Control", "no-store")
	d := signinData{Lang: lang, Title: tr(lang, "signin_title"), Token: tok, Name: ws.Member.DisplayName, Org: ws.Member.OrgName}
	if err := s.render(w, "signin", d); err != nil {
		s.fail(w, r, lang, err)
	}
}

func (s *Server) linkError(w http.ResponseWriter, r *http.Request, lang string, err error) {
	switch {
	case errors.Is(err, store.ErrExpired):
		s.message(w, lang, http.StatusGone, "link_expired_title", "link_expired")
	case errors.Is(err, store.ErrNotFound):
		s.message(w, lang, http.StatusGone, "link_used_title", "link_used")
	default:
		s.fail(w, r, lang, err)
	}
}

// signin uses up the link and sets the session cookie: HttpOnly,
// SameSite=Lax, Secure over HTTPS, for store.SessionTTL.
func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	if !sameOrigin(r) {
		s.message(w, lang, http.StatusForbidden, "link_bad_title", "cross_site")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	tok := r.PostFormValue("t")
	if tok == "" || len(tok) > 100 {
		s.message(w, lang, http.StatusBadRequest, "link_bad_title", "link_bad")
		return
	}
	session, ws, err := s.store.RedeemSignInLink(r.Context(), tok, s.now())
	if err != nil {
		s.linkError(w, r, lang, err)
		return
	}
	s.log.InfoContext(r.Context(), "web sign-in", "member", ws.Member.ID, "guest", ws.Guest)
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: session, Path: "/",
		Expires: ws.Expires, MaxAge: int(store.SessionTTL / time.Second),
		HttpOnly: true, Secure: s.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// signout ends this browser's session (`web signout` in chat ends all).
func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.message(w, langOf(r), http.StatusForbidden, "link_bad_title", "cross_site")
		return
	}
	lang := langOf(r)
	if c, err := r.Cookie(cookieName); err == nil && c.Value != "" && len(c.Value) <= 100 {
		if v, err := s.viewer(r); err == nil {
			lang = v.Lang
		}
		if err := s.store.EndSession(r.Context(), c.Value); err != nil {
			s.fail(w, r, lang, err)
			return
		}
	}
	s.clearCookie(w, r)
	s.message(w, lang, http.StatusOK, "signed_out_title", "signed_out")
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// sameOrigin refuses form posts from other sites: when the browser says
// where a post comes from, it must be here. Sec-Fetch-Site decides where
// the browser sends it (HTTPS and localhost); otherwise a named Origin
// must be this host. "null" passes: under Referrer-Policy: no-referrer
// browsers send it for their own same-origin posts too. SameSite=Lax
// already keeps the session cookie off cross-site posts; this also stops
// another site from signing a browser in with its own link.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin" || site == "none"
	}
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}
