"""Data for the scale-out journey on a freshly migrated primary: a town with an open
participation process, an idea by someone else and a citizen who signs in; a committee in a
live meeting with an open poll and two members who vote; a programme owner with a draft
status report to publish.

Run as ``python -m tests.scaleout.setup_data`` with the app processes' environment."""

import json
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from lotse.accounts.models import BodyRole, Role  # noqa: E402
from lotse.council.models import AgendaItem, MembershipRole  # noqa: E402
from lotse.reporting import periods  # noqa: E402
from lotse.reporting import services as reporting  # noqa: E402
from lotse.voting import services as voting  # noqa: E402
from lotse.voting.models import Majority, PollKind, Presence  # noqa: E402
from tests.council.factories import (  # noqa: E402
    ConsultationFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PaperFactory,
    PersonFactory,
)
from tests.factories import PASSWORD, BodyFactory, UserFactory  # noqa: E402
from tests.participation.factories import IdeaFactory, ProcessFactory  # noqa: E402

body = BodyFactory(slug="skalierstadt", name="Stadt Skalierstadt", short_name="Skalierstadt")
body.voters_need_mfa = False
body.save(update_fields=["voters_need_mfa"])
process = ProcessFactory(body=body, title="Digitale Skalierstadt", slug="digital")
IdeaFactory(process=process, title="Kostenloses WLAN in der Stadtbibliothek")
UserFactory(email="buergerin@skalierstadt.example", display_name="Berta Bürgerin")

# A live meeting: chair and two members present, quorum established, an open poll running.
committee = OrganizationFactory(body=body, name="Digitalausschuss", statutory_members=3)
people = []
for number, role in enumerate([MembershipRole.CHAIR, MembershipRole.MEMBER, MembershipRole.MEMBER]):
    user = UserFactory(email=f"mitglied{number}@skalierstadt.example")
    person = PersonFactory(body=body, user=user)
    MembershipFactory(organization=committee, person=person, role=role, voting_right=True)
    people.append(person)
chair = people[0].user
meeting = MeetingFactory(body=body, organizations=[committee], start=timezone.now())
paper = PaperFactory(body=body)
consultation = ConsultationFactory(paper=paper, organization=committee, meeting=meeting)
item = AgendaItem.objects.create(
    meeting=meeting, order=1, number="Ö 1", name=paper.name, consultation=consultation
)
session = voting.open_session(chair, voting.start_session(chair, meeting))
for person in people:
    voting.set_presence(chair, session, person, Presence.ROOM)
voting.establish_quorum(chair, session)
poll = voting.open_poll(
    chair,
    voting.create_poll(chair, session, item, PollKind.OPEN, "Wir stimmen zu.", Majority.SIMPLE),
)

# A draft status report and the programme owner who publishes it.
owner = UserFactory(email="cdo@skalierstadt.example")
BodyRole.objects.create(user=owner, body=body, role=Role.PROGRAM_OWNER)
draft = reporting.create_draft(
    owner, body, periods.last_half_year(timezone.localdate()), title="Sachstandsbericht Skalierung"
)
ids = {"meeting": meeting.pk, "poll": poll.pk, "report": draft.pk}
Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
(Path(settings.DATA_DIR) / "scaleout.json").write_text(json.dumps(ids))
print(
    f"body=skalierstadt process={process.pk} meeting={meeting.pk} poll={poll.pk} "
    f"report={draft.pk} password={PASSWORD}"
)
