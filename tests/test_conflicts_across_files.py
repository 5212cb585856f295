"""The Conflicts sheet compares every source file, not only different families: two fit
exports that disagree 3x or more on an account's employees (Forbes 624,000 vs PDL
190,689 for Accenture) are listed, naming both files."""

from __future__ import annotations

from pathlib import Path

from abmcli.config import Config
from abmcli.stages.merge import InputSpec, merge_files


def test_two_fit_files_that_disagree_3x_are_a_conflict(tmp_path: Path) -> None:
    forbes = tmp_path / "forbes.csv"
    forbes.write_text("Company,Website,Employees\nAccenture,accenture.com,624000\n"
                      "Acme,acme.com,100\n")
    pdl = tmp_path / "pdl.csv"
    pdl.write_text("Company,Website,Employees\nAccenture,accenture.com,190689\n"
                   "Acme,acme.com,120\n")
    hub = merge_files([InputSpec(str(forbes), "fit"), InputSpec(str(pdl), "fit")],
                      Config()).hub.set_index("domain")
    conflict = hub.loc["accenture.com", "value_conflicts"]
    assert "employees 624,000" in conflict and "190,689" in conflict, conflict
    assert "(fit forbes.csv) vs 190,689 (fit pdl.csv)" in conflict
    assert hub.loc["acme.com", "value_conflicts"] == ""  # 1.2x apart is no conflict
