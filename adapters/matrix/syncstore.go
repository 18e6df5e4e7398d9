package matrix

import (
	"context"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"

	"knoop/bot"
)

// syncStore keeps mautrix's sync position and filter in PostgreSQL, so a
// restart continues where the last sync ended: what was said while Knoop
// was down is answered, older history is not replayed.
type syncStore struct {
	kv bot.StateKeeper
}

var _ mautrix.SyncStore = (*syncStore)(nil)

func (s *syncStore) SaveFilterID(ctx context.Context, user id.UserID, filterID string) error {
	return s.kv.SetState(ctx, Platform, "filter:"+string(user), filterID)
}

func (s *syncStore) LoadFilterID(ctx context.Context, user id.UserID) (string, error) {
	v, _, err := s.kv.State(ctx, Platform, "filter:"+string(user))
	return v, err
}

func (s *syncStore) SaveNextBatch(ctx context.Context, user id.UserID, token string) error {
	return s.kv.SetState(ctx, Platform, "next_batch:"+string(user), token)
}

func (s *syncStore) LoadNextBatch(ctx context.Context, user id.UserID) (string, error) {
	v, _, err := s.kv.State(ctx, Platform, "next_batch:"+string(user))
	return v, err
}
