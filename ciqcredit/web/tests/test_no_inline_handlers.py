"""The Content-Security-Policy (script-src 'self') blocks inline event handlers: one in a template does nothing but
log an error in the browser (the evaluation's start button carried one; `confirm.js` handles `data-confirm`)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_has_an_inline_event_handler():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)[:60]}"
        for path in ROOT.rglob("templates/**/*.html")
        for match in INLINE_HANDLER.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
