"""Random abm.toml files, structured and unstructured: every one loads or gives one
ConfigError (exit 2), never another exception, within a time budget each."""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
import time
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.errors import ConfigError
from abmcli.run import load_run_config

FOLDER = Path(tempfile.mkdtemp(prefix="abm-toml-"))
BUDGET_SECONDS = 2.0
SECTIONS = {
    "match": ["fuzzy_threshold", "candidate_threshold", "precedence"],
    "intent": ["surge_threshold", "topics"],
    "engagement": ["window_weeks", "baseline_weeks", "spike_ratio", "spike_min_activity"],
    "icp": ["industries", "countries", "employees", "revenue", "technologies", "weights",
            "rules"],
    "scoring": ["weights", "intent_decay_days", "engagement_decay_days", "breadth_topics"],
    "tiers": ["min_fit", "tier1_min_fit", "recent_intent_days", "recent_engagement_days",
              "strategic", "max_tier1", "max_tier2", "max_tier3"],
    "acv": ["large", "medium"],
    "inputs": ["fit", "intent", "crm", "nope"],
    "output": ["folder", "decisions"],
    "changes": ["score_threshold"],
    "segments.a": ["where", "format", "columns", "group_by", "alert"],
    "segments.b": ["where", "format"],
}
FILTERS = ['tier == "Tier 1"', "engagement_spike and not crm_owner is empty",
           "engagement_last_date within 99999999 days", "(((x", "a " * 50, "\\\\",
           "fit_score >= 1e400", "domain in [1, \"a\"]", "not " * 300 + "engagement_spike"]


def toml_value(value: Any) -> str:
    """A Python value written as TOML (strings as JSON, which TOML reads alike)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") \
            if math.isinf(value) else repr(value)
    if isinstance(value, int | dt.date):
        return str(value) if isinstance(value, int) else value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


scalars = st.one_of(
    st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=True), st.booleans(),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), st.sampled_from(FILTERS),
    st.text(max_size=12), st.sampled_from(["csv", "xlsx", "linkedin", "fit", "crm", "Tier 1"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["min", "max", "any", "column", "op", "value", "weight", "a"]), inner, max_size=3)),
    max_leaves=12)


@st.composite
def configs(draw: st.DrawFn) -> str:
    lines = []
    if draw(st.booleans()):
        lines.append(f"as_of = {toml_value(draw(st.one_of(scalars, values)))}")
    for section in draw(st.lists(st.sampled_from(sorted(SECTIONS)), unique=True, max_size=5)):
        lines.append(f"[{section}]")
        for key in draw(st.lists(st.sampled_from(SECTIONS[section]), unique=True,
                                 max_size=4)):
            lines.append(f"{key} = {toml_value(draw(values))}")
    return "\n".join(lines) + "\n"


def load(text: str) -> None:
    path = FOLDER / "abm.toml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    try:
        load_run_config(path)
    except ConfigError as error:
        assert str(error).startswith(str(path))
    assert time.perf_counter() - started < BUDGET_SECONDS


@settings(max_examples=100, deadline=None)
@given(configs())
def test_random_structured_configs_load_or_give_a_config_error(text):
    load(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*"[]{}=,.\"'\n #abc_1-:TZ", "as_of", "tiers", "inputs",
                                  "2026-11-25", "9999-12-31"]), max_size=40))
def test_random_toml_text_loads_or_gives_a_config_error(pieces):
    load("".join(pieces))


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 3000), st.sampled_from(["[", "{a = ", "[{a = "]))
def test_random_nesting_depths_load_or_give_a_config_error(depth, opening):
    closing = "".join({"[": "]", "{a = ": "}", "[{a = ": "}]"}[opening] for _ in range(depth))
    load(f"[icp]\nemployees = {opening * depth}1{closing}\n")
