"""Defaults are written once, in abmcli/sections.py: README's config reference, the
starter `abm init` writes and examples/abm.toml show the same values, except the lines
they mark as examples (a comment saying "example" on the key's line or on its table's
header line) and, in examples/abm.toml, Northwind's own choices listed below."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from abmcli.config import Config, config_from_text
from abmcli.config_checks import CONFIG_CHECKS
from abmcli.config_lines import key_lines, where
from abmcli.init import STARTER_CONFIG

ROOT = Path(__file__).parents[1]
MISSING = object()

# examples/abm.toml spells out the defaults and Northwind's own settings; these are
# Northwind's (the file's comments say why each was chosen).
NORTHWIND_CHOICES = {
    ("as_of",), ("intent", "topics"), ("icp",), ("tiers", "max_tier1"),
    ("tiers", "max_tier2"), ("tiers", "max_tier3"), ("tiers", "customers"), ("segments",),
    ("inputs",), ("output", "folder"), ("measure", "program_start"), ("measure", "rates"),
    ("measure", "stages"), ("measure", "personas"),
}


def readme_reference() -> str:
    """The ```toml block under "## The config file" in README.md."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The config file", 1)[1]
    found = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert found, "README.md: no ```toml block under '## The config file'"
    return found.group(1)


DOCUMENTS = {
    "README.md (## The config file)": readme_reference,
    "abmcli/init.py (STARTER_CONFIG)": lambda: STARTER_CONFIG,
    "examples/abm.toml": lambda: (ROOT / "examples" / "abm.toml").read_text(encoding="utf-8"),
}


def default_at(path: tuple[str, ...]) -> Any:
    """The model's default at `path` (MISSING where the models have no default)."""
    value: Any = Config()
    for part in path:
        if dataclasses.is_dataclass(value):
            value = getattr(value, part, MISSING)
        elif isinstance(value, dict):
            value = value.get(part, MISSING)
        else:
            return MISSING
    return value


def leaves(raw: dict[str, Any], path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """(path, value) of every setting, descending into tables the models have too."""
    found = []
    for key, value in raw.items():
        here = (*path, key)
        default = default_at(here)
        if isinstance(value, dict) and (dataclasses.is_dataclass(default)
                                        or isinstance(default, dict)):
            found.extend(leaves(value, here))
        else:
            found.append((here, value))
    return found


def is_example(text: str, path: tuple[str, ...], index: dict) -> bool:
    lines = text.splitlines()
    for end in range(len(path), 0, -1):
        line = where(path[:end], index)
        if line is not None and "example" in lines[line - 1].partition("#")[2].lower():
            return True
    return False


def drift(name: str, text: str) -> list[str]:
    import tomllib

    index = key_lines(text)
    problems = []
    for path, value in leaves(tomllib.loads(text)):
        if name == "examples/abm.toml" and any(path[:len(c)] == c for c in NORTHWIND_CHOICES):
            continue
        default = default_at(path)
        if default is not MISSING and _same(value, default):
            continue
        if name != "examples/abm.toml" and is_example(text, path, index):
            continue
        shown = "not a default" if default is MISSING else f"the default is {default!r}"
        problems.append(f"{name} line {where(path, index)}: {'.'.join(path)} = {value!r}, but "
                        f"{shown} (abmcli/sections.py). Write the default there, or mark the "
                        "line as an example with a comment that says so")
    return problems


def _same(value: Any, default: Any) -> bool:
    if dataclasses.is_dataclass(default):
        return False
    if isinstance(default, list) and default and dataclasses.is_dataclass(default[0]):
        return value == [dataclasses.asdict(item) for item in default]
    return bool(value == default)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_documents_show_the_models_defaults(name: str) -> None:
    problems = drift(name, DOCUMENTS[name]())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_documents_load_without_problems(name: str) -> None:
    config_from_text(DOCUMENTS[name](), ROOT / "examples" / "abm.toml", CONFIG_CHECKS)


def test_a_drifted_default_is_named_with_its_line() -> None:
    text = "[match]\nfuzzy_threshold = 90\n[tiers]\nmax_tier1 = 5   # example cap\n"
    assert drift("abm.toml", text) == [
        "abm.toml line 2: match.fuzzy_threshold = 90, but the default is 92.0 "
        "(abmcli/sections.py). Write the default there, or mark the line as an example "
        "with a comment that says so"]
