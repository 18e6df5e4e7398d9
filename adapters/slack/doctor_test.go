package slack_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	slackadapter "knoop/adapters/slack"
	"knoop/adapters/slack/slackfake"
)

// RequiredScopes are exactly the bot scopes of slack-app-manifest.yaml.
func TestRequiredScopesMatchTheManifest(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../slack-app-manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var scopes []string
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "bot:":
			in = true
		case in && strings.HasPrefix(trimmed, "- "):
			scope, _, _ := strings.Cut(strings.TrimPrefix(trimmed, "- "), "#")
			scopes = append(scopes, strings.TrimSpace(scope))
		case in:
			in = false
		}
	}
	want := slices.Clone(slackadapter.RequiredScopes)
	slices.Sort(want)
	slices.Sort(scopes)
	if !slices.Equal(scopes, want) {
		t.Errorf("manifest bot scopes %v, RequiredScopes %v", scopes, want)
	}
	if !slices.Equal(slackfake.DefaultScopes, slackadapter.RequiredScopes) {
		t.Errorf("slackfake grants %v by default, want the required %v", slackfake.DefaultScopes, slackadapter.RequiredScopes)
	}
}

func TestCheckTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := slackfake.New(t)
	id, err := slackadapter.CheckBotToken(ctx, fake.APIURL(), "xoxb-good")
	if err != nil || id.UserID != slackfake.BotUserID || id.TeamID != slackfake.TeamID || len(id.MissingScopes()) != 0 {
		t.Errorf("good token: %+v %v (missing %v)", id, err, id.MissingScopes())
	}
	fake.SetScopes("chat:write", "commands")
	id, err = slackadapter.CheckBotToken(ctx, fake.APIURL(), "xoxb-good")
	if err != nil || !slices.Contains(id.MissingScopes(), "im:write") || slices.Contains(id.MissingScopes(), "commands") {
		t.Errorf("fewer scopes: missing %v, err %v", id.MissingScopes(), err)
	}
	fake.RefuseToken("xoxb-revoked")
	if _, err := slackadapter.CheckBotToken(ctx, fake.APIURL(), "xoxb-revoked"); err == nil || !strings.Contains(err.Error(), "invalid_auth") || strings.Contains(err.Error(), "xoxb-revoked") {
		t.Errorf("refused token: %v", err)
	}
	if err := slackadapter.CheckAppToken(ctx, fake.APIURL(), "xapp-1-good"); err != nil {
		t.Errorf("good app token: %v", err)
	}
	fake.RefuseToken("xapp-1-revoked")
	if err := slackadapter.CheckAppToken(ctx, fake.APIURL(), "xapp-1-revoked"); err == nil || !strings.Contains(err.Error(), "invalid_auth") {
		t.Errorf("refused app token: %v", err)
	}
}
