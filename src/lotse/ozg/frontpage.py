"""Front-page block: how many of each body's OZG services are OZG-compliant."""

from __future__ import annotations

from lotse.ozg.selectors import compare_bodies


def ozg_figures(bodies, today):
    """Per body with assessments: compliant of relevant services; two queries for all."""
    rows = [row for row in compare_bodies(bodies) if row["has_data"]]
    if not rows:
        return None
    return {"ozg_rows": rows}
