"""``lotse council_scale``: fill one body with twenty years of a city's council work (papers,
their files, meetings, agenda items, decisions), in bulk, for benchmarks."""

import datetime
import hashlib
import random
import time

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from lotse.core.models import Body, private_storage
from lotse.council import search
from lotse.council.models import (
    AgendaItem,
    Consultation,
    ConsultationRole,
    Decision,
    DecisionOutcome,
    File,
    FollowUp,
    FollowUpState,
    Meeting,
    MeetingState,
    Membership,
    Organization,
    OrganizationType,
    Paper,
    PaperState,
    PaperType,
    Person,
)

# The organization that marks a body as filled, so a second run is refused.
MARK = "Ausschuss für Lasttests"
COMMITTEES = [
    "Haupt- und Finanzausschuss",
    "Ausschuss für Digitalisierung",
    "Bauausschuss",
    "Schulausschuss",
    "Umweltausschuss",
    "Sozialausschuss",
    "Kulturausschuss",
    "Verkehrsausschuss",
    "Jugendhilfeausschuss",
    "Rechnungsprüfungsausschuss",
]
SEATS = 15
MEETINGS_PER_YEAR = 10  # per organization
CHUNK = 2000

SUBJECTS = [
    "Breitbandausbau",
    "Glasfasernetz",
    "Straßenbeleuchtung",
    "Schulsanierung",
    "Radwegekonzept",
    "Bürgerbüro",
    "E-Akte",
    "Digitalisierung",
    "Kindertagesstätte",
    "Haushaltssatzung",
    "Bebauungsplan",
    "Feuerwehrgerätehaus",
    "Spielplatz",
    "Friedhofssatzung",
    "Klimaschutz",
    "Smart City",
    "Open Data",
    "WLAN",
    "Parkraumbewirtschaftung",
    "Sportstätten",
]
PLACES = [
    "am Marktplatz",
    "in der Innenstadt",
    "im Gewerbegebiet Nord",
    "an der Hauptstraße",
    "im Ortsteil Süd",
    "am Rheinufer",
    "an der Gesamtschule",
    "im Rathaus",
]
_TEXT_WORDS = """
    Verwaltung Maßnahme Umsetzung Förderung Kosten Haushalt Zeitplan Beteiligung Bürgerinnen
    Bürger Ausschreibung Vergabe Planung Bericht Sachstand Stellungnahme Prüfung Ergebnis
    Gutachten Finanzierung Anlage Tabelle Übersicht Standort Betrieb Wartung Personal Stelle
    Schule Straße Netz Anschluss Energie Gebäude Fläche Grundstück Vertrag Satzung Gebühr
    """
TEXT_WORDS = _TEXT_WORDS.split()
# Every generated file row serves these bytes (one stored blob, shared), so that access and
# download URLs, sizes and checksums are real without writing 200,000 files.
BLOB = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
BLOB_PATH = "council/lasttest/anlage.pdf"


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(TEXT_WORDS) for _ in range(words)) + "."


class Command(BaseCommand):
    help = (
        "Fills a body with many papers (with Beratungsfolge, agenda items and decisions), "
        "their files and the meetings of the years asked, in bulk, and fills the search "
        "index. A body filled before is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("--body", required=True, help="Short address of the body.")
        parser.add_argument("--papers", type=int, default=100_000)
        parser.add_argument("--files", type=int, default=200_000)
        parser.add_argument("--years", type=int, default=20)

    def handle(self, *args, **options):
        from lotse.core.management.checks import require_migrated

        require_migrated()
        body = Body.objects.filter(slug=options["body"]).first()
        if body is None:
            raise CommandError(f"Keine Körperschaft „{options['body']}“.")
        papers, files, years = options["papers"], options["files"], options["years"]
        if papers < 1 or files < 0 or not 1 <= years <= 80:
            raise CommandError(
                "--papers muss mindestens 1 sein, --files nicht negativ, --years 1 bis 80."
            )
        if Organization.objects.for_body(body).filter(name=MARK).exists():
            raise CommandError(
                f"„{body.slug}“ wurde schon mit council_scale gefüllt; ein zweiter Lauf "
                "würde die Zahlen verdoppeln. Nehmen Sie eine frische Datenbank."
            )
        started = time.perf_counter()
        with transaction.atomic():
            counts = fill(body, papers, files, years)
            indexed = search.rebuild_index(body)
        if connection.vendor == "postgresql":
            # Statistics for the new rows now, as autovacuum would soon; without them the
            # first queries are planned for empty tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(f"Angelegt: {summary}; {indexed} Vorlagen im Suchindex.")
        self.stdout.write(f"Fertig in {time.perf_counter() - started:.1f} s.")


def fill(body: Body, paper_count: int, file_count: int, years: int) -> dict[str, int]:
    rng = random.Random(20260101)  # noqa: S311 (the same synthetic data on every run)
    today = timezone.localdate()
    first_year = today.year - years + 1
    zone = timezone.get_current_timezone()

    organizations = Organization.objects.bulk_create(
        [
            Organization(
                body=body,
                name=name,
                organization_type=OrganizationType.COMMITTEE,
                statutory_members=SEATS,
            )
            for name in [MARK, *COMMITTEES]
        ]
    )
    persons = Person.objects.bulk_create(
        [
            Person(body=body, family_name=f"Lasttest{n}", given_name="Alex")
            for n in range(SEATS * len(organizations))
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(person=person, organization=organizations[n // SEATS])
            for n, person in enumerate(persons)
        ]
    )

    # Meetings: each organization meets regularly; past ones were held.
    meetings_by_year: dict[int, list[tuple[Meeting, Organization]]] = {}
    planned = []
    for year in range(first_year, today.year + 1):
        for organization in organizations:
            for n in range(MEETINGS_PER_YEAR):
                day = datetime.date(year, 1 + n * 12 // MEETINGS_PER_YEAR, 10 + n % 15)
                start = datetime.datetime.combine(day, datetime.time(17), zone)
                state = MeetingState.HELD if day < today else MeetingState.INVITED
                planned.append(
                    (
                        Meeting(
                            body=body,
                            name=f"{n + 1}. Sitzung {year} – {organization.name}",
                            start=start,
                            end=start + datetime.timedelta(hours=3),
                            location="Rathaus, Ratssaal",
                            state=state,
                        ),
                        organization,
                    )
                )
    Meeting.objects.bulk_create([m for m, _o in planned], batch_size=CHUNK)
    Meeting.organizations.through.objects.bulk_create(
        [Meeting.organizations.through(meeting_id=m.pk, organization_id=o.pk) for m, o in planned],
        batch_size=CHUNK,
    )
    for meeting, organization in planned:
        meetings_by_year.setdefault(meeting.start.year, []).append((meeting, organization))

    orders: dict[int, int] = {}
    numbers: dict[int, int] = {}
    counts = {
        "Gremien": len(organizations),
        "Sitzungen": len(planned),
        "Vorlagen": 0,
        "Tagesordnungspunkte": 0,
        "Beschlüsse": 0,
        "Anlagen": 0,
    }
    files_left = file_count
    blob = BLOB_PATH
    storage = private_storage()
    if file_count and not storage.exists(blob):
        blob = storage.save(blob, ContentFile(BLOB))
    blob_sha512 = hashlib.sha512(BLOB).hexdigest()
    for chunk_start in range(0, paper_count, CHUNK):
        size = min(CHUNK, paper_count - chunk_start)
        papers = []
        for i in range(chunk_start, chunk_start + size):
            year = first_year + i % years
            numbers[year] = numbers.get(year, 10000) + 1
            subject = f"{rng.choice(SUBJECTS)} {rng.choice(PLACES)}"
            papers.append(
                Paper(
                    body=body,
                    reference=f"{year % 100:02}/{numbers[year]}",
                    paper_type=rng.choice(PaperType.values),
                    name=f"{subject} ({i + 1})",
                    date=min(
                        datetime.date(year, 1, 1) + datetime.timedelta(rng.randrange(360)), today
                    ),
                    state=PaperState.RELEASED,
                    is_public=rng.random() > 0.05,
                    decision_proposal=f"Der Ausschuss beschließt: {subject}. {text(rng, 12)}",
                    reasoning=text(rng, 60),
                    released_at=timezone.now(),
                )
            )
        Paper.objects.bulk_create(papers, batch_size=CHUNK)

        consultations, items = [], []
        for paper in papers:
            meeting, organization = rng.choice(meetings_by_year[paper.date.year])
            consultation = Consultation(
                paper=paper,
                organization=organization,
                meeting=meeting,
                planned_date=timezone.localdate(meeting.start),
                role=ConsultationRole.DECISION,
                authoritative=True,
                is_public=paper.is_public,
            )
            consultations.append(consultation)
            orders[meeting.pk] = orders.get(meeting.pk, 0) + 1
            prefix = "Ö" if paper.is_public else "N"
            items.append(
                AgendaItem(
                    meeting=meeting,
                    order=orders[meeting.pk],
                    number=f"{prefix} {orders[meeting.pk]}",
                    name=paper.name,
                    is_public=paper.is_public,
                    consultation=consultation,
                )
            )
        Consultation.objects.bulk_create(consultations, batch_size=CHUNK)
        for item in items:
            item.consultation_id = item.consultation.pk
        AgendaItem.objects.bulk_create(items, batch_size=CHUNK)

        decisions = []
        for item in items:
            if item.meeting.state != MeetingState.HELD or rng.random() > 0.6:
                continue
            decisions.append(
                Decision(
                    body=body,
                    agenda_item=item,
                    outcome=rng.choice(
                        [
                            DecisionOutcome.ADOPTED,
                            DecisionOutcome.ADOPTED_AMENDED,
                            DecisionOutcome.NOTED,
                        ]
                    ),
                    resolution_text=f"Beschlossen: {item.name}",
                    unanimous=True,
                    # Far above the numbers a body gives out by hand or in the demo.
                    number=f"{1_000_000 + item.pk}/{item.meeting.start.year % 100:02}",
                    date=timezone.localdate(item.meeting.start),
                )
            )
        Decision.objects.bulk_create(decisions, batch_size=CHUNK)
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    body=body,
                    decision=decision,
                    due_date=decision.date + datetime.timedelta(days=180),
                    state=FollowUpState.DONE if n % 3 else FollowUpState.OPEN,
                )
                for n, decision in enumerate(decisions)
                if n % 10 == 0
            ],
            batch_size=CHUNK,
        )

        # Files spread evenly over the papers; each paper's first one is its main file.
        share = files_left // max(paper_count - chunk_start, 1)
        extra = files_left - share * (paper_count - chunk_start)
        attachments = []
        for n, paper in enumerate(papers):
            for k in range(share + (1 if n < extra else 0)):
                content = f"{paper.name}. {text(rng, 80)}"
                attachments.append(
                    File(
                        body=body,
                        name=f"Anlage {k + 1} zu {paper.reference}",
                        file=blob,
                        file_name=f"anlage-{k + 1}.pdf",
                        mime_type="application/pdf",
                        size=len(BLOB),
                        sha512=blob_sha512,
                        text=content,
                        date=paper.date,
                        role=File.Role.MAIN if k == 0 else File.Role.ATTACHMENT,
                        paper=paper,
                    )
                )
        File.objects.bulk_create(attachments, batch_size=CHUNK)
        files_left -= len(attachments)
        counts["Vorlagen"] += len(papers)
        counts["Tagesordnungspunkte"] += len(items)
        counts["Beschlüsse"] += len(decisions)
        counts["Anlagen"] += len(attachments)
    return counts
