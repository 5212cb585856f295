"""The benchmark/example bundle generator writes files the way the vendors write them."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import importlib.util
import sys
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

import pytest
from vendor_headers import BOMBORA as BOMBORA_HEADER
from vendor_headers import ZOOMINFO_COMPANY

BUNDLE_PY = Path(__file__).resolve().parents[1] / "bench" / "bundle.py"
AS_OF = dt.date(2026, 11, 25)


def _load_bundle() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_bundle", BUNDLE_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


bundle = _load_bundle()

# Headers exactly as VENDOR_FORMATS.md gives them.
ZOOMINFO = ", ".join(ZOOMINFO_COMPANY)
BOMBORA = ", ".join(BOMBORA_HEADER)
SALESFORCE = (
    "Account Name, Website, Billing City, Billing State/Province, Billing Zip/Postal Code, "
    "Billing Country, Account Owner, Territory, Type, Annual Revenue, Employees, Industry, "
    "Account ID, Parent Account ID, Open Opportunity Amount, ACV, Renewal Date"
)
RELATIONSHIP = ("Contact Email, Contact Name, Account Name, Relationship Score, "
                "Relationship Strength, Last Email Date, Last Meeting Date")
ENGAGEMENT = ("Account Name, Account Domain, Week Starting, Page Views, Visits, "
              "Campaign Responses, Last Engagement Date")
EXPECTED_HEADERS = {
    "zoominfo_company_export.csv": ZOOMINFO,
    "bombora_company_surge.csv": BOMBORA,
    "relationship_contacts.csv": RELATIONSHIP,
    "engagement_weekly.csv": ENGAGEMENT,
    "salesforce_account_report.csv": SALESFORCE,
}
ENCODINGS = {"engagement_weekly.csv": "cp1252", "salesforce_account_report.csv": "utf-8-sig"}
SALESFORCE_TITLE_ROWS = 4  # title, "As of", "Filtered By", blank
SALESFORCE_FOOTER_ROWS = 5  # blank, Grand Totals, blank, Confidential, Copyright


def split(header: str) -> list[str]:
    return [column.strip() for column in header.replace("\n", " ").split(", ")]


def read_records(path: Path) -> list[list[str]]:
    encoding = ENCODINGS.get(path.name, "utf-8")
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def data_rows(path: Path) -> list[list[str]]:
    """Records under the header, without the Salesforce title rows and footer."""
    records = read_records(path)
    if path.name == "salesforce_account_report.csv":
        return records[SALESFORCE_TITLE_ROWS + 1:-SALESFORCE_FOOTER_ROWS]
    return records[1:]


@pytest.fixture(scope="module")
def small_bundle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return bundle.write_bundle(tmp_path_factory.mktemp("bundle"), 60, 5, AS_OF, True)


@pytest.fixture(scope="module")
def truth(small_bundle: dict[str, Path]) -> dict[str, dict[int, str]]:
    by_file: dict[str, dict[int, str]] = defaultdict(dict)
    with small_bundle["truth"].open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            by_file[record["file"]][int(record["row"])] = record["account"]
    return by_file


def test_five_files_with_the_vendor_headers(small_bundle: dict[str, Path]) -> None:
    for name, header in EXPECTED_HEADERS.items():
        path = small_bundle[_family(name)]
        assert path.name == name
        records = read_records(path)
        header_index = SALESFORCE_TITLE_ROWS if "salesforce" in name else 0
        assert records[header_index] == split(header), name
        assert len(data_rows(path)) > 0, name


def _family(name: str) -> str:
    return next(family for family, file in bundle.FILE_NAMES.items() if file == name)


def test_salesforce_report_has_title_rows_footer_and_bom(small_bundle: dict[str, Path]) -> None:
    path = small_bundle["crm"]
    raw = path.read_bytes()
    assert raw.startswith(b'\xef\xbb\xbf"Target Accounts - Northwind"\r\n"As of 11/25/2026"\r\n')
    records = read_records(path)
    assert records[3] == []
    footer = records[-SALESFORCE_FOOTER_ROWS:]
    assert footer == [[], [f"Grand Totals ({len(data_rows(path))} records)"], [],
                      ["Confidential Information - Do Not Distribute"],
                      ["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."]]
    ids = [row[12] for row in data_rows(path)]
    assert all(len(i) == 18 and i.startswith("001") for i in ids)
    assert len(set(ids)) == len(ids)


def test_truth_has_one_row_per_data_record(small_bundle: dict[str, Path],
                                           truth: dict[str, dict[int, str]]) -> None:
    for name in EXPECTED_HEADERS:
        rows = data_rows(small_bundle[_family(name)])
        assert sorted(truth[name]) == list(range(1, len(rows) + 1)), name


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = bundle.write_bundle(tmp_path / "a", 40, 9, AS_OF, True)
    second = bundle.write_bundle(tmp_path / "b", 40, 9, AS_OF, True)
    other = bundle.write_bundle(tmp_path / "c", 40, 10, AS_OF, True)
    for family, path in first.items():
        assert _digest(path) == _digest(second[family]), family
    assert _digest(first["fit"]) != _digest(other["fit"])


def test_synthesized_companies_are_deterministic_and_distinct(tmp_path: Path) -> None:
    # Without the reference lists every company beyond the curated ones is synthesized.
    no_reference = tmp_path / "no-reference"
    first = bundle.write_bundle(tmp_path / "a", 300, 4, AS_OF, True, no_reference)
    second = bundle.write_bundle(tmp_path / "b", 300, 4, AS_OF, True, no_reference)
    assert all(_digest(path) == _digest(second[family]) for family, path in first.items())
    companies = bundle.build_companies(300, 4, no_reference)
    assert len({c.account for c in companies}) == 300
    domains = [c.domain for c in companies if c.domain]
    assert len(set(domains)) == len(domains)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("one", "other"), [
    ("united-airlines", "united-rentals"), ("general-motors", "general-mills"),
    ("bank-of-america", "bank-of-china"), ("delta-air-lines", "delta-dental"),
])
def test_look_alike_companies_are_distinct_accounts(
        small_bundle: dict[str, Path], truth: dict[str, dict[int, str]], one: str,
        other: str) -> None:
    names = _zoominfo_names_by_account(small_bundle, truth)
    assert names[one] and names[other]
    assert names[one].isdisjoint(names[other])
    # Each account's rows carry its own name, not the look-alike's.
    distinguishing = {"united-airlines": "Airlines", "united-rentals": "Rentals",
                      "general-motors": "Motors", "general-mills": "Mills",
                      "bank-of-america": "America", "bank-of-china": "China",
                      "delta-air-lines": "Air Lines", "delta-dental": "Dental"}
    for account in (one, other):
        assert all(distinguishing[account] in name for name in names[account])


def _zoominfo_names_by_account(small_bundle: dict[str, Path],
                               truth: dict[str, dict[int, str]]) -> dict[str, set[str]]:
    names: dict[str, set[str]] = defaultdict(set)
    path = small_bundle["fit"]
    for row_number, row in enumerate(data_rows(path), start=1):
        names[truth[path.name][row_number]].add(row[1])
    return names


def test_same_company_on_two_domains_is_one_account(small_bundle: dict[str, Path],
                                                   truth: dict[str, dict[int, str]]) -> None:
    path = small_bundle["crm"]
    websites: dict[str, list[str]] = defaultdict(list)
    for row_number, row in enumerate(data_rows(path), start=1):
        websites[truth[path.name][row_number]].append(row[1].lower())
    assert any("siemens.de" in w for w in websites["siemens"])
    assert any("siemens.com" in w for w in websites["siemens"])


def test_names_and_domains_written_the_vendor_way(small_bundle: dict[str, Path]) -> None:
    bombora_names = {row[0] for row in data_rows(small_bundle["intent"])}
    zoominfo_names = {row[1] for row in data_rows(small_bundle["fit"])}
    assert any(name.startswith("AT&T") for name in zoominfo_names)
    assert any(name.startswith("Nestlé") for name in zoominfo_names), "ZoomInfo keeps accents"
    assert all(name.isascii() for name in bombora_names), "Bombora folds accents"
    assert not any(name.count("&") > name.count("&amp;") + name.count("&#") for name in
                   bombora_names), "Bombora writes & as an HTML entity"
    assert all(row[1] == row[1].lower() and "/" not in row[1]
               for row in data_rows(small_bundle["intent"])), "Bombora domains are bare"
    emails = [row[0] for row in data_rows(small_bundle["relationship"])]
    assert all(email.count("@") == 1 for email in emails)


def test_bombora_holds_three_weekly_reports_of_realistic_scores(
        small_bundle: dict[str, Path]) -> None:
    rows = data_rows(small_bundle["intent"])
    assert {row[13] for row in rows} == {"2026-11-09", "2026-11-16", "2026-11-23"}
    scores = [int(row[6]) for row in rows]
    assert all(1 <= score <= 100 for score in scores)
    assert 40 <= sorted(scores)[len(scores) // 2] <= 75
    assert any(score >= 60 for score in scores)


def test_engagement_has_six_weeks_per_account_and_some_spikes(
        small_bundle: dict[str, Path], truth: dict[str, dict[int, str]]) -> None:
    path = small_bundle["engagement"]
    weeks: dict[str, list[int]] = defaultdict(list)
    for row_number, row in enumerate(data_rows(path), start=1):
        weeks[truth[path.name][row_number]].append(sum(int(v) for v in row[3:6]))
    assert set(Counter(len(w) for w in weeks.values())) == {6}
    spikes = [w for w in weeks.values() if w[5] >= 2 * sum(w[1:5]) / 4 and w[5] >= 10]
    assert spikes, "some accounts spike in the latest week"
    assert data_rows(path)[5][2] == "11/23/2026"


def test_large_bundle_scales_rows_with_accounts(tmp_path: Path) -> None:
    paths = bundle.write_bundle(tmp_path, 2000, 1, AS_OF, False)
    fit = len(data_rows(paths["fit"]))
    crm = len(data_rows(paths["crm"]))
    assert 0.8 * 2000 < fit < 0.9 * 2000
    assert 0.65 * 2000 < crm < 0.8 * 2000
    blank = sum(1 for row in data_rows(paths["crm"]) if row[1] == "")
    assert 0.01 * crm < blank < 0.08 * crm, "about 3% name-only CRM rows"
    assert "truth" not in paths
