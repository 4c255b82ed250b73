"""Who may assess measures, see the ranking and record the Lenkungsgremium's decisions.

Objects are a Body or a row that belongs to one (a Measure, a check, an analysis).
"""

import rules

from lotse.accounts.rules import is_body_admin, is_program_owner, is_staff_member

# Fill in the E-Government-Check and the cost-benefit analysis of the body's measures.
rules.add_perm("assessment.assess", is_staff_member)
# See the ranking and export it: it lists internal measures and internal figures.
rules.add_perm("assessment.view_ranking", is_staff_member)
# Record what the Lenkungsgremium decided (the programme owner keeps its minutes).
rules.add_perm("assessment.decide_priority", is_program_owner | is_body_admin)
# The weights shape every score, so they belong to whoever owns the programme.
rules.add_perm("assessment.manage_weights", is_program_owner | is_body_admin)
rules.add_perm("assessment.manage_questions", is_program_owner | is_body_admin)
