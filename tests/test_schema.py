"""abmcli/schema.py declares every column abm writes once: the stages write exactly the
declared columns, the lists that used to be copied by hand come from it, workbooks read
back typed by it, and the docs' column tables are generated from it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from abmcli import schema
from abmcli.config import load_config
from abmcli.formats import platforms
from abmcli.outputs.readback import read_accounts, read_hub
from abmcli.sources.load import load_source
from abmcli.stages import expr, segment
from abmcli.stages.changes import compare_accounts
from abmcli.stages.memory import mark_carried
from abmcli.stages.merge import merge_sources
from abmcli.stages.score import SCORE_COLUMNS
from abmcli.stages.tier import TIER_COLUMNS, tier_accounts
from abmcli.xlsx.columns import hub_column_formats
from abmcli.xlsx.workbook import Sheet, write_workbook

ROOT = Path(__file__).parents[1]
AS_OF = dt.date(2026, 11, 23)
# The examples lack a few optional vendor columns; these small exports carry them, so
# that every declared column has a stage that writes it.
MORE_EXPORTS = {
    "fit": "Company Name,Website,Technologies\nAcme Corp,acme.com,Salesforce; Marketo\n",
    "engagement": ("Account Name,Domain,Week,Engagement Minutes,Last Meeting,Last Reply,"
                   "Last Form Fill\nAcme Corp,acme.com,2026-11-16,12,2026-11-10,2026-11-11,"
                   "2026-11-12\n"),
    "relationship": "Account Name,Domain,Last Reply\nAcme Corp,acme.com,2026-11-09\n",
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The tables the stages write on the examples (plus MORE_EXPORTS): the merged hub,
    the hub as the weekly run marks it, the tiered accounts and the Changes rows."""
    folder = tmp_path_factory.mktemp("schema")
    config = load_config(ROOT / "examples" / "abm.toml")
    sources = [load_source(path) for path in sorted((ROOT / "examples").glob("*.csv"))]
    for family, text in MORE_EXPORTS.items():
        path = folder / f"{family}.csv"
        path.write_text(text, encoding="utf-8")
        sources.append(load_source(path, family))
    hub = merge_sources(sources, config).hub
    marked = mark_carried(hub, pd.DataFrame(columns=["carried", "oldest"]), "2026-W48")
    tiered = tier_accounts(marked, config, as_of=AS_OF).accounts
    changes = compare_accounts(tiered.iloc[1:], tiered.iloc[:-1]).rows
    return {"hub": hub, "marked": marked, "tiered": tiered, "changes": changes}


def test_every_column_a_stage_writes_is_declared(written: dict[str, pd.DataFrame]) -> None:
    undeclared = [name for name in written["tiered"].columns if schema.find(name) is None]
    assert not undeclared, f"declare these columns in abmcli/schema.py: {undeclared}"
    assert list(written["changes"].columns) == list(schema.names("changes"))


def test_every_declared_column_is_written_on_the_examples(
        written: dict[str, pd.DataFrame]) -> None:
    names = list(map(str, written["tiered"].columns))
    unwritten = [column.name for column in schema.columns(*schema.ACCOUNT_TABLES)
                 if not any(column.matches(name) for name in names)]
    assert not unwritten, f"no stage writes these declared columns: {unwritten}"


def test_the_hub_has_its_columns_in_the_declared_order(written: dict[str, pd.DataFrame]
                                                       ) -> None:
    positions = [schema.position(str(name)) for name in written["marked"].columns]
    assert positions == sorted(positions)
    assert [c for c in written["hub"].columns if str(c).startswith("intent_topic_")] == [
        "intent_topic_account_based_marketing", "intent_topic_intent_data",
        "intent_topic_predictive_analytics"]  # in the order of [intent] topics


def test_each_stage_adds_the_columns_of_its_table(written: dict[str, pd.DataFrame]) -> None:
    hub_columns = set(written["marked"].columns)
    added = [c for c in written["tiered"].columns if c not in hub_columns]
    assert set(added) == {*SCORE_COLUMNS, *TIER_COLUMNS}
    assert SCORE_COLUMNS == schema.names("scores") and TIER_COLUMNS == schema.names("tiers")


def test_the_lists_stages_use_are_the_schemas() -> None:
    assert expr.LIST_COLUMNS == {"intent_topics", "intent_relevant_topics", "technologies",
                                 "other_domains", "crm_duplicate_ids"}
    assert set(platforms.DEMANDBASE_ORDER) == set(schema.upload_labels("demandbase"))
    assert platforms.HUBSPOT_PROPERTIES["crm_owner"] == "Company owner"
    config = load_config(ROOT / "examples" / "abm.toml")
    known = segment.tiered_hub_columns(config)
    assert {*schema.names("hub", "scores", "tiers"), "intent_topic_intent_data"} <= set(known)


def test_excel_formats_come_from_the_declarations() -> None:
    names = [column.name for column in schema.columns(*schema.ACCOUNT_TABLES)]
    formats = hub_column_formats([*names, "intent_topic_cloud_security", "my_own_score"])
    assert formats["revenue"].kind == "money" and formats["employees"].kind == "int"
    assert formats["founded_year"].kind == "year"
    assert formats["intent_topic_cloud_security"].kind == "score"
    assert formats["tier_reason"].width == 60
    assert formats["my_own_score"].kind == "score"  # a user's column, named like a score
    declared = {c.name for c in schema.columns(*schema.ACCOUNT_TABLES) if c.excel or c.width}
    assert declared - {"intent_topic_<slug>"} <= set(formats)


def test_a_hub_reads_back_as_declared_where_a_user_retyped_cells(tmp_path: Path) -> None:
    """Excel turns an all-digit id a user retypes into a number, and a date into a date
    with a time; read back, the hub's columns keep their declared types."""
    hub = pd.DataFrame({
        "account_id": ["ACC-1", "ACC-2"], "account_name": ["Acme", "Beta"],
        "domain": ["acme.com", "beta.com"],
        "crm_id": pd.Series([9_004_001, None], dtype="Int64"),  # HubSpot record ids
        "crm_owner": ["Maria", "James"],
        "intent_latest_date": [dt.datetime(2026, 11, 2, 0, 0), dt.date(2026, 11, 9)],
        "engagement_total": [12.5, None],
        "my_notes": [1, 2],  # not declared: typed by its cells
    })
    path = write_workbook(tmp_path / "hub.xlsx", [Sheet("Hub", hub)])
    for back in (read_hub(path), read_accounts(path)):
        assert back["crm_id"].tolist()[0] == "9004001" and back["crm_id"].isna().tolist()[1]
        assert back["intent_latest_date"].tolist() == [dt.date(2026, 11, 2),
                                                       dt.date(2026, 11, 9)]
        assert back["engagement_total"].tolist()[0] == 12.5
        assert back["my_notes"].tolist() == [1, 2]


def test_a_pattern_column_matches_only_its_own_names() -> None:
    assert schema.find("intent_topic_cloud_security").name == "intent_topic_<slug>"
    assert schema.find("intent_topics").name == "intent_topics"
    assert schema.find("intent_topic_") is None
    assert schema.find("before") is None  # a Changes column, not an account column
    assert schema.topic_column("Account Based Marketing") == (
        "intent_topic_account_based_marketing")


def test_the_docs_column_tables_are_generated_from_the_schema() -> None:
    doc = schema.DOC.read_text(encoding="utf-8")
    assert schema.current_doc(doc) == doc, (
        "docs/ARCHITECTURE.md's column tables differ from abmcli/schema.py; regenerate "
        "them with: .venv/bin/python -m abmcli.schema --write")


def test_the_readme_names_the_declared_list_columns_and_demandbase_labels() -> None:
    """README's filter and format tables are hand-written prose; the columns they name
    must be the schema's."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lists = readme.split("list columns (", 1)[1].split(")", 1)[0]
    assert {name.strip(" `") for name in lists.split(",")} == schema.of_type("list")
    line = next(line for line in readme.splitlines() if line.startswith("| `demandbase` |"))
    labels = schema.upload_labels("demandbase")
    assert ", ".join(labels[c] for c in platforms.DEMANDBASE_ORDER) in line
    assert ", ".join(f"`{c}`" for c in platforms.DEMANDBASE_ORDER) in line
