"""Grade certificates: issued for the grade in force, with a code anyone can check; a grade change, a listing or a
revocation makes it invalid, and the check says why without internals."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from ciqcredit.actors import Actor
from ciqcredit.certificates.models import GradeCertificate
from ciqcredit.certificates.selectors import certificate_validity, normalize_code
from ciqcredit.certificates.services import certificate_issue, certificate_revoke
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, listed_case
from ciqcredit.errors import DomainError, NotFound
from ciqcredit.portal.tests.fixtures import other_enterprise_user
from ciqcredit.rating.services.grades import grade_change_apply


def _issue(world):
    fixture_grade(world.cast.enterprise, "A")
    return certificate_issue(enterprise=world.cast.enterprise, actor=Actor.of(world.cast.enterprise_user))


def test_issued_for_the_grade_in_force_and_valid_until_it_changes(world):
    certificate = _issue(world)
    assert certificate.grade == "A" and normalize_code(certificate.display_code) == certificate.code
    assert certificate_validity(certificate).valid
    again = certificate_issue(enterprise=world.cast.enterprise, actor=Actor.of(world.cast.bureau_a_user))
    assert again.pk == certificate.pk  # one code per grade decision, printable by the bureau too
    grade_change_apply(
        enterprise=world.cast.enterprise, grade="B", cause="periodic", effective_from=dt.date(2026, 3, 1), actor=SETUP
    )
    validity = certificate_validity(certificate)
    assert not validity.valid and "等级已于2026-03-01发生变更" in validity.reason and "B" not in validity.reason


def test_revoked_certificate_is_invalid_and_says_so(world):
    certificate = _issue(world)
    with pytest.raises(NotFound):
        certificate_revoke(certificate=certificate, reason="误发", actor=Actor.of(world.cast.bureau_b_user))
    with pytest.raises(DomainError) as no_reason:
        certificate_revoke(certificate=certificate, reason="", actor=Actor.of(world.cast.bureau_a_user))
    assert no_reason.value.code == "required"
    certificate_revoke(certificate=certificate, reason="误发", actor=Actor.of(world.cast.bureau_a_user))
    certificate.refresh_from_db()
    validity = certificate_validity(certificate)
    assert not validity.valid and "撤销" in validity.reason and "误发" not in validity.reason


def test_a_listing_invalidates_and_no_certificate_is_issued_while_listed(world):
    certificate = _issue(world)
    listed_case(world)
    assert "严重失信" in certificate_validity(certificate).reason
    with pytest.raises(DomainError) as listed:
        certificate_issue(enterprise=world.cast.enterprise, actor=Actor.of(world.cast.enterprise_user))
    assert listed.value.code == "serious_listed"


def test_only_its_enterprise_and_its_offices_issue(world):
    fixture_grade(world.cast.enterprise, "A")
    with pytest.raises(NotFound):
        certificate_issue(enterprise=world.cast.enterprise, actor=Actor.of(world.cast.bureau_b_user))


def test_no_grade_no_certificate(world):
    with pytest.raises(DomainError) as none:
        certificate_issue(enterprise=world.cast.enterprise, actor=Actor.of(world.cast.enterprise_user))
    assert none.value.code == "no_grade"


def test_the_pdf_carries_the_code_the_grade_and_the_verification_address(world):
    certificate = _issue(world)
    client = world.cast.client_for(world.cast.enterprise_user)
    response = client.get(f"/portal/certificates/{certificate.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert certificate.display_code in text and world.cast.enterprise.name in text and "A级" in text
    assert f"/public/certificates/{certificate.code}" in text.replace("\n", "")
    staff = world.cast.client_for(world.cast.bureau_a_user).get(f"/certificates/{certificate.pk}.pdf")
    assert staff.status_code == 200
    assert world.cast.client_for(world.cast.bureau_b_user).get(f"/certificates/{certificate.pk}.pdf").status_code == 404
    other = world.cast.client_for(other_enterprise_user(world.cast))
    assert other.get(f"/portal/certificates/{certificate.pk}.pdf").status_code == 404
    assert certificate.code not in other.get("/portal/certificates/").content.decode()


def test_the_staff_page_issues_and_revokes_in_scope(world):
    fixture_grade(world.cast.enterprise, "A")
    officer = world.cast.client_for(world.cast.bureau_a_user)
    officer.post("/certificates/", {"action": "issue", "credit_code": world.cast.enterprise.credit_code})
    page = officer.get("/certificates/").content.decode()
    assert world.cast.enterprise.name in page and "有效" in page
    certificate = GradeCertificate.objects.get()
    outsider = world.cast.client_for(world.cast.bureau_b_user)
    outsider.post("/certificates/", {"action": "revoke", "certificate": certificate.pk, "reason": "误发"})
    assert world.cast.enterprise.name not in outsider.get("/certificates/").content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    officer.post("/certificates/", {"action": "revoke", "certificate": certificate.pk, "reason": "误发"})
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and "已失效" in officer.get("/certificates/").content.decode()
