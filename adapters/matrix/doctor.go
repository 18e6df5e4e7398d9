package matrix

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"

	"knoop/bot"
)

// TokenKey is the adapter state key under which a password login keeps
// its access token.
func TokenKey(userID string) string { return "token:" + userID }

// CheckHomeserver asks the homeserver's /versions (for knoop doctor) and
// returns the newest spec version it speaks.
func CheckHomeserver(ctx context.Context, homeserver string) (string, error) {
	cli, err := mautrix.NewClient(homeserver, "", "")
	if err != nil {
		return "", err
	}
	v, err := cli.Versions(ctx)
	if err != nil {
		return "", fmt.Errorf("/versions: %w", err)
	}
	if len(v.Versions) == 0 {
		return "", fmt.Errorf("/versions lists no spec version")
	}
	return v.Versions[len(v.Versions)-1].String(), nil
}

// CheckToken asks /whoami with token (for knoop doctor) and checks the
// token belongs to userID; it returns the token's device. Errors carry the
// homeserver's error code, never the token.
func CheckToken(ctx context.Context, homeserver, userID, token string) (string, error) {
	cli, err := mautrix.NewClient(homeserver, id.UserID(userID), token)
	if err != nil {
		return "", err
	}
	resp, err := cli.Whoami(ctx)
	if err != nil {
		return "", fmt.Errorf("/whoami: %w", err)
	}
	if string(resp.UserID) != userID {
		return "", fmt.Errorf("the token belongs to %s, not %s", resp.UserID, userID)
	}
	return string(resp.DeviceID), nil
}

// CheckCryptoStore looks at the end-to-end encryption store in Knoop's
// database (for knoop doctor): its tables open, and when the account of
// userID has keys there, the pickle key that decrypts them is kept too.
// A store not created yet is fine: the first run creates it.
func CheckCryptoStore(ctx context.Context, db *sql.DB, kv bot.StateKeeper, userID string) (string, error) {
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('crypto_account') IS NOT NULL AND to_regclass('crypto_version') IS NOT NULL`).Scan(&exists); err != nil {
		return "", fmt.Errorf("encryption store: %w", err)
	}
	if !exists {
		return "not created yet: the first run creates it", nil
	}
	var version int
	if err := db.QueryRowContext(ctx, `SELECT version FROM crypto_version`).Scan(&version); err != nil {
		return "", fmt.Errorf("encryption store version: %w", err)
	}
	var devices []string
	rows, err := db.QueryContext(ctx, `SELECT device_id FROM crypto_account WHERE account_id = $1`, userID)
	if err != nil {
		return "", fmt.Errorf("encryption store: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return "", fmt.Errorf("encryption store: %w", err)
		}
		devices = append(devices, d)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("encryption store: %w", err)
	}
	if len(devices) == 0 {
		return fmt.Sprintf("schema version %d, no keys for %s yet: the first run creates them", version, userID), nil
	}
	if _, ok, err := kv.State(ctx, Platform, pickleKeyName(userID)); err != nil {
		return "", fmt.Errorf("pickle key: %w", err)
	} else if !ok {
		return "", fmt.Errorf("keys of %s (device %s) are stored but the pickle key that decrypts them is missing", userID, strings.Join(devices, ", "))
	}
	return fmt.Sprintf("schema version %d, keys of device %s", version, strings.Join(devices, ", ")), nil
}

// pickleKeyName is the adapter state key of the pickle key of userID.
func pickleKeyName(userID string) string { return "pickle_key:" + userID }
