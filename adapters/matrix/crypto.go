package matrix

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/crypto/sql_store_upgrade"
	"maunium.net/go/mautrix/sqlstatestore"

	"knoop/bot"
)

// setupCrypto lets Knoop read and answer in end-to-end encrypted rooms.
// Its keys and the room state live in Knoop's PostgreSQL (mautrix's own
// tables), the pickle key that protects them in the adapter state. Built
// with -tags goolm, the olm implementation is pure Go.
func (a *Adapter) setupCrypto(ctx context.Context, h bot.Handler) (func(), error) {
	p, ok := h.(bot.SQLProvider)
	if !ok || a.kv == nil {
		return func() {}, nil
	}
	key, err := a.pickleKey(ctx)
	if err != nil {
		return nil, err
	}
	sqlDB := p.SQLDB()
	// mautrix's schema upgrader asks information_schema whether its
	// version tables exist without naming a schema, so with several
	// schemas in one database (parallel tests, or two deployments) it
	// finds another schema's table and then fails to read it from ours.
	// Creating them empty in our schema first is what it does itself on
	// a fresh database.
	for _, table := range []string{sqlstatestore.VersionTableName, sql_store_upgrade.VersionTableName} {
		if _, err := sqlDB.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+table+" (version INTEGER, compat INTEGER)"); err != nil {
			return nil, fmt.Errorf("matrix: crypto database: %w", err)
		}
	}
	db, err := dbutil.NewWithDB(sqlDB, "pgx")
	if err != nil {
		return nil, fmt.Errorf("matrix: crypto database: %w", err)
	}
	helper, err := cryptohelper.NewCryptoHelper(a.cli, key, db)
	if err != nil {
		return nil, fmt.Errorf("matrix: crypto: %w", err)
	}
	// One account per database: the account id keeps two bot accounts on
	// one database apart.
	helper.DBAccountID = string(a.me)
	if err := helper.Init(ctx); err != nil {
		return nil, fmt.Errorf("matrix: crypto init: %w", err)
	}
	a.cli.Crypto = helper
	return func() { _ = helper.Close() }, nil
}

// pickleKey returns the key that encrypts the olm account at rest,
// creating it on first use.
func (a *Adapter) pickleKey(ctx context.Context) ([]byte, error) {
	name := pickleKeyName(string(a.me))
	if v, ok, err := a.kv.State(ctx, Platform, name); err != nil {
		return nil, err
	} else if ok {
		return base64.StdEncoding.DecodeString(v)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	if err := a.kv.SetState(ctx, Platform, name, base64.StdEncoding.EncodeToString(b)); err != nil {
		return nil, err
	}
	return b, nil
}
