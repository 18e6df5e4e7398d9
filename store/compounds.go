package store

import "strings"

// compoundParts are the words Dutch compounds in a regional network's
// skills are made of ("koelketenlogistiek" = koelketen + logistiek,
// "batterijopslag" = batterij + opslag), with a few English ones members
// write as one word ("warehousemanagement"). A word is split only when it
// is made entirely of these, so an unknown word is never cut up wrongly.
var compoundParts = set(strings.Fields(`
	aanbesteding aanbestedingen aanvraag aanvragen aansluiting advies afval afvang agf analyse arbeid arbeidsmarkt
	automatisering batterij batterijen beheer beheersing beleid bescherming besparing besturing beveiliging bewaking
	bijscholing binnenvaart bio bloem bloemen veiling operatie operaties bouw brandstof brandstoffen bunker bus cargo circulair co2 communicatie
	congestie container containers contract contracten data depositie diesel digitaal distributie douane duurzaam
	economie elektrisch elektriciteit elektrolyse energie export expeditie fabriek financiering formaliteiten
	gas gebied gegevens gewas glas goederen groen groente haven havens import industrie informatie infrastructuur
	ingenieur inkoop installatie installaties kas kennis keten klimaat koel koelketen kosten kwaliteit lading las
	leiding leidingen les lucht management markt materiaal materialen mobiliteit netwerk net netten omgeving onderhoud
	onderwijs ontwerp ontwikkeling opleiding opslag overheid personeel plan planning privacy proces productie project
	recht regie regio risico route samenwerking schip schepen software spoor stad sterkte stikstof stroom subsidie
	subsidies systeem systemen techniek teelt terminal transport tuinbouw veiligheid verduurzaming vergunning
	vergunningen vervoer vers voedsel voorraad vracht vrachtwagen warmte water waterstof weg werk wind zon zonne
	zorg logistiek logistieke magazijn programma programmering programmeren robot robots sensor sensoren
	management warehouse docking cross supply chain
`))

func set(ws []string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// compoundLinks are the letters Dutch puts between the parts of a
// compound ("stadslogistiek", "bloemenveiling"); "en" is itself usually a
// plural already in compoundParts.
var compoundLinks = []string{"", "s", "e"}

// minCompoundPart is the shortest part a compound is split into.
const minCompoundPart = 3

// SplitCompound returns the parts of a folded compound word, or nil when
// w is not made entirely of known parts (see compoundParts). It prefers
// the split into the fewest parts, at most three: "koelketenlogistiek"
// gives koelketen, logistiek, not koel, keten, logistiek.
func SplitCompound(w string) []string {
	if len(w) < 2*minCompoundPart+1 {
		return nil
	}
	if parts := split(w, 3); len(parts) > 1 {
		return parts
	}
	return nil
}

// split finds the split of w into at most max known parts with the fewest
// parts, longest first part first; nil if there is none.
func split(w string, max int) []string {
	if compoundParts[w] {
		return []string{w}
	}
	if max == 1 {
		return nil
	}
	var best []string
	for i := len(w) - minCompoundPart; i >= minCompoundPart; i-- {
		head := w[:i]
		if !compoundParts[head] {
			continue
		}
		for _, link := range compoundLinks {
			rest, ok := strings.CutPrefix(w[i:], link)
			if !ok || len(rest) < minCompoundPart {
				continue
			}
			if tail := split(rest, max-1); tail != nil && (best == nil || 1+len(tail) < len(best)) {
				best = append([]string{head}, tail...)
			}
		}
	}
	return best
}
