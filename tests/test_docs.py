"""The docs a newcomer reads: a short README, links that lead somewhere, every rule code listed."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
#: The front page stays a front page; everything else belongs in docs/.
README_MAX_BYTES = 12_000
#: Folders whose Markdown files are read by people browsing the repository.
MARKDOWN_FOLDERS = ("docs", "transcripts", "locales", "tests/data")

_FENCE = re.compile(r"^ *(```|~~~)")
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"\[(?:[^\]\n]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_RULE_CODE = re.compile(r"\b[A-Z]{3}\d{3}\b")


def markdown_files() -> list[Path]:
    files = sorted(ROOT.glob("*.md"))
    for folder in MARKDOWN_FOLDERS:
        files += sorted((ROOT / folder).rglob("*.md"))
    return files


def prose_lines(text: str) -> Iterator[str]:
    """The lines of a Markdown text outside fenced code blocks, each code span made one word."""
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield _CODE_SPAN.sub("code", line)


def github_anchor(heading: str) -> str:
    """The id GitHub gives a heading: lowercased, punctuation dropped, spaces made hyphens.

    >>> github_anchor("`[tool.redbox]` in `pyproject.toml`")
    'toolredbox-in-pyprojecttoml'
    >>> github_anchor("Reading other people's files")
    'reading-other-peoples-files'
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            anchor = github_anchor(match.group(2))
            count = seen.get(anchor, 0)
            seen[anchor] = count + 1
            found.add(anchor if count == 0 else f"{anchor}-{count}")
    return found


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    """Every relative link of ``path`` whose file (inside ``root``) or heading does not exist."""
    broken = []
    for line in prose_lines(path.read_text(encoding="utf-8")):
        for target in _LINK.findall(line):
            if _SCHEME.match(target):
                continue
            file_part, _, anchor = target.partition("#")
            resolved = (path.parent / file_part).resolve() if file_part else path
            where = f"{path.relative_to(root)}: {target}"
            if not resolved.is_relative_to(root.resolve()):
                broken.append(f"{where} (outside the repository)")
            elif not resolved.exists():
                broken.append(f"{where} (no such file)")
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
                broken.append(f"{where} (no such heading)")
    return broken


def test_readme_is_a_front_page() -> None:
    size = len(README.read_bytes())
    assert size < README_MAX_BYTES, f"README.md is {size} bytes: move detail into docs/"


def test_readme_keeps_the_commands_ci_runs() -> None:
    readme = README.read_text(encoding="utf-8")
    for name in ("build-command", "test-command"):
        block = re.search(rf"<!-- {name} -->\n```sh\n(.+?)\n```\n<!-- /{name} -->", readme, flags=re.S)
        assert block, f"README.md lost its marked {name} block (.ci/run reads it)"
        assert block.group(1).startswith("python3 -m venv .venv && .venv/bin/pip install -q -e ")


def test_every_relative_link_leads_to_a_file_and_heading() -> None:
    files = markdown_files()
    assert README in files and DOCS / "checks.md" in files
    broken = [problem for path in files for problem in broken_links(path)]
    assert broken == []


def test_the_link_checker_sees_broken_links(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## `redbox check`: rules\n", encoding="utf-8")
    page = tmp_path / "docs" / "page.md"
    page.write_text(
        "# Page\n\n[ok](other.md#redbox-check-rules) [self](#page) [web](https://example.org/x)\n"
        "[gone](nowhere.md) [bad](other.md#no-such) [out](../../elsewhere.md)\n"
        "`[in code](nowhere.md)`\n\n```text\n[in a block](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page, tmp_path) == [
        "docs/page.md: nowhere.md (no such file)",
        "docs/page.md: other.md#no-such (no such heading)",
        "docs/page.md: ../../elsewhere.md (outside the repository)",
    ]


def codes_in_source() -> dict[str, set[str]]:
    """Every rule code the toolkit reports, with the severities it is reported at."""
    codes: dict[str, set[str]] = {}
    for path in (ROOT / "toolkit").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for code in re.findall(r"\"([A-Z]{3}\d{3})\"", text):
            codes.setdefault(code, set())
        for severity, code in re.findall(r"\"(error|warning)\",\s*\"([A-Z]{3}\d{3})\"", text):
            codes.setdefault(code, set()).add(severity)
        for code, severity in re.findall(r"\"([A-Z]{3}\d{3})\":\s*\(\"(error|warning)\"", text):
            codes.setdefault(code, set()).add(severity)
    return codes


def codes_in_checks_page() -> dict[str, str]:
    """code -> severity, from the tables of docs/checks.md."""
    listed: dict[str, str] = {}
    for line in (DOCS / "checks.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and _RULE_CODE.fullmatch(cells[0]):
            assert cells[0] not in listed, f"{cells[0]} is listed twice"
            listed[cells[0]] = cells[1]
    return listed


def test_checks_page_lists_every_rule_code_at_its_severity() -> None:
    source, listed = codes_in_source(), codes_in_checks_page()
    assert len(source) > 60
    assert sorted(set(source) - set(listed)) == [], "codes missing from docs/checks.md"
    assert sorted(set(listed) - set(source)) == [], "docs/checks.md lists codes nothing reports"
    wrong = {
        code: (listed[code], sorted(found))
        for code, found in source.items()
        if found and listed[code] not in found
    }
    assert wrong == {}, "severity in docs/checks.md -> severities in toolkit/"


def test_every_rule_code_is_on_its_family_page() -> None:
    pages = {
        "TRN": "transcripts.md",
        "TIM": "subtitles.md",
        "SUB": "formats.md",
        "CAT": "catalogs.md",
        "ALN": "alignment.md",
        "VOI": "voices.md",
        "PRJ": "checks.md",
    }
    texts = {prefix: (DOCS / page).read_text(encoding="utf-8") for prefix, page in pages.items()}
    missing = [code for code in codes_in_source() if code not in texts[code[:3]]]
    assert missing == []


def tracked_files() -> list[Path]:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listing = subprocess.run([git, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / name for name in listing.decode("utf-8").split("\0") if name]


def test_no_tracked_file_points_outside_the_repository() -> None:
    # Spelt in pieces so that this file does not match itself.
    outside = [(".." + "/shared").encode(), ("/work" + "/").encode(), ("/tmp/" + "aeneas").encode()]
    offenders = [
        f"{path.relative_to(ROOT)}: {needle.decode()}"
        for path in tracked_files()
        if path.is_file()
        for needle in outside
        if needle in path.read_bytes()
    ]
    assert offenders == []


def test_no_module_outgrows_its_job() -> None:
    """docs/architecture.md promises modules stay split by job: none over 800 lines, no CLI
    module over 300 (the CLI only parses, calls the core and prints)."""
    too_long = []
    for module in sorted((ROOT / "toolkit").rglob("*.py")):
        limit = 300 if module.parent.name == "cli" else 800
        lines = len(module.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            too_long.append(f"{module.relative_to(ROOT)}: {lines} lines (limit {limit})")
    assert not too_long, too_long


def test_the_core_never_imports_click() -> None:
    offenders = [
        str(module.relative_to(ROOT))
        for module in sorted((ROOT / "toolkit").rglob("*.py"))
        if module.parent.name != "cli"
        and re.search(r"^\s*(import click|from click)", module.read_text(encoding="utf-8"), re.M)
    ]
    assert not offenders
