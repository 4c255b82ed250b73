"""Report periods: half-years ("2026-H1") or free dates."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

HALF_YEAR = re.compile(r"^(?P<year>\d{4})-H(?P<half>[12])$")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def code(self) -> str:
        """ "2026-H1" for a half-year, "2026-01-01_2026-03-31" for free dates."""
        for half in (1, 2):
            if self == half_year(self.start.year, half):
                return f"{self.start.year}-H{half}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def label(self) -> str:
        for half in (1, 2):
            if self == half_year(self.start.year, half):
                if half == 1:
                    return _("first half of %(year)s") % {"year": self.start.year}
                return _("second half of %(year)s") % {"year": self.start.year}
        return f"{self.start:%d.%m.%Y} – {self.end:%d.%m.%Y}"


def half_year(year: int, half: int) -> Period:
    if half == 1:
        return Period(datetime.date(year, 1, 1), datetime.date(year, 6, 30))
    return Period(datetime.date(year, 7, 1), datetime.date(year, 12, 31))


def parse(code: str) -> Period | None:
    """A period from its code ("2025-H2"), or None."""
    found = HALF_YEAR.match(code or "")
    return half_year(int(found["year"]), int(found["half"])) if found else None


def last_half_year(today: datetime.date) -> Period:
    """The last half-year that has ended before ``today``."""
    if today.month <= 6:
        return half_year(today.year - 1, 2)
    return half_year(today.year, 1)


def recent_half_years(today: datetime.date, count: int = 6) -> list[Period]:
    """The last ``count`` ended half-years, newest first."""
    periods = [last_half_year(today)]
    while len(periods) < count:
        previous = periods[-1].start - datetime.timedelta(days=1)
        periods.append(half_year(previous.year, 1 if previous.month <= 6 else 2))
    return periods
