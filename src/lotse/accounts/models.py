"""Users, their roles per body, and personal API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core.models import BodyScopedModel


class LotseUserManager(UserManager):
    """Users log in with their e-mail address; there is no user name."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account. Every registered user is a citizen; more comes from roles.

    ``is_superuser`` marks a site admin (all bodies, Django admin). An erased account keeps
    its row so that content that must stay (a decision's author, a comment in a thread) is
    shown as from a deleted account.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("Shown with your contributions. Leave empty to stay anonymous."),
    )
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    # When a role or a second factor of the user last changed: sessions keep what the MFA
    # check found and look again only after this moved (lotse.accounts.mfa), so requests
    # pay no query for it (the user's row is read anyway).
    access_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = LotseUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.erased_at:
            return str(_("deleted account"))
        return self.display_name or str(_("anonymous"))


class Role(models.TextChoices):
    """Roles a user holds in one body. Citizen is implicit (any registered user)."""

    MODERATOR = "moderator", _("Moderation")
    STAFF = "staff", _("Administration staff")
    PROGRAM_OWNER = "program_owner", _("Programme owner (CDO)")
    COUNCIL_OFFICE = "council_office", _("Council office")
    BODY_ADMIN = "body_admin", _("Body administrator")


class BodyRole(BodyScopedModel):
    """A user's role in one body. Who granted it when is kept in history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="body_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "body", "role"], name="unique_body_role")
        ]
        ordering = ["body__name", "role"]

    def __str__(self) -> str:
        return f"{self.user.email}: {self.get_role_display()} ({self.body})"


TOKEN_PREFIX = "lotse_"


def hash_token(raw: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 suffices (no slow password hash).
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A personal token for the write endpoints of the REST API. Only its hash is stored;
    the token itself is shown once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("starts with"), max_length=16)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def generate() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)
