"""What a clone's users read points at documents the clone has.

KPI.md and DESIGN.md live outside the repository; the README, the CLI's help
texts and footers must cite docs/ instead, every docs/ file they cite must
exist, and the README's Documentation list must name every file in docs/.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = sorted((ROOT / "src" / "callboard" / "cli").glob("*.py"))
OUTSIDE = ("KPI.md", "DESIGN.md", "shared/KPI", "shared/DESIGN")


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_user_facing_text_cites_no_document_outside_the_repository() -> None:
    cited = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in [ROOT / "README.md", *CLI]
        for name in OUTSIDE
        if name in path.read_text(encoding="utf-8")
    ]
    assert cited == [], "cite docs/kpi.md (the metric dictionary) or another file of docs/"


def test_every_cited_docs_file_exists() -> None:
    missing = [
        f"{path.relative_to(ROOT)}: {cited}"
        for path in [ROOT / "README.md", *CLI]
        for cited in re.findall(r"docs/[\w./-]+\.md", path.read_text(encoding="utf-8"))
        if not (ROOT / cited).is_file()
    ]
    assert missing == []


def test_the_readme_documentation_list_names_every_file_in_docs() -> None:
    section = _readme().split("## Documentation", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"\]\((docs/[\w./-]+\.md)\)", section))
    present = {str(path.relative_to(ROOT)) for path in (ROOT / "docs").rglob("*.md")}
    assert sorted(present - listed) == [], "add them to the README's Documentation list"
