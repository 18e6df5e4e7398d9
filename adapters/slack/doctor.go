package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/slack-go/slack"
)

// DefaultAPIURL is Slack's Web API.
const DefaultAPIURL = "https://slack.com/api/"

// RequiredScopes are the bot scopes slack-app-manifest.yaml asks for (a
// test keeps the two equal).
var RequiredScopes = []string{
	"app_mentions:read", "chat:write", "chat:write.public", "commands", "im:history",
	"im:read", "im:write", "users:read", "users.profile:read", "team:read",
	"channels:read", "groups:read", "mpim:read",
}

// BotIdentity is what auth.test says about a bot token.
type BotIdentity struct {
	Team, TeamID, User, UserID string
	// Scopes are the scopes granted to the token (the X-OAuth-Scopes
	// header), nil when Slack did not say.
	Scopes []string
}

// MissingScopes returns the RequiredScopes the token was not granted.
func (b BotIdentity) MissingScopes() []string {
	var out []string
	for _, s := range RequiredScopes {
		if !slices.Contains(b.Scopes, s) {
			out = append(out, s)
		}
	}
	return out
}

// CheckBotToken calls auth.test with the bot token (for knoop doctor).
// apiURL is the Web API base ending in "/", empty for Slack's. The error
// carries Slack's error code (invalid_auth, token_revoked, …), never the
// token.
func CheckBotToken(ctx context.Context, apiURL, token string) (BotIdentity, error) {
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, apiURL+"auth.test", nil)
	if err != nil {
		return BotIdentity{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return BotIdentity{}, fmt.Errorf("auth.test: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return BotIdentity{}, fmt.Errorf("auth.test: HTTP %d", resp.StatusCode)
	}
	var body struct {
		OK         bool
		Error      string
		Team, User string
		TeamID     string `json:"team_id"`
		UserID     string `json:"user_id"`
		BotID      string `json:"bot_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return BotIdentity{}, fmt.Errorf("auth.test: %w", err)
	}
	if !body.OK {
		return BotIdentity{}, fmt.Errorf("auth.test: %s", body.Error)
	}
	if body.BotID == "" {
		return BotIdentity{}, errors.New("auth.test: the token is not a bot token (xoxb-…)")
	}
	id := BotIdentity{Team: body.Team, TeamID: body.TeamID, User: body.User, UserID: body.UserID}
	if h := resp.Header.Get("X-OAuth-Scopes"); h != "" {
		for _, s := range strings.Split(h, ",") {
			id.Scopes = append(id.Scopes, strings.TrimSpace(s))
		}
	}
	return id, nil
}

// CheckAppToken asks apps.connections.open for a Socket Mode URL with the
// app-level token, without dialling it (for knoop doctor).
func CheckAppToken(ctx context.Context, apiURL, appToken string) error {
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	api := slack.New("", slack.OptionAppLevelToken(appToken), slack.OptionAPIURL(apiURL))
	if _, _, err := api.StartSocketModeContext(ctx); err != nil {
		return fmt.Errorf("apps.connections.open: %w", err)
	}
	return nil
}
