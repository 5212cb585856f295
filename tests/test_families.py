"""The source-family registry (fields.FAMILY_REGISTRY): every part of abm that treats
families differently reads it, so a family added there is complete or a test here says
what is missing."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from abmcli import schema
from abmcli.cli.app import app
from abmcli.config import MemorySettings
from abmcli.fields import (
    ALL_FAMILIES,
    FAMILIES,
    FAMILY_LETTERS,
    FAMILY_REGISTRY,
    IDENTITY_FIELDS,
    MEASURE_FAMILIES,
    fields_of,
)
from abmcli.matching.decisions import Decisions
from abmcli.outputs.tier_workbook import coverage_table
from abmcli.stages.hub import AGGREGATORS
from abmcli.stages.memory import FAMILY, HISTORY_FAMILIES, SNAPSHOT_FAMILIES, WEEK, Memory, recall

runner = CliRunner()


def test_the_schema_declares_one_flag_per_merged_family_in_order() -> None:
    flags = [name for name in schema.names("hub") if name.startswith("has_")]
    assert flags == [FAMILY_REGISTRY[name].flag for name in FAMILIES]


def test_merged_and_measure_families_split_the_registry() -> None:
    assert FAMILIES == ("fit", "intent", "relationship", "engagement", "crm")
    assert MEASURE_FAMILIES == ("opportunities", "contacts")
    assert set(ALL_FAMILIES) == set(FAMILY_REGISTRY)
    letters = list(FAMILY_LETTERS.values())
    assert all(letters) and len(set(letters)) == len(letters)  # coverage stays readable


@pytest.mark.parametrize("name", FAMILIES)
def test_a_merged_family_has_all_the_hub_needs(name: str) -> None:
    family = FAMILY_REGISTRY[name]
    assert name in AGGREGATORS, f"stages/hub.py AGGREGATORS has no aggregation for {name}"
    assert schema.find(family.flag) is not None, f"schema.py declares no {family.flag}"
    assert family.memory in ("snapshot", "history")
    assert (name in SNAPSHOT_FAMILIES) is (family.memory == "snapshot")
    assert (name in HISTORY_FAMILIES) is (family.memory == "history")


@pytest.mark.parametrize("name", ALL_FAMILIES)
def test_a_family_identifies_its_records_by_its_own_fields(name: str) -> None:
    family = FAMILY_REGISTRY[name]
    assert family.fields, f"{name} names no fields"
    assert set(family.row_identity) <= set(fields_of(name)) | set(IDENTITY_FIELDS)
    assert set(family.required) | set(family.needs_one_of) <= set(fields_of(name))


def test_merge_and_measure_offer_one_option_per_family() -> None:
    merge = runner.invoke(app, ["merge", "--help"], env={"COLUMNS": "200"}).output
    measure = runner.invoke(app, ["measure", "--help"], env={"COLUMNS": "200"}).output
    for name in FAMILIES:
        assert f"--{name} " in merge and FAMILY_REGISTRY[name].option_help in merge
    for name in MEASURE_FAMILIES:
        assert f"--{name} " in measure and FAMILY_REGISTRY[name].option_help in measure
        assert f"--{name} " not in merge


def test_the_family_options_reach_the_command(tmp_path) -> None:
    missing = str(tmp_path / "no-such-export.csv")
    result = runner.invoke(app, ["merge", "--crm", missing, "-o", str(tmp_path / "h.xlsx")])
    assert result.exit_code == 2 and "no-such-export.csv" in result.output


def test_a_family_without_memory_is_not_recalled() -> None:
    """Only families the registry marks snapshot or history come back from memory: a
    measure family's stored rows (or any unknown one) are not added to this week's."""
    stored = pd.DataFrame({"account_key": ["acme.com", "beta.com"],
                           FAMILY: ["contacts", "crm"], WEEK: ["2026-W47", "2026-W47"],
                           "email": ["a@acme.com", ""]})
    found = recall(Memory.of(stored), {}, "2026-W48", MemorySettings(), Decisions())
    assert found.family_rows["contacts"].empty
    assert found.family_rows["crm"]["account_key"].tolist() == ["beta.com"]


def test_the_tier_summary_counts_every_merged_family() -> None:
    """With has_* flags, and for a frame without them (each family's score or id
    column): a family without a score component needs its column in
    tier.UNSCORED_FAMILY_COLUMNS."""
    flagged = pd.DataFrame({FAMILY_REGISTRY[name].flag: [True, False] for name in FAMILIES})
    assert coverage_table(flagged)["family"].tolist() == list(FAMILIES)
    assert coverage_table(flagged)["accounts"].tolist() == [1] * len(FAMILIES)
    assert coverage_table(pd.DataFrame({"account_id": ["ACC-1"]}))["accounts"].sum() == 0
