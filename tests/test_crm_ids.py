"""Rows that carry one CRM account id are one account (abmcli/matching/crm_ids.py).

What a person reading the Salesforce demo org's Account and Contact exports says: 18
accounts, none with a website; each contact belongs to the account its AccountId names,
so Rose Gonzalez (rose@edge.com) works at Edge Communications, and a contact without
a usable email still belongs to its account. United Oil & Gas, UK and Singapore are
subsidiaries whose contacts write @uog.com like the parent's: three CRM accounts on one
website, which abm should not fold into one without a reviewer.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.config import MatchSettings
from abmcli.matching.crm_ids import CRM_ID, id_key, salesforce_checksum
from abmcli.matching.match import match_rows

REAL = Path(__file__).parent / "data" / "real"
runner = CliRunner()


def _merge(tmp_path: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    lineage, hub = tmp_path / "lineage.csv", tmp_path / "hub.xlsx"
    result = runner.invoke(app, ["merge", "--crm", str(REAL / "salesforce-demo-Account.csv"),
                                 "--crm", str(REAL / "salesforce-demo-Contact.csv"),
                                 "-o", str(hub), "--lineage", str(lineage)])
    assert result.exit_code == 0, result.output
    with lineage.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (tmp_path / "hub-decisions.csv").open(encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    return rows, pairs


def _account_of(rows: list[dict[str, str]], file: str, row: int) -> dict[str, str]:
    return next(r for r in rows if r["source_file"].endswith(file) and r["row"] == str(row))


def test_an_account_row_without_a_website_joins_its_contacts_by_account_id(tmp_path):
    rows, _ = _merge(tmp_path)
    edge = _account_of(rows, "Account.csv", 1)  # Edge Communications, Id ...ZL8U9AAL
    rose = _account_of(rows, "Contact.csv", 1)  # rose@edge.com, AccountId ...ZL8U9AAL
    assert edge["account_id"] == rose["account_id"]
    assert edge["match"] == CRM_ID and "edge.com" in edge["reason"]


def test_contacts_without_a_usable_email_join_their_account_instead_of_being_rejected(
        tmp_path):
    rows, _ = _merge(tmp_path)
    contacts = [r for r in rows if r["source_file"].endswith("Contact.csv")]
    assert not [r for r in contacts if r["match"] == "rejected"]
    express = _account_of(rows, "Account.csv", 7)  # Express Logistics and Transport
    joined = [r for r in contacts if r["account_id"] == express["account_id"]]
    assert joined and all(r["match"] == CRM_ID for r in joined)


def test_accounts_sharing_one_website_stay_apart_and_go_to_review(tmp_path):
    rows, pairs = _merge(tmp_path)
    parent = _account_of(rows, "Account.csv", 6)  # United Oil & Gas Corp.
    singapore = _account_of(rows, "Account.csv", 10)
    uog_contacts = {r["account_id"] for r in rows
                    if r["source_file"].endswith("Contact.csv") and "uog.com" in r["reason"]}
    assert parent["account_id"] not in uog_contacts
    assert singapore["account_id"] not in uog_contacts
    shared = [p for p in pairs if p["reason"].startswith("same CRM account id")]
    assert {p["key_b"] for p in shared} == {"uog.com"} and len(shared) == 2


def test_salesforce_ids_of_15_and_18_characters_are_one_id():
    # The demo org's Account Id and the 15 characters a Salesforce report writes.
    assert id_key("001bm00001ZL8U9AAL") == "001bm00001ZL8U9"
    assert salesforce_checksum("001bm00001ZL8U9") == "AAL"
    assert id_key("001bm00001ZL8U9") == "001bm00001ZL8U9"
    # 18 characters whose last three are not the checksum are some other system's id.
    assert id_key("001bm00001ZL8U9AAA") == "001bm00001ZL8U9AAA"
    assert id_key(" n/a ") == id_key("0") == id_key("-") == ""


def _identities(records: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(records)
    for column in ("name", "domain", "email", "crm_id"):
        if column not in frame:
            frame[column] = ""
    return frame.fillna("").astype(str)


def test_a_placeholder_id_joins_nothing():
    result = match_rows(_identities([
        {"name": "Acme Robotics", "domain": "acme.com", "crm_id": "0"},
        {"name": "Zenith Partners", "crm_id": "0"},
        {"email": "", "crm_id": "0"},
    ]), MatchSettings())
    assert result.rows["match"].tolist() == ["domain", "name", "rejected"]


def test_two_websites_under_one_id_are_a_review_pair_not_one_account():
    result = match_rows(_identities([
        {"name": "Globex", "domain": "globex.com", "crm_id": "A1"},
        {"name": "Globex Labs", "domain": "globexlabs.io", "crm_id": "A1"},
        {"name": "", "crm_id": "A1"},
    ]), MatchSettings())
    assert result.rows["account_key"].tolist()[:2] == ["globex.com", "globexlabs.io"]
    assert result.rows.at[2, "match"] == "rejected"  # which of the two is not known
    pair = result.candidates[result.candidates["reason"].str.startswith("same CRM")]
    assert pair[["key_a", "key_b"]].values.tolist() == [["globex.com", "globexlabs.io"]]


_row = st.fixed_dictionaries({
    "name": st.sampled_from(["", "Acme", "Acme Inc", "Globex", "Initech Labs"]),
    "domain": st.sampled_from(["", "acme.com", "globex.com", "initech.io", "n/a"]),
    "email": st.sampled_from(["", "jo@acme.com", "x@gmail.com"]),
    "crm_id": st.sampled_from(["", "1", "2", "3", "0"]),
})


@settings(max_examples=60, deadline=None)
@given(st.lists(_row, min_size=1, max_size=12))
def test_a_crm_id_never_moves_a_row_off_its_own_website(records):
    with_ids = match_rows(_identities(records), MatchSettings()).rows
    without = match_rows(_identities(records).assign(crm_id=""), MatchSettings()).rows
    by_domain = without["match"].eq("domain")
    assert (with_ids.loc[by_domain, "account_key"].tolist()
            == without.loc[by_domain, "account_key"].tolist())
    # Only rows the keys could not settle, or name-only rows, are placed by an id.
    moved = with_ids["account_key"].ne(without["account_key"])
    assert without.loc[moved, "match"].isin(["name", "rejected"]).all()
