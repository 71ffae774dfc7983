"""What the partner lists do when the registry reports new enterprises (ciqcredit.enterprises.signals)."""

from typing import Any

from ciqcredit.partners.services import entries_match


def on_enterprises_registered(sender: Any, *, ids_by_code: dict[str, int], **kwargs: Any) -> None:
    entries_match(ids_by_code=ids_by_code)
