"""Merging never loses a row: random bundles of vendor files, the lineage invariant.

Each example writes a few CSV exports (as vendors write them: their own headers, blank
cells, repeated companies, name-only rows, free-mail addresses, junk) and merges them
with `merge_files`. Every data row must be in the lineage exactly once, placed on an
account or rejected with a reason, and the hub must hold exactly the accounts the
lineage names, each with the rows that went to it.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abmcli.config import Config
from abmcli.stages.merge import InputSpec, MergeResult, merge_files

NAMES = ["Acme, Inc.", "ACME Corp", "Acme", "Globex GmbH", "Initech", "The Kroger Co.",
         "Kroger", "Nestlé S.A.", "Nestle SA", "AT&amp;T Inc.", "Société Générale", "",
         "-", "n/a", "#REF!", "Northwind Analytics", "Northwind Analytcs", "3M Company",
         "TotalEnergies SE", "Müller GmbH & Co. KG", "=HYPERLINK(\"http://x\",\"y\")"]
SITES = ["acme.com", "https://www.acme.com/", "http://acme.com/en-us/", "shop.acme.com",
         "acme.de", "globex.de", "www.initech.com", "kroger.com", "thekrogerco.com",
         "nestle.com", "", "", "n/a", "10.0.0.1", "linkedin.com/company/acme",
         "gmail.com", "not a website", "societegenerale.com", "3m.com"]
EMAILS = ["", "", "jane@acme.com", "bob@gmail.com", "x@initech.com", "raj@yahoo.co.uk",
          "not an email", "ana@nestle.com", "info@kroger.com"]
SCORES = ["", "55", "61", "88", "Strong", "Weak", "n/a"]
DATES = ["2026-11-16", "11/23/2026", "23.11.2026", "46349", ""]

# Each family's header as its vendor writes it, and how one row fills it. One cell of
# every row is always filled (an id, a topic, a score), as in real exports: a record
# with no cell at all is a blank line, which readers skip.
LAYOUTS = {
    "zoominfo.csv": ("ZoomInfo Company ID,Company Name,Website,Employees,Primary Industry",
                     lambda i, n, s, e, x: [f"10{i:03d}", n, s, x, "Software"]),
    "bombora.csv": ("Company Name,Domain,Topic,Composite Score,Report Date",
                    lambda i, n, s, e, x: [n, s, "Data Warehousing", x or "60", "2026-11-23"]),
    "contacts.csv": ("Email Address,Company Name,Relationship Strength",
                     lambda i, n, s, e, x: [e, n, x or "Moderate"]),
    "engagement.csv": ("Account Name,Website,Week,Page Views",
                       lambda i, n, s, e, x: [n, s, x or "2026-11-23", str(i)]),
    "salesforce.csv": ("Account Name,Website,Account Owner,Account ID,Billing Country",
                       lambda i, n, s, e, x: [n, s, "Jane Doe", f"0015g{i:013d}", ""]),
}

ROW = st.tuples(st.sampled_from(NAMES), st.sampled_from(SITES), st.sampled_from(EMAILS),
                st.sampled_from(SCORES + DATES))
BUNDLE = st.dictionaries(st.sampled_from(sorted(LAYOUTS)), st.lists(ROW, min_size=1,
                                                                    max_size=12),
                         min_size=1, max_size=4)


def write_bundle(folder: Path, bundle: dict[str, list[tuple[str, str, str, str]]]
                 ) -> list[Path]:
    paths = []
    for name, rows in sorted(bundle.items()):
        header, fill = LAYOUTS[name]
        path = folder / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header.split(","))
            writer.writerows(fill(i, *row) for i, row in enumerate(rows, start=1))
        paths.append(path)
    return paths


def assert_nothing_lost(result: MergeResult, bundle: dict[str, list[tuple]]) -> None:
    lineage = result.lineage
    per_file = lineage.groupby(lineage["source_file"].map(lambda f: Path(f).name))["row"]
    assert {name: sorted(rows) for name, rows in per_file} == {
        name: list(range(1, len(rows) + 1)) for name, rows in bundle.items()}
    rejected = lineage["match"].eq("rejected")
    assert lineage.loc[rejected, "account_id"].eq("").all()
    assert lineage.loc[rejected, "reason"].str.len().gt(0).all()
    assert lineage.loc[~rejected, "account_id"].str.match(r"ACC-[0-9A-F]{10}$").all()
    hub = result.hub
    assert hub["account_id"].is_unique
    rows_per_account = lineage.loc[~rejected].groupby("account_id").size()
    assert set(hub["account_id"]) == set(rows_per_account.index)
    placed = pd.Series(hub["source_rows"].to_numpy(), index=hub["account_id"])
    assert placed.sort_index().tolist() == rows_per_account.sort_index().tolist()


@given(BUNDLE)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_row_is_in_the_lineage_once_and_every_account_has_rows(bundle) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = write_bundle(Path(folder), bundle)
        result = merge_files([InputSpec(str(p)) for p in paths], Config())
        assert_nothing_lost(result, bundle)


# Every row rejected once made the lineage fill a float column with text, which pandas
# deprecates (and will refuse).
@pytest.mark.filterwarnings("error::DeprecationWarning")
def test_a_bundle_of_only_unmatchable_rows_gives_an_empty_hub(tmp_path: Path) -> None:
    bundle = {"contacts.csv": [("", "", "bob@gmail.com", ""), ("-", "", "not an email", "")]}
    result = merge_files([InputSpec(str(p)) for p in write_bundle(tmp_path, bundle)], Config())
    assert result.hub.empty
    assert result.lineage["match"].tolist() == ["rejected", "rejected"]
    assert_nothing_lost(result, bundle)


def test_merge_lets_go_of_the_per_value_key_caches() -> None:
    """Once every row is keyed, the domain and name caches (tens of MB at 100,000
    accounts) are emptied, so they do not add to the peak of building and writing the
    hub (issue 16: 1 GB)."""
    from abmcli.keys import domains, names

    examples = Path(__file__).parents[1] / "examples"
    result = merge_files([InputSpec(str(p)) for p in sorted(examples.glob("*.csv"))], Config())
    assert len(result.hub) > 0
    assert domains._key_for_text.cache_info().currsize == 0
    assert domains._email_key_for_text.cache_info().currsize == 0
    assert names._text_key.cache_info().currsize == 0


# Report layouts around the data: what a vendor's report export puts under the header
# besides accounts. Each is one record; "" is a blank record.
BETWEEN = ["", "", "Subtotal", "Total", "Sum", "Grand Total (3 records)", "Count: 2"]
FOOTERS = [[""], ["", "Grand Totals (3 records)"], ["Total"],
           ["", "Grand Totals (3 records)", "", "Confidential Information - Do Not Distribute"]]
TITLES = [[], ["Accounts by Owner", "As of 11/30/2026", ""]]
DECORATED = st.tuples(st.lists(ROW, min_size=1, max_size=8),
                      st.lists(st.tuples(st.integers(0, 8), st.sampled_from(BETWEEN)),
                               max_size=4),
                      st.sampled_from(FOOTERS), st.sampled_from(TITLES))


def write_report(path: Path, header: str, fill, rows, between, footer, titles) -> int:
    """A report export: titles, header, data with blank and subtotal records between
    its sections, a footer block. Returns the records under the header up to the last
    one holding text (trailing blank lines end the file; they are no records)."""
    records: list[list[str]] = [fill(i, *row) for i, row in enumerate(rows, start=1)]
    for position, text in sorted(between, reverse=True):
        records.insert(min(position, len(records)), [text] if text else [])
    records += [[text] if text else [] for text in footer]
    while records and not any(records[-1]):
        records.pop()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows([[title] if title else [] for title in titles])
        writer.writerow(header.split(","))
        writer.writerows(records)
    return len(records)


@given(st.dictionaries(st.sampled_from(sorted(LAYOUTS)), DECORATED, min_size=1, max_size=3))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_record_of_a_report_layout_is_in_the_lineage(bundle) -> None:
    """Blank records between sections, subtotal and total records, footers and blank
    records among them: each record under the header is one lineage line (a blank one
    rejected as a blank record), so the lineage counts every record of the file."""
    with tempfile.TemporaryDirectory() as folder:
        expected = {name: write_report(Path(folder) / name, LAYOUTS[name][0],
                                       LAYOUTS[name][1], *parts)
                    for name, parts in bundle.items()}
        result = merge_files([InputSpec(str(Path(folder) / n)) for n in sorted(bundle)],
                             Config())
        lineage = result.lineage
        per_file = lineage.groupby(lineage["source_file"].map(lambda f: Path(f).name))["row"]
        assert {name: sorted(rows) for name, rows in per_file} == {
            name: list(range(1, count + 1)) for name, count in expected.items()}
        rejected = lineage["match"].eq("rejected")
        assert lineage.loc[rejected, "reason"].str.len().gt(0).all()
        assert result.rows_in == len(lineage)
