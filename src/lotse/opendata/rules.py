"""Who may configure what the open-data catalog publishes: the body administrator."""

import rules

from lotse.accounts.rules import is_body_admin

rules.add_perm("opendata.manage", is_body_admin)
