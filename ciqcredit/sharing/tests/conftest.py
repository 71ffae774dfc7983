import datetime as dt
from dataclasses import dataclass

import pytest

from ciqcredit.application.tests.conftest import SYSTEM, set_grade
from ciqcredit.catalogue.selectors import cache_clear
from ciqcredit.partners.tests.fixtures import Partners, make_partners
from ciqcredit.sharing.services import sharing_grant
from ciqcredit.testing import make_enterprise

TODAY = dt.date(2026, 6, 15)


@dataclass
class Shared:
    cast: object
    partners: Partners
    enterprises: list

    def read(self, token: str, path: str, **params):
        return self.cast.api(token).get(path, params)

    def grant(self, partner, lists, fields=None, valid_from=TODAY, valid_to=None):
        return sharing_grant(
            partner=partner, lists=lists, fields=fields, valid_from=valid_from, valid_to=valid_to, actor=SYSTEM
        )


@pytest.fixture
def shared(cast, settings) -> Shared:
    """Feed rows on every list: an AA grant, a serious listing (D, controlled), a plain grade change."""
    settings.CIQCREDIT_TODAY = TODAY
    cache_clear()
    partners = make_partners()
    aa, listed, plain = (make_enterprise(800 + i, cast.branch_a) for i in range(3))
    set_grade(aa, "AA")
    set_grade(listed, "B")
    set_grade(listed, "D", cause="listing", controlled=True, on=dt.date(2026, 2, 1))
    set_grade(plain, "C")
    return Shared(cast, partners, [aa, listed, plain])
