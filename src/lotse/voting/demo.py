"""Demo of a live meeting: a Sondersitzung of the Unterausschuss Digitalisierung of
Musterstadt today, its live session prepared (not opened), and demo logins for the chair and
five members, so that after ``make run`` one can open a poll as chair and vote as members in
other browser windows.

Runs after the council demo, which creates the committee and its members. A second run
changes nothing, except that a live meeting nobody has opened yet moves to today again, so the
demo stays ready to run live on any later day.
"""

import datetime

from django.utils import timezone

from lotse.accounts.demo import _account
from lotse.accounts.models import User
from lotse.core import bodies
from lotse.core.models import Body
from lotse.council.demo import BERLIN, BODY, MEMBER_ACCOUNT, SITZUNGSZIMMER, VIDEO_URL
from lotse.council.models import AgendaItem, LegislativeTerm, Meeting, MeetingState, Organization
from lotse.voting import services
from lotse.voting.models import LiveSession, SessionState

COMMITTEE = "Unterausschuss Digitalisierung"
MEETING_NAME = "Sondersitzung des Unterausschusses Digitalisierung (hybrid, digitale Abstimmung)"
START = (16, 30)
MINUTES = 120

# Demo logins of the committee's voting members (the chair is the council demo's
# ratsmitglied@musterstadt.example, Jana Ostermann): (address, family name of the Person).
MEMBER_LOGINS = [
    ("mitglied1@musterstadt.example", "Hansen"),
    ("mitglied2@musterstadt.example", "Möller"),
    ("mitglied3@musterstadt.example", "Simon"),
    ("mitglied4@musterstadt.example", "Nowak"),
    ("mitglied5@musterstadt.example", "Roth"),
]

# (number, title, public)
AGENDA = [
    ("Ö 1", "Eröffnung der Sitzung und Feststellung der Beschlussfähigkeit", True),
    (
        "Ö 2",
        "Richtlinie für den Einsatz von KI-Assistenz im Bürgerservice: Empfehlung an den "
        "Haupt-, Finanz- und Digitalisierungsausschuss",
        True,
    ),
    ("Ö 3", "Offenes WLAN in den Stadtteilzentren: Ausbau 2027", True),
    ("Ö 4", "Mitteilungen der Verwaltung und Anfragen", True),
    ("N 1", "Vergabe: Rahmenvertrag für den IT-Support der Schulen", False),
]


def demo_logins() -> list[tuple[str, str]]:
    """(label, e-mail) of the members' demo logins, for the list ``make run`` prints."""
    return [
        (f"Mitglied UA Digitalisierung ({family}) – {BODY}", email)
        for email, family in MEMBER_LOGINS
    ]


def load(out) -> None:
    body = Body.objects.filter(slug=BODY).first()
    committee = (
        Organization.objects.filter(body=body, name=COMMITTEE).first() if body is not None else None
    )
    if committee is None:
        return
    chair = User.objects.get(email=MEMBER_ACCOUNT[0])
    logins = _member_logins(committee)
    # So that the demo members can vote right away: Musterstadt does not ask its voting
    # members for a second factor (a real body keeps the default). Its chair still needs one.
    if body.voters_need_mfa:
        Body.objects.filter(pk=body.pk).update(voters_need_mfa=False)
        bodies.changed()  # an update sends no signal
    meeting = Meeting.objects.filter(body=body, name=MEETING_NAME, organizations=committee).first()
    if meeting is None:
        meeting = _meeting(body, committee)
        services.start_session(chair, meeting, committee)
        out.write(
            f"  Live-Sitzung Musterstadt: „{meeting.name}“ heute, {len(AGENDA)} "
            f"Tagesordnungspunkte, {len(logins)} Mitglieder mit Demo-Anmeldung."
        )
    else:
        _move_to_today(meeting)


def _member_logins(committee: Organization) -> list[User]:
    """The members' accounts, each linked to the committee member's Person."""
    users = []
    for email, family in MEMBER_LOGINS:
        person = (
            committee.memberships.select_related("person").get(person__family_name=family).person
        )
        user = _account(email, f"{person.given_name} {person.family_name} (Ratsmitglied)")
        if person.user_id is None:
            person.user = user
            person.save(update_fields=["user"])
        users.append(user)
    return users


def _start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(*START), tzinfo=BERLIN)


def _meeting(body: Body, committee: Organization) -> Meeting:
    start = _start(timezone.localdate())
    meeting = Meeting.objects.create(
        body=body,
        name=MEETING_NAME,
        start=start,
        end=start + datetime.timedelta(minutes=MINUTES),
        location=SITZUNGSZIMMER,
        state=MeetingState.INVITED,
        is_hybrid=True,
        video_url=VIDEO_URL,
        legislative_term=LegislativeTerm.objects.filter(body=body).order_by("-start_date").first(),
    )
    meeting.organizations.set([committee])
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=order, number=number, name=name, is_public=public)
        for order, (number, name, public) in enumerate(AGENDA, start=1)
    )
    return meeting


def _move_to_today(meeting: Meeting) -> None:
    """A live meeting still untouched (prepared, nobody present, no poll) moves to today."""
    today = timezone.localdate()
    if timezone.localdate(meeting.start) == today:
        return
    session = LiveSession.objects.filter(meeting=meeting).first()
    untouched = (
        session is not None
        and session.state == SessionState.PREPARED
        and session.version == 0
        and not session.polls.exists()
    )
    if untouched:
        meeting.start = _start(today)
        meeting.end = meeting.start + datetime.timedelta(minutes=MINUTES)
        meeting.save(update_fields=["start", "end", "updated_at"])
