"""Events of the strategy app that later apps react to (strategy imports none of them)."""

from django.dispatch import Signal

# Sent inside the adoption transaction with ``strategy`` and ``goal_map``
# ({old goal id: new goal id}) once the body's measures refer to the adopted version.
strategy_adopted = Signal()
