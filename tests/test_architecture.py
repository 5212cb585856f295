"""docs/ARCHITECTURE.md is the map of the code: every module is on it, and every module
it names exists."""

from __future__ import annotations

import ast
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


# --- the layers ---------------------------------------------------------------------------


def _imports() -> dict[str, set[str]]:
    """Module -> the abmcli modules it imports (at the top or inside a function), as
    dotted names without the `abmcli.` prefix ("stages.score"); third-party top-level
    packages too ("typer")."""
    graph: dict[str, set[str]] = {}
    for path in (ROOT / "abmcli").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT / "abmcli").with_suffix("").parts)
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == "abmcli":
                    found |= {alias.name for alias in node.names}
                else:
                    found.add(node.module.removeprefix("abmcli."))
            elif isinstance(node, ast.Import):
                found |= {alias.name.removeprefix("abmcli.") for alias in node.names}
        graph[name.removesuffix(".__init__")] = {
            module.split(".")[0] if module.split(".")[0] in THIRD_PARTY else module
            for module in found}
    return graph


THIRD_PARTY = {"typer", "rich", "click"}
FOUNDATION = {"__init__", "__version__", "errors", "limits", "fields", "schema", "safe", "csv_text",
              "config", "sections", "config_lines", "lock", "frames", "words"}
LAYER_OF = {"keys": "keys", "sources": "sources", "matching": "matching", "stages": "stages",
            "formats": "formats", "xlsx": "xlsx", "outputs": "outputs", "measure": "measure",
            "cli": "cli", "run": "run", "init": "init", "__main__": "cli",
            # every stage's (and measure's) check of the config, run by run and the cli
            "config_checks": "run"}
# The layers each layer may import (besides itself and the foundation).
MAY_IMPORT = {
    "foundation": set(),
    "keys": set(),
    "sources": {"keys"},
    "xlsx": {"keys", "sources"},  # the reader's guards: zip bombs, sparse sheets, panics
    "matching": {"keys", "sources"},
    "formats": {"keys"},
    "outputs": {"keys", "sources", "matching", "stages", "formats", "xlsx"},
    "stages": {"keys", "sources", "matching", "formats", "xlsx"},
    "measure": {"keys", "sources", "matching", "stages", "formats", "xlsx", "outputs"},
    "run": {"keys", "sources", "matching", "stages", "formats", "xlsx", "outputs", "measure"},
    "init": set(),
    "cli": {"keys", "sources", "matching", "stages", "formats", "xlsx", "outputs", "measure",
            "run", "init", "typer", "rich", "click"},
}
# The imports that break a rule today, each with its reason. Remove a line when the
# import goes; a new exception needs a line and a reason here.
EXCEPTIONS = {
    ("keys.units", "sources.layouts"):
        "units decides a column's scale from the file's Layout; it belongs in sources/",
    ("sources.layouts", "measure.layouts"):
        "opportunity and contact layouts join the vendor layouts when the family is given "
        "(imported inside the function: measure.layouts builds on sources.layouts)",
    ("sources.load", "xlsx.workbook"):
        "a vendor workbook's sheets are listed with the workbook reader's sheet_names",
    ("sources.inspect", "matching.match"):
        "inspect counts the match keys (domain, name) a file's rows would give",
}
# Stages import other stages only for what those stages compute, never for column
# helpers (stages/typed.py) or column lists (schema.py).
STAGE_IMPORTS = {
    "stages.typed": set(),
    "stages.hub": set(),
    "stages.method": {"stages.typed"},
    # the components score each family; score blends them, tier and explain read them.
    # components names score's ScoreModel and ScoringSettings in type hints only
    # (under TYPE_CHECKING): the model they read is built by score.
    "stages.components": {"stages.method", "stages.score", "stages.typed"},
    "stages.score": {"stages.components", "stages.method", "stages.typed"},
    "stages.tier": {"stages.components", "stages.method", "stages.score",
                    "stages.typed"},  # scores, then tiers
    "stages.explain": {"stages.components", "stages.method", "stages.score", "stages.tier",
                       "stages.typed"},
    "stages.expr": {"stages.typed"},
    "stages.segment": {"stages.expr"},
    "stages.changes": {"stages.typed"},
    "stages.merge": {"stages.hub"},
    "stages.memory": {"stages.hub"},
}


def _layer(module: str) -> str:
    if module in FOUNDATION:
        return "foundation"
    return LAYER_OF.get(module.split(".")[0], module.split(".")[0])


def test_each_layer_imports_only_the_layers_under_it() -> None:
    broken = []
    for module, imported in sorted(_imports().items()):
        layer = _layer(module)
        allowed = MAY_IMPORT[layer] | {layer, "foundation"}
        broken += [f"{module} imports {other}" for other in sorted(imported)
                   if (other.split(".")[0] in THIRD_PARTY or other in FOUNDATION
                       or other.split(".")[0] in LAYER_OF)
                   and _layer(other) not in allowed and (module, other) not in EXCEPTIONS]
    assert not broken, "layer rules broken (see MAY_IMPORT, EXCEPTIONS):\n" + "\n".join(broken)


def test_the_listed_exceptions_still_exist() -> None:
    graph = _imports()
    gone = [pair for pair in EXCEPTIONS if pair[1] not in graph.get(pair[0], set())]
    assert not gone, f"remove these from EXCEPTIONS, the import is gone: {gone}"


def test_stages_import_each_other_only_for_what_they_compute() -> None:
    graph = _imports()
    stages = {m: {o for o in imported if o.startswith("stages.")}
              for m, imported in graph.items() if m.startswith("stages.")}
    assert stages == STAGE_IMPORTS, "a new import between stages: add it to STAGE_IMPORTS " \
        "with its reason, or move the shared helper to stages/typed.py or schema.py"


def test_the_read_back_module_and_the_workbook_layer_import_no_stage() -> None:
    graph = _imports()
    for module in ("outputs.readback", "xlsx.workbook", "xlsx.columns", "xlsx.rows"):
        assert not {o for o in graph[module] if _layer(o) in ("stages", "matching", "run")}
