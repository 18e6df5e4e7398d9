package matrixtest

import (
	"errors"
	"strings"
	"testing"
)

func TestPatchConfig(t *testing.T) {
	in := "global:\n  server_name: localhost\n  private_key: matrix_key.pem\n  old_private_keys: []\n  disable_federation: false\n" +
		"client_api:\n  registration_disabled: false\n  registration_shared_secret: complement\n  recaptcha_private_key: \"\"\n" +
		"logging:\n- type: std\n  level: trace\n"
	out, err := patchConfig([]byte(in), "/tmp/it's/matrix_key.pem", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	want := "global:\n  server_name: localhost\n  private_key: '/tmp/it''s/matrix_key.pem'\n  old_private_keys: []\n  disable_federation: true\n" +
		"client_api:\n  registration_disabled: true\n  registration_shared_secret: 's3cret'\n  recaptcha_private_key: \"\"\n" +
		"logging:\n- type: std\n  level: warn\n"
	if string(out) != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	if _, err := patchConfig([]byte("global:\n  private_key: a\n"), "k", "s"); err == nil || !strings.Contains(err.Error(), "registration_disabled") {
		t.Fatalf("missing key: err = %v", err)
	}
}

// A second server told to use a port another Dendrite already serves must
// notice that the answers are not its own.
func TestStartDetectsForeignServerOnPort(t *testing.T) {
	first := Start(t)
	second, err := newServer(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	second.Port, second.URL = first.Port, first.URL
	err = second.start()
	_ = second.stop()
	if !errors.Is(err, errExited) {
		t.Fatalf("start on a taken port: %v", err)
	}
	if !first.Running() {
		t.Fatal("the first server died")
	}
}
