"""Units of money and count columns (issue 10 item 2) and one-site domain columns (item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from abmcli.keys.values import parse_count_or_range, parse_money
from abmcli.sources.inspect import inspect_file
from abmcli.sources.layouts import recognise
from abmcli.sources.load import load_source


def write(tmp_path: Path, text: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def revenue_read(path: Path) -> list[float | None]:
    return [parse_money(v) for v in load_source(path).records["revenue"]]


@pytest.mark.parametrize(("header", "field", "multiplier"), [
    ("revenue ($M)", "revenue", 1e6),
    ("revenue_millions", "revenue", 1e6),
    ("Revenue (USD millions)", "revenue", 1e6),
    ("Sales ($billion)", "revenue", 1e9),
    ("Revenue (Billions)", "revenue", 1e9),
    ("Turnover (€m)", "revenue", 1e6),
    ("Annual Revenue ($000)", "revenue", 1e3),
    ("Total Funding ($K)", "funding", 1e3),
    ("Employees (000s)", "employees", 1e3),
    ("Revenue (EUR)", "revenue", 1.0),
])
def test_a_unit_in_the_header_scales_the_column(header, field, multiplier):
    layout = recognise(["Company", header])
    assert layout.columns[header] == field
    assert layout.units[field][0] == multiplier
    assert header in layout.units[field][1]


def test_zoominfo_thousands_column_keeps_its_own_field():
    layout = recognise(["Company Name", "Revenue (in 000s USD)"])
    assert layout.columns["Revenue (in 000s USD)"] == "revenue_thousands"


def test_header_in_millions_scales_plain_cells_but_not_cells_with_their_own_unit(tmp_path):
    path = write(tmp_path, "Company,Revenue ($M)\nWalmart,\"$572,754\"\nAcme,36.9 M\n"
                           "Beta,$7.44B\nGamma,-\n")
    assert revenue_read(path) == [572_754e6, 36.9e6, 7.44e9, None]


def test_fortune_style_revenue_without_unit_is_read_as_millions_by_magnitude(tmp_path):
    rows = "".join(f"Company {i},\"${v:,}\"\n" for i, v in enumerate(
        [572_754, 469_822, 365_817, 2_104, 5_000, 12_000, 30_500, 2_300, 8_800, 4_100, 3_000]))
    path = write(tmp_path, "name,revenues\nWalmart,\"$572,754\"\n" + rows)
    source = load_source(path)
    assert revenue_read(path)[0] == 572_754e6  # $572.754 B, not $572,754
    assert source.units["revenue"].multiplier == 1e6
    note = " ".join(source.notes)
    assert "'revenues' read as millions of dollars" in note
    assert "few values" not in note


def test_few_small_revenues_are_millions_with_a_weak_evidence_note(tmp_path):
    path = write(tmp_path, "Company,Revenue\nA,120\nB,450\n")
    source = load_source(path)
    assert revenue_read(path) == [120e6, 450e6]
    assert "few values: check it" in " ".join(source.notes)


@pytest.mark.parametrize(("header", "currency", "scale"), [
    ("Revenue (€M)", "EUR", "millions of EUR"), ("Turnover (£m)", "GBP", "millions of GBP"),
    ("Revenue (EUR)", "EUR", "EUR"), ("Annual Revenue (CHF millions)", "CHF",
                                      "millions of CHF"),
])
def test_a_currency_in_the_header_is_named_and_not_converted(tmp_path, header, currency,
                                                              scale):
    path = write(tmp_path, f"Company,{header}\nA,12.5\nB,300\n")
    source = load_source(path)
    assert source.units["revenue"].currency == currency
    note = " ".join(source.notes)
    assert f"'{header}' read as {scale}" in note
    assert f"abm converts no currency, so the {currency} amounts" in note


@pytest.mark.parametrize("header", ["Revenue ($M)", "Revenue (USD)", "Revenue"])
def test_dollars_get_no_currency_note(tmp_path, header):
    source = load_source(write(tmp_path, f"Company,{header}\nA,12.5\nB,300\n"))
    assert source.units["revenue"].currency is None
    assert "converts no currency" not in " ".join(source.notes)


def test_european_marks_are_read_as_a_german_reader_would(tmp_path):
    # "800.000" alone is 800 with English marks; beside 1.500.000 and 12.500,50 it is
    # eight hundred thousand.
    path = write(tmp_path, "Firma;Website;Annual Revenue\nA;a.de;1.500.000\nB;b.de;800.000\n"
                           "C;c.de;12.500,50\nD;d.de;950.000 €\n")
    assert revenue_read(path) == [1_500_000, 800_000, 12_500.5, 950_000]
    source = load_source(path)
    assert source.units["revenue"].multiplier == 1.0  # no longer "millions by magnitude"
    assert any("writes numbers the European way" in note for note in source.notes)


@pytest.mark.parametrize("cells", [
    ["1,500,000", "800.000"],  # an English column: 800.000 stays as the reader parses it
    ["12.5", "3.200.000"],  # mixed marks: left alone
    ["800.000", "950.000"],  # no sign either way
])
def test_columns_without_clear_european_marks_are_left_as_written(tmp_path, cells):
    path = write(tmp_path, "Company,Website,Revenue\n" + "".join(
        f"C{i},c{i}.com,\"{cell}\"\n" for i, cell in enumerate(cells)))
    assert not any("European" in note for note in load_source(path).notes)


def test_revenue_in_dollars_stays_dollars(tmp_path):
    path = write(tmp_path, "Company,Revenue\nA,\"$25,000,000\"\nB,1500000\nC,$2.5M\n")
    assert revenue_read(path) == [25e6, 1.5e6, 2.5e6]
    assert load_source(path).units["revenue"].multiplier == 1.0


def test_a_known_crm_export_is_in_dollars_whatever_the_magnitude(tmp_path):
    path = write(tmp_path, "Id,Name,AnnualRevenue,OwnerId\n001,Tiny Co,5000,005\n"
                           "002,Small Co,12000,005\n003,Shop,9000,005\n")
    assert revenue_read(path) == [5000.0, 12000.0, 9000.0]


def test_trillions_and_billions_in_cells():
    assert parse_money("3T") == 3e12
    assert parse_money("270B") == 270e9
    assert parse_count_or_range("2K") == 2000


def test_inspect_shows_column_unit_and_three_values_per_field(tmp_path):
    path = write(tmp_path, "Company,Sales ($billion),Employees\nA,1.5,\"1,200\"\nB,2,300\n"
                           "C,0.5,10\nD,3,4\n")
    report = inspect_file(path)
    revenue = next(f for f in report.fields if f.field == "revenue")
    assert (revenue.column, revenue.unit) == ("Sales ($billion)", "billions of dollars")
    assert revenue.samples == ["1.5 -> 1,500,000,000", "2 -> 2,000,000,000",
                               "0.5 -> 500,000,000"]
    employees = next(f for f in report.fields if f.field == "employees")
    assert employees.unit == "people"
    assert employees.samples[0] == "1,200 -> 1,200"


def _directory(tmp_path: Path, header: str, with_website: bool) -> Path:
    head = f"_ - name,{header}" + (",URLs" if with_website else "")
    lines = [f"Company {i},https://www.inc.com/profile/company-{i}"
             + (f",https://company{i}.com" if with_website else "") for i in range(40)]
    return write(tmp_path, "\n".join([head, *lines]) + "\n")


def test_a_profile_url_column_gives_way_to_the_real_website_column(tmp_path):
    source = load_source(_directory(tmp_path, "_ - url", with_website=True))
    assert source.layout.columns["URLs"] == "domain"
    assert source.layout.columns["_ - name"] == "name"
    assert source.records["domain"][3] == "https://company3.com"
    assert any("holds pages on inc.com (40 of 40 values)" in n and "used 'URLs'" in n
               for n in source.notes)


def test_a_one_site_column_without_alternative_is_left_unused_and_rows_match_by_name(tmp_path):
    report = inspect_file(_directory(tmp_path, "URL", with_website=False))
    assert "URL" in report.unmapped
    assert report.rows == 40
    assert report.name_only_rows == 40  # not 40 rows merged into one inc.com account
    assert any("left unused, rows match by company name" in n for n in report.notes)


def test_one_company_on_many_rows_keeps_its_domain(tmp_path):
    lines = [f"Acme,acme.com,Topic {i},80" for i in range(30)]
    path = write(tmp_path, "Company,Domain,Topic,Composite Score\n" + "\n".join(lines) + "\n")
    source = load_source(path)
    assert source.layout.columns["Domain"] == "domain"
    assert not any("holds pages" in n for n in source.notes)


def test_inc_5000_layout_takes_urls_as_the_domain_and_revenue_in_cell_millions(tmp_path):
    # The header row of the published Inc. 5000 scrape (Eeysirhc/inc5000_companies);
    # the rows are invented.
    path = write(tmp_path, "Inc.com URL,URLs,Revenue,3 Years Growth,Traffic Overview,"
                           "% Search Traffic,Is Homepage Secure?\n"
                           "https://www.inc.com/profile/acme,acme.com,36.9 M,366%,,33%,Secure\n"
                           "https://www.inc.com/profile/globex,globex.io,271.8 M,14183%,,,Secure\n")
    report = inspect_file(path)
    assert report.columns["URLs"] == "domain"
    assert report.columns["Revenue"] == "revenue"
    assert report.distinct_domains == 2
    revenue = next(f for f in report.fields if f.field == "revenue")
    assert revenue.samples == ["36.9 M -> 36,900,000", "271.8 M -> 271,800,000"]


def test_inspect_samples_are_a_glimpse_of_long_cells(tmp_path):
    path = write(tmp_path, "Company,Industry\n" + "A" * 5000 + ",Software\n")
    (name, industry) = inspect_file(path).fields
    assert len(name.samples[0]) == 60 and name.samples[0].endswith("…")
    assert industry.samples == ["Software"]
