"""Issue 12 item 9: tiers back into Salesforce and HubSpot, no account dropped silently."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from abmcli.config import Config, config_from_tables, load_config
from abmcli.errors import ConfigError
from abmcli.outputs.tier_workbook import display_frame
from abmcli.stages.segment import adhoc_segment, run_segments, segment_specs

AS_OF = dt.date(2026, 11, 25)
ACCOUNTS = pd.DataFrame({
    "account_id": ["ACC-0000000001", "ACC-0000000002", "ACC-0000000003", "ACC-0000000004"],
    "account_name": ["Snowflake Inc.", "Datadog, Inc.", "Name Only Ltd", "HubCo"],
    "domain": ["snowflake.com", "datadoghq.com", "", "hubco.com"],
    "crm_id": ["0013000000ABCDEFGH", "", "", "4242"],
    "tier": ["Tier 1", "Tier 2", "Tier 3", "Tier 2"],
    "stars": [5, 4, 2, 4],
    "account_score": [88.5, 70.0, 41.2, 66.0],
    "tier_reason": ["Tier 1: surging on Intent Data, met 5 days ago, ACV large",
                    "Tier 2: surging on 3 topics, no engagement in 30 days, ACV large",
                    "Tier 3: no surge in 21 days, no engagement in 30 days, ACV small",
                    "Tier 2: no surge in 21 days, engaged today, ACV small"],
})


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def config(**sections: object) -> Config:
    segments = {"sf": {"where": 'tier in ["Tier 1", "Tier 2", "Tier 3"]',
                       "format": "salesforce_update"},
                "hs": {"where": 'tier in ["Tier 1", "Tier 2", "Tier 3"]',
                       "format": "hubspot_update"}}
    return config_from_tables({"segments": segments, **sections}, as_of=AS_OF)


def test_salesforce_update_file_has_the_id_and_the_custom_fields(tmp_path: Path) -> None:
    run = run_segments(display_frame(ACCOUNTS), segment_specs(config()), tmp_path, AS_OF)
    rows = read(tmp_path / "sf.csv")
    assert rows[0] == ["Id", "ABM_Tier__c", "ABM_Stars__c", "ABM_Account_Score__c",
                       "ABM_Tier_Reason__c"]
    # stars go back as the number, though the tier workbook shows them as ★★★★★
    assert rows[1] == ["0013000000ABCDEFGH", "Tier 1", "5", "88.5",
                       "Tier 1: surging on Intent Data, met 5 days ago, ACV large"]
    assert len(rows) == 2  # the HubSpot record id 4242 is no Salesforce id
    sf = next(o for o in run.outputs if o.name == "sf")
    assert sf.rows == 1 and sf.missing_ids == 3
    assert "3 accounts have no Salesforce account id" in sf.warnings[0]
    missing = read(tmp_path / "sf_no_crm_id.csv")
    assert [row[1] for row in missing[1:]] == ["Datadog, Inc.", "Name Only Ltd", "HubCo"]


def test_hubspot_import_matches_on_record_id_or_domain(tmp_path: Path) -> None:
    run = run_segments(ACCOUNTS, segment_specs(config()), tmp_path, AS_OF)
    rows = read(tmp_path / "hs.csv")
    assert rows[0] == ["Record ID", "Company Domain Name", "abm_tier", "abm_stars",
                       "abm_account_score", "abm_tier_reason"]
    assert [row[:4] for row in rows[1:]] == [["", "snowflake.com", "Tier 1", "5"],
                                             ["", "datadoghq.com", "Tier 2", "4"],
                                             ["4242", "hubco.com", "Tier 2", "4"]]
    hs = next(o for o in run.outputs if o.name == "hs")
    assert hs.missing_ids == 1
    assert read(tmp_path / "hs_no_crm_id.csv")[1][1] == "Name Only Ltd"


def test_the_crm_field_names_come_from_the_config(tmp_path: Path) -> None:
    settings = config(crm_fields={"salesforce": {"tier": "Goldilocks_Tier__c",
                                                 "crm_owner": "Owner_Note__c"}})
    run_segments(ACCOUNTS, segment_specs(settings), tmp_path, AS_OF)
    assert read(tmp_path / "sf.csv")[0] == ["Id", "Goldilocks_Tier__c", "Owner_Note__c"]
    out = adhoc_segment(ACCOUNTS, 'tier == "Tier 1"', "salesforce_update",
                        tmp_path / "t1.csv", AS_OF)
    assert out.rows == 1 and read(tmp_path / "t1.csv")[0][1] == "ABM_Tier__c"


@pytest.mark.parametrize(("fields", "message"), [
    ({"salesforce": {"tier": "ABM Tier"}}, "API name"),
    ({"hubspot": {"tier": "ABM_Tier"}}, "internal property name"),
    ({"hubspot": {"teir": "abm_tier"}}, "'teir' is not a hub column"),
])
def test_bad_crm_fields_are_config_errors(fields: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        segment_specs(config(crm_fields=fields))


def test_the_crm_example_in_docs_tiers_md_is_a_valid_config(tmp_path: Path) -> None:
    docs = (Path(__file__).parents[1] / "docs" / "TIERS.md").read_text(encoding="utf-8")
    block = docs.split("```toml\n")[1].split("```")[0]
    path = tmp_path / "abm.toml"
    path.write_text(block, encoding="utf-8")
    specs = segment_specs(load_config(path))
    assert [spec.format for spec in specs] == ["salesforce_update", "hubspot_update"]
    assert specs[0].fields["tier"] == "ABM_Tier__c"


SHARED = pd.DataFrame({  # two CRM records, each held by two accounts
    "account_id": ["ACC-0000000011", "ACC-0000000012", "ACC-0000000013", "ACC-0000000014"],
    "account_name": ["Acme (website)", "Acme Corp", "Beta EU", "Beta Inc"],
    "domain": ["acme.com", "", "beta.eu", "beta.com"],
    # one Salesforce record spelt in 18 and in 15 letters; one HubSpot record twice
    "crm_id": ["0013000000AbCdEAAV", "0013000000AbCdE", "4242", "4242"],
    "tier": ["Tier 2", "Tier 1", "Tier 2", "Tier 2"],
    "stars": [4, 2, 4, 4],
    "account_score": [70.0, 50.0, 66.0, 66.0],
    "tier_reason": ["a", "b", "c", "d"],
})


@pytest.mark.parametrize("reverse", [False, True])
def test_an_update_names_each_crm_record_once_for_the_better_tiered_account(
        tmp_path: Path, reverse: bool) -> None:
    accounts = SHARED.iloc[::-1] if reverse else SHARED
    run = run_segments(accounts, segment_specs(config()), tmp_path, AS_OF)
    # the better tier wins over the higher score; a tie goes to the first account_id
    assert [row[:2] for row in read(tmp_path / "sf.csv")[1:]] == [
        ["0013000000AbCdE", "Tier 1"]]
    # acme.com goes by its domain (its crm_id is no HubSpot id); 4242 once
    assert sorted((row[0], row[1], row[-1]) for row in read(tmp_path / "hs.csv")[1:]) == [
        ("", "acme.com", "a"), ("4242", "beta.eu", "c")]
    sf, hs = (next(o for o in run.outputs if o.name == name) for name in ("sf", "hs"))
    assert sf.rows == 1 and hs.rows == 2
    assert "1 Salesforce Id is held by two accounts" in sf.warnings[0]
    assert "for Acme Corp (Tier 1), not Acme (website) (Tier 2)" in sf.warnings[0]
    assert "1 HubSpot Record ID is held by two accounts" in hs.warnings[0]
    assert "Review sheet" in hs.warnings[0]


@pytest.mark.parametrize("reverse", [False, True])
def test_a_terminus_id_list_names_each_crm_id_once_and_counts_the_folded(
        tmp_path: Path, reverse: bool) -> None:
    """Terminus takes a plain list of CRM ids: an id two accounts hold (in 15 and in 18
    letters too) was written twice, one account uploaded twice."""
    accounts = SHARED.iloc[::-1] if reverse else SHARED
    out = adhoc_segment(accounts, "crm_id is not empty", "terminus", tmp_path / "t.csv", AS_OF)
    assert sorted(read(tmp_path / "t.csv")) == [["0013000000AbCdE"], ["4242"]]
    assert out.rows == 2
    assert len(out.warnings) == 1
    assert "2 CRM account ids are held by two accounts and written once" in out.warnings[0]
    assert "(2 rows folded)" in out.warnings[0]
