"""Participation: Beteiligungsverfahren with phases, ideas, supports, ratings, comments,
follows, moderation, notifications and workshops.

Counters on :class:`Idea` (supports, comments, ratings) are kept by the services in the same
transaction as the row they count, so lists of 50,000 ideas sort on an indexed column instead
of aggregating half a million rows.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core.models import Body, BodyScopedModel, private_storage, random_filename

IDEA_TITLE_MAX = 120
IDEA_TEXT_MAX = 5000
COMMENT_TEXT_MAX = 2000
COMMENT_EDIT_MINUTES = 15


class ParticipationSettings(BodyScopedModel):
    """A body's knobs for its idea platform: moderation threshold and rate limits."""

    reports_to_hide = models.PositiveSmallIntegerField(
        _("reports until content hides itself"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Reported content is hidden until a moderator has reviewed it."),
    )
    ideas_per_hour = models.PositiveSmallIntegerField(
        _("ideas per person and hour"), default=5, validators=[MinValueValidator(1)]
    )
    comments_per_hour = models.PositiveSmallIntegerField(
        _("comments per person and hour"), default=30, validators=[MinValueValidator(1)]
    )
    reports_per_hour = models.PositiveSmallIntegerField(
        _("reports per person and hour"), default=20, validators=[MinValueValidator(1)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation settings")
        verbose_name_plural = _("participation settings")
        constraints = [
            models.UniqueConstraint(fields=["body"], name="one_participation_settings_per_body")
        ]

    def __str__(self) -> str:
        return str(self.body)

    @classmethod
    def of(cls, body: Body) -> "ParticipationSettings":
        found = cls.objects.filter(body=body).first()
        return found or cls(body=body)


class Process(BodyScopedModel):
    """A Beteiligungsverfahren. A permanent idea platform is a process whose last phase has no
    end."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short address"), max_length=80)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    action_fields = models.ManyToManyField(
        "strategy.ActionField",
        verbose_name=_("action fields in scope"),
        blank=True,
        related_name="processes",
    )
    rating_question = models.CharField(
        _("rating question"),
        max_length=200,
        default=_("How important is this for our town?"),
        help_text=_("The question people answer with one to five stars."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation process")
        verbose_name_plural = _("participation processes")
        ordering = ["body", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["body", "slug"], name="unique_process_slug")]

    def __str__(self) -> str:
        return self.title

    def current_phase(self, now=None) -> "Phase | None":
        now = now or timezone.now()
        for phase in self.phases.all():
            if phase.start <= now and (phase.end is None or now < phase.end):
                return phase
        return None

    def allows(self, action: str, now=None) -> bool:
        phase = self.current_phase(now)
        return bool(phase and action in PHASE_ACTIONS[phase.kind])


class PhaseKind(models.TextChoices):
    COLLECT = "ideen", _("Collecting ideas")
    COMMENT_RATE = "bewerten", _("Commenting and rating")
    REVIEW = "pruefung", _("Review")
    RESULT = "ergebnis", _("Result")


class Action(models.TextChoices):
    """What a phase can allow."""

    SUBMIT = "submit", _("submit ideas")
    COMMENT = "comment", _("comment")
    SUPPORT = "support", _("support ideas")
    RATE = "rate", _("rate ideas")


PHASE_ACTIONS: dict[str, frozenset[str]] = {
    PhaseKind.COLLECT: frozenset({Action.SUBMIT, Action.COMMENT, Action.SUPPORT, Action.RATE}),
    PhaseKind.COMMENT_RATE: frozenset({Action.COMMENT, Action.SUPPORT, Action.RATE}),
    PhaseKind.REVIEW: frozenset(),
    PhaseKind.RESULT: frozenset(),
}


class Phase(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=10, choices=PhaseKind.choices)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("Empty: the phase does not end.")
    )

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["process", "start"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def actions(self) -> list[str]:
        return [a for a in Action.values if a in PHASE_ACTIONS[self.kind]]

    def clean(self) -> None:
        if self.end and self.start and self.end <= self.start:
            raise ValidationError({"end": _("A phase must end after it starts.")}, code="phase")


class IdeaState(models.TextChoices):
    SUBMITTED = "eingereicht", _("submitted")
    IN_REVIEW = "in_pruefung", _("under review")
    ACCEPTED = "angenommen", _("accepted")
    REJECTED = "abgelehnt", _("rejected")
    IMPLEMENTED = "umgesetzt", _("implemented")
    MERGED = "zusammengefuehrt", _("merged")


class Idea(BodyScopedModel):
    """A Vorschlag from a citizen, a topic group or a workshop."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.PROTECT, related_name="ideas"
    )
    title = models.CharField(_("title"), max_length=IDEA_TITLE_MAX)
    text = models.TextField(
        _("text"), validators=[MaxLengthValidator(IDEA_TEXT_MAX)], help_text=_("Markdown")
    )
    action_field = models.ForeignKey(
        "strategy.ActionField",
        verbose_name=_("action field"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    address = models.CharField(_("place (address)"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    # Where an idea came from when nobody typed it in: a workshop result.
    origin_result = models.ForeignKey(
        "WorkshopResult",
        verbose_name=_("workshop result"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=IdeaState.choices, default=IdeaState.SUBMITTED
    )
    state_reason = models.TextField(_("reason"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_ideas",
    )
    measure = models.ForeignKey(
        "strategy.Measure",
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    # The Stellungnahme of the administration.
    answer = models.TextField(_("official answer"), blank=True, help_text=_("Markdown"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Moderation: hidden by a moderator (with a reason) or by reports until reviewed.
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    # Deleted by a moderator: soft, so a measure or decision that refers to the idea keeps
    # it; a deleted idea is also hidden, so every public channel already leaves it out, and
    # nobody (its author and the moderators included) sees it any more.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    # Counters kept by the services (see module docstring).
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    # 0 while unrated (ratings are 1–5), so "best rated" sorts unrated ideas last on every
    # database with a plain index; pages show the mean only when rating_count > 0.
    rating_mean = models.FloatField(_("mean rating"), default=0)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=[
            "support_count",
            "comment_count",
            "rating_count",
            "rating_sum",
            "rating_mean",
            "report_count",
            "updated_at",
        ]
    )

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # One index per sort of the list, ending in the same tie-breakers as the sort, so a
            # page of 25 is read off the index instead of sorting 50,000 rows. is_hidden is not
            # part of them: SQLite cannot use "NOT is_hidden" as an index key, and hidden
            # ideas are few, so skipping them while reading in order costs nothing.
            # On PostgreSQL they carry is_hidden and the process too, so the key before a
            # deep page ("?seite=500") is found from the index alone (core.paging).
            models.Index(
                fields=["body", "-created_at", "-id"],
                name="idea_newest",
                include=["is_hidden", "process"],
            ),
            models.Index(
                fields=["body", "-support_count", "-created_at", "-id"],
                name="idea_supports",
                include=["is_hidden", "process"],
            ),
            models.Index(
                fields=["body", "-comment_count", "-created_at", "-id"],
                name="idea_comments",
                include=["is_hidden", "process"],
            ),
            models.Index(
                fields=["body", "-rating_mean", "-rating_count", "-created_at", "-id"],
                name="idea_rating",
                include=["is_hidden", "process"],
            ),
            # Covers the count of listed ideas (the paginator's) without reading the table.
            models.Index(fields=["body", "is_hidden", "process"], name="idea_listed"),
            models.Index(fields=["body", "state"], name="idea_state"),
            models.Index(fields=["author", "-created_at"], name="idea_author"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:idea", kwargs={"body_slug": self.body.slug, "pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.state == IdeaState.REJECTED and not self.state_reason.strip():
            errors["state_reason"] = _("A rejection needs a reason.")
        if self.state == IdeaState.MERGED and not self.merged_into_id:
            errors["merged_into"] = _("Say which idea this one was merged into.")
        if self.merged_into_id and self.merged_into_id == self.pk:
            errors["merged_into"] = _("An idea cannot be merged into itself.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)


def idea_image_path(instance, filename: str) -> str:
    return random_filename("ideas", filename)


class IdeaImage(models.Model):
    """A picture of an idea, re-encoded on upload so no metadata (e.g. GPS) survives. Served
    through a view that checks the idea is visible."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), storage=private_storage, upload_to=idea_image_path)
    alt_text = models.CharField(
        _("image description"),
        max_length=200,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    content_type = models.CharField(max_length=20, default="image/jpeg")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["idea", "order", "pk"]

    def __str__(self) -> str:
        return self.alt_text


class Support(models.Model):
    """One person's Unterstützung of an idea; withdrawing deletes the row."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="one_support_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"


class Rating(models.Model):
    """One person's Einschätzung (1–5) of an idea on its process's rating question."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    value = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="one_rating_per_person"),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}: {self.value}"


class Comment(models.Model):
    """A comment on an idea, threaded one level deep. Deleting keeps the row (the thread
    stays) and shows "gelöscht"."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="idea_comments",
    )
    text = models.TextField(_("comment"), validators=[MaxLengthValidator(COMMENT_TEXT_MAX)])
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    report_count = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["report_count"])

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["idea", "created_at"], name="comment_thread"),
            models.Index(fields=["author", "-created_at"], name="comment_author"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} on {self.idea_id}"

    @property
    def body_id(self) -> int:
        """So that permission predicates find the body of a comment."""
        return self.idea.body_id

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def editable_until(self):
        return self.created_at + timezone.timedelta(minutes=COMMENT_EDIT_MINUTES)


class Follow(models.Model):
    """Someone follows an idea or a whole process and hears about what happens there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    process = models.ForeignKey(
        Process, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "idea"], name="follow_idea_once"),
            models.UniqueConstraint(fields=["user", "process"], name="follow_process_once"),
            models.CheckConstraint(
                condition=models.Q(idea__isnull=False, process__isnull=True)
                | models.Q(idea__isnull=True, process__isnull=False),
                name="follow_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.idea_id or self.process_id}"


class ReportReason(models.TextChoices):
    SPAM = "spam", _("spam")
    OFFENSIVE = "beleidigend", _("offensive")
    OFF_TOPIC = "thema", _("off topic")
    PERSONAL_DATA = "personenbezogen", _("personal data")
    OTHER = "sonstiges", _("other")


class Report(BodyScopedModel):
    """Somebody flags an idea or a comment. Open until a moderator reviews it."""

    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    text = models.TextField(_("details"), blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(idea__isnull=False, comment__isnull=True)
                | models.Q(idea__isnull=True, comment__isnull=False),
                name="report_one_target",
            ),
        ]
        indexes = [models.Index(fields=["body", "resolved_at"], name="report_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.created_at:%Y-%m-%d})"


class ModerationAction(BodyScopedModel):
    """Every act of moderation, with who, when and why: the moderation log."""

    class Kind(models.TextChoices):
        HIDE = "hide", _("hidden")
        RESTORE = "restore", _("restored")
        DISMISS = "dismiss", _("reports dismissed")
        AUTO_HIDE = "auto_hide", _("hidden after reports")
        BLOCK = "block", _("user blocked")
        UNBLOCK = "unblock", _("user unblocked")
        DELETE = "delete", _("deleted")

    kind = models.CharField(_("action"), max_length=12, choices=Kind.choices)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moderation_actions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        help_text=_("The person the act concerns."),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("moderation act")
        verbose_name_plural = _("moderation acts")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class ModerationNote(BodyScopedModel):
    """An internal note among moderators about an idea, a comment or a person."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation_notes"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation_notes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moderation_notes",
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("moderation note")
        verbose_name_plural = _("moderation notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Block(BodyScopedModel):
    """A person may not post in a body's participation until lifted (or ``until`` passes)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participation_blocks"
    )
    reason = models.TextField(_("reason"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.body_id}"


class NotificationKind(models.TextChoices):
    IDEA_ANSWERED = "answer", _("official answer to my idea")
    IDEA_STATE = "state", _("state of my idea changed")
    COMMENT = "comment", _("new comment on something I follow")
    NEW_IDEA = "new_idea", _("new idea in a process I follow")
    MODERATION = "moderation", _("moderation decision about my contribution")
    MEASURE = "measure", _("a measure from my idea, and its progress")


class Notification(BodyScopedModel):
    """An in-app message; e-mailed at once or in the daily digest, as the person chose."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_inbox"),
            models.Index(fields=["emailed_at", "user"], name="notification_unsent"),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationSettings(models.Model):
    class Email(models.TextChoices):
        IMMEDIATE = "sofort", _("at once")
        DAILY = "taeglich", _("once a day (digest)")
        NEVER = "nie", _("never (only here on the site)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email = models.CharField(
        _("e-mail"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"


class Workshop(BodyScopedModel):
    """A participation event: World Café, Digitalgipfel, Digitales Forum, Werkstatt,
    Wettbewerb."""

    class Kind(models.TextChoices):
        WORLD_CAFE = "world_cafe", _("World Café")
        SUMMIT = "digitalgipfel", _("Digitalgipfel")
        FORUM = "forum", _("Digitales Forum")
        WORKSHOP = "werkstatt", _("Werkstatt")
        COMPETITION = "wettbewerb", _("Wettbewerb")

    kind = models.CharField(_("format"), max_length=15, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    starts_at = models.DateTimeField(_("date"))
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops",
        help_text=_("Ideas from this workshop's results go into this process."),
    )
    is_published = models.BooleanField(_("published"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["body", "-starts_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "participation:workshop", kwargs={"body_slug": self.body.slug, "pk": self.pk}
        )


class WorkshopTopic(models.Model):
    """A table of a World Café, a track of a summit: a topic with its Leitfragen."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("topic"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["workshop", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class GuidingQuestion(models.Model):
    """A Leitfrage of a topic."""

    topic = models.ForeignKey(WorkshopTopic, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("guiding question"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")
        ordering = ["topic", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class WorkshopResult(models.Model):
    """A recorded result of a topic (optionally answering one of its guiding questions)."""

    topic = models.ForeignKey(WorkshopTopic, on_delete=models.CASCADE, related_name="results")
    question = models.ForeignKey(
        GuidingQuestion,
        verbose_name=_("guiding question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="results",
    )
    text = models.TextField(_("result"), max_length=2000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("workshop result")
        verbose_name_plural = _("workshop results")
        ordering = ["topic", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
