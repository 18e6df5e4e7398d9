package bot

import (
	"strings"
)

var cmdHelp = &Command{
	Name:      "help",
	EnAliases: []string{"commands", "?"},
	NlAliases: []string{"hulp", "commando's", "uitleg"},
	Summary:   [2]string{"List the commands, or explain one.", "Toon de commando's, of leg er een uit."},
	Usage:     [2]string{"help [command]", "hulp [commando]"},
	Examples:  [2][]string{{"help", "help commit"}, {"hulp", "hulp toezeggen"}},
}

// runHelp is generated from the registry: every command, its words in both
// languages and its examples.
func runHelp(c *call) Reply {
	i := li(c.lang)
	if topic := strings.ToLower(strings.TrimSpace(c.args)); topic != "" {
		cmd, lang, ok := lookup(topic)
		if !ok {
			if s := Suggest(topic); s != "" {
				cmd, lang, _ = lookup(s)
			} else {
				return c.say(tr(c.lang, "help_unknown", truncate(topic, 40), cmdHelp.Word(c.lang)))
			}
		}
		if lang != "" {
			c.lang, i = lang, li(lang)
		}
		r := Reply{Lang: c.lang}
		r.add(Heading, cmd.Usage[i])
		r.add(Text, cmd.Summary[i])
		words := append([]string{cmd.Name}, cmd.EnAliases...)
		words = append(words, cmd.NlAliases...)
		r.add(Context, tr(c.lang, "help_words", strings.Join(words, ", ")))
		for _, ex := range append(append([]string{}, cmd.Examples[i]...), cmd.Examples[1-i]...) {
			r.add(Item, ex)
		}
		if cmd.Coordinator {
			r.add(Context, tr(c.lang, "help_coordinator"))
		}
		return r
	}
	r := Reply{Lang: c.lang, Private: true}
	r.add(Heading, tr(c.lang, "help_heading"))
	for _, cmd := range registry {
		other := cmd.Word(otherLang(c.lang))
		r.add(Item, cmd.Usage[i]+"  ("+other+") — "+cmd.Summary[i])
	}
	r.add(Text, tr(c.lang, "help_natural"))
	return r
}

func otherLang(lang string) string {
	if lang == NL {
		return EN
	}
	return NL
}
