"""Whole journeys across apps, as the issues' "done when" describe them."""

import io

import pytest

from lotse.assessment import services as assessment_services
from lotse.assessment.models import DigitalCheck
from lotse.strategy.models import Measure
from tests.strategy.factories import (
    ActionFieldFactory,
    GoalFactory,
    MeasureFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def test_staff_journey_from_new_measure_to_public_status(client, body, make_member):
    """Create a measure; a 'nicht digital' check without a legal reason is refused; score it;
    it appears in the ranking; record the Lenkungsgremium's decision; post status updates;
    the public page shows them."""
    strategy = StrategyFactory(body=body)
    field = ActionFieldFactory(strategy=strategy, title="Digitale Verwaltung")
    GoalFactory(strategy=strategy, title="Operative Exzellenz")
    owner = make_member(body, "program_owner")
    client.force_login(owner)
    ws = f"/{body.slug}/verwaltung/massnahmen/"

    client.post(
        ws + "neu/",
        {"title": "Digitaler Bauantrag", "primary_field": field.pk, "is_public": "on", "weight": 1},
    )
    measure = Measure.objects.get(title="Digitaler Bauantrag")
    client.post(ws + f"{measure.pk}/status/", {"status": "in_pruefung", "reason": ""})

    check = {"result": "nicht_digital", "legal_reason": "", "internal_note": ""}
    for question in assessment_services.ensure_default_questions(body):
        check[f"answer_{question.pk}"] = "nein"
        check[f"note_{question.pk}"] = ""
    refused = client.post(ws + f"{measure.pk}/egov-check/", check)
    assert "braucht den rechtlichen Grund" in refused.content.decode()
    assert not DigitalCheck.objects.filter(measure=measure).exists()
    check["legal_reason"] = "§ 70 BauO NRW verlangt die Unterschrift der Entwurfsverfasser."
    assert client.post(ws + f"{measure.pk}/egov-check/", check).status_code == 302

    analysis = {
        "one_off_cost": "45000",
        "annual_cost": "3000",
        "staff_days": "10",
        "citizen_benefit": "5",
        "time_saving": "4",
        "hours_saved_per_year": "900",
        "cost_saving": "3",
        "annual_savings": "20000",
        "climate": "2",
        "internal_note": "",
    }
    for goal in strategy.goals.all():
        analysis[f"goal_{goal.pk}"] = "3"
    assert client.post(ws + f"{measure.pk}/bewertung/", analysis).status_code == 302

    ranking = client.get(f"/{body.slug}/priorisierung/").content.decode()
    assert "Digitaler Bauantrag" in ranking
    decided = client.post(
        f"/{body.slug}/priorisierung/",
        {
            "measure": measure.pk,
            "outcome": "priorisiert",
            "rank": "1",
            "decided_on": "2026-11-20",
            "reason": "",
        },
    )
    assert decided.status_code == 302
    measure.refresh_from_db()
    assert measure.status == "priorisiert"

    for status in ("beschlossen", "in_umsetzung"):
        client.post(ws + f"{measure.pk}/status/", {"status": status, "reason": ""})
    client.post(
        ws + f"{measure.pk}/sachstand/",
        {
            "reported_on": "2026-11-21",
            "progress": 15,
            "traffic_light": "gelb",
            "text": "Fachverfahren ausgeschrieben",
            "explanation": "Vergabe dauert länger",
        },
    )

    client.logout()
    public = client.get(f"/{body.slug}/massnahmen/{measure.pk}/").content.decode()
    assert "Fachverfahren ausgeschrieben" in public and "Vergabe dauert länger" in public
    assert "in Umsetzung" in public and "15 %" in public


def test_internal_measures_stay_internal_on_every_channel(client, body, citizen, make_member):
    """As a citizen: internal measures are invisible on every page, in the API and in
    exports."""
    field = ActionFieldFactory(strategy=StrategyFactory(body=body))
    MeasureFactory(primary_field=field, title="Öffentliche Maßnahme")
    secret = MeasureFactory(
        primary_field=field, title="Geheime Netzsanierung", is_public=False, status="in_pruefung"
    )
    channels = [
        f"/{body.slug}/",
        f"/{body.slug}/strategie/",
        f"/{body.slug}/massnahmen/",
        f"/{body.slug}/massnahmen/?q=Netzsanierung",
        f"/{body.slug}/massnahmen/export.csv",
        f"/{body.slug}/massnahmen/export.xlsx",
        f"/api/v1/bodies/{body.slug}/measures",
        f"/api/v1/bodies/{body.slug}/measures/{secret.pk}",
        f"/{body.slug}/massnahmen/{secret.pk}/",
        f"/{body.slug}/priorisierung/",
        f"/{body.slug}/priorisierung/export.csv",
    ]

    def leaks():
        found = []
        for url in channels:
            response = client.get(url)
            content = response.content
            if url.endswith(".xlsx") and response.status_code == 200:
                from openpyxl import load_workbook

                sheet = load_workbook(io.BytesIO(content)).active
                content = " ".join(str(c.value) for row in sheet.iter_rows() for c in row).encode()
            if b"Geheime Netzsanierung" in content:
                found.append(url)
        return found

    assert leaks() == []  # anonymous
    client.force_login(citizen)
    assert leaks() == []
    client.force_login(make_member(body, "moderator"))
    assert leaks() == []
    client.force_login(make_member(body, "staff"))
    assert f"/{body.slug}/massnahmen/" in leaks()  # the staff do see it


def test_idea_platform_journey_citizen_moderator_staff(
    client, body, field, make_member, django_capture_on_commit_callbacks
):
    """Issue 4, done when: a citizen registers, verifies, submits an idea (similar ones are
    offered), comments, supports, rates and runs into the rate limit; a moderator hides a
    comment with a reason and its author is mailed; staff answer the idea and turn it into a
    measure, and its author hears of it."""
    import re

    from django.core import mail

    from lotse.participation.models import Comment, Idea, Notification, ParticipationSettings
    from tests.factories import UserFactory
    from tests.participation.factories import CommentFactory, IdeaFactory, ProcessFactory

    process = ProcessFactory(body=body, slug="digitaler-aufbruch")
    process.action_fields.add(field)
    IdeaFactory(process=process, title="Kostenloses WLAN in der Innenstadt", action_field=field)
    ParticipationSettings.objects.create(body=body, ideas_per_hour=1)

    # Register and verify through the link in the mail.
    response = client.post(
        "/konto/signup/",
        {
            "email": "clara@example.org",
            "password1": "ein-gutes-Passwort-7",
            "password2": "ein-gutes-Passwort-7",
            "display_name": "Clara Citoyen",
        },
    )
    assert response.status_code == 302
    link = re.search(r"https?://[^\s]+/konto/confirm-email/[^\s]+", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    confirm = link.group(0).split("://", 1)[1].split("/", 1)[1]
    client.post("/" + confirm)
    response = client.post(
        "/konto/login/", {"login": "clara@example.org", "password": "ein-gutes-Passwort-7"}
    )
    assert response.status_code == 302

    # While typing a title, the similar idea is offered.
    hint = client.get(f"/{body.slug}/ideen/aehnliche/", {"title": "WLAN Innenstadt"})
    assert "Kostenloses WLAN in der Innenstadt" in hint.content.decode()

    response = client.post(
        f"/{body.slug}/ideen/neu/",
        {
            "process": process.pk,
            "title": "Öffentliche Ladestationen für E-Bikes",
            "text": "Am Bahnhof und am Rathaus.",
            "action_field": field.pk,
            "address": "Bahnhofstraße 1",
            "latitude": "",
            "longitude": "",
        },
    )
    idea = Idea.objects.get(title="Öffentliche Ladestationen für E-Bikes")
    assert response.status_code == 302 and idea.author.email == "clara@example.org"
    base = f"/{body.slug}/ideen/{idea.pk}/"
    client.post(base + "kommentieren/", {"text": "Auch am Schulzentrum, bitte."})
    client.post(base + "unterstuetzen/")
    client.post(base + "bewerten/", {"value": 4})
    idea.refresh_from_db()
    assert (idea.comment_count, idea.support_count, idea.rating_mean) == (1, 1, 4.0)
    page = client.get(base).content.decode()
    assert "Auch am Schulzentrum" in page and "Clara Citoyen" in page

    # A second idea within the hour: the friendly German 429 page, nothing stored.
    response = client.post(
        f"/{body.slug}/ideen/neu/",
        {"process": process.pk, "title": "Noch eine Idee", "text": "Text", "action_field": ""},
    )
    assert response.status_code == 429 and "Zu viele Anfragen" in response.content.decode()
    assert not Idea.objects.filter(title="Noch eine Idee").exists()

    # A moderator hides a rude comment with a reason; its author gets an e-mail saying why.
    rude_author = UserFactory(email="grob@example.org")
    rude = CommentFactory(idea=idea, author=rude_author, text="Dumme Idee, ihr Trottel.")
    client.force_login(make_member(body, "moderator"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/{body.slug}/verwaltung/moderation/aktion/",
            {"kind": "comment", "pk": rude.pk, "action": "hide", "reason": "Beleidigt andere"},
        )
    rude.refresh_from_db()
    assert rude.is_hidden
    to_author = [m for m in mail.outbox if m.to == ["grob@example.org"]]
    assert len(to_author) == 1 and "Beleidigt andere" in to_author[0].body
    client.logout()
    assert "Trottel" not in client.get(base).content.decode()

    # Staff answer the idea and turn it into a measure; the author is told both.
    client.force_login(make_member(body, "staff"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/{body.slug}/verwaltung/ideen/{idea.pk}/",
            {"action": "answer", "answer-text": "Wir prüfen Standorte mit den Stadtwerken."},
        )
    assert response.status_code == 302
    response = client.post(
        f"/{body.slug}/verwaltung/ideen/{idea.pk}/massnahme/",
        {
            "title": "Ladestationen für E-Bikes",
            "description": "Aus der Idee der Bürgerschaft",
            "primary_field": field.pk,
            "is_public": "on",
            "weight": 1,
        },
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.state == "angenommen" and idea.answer.startswith("Wir prüfen")
    assert idea.measure.ideas.get() == idea
    kinds = set(
        Notification.objects.filter(user__email="clara@example.org").values_list("kind", flat=True)
    )
    assert {"answer", "measure"} <= kinds
    assert any(m.to == ["clara@example.org"] and "Stadtwerken" in m.body for m in mail.outbox)
    client.logout()
    page = client.get(base).content.decode()
    assert "Wir prüfen Standorte" in page and "Ladestationen für E-Bikes" in page
    assert Comment.objects.filter(idea=idea).count() == 2


def test_hidden_ideas_and_comments_stay_hidden_on_every_channel(
    client, body, field, citizen, make_member
):
    """Content hidden by moderation, and ideas of an unpublished process, appear on no page,
    in no list, search, hint, export or API answer — except to the author and moderators,
    who see a hidden idea's own page."""
    from lotse.participation.models import IdeaState
    from tests.participation.factories import CommentFactory, IdeaFactory, ProcessFactory

    process = ProcessFactory(body=body)
    author = citizen
    hidden = IdeaFactory(
        process=process,
        author=author,
        title="Verborgene Verkehrsidee",
        is_hidden=True,
        hidden_reason="Werbung",
        action_field=field,
    )
    draft = IdeaFactory(
        process=ProcessFactory(body=body, is_published=False), title="Verborgene Entwurfsidee"
    )
    shown = IdeaFactory(process=process, title="Sichtbare Verkehrsidee", state=IdeaState.SUBMITTED)
    CommentFactory(idea=shown, text="Verborgener Kommentartext", is_hidden=True)
    channels = [
        f"/{body.slug}/ideen/",
        f"/{body.slug}/ideen/?q=Verkehrsidee",
        f"/{body.slug}/ideen/?q=Entwurfsidee",
        f"/{body.slug}/ideen/?sort=bewertung",
        f"/{body.slug}/ideen/aehnliche/?title=Verkehrsidee",
        f"/{body.slug}/ideen/aehnliche/?title=Entwurfsidee",
        f"/{body.slug}/ideen/export.csv",
        f"/{body.slug}/ideen/kommentare.csv",
        f"/{body.slug}/ideen/{shown.pk}/",
        f"/{body.slug}/ideen/{draft.pk}/",
        f"/{body.slug}/beteiligung/{process.slug}/",
        f"/api/v1/bodies/{body.slug}/ideas",
        f"/api/v1/bodies/{body.slug}/ideas?q=Verkehrsidee",
        f"/api/v1/bodies/{body.slug}/ideas/{hidden.pk}",
        f"/api/v1/bodies/{body.slug}/ideas/{draft.pk}",
        f"/api/v1/bodies/{body.slug}/ideas/{shown.pk}/comments",
    ]

    def leaks():
        found = []
        for url in channels:
            response = client.get(url)
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            secrets = ("Verborgene Verkehrsidee", "Verborgene Entwurfsidee", "Kommentartext")
            if any(secret.encode() in content for secret in secrets):
                found.append(url)
        return found

    assert leaks() == []  # anonymous
    client.force_login(make_member(body, "staff"))
    assert leaks() == [f"/{body.slug}/ideen/{draft.pk}/"]  # staff may open it, nothing lists it
    assert client.get(f"/{body.slug}/ideen/{hidden.pk}/").status_code == 404
    client.force_login(author)
    assert leaks() == []
    assert "Werbung" in client.get(f"/{body.slug}/ideen/{hidden.pk}/").content.decode()
    client.force_login(make_member(body, "moderator"))
    assert client.get(f"/{body.slug}/ideen/{hidden.pk}/").status_code == 200


def test_council_office_journey_from_paper_to_overdue_follow_up(
    client, body, measure, make_member, citizen, monkeypatch
):
    """Issue 5, done when: as council office create a paper, route co-signing, release it,
    put it on two meetings (Vorberatung, Entscheidung), record both decisions; the linked
    measure moves to beschlossen; a follow-up appears and turns overdue after its date. As a
    citizen the non-public item shows its number only, everywhere; the iCal feed parses."""
    import datetime

    import icalendar
    import pypdf
    from django.utils import timezone

    from lotse.council.models import FollowUp, Paper, Signoff
    from lotse.strategy.models import MeasureStatus
    from tests.council.factories import MeetingFactory, OrganizationFactory
    from tests.strategy.factories import OrgUnitFactory

    Measure.objects.filter(pk=measure.pk).update(status=MeasureStatus.PRIORITISED)
    author, cosigner = OrgUnitFactory(body=body), OrgUnitFactory(body=body)
    committee = OrganizationFactory(body=body, name="Unterausschuss Digitalisierung")
    council = OrganizationFactory(body=body, name="Rat", organization_type="rat")
    today = timezone.localdate()
    soon = timezone.now() + datetime.timedelta(days=3)
    first = MeetingFactory(body=body, organizations=[committee], start=soon, name="3. Sitzung UA")
    second = MeetingFactory(
        body=body,
        organizations=[council],
        start=soon + datetime.timedelta(days=7),
        name="9. Sitzung des Rates",
    )
    office = make_member(body, "council_office")
    client.force_login(office)
    ws = f"/{body.slug}/verwaltung/"

    due = today + datetime.timedelta(days=60)
    created = client.post(
        ws + "vorlagen/neu/",
        {
            "paper_type": "beschlussvorlage",
            "name": "Digitale Ratsarbeit einführen",
            "date": today.isoformat(),
            "is_public": "on",
            "originator_unit": author.pk,
            "decision_proposal": "Der Rat beschließt die Einführung der digitalen Ratsarbeit.",
            "reasoning": "Papier sparen, schneller entscheiden.",
            "follow_up_wanted": "on",
            "follow_up_unit": author.pk,
            "follow_up_due": due.isoformat(),
            "measures": [measure.pk],
            "related_references": "",
        },
    )
    assert created.status_code == 302
    paper = Paper.objects.get(name="Digitale Ratsarbeit einführen")
    p = ws + f"vorlagen/{paper.pk}/"

    client.post(p + "mitzeichnung/", {"units": [cosigner.pk], "required": "on"})
    early = client.post(p + "freigabe/", follow=True).content.decode()
    assert cosigner.name in early  # names the unit still to sign
    paper.refresh_from_db()
    assert paper.reference == ""

    staff = make_member(body, "staff")
    client.force_login(staff)
    signoff = Signoff.objects.get(paper=paper, unit=cosigner)
    answered = client.post(
        ws + "mitzeichnungen/",
        {"signoff": signoff.pk, f"s{signoff.pk}-state": "zugestimmt", f"s{signoff.pk}-comment": ""},
    )
    assert answered.status_code == 302

    client.force_login(office)
    client.post(p + "freigabe/")
    paper.refresh_from_db()
    assert paper.is_released and paper.reference.startswith(f"{today:%y}/")

    for organization, role, authoritative in (
        (committee, "vorberatung", ""),
        (council, "entscheidung", "on"),
    ):
        added = client.post(
            p + "beratungsfolge/",
            {
                "action": "add",
                "organization": organization.pk,
                "role": role,
                "planned_date": "",
                "authoritative": authoritative,
                "is_public": "on",
            },
        )
        assert added.status_code == 302
    items = []
    for meeting in (first, second):
        put = client.post(
            ws + f"sitzungen/{meeting.pk}/",
            {"action": "paper", "paper-paper": paper.pk, "paper-part": ""},
        )
        assert put.status_code == 302
        items.append(meeting.agenda_items.get(consultation__paper=paper))
    assert [item.consultation.role for item in items] == ["vorberatung", "entscheidung"]

    for meeting, item, votes in ((first, items[0], ("7", "2", "1")), (second, items[1], None)):
        decision = {
            "outcome": "beschlossen",
            "referred_to": "",
            "resolution_text": "Wie vorgeschlagen.",
            "date": meeting.start.date().isoformat(),
            "unanimous": "" if votes else "on",
            "votes_for": votes[0] if votes else "",
            "votes_against": votes[1] if votes else "",
            "abstentions": votes[2] if votes else "",
        }
        recorded = client.post(ws + f"sitzungen/{meeting.pk}/top/{item.pk}/beschluss/", decision)
        assert recorded.status_code == 200, recorded.content.decode()[:500]
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DECIDED
    follow_up = FollowUp.objects.get(decision__agenda_item=items[1])
    assert follow_up.due_date == due
    assert not follow_up.is_overdue()
    decisions_url = f"/{body.slug}/beschluesse/?ueberfaellig=1"
    assert "Digitale Ratsarbeit" not in client.get(decisions_url).content.decode()
    later = due + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert follow_up.is_overdue()
    assert "Digitale Ratsarbeit" in client.get(decisions_url).content.decode()
    monkeypatch.undo()

    # A non-public item on the council's agenda: its number only, on every channel.
    secret = Paper.objects.create(
        body=body,
        paper_type="beschlussvorlage",
        name="Vergabe Rechenzentrum an Firma X",
        is_public=False,
    )
    client.post(ws + f"vorlagen/{secret.pk}/freigabe/")
    client.post(
        ws + f"sitzungen/{second.pk}/",
        {"action": "paper", "paper-paper": secret.pk, "paper-part": "non_public"},
    )
    hidden = second.agenda_items.get(consultation__paper=secret)
    assert hidden.number == "N 1"
    client.post(
        ws + f"sitzungen/{second.pk}/top/{hidden.pk}/beschluss/",
        {
            "outcome": "beschlossen",
            "referred_to": "",
            "resolution_text": "Zuschlag an Firma X.",
            "date": second.start.date().isoformat(),
            "unanimous": "on",
        },
    )
    client.force_login(citizen)
    pages = {
        "meeting": f"/{body.slug}/sitzungen/{second.pk}/",
        "papers": f"/{body.slug}/vorlagen/?q=Rechenzentrum",
        "decisions": f"/{body.slug}/beschluesse/",
        "invitation": f"/{body.slug}/sitzungen/{second.pk}/einladung/",
        "report": f"/{body.slug}/beschluesse/kontrolle/",
        "api": f"/api/v1/bodies/{body.slug}/council/meetings/{second.pk}",
    }
    for name, address in pages.items():
        response = client.get(address)
        assert response.status_code == 200, name
        text = response.content.decode()
        assert f"/vorlagen/{secret.pk}/" not in text, name
        if name != "papers":  # the search page repeats the words searched for
            assert "Rechenzentrum" not in text and "Firma X" not in text, name
        if name in ("meeting", "invitation", "api"):
            assert "N 1" in text, name
    assert client.get(f"/{body.slug}/vorlagen/{secret.pk}/").status_code == 404
    pdf = client.get(f"/{body.slug}/sitzungen/{second.pk}/einladung.pdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    pdf_text = "".join(page.extract_text() for page in reader.pages)
    assert "N 1" in pdf_text and "Rechenzentrum" not in pdf_text

    feed = client.get(f"/{body.slug}/sitzungen/kalender.ics")
    assert feed["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.content)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert {"3. Sitzung UA", "9. Sitzung des Rates"} <= set(events)
    assert "Rechenzentrum" not in feed.content.decode()
    council_event = events["9. Sitzung des Rates"]
    assert str(council_event["UID"]) == f"{second.uid}@lotse"
    assert council_event.decoded("DTSTART") == second.start.replace(microsecond=0)
