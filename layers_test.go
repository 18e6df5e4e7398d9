package knoop_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// The layering README describes: cmd → adapters → bot → store, dependencies
// pointing inward only.
//
// layerViolation returns why pkg (importing deps, its non-test dependencies
// at any depth) breaks the layering, or "".
func layerViolation(pkg string, deps []string) string {
	under := func(p, root string) bool { return p == root || strings.HasPrefix(p, root+"/") }
	adapterOf := func(p string) string { // "knoop/adapters/slack/slackfake" → "knoop/adapters/slack"
		if !under(p, "knoop/adapters") {
			return ""
		}
		parts := strings.SplitN(p, "/", 4)
		if len(parts) < 3 {
			return ""
		}
		return strings.Join(parts[:3], "/")
	}
	var why []string
	for _, d := range deps {
		switch {
		case !under(pkg, "knoop/cmd") && under(d, "knoop/cmd"):
			why = append(why, "imports the command "+d)
		case under(pkg, "knoop/bot") && (under(d, "knoop/adapters") || under(d, "github.com/slack-go/slack") || under(d, "maunium.net/go/mautrix")):
			why = append(why, "is the core and imports the platform package "+d)
		case under(pkg, "knoop/store") && (under(d, "knoop/bot") || under(d, "knoop/adapters")):
			why = append(why, "is the store and imports "+d)
		case adapterOf(pkg) != "" && adapterOf(d) != "" && adapterOf(pkg) != adapterOf(d):
			why = append(why, "is an adapter and imports another adapter, "+d)
		}
	}
	if len(why) > 3 {
		why = append(why[:3], fmt.Sprintf("and %d more", len(why)-3))
	}
	return strings.Join(why, "; ")
}

type listed struct {
	ImportPath string
	Deps       []string
}

// goList runs `go list -deps`-style listing of the module's packages with
// their transitive non-test dependencies.
func goList(t *testing.T) []listed {
	t.Helper()
	// go test puts its own toolchain first in the test's PATH.
	cmd := exec.Command("go", "list", "-tags", "goolm", "-json=ImportPath,Deps", "./...")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listed
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// TestLayers fails when bot (or a package under it) imports an adapter,
// slack-go or mautrix; when store imports bot or an adapter; when an adapter
// imports another adapter; or when anything but a command imports a command.
func TestLayers(t *testing.T) {
	pkgs := goList(t)
	seen := map[string]bool{}
	for _, p := range pkgs {
		seen[p.ImportPath] = true
		if why := layerViolation(p.ImportPath, p.Deps); why != "" {
			t.Errorf("%s %s", p.ImportPath, why)
		}
	}
	// The listing must cover the layers it guards.
	for _, want := range []string{"knoop/bot", "knoop/store", "knoop/adapters/slack", "knoop/adapters/matrix", "knoop/cmd/knoop"} {
		if !seen[want] {
			t.Errorf("go list did not list %s", want)
		}
	}
}

// The rule itself catches each kind of violation and lets the allowed
// directions through.
func TestLayerViolation(t *testing.T) {
	for _, c := range []struct {
		pkg, dep string
		bad      bool
	}{
		{"knoop/bot", "knoop/adapters/slack", true},
		{"knoop/bot/bottest", "github.com/slack-go/slack/slackevents", true},
		{"knoop/bot/dates", "maunium.net/go/mautrix/id", true},
		{"knoop/store", "knoop/bot", true},
		{"knoop/store/storetest", "knoop/bot/metrics", true},
		{"knoop/adapters/slack", "knoop/adapters/matrix/matrixtest", true},
		{"knoop/adapters/matrix", "knoop/adapters/console", true},
		{"knoop/bot", "knoop/cmd/knoop", true},
		{"knoop/adapters/slack/slackfake", "knoop/adapters/slack", false},
		{"knoop/adapters/matrix", "knoop/bot", false},
		{"knoop/adapters/matrix", "maunium.net/go/mautrix", false},
		{"knoop/bot", "knoop/store", false},
		{"knoop/cmd/knoop", "knoop/adapters/slack", false},
		{"knoop/cmd/knoop-load", "knoop/cmd/knoop", false},
		{"knoop/botanist", "knoop/adapters/slack", false}, // not under bot
	} {
		if got := layerViolation(c.pkg, []string{c.dep}) != ""; got != c.bad {
			t.Errorf("%s importing %s: violation %v, want %v", c.pkg, c.dep, got, c.bad)
		}
	}
}
