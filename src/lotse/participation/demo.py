"""Demo participation: "Digitaler Aufbruch Musterstadt" with ideas, discussion, moderation and
a World Café; a permanent idea platform for Beispielstadt; and, for
``lotse participation_scale``, a large town's 50,000 ideas with half a million comments,
supports and ratings.

Everything is invented. Rows are written directly (the services would send e-mails and
notifications for every act); counters are computed from the rows written, and the search
index is rebuilt for the body at the end.
"""

import datetime
import random
import time

from django.utils import timezone

from lotse.accounts.demo import _account
from lotse.accounts.models import User
from lotse.core.models import Body
from lotse.participation import search
from lotse.participation.models import (
    Comment,
    GuidingQuestion,
    Idea,
    IdeaState,
    ModerationAction,
    Phase,
    PhaseKind,
    Process,
    Rating,
    Report,
    ReportReason,
    Support,
    Workshop,
    WorkshopResult,
    WorkshopTopic,
)
from lotse.strategy.models import ActionField, Measure
from lotse.strategy.selectors import current_strategy

PROCESS_SLUG = "digitaler-aufbruch"
PERMANENT_SLUG = "ideenplattform"
WORKSHOP_TITLE = "World Café „Digitaler Aufbruch“"

# Invented citizens who take part (e-mail local part, display name).
CITIZENS = [
    ("anna.becker", "Anna Becker"),
    ("mehmet.yilmaz", "Mehmet Yılmaz"),
    ("jonas.krueger", "Jonas Krüger"),
    ("sabine.hoffmann", "Sabine Hoffmann"),
    ("lena.schulz", "Lena Schulz"),
    ("peter.wagner", "Peter Wagner"),
    ("fatma.demir", "Fatma Demir"),
    ("klaus.richter", "Klaus Richter"),
    ("marie.neumann", "Marie Neumann"),
    ("tim.schaefer", "Tim Schäfer"),
]
CITIZEN_DOMAIN = "mitmachen.example"

# (topic, title, text, author number: index into CITIZENS, -1 is the general demo citizen)
MUSTERSTADT_IDEAS = [
    (
        "Bildung",
        "WLAN in allen Klassenräumen",
        (
            "In vielen Klassenräumen gibt es noch kein stabiles WLAN. Tablets liegen deshalb "
            "oft ungenutzt im Schrank."
        ),
        0,
    ),
    (
        "Bildung",
        "Leihgeräte für Schülerinnen und Schüler",
        (
            "Nicht jede Familie kann ein Tablet oder einen Laptop kaufen. Die Stadt sollte "
            "Leihgeräte über die Schulen ausgeben."
        ),
        4,
    ),
    (
        "Bildung",
        "Digitale Elternbriefe statt Zettelwirtschaft",
        (
            "Elternbriefe kommen oft zerknittert oder gar nicht an. Eine sichere App oder "
            "E-Mail würde helfen."
        ),
        3,
    ),
    (
        "Bildung",
        "Programmier-AGs an Grundschulen",
        (
            "Kinder sollten früh spielerisch lernen, wie Computer funktionieren – etwa mit "
            "Calliope oder Scratch."
        ),
        8,
    ),
    (
        "Mobilität/Logistik",
        "Echtzeit-Anzeige für Busse an allen Haltestellen",
        (
            "An den meisten Haltestellen steht nur der Fahrplan. Eine Echtzeitanzeige (oder "
            "QR-Code) würde das Warten erleichtern."
        ),
        1,
    ),
    (
        "Mobilität/Logistik",
        "Freie Parkplätze in der Innenstadt online anzeigen",
        (
            "Viele suchen lange nach einem Parkplatz. Sensoren könnten die freien Plätze in "
            "einer App zeigen."
        ),
        5,
    ),
    (
        "Mobilität/Logistik",
        "Sichere Fahrradstellplätze am Bahnhof buchen",
        "Abschließbare Fahrradboxen am Bahnhof, online buchbar und per Handy zu öffnen.",
        2,
    ),
    (
        "Mobilität/Logistik",
        "Mängelmelder für Radwege",
        "Schlaglöcher und Scherben auf Radwegen sollten sich mit Foto und Ort melden lassen.",
        6,
    ),
    (
        "Einzelhandel",
        "Online-Schaufenster für lokale Geschäfte",
        (
            "Eine gemeinsame Seite, auf der die Läden der Innenstadt ihre Angebote zeigen "
            "und reservieren lassen."
        ),
        7,
    ),
    (
        "Einzelhandel",
        "Stadtgutschein digital",
        (
            "Den Musterstadt-Gutschein als digitale Karte, die man online aufladen und "
            "verschenken kann."
        ),
        9,
    ),
    (
        "Energie/Umwelt",
        "Energieverbrauch städtischer Gebäude veröffentlichen",
        "Die Verbrauchsdaten von Schulen, Rathaus und Hallen sollten monatlich online stehen.",
        3,
    ),
    (
        "Energie/Umwelt",
        "Smarte Straßenbeleuchtung",
        (
            "Straßenlaternen, die bei wenig Verkehr dimmen und bei Bewegung heller werden, "
            "sparen Strom."
        ),
        5,
    ),
    (
        "Energie/Umwelt",
        "Sensoren für Bodenfeuchte an Stadtbäumen",
        "Mit Sensoren weiß der Bauhof, welche Bäume im Sommer wirklich Wasser brauchen.",
        8,
    ),
    (
        "Gesundheit/Pflege",
        "Digitale Sprechstunde für pflegende Angehörige",
        "Pflegeberatung per Video, auch abends, damit Berufstätige sie nutzen können.",
        0,
    ),
    (
        "Gesundheit/Pflege",
        "Tablet-Kurse für Seniorinnen und Senioren",
        (
            "Ehrenamtliche zeigen älteren Menschen im Stadtteiltreff, wie Videotelefonie und "
            "Online-Banking gehen."
        ),
        7,
    ),
    (
        "Bauen/Wohnen",
        "Bauanträge komplett online einreichen",
        "Pläne ausdrucken und in fünffacher Ausfertigung abgeben ist nicht mehr zeitgemäß.",
        9,
    ),
    (
        "Bauen/Wohnen",
        "Baustellen-Karte mit Dauer und Umleitungen",
        "Eine Karte aller Baustellen in der Stadt, mit geplanter Dauer und Umleitungen.",
        2,
    ),
    (
        "Zugang/Interaktion Multikanal",
        "Bürgerbüro-Termine online buchen",
        (
            "Termine für Ausweis und Ummeldung sollten jederzeit online buchbar sein, mit "
            "Erinnerung per SMS."
        ),
        -1,
    ),
    (
        "Zugang/Interaktion Multikanal",
        "Chat mit der Verwaltung",
        "Einfache Fragen (Öffnungszeiten, Unterlagen) per Chat klären statt in der Warteschleife.",
        4,
    ),
    (
        "Zugang/Interaktion Multikanal",
        "Online-Terminvergabe für das Bürgerbüro",
        (
            "Bitte endlich Termine im Bürgerbüro online vergeben – Wartemarken am Morgen "
            "sind unzumutbar."
        ),
        6,
    ),
    (
        "Zugang/Interaktion Multikanal",
        "Leichte Sprache auf der Stadt-Website",
        "Die wichtigsten Seiten der Stadt sollten auch in Leichter Sprache verfügbar sein.",
        8,
    ),
    (
        "Digitale Verwaltungsprozesse",
        "Ummeldung ohne Behördengang",
        "Die Ummeldung nach einem Umzug sollte vollständig online möglich sein.",
        1,
    ),
    (
        "Digitale Verwaltungsprozesse",
        "Hundesteuer online an- und abmelden",
        "Ein einfaches Online-Formular statt Papierantrag für die Hundesteuer.",
        5,
    ),
    (
        "Digitale Verwaltungsprozesse",
        "Papierlose Ratsarbeit",
        "Ratsmitglieder sollten alle Unterlagen digital bekommen; das spart Papier und Botengänge.",
        3,
    ),
    (
        "Mobile Government",
        "Musterstadt-App mit Abfallkalender",
        "Eine App mit Abfallkalender, Erinnerungen und Meldungen der Stadt.",
        0,
    ),
    (
        "Mobile Government",
        "Parkschein per Handy bezahlen",
        "Handyparken in der ganzen Innenstadt, ohne Kleingeld.",
        9,
    ),
    (
        "Mobile Government",
        "Bürgerbeteiligung per App",
        "Eine App, mit der man Vorschläge machen und über Projekte abstimmen kann.",
        2,
    ),
    (
        "Data Driven Government",
        "Verkehrszählungen als offene Daten",
        (
            "Die Daten der Verkehrszählungen sollten offen verfügbar sein, damit Initiativen "
            "sie nutzen können."
        ),
        7,
    ),
    (
        "Data Driven Government",
        "Dashboard zur Luftqualität",
        "Messwerte zu Feinstaub und Stickoxiden an den Hauptstraßen live im Netz.",
        4,
    ),
    (
        "Push statt Pull",
        "Kindergeld und Elterngeld automatisch",
        "Nach der Geburt sollten Leistungen ohne neuen Antrag starten – die Daten liegen ja vor.",
        6,
    ),
    (
        "Push statt Pull",
        "Erinnerung an ablaufenden Personalausweis",
        "Die Stadt könnte per E-Mail erinnern, bevor der Ausweis abläuft.",
        8,
    ),
    (
        "Wirtschaftsförderung 2.0",
        "Gründungsberatung per Videocall",
        "Erstberatung für Gründerinnen und Gründer auch online.",
        1,
    ),
    (
        "Innovationsinfrastruktur",
        "Freies WLAN in der Fußgängerzone",
        "Kostenloses WLAN in der Innenstadt macht sie für Gäste und Handel attraktiver.",
        5,
    ),
    (
        "Innovationsinfrastruktur",
        "Kostenloses WLAN in der Innenstadt",
        "Bitte öffentliches WLAN in der Innenstadt, vor allem rund um den Marktplatz.",
        9,
    ),
    (
        "Infrastruktur für Kreative",
        "Makerspace in der Stadtbibliothek",
        "3D-Drucker, Lasercutter und Werkzeug für alle, betreut von Ehrenamtlichen.",
        4,
    ),
    (
        "Industrie 4.0",
        "Digitalisierungsberatung für Handwerksbetriebe",
        "Kleine Betriebe brauchen Hilfe bei Förderanträgen und der Auswahl von Software.",
        7,
    ),
    (
        "Digitale Berufsbildung",
        "Ausbildung in der Verwaltung mit digitalen Schwerpunkten",
        (
            "Mehr Ausbildungsplätze für Fachinformatik und Verwaltungsinformatik in der "
            "Stadtverwaltung."
        ),
        3,
    ),
    (
        "Transparenz und Beteiligung",
        "Ratssitzungen im Livestream",
        "Ratssitzungen sollten live übertragen und als Video abrufbar sein.",
        0,
    ),
    (
        "Transparenz und Beteiligung",
        "Haushalt verständlich erklärt",
        "Ein interaktiver Haushalt, der zeigt, wofür die Stadt ihr Geld ausgibt.",
        2,
    ),
    (
        "City Cockpit",
        "Fortschritt der Digitalen Agenda anzeigen",
        "Eine Übersicht, welche Maßnahmen wie weit sind – mit Ampel.",
        -1,
    ),
    (
        "Open Data",
        "Open-Data-Portal mit Haltestellen und Spielplätzen",
        "Geodaten zu Haltestellen, Spielplätzen und Toiletten als offene Daten.",
        6,
    ),
    (
        "Open Data",
        "Sitzungsdaten über eine offene Schnittstelle",
        "Tagesordnungen und Beschlüsse über eine OParl-Schnittstelle bereitstellen.",
        1,
    ),
    (
        "Bildung",
        "Werbung für private Nachhilfe-Plattform",
        "Besuchen Sie unsere Seite für günstige Nachhilfe!!! Jetzt Rabattcode sichern.",
        5,
    ),
    (
        "Mobilität/Logistik",
        "Beschwerde über Nachbarn",
        "Mein Nachbar (Name und Adresse siehe unten) parkt immer falsch.",
        9,
    ),
]

# Titles of ideas with what the administration did (see _outcomes).
SPAM, PERSONAL = "Werbung für private Nachhilfe-Plattform", "Beschwerde über Nachbarn"
MERGED, MERGED_INTO = "Online-Terminvergabe für das Bürgerbüro", "Bürgerbüro-Termine online buchen"
WLAN = "Freies WLAN in der Fußgängerzone"
TO_MEASURES = {
    "Bürgerbeteiligung per App": "Bürgerbeteiligungs-App",
    WLAN: "WLAN in öffentlichen Bereichen",
    "Ratssitzungen im Livestream": "Livestream der Ratssitzungen",
    "Open-Data-Portal mit Haltestellen und Spielplätzen": "Open-Data-Portal",
    MERGED_INTO: "Online-Terminvergabe im Bürgerbüro",
}
REJECTED = {
    "Parkschein per Handy bezahlen": (
        "Handyparken gibt es bereits über die bundesweiten Park-Apps; eine eigene städtische "
        "Lösung wäre teurer und brächte keinen Vorteil."
    ),
    "Stadtgutschein digital": (
        "Der Stadtgutschein wird von der Werbegemeinschaft herausgegeben, nicht von der Stadt. "
        "Wir haben den Vorschlag dorthin weitergegeben."
    ),
}
IN_REVIEW = {
    "Smarte Straßenbeleuchtung": (
        "Die Stadtwerke prüfen einen Testbetrieb in zwei Straßen. Ergebnis bis Jahresende."
    ),
    "Bauanträge komplett online einreichen": (
        "Der digitale Bauantrag ist in Vorbereitung; wir melden uns, sobald der Start feststeht."
    ),
    "Kindergeld und Elterngeld automatisch": (
        "Kindergeld zahlt die Familienkasse des Bundes; für das Elterngeld prüfen wir mit dem "
        "Kreis einen antragslosen Ablauf."
    ),
}
IMPLEMENTED = {
    "Musterstadt-App mit Abfallkalender": (
        "Der Abfallkalender ist seit dem Frühjahr in der Musterstadt-App – mit Erinnerung am "
        "Vorabend."
    ),
}

COMMENTS = [
    "Sehr gute Idee, das würde vielen helfen.",
    "Wie soll das finanziert werden?",
    "In der Nachbarstadt gibt es das schon – funktioniert prima.",
    "Bitte an den Datenschutz denken!",
    "Ich unterstütze das, aber bitte auch für Menschen ohne Smartphone.",
    "Das steht doch schon in der Digitalen Agenda, oder?",
    "Wichtig wäre, dass es barrierefrei ist.",
    "Endlich schlägt das mal jemand vor.",
    "Ich sehe andere Dinge als dringender an.",
    "Gibt es dazu schon Zahlen, wie viele das nutzen würden?",
]
REPLIES = [
    "Genau das habe ich auch gedacht.",
    "Fördermittel des Landes könnten helfen.",
    "Das sehe ich anders, aber guter Punkt.",
    "Danke für den Hinweis!",
]


def _now():
    return timezone.now()


def _citizens() -> list[User]:
    return [_account(f"{local}@{CITIZEN_DOMAIN}", name) for local, name in CITIZENS]


def _phases(process: Process, spec: list[tuple[str, int, int | None]]) -> None:
    now = _now()
    Phase.objects.bulk_create(
        [
            Phase(
                process=process,
                kind=kind,
                start=now + datetime.timedelta(days=start),
                end=now + datetime.timedelta(days=end) if end is not None else None,
            )
            for kind, start, end in spec
        ]
    )


def _topics(body: Body) -> tuple[list[ActionField], dict[str, ActionField]]:
    strategy = current_strategy(body)
    fields = list(ActionField.objects.filter(strategy=strategy)) if strategy else []
    return fields, {f.title: f for f in fields if f.parent_id}


def _interactions(
    rng: random.Random, idea: Idea, people: list[User], popularity: int
) -> tuple[list[Support], list[Rating], list[tuple[Comment, list[Comment]]]]:
    """Supports, ratings and a small discussion for one idea of the demo."""
    others = [p for p in people if p.pk != idea.author_id]
    supporters = rng.sample(others, min(popularity, len(others)))
    supports = [
        Support(idea=idea, user=u, created_at=idea.created_at + datetime.timedelta(hours=3 + n))
        for n, u in enumerate(supporters)
    ]
    raters = rng.sample(others, min(max(popularity - 1, 0), len(others)))
    ratings = [
        Rating(idea=idea, user=u, value=rng.choice([2, 3, 4, 4, 5, 5]), created_at=idea.created_at)
        for u in raters
    ]
    threads = []
    for n in range(rng.randint(0, 3)):
        when = idea.created_at + datetime.timedelta(days=1 + n)
        comment = Comment(
            idea=idea, author=rng.choice(others), text=rng.choice(COMMENTS), created_at=when
        )
        replies = [
            Comment(
                idea=idea,
                author=rng.choice(people),
                text=rng.choice(REPLIES),
                created_at=when + datetime.timedelta(hours=2),
            )
            for _ in range(rng.randint(0, 2))
        ]
        threads.append((comment, replies))
    return supports, ratings, threads


def _write_interactions(supports, ratings, threads) -> None:
    Support.objects.bulk_create(supports)
    Rating.objects.bulk_create(ratings)
    Comment.objects.bulk_create([c for c, _ in threads])
    replies = []
    for comment, answers in threads:
        for reply in answers:
            reply.parent = comment
            replies.append(reply)
    Comment.objects.bulk_create(replies)


def recount(ideas) -> None:
    """Set the counters of ``ideas`` from their rows (comments: those not deleted)."""
    for idea in ideas:
        values = list(Rating.objects.filter(idea=idea).values_list("value", flat=True))
        idea.support_count = Support.objects.filter(idea=idea).count()
        idea.comment_count = Comment.objects.filter(idea=idea, deleted_at__isnull=True).count()
        idea.rating_count = len(values)
        idea.rating_sum = sum(values)
        idea.rating_mean = round(sum(values) / len(values), 2) if values else 0
        idea.report_count = Report.objects.filter(idea=idea).count()
    Idea.objects.bulk_update(
        ideas,
        [
            "support_count",
            "comment_count",
            "rating_count",
            "rating_sum",
            "rating_mean",
            "report_count",
        ],
    )


def _musterstadt(out) -> None:
    body = Body.objects.get(slug="musterstadt")
    if Process.objects.filter(body=body, slug=PROCESS_SLUG).exists():
        return
    rng = random.Random(4)  # noqa: S311 -- repeatable demo data, not a secret
    fields, topics = _topics(body)
    process = Process.objects.create(
        body=body,
        slug=PROCESS_SLUG,
        title="Digitaler Aufbruch Musterstadt",
        description=(
            "Was soll in Musterstadt digital besser werden? Sammeln Sie mit uns Ideen für die "
            "**Digitale Agenda**: in Schule und Verwaltung, für Mobilität, Umwelt und Handel.\n\n"
            "Nach der Sammelphase können alle Vorschläge kommentiert und bewertet werden. "
            "Die Verwaltung prüft sie und antwortet auf jeden Vorschlag."
        ),
        rating_question="Wie wichtig ist das für Musterstadt?",
    )
    process.action_fields.set(fields)
    _phases(
        process,
        [
            (PhaseKind.COLLECT, -45, 60),
            (PhaseKind.COMMENT_RATE, 60, 90),
            (PhaseKind.REVIEW, 90, 120),
            (PhaseKind.RESULT, 120, None),
        ],
    )
    people = _citizens()
    general = _account("buerger@lotse.example", "Berta Bürgerin")
    staff = User.objects.get(email="verwaltung@musterstadt.example")
    moderator = User.objects.get(email="moderation@musterstadt.example")
    now = _now()
    ideas = Idea.objects.bulk_create(
        [
            Idea(
                body=body,
                process=process,
                title=title,
                text=text,
                action_field=topics.get(topic),
                author=general if author < 0 else people[author],
                created_at=now - datetime.timedelta(days=44 - n, hours=n % 7),
            )
            for n, (topic, title, text, author) in enumerate(MUSTERSTADT_IDEAS)
        ]
    )
    by_title = {idea.title: idea for idea in ideas}
    everyone = [*people, general]
    supports, ratings, threads = [], [], []
    for n, idea in enumerate(ideas):
        s, r, t = _interactions(rng, idea, everyone, popularity=(n * 7) % 11)
        supports += s
        ratings += r
        threads += t
    _write_interactions(supports, ratings, threads)
    _outcomes(body, by_title, staff, moderator, people)
    recount(ideas)
    out.write(f"  Beteiligung Musterstadt: {len(ideas)} Ideen, {len(supports)} Unterstützungen.")


def _answer(idea: Idea, staff: User, state: str, text: str, days_ago: int = 3) -> None:
    idea.state = state
    idea.answer = text
    idea.answered_at = _now() - datetime.timedelta(days=days_ago)
    idea.answered_by = staff
    if state == IdeaState.REJECTED:
        idea.state_reason = text
    idea.save()


def _outcomes(body, by_title, staff, moderator, people) -> None:
    """Answers, states, measures, the merge and moderation of the Musterstadt demo."""
    measures = {
        m.title: m for m in Measure.objects.filter(body=body, title__in=TO_MEASURES.values())
    }
    for title, measure_title in TO_MEASURES.items():
        idea = by_title[title]
        idea.measure = measures.get(measure_title)
        _answer(
            idea,
            staff,
            IdeaState.ACCEPTED,
            f"Danke für den Vorschlag! Er ist Teil der Maßnahme „{measure_title}“ geworden; "
            "den Fortschritt sehen Sie auf der Seite der Maßnahme.",
        )
    for title, reason in REJECTED.items():
        _answer(by_title[title], staff, IdeaState.REJECTED, reason)
    for title, text in IN_REVIEW.items():
        _answer(by_title[title], staff, IdeaState.IN_REVIEW, text, days_ago=10)
    for title, text in IMPLEMENTED.items():
        _answer(by_title[title], staff, IdeaState.IMPLEMENTED, text, days_ago=20)

    # A duplicate merged: its supports move over, counted once per person. (The two WLAN
    # ideas stay look-alikes, for the similar-idea hints.)
    duplicate, target = by_title[MERGED], by_title[MERGED_INTO]
    already = list(Support.objects.filter(idea=target).values_list("user_id", flat=True))
    Support.objects.filter(idea=duplicate).exclude(user_id__in=already).update(idea=target)
    Support.objects.filter(idea=duplicate).delete()
    duplicate.state = IdeaState.MERGED
    duplicate.merged_into = target
    duplicate.answer = "Dieser Vorschlag wurde mit einem gleichartigen zusammengeführt."
    duplicate.answered_at = _now() - datetime.timedelta(days=2)
    duplicate.answered_by = staff
    duplicate.save()

    # Two ideas hidden by moderation, after reports, with the reason.
    hidden = [
        (SPAM, ReportReason.SPAM, "Werbung für ein kommerzielles Angebot (Nutzungsregeln Nr. 3)."),
        (
            PERSONAL,
            ReportReason.PERSONAL_DATA,
            "Der Beitrag nennt Name und Anschrift einer Privatperson. Bitte reichen Sie Ihren "
            "Vorschlag ohne personenbezogene Daten neu ein.",
        ),
    ]
    for title, reason, why in hidden:
        idea = by_title[title]
        when = idea.created_at + datetime.timedelta(hours=5)
        reporters = [p for p in people if p.pk != idea.author_id][:2]
        Report.objects.bulk_create(
            [
                Report(
                    body=body,
                    idea=idea,
                    reporter=reporter,
                    reason=reason,
                    created_at=when,
                    resolved_at=when + datetime.timedelta(hours=4),
                    resolved_by=moderator,
                )
                for reporter in reporters
            ]
        )
        idea.is_hidden = True
        idea.hidden_reason = why
        idea.save()
        ModerationAction.objects.create(
            body=body,
            kind=ModerationAction.Kind.HIDE,
            moderator=moderator,
            idea=idea,
            user=idea.author,
            reason=why,
            created_at=when + datetime.timedelta(hours=4),
        )

    # A discussion with a deleted comment that keeps its thread.
    idea = by_title["Ratssitzungen im Livestream"]
    first = Comment.objects.create(
        idea=idea,
        author=people[5],
        text="Dann sieht man endlich, wer wie abstimmt.",
        created_at=idea.created_at + datetime.timedelta(days=1),
    )
    Comment.objects.create(
        idea=idea,
        parent=first,
        author=people[3],
        text="Und wer nicht abends ins Rathaus kommen kann, ist trotzdem dabei.",
        created_at=idea.created_at + datetime.timedelta(days=1, hours=3),
    )
    Comment.objects.create(
        idea=idea,
        parent=first,
        author=people[7],
        text="Das kostet doch nur Geld, das wir nicht haben.",
        created_at=idea.created_at + datetime.timedelta(days=1, hours=5),
        deleted_at=idea.created_at + datetime.timedelta(days=1, hours=6),
    )


def _beispielstadt(out) -> None:
    body = Body.objects.get(slug="beispielstadt")
    if Process.objects.filter(body=body, slug=PERMANENT_SLUG).exists():
        return
    fields, topics = _topics(body)
    process = Process.objects.create(
        body=body,
        slug=PERMANENT_SLUG,
        title="Ideenplattform Beispielstadt",
        description="Ihre Vorschläge für eine digitale Beispielstadt – jederzeit.",
        rating_question="Wie wichtig ist das für Beispielstadt?",
    )
    process.action_fields.set(fields)
    _phases(process, [(PhaseKind.COLLECT, -200, None)])
    people = _citizens()
    now = _now()
    ideas = Idea.objects.bulk_create(
        [
            Idea(
                body=body,
                process=process,
                title=title,
                text=text,
                action_field=topics.get(topic),
                author=people[n],
                created_at=now - datetime.timedelta(days=30 - 5 * n),
            )
            for n, (topic, title, text) in enumerate(
                [
                    (
                        "Onlinedienste",
                        "Sperrmüll online anmelden",
                        "Termin und Gegenstände online angeben statt anrufen.",
                    ),
                    (
                        "Infrastruktur",
                        "Glasfaser auch für Oberdorf",
                        "Im Ortsteil Oberdorf ist das Internet sehr langsam.",
                    ),
                    (
                        "Beteiligung",
                        "Jugendbeteiligung per Messenger",
                        "Jugendliche erreicht man eher über Messenger als über die Website.",
                    ),
                    (
                        "Infrastruktur",
                        "Ladesäulen am Marktplatz",
                        "Zwei Ladesäulen für E-Autos am Marktplatz wären ein Anfang.",
                    ),
                ]
            )
        ]
    )
    rng = random.Random(7)  # noqa: S311 -- repeatable demo data, not a secret
    supports, ratings, threads = [], [], []
    for n, idea in enumerate(ideas):
        s, r, t = _interactions(rng, idea, people, popularity=2 + n)
        supports += s
        ratings += r
        threads += t
    _write_interactions(supports, ratings, threads)
    recount(ideas)
    out.write(f"  Ideenplattform Beispielstadt: {len(ideas)} Ideen.")


# Topics of the World Café with two Leitfragen and the results of each table.
WORLD_CAFE = [
    (
        "Verwaltungsdigitalisierung",
        [
            "Welche Behördengänge sollen zuerst online möglich sein?",
            "Was brauchen Menschen, die nicht online sind?",
        ],
        [
            "Ummeldung, Wohngeld und Bauantrag zuerst digitalisieren.",
            "Bürgerbüro bleibt als Anlaufstelle mit Hilfe beim Online-Antrag.",
        ],
    ),
    (
        "Smart City",
        ["Wo helfen Sensoren und Daten im Alltag?", "Welche Daten darf die Stadt nicht sammeln?"],
        [
            "Freie Parkplätze und Ladesäulen in Echtzeit anzeigen.",
            "Sensoren für Bodenfeuchte an Stadtbäumen testen.",
            "Keine Kameras mit Gesichtserkennung im öffentlichen Raum.",
        ],
    ),
    (
        "Digitale Ratssitzungen",
        [
            "Wie können mehr Menschen Ratssitzungen verfolgen?",
            "Was muss bei hybriden Sitzungen geregelt sein?",
        ],
        [
            "Livestream und Aufzeichnungen der Ratssitzungen.",
            "Klare Regeln für Abstimmungen von zugeschalteten Mitgliedern.",
        ],
    ),
    (
        "Fokus {year}",
        ["Was soll bis Ende {year} sichtbar besser sein?", "Wie messen wir, ob es gelungen ist?"],
        [
            "Jeder Antrag der Top 20 online – gemessen im City Cockpit.",
            "Jährliche Umfrage zur Zufriedenheit mit den Online-Diensten.",
        ],
    ),
]
WORKSHOP_IDEA = "Sensoren für Bodenfeuchte an Stadtbäumen testen."


def _workshop(out) -> None:
    body = Body.objects.get(slug="musterstadt")
    if Workshop.objects.filter(body=body, title=WORKSHOP_TITLE).exists():
        return
    process = Process.objects.filter(body=body, slug=PROCESS_SLUG).first()
    starts = (_now() - datetime.timedelta(days=21)).replace(hour=17, minute=0, second=0)
    workshop = Workshop.objects.create(
        body=body,
        kind=Workshop.Kind.WORLD_CAFE,
        title=WORKSHOP_TITLE,
        description=(
            "An vier Tischen haben rund 60 Bürgerinnen und Bürger, Verwaltung und Politik "
            "über die Digitale Agenda diskutiert. Hier stehen die Ergebnisse der Tische."
        ),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        place="Bürgerhaus Musterstadt, Großer Saal",
        process=process,
        is_published=True,
    )
    next_year = str(timezone.localdate().year + 1)
    origin = None
    for order, (title, questions, results) in enumerate(WORLD_CAFE, start=1):
        topic = WorkshopTopic.objects.create(
            workshop=workshop, title=title.format(year=next_year), order=order
        )
        asked = GuidingQuestion.objects.bulk_create(
            [
                GuidingQuestion(topic=topic, text=q.format(year=next_year), order=n)
                for n, q in enumerate(questions, start=1)
            ]
        )
        for n, text in enumerate(results, start=1):
            result = WorkshopResult.objects.create(
                topic=topic, question=asked[min(n, len(asked)) - 1], text=text, order=n
            )
            if text == WORKSHOP_IDEA:
                origin = result
    if origin and process:
        Idea.objects.create(
            body=body,
            process=process,
            title="Bodenfeuchte-Sensoren an Stadtbäumen (aus dem World Café)",
            text=(
                "Ergebnis des Tisches „Smart City“: In einem Stadtteil Sensoren an Bäumen "
                "testen, damit der Bauhof gezielt wässern kann."
            ),
            action_field=ActionField.objects.filter(
                strategy__body=body, title="Energie/Umwelt"
            ).first(),
            origin_result=origin,
            created_at=starts + datetime.timedelta(days=2),
        )
    out.write("  World Café Musterstadt mit 4 Tischen angelegt.")


def load(out) -> None:
    _musterstadt(out)
    _beispielstadt(out)
    _workshop(out)
    for slug in ("musterstadt", "beispielstadt"):
        search.rebuild_index(Body.objects.get(slug=slug))


# --------------------------------------------------------------------------------------------
# ``lotse participation_scale``: a large town. Not a ``load_large`` hook: ``demo --scale
# large`` is what the measure bench and tests load, and 50,000 ideas would cost them minutes.

SCALE_BODY = "musterstadt"
SCALE_IDEAS = 50_000
SCALE_INTERACTIONS = 500_000
SCALE_SLUG = "ideenplattform-gross"
SCALE_PEOPLE = 2000
BATCH = 5000


_WHAT = [
    "Mehr Sitzbänke",
    "Kostenloses WLAN",
    "Bessere Straßenbeleuchtung",
    "Sichere Fahrradständer",
    "Eine Ladesäule für E-Autos",
    "Öffentliche Toiletten",
    "Digitale Infotafeln",
    "Trinkbrunnen",
    "Mehr Mülleimer",
    "Schattenspendende Bäume",
    "Ein Bücherschrank",
    "Echtzeit-Anzeigen für Busse",
    "Barrierefreie Zugänge",
    "Spielgeräte für Kleinkinder",
    "Sensoren für freie Parkplätze",
    "Ein Tempolimit",
    "Mehr Carsharing-Stellplätze",
    "Ein Mängelmelder",
    "Videosprechstunden",
    "Online-Termine",
]
_WHERE = [
    "am Marktplatz",
    "im Stadtpark",
    "am Bahnhof",
    "vor dem Rathaus",
    "an der Gesamtschule",
    "in der Fußgängerzone",
    "am Friedhof",
    "im Neubaugebiet Nord",
    "an der Stadtbibliothek",
    "am Hallenbad",
    "in der Altstadt",
    "am Busbahnhof",
    "im Gewerbegebiet",
    "an der Grundschule Süd",
    "im Bürgerbüro",
    "am Seniorenzentrum",
    "an den Kitas",
    "im Ortsteil Oberdorf",
    "an der Hauptstraße",
    "am Sportplatz",
    "im Jugendzentrum",
    "am Rheinufer",
    "in der Musikschule",
    "am Wochenmarkt",
    "an der Volkshochschule",
]
_WHY = [
    "Das würde vielen Familien helfen.",
    "Ältere Menschen wären dankbar dafür.",
    "In anderen Städten funktioniert das schon gut.",
    "So wird die Innenstadt attraktiver.",
    "Das spart auf Dauer Geld und Zeit.",
    "Gerade abends fehlt das sehr.",
    "Die Schülerinnen und Schüler würden profitieren.",
    "Das wäre gut für das Klima.",
]
_COMMENTS = [*COMMENTS, *REPLIES]


def _scale_people(count: int) -> list[int]:
    """Ids of ``count`` invented participants (created in bulk, verified, no usable
    password: they only exist to have taken part)."""
    from allauth.account.models import EmailAddress

    emails = [f"teilnehmer{n:05d}@{CITIZEN_DOMAIN}" for n in range(count)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [e for e in emails if e not in existing]
    for start in range(0, len(missing), BATCH):
        made = User.objects.bulk_create(
            [
                User(email=e, display_name=f"Teilnehmer:in {e[10:15]}", password="!")
                for e in missing[start : start + BATCH]
            ]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in made]
        )
    return list(User.objects.filter(email__in=emails).order_by("pk").values_list("pk", flat=True))


def fill_large(body: Body, ideas: int, interactions: int, out) -> None:
    """Fill ``body`` with ``ideas`` ideas in a permanent process and about ``interactions``
    comments (40 %), supports (40 %) and ratings (20 %), in bulk; counters are set from the
    rows made; the first idea gets 200 comments (the bench's detail page). Idempotent: a body
    that has the process already is left alone."""
    started = time.perf_counter()
    if Process.objects.filter(body=body, slug=SCALE_SLUG).exists():
        out.write("  Lastprofil Beteiligung: schon da.")
        return
    rng = random.Random(13)  # noqa: S311 -- repeatable demo data, not a secret
    people = _scale_people(SCALE_PEOPLE)
    fields, topics = _topics(body)
    topic_list = list(topics.values()) or [None]
    process = Process.objects.create(
        body=body,
        slug=SCALE_SLUG,
        title="Ideenplattform (Lastprofil)",
        description="Vorschläge einer großen Stadt, erzeugt für Lasttests.",
    )
    process.action_fields.set(fields)
    _phases(process, [(PhaseKind.COLLECT, -5 * 365, None)])
    now = _now()
    per_idea = interactions / max(ideas, 1)
    mean_comments, mean_supports, mean_ratings = 0.4 * per_idea, 0.4 * per_idea, 0.2 * per_idea
    totals = {"comments": 0, "supports": 0, "ratings": 0}
    states = [IdeaState.SUBMITTED] * 14 + [
        IdeaState.IN_REVIEW,
        IdeaState.ACCEPTED,
        IdeaState.IMPLEMENTED,
    ]
    for start in range(0, ideas, BATCH):
        plans, batch = [], []
        for n in range(start, min(start + BATCH, ideas)):
            what, where = _WHAT[n % len(_WHAT)], _WHERE[(n // len(_WHAT)) % len(_WHERE)]
            comments = 200 if n == 0 else min(round(rng.expovariate(1 / mean_comments)), 150)
            supports = min(round(rng.expovariate(1 / mean_supports)), len(people))
            values = [
                rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5))
                for _ in range(min(round(rng.expovariate(1 / mean_ratings)), len(people)))
            ]
            created = now - datetime.timedelta(minutes=int((ideas - n) * 5 * 365 * 1440 / ideas))
            plans.append((comments, supports, values, created))
            batch.append(
                Idea(
                    body=body,
                    process=process,
                    title=f"{what} {where} ({n + 1})",
                    text=f"{what} {where} wären ein Gewinn. {rng.choice(_WHY)} {rng.choice(_WHY)}",
                    action_field=topic_list[n % len(topic_list)],
                    author_id=people[n % len(people)],
                    state=states[n % len(states)],
                    created_at=created,
                    comment_count=comments,
                    support_count=supports,
                    rating_count=len(values),
                    rating_sum=sum(values),
                    rating_mean=round(sum(values) / len(values), 2) if values else 0,
                )
            )
        made = Idea.objects.bulk_create(batch)
        support_rows, rating_rows, comment_rows = [], [], []
        for idea, (comments, supports, values, created) in zip(made, plans, strict=True):
            later = created + datetime.timedelta(hours=1)
            support_rows += [
                Support(idea_id=idea.pk, user_id=u, created_at=later)
                for u in rng.sample(people, supports)
            ]
            rating_rows += [
                Rating(idea_id=idea.pk, user_id=u, value=v, created_at=later)
                for u, v in zip(rng.sample(people, len(values)), values, strict=True)
            ]
            comment_rows += [
                Comment(
                    idea_id=idea.pk,
                    author_id=people[(idea.pk + k) % len(people)],
                    text=_COMMENTS[(idea.pk + k) % len(_COMMENTS)],
                    created_at=later + datetime.timedelta(minutes=k),
                )
                for k in range(comments)
            ]
        Support.objects.bulk_create(support_rows, batch_size=BATCH)
        Rating.objects.bulk_create(rating_rows, batch_size=BATCH)
        Comment.objects.bulk_create(comment_rows, batch_size=BATCH)
        totals["supports"] += len(support_rows)
        totals["ratings"] += len(rating_rows)
        totals["comments"] += len(comment_rows)
    # Replies: every fourth comment of the bench's idea answers the one before it.
    first = Idea.objects.filter(process=process).order_by("pk").first()
    if first:
        thread = list(Comment.objects.filter(idea=first).order_by("pk"))
        for k in range(3, len(thread), 4):
            thread[k].parent = thread[k - 1] if thread[k - 1].parent_id is None else None
        Comment.objects.bulk_update(thread, ["parent"])
    indexed = search.rebuild_index(body)
    out.write(
        f"  Lastprofil Beteiligung: {ideas} Ideen, {totals['comments']} Kommentare, "
        f"{totals['supports']} Unterstützungen, {totals['ratings']} Bewertungen, "
        f"{indexed} Einträge im Suchindex in {time.perf_counter() - started:.0f} s."
    )
