"""Who may draft, publish and submit status reports. Objects are a Body or a Report."""

import rules

from lotse.accounts.rules import is_council_office, is_program_owner, is_staff_member


@rules.predicate
def is_published(user, report) -> bool:
    return getattr(report, "status", None) == "veroeffentlicht"


# See drafts, preview them, write the introduction and the comments per action field.
rules.add_perm("reporting.draft_reports", is_staff_member)
# Publish a report (and publish a correction of one): the programme owner answers for it.
rules.add_perm("reporting.publish_reports", is_program_owner)
# Put a published report before a committee as a Mitteilungsvorlage.
rules.add_perm("reporting.submit_reports", is_program_owner | is_council_office)
rules.add_perm("reporting.view_report", is_published | is_staff_member)
