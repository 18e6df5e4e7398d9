package bot

import (
	"errors"
	"strings"

	"knoop/store"
)

// A member who asks to be forgotten leaves their open commitments behind
// without an owner. Coordinators list them (`commitments orphaned`), give
// them to a member (`reassign N @member`) or drop them (`drop N`); the
// digest lists them until then.

var cmdReassign = &Command{
	Name:      "reassign",
	EnAliases: []string{"handover"},
	NlAliases: []string{"overdragen", "toewijzen"},
	Summary: [2]string{"Give a commitment whose owner left (see `commitments orphaned`) to a member.",
		"Geef een toezegging waarvan de eigenaar vertrok (zie `toezeggingen verweesd`) aan een lid."},
	Usage:       [2]string{"reassign <n> @member", "overdragen <n> @lid"},
	Examples:    [2][]string{{"reassign 12 @anna"}, {"overdragen 12 @anna"}},
	Coordinator: true,
}

// orphanedWords ask `commitments` for the orphans.
var orphanedWords = set("orphaned", "orphans", "ownerless", "verweesd", "wees", "wezen", "zondereigenaar")

func runReassign(c *call) Reply {
	if !c.msg.Coordinator {
		// Reassign always changes something: coordinators only, also
		// without arguments.
		return c.say(tr(c.lang, "coordinators_only", c.cmd.Word(c.lang)))
	}
	no, rest, ok := c.number()
	if !ok || rest == "" {
		return c.say(tr(c.lang, "usage", c.cmd.Usage[li(c.lang)]))
	}
	to, r := c.resolve(rest)
	if r != nil {
		return *r
	}
	cm, err := c.b.store.Reassign(c.ctx, c.net.ID, no, to.ID, c.me.ID, c.now)
	switch {
	case errors.Is(err, store.ErrNotOrphaned):
		return c.say(tr(c.lang, "reassign_not_orphan", no))
	case err != nil:
		if r, failed := c.changeFailed(no, err); failed {
			return r
		}
	}
	r2 := Reply{Lang: c.lang, Commitment: cm.No}
	r2.add(Text, tr(c.lang, "reassign_ok", cm.No, to.DisplayName))
	r2.add(Item, c.fmtCommitment(cm, true))
	return r2
}

// orphans answers `commitments orphaned`, for coordinators.
func (c *call) orphans() Reply {
	if !c.msg.Coordinator {
		return c.say(tr(c.lang, "coordinators_only", cmdCommitments.Word(c.lang)+" "+tr(c.lang, "orphaned_word")))
	}
	cms, err := c.b.store.Commitments(c.ctx, store.CommitmentFilter{NetworkID: c.net.ID, Orphaned: true, Limit: 50})
	if err != nil {
		return c.fail(err)
	}
	r := Reply{Lang: c.lang}
	r.add(Heading, tr(c.lang, "commitments_orphaned"))
	if len(cms) == 0 {
		r.add(Text, tr(c.lang, "commitments_none"))
		return r
	}
	for _, cm := range cms {
		r.add(Item, c.fmtCommitment(cm, false))
	}
	r.add(Context, tr(c.lang, "orphans_hint", cmdReassign.Word(c.lang), cmdDrop.Word(c.lang)))
	return r
}

func isOrphanedArg(arg string) bool {
	return orphanedWords[strings.ReplaceAll(arg, " ", "")]
}
