// Package question understands what a member asks in a line of chat,
// without templates: a who-question is recognised by its cues (question
// words, "someone", words of knowing, helping and seeking, a question
// mark) in any order, and its topic is what is left once the frame around
// it — request phrases, fillers, modal and light verbs, articles and
// pronouns — is peeled off both ends. It has no dependencies on the rest
// of Knoop, never fails and never panics; any string is valid input.
package question

import "strings"

// Question is a who-question read from a line.
type Question struct {
	Topic string // what the member wants someone for, as they wrote it
	Lang  string // "en" or "nl" when the words around the topic tell, else ""
}

// cue classes: a sentence that has one of them in its frame asks something.
const cues = cWH | cWhich | cPerson | cPersonWeak | cExpert | cKnowV | cKnowN | cExper | cHelpV | cHelpN | cSeek | cHow

// Who reads line as a who-question ("who knows about X", "Kan iemand mij
// helpen met X?", "Looking for an expert in X", "any X wizards around?",
// "Weet iemand hoe je X opzet?"). ok is false when the line is not one or
// leaves no topic. Commands and commitments are the caller's to try first.
func Who(line string) (q Question, ok bool) {
	ss, question := sentences(line)
	// A sentence with cues but no topic ("Can anyone help?") lends its
	// frame to the next one ("I need advice on lease contracts.").
	var pending []unit
	for _, s := range ss {
		topic, fr := extract(s, true)
		fr = append(pending, fr...)
		pending = nil
		if !hasWord(topic) {
			if hasCue(fr) {
				pending = fr
			}
			continue
		}
		if q, ok := decide(fr, question, topic); ok {
			return q, true
		}
	}
	return Question{}, false
}

func hasCue(fr []unit) bool {
	for _, u := range fr {
		if u.typo.cls&cues != 0 {
			return true
		}
	}
	return false
}

// decide says whether the frame words make a who-question: someone is
// asked for (who, someone, an expert) together with a sign of knowing,
// helping, seeking or ability; or knowledge or help is sought; or "how
// do you …?" is asked.
func decide(frame []unit, question bool, topic string) (Question, bool) {
	var f class
	info := false
	for i, u := range frame {
		c := u.typo.cls
		if c&cWhich != 0 && (i+1 >= len(frame) || frame[i+1].typo.cls&(cPerson|cExpert) == 0) {
			c &^= cWhich
		}
		// "weet iemand wanneer …", "does anyone know where …"
		if u.exact.cls&cInfo != 0 && f&cKnowV != 0 {
			info = true
		}
		f |= c
	}
	has := func(c class) bool { return f&c != 0 }
	know := has(cKnowV | cKnowN | cExper)
	help := has(cHelpV | cHelpN)
	wh := has(cWH | cWhich)
	ok := wh && (know || help || has(cAbility|cExpert)) ||
		has(cPerson) && (know || help || has(cSeek|cExpert)) ||
		has(cPersonWeak) && know ||
		has(cExpert) && (question || know || help || has(cSeek)) ||
		has(cSeek) && has(cKnowN|cHelpN) ||
		has(cHow) && question && has(cHowSubj)
	// "Does anyone know where the slides are?" asks for a fact, not a person.
	if info && !has(cExpert|cSeek) {
		ok = false
	}
	if !ok {
		return Question{}, false
	}
	return Question{Topic: topic, Lang: langOf(frame)}, true
}

// langOf is the language most frame words are in.
func langOf(frame []unit) string {
	n := 0
	for _, u := range frame {
		switch u.typo.lang {
		case en:
			n++
		case nl:
			n--
		}
	}
	switch {
	case n > 0:
		return en
	case n < 0:
		return nl
	}
	return ""
}

// Topic cleans a who-topic given as the arguments of the who-command
// ("about cold chain here please" → "cold chain"). It keeps what Who
// returns as it is: Topic(Topic(s)) == Topic(s).
func Topic(s string) string {
	topic, _ := extract(units(wordsOf(s)), false)
	return topic
}

// TopicOf reads the arguments of the who-command ("who cold chain"). ok is
// false when they are a sentence rather than a topic ("who is coming to
// lunch", "wie komt er vrijdag"): a verb right after the command word, or
// an auxiliary or modal verb anywhere.
func TopicOf(args string) (topic string, ok bool) {
	us := units(wordsOf(args))
	if len(us) > 0 && us[0].exact.cls&(cKnowV|cExper|cHelpV) != 0 {
		return "", false
	}
	for _, u := range us {
		if u.exact.cls&(cAux|cAbility|cModal) != 0 {
			return "", false
		}
	}
	return Topic(args), true
}

// Classes peeled off the ends of a topic.
const (
	// leftTopic: what may stand between a preposition and the topic ("with
	// the", "van een", "about setting up a").
	leftTopic = cDet | cPoss | cPron | cQuant | cPrep | cPrepTopic | cPart | cFiller
	// reset: words that are never a topic's first word and start the frame again.
	reset = cPerson | cPersonWeak | cExpert | cWH | cKnowV | cHow
	// takesTopic: after these a preposition introduces the topic.
	takesTopic = cKnowV | cKnowN | cExper | cIdiom | cHelpV | cHelpN | cExpert | cLightL
	// right: what may trail a topic ("… maken", "… here please", "… experts around?").
	right = cAux | cAbility | cModal | cLightR | cPart | cFiller | cPolite | cExpert | cPerson | cPersonWeak |
		cKnowV | cKnowN | cExper | cPrep | cDet | cPoss | cPron | cQuant | cWH | cSeek
)

// extract peels the frame off one sentence and returns the topic and the
// frame units. full starts with the whole frame (a line as typed);
// otherwise only articles, prepositions and the like are peeled (a topic).
func extract(s []unit, full bool) (string, []unit) {
	start, frame := peelLeft(s, full, false)
	if start == len(s) && full && ability(frame) {
		// Nothing but frame: a light verb is the topic ("who can build?").
		start, frame = peelLeft(s, full, true)
	}
	// A person noun inside what is left starts the topic after it
	// ("recommendations for an expert in X").
	for j := start + 1; j < len(s)-1 && full; j++ {
		if s[j].exact.cls&cExpert != 0 {
			if st, fr := peelLeft(s[j:], true, false); st < len(s)-j {
				start, frame = j+st, append(s[:j:j], fr...)
				break
			}
		}
	}
	end := cut(s, start)
	// What the cut leaves out (a relative clause, whom it is for) is
	// neither topic nor frame.
	last := end
	for end-start > 1 && s[end-1].exact.cls&right != 0 {
		end--
	}
	frame = append(frame[:len(frame):len(frame)], s[end:last]...)
	words := make([]string, 0, end-start)
	for _, u := range s[start:end] {
		words = append(words, u.raw)
	}
	return strings.Trim(strings.Join(words, " "), edge+" "), frame
}

func ability(us []unit) bool {
	for _, u := range us {
		if u.typo.cls&cAbility != 0 {
			return true
		}
	}
	return false
}

// peelLeft returns the index of the topic's first unit and the units
// before it. In the frame every lexicon word goes; once a preposition
// follows a word that takes a topic ("knows about", "ervaring met"), only
// articles, pronouns and the like go, so a topic that starts with a word
// of the lexicon ("knowledge management") keeps it. keepLight keeps light
// verbs, for a topic that is nothing else.
func peelLeft(s []unit, full, keepLight bool) (int, []unit) {
	inFrame := full
	var prev class
	i := 0
	for ; i < len(s); i++ {
		u := s[i]
		if inFrame {
			c := u.typo.cls
			if c == 0 || keepLight && c&(cLightL|cLightR) != 0 && c&(cHelpV|cKnowV|cAbility|cAux|cModal) == 0 {
				break
			}
			if c&cPrepTopic != 0 || c&cPrep != 0 && prev&takesTopic != 0 {
				inFrame = false
			}
			prev = c
			continue
		}
		c := u.exact.cls
		switch {
		case c&reset != 0 || c&cHelpV != 0 && i+1 < len(s) && s[i+1].exact.cls&cPrep != 0:
			// "talk to someone about", "the right person to ask about"
			inFrame = true
			prev = c
		case c&leftTopic != 0:
		case c&(cLightL|cLightR) != 0 && i+1 < len(s) && !keepLight:
			// "het schrijven van", "setting up a": a light verb made a noun.
		default:
			return i, s[:i]
		}
	}
	return i, s[:i]
}

// cut ends a topic before a clause that is not part of it: a relative
// clause ("X who can start soon"), a reason ("because …"), or whom it is
// for ("for us", "voor onze organisatie", "to me").
func cut(s []unit, start int) int {
	for j := start + 1; j < len(s); j++ {
		c := s[j].exact.cls
		if c&(cRel|cConj) != 0 && c&cDet == 0 || c&cRel != 0 && s[j].norm == "die" || copula[s[j].norm] {
			return j
		}
		if j+1 < len(s) && forWhom[s[j].norm] {
			n := s[j+1].exact.cls
			if n&(cPron|cPoss) != 0 && n&cDet == 0 {
				return j
			}
		}
	}
	return len(s)
}

var forWhom = map[string]bool{"for": true, "voor": true, "to": true, "aan": true}

// copula starts a clause about the topic ("how heat networks are financed").
var copula = map[string]bool{"is": true, "are": true, "was": true, "were": true, "wordt": true, "worden": true, "werd": true}
