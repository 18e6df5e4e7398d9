package store

// The synthetic network's vocabulary: how members of a regional network
// of port, logistics, horticulture, energy, manufacturing, education and
// government organisations write their skills, in English and Dutch,
// with abbreviations and compounds.
var seedSkills = []string{
	"cold chain", "koelketen", "koeltransport", "logistics", "logistiek", "supply chain management",
	"ketenregie", "warehousing", "warehouse management", "magazijnbeheer", "cross-docking", "intermodal transport",
	"multimodaal vervoer", "inland shipping", "binnenvaart", "short sea shipping", "container terminals",
	"containerlogistiek", "port operations", "havenoperaties", "LNG bunkering", "bunkeren", "customs", "douane",
	"douaneformaliteiten", "trade compliance", "export documentation", "freight forwarding", "expeditie",
	"road freight", "wegtransport", "last mile delivery", "stadslogistiek", "city logistics", "fleet management",
	"wagenparkbeheer", "route planning", "routeplanning", "empty-truck reduction", "lege kilometers",
	"horticulture", "tuinbouw", "glastuinbouw", "greenhouse climate control", "kasklimaat", "floriculture",
	"bloementeelt", "plant breeding", "veredeling", "vertical farming", "agrifood", "voedselveiligheid",
	"food safety", "HACCP", "post-harvest handling", "versketen", "fresh produce logistics", "sierteelt",
	"hydrogen", "waterstof", "electrolysis", "elektrolyse", "energy transition", "energietransitie",
	"offshore wind", "wind op zee", "solar PV", "zonne-energie", "grid congestion", "netcongestie",
	"district heating", "warmtenet", "warmtenetten", "heat pumps", "warmtepompen", "carbon capture", "CCS",
	"CO2-opslag", "biofuels", "biobrandstoffen", "energy storage", "batterijopslag", "power purchase agreements",
	"manufacturing", "maakindustrie", "lean manufacturing", "lean", "six sigma", "additive manufacturing",
	"3D printing", "3D-printen", "robotics", "robotica", "automation", "automatisering", "PLC programming",
	"PLC-programmering", "predictive maintenance", "voorspellend onderhoud", "quality assurance",
	"kwaliteitsborging", "ISO 9001", "welding", "lassen", "composites", "composieten", "machine vision",
	"digital twins", "digitale tweeling", "IoT", "sensoring", "data science", "data-analyse", "machine learning",
	"python", "SQL", "dashboards", "Power BI", "GIS", "cybersecurity", "informatiebeveiliging", "GDPR", "AVG",
	"privacy law", "contract law", "contractenrecht", "aanbestedingsrecht", "procurement", "inkoop",
	"aanbestedingen", "tendering", "grant applications", "subsidieaanvragen", "subsidies", "EU funding",
	"Horizon Europe", "Interreg", "business cases", "businesscase", "financial modelling", "financieel modelleren",
	"impact investing", "public-private partnerships", "PPS", "stakeholder management", "stakeholdermanagement",
	"omgevingsmanagement", "policy advice", "beleidsadvies", "spatial planning", "ruimtelijke ordening",
	"omgevingswet", "permits", "vergunningen", "stikstof", "nitrogen permits", "circular economy",
	"circulaire economie", "recycling", "hergebruik", "waste management", "afvalbeheer", "LCA",
	"levenscyclusanalyse", "sustainability reporting", "CSRD", "duurzaamheidsrapportage", "ESG",
	"education", "onderwijs", "curriculum design", "curriculumontwikkeling", "MBO", "HBO", "lifelong learning",
	"leven lang ontwikkelen", "internships", "stages", "labour market", "arbeidsmarkt", "talent development",
	"research", "onderzoek", "applied research", "praktijkgericht onderzoek", "living labs", "proeftuinen",
	"project management", "projectmanagement", "programme management", "agile", "scrum", "change management",
	"verandermanagement", "facilitation", "facilitatie", "community building", "netwerkregie", "communication",
	"communicatie", "marketing", "storytelling", "public affairs", "lobby", "events", "evenementen",
	"safety", "veiligheid", "port security", "havenbeveiliging", "crisis management", "crisisbeheersing",
}

// seedDeliverables are templates for delivered commitments; %s is a skill.
var seedDeliverables = []string{
	"pilot report on %s", "business case for %s", "workshop on %s for partners", "%s roadmap 2027",
	"quick scan %s", "plan van aanpak %s", "verkenning %s", "kennissessie %s", "subsidievoorstel %s",
	"training %s voor medewerkers", "dataset for %s pilot", "%s feasibility study", "rapportage %s",
}

var seedOrgKinds = []string{
	"Havenbedrijf", "Logistics", "Transport", "Greenport", "Kwekerij", "Energie", "Hydrogen", "Techniek",
	"Manufacturing", "Hogeschool", "Universiteit", "ROC", "Gemeente", "Provincie", "Omgevingsdienst",
	"Terminals", "Shipping", "Cold Store", "Consultancy", "Innovatiehuis",
}

var seedPlaces = []string{
	"Rotterdam", "Den Haag", "Delft", "Westland", "Schiedam", "Vlaardingen", "Maassluis", "Zoetermeer",
	"Leiden", "Dordrecht", "Barendrecht", "Maasvlakte", "Botlek", "Pernis", "Naaldwijk", "Lansingerland",
	"Ridderkerk", "Capelle", "Spijkenisse", "Gouda",
}

var seedFirst = []string{
	"Anna", "Bram", "Carla", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Ivo", "Joris", "Kim", "Lars", "Mila",
	"Noah", "Olga", "Pieter", "Quinten", "Roos", "Sanne", "Thijs", "Umar", "Vera", "Willem", "Yara", "Zeynep",
	"Fatima", "Mohammed", "Priya", "Wei", "Lucas", "Emma", "Sophie", "Jan", "Maarten", "Ilse", "Kees",
}

var seedLast = []string{
	"de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
	"Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "van Dijk",
	"El Amrani", "Yilmaz", "Kaya", "Chen", "Singh", "van der Berg", "Verhoeven", "Kuipers", "Postma", "Vermeulen",
}
