"""Codes the registry does not know yet are kept, and matched when the enterprise registers (the registry's
`enterprises_registered` hook), by every registration path."""

import io

from ciqcredit.actors import Actor
from ciqcredit.enterprises.importing import read_rows
from ciqcredit.enterprises.services import enterprise_upsert, enterprises_import
from ciqcredit.partners.models import PartnerListEntry
from ciqcredit.partners.tests.fixtures import put_list
from ciqcredit.testing import credit_code_for

KNOWN_LATER, ALSO_LATER, NEVER = credit_code_for(601), credit_code_for(602), credit_code_for(603)


def _entry(code):
    return PartnerListEntry.objects.get(credit_code=code)


def test_registered_codes_are_matched_at_once_and_unknown_ones_wait(cast, partners):
    put_list(cast, partners.court_token, "court_dishonest_debtors", [cast.enterprise.credit_code, KNOWN_LATER])
    assert _entry(cast.enterprise.credit_code).enterprise_id == cast.enterprise.pk
    waiting = _entry(KNOWN_LATER)
    assert waiting.is_pending and waiting.matched_at is None


def test_a_pending_code_is_matched_when_the_enterprise_registers(cast, partners):
    put_list(cast, partners.court_token, "court_dishonest_debtors", [KNOWN_LATER, NEVER])
    put_list(cast, partners.tax_token, "tax_a_grade", [KNOWN_LATER])
    enterprise, outcome = enterprise_upsert(
        data={
            "credit_code": KNOWN_LATER,
            "name": "后来登记的贸易有限公司",
            "registering_org": "475200",
            "types": "importer",
            "registered_on": "2026-01-05",
        },
        actor=Actor.of(cast.hq_admin),
    )
    assert outcome == "created"
    matched = PartnerListEntry.objects.filter(credit_code=KNOWN_LATER)
    assert {e.enterprise_id for e in matched} == {enterprise.pk} and all(e.matched_at for e in matched)
    assert _entry(NEVER).is_pending


def test_a_file_import_matches_too_each_entry_to_its_own_enterprise(cast, partners):
    put_list(cast, partners.court_token, "court_dishonest_debtors", [ALSO_LATER, KNOWN_LATER, NEVER])
    put_list(cast, partners.tax_token, "tax_a_grade", [KNOWN_LATER])
    lines = "".join(
        f'{{"credit_code": "{code}", "name": "导入的企业{n}", "registering_org": "475200", "types": "exporter"}}\n'
        for n, code in enumerate((ALSO_LATER, KNOWN_LATER))
    )
    result = enterprises_import(rows=read_rows(io.BytesIO(lines.encode()), "jsonl"), actor=Actor.of(cast.hq_admin))
    assert result.created == 2, result.rejected
    for entry in PartnerListEntry.objects.filter(credit_code__in=[ALSO_LATER, KNOWN_LATER]):
        assert entry.enterprise.credit_code == entry.credit_code and entry.matched_at is not None
    assert PartnerListEntry.objects.filter(credit_code=KNOWN_LATER).count() == 2
    assert _entry(NEVER).is_pending
