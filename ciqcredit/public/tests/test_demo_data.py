"""The demo shows the public site as a platform in use: listed enterprises on the public list, one removed, an
enterprise login free to apply for credit repair, and certificates to check."""

from io import StringIO

from django.core.management import call_command
from django.test import Client

from ciqcredit.certificates.models import GradeCertificate
from ciqcredit.dynamic.models import CaseKind, CaseStatus, DynamicCase
from ciqcredit.organizations.models import User
from ciqcredit.repair.selectors import repair_standing


def test_the_demo_populates_the_list_repair_and_certificates(db):
    out = StringIO()
    call_command("demo", "--enterprises", "150", stdout=out)
    listed = DynamicCase.objects.filter(kind=CaseKind.SERIOUS_LIST, status=CaseStatus.APPROVED)
    assert listed.count() >= 2
    assert DynamicCase.objects.filter(kind=CaseKind.SERIOUS_LIST, status=CaseStatus.REMOVED).exists()
    public = Client().get("/api/public/v1/serious-list").json()
    assert public["count"] == listed.count()
    removed = DynamicCase.objects.get(kind=CaseKind.SERIOUS_LIST, status=CaseStatus.REMOVED).enterprise
    assert removed.credit_code not in {row["credit_code"] for row in public["items"]}
    repair_user = User.objects.get(username="ent_repair")
    assert repair_standing(repair_user.enterprise).may_apply
    assert "ent_repair" in out.getvalue()
    certificate = GradeCertificate.objects.filter(revoked_at__isnull=True).first()
    assert certificate is not None and GradeCertificate.objects.filter(revoked_at__isnull=False).exists()
    assert "证明" in Client().get(f"/public/certificates/{certificate.code}").content.decode()
