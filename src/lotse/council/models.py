"""Council work, modelled on OParl 1.1 so that the OParl API is a thin mapping: legislative
terms, organizations (Gremien), persons and memberships, meetings with agenda items, papers
(Vorlagen) with co-signing (Mitzeichnung) and their Beratungsfolge (consultations), files,
decisions (Beschlüsse) and their Beschlusskontrolle (follow-ups).

Field names follow OParl where OParl has the concept (``name`` of a paper is its Betreff,
``reference`` its Drucksachennummer); the German term is in each verbose name.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core.impacts import ImpactAssessment
from lotse.core.models import BodyScopedModel, private_storage, random_filename


def valid_number_pattern(value: str) -> None:
    """Validator of the pattern fields (kept here so migrations can name it)."""
    from lotse.council.numbering import validate_number_pattern

    validate_number_pattern(value)


class CouncilSettings(BodyScopedModel):
    """Numbering of a body's papers and decisions.

    Patterns take ``{yy}`` / ``{yyyy}`` (year of the date) and ``{n}`` / ``{nn}`` … ``{nnnnnn}``
    (the running number of that year, zero-padded to the number of n's).
    """

    paper_reference_pattern = models.CharField(
        _("pattern of paper numbers"),
        max_length=40,
        default="{yy}/{nnnn}",
        validators=[valid_number_pattern],
        help_text=_("e.g. {yy}/{nnnn} gives 24/0578"),
    )
    decision_number_pattern = models.CharField(
        _("pattern of decision numbers"),
        max_length=40,
        default="{n}/{yy}",
        validators=[valid_number_pattern],
        help_text=_("e.g. {n}/{yy} gives 567/24"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("council settings")
        verbose_name_plural = _("council settings")
        constraints = [models.UniqueConstraint(fields=["body"], name="one_council_settings")]

    def __str__(self) -> str:
        return str(self.body)


class NumberSequence(BodyScopedModel):
    """The last running number given out per body, kind and year. Read with a row lock, so
    two clerks releasing papers at once never get the same number."""

    class Kind(models.TextChoices):
        PAPER = "paper", _("paper")
        DECISION = "decision", _("decision")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "kind", "year"], name="one_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class LegislativeTerm(BodyScopedModel):
    """A Wahlperiode."""

    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)

    # When the row was created and last changed: OParl's ``created`` and ``modified``.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("legislative term")
        verbose_name_plural = _("legislative terms")
        ordering = ["body", "-start_date"]

    def __str__(self) -> str:
        return self.name


class OrganizationType(models.TextChoices):
    COUNCIL = "rat", _("Rat")
    COMMITTEE = "ausschuss", _("Ausschuss")
    SUBCOMMITTEE = "unterausschuss", _("Unterausschuss")
    FACTION = "fraktion", _("Fraktion")
    WORKING_GROUP = "arbeitsgruppe", _("Arbeitsgruppe")
    STEERING_GROUP = "lenkungsgremium", _("Lenkungsgremium")
    TOPIC_GROUP = "themengruppe", _("Themengruppe")
    ADVISORY_BOARD = "beirat", _("Beirat")
    # A Kreis's coordination body of its towns' CDOs.
    NETWORK = "netzwerk", _("Netzwerk")


class Organization(BodyScopedModel):
    """A Gremium (OParl Organization): the council, its committees, factions, working and
    topic groups, advisory boards."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    organization_type = models.CharField(_("type"), max_length=20, choices=OrganizationType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_organizations",
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    meeting_rhythm = models.CharField(
        _("meeting rhythm"), max_length=200, blank=True, help_text=_("e.g. every two weeks")
    )
    statutory_members = models.PositiveSmallIntegerField(
        _("statutory members"),
        null=True,
        blank=True,
        help_text=_("Gesetzliche Mitgliederzahl, the basis of quorum and absolute majorities."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    website = models.URLField(_("website"), blank=True)

    # When the row was created and last changed: OParl's ``created`` and ``modified``.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["body", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("council:organization", kwargs={"body_slug": self.body.slug, "pk": self.pk})

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end cannot be before the start.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organization cannot be part of itself.")})


class Person(BodyScopedModel):
    """A person in the council's work (OParl Person), optionally with a Lotse account."""

    class FormOfAddress(models.TextChoices):
        NONE = "", _("none")
        MS = "Frau", _("Frau")
        MR = "Herr", _("Herr")

    family_name = models.CharField(_("family name"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    form_of_address = models.CharField(
        _("form of address"), max_length=10, choices=FormOfAddress.choices, blank=True
    )
    title = models.CharField(_("title"), max_length=60, blank=True, help_text=_("e.g. Dr."))
    affix = models.CharField(_("affix"), max_length=60, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_persons",
    )

    # When the row was created and last changed: OParl's ``created`` and ``modified``.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["body", "family_name", "given_name"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.title, self.given_name, self.family_name) if p)


def current_memberships(prefix: str = "") -> models.Q:
    """Seats held today (as ``Membership.is_active``), for a query; ``prefix`` reaches them
    from another model ("memberships__")."""
    today = timezone.localdate()
    start, end = f"{prefix}start_date", f"{prefix}end_date"
    return (models.Q(**{f"{start}__isnull": True}) | models.Q(**{f"{start}__lte": today})) & (
        models.Q(**{f"{end}__isnull": True}) | models.Q(**{f"{end}__gte": today})
    )


class MembershipRole(models.TextChoices):
    CHAIR = "vorsitz", _("Vorsitz")
    DEPUTY_CHAIR = "stv_vorsitz", _("stellvertretender Vorsitz")
    MEMBER = "mitglied", _("Mitglied")
    DEPUTY_MEMBER = "stv_mitglied", _("stellvertretendes Mitglied")
    EXPERT_CITIZEN = "sachkundig", _("sachkundige:r Bürger:in")
    ADVISORY = "beratend", _("beratendes Mitglied")
    TANDEM_LEAD = "tandem", _("Tandem-Leitung")


class Membership(models.Model):
    """A person's seat in an organization (OParl Membership)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=15, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    voting_right = models.BooleanField(_("voting right"), default=True)
    on_behalf_of = models.ForeignKey(
        Organization,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegated_memberships",
        limit_choices_to={"organization_type": OrganizationType.FACTION},
        help_text=_("The Fraktion the seat belongs to."),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    # When the row was created and last changed: OParl's ``created`` and ``modified``.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization", "role", "person__family_name"]

    def __str__(self) -> str:
        return f"{self.person} – {self.organization} ({self.get_role_display()})"

    @property
    def body_id(self) -> int:
        return self.organization.body_id

    def is_active(self, on=None) -> bool:
        on = on or timezone.localdate()
        return (self.start_date is None or self.start_date <= on) and (
            self.end_date is None or on <= self.end_date
        )

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end cannot be before the start.")})
        if (
            self.person_id
            and self.organization_id
            and self.person.body_id != self.organization.body_id
        ):
            raise ValidationError({"person": _("The person belongs to another body.")})


class MeetingState(models.TextChoices):
    PLANNED = "geplant", _("geplant")
    INVITED = "eingeladen", _("eingeladen")
    HELD = "durchgefuehrt", _("durchgeführt")
    CANCELLED = "abgesagt", _("abgesagt")


class Meeting(BodyScopedModel):
    """A Sitzung of one or more organizations (OParl Meeting)."""

    name = models.CharField(_("name"), max_length=200)
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizations"), related_name="meetings"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=15, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    is_hybrid = models.BooleanField(_("hybrid meeting"), default=False)
    video_url = models.URLField(
        _("video link"), blank=True, help_text=_("Shown to the organization's members only.")
    )
    legislative_term = models.ForeignKey(
        LegislativeTerm,
        verbose_name=_("legislative term"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    # iCalendar (RFC 5545): a UID that never changes and a SEQUENCE raised on every change
    # that calendar programs must notice.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["body", "-start"]
        indexes = [
            models.Index(fields=["body", "start"], name="meeting_start"),
            # OParl's modified_since: what changed lately (also on the other OParl types).
            models.Index(fields=["updated_at"], name="meeting_modified"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("council:meeting", kwargs={"body_slug": self.body.slug, "pk": self.pk})

    @property
    def cancelled(self) -> bool:
        return self.state == MeetingState.CANCELLED

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("A meeting cannot end before it starts.")})


class PaperType(models.TextChoices):
    PROPOSAL = "beschlussvorlage", _("Beschlussvorlage")
    NOTICE = "mitteilungsvorlage", _("Mitteilungsvorlage")
    MOTION = "antrag", _("Antrag")
    INQUIRY = "anfrage", _("Anfrage")
    STATEMENT = "stellungnahme", _("Stellungnahme")
    STATUS_REPORT = "sachstandsbericht", _("Sachstandsbericht")
    SUPPLEMENT = "ergaenzungsvorlage", _("Ergänzungsvorlage")


class PaperState(models.TextChoices):
    DRAFT = "entwurf", _("draft")
    SIGNING = "mitzeichnung", _("in co-signing")
    RELEASED = "freigegeben", _("released")


class Paper(BodyScopedModel):
    """A Vorlage / Drucksache (OParl Paper). Released papers are public unless marked
    non-public; a released paper changes only through a supplementary paper."""

    reference = models.CharField(
        _("reference number"), max_length=40, blank=True, help_text=_("Given on release.")
    )
    paper_type = models.CharField(_("type"), max_length=20, choices=PaperType.choices)
    name = models.CharField(_("subject (Betreff)"), max_length=500)
    date = models.DateField(_("date"), default=timezone.localdate)
    state = models.CharField(
        _("state"), max_length=15, choices=PaperState.choices, default=PaperState.DRAFT
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Non-public papers are for the members only.")
    )
    originator_unit = models.ForeignKey(
        "strategy.OrgUnit",
        verbose_name=_("originating unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="papers",
    )
    originator_organization = models.ForeignKey(
        Organization,
        verbose_name=_("submitted by (organization)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_papers",
        help_text=_("For an Antrag or Anfrage of a Fraktion."),
    )
    reporter = models.ForeignKey(
        Person,
        verbose_name=_("reporting person (Berichterstatter:in)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_papers",
    )
    decision_proposal = models.TextField(
        _("decision proposal (Beschlussvorschlag)"), blank=True, help_text=_("Markdown")
    )
    reasoning = models.TextField(
        _("facts and reasoning (Sachverhalt / Begründung)"), blank=True, help_text=_("Markdown")
    )
    impacts = models.OneToOneField(
        ImpactAssessment,
        verbose_name=_("impacts"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paper",
    )
    digital_check = models.OneToOneField(
        "assessment.DigitalCheck",
        verbose_name=_("E-Government-Check"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paper",
    )
    follow_up_wanted = models.BooleanField(_("Beschlusskontrolle wanted"), default=False)
    follow_up_unit = models.ForeignKey(
        "strategy.OrgUnit",
        verbose_name=_("unit responsible for the follow-up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    supplements = models.ForeignKey(
        "self",
        verbose_name=_("supplements"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supplementary_papers",
        help_text=_("The released paper this Ergänzungsvorlage changes."),
    )
    related_papers = models.ManyToManyField(
        "self", verbose_name=_("related papers"), blank=True, symmetrical=True
    )
    measures = models.ManyToManyField(
        "strategy.Measure", verbose_name=_("measures"), blank=True, related_name="papers"
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["body", "-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "reference"],
                condition=~models.Q(reference=""),
                name="unique_paper_reference",
            )
        ]
        indexes = [
            models.Index(fields=["body", "-date", "-id"], name="paper_newest"),
            # What the public list reads: released public papers, newest first, their count
            # and the span of years, all from the index.
            models.Index(
                fields=["body", "state", "is_public", "-date", "-id"], name="paper_listed"
            ),
            models.Index(fields=["body", "paper_type"], name="paper_type"),
            models.Index(fields=["updated_at"], name="paper_modified"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("council:paper", kwargs={"body_slug": self.body.slug, "pk": self.pk})

    @property
    def is_released(self) -> bool:
        return self.state == PaperState.RELEASED


class SignoffState(models.TextChoices):
    OPEN = "offen", _("open")
    APPROVED = "zugestimmt", _("approved")
    COMMENTED = "anmerkung", _("approved with a comment")
    REFUSED = "abgelehnt", _("refused")


class Signoff(models.Model):
    """A Mitzeichnung: a unit that must (or may) approve a paper before its release."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="signoffs")
    unit = models.ForeignKey(
        "strategy.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    required = models.BooleanField(_("required"), default=True)
    state = models.CharField(
        _("state"), max_length=10, choices=SignoffState.choices, default=SignoffState.OPEN
    )
    comment = models.TextField(_("comment"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("co-signing")
        verbose_name_plural = _("co-signings")
        ordering = ["paper", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "unit"], name="one_signoff_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.paper_id}: {self.unit_id} {self.state}"

    @property
    def is_given(self) -> bool:
        return self.state in (SignoffState.APPROVED, SignoffState.COMMENTED)


class ConsultationRole(models.TextChoices):
    PRELIMINARY = "vorberatung", _("Vorberatung")
    DECISION = "entscheidung", _("Entscheidung")
    NOTICE = "kenntnisnahme", _("Kenntnisnahme")


class Consultation(models.Model):
    """One step of a paper's Beratungsfolge (OParl Consultation)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="consultations")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    planned_date = models.DateField(_("planned for"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=15, choices=ConsultationRole.choices)
    authoritative = models.BooleanField(
        _("authoritative"), default=False, help_text=_("This organization decides finally.")
    )
    is_public = models.BooleanField(_("public"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # When the row was created and last changed: OParl's ``created`` and ``modified``.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["paper", "order", "pk"]
        indexes = [models.Index(fields=["updated_at"], name="consultation_modified")]

    def __str__(self) -> str:
        return f"{self.paper} – {self.organization} ({self.get_role_display()})"

    @property
    def body_id(self) -> int:
        return self.paper.body_id


class AgendaItem(models.Model):
    """A Tagesordnungspunkt (OParl AgendaItem). ``number`` is written as German practice
    does: "Ö 1", "Ö 2" … in the public part, "N 1" … in the non-public part."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    number = models.CharField(_("number"), max_length=20, blank=True)
    name = models.CharField(_("title"), max_length=500)
    is_public = models.BooleanField(_("public"), default=True)
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    result = models.CharField(_("result"), max_length=200, blank=True)
    resolution_text = models.TextField(_("resolution text"), blank=True, help_text=_("Markdown"))

    # When the row was created and last changed: OParl's ``created`` and ``modified``.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="unique_agenda_order")
        ]
        indexes = [models.Index(fields=["updated_at"], name="agendaitem_modified")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    @property
    def body_id(self) -> int:
        return self.meeting.body_id


def file_path(instance, filename: str) -> str:
    return random_filename("council", filename)


class File(BodyScopedModel):
    """An Anlage (OParl File): stored outside /media/, served through a view that checks
    who may see what it belongs to; SHA-512 and extracted text kept for checks and search."""

    class Role(models.TextChoices):
        MAIN = "haupt", _("main file")
        ATTACHMENT = "anlage", _("attachment")
        INVITATION = "einladung", _("invitation")
        MINUTES = "niederschrift", _("minutes")

    name = models.CharField(_("name"), max_length=300)
    file = models.FileField(_("file"), storage=private_storage, upload_to=file_path)
    file_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha512 = models.CharField(max_length=128)
    text = models.TextField(_("text"), blank=True)
    date = models.DateField(_("date"), default=timezone.localdate)
    role = models.CharField(_("role"), max_length=15, choices=Role.choices, default=Role.ATTACHMENT)
    paper = models.ForeignKey(
        Paper, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["body", "role", "name"]
        indexes = [models.Index(fields=["updated_at"], name="file_modified")]

    def __str__(self) -> str:
        return self.name


class DecisionOutcome(models.TextChoices):
    ADOPTED = "beschlossen", _("beschlossen")
    ADOPTED_UNCHANGED = "ungeaendert", _("ungeändert beschlossen")
    ADOPTED_AMENDED = "geaendert", _("mit Änderungen beschlossen")
    REJECTED = "abgelehnt", _("abgelehnt")
    POSTPONED = "vertagt", _("vertagt")
    NOTED = "kenntnis", _("zur Kenntnis genommen")
    REFERRED = "verwiesen", _("verwiesen an")
    WITHDRAWN = "zurueckgezogen", _("zurückgezogen")


ADOPTING = {
    DecisionOutcome.ADOPTED,
    DecisionOutcome.ADOPTED_UNCHANGED,
    DecisionOutcome.ADOPTED_AMENDED,
}


class Decision(BodyScopedModel):
    """A Beschluss: the outcome of one treated agenda item."""

    agenda_item = models.OneToOneField(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=15, choices=DecisionOutcome.choices)
    referred_to = models.ForeignKey(
        Organization,
        verbose_name=_("referred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution_text = models.TextField(_("resolution text"), blank=True, help_text=_("Markdown"))
    votes_for = models.PositiveSmallIntegerField(_("yes"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("no"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    unanimous = models.BooleanField(_("unanimous"), default=False)
    number = models.CharField(_("decision number"), max_length=40, blank=True)
    date = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["body", "-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"],
                condition=~models.Q(number=""),
                name="unique_decision_number",
            )
        ]
        indexes = [
            # The newest decisions (front page, decision list) read off the index instead of
            # sorting every decision of the body.
            models.Index(fields=["body", "-date", "-id"], name="decision_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_outcome_display()}".strip()

    def clean(self) -> None:
        if self.outcome == DecisionOutcome.REFERRED and not self.referred_to_id:
            raise ValidationError({"referred_to": _("Say where the item was referred to.")})


class FollowUpState(models.TextChoices):
    OPEN = "offen", _("offen")
    IN_PROGRESS = "in_umsetzung", _("in Umsetzung")
    DONE = "erledigt", _("erledigt")


def follow_up_standing(state: str, due_date, done_on, today) -> str:
    """Where a follow-up stands on ``today``: "done_on_time", "done_late", "open_overdue" or
    "open_in_time". One without a due date is never late or overdue."""
    if state == FollowUpState.DONE:
        late = bool(due_date and done_on and done_on > due_date)
        return "done_late" if late else "done_on_time"
    return "open_overdue" if due_date and due_date < today else "open_in_time"


class FollowUp(BodyScopedModel):
    """The Beschlusskontrolle of a decision: who implements it by when, and whether it
    happened. "überfällig" is derived: not done and past the due date."""

    decision = models.OneToOneField(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="follow_up"
    )
    unit = models.ForeignKey(
        "strategy.OrgUnit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=15, choices=FollowUpState.choices, default=FollowUpState.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up (Beschlusskontrolle)")
        verbose_name_plural = _("follow-ups (Beschlusskontrolle)")
        ordering = ["body", "due_date", "pk"]
        indexes = [models.Index(fields=["body", "state", "due_date"], name="followup_due")]

    def __str__(self) -> str:
        return f"{self.decision} → {self.due_date}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return follow_up_standing(self.state, self.due_date, self.done_on, today) == "open_overdue"


class FollowUpNote(models.Model):
    """A dated progress note of a follow-up."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("progress"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["follow_up", "-created_at"]

    def __str__(self) -> str:
        return self.text[:60]
