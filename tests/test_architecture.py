"""docs/ARCHITECTURE.md is the map of the code: every module is on it, and every module
it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
MAP = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")


def _modules() -> set[str]:
    package = ROOT / "abmcli"
    return {path.relative_to(package).as_posix() for path in package.rglob("*.py")}


def _named_in_map() -> set[str]:
    """The modules the map's first code block names: a line indented by two spaces starts
    with module names, then two or more spaces, then what they do; a line starting with
    `abmcli/` opens a folder."""
    block = MAP.split("```")[1]
    named, folder = set(), ""
    for line in block.splitlines():
        if line.startswith("abmcli/"):
            folder = line.split()[0].removeprefix("abmcli/")
        elif re.match(r"  \S", line):
            names = re.split(r"\s{2,}", line.strip())[0].split()
            named.update(folder + name for name in names)
    return named


def test_every_module_is_on_the_map() -> None:
    missing = {m for m in _modules() - _named_in_map() if not m.endswith("__init__.py")}
    assert not missing, f"add these to docs/ARCHITECTURE.md: {sorted(missing)}"


def test_the_map_names_only_modules_that_exist() -> None:
    extra = _named_in_map() - _modules()
    assert not extra, f"docs/ARCHITECTURE.md names modules that do not exist: {sorted(extra)}"
