"""The enterprise's credit repair through the `me` API (portal.api.router: enterprise users only, their own
enterprise): `GET /api/v1/me/repair-applications` (where it stands and its applications) and
`POST /api/v1/me/repair-applications` (apply)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from ciqcredit.actors import Actor
from ciqcredit.api_common import ErrorOut
from ciqcredit.portal.access import me
from ciqcredit.portal.api import ME_ERRORS, router
from ciqcredit.repair.models import RepairApplication
from ciqcredit.repair.selectors import RepairStanding, applications_visible_to, repair_progress, repair_standing
from ciqcredit.repair.services import repair_apply


class RepairIn(Schema):
    rectification: str = Field(min_length=1, max_length=5000, description="整改情况")


class RepairApplicationOut(Schema):
    submitted_at: str
    state: str
    detail: str
    review_due: dt.date
    next_allowed_on: dt.date | None


class RepairStandingOut(Schema):
    listed: bool
    listed_on: dt.date | None
    may_apply: bool
    earliest: dt.date | None
    conditions: list[str]
    applications: list[RepairApplicationOut]


def _out(application: RepairApplication, standing: RepairStanding) -> dict:
    progress = repair_progress(application, standing)
    return {
        "submitted_at": application.submitted_at.isoformat(),
        "state": progress["state"],
        "detail": progress["detail"],
        "review_due": application.review_due,
        "next_allowed_on": progress["next_allowed_on"],
    }


@router.get(
    "/me/repair-applications",
    response={200: RepairStandingOut, **ME_ERRORS},
    summary="本企业的信用修复：申请条件与申请记录",
)
def me_repair_list(request: HttpRequest):
    user, enterprise = me(request)
    standing = repair_standing(enterprise)
    rows = applications_visible_to(user).select_related("removal")[:50]
    return {
        "listed": standing.case is not None,
        "listed_on": standing.case.carried_out_on if standing.case else None,
        "may_apply": standing.may_apply,
        "earliest": standing.window.earliest if standing.window else None,
        "conditions": list(standing.window.reasons) if standing.window else [],
        "applications": [_out(a, standing) for a in rows],
    }


@router.post(
    "/me/repair-applications",
    response={201: RepairApplicationOut, 409: ErrorOut, 422: ErrorOut, **ME_ERRORS},
    summary="申请信用修复（移出严重失信企业名单）",
)
def me_repair_apply(request: HttpRequest, payload: RepairIn):
    user, enterprise = me(request)
    application = repair_apply(enterprise=enterprise, rectification=payload.rectification, actor=Actor.of(user))
    return Status(201, _out(application, repair_standing(enterprise)))
