"""Issuing and revoking grade certificates, each audited."""

import secrets

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.certificates.models import GradeCertificate
from ciqcredit.certificates.selectors import CODE_ALPHABET, CODE_LENGTH
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import Conflict, DomainError, NotFound
from ciqcredit.organizations.access import person_of, require_role
from ciqcredit.organizations.roles import Role
from ciqcredit.rating.models import GradeChange
from ciqcredit.rating.services.aa import serious_listed
from ciqcredit.rating.services.grades import grade_on


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not GradeCertificate.objects.filter(code=code).exists():
            return code


def _require_issuer(actor: Actor, enterprise: Enterprise) -> None:
    """The enterprise's own users, or a credit officer of its registering organization or above."""
    user = person_of(actor)
    if user.is_enterprise_user:
        if user.enterprise_id != enterprise.pk:
            raise NotFound("企业")
        return
    if user.is_system or not enterprise.registering_org.is_within(user.organization):
        raise NotFound("企业")
    require_role(user, Role.BUREAU_CREDIT, Role.HQ_ADMIN)


@transaction.atomic
def certificate_issue(*, enterprise: Enterprise, actor: Actor) -> GradeCertificate:
    """A certificate of the grade in force today. While a valid certificate of the same grade decision exists it
    is returned again (one code per decision, printable any number of times)."""
    _require_issuer(actor, enterprise)
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    today = clock.today()
    current = grade_on(enterprise, today)
    if current.grade is None or current.change_id is None:
        raise DomainError("no_grade", "该企业尚无生效的信用等级，不能出具信用等级证明", status=409)
    if serious_listed(enterprise, today):
        raise DomainError("serious_listed", "列入严重失信企业名单期间不出具信用等级证明", status=409)
    existing = GradeCertificate.objects.filter(
        enterprise=enterprise, grade_change_id=current.change_id, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    change = GradeChange.objects.get(pk=current.change_id)
    certificate = GradeCertificate.objects.create(
        code=_new_code(),
        enterprise=enterprise,
        grade_change=change,
        grade=change.grade,
        grade_from=change.effective_from,
        ruleset_version=change.ruleset_version,
        organization=enterprise.registering_org,
        issued_on=today,
        issued_at=clock.now(),
        issued_by=person_of(actor),
    )
    audit_log(
        actor=actor,
        action="certificates.certificate.issued",
        target=certificate,
        organization_id=enterprise.registering_org_id,
        new={"credit_code": enterprise.credit_code, "grade": certificate.grade, "code": certificate.display_code},
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: GradeCertificate, reason: str, actor: Actor) -> GradeCertificate:
    """The issuing office (or above) withdraws a certificate, e.g. issued in error; the public check says so."""
    user = person_of(actor)
    certificate = (
        GradeCertificate.objects.select_for_update()
        .select_related("enterprise__registering_org")
        .get(pk=certificate.pk)
    )
    if user.is_enterprise_user or user.is_system or not certificate.organization.is_within(user.organization):
        raise NotFound("信用等级证明")
    require_role(user, Role.BUREAU_CREDIT, Role.HQ_ADMIN)
    text = (reason or "").strip()
    if not text:
        raise DomainError("required", "请填写撤销理由", {"field": "reason"}, status=422)
    if certificate.revoked_at is not None:
        raise Conflict("certificate_revoked", "该证明已撤销")
    certificate.revoked_at, certificate.revoked_by, certificate.revoke_reason = clock.now(), user, text
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_log(
        actor=actor,
        action="certificates.certificate.revoked",
        target=certificate,
        organization_id=certificate.organization_id,
        old={"revoked_at": None},
        new={"revoked_at": certificate.revoked_at.isoformat(), "revoke_reason": text},
    )
    return certificate
