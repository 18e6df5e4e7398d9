package question

import "strings"

// Kinds of small talk.
const (
	Greeting = "greeting" // "hallo", "hi Knoop", "goedemorgen allemaal"
	Thanks   = "thanks"   // "bedankt!", "thanks, that helps"
	About    = "about"    // "wat kun je?", "what can you do?", "who are you?"
)

var (
	greetings = map[string]string{
		"hi": "", "hey": "", "hello": "", "hiya": en, "howdy": en, "yo": "", "morning": en, "good morning": en,
		"good afternoon": en, "good evening": en, "greetings": en, "hoi": nl, "hallo": nl, "hai": nl, "hee": nl,
		"goedemorgen": nl, "goedemiddag": nl, "goedenavond": nl, "goeiemorgen": nl, "goeiemiddag": nl,
		"goedendag": nl, "dag": nl, "moi": nl, "moin": "", "heey": "", "hallo daar": nl, "hi there": en,
		"hello there": en, "hey there": en,
	}
	thanks = map[string]string{
		"thanks": "", "thank you": en, "thank you very much": en, "thanks a lot": en, "many thanks": en,
		"thx": "", "ty": en, "cheers": en, "tnx": "", "bedankt": nl, "dank je": nl, "dank je wel": nl,
		"dankjewel": nl, "dankje": nl, "dank u": nl, "dank u wel": nl, "dankuwel": nl, "merci": "",
		"heel erg bedankt": nl, "top bedankt": nl, "super bedankt": nl, "thanks so much": en, "much appreciated": en,
	}
	about = map[string]string{
		"what can you do": en, "what do you do": en, "what are you": en, "who are you": en,
		"how do you work": en, "how does this work": en, "what can i ask": en, "what can i ask you": en,
		"how can you help": en, "how can you help me": en, "what can you help with": en, "what is this": en,
		"what can you do for me": en, "what are you for": en, "what is knoop": en, "who is knoop": en,
		"wat kun je": nl, "wat kun jij": nl, "wat kan je": nl, "wat kan jij": nl, "wat kunt u": nl,
		"wat doe je": nl, "wat doe jij": nl, "wie ben jij": nl, "wie ben je": nl, "wie bent u": nl,
		"wat ben jij": nl, "wat ben je": nl, "hoe werkt dit": nl, "hoe werk jij": nl, "hoe werk je": nl,
		"wat kan ik vragen": nl, "wat kan ik je vragen": nl, "hoe kun je helpen": nl, "hoe kun je me helpen": nl,
		"waar kun je mee helpen": nl, "wat kun je allemaal": nl, "wat kun je voor me doen": nl,
		"wat kan knoop": nl, "wat is knoop": nl, "wie is knoop": nl, "what can knoop do": en, "wat is dit": nl,
	}
	// addressed is who a greeting or thanks may name: "hi all", "bedankt Knoop".
	addressed = map[string]bool{
		"all": true, "everyone": true, "everybody": true, "folks": true, "team": true, "guys": true,
		"allemaal": true, "iedereen": true, "allen": true, "knoop": true, "again": true, "nogmaals": true,
		"so": true, "very": true, "much": true, "a": true, "lot": true, "erg": true, "heel": true, "wel": true,
		"for": true, "the": true, "help": true, "voor": true, "je": true, "de": true, "hulp": true, "that": true,
		"helps": true, "helped": true, "dat": true, "helpt": true, "top": true, "super": true, "great": true,
		"ok": true, "oké": true, "okay": true, "nice": true, "perfect": true, "prima": true, "fijn": true, "mooi": true,
	}
)

// Social reads a line as small talk: a greeting, thanks, or a question
// about Knoop itself. kind is "" when the line is none of them; lang is
// the language its words tell, or "" when both languages use them ("hi",
// "thanks"). Callers try commands and questions first.
func Social(line string) (kind, lang string) {
	var ws []string
	for _, w := range wordsOf(line) {
		if n := normalize(w); hasWord(n) {
			ws = append(ws, n)
		}
	}
	if len(ws) == 0 || len(ws) > 8 {
		return "", ""
	}
	joined := strings.Join(ws, " ")
	if l, ok := about[joined]; ok {
		return About, l
	}
	if l, ok := about[strings.TrimSuffix(strings.TrimPrefix(joined, "knoop "), " knoop")]; ok {
		return About, l
	}
	if l, ok := only(ws, greetings); ok {
		return Greeting, l
	}
	if l, ok := only(ws, thanks); ok {
		return Thanks, l
	}
	return "", ""
}

// only reports whether words are phrases of set, with at most words that
// name who is addressed or soften it, and returns the phrases' language.
func only(words []string, set map[string]string) (string, bool) {
	found, lang := false, ""
	for i := 0; i < len(words); {
		n := 0
		for k := min(4, len(words)-i); k >= 1; k-- {
			if l, ok := set[strings.Join(words[i:i+k], " ")]; ok {
				n, found = k, true
				if l != "" {
					lang = l
				}
				break
			}
		}
		if n == 0 {
			if !addressed[words[i]] {
				return "", false
			}
			n = 1
		}
		i += n
	}
	return lang, found
}

// Lang is the language most of the line's lexicon words are in ("en",
// "nl"), or "" when they do not tell. It knows the words around
// questions, which ordinary language detection by common words may miss
// ("somebody", "iemand", "verstand").
func Lang(line string) string {
	ss, _ := sentences(line)
	var us []unit
	for _, s := range ss {
		us = append(us, s...)
	}
	return langOf(us)
}
