"""The same inputs give the same outputs: byte-identical CSVs, cell-identical workbooks.

The examples are merged and tiered twice, in two processes with different hash seeds,
so that nothing may depend on set or dict order, on the clock or on the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
INPUTS = sorted(str(p) for p in EXAMPLES.glob("*.csv"))
CONFIG = str(EXAMPLES / "abm.toml")


def run_abm(out: Path, *args: str, hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-m", "abmcli", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False, cwd=out)
    assert done.returncode == 0, done.stderr


def merge_and_tier(out: Path, hash_seed: str) -> Path:
    out.mkdir()
    run_abm(out, "merge", *INPUTS, "-c", CONFIG, "-o", "hub.xlsx", "--lineage", "lineage.csv",
            "--decisions", "decisions.csv", "-q", hash_seed=hash_seed)
    run_abm(out, "tier", "hub.xlsx", "-c", CONFIG, "-o", "tiers.xlsx", "--csv-dir", "tiers",
            "-q", hash_seed=hash_seed)
    return out


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("twice")
    return merge_and_tier(root / "first", "1"), merge_and_tier(root / "second", "2")


def files(folder: Path, suffix: str) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob(f"*{suffix}"))


def sheet_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_csv_outputs_are_byte_identical(twice: tuple[Path, Path]) -> None:
    first, second = twice
    names = files(first, ".csv")
    assert {"lineage.csv", "decisions.csv"} <= set(names)
    assert len([n for n in names if n.startswith("tiers/")]) >= 3
    assert names == files(second, ".csv")
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_workbooks_are_cell_identical(twice: tuple[Path, Path]) -> None:
    first, second = twice
    assert files(first, ".xlsx") == files(second, ".xlsx") == ["hub.xlsx", "tiers.xlsx"]
    for name in ("hub.xlsx", "tiers.xlsx"):
        cells, again = sheet_values(first / name), sheet_values(second / name)
        assert list(cells) == list(again), name
        assert sum(map(len, cells.values())) > 300, name  # every account, not just headers
        for sheet, rows in cells.items():
            assert rows == again[sheet], (name, sheet)
