"""Scores: how well each account fits the ICP and how strong its signals are.

Every score is 0-100 and can be explained from the hub columns it reads. The family
scores are the components of `components.py` (one record each); this module scores the
ICP rules, blends the components and rates the stars:

- **fit_score**: the weighted share of ICP rules the account meets. The rules come
  from `[icp]` (industries, countries, employees, revenue, technologies, funding, and
  `[[icp.rules]]` comparing any hub column to a value); `[icp.weights]` weights them
  and the weights are normalised to 100. A rule whose data is missing for an account
  counts as not met and shows as "industry ?" in `fit_reasons`, next to "employees ✓"
  (met) and "country ✗" (missed). An account with no data for any rule has an
  *unknown* fit: its fit_score stays empty (it needs firmographics), it is not 0.
- **intent_score**: `(0.6 x strength + 0.4 x breadth) x freshness`, where strength is
  `intent_max_score`, breadth is `intent_surging_topics` out of `breadth_topics` (5),
  and freshness falls linearly from 1 for a surge dated on the run date to 0.5 when it
  is `intent_decay_days` (21, Bombora's three-week window) old and 0 at twice that; it
  is aged by the latest surge (`intent_last_surge_date`), else the latest report. When
  `[intent] topics` names the topics that count, strength and breadth read only those.
- **relationship_score**: the hub's own 0-100 relationship score.
- **engagement_score**: `min(100, activity + spike bonus + meeting bonus) x freshness`,
  where activity is the percentile rank of `engagement_total` among the accounts with
  any engagement (the most active account scores 100), the bonus is `spike_bonus` (20)
  for a spike inside the engagement window, `meeting_bonus` (30) for a meeting or a
  reply inside it, and freshness falls from 1 on the run date to 0.5 at the window's
  end (`[tiers] recent_engagement_days`, 30) and is 0 beyond it: the score's window is
  the tiers' window.
- **account_score**: the weighted mean `[scoring.weights]` (one weight per component,
  by default fit 40, intent 30, relationship 10, engagement 20) over the families with
  data. A family the hub has no data for at all (no relationship export this week) has
  an empty score everywhere and is left out: the other weights are scaled up to 100%.
  Within a signal family the hub has, an account the vendor did not report scores empty
  ("no signal") and adds 0, as the vendor saw nothing. An account whose fit is unknown
  is blended over its signal families only. An account with no family at all has an
  empty account score.
- **stars** 1-5 from fit x engagement, as the method ranks accounts: the grid
  `star_grid` (rows: fit at least `[tiers] tier1_min_fit`, at least `min_fit`, below;
  columns: no engagement in the window, engaged, highly engaged: a spike, a meeting or
  reply, or an engagement score of `high_engagement_score` (50) or more); empty when the
  fit is unknown.
"""

from __future__ import annotations

import datetime as dt
import difflib
import operator
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from abmcli import schema
from abmcli.config import Config, Problem, did_you_mean, raise_problems
from abmcli.errors import ConfigError
from abmcli.keys.countries import canonical_country, countries_in
from abmcli.keys.fold import folded_words
from abmcli.keys.values import texts
from abmcli.limits import number_text
from abmcli.sections import (
    DEFAULT_ICP_WEIGHTS,
    DEFAULT_STAR_GRID,
    IcpRule,
    IcpSettings,
    ScoringSettings,
    TierSettings,
)
from abmcli.stages.components import COMPONENTS, Scoring
from abmcli.stages.method import (
    EngagementFacts,
    engagement_facts,
)
from abmcli.stages.typed import dates, flags, numbers

SCORE_COLUMNS = schema.names("scores")  # the columns add_scores adds to a hub
MET, MISSED, UNKNOWN = 1, 0, -1
SYMBOLS = {MET: "✓", MISSED: "✗", UNKNOWN: "?"}
# Stars by fit (rows) and engagement (columns: none, engaged, highly engaged).
STAR_FIT_ROWS = tuple(DEFAULT_STAR_GRID)
ENGAGEMENT_LEVELS = ("no engagement", "engaged", "highly engaged")





# --- ICP rules ---------------------------------------------------------------------------


def _words(text: str) -> str:
    """Lower-case words without accents, separated by single spaces, `&` read as `and`,
    padded with spaces so that `" software " in _words(x)` matches whole words. Letters
    of any script stay: an industry written in Japanese or Russian must still meet an ICP
    rule written the same way."""
    return f" {folded_words(text)} "


def _per_distinct(values: pd.Series, decide: Any) -> pd.Series:
    """Apply `decide(text) -> int` once per distinct text; "" is UNKNOWN."""
    distinct = values.unique()
    outcome = {v: (decide(v) if v else UNKNOWN) for v in distinct}
    return values.map(outcome).astype("int8")


@dataclass
class FitRule(ABC):
    """One weighted ICP rule over some hub columns."""

    label: str
    weight: float
    columns: tuple[str, ...]

    @abstractmethod
    def evaluate(self, hub: pd.DataFrame) -> np.ndarray:
        """MET, MISSED or UNKNOWN (no data) for every account, as an int8 array."""

    @abstractmethod
    def requirement(self) -> str:
        """What the rule asks for, in words: "employees 200 to 10,000"."""


@dataclass
class IndustryRule(FitRule):
    """Met when an ICP industry appears, as whole words and ignoring case, in the
    account's industry or sub-industry: "Software" matches "Computer Software" and
    "Financial Services" matches "Banking & Financial Services", but "Services" in the
    account does not match an ICP entry "Financial Services"."""

    industries: list[str] = field(default_factory=list)

    def evaluate(self, hub: pd.DataFrame) -> np.ndarray:
        terms = [_words(term) for term in self.industries]

        def decide(value: str) -> int:
            padded = _words(value)
            return MET if any(term in padded for term in terms) else MISSED

        status = [_per_distinct(texts(hub, column), decide) for column in self.columns]
        return np.maximum.reduce([s.to_numpy() for s in status])

    def requirement(self) -> str:
        return "industry in " + ", ".join(self.industries)


@dataclass
class CountryRule(FitRule):
    """Met when the account's country is one of the ICP countries or regions, reading
    aliases alike ("US", "USA", "United States of America"; "UK", "Great Britain")."""

    countries: list[str] = field(default_factory=list)

    def evaluate(self, hub: pd.DataFrame) -> np.ndarray:
        wanted = set().union(*(countries_in(entry) for entry in self.countries))
        return _per_distinct(
            texts(hub, self.columns[0]),
            lambda value: MET if canonical_country(value) in wanted else MISSED,
        ).to_numpy()

    def requirement(self) -> str:
        return "country in " + ", ".join(self.countries)


@dataclass
class RangeRule(FitRule):
    """Met when a number column lies within [minimum, maximum] (either end optional)."""

    minimum: float | None = None
    maximum: float | None = None

    def evaluate(self, hub: pd.DataFrame) -> np.ndarray:
        values = numbers(hub, self.columns[0])
        met = pd.Series(True, index=hub.index)
        if self.minimum is not None:
            met &= values >= self.minimum
        if self.maximum is not None:
            met &= values <= self.maximum
        return np.where(values.isna(), UNKNOWN, np.where(met, MET, MISSED)).astype("int8")

    def requirement(self) -> str:
        low = number_text(self.minimum) if self.minimum is not None else None
        high = number_text(self.maximum) if self.maximum is not None else None
        if low and high:
            return f"{self.label} {low} to {high}"
        return f"{self.label} >= {low}" if low else f"{self.label} <= {high}"


@dataclass
class TechnologyRule(FitRule):
    """Met when the account runs any of `any_of` and all of `all_of`; a technology
    matches an installed one that contains it as whole words ("Salesforce" matches
    "Salesforce Sales Cloud")."""

    any_of: list[str] = field(default_factory=list)
    all_of: list[str] = field(default_factory=list)

    def evaluate(self, hub: pd.DataFrame) -> np.ndarray:
        wanted_any = [_words(t) for t in self.any_of]
        wanted_all = [_words(t) for t in self.all_of]

        def decide(value: str) -> int:
            installed = [_words(t) for t in re.split(r"[;,|]", value) if t.strip()]
            has = [any(w in t for t in installed) for w in wanted_any]
            ok_any = not wanted_any or any(has)
            ok_all = all(any(w in t for t in installed) for w in wanted_all)
            return MET if ok_any and ok_all else MISSED

        return _per_distinct(texts(hub, self.columns[0]), decide).to_numpy()

    def requirement(self) -> str:
        parts = []
        if self.any_of:
            parts.append("any of " + ", ".join(self.any_of))
        if self.all_of:
            parts.append("all of " + ", ".join(self.all_of))
        return "technologies: " + " and ".join(parts)


RULE_OPS = ("==", "!=", "<", "<=", ">", ">=", "in", "contains")


@dataclass
class ColumnRule(FitRule):
    """`[[icp.rules]]`: a hub column compared to a value. Numbers compare as numbers,
    dates as dates, text ignoring case; a missing cell is UNKNOWN."""

    op: str = "=="
    value: Any = None

    def evaluate(self, hub: pd.DataFrame) -> np.ndarray:
        name = self.columns[0]
        if isinstance(self.value, bool):
            column: pd.Series = flags(hub, name)
            known = hub[name].notna() if name in hub.columns else column & False
            met = _OPERATORS[self.op](column, self.value)
        elif isinstance(self.value, int | float):
            column = numbers(hub, name)
            met, known = _OPERATORS[self.op](column, float(self.value)), column.notna()
        elif isinstance(self.value, dt.date):
            column = dates(hub, name)
            met, known = _OPERATORS[self.op](column, pd.Timestamp(self.value)), column.notna()
        else:
            met, known = self._text_outcome(texts(hub, name))
        return np.where(known, np.where(met, MET, MISSED), UNKNOWN).astype("int8")

    def _text_outcome(self, column: pd.Series) -> tuple[pd.Series, pd.Series]:
        lowered = column.str.lower()
        if self.op == "in":
            met = lowered.isin([str(v).strip().lower() for v in self.value])
        elif self.op == "contains":
            met = lowered.str.contains(str(self.value).lower(), regex=False)
        else:
            met = _OPERATORS[self.op](lowered, str(self.value).strip().lower())
        return met, column != ""

    def requirement(self) -> str:
        return f"{self.columns[0]} {self.op} {self.value!r}"


_OPERATORS = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
}


# --- building the model from the config -----------------------------------------------


@dataclass
class ScoreModel:
    """The parsed `[icp]` and `[scoring]` sections: the rules and the blend weights."""

    rules: list[FitRule]
    scoring: ScoringSettings
    # [tiers] thresholds the stars and the engagement window share with tiering
    tiers: TierSettings = field(default_factory=TierSettings)
    relevant_topics: list[str] = field(default_factory=list)  # [] : every topic counts


def score_model(config: Config) -> ScoreModel:
    """The ICP rules and blend of `[icp]` and `[scoring]`, checked: every problem is
    raised at once as `config.Problem` records."""
    problems: list[Problem] = []
    rules = _icp_rules(config.icp, problems)
    _check_scoring(config.scoring, problems)
    if not rules:
        problems.append(Problem(("icp",), "[icp] switches every rule off; set industries, "
                                "countries, employees, revenue, technologies, funding or "
                                "[[icp.rules]]"))
    elif sum(rule.weight for rule in rules) <= 0:
        problems.append(Problem(("icp", "weights"), "[icp] every rule has weight 0; give at "
                                "least one a positive weight"))
    raise_problems(config, problems)
    # [tiers]: the thresholds stars and the engagement window share with tiering
    return ScoreModel(rules, config.scoring, config.tiers, config.intent.relevant_topics())


def _icp_rules(icp: IcpSettings, problems: list[Problem]) -> list[FitRule]:
    weights = _icp_weights(icp.weights, problems)
    rules: list[FitRule] = []
    if icp.industries:
        rules.append(IndustryRule("industry", weights["industry"],
                                  ("industry", "sub_industry"), list(icp.industries)))
    if icp.countries:
        rules.append(CountryRule("country", weights["country"], ("country",),
                                 list(icp.countries)))
    for name in ("employees", "revenue", "funding"):
        bounds = _bounds(getattr(icp, name), name, problems)
        if bounds is not None:
            rules.append(RangeRule(name, weights[name], (name,), *bounds))
    technology = _technology_rule(icp.technologies, weights["technologies"], problems)
    if technology is not None:
        rules.append(technology)
    rules.extend(_column_rules(icp.rules, problems))
    return rules


def _icp_weights(given: dict[str, float], problems: list[Problem]) -> dict[str, float]:
    for key, value in given.items():
        path = ("icp", "weights", key)
        if key not in DEFAULT_ICP_WEIGHTS:
            problems.append(Problem(path, f"[icp.weights] unknown rule '{key}' (known: "
                                    f"{', '.join(DEFAULT_ICP_WEIGHTS)}); weight custom rules "
                                    "with weight = in [[icp.rules]]"
                                    + did_you_mean(key, DEFAULT_ICP_WEIGHTS)))
        elif value < 0:
            problems.append(Problem(path, f"[icp.weights] {key} = {value} must not be "
                                    "negative"))
    return {key: float(given.get(key, default)) for key, default in DEFAULT_ICP_WEIGHTS.items()}


def _bounds(table: dict[str, float], name: str,
            problems: list[Problem]) -> tuple[float | None, float | None] | None:
    if _unknown_keys(table, name, ("min", "max"), problems):
        return None
    if not table:
        return None
    low, high = table.get("min"), table.get("max")
    if low is not None and high is not None and low > high:
        problems.append(Problem(("icp", name), f"[icp] {name}: min {number_text(low)} is "
                                f"above max {number_text(high)}"))
    return (float(low) if low is not None else None, float(high) if high is not None else None)


def _unknown_keys(table: dict[str, Any], name: str, known: tuple[str, ...],
                  problems: list[Problem]) -> bool:
    """Whether `[icp] name` holds keys other than `known`, each reported on its line."""
    unknown = [key for key in table if key not in known]
    problems.extend(Problem(("icp", name, key), f"[icp] {name}.{key}: unknown key (known: "
                            f"{', '.join(known)})" + did_you_mean(key, known))
                    for key in unknown)
    return bool(unknown)


def _technology_rule(table: dict[str, list[str]], weight: float,
                     problems: list[Problem]) -> TechnologyRule | None:
    if _unknown_keys(table, "technologies", ("any", "all"), problems):
        return None
    if not table.get("any") and not table.get("all"):
        return None
    return TechnologyRule("technologies", weight, ("technologies",),
                          list(table.get("any", [])), list(table.get("all", [])))


def _column_rules(tables: list[IcpRule], problems: list[Problem]) -> list[FitRule]:
    rules: list[FitRule] = []
    for number, rule in enumerate(tables, start=1):
        where, path = f"[icp.rules #{number}]", ("icp", "rules", number)
        column, op, value = rule.column, rule.op, rule.value
        if not column or value is None:
            problems.append(Problem(path, f"{where} needs column = \"hub column\" and "
                                    "value = ..."))
        elif op not in RULE_OPS:
            problems.append(Problem((*path, "op"), f"{where} op {op!r} is not one of "
                                    f"{' '.join(RULE_OPS)}"))
        elif not _rule_value_ok(op, value) or rule.weight < 0:
            problems.append(Problem((*path, "value"), f"{where} {op} needs "
                                    f"{_value_hint(op)} and a weight >= 0"))
        else:
            label = rule.label or f"{column} {op} {value}"
            rules.append(ColumnRule(label, rule.weight, (column,), op, value))
    return rules


def _rule_value_ok(op: str, value: Any) -> bool:
    if op == "in":
        return isinstance(value, list) and bool(value)
    if op == "contains":
        return isinstance(value, str)
    if op in ("<", "<=", ">", ">="):
        return isinstance(value, int | float | dt.date) and not isinstance(value, bool)
    return isinstance(value, str | int | float | bool | dt.date)


def _value_hint(op: str) -> str:
    return {"in": "a list of values", "contains": "a text value"}.get(
        op, "a number or date" if op in ("<", "<=", ">", ">=") else "a value")


def _check_scoring(scoring: ScoringSettings, problems: list[Problem]) -> None:
    unknown = sorted(set(scoring.weights) - set(COMPONENTS))
    if unknown:
        problems.append(Problem(("scoring", "weights", unknown[0]), "[scoring.weights] "
                                f"unknown family {', '.join(unknown)} (known: "
                                f"{', '.join(COMPONENTS)})"
                                + did_you_mean(unknown[0], COMPONENTS)))
    negative = [(name, weight) for name, weight in scoring.weights.items() if weight < 0]
    problems.extend(Problem(("scoring", "weights", name), f"[scoring.weights] {name} = "
                            f"{weight:g} must be 0 or more") for name, weight in negative)
    if not negative and sum(scoring.weights.values()) <= 0:
        problems.append(Problem(("scoring", "weights"), "[scoring.weights] needs at least "
                                "one weight above 0"))
    for name in ("intent_decay_days", "breadth_topics"):
        if getattr(scoring, name) < 1:
            problems.append(Problem(("scoring", name), f"[scoring] {name} must be at least 1"))
    if scoring.engagement_decay_days is not None:
        problems.append(Problem(("scoring", "engagement_decay_days"), "[scoring] "
                                "engagement_decay_days is gone: the engagement score's "
                                "window is [tiers] recent_engagement_days; remove the line"))
    grid = scoring.star_grid
    if set(grid) != set(STAR_FIT_ROWS) or any(
            len(row) != 3 or not all(1 <= stars <= 5 for stars in row) for row in grid.values()):
        problems.append(Problem(("scoring", "star_grid"), "[scoring] star_grid needs "
                                "high_fit, medium_fit and low_fit, each three stars 1-5 "
                                "(no engagement, engaged, highly engaged)"))


def check_rule_columns(rules: list[FitRule], hub: pd.DataFrame, where: str) -> None:
    """A custom rule naming a column that is no hub column is a typo in the config."""
    # A hub built without some family lacks that family's columns; a rule on one of them
    # then finds no data ("?"), while a name the schema does not declare is a typo.
    known = set(map(str, hub.columns)) | set(schema.names("hub"))
    for rule in rules:
        name = rule.columns[0]
        declared = schema.find(name)
        if isinstance(rule, ColumnRule) and name not in known and (
                declared is None or declared.table != "hub"):
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"Did you mean '{close[0]}'?" if close else "Check the column name."
            raise ConfigError(f"{where}: [[icp.rules]] '{rule.label}' reads column "
                              f"'{name}', which is not a hub column. {hint}")


# --- scores ----------------------------------------------------------------------------


@dataclass
class FitOutcome:
    """Fit scores, the readable reasons, and the MET/MISSED/UNKNOWN matrix behind them."""

    scores: pd.Series
    reasons: pd.Series
    status: np.ndarray  # one row per account, one column per rule


def fit_outcome(hub: pd.DataFrame, rules: list[FitRule]) -> FitOutcome:
    """Weighted share of rules met, 0-100; unknown data counts as not met, and an
    account with no data for any rule has no fit score (unknown, not 0)."""
    status = np.column_stack([rule.evaluate(hub) for rule in rules]).astype("int8")
    weights = np.array([rule.weight for rule in rules], dtype="float64")
    scores = (status == MET).astype("float64") @ weights / weights.sum() * 100
    scores[(status == UNKNOWN).all(axis=1)] = np.nan
    reasons = _reason_texts(status, [rule.label for rule in rules])
    return FitOutcome(pd.Series(scores.round(1), index=hub.index),
                      pd.Series(reasons, index=hub.index, dtype=object), status)


def _reason_texts(status: np.ndarray, labels: list[str]) -> np.ndarray:
    """"industry ✓, employees ✓, country ✗", built once per distinct combination."""
    distinct, inverse = np.unique(status, axis=0, return_inverse=True)
    texts_ = np.array(
        [", ".join(f"{label} {SYMBOLS[int(s)]}" for label, s in zip(labels, row, strict=True))
         for row in distinct],
        dtype=object,
    )
    return texts_[inverse.ravel()]


def star_ratings(fit: pd.Series, engagement: EngagementFacts, engagement_score: pd.Series,
                 model: ScoreModel) -> pd.Series:
    """1-5 stars from the grid: fit band (row) x engagement level (column); none when the
    fit is unknown (the account needs firmographics before it can be ranked)."""
    grid = np.array([model.scoring.star_grid[row] for row in STAR_FIT_ROWS], dtype="int64")
    stars = pd.Series(grid[fit_bands(fit, model.tiers), engagement_levels(
        engagement, engagement_score, model.scoring)], index=fit.index, dtype="Int64")
    return stars.mask(fit.isna())


def fit_bands(fit: pd.Series, tiers: TierSettings) -> np.ndarray:
    """0 high fit (Tier 1's threshold), 1 in the program, 2 below (and unknown fit, whose
    stars `star_ratings` then leaves empty)."""
    values = fit.to_numpy(dtype="float64")
    return np.select([values >= tiers.tier1_min_fit, values >= tiers.min_fit], [0, 1],
                     default=2)


def engagement_levels(facts: EngagementFacts, score: pd.Series,
                      scoring: ScoringSettings) -> np.ndarray:
    """0 no engagement in the window, 1 engaged, 2 highly engaged (a spike, a meeting or
    a reply, or an engagement score of `high_engagement_score` or more)."""
    high = facts.spike | facts.personal | (score >= scoring.high_engagement_score)
    return np.select([facts.recent & high, facts.recent], [2, 1], default=0)


def blend_weights(families: dict[str, pd.Series],
                  weights: dict[str, float]) -> dict[str, pd.Series]:
    """Per family, the weight each account gives it in its blend (0: left out).

    A family with no score anywhere in the hub is left out for everyone; a profile
    family (fit) is left out for the accounts whose score is unknown; a signal family
    the hub has counts for every account (a missing score is no signal: 0).
    """
    given: dict[str, pd.Series] = {}
    for name, scores in families.items():
        weight = weights.get(name, 0.0) if scores.notna().any() else 0.0
        known = (scores.notna() if COMPONENTS[name].profile
                 else pd.Series(True, index=scores.index))
        given[name] = known.astype("float64") * weight
    return given


def blend(families: dict[str, pd.Series], weights: dict[str, float]) -> pd.Series:
    """Weighted mean of the family scores over the families with data (`blend_weights`);
    empty for an account without any."""
    given = blend_weights(families, weights)
    total = sum(given.values())
    parts = sum(scores.fillna(0) * given[name] for name, scores in families.items())
    return (parts / total.where(total > 0)).round(1)


def star_text(stars: int) -> str:
    """3 -> "★★★☆☆", as the workbook and the terminal show it."""
    count = min(max(int(stars), 0), 5)
    return "★" * count + "☆" * (5 - count)


@dataclass
class ScoreResult:
    """The hub with score columns added, and what produced them."""

    hub: pd.DataFrame
    as_of: dt.date
    model: ScoreModel

    def coverage(self) -> dict[str, int]:
        """Accounts with a signal per family (fit: data for at least one ICP rule)."""
        return {name: int(numbers(self.hub, component.column).notna().sum())
                for name, component in COMPONENTS.items()}

    def star_counts(self) -> dict[int, int]:
        counts = self.hub["stars"].value_counts()
        return {stars: int(counts.get(stars, 0)) for stars in range(5, 0, -1)}


def add_scores(hub: pd.DataFrame, model: ScoreModel, as_of: dt.date) -> pd.DataFrame:
    """A copy of `hub` with fit_score, fit_reasons, intent_score, relationship_score
    (the hub's, an empty column when the hub has none), engagement_score, account_score
    and stars."""
    scored = hub.copy()
    fit = fit_outcome(hub, model.rules)
    engagement = engagement_facts(hub, as_of, model.tiers.recent_engagement_days)
    scoring = Scoring(hub, as_of, model, fit.scores, fit.reasons, engagement)
    families = {}
    for name, component in COMPONENTS.items():
        # relationship_score is the hub's own column: rewritten in place (clipped), and
        # added empty to a hub without the family
        families[name] = scored[component.column] = component.score(scoring)
        for column, values in component.adds(scoring).items():
            scored[column] = values
    scored["account_score"] = blend(families, model.scoring.weights)
    scored["stars"] = star_ratings(fit.scores, engagement, families["engagement"], model)
    if "engagement_spike" in scored.columns:
        # A spike counts only inside the engagement window; an older one keeps its date
        # (engagement_spike_date) and size, so it is shown, not counted, downstream.
        scored["engagement_spike"] = engagement.spike
    return scored


def score_hub(hub: pd.DataFrame, config: Config, as_of: dt.date | None = None,
              where: str = "hub") -> ScoreResult:
    """Score every account of `hub` under the config's ICP and weights.

    `as_of` (default: the config's `as_of`, else today) is the run date signals are
    aged against; `where` names the hub in error messages.
    """
    model = score_model(config)
    check_rule_columns(model.rules, hub, where)
    run_date = as_of or config.run_date()
    return ScoreResult(add_scores(hub, model, run_date), run_date, model)
