"""An employee count of 0 (Apollo's `# Employees` for CowManager) is a vendor's
"unknown", not a company without staff: missing where sources are loaded, so another
source's count is used and fit says `employees ?`, not `✗ 0`."""

from __future__ import annotations

from pathlib import Path

import pytest

from abmcli.config import Config
from abmcli.sources.load import load_source
from abmcli.stages.merge import InputSpec, merge_files

APOLLO = (Path(__file__).parents[1] / ".." / "shared" / "reference" / "real-exports"
          / "apollo-accounts-export" / "apollo-accounts-export.csv")


@pytest.mark.skipif(not APOLLO.exists(), reason="shared reference exports not present")
def test_apollos_zero_employees_is_unknown() -> None:
    records = load_source(APOLLO).records
    cow = records[records["name"] == "CowManager"]
    assert len(cow) == 1
    assert cow["employees"].iloc[0] in ("", None)
    assert (records["employees"].astype(str) != "").sum() == len(records) - 1


def test_a_count_of_0_is_missing_and_another_sources_count_is_used(tmp_path: Path) -> None:
    first = tmp_path / "apollo.csv"
    first.write_text("Company,Website,# Employees,Annual Revenue\nCowManager,cow.com,0,0\n")
    alone = merge_files([InputSpec(str(first), "fit")], Config()).hub
    assert alone["employees"].isna().all(), alone["employees"]
    assert alone["revenue"].tolist() == [0]  # a revenue of 0 is a value (pre-revenue)
    second = tmp_path / "zoominfo.csv"
    second.write_text("Company Name,Website,Employees\nCowManager,cow.com,45\n")
    both = merge_files([InputSpec(str(first), "fit"), InputSpec(str(second), "fit")],
                       Config()).hub
    assert both["employees"].tolist() == [45]
