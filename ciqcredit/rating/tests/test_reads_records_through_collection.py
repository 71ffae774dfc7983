"""Rating reads credit records only through collection's selectors, which own what "effective in a period" means."""

from pathlib import Path

import ciqcredit.rating
from ciqcredit.collection.models import CreditRecord

RATING = Path(ciqcredit.rating.__file__).parent


def _rating_sources() -> dict[str, str]:
    return {
        str(path.relative_to(RATING)): path.read_text(encoding="utf-8")
        for path in RATING.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    }


def test_rating_names_neither_the_effective_status_nor_the_records_table():
    table = CreditRecord._meta.db_table
    offending = {
        name: needle
        for name, text in _rating_sources().items()
        for needle in ("'effective'", '"effective"', table, 'get_model("collection"')
        if needle in text
    }
    assert offending == {}, f"read records through ciqcredit.collection.selectors instead: {offending}"
