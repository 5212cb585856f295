"""The upload-format registry: every registered format writes a list with no account
lost, the config, --format and the README know exactly the registered formats."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.config import config_from_tables
from abmcli.errors import AbmError, ConfigError
from abmcli.formats.registry import UPLOAD_FORMATS, format_names, upload_format
from abmcli.formats.upload import RowLimits
from abmcli.stages.segment import SegmentSpec, adhoc_segment, run_segments, segment_specs
from abmcli.words import agree, counted

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
AS_OF = dt.date(2026, 11, 25)
ACCOUNTS = pd.DataFrame({
    "account_id": [f"ACC-{n:010d}" for n in range(7)],
    "account_name": ["Snowflake Inc.", "Datadog, Inc.", "Name Only Ltd", "HubCo",
                     '=HYPERLINK("http://evil.example","x")', "Société Générale", "Acme"],
    "domain": ["snowflake.com", "datadoghq.com", "", "hubco.com", "", "socgen.com",
               "acme.com"],
    "crm_id": ["0013000000ABCDEFGH", "", "", "4242", "0013000000ZZZZZZZZ", "", "77"],
    "crm_owner": ["Maria Gonzalez", "", "Tom", "", "Maria Gonzalez", "", ""],
    "country": ["United States"] * 7,
    "tier": ["Tier 1", "Tier 2", "Tier 3", "Tier 2", "Tier 1", "Tier 1", "Tier 3"],
    "stars": [5, 4, 2, 4, 5, 3, 1],
    "account_score": [88.5, 70.0, 41.2, 66.0, 90.0, 61.0, 20.0],
    "tier_reason": ["Tier 1: surging"] * 7,
})


def _readme_formats() -> dict[str, str]:
    """Format name -> what the README's format table says of it."""
    table = README.split("| format | file |")[1].split("\n\n")[0]
    rows = {}
    for line in table.splitlines()[2:]:
        names, doc = line.strip("| ").split(" | ", 1)
        rows.update(dict.fromkeys(re.findall(r"`([^`]+)`", names), doc.rstrip(" |")))
    return rows


def test_the_readme_format_table_is_the_registry() -> None:
    assert _readme_formats() == {name: fmt.doc for name, fmt in UPLOAD_FORMATS.items()}


def test_segment_help_names_every_format() -> None:
    result = CliRunner().invoke(app, ["segment", "--help"], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    assert all(name in result.output for name in format_names())


@pytest.mark.parametrize("name", format_names())
def test_every_format_writes_every_account_or_names_it(tmp_path: Path, name: str) -> None:
    """Whatever a format does, each selected account is in the upload or counted as left
    out (and then named); formula-like names stay inert."""
    fmt = upload_format(name)
    spec = SegmentSpec(name=f"all {name}", where="account_score > 0", format=name)
    settings = config_from_tables({"segments": {spec.name: {"where": spec.where,
                                                            "format": name}}}, as_of=AS_OF)
    output = run_segments(ACCOUNTS, segment_specs(settings), tmp_path, AS_OF).outputs[0]
    assert output.files[0].name == f"all_{name}{fmt.suffix}"
    assert output.rows + output.missing_ids == len(ACCOUNTS)
    if output.missing_ids:
        assert fmt.left_out is not None
        missing = output.missing_ids
        said = f"{counted(missing, 'account')} {agree(missing, 'has', 'have')}"
        assert any(f"{said} {fmt.left_out.lacking}" in warning
                   for warning in output.warnings)
    if not fmt.workbook:
        text = output.files[0].read_text(encoding="utf-8")
        assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


@pytest.mark.parametrize("name", [n for n in format_names() if not UPLOAD_FORMATS[n].workbook])
def test_every_csv_format_splits_at_its_row_limit(tmp_path: Path, name: str) -> None:
    spec = SegmentSpec(name="all", where="account_score > 0", format=name,
                       fields={"tier": "abm_tier"} if UPLOAD_FORMATS[name].crm else {})
    output = run_segments(ACCOUNTS, [spec], tmp_path, AS_OF,
                          limits={name: RowLimits(max_rows=2)}).outputs[0]
    parts = [path for path in output.files if not path.stem.endswith("_no_crm_id")]
    assert len(parts) == max(1, -(-output.rows // 2))
    split = f"split into {len(parts)} files ({name} takes at most 2 rows a file)"
    assert any(split in warning for warning in output.warnings) is (len(parts) > 1)


def test_an_unknown_format_is_refused_naming_the_registered_ones(tmp_path: Path) -> None:
    listed = ", ".join(format_names())
    settings = config_from_tables({"segments": {"x": {"where": "stars > 1",
                                                      "format": "linkdin"}}}, as_of=AS_OF)
    with pytest.raises(ConfigError, match=re.escape(f"is not one of {listed}; did you mean "
                                                    "'linkedin'?")):
        segment_specs(settings)
    with pytest.raises(AbmError, match=re.escape(f"format 'tiktok' is not one of {listed}")):
        adhoc_segment(ACCOUNTS, "stars > 1", "tiktok", tmp_path / "x.csv", AS_OF)
    with pytest.raises(ConfigError, match=re.escape(listed)):
        upload_format("tiktok")


def test_a_fixed_header_format_refuses_chosen_columns(tmp_path: Path) -> None:
    fixed = [name for name, fmt in UPLOAD_FORMATS.items() if fmt.choose == "none"]
    assert {"linkedin", "6sense", "terminus", "salesforce_update"} <= set(fixed)
    for name in fixed:
        with pytest.raises(AbmError, match=f"format {name} has a fixed header"):
            adhoc_segment(ACCOUNTS, "stars > 1", name, tmp_path / "x.csv", AS_OF, ["tier"])


def test_a_format_refusing_spaces_in_file_names_gets_none(tmp_path: Path) -> None:
    for name, fmt in UPLOAD_FORMATS.items():
        output = adhoc_segment(ACCOUNTS, "stars > 1", name, tmp_path / f"my list{fmt.suffix}",
                               AS_OF)
        assert (" " in output.files[0].name) is fmt.spaces_in_file_name
