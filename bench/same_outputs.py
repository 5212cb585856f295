"""Prove a refactoring or speed-up changed no output: run the demo's commands into a
folder, then compare two such folders file by file.

    .venv/bin/python bench/same_outputs.py run /tmp/old-out     # on the old code
    .venv/bin/python bench/same_outputs.py run /tmp/new-out     # on the new code
    .venv/bin/python bench/same_outputs.py compare /tmp/old-out /tmp/new-out

CSV, JSON and text outputs (and each command's terminal output) must be equal byte for
byte. Workbooks and zips are compared member by member, except the members that hold a
creation time (docProps/core.xml); summary.json is compared without its clock times
and with the output folder written as OUT (give both folders names of one length: the
terminal tables are as wide as the paths they show). So two runs of the same code compare
equal.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]
ABM = str(Path(sys.executable).parent / "abm")
CONFIG = ["--config", "examples/abm.toml"]
TIMESTAMPED = {"docProps/core.xml"}
# summary.json's keys that change with the clock (the workbooks' hashes: with their
# creation time).
CLOCK_KEYS = {"started", "finished", "seconds", "workbook_digests"}


def _commands(out: Path) -> list[list[str]]:
    examples = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*.csv"))
    hub, tiers = str(out / "hub.xlsx"), str(out / "tiers.xlsx")
    return [
        ["inspect", "examples/salesforce_account_report.csv"],
        ["merge", *examples, *CONFIG, "-o", hub, "--lineage", str(out / "lineage.csv"),
         "--decisions", str(out / "decisions.csv")],
        ["score", hub, *CONFIG],
        ["tier", hub, *CONFIG, "-o", tiers, "--csv-dir", str(out / "tiers")],
        ["explain", tiers, "homedepot.com", *CONFIG],
        ["segment", tiers, *CONFIG, "-o", str(out / "lists")],
        ["run", *CONFIG, "--out", str(out / "weekly")],
        ["measure", tiers, *CONFIG,
         "--opportunities", "examples/measure/salesforce_opportunity_report.csv",
         "--contacts", "examples/measure/hubspot_contacts.csv",
         "--engagement", "examples/engagement_weekly.csv", "-o", str(out / "scorecard.xlsx")],
    ]


def run(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for number, command in enumerate(_commands(out)):
        done = subprocess.run([ABM, *command], cwd=ROOT, capture_output=True, text=True,
                              env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"})
        said = done.stdout + done.stderr
        (out / f"terminal-{number}-{command[0]}.txt").write_text(
            f"exit {done.returncode}\n{said}".replace(str(out), "OUT"), encoding="utf-8")


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name not in TIMESTAMPED}


def _without_clock(value: object, folder: str) -> object:
    if isinstance(value, dict):
        return {k: _without_clock(v, folder) for k, v in value.items() if k not in CLOCK_KEYS}
    if isinstance(value, list):
        return [_without_clock(v, folder) for v in value]
    return value.replace(folder, "OUT") if isinstance(value, str) else value


def _same_json(old: Path, new: Path, before: Path, after: Path) -> bool:
    a = _without_clock(json.loads(old.read_text(encoding="utf-8")), str(before.resolve()))
    b = _without_clock(json.loads(new.read_text(encoding="utf-8")), str(after.resolve()))
    return a == b


def _differences(before: Path, after: Path) -> list[str]:
    names = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    names |= {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    found = []
    for name in sorted(names):
        old, new = before / name, after / name
        if not old.exists() or not new.exists():
            found.append(f"{name}: only in {'after' if new.exists() else 'before'}")
        elif name.suffix in {".xlsx", ".zip"}:
            a, b = _members(old), _members(new)
            found += [f"{name}: member {m} differs" for m in sorted(a.keys() | b.keys())
                      if a.get(m) != b.get(m)]
        elif name.suffix == ".json":
            if not _same_json(old, new, before, after):
                found.append(f"{name}: content differs")
        elif old.read_bytes() != new.read_bytes():
            found.append(f"{name}: bytes differ")
    return found


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "run":
        run(Path(argv[1]).resolve())
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        found = _differences(Path(argv[1]), Path(argv[2]))
        print("\n".join(found) or "same outputs")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
