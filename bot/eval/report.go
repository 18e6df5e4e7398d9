package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// Result is one ranker's summaries, overall first, then per group.
type Result struct {
	Ranker string    `json:"ranker"`
	Groups []Summary `json:"groups"`
}

// Group returns the summary of a group ("all" for overall).
func (r Result) Group(name string) (Summary, bool) {
	for _, s := range r.Groups {
		if s.Group == name {
			return s, true
		}
	}
	return Summary{}, false
}

// WriteJSON writes the results as one JSON document.
func WriteJSON(w io.Writer, results []Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Cutoff  int      `json:"cutoff"`
		Results []Result `json:"results"`
	}{Cutoff, results})
}

// WriteTable writes the results as a table, the rankers side by side per
// group, with the shares of answered questions found from direct,
// translated and inferred evidence (for rankers that say). A metric that does not apply to a group (ranking metrics when
// nobody is relevant to any of its queries, the nobody share when someone
// is relevant to all of them) shows as "–".
func WriteTable(w io.Writer, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "group\tranker\tqueries\tMRR\tnDCG@10\tP@1\tP@5\tR@10\tanswered\tnobody\tdirect\ttransl.\tinferred\tp50 ms\tp95 ms\tp99 ms\t")
	if len(results) == 0 {
		return tw.Flush()
	}
	for _, g := range results[0].Groups {
		for _, r := range results {
			s, _ := r.Group(g.Group)
			rank := func(v float64) string {
				if s.Answerable == 0 {
					return "–"
				}
				return fmt.Sprintf("%.3f", v)
			}
			nobody := "–"
			if s.NoAnswer > 0 {
				nobody = fmt.Sprintf("%.3f", s.Nobody)
			}
			basis := func(v float64) string {
				if s.Answerable == 0 || s.Direct+s.Translated+s.Inferred == 0 {
					return "–"
				}
				return fmt.Sprintf("%.2f", v)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%.2f\t%.2f\t\n",
				s.Group, r.Ranker, s.Queries, rank(s.MRR), rank(s.NDCG10), rank(s.P1), rank(s.P5), rank(s.Recall10),
				rank(s.Answered), nobody, basis(s.Direct), basis(s.Translated), basis(s.Inferred), s.P50ms, s.P95ms, s.P99ms)
		}
	}
	return tw.Flush()
}

// WritePerQuery writes one line per query and ranker: the query, its
// reciprocal rank and nDCG@10, and the top five answers with their grades
// ("-" for not relevant), to see where a ranker goes wrong.
func WritePerQuery(w io.Writer, ranker string, outs []Outcome) {
	for _, o := range outs {
		var top []string
		for i, id := range o.Ranked {
			if i == 5 {
				break
			}
			g := "-"
			if v := o.Query.Relevant[id]; v > 0 {
				g = fmt.Sprint(v)
			}
			top = append(top, id+":"+g)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\tRR=%.2f\tnDCG=%.2f\t%q\t%v\n", ranker, o.Query.ID, o.Query.Group,
			ReciprocalRank(o.Ranked, o.Query.Relevant), NDCGAt(Cutoff, o.Ranked, o.Query.Relevant), o.Query.Text, top)
	}
}
