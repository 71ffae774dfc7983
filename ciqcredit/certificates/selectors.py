"""Reads of grade certificates: who may see which, and whether one is still valid (what the public check shows)."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import QuerySet

from ciqcredit import clock
from ciqcredit.certificates.models import GradeCertificate
from ciqcredit.errors import NotFound
from ciqcredit.organizations.access import org_scope_q
from ciqcredit.organizations.models import User
from ciqcredit.rating.services.aa import serious_listed
from ciqcredit.rating.services.grades import grade_on

# Crockford-like: no I, L, O, U, 0, 1, so a code read aloud or retyped is not misread.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
_CODE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def normalize_code(text: str) -> str | None:
    """A typed code (any case, with dashes or spaces) as stored, or None when it cannot be one."""
    code = re.sub(r"[\s\-]", "", text or "").upper()
    return code if _CODE.match(code) else None


@dataclass(frozen=True)
class Validity:
    valid: bool
    reason: str  # Chinese, for anyone: says why, names no person, record or internal number


def certificate_validity(certificate: GradeCertificate, today: dt.date | None = None) -> Validity:
    today = today or clock.today()
    if certificate.revoked_at is not None:
        return Validity(False, f"本证明已由出具机构于{certificate.revoked_at:%Y-%m-%d}撤销")
    enterprise = certificate.enterprise
    if serious_listed(enterprise, today):
        return Validity(False, "该企业已被列入严重失信企业名单，本证明失效")
    current = grade_on(enterprise, today)
    if current.grade != certificate.grade:
        since = f"于{current.effective_from:%Y-%m-%d}" if current.effective_from else ""
        return Validity(False, f"该企业的信用等级已{since}发生变更，本证明失效")
    return Validity(True, "有效：该企业现行信用等级与本证明所载一致")


def certificates_visible_to(user: User) -> QuerySet[GradeCertificate]:
    """Staff: certificates of enterprises registered in their subtree; an enterprise user: its own; systems: none."""
    if user.is_system or not user.is_active:
        return GradeCertificate.objects.none()
    if user.is_enterprise_user:
        if user.enterprise_id is None:
            return GradeCertificate.objects.none()
        return GradeCertificate.objects.filter(enterprise_id=user.enterprise_id)
    return GradeCertificate.objects.filter(org_scope_q(user, "enterprise__registering_org"))


def certificate_get_for_user(user: User, pk: int) -> GradeCertificate:
    found = certificates_visible_to(user).select_related("enterprise", "organization").filter(pk=pk).first()
    if found is None:
        raise NotFound("信用等级证明")
    return found


def certificate_by_code(code: str) -> GradeCertificate | None:
    """The public check: by verification code only (unscoped on purpose: the code is the credential)."""
    normalized = normalize_code(code)
    if normalized is None:
        return None
    return GradeCertificate.objects.select_related("enterprise", "organization").filter(code=normalized).first()
