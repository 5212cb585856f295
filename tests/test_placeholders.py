"""Placeholder cells ("n/a", "-", "Unknown", "#N/A", "null", "None") are no values in
any field of any family: one list (keys/values.py PLACEHOLDERS) read as missing where
sources are loaded, as company names and domains already were."""

from __future__ import annotations

from pathlib import Path

import pytest

from abmcli.keys import domains, names, values
from abmcli.sources.load import load_source

SHARED = Path(__file__).parents[1] / ".." / "shared" / "reference" / "real-exports"
NYSE = SHARED / "nyse-companylist-2019" / "companylist_nyse.csv"

WRITTEN = ["n/a", "N/A", "-", "--", "Unknown", "#N/A", "null", "None", "N.A.",
           "not available", "TBD"]


def test_names_domains_and_other_fields_share_one_placeholder_list() -> None:
    assert names.PLACEHOLDERS is values.PLACEHOLDERS
    for written in WRITTEN:
        assert written.casefold() in values.PLACEHOLDERS
        assert domains.is_placeholder(written)
        assert names.name_key(written) == ""


@pytest.mark.parametrize("family,columns", [
    ("fit", "Industry,Country,City,State,Employees"),
    ("crm", "Account ID,Account Owner,Type,Industry,Billing Country"),
])
def test_a_placeholder_in_any_text_field_loads_as_missing(
        tmp_path: Path, family: str, columns: str) -> None:
    lines = [f"Company,Website,{columns}"]
    width = len(columns.split(","))
    lines += [f"Co {n},co{n}.com," + ",".join([written] * width)
              for n, written in enumerate(WRITTEN)]
    lines.append("Real,real.com," + ",".join(["Software"] * width))
    path = tmp_path / "placeholders.csv"
    path.write_text("\n".join(lines) + "\n")
    records = load_source(path, family=family).records
    mapped = [c for c in records.columns if c not in ("name", "domain", "email", "_row")]
    assert len(mapped) >= 4, records.columns
    for column in mapped:
        kept = records[column].iloc[:-1]
        assert (kept.isna() | (kept.astype(str) == "")).all(), (column, kept.tolist())
        assert records[column].iloc[-1] == "Software"
    # the names and domains stay as written: their keys say why nothing matched
    assert records["domain"].iloc[0] == "co0.com"


@pytest.mark.skipif(not NYSE.exists(), reason="shared reference exports not present")
def test_the_nyse_lists_industry_n_a_is_missing_not_an_industry() -> None:
    raw = NYSE.read_text()
    assert raw.count(",\"n/a\",") + raw.count(",n/a,") >= 80  # the export writes it so
    records = load_source(NYSE, family="fit").records
    industries = records["industry"].astype(str).str.casefold()
    assert not industries.isin(values.PLACEHOLDERS - {""}).any()


def test_a_relationship_strength_of_none_stays_no_relationship(tmp_path: Path) -> None:
    path = tmp_path / "relationship.csv"
    path.write_text("Company,Website,Relationship Strength\nA,a.com,None\nB,b.com,n/a\n")
    records = load_source(path, family="relationship").records
    assert records["score"].tolist() == ["None", ""]
    assert values.relationship_score(records["score"].iloc[0]) == 0.0


def test_a_country_code_na_is_namibia_and_n_a_no_country(tmp_path: Path) -> None:
    path = tmp_path / "fit.csv"
    path.write_text("Company,Website,Country\nA,a.com,NA\nB,b.com,N/A\nC,c.com,ZA\n")
    assert load_source(path, family="fit").records["country"].tolist() == ["NA", "", "ZA"]


ASX = SHARED / "asx-listed-companies-2016" / "ASXListedCompanies.csv"


@pytest.mark.parametrize("written", ["Not Applic", "NOT APPLIC.", "Class Pend", "Class. Pend.",
                                     "Not Avail", "not specif", "Classification Pending"])
def test_a_placeholder_cut_to_its_fields_width_is_one_too(written: str) -> None:
    assert written.casefold() in values.PLACEHOLDERS


@pytest.mark.parametrize("kept", ["Not", "Pending", "Class", "Notable", "Applied Materials",
                                  "Not Applicable Ltd", "Nota Bene"])
def test_words_that_only_begin_like_a_placeholder_stay_values(kept: str) -> None:
    assert kept.casefold() not in values.PLACEHOLDERS


@pytest.mark.skipif(not ASX.exists(), reason="shared reference exports not present")
def test_the_asx_registers_not_applic_and_class_pend_are_no_industries() -> None:
    """ASX writes "Not Applic" (37 funds and trusts) and "Class Pend" cut to its field's
    width: they were 34 + 3 accounts in industries of those names."""
    raw = ASX.read_text()
    assert raw.count(',"Not Applic"') >= 30 and raw.count(',"Class Pend"') >= 1
    industries = load_source(ASX, family="fit").records["industry"].astype(str)
    assert not industries.str.casefold().isin(["not applic", "class pend"]).any()
    assert industries.eq("Materials").sum() >= 90  # real industries stay
