"""The enterprise's grade certificates through the `me` API (portal.api.router, its own enterprise only)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Schema, Status

from ciqcredit.actors import Actor
from ciqcredit.api_common import ErrorOut
from ciqcredit.certificates.models import GradeCertificate
from ciqcredit.certificates.selectors import certificate_validity, certificates_visible_to
from ciqcredit.certificates.services import certificate_issue
from ciqcredit.portal.access import me
from ciqcredit.portal.api import ME_ERRORS, router


class CertificateOut(Schema):
    code: str
    grade: str
    grade_from: dt.date
    issued_on: dt.date
    issuer: str
    valid: bool
    reason: str


def _out(certificate: GradeCertificate) -> dict:
    validity = certificate_validity(certificate)
    return {
        "code": certificate.display_code,
        "grade": certificate.grade,
        "grade_from": certificate.grade_from,
        "issued_on": certificate.issued_on,
        "issuer": certificate.organization.name,
        "valid": validity.valid,
        "reason": validity.reason,
    }


@router.get("/me/certificates", response={200: list[CertificateOut], **ME_ERRORS}, summary="本企业的信用等级证明")
def me_certificates(request: HttpRequest):
    user, _ = me(request)
    return [_out(c) for c in certificates_visible_to(user).select_related("organization", "enterprise")[:50]]


@router.post(
    "/me/certificates", response={201: CertificateOut, 409: ErrorOut, **ME_ERRORS}, summary="出具现行等级的信用等级证明"
)
def me_certificate_issue(request: HttpRequest):
    user, enterprise = me(request)
    return Status(201, _out(certificate_issue(enterprise=enterprise, actor=Actor.of(user))))
