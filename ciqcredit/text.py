"""Text from outside: control characters are refused on the way in and dropped on the way out.

XML (so XLSX) cannot hold C0 control characters other than tab, line feed and carriage return, and
PostgreSQL refuses NUL in text; neither belongs in a name, a number or a note.
"""

import re

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_MESSAGE = "含有不允许的控制字符（如 NUL、\\u0001）"


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)
