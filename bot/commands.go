package bot

import (
	"sort"
	"sync"
	"time"
)

// Command is one thing a member can ask Knoop to do. The registry of
// commands is the single source of parsing, help and suggestions.
type Command struct {
	Name        string   // canonical English word
	EnAliases   []string // more English words for it
	NlAliases   []string // Dutch words for it; the first is shown in help
	Summary     [2]string
	Usage       [2]string
	Examples    [2][]string
	Coordinator bool // only coordinators may run it (with arguments, for charter and goal)
	// NetworkWide commands list what others in the network said or did
	// (who-answers, commitments, asks, goals): a guest sees their answer
	// only privately. (A profile of someone else is too: runProfile.)
	NetworkWide bool
	run         func(c *call) Reply
}

// registry lists every command in help order.
var registry []*Command

func init() {
	// Handlers are attached here, not in the literals, because handlers
	// refer back to commands (for help words) and Go forbids that cycle in
	// package-level initialisers.
	cmdAsk.run = runAsk
	cmdAsks.run = runAsks
	cmdAway.run = runAway
	cmdBack.run = func(c *call) Reply { return c.setAway(time.Time{}) }
	cmdCharter.run = runCharter
	cmdCommit.run = runCommit
	cmdCommitments.run = runCommitments
	cmdDone.run = func(c *call) Reply { return c.change("done") }
	cmdDrop.run = func(c *call) Reply { return c.change("dropped") }
	cmdDue.run = runDue
	cmdEndorse.run = runEndorse
	cmdExport.run = runExport
	cmdForget.run = runForget
	cmdGoal.run = runGoal
	cmdGoals.run = runGoals
	cmdHelp.run = runHelp
	cmdLanguage.run = runLanguage
	cmdOrg.run = runOrg
	cmdProfile.run = runProfile
	cmdSkills.run = runSkills
	cmdSnooze.run = runSnooze
	cmdTimezone.run = runTimezone
	cmdUpdate.run = func(c *call) Reply { return c.change("update") }
	cmdWho.run = runWho
	cmdDigest.run = runDigest
	cmdNudges.run = runNudges
	cmdReassign.run = runReassign
	cmdWeb.run = runWeb
	for _, c := range []*Command{cmdWho, cmdAsks, cmdCommitments, cmdGoals, cmdGoal} {
		c.NetworkWide = true
	}
	registry = []*Command{
		cmdWho, cmdAsk, cmdAsks, cmdIntro, cmdIntros,
		cmdSkills, cmdOrg, cmdProfile, cmdEndorse, cmdAway, cmdBack, cmdLanguage, cmdTimezone,
		cmdCommit, cmdDone, cmdUpdate, cmdDrop, cmdSnooze, cmdDue, cmdCommitments, cmdReassign, cmdNudges,
		cmdCharter, cmdGoal, cmdGoals, cmdDigest, cmdWeb,
		cmdExport, cmdForget, cmdHelp,
	}
}

// Commands returns the registry, in help order. Adapters use it to publish
// slash-command hints.
func Commands() []*Command { return registry }

type indexEntry struct {
	cmd  *Command
	lang string
}

var (
	indexOnce sync.Once
	index     map[string]indexEntry
	wordList  []string
)

func buildIndex() {
	index = map[string]indexEntry{}
	add := func(w string, c *Command, lang string) {
		if e, ok := index[w]; ok && e.cmd == c && e.lang != lang {
			lang = "" // a word both languages use for this command
		} else if ok && e.cmd != c {
			panic("bot: command word " + w + " used twice")
		}
		index[w] = indexEntry{c, lang}
	}
	for _, c := range registry {
		add(c.Name, c, EN)
		for _, a := range c.EnAliases {
			add(a, c, EN)
		}
		for _, a := range c.NlAliases {
			add(a, c, NL)
		}
	}
	// Words that read the same in both languages tell nothing.
	for _, w := range []string{"update", "org", "export", "help"} {
		if e, ok := index[w]; ok {
			index[w] = indexEntry{e.cmd, ""}
		}
	}
	for w := range index {
		wordList = append(wordList, w)
	}
	sort.Strings(wordList)
}

func commandIndex() map[string]indexEntry {
	indexOnce.Do(buildIndex)
	return index
}

func commandWords() []string {
	indexOnce.Do(buildIndex)
	return wordList
}

// Word returns the word for the command in lang.
func (c *Command) Word(lang string) string {
	if lang == NL && len(c.NlAliases) > 0 {
		return c.NlAliases[0]
	}
	return c.Name
}

func li(lang string) int {
	if lang == NL {
		return 1
	}
	return 0
}
