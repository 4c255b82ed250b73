"""Hybrid meetings run live: attendance, quorum, conflicts of interest and polls.

A meeting of one organization is run as a ``LiveSession``. Polls are open (totals and counts
per Fraktion published), named (each member's vote published) or secret (totals only), or an
analog show of hands entered by the chair. Who may vote is fixed when a poll opens, as a list
of ``Voter`` rows; that list is also the voted-list that lets each member vote once.

Secret polls keep no link between a person and a ballot: a ``Ballot`` has a random key, no
voter, no time and no sequence. The blank ballots are created when the poll opens, one per
voter; a cast fills a blank ballot chosen at random, so neither the keys nor the order of the
rows say who filled which. (The database's own write-ahead log records the order of writes,
as any database does; it is protected like the server itself.)
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core.models import BodyScopedModel
from lotse.council.models import AgendaItem, Decision, Meeting, Organization, Person


class SessionState(models.TextChoices):
    PREPARED = "vorbereitet", _("prepared")
    OPEN = "eroeffnet", _("open")
    CLOSED = "geschlossen", _("closed")


class QuorumException(models.TextChoices):
    """Cases in which the law lets a meeting decide whatever the number present."""

    SECOND_MEETING = (
        "wiederholungssitzung",
        _(
            "Second meeting on the same items after a lack of quorum, with the notice in the "
            "invitation (§ 49 Abs. 2 GO NRW)"
        ),
    )


class LiveSession(BodyScopedModel):
    """A meeting run live (Sitzungsleitung). ``version`` grows with every change, so the
    pages of every app process can tell from the database that something happened."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="live")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Whose members attend and vote."),
    )
    state = models.CharField(
        _("state"), max_length=15, choices=SessionState.choices, default=SessionState.PREPARED
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (per cent of the statutory members)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The meeting has a quorum when more than this share is present."),
    )
    current_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("current item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quorum_established_at = models.DateTimeField(null=True, blank=True)
    quorum_established_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quorum_present = models.PositiveSmallIntegerField(null=True, blank=True)
    # The chair's finding that the meeting is not beschlussfähig (§ 49 Abs. 1 GO NRW: a
    # meeting counts as beschlussfähig until its Beschlussunfähigkeit is found). No poll starts
    # after it, unless the quorum is established again or the chair records a case in which
    # the law lets the meeting decide regardless (``quorum_exception``).
    quorum_failed_at = models.DateTimeField(null=True, blank=True)
    quorum_failed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quorum_exception = models.CharField(
        _("decides regardless of the number present"),
        max_length=30,
        choices=QuorumException.choices,
        blank=True,
    )
    quorum_exception_reason = models.TextField(_("reason"), blank=True)
    version = models.PositiveBigIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("live meeting")
        verbose_name_plural = _("live meetings")

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def quorum_lacking(self) -> bool:
        """The chair has found the meeting not beschlussfähig and recorded no exception."""
        return self.quorum_failed_at is not None and not self.quorum_exception


class Presence(models.TextChoices):
    ROOM = "saal", _("in the room")
    ONLINE = "online", _("online")
    ABSENT = "abwesend", _("absent")


class Attendance(models.Model):
    """Whether a person attends, and how. A deputy (Stellvertretung) who attends for an
    absent member names that member in ``deputy_for`` and votes in their place."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    presence = models.CharField(
        _("presence"), max_length=10, choices=Presence.choices, default=Presence.ABSENT
    )
    deputy_for = models.ForeignKey(
        Person,
        verbose_name=_("deputy for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_attendance_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_presence_display()}"

    @property
    def is_present(self) -> bool:
        return self.presence != Presence.ABSENT


class Conflict(models.Model):
    """A member's declared conflict of interest (Befangenheit, § 31 GO NRW) for one item:
    they are not eligible in its polls."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="conflicts")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    declared_at = models.DateTimeField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "person"], name="one_conflict_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.agenda_item}"


class PollKind(models.TextChoices):
    OPEN = "offen", _("open")
    NAMED = "namentlich", _("named")
    SECRET = "geheim", _("secret")
    ANALOG = "analog", _("show of hands (entered by the chair)")


class Majority(models.TextChoices):
    SIMPLE = "einfach", _("simple majority")
    ABSOLUTE = "absolut", _("absolute majority of the statutory members")
    TWO_THIRDS_PRESENT = "zwei_drittel_anwesend", _("two-thirds majority of those present")
    TWO_THIRDS_STATUTORY = (
        "zwei_drittel_gesetzlich",
        _("two-thirds majority of the statutory members"),
    )


class PollState(models.TextChoices):
    CREATED = "angelegt", _("created")
    OPEN = "laeuft", _("running")
    CLOSED = "geschlossen", _("closed")
    PUBLISHED = "veroeffentlicht", _("published")
    CANCELLED = "abgebrochen", _("cancelled")


class VoteOption(models.TextChoices):
    YES = "ja", _("Yes")
    NO = "nein", _("No")
    ABSTAIN = "enthaltung", _("Abstention")


class Poll(BodyScopedModel):
    """A vote on an agenda item. Its lifecycle is kept with who and when; the counts are
    written once, when it closes."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="polls")
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="polls"
    )
    motion = models.TextField(_("motion"), help_text=_("What the members vote on."))
    kind = models.CharField(_("kind of vote"), max_length=12, choices=PollKind.choices)
    majority = models.CharField(
        _("majority needed"), max_length=25, choices=Majority.choices, default=Majority.SIMPLE
    )
    state = models.CharField(
        _("state"), max_length=15, choices=PollState.choices, default=PollState.CREATED
    )
    statutory_members = models.PositiveSmallIntegerField(default=0)
    present = models.PositiveSmallIntegerField(null=True, blank=True)
    eligible = models.PositiveSmallIntegerField(null=True, blank=True)
    # The votes cast, written once when the poll closes (the voted-list's size) or with the
    # counts of a show of hands. A vote never writes the poll's row; while the poll runs the
    # pages count the voted-list (``selectors.running_poll``: ``voted``).
    cast = models.PositiveIntegerField(default=0)
    yes = models.PositiveSmallIntegerField(null=True, blank=True)
    no = models.PositiveSmallIntegerField(null=True, blank=True)
    abstain = models.PositiveSmallIntegerField(null=True, blank=True)
    adopted = models.BooleanField(null=True, blank=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["cast"])

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["session", "created_at", "pk"]
        constraints = [
            # At most one poll runs at a time in a meeting.
            models.UniqueConstraint(
                fields=["session"], condition=models.Q(state="laeuft"), name="one_running_poll"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agenda_item}: {self.motion[:60]}"

    @property
    def is_finished(self) -> bool:
        return self.state in (PollState.CLOSED, PollState.PUBLISHED)


class Voter(models.Model):
    """One seat's right to vote in one poll, fixed when the poll opens; ``has_voted`` makes
    it the voted-list. No time is kept, so the list cannot be lined up with the ballots."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voters")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", help_text="whose seat"
    )
    cast_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", help_text="who votes (a deputy)"
    )
    faction = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    has_voted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        constraints = [
            models.UniqueConstraint(fields=["poll", "person"], name="one_seat_per_poll"),
            models.UniqueConstraint(fields=["poll", "cast_by"], name="one_voice_per_poll"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Vote(models.Model):
    """A vote of an open or named poll: who voted how (and for whom, as a deputy)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    voter = models.OneToOneField(Voter, on_delete=models.CASCADE, related_name="vote")
    option = models.CharField(max_length=12, choices=VoteOption.choices)
    cast_at = models.DateTimeField()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return f"{self.voter}: {self.option}"


class Ballot(models.Model):
    """A ballot of a secret poll: a random key, the poll and the option, nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    option = models.CharField(max_length=12, choices=VoteOption.choices, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        indexes = [models.Index(fields=["poll", "option", "id"], name="ballot_blank_first")]

    def __str__(self) -> str:
        return str(self.poll_id)
