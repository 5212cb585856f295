"""The score components: one record per family score the account score blends (fit,
intent, relationship, engagement), with how it is computed and the evidence `abm
explain` shows for it.

`score.py` computes every component's column and blends them by `[scoring.weights]`
(whose keys are the components' families, defaults in `sections.ScoringSettings`); a
component the hub has no data for is left
out of the blend, and a `profile` component (fit) is left out for the accounts whose
score is unknown. `explain.py` shows each component's score, blend share and evidence.
`tier.py` asks `hub_has_family` whether a signal family has data at all.

Adding a component is one `ScoreComponent` in COMPONENTS, its default weight in
`sections.ScoringSettings` and its column in `schema.py`, plus its tests
(tests/test_components.py checks that the weights and the docs name every component).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from abmcli.limits import number_text
from abmcli.sections import ScoringSettings, TierSettings
from abmcli.stages.method import (
    ENGAGEMENT_DATES,
    EngagementFacts,
    engagement_facts,
    intent_facts,
)
from abmcli.stages.typed import dates, days_since, flags, numbers

if TYPE_CHECKING:
    from abmcli.stages.score import ScoreModel

INTENT_STRENGTH_SHARE = 0.6  # the rest of the intent score is breadth


@dataclass
class Scoring:
    """What the components read when a hub is scored: computed once, shared."""

    hub: pd.DataFrame
    as_of: dt.date
    model: ScoreModel
    fit_scores: pd.Series  # from the ICP rules (score.fit_outcome)
    fit_reasons: pd.Series
    engagement: EngagementFacts  # in the engagement window; the stars read them too


Evidence = Callable[[pd.DataFrame, int, "ScoreModel", dt.date], dict[str, object]]


@dataclass(frozen=True)
class ScoreComponent:
    """One family score: its column, how it is computed, blended and explained."""

    family: str  # the [scoring.weights] key and explain's name for it
    column: str  # the hub column it writes
    score: Callable[[Scoring], pd.Series]  # 0-100 per account; NaN: no data or no signal
    evidence: Evidence  # what explain shows beside the score: (scored hub, row, model, date)
    # A profile says what a company is rather than what it did: an account without its
    # data is unknown, not low, and is left out of its own blend. A signal family's
    # missing score is no signal and adds 0 (the vendor looked and saw nothing).
    profile: bool = False
    # Hub columns whose values (or, for `data_flags`, true flags) show the family has
    # data, for hubs without its has_<family> flag.
    data_columns: tuple[str, ...] = ()
    data_flags: tuple[str, ...] = ()
    # Further columns it adds beside its score (fit: fit_reasons), in order.
    adds: Callable[[Scoring], dict[str, pd.Series]] = field(default=lambda scoring: {})

    def has_data(self, hub: pd.DataFrame) -> bool:
        """True when any account of `hub` has data of this family: its has_* flag where
        the hub carries one, else its columns."""
        flag = f"has_{self.family}"
        if flag in hub.columns:
            return bool(flags(hub, flag).any())
        return (any(hub[column].notna().any() for column in self.data_columns
                    if column in hub.columns)
                or any(bool(flags(hub, column).any()) for column in self.data_flags))


# --- showing the hub's cells -------------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell as text for the terminal: "" for missing, 6800 not 6800.0, dates as ISO."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        value = float(value)
        return "" if np.isnan(value) else number_text(value)
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _cells(scored: pd.DataFrame, position: int, columns: tuple[str, ...]) -> dict[str, object]:
    return {column: cell_text(scored[column].iloc[position]) for column in columns
            if column in scored.columns}


# --- ageing -----------------------------------------------------------------------------


def freshness(days: pd.Series, decay_days: int) -> pd.Series:
    """1 for a signal dated on the run date, 0.5 at `decay_days`, 0 at twice that.

    Undated signals (NaN days) are taken as fresh: the vendor gave no date to age them by.
    """
    return (1 - days / (2 * decay_days)).clip(0, 1).fillna(1.0)


def window_freshness(days: pd.Series, window: int) -> pd.Series:
    """1 on the run date, 0.5 on the last day of the window, 0 after it; undated is fresh."""
    if window <= 0:
        return pd.Series(np.where(days.isna() | (days <= 0), 1.0, 0.0), index=days.index)
    return (1 - days / (2 * window)).where(days.isna() | (days <= window), 0.0).fillna(1.0)


# --- fit ---------------------------------------------------------------------------------


def _fit_evidence(scored: pd.DataFrame, position: int, model: ScoreModel,
                  as_of: dt.date) -> dict[str, object]:
    return {"fit_reasons": cell_text(scored["fit_reasons"].iloc[position])}


# --- intent ------------------------------------------------------------------------------


def _intent_age(hub: pd.DataFrame, as_of: dt.date, relevant_topics: list[str]) -> pd.Series:
    """Days since the latest counted surge, else since the latest report."""
    facts = intent_facts(hub, as_of, relevant_topics)
    return facts.surge_days.fillna(days_since(dates(hub, "intent_latest_date"), as_of))


def intent_scores(hub: pd.DataFrame, as_of: dt.date, scoring: ScoringSettings,
                  relevant_topics: list[str] | None = None) -> pd.Series:
    """Surge strength and breadth, aged by the latest surge (else the latest report), on
    the topics that count; NaN without intent."""
    facts = intent_facts(hub, as_of, list(relevant_topics or []))
    strength = facts.strength.clip(0, 100)
    topics = facts.count.astype("float64").clip(lower=0)
    breadth = 100 * topics.clip(upper=scoring.breadth_topics) / scoring.breadth_topics
    raw = INTENT_STRENGTH_SHARE * strength + (1 - INTENT_STRENGTH_SHARE) * breadth
    age = facts.surge_days.fillna(days_since(dates(hub, "intent_latest_date"), as_of))
    return (raw * freshness(age, scoring.intent_decay_days)).round(1)


def _intent_evidence(scored: pd.DataFrame, position: int, model: ScoreModel,
                     as_of: dt.date) -> dict[str, object]:
    found = _cells(scored, position, ("intent_max_score", "intent_surging_topics",
                                      "intent_topics", "intent_latest_date",
                                      "intent_last_surge_date", "intent_relevant_topics",
                                      "intent_relevant_surge_date"))
    if model.relevant_topics:
        found["topics that count"] = ", ".join(model.relevant_topics)
    age = _intent_age(scored.iloc[[position]], as_of, model.relevant_topics)
    found["surge age (days)"] = cell_text(age.iloc[0])
    found["freshness"] = round(float(freshness(age, model.scoring.intent_decay_days).iloc[0]), 2)
    return found


# --- relationship ------------------------------------------------------------------------


def relationship_scores(hub: pd.DataFrame) -> pd.Series:
    """The hub's relationship score (Weak 25 ... Very Strong 100), NaN without one."""
    return numbers(hub, "relationship_score").clip(0, 100)


def _relationship_evidence(scored: pd.DataFrame, position: int, model: ScoreModel,
                           as_of: dt.date) -> dict[str, object]:
    return _cells(scored, position, ("relationship_score", "relationship_contacts",
                                     "relationship_last_interaction"))


# --- engagement --------------------------------------------------------------------------


def activity_percentile(total: pd.Series) -> pd.Series:
    """Percentile rank (0-100] of `engagement_total` among the accounts with any
    engagement (the most active scores 100); NaN for the others. The score and explain
    both read this one."""
    return total.where(total > 0).rank(pct=True, method="max") * 100


def engagement_scores(hub: pd.DataFrame, as_of: dt.date, scoring: ScoringSettings,
                      window: int = TierSettings.recent_engagement_days) -> pd.Series:
    """Activity percentile within the TAM plus spike and meeting bonuses, aged by the
    latest engagement of any kind inside the engagement window `window`."""
    return scored_engagement(hub, engagement_facts(hub, as_of, window), scoring)


def scored_engagement(hub: pd.DataFrame, facts: EngagementFacts,
                      scoring: ScoringSettings) -> pd.Series:
    """The engagement score from facts already computed (the stars read them too)."""
    total = numbers(hub, "engagement_total")
    activity = activity_percentile(total).fillna(0)
    boosted = (activity + scoring.spike_bonus * facts.spike
               + scoring.meeting_bonus * facts.personal).clip(upper=100)
    scores = boosted * window_freshness(facts.freshest_days(), facts.window)
    has_data = total.notna() | flags(hub, "engagement_spike") | facts.days.notna()
    return scores.where(has_data).round(1)


def _engagement_evidence(scored: pd.DataFrame, position: int, model: ScoreModel,
                         as_of: dt.date) -> dict[str, object]:
    found = _cells(scored, position, ("engagement_total", "engagement_spike",
                                      "engagement_spike_pct", "engagement_last_date"))
    found["activity percentile"] = cell_text(
        round(float(activity_percentile(numbers(scored, "engagement_total")).iloc[position]),
              1))
    window = model.tiers.recent_engagement_days
    facts = engagement_facts(scored.iloc[[position]], as_of, window)
    found["engagement_spike_date"] = cell_text(scored["engagement_spike_date"].iloc[position]
                                               if "engagement_spike_date" in scored else None)
    for column in ENGAGEMENT_DATES:
        if column in scored.columns and column != "engagement_last_date":
            found[column] = cell_text(scored[column].iloc[position])
    found["latest engagement"] = (f"{facts.kind.iloc[0]}, {cell_text(facts.days.iloc[0])} "
                                  "days ago" if facts.kind.iloc[0] else "")
    found["window (days)"] = window
    found["freshness"] = round(float(window_freshness(facts.freshest_days(), window).iloc[0]),
                               2)
    return found


# --- the registry ------------------------------------------------------------------------

COMPONENTS: dict[str, ScoreComponent] = {component.family: component for component in (
    ScoreComponent(
        "fit", "fit_score", lambda s: s.fit_scores, _fit_evidence, profile=True,
        adds=lambda s: {"fit_reasons": s.fit_reasons}),
    ScoreComponent(
        "intent", "intent_score",
        lambda s: intent_scores(s.hub, s.as_of, s.model.scoring, s.model.relevant_topics),
        _intent_evidence,
        data_columns=("intent_max_score", "intent_latest_date", "intent_last_surge_date")),
    ScoreComponent(
        "relationship", "relationship_score", lambda s: relationship_scores(s.hub),
        _relationship_evidence,
        data_columns=("relationship_score", "relationship_contacts",
                      "relationship_last_interaction")),
    ScoreComponent(
        "engagement", "engagement_score",
        lambda s: scored_engagement(s.hub, s.engagement, s.model.scoring),
        _engagement_evidence,
        data_columns=("engagement_total", "engagement_last_date", "engagement_spike_pct"),
        data_flags=("engagement_spike",)),
)}


def hub_has_family(hub: pd.DataFrame, family: str) -> bool:
    """True when any account of `hub` has data of the scored `family`."""
    return COMPONENTS[family].has_data(hub)
