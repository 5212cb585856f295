"""Segments: each format's exact bytes, the platforms' limits, Terminus ids, formula
safety, alerts per owner, and the checks of [segments.*] in the config."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from abmcli.config import config_from_tables, load_config
from abmcli.errors import AbmError, ConfigError, ExpressionError
from abmcli.formats.platforms import LINKEDIN, SIXSENSE
from abmcli.stages.segment import (
    SegmentSpec,
    adhoc_segment,
    csv_bytes,
    run_segments,
    segment_specs,
    split_for_upload,
)
from abmcli.xlsx.workbook import read_sheet, sheet_names

AS_OF = dt.date(2026, 11, 25)
ROOT = Path(__file__).parent.parent


def hub_row(name: str, domain: str | None, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "account_id": "ACC-" + (domain or name).encode().hex()[:10].upper(),
        "account_name": name, "domain": domain, "industry": "Computer Software",
        "country": "United States", "state": "CA", "city": "San Mateo",
        "employees": 7004.0, "revenue": 2_806_489_000.0, "linkedin_url": None,
        "ticker": None, "tier": "Tier 1", "account_score": 81.5, "engagement_spike": True,
        "crm_id": None, "crm_owner": None,
    }
    row.update(values)
    return row


@pytest.fixture
def hub() -> pd.DataFrame:
    """Three accounts as a tier workbook holds them: a listed company, a name with an
    accent and a comma, and a vendor name that is a formula."""
    return pd.DataFrame([
        hub_row("Snowflake Inc.", "snowflake.com", ticker="SNOW",
                linkedin_url="https://www.linkedin.com/company/snowflake-computing",
                crm_id="0015e00000Abc12AAB", crm_owner="Maria Gonzalez"),
        hub_row("Société Générale, S.A.", "societegenerale.com", country="France",
                state="Île-de-France", city="Paris", industry="Banking", employees=117000.0,
                revenue=None, tier="Tier 2", account_score=64.0, engagement_spike=False,
                crm_id="0015e00000Xyz34AAC", crm_owner="James O'Connor"),
        hub_row('=HYPERLINK("http://evil.example","click")', None, country="Canada",
                state="ON", city="Toronto", employees=None, revenue=None, tier="Tier 2",
                account_score=58.25),
    ])


def everyone(fmt: str, **settings: Any) -> SegmentSpec:
    return SegmentSpec(name=f"All {fmt}", where="account_score > 0", format=fmt, **settings)


def written(tmp_path: Path, hub: pd.DataFrame, spec: SegmentSpec) -> bytes:
    output = run_segments(hub, [spec], tmp_path, AS_OF).outputs[0]
    assert len(output.files) == 1
    return output.files[0].read_bytes()


# --- exact bytes ------------------------------------------------------------------------


def test_linkedin_has_the_template_header_and_formula_text_stays_inert(tmp_path, hub):
    assert written(tmp_path, hub, everyone("linkedin")).decode("utf-8") == (
        "companyname,companywebsite,companyemaildomain,linkedincompanypageurl,stocksymbol,"
        "industry,city,state,companycountry,zipcode\n"
        "Snowflake Inc.,snowflake.com,snowflake.com,"
        "https://www.linkedin.com/company/snowflake-computing,SNOW,Computer Software,"
        "San Mateo,CA,United States,\n"
        '"Société Générale, S.A.",societegenerale.com,societegenerale.com,,,Banking,Paris,'
        "Île-de-France,France,\n"
        '"\'=HYPERLINK(""http://evil.example"",""click"")",,,,,Computer Software,Toronto,ON,'
        "Canada,\n")


def test_6sense_has_name_country_domain_and_a_file_name_without_spaces(tmp_path, hub):
    output = run_segments(hub, [everyone("6sense")], tmp_path, AS_OF).outputs[0]
    assert [path.name for path in output.files] == ["all_6sense.csv"]
    assert output.files[0].read_text(encoding="utf-8") == (
        "Account Name,Country,Domain\n"
        "Snowflake Inc.,United States,snowflake.com\n"
        '"Société Générale, S.A.",France,societegenerale.com\n'
        '"\'=HYPERLINK(""http://evil.example"",""click"")",Canada,\n')


def test_demandbase_adds_the_optional_columns_it_accepts(tmp_path, hub):
    assert written(tmp_path, hub, everyone("demandbase")).decode() == (
        "Account Name,Account Domain,External Account ID,Owner,Employees,Annual Revenue,"
        "Industry\n"
        "Snowflake Inc.,snowflake.com,0015e00000Abc12AAB,Maria Gonzalez,7004,2806489000,"
        "Computer Software\n"
        '"Société Générale, S.A.",societegenerale.com,0015e00000Xyz34AAC,James O\'Connor,'
        "117000,,Banking\n"
        '"\'=HYPERLINK(""http://evil.example"",""click"")",,,,,,Computer Software\n')


def test_demandbase_with_chosen_columns(tmp_path, hub):
    spec = everyone("demandbase", columns=["CRM_ID"])
    assert written(tmp_path, hub, spec).decode().splitlines()[:2] == [
        "Account Name,Account Domain,External Account ID",
        "Snowflake Inc.,snowflake.com,0015e00000Abc12AAB"]


def test_terminus_writes_ids_only_and_reports_accounts_without_one(tmp_path, hub):
    output = run_segments(hub, [everyone("terminus")], tmp_path, AS_OF).outputs[0]
    assert output.files[0].read_bytes() == b"0015e00000Abc12AAB\n0015e00000Xyz34AAC\n"
    assert (output.rows, output.missing_ids) == (2, 1)
    assert output.warnings == ['all_terminus.csv: 1 account has no CRM id and is not in '
                               'the Terminus list: =HYPERLINK("http://evil.example","click")']


def test_hubspot_labels_known_properties_and_warns_about_missing_domains(tmp_path, hub):
    spec = everyone("hubspot", columns=["country", "employees", "tier"])
    output = run_segments(hub, [spec], tmp_path, AS_OF).outputs[0]
    assert output.files[0].read_text(encoding="utf-8") == (
        "Company name,Company Domain Name,Country/Region,Number of Employees,tier\n"
        "Snowflake Inc.,snowflake.com,United States,7004,Tier 1\n"
        '"Société Générale, S.A.",societegenerale.com,France,117000,Tier 2\n'
        '"\'=HYPERLINK(""http://evil.example"",""click"")",,Canada,,Tier 2\n')
    assert "1 account has no domain; HubSpot de-duplicates" in output.warnings[0]


def test_csv_defaults_to_identity_tier_score_and_owner_columns(tmp_path, hub):
    text = written(tmp_path, hub, everyone("csv")).decode()
    assert text.splitlines()[0] == ("account_id,account_name,domain,country,industry,"
                                    "employees,tier,account_score,engagement_spike,crm_id,"
                                    "crm_owner")
    assert text.splitlines()[1] == ("ACC-736E6F7766,Snowflake Inc.,snowflake.com,United States,"
                                    "Computer Software,7004,Tier 1,81.5,True,"
                                    "0015e00000Abc12AAB,Maria Gonzalez")


def test_xlsx_writes_the_chosen_columns_as_text_never_formulas(tmp_path, hub):
    spec = everyone("xlsx", columns=["account_name", "Account_Score"])
    output = run_segments(hub, [spec], tmp_path, AS_OF).outputs[0]
    sheet = read_sheet(output.files[0], sheet_names(output.files[0])[0])
    assert list(sheet.columns) == ["account_name", "account_score"]
    assert sheet["account_name"].iloc[2] == '=HYPERLINK("http://evil.example","click")'
    assert sheet["account_score"].tolist() == [81.5, 64.0, 58.25]


# --- limits -----------------------------------------------------------------------------


def test_linkedin_warns_under_its_minimum(tmp_path, hub):
    output = run_segments(hub, [everyone("linkedin")], tmp_path, AS_OF).outputs[0]
    assert output.warnings == ["all_linkedin.csv: 3 companies; LinkedIn needs at least 300 "
                               "to serve a matched audience"]
    small = {"linkedin": replace(LINKEDIN.limits, min_rows=3)}
    assert run_segments(hub, [everyone("linkedin")], tmp_path, AS_OF,
                        limits=small).outputs[0].warnings == []


def big_hub(rows: int) -> pd.DataFrame:
    return pd.DataFrame([hub_row(f"Company {n:05d} Ltd", f"company{n:05d}.co.uk")
                         for n in range(rows)])


def test_6sense_splits_over_its_row_limit(tmp_path):
    limits = {"6sense": replace(SIXSENSE.limits, max_rows=25)}
    output = run_segments(big_hub(60), [everyone("6sense")], tmp_path, AS_OF,
                          limits=limits).outputs[0]
    assert [path.name for path in output.files] == [
        "all_6sense_part1.csv", "all_6sense_part2.csv", "all_6sense_part3.csv"]
    lines = [path.read_text().splitlines() for path in output.files]
    assert [len(part) for part in lines] == [26, 26, 11]  # each with its header
    assert all(part[0] == "Account Name,Country,Domain" for part in lines)
    assert lines[1][1] == "Company 00025 Ltd,United States,company00025.co.uk"
    assert output.rows == 60
    assert "split into 3 files (6sense takes at most 25 rows a file)" in output.warnings[-1]


def test_linkedin_splits_over_its_row_limit_and_its_size_limit(tmp_path):
    hub = big_hub(50)
    by_rows = run_segments(hub, [everyone("linkedin")], tmp_path / "rows", AS_OF,
                           limits={"linkedin": replace(LINKEDIN.limits, max_rows=20)}).outputs[0]
    assert [len(p.read_text().splitlines()) - 1 for p in by_rows.files] == [20, 20, 10]
    limit = 2_000
    small = {"linkedin": replace(LINKEDIN.limits, max_bytes=limit)}
    by_size = run_segments(hub, [everyone("linkedin")], tmp_path / "size", AS_OF,
                           limits=small).outputs[0]
    sizes = [path.stat().st_size for path in by_size.files]
    assert len(sizes) > 2 and max(sizes) <= limit
    rows = [line for p in by_size.files for line in p.read_text().splitlines()[1:]]
    assert len(rows) == 50 and len(set(rows)) == 50  # nothing lost, nothing repeated


def test_splitting_keeps_every_row_once_and_an_empty_table_gives_one_file():
    table = pd.DataFrame({"name": [f"Firma {n} GmbH" for n in range(101)]})
    parts = split_for_upload(table, 30, 200)
    assert pd.concat(parts)["name"].tolist() == table["name"].tolist()
    assert all(len(part) <= 30 and csv_bytes(part) <= 200 for part in parts)
    assert [len(part) for part in split_for_upload(table.iloc[:0], 30)] == [0]


# --- alerts and groups ------------------------------------------------------------------


def test_an_alert_lists_only_new_accounts_one_file_per_owner(tmp_path):
    now = pd.DataFrame([
        hub_row("Snowflake Inc.", "snowflake.com", crm_owner="Maria Gonzalez"),
        hub_row("Zendesk, Inc.", "zendesk.com", crm_owner="Maria Gonzalez"),
        hub_row("HubSpot, Inc.", "hubspot.com", crm_owner="James O'Connor"),
        hub_row("Gong.io Ltd", "gong.io", crm_owner=None),
        hub_row("Outreach Corp.", "outreach.io", crm_owner="Priya Raman",
                engagement_spike=False),
    ])
    before = now.assign(engagement_spike=[True, False, False, False, True])
    spec = SegmentSpec(name="SDR alert", where='engagement_spike and tier == "Tier 1"',
                       format="csv", columns=["account_name", "crm_owner"], alert=True)
    output = run_segments(now, [spec], tmp_path, AS_OF, previous=before).outputs[0]
    assert [path.name for path in output.files] == [
        "sdr_alert_james_o_connor.csv", "sdr_alert_maria_gonzalez.csv",
        "sdr_alert_unassigned.csv"]
    assert [path.read_text().splitlines()[1:] for path in output.files] == [
        ["\"HubSpot, Inc.\",James O'Connor"], ['"Zendesk, Inc.",Maria Gonzalez'],
        ["Gong.io Ltd,"]]
    assert output.rows == 3


def test_an_alert_without_previous_lists_all_and_says_so(tmp_path, hub):
    spec = SegmentSpec(name="alert", where="engagement_spike", format="xlsx", alert=True)
    output = run_segments(hub, [spec], tmp_path, AS_OF).outputs[0]
    assert "every account in the segment counts as new" in output.warnings[0]
    # one sheet per owner; the account without an owner is listed, not lost
    assert sheet_names(output.files[0]) == ["Maria Gonzalez", "unassigned"]


def test_an_alert_with_nothing_new_writes_no_file(tmp_path, hub):
    spec = SegmentSpec(name="alert", where="engagement_spike", format="csv", alert=True)
    output = run_segments(hub, [spec], tmp_path, AS_OF, previous=hub).outputs[0]
    assert (output.rows, output.files) == (0, [])
    assert output.warnings == ["no accounts new to the segment since the previous hub: no "
                               "files written"]
    assert list(tmp_path.iterdir()) == []


def test_group_by_writes_one_sheet_per_value(tmp_path, hub):
    spec = everyone("xlsx", group_by="TIER")
    output = run_segments(hub, [spec], tmp_path, AS_OF).outputs[0]
    assert sheet_names(output.files[0]) == ["Tier 1", "Tier 2"]
    assert len(read_sheet(output.files[0], "Tier 2")) == 2


def test_a_merged_hub_without_tiers_says_where_tiers_come_from(tmp_path, hub):
    spec = SegmentSpec(name="t1", where='tier == "Tier 1"', format="csv")
    with pytest.raises(ExpressionError, match="segment 't1' on this workbook: .*unknown "
                       "column 'tier'.*tiers come from abm tier"):
        run_segments(hub.drop(columns="tier"), [spec], tmp_path, AS_OF)


# --- ad hoc -----------------------------------------------------------------------------


def test_adhoc_list_replaces_spaces_in_a_6sense_file_name(tmp_path, hub):
    output = adhoc_segment(hub, 'country in ["France", "Canada"]', "6sense",
                           tmp_path / "q4 tier 2.csv", AS_OF)
    assert [path.name for path in output.files] == ["q4_tier_2.csv"]
    assert output.rows == 2
    assert "6sense rejects file names with spaces" in output.warnings[0]


def test_adhoc_list_rejects_an_unknown_format_and_column(tmp_path, hub):
    with pytest.raises(AbmError, match="format 'linkdin' is not one of .*did you mean "
                       "'linkedin'"):
        adhoc_segment(hub, "engagement_spike", "linkdin", tmp_path / "x.csv", AS_OF)
    with pytest.raises(AbmError, match="column 'owner' is not a hub column"):
        adhoc_segment(hub, "engagement_spike", "csv", tmp_path / "x.csv", AS_OF, ["owner"])


# --- the config -------------------------------------------------------------------------


def test_the_example_config_defines_the_four_campaign_lists():
    specs = {spec.name: spec for spec in segment_specs(load_config(ROOT / "examples" /
                                                                   "abm.toml"))}
    assert specs["tier2_topic_ads"].format == "6sense"
    assert specs["sdr_spike_alert"].alert and specs["sdr_spike_alert"].grouping() == "crm_owner"
    assert specs["linkedin_tier1_2"].format == "linkedin"
    assert "engagement_spike" in specs["direct_mail_spikes"].where


def test_every_problem_of_the_segments_is_reported_at_once():
    with pytest.raises(ConfigError) as caught:
        config_from_tables({"segments": {
            "ads": {"where": "tierr == 'Tier 2'", "format": "linkedin", "columns": ["city"]},
            "mail": {"where": "engagement_spike and", "format": "pdf"},
            "alert": {"where": "engagement_spike", "alert": True, "group_by": "owner"},
            "empty": {"format": "csv", "colour": "red"},
        }}, checks=(segment_specs,))
    message = str(caught.value)
    for expected in [
        "[segments.ads] where: at character 1: unknown column 'tierr'; did you mean 'tier'",
        "[segments.ads] format linkedin has a fixed header; remove columns",
        "[segments.mail] where: at character 21: expected a column name",
        "[segments.mail] format 'pdf' is not one of",
        "[segments.alert] group_by 'owner' is not a hub column",
        "[segments.empty] needs where",
        "[segments.empty] unknown setting 'colour'",
    ]:
        assert expected in message


def test_segments_may_read_configured_topic_columns():
    config = config_from_tables({"segments": {"ads": {
        "where": "intent_topic_account_based_marketing >= 60"}}})
    config.intent.topics = ["Account Based Marketing"]
    assert segment_specs(config)[0].where.startswith("intent_topic_")
