package slack

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"knoop/bot"
)

var _ bot.ConversationOpener = (*Adapter)(nil)

// OpenConversation implements bot.ConversationOpener: a group direct
// message with the users and the bot (conversations.open with several
// users; group DMs have no title, so title is not shown) and r posted in it.
func (a *Adapter) OpenConversation(ctx context.Context, _ string, userIDs []string, r bot.Reply) error {
	ch, _, _, err := a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: userIDs})
	if err != nil {
		return fmt.Errorf("slack: conversations.open: %w", err)
	}
	_, err = a.post(ctx, ch.ID, "", r)
	return err
}
