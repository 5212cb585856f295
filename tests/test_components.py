"""The score-component registry (stages/components.py): the blend, "no data", explain's
lines and the documented defaults all come from it, so a component added there is
scored, blended and explained with no other edit."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from abmcli.config import config_from_tables
from abmcli.errors import ConfigError
from abmcli.init import STARTER_CONFIG
from abmcli.sections import ScoringSettings
from abmcli.stages import score as score_module
from abmcli.stages.components import (
    COMPONENTS,
    ScoreComponent,
    Scoring,
    activity_percentile,
    hub_has_family,
)
from abmcli.stages.explain import explain_account
from abmcli.stages.score import score_hub, score_model

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
AS_OF = dt.date(2026, 11, 23)
CONFIG = config_from_tables({"icp": {"industries": ["Software"],
                                     "employees": {"min": 200}}}, as_of=AS_OF)


def _hub() -> pd.DataFrame:
    return pd.DataFrame({
        "account_id": ["ACC-0000000001", "ACC-0000000002", "ACC-0000000003"],
        "account_name": ["Snowflake Inc.", "HubSpot, Inc.", "Acme Corp"],
        "domain": ["snowflake.com", "hubspot.com", "acme.com"],
        "industry": ["Computer Software", "Software", "Manufacturing"],
        "employees": [6800, 7400, 350],
        "intent_max_score": [86.0, None, None],
        "intent_surging_topics": [3, None, None],
        "intent_latest_date": [dt.date(2026, 11, 16), None, None],
        "engagement_total": [420.0, 35.0, None],
        "engagement_last_date": [dt.date(2026, 11, 20), dt.date(2026, 11, 1), None],
        "web_visits": [12.0, None, 3.0],
    })


@pytest.mark.parametrize("text", [README, STARTER_CONFIG], ids=["README", "abm init"])
def test_the_documented_weights_are_the_components_defaults(text: str) -> None:
    block = re.search(r"\[scoring\.weights\][^\n]*\n((?:\w+ = \d+\n)+)", text)
    assert block is not None
    assert tomllib.loads(block.group(1)) == ScoringSettings().weights


def test_the_default_weights_are_one_per_component_in_order() -> None:
    assert list(ScoringSettings().weights) == list(COMPONENTS)


def test_the_docs_name_every_component_and_its_default_weight() -> None:
    abm_score = next(line for line in README.splitlines() if "`abm score HUB.xlsx`" in line)
    assert all(f"`{c.column}`" in abm_score for c in COMPONENTS.values())
    defaults = ", ".join(f"{name} {weight:g}" for name, weight in
                         ScoringSettings().weights.items())
    assert defaults in " ".join((score_module.__doc__ or "").split())
    assert all(f"**{c.column}**" in (score_module.__doc__ or "") for c in COMPONENTS.values())


def test_scoring_weights_know_only_the_components() -> None:
    config = config_from_tables({"scoring": {"weights": {"fit": 40, "webinar": 10}}})
    with pytest.raises(ConfigError, match=re.escape(
            f"unknown family webinar (known: {', '.join(COMPONENTS)})")):
        score_model(config)


def test_explain_has_one_line_per_component_in_order() -> None:
    found = explain_account(_hub(), "snowflake.com", CONFIG)
    assert [f.family for f in found.families] == list(COMPONENTS)
    assert sum(f.weight for f in found.families) == pytest.approx(1.0, abs=0.01)
    engagement = next(f for f in found.families if f.family == "engagement")
    # the percentile explain shows is the one the score used: the most active scores 100
    assert engagement.inputs["activity percentile"] == "100"
    assert activity_percentile(pd.Series([420.0, 35.0, None, 0.0])).tolist()[:2] == [100, 50]


def test_a_family_without_data_is_left_out_everywhere() -> None:
    hub = _hub()
    assert not hub_has_family(hub, "relationship")
    assert hub_has_family(hub, "intent") and hub_has_family(hub, "engagement")
    assert not hub_has_family(hub.assign(has_intent=False), "intent")  # the flag wins
    found = explain_account(hub, "snowflake.com", CONFIG)
    relationship = next(f for f in found.families if f.family == "relationship")
    assert (relationship.status, relationship.weight) == ("no data", 0)


def _web_score(scoring: Scoring) -> pd.Series:
    visits = pd.to_numeric(scoring.hub["web_visits"], errors="coerce")
    return (visits * 5).clip(upper=100)


def _web_evidence(scored: pd.DataFrame, position: int, model: object,
                  as_of: dt.date) -> dict[str, object]:
    return {"web_visits": str(scored["web_visits"].iloc[position])}


def test_a_new_component_is_one_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fifth component registered is computed, blended with the weight the config gives
    it and explained, with no edit to score.py or explain.py."""
    web = ScoreComponent("web", "web_score", _web_score, _web_evidence,
                         data_columns=("web_visits",))
    monkeypatch.setitem(COMPONENTS, "web", web)
    weights = {**ScoringSettings().weights, "web": 20}
    config = config_from_tables({"icp": {"industries": ["Software"], "employees": {"min": 200}},
                                 "scoring": {"weights": weights}}, as_of=AS_OF)
    scored = score_hub(_hub(), config).hub
    assert scored["web_score"].iloc[[0, 2]].tolist() == [60.0, 15.0]
    assert pd.isna(scored["web_score"].iloc[1])
    without = _without_web(monkeypatch)
    assert (scored["account_score"] != without["account_score"]).any()
    found = explain_account(_hub(), "snowflake.com", config)
    line = next(f for f in found.families if f.family == "web")
    assert line.score == 60.0 and line.inputs == {"web_visits": "12.0"}
    # fit 40, intent 30, engagement 20 and web 20; relationship has no data: left out
    assert line.weight == pytest.approx(20 / 110, abs=0.001)


def _without_web(monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    with monkeypatch.context() as inner:
        inner.delitem(COMPONENTS, "web")
        return score_hub(_hub(), CONFIG).hub
