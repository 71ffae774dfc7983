"""The enterprise's own API (`/api/v1/me...`): for an enterprise user's token or browser session only.

Other modules add their `me` endpoints to `router` (import it and decorate); every endpoint starts with
`access.me(request)`, which gives the user and their enterprise, so nothing of another enterprise is reachable.
"""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from ciqcredit.api_common import ErrorOut
from ciqcredit.portal.access import ENTERPRISE_AUTH, me
from ciqcredit.portal.selectors import enterprise_summary

router = Router(tags=["企业端 me"], auth=ENTERPRISE_AUTH)
ME_ERRORS = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}


class GradeOut(Schema):
    grade: str | None
    effective_from: dt.date | None
    cause_label: str
    ruleset_version: int | None


class MeOut(Schema):
    name: str
    credit_code: str
    ciq_registration_no: str
    address: str
    type_labels: list[str]
    registering_organization: str
    status_label: str
    grade: GradeOut


@router.get("/me", response={200: MeOut, **ME_ERRORS}, summary="本企业及其现行信用等级")
def me_get(request: HttpRequest):
    _, enterprise = me(request)
    return enterprise_summary(enterprise)
