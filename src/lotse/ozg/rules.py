"""Who may see and change OZG assessments. Objects are a Body or an Assessment."""

import rules

from lotse.accounts.rules import is_site_admin, is_staff_member

# Everyone reads the OZG state of every body (there is nothing internal in it; linked
# measures are shown only where the reader may see them).
rules.add_perm("ozg.view_services", rules.always_allow)
# Only the body's own staff (and its programme owner) rate its services, in every channel:
# the workspace, the bulk form and the import.
rules.add_perm("ozg.assess_services", is_staff_member)
# The catalogue is the installation's, not a body's.
rules.add_perm("ozg.manage_catalogue", is_site_admin)
