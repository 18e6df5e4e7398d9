package lexicon

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func encode64(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	if n == 0 {
		return "A"
	}
	var s string
	for n > 0 {
		s = string(alphabet[n%64]) + s
		n /= 64
	}
	return s
}

// writeDictd writes a small dictd dictionary of our own (not FreeDict's)
// in the FreeDict layout.
func writeDictd(t *testing.T, dir, base string, entries [][2]string) {
	t.Helper()
	var data bytes.Buffer
	var index strings.Builder
	meta := "00-database-info\nA test dictionary.\n"
	index.WriteString("00-database-info\t" + encode64(0) + "\t" + encode64(len(meta)) + "\n")
	data.WriteString(meta)
	for _, e := range entries {
		off := data.Len()
		data.WriteString(e[1])
		index.WriteString(e[0] + "\t" + encode64(off) + "\t" + encode64(len(e[1])) + "\n")
	}
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(data.Bytes())
	w.Close()
	if err := os.WriteFile(filepath.Join(dir, base+".dict.dz"), z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, base+".index"), []byte(index.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadParsesAndInverts(t *testing.T) {
	dir := t.TempDir()
	writeDictd(t, dir, nldEng, [][2]string{
		{"kade", "kade /kadə/\n1. quay, wharf\n2. embankment (of a river)\n"},
		{"hygiëne", "hygiëne /hiɣiˈjenə/\nhygiene\n"},
		{"kern‐", "kern‐ /kɛrn/\nnuclear\n"},
		{"lang", "lang /lɑŋ/\na very long sense of more than three words\n"},
	})
	writeDictd(t, dir, engNld, [][2]string{
		{"harbour", "harbour /hɑːbə/\nhaven\n"},
	})
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		word string
		want []string
	}{
		{"kade", []string{"quay", "wharf", "embankment"}},
		{"wharf", []string{"kade"}},          // nld-eng inverted
		{"hygiene", []string{"hygiene"}[:0]}, // the word itself is left out
		{"kern", []string{"nuclear"}},
		{"harbour", []string{"haven"}},
		{"haven", []string{"harbour"}},
		{"lang", nil},
		{"onbekend", nil},
	} {
		if got := d.Translate(tc.word); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("Translate(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
	if !d.Has("hygiene") || d.Has("onbekend") {
		t.Error("Has is wrong")
	}
}

func TestLoadWithoutFiles(t *testing.T) {
	_, err := Load(t.TempDir())
	if !errors.Is(err, ErrNoDictionary) {
		t.Fatalf("err = %v, want ErrNoDictionary", err)
	}
	var d *Dict
	if d.Translate("kade") != nil || d.Len() != 0 {
		t.Error("a nil dictionary translated something")
	}
}

// TestInstalledFreeDict reads the real files when the Debian packages are
// installed (.ci/run installs them).
func TestInstalledFreeDict(t *testing.T) {
	d, err := Load(DefaultDir)
	if errors.Is(err, ErrNoDictionary) {
		t.Skip("FreeDict Dutch-English not installed")
	}
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() < 20000 {
		t.Errorf("only %d entries", d.Len())
	}
	if got := d.Translate("geweld"); !slices.Contains(got, "violence") {
		t.Errorf("geweld → %q", got)
	}
	if got := d.Translate("violence"); !slices.Contains(got, "geweld") {
		t.Errorf("violence → %q (nld-eng inverted)", got)
	}
}

func TestCognates(t *testing.T) {
	for _, tc := range []struct{ word, want string }{
		{"epidemiologie", "epidemiology"},
		{"epidemiology", "epidemiologie"},
		{"organisatie", "organisation"},
		{"organisation", "organisatie"},
		{"kwaliteit", "kwality"}, // the suffix rule; "quality" needs a dictionary
		{"elektronisch", "electronic"},
		{"electronic", "elektronisch"},
		{"polyfarmacie", "polypharmacy"},
		{"cognitieve", "cognitive"},
		{"cardiology", "cardiologie"},
		{"anesthesiologie", "anaesthesiology"},
		{"statistiek", "statistics"},
	} {
		if got := Cognates(tc.word, 12); !slices.Contains(got, tc.want) {
			t.Errorf("Cognates(%q) = %q, want %q among them", tc.word, got, tc.want)
		}
	}
	for _, w := range []string{"kade", "data", "haven", "cold chain"} {
		if got := Cognates(w, 12); len(got) != 0 {
			t.Errorf("Cognates(%q) = %q, want none", w, got)
		}
	}
	if got := Cognates("epidemiologie", 2); len(got) > 2 {
		t.Errorf("max not kept: %q", got)
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"python", "python", 0},
		{"pyhton", "python", 1},  // swap
		{"pythn", "python", 1},   // missing
		{"pythoon", "python", 1}, // doubled
		{"pithon", "python", 1},  // wrong
		{"ca", "abc", 3},         // OSA, not unrestricted Damerau
		{"", "abc", 3},
		{"hygiëne", "hygiene", 1},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestTyposAsPeopleMakeThem(t *testing.T) {
	ty := NewTypos([]string{"python", "warehousing", "logistiek", "data", "date", "kade", "koelketen", "subsidie", "subsidies", "planning"})
	for _, tc := range []struct {
		typo string
		want []string
	}{
		{"pyhton", []string{"python"}},
		{"pythn", []string{"python"}},
		{"pytthon", []string{"python"}},
		{"warehousng", []string{"warehousing"}},
		{"logsitiek", []string{"logistiek"}},
		{"koelketn", []string{"koelketen"}},
		{"planingg", nil},                    // two typos
		{"pithon", nil},                      // a wrong letter in a short word: too many neighbours
		{"logistiak", []string{"logistiek"}}, // a wrong letter in a long word
		{"dataa", []string{"data"}},
		{"daat", nil},   // shorter than MinTypoWord
		{"python", nil}, // a word is no typo
	} {
		got := ty.Near(tc.typo)
		slices.Sort(got)
		if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("Near(%q) = %q, want %q", tc.typo, got, tc.want)
		}
	}
	if got := ty.Near("subsidis"); !slices.Contains(got, "subsidie") || !slices.Contains(got, "subsidies") {
		t.Errorf("Near(subsidis) = %q", got)
	}
}
