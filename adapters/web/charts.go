package web

import (
	"math"
	"sort"
	"strconv"

	"knoop/store"
)

// Charts are computed here as plain numbers and drawn by the templates as
// SVG (so every label is escaped like any other text). Colours come from
// classes in the stylesheet: the CSP allows no inline style.

// rect is one bar segment of a chart.
type rect struct {
	X, Y, W, H float64
	Class      string
	Label      string // <title>: what the segment is, for pointer and screen reader
}

// tick is a label under a chart.
type tick struct {
	X      float64
	Text   string
	Anchor string // text-anchor: the first and last labels stay inside
}

// barChart is a small bar chart in a ViewBox of W×H.
type barChart struct {
	W, H  float64
	Bars  []rect
	Ticks []tick
	Max   int
	MaxY  float64 // y of the top grid line
	BaseY float64
	Title string
	Desc  string
}

const (
	chartW    = 320.0
	chartH    = 120.0
	chartTop  = 8.0
	chartBase = 100.0
)

// goalChart stacks delivered, open and overdue per point in time.
func goalChart(lang string, points []store.GoalPoint, title, desc string) barChart {
	c := barChart{W: chartW, H: chartH, BaseY: chartBase, MaxY: chartTop, Title: title, Desc: desc}
	maxTotal := 1
	for _, p := range points {
		maxTotal = max(maxTotal, p.Done+p.Open+p.Overdue)
	}
	c.Max = maxTotal
	n := len(points)
	if n == 0 {
		return c
	}
	slot := chartW / float64(n)
	w := slot * 0.7
	scale := (chartBase - chartTop) / float64(maxTotal)
	for i, p := range points {
		x := round1(float64(i)*slot + (slot-w)/2)
		y := chartBase
		day := date(lang, p.Day)
		for _, seg := range []struct {
			n     int
			class string
			key   string
		}{{p.Done, "done", "delivered"}, {p.Open, "open", "open"}, {p.Overdue, "overdue", "overdue"}} {
			if seg.n == 0 {
				continue
			}
			h := float64(seg.n) * scale
			y -= h
			c.Bars = append(c.Bars, rect{X: x, Y: round1(y), W: round1(w), H: round1(h), Class: seg.class,
				Label: day + " — " + tr(lang, seg.key) + ": " + strconv.Itoa(seg.n)})
		}
		switch i {
		case 0:
			c.Ticks = append(c.Ticks, tick{X: x, Text: date(lang, p.Day), Anchor: "start"})
		case n / 2:
			c.Ticks = append(c.Ticks, tick{X: round1(x + w/2), Text: date(lang, p.Day), Anchor: "middle"})
		case n - 1:
			c.Ticks = append(c.Ticks, tick{X: round1(x + w), Text: date(lang, p.Day), Anchor: "end"})
		}
	}
	return c
}

// monthChart draws one bar per month.
func monthChart(lang string, months []store.MonthCount, title, desc string) barChart {
	c := barChart{W: chartW, H: chartH, BaseY: chartBase, MaxY: chartTop, Title: title, Desc: desc}
	maxN := 1
	for _, m := range months {
		maxN = max(maxN, m.Count)
	}
	c.Max = maxN
	if len(months) == 0 {
		return c
	}
	slot := chartW / float64(len(months))
	w := slot * 0.7
	scale := (chartBase - chartTop) / float64(maxN)
	for i, m := range months {
		x := round1(float64(i)*slot + (slot-w)/2)
		h := float64(m.Count) * scale
		c.Bars = append(c.Bars, rect{X: x, Y: round1(chartBase - h), W: round1(w), H: round1(h), Class: "done",
			Label: month(lang, m.Month, false) + ": " + strconv.Itoa(m.Count)})
		c.Ticks = append(c.Ticks, tick{X: round1(x + w/2), Text: month(lang, m.Month, true), Anchor: "middle"})
	}
	return c
}

// node is an organisation in the connections graph.
type node struct {
	X, Y     float64
	R        float64
	LX, LY   float64 // label position
	Anchor   string  // text-anchor of the label
	Name     string
	Short    string // the label: the name, cut to fit
	Isolated bool
	Degree   int
}

// edge is work between two organisations.
type edge struct {
	X1, Y1, X2, Y2 float64
	Width          float64
	Label          string
}

// graph is the connections drawing.
type graph struct {
	W, H  float64
	Nodes []node
	Edges []edge
	Title string
	Desc  string
	Shown int // organisations drawn (the busiest maxNodes)
}

// maxNodes bounds the organisations drawn; the text lists all of them.
const maxNodes = 40

// connectionsGraph places organisations on a circle, the busiest first,
// and draws a line per pair that worked together, thicker for more work.
// Organisations nobody works with are drawn hollow, in their own colour.
func connectionsGraph(lang string, orgs []store.OrgSummary, links []store.OrgLink, title, desc string) graph {
	g := graph{W: 720, H: 440, Title: title, Desc: desc}
	degree := map[int64]int{}
	for _, l := range links {
		degree[l.A] += l.Deliveries + l.Endorsements
		degree[l.B] += l.Deliveries + l.Endorsements
	}
	order := make([]store.OrgSummary, len(orgs))
	copy(order, orgs)
	sort.SliceStable(order, func(i, j int) bool { return degree[order[i].ID] > degree[order[j].ID] })
	if len(order) > maxNodes {
		// Keep the busiest, and a few of those nobody works with so they
		// still stand out in the drawing.
		linked := 0
		for _, o := range order {
			if degree[o.ID] > 0 {
				linked++
			}
		}
		keepLinked := min(linked, maxNodes-min(8, len(order)-linked))
		kept := append([]store.OrgSummary{}, order[:keepLinked]...)
		kept = append(kept, order[linked:min(len(order), linked+maxNodes-keepLinked)]...)
		order = kept
	}
	g.Shown = len(order)
	cx, cy, r := g.W/2, g.H/2, 150.0
	pos := map[int64]int{}
	for i, o := range order {
		a := 2*math.Pi*float64(i)/float64(max(1, len(order))) - math.Pi/2
		x, y := cx+r*math.Cos(a), cy+r*math.Sin(a)
		n := node{X: round1(x), Y: round1(y), R: 7, Name: o.Name, Short: truncateLabel(o.Name, 22), Isolated: degree[o.ID] == 0, Degree: degree[o.ID]}
		n.LX, n.LY = round1(cx+(r+14)*math.Cos(a)), round1(cy+(r+14)*math.Sin(a)+4)
		switch {
		case math.Cos(a) > 0.2:
			n.Anchor = "start"
		case math.Cos(a) < -0.2:
			n.Anchor = "end"
		default:
			n.Anchor = "middle"
		}
		pos[o.ID] = i
		g.Nodes = append(g.Nodes, n)
	}
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	for _, l := range links {
		i, ok1 := pos[l.A]
		j, ok2 := pos[l.B]
		if !ok1 || !ok2 {
			continue
		}
		w := l.Deliveries + l.Endorsements
		g.Edges = append(g.Edges, edge{X1: g.Nodes[i].X, Y1: g.Nodes[i].Y, X2: g.Nodes[j].X, Y2: g.Nodes[j].Y,
			Width: round1(math.Min(8, 1+math.Log2(float64(w)))),
			Label: names[l.A] + " — " + names[l.B] + ": " + tr(lang, "links_pair", l.Deliveries, l.Endorsements)})
	}
	return g
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

func truncateLabel(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
