"""Every command over broken and hostile vendor files (tests/data/bad/).

Each file either processes, with every data row in the lineage once, or fails with one
line that starts "error:" and names the file, exit code 2. Never a traceback, never an
"internal error", never a hang, never a silently dropped row.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import signal
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from abmcli.cli.app import app
from abmcli.xlsx.workbook import read_sheet

BAD = Path(__file__).parent / "data" / "bad"
SECONDS_PER_COMMAND = 20

# File -> data rows when it is processed, or the words of its one-line error.
EXPECTED: dict[str, int | str] = {
    "empty.csv": "the file is empty (0 bytes)",
    "header_only.csv": "has a header row but no data rows",
    "bom_only.csv": "the file is empty (only blank lines)",
    "nul_bytes.csv": 2,
    "truncated_multibyte.csv": 3,
    "mixed_encodings.csv": 3,
    "duplicate_headers.csv": 3,
    "header_on_row_4.csv": 2,
    "footer_rows.csv": 2,
    "only_blank_domains.csv": 5,
    "only_freemail.csv": 4,
    "excel_errors.csv": 4,
    "dates_many_formats.csv": 8,
    "money_many_locales.csv": 9,
    "unbalanced_quotes.csv": "line 3 opens a quoted cell that is never closed",
    "really_html.xlsx": "this .xlsx is an HTML page",
    "no_identity_columns.csv": "no company name, website/domain or email column",
    "cr_line_endings.csv": 2,
    "big_field_5mb.csv": 2,
    "wide_20000_columns.csv": 2,
    "utf16_no_bom.csv": 1,
    "pdf_renamed.csv": "not a CSV or Excel file: it is a PDF document",
    "really_xlsx.csv": 2,
    # The third row holds only error cells, which calamine reads as blanks: it is
    # skipped as a blank record, with a note, like any empty row of a sheet.
    "excel_errors.xlsx": 2,
    "dates_and_serials.xlsx": 2,
    "zip_bomb.xlsx": "refusing a possible decompression bomb",
    "lying_zip_sizes.xlsx": "cannot be opened as an Excel workbook",
    "billion_laughs.xlsx": "its XML declares entities, which abm refuses",
    "billion_laughs_shared_strings.xlsx": "its XML declares entities, which abm refuses",
    "external_entity.xlsx": "its XML declares entities, which abm refuses",
    "encrypted.xlsx": "may be damaged or password-protected",
    "zip_of_csvs.xlsx": "not a CSV or Excel file: it is a zip archive",
    "empty_sheet.xlsx": "sheet 'Sheet' is empty",
}
HOSTILE = ["zip_bomb.xlsx", "lying_zip_sizes.xlsx", "billion_laughs.xlsx",
           "billion_laughs_shared_strings.xlsx", "external_entity.xlsx"]

runner = CliRunner()
SKIPPED_REASONS = ("footer: ", "repeated header row: ", "blank record")


def _load_corpus_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_corpus", BAD / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every bad file by name: the committed ones and those generated into tmp."""
    generated = _load_corpus_module().write_generated(tmp_path_factory.mktemp("bad"))
    committed = [p for p in BAD.iterdir() if p.suffix in (".csv", ".xlsx")]
    return {p.name: p for p in [*committed, *generated]}


class Hang(BaseException):
    """A command ran past its deadline (BaseException: abm must not swallow it)."""


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def expire(_signum: int, _frame: object) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(*args: str) -> Result:
    with deadline(SECONDS_PER_COMMAND):
        return runner.invoke(app, list(args))


def assert_clean(result: Result) -> None:
    assert "Traceback" not in result.output
    assert "internal error" not in result.output


def assert_one_line_error(result: Result, path: Path, words: str) -> None:
    assert_clean(result)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    # One line, but for a config snippet to paste after it, which must be valid TOML.
    assert len(lines) == 1 or tomllib.loads("\n".join(lines[1:])), result.output
    assert lines[0].startswith(f"error: {path}: "), lines[0]
    assert words in lines[0]


def lineage(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_corpus_file_has_an_expected_outcome(corpus: dict[str, Path]) -> None:
    assert sorted(corpus) == sorted(EXPECTED)
    assert len(corpus) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_inspect(corpus: dict[str, Path], name: str) -> None:
    path, expected = corpus[name], EXPECTED[name]
    result = run("inspect", str(path))
    if isinstance(expected, str):
        assert_one_line_error(result, path, expected)
        return
    assert_clean(result)
    assert result.exit_code == 0, result.output
    assert re.search(rf"^data rows +{expected}\b", result.output, re.MULTILINE), result.output


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_merge_tier_explain(corpus: dict[str, Path], name: str, tmp_path: Path) -> None:
    path, expected = corpus[name], EXPECTED[name]
    hub, lineage_csv = tmp_path / "hub.xlsx", tmp_path / "lineage.csv"
    result = run("merge", str(path), "-o", str(hub), "--lineage", str(lineage_csv))
    if isinstance(expected, str):
        assert_one_line_error(result, path, expected)
        assert not hub.exists() and not lineage_csv.exists()
        return
    assert_clean(result)
    assert result.exit_code == 0, result.output
    rows = lineage(lineage_csv)
    # Footers, repeated header rows and blank records are in the lineage too, rejected.
    skipped = [row for row in rows if row["reason"].startswith(SKIPPED_REASONS)]
    assert len(rows) - len(skipped) == expected
    assert len({row["row"] for row in rows}) == len(rows)
    for row in rows:
        assert (row["account_id"] == "") == (row["match"] == "rejected"), row
        assert row["match"] != "rejected" or row["reason"], row
    accounts = read_sheet(hub, "Hub")
    assert set(accounts["account_id"]) == {r["account_id"] for r in rows} - {""}
    _tier_and_explain(hub, tmp_path, accounts["account_id"].tolist())


def _tier_and_explain(hub: Path, folder: Path, account_ids: list[str]) -> None:
    tiers = folder / "tiers.xlsx"
    result = run("tier", str(hub), "-o", str(tiers), "--csv-dir", str(folder / "tiers"))
    assert_clean(result)
    assert result.exit_code == 0, result.output
    if not account_ids:
        return
    result = run("explain", str(tiers), account_ids[0])
    assert_clean(result)
    assert result.exit_code == 0, result.output
    assert account_ids[0] in result.output


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_workbook_fails_fast_in_bounded_memory(corpus: dict[str, Path], name: str
                                                       ) -> None:
    """In a child limited to 1 GiB of address space and 30 s: one line, exit 2."""
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        sys.argv = ["abm", "inspect", {str(corpus[name])!r}]
        from abmcli.cli.app import main
        main()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {corpus[name]}: ")
    assert EXPECTED[name] in done.stderr
    assert done.stdout == ""


def test_openpyxl_reads_through_defusedxml(corpus: dict[str, Path]) -> None:
    """abm reads workbooks with calamine; openpyxl (tests, users' scripts) must not expand
    entities either: with defusedxml installed it refuses them."""
    import openpyxl
    from defusedxml import DefusedXmlException

    assert openpyxl.DEFUSEDXML
    for name in ("billion_laughs.xlsx", "external_entity.xlsx"):
        with pytest.raises(ValueError) as caught:  # openpyxl wraps the parser's refusal
            openpyxl.load_workbook(corpus[name])
        assert isinstance(caught.value.__cause__, DefusedXmlException)


def test_a_real_high_ratio_zip_is_refused_before_unpacking(corpus: dict[str, Path]) -> None:
    import zipfile

    with zipfile.ZipFile(corpus["zip_bomb.xlsx"]) as archive:
        members = archive.infolist()
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    assert unpacked > 200 * packed  # a real bomb, not a label on a small file
    result = run("inspect", str(corpus["zip_bomb.xlsx"]))
    assert "would expand to 200 MB" in result.output


def test_money_and_counts_in_many_locales_land_in_the_hub() -> None:
    from abmcli.config import Config
    from abmcli.stages.merge import InputSpec, merge_files

    hub = merge_files([InputSpec(str(BAD / "money_many_locales.csv"))], Config()).hub
    by_domain = hub.set_index("domain")
    assert by_domain.loc["sap.com", ["revenue", "employees"]].tolist() == [31_207e6, 107_415]
    assert by_domain.loc["nestle.com", "revenue"] == 93_351e6
    assert by_domain.loc["infosys.com", "revenue"] == pytest.approx(1.46767e12)
    assert by_domain.loc["tesco.com", "revenue"] == pytest.approx(68.2e9)
    assert by_domain.loc["klarna.com", "employees"] == 5000
    assert by_domain.loc["globex.com", "revenue"] == pytest.approx(3.1e6)  # "$1.2M - $5M"


def test_dates_in_many_formats_give_the_latest_activity() -> None:
    import datetime as dt

    from abmcli.config import Config
    from abmcli.stages.merge import InputSpec, merge_files

    hub = merge_files([InputSpec(str(BAD / "dates_many_formats.csv"))], Config()).hub
    last = hub.set_index("domain")["engagement_last_date"]
    assert last["snowflake.com"] == dt.date(2026, 11, 23)  # ISO beside US 11/16/2026
    assert last["datadoghq.com"] == dt.date(2026, 11, 9)  # 09.11.2026 beside serial 46328
    assert last["okta.com"] == dt.date(2026, 11, 23)  # ISO with time beside 31/02/2026
    assert pd.isna(last["twilio.com"]) or last["twilio.com"] is None  # "last week"
