package slack

import (
	"context"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"knoop/bot"
)

// userTTL is how long a users.info answer is trusted.
const userTTL = time.Hour

type cachedUser struct {
	name, tz, lang, org string
	external            bool // of another workspace (Slack Connect)
	at                  time.Time
}

// message builds the core's message for text a Slack user said, with the
// member hints users.info gives (display name, timezone, language from the
// locale) and, for Slack Connect members of another team, that team's name
// as their organisation.
func (a *Adapter) message(ctx context.Context, userID, channel, threadTS, text string, direct bool) bot.Message {
	u := a.user(ctx, userID)
	guest := u.external && a.cfg.External == ExternalGuest
	shared := !direct && a.shared(ctx, channel)
	return bot.Message{
		Platform: Platform, RoomID: channel, ThreadID: threadTS, UserID: userID, UserName: u.name,
		// Every channel and DM of the workspace Knoop is installed in is
		// one network, so a skill declared in a DM counts in channels.
		Network: "team:" + a.self.teamID,
		Text:    text, Direct: direct, Guest: guest, Shared: shared, Coordinator: !guest && a.admins[userID],
		Timezone: u.tz, Language: u.lang, OrgHint: u.org,
	}
}

type cachedChannel struct {
	shared bool
	at     time.Time
}

// shared reports whether channel is shared with another organisation's
// workspace (Slack Connect) whose people are not served as members. When
// conversations.info fails, the channel counts as shared: a list shown to
// the asker only is better than one shown to strangers.
func (a *Adapter) shared(ctx context.Context, channel string) bool {
	if a.cfg.External == ExternalMember || channel == "" {
		return false
	}
	if v, ok := a.channels.Load(channel); ok {
		if c := v.(cachedChannel); a.now().Sub(c.at) < userTTL {
			return c.shared
		}
	}
	info, err := a.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: channel})
	if err != nil {
		a.log.WarnContext(ctx, "conversations.info failed; treating the channel as shared", "channel", channel, "err", err)
		return true
	}
	c := cachedChannel{shared: info.IsExtShared || info.IsPendingExtShared, at: a.now()}
	a.channels.Store(channel, c)
	return c.shared
}

// ignored reports whether userID is a Slack Connect user of another
// workspace while External is "ignore": nothing they say is answered or
// stored.
func (a *Adapter) ignored(ctx context.Context, userID string) bool {
	return a.cfg.External == ExternalIgnore && a.user(ctx, userID).external
}

func (a *Adapter) user(ctx context.Context, userID string) cachedUser {
	if v, ok := a.users.Load(userID); ok {
		if u := v.(cachedUser); a.now().Sub(u.at) < userTTL {
			return u
		}
	}
	info, err := a.api.GetUserInfoContext(ctx, userID, slack.GetUserInfoOptionIncludeLocale(true))
	if err != nil {
		// A member is still answered without the hints; the id is enough.
		a.log.WarnContext(ctx, "users.info failed", "user", userID, "err", err)
		return cachedUser{}
	}
	u := cachedUser{name: displayName(info), tz: info.TZ, lang: language(info.Locale), at: a.now()}
	if info.TeamID != "" && a.self.teamID != "" && info.TeamID != a.self.teamID {
		u.external = true
		u.org = a.teamName(ctx, info.TeamID)
	}
	a.users.Store(userID, u)
	return u
}

func displayName(u *slack.User) string {
	for _, n := range []string{u.Profile.DisplayName, u.RealName, u.Profile.RealName, u.Name} {
		if n = strings.TrimSpace(n); n != "" {
			return n
		}
	}
	return u.ID
}

// language maps a Slack locale ("nl-NL", "en-GB") to the core's languages.
func language(locale string) string {
	switch {
	case strings.HasPrefix(locale, "nl"):
		return bot.NL
	case strings.HasPrefix(locale, "en"):
		return bot.EN
	}
	return ""
}

func (a *Adapter) teamName(ctx context.Context, teamID string) string {
	if v, ok := a.teams.Load(teamID); ok {
		return v.(string)
	}
	info, err := a.api.GetOtherTeamInfoContext(ctx, teamID)
	if err != nil || info.Name == "" {
		a.log.WarnContext(ctx, "team.info failed", "team", teamID, "err", err)
		return ""
	}
	a.teams.Store(teamID, info.Name)
	return info.Name
}
