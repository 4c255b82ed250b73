"""Demo of the district working as one: Musterkreis's regional strategy and umbrella brand,
its CDO network with a meeting and a paper, the towns' links to the regional fields, two
measures in the library (Beispielstadt adopted one of Musterstadt's) and a joint measure.
Running it again changes nothing."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from lotse.accounts.models import User
from lotse.core.models import Body
from lotse.council.models import (
    AgendaItem,
    Consultation,
    ConsultationRole,
    LegislativeTerm,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    Organization,
    OrganizationType,
    Paper,
    PaperState,
    PaperType,
    Person,
)
from lotse.region import services
from lotse.region.models import Adoption, Effort, JointMeasure, LibraryEntry
from lotse.strategy.models import ActionField, Goal, Measure, Strategy

BERLIN = ZoneInfo("Europe/Berlin")
KREIS = "musterkreis"
BRAND = ("SmartVest", "#0b6e4f")

STRATEGY = {
    "title": "Gemeinsame Digitalstrategie Musterkreis 2030",
    "vision": (
        "Der Musterkreis und seine Kommunen gestalten die Digitalisierung gemeinsam: "
        "eine Strategie je Handlungsfeld, zentrale Ansprechpersonen in jeder Kommune und "
        "Lernen von den Leuchtturmprojekten der anderen."
    ),
}
GOALS = [
    ("Gemeinsam statt einzeln", "Projekte werden einmal entwickelt und von allen genutzt."),
    ("Lebenswerte Region", "Digitale Angebote verbessern den Alltag in Stadt und Land."),
]
FIELDS = [
    ("Nachhaltigkeit und Klimaschutz", "Energie, Umwelt und Ressourcen mit Daten steuern."),
    ("Intelligente Mobilität", "Vernetzte Angebote für Pendler, Lieferverkehr und ÖPNV."),
    ("Lebensqualität und Teilhabe", "Digitale Services und Beteiligung für alle Generationen."),
    ("Smart Economy", "Wirtschaft, Handel und Gründungen in der Region stärken."),
    ("Bildung und Kultur", "Schulen, Bibliotheken und Kultur digital verbinden."),
]
# The towns' own top-level fields and the regional fields they contribute to.
LINKS = {
    "musterstadt": {
        "Digitalisierung Alltag": [
            "Nachhaltigkeit und Klimaschutz",
            "Intelligente Mobilität",
            "Bildung und Kultur",
        ],
        "Digitale Verwaltung/Politik": ["Lebensqualität und Teilhabe"],
        "Wertschöpfung/Innovation": ["Smart Economy"],
        "Transparenz/Partizipation": ["Lebensqualität und Teilhabe"],
    },
    "beispielstadt": {
        "Verwaltung": ["Lebensqualität und Teilhabe"],
        "Stadtleben": ["Lebensqualität und Teilhabe", "Intelligente Mobilität"],
    },
}
# (town, measure title, regional field, effort, lessons)
LIBRARY = [
    (
        "musterstadt",
        "Online-Terminvergabe im Bürgerbüro",
        "Lebensqualität und Teilhabe",
        Effort.LOW,
        "In acht Wochen eingeführt: ein Terminmodul des Fachverfahrens genügte. Wichtig war, "
        "Telefontermine für Menschen ohne Internet weiter anzubieten.",
    ),
    (
        "beispielstadt",
        "Online-Anträge im Bürgerbüro",
        "Lebensqualität und Teilhabe",
        Effort.MEDIUM,
        "Die Leistungen des Landesportals zuerst nutzen; eigene Formulare nur, wo es keine "
        "EfA-Lösung gibt.",
    ),
]
ADOPTION = ("beispielstadt", "Online-Terminvergabe im Bürgerbüro", "Verwaltung")
JOINT = {
    "lead": ("musterstadt", "Open-Data-Portal"),
    "title": "Urbane Datenplattform Musterkreis",
    "description": (
        "Eine gemeinsame Datenplattform für Sensordaten, Kennzahlen und offene Daten aller "
        "Kommunen des Kreises; Musterstadt betreibt sie, die anderen Kommunen binden ihre "
        "Daten an und tragen einen Anteil der Kosten."
    ),
    "field": "Nachhaltigkeit und Klimaschutz",
    "shares": {"musterstadt": Decimal("120000.00"), "beispielstadt": Decimal("45000.00")},
    "partner_field": "Stadtleben",
}
NETWORK = ("CDO-Netzwerk Musterkreis", "CDO-Netzwerk")
NETWORK_PAPER = "Gemeinsame Urbane Datenplattform für den Musterkreis"


def _fields_by_title(body: Body) -> dict[str, ActionField]:
    return {
        f.title: f
        for f in ActionField.objects.filter(strategy__body=body, parent__isnull=True).order_by(
            "strategy__version"
        )
    }


def _regional_strategy(kreis: Body, today: datetime.date) -> dict[str, ActionField]:
    strategy = Strategy.objects.filter(body=kreis, version=1).first()
    if strategy is None:
        strategy = Strategy(
            body=kreis,
            version=1,
            status=Strategy.Status.ADOPTED,
            adopted_on=today - datetime.timedelta(days=200),
            period_start=datetime.date(today.year - 1, 1, 1),
            period_end=datetime.date(2030, 12, 31),
            **STRATEGY,
        )
        strategy.full_clean()
        strategy.save()
        for order, (title, description) in enumerate(GOALS, start=1):
            Goal.objects.create(
                strategy=strategy, title=title, description=description, order=order
            )
        for order, (title, description) in enumerate(FIELDS, start=1):
            ActionField.objects.create(
                strategy=strategy, title=title, description=description, order=order
            )
    return {f.title: f for f in ActionField.objects.filter(strategy=strategy)}


def _network(kreis: Body, today: datetime.date) -> Paper | None:
    """The CDO network: an Organization of type Netzwerk with the towns' CDOs, a past and a
    coming meeting, and the paper that prepared the joint data platform."""
    if Organization.objects.filter(body=kreis, name=NETWORK[0]).exists():
        return Paper.objects.filter(body=kreis, name=NETWORK_PAPER).first()
    term, _created = LegislativeTerm.objects.get_or_create(
        body=kreis,
        name="Wahlperiode 2025–2030",
        defaults={
            "start_date": datetime.date(2025, 11, 1),
            "end_date": datetime.date(2030, 10, 31),
        },
    )
    network = Organization.objects.create(
        body=kreis,
        name=NETWORK[0],
        short_name=NETWORK[1],
        organization_type=OrganizationType.NETWORK,
        start_date=term.start_date,
        meeting_rhythm="alle zwei Monate",
        description=(
            "Die Chief Digital Officers der Kommunen und des Kreises stimmen kommunen"
            "übergreifende Projekte ab und bereiten gemeinsame Maßnahmen vor."
        ),
    )
    cdos = [
        ("Frau", "Clara", "Digital", "musterkreis", MembershipRole.CHAIR),
        ("Herr", "Malte", "Brandt", "musterstadt", MembershipRole.MEMBER),
        ("Frau", "Bettina", "Sommer", "beispielstadt", MembershipRole.MEMBER),
    ]
    for form, given, family, slug, role in cdos:
        person = Person.objects.create(
            body=kreis,
            form_of_address=form,
            given_name=given,
            family_name=family,
            affix=f"CDO {Body.objects.get(slug=slug).short_name}",
            user=User.objects.filter(email=f"cdo@{slug}.example").first(),
        )
        Membership.objects.create(
            person=person, organization=network, role=role, start_date=term.start_date
        )
    past = datetime.datetime.combine(
        today - datetime.timedelta(days=40), datetime.time(14), tzinfo=BERLIN
    )
    coming = datetime.datetime.combine(
        today + datetime.timedelta(days=20), datetime.time(14), tzinfo=BERLIN
    )
    meetings = []
    for start, state, name in (
        (past, MeetingState.HELD, "3. Sitzung des CDO-Netzwerks"),
        (coming, MeetingState.INVITED, "4. Sitzung des CDO-Netzwerks"),
    ):
        meeting = Meeting.objects.create(
            body=kreis,
            name=name,
            start=start,
            end=start + datetime.timedelta(hours=2),
            location="Kreishaus, Raum 101",
            state=state,
            legislative_term=term,
        )
        meeting.organizations.set([network])
        meetings.append(meeting)
    date = (past - datetime.timedelta(days=14)).date()
    paper = Paper.objects.create(
        body=kreis,
        reference=f"{date:%y}/0001",
        paper_type=PaperType.NOTICE,
        name=NETWORK_PAPER,
        date=date,
        state=PaperState.RELEASED,
        reasoning=(
            "Musterstadt hat eine Datenplattform aufgebaut. Das Netzwerk schlägt vor, sie als "
            "gemeinsame Urbane Datenplattform aller Kommunen weiterzuführen: Musterstadt "
            "übernimmt die Federführung, die Kosten werden nach Einwohnerzahl geteilt."
        ),
        released_at=datetime.datetime.combine(date, datetime.time(11), tzinfo=BERLIN),
    )
    Consultation.objects.create(
        paper=paper,
        organization=network,
        meeting=meetings[0],
        role=ConsultationRole.NOTICE,
        order=1,
    )
    AgendaItem.objects.create(
        meeting=meetings[0], order=1, number="Ö 1", name=NETWORK_PAPER, result="zur Kenntnis"
    )
    AgendaItem.objects.create(
        meeting=meetings[1],
        order=1,
        number="Ö 1",
        name="Bericht aus den Kommunen: Maßnahmen in der Bibliothek",
    )
    return paper


def load(out) -> None:
    kreis = Body.objects.filter(slug=KREIS).first()
    if kreis is None:
        return
    towns = {b.slug: b for b in Body.objects.filter(parent=kreis)}
    if set(towns) < {"musterstadt", "beispielstadt"}:
        return
    today = timezone.localdate()
    if not kreis.brand_name:
        kreis.brand_name, kreis.brand_colour = BRAND
        kreis.save(update_fields=["brand_name", "brand_colour"])
    regional = _regional_strategy(kreis, today)
    paper = _network(kreis, today)
    cdo = {slug: User.objects.get(email=f"cdo@{slug}.example") for slug in towns}
    for slug, links in LINKS.items():
        own = _fields_by_title(towns[slug])
        services.set_field_links(
            cdo[slug],
            towns[slug],
            {own[t].pk: [regional[r].pk for r in rs] for t, rs in links.items() if t in own},
        )
    created = 0
    for slug, title, field, effort, lessons in LIBRARY:
        measure = Measure.objects.filter(body=towns[slug], title=title).first()
        if measure is None or LibraryEntry.objects.filter(measure=measure).exists():
            continue
        services.publish_to_library(
            cdo[slug],
            LibraryEntry(
                measure=measure,
                regional_field=regional[field],
                effort=effort,
                lessons=lessons,
                contact_name=cdo[slug].public_name,
                contact_email=cdo[slug].email,
            ),
        )
        created += 1
    slug, title, field = ADOPTION
    entry = LibraryEntry.objects.filter(measure__title=title, district=kreis).first()
    if entry is not None and not Adoption.objects.filter(entry=entry, body=towns[slug]).exists():
        services.adopt(cdo[slug], entry, towns[slug], _fields_by_title(towns[slug])[field])
        created += 1
    lead_slug, lead_title = JOINT["lead"]
    lead_measure = Measure.objects.filter(body=towns[lead_slug], title=lead_title).first()
    if lead_measure is not None and not JointMeasure.objects.filter(title=JOINT["title"]).exists():
        joint = services.start_joint_measure(
            cdo[lead_slug],
            lead_measure,
            [towns[s] for s in JOINT["shares"] if s != lead_slug],
            title=JOINT["title"],
            description=JOINT["description"],
            regional_field=regional[JOINT["field"]],
            paper=paper,
            budget_share=JOINT["shares"][lead_slug],
        )
        for share in joint.shares.exclude(body=towns[lead_slug]):
            services.join_joint_measure(
                cdo[share.body.slug],
                share,
                primary_field=_fields_by_title(share.body)[JOINT["partner_field"]],
                budget_share=JOINT["shares"][share.body.slug],
            )
        created += 1
    if created:
        out.write(f"  Zusammenarbeit im Kreis: {created} Bibliotheks- und Gemeinschaftsmaßnahmen")
