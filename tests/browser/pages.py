"""Every public page of the demo. Adding a page to the accessibility checks is one line."""

PUBLIC_PAGES = [
    "/",
    "/musterkreis/",
    "/musterstadt/",
    "/beispielstadt/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
    "/konto/confirm-email/",
    "/gibt-es-nicht/",
    "/musterstadt/strategie/",
    "/musterstadt/massnahmen/",
    "/musterstadt/massnahmen/?status=in_umsetzung&sortierung=fortschritt",
    "/beispielstadt/strategie/",
    "/beispielstadt/massnahmen/",
    "/musterstadt/ideen/",
    "/musterstadt/ideen/?sort=unterstuetzungen",
    "/musterstadt/ideen/?verfahren=digitaler-aufbruch&sort=bewertung",
    "/musterstadt/ideen/?q=WLAN&status=angenommen",
    "/musterstadt/beteiligung/",
    "/musterstadt/beteiligung/digitaler-aufbruch/",
    "/musterstadt/werkstaetten/",
    "/beispielstadt/ideen/",
    "/beispielstadt/beteiligung/ideenplattform/",
    "/musterstadt/gremien/",
    "/musterstadt/sitzungen/",
    "/musterstadt/sitzungen/?ansicht=monat",
    "/musterstadt/vorlagen/",
    "/musterstadt/vorlagen/?typ=antrag",
    "/musterstadt/beschluesse/",
    "/musterstadt/beschluesse/?ueberfaellig=1",
    "/musterstadt/beschluesse/kontrolle/",
    "/musterstadt/vorlagen/?q=Digitalisierung",
    "/musterstadt/suche/",
    "/musterstadt/suche/?q=Digitalisierung",
    "/musterstadt/suche/?q=Digitalisierung&art=paper&sortierung=datum",
    "/musterstadt/suche/?q=Digitalisierng",
    "/suche/?q=Schule",
    "/musterstadt/berichte/",
    "/api/v1/docs",
    "/beispielstadt/berichte/",
    "/musterstadt/schnittstellen/",
    "/musterstadt/cockpit/",
    "/musterstadt/cockpit/?handlungsfeld=abc",
    "/beispielstadt/cockpit/",
    "/musterkreis/cockpit/",
    "/musterstadt/opendata/",
    "/beispielstadt/opendata/",
    "/musterkreis/opendata/",
    "/musterstadt/ozg/",
    "/musterstadt/ozg/?q=Wohngeld",
    "/beispielstadt/ozg/?themenfeld=Bauen+%26+Wohnen",
    "/musterkreis/ozg/",
    "/musterkreis/strategie/",
    "/musterkreis/bibliothek/",
    "/musterkreis/bibliothek/?feld=abc&aufwand=gering",
    "/musterkreis/berichte/region/",
    "/musterkreis/gremien/",
]

# Pages of one object: the first link matching the selector on the list page is checked.
FIRST_LINK_PAGES = [
    ("/musterstadt/massnahmen/", "table.measures tbody a"),
    ("/musterstadt/massnahmen/?status=in_umsetzung", "table.measures tbody a"),
    ("/musterstadt/ideen/", ".idea-list a"),
    ("/musterstadt/ideen/?sort=diskussion", ".idea-list a"),
    ("/musterstadt/ideen/?status=zusammengefuehrt", ".idea-list a"),
    ("/musterstadt/ideen/?status=angenommen", ".idea-list a"),
    ("/musterstadt/werkstaetten/", ".workshop-cards a"),
    ("/musterstadt/gremien/", "main ul a[href*='/gremien/']"),
    ("/musterstadt/sitzungen/", "main a[href*='/sitzungen/'][href$='/']"),
    ("/musterstadt/vorlagen/", "main a[href*='/vorlagen/'][href$='/']"),
    ("/musterstadt/berichte/", "main a[href*='/berichte/'][href$='/']"),
    ("/musterkreis/bibliothek/", "table.library tbody a"),
    ("/musterkreis/bibliothek/", "main a[href*='/bibliothek/gemeinsam/']"),
    ("/musterkreis/gremien/", "main ul a[href*='/gremien/']"),
]

# Staff pages, checked signed in as the programme owner of Musterstadt. "{measure}" is the
# id of a measure in review (it has an E-Government-Check and an assessment in the demo),
# "{idea}" the id of a submitted idea of the demo process.
STAFF_PAGES = [
    "/musterstadt/verwaltung/massnahmen/",
    "/musterstadt/verwaltung/massnahmen/?meine=1",
    "/musterstadt/verwaltung/massnahmen/neu/",
    "/musterstadt/verwaltung/massnahmen/{measure}/bearbeiten/",
    "/musterstadt/verwaltung/massnahmen/{measure}/sachstand/",
    "/musterstadt/verwaltung/massnahmen/{measure}/status/",
    "/musterstadt/verwaltung/massnahmen/{measure}/meilensteine/",
    "/musterstadt/verwaltung/massnahmen/{measure}/auswirkungen/",
    "/musterstadt/verwaltung/massnahmen/{measure}/anlagen/",
    "/musterstadt/verwaltung/massnahmen/{measure}/egov-check/",
    "/musterstadt/verwaltung/massnahmen/{measure}/bewertung/",
    "/musterstadt/verwaltung/massnahmen/import/",
    "/musterstadt/verwaltung/gewichtung/",
    "/musterstadt/verwaltung/egov-fragen/",
    "/musterstadt/priorisierung/",
    "/musterstadt/massnahmen/{measure}/",
    "/musterstadt/verwaltung/strategie/",
    "/musterstadt/verwaltung/einheiten/",
    "/musterstadt/verwaltung/ideen/",
    "/musterstadt/verwaltung/ideen/?alle=1",
    "/musterstadt/verwaltung/ideen/{idea}/",
    "/musterstadt/verwaltung/ideen/{idea}/massnahme/",
    "/musterstadt/verwaltung/beteiligung/",
    "/musterstadt/verwaltung/beteiligung/neu/",
    "/musterstadt/verwaltung/beteiligung/einstellungen/",
    "/musterstadt/verwaltung/werkstaetten/",
    "/musterstadt/verwaltung/werkstaetten/neu/",
    "/musterstadt/verwaltung/massnahmen/{measure}/bibliothek/",
    "/musterstadt/verwaltung/massnahmen/{measure}/gemeinsam/",
    "/musterstadt/verwaltung/region/",
]

# Pages of a signed-in citizen (a demo citizen of Musterstadt with ideas of her own).
CITIZEN_PAGES = [
    "/musterstadt/ideen/neu/?verfahren=digitaler-aufbruch",
    "/musterstadt/ideen/meine/",
    "/musterstadt/ideen/{idea}/",
    "/musterstadt/ideen/{idea}/melden/",
    "/musterstadt/ideen/{idea}/kommentare/{comment}/melden/",
    "/konto/benachrichtigungen/",
    "/konto/benachrichtigungen/einstellungen/",
]

# Pages of the moderator of Musterstadt.
MODERATOR_PAGES = [
    "/musterstadt/verwaltung/moderation/",
    "/musterstadt/verwaltung/moderation/protokoll/",
    "/musterstadt/verwaltung/moderation/sperren/",
    "/musterstadt/ideen/{hidden_idea}/",
]

# Council pages of one meeting, public: "{held}" is a meeting that took place.
MEETING_PAGES = [
    "/musterstadt/sitzungen/{held}/einladung/",
    "/musterstadt/sitzungen/{held}/niederschrift/",
]

# The council office's workspace, signed in as the Sitzungsdienst of Musterstadt. "{draft}",
# "{signing}" and "{released}" are papers in those states, "{held}" a meeting with a decided
# item "{item}", "{follow_up}" a follow-up of the demo.
COUNCIL_OFFICE_PAGES = [
    "/musterstadt/verwaltung/vorlagen/",
    "/musterstadt/verwaltung/vorlagen/neu/",
    "/musterstadt/verwaltung/vorlagen/{draft}/",
    "/musterstadt/verwaltung/vorlagen/{draft}/bearbeiten/",
    "/musterstadt/verwaltung/vorlagen/{draft}/auswirkungen/",
    "/musterstadt/verwaltung/vorlagen/{draft}/egov-check/",
    "/musterstadt/verwaltung/vorlagen/{draft}/mitzeichnung/",
    "/musterstadt/verwaltung/vorlagen/{draft}/beratungsfolge/",
    "/musterstadt/verwaltung/vorlagen/{draft}/anlagen/",
    "/musterstadt/verwaltung/vorlagen/{signing}/",
    "/musterstadt/verwaltung/vorlagen/{released}/",
    "/musterstadt/verwaltung/mitzeichnungen/",
    "/musterstadt/verwaltung/sitzungen/",
    "/musterstadt/verwaltung/sitzungen/neu/",
    "/musterstadt/verwaltung/sitzungen/{held}/",
    "/musterstadt/verwaltung/sitzungen/{held}/bearbeiten/",
    "/musterstadt/verwaltung/sitzungen/{held}/anlagen/",
    "/musterstadt/verwaltung/sitzungen/{held}/top/{item}/beschluss/",
    "/musterstadt/verwaltung/beschlusskontrolle/",
    "/musterstadt/verwaltung/beschlusskontrolle/?anzeigen=overdue",
    "/musterstadt/verwaltung/beschlusskontrolle/{follow_up}/",
]

# The live meeting pages of a chair, with "{meeting}" a meeting run in the browser test:
# tests/browser/test_voting.py checks them with axe in each state of the meeting (opened,
# found not beschlussfähig, poll running, result published) on a desktop and a phone.
LIVE_CHAIR_PAGES = [
    "/musterstadt/sitzungen/{meeting}/sitzungsleitung/",
    "/musterstadt/sitzungen/{meeting}/live/",
]
