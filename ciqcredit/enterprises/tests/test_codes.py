import pytest

from ciqcredit.enterprises.codes import credit_code_error, org_code_error
from ciqcredit.testing import credit_code_for, org_code_for

# A widely published sample code, and generated ones.
VALID_CREDIT = ["91350100M000100Y43", credit_code_for(1), credit_code_for(987654)]


@pytest.mark.parametrize("code", VALID_CREDIT)
def test_valid_credit_codes_pass(code):
    assert credit_code_error(code) is None


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91350100M000100Y44", "bad_check_character"),
        ("91350100M000100Y4", "bad_length"),
        ("91350100M000100Y433", "bad_length"),
        ("91350100I000100Y43", "bad_characters"),  # I is not used
        ("91350100O000100Y43", "bad_characters"),  # nor O
        ("91350100m000100Y43", "bad_characters"),  # lower case
        ("", "bad_length"),
    ],
)
def test_invalid_credit_codes_are_named(code, error):
    assert credit_code_error(code)[0] == error


def test_every_single_character_change_of_the_check_is_caught():
    code = credit_code_for(42)
    wrong = [c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != code[17]]
    assert all(credit_code_error(code[:17] + c)[0] == "bad_check_character" for c in wrong)


@pytest.mark.parametrize("code", ["D2143569X", "D2143569-X", org_code_for(7), "000000000"])
def test_valid_org_codes(code):
    assert org_code_error(code) is None


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("D21435691", "bad_check_character"),
        ("D2143569", "bad_length"),
        ("D2143569Y", "bad_characters"),
        ("d2143569X", "bad_characters"),
    ],
)
def test_invalid_org_codes(code, error):
    assert org_code_error(code)[0] == error


def test_region_code_must_be_digits():
    """GB 32100: characters 3–8 are the registering authority's division code; letters there are refused even
    when the check character is right for them."""
    from ciqcredit.enterprises.codes import credit_code_check_char

    first17 = "91" + "44A300" + "600000004"
    code = first17 + credit_code_check_char(first17)
    assert credit_code_error(code)[0] == "bad_region_code"
