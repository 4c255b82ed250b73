"""Demo strategy data: Musterstadt's Digitale Agenda with its measures and their history,
a smaller strategy for Beispielstadt, and (``--scale large``) a large town's 2,000 measures.

Every row is looked up by its natural key before it is created, and everything that depends
on "today" is created only together with the row it belongs to, so a second run changes
nothing."""

import datetime
import random
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from lotse.accounts.models import User
from lotse.core.impacts import ImpactAssessment
from lotse.core.models import Body
from lotse.strategy.models import (
    ORDER,
    TRANSITIONS,
    ActionField,
    Goal,
    Measure,
    MeasureGoal,
    MeasureStatus,
    MeasureTransition,
    Milestone,
    OrgUnit,
    StatusUpdate,
    Strategy,
    Tag,
    TrafficLight,
    is_setback,
)
from lotse.strategy.services import refresh_current_state

BERLIN = ZoneInfo("Europe/Berlin")
S = MeasureStatus
GREEN, YELLOW, RED = TrafficLight.GREEN, TrafficLight.YELLOW, TrafficLight.RED

# --------------------------------------------------------------------------------------------
# Musterstadt

MUSTERSTADT_STRATEGY = {
    "title": "Digitale Agenda Musterstadt 2030",
    "vision": (
        "Musterstadt nutzt die Digitalisierung, damit das Leben in der Stadt einfacher, "
        "nachhaltiger und gemeinsamer wird. Bis 2030 können alle Bürgerinnen und Bürger sowie "
        "Unternehmen ihre Anliegen bei der Stadt digital erledigen, wenn sie das wollen – und "
        "persönlich, wenn sie das brauchen. Die Verwaltung arbeitet medienbruchfrei, teilt ihre "
        "Daten offen und beteiligt die Stadtgesellschaft an ihren Vorhaben. Niemand wird "
        "zurückgelassen: Wer Unterstützung beim Umgang mit digitalen Angeboten braucht, "
        "bekommt sie vor Ort."
    ),
    "period_start": datetime.date(2024, 1, 1),
    "period_end": datetime.date(2030, 12, 31),
    "adopted_on": datetime.date(2024, 3, 21),
}

MUSTERSTADT_GOALS = [
    (
        "Förderung des gesellschaftlichen Zusammenhalts und der gesellschaftlichen Teilhabe",
        "Digitale Angebote sind barrierefrei, mehrsprachig wo nötig und für alle Generationen "
        "nutzbar; analoge Zugänge bleiben erhalten.",
    ),
    (
        "Ökonomische und ökologische Nachhaltigkeit",
        "Digitalisierung spart Wege, Papier und Energie und hilft, die Klimaziele der Stadt zu "
        "erreichen; Investitionen werden über ihre ganze Lebensdauer betrachtet.",
    ),
    (
        "Wettbewerbs- und Innovationsfähigkeit",
        "Unternehmen, Gründerinnen und Gründer sowie Kreative finden in Musterstadt schnelle "
        "Netze, offene Daten und eine Verwaltung, die zügig entscheidet.",
    ),
    (
        "Operative Exzellenz",
        "Die Verwaltung arbeitet durchgängig digital, vom Antrag bis zur Akte, und gewinnt so "
        "Zeit für Beratung und Gestaltung.",
    ),
]
G_TEILHABE, G_NACHHALTIG, G_INNOVATION, G_EXZELLENZ = range(4)

MUSTERSTADT_FIELDS = [
    (
        "Digitalisierung Alltag",
        [
            "Bildung",
            "Mobilität/Logistik",
            "Einzelhandel",
            "Energie/Umwelt",
            "Gesundheit/Pflege",
            "Bauen/Wohnen",
        ],
    ),
    (
        "Digitale Verwaltung/Politik",
        [
            "Zugang/Interaktion Multikanal",
            "Digitale Verwaltungsprozesse",
            "Mobile Government",
            "Data Driven Government",
            "Push statt Pull",
        ],
    ),
    (
        "Wertschöpfung/Innovation",
        [
            "Wirtschaftsförderung 2.0",
            "Innovationsinfrastruktur",
            "Infrastruktur für Kreative",
            "Industrie 4.0",
            "Digitale Berufsbildung",
        ],
    ),
    ("Transparenz/Partizipation", ["Transparenz und Beteiligung", "City Cockpit", "Open Data"]),
]
ALLTAG, VERWALTUNG, INNOVATION, TRANSPARENZ = (f[0] for f in MUSTERSTADT_FIELDS)

MUSTERSTADT_UNITS = [
    ("FB 10", "Zentrale Dienste"),
    ("FB 20", "Finanzen"),
    ("Amt 12", "IT und Organisation"),
    ("Amt 32", "Bürgerservice und Ordnung"),
    ("Amt 40", "Schule"),
    ("Amt 50", "Soziales und Senioren"),
    ("Amt 51", "Jugend"),
    ("Amt 61", "Stadtplanung"),
    ("Amt 63", "Bauordnung"),
    ("Amt 65", "Gebäudemanagement"),
    ("Amt 70", "Umwelt und Klimaschutz"),
    ("Amt 80", "Wirtschaftsförderung"),
    ("Stab DI", "Stabsstelle Digitalisierung"),
]

MUSTERSTADT_TAGS = [
    "OZG",
    "Förderprojekt",
    "DigitalPakt Schule",
    "Interkommunal",
    "Barrierefreiheit",
    "Smart City",
    "Klimaschutz",
    "Open Government",
    "Informationssicherheit",
]

# Each measure: field and topic, unit, lead (the part of the demo account's address before
# @musterstadt.example), goal contributions {goal: 0–3}, the lifecycle as (status, days ago
# [, reason]), Sachstandsmeldungen as (days ago, progress, light, text[, explanation]),
# milestones as (title, due in days from today, done in days from today or None).
MUSTERSTADT_MEASURES = [
    {
        "title": "Digitale Schule",
        "summary": "Programm, das Ausstattung, Netz, Support und Lernplattform der elf "
        "städtischen Schulen bündelt.",
        "description": "Das Programm fasst die Vorhaben aus dem Medienentwicklungsplan "
        "zusammen. Es wird aus Mitteln des DigitalPakts Schule und des städtischen Haushalts "
        "finanziert. Der Fortschritt ergibt sich aus den Teilprojekten, gewichtet nach ihrem "
        "Umfang.",
        "field": (ALLTAG, "Bildung"),
        "unit": "Amt 40",
        "lead": "cdo",
        "goals": {G_TEILHABE: 3, G_INNOVATION: 2},
        "tags": ["DigitalPakt Schule", "Förderprojekt"],
        "planned": (-700, 400),
        "path": [
            ("in_pruefung", 820),
            ("priorisiert", 780),
            ("beschlossen", 730),
            ("in_umsetzung", 690),
        ],
        "programme_updates": [430, 245, 30],
        "origin": "Medienentwicklungsplan der Schulen 2023",
    },
    {
        "title": "Digitalisierung an Schulen",
        "parent": "Digitale Schule",
        "weight": 3,
        "summary": "Tablets und Präsentationstechnik für alle Klassenräume, Leihgeräte für "
        "Schülerinnen und Schüler ohne eigenes Gerät.",
        "description": "Ausgestattet werden 312 Unterrichtsräume mit interaktiven Displays. "
        "Jede Schule erhält einen Klassensatz Tablets je Jahrgang; 1.450 Leihgeräte stehen "
        "für Schülerinnen und Schüler ohne eigenes Gerät bereit.",
        "field": (ALLTAG, "Bildung"),
        "unit": "Amt 40",
        "lead": "verwaltung",
        "goals": {G_TEILHABE: 3, G_INNOVATION: 1},
        "tags": ["DigitalPakt Schule", "Förderprojekt"],
        "planned": (-680, 380),
        "path": [
            ("in_pruefung", 800),
            ("priorisiert", 770),
            ("beschlossen", 720),
            ("in_umsetzung", 680),
        ],
        "updates": [
            (450, 20, GREEN, "Ausschreibung der Displays abgeschlossen, Zuschlag erteilt."),
            (
                270,
                40,
                YELLOW,
                "Sechs von elf Schulen ausgestattet.",
                "Lieferverzug beim Hersteller um rund acht Wochen; Montage in den Sommerferien "
                "nur teilweise möglich.",
            ),
            (
                80,
                55,
                YELLOW,
                "Acht Schulen ausgestattet, 900 Leihgeräte ausgegeben.",
                "Die restlichen Geräte kommen erst im nächsten Quartal; Zeitplan um ein "
                "Halbjahr verschoben.",
            ),
        ],
        "milestones": [
            ("Zuschlag Displays", -470, -455),
            ("Grundschulen ausgestattet", -120, -110),
            ("Weiterführende Schulen ausgestattet", -20, None),
            ("Abnahme und Verwendungsnachweis DigitalPakt", 300, None),
        ],
        "impacts": {
            "has_financial_impact": True,
            "product_number": "03.01.01",
            "product_name": "Bereitstellung schulischer Einrichtungen",
            "expense_annual": Decimal("145000.00"),
            "material_annual": Decimal("145000.00"),
            "investment_in_one_off": Decimal("1620000.00"),
            "grants_one_off": Decimal("1620000.00"),
            "investment_out_one_off": Decimal("1800000.00"),
            "budget_available": True,
            "climate": ImpactAssessment.Climate.NONE,
            "inclusion": ImpactAssessment.Inclusion.CONSIDERED,
            "inclusion_text": "Förderschulen erhalten Geräte mit Bedienungshilfen und "
            "Bildschirmlupen.",
        },
    },
    {
        "title": "Glasfaser und WLAN für alle Schulstandorte",
        "parent": "Digitale Schule",
        "weight": 2,
        "summary": "Gigabitanschluss und flächendeckendes WLAN in allen elf Schulgebäuden.",
        "field": (ALLTAG, "Bildung"),
        "secondary": [(INNOVATION, "Innovationsinfrastruktur")],
        "unit": "Amt 65",
        "goals": {G_TEILHABE: 2, G_INNOVATION: 2},
        "tags": ["DigitalPakt Schule"],
        "planned": (-650, 200),
        "path": [
            ("in_pruefung", 800),
            ("priorisiert", 770),
            ("beschlossen", 720),
            ("in_umsetzung", 640),
        ],
        "updates": [
            (440, 35, GREEN, "Glasfaseranschluss an sieben Standorten fertig."),
            (260, 60, GREEN, "Verkabelung in den Gebäuden zu zwei Dritteln erledigt."),
            (70, 80, GREEN, "Alle Standorte am Glasfasernetz; WLAN in neun Schulen aktiv."),
        ],
        "milestones": [
            ("Alle Standorte am Glasfasernetz", -120, -95),
            ("WLAN in allen Schulen", 90, None),
        ],
    },
    {
        "title": "IT-Support für Schulen (Second Level)",
        "parent": "Digitale Schule",
        "weight": 1,
        "summary": "Zentraler Support für die Schul-IT, damit Lehrkräfte nicht selbst "
        "administrieren müssen.",
        "field": (ALLTAG, "Bildung"),
        "unit": "Amt 12",
        "goals": {G_EXZELLENZ: 2, G_TEILHABE: 1},
        "planned": (-620, -90),
        "path": [
            ("in_pruefung", 800),
            ("priorisiert", 770),
            ("beschlossen", 720),
            ("in_umsetzung", 610),
            ("abgeschlossen", 100),
        ],
        "updates": [
            (430, 40, GREEN, "Zwei Supportkräfte eingestellt, Ticketsystem eingerichtet."),
            (250, 85, GREEN, "Alle Schulen an das Ticketsystem angebunden."),
            (
                100,
                100,
                GREEN,
                "Support im Regelbetrieb; 94 % der Tickets binnen zwei Tagen gelöst.",
            ),
        ],
        "milestones": [("Ticketsystem live", -400, -410), ("Regelbetrieb", -100, -100)],
    },
    {
        "title": "Lernplattform und digitale Lernmittel",
        "parent": "Digitale Schule",
        "weight": 2,
        "summary": "Eine gemeinsame Lernplattform für alle Schulen mit Lizenzen für digitale "
        "Schulbücher.",
        "field": (ALLTAG, "Bildung"),
        "unit": "Amt 40",
        "goals": {G_TEILHABE: 2},
        "planned": (-500, 250),
        "path": [
            ("in_pruefung", 800),
            ("priorisiert", 770),
            ("beschlossen", 720),
            ("in_umsetzung", 480),
        ],
        "updates": [
            (420, 15, GREEN, "Anforderungen mit den Schulleitungen abgestimmt."),
            (
                250,
                20,
                RED,
                "Vergabeverfahren musste aufgehoben werden.",
                "Das einzige Angebot lag 40 % über der Kostenschätzung; das Verfahren wird mit "
                "geändertem Leistungszuschnitt neu ausgeschrieben.",
            ),
            (
                65,
                35,
                YELLOW,
                "Neue Ausschreibung veröffentlicht, drei Angebote eingegangen.",
                "Start der Plattform verschiebt sich auf das zweite Schulhalbjahr.",
            ),
        ],
        "milestones": [
            ("Zuschlag Lernplattform", -200, None),
            ("Pilotbetrieb an zwei Schulen", 120, None),
        ],
    },
    {
        "title": "IT-Unterstützung der Kitas",
        "summary": "Jede städtische Kita bekommt Dienstrechner, WLAN und eine Kita-App für "
        "die Kommunikation mit den Eltern.",
        "description": "Die 14 städtischen Kindertagesstätten arbeiten bisher mit privaten "
        "Geräten oder auf Papier. Die Maßnahme stattet jede Einrichtung mit zwei Dienst"
        "rechnern und WLAN aus und führt eine datenschutzkonforme Eltern-App ein.",
        "field": (ALLTAG, "Bildung"),
        "unit": "Amt 51",
        "lead": "verwaltung",
        "goals": {G_TEILHABE: 2, G_EXZELLENZ: 2},
        "planned": (-560, 150),
        "path": [
            ("in_pruefung", 720),
            ("priorisiert", 680),
            ("beschlossen", 620),
            ("in_umsetzung", 540),
        ],
        # The last update is older than six months: the measure shows as stale.
        "updates": [
            (470, 15, GREEN, "Bedarf in allen Einrichtungen erhoben."),
            (
                215,
                40,
                YELLOW,
                "Sechs Kitas ausgestattet.",
                "Die Auswahl der Eltern-App ruht, bis die Datenschutz-Folgenabschätzung vorliegt.",
            ),
        ],
        "milestones": [
            ("Geräte in allen Kitas", -60, None),
            ("Eltern-App ausgewählt", -150, None),
        ],
    },
    {
        "title": "Digitale Kita-Platzvergabe",
        "summary": "Eltern melden den Betreuungsbedarf online an; Plätze werden über alle "
        "Träger hinweg abgestimmt vergeben.",
        "field": (ALLTAG, "Bildung"),
        "secondary": [(VERWALTUNG, "Zugang/Interaktion Multikanal")],
        "unit": "Amt 51",
        "goals": {G_TEILHABE: 2, G_EXZELLENZ: 2},
        "tags": ["OZG"],
        "path": [("in_pruefung", 40)],
        "origin": "Idee aus der Themengruppe Soziales, Gesundheit, Pflege",
    },
    {
        "title": "Sensorbasierte Parkraumerfassung in der Innenstadt",
        "summary": "Sensoren zeigen freie Stellplätze in Echtzeit in der Stadt-App und auf "
        "den Parkleittafeln.",
        "field": (ALLTAG, "Mobilität/Logistik"),
        "unit": "Amt 61",
        "goals": {G_NACHHALTIG: 2, G_INNOVATION: 1},
        "tags": ["Smart City"],
        "path": [("in_pruefung", 55)],
    },
    {
        "title": "Lieferzonen-Management für die Innenstadt",
        "summary": "Buchbare Ladezonen für Lieferverkehr, um Falschparken in der "
        "Fußgängerzone zu vermeiden.",
        "field": (ALLTAG, "Mobilität/Logistik"),
        "goals": {G_NACHHALTIG: 1, G_INNOVATION: 1},
        "origin": "Vorschlag der Werbegemeinschaft Innenstadt",
        "path": [],
    },
    {
        "title": "Lokaler Online-Marktplatz für den Einzelhandel",
        "summary": "Eine gemeinsame Plattform, über die der örtliche Handel Waren online "
        "anbietet und am selben Tag liefert.",
        "field": (ALLTAG, "Einzelhandel"),
        "unit": "Amt 80",
        "goals": {G_INNOVATION: 2, G_NACHHALTIG: 1},
        "planned": (-600, -120),
        "path": [
            ("in_pruefung", 760),
            ("priorisiert", 720),
            ("beschlossen", 680),
            ("in_umsetzung", 600),
            (
                "abgebrochen",
                330,
                "Nach der Pilotphase beteiligten sich nur 11 von 60 "
                "angesprochenen Geschäften; die Umsätze deckten die Betriebskosten nicht. "
                "Die Wirtschaftsförderung berät die Händler stattdessen zu bestehenden "
                "Plattformen.",
            ),
        ],
        "updates": [
            (560, 30, GREEN, "Plattform mit 11 Geschäften gestartet."),
            (
                400,
                45,
                RED,
                "Nutzung bleibt deutlich unter den Erwartungen.",
                "Im Schnitt 14 Bestellungen pro Woche; Abbruch wird geprüft.",
            ),
        ],
    },
    {
        "title": "Messnetz für Luftqualität und Stadtklima",
        "summary": "30 Sensoren messen Feinstaub, Temperatur und Luftfeuchte; die Daten "
        "fließen in das Open-Data-Portal.",
        "field": (ALLTAG, "Energie/Umwelt"),
        "secondary": [(TRANSPARENZ, "Open Data")],
        "unit": "Amt 70",
        "goals": {G_NACHHALTIG: 3, G_TEILHABE: 1},
        "tags": ["Smart City", "Klimaschutz"],
        "path": [("in_pruefung", 200), ("priorisiert", 120)],
    },
    {
        "title": "Energiemonitoring für städtische Gebäude",
        "summary": "Smarte Zähler in 48 städtischen Gebäuden; Auffälligkeiten im Verbrauch "
        "werden automatisch gemeldet.",
        "field": (ALLTAG, "Energie/Umwelt"),
        "unit": "Amt 65",
        "goals": {G_NACHHALTIG: 3, G_EXZELLENZ: 1},
        "tags": ["Klimaschutz", "Förderprojekt"],
        "planned": (-720, -60),
        "path": [
            ("in_pruefung", 900),
            ("priorisiert", 860),
            ("beschlossen", 800),
            ("in_umsetzung", 720),
            ("abgeschlossen", 45),
        ],
        "updates": [
            (450, 55, GREEN, "Zähler in 30 Gebäuden eingebaut."),
            (270, 80, GREEN, "Alle Zähler eingebaut, Auswertung im Probebetrieb."),
            (
                45,
                100,
                GREEN,
                "Abgeschlossen. Im ersten Jahr 7 % weniger Heizenergie in den "
                "überwachten Gebäuden.",
            ),
        ],
        "milestones": [("Zähler in allen Gebäuden", -300, -290)],
        "impacts": {
            "has_financial_impact": True,
            "expense_annual": Decimal("12000.00"),
            "material_annual": Decimal("12000.00"),
            "investment_out_one_off": Decimal("210000.00"),
            "investment_in_one_off": Decimal("126000.00"),
            "grants_one_off": Decimal("126000.00"),
            "budget_available": True,
            "climate": ImpactAssessment.Climate.POSITIVE,
        },
    },
    {
        "title": "Telemedizinische Beratung in Senioreneinrichtungen",
        "summary": "Videosprechstunden mit Hausärztinnen und Hausärzten in drei "
        "Pflegeeinrichtungen.",
        "field": (ALLTAG, "Gesundheit/Pflege"),
        "unit": "Amt 50",
        "goals": {G_TEILHABE: 3},
        "path": [
            ("in_pruefung", 500),
            ("priorisiert", 430),
            (
                "zurueckgestellt",
                380,
                "Das Landesförderprogramm für Telemedizin in der "
                "Pflege wird erst im kommenden Jahr ausgeschrieben; ohne Förderung ist die "
                "Maßnahme nicht finanzierbar.",
            ),
        ],
    },
    {
        "title": "Digitaler Bauantrag",
        "summary": "Bauanträge werden online gestellt und von allen beteiligten Stellen "
        "digital bearbeitet.",
        "field": (ALLTAG, "Bauen/Wohnen"),
        "secondary": [(VERWALTUNG, "Digitale Verwaltungsprozesse")],
        "unit": "Amt 63",
        "lead": "verwaltung",
        "goals": {G_EXZELLENZ: 3, G_INNOVATION: 2, G_NACHHALTIG: 1},
        "tags": ["OZG"],
        "planned": (-480, 120),
        "path": [
            ("in_pruefung", 640),
            ("priorisiert", 600),
            ("beschlossen", 540),
            ("in_umsetzung", 470),
        ],
        "updates": [
            (430, 20, GREEN, "Anbindung an das Landesportal eingerichtet."),
            (250, 50, GREEN, "Erste 120 Anträge digital eingegangen."),
            (
                50,
                75,
                GREEN,
                "62 % der Bauanträge kommen inzwischen digital; Beteiligung der "
                "Fachämter läuft über die Plattform.",
            ),
        ],
        "milestones": [("Pilotbetrieb", -300, -310), ("Alle Verfahrensarten digital", 110, None)],
    },
    {
        "title": "Digitaler Zwilling der Innenstadt",
        "summary": "Ein 3D-Stadtmodell als Grundlage für Planung, Beteiligung und Klimaanpassung.",
        "field": (ALLTAG, "Bauen/Wohnen"),
        "unit": "Amt 61",
        "goals": {G_INNOVATION: 2, G_NACHHALTIG: 2, G_TEILHABE: 1},
        "tags": ["Smart City", "Interkommunal"],
        "path": [("in_pruefung", 30)],
        "origin": "Vestischer Digitalpakt: Abstimmung unter den Städten des Kreises",
    },
    {
        "title": "Ausbau mobiles Arbeiten",
        "summary": "Alle Beschäftigten, deren Aufgaben es zulassen, können mit Notebook und "
        "sicherem Zugang mobil arbeiten.",
        "field": (VERWALTUNG, "Mobile Government"),
        "unit": "Amt 12",
        "lead": "verwaltung",
        "goals": {G_EXZELLENZ: 3, G_NACHHALTIG: 1},
        "planned": (-800, -200),
        "path": [
            ("in_pruefung", 980),
            ("priorisiert", 950),
            ("beschlossen", 900),
            ("in_umsetzung", 820),
            ("abgeschlossen", 210),
        ],
        "updates": [
            (460, 70, GREEN, "640 Notebooks ausgegeben, VPN für alle Ämter freigeschaltet."),
            (
                380,
                85,
                YELLOW,
                "Dienstvereinbarung noch nicht unterzeichnet.",
                "Abstimmung mit dem Personalrat zu Erreichbarkeitszeiten dauert länger.",
            ),
            (
                210,
                100,
                GREEN,
                "Abgeschlossen: Dienstvereinbarung in Kraft, 710 mobile Arbeitsplätze.",
            ),
        ],
        "milestones": [("Dienstvereinbarung mobiles Arbeiten", -300, -230)],
    },
    {
        "title": "Einführung der digitalen Akte (E-Akte)",
        "summary": "Schrittweise Umstellung aller Ämter auf die elektronische Akte mit "
        "Dokumentenmanagement und digitalem Posteingang.",
        "description": "Die E-Akte wird in drei Wellen eingeführt: zuerst die Zentralen "
        "Dienste und Finanzen, dann die Fachämter mit hohem Schriftgutaufkommen, zuletzt die "
        "übrigen Bereiche. Der Posteingang wird zentral gescannt. Ziel ist, dass ab 2027 "
        "keine neuen Papierakten mehr angelegt werden.",
        "field": (VERWALTUNG, "Digitale Verwaltungsprozesse"),
        "unit": "FB 10",
        "lead": "verwaltung",
        "goals": {G_EXZELLENZ: 3, G_NACHHALTIG: 2},
        "tags": ["Informationssicherheit"],
        "planned": (-620, 500),
        "path": [
            ("in_pruefung", 760),
            ("priorisiert", 730),
            ("beschlossen", 690),
            ("in_umsetzung", 610),
        ],
        "updates": [
            (455, 15, GREEN, "Dokumentenmanagementsystem beschafft; Pilot in FB 20 läuft."),
            (365, 25, GREEN, "Erste Welle (FB 10, FB 20) arbeitet vollständig digital."),
            (
                275,
                30,
                YELLOW,
                "Zweite Welle verzögert sich.",
                "Schnittstelle zum Fachverfahren im Bürgerservice fehlt noch; der Hersteller "
                "liefert sie erst mit dem nächsten Release.",
            ),
            (
                150,
                32,
                RED,
                "Zweite Welle gestoppt.",
                "Zwei Stellen im Projektteam unbesetzt; ohne sie kann die Schulung der Ämter "
                "nicht stattfinden. Nachbesetzung ist ausgeschrieben.",
            ),
            (
                40,
                45,
                YELLOW,
                "Projektteam wieder vollständig; Schulungen laufen.",
                "Gesamtplan um etwa sechs Monate verschoben.",
            ),
        ],
        "milestones": [
            ("Erste Welle produktiv", -380, -370),
            ("Zentraler Scanservice eingerichtet", -200, None),
            ("Zweite Welle produktiv", -30, None),
            ("Dritte Welle produktiv", 420, None),
        ],
        "impacts": {
            "has_financial_impact": True,
            "product_number": "01.11.02",
            "product_name": "Organisation und Informationstechnik",
            "expense_one_off": Decimal("480000.00"),
            "personnel_one_off": Decimal("120000.00"),
            "material_one_off": Decimal("360000.00"),
            "expense_annual": Decimal("96500.00"),
            "personnel_annual": Decimal("68000.00"),
            "material_annual": Decimal("28500.00"),
            "investment_out_one_off": Decimal("250000.00"),
            "budget_available": True,
            "climate": ImpactAssessment.Climate.POSITIVE,
            "inclusion": ImpactAssessment.Inclusion.CONSIDERED,
            "inclusion_text": "Die Oberfläche ist mit Screenreader bedienbar; die "
            "Schwerbehindertenvertretung hat die Auswahl begleitet.",
            "personnel_posts": Decimal("1.50"),
            "personnel_grade": "EG 10 TVöD",
            "personnel_from": datetime.date(2025, 1, 1),
        },
    },
    {
        "title": "Abholstationen für Pässe und Ausweise",
        "summary": "Fertige Ausweisdokumente rund um die Uhr an einer Station im Rathausfoyer "
        "abholen.",
        "field": (VERWALTUNG, "Zugang/Interaktion Multikanal"),
        "unit": "Amt 32",
        "goals": {G_TEILHABE: 1, G_EXZELLENZ: 2},
        "tags": ["Barrierefreiheit"],
        "planned": (30, 240),
        "path": [("in_pruefung", 240), ("priorisiert", 170), ("beschlossen", 60)],
        "updates": [
            (
                40,
                5,
                GREEN,
                "Ausschreibung vorbereitet; Standort im Rathausfoyer mit "
                "dem Gebäudemanagement abgestimmt.",
            )
        ],
        "milestones": [("Station bestellt", 45, None), ("Inbetriebnahme", 230, None)],
        "impacts": {
            "has_financial_impact": True,
            "product_number": "02.01.03",
            "product_name": "Pass- und Meldewesen",
            "expense_annual": Decimal("6800.00"),
            "material_annual": Decimal("6800.00"),
            "investment_out_one_off": Decimal("84500.00"),
            "budget_available": True,
            "climate": ImpactAssessment.Climate.POSITIVE,
            "inclusion": ImpactAssessment.Inclusion.CONSIDERED,
            "inclusion_text": "Die Station ist unterfahrbar und hat eine Sprachausgabe.",
        },
    },
    {
        "title": "Modernisierung des städtischen Rechenzentrums",
        "summary": "Erneuerung von Servern und Speicher; Voraussetzung für E-Akte und "
        "Fachverfahren der nächsten Jahre.",
        "field": (VERWALTUNG, "Digitale Verwaltungsprozesse"),
        "unit": "Amt 12",
        "goals": {G_EXZELLENZ: 3},
        "tags": ["Informationssicherheit"],
        "is_public": False,
        "planned": (20, 400),
        "path": [("in_pruefung", 300), ("priorisiert", 220), ("beschlossen", 35)],
        "updates": [
            (
                20,
                5,
                YELLOW,
                "Leistungsverzeichnis in Arbeit.",
                "Die Finanzierung ist erst mit dem Nachtragshaushalt gesichert.",
            )
        ],
        "impacts": {
            "has_financial_impact": True,
            "product_number": "01.11.02",
            "product_name": "Organisation und Informationstechnik",
            "expense_annual": Decimal("58000.00"),
            "material_annual": Decimal("58000.00"),
            "investment_out_one_off": Decimal("920000.00"),
            "budget_available": False,
            "climate": ImpactAssessment.Climate.NEGATIVE,
            "climate_alternatives": "Der zusätzliche Speicher erhöht den Stromverbrauch des "
            "Rechenzentrums um geschätzt 38 MWh im Jahr. Geprüft wurden: (1) der Umzug in das "
            "Rechenzentrum des kommunalen IT-Dienstleisters – wirtschaftlich erst ab 2029 "
            "möglich, weil der Vertrag dort neue Kapazität erst dann vorsieht; (2) Betrieb in "
            "einer öffentlichen Cloud – für Fachverfahren mit Sozialdaten derzeit nicht "
            "zulässig. Gewählt wird die Erneuerung mit energieeffizienter Hardware und "
            "Nutzung der Abwärme für das Rathaus; Ökostrom wird bereits bezogen.",
            "inclusion": ImpactAssessment.Inclusion.NONE,
        },
    },
    {
        "title": "Digitale Ratsarbeit (hybride Ausschusssitzungen)",
        "summary": "Ratsinformationssystem mit App, papierlose Sitzungsunterlagen und "
        "hybride Sitzungen mit digitaler Abstimmung nach § 58a GO NRW.",
        "field": (VERWALTUNG, "Digitale Verwaltungsprozesse"),
        "secondary": [(TRANSPARENZ, "Transparenz und Beteiligung")],
        "unit": "FB 10",
        "lead": "cdo",
        "goals": {G_TEILHABE: 2, G_EXZELLENZ: 2},
        "tags": ["Open Government"],
        "planned": (-420, 180),
        "path": [
            ("in_pruefung", 560),
            ("priorisiert", 520),
            ("beschlossen", 470),
            ("in_umsetzung", 410),
        ],
        "updates": [
            (
                380,
                20,
                GREEN,
                "Alle Ratsmitglieder mit Tablets ausgestattet; Unterlagen nur noch digital.",
            ),
            (200, 45, GREEN, "Sitzungsräume mit Kameras und Konferenztechnik ausgestattet."),
            (
                35,
                60,
                YELLOW,
                "Erste hybride Sitzung des Unterausschusses Digitalisierung durchgeführt.",
                "Die geheime Abstimmung ist noch nicht freigegeben; die Prüfung des Verfahrens "
                "nach DigiSiVO läuft.",
            ),
        ],
        "milestones": [
            ("Papierlose Sitzungen", -300, -320),
            ("Erste hybride Ausschusssitzung", -40, -38),
            ("Hybride Ratssitzung", 150, None),
        ],
        "impacts": {
            "has_financial_impact": True,
            "expense_one_off": Decimal("45000.00"),
            "material_one_off": Decimal("45000.00"),
            "expense_annual": Decimal("9600.00"),
            "material_annual": Decimal("9600.00"),
            "budget_available": True,
            "climate": ImpactAssessment.Climate.POSITIVE,
            "inclusion": ImpactAssessment.Inclusion.CONSIDERED,
            "inclusion_text": "Online-Teilnahme ermöglicht Mitgliedern mit Pflegeaufgaben "
            "oder Mobilitätseinschränkungen die Mitarbeit.",
        },
    },
    {
        "title": "Online-Terminvergabe im Bürgerbüro",
        "summary": "Termine im Bürgerbüro online buchen, mit Erinnerung per E-Mail oder SMS.",
        "field": (VERWALTUNG, "Zugang/Interaktion Multikanal"),
        "unit": "Amt 32",
        "goals": {G_EXZELLENZ: 2, G_TEILHABE: 1},
        "planned": (-700, -400),
        "path": [
            ("in_pruefung", 880),
            ("priorisiert", 850),
            ("beschlossen", 800),
            ("in_umsetzung", 700),
            ("abgeschlossen", 420),
        ],
        "updates": [
            (600, 60, GREEN, "Buchungssystem eingerichtet, Test mit Beschäftigten."),
            (420, 100, GREEN, "Regelbetrieb; 78 % der Termine werden online gebucht."),
        ],
    },
    {
        "title": "OZG-Leistungen im Serviceportal",
        "summary": "Die häufigsten kommunalen Verwaltungsleistungen werden Ende-zu-Ende "
        "digital angeboten.",
        "field": (VERWALTUNG, "Zugang/Interaktion Multikanal"),
        "unit": "Stab DI",
        "lead": "cdo",
        "goals": {G_EXZELLENZ: 3, G_TEILHABE: 2},
        "tags": ["OZG", "Interkommunal"],
        "planned": (-750, 700),
        "path": [
            ("in_pruefung", 900),
            ("priorisiert", 870),
            ("beschlossen", 820),
            ("in_umsetzung", 750),
        ],
        "updates": [
            (455, 30, GREEN, "42 Leistungen online, davon 18 mit Anbindung an das Fachverfahren."),
            (270, 38, GREEN, "56 Leistungen online."),
            (90, 46, GREEN, "71 Leistungen online; Wohngeld und Gewerbeanmeldung neu."),
        ],
        "milestones": [("100 Leistungen online", 200, None)],
    },
    {
        "title": "Mängelmelder-App",
        "summary": "Schlaglöcher, wilden Müll oder defekte Laternen mit Foto und Standort melden.",
        "field": (VERWALTUNG, "Mobile Government"),
        "unit": "Stab DI",
        "goals": {G_TEILHABE: 2, G_EXZELLENZ: 1},
        "path": [("in_pruefung", 260), ("priorisiert", 150)],
        "origin": "Ideenplattform: Vorschlag mit 214 Unterstützungen",
    },
    {
        "title": "Datenplattform und Kennzahlen-Dashboard der Verwaltung",
        "summary": "Steuerungskennzahlen aus den Fachverfahren an einem Ort, für "
        "Verwaltungsvorstand und Fachbereiche.",
        "field": (VERWALTUNG, "Data Driven Government"),
        "unit": "Amt 12",
        "goals": {G_EXZELLENZ: 3},
        "is_public": False,
        "path": [("in_pruefung", 25)],
    },
    {
        "title": "Elternbeiträge ohne Antrag festsetzen",
        "summary": "Kita-Beiträge werden aus vorhandenen Daten berechnet und ohne Antrag "
        "beschieden (Push statt Pull).",
        "field": (VERWALTUNG, "Push statt Pull"),
        "unit": "Amt 51",
        "goals": {G_TEILHABE: 2, G_EXZELLENZ: 2},
        "path": [],
        "origin": "Workshop „Verwaltung 2030“ mit Beschäftigten",
    },
    {
        "title": "E-Rechnung und digitaler Rechnungsworkflow",
        "summary": "Eingangsrechnungen werden elektronisch empfangen, geprüft und freigegeben.",
        "field": (VERWALTUNG, "Digitale Verwaltungsprozesse"),
        "unit": "FB 20",
        "goals": {G_EXZELLENZ: 3, G_NACHHALTIG: 1},
        "is_public": False,
        "planned": (-650, -250),
        "path": [
            ("in_pruefung", 820),
            ("priorisiert", 790),
            ("beschlossen", 740),
            ("in_umsetzung", 650),
            ("abgeschlossen", 240),
        ],
        "updates": [
            (450, 70, GREEN, "Workflow in allen Ämtern eingeführt."),
            (
                240,
                100,
                GREEN,
                "Abgeschlossen; durchschnittliche Durchlaufzeit von 19 auf 6 Tage gesunken.",
            ),
        ],
    },
    {
        "title": "Chatbot für Bürgeranfragen",
        "summary": "Ein Chatbot auf der städtischen Website beantwortet häufige Fragen.",
        "field": (VERWALTUNG, "Zugang/Interaktion Multikanal"),
        "goals": {G_EXZELLENZ: 1},
        "path": [
            ("in_pruefung", 400),
            (
                "abgelehnt",
                330,
                "Der Lenkungskreis sieht den Nutzen bei den erwarteten "
                "Anfragezahlen nicht; der Kreis plant eine gemeinsame Lösung für alle Städte, "
                "der sich Musterstadt anschließen will.",
            ),
        ],
    },
    {
        "title": "Informationssicherheitsmanagement nach BSI IT-Grundschutz",
        "summary": "Aufbau eines ISMS mit Informationssicherheitsbeauftragter, Notfallplan "
        "und jährlicher Prüfung.",
        "field": (VERWALTUNG, "Digitale Verwaltungsprozesse"),
        "unit": "Amt 12",
        "goals": {G_EXZELLENZ: 3},
        "tags": ["Informationssicherheit"],
        "is_public": False,
        "planned": (-500, 300),
        "path": [
            ("in_pruefung", 640),
            ("priorisiert", 620),
            ("beschlossen", 580),
            ("in_umsetzung", 500),
        ],
        "updates": [
            (440, 25, GREEN, "Informationssicherheitsbeauftragte bestellt."),
            (260, 50, GREEN, "Strukturanalyse und Schutzbedarfsfeststellung abgeschlossen."),
            (85, 65, GREEN, "Notfallhandbuch erstellt, Übung mit dem Verwaltungsvorstand."),
        ],
        "milestones": [("Notfallübung", -90, -85), ("Basis-Absicherung erreicht", 240, None)],
    },
    {
        "title": "Breitbandausbau",
        "summary": "Glasfaser bis ins Haus für die unterversorgten Ortsteile und "
        "Gewerbegebiete, gefördert aus dem Bundesprogramm.",
        "field": (INNOVATION, "Innovationsinfrastruktur"),
        "unit": "Amt 80",
        "lead": "cdo",
        "goals": {G_INNOVATION: 3, G_TEILHABE: 2},
        "tags": ["Förderprojekt", "Interkommunal"],
        "planned": (-900, 550),
        "path": [
            ("in_pruefung", 1000),
            ("priorisiert", 980),
            ("beschlossen", 950),
            ("in_umsetzung", 900),
        ],
        "updates": [
            (460, 45, GREEN, "2.100 von 4.800 Adressen angeschlossen."),
            (
                280,
                55,
                YELLOW,
                "Tiefbau im Ortsteil Nordfeld verzögert.",
                "Der Tiefbauunternehmer hat Insolvenz angemeldet; die Restarbeiten werden neu "
                "vergeben.",
            ),
            (
                95,
                62,
                YELLOW,
                "Neuer Auftragnehmer arbeitet seit acht Wochen.",
                "Fertigstellung im Nordfeld erst zwei Quartale später als geplant.",
            ),
        ],
        "milestones": [
            ("Gewerbegebiete angeschlossen", -250, -260),
            ("Ortsteil Nordfeld angeschlossen", -60, None),
            ("Verwendungsnachweis Bundesförderung", 500, None),
        ],
        "impacts": {
            "has_financial_impact": True,
            "product_number": "15.01.01",
            "product_name": "Wirtschaftsförderung",
            "investment_in_one_off": Decimal("8640000.00"),
            "grants_one_off": Decimal("8640000.00"),
            "investment_out_one_off": Decimal("9600000.00"),
            "budget_available": True,
            "climate": ImpactAssessment.Climate.NONE,
        },
    },
    {
        "title": "WLAN in öffentlichen Bereichen",
        "summary": "Freies WLAN in der Innenstadt, in Bürgerhäusern, der Stadtbibliothek und "
        "an den Bahnhöfen.",
        "field": (INNOVATION, "Innovationsinfrastruktur"),
        "secondary": [(ALLTAG, "Einzelhandel")],
        "unit": "Amt 12",
        "goals": {G_TEILHABE: 2, G_INNOVATION: 2},
        "tags": ["Smart City", "Förderprojekt"],
        "planned": (-540, 90),
        "path": [
            ("in_pruefung", 700),
            ("priorisiert", 660),
            (
                "in_pruefung",
                610,
                "Der Förderbescheid wurde in geringerer Höhe erteilt; "
                "der Umfang muss neu bewertet werden.",
            ),
            ("priorisiert", 580),
            ("beschlossen", 560),
            ("in_umsetzung", 520),
        ],
        "updates": [
            (
                450,
                10,
                RED,
                "Standortverträge mit Eigentümern fehlen.",
                "Drei Eigentümer am Marktplatz haben der Montage der Zugangspunkte noch nicht "
                "zugestimmt.",
            ),
            (
                300,
                40,
                YELLOW,
                "Marktplatz und Bibliothek versorgt.",
                "Bahnhof Süd erst nach dem Umbau durch die Bahn möglich.",
            ),
            (
                110,
                70,
                GREEN,
                "Innenstadt, Bibliothek und vier Bürgerhäuser versorgt; "
                "im Schnitt 2.300 Nutzungen pro Tag.",
            ),
            (15, 85, GREEN, "Bahnhof Nord angeschlossen."),
        ],
        "milestones": [("Innenstadt versorgt", -200, -150), ("Bahnhof Süd", 80, None)],
        "impacts": {
            "has_financial_impact": True,
            "expense_annual": Decimal("18400.00"),
            "material_annual": Decimal("18400.00"),
            "investment_out_one_off": Decimal("132000.00"),
            "investment_in_one_off": Decimal("15000.00"),
            "grants_one_off": Decimal("15000.00"),
            "budget_available": True,
            "climate": ImpactAssessment.Climate.NONE,
        },
    },
    {
        "title": "LoRaWAN-Funknetz für städtische Sensorik",
        "summary": "Ein stromsparendes Funknetz für Sensoren an Pegeln, Parkplätzen, "
        "Mülleimern und in Gebäuden.",
        "field": (INNOVATION, "Innovationsinfrastruktur"),
        "unit": "Stab DI",
        "goals": {G_INNOVATION: 2, G_NACHHALTIG: 2},
        "tags": ["Smart City", "Interkommunal"],
        "path": [("in_pruefung", 180), ("priorisiert", 90)],
    },
    {
        "title": "Coworking-Space im Alten Bahnhof",
        "summary": "Arbeitsplätze für Gründerinnen, Gründer und Kreative im leer stehenden "
        "Empfangsgebäude.",
        "field": (INNOVATION, "Infrastruktur für Kreative"),
        "unit": "Amt 80",
        "goals": {G_INNOVATION: 3},
        "path": [
            ("in_pruefung", 520),
            ("priorisiert", 450),
            ("beschlossen", 400),
            (
                "zurueckgestellt",
                280,
                "Das Gebäude muss zuerst statisch saniert werden; "
                "die Mittel dafür sind frühestens im Doppelhaushalt 2027/28 eingeplant.",
            ),
        ],
    },
    {
        "title": "Digitalsprechstunde der Wirtschaftsförderung",
        "summary": "Monatliche Beratung für kleine Betriebe zu Förderprogrammen, Online-"
        "Handel und IT-Sicherheit.",
        "field": (INNOVATION, "Wirtschaftsförderung 2.0"),
        "unit": "Amt 80",
        "goals": {G_INNOVATION: 2},
        "path": [
            (
                "zurueckgestellt",
                300,
                "Erst nach Besetzung der Stelle in der Wirtschaftsförderung umsetzbar.",
            ),
            ("vorschlag", 20, "Die Stelle ist besetzt; der Vorschlag wird wieder aufgenommen."),
        ],
        "origin": "Unternehmensfrühstück der Wirtschaftsförderung",
    },
    {
        "title": "Netzwerk Industrie 4.0 für den Mittelstand",
        "summary": "Austauschformat und Demonstrationslabor mit der Hochschule für "
        "produzierende Betriebe.",
        "field": (INNOVATION, "Industrie 4.0"),
        "unit": "Amt 80",
        "goals": {G_INNOVATION: 3, G_NACHHALTIG: 1},
        "path": [("in_pruefung", 60)],
    },
    {
        "title": "Ausbildung 4.0 in der Stadtverwaltung",
        "summary": "Digitale Kompetenzen als fester Teil der Ausbildung; Auszubildende als "
        "digitale Lotsen in den Ämtern.",
        "field": (INNOVATION, "Digitale Berufsbildung"),
        "unit": "FB 10",
        "goals": {G_EXZELLENZ: 2, G_INNOVATION: 1},
        "planned": (60, 420),
        "path": [("in_pruefung", 210), ("priorisiert", 160), ("beschlossen", 45)],
        "updates": [
            (
                30,
                10,
                GREEN,
                "Arbeitsgruppe mit Ausbildungsleitung und Jugend- und "
                "Auszubildendenvertretung gebildet.",
            )
        ],
        "milestones": [("Curriculum abgestimmt", 50, None)],
    },
    {
        "title": "Bürgerbeteiligungs-App",
        "summary": "Eine App für Umfragen, Ideen und Beteiligungsverfahren der Stadt, "
        "verknüpft mit der Ideenplattform.",
        "field": (TRANSPARENZ, "Transparenz und Beteiligung"),
        "secondary": [(VERWALTUNG, "Mobile Government")],
        "unit": "Stab DI",
        "lead": "cdo",
        "goals": {G_TEILHABE: 3, G_INNOVATION: 1},
        "tags": ["Open Government", "Barrierefreiheit"],
        "path": [("in_pruefung", 330), ("priorisiert", 200)],
        "impacts": {
            "has_financial_impact": False,
            "climate": ImpactAssessment.Climate.NONE,
            "inclusion": ImpactAssessment.Inclusion.CONSIDERED,
            "inclusion_text": "Barrierefrei nach BITV 2.0; Inhalte auch in Leichter Sprache.",
        },
    },
    {
        "title": "Open-Data-Portal",
        "summary": "Verwaltungsdaten offen und maschinenlesbar veröffentlichen, verknüpft mit "
        "Open.NRW und GovData.",
        "field": (TRANSPARENZ, "Open Data"),
        "unit": "Stab DI",
        "lead": "cdo",
        "goals": {G_INNOVATION: 2, G_TEILHABE: 2},
        "tags": ["Open Government", "Interkommunal"],
        "planned": (-450, 270),
        "path": [
            ("in_pruefung", 600),
            ("priorisiert", 560),
            ("beschlossen", 500),
            ("in_umsetzung", 440),
        ],
        "updates": [
            (400, 20, GREEN, "Portal online mit 35 Datensätzen."),
            (240, 45, GREEN, "Harvesting durch Open.NRW eingerichtet; 80 Datensätze."),
            (55, 60, GREEN, "124 Datensätze, darunter Haushaltsplan und Messwerte Luftqualität."),
        ],
        "milestones": [
            ("Anbindung an Open.NRW", -250, -245),
            ("Open-Data-Leitlinie beschlossen", -20, None),
            ("200 Datensätze", 240, None),
        ],
    },
    {
        "title": "City Cockpit für die Digitale Agenda",
        "summary": "Öffentliche Übersicht über den Stand aller Maßnahmen der Digitalen Agenda.",
        "field": (TRANSPARENZ, "City Cockpit"),
        "unit": "Stab DI",
        "lead": "cdo",
        "goals": {G_TEILHABE: 2, G_EXZELLENZ: 1},
        "tags": ["Open Government"],
        "planned": (-250, 120),
        "path": [
            ("in_pruefung", 420),
            ("priorisiert", 380),
            ("beschlossen", 300),
            ("in_umsetzung", 250),
        ],
        "updates": [
            (200, 30, GREEN, "Kennzahlen und Darstellung mit dem Unterausschuss abgestimmt."),
            (
                30,
                55,
                YELLOW,
                "Erste Version intern im Test.",
                "Die Daten aus drei Ämtern liegen noch nicht im vereinbarten Format vor.",
            ),
        ],
    },
    {
        "title": "Livestream der Ratssitzungen",
        "summary": "Öffentliche Sitzungen des Rates live im Internet übertragen und als "
        "Aufzeichnung bereitstellen.",
        "field": (TRANSPARENZ, "Transparenz und Beteiligung"),
        "unit": "FB 10",
        "goals": {G_TEILHABE: 3},
        "tags": ["Open Government"],
        "path": [
            ("in_pruefung", 300),
            ("priorisiert", 240),
            (
                "in_pruefung",
                150,
                "Die Einwilligung der Ratsmitglieder und der Umgang "
                "mit Wortbeiträgen von Gästen sind datenschutzrechtlich noch zu klären.",
            ),
        ],
    },
]

# --------------------------------------------------------------------------------------------
# Beispielstadt: a smaller town with a smaller strategy.

BEISPIELSTADT_STRATEGY = {
    "title": "Digitalstrategie Beispielstadt",
    "vision": (
        "Beispielstadt wird eine digitale Kleinstadt: Verwaltungsleistungen online, schnelles "
        "Internet in allen Ortsteilen und eine Stadtgesellschaft, die mitredet."
    ),
    "period_start": datetime.date(2025, 1, 1),
    "period_end": datetime.date(2029, 12, 31),
    "adopted_on": datetime.date(2024, 12, 12),
}
BEISPIELSTADT_GOALS = [
    ("Bürgernahe digitale Verwaltung", ""),
    ("Lebenswerte Stadt für alle Generationen", ""),
]
BEISPIELSTADT_FIELDS = [
    ("Verwaltung", ["Onlinedienste", "Interne Prozesse"]),
    ("Stadtleben", ["Infrastruktur", "Beteiligung"]),
]
BEISPIELSTADT_UNITS = [("FB 1", "Innere Verwaltung"), ("FB 3", "Bauen und Umwelt")]
BEISPIELSTADT_MEASURES = [
    {
        "title": "Online-Anträge im Bürgerbüro",
        "field": ("Verwaltung", "Onlinedienste"),
        "unit": "FB 1",
        "lead": "cdo",
        "goals": {0: 3},
        "planned": (-300, 200),
        "path": [
            ("in_pruefung", 420),
            ("priorisiert", 400),
            ("beschlossen", 380),
            ("in_umsetzung", 300),
        ],
        "updates": [
            (250, 25, GREEN, "Meldebescheinigung und Anwohnerparkausweis online."),
            (
                60,
                40,
                YELLOW,
                "Führungszeugnis und Hundesteuer folgen.",
                "Schnittstelle zum Steuerverfahren fehlt.",
            ),
        ],
        "milestones": [("Zehn Leistungen online", -10, None)],
    },
    {
        "title": "Digitale Personalakte",
        "field": ("Verwaltung", "Interne Prozesse"),
        "unit": "FB 1",
        "goals": {0: 1},
        "is_public": False,
        "path": [("in_pruefung", 90)],
    },
    {
        "title": "Glasfaser für die Ortsteile",
        "field": ("Stadtleben", "Infrastruktur"),
        "unit": "FB 3",
        "goals": {1: 3},
        "planned": (-400, 300),
        "path": [
            ("in_pruefung", 500),
            ("priorisiert", 480),
            ("beschlossen", 450),
            ("in_umsetzung", 400),
        ],
        "updates": [
            (380, 30, GREEN, "Ausbau in Oberdorf abgeschlossen."),
            (
                200,
                50,
                RED,
                "Förderzusage für Unterdorf fehlt.",
                "Der Landeszuschuss wurde noch nicht bewilligt; Bau ruht.",
            ),
            (
                40,
                55,
                YELLOW,
                "Bewilligung liegt vor, Bau startet im Frühjahr.",
                "Drei Monate Verzug.",
            ),
        ],
    },
    {
        "title": "Beteiligungsplattform Beispielstadt",
        "field": ("Stadtleben", "Beteiligung"),
        "unit": "FB 1",
        "goals": {1: 2, 0: 1},
        "path": [],
    },
    {
        "title": "Digitale Infotafeln am Marktplatz",
        "field": ("Stadtleben", "Infrastruktur"),
        "goals": {1: 1},
        "path": [
            ("in_pruefung", 200),
            ("abgelehnt", 120, "Kosten stehen nicht im Verhältnis zum Nutzen."),
        ],
    },
    {
        "title": "Papierloser Sitzungsdienst",
        "field": ("Verwaltung", "Interne Prozesse"),
        "unit": "FB 1",
        "goals": {0: 2},
        "planned": (-500, -150),
        "path": [
            ("in_pruefung", 620),
            ("priorisiert", 600),
            ("beschlossen", 560),
            ("in_umsetzung", 500),
            ("abgeschlossen", 150),
        ],
        "updates": [
            (400, 60, GREEN, "Rat arbeitet mit Tablets."),
            (150, 100, GREEN, "Alle Ausschüsse papierlos."),
        ],
    },
]


# --------------------------------------------------------------------------------------------


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def _at(today: datetime.date, days_ago: int) -> datetime.datetime:
    """A plausible office-hours moment ``days_ago`` days before today."""
    day = today - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(10, days_ago % 60), tzinfo=BERLIN)


def _strategy(body: Body, spec: dict, goals, fields):
    strategy = Strategy.objects.filter(body=body, version=1).first()
    if strategy is None:
        strategy = _saved(Strategy(body=body, status=Strategy.Status.ADOPTED, version=1, **spec))
    goal_objects = []
    for order, (title, description) in enumerate(goals, start=1):
        goal = Goal.objects.filter(strategy=strategy, title=title).first()
        if goal is None:
            goal = _saved(
                Goal(strategy=strategy, title=title, description=description, order=order)
            )
        goal_objects.append(goal)
    field_objects = {}
    for order, (title, topics) in enumerate(fields, start=1):
        field = ActionField.objects.filter(
            strategy=strategy, parent__isnull=True, title=title
        ).first()
        if field is None:
            field = _saved(ActionField(strategy=strategy, title=title, order=order))
        field_objects[(title, None)] = field
        for topic_order, topic_title in enumerate(topics, start=1):
            topic = ActionField.objects.filter(
                strategy=strategy, parent=field, title=topic_title
            ).first()
            if topic is None:
                topic = _saved(
                    ActionField(
                        strategy=strategy, parent=field, title=topic_title, order=topic_order
                    )
                )
            field_objects[(title, topic_title)] = topic
    return strategy, goal_objects, field_objects


def _units(body: Body, units) -> dict[str, OrgUnit]:
    found = {}
    for code, name in units:
        unit = OrgUnit.objects.filter(body=body, code=code).first()
        if unit is None:
            unit = _saved(OrgUnit(body=body, code=code, name=name))
        found[code] = unit
    return found


def _tags(body: Body, names) -> dict[str, Tag]:
    found = {}
    for name in names:
        tag = Tag.objects.filter(body=body, name=name).first()
        if tag is None:
            tag = _saved(Tag(body=body, name=name))
        found[name] = tag
    return found


def _checked_path(title: str, path) -> list[tuple[str, str, int, str]]:
    """(from, to, days ago, reason) for each step; refuses steps the lifecycle forbids, so
    the demo can never show a history the application itself would not allow."""
    steps = []
    status = S.PROPOSED
    last_days = None
    for step in path:
        new, days_ago, reason = (*step, "")[:3]
        if new not in TRANSITIONS[status]:
            raise ValueError(f"{title}: {status} → {new} is not allowed")
        if is_setback(status, new) and not reason:
            raise ValueError(f"{title}: {status} → {new} needs a reason")
        if last_days is not None and days_ago >= last_days:
            raise ValueError(f"{title}: steps must move forward in time")
        steps.append((status, new, days_ago, reason))
        status, last_days = new, days_ago
    return steps


# Budget planned and spent so far (euro), where the unit keeps it in Lotse.
BUDGETS = {
    "Digitalisierung an Schulen": ("1800000", "1240000"),
    "Glasfaser und WLAN für alle Schulstandorte": ("950000", "780000"),
    "Einführung der digitalen Akte (E-Akte)": ("420000", "265000"),
    "Ausbau mobiles Arbeiten": ("180000", "171500"),
    "Modernisierung des städtischen Rechenzentrums": ("640000", "210000"),
    "WLAN in öffentlichen Bereichen": ("120000", "96000"),
    "Open-Data-Portal": ("45000", "38000"),
    "City Cockpit für die Digitale Agenda": ("30000", "12500"),
    "Online-Terminvergabe im Bürgerbüro": ("25000", "25000"),
}


def _measure(
    body: Body,
    spec: dict,
    today: datetime.date,
    fields: dict,
    goals: list[Goal],
    units: dict[str, OrgUnit],
    tags: dict[str, Tag],
    actor: User | None,
) -> Measure | None:
    """Create one measure with its history, or nothing if it exists already."""
    if Measure.objects.filter(body=body, title=spec["title"]).exists():
        return None
    steps = _checked_path(spec["title"], spec.get("path", []))
    status = steps[-1][1] if steps else S.PROPOSED
    lead = None
    if spec.get("lead"):
        lead = User.objects.filter(email=f"{spec['lead']}@{body.slug}.example").first()
    started = next((d for _o, new, d, _r in steps if new == S.IN_PROGRESS), None)
    ended = next((d for _o, new, d, _r in steps if new == S.COMPLETED), None)
    planned = spec.get("planned")
    measure = Measure(
        body=body,
        title=spec["title"],
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        primary_field=fields[spec["field"]],
        unit=units.get(spec.get("unit")),
        lead=lead,
        is_public=spec.get("is_public", True),
        origin=spec.get("origin", ""),
        status=status,
        planned_start=today + datetime.timedelta(days=planned[0]) if planned else None,
        planned_end=today + datetime.timedelta(days=planned[1]) if planned else None,
        actual_start=today - datetime.timedelta(days=started) if started else None,
        actual_end=today - datetime.timedelta(days=ended) if ended else None,
    )
    if spec["title"] in BUDGETS:
        planned_budget, spent_budget = BUDGETS[spec["title"]]
        measure.budget_planned, measure.budget_spent = (
            Decimal(planned_budget),
            Decimal(spent_budget),
        )
    if spec.get("parent"):
        measure.parent = Measure.objects.get(body=body, title=spec["parent"])
        measure.weight = spec.get("weight", 1)
    if spec.get("impacts"):
        measure.impacts = _saved(ImpactAssessment(**spec["impacts"]))
    _saved(measure)
    for goal_index, weight in spec.get("goals", {}).items():
        _saved(MeasureGoal(measure=measure, goal=goals[goal_index], weight=weight))
    if spec.get("secondary"):
        measure.secondary_fields.set([fields[key] for key in spec["secondary"]])
    if spec.get("tags"):
        measure.tags.set([tags[name] for name in spec["tags"]])
    for old, new, days_ago, reason in steps:
        _saved(
            MeasureTransition(
                measure=measure,
                from_status=old,
                to_status=new,
                reason=reason,
                actor=actor,
                at=_at(today, days_ago),
            )
        )
    author = lead or actor
    for days_ago, progress, light, text, *explanation in spec.get("updates", []):
        _saved(
            StatusUpdate(
                measure=measure,
                reported_on=today - datetime.timedelta(days=days_ago),
                progress=progress,
                traffic_light=light,
                text=text,
                explanation=explanation[0] if explanation else "",
                author=author,
            )
        )
    for title, due, done in spec.get("milestones", []):
        _saved(
            Milestone(
                measure=measure,
                title=title,
                due_on=today + datetime.timedelta(days=due),
                done_on=today + datetime.timedelta(days=done) if done is not None else None,
            )
        )
    refresh_current_state(measure)
    return measure


def _programme_updates(programme: Measure, days: list[int], today, author) -> None:
    """A programme reports what its projects report, weighted by their weight, so its own
    Sachstand agrees with the roll-up on the pages."""
    children = list(programme.children.all())
    updates = {child.pk: list(child.updates.order_by("reported_on", "pk")) for child in children}
    for days_ago in days:
        day = today - datetime.timedelta(days=days_ago)
        weighted, total, lights, notes = 0, 0, set(), []
        for child in children:
            latest = [u for u in updates[child.pk] if u.reported_on <= day][-1:]
            progress = latest[0].progress if latest else 0
            weighted += progress * child.weight
            total += child.weight
            if latest and latest[0].traffic_light != GREEN:
                lights.add(latest[0].traffic_light)
                notes.append(f"{child.title}: {latest[0].explanation}")
        light = RED if RED in lights else YELLOW if lights else GREEN
        _saved(
            StatusUpdate(
                measure=programme,
                reported_on=day,
                progress=round(weighted / total) if total else 0,
                traffic_light=light,
                text="Stand des Programms aus den Meldungen seiner Teilprojekte.",
                explanation="\n".join(notes),
                author=author,
            )
        )
    refresh_current_state(programme)


def _load_body(slug, strategy_spec, goals, fields, units, tag_names, measures, out) -> None:
    body = Body.objects.filter(slug=slug).first()
    if body is None:
        return
    today = timezone.localdate()
    _strategy_obj, goal_objects, field_objects = _strategy(body, strategy_spec, goals, fields)
    unit_objects = _units(body, units)
    tag_objects = _tags(body, tag_names)
    actor = User.objects.filter(email=f"cdo@{slug}.example").first()
    created = []
    for spec in measures:
        measure = _measure(
            body, spec, today, field_objects, goal_objects, unit_objects, tag_objects, actor
        )
        if measure is not None:
            created.append((measure, spec))
    for measure, spec in created:
        if spec.get("programme_updates"):
            _programme_updates(measure, spec["programme_updates"], today, measure.lead or actor)
    if created:
        out.write(f"  Maßnahmen angelegt ({body.short_name}): {len(created)}")


def load(out) -> None:
    _load_body(
        "musterstadt",
        MUSTERSTADT_STRATEGY,
        MUSTERSTADT_GOALS,
        MUSTERSTADT_FIELDS,
        MUSTERSTADT_UNITS,
        MUSTERSTADT_TAGS,
        MUSTERSTADT_MEASURES,
        out,
    )
    _load_body(
        "beispielstadt",
        BEISPIELSTADT_STRATEGY,
        BEISPIELSTADT_GOALS,
        BEISPIELSTADT_FIELDS,
        BEISPIELSTADT_UNITS,
        [],
        BEISPIELSTADT_MEASURES,
        out,
    )


# --------------------------------------------------------------------------------------------
# ``lotse demo --scale large``: a large town (PRODUCT.md, "Scale to design for").

SCALE_BODY = "musterstadt"
SCALE_MEASURES = 2000
SCALE_UPDATES = 20
# Marks the generated measures, so a second run finds them and adds nothing.
SCALE_ORIGIN = "Maßnahmenkatalog Großstadt (Lastprofil)"
BATCH = 500

_SCALE_SUBJECTS = [
    "Anwohnerparkausweis",
    "Hundesteuer",
    "Gewerbeanmeldung",
    "Wohngeld",
    "Sperrmüllanmeldung",
    "Baugenehmigung",
    "Elterngeld-Beratung",
    "Kita-Anmeldung",
    "Schülerfahrkarten",
    "Meldebescheinigung",
    "Sondernutzungserlaubnis",
    "Fundbüro",
    "Friedhofsverwaltung",
    "Straßenbeleuchtung",
    "Grünflächenpflege",
    "Vergabestelle",
    "Personalgewinnung",
    "Reisekostenabrechnung",
    "Fuhrparkverwaltung",
    "Schulentwicklungsplanung",
    "Jugendhilfe",
    "Ratsinformationen",
    "Haushaltsplanung",
    "Bibliotheksausleihe",
    "Musikschule",
    "Volkshochschule",
    "Feuerwehr-Einsatzplanung",
    "Bauhof-Auftragssteuerung",
    "Winterdienst",
    "Stadtarchiv",
    "Standesamt",
    "Bürgerhaus-Vermietung",
]
_SCALE_KINDS = [
    "Online-Antrag",
    "Medienbruchfreie Bearbeitung",
    "Fachverfahren-Anbindung",
    "Digitaler Bescheid",
    "Terminbuchung",
    "Sensorik",
    "Datenbereitstellung",
    "Prozessanalyse",
    "Mobile Erfassung",
    "Automatisierte Prüfung",
]
_SCALE_STATES = [
    (S.IN_PROGRESS, 34),
    (S.COMPLETED, 20),
    (S.DECIDED, 10),
    (S.PRIORITISED, 8),
    (S.IN_REVIEW, 8),
    (S.PROPOSED, 8),
    (S.DEFERRED, 5),
    (S.REJECTED, 4),
    (S.CANCELLED, 3),
]
_SETBACK_FROM = {S.DEFERRED: S.PRIORITISED, S.REJECTED: S.IN_REVIEW, S.CANCELLED: S.IN_PROGRESS}


def _scale_path(status: str) -> list[str]:
    """The statuses a generated measure passed through, ending in ``status``."""
    if status in _SETBACK_FROM:
        before = _SETBACK_FROM[status]
        return [*ORDER[1 : ORDER.index(before) + 1], status]
    return ORDER[1 : ORDER.index(status) + 1]


def load_large(out) -> None:
    """Add SCALE_MEASURES measures with SCALE_UPDATES Sachstandsmeldungen each to one body,
    in bulk. Cached progress and traffic light are set from the generated updates directly,
    not refreshed measure by measure."""
    started = time.perf_counter()
    body = Body.objects.get(slug=SCALE_BODY)
    existing = set(
        Measure.objects.filter(body=body, origin=SCALE_ORIGIN).values_list("title", flat=True)
    )
    titles = [
        f"{_SCALE_KINDS[n % len(_SCALE_KINDS)]} "
        f"{_SCALE_SUBJECTS[(n // len(_SCALE_KINDS)) % len(_SCALE_SUBJECTS)]} (Nr. {n + 1:04d})"
        for n in range(SCALE_MEASURES)
    ]
    missing = [(n, title) for n, title in enumerate(titles) if title not in existing]
    if not missing:
        out.write(f"  Lastprofil: {len(existing)} Maßnahmen sind schon da.")
        return
    strategy = Strategy.objects.filter(body=body).order_by("version").first()
    topics = list(ActionField.objects.filter(strategy=strategy, parent__isnull=False))
    goals = list(Goal.objects.filter(strategy=strategy))
    units = list(OrgUnit.objects.filter(body=body))
    tags = list(Tag.objects.filter(body=body))
    actor = User.objects.filter(email=f"cdo@{body.slug}.example").first()
    author = User.objects.filter(email=f"verwaltung@{body.slug}.example").first()
    today = timezone.localdate()
    states = [state for state, share in _SCALE_STATES for _ in range(share)]

    measures, plans = [], []
    for n, title in missing:
        rng = random.Random(n)  # noqa: S311 -- repeatable demo data, not a secret
        status = states[rng.randrange(len(states))]
        path = _scale_path(status)
        # Days ago of each step, oldest first; the last one 20–400 days ago.
        last_step = rng.randint(20, 400)
        step_days = [last_step + 45 * (len(path) - 1 - k) for k in range(len(path))]
        updates = _scale_updates(rng, status, today)
        latest = updates[-1]
        in_progress_at = dict(zip(path, step_days, strict=True)).get(S.IN_PROGRESS)
        completed_at = dict(zip(path, step_days, strict=True)).get(S.COMPLETED)
        measures.append(
            Measure(
                body=body,
                title=title,
                summary=f"{title.rsplit(' (', 1)[0]}: Teil des Maßnahmenkatalogs der Stadt.",
                primary_field=topics[n % len(topics)],
                unit=units[n % len(units)] if units else None,
                lead=actor if n % 7 == 0 else None,
                is_public=n % 10 != 3,
                origin=SCALE_ORIGIN,
                status=status,
                planned_start=today - datetime.timedelta(days=rng.randint(100, 900)),
                planned_end=today + datetime.timedelta(days=rng.randint(30, 900)),
                actual_start=(
                    today - datetime.timedelta(days=in_progress_at) if in_progress_at else None
                ),
                actual_end=(
                    today - datetime.timedelta(days=completed_at) if completed_at else None
                ),
                progress=latest[1],
                traffic_light=latest[2],
                last_update_on=latest[0],
            )
        )
        plans.append((path, step_days, updates, rng.sample(goals, k=min(len(goals), 2))))
    Measure.objects.bulk_create(measures, batch_size=BATCH)

    goal_links, tag_links, transitions, status_updates, milestones = [], [], [], [], []
    tag_through = Measure.tags.through
    for (n, _title), measure, (path, step_days, updates, chosen_goals) in zip(
        missing, measures, plans, strict=True
    ):
        for k, goal in enumerate(chosen_goals):
            goal_links.append(MeasureGoal(measure=measure, goal=goal, weight=3 - k - n % 2))
        if tags and n % 3 == 0:
            tag_links.append(tag_through(measure=measure, tag=tags[n % len(tags)]))
        previous = S.PROPOSED
        for status, days_ago in zip(path, step_days, strict=True):
            reason = ""
            if is_setback(previous, status):
                reason = "Im Lenkungskreis nach Aufwand und Nutzen neu bewertet."
            transitions.append(
                MeasureTransition(
                    measure=measure,
                    from_status=previous,
                    to_status=status,
                    reason=reason,
                    actor=actor,
                    at=_at(today, days_ago),
                )
            )
            previous = status
        for reported_on, progress, light, text, explanation in updates:
            status_updates.append(
                StatusUpdate(
                    measure=measure,
                    reported_on=reported_on,
                    progress=progress,
                    traffic_light=light,
                    text=text,
                    explanation=explanation,
                    author=author,
                )
            )
        milestones.append(
            Milestone(
                measure=measure,
                title="Konzept abgestimmt",
                due_on=today - datetime.timedelta(days=200 + n % 90),
                done_on=today - datetime.timedelta(days=190 + n % 90),
            )
        )
        milestones.append(
            Milestone(
                measure=measure,
                title="Produktivbetrieb",
                due_on=today + datetime.timedelta(days=(n % 400) - 100),
            )
        )
    MeasureGoal.objects.bulk_create(goal_links, batch_size=BATCH)
    tag_through.objects.bulk_create(tag_links, batch_size=BATCH)
    MeasureTransition.objects.bulk_create(transitions, batch_size=BATCH)
    StatusUpdate.objects.bulk_create(status_updates, batch_size=BATCH)
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    seconds = time.perf_counter() - started
    out.write(
        f"  Lastprofil ({body.short_name}): {len(measures)} Maßnahmen, "
        f"{len(status_updates)} Sachstandsmeldungen in {seconds:.1f} s"
    )


def _scale_updates(rng: random.Random, status: str, today: datetime.date):
    """SCALE_UPDATES monthly Sachstandsmeldungen, oldest first, with rising progress."""
    last = today - datetime.timedelta(days=rng.randint(3, 120 if status != S.IN_PROGRESS else 220))
    final = 100 if status == S.COMPLETED else rng.randint(5, 95)
    updates = []
    for k in range(SCALE_UPDATES):
        reported_on = last - datetime.timedelta(days=30 * (SCALE_UPDATES - 1 - k))
        progress = round(final * (k + 1) / SCALE_UPDATES)
        roll = rng.random()
        if roll < 0.08:
            light, text = RED, "Arbeiten ruhen."
            explanation = "Ausfall im Projektteam; Nachbesetzung läuft."
        elif roll < 0.25:
            light, text = YELLOW, "Arbeiten laufen mit Verzug."
            explanation = "Abhängigkeit vom Hersteller des Fachverfahrens."
        else:
            light, text, explanation = GREEN, "Arbeiten laufen nach Plan.", ""
        updates.append((reported_on, progress, light, text, explanation))
    return updates
