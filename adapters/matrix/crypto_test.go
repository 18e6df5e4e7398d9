package matrix_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// encryptingMember gives alice's client end-to-end encryption and a sync
// loop; Knoop's decrypted messages arrive on the returned channel. Her
// keys share the test schema's crypto tables under her own account id
// (mautrix's table checks do not look at the schema, so a second schema in
// one database would confuse them).
func encryptingMember(t *testing.T, h *harness, cli *mautrix.Client) <-chan *event.Event {
	t.Helper()
	knoop := h.knoop
	ctx, cancel := context.WithCancel(context.Background())
	db, err := dbutil.NewWithDB(h.store.SQLDB(), "pgx")
	if err != nil {
		t.Fatal(err)
	}
	helper, err := cryptohelper.NewCryptoHelper(cli, []byte("alice's pickle key"), db)
	if err != nil {
		t.Fatal(err)
	}
	helper.DBAccountID = string(cli.UserID)
	if err := helper.Init(ctx); err != nil {
		t.Fatal(err)
	}
	cli.Crypto = helper
	got := make(chan *event.Event, 16)
	cli.Syncer.(*mautrix.DefaultSyncer).OnEventType(event.EventMessage, func(_ context.Context, evt *event.Event) {
		if evt.Sender == knoop {
			select {
			case got <- evt:
			default:
			}
		}
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = cli.SyncWithContext(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		_ = helper.Close()
	})
	return got
}

func TestEncryptedRoom(t *testing.T) {
	h := setup(t)
	stop := h.run()
	defer stop()
	// A fresh login gives alice a device of her own for her keys.
	alice := h.srv.Login(t, h.alice.UserID.Localpart(), "alice-password")
	// Knoop's process creates the crypto tables first.
	h.waitCryptoTables()
	answers := encryptingMember(t, h, alice)

	resp, err := alice.CreateRoom(context.Background(), &mautrix.ReqCreateRoom{
		Preset: "private_chat", Name: "Vertrouwelijk",
		Invite: []id.UserID{h.knoop},
		InitialState: []*event.Event{{Type: event.StateEncryption,
			Content: event.Content{Parsed: &event.EncryptionEventContent{Algorithm: id.AlgorithmMegolmV1}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.waitJoined(resp.RoomID)
	// Wait until alice's client knows Knoop is in the room, so her message
	// key is shared with Knoop's device.
	deadline := time.Now().Add(wait)
	for {
		if alice.StateStore.IsMembership(context.Background(), resp.RoomID, h.knoop, event.MembershipJoin) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("alice never saw Knoop join")
		}
		time.Sleep(50 * time.Millisecond)
	}
	sent, err := alice.SendMessageEvent(context.Background(), resp.RoomID, event.EventMessage,
		&event.MessageEventContent{MsgType: event.MsgText, Body: "!knoop skills add geheimhouding"})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case evt := <-answers:
		msg := evt.Content.AsMessage()
		if !strings.Contains(msg.Body, "geheimhouding") || msg.RelatesTo.GetReplyTo() != sent.EventID {
			t.Fatalf("answer %q (reply to %s)", msg.Body, msg.RelatesTo.GetReplyTo())
		}
		if evt.Mautrix.WasEncrypted != true {
			t.Fatal("Knoop answered in clear text in an encrypted room")
		}
	case <-time.After(wait):
		t.Fatal("no decryptable answer from Knoop in the encrypted room")
	}
}

func (h *harness) waitCryptoTables() {
	h.t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		var n int
		if err := h.store.Pool().QueryRow(context.Background(),
			`SELECT count(*) FROM crypto_account WHERE account_id = $1`, string(h.knoop)).Scan(&n); err == nil && n > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	h.t.Fatal("Knoop never set up its crypto account")
}
