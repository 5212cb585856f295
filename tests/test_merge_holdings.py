"""What a merge holds in memory between its stages (issue 16: abm merge on 100,000
accounts peaks under 1 GB; bench/bench_naive.py measures it). Each test pins one
thing that once held tens of MB at that size: a second copy of every loaded cell's
reference, row numbers as Python ints, a reason text per row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from abmcli.config import Config
from abmcli.sources.load import load_source
from abmcli.stages.merge import merge_sources

ROWS = 2_000


def _export(tmp_path: Path) -> Path:
    path = tmp_path / "zoominfo.csv"
    frame = pd.DataFrame({
        "Company Name": [f"Company {n % 500}" for n in range(ROWS)],
        "Website": [f"company{n % 500}.com" for n in range(ROWS)],
        "Industry": ["Software"] * ROWS,
        "Employees": [str(100 + n) for n in range(ROWS)],
    })
    frame.to_csv(path, index=False)
    return path


def test_records_share_the_tables_columns(tmp_path: Path) -> None:
    """The records are the table's column arrays (kept for inspect), not a copy."""
    source = load_source(_export(tmp_path))
    for header, canonical in source.layout.columns.items():
        if canonical in ("name", "domain"):  # identity fields are kept as written
            assert np.shares_memory(source.records[canonical].to_numpy(),
                                    source.table.rows[header].to_numpy()), canonical
    assert source.table.row_numbers.dtype == np.int64
    assert source.records["_row"].tolist() == list(range(1, ROWS + 1))


def test_rows_of_one_domain_share_one_reason_text(tmp_path: Path) -> None:
    result = merge_sources([load_source(_export(tmp_path))], Config())
    reasons = result.lineage["reason"]
    assert reasons.nunique() == 500
    assert len({id(reason) for reason in reasons}) == 500
