"""CSV files come as UTF-8 (with or without BOM) or GB18030, as Chinese government spreadsheets often are."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.tests.registry_files import contract_row, import_file, write_registry
from ciqcredit.testing import credit_code_for


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_keeps_chinese_text(cast, tmp_path, encoding):
    rows = [contract_row(500, name="广东省深圳市龘䶮贸易有限公司", address="深圳市罗湖区人民南路"), contract_row(501)]
    path = write_registry(tmp_path / "registry.csv", rows, encoding=encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")  # the file really is not UTF-8

    result = import_file(path, actor=Actor.job("test"))

    assert (result.created, result.rejected) == (2, [])
    stored = Enterprise.objects.get(credit_code=credit_code_for(500))
    assert stored.name == "广东省深圳市龘䶮贸易有限公司" and stored.address == "深圳市罗湖区人民南路"


def test_xlsx_numbers_in_code_columns_are_read_as_text(cast, tmp_path):
    from openpyxl import Workbook

    from ciqcredit.enterprises.importing import CONTRACT_FIELDS

    row = contract_row(510, ciq_registration_no="4700123456")
    workbook = Workbook()
    workbook.active.append(list(CONTRACT_FIELDS))
    cells = [";".join(v) if isinstance(v, list) else v for v in (row[name] for name in CONTRACT_FIELDS)]
    cells[CONTRACT_FIELDS.index("registering_org")] = 470000  # as a spreadsheet stores a typed-in number
    cells[CONTRACT_FIELDS.index("ciq_registration_no")] = 4700123456.0
    workbook.active.append(cells)
    workbook.save(tmp_path / "registry.xlsx")

    result = import_file(tmp_path / "registry.xlsx", actor=Actor.job("test"))

    assert (result.created, result.rejected) == (1, [])
    stored = Enterprise.objects.get(credit_code=credit_code_for(510))
    assert stored.ciq_registration_no == "4700123456" and stored.registering_org.code == "470000"
