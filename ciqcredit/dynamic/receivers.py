"""Dynamic management's hooks into collection: its reaction to the record signals (ciqcredit/collection/signals.py)
and its sections of the queue page (ciqcredit/collection/queue.py): notices to deliver, proposals to confirm.

Connected in `DynamicConfig.ready()`; each signal receiver runs in the transaction of the record change that sent
it.
"""

import datetime as dt
from typing import Any

from ciqcredit.actors import Actor
from ciqcredit.collection.models import CreditRecord
from ciqcredit.dynamic.candidates import recheck_candidates
from ciqcredit.dynamic.selectors import cases_to_confirm, defences_to_answer, notices_with_deadlines
from ciqcredit.dynamic.services import dynamic_recheck, dynamic_record_withdrawn
from ciqcredit.organizations.models import User


def on_record_became_effective(sender, *, record: CreditRecord, actor: Actor, **kwargs) -> None:
    """Re-examine the record's enterprise: its points may now reach a condition."""
    dynamic_recheck(enterprise=record.enterprise, trigger_record=record, actor=actor)


def on_record_withdrawn(sender, *, record: CreditRecord, actor: Actor, reason: str, **kwargs) -> None:
    """Cancel the open cases resting on the record, then re-check the enterprise."""
    dynamic_record_withdrawn(record=record, reason=reason, actor=actor)


def on_records_became_effective(
    sender, *, records: dict[int, CreditRecord], actor: Actor, on: dt.date, **kwargs
) -> None:
    """Only enterprises whose points could reach a condition need the full re-check (one query finds them)."""
    for enterprise_id in sorted(recheck_candidates(records, on)):
        dynamic_recheck(
            enterprise=records[enterprise_id].enterprise, trigger_record=records[enterprise_id], actor=actor
        )


def notices_section(user: User, limit: int) -> dict[str, Any]:
    """The queue page's written notices waiting to be delivered (with their age, delivery deadline and whether
    it has passed), and the downgrade proposals waiting for confirmation (§四(二))."""
    notices = notices_with_deadlines(user)
    return {
        "notices": notices[:limit],
        "notices_overdue": sum(1 for row in notices if row["overdue"]),
        "proposals": list(cases_to_confirm(user)[:limit]),
    }


def defences_section(user: User, limit: int) -> dict[str, Any]:
    """The queue page's defences waiting for an answer (online or on paper), with the answer's due date."""
    rows = defences_to_answer(user)
    if not rows:
        return {}
    return {
        "sections": [
            {
                "template": "dynamic/_queue_defences.html",
                "rows": rows[:limit],
                "count": len(rows),
            }
        ]
    }
