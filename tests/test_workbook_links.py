"""Website cells that are links: a person reads the site the link opens, not its label.

`=HYPERLINK("https://www.acme.com","Acme")` or a cell hyperlink on the text "Beta Inc"
in a Website column says the company's site is acme.com / beta.io. abm reads the link's
target there, runs no formula, and says what it did with links it did not read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.sources.load import load_source

openpyxl = pytest.importorskip("openpyxl")


def _workbook(path: Path, rows: list[tuple[object, ...]],
              links: dict[str, str] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref, target in (links or {}).items():
        sheet[ref].hyperlink = target
    book.save(path)
    return path


def _domains(path: Path) -> list[str]:
    source = load_source(path)
    return list(source.records["domain"])


def test_hyperlink_formula_in_the_website_column_gives_its_target(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "a.xlsx", [
        ("Company", "Website"),
        ("Acme", '=HYPERLINK("https://www.acme.com","Acme")'),
        ("Quote Co", '=HYPERLINK("https://quote.example.org/?q=""x""", "Quote Co")'),
        ("Plain", "plain.io"),
    ])
    source = load_source(path)
    assert list(source.records["domain"]) == [
        "https://www.acme.com", 'https://quote.example.org/?q="x"', "plain.io"]
    assert any("'Website' cells are links" in n for n in source.notes)


def test_cell_hyperlink_showing_the_company_name_gives_the_linked_site(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "b.xlsx", [
        ("Report of accounts", None), (None, None),  # a title above the header
        ("Company", "Website"), ("Beta", "Beta Inc"), ("Gamma", "gamma.de"),
    ], links={"B4": "https://beta.io/about"})
    assert _domains(path) == ["https://beta.io/about", "gamma.de"]


def test_links_outside_the_website_column_stay_shown_text_with_a_note(tmp_path: Path) -> None:
    # A CRM report links each account name to its record: the name is still the name,
    # and that record's URL is no company website.
    path = _workbook(tmp_path / "c.xlsx", [("Account Name", "Country"), ("Acme", "DE")],
                     links={"A2": "https://acme-crm.example.com/001xx"})
    source = load_source(path)
    assert list(source.records["name"]) == ["Acme"]
    assert list(source.records["domain"]) == [""]
    assert any("'Account Name' cells carry 1 links" in n
               and "read as the text shown" in n for n in source.notes)


def test_computed_hyperlink_target_is_not_run_and_is_said(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "d.xlsx", [
        ("Company", "Slug", "Website"),
        ("Acme", "acme", '=HYPERLINK("https://"&B2&".com","Acme")'),
    ])
    source = load_source(path)
    assert list(source.records["domain"]) == [""]  # no cached value; nothing evaluated
    assert any("computed from other cells" in n for n in source.notes)


def test_profile_link_in_the_website_column_is_no_domain(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "e.xlsx", [("Company", "Website"), ("Acme", "Acme")],
                     links={"B2": "https://www.linkedin.com/company/acme"})
    result = CliRunner().invoke(app, ["inspect", str(path)])
    assert result.exit_code == 0, result.output
    assert "Acme -> https://www.linkedin.com/company/acme" in result.output
    assert "usable domain  0 rows" in result.output


def test_legacy_workbook_website_column_of_names_says_links_cannot_be_read() -> None:
    import pandas as pd

    from abmcli.sources.links import legacy_link_note

    names = pd.DataFrame({"domain": ["Acme", "Beta Inc", "gamma.de"]})
    assert "save it as .xlsx" in legacy_link_note(Path("old.xls"), names, "Website")[0]
    assert legacy_link_note(Path("new.xlsx"), names, "Website") == []
    domains = pd.DataFrame({"domain": ["acme.com", "beta.io", "Gamma"]})
    assert legacy_link_note(Path("old.xls"), domains, "Website") == []


def test_links_are_found_whatever_the_block_boundaries(tmp_path: Path, monkeypatch) -> None:
    from abmcli.sources import links

    monkeypatch.setattr(links, "_BLOCK", 37)  # cuts cells and formulas everywhere
    rows: list[tuple[object, ...]] = [("Company", "Website")]
    rows += [(f"Co {i}", f'=HYPERLINK("https://co{i}.example.com/","Co {i}")')
             for i in range(1, 31)]
    path = _workbook(tmp_path / "f.xlsx", [*rows, ("Last", "Last Co")],
                     links={"B32": "https://last.example.org"})
    assert _domains(path) == [f"https://co{i}.example.com/" for i in range(1, 31)] + [
        "https://last.example.org"]


def test_a_link_target_that_looks_like_a_formula_never_becomes_one(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "evil.xlsx", [
        ("Company", "Website"), ("Acme", '=HYPERLINK("=cmd|\'/C calc\'!A0","Acme")'),
        ("Beta", "Beta"), ("Gamma", '=HYPERLINK("https://gamma.io","Gamma")'),
    ], links={"B3": "@SUM(1+1)"})
    hub, lineage = tmp_path / "hub.xlsx", tmp_path / "lineage.csv"
    result = CliRunner().invoke(app, ["merge", str(path), "-o", str(hub),
                                      "--lineage", str(lineage)])
    assert result.exit_code == 0, result.output
    cells = [cell for sheet in openpyxl.load_workbook(hub) for row in sheet.iter_rows()
             for cell in row]
    assert not [c.value for c in cells if c.data_type == "f"]
    assert "domain gamma.io" in lineage.read_text(encoding="utf-8")
    assert not any(line.startswith(("=", "@", "+", "-"))
                   for line in lineage.read_text(encoding="utf-8").split(","))
