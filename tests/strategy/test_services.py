"""Lifecycle, status updates, roll-up, flags, strategy versions and impact blocks."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.core.impacts import ImpactAssessment
from lotse.strategy import services
from lotse.strategy.models import (
    TRANSITIONS,
    Measure,
    MeasureStatus,
    MeasureTransition,
    Milestone,
    Strategy,
)
from tests.strategy.factories import (
    ActionFieldFactory,
    GoalFactory,
    MeasureFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(body, make_member):
    return make_member(body, "staff")


def test_allowed_transition_is_recorded(staff, measure):
    services.change_status(staff, measure, MeasureStatus.IN_REVIEW)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_REVIEW
    step = MeasureTransition.objects.get(measure=measure)
    assert (step.from_status, step.to_status, step.actor) == ("vorschlag", "in_pruefung", staff)
    assert measure.history.first().status == "in_pruefung"


def test_disallowed_transition_is_refused(staff, measure):
    with pytest.raises(ValidationError) as error:
        services.change_status(staff, measure, MeasureStatus.COMPLETED)
    assert "kann nicht von" in str(error.value)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PROPOSED
    assert not MeasureTransition.objects.exists()


@pytest.mark.parametrize("target", ["abgelehnt", "zurueckgestellt"])
def test_setback_needs_a_reason(staff, measure, target):
    with pytest.raises(ValidationError) as error:
        services.change_status(staff, measure, target, "  ")
    assert "reason" in error.value.message_dict
    services.change_status(staff, measure, target, "Kein Budget im Haushalt 2026")
    measure.refresh_from_db()
    assert measure.status == target


def test_going_back_a_step_needs_a_reason(staff, measure):
    services.change_status(staff, measure, "in_pruefung")
    with pytest.raises(ValidationError):
        services.change_status(staff, measure, "vorschlag")


def test_start_and_completion_dates_are_set(staff, measure):
    Measure.objects.filter(pk=measure.pk).update(status="beschlossen")
    measure.refresh_from_db()
    services.change_status(staff, measure, "in_umsetzung")
    services.change_status(staff, Measure.objects.get(pk=measure.pk), "abgeschlossen")
    measure.refresh_from_db()
    assert measure.actual_start == measure.actual_end == timezone.localdate()


def test_every_state_is_reachable_from_proposed():
    reached, frontier = {"vorschlag"}, ["vorschlag"]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(MeasureStatus.values)


@pytest.mark.parametrize("role", ["moderator", "council_office"])
def test_roles_without_strategy_rights_cannot_change_status(body, make_member, measure, role):
    with pytest.raises(PermissionDenied):
        services.change_status(make_member(body, role), measure, "in_pruefung")


def test_status_update_becomes_current_state(staff, measure):
    services.post_status_update(
        staff, measure, reported_on=datetime.date(2026, 3, 1), progress=20, traffic_light="gruen"
    )
    services.post_status_update(
        staff,
        measure,
        reported_on=datetime.date(2026, 9, 1),
        progress=45,
        traffic_light="gelb",
        explanation="Lieferverzug bei der Hardware",
    )
    # An older report filed later does not replace the newest one.
    services.post_status_update(
        staff, measure, reported_on=datetime.date(2026, 1, 1), progress=5, traffic_light="gruen"
    )
    measure.refresh_from_db()
    assert (measure.progress, measure.traffic_light) == (45, "gelb")
    assert measure.last_update_on == datetime.date(2026, 9, 1)


@pytest.mark.parametrize("light", ["gelb", "rot"])
def test_yellow_and_red_need_an_explanation(staff, measure, light):
    with pytest.raises(ValidationError) as error:
        services.post_status_update(staff, measure, progress=30, traffic_light=light)
    assert "Erläuterung" in str(error.value)
    measure.refresh_from_db()
    assert measure.updates.count() == 0 and measure.progress == 0


def test_lead_may_report_but_not_manage(body, citizen, measure):
    measure.lead = citizen
    measure.save()
    services.post_status_update(citizen, measure, progress=10, traffic_light="gruen")
    with pytest.raises(PermissionDenied):
        services.change_status(citizen, measure, "in_pruefung")


def test_citizen_cannot_report(citizen, measure):
    with pytest.raises(PermissionDenied):
        services.post_status_update(citizen, measure, progress=10, traffic_light="gruen")


def test_programme_progress_is_weighted(field):
    programme = MeasureFactory(primary_field=field)
    MeasureFactory(primary_field=field, parent=programme, weight=3, progress=100)
    MeasureFactory(primary_field=field, parent=programme, weight=1, progress=0)
    assert services.programme_progress(programme) == 75


def test_flags(field):
    today = datetime.date(2026, 11, 22)
    measure = MeasureFactory(primary_field=field, status="in_umsetzung")
    Milestone.objects.create(
        measure=measure, title="Ausschreibung", due_on=datetime.date(2026, 6, 1)
    )
    assert services.flags(measure, today) == ["overdue_milestone", "stale"]
    Milestone.objects.update(done_on=datetime.date(2026, 5, 30))
    assert services.flags(Measure.objects.get(pk=measure.pk), today) == ["stale"]
    Measure.objects.filter(pk=measure.pk).update(last_update_on=datetime.date(2026, 10, 1))
    assert services.flags(Measure.objects.get(pk=measure.pk), today) == []


def test_new_strategy_version_copies_goals_and_fields(body, make_member, strategy):
    GoalFactory(strategy=strategy, title="Teilhabe")
    parent = ActionFieldFactory(strategy=strategy, title="Digitale Verwaltung")
    ActionFieldFactory(strategy=strategy, parent=parent, title="Mobile Government")
    copy = services.new_strategy_version(make_member(body, "program_owner"), strategy)
    assert (copy.version, copy.status, copy.previous) == (2, Strategy.Status.DRAFT, strategy)
    assert list(copy.goals.values_list("title", flat=True)) == ["Teilhabe"]
    topic = copy.action_fields.get(title="Mobile Government")
    assert topic.parent.title == "Digitale Verwaltung" and topic.parent.strategy == copy
    assert strategy.action_fields.count() == 2  # the old version is untouched


def test_goal_weights(staff, measure, strategy):
    goal = GoalFactory(strategy=strategy)
    services.set_goal_weights(measure, {goal.pk: 3})
    assert measure.goal_links.get().weight == 3
    with pytest.raises(ValidationError):
        services.set_goal_weights(measure, {goal.pk: 4})


def test_measure_of_another_bodys_field_is_refused(staff, body, other_body):
    foreign_field = ActionFieldFactory(strategy__body=other_body)
    measure = Measure(body=body, title="x", primary_field=foreign_field)
    with pytest.raises(ValidationError):
        services.save_measure(staff, measure)


def test_programme_cannot_nest(field):
    top = MeasureFactory(primary_field=field)
    middle = MeasureFactory(primary_field=field, parent=top)
    low = MeasureFactory.build(primary_field=field, body=field.strategy.body, parent=middle)
    with pytest.raises(ValidationError):
        low.full_clean()


class TestImpacts:
    def test_no_financial_impact_means_no_amounts(self):
        impacts = ImpactAssessment(has_financial_impact=False, expense_one_off=Decimal("100"))
        with pytest.raises(ValidationError) as error:
            impacts.full_clean()
        assert "expense_one_off" in error.value.message_dict

    def test_parts_cannot_exceed_the_total(self):
        impacts = ImpactAssessment(
            has_financial_impact=True,
            expense_annual=Decimal("1000"),
            personnel_annual=Decimal("800"),
            material_annual=Decimal("300"),
        )
        with pytest.raises(ValidationError) as error:
            impacts.full_clean()
        assert "mehr als die Summe" in str(error.value.message_dict["expense_annual"])

    def test_parts_within_the_total_pass(self):
        ImpactAssessment(
            has_financial_impact=True,
            expense_one_off=Decimal("50000.00"),
            personnel_one_off=Decimal("20000.00"),
            material_one_off=Decimal("30000.00"),
            investment_in_one_off=Decimal("40000"),
            grants_one_off=Decimal("40000"),
        ).full_clean()

    def test_negative_climate_effect_needs_alternatives(self):
        impacts = ImpactAssessment(climate=ImpactAssessment.Climate.NEGATIVE)
        with pytest.raises(ValidationError) as error:
            impacts.full_clean()
        assert "climate_alternatives" in error.value.message_dict
        impacts.climate_alternatives = "Geprüft: Cloud-Betrieb im Rechenzentrum mit Ökostrom."
        impacts.full_clean()

    def test_negative_amounts_are_refused(self):
        impacts = ImpactAssessment(has_financial_impact=True, income_annual=Decimal("-1"))
        with pytest.raises(ValidationError):
            impacts.full_clean()


def test_status_update_factory_is_consistent(measure):
    update = StatusUpdateFactory(measure=measure)
    update.full_clean()
