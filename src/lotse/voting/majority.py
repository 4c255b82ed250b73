"""Majority rules of German council practice (GO NRW § 50), as pure functions.

- einfache Mehrheit: more yes than no votes; abstentions do not count; a tie fails.
- absolute Mehrheit der gesetzlichen Mitglieder: more yes votes than half the statutory
  members.
- Zweidrittelmehrheit der Anwesenden / der gesetzlichen Mitglieder: at least two thirds of
  those present (entitled to vote) or of the statutory members vote yes.
"""

from dataclasses import dataclass

from lotse.voting.models import Majority


@dataclass(frozen=True)
class Count:
    yes: int
    no: int
    abstain: int
    present: int
    statutory: int

    @property
    def unanimous(self) -> bool:
        """Everyone who voted said yes (einstimmig)."""
        return self.yes > 0 and self.no == 0 and self.abstain == 0


def needed_yes(rule: str, count: Count) -> int | None:
    """The yes votes a motion needs under ``rule`` at the least, or None where it depends on
    the no votes (simple majority)."""
    if rule not in Majority.values:
        raise ValueError(f"unknown majority rule {rule!r}")
    if rule == Majority.SIMPLE:
        return None
    if rule == Majority.ABSOLUTE:
        return count.statutory // 2 + 1
    base = count.present if rule == Majority.TWO_THIRDS_PRESENT else count.statutory
    return -(-2 * base // 3)  # ceil(2/3 · base) in integers


def is_adopted(rule: str, count: Count) -> bool:
    if rule == Majority.SIMPLE:
        return count.yes > count.no
    needed = needed_yes(rule, count)
    # A qualified majority is also a simple one: more yes than no.
    return count.yes >= max(needed, 1) and count.yes > count.no
