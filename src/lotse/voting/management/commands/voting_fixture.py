"""``lotse voting_fixture``: a committee in session with a running poll and N members signed
in, for load tests and the voting bench. Prints JSON with the addresses and each member's
session cookie, so a load generator can vote over HTTP without signing in first."""

import json
from importlib import import_module
from secrets import token_hex as random_hex

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.mfa import (
    HAS_FACTOR_SESSION_KEY,
    REQUIRED_SESSION_KEY,
    ROLE_STATE_SESSION_KEY,
    access_stamp,
)
from lotse.core.models import Body
from lotse.council.models import (
    AgendaItem,
    Meeting,
    Membership,
    MembershipRole,
    Organization,
    OrganizationType,
    Person,
)
from lotse.voting import services
from lotse.voting.models import Attendance, Majority, PollKind, Presence

# The sessions name the backend a password login would have used.
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=60, help="voting members (seats)")
        parser.add_argument("--kind", choices=PollKind.values, default=PollKind.SECRET)
        parser.add_argument(
            "--ineligible",
            action="store_true",
            help="add people who may not vote: absent, befangen, no voting right, "
            "another committee, another body",
        )

    @transaction.atomic
    def handle(self, *args, members: int, kind: str, ineligible: bool, **options):
        if members < 1 or kind == PollKind.ANALOG:
            raise CommandError(_("Give at least one member and a poll in which each votes."))
        body = self.new_body()
        committee = Organization.objects.create(
            body=body,
            name="Ausschuss für Lasttests",
            organization_type=OrganizationType.COMMITTEE,
            statutory_members=members + (2 if ineligible else 0),
        )
        factions = [
            Organization.objects.create(
                body=body, name=name, organization_type=OrganizationType.FACTION
            )
            for name in ("Fraktion A", "Fraktion B")
        ]
        people = self.people(body, "mitglied", members)
        Membership.objects.bulk_create(
            Membership(
                person=person,
                organization=committee,
                role=MembershipRole.CHAIR if number == 0 else MembershipRole.MEMBER,
                on_behalf_of=factions[number % 2],
            )
            for number, person in enumerate(people)
        )
        chair = people[0].user
        meeting = Meeting.objects.create(
            body=body, name="Sitzung unter Last", start=timezone.now(), is_hybrid=True
        )
        meeting.organizations.add(committee)
        item = AgendaItem.objects.create(
            meeting=meeting, order=1, number="Ö 1", name="Beschluss unter Last"
        )
        others = self.ineligible(body, committee, people) if ineligible else {}
        session = services.start_session(chair, meeting)
        session = services.open_session(chair, session)
        # Everyone checks in at once, as when the members join the meeting.
        present = [person.pk for person in people] + [
            others[reason].pk for reason in ("befangen", "advisory") if reason in others
        ]
        Attendance.objects.filter(session=session, person_id__in=present).update(
            presence=Presence.ONLINE, recorded_at=timezone.now()
        )
        services.set_current_item(chair, session, item)
        if "befangen" in others:
            services.declare_conflict(others["befangen"].user, session, item)
        poll = services.create_poll(
            chair, session, item, kind, "Dem Antrag wird zugestimmt.", Majority.SIMPLE
        )
        poll = services.open_poll(chair, poll)

        def url(name, **kwargs):
            return reverse(
                f"voting:{name}", kwargs={"body_slug": body.slug, "pk": meeting.pk, **kwargs}
            )

        self.stdout.write(
            json.dumps(
                {
                    "body": body.slug,
                    "meeting": meeting.pk,
                    "poll": poll.pk,
                    "kind": kind,
                    "eligible": poll.eligible,
                    "cookie": settings.SESSION_COOKIE_NAME,
                    "urls": {
                        "member": url("member"),
                        "cast": url("cast", poll_pk=poll.pk),
                        "console": url("console"),
                        "close": url("poll_action", poll_pk=poll.pk, action="schliessen"),
                        "publish": url("poll_action", poll_pk=poll.pk, action="veroeffentlichen"),
                        "display": url("display_part"),
                    },
                    "chair": self.session(chair),
                    "voters": [
                        {"person": person.pk, "session": self.session(person.user)}
                        for person in people
                    ],
                    "ineligible": {
                        reason: self.session(person.user) for reason, person in others.items()
                    },
                }
            )
        )

    def new_body(self) -> Body:
        number = Body.objects.count() + 1
        while Body.objects.filter(slug=f"lasttest-{number}").exists():
            number += 1
        return Body.objects.create(
            name=f"Lasttest {number}",
            short_name=f"Lasttest {number}",
            slug=f"lasttest-{number}",
            kind=Body.Kind.STADT,
            ags=f"09{number:06d}",
            rgs=f"09{number:06d}0000",
        )

    def people(self, body: Body, prefix: str, count: int) -> list[Person]:
        users = get_user_model().objects.bulk_create(
            get_user_model()(
                email=f"{prefix}{number}@{body.slug}.example",
                display_name=f"{prefix.title()} {number}",
                password=make_password(None),
            )
            for number in range(count)
        )
        if not all(user.pk for user in users):  # backends that return no keys
            users = list(
                get_user_model()
                .objects.filter(email__endswith=f"@{body.slug}.example", email__startswith=prefix)
                .order_by("pk")
            )
        # Chairs and voting members sign in with a second factor (Body.voters_need_mfa).
        Authenticator.objects.bulk_create(
            Authenticator(user=user, type=Authenticator.Type.TOTP, data={"secret": random_hex(20)})
            for user in users
        )
        return Person.objects.bulk_create(
            Person(body=body, user=user, family_name=f"{prefix.title()} {number}", given_name="Ada")
            for number, user in enumerate(users)
        )

    def ineligible(self, body: Body, committee: Organization, people: list) -> dict:
        """One person for each way of not being entitled to vote."""
        absent, befangen, advisory, elsewhere = self.people(body, "nicht", 4)
        for person in (absent, befangen):
            Membership.objects.create(person=person, organization=committee)
        Membership.objects.create(
            person=advisory,
            organization=committee,
            role=MembershipRole.ADVISORY,
            voting_right=False,
        )
        other_committee = Organization.objects.create(
            body=body, name="Anderer Ausschuss", organization_type=OrganizationType.COMMITTEE
        )
        Membership.objects.create(person=elsewhere, organization=other_committee)
        other_body = self.new_body()
        (stranger,) = self.people(other_body, "fremd", 1)
        Membership.objects.create(
            person=stranger,
            organization=Organization.objects.create(
                body=other_body,
                name="Ausschuss für Lasttests",
                organization_type=OrganizationType.COMMITTEE,
            ),
        )
        return {
            "absent": absent,
            "befangen": befangen,
            "advisory": advisory,
            "other_committee": elsewhere,
            "other_body": stranger,
        }

    @staticmethod
    def session(user) -> str:
        """A signed-in session, as after a login."""
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = BACKEND
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        # As after signing in with the second factor (lotse.accounts.mfa.remember_requirement).
        store[REQUIRED_SESSION_KEY] = True
        store[HAS_FACTOR_SESSION_KEY] = True
        store[ROLE_STATE_SESSION_KEY] = [access_stamp(user), False, False]  # no role
        store.create()
        return store.session_key
