package question

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestWho shows each mechanism once; the corpora in bot/testdata hold the
// many phrasings (bot's TestParseCorpus and TestWhoPhrasings).
func TestWho(t *testing.T) {
	for _, c := range []struct{ line, topic, lang string }{
		// question word, cue of knowing, preposition introducing the topic
		{"who knows about cold chain logistics?", "cold chain logistics", en},
		{"wie heeft er verstand van waterstof?", "waterstof", nl},
		// wrapped in another question or in politeness
		{"Weet iemand wie er ervaring heeft met zeewierteelt?", "zeewierteelt", nl},
		{"Sorry to bother you all, but does anybody know about tachographs?", "tachographs", en},
		// help requests and modal verbs
		{"Could someone help us with a bridge inspection?", "bridge inspection", en},
		{"wie zou ons kunnen adviseren over erfgoedsubsidies?", "erfgoedsubsidies", nl},
		// statements without a question word
		{"Looking for a specialist in glass recycling", "glass recycling", en},
		{"Op zoek naar kennis over bijenteelt", "bijenteelt", nl},
		// person nouns and fillers around the topic
		{"any railway signalling experts around here?", "railway signalling", en},
		// idioms of knowing
		{"who knows their way around Kafka?", "Kafka", en},
		{"wie weet de weg in Den Haag?", "Den Haag", nl},
		// how-questions
		{"Hoe richt je een stichting op?", "stichting", nl},
		{"how do you write a tender?", "tender", en},
		// light verbs go when a noun remains; content verbs stay
		{"wie kan een app bouwen?", "app", nl},
		{"who can make a budget?", "budget", en},
		{"who can weld aluminium?", "weld aluminium", en},
		{"who can build?", "build", en},
		// a topic that starts with a word of knowing keeps it
		{"who knows about knowledge management?", "knowledge management", en},
		// whom it is for, and a relative clause, are not the topic
		{"who can advise on pensions for our staff?", "pensions", en},
		{"we need someone for facade cleaning who can start soon", "facade cleaning", en},
		// a person noun inside the rest starts the topic after it
		{"any tips for a consultant in retail pricing?", "retail pricing", en},
		// a clause about the topic is not the topic
		{"can someone explain how district heating is priced?", "district heating", en},
		{"who is the right person to talk to about lease law?", "lease law", en},
		// a typo in a cue word
		{"anyboyd with experience in beekeeping?", "beekeeping", en},
		{"iemand ervarnig met kassen?", "kassen", nl},
		// the second sentence carries the topic, or the question
		{"Can anyone help? I need advice on lease contracts.", "lease contracts", en},
		{"Who is coming tomorrow? Also, does anyone know about heat pumps?", "heat pumps", en},
		// mixed languages: the frame's majority decides
		{"Iemand experience met Grafana?", "Grafana", nl},
		// original case and inner punctuation are kept
		{"WHO KNOWS ABOUT CO2-OPSLAG?", "CO2-OPSLAG", en},
		{"who knows C++?", "C++", en},
	} {
		q, ok := Who(c.line)
		if !ok || q.Topic != c.topic || q.Lang != c.lang {
			t.Errorf("Who(%q) = %q %q %v, want %q %q", c.line, q.Topic, q.Lang, ok, c.topic, c.lang)
		}
	}
}

func TestNotWho(t *testing.T) {
	for _, line := range []string{
		"",
		"?",
		"who?",
		"who is coming to lunch?",
		"wie heeft de sleutel?",
		"does anyone know where the slides are?",
		"weet iemand wanneer de trein gaat?",
		"I can help with hydrogen",
		"ik kan helpen met de planning",
		"can someone open the window?",
		"how are you doing?",
		"hoe gaat het?",
		"wie kan helpen?",
		"nobody knows about it",
		"niemand weet er iets van",
		"thanks for the help!",
		"good morning all",
		"who knows more?",
		"anyone seen my laptop charger?",
		"who will present tomorrow?",
		"heeft iemand de presentatie van gisteren?",
		"I know a lot about hydrogen",
		"we have experience with tenders",
		"is er iemand die morgen kan rijden?",
		"I'll look into the permit question by friday",
	} {
		if q, ok := Who(line); ok {
			t.Errorf("Who(%q) = %+v, want no who-question", line, q)
		}
	}
}

func TestTopicOf(t *testing.T) {
	for _, c := range []struct {
		args, topic string
		ok          bool
	}{
		{"cold chain", "cold chain", true},
		{"about cold chain here please", "cold chain", true},
		{"de energietransitie", "energietransitie", true},
		{"", "", true},
		{"is coming to lunch", "", false},
		{"komt er vrijdag", "", false},
		{"knows", "", false},
	} {
		topic, ok := TopicOf(c.args)
		if topic != c.topic || ok != c.ok {
			t.Errorf("TopicOf(%q) = %q, %v; want %q, %v", c.args, topic, ok, c.topic, c.ok)
		}
	}
}

func TestOneTypo(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"anyoen", "anyone", true},  // swap
		{"somone", "someone", true}, // missing
		{"kenniss", "kennis", true}, // doubled
		{"expereince", "experience", true},
		{"experiance", "experience", true}, // substitution on a long word
		{"export", "expert", false},        // substitution on a short word
		{"anyone", "anyone", false},
		{"ayone", "anyone", true},
		{"aynoen", "anyone", false}, // two swaps
	} {
		if got := oneTypo(c.a, c.b); got != c.want {
			t.Errorf("oneTypo(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// FuzzWho checks what must hold for any line: no panic, a topic that is
// part of the line, valid UTF-8 in and out, and a topic that Topic keeps
// as it is (bot cleans topics again before ranking).
func FuzzWho(f *testing.F) {
	for _, s := range []string{
		"who knows about cold chain logistics?", "Weet iemand hoe je een coöperatie opzet?",
		"any X wizards around?", "kan iemand helpen? ik zoek advies over huurrecht", "?", "", "who",
		"op het gebied van", "e.g. m.b.t. ... ?!", "\u200b wie \ufffd", "'t 's ’s", strings.Repeat("who knows ", 200),
		"iemand die die die", "who can build?", "about about about about",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		q, ok := Who(line)
		if !ok {
			if q != (Question{}) {
				t.Fatalf("Who(%q) not a question but returned %+v", line, q)
			}
		} else {
			if q.Topic == "" || !hasWord(q.Topic) {
				t.Fatalf("Who(%q) returned an empty topic", line)
			}
			if q.Lang != "" && q.Lang != en && q.Lang != nl {
				t.Fatalf("Who(%q) language %q", line, q.Lang)
			}
			for _, w := range strings.Fields(q.Topic) {
				if utf8.ValidString(line) && !strings.Contains(strings.NewReplacer("’", "'", "‘", "'").Replace(line), strings.Trim(w, edge)) {
					t.Fatalf("Who(%q) topic word %q is not in the line", line, w)
				}
			}
			if again := Topic(q.Topic); again != q.Topic {
				t.Fatalf("Topic(%q) = %q: a topic from Who must stay as it is (line %q)", q.Topic, again, line)
			}
		}
		top := Topic(line)
		if again := Topic(top); again != top {
			t.Fatalf("Topic is not idempotent: %q → %q → %q", line, top, again)
		}
		if utf8.ValidString(line) && !utf8.ValidString(top) {
			t.Fatalf("Topic(%q) = %q is not valid UTF-8", line, top)
		}
	})
}

// BenchmarkWho reads typical who-questions; Parse calls Who on every line
// that does not start with a command word.
func BenchmarkWho(b *testing.B) {
	lines := []string{
		"who is good at cold chain?", "wie is er goed in subsidieaanvragen?",
		"Kan iemand mij helpen met een aanbesteding voor wegonderhoud?",
		"Looking for an expert in soil remediation", "the meeting is moved to next week",
	}
	i := 0
	for b.Loop() {
		Who(lines[i%len(lines)])
		i++
	}
}
