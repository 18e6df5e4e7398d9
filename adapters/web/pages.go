package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"knoop/bot"
	"knoop/store"
)

// base is what every page's layout needs.
type base struct {
	Lang   string
	Title  string
	Nav    string // which tab is current
	Viewer *viewer
}

// goalView is a goal with its chart.
type goalView struct {
	Lang string
	store.GoalProgress
	Chart  barChart
	Points []store.GoalPoint
}

type overviewData struct {
	base
	Charter      string
	Goals        []goalView
	Deliveries   barChart
	Months       []store.MonthCount
	DeliveredAll int
	NewMembers   []store.NewMember
	NewCount     int
	Asks         []store.Ask
}

// chartWeeks is how many weekly points a goal chart has.
const chartWeeks = 12

// weekEnds are the days a goal chart shows: today and the 11 weeks before.
func weekEnds(today time.Time) []time.Time {
	days := make([]time.Time, chartWeeks)
	for i := range days {
		days[i] = today.AddDate(0, 0, -7*(chartWeeks-1-i))
	}
	return days
}

func (s *Server) goalViews(r *http.Request, v *viewer) ([]goalView, error) {
	goals, err := s.goals(r, v)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("goals %d %s %s", v.Net.ID, v.Loc, v.Today.Format(time.DateOnly))
	hist, err := cached(s.cache, key, func() (map[int64][]store.GoalPoint, error) {
		return s.store.GoalHistory(r.Context(), v.Net.ID, v.Loc.String(), weekEnds(v.Today))
	})
	if err != nil {
		return nil, err
	}
	out := make([]goalView, len(goals))
	for i, g := range goals {
		pts := hist[g.No]
		open := g.Total - g.Done - g.Overdue
		out[i] = goalView{Lang: v.Lang, GoalProgress: g, Points: pts,
			Chart: goalChart(v.Lang, pts, tr(v.Lang, "goal_chart_title", g.No), tr(v.Lang, "goal_chart_desc", g.Done, open, g.Overdue))}
	}
	return out, nil
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	d := overviewData{base: base{Lang: v.Lang, Title: tr(v.Lang, "nav_overview"), Nav: "overview", Viewer: v}}
	d.Charter = v.Net.Charter // read with the session, so current
	var err error
	if d.Goals, err = s.goalViews(r, v); err != nil {
		return err
	}
	first := time.Date(v.Today.Year(), v.Today.Month(), 1, 0, 0, 0, 0, v.Loc).AddDate(0, -11, 0)
	got, err := cached(s.cache, fmt.Sprintf("deliveries %d %s %s", v.Net.ID, v.Loc, first.Format(time.DateOnly)), func() ([]store.MonthCount, error) {
		return s.store.DeliveriesPerMonth(ctx, v.Net.ID, v.Loc.String(), first)
	})
	if err != nil {
		return err
	}
	// Every one of the 12 months gets a bar, empty ones too.
	byMonth := map[string]int{}
	for _, m := range got {
		byMonth[m.Month.Format("2006-01")] = m.Count
	}
	for i := range 12 {
		m := time.Date(first.Year(), first.Month()+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		n := byMonth[m.Format("2006-01")]
		d.Months = append(d.Months, store.MonthCount{Month: m, Count: n})
		d.DeliveredAll += n
	}
	d.Deliveries = monthChart(v.Lang, d.Months, tr(v.Lang, "deliveries"), tr(v.Lang, "deliveries_desc", d.DeliveredAll))
	if d.NewMembers, d.NewCount, err = s.store.NewMembersSince(ctx, v.Net.ID, v.Now.AddDate(0, 0, -30), 10); err != nil {
		return err
	}
	if d.Asks, err = s.store.OpenAsks(ctx, v.Net.ID); err != nil {
		return err
	}
	return s.render(w, "overview", d)
}

type goalData struct {
	base
	Goal        goalView
	Commitments []commitmentView
}

func (s *Server) goal(w http.ResponseWriter, r *http.Request, v *viewer) error {
	no, err := strconv.ParseInt(r.PathValue("no"), 10, 64)
	if err != nil || no <= 0 {
		s.message(w, v.Lang, http.StatusNotFound, "goal_unknown_title", "goal_unknown")
		return nil
	}
	goals, err := s.goalViews(r, v)
	if err != nil {
		return err
	}
	for _, g := range goals {
		if g.No != no {
			continue
		}
		d := goalData{base: base{Lang: v.Lang, Title: tr(v.Lang, "goal_n", no), Nav: "overview", Viewer: v}, Goal: g}
		cms, err := s.store.Commitments(r.Context(), store.CommitmentFilter{NetworkID: v.Net.ID, GoalNo: no, Limit: 200})
		if err != nil {
			return err
		}
		d.Commitments = s.commitmentViews(v, cms)
		return s.render(w, "goal", d)
	}
	s.message(w, v.Lang, http.StatusNotFound, "goal_unknown_title", "goal_unknown")
	return nil
}

// expertView is one answer of the directory search.
type expertView struct {
	Name, Org string
	Away      string
	Why       string
}

type directoryData struct {
	base
	Query      string
	Searched   bool
	NoTopic    bool
	Experts    []expertView
	StrongOrgs []store.OrgStrength
	Orgs       []store.OrgSummary
	OrgFilter  int64
	LangFilter string
	Members    []store.DirectoryEntry
	Total      int
	From, To   int
	Prev, Next string
	GuestOnly  bool
}

// directoryPage is how many members one page of the directory lists.
const directoryPage = 50

// maxQuery bounds the search text, as chat bounds a message.
const maxQuery = 200

func (s *Server) directory(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	q := r.URL.Query()
	d := directoryData{base: base{Lang: v.Lang, Title: tr(v.Lang, "directory_title"), Nav: "directory", Viewer: v}}
	if topic, ok := bot.Clean(q.Get("q")); ok && strings.TrimSpace(topic) != "" {
		d.Query = truncate(strings.TrimSpace(topic), maxQuery)
		d.Searched = true
		res, err := bot.Experts(ctx, s.store, v.Net.ID, d.Query, v.Now, 5)
		switch {
		case errors.Is(err, bot.ErrNoTopic):
			d.NoTopic = true
		case err != nil:
			return err
		}
		for _, e := range res.Experts {
			ev := expertView{Name: e.Member.DisplayName, Org: e.Member.OrgName, Why: bot.WhyLine(v.Lang, v.Loc, e)}
			if e.Member.Away(v.Today) {
				ev.Away = tr(v.Lang, "away_until", date(v.Lang, e.Member.AwayUntil))
			}
			d.Experts = append(d.Experts, ev)
		}
		d.StrongOrgs = res.Orgs
	}
	if v.Guest {
		// Guests ask, as in chat; the lists of everyone are for members.
		d.GuestOnly = true
		return s.render(w, "directory", d)
	}
	var err error
	if d.Orgs, err = s.organisations(r, v); err != nil {
		return err
	}
	f := store.DirectoryFilter{NetworkID: v.Net.ID, Limit: directoryPage}
	if id, err := strconv.ParseInt(q.Get("org"), 10, 64); err == nil && id > 0 {
		f.OrgID, d.OrgFilter = id, id
	}
	if l := q.Get("lang"); l == bot.EN || l == bot.NL {
		f.Language, d.LangFilter = l, l
	}
	page := 1
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 1 && p < 100000 {
		page = p
	}
	f.Offset = (page - 1) * directoryPage
	if d.Members, d.Total, err = s.store.Directory(ctx, f); err != nil {
		return err
	}
	d.From, d.To = f.Offset+1, f.Offset+len(d.Members)
	link := func(p int) string {
		u := url.Values{}
		if d.OrgFilter != 0 {
			u.Set("org", strconv.FormatInt(d.OrgFilter, 10))
		}
		if d.LangFilter != "" {
			u.Set("lang", d.LangFilter)
		}
		if p > 1 {
			u.Set("page", strconv.Itoa(p))
		}
		if len(u) == 0 {
			return "/directory#members"
		}
		return "/directory?" + u.Encode() + "#members"
	}
	if page > 1 {
		d.Prev = link(page - 1)
	}
	if d.To < d.Total {
		d.Next = link(page + 1)
	}
	return s.render(w, "directory", d)
}

// commitmentView is a commitment as the page lists it.
type commitmentView struct {
	No         int64
	Text       string
	Owner, Org string
	Goal       int64
	GoalLabel  string // "goal 2"
	When       string
	Status     string // class: open, done, overdue, dropped
	Recipient  string
}

func (s *Server) commitmentViews(v *viewer, cms []store.Commitment) []commitmentView {
	out := make([]commitmentView, 0, len(cms))
	for _, c := range cms {
		cv := commitmentView{No: c.No, Text: c.Text, Owner: c.OwnerName, Org: c.OwnerOrg, Goal: c.GoalNo, Recipient: c.RecipientName}
		if c.GoalNo != 0 {
			cv.GoalLabel = tr(v.Lang, "for_goal", c.GoalNo)
		}
		if cv.Owner == "" {
			cv.Owner = tr(v.Lang, "former_member")
		}
		switch {
		case c.Status == store.StatusDone:
			cv.Status, cv.When = "done", tr(v.Lang, "done_on", date(v.Lang, c.DoneAt.In(v.Loc)))
		case c.Status == store.StatusDropped:
			cv.Status, cv.When = "dropped", tr(v.Lang, "dropped")
		case c.Due.IsZero():
			cv.Status, cv.When = "open", tr(v.Lang, "no_due")
		case c.Due.Before(v.Today):
			cv.Status, cv.When = "overdue", tr(v.Lang, "due_on", date(v.Lang, c.Due))
		default:
			cv.Status, cv.When = "open", tr(v.Lang, "due_on", date(v.Lang, c.Due))
		}
		out = append(out, cv)
	}
	return out
}

// column is one column of the board.
type column struct {
	Title string
	Class string
	Items []commitmentView
	Count int
	More  int
}

type boardData struct {
	base
	Mine       []commitmentView
	Columns    []column
	Goals      []store.GoalProgress
	Orgs       []store.OrgSummary
	GoalFilter int64
	OrgFilter  int64
	GuestOnly  bool
}

func (s *Server) commitments(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	q := r.URL.Query()
	d := boardData{base: base{Lang: v.Lang, Title: tr(v.Lang, "board_title"), Nav: "commitments", Viewer: v}}
	mine, err := s.store.Commitments(ctx, store.CommitmentFilter{NetworkID: v.Net.ID, OwnerID: v.Member.ID, Limit: 30})
	if err != nil {
		return err
	}
	d.Mine = s.commitmentViews(v, mine)
	if v.Guest {
		d.GuestOnly = true
		return s.render(w, "commitments", d)
	}
	if d.Goals, err = s.goals(r, v); err != nil {
		return err
	}
	if d.Orgs, err = s.organisations(r, v); err != nil {
		return err
	}
	f := store.BoardFilter{NetworkID: v.Net.ID, Today: v.Today}
	if id, err := strconv.ParseInt(q.Get("goal"), 10, 64); err == nil && id > 0 {
		f.GoalNo, d.GoalFilter = id, id
	}
	if id, err := strconv.ParseInt(q.Get("org"), 10, 64); err == nil && id > 0 {
		f.OrgID, d.OrgFilter = id, id
	}
	b, err := s.store.CommitmentBoard(ctx, f)
	if err != nil {
		return err
	}
	col := func(key, class string, cms []store.Commitment, n int) column {
		items := s.commitmentViews(v, cms)
		return column{Title: tr(v.Lang, key), Class: class, Items: items, Count: n, More: n - len(items)}
	}
	d.Columns = []column{
		col("overdue", "overdue", b.Overdue, b.OverdueCount),
		col("due_soon", "soon", b.DueSoon, b.DueSoonCount),
		col("open", "open", b.Open, b.OpenCount),
		col("delivered_30", "done", b.Delivered, b.DeliveredCount),
	}
	return s.render(w, "commitments", d)
}

// pairView is one pair of organisations working together.
type pairView struct {
	A, B                     string
	Deliveries, Endorsements int
}

type connectionsData struct {
	base
	Graph     graph
	Pairs     []pairView // the busiest maxPairs
	MorePairs int
	Isolated  []string
	OrgCount  int
	GuestOnly bool
}

// maxPairs bounds the table of pairs (they come busiest first).
const maxPairs = 50

// linkDays is the period the connections page covers.
const linkDays = 90

func (s *Server) connections(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	d := connectionsData{base: base{Lang: v.Lang, Title: tr(v.Lang, "links_title"), Nav: "connections", Viewer: v}}
	if v.Guest {
		d.GuestOnly = true
		return s.render(w, "connections", d)
	}
	orgs, err := s.organisations(r, v)
	if err != nil {
		return err
	}
	links, err := cached(s.cache, fmt.Sprintf("links %d", v.Net.ID), func() ([]store.OrgLink, error) {
		return s.store.OrgLinks(ctx, v.Net.ID, v.Now.AddDate(0, 0, -linkDays))
	})
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	linked := map[int64]bool{}
	for _, l := range links {
		linked[l.A], linked[l.B] = true, true
		if len(d.Pairs) < maxPairs {
			d.Pairs = append(d.Pairs, pairView{A: names[l.A], B: names[l.B], Deliveries: l.Deliveries, Endorsements: l.Endorsements})
		}
	}
	d.MorePairs = len(links) - len(d.Pairs)
	for _, o := range orgs {
		if !linked[o.ID] {
			d.Isolated = append(d.Isolated, o.Name)
		}
	}
	d.OrgCount = len(orgs)
	d.Graph = connectionsGraph(v.Lang, orgs, links, tr(v.Lang, "links_title"),
		tr(v.Lang, "links_desc", len(orgs), len(links), len(d.Isolated)))
	return s.render(w, "connections", d)
}

// goals are the network's goals with their progress today.
func (s *Server) goals(r *http.Request, v *viewer) ([]store.GoalProgress, error) {
	return cached(s.cache, fmt.Sprintf("goalprogress %d %s", v.Net.ID, v.Today.Format(time.DateOnly)), func() ([]store.GoalProgress, error) {
		return s.store.Goals(r.Context(), v.Net.ID, v.Today)
	})
}

// organisations are the network's organisations with their counts.
func (s *Server) organisations(r *http.Request, v *viewer) ([]store.OrgSummary, error) {
	return cached(s.cache, fmt.Sprintf("orgs %d", v.Net.ID), func() ([]store.OrgSummary, error) {
		return s.store.Organisations(r.Context(), v.Net.ID)
	})
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
