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
    "/gibt-es-nicht/",
    "/musterstadt/strategie/",
    "/musterstadt/massnahmen/",
    "/musterstadt/massnahmen/?status=in_umsetzung&sortierung=fortschritt",
    "/beispielstadt/strategie/",
    "/beispielstadt/massnahmen/",
]

# Pages of one object: the first link matching the selector on the list page is checked.
FIRST_LINK_PAGES = [
    ("/musterstadt/massnahmen/", "table.measures tbody a"),
    ("/musterstadt/massnahmen/?status=in_umsetzung", "table.measures tbody a"),
]

# Staff pages, checked signed in as the programme owner of Musterstadt. "{measure}" is the
# id of a measure in review (it has an E-Government-Check and an assessment in the demo).
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
]
