"""Demo accounts: one per role and body, a citizen and a site admin. All invented."""

import functools

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from lotse.accounts.models import BodyRole, Role, User
from lotse.core.models import Body

DEMO_PASSWORD = "Lotse-Demo-2026"
DEMO_BODIES = ["musterkreis", "musterstadt", "beispielstadt"]

# The part of the address before @<body>.example, and a display name.
ROLE_ACCOUNTS = {
    Role.MODERATOR: ("moderation", "Mira Moderation"),
    Role.STAFF: ("verwaltung", "Volker Verwaltung"),
    Role.PROGRAM_OWNER: ("cdo", "Clara Digital"),
    Role.COUNCIL_OFFICE: ("sitzungsdienst", "Simon Sitzung"),
    Role.BODY_ADMIN: ("admin", "Anke Admin"),
}
CITIZEN = ("buerger@lotse.example", "Berta Bürgerin")
SITE_ADMIN = ("siteadmin@lotse.example", "Sina Site-Admin")


def demo_logins() -> list[tuple[str, str]]:
    """(role label, e-mail) for every demo account, in the order make run prints them."""
    logins = [("Bürger:in (alle Körperschaften)", CITIZEN[0])]
    for slug in DEMO_BODIES:
        for role, (local, _name) in ROLE_ACCOUNTS.items():
            logins.append((f"{role.label} – {slug}", f"{local}@{slug}.example"))
    logins.append(("Ratsmitglied – musterstadt", "ratsmitglied@musterstadt.example"))
    logins.append(("Site-Admin", SITE_ADMIN[0]))
    return logins


@functools.cache
def _password_hash() -> str:
    """One hash of the (published) demo password for every demo account: Argon2 is slow on
    purpose, and hashing it anew for each of some 70 accounts took a quarter of the demo."""
    return make_password(DEMO_PASSWORD)


def _account(email: str, display_name: str, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email.lower(),
            display_name=display_name,
            password=_password_hash(),
            is_staff=superuser,
            is_superuser=superuser,
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def load(out) -> None:
    created_before = User.objects.count()
    _account(*CITIZEN)
    _account(*SITE_ADMIN, superuser=True)
    for slug in DEMO_BODIES:
        body = Body.objects.get(slug=slug)
        for role, (local, name) in ROLE_ACCOUNTS.items():
            user = _account(f"{local}@{slug}.example", f"{name} ({body.short_name})")
            BodyRole.objects.get_or_create(user=user, body=body, role=role)
    created = User.objects.count() - created_before
    if created:
        out.write(f"  Demo-Konten angelegt: {created}")
