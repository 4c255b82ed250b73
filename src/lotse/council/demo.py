"""Demo council work of Musterstadt: the Rat, its committees and the bodies of the Digitale
Agenda with invented members, meetings before and after today, papers of every type with
their Beratungsfolge, decisions with votes and numbers, and their Beschlusskontrolle.

Everything is invented. Rows are written directly, not through the services (which check
permissions and notify); numbers follow the default patterns and the number sequences are
set to the last numbers used, so the next release continues after them. Everything that
depends on "today" is created together with the rest in one go, and only when the
legislative term does not exist yet, so a second run changes nothing.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from lotse.accounts.demo import _account
from lotse.accounts.models import User
from lotse.assessment.models import CheckAnswer, DigitalCheck
from lotse.core.impacts import ImpactAssessment
from lotse.core.models import Body
from lotse.council.models import (
    ADOPTING,
    AgendaItem,
    Consultation,
    ConsultationRole,
    CouncilSettings,
    Decision,
    DecisionOutcome,
    FollowUp,
    FollowUpNote,
    FollowUpState,
    LegislativeTerm,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    NumberSequence,
    Organization,
    OrganizationType,
    Paper,
    PaperState,
    PaperType,
    Person,
    Signoff,
    SignoffState,
)
from lotse.strategy.models import Measure, MeasureStatus, MeasureTransition, OrgUnit

BERLIN = ZoneInfo("Europe/Berlin")
BODY = "musterstadt"
TERM = ("Wahlperiode 2025–2030", datetime.date(2025, 11, 1), datetime.date(2030, 10, 31))
MEMBER_ACCOUNT = ("ratsmitglied@musterstadt.example", "Jana Ostermann (Ratsmitglied)")
# The running numbers start here in every year, as if earlier papers of the year existed.
FIRST_PAPER_NUMBER = 100
FIRST_DECISION_NUMBER = 200

R = MembershipRole
T = OrganizationType
P = PaperType
O = DecisionOutcome  # noqa: E741 -- short names keep the tables below readable
PRE, DEC, NOTE = (
    ConsultationRole.PRELIMINARY,
    ConsultationRole.DECISION,
    ConsultationRole.NOTICE,
)
U = "einstimmig"

# key: (name, short name, type, parent key, meeting rhythm, statutory members, description)
ORGANIZATIONS = {
    "rat": (
        "Rat der Stadt Musterstadt",
        "Rat",
        T.COUNCIL,
        None,
        "etwa alle sechs Wochen",
        44,
        "Der Rat entscheidet über alle Angelegenheiten der Stadt, soweit er sie nicht "
        "übertragen hat.",
    ),
    "hfda": (
        "Haupt-, Finanz- und Digitalisierungsausschuss",
        "HFDA",
        T.COMMITTEE,
        "rat",
        "etwa alle sechs Wochen, jeweils vor dem Rat",
        17,
        "Bereitet die Beschlüsse des Rates vor, entscheidet über Vergaben und steuert die "
        "Digitale Agenda.",
    ),
    "uad": (
        "Unterausschuss Digitalisierung",
        "UA Digi",
        T.SUBCOMMITTEE,
        "hfda",
        "etwa alle sieben Wochen",
        11,
        "Berät die Vorhaben der Digitalen Agenda mit sachkundigen Bürgerinnen und Bürgern "
        "aus Integrationsrat, Jugendrat, Behindertenbeirat, Seniorenbeirat und den "
        "örtlichen Wirtschaftsverbänden.",
    ),
    "ag": (
        "AG „Digitalisierung der Verwaltung“",
        "AG DigiV",
        T.WORKING_GROUP,
        None,
        "alle zwei Wochen; vierteljährlich mit der Bürgermeisterin, den Beauftragten für "
        "Datenschutz und Informationssicherheit und dem Personalrat",
        None,
        "Steuert die Digitalisierung innerhalb der Verwaltung.",
    ),
    "lenk": (
        "Lenkungsgremium Digitale Agenda",
        "Lenkungsgremium",
        T.STEERING_GROUP,
        None,
        "vierteljährlich",
        None,
        "Steuert die Digitale Agenda insgesamt und die Arbeit der Themengruppen.",
    ),
    "tg1": (
        "Themengruppe Digitale Infrastruktur",
        "TG Infrastruktur",
        T.TOPIC_GROUP,
        "lenk",
        "monatlich",
        None,
        "",
    ),
    "tg2": (
        "Themengruppe Digitale Verwaltung/Politik",
        "TG Verwaltung",
        T.TOPIC_GROUP,
        "lenk",
        "monatlich",
        None,
        "",
    ),
    "tg3": (
        "Themengruppe Wertschöpfung und Innovation",
        "TG Innovation",
        T.TOPIC_GROUP,
        "lenk",
        "monatlich",
        None,
        "",
    ),
    "tg4": (
        "Themengruppe Bau, Energie und Mobilität",
        "TG Bau",
        T.TOPIC_GROUP,
        "lenk",
        "monatlich",
        None,
        "",
    ),
    "tg5": (
        "Themengruppe Soziales, Gesundheit, Pflege",
        "TG Soziales",
        T.TOPIC_GROUP,
        "lenk",
        "monatlich",
        None,
        "",
    ),
    "u30": (
        "U30-Beirat",
        "U30",
        T.ADVISORY_BOARD,
        None,
        "alle zwei Monate",
        None,
        "Junge Menschen unter 30 beraten Rat und Verwaltung zur Digitalen Agenda.",
    ),
    "bl": ("Fraktion Bürgerliste", "Bürgerliste", T.FACTION, None, "", None, ""),
    "gm": ("Fraktion Grüne Mitte", "Grüne Mitte", T.FACTION, None, "", None, ""),
    "sl": ("Fraktion Soziale Liste", "Soziale Liste", T.FACTION, None, "", None, ""),
}

# key: (form of address, title, given name, family name)
PERSONS = {
    "albers": ("Frau", "Dr.", "Katrin", "Albers"),  # Bürgermeisterin
    "brandt": ("Herr", "", "Holger", "Brandt"),
    "cramer": ("Frau", "", "Ute", "Cramer"),
    "dietz": ("Herr", "", "Markus", "Dietz"),
    "ebert": ("Frau", "", "Silke", "Ebert"),
    "falk": ("Herr", "Dr.", "Rolf", "Falk"),
    "gerdes": ("Frau", "", "Anja", "Gerdes"),
    "hansen": ("Herr", "", "Björn", "Hansen"),
    "ostermann": ("Frau", "", "Jana", "Ostermann"),
    "jaeger": ("Herr", "", "Tobias", "Jäger"),
    "kaya": ("Frau", "", "Elif", "Kaya"),
    "lorenz": ("Herr", "", "Dieter", "Lorenz"),
    "moeller": ("Frau", "", "Birgit", "Möller"),
    "nowak": ("Herr", "", "Pawel", "Nowak"),
    "otto": ("Frau", "", "Heike", "Otto"),
    "peters": ("Herr", "", "Frank", "Peters"),
    "quast": ("Frau", "", "Carina", "Quast"),
    "roth": ("Herr", "", "Stefan", "Roth"),
    "simon": ("Frau", "", "Nadine", "Simon"),
    "thiel": ("Herr", "", "Werner", "Thiel"),
    "unger": ("Frau", "", "Maren", "Unger"),
    "vogt": ("Herr", "", "Ralf", "Vogt"),
    # sachkundige Bürger:innen and delegates of the advisory boards and associations
    "acar": ("Herr", "", "Serkan", "Acar"),  # Integrationsrat
    "winter": ("Frau", "", "Lea", "Winter"),  # Jugendrat
    "zimmer": ("Herr", "", "Uwe", "Zimmer"),  # Behindertenbeirat
    "berg": ("Frau", "", "Gisela", "Berg"),  # Seniorenbeirat
    "krause": ("Herr", "", "Matthias", "Krause"),  # Werbegemeinschaft Innenstadt
    "heller": ("Frau", "", "Sandra", "Heller"),  # Unternehmerverband
    # administration
    "lang": ("Frau", "", "Christina", "Lang"),  # Stabsstelle Digitalisierung (CDO)
    "schmitz": ("Herr", "", "Oliver", "Schmitz"),  # Amt 12
    "wolf": ("Frau", "", "Petra", "Wolf"),  # Datenschutzbeauftragte
    "kuhn": ("Herr", "", "Andreas", "Kuhn"),  # Informationssicherheitsbeauftragter
    "franke": ("Frau", "", "Monika", "Franke"),  # Personalrat
    "busch": ("Herr", "", "Jan", "Busch"),  # FB 10
    "arnold": ("Frau", "", "Kerstin", "Arnold"),  # Amt 50
    "sommer": ("Herr", "", "Thomas", "Sommer"),  # Amt 80
    # civil society (tandem leads)
    "neumeier": ("Frau", "", "Julia", "Neumeier"),
    "pohl": ("Herr", "Prof. Dr.", "Karsten", "Pohl"),
    "yildiz": ("Frau", "", "Derya", "Yıldız"),
    "hartmann": ("Herr", "", "Lukas", "Hartmann"),
    "seidel": ("Frau", "", "Renate", "Seidel"),
    # U30-Beirat
    "koch": ("Frau", "", "Mia", "Koch"),
    "ali": ("Herr", "", "Samir", "Ali"),
    "frey": ("Frau", "", "Paula", "Frey"),
}

FACTION_MEMBERS = {
    "bl": ["brandt", "cramer", "dietz", "ebert", "falk", "gerdes", "hansen"],
    "gm": ["ostermann", "jaeger", "kaya", "lorenz", "moeller", "nowak"],
    "sl": ["otto", "peters", "quast", "roth", "simon"],
}
FACTION_CHAIRS = {"bl": "falk", "gm": "kaya", "sl": "peters"}
EXTRA_COUNCIL = {"thiel": "bl", "unger": "gm", "vogt": "sl"}

# (organization, person, role, voting right, on behalf of)
COMMITTEE_SEATS = [
    ("hfda", "albers", R.CHAIR, True, None),
    ("hfda", "falk", R.DEPUTY_CHAIR, True, "bl"),
    ("hfda", "brandt", R.MEMBER, True, "bl"),
    ("hfda", "cramer", R.MEMBER, True, "bl"),
    ("hfda", "dietz", R.MEMBER, True, "bl"),
    ("hfda", "ostermann", R.MEMBER, True, "gm"),
    ("hfda", "kaya", R.MEMBER, True, "gm"),
    ("hfda", "lorenz", R.MEMBER, True, "gm"),
    ("hfda", "peters", R.MEMBER, True, "sl"),
    ("hfda", "quast", R.MEMBER, True, "sl"),
    ("hfda", "thiel", R.DEPUTY_MEMBER, True, "bl"),
    ("hfda", "unger", R.DEPUTY_MEMBER, True, "gm"),
    ("hfda", "vogt", R.DEPUTY_MEMBER, True, "sl"),
    ("uad", "ostermann", R.CHAIR, True, "gm"),
    ("uad", "gerdes", R.DEPUTY_CHAIR, True, "bl"),
    ("uad", "hansen", R.MEMBER, True, "bl"),
    ("uad", "moeller", R.MEMBER, True, "gm"),
    ("uad", "simon", R.MEMBER, True, "sl"),
    ("uad", "nowak", R.EXPERT_CITIZEN, True, "gm"),
    ("uad", "roth", R.EXPERT_CITIZEN, True, "sl"),
    ("uad", "acar", R.ADVISORY, False, None),
    ("uad", "winter", R.ADVISORY, False, None),
    ("uad", "zimmer", R.ADVISORY, False, None),
    ("uad", "berg", R.ADVISORY, False, None),
    ("uad", "krause", R.ADVISORY, False, None),
    ("uad", "heller", R.ADVISORY, False, None),
    ("ag", "lang", R.CHAIR, True, None),
    ("ag", "schmitz", R.DEPUTY_CHAIR, True, None),
    ("ag", "busch", R.MEMBER, True, None),
    ("ag", "arnold", R.MEMBER, True, None),
    ("ag", "sommer", R.MEMBER, True, None),
    ("ag", "albers", R.ADVISORY, False, None),
    ("ag", "wolf", R.ADVISORY, False, None),
    ("ag", "kuhn", R.ADVISORY, False, None),
    ("ag", "franke", R.ADVISORY, False, None),
    ("lenk", "albers", R.CHAIR, True, None),
    ("lenk", "lang", R.DEPUTY_CHAIR, True, None),
    ("lenk", "falk", R.MEMBER, True, None),
    ("lenk", "kaya", R.MEMBER, True, None),
    ("lenk", "peters", R.MEMBER, True, None),
    ("lenk", "pohl", R.MEMBER, True, None),
    ("lenk", "koch", R.ADVISORY, False, None),
    ("tg1", "schmitz", R.TANDEM_LEAD, True, None),
    ("tg1", "hartmann", R.TANDEM_LEAD, True, None),
    ("tg1", "krause", R.MEMBER, True, None),
    ("tg2", "busch", R.TANDEM_LEAD, True, None),
    ("tg2", "neumeier", R.TANDEM_LEAD, True, None),
    ("tg2", "zimmer", R.MEMBER, True, None),
    ("tg3", "sommer", R.TANDEM_LEAD, True, None),
    ("tg3", "pohl", R.TANDEM_LEAD, True, None),
    ("tg3", "heller", R.MEMBER, True, None),
    ("tg4", "lang", R.TANDEM_LEAD, True, None),
    ("tg4", "yildiz", R.TANDEM_LEAD, True, None),
    ("tg5", "arnold", R.TANDEM_LEAD, True, None),
    ("tg5", "seidel", R.TANDEM_LEAD, True, None),
    ("tg5", "berg", R.MEMBER, True, None),
    ("u30", "koch", R.CHAIR, True, None),
    ("u30", "ali", R.DEPUTY_CHAIR, True, None),
    ("u30", "frey", R.MEMBER, True, None),
    ("u30", "winter", R.MEMBER, True, None),
]

RATSSAAL = "Rathaus Musterstadt, Ratssaal"
SITZUNGSZIMMER = "Rathaus Musterstadt, Sitzungszimmer 2.14"
STADTHAUS = "Stadthaus, Raum 0.12"

# key: (organization, name, days from today, start time, minutes, location, state, hybrid)
MEETINGS = {
    "ua1": (
        "uad",
        "3. Sitzung des Unterausschusses Digitalisierung",
        -70,
        (16, 30),
        120,
        SITZUNGSZIMMER,
        MeetingState.HELD,
        False,
    ),
    "h1": (
        "hfda",
        "6. Sitzung des Haupt-, Finanz- und Digitalisierungsausschusses",
        -56,
        (17, 0),
        150,
        RATSSAAL,
        MeetingState.HELD,
        False,
    ),
    "r1": ("rat", "7. Sitzung des Rates", -42, (17, 0), 180, RATSSAAL, MeetingState.HELD, False),
    "ua2": (
        "uad",
        "4. Sitzung des Unterausschusses Digitalisierung",
        -21,
        (16, 30),
        120,
        SITZUNGSZIMMER,
        MeetingState.HELD,
        True,
    ),
    "h2": (
        "hfda",
        "7. Sitzung des Haupt-, Finanz- und Digitalisierungsausschusses",
        -14,
        (17, 0),
        150,
        RATSSAAL,
        MeetingState.HELD,
        False,
    ),
    "r2": ("rat", "8. Sitzung des Rates", -5, (17, 0), 180, RATSSAAL, MeetingState.HELD, False),
    "h3": (
        "hfda",
        "8. Sitzung des Haupt-, Finanz- und Digitalisierungsausschusses",
        10,
        (17, 0),
        150,
        RATSSAAL,
        MeetingState.INVITED,
        False,
    ),
    "r3": ("rat", "9. Sitzung des Rates", 17, (17, 0), 180, RATSSAAL, MeetingState.INVITED, False),
    "ua3": (
        "uad",
        "5. Sitzung des Unterausschusses Digitalisierung",
        28,
        (16, 30),
        120,
        SITZUNGSZIMMER,
        MeetingState.PLANNED,
        True,
    ),
}
VIDEO_URL = "https://video.musterstadt.example/ua-digitalisierung"

# The AG meets every other Wednesday: (weeks from the last Wednesday before today, state,
# quarterly with the mayor, agenda as (title, result)).
AG_MEETINGS = [
    (
        -6,
        MeetingState.HELD,
        False,
        [
            ("Sachstand E-Akte: Rollout im Bürgerservice", "Rollout im Januar bestätigt."),
            ("Schulungskonzept für die Fachverfahren", "Amt 12 legt einen Entwurf vor."),
        ],
    ),
    (-4, MeetingState.CANCELLED, False, []),
    (
        -2,
        MeetingState.HELD,
        True,
        [
            ("Bericht der Informationssicherheit (Quartal)", "Zur Kenntnis genommen."),
            (
                "Datenschutz: Verzeichnis der Verarbeitungstätigkeiten",
                "Aktualisierung bis Ende des Quartals.",
            ),
            (
                "Dienstvereinbarung mobiles Arbeiten: Evaluation",
                "Personalrat und Verwaltung stimmen die Fragen ab.",
            ),
        ],
    ),
    (
        0,
        MeetingState.HELD,
        False,
        [
            ("Vorbereitung des Unterausschusses Digitalisierung", "Sachstandsbericht abgestimmt."),
            ("Pilot KI-Assistenz im Bürgerservice", "Pilot startet nach Beschluss der Richtlinie."),
        ],
    ),
    (
        2,
        MeetingState.INVITED,
        False,
        [
            ("Haushalt 2027: Digitalbudget der Fachbereiche", ""),
            ("Sachstand OZG-Leistungen", ""),
        ],
    ),
    (4, MeetingState.PLANNED, False, []),
]

# Papers in the order of their dates within a meeting round. Route steps: (organization,
# meeting key or days from today for a planned date, role, outcome, votes) — votes are
# (yes, no, abstentions) or U; outcome None while the meeting lies ahead.
PAPERS = [
    {
        "key": "agenda",
        "type": P.PROPOSAL,
        "unit": "Stab DI",
        "reporter": "lang",
        "name": "Fortschreibung der Digitalen Agenda Musterstadt 2030 – Maßnahmenplan 2027",
        "proposal": "Der Rat beschließt die Fortschreibung der Digitalen Agenda mit dem "
        "Maßnahmenplan 2027 (Anlage 1). Die Verwaltung wird beauftragt, dem Haupt-, Finanz- und "
        "Digitalisierungsausschuss halbjährlich über den Umsetzungsstand zu berichten.",
        "reasoning": "Die Digitale Agenda wurde im März 2024 beschlossen und sieht eine "
        "jährliche Fortschreibung vor. Der Maßnahmenplan 2027 wurde in den fünf Themengruppen "
        "und im Lenkungsgremium erarbeitet. Neu aufgenommen sind unter anderem ein "
        "Datenplattform-Projekt und die Digitalisierung der Kita-Platzvergabe; zwei Maßnahmen "
        "werden wegen fehlender Fördermittel zurückgestellt.",
        "measures": ["City Cockpit für die Digitale Agenda"],
        "route": [
            ("hfda", "h1", PRE, O.ADOPTED, (12, 3, 2)),
            ("rat", "r1", DEC, O.ADOPTED, (34, 6, 2)),
        ],
        "follow_up": (
            "Stab DI",
            -20,
            FollowUpState.IN_PROGRESS,
            [
                (30, "Maßnahmenplan an die Fachbereiche verteilt, Berichtsvorlage in Arbeit."),
            ],
        ),
    },
    {
        "key": "maengel",
        "type": P.PROPOSAL,
        "unit": "Stab DI",
        "reporter": "lang",
        "name": "Einführung eines digitalen Mängelmelders für das Stadtgebiet",
        "proposal": "Der Rat beschließt die Einführung eines digitalen Mängelmelders als Web- "
        "und App-Angebot. Die Mittel sind im Haushalt 2027 bereitzustellen.",
        "reasoning": "Schäden an Straßen, Spielplätzen oder Beleuchtung erreichen die "
        "Verwaltung heute per Telefon, E-Mail und Brief. Ein Mängelmelder nimmt Meldungen mit "
        "Foto und Ort entgegen, leitet sie an die zuständige Stelle weiter und zeigt den "
        "Bearbeitungsstand öffentlich an. Die Idee wurde im Beteiligungsprozess „Digitaler "
        "Aufbruch“ besonders häufig unterstützt.",
        "measures": ["Mängelmelder-App"],
        "route": [("uad", "ua1", PRE, O.ADOPTED, U), ("rat", "r1", DEC, O.ADOPTED, (38, 0, 4))],
        "follow_up": ("Stab DI", 60, FollowUpState.OPEN, []),
    },
    {
        "key": "hybrid",
        "type": P.PROPOSAL,
        "unit": "FB 10",
        "reporter": "busch",
        "name": "Änderung der Geschäftsordnung: hybride Sitzungen der Ausschüsse",
        "proposal": "Der Rat beschließt die Änderung der Geschäftsordnung gemäß Anlage 1. "
        "Ausschüsse und Unterausschüsse können künftig hybrid tagen.",
        "reasoning": "Die Gemeindeordnung erlaubt hybride Sitzungen, wenn die Geschäftsordnung "
        "das Verfahren regelt. Der Entwurf regelt die Zuschaltung per Video, die Feststellung "
        "der Anwesenheit, Abstimmungen und den Umgang mit technischen Störungen. Nicht "
        "öffentliche Tagesordnungspunkte werden nur in Präsenz beraten.",
        "measures": ["Digitale Ratsarbeit (hybride Ausschusssitzungen)"],
        "route": [("hfda", "h1", PRE, O.ADOPTED, U), ("rat", "r1", DEC, O.ADOPTED, (40, 2, 0))],
        "follow_up": (
            "FB 10",
            -10,
            FollowUpState.DONE,
            [
                (
                    20,
                    "Geschäftsordnung im Amtsblatt bekannt gemacht; Technik im Sitzungszimmer "
                    "eingerichtet.",
                ),
            ],
        ),
        "done_days_ago": 15,
    },
    {
        "key": "baeume",
        "type": P.MOTION,
        "faction": "gm",
        "reporter": "kaya",
        "name": "Antrag der Fraktion Grüne Mitte: Baumstandorte und Bewässerung als offene "
        "Daten veröffentlichen",
        "proposal": "Die Verwaltung wird beauftragt, das Baumkataster und die Daten der "
        "Bewässerung städtischer Bäume im Open-Data-Portal zu veröffentlichen.",
        "reasoning": "Viele Bürgerinnen und Bürger gießen in heißen Sommern Stadtbäume. Offene "
        "Daten zu Standort, Art und letzter Bewässerung helfen, das Engagement zu lenken, und "
        "ermöglichen Anwendungen Dritter.",
        "measures": ["Open-Data-Portal"],
        "route": [
            ("hfda", "h1", PRE, O.ADOPTED, (9, 6, 2)),
            ("rat", "r1", DEC, O.ADOPTED_AMENDED, (30, 10, 2)),
        ],
        "resolution": "Die Verwaltung wird beauftragt, das Baumkataster bis zum Ende des "
        "Jahres im Open-Data-Portal zu veröffentlichen. Die Bewässerungsdaten folgen, sobald "
        "die Sensorik dies erlaubt.",
        "follow_up": ("Amt 70", -5, FollowUpState.OPEN, []),
    },
    {
        "key": "baeume_st",
        "type": P.STATEMENT,
        "unit": "Amt 70",
        "name": "Stellungnahme der Verwaltung zum Antrag der Fraktion Grüne Mitte "
        "(Baumstandorte als offene Daten)",
        "reasoning": "Das Baumkataster liegt digital vor und kann ohne großen Aufwand "
        "veröffentlicht werden. Bewässerungsdaten werden bisher nur auf Papier erfasst; sie "
        "stehen erst nach Einführung der Bodenfeuchtesensoren zur Verfügung.",
        "days_before": 10,
        "related": ["baeume"],
        "route": [("hfda", "h1", NOTE, O.NOTED, None)],
    },
    {
        "key": "wlan",
        "type": P.MOTION,
        "faction": "sl",
        "reporter": "peters",
        "name": "Antrag der Fraktion Soziale Liste: Kostenfreies WLAN in allen Stadtteilzentren",
        "proposal": "Die Verwaltung wird beauftragt, bis Ende 2027 in allen Stadtteilzentren "
        "kostenfreies WLAN einzurichten.",
        "reasoning": "Nicht alle Menschen haben zu Hause einen schnellen Internetanschluss. "
        "Stadtteilzentren sind Orte, an denen Beratung und Bildung stattfinden; freies WLAN "
        "senkt die Schwelle, digitale Angebote zu nutzen.",
        "route": [
            ("uad", "ua1", PRE, O.ADOPTED, (5, 2, 0)),
            ("rat", "r1", DEC, O.REJECTED, (14, 26, 2)),
        ],
    },
    {
        "key": "wlan_st",
        "type": P.STATEMENT,
        "unit": "Amt 12",
        "name": "Stellungnahme der Verwaltung zum Antrag der Fraktion Soziale Liste "
        "(Kostenfreies WLAN in Stadtteilzentren)",
        "reasoning": "Fünf der acht Stadtteilzentren sind bereits über die Maßnahme „WLAN in "
        "öffentlichen Bereichen“ versorgt. Für die übrigen drei fehlen Glasfaseranschlüsse; "
        "sie sind im Breitbandausbau für 2028 vorgesehen.",
        "days_before": 7,
        "related": ["wlan"],
        "route": [("uad", "ua1", NOTE, O.NOTED, None)],
    },
    {
        "key": "termin",
        "type": P.NOTICE,
        "unit": "Amt 32",
        "reporter": "busch",
        "name": "Ergebnisse der Kundenbefragung zur Online-Terminvergabe im Bürgerbüro",
        "reasoning": "Im Sommer wurden 1.240 Kundinnen und Kunden befragt. 87 % buchen ihren "
        "Termin online, die Wartezeit vor Ort sank von 42 auf 9 Minuten. Gewünscht werden "
        "Erinnerungen per SMS und mehr Termine am Samstag.",
        "measures": ["Online-Terminvergabe im Bürgerbüro"],
        "route": [("uad", "ua1", NOTE, O.NOTED, None), ("hfda", "h1", NOTE, O.NOTED, None)],
    },
    {
        "key": "it_anfrage",
        "type": P.INQUIRY,
        "faction": "bl",
        "reporter": "falk",
        "name": "Anfrage der Fraktion Bürgerliste zur Ausfallsicherheit der städtischen IT",
        "reasoning": "Wir bitten um Beantwortung folgender Fragen: 1. Wie oft fielen zentrale "
        "Fachverfahren in den letzten zwölf Monaten aus? 2. Gibt es ein Notfallhandbuch? "
        "3. Wann wurde der Wiederanlauf zuletzt geübt?",
        "route": [("hfda", "h1", NOTE, O.NOTED, None)],
    },
    {
        "key": "it_antwort",
        "type": P.STATEMENT,
        "unit": "Amt 12",
        "name": "Beantwortung der Anfrage der Fraktion Bürgerliste zur Ausfallsicherheit der "
        "städtischen IT",
        "reasoning": "Zu 1: Es gab drei Ausfälle von mehr als vier Stunden. Zu 2: Ein "
        "Notfallhandbuch liegt vor und wird jährlich überarbeitet. Zu 3: Der Wiederanlauf "
        "wurde im Frühjahr geübt; die Ergebnisse fließen in die Modernisierung des "
        "Rechenzentrums ein.",
        "days_before": 7,
        "related": ["it_anfrage"],
        "route": [("hfda", "h1", NOTE, O.NOTED, None)],
    },
    {
        "key": "eakte_sb",
        "type": P.STATUS_REPORT,
        "unit": "FB 10",
        "reporter": "busch",
        "name": "Sachstandsbericht Einführung der digitalen Akte (E-Akte)",
        "reasoning": "Die E-Akte ist in neun von 14 Organisationseinheiten eingeführt. Rund "
        "380 Beschäftigte arbeiten damit. Verzögerungen gab es bei der Anbindung der "
        "Fachverfahren im Bauordnungsamt.",
        "measures": ["Einführung der digitalen Akte (E-Akte)"],
        "route": [("uad", "ua1", NOTE, O.NOTED, None), ("hfda", "h1", NOTE, O.NOTED, None)],
    },
    {
        "key": "ausbildung",
        "type": P.PROPOSAL,
        "unit": "FB 10",
        "reporter": "busch",
        "name": "Ausbildung 4.0: digitale Lernplattform für Auszubildende der Stadtverwaltung",
        "proposal": "Der Haupt-, Finanz- und Digitalisierungsausschuss empfiehlt, der Rat "
        "beschließt die Einführung einer digitalen Lernplattform für die Ausbildung.",
        "reasoning": "Die Stadt bildet jährlich rund 30 junge Menschen aus. Eine Lernplattform "
        "bündelt Lernmaterial, Ausbildungsnachweise und Prüfungsvorbereitung und erlaubt "
        "Lernen am mobilen Arbeitsplatz.",
        "measures": ["Ausbildung 4.0 in der Stadtverwaltung"],
        "route": [("hfda", "h1", PRE, O.ADOPTED, U), ("rat", "r1", DEC, O.ADOPTED, U)],
        "follow_up": (
            "FB 10",
            -30,
            FollowUpState.DONE,
            [
                (36, "Plattform ausgewählt und für den Ausbildungsjahrgang freigeschaltet."),
            ],
        ),
        "done_days_ago": 35,
    },
    {
        "key": "bauantrag",
        "type": P.PROPOSAL,
        "unit": "Amt 63",
        "name": "Digitaler Bauantrag: Fachsoftware und Anbindung an das Landesportal",
        "proposal": "Der Rat beschließt die Beschaffung einer Fachsoftware für die "
        "Bauaufsicht und deren Anbindung an das Bauportal des Landes.",
        "reasoning": "Bauanträge werden heute in Papier eingereicht und für die Beteiligung "
        "der Fachämter kopiert. Mit der Anbindung an das Landesportal gehen Anträge digital "
        "ein und werden medienbruchfrei bearbeitet.",
        "measures": ["Digitaler Bauantrag"],
        "route": [
            ("uad", "ua1", PRE, O.ADOPTED, U),
            ("rat", "r1", DEC, O.ADOPTED_UNCHANGED, (41, 0, 1)),
        ],
    },
    {
        "key": "sachstand_ua",
        "type": P.STATUS_REPORT,
        "unit": "Stab DI",
        "reporter": "ostermann",
        "name": "Sachstandsbericht Unterausschuss Digitalisierung",
        "reasoning": "Der Unterausschuss Digitalisierung hat seit Beginn der Wahlperiode "
        "viermal getagt. Er hat sieben Vorlagen vorberaten und sich mit den Beiräten über "
        "Barrierefreiheit und digitale Teilhabe ausgetauscht. Schwerpunkte der nächsten "
        "Monate sind der Mängelmelder, die Beteiligungs-App und die KI-Richtlinie.",
        "route": [("hfda", "h2", NOTE, O.NOTED, None), ("rat", "r2", NOTE, O.NOTED, None)],
    },
    {
        "key": "beteiligung",
        "type": P.PROPOSAL,
        "unit": "Stab DI",
        "reporter": "lang",
        "name": "Einführung einer Bürgerbeteiligungs-App",
        "proposal": "Der Rat beschließt die Einführung einer Bürgerbeteiligungs-App auf Basis "
        "einer quelloffenen Plattform.",
        "reasoning": "Beteiligung soll auch unterwegs möglich sein. Die App bündelt Umfragen, "
        "Ideensammlungen und Informationen zu laufenden Verfahren und ist barrierefrei "
        "nutzbar. Der U30-Beirat hat die Anforderungen mitformuliert.",
        "measures": ["Bürgerbeteiligungs-App"],
        "route": [("uad", "ua2", PRE, O.ADOPTED, U), ("rat", "r2", DEC, O.ADOPTED, (40, 0, 2))],
        "follow_up": (
            "Stab DI",
            90,
            FollowUpState.OPEN,
            [
                (2, "Leistungsbeschreibung wird mit dem U30-Beirat abgestimmt."),
            ],
        ),
    },
    {
        "key": "lorawan",
        "type": P.PROPOSAL,
        "unit": "Stab DI",
        "name": "Aufbau eines LoRaWAN-Funknetzes für städtische Sensorik",
        "proposal": "Der Rat beschließt den Aufbau eines stadtweiten LoRaWAN-Funknetzes "
        "gemeinsam mit den Stadtwerken.",
        "reasoning": "Sensoren für Bodenfeuchte, Füllstände und Luftqualität brauchen ein "
        "energiesparendes Funknetz. Die Stadtwerke stellen Standorte auf ihren Gebäuden "
        "bereit; die Stadt trägt die Gateways.",
        "measures": ["LoRaWAN-Funknetz für städtische Sensorik"],
        "route": [
            ("uad", "ua2", PRE, O.ADOPTED, (6, 1, 0)),
            ("rat", "r2", DEC, O.POSTPONED, (22, 18, 2)),
            ("rat", "r3", DEC, None, None),
        ],
    },
    {
        "key": "breitband",
        "type": P.PROPOSAL,
        "unit": "Amt 80",
        "reporter": "sommer",
        "name": "Breitbandausbau: Eigenanteil für den geförderten Ausbau der grauen Flecken",
        "proposal": "Der Rat beschließt, den Eigenanteil der Stadt am geförderten "
        "Glasfaserausbau in Höhe von 1,2 Mio. Euro bereitzustellen.",
        "reasoning": "Bund und Land fördern den Ausbau in Gebieten mit weniger als "
        "100 Mbit/s. Rund 2.300 Haushalte und 140 Unternehmen erhalten dadurch einen "
        "Glasfaseranschluss.",
        "measures": ["Breitbandausbau"],
        "route": [
            ("hfda", "h2", PRE, O.ADOPTED, (14, 1, 2)),
            ("rat", "r2", DEC, O.ADOPTED_UNCHANGED, (39, 1, 2)),
        ],
        "follow_up": (
            "Amt 80",
            150,
            FollowUpState.IN_PROGRESS,
            [
                (4, "Förderbescheid liegt vor; Ausschreibung verzögert sich um drei Monate."),
            ],
        ),
    },
    {
        "key": "breitband_erg",
        "type": P.SUPPLEMENT,
        "unit": "Amt 80",
        "supplements": "breitband",
        "name": "Ergänzungsvorlage: Breitbandausbau – aktualisierte Fördersumme nach "
        "Bescheid des Bundes",
        "proposal": "Der Beschlussvorschlag wird um folgenden Satz ergänzt: Erhöht sich die "
        "Förderquote, verringert sich der Eigenanteil entsprechend.",
        "reasoning": "Nach Freigabe der Vorlage ist der Förderbescheid des Bundes eingegangen. "
        "Die Förderquote liegt bei 60 statt 50 %.",
        "days_before": 7,
        "route": [("hfda", "h2", PRE, O.ADOPTED, U), ("rat", "r2", DEC, O.ADOPTED, U)],
    },
    {
        "key": "vergabe_rz",
        "type": P.PROPOSAL,
        "unit": "Amt 12",
        "public": False,
        "name": "Vergabe Rechenzentrumsdienstleistungen (Housing und Datensicherung)",
        "proposal": "Der Ausschuss beschließt, den Auftrag für Housing und Datensicherung dem "
        "wirtschaftlichsten Angebot (Bieter 2) zu erteilen.",
        "reasoning": "Im offenen Verfahren gingen vier Angebote ein. Die Wertung nach Preis "
        "(60 %) und Qualität (40 %) ergibt das beste Verhältnis für Bieter 2.",
        "measures": ["Modernisierung des städtischen Rechenzentrums"],
        "route": [("hfda", "h2", DEC, O.ADOPTED, U)],
        "follow_up": (
            "Amt 12",
            30,
            FollowUpState.IN_PROGRESS,
            [
                (3, "Zuschlag erteilt, Vertrag unterzeichnet."),
            ],
        ),
    },
    {
        "key": "livestream",
        "type": P.MOTION,
        "faction": "bl",
        "reporter": "brandt",
        "name": "Antrag der Fraktion Bürgerliste: Livestream der öffentlichen Ratssitzungen",
        "proposal": "Die Verwaltung wird beauftragt, die öffentlichen Sitzungen des Rates ab "
        "2027 live im Internet zu übertragen.",
        "reasoning": "Transparenz stärkt das Vertrauen in die Kommunalpolitik. Viele Städte "
        "übertragen ihre Sitzungen bereits; Ratsmitglieder, die nicht gezeigt werden wollen, "
        "können widersprechen.",
        "measures": ["Livestream der Ratssitzungen"],
        "route": [("hfda", "h2", PRE, O.REFERRED, (10, 5, 2)), ("uad", "ua3", PRE, None, None)],
    },
    {
        "key": "barriere_anfrage",
        "type": P.INQUIRY,
        "faction": "gm",
        "reporter": "moeller",
        "name": "Anfrage der Fraktion Grüne Mitte zur Barrierefreiheit der städtischen Website",
        "reasoning": "Wir fragen: 1. Wann wurde die Website zuletzt auf Barrierefreiheit "
        "geprüft? 2. Welche Mängel wurden festgestellt? 3. Bis wann werden sie behoben?",
        "route": [("uad", "ua2", NOTE, O.NOTED, None)],
    },
    {
        "key": "barriere_antwort",
        "type": P.STATEMENT,
        "unit": "Stab DI",
        "name": "Beantwortung der Anfrage der Fraktion Grüne Mitte zur Barrierefreiheit der "
        "städtischen Website",
        "reasoning": "Die Website wurde im Frühjahr nach BITV 2.0 geprüft. Mängel betreffen "
        "vor allem PDF-Dokumente und Formulare. Die Formulare werden bis Mitte des nächsten "
        "Jahres ersetzt; neue PDF-Dokumente werden barrierefrei erstellt.",
        "days_before": 7,
        "related": ["barriere_anfrage"],
        "route": [("uad", "ua2", NOTE, O.NOTED, None)],
    },
    {
        "key": "isms",
        "type": P.NOTICE,
        "unit": "Amt 12",
        "reporter": "schmitz",
        "name": "Informationssicherheit: Ergebnisse der Basis-Absicherung nach BSI IT-Grundschutz",
        "reasoning": "Die Basis-Absicherung ist für die zentralen IT-Dienste abgeschlossen. "
        "Offene Punkte betreffen die Netztrennung der Schulen und die Notfallübungen.",
        "measures": ["Informationssicherheitsmanagement nach BSI IT-Grundschutz"],
        "route": [("uad", "ua2", NOTE, O.NOTED, None), ("hfda", "h2", NOTE, O.NOTED, None)],
    },
    {
        "key": "ki",
        "type": P.PROPOSAL,
        "unit": "Stab DI",
        "reporter": "lang",
        "name": "Richtlinie für den Einsatz von KI-Anwendungen in der Stadtverwaltung",
        "proposal": "Der Rat beschließt die Richtlinie für den Einsatz von KI-Anwendungen "
        "gemäß Anlage 1.",
        "reasoning": "Beschäftigte nutzen zunehmend KI-gestützte Werkzeuge. Die Richtlinie "
        "regelt, welche Daten verarbeitet werden dürfen, wie Ergebnisse geprüft werden und "
        "wann der Personalrat und die Datenschutzbeauftragte zu beteiligen sind.",
        "route": [
            ("uad", "ua2", PRE, O.ADOPTED_AMENDED, U),
            ("rat", "r2", DEC, O.ADOPTED_AMENDED, (36, 4, 2)),
        ],
        "resolution": "Der Rat beschließt die Richtlinie mit der Änderung, dass der Einsatz "
        "von KI in Bescheiden stets von einem Menschen geprüft wird.",
        "follow_up": ("Stab DI", 120, FollowUpState.OPEN, []),
    },
    {
        "key": "opendata",
        "type": P.PROPOSAL,
        "unit": "Stab DI",
        "name": "Beitritt zur interkommunalen Kooperation Open-Data-Portal im Musterkreis",
        "proposal": "Der Rat beschließt den Beitritt zur Kooperationsvereinbarung des "
        "Musterkreises über ein gemeinsames Open-Data-Portal.",
        "reasoning": "Kreis und Kommunen betreiben ein gemeinsames Portal. Die Stadt spart "
        "eigene Betriebskosten und ihre Daten werden mit denen der Nachbarn auffindbar.",
        "measures": ["Open-Data-Portal"],
        "route": [("hfda", "h2", PRE, O.ADOPTED, U), ("rat", "r2", DEC, O.ADOPTED, U)],
        "follow_up": (
            "Stab DI",
            45,
            FollowUpState.IN_PROGRESS,
            [
                (2, "Kooperationsvereinbarung unterzeichnet an den Kreis gesandt."),
            ],
        ),
    },
    {
        "key": "haushalt",
        "type": P.PROPOSAL,
        "unit": "FB 20",
        "name": "Haushalt 2027: Budget der Digitalen Agenda",
        "proposal": "Der Rat beschließt das Budget der Digitalen Agenda für 2027 in Höhe von "
        "3,4 Mio. Euro gemäß Anlage 1 als Teil des Haushalts 2027.",
        "reasoning": "Das Budget umfasst die Maßnahmen des Maßnahmenplans 2027. Rund 40 % "
        "sind durch Fördermittel gedeckt.",
        "route": [("hfda", "h3", PRE, None, None), ("rat", "r3", DEC, None, None)],
    },
    {
        "key": "datenplattform",
        "type": P.PROPOSAL,
        "unit": "Amt 12",
        "reporter": "schmitz",
        "name": "Grundsatzbeschluss Datenplattform und Kennzahlen-Dashboard der Verwaltung",
        "proposal": "Der Rat beschließt den Aufbau einer Datenplattform für Kennzahlen der "
        "Verwaltung.",
        "reasoning": "Kennzahlen liegen heute in vielen Tabellen verteilt. Eine gemeinsame "
        "Plattform macht sie vergleichbar und speist das City Cockpit.",
        "measures": ["Datenplattform und Kennzahlen-Dashboard der Verwaltung"],
        "route": [("hfda", "h3", PRE, None, None), ("rat", "r3", DEC, None, None)],
    },
    {
        "key": "senioren",
        "type": P.MOTION,
        "faction": "sl",
        "reporter": "quast",
        "name": "Antrag der Fraktion Soziale Liste: Digitalsprechstunden für Seniorinnen und "
        "Senioren in den Stadtteilbibliotheken",
        "proposal": "Die Verwaltung wird beauftragt, gemeinsam mit dem Seniorenbeirat "
        "wöchentliche Digitalsprechstunden in den Stadtteilbibliotheken anzubieten.",
        "reasoning": "Ältere Menschen brauchen Unterstützung, um digitale Angebote der Stadt "
        "zu nutzen. Ehrenamtliche Digitalbotschafterinnen und -botschafter stehen bereit.",
        "route": [("uad", "ua3", PRE, None, None), ("rat", 45, DEC, None, None)],
    },
    {
        "key": "ozg",
        "type": P.NOTICE,
        "unit": "Stab DI",
        "name": "Sachstand der OZG-Umsetzung: 48 Leistungen im Serviceportal",
        "reasoning": "Im Serviceportal sind 48 Leistungen vollständig online. Die meistgenutzten "
        "sind Anwohnerparkausweis, Meldebescheinigung und Gewerbeanmeldung.",
        "measures": ["OZG-Leistungen im Serviceportal"],
        "route": [("hfda", "h3", NOTE, None, None), ("rat", "r3", NOTE, None, None)],
    },
    {
        "key": "abhol_anfrage",
        "type": P.INQUIRY,
        "faction": "bl",
        "reporter": "cramer",
        "name": "Anfrage der Fraktion Bürgerliste zu Kosten und Nutzung der Abholstationen für "
        "Ausweisdokumente",
        "reasoning": "Wir fragen: 1. Was kosten Beschaffung und Betrieb? 2. Wie viele "
        "Dokumente sollen jährlich darüber ausgegeben werden?",
        "route": [("hfda", "h3", NOTE, None, None)],
    },
    {
        "key": "schule_sb",
        "type": P.STATUS_REPORT,
        "unit": "Amt 40",
        "name": "Sachstandsbericht Digitale Schule – Schuljahr 2026/27",
        "reasoning": "Acht von elf Schulen sind vollständig ausgestattet. Die Lernplattform "
        "startet nach erneuter Ausschreibung im zweiten Schulhalbjahr.",
        "measures": ["Digitale Schule"],
        "route": [("hfda", "h3", NOTE, None, None), ("rat", "r3", NOTE, None, None)],
    },
    {
        "key": "themengruppen",
        "type": P.NOTICE,
        "unit": "Stab DI",
        "name": "Ergebnisse der Themengruppen der Digitalen Agenda 2026",
        "reasoning": "Die fünf Themengruppen haben 2026 insgesamt 23 Vorschläge erarbeitet, "
        "davon sind neun in den Maßnahmenplan 2027 eingeflossen.",
        "route": [("uad", "ua3", NOTE, None, None), ("hfda", 52, NOTE, None, None)],
    },
    {
        "key": "licht",
        "type": P.PROPOSAL,
        "unit": "Amt 65",
        "state": PaperState.SIGNING,
        "name": "Smarte Straßenbeleuchtung: Pilotprojekt in zwei Quartieren",
        "proposal": "Der Rat beschließt ein Pilotprojekt mit bedarfsgesteuerter "
        "Straßenbeleuchtung in der Altstadt und im Quartier Am Mühlbach.",
        "reasoning": "Bedarfsgesteuerte Leuchten dimmen bei wenig Verkehr und sparen bis zu "
        "60 % Strom. Der Pilot soll Akzeptanz und Einsparung messen.",
        "route": [("uad", "ua3", PRE, None, None), ("rat", 45, DEC, None, None)],
    },
    {
        "key": "messnetz",
        "type": P.PROPOSAL,
        "unit": "Amt 70",
        "state": PaperState.DRAFT,
        "name": "Messnetz für Luftqualität und Stadtklima: Beschaffung der Sensoren",
        "proposal": "Der Rat beschließt die Beschaffung von 40 Sensoren für Luftqualität und "
        "Temperatur.",
        "reasoning": "Entwurf – die Kostenschätzung wird noch abgestimmt.",
        "measures": ["Messnetz für Luftqualität und Stadtklima"],
        "route": [("uad", 70, PRE, None, None), ("rat", 90, DEC, None, None)],
    },
]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BERLIN)


def _weekday(day: datetime.date, last: int) -> datetime.date:
    """The day itself, or the weekday ``last`` (0 Monday … 4 Friday) before it."""
    return day - datetime.timedelta(days=max(0, day.weekday() - last))


def load(out) -> None:
    body = Body.objects.filter(slug=BODY).first()
    if body is None:
        return
    member_user = _account(*MEMBER_ACCOUNT)
    if LegislativeTerm.objects.filter(body=body, name=TERM[0]).exists():
        return
    today = timezone.localdate()
    CouncilSettings.objects.get_or_create(body=body)
    term = LegislativeTerm.objects.create(
        body=body, name=TERM[0], start_date=TERM[1], end_date=TERM[2]
    )
    organizations = _organizations(body, term)
    persons = _persons(body, organizations, term, member_user)
    meetings = _meetings(body, organizations, term, today)
    papers, decisions = _papers(body, organizations, persons, meetings, today)
    out.write(
        f"  Ratsarbeit Musterstadt: {len(organizations)} Gremien, {len(persons)} Personen, "
        f"{len(meetings)} Sitzungen, {len(papers)} Vorlagen, {decisions} Beschlüsse."
    )


def _organizations(body: Body, term: LegislativeTerm) -> dict[str, Organization]:
    organizations = {}
    for key, (name, short, kind, parent, rhythm, statutory, text) in ORGANIZATIONS.items():
        organizations[key] = Organization.objects.create(
            body=body,
            name=name,
            short_name=short,
            organization_type=kind,
            parent=organizations.get(parent),
            start_date=term.start_date,
            meeting_rhythm=rhythm,
            statutory_members=statutory,
            description=text,
        )
    return organizations


def _persons(body, organizations, term, member_user) -> dict[str, Person]:
    persons = {
        key: Person.objects.create(
            body=body,
            form_of_address=form,
            title=title,
            given_name=given,
            family_name=family,
            user=member_user if key == "ostermann" else None,
        )
        for key, (form, title, given, family) in PERSONS.items()
    }
    start = term.start_date
    seats = [("rat", "albers", R.CHAIR, True, None)]
    for faction, members in FACTION_MEMBERS.items():
        for key in members:
            role = R.DEPUTY_CHAIR if key == "falk" else R.MEMBER
            seats.append(("rat", key, role, True, faction))
            faction_role = R.CHAIR if FACTION_CHAIRS[faction] == key else R.MEMBER
            seats.append((faction, key, faction_role, True, None))
    for key, faction in EXTRA_COUNCIL.items():
        seats.append(("rat", key, R.MEMBER, True, faction))
        seats.append((faction, key, R.MEMBER, True, None))
    seats += COMMITTEE_SEATS
    Membership.objects.bulk_create(
        Membership(
            person=persons[person],
            organization=organizations[organization],
            role=role,
            voting_right=voting,
            on_behalf_of=organizations.get(faction),
            start_date=start,
        )
        for organization, person, role, voting, faction in seats
    )
    return persons


def _meetings(body, organizations, term, today) -> dict[str, Meeting]:
    meetings = {}
    for key, (org, name, days, (hour, minute), minutes, place, state, hybrid) in MEETINGS.items():
        start = _at(_weekday(today + datetime.timedelta(days=days), last=3), hour, minute)
        meetings[key] = _meeting(
            body, [organizations[org]], term, name, start, minutes, place, state, hybrid
        )
    # The last Wednesday before today.
    wednesday = today - datetime.timedelta(days=(today.weekday() - 2) % 7 or 7)
    ag = organizations["ag"]
    for weeks, state, quarterly, agenda in AG_MEETINGS:
        day = wednesday + datetime.timedelta(weeks=weeks)
        name = "Sitzung der AG „Digitalisierung der Verwaltung“"
        if quarterly:
            name += " (Quartalssitzung mit der Bürgermeisterin)"
        meeting = _meeting(body, [ag], term, name, _at(day, 10), 90, STADTHAUS, state, False)
        for order, (title, result) in enumerate(agenda, start=1):
            AgendaItem.objects.create(
                meeting=meeting,
                order=order,
                number=f"Ö {order}",
                name=title,
                result=result if state == MeetingState.HELD else "",
            )
        meetings[f"ag{weeks}"] = meeting
    return meetings


def _meeting(body, organizations, term, name, start, minutes, place, state, hybrid):
    meeting = Meeting.objects.create(
        body=body,
        name=name,
        start=start,
        end=start + datetime.timedelta(minutes=minutes),
        location=place,
        state=state,
        is_hybrid=hybrid,
        video_url=VIDEO_URL if hybrid else "",
        legislative_term=term,
    )
    meeting.organizations.set(organizations)
    return meeting


def _papers(body, organizations, persons, meetings, today):
    units = {unit.code: unit for unit in OrgUnit.objects.filter(body=body)}
    clerk = User.objects.filter(email=f"sitzungsdienst@{body.slug}.example").first()
    signer = User.objects.filter(email=f"verwaltung@{body.slug}.example").first()
    measures = {m.title: m for m in Measure.objects.filter(body=body)}

    def step_date(step) -> datetime.date:
        where = step[1]
        if isinstance(where, int):
            return today + datetime.timedelta(days=where)
        return meetings[where].start.astimezone(BERLIN).date()

    papers = {}
    paper_numbers: dict[int, int] = {}
    specs = sorted(
        PAPERS,
        key=lambda s: step_date(s["route"][0]) - datetime.timedelta(s.get("days_before", 21)),
    )
    for spec in specs:
        date = step_date(spec["route"][0]) - datetime.timedelta(days=spec.get("days_before", 21))
        date = min(_weekday(date, last=4), today)
        state = spec.get("state", PaperState.RELEASED)
        reference = ""
        if state == PaperState.RELEASED:
            paper_numbers[date.year] = paper_numbers.get(date.year, FIRST_PAPER_NUMBER) + 1
            reference = f"{date:%y}/{paper_numbers[date.year]:04d}"
        unit = units.get(spec.get("unit"))
        paper = Paper.objects.create(
            body=body,
            reference=reference,
            paper_type=spec["type"],
            name=spec["name"],
            date=date,
            state=state,
            is_public=spec.get("public", True),
            originator_unit=unit,
            originator_organization=organizations.get(spec.get("faction")),
            reporter=persons.get(spec.get("reporter")),
            decision_proposal=spec.get("proposal", ""),
            reasoning=spec["reasoning"],
            follow_up_wanted="follow_up" in spec,
            follow_up_unit=units.get(spec["follow_up"][0]) if "follow_up" in spec else None,
            follow_up_due=(
                today + datetime.timedelta(days=spec["follow_up"][1])
                if "follow_up" in spec
                else None
            ),
            supplements=papers.get(spec.get("supplements")),
            released_at=_at(date, 11) if reference else None,
            released_by=clerk if reference else None,
        )
        for key in spec.get("related", []):
            paper.related_papers.add(papers[key])
        paper.measures.set(measures[title] for title in spec.get("measures", []))
        if spec["type"] in (PaperType.PROPOSAL, PaperType.SUPPLEMENT):
            _assessment_from_measure(paper, [measures[t] for t in spec.get("measures", [])])
        if unit is not None:
            _signoffs(paper, unit, units, signer, state)
        papers[spec["key"]] = paper

    decisions = []
    items: dict[int, list] = {}
    for spec in specs:
        paper = papers[spec["key"]]
        for order, step in enumerate(spec["route"], start=1):
            org, where, role, outcome, votes = step
            consultation = Consultation.objects.create(
                paper=paper,
                organization=organizations[org],
                meeting=None if isinstance(where, int) else meetings[where],
                planned_date=step_date(step) if isinstance(where, int) else None,
                role=role,
                authoritative=role == DEC,
                is_public=paper.is_public,
                order=order,
            )
            if consultation.meeting_id:
                items.setdefault(consultation.meeting_id, []).append(
                    (consultation, spec, outcome, votes)
                )
    for key, meeting in meetings.items():
        if key.startswith("ag"):
            continue
        decisions += _agenda(meeting, items.get(meeting.pk, []), organizations, clerk)

    decision_numbers: dict[int, int] = {}
    for decision, spec in sorted(decisions, key=lambda d: (d[0].date, d[0].agenda_item_id)):
        year = decision.date.year
        decision_numbers[year] = decision_numbers.get(year, FIRST_DECISION_NUMBER) + 1
        decision.number = f"{decision_numbers[year]}/{decision.date:%y}"
        decision.save(update_fields=["number"])
        consultation = decision.agenda_item.consultation
        if consultation.authoritative and decision.outcome in ADOPTING:
            _decide_measures(consultation.paper, decision)
            if "follow_up" in spec:
                _follow_up(body, decision, spec, units, signer, today)
    for kind, numbers in (
        (NumberSequence.Kind.PAPER, paper_numbers),
        (NumberSequence.Kind.DECISION, decision_numbers),
    ):
        for year, last in numbers.items():
            NumberSequence.objects.update_or_create(
                body=body, kind=kind, year=year, defaults={"last": last}
            )
    return papers, len(decisions)


def _assessment_from_measure(paper: Paper, linked: list[Measure]) -> None:
    """A Beschlussvorlage carries the impact blocks and E-Government-Check of the measure it
    asks the council to adopt: the demo copies the first linked measure's."""
    source = next((m for m in linked if m.impacts_id), None)
    if source is None:
        return
    impacts = ImpactAssessment.objects.get(pk=source.impacts_id)
    impacts.pk = None
    impacts.save()
    paper.impacts = impacts
    check = DigitalCheck.objects.filter(measure=source).first()
    if check is not None:
        answers = list(check.answers.all())
        check.pk, check.id, check.measure = None, None, None
        check.save()
        for answer in answers:
            answer.pk, answer.digital_check = None, check
        CheckAnswer.objects.bulk_create(answers)
        paper.digital_check = check
    paper.save(update_fields=["impacts", "digital_check"])


def _signoffs(paper, unit, units, signer, state) -> None:
    others = [code for code in ("FB 20", "Stab DI", "Amt 12") if units.get(code) != unit][:2]
    for number, code in enumerate(others):
        if state == PaperState.RELEASED:
            signed = SignoffState.COMMENTED if paper.pk % 4 == 0 and number else None
            signed = signed or SignoffState.APPROVED
        elif state == PaperState.SIGNING:
            signed = SignoffState.APPROVED if number == 0 else SignoffState.OPEN
        else:
            continue
        Signoff.objects.create(
            paper=paper,
            unit=units[code],
            required=True,
            state=signed,
            comment=(
                "Die Folgekosten ab dem dritten Jahr bitte im Haushalt ausweisen."
                if signed == SignoffState.COMMENTED
                else ""
            ),
            signed_by=signer if signed != SignoffState.OPEN else None,
            signed_at=_at(paper.date - datetime.timedelta(days=2), 9)
            if signed != SignoffState.OPEN
            else None,
        )


def _agenda(meeting, treated, organizations, clerk) -> list:
    """Number the agenda as German practice does and record the decisions of a held
    meeting."""
    held = meeting.state == MeetingState.HELD
    public = [("Eröffnung der Sitzung und Feststellung der Beschlussfähigkeit", None)]
    public.append(("Genehmigung der Niederschrift der letzten Sitzung", None))
    non_public = []
    for entry in treated:
        (public if entry[0].is_public else non_public).append((entry[0].paper.name, entry))
    public.append(("Mitteilungen der Verwaltung und Anfragen", None))
    decisions = []
    order = 0
    for prefix, entries in (("Ö", public), ("N", non_public)):
        for number, (name, entry) in enumerate(entries, start=1):
            order += 1
            item = AgendaItem.objects.create(
                meeting=meeting,
                order=order,
                number=f"{prefix} {number}",
                name=name,
                is_public=prefix == "Ö",
                consultation=entry[0] if entry else None,
            )
            if entry is None or not held:
                continue
            consultation, spec, outcome, votes = entry
            resolution = spec.get("resolution") or consultation.paper.decision_proposal
            if outcome not in ADOPTING:
                resolution = ""
            item.result = str(DecisionOutcome(outcome).label)
            item.resolution_text = resolution
            item.save(update_fields=["result", "resolution_text"])
            decision = Decision(
                body=meeting.body,
                agenda_item=item,
                outcome=outcome,
                referred_to=organizations["uad"] if outcome == O.REFERRED else None,
                resolution_text=resolution,
                unanimous=votes == U,
                date=meeting.start.astimezone(BERLIN).date(),
                created_by=clerk,
            )
            if isinstance(votes, tuple):
                decision.votes_for, decision.votes_against, decision.abstentions = votes
            decision.save()
            decisions.append((decision, spec))
    return decisions


def _decide_measures(paper: Paper, decision: Decision) -> None:
    """A final adopting decision moves a prioritised measure to beschlossen; measures the
    strategy demo has moved further stay where they are."""
    for measure in paper.measures.all():
        if measure.status != MeasureStatus.PRIORITISED:
            continue
        MeasureTransition.objects.create(
            measure=measure,
            from_status=measure.status,
            to_status=MeasureStatus.DECIDED,
            reason=f"Beschluss {decision.number} ({paper.reference})",
            at=_at(decision.date, 20),
        )
        measure.status = MeasureStatus.DECIDED
        measure.save(update_fields=["status", "updated_at"])


def _follow_up(body, decision, spec, units, author, today) -> None:
    code, due_days, state, notes = spec["follow_up"]
    done = spec.get("done_days_ago")
    follow_up = FollowUp.objects.create(
        body=body,
        decision=decision,
        unit=units[code],
        due_date=today + datetime.timedelta(days=due_days),
        state=state,
        done_on=today - datetime.timedelta(days=done) if done else None,
    )
    for days_ago, text in notes:
        FollowUpNote.objects.create(
            follow_up=follow_up,
            text=text,
            author=author,
            created_at=_at(today - datetime.timedelta(days=days_ago), 14),
        )
