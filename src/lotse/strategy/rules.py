"""Who may see and change strategy data. Objects are a Body or a Measure."""

import rules

from lotse.accounts.rules import is_program_owner, is_staff_member, sees_internal


@rules.predicate
def is_public_measure(user, measure) -> bool:
    return bool(getattr(measure, "is_public", False))


@rules.predicate
def leads_measure(user, measure) -> bool:
    return bool(
        user.is_authenticated and user.is_active and getattr(measure, "lead_id", None) == user.pk
    )


rules.add_perm("strategy.view_measure", is_public_measure | sees_internal)
rules.add_perm("strategy.view_internal", sees_internal)
# Create, edit and move measures through their lifecycle; keep units and tags.
rules.add_perm("strategy.manage_measures", is_staff_member)
# Post Sachstandsmeldungen and keep milestones: staff of the body and the measure's lead.
rules.add_perm("strategy.report_progress", is_staff_member | leads_measure)
# Goals, action fields and strategy versions.
rules.add_perm("strategy.manage_strategy", is_program_owner)
