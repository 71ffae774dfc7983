"""Name and code search through the trigram index (issue 14): pg_trgm's GIN index on PostgreSQL, the FTS5 trigram
table on SQLite. The planner must use it (a scan of a million names is what it replaces), and the table must
follow every write: import (COPY / executemany), rename, deletion."""

from django.db import connection

from ciqcredit.actors import Actor
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.selectors import enterprise_search
from ciqcredit.enterprises.tests.registry_files import contract_row, import_file, write_registry
from ciqcredit.testing import make_enterprise

SETUP = Actor.job("test")


def _found(user, text: str) -> set[str]:
    return set(enterprise_search(user, text=text).values_list("name", flat=True))


def _plan(user, text: str) -> str:
    qs = enterprise_search(user, text=text)
    return qs.explain()


def test_the_index_answers_parts_of_names_and_code_prefixes(cast):
    make_enterprise(2, cast.bureau_a, name="深圳市福田电子科技有限公司")
    other = make_enterprise(3, cast.bureau_a, name="东莞市长安五金制品厂")
    assert _found(cast.hq_admin, "福田电子") == {"深圳市福田电子科技有限公司"}
    assert _found(cast.hq_admin, "五金制") == {"东莞市长安五金制品厂"}
    assert _found(cast.hq_admin, other.credit_code[:10]) == {"东莞市长安五金制品厂"}
    assert _found(cast.hq_admin, other.credit_code[2:12]) == set()  # codes match from their start only
    assert _found(cast.hq_admin, "福田") == {"深圳市福田电子科技有限公司"}  # two characters: no trigram, still found

    Enterprise.objects.filter(pk=other.pk).update(name="东莞市长安精密模具厂")
    assert _found(cast.hq_admin, "五金制") == set()
    assert _found(cast.hq_admin, "精密模具") == {"东莞市长安精密模具厂"}
    Enterprise.objects.filter(pk=other.pk).delete()
    assert _found(cast.hq_admin, "精密模具") == set()


def test_a_bulk_import_is_searchable_at_once(cast, tmp_path):
    rows = [contract_row(10 + n, name=f"宁波北仑港口物流有限公司{n}") for n in range(3)]
    result = import_file(write_registry(tmp_path / "registry.csv", rows), actor=SETUP)
    assert result.created == 3
    assert _found(cast.hq_admin, "北仑港口物流") == {f"宁波北仑港口物流有限公司{n}" for n in range(3)}
    later = make_enterprise(20, cast.bureau_a, name="舟山远洋渔业有限公司")  # one by one again after the import
    assert _found(cast.hq_admin, "远洋渔业") == {later.name}


def test_the_planner_uses_the_trigram_index(cast):
    make_enterprise(2, cast.bureau_a, name="深圳市福田电子科技有限公司")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A tiny table: leave the planner only bitmap scans, so that the index must serve the conditions.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            plan = _plan(cast.hq_admin, "福田电子")
        assert "enterprise_search_trgm_idx" in plan
    else:
        plan = _plan(cast.hq_admin, "福田电子")
        assert "enterprise_search_fts" in plan and "VIRTUAL TABLE INDEX" in plan
