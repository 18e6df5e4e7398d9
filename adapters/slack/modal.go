package slack

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"knoop/bot"
)

// Modal callback ids and the ids of their inputs.
const (
	viewCommit = "knoop_commit"
	viewDate   = "knoop_date"
	blockWhat  = "what"
	blockDue   = "due"
	blockGoal  = "goal"
	inputWhat  = "what_input"
	inputDue   = "due_input"
	inputGoal  = "goal_input"
)

// openCommitModal asks for what, a due date and a goal (views.open within
// the trigger's 3 seconds). private_metadata carries the channel, so the
// submission is answered where /knoop was typed.
func (a *Adapter) openCommitModal(ctx context.Context, h bot.Handler, triggerID, channel, userID string, dutch bool) {
	t := func(en, nl string) string {
		if dutch {
			return nl
		}
		return en
	}
	what := slack.NewPlainTextInputBlockElement(slack.NewTextBlockObject(slack.PlainTextType, t("Deliver the pilot report", "Businesscase opleveren"), false, false), inputWhat)
	what.MaxLength = 500
	due := slack.NewDatePickerBlockElement(inputDue)
	blocks := []slack.Block{
		slack.NewInputBlock(blockWhat, slack.NewTextBlockObject(slack.PlainTextType, t("What will you contribute?", "Wat draag je bij?"), false, false), nil, what),
		optional(slack.NewInputBlock(blockDue, slack.NewTextBlockObject(slack.PlainTextType, t("By when?", "Wanneer?"), false, false), nil, due)),
	}
	if gl, ok := h.(bot.GoalLister); ok {
		goals, err := gl.GoalChoices(ctx, a.message(ctx, userID, channel, "", "", false))
		if err != nil {
			a.log.ErrorContext(ctx, "goal choices", "err", err)
		}
		if len(goals) > 0 {
			opts := make([]*slack.OptionBlockObject, 0, len(goals))
			for _, g := range goals {
				opts = append(opts, slack.NewOptionBlockObject(g.Value, slack.NewTextBlockObject(slack.PlainTextType, g.Label, false, false), nil))
			}
			sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, inputGoal, opts...)
			blocks = append(blocks, optional(slack.NewInputBlock(blockGoal, slack.NewTextBlockObject(slack.PlainTextType, t("For which goal?", "Voor welk doel?"), false, false), nil, sel)))
		}
	}
	view := slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      viewCommit,
		PrivateMetadata: channel + "|" + t("en", "nl"),
		Title:           slack.NewTextBlockObject(slack.PlainTextType, t("New commitment", "Nieuwe toezegging"), false, false),
		Submit:          slack.NewTextBlockObject(slack.PlainTextType, t("Commit", "Toezeggen"), false, false),
		Close:           slack.NewTextBlockObject(slack.PlainTextType, t("Cancel", "Annuleren"), false, false),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
	if _, err := a.api.OpenViewContext(ctx, triggerID, view); err != nil {
		a.log.ErrorContext(ctx, "views.open failed", "err", err, "user", userID)
	}
}

func optional(b *slack.InputBlock) *slack.InputBlock {
	b.Optional = true
	return b
}

// openDateModal asks for the date a "New date" button needs; command is
// the button's value ("due 12").
func (a *Adapter) openDateModal(ctx context.Context, triggerID, channel, command, threadTS string) {
	view := slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      viewDate,
		PrivateMetadata: channel + "|" + command + "|" + threadTS,
		Title:           slack.NewTextBlockObject(slack.PlainTextType, "Knoop", false, false),
		Submit:          slack.NewTextBlockObject(slack.PlainTextType, "OK", false, false),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock(blockDue, slack.NewTextBlockObject(slack.PlainTextType, command, false, false), nil, slack.NewDatePickerBlockElement(inputDue)),
		}},
	}
	if _, err := a.api.OpenViewContext(ctx, triggerID, view); err != nil {
		a.log.ErrorContext(ctx, "views.open failed", "err", err)
	}
}

// submitView turns a modal submission into the command a member would have
// typed, handles it and posts the answer to the member in the channel.
// Returning nil closes the modal.
func (a *Adapter) submitView(ctx context.Context, h bot.Handler, cb slack.InteractionCallback) any {
	values := cb.View.State.Values
	meta := strings.Split(cb.View.PrivateMetadata, "|")
	channel := meta[0]
	var text, thread string
	switch cb.View.CallbackID {
	case viewCommit:
		what := strings.TrimSpace(values[blockWhat][inputWhat].Value)
		if what == "" {
			return map[string]any{"response_action": "errors", "errors": map[string]string{blockWhat: "Say what you will contribute."}}
		}
		word, by, goal := "commit", " by ", " for goal "
		if len(meta) > 1 && meta[1] == "nl" {
			word, by, goal = "toezeggen", " voor ", " voor doel "
		}
		text = word + " " + what
		if d := values[blockDue][inputDue].SelectedDate; d != "" {
			text += by + d
		}
		if g := values[blockGoal][inputGoal].SelectedOption.Value; g != "" {
			text += goal + g
		}
	case viewDate:
		d := values[blockDue][inputDue].SelectedDate
		if len(meta) < 2 || d == "" {
			return map[string]any{"response_action": "errors", "errors": map[string]string{blockDue: "Pick a date."}}
		}
		text = meta[1] + " " + d
		if len(meta) > 2 {
			thread = meta[2]
		}
	default:
		return nil
	}
	r := h.Handle(ctx, a.message(ctx, cb.User.ID, channel, thread, text, false))
	var err error
	if r.Private {
		err = a.postPrivate(ctx, channel, cb.User.ID, thread, r)
	} else {
		_, err = a.post(ctx, channel, thread, r)
	}
	if err != nil {
		a.log.ErrorContext(ctx, "modal reply failed", "err", err)
	}
	return nil
}
