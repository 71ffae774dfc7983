"""How the decided measures were carried out, as figures an app above provides: one explicit hook.

Release decisions are application's; what e-CIQ reports was done with them, and the deviations and tracking
items found from that, are tracking's (§五(二)). Supervision (§六) counts both but sits beside tracking, not
above it, so tracking registers its counting function here in its `AppConfig.ready()` and supervision reads
the figures through `execution_figures`. Without a provider (tracking not installed) every figure is zero.
"""

import datetime as dt
from collections.abc import Callable, Sequence

# The figures a provider returns, in this order (the supervision page shows them so).
EXECUTION_FIGURES = ("executions", "deviations", "items_open", "items_overdue", "items_closed")

ExecutionFigures = Callable[[Sequence[int], dt.date, dt.date, dt.date], dict[str, int]]

_providers: list[ExecutionFigures] = []


def register_execution_figures(provider: ExecutionFigures) -> None:
    """Set the provider of execution figures (one: a second registration replaces the first)."""
    _providers[:] = [provider]


def execution_figures(org_ids: Sequence[int], start: dt.date, end: dt.date, as_of: dt.date) -> dict[str, int]:
    """The execution figures of the organizations `org_ids` over [start, end], lateness judged on `as_of`."""
    figures = dict.fromkeys(EXECUTION_FIGURES, 0)
    for provider in _providers:
        figures.update({k: v for k, v in provider(org_ids, start, end, as_of).items() if k in figures})
    return figures
