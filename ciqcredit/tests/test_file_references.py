"""No docstring, comment or document points at a file that does not exist (files move; their mentions must follow)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A path under the repository (ciqcredit/…, docs/…, benchmarks/…) or a bare module name such as `review.py`.
PATH = re.compile(r"(?<![\w/.-])((?:ciqcredit|docs|benchmarks)/[\w/.-]+\.(?:py|yaml|html|md|csv|json)|[\w-]+\.py)\b")


def _sources() -> list[Path]:
    found = [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "benchmarks").rglob("*.py")]
    for path in (ROOT / "ciqcredit").rglob("*"):
        if path.suffix in {".py", ".yaml", ".html", ".md"} and "migrations" not in path.parts:
            found.append(path)
    return found


def _exists(mention: str, where: Path) -> bool:
    if "/" in mention:
        return (ROOT / mention).exists()
    # A bare file name: beside the mentioning file, or anywhere in the project.
    return (where.parent / mention).exists() or any(ROOT.glob(f"ciqcredit/**/{mention}")) or (ROOT / mention).exists()


def test_every_mentioned_file_exists():
    missing = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for mention in sorted(set(PATH.findall(text))):
            if not _exists(mention, path):
                missing.append(f"{path.relative_to(ROOT)}: {mention}")
    assert missing == [], "mentions of files that do not exist:\n" + "\n".join(missing)
