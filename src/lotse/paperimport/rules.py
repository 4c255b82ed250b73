"""Importing papers from an old system is the council office's work: imported papers arrive
released, which only the council office may do (``council.release_papers``)."""

import rules

from lotse.accounts.rules import is_council_office

rules.add_perm("paperimport.import_papers", is_council_office)
