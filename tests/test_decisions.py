"""The reviewer's decisions file, read however Excel saved it; a bad row is a warning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from abmcli.matching.decisions import read_decisions, update_decisions_file

ROWS = ("key_a,key_b,decision,note\n"
        "acme.com,acme.de,accept,Café: même société\n"
        "kroger.com,thekrogerco.com,maybe,\n"
        "name:Foo GmbH,foo.de,reject,\n")


@pytest.mark.parametrize(("label", "data"), [
    ("Excel 'CSV' (cp1252)", ROWS.replace("\n", "\r\n").encode("cp1252")),
    ("CSV UTF-8 (BOM)", ROWS.encode("utf-8-sig")),
    ("Unicode text (UTF-16, tabs)", ROWS.replace(",", "\t").encode("utf-16")),
    ("UTF-16 with commas", ROWS.encode("utf-16")),
    ("semicolons (European Excel)", ROWS.replace(",", ";").encode("cp1252")),
])
def test_decisions_saved_by_excel_are_read(tmp_path: Path, label: str, data: bytes) -> None:
    path = tmp_path / "decisions.csv"
    path.write_bytes(data)
    decisions = read_decisions(path)
    assert [(d.key_a, d.key_b, d.accept) for d in decisions.decisions] == [
        ("acme.com", "acme.de", True), ("name:foo", "foo.de", False)], label
    assert decisions.decisions[0].note == "Café: même société"
    # one bad word: a warning naming the row, the rest applies
    assert decisions.warnings == [f"{path}: row 2: decision 'maybe' is not accept or reject, "
                                  "so it was not applied; write accept, reject, or leave it "
                                  "blank"]


def test_a_header_only_decisions_file_holds_no_decisions(tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_bytes("key_a;key_b;decision;note\r\n".encode("cp1252"))
    assert read_decisions(path).decisions == []


def test_new_candidates_are_added_to_a_cp1252_file_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_bytes(ROWS.encode("cp1252"))
    candidates = pd.DataFrame([{"key_a": "intel.com", "key_b": "intel.ie", "name_a": "Intel",
                                "name_b": "Intel Ireland", "score": 95.0, "reason": "name"}])
    assert update_decisions_file(path, candidates) == 1
    again = read_decisions(path)
    assert len(again.decisions) == 2 and again.decisions[0].note == "Café: même société"


def test_the_weekly_run_applies_the_rest_and_lists_the_bad_row(tmp_path: Path) -> None:
    from test_missing_families import EXAMPLES

    from abmcli.run import run_weekly

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "decisions.csv").write_bytes(
        "key_a;key_b;decision;note\r\nkroger.com;thekrogerco.com;vielleicht;\r\n".encode("cp1252"))
    config = tmp_path / "abm.toml"
    config.write_text(f'[inputs]\nfit = "{EXAMPLES / "zoominfo_company_export.csv"}"\n'
                      '[output]\nfolder = "out"\n', encoding="utf-8")
    result = run_weekly(config, as_of=dt.date(2026, 11, 25))
    assert any("row 1: decision 'vielleicht'" in warning for warning in result.warnings)
