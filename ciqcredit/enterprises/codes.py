"""Identifier checks: unified social credit code (GB 32100-2015) and organization code (GB 11714).

Plain functions over strings; each returns None when valid or a (code, Chinese message) pair.
"""

import operator
import re

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
_CREDIT_VALUES = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_VALUES = {ch: i for i, ch in enumerate(_ORG_ALPHABET)}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code_check_char(first17: str) -> str:
    if len(first17) != 17:
        raise ValueError("the check character follows 17 characters")
    total = sum(map(operator.mul, map(_CREDIT_VALUES.__getitem__, first17), _CREDIT_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


# A well-formed code at a glance (alphabet, digits in 3–8): every code e-CIQ sends is checked on the hot path.
_WELL_FORMED = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}")


def credit_code_error(code: str) -> tuple[str, str] | None:
    if _WELL_FORMED.fullmatch(code) and code[17] == credit_code_check_char(code[:17]):
        return None
    if len(code) != 18:
        return "bad_length", f"统一社会信用代码应为18位，实为{len(code)}位"
    bad = sorted({ch for ch in code if ch not in _CREDIT_VALUES})
    if bad:
        return "bad_characters", f"统一社会信用代码含有不允许的字符：{''.join(bad)}（不使用I、O、Z、S、V及小写字母）"
    if not code[2:8].isdigit():
        # GB 32100: characters 3–8 are the registering authority's administrative division code, all digits.
        return "bad_region_code", f"统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字，实为{code[2:8]}"
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return "bad_check_character", f"统一社会信用代码校验位错误：应为{expected}，实为{code[17]}"
    return None


def code_error(text: str) -> tuple[str, str] | None:
    """What a person typed as a code: an 18-character credit code, or a 9-character organization code."""
    compact = text.strip().upper()
    if len(compact.replace("-", "")) == 9:
        return org_code_error(compact)
    return credit_code_error(compact)


def looks_like_code(text: str) -> bool:
    """Typed as a whole code (not a name or a prefix): 18 letters and digits, or 8 + check with a hyphen."""
    compact = text.strip().upper()
    return (len(compact) == 18 and compact.isalnum()) or (len(compact) == 10 and compact[8] == "-")


def org_code_check_char(first8: str) -> str:
    if len(first8) != 8:
        raise ValueError("the check character follows 8 characters")
    total = sum(map(operator.mul, map(_ORG_VALUES.__getitem__, first8), _ORG_WEIGHTS))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def org_code_error(code: str) -> tuple[str, str] | None:
    """9 characters (8 + check); a hyphen before the check character, as printed on old certificates, is accepted."""
    compact = code.replace("-", "")
    if len(compact) != 9:
        return "bad_length", f"组织机构代码应为9位，实为{len(compact)}位"
    if any(ch not in _ORG_VALUES for ch in compact[:8]) or compact[8] not in "0123456789X":
        return "bad_characters", "组织机构代码只能由数字和大写字母组成，校验位为数字或X"
    expected = org_code_check_char(compact[:8])
    if compact[8] != expected:
        return "bad_check_character", f"组织机构代码校验位错误：应为{expected}，实为{compact[8]}"
    return None


def normalize_org_code(code: str) -> str:
    return code.replace("-", "").strip().upper()
