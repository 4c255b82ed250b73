"""The programme owner keeps the strategy: drafts, versions, adoption, units."""

import datetime

import pytest

from lotse.strategy import services
from lotse.strategy.models import ActionField, Goal, Measure, MeasureGoal, OrgUnit, Strategy
from tests.strategy.factories import (
    ActionFieldFactory,
    GoalFactory,
    MeasureFactory,
    OrgUnitFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def manage(body):
    return f"/{body.slug}/verwaltung/strategie/"


def formset_data(prefix, rows, total_initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(total_initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


@pytest.fixture
def owner(body, make_member):
    return make_member(body, "program_owner")


def test_first_strategy_is_created_as_draft(client, body, owner):
    client.force_login(owner)
    client.post(manage(body), {"s-title": "Digitale Agenda 2030", "s-vision": "Alles digital."})
    strategy = Strategy.objects.get(body=body)
    assert (strategy.version, strategy.status) == (1, "entwurf")


def test_draft_goals_and_fields_are_saved(client, body, owner):
    draft = StrategyFactory(body=body, status="entwurf")
    field = ActionFieldFactory(strategy=draft, title="Digitale Verwaltung")
    client.force_login(owner)
    data = {"s-title": draft.title, "s-vision": ""}
    data |= formset_data("goals", [{"title": "Teilhabe", "order": "1"}])
    data |= formset_data(
        "fields",
        [
            {"id": field.pk, "title": "Digitale Verwaltung", "order": "1"},
            {"title": "Mobile Government", "parent": field.pk, "order": "2"},
        ],
        total_initial=1,
    )
    response = client.post(manage(body), data)
    assert response.status_code == 302
    assert list(draft.goals.values_list("title", flat=True)) == ["Teilhabe"]
    assert ActionField.objects.get(title="Mobile Government").parent == field


def test_adopted_version_is_read_only(client, body, owner, strategy):
    ActionFieldFactory(strategy=strategy, title="Alt")
    client.force_login(owner)
    html = client.get(manage(body)).content.decode()
    assert "bleibt so, wie der Rat sie beschlossen hat" in html
    data = {"s-title": "Geändert"} | formset_data("goals", []) | formset_data("fields", [])
    client.post(manage(body), data)
    strategy.refresh_from_db()
    assert strategy.title != "Geändert"


def test_new_version_and_adoption_move_the_measures(client, body, owner, strategy):
    field = ActionFieldFactory(strategy=strategy, title="Digitale Verwaltung")
    topic = ActionFieldFactory(strategy=strategy, parent=field, title="E-Akte")
    goal = GoalFactory(strategy=strategy, title="Exzellenz")
    measure = MeasureFactory(primary_field=topic)
    measure.secondary_fields.add(field)
    MeasureGoal.objects.create(measure=measure, goal=goal, weight=3)
    client.force_login(owner)

    client.post(f"{manage(body)}{strategy.version}/neue-version/")
    draft = Strategy.objects.get(body=body, version=2)
    assert draft.status == "entwurf"
    client.post(f"{manage(body)}2/beschliessen/", {"adopted_on": "2026-11-20"})
    draft.refresh_from_db()
    assert draft.status == "beschlossen" and draft.adopted_on == datetime.date(2026, 11, 20)

    measure.refresh_from_db()
    assert measure.primary_field.strategy == draft and measure.primary_field.title == "E-Akte"
    assert [f.strategy for f in measure.secondary_fields.all()] == [draft]
    link = measure.goal_links.get()
    assert (link.goal.strategy, link.weight) == (draft, 3)
    # The old version keeps its goals and fields, readable as they were.
    assert strategy.goals.count() == 1 and strategy.action_fields.count() == 2
    public = client.get(f"/{body.slug}/strategie/").content.decode()
    assert "1 Maßnahme" in public


def test_a_field_removed_in_the_new_version_keeps_its_measures(body, owner, strategy):
    old = ActionFieldFactory(strategy=strategy, title="Wird gestrichen")
    measure = MeasureFactory(primary_field=old)
    draft = services.new_strategy_version(owner, strategy)
    ActionField.objects.filter(strategy=draft, title="Wird gestrichen").delete()
    services.adopt_strategy(owner, draft, datetime.date(2026, 11, 20))
    measure.refresh_from_db()
    assert measure.primary_field == old


def test_an_adopted_version_cannot_be_adopted_again(body, owner, strategy):
    with pytest.raises(Exception, match="neue Version"):
        services.adopt_strategy(owner, strategy, datetime.date(2026, 1, 1))


def test_deleting_a_field_in_use_is_refused_in_german(client, body, owner):
    draft = StrategyFactory(body=body, status="entwurf")
    field = ActionFieldFactory(strategy=draft)
    MeasureFactory(primary_field=field)
    client.force_login(owner)
    data = {"s-title": draft.title} | formset_data("goals", [])
    data |= formset_data(
        "fields",
        [{"id": field.pk, "title": field.title, "order": "0", "DELETE": "on"}],
        total_initial=1,
    )
    response = client.post(manage(body), data)
    assert "nicht gelöscht werden" in response.content.decode()
    assert ActionField.objects.filter(pk=field.pk).exists()


def test_units_are_kept_per_body(client, body, other_body, owner):
    foreign = OrgUnitFactory(body=other_body, code="FB 99")
    client.force_login(owner)
    url = f"/{body.slug}/verwaltung/einheiten/"
    assert "FB 99" not in client.get(url).content.decode()
    client.post(url, formset_data("units", [{"code": "FB 10", "name": "Zentrale Dienste"}]))
    assert OrgUnit.objects.get(body=body).code == "FB 10"
    assert OrgUnit.objects.get(pk=foreign.pk).body == other_body


def test_unit_in_use_cannot_be_deleted(client, body, owner, field):
    unit = OrgUnitFactory(body=body)
    MeasureFactory(primary_field=field, unit=unit)
    client.force_login(owner)
    data = formset_data(
        "units",
        [{"id": unit.pk, "code": unit.code, "name": unit.name, "DELETE": "on"}],
        total_initial=1,
    )
    response = client.post(f"/{body.slug}/verwaltung/einheiten/", data)
    assert "kann nicht gelöscht werden" in response.content.decode()
    assert OrgUnit.objects.filter(pk=unit.pk).exists()


@pytest.mark.parametrize("role", ["staff", "moderator", "council_office"])
def test_only_programme_owners_manage_the_strategy(client, body, make_member, strategy, role):
    client.force_login(make_member(body, role))
    for url in [
        manage(body),
        f"{manage(body)}1/neue-version/",
        f"/{body.slug}/verwaltung/einheiten/",
    ]:
        assert client.post(url, {}).status_code == 403
    assert Strategy.objects.filter(body=body).count() == 1


def test_goal_copies_know_their_origin(body, owner, strategy):
    goal = GoalFactory(strategy=strategy)
    draft = services.new_strategy_version(owner, strategy)
    assert Goal.objects.get(strategy=draft).copied_from == goal
    assert Measure.objects.count() == 0
