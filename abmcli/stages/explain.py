"""Why an account has its score and tier: every ICP rule, every family score and its
inputs, the blend, and the tier rule that placed it.

`explain_account` finds one account by domain ("www.Snowflake.com/careers" finds
snowflake.com), account_id ("ACC-3f2a9c01bd") or name ("Snowflake, Inc." finds
"Snowflake Inc"), scores and tiers the whole hub (the engagement percentile and the
capacity caps depend on the other accounts) and returns an `Explanation`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from abmcli.config import Config
from abmcli.errors import AbmError
from abmcli.keys.domains import registered_domain
from abmcli.keys.names import name_key, name_keys
from abmcli.limits import number_text
from abmcli.outputs.readback import read_accounts
from abmcli.stages.method import ENGAGEMENT_DATES, account_types, engagement_facts, intent_facts
from abmcli.stages.score import (
    ENGAGEMENT_LEVELS,
    FAMILY_SCORES,
    STAR_FIT_ROWS,
    SYMBOLS,
    ScoreModel,
    blend_weights,
    engagement_levels,
    fit_bands,
    freshness,
    score_hub,
    window_freshness,
)
from abmcli.stages.tier import TIER_COLUMNS, tier_accounts
from abmcli.stages.typed import dates, days_since, numbers, texts

STATUS_WORDS = {1: "met", 0: "missed", -1: "no data"}
SUGGESTION_CUTOFF = 70.0


@dataclass
class RuleCheck:
    """One ICP rule for one account: what it asks, what the account has, the outcome."""

    label: str
    requirement: str
    value: str  # the account's data the rule read, "" when missing
    outcome: str  # met / missed / no data
    symbol: str  # ✓ ✗ ?
    points: float  # share of the fit score this rule is worth (weights normalised to 100)


@dataclass
class FamilyScore:
    """One family score, its weight in the blend, and the inputs it was computed from."""

    family: str
    score: float | None  # None: no signal (adds 0) or no data (left out of the blend)
    weight: float  # this account's share of the blend, 0-1 (0: left out)
    contribution: float  # points of the account score
    inputs: dict[str, object] = field(default_factory=dict)
    status: str = "scored"  # scored / no signal / no data


@dataclass
class Explanation:
    account_id: str
    account_name: str
    domain: str
    matched_by: str  # domain / account id / name
    as_of: dt.date
    rules: list[RuleCheck]
    fit_score: float | None  # None: unknown, no data for any ICP rule
    families: list[FamilyScore]
    account_score: float | None  # None: no family has data for the account
    stars: int
    tier: str
    tier_reason: str
    acv: dict[str, object]
    stars_reason: str = ""  # the star grid's cell: "high fit x engaged"
    account_type: str = ""  # customer / former customer / partner / prospect, from the CRM
    conflicts: list[str] = field(default_factory=list)  # values sources disagree on
    # Data `abm run` kept from earlier weeks because this week's export lacks it:
    # "fit from 2026-W47"; "" when none (or the hub is not a weekly run's).
    carried: str = ""


# --- finding the account ----------------------------------------------------------------


def find_account(hub: pd.DataFrame, query: str) -> tuple[int, str]:
    """The position of the account `query` names, and how it was found.

    Tries account_id, then the registered domain (also among other_domains), then the
    name key. Raises AbmError when nothing or more than one account matches.
    """
    text = query.strip()
    ids = texts(hub, "account_id").str.upper()
    found = np.flatnonzero(ids == text.upper())
    if found.size:
        return int(found[0]), "account id"
    domain = registered_domain(text).domain if " " not in text and "." in text else None
    if domain:
        found = np.flatnonzero(_domain_matches(hub, domain))
        if found.size:
            return int(found[0]), "domain"
    key = name_key(text)
    found = np.flatnonzero(name_keys(texts(hub, "account_name")) == key) if key else found[:0]
    if found.size == 1:
        return int(found[0]), "name"
    if found.size > 1:
        raise AbmError(f"'{query}' matches {found.size} accounts: {_listing(hub, found)}; "
                       "give the domain or the account_id instead")
    raise AbmError(f"no account matches '{query}'{_suggestion(hub, text)}")


def _domain_matches(hub: pd.DataFrame, domain: str) -> pd.Series:
    main = texts(hub, "domain").str.lower() == domain
    others = texts(hub, "other_domains").str.lower().str.split(r"\s*;\s*", regex=True)
    return main | others.map(lambda listed: domain in listed)


def _listing(hub: pd.DataFrame, positions: np.ndarray) -> str:
    rows = hub.iloc[positions[:5]]
    return "; ".join(
        f"{name} ({domain or 'no domain'}, {account})" for name, domain, account in zip(
            texts(rows, "account_name"), texts(rows, "domain"), texts(rows, "account_id"),
            strict=True))


def _suggestion(hub: pd.DataFrame, text: str) -> str:
    """"; did you mean 'Snowflake Inc.' (snowflake.com)?" for the closest name or domain."""
    names, domains = texts(hub, "account_name"), texts(hub, "domain")
    choices = pd.concat([names, domains]).reset_index(drop=True)
    # Plain ratio: WRatio scores a short domain inside a long query (bn.co in
    # nosuchcompany.com) as a close match.
    best = process.extractOne(text.lower(), choices.str.lower().tolist(), scorer=fuzz.ratio,
                              score_cutoff=SUGGESTION_CUTOFF)
    if best is None:
        return "; check the spelling, or give the domain (acme.com) or the account_id"
    position = best[2] % len(hub)
    return f"; did you mean '{names.iloc[position]}' ({domains.iloc[position] or 'no domain'})?"


# --- explaining -------------------------------------------------------------------------


def explain_account(hub: pd.DataFrame, query: str, config: Config,
                    as_of: dt.date | None = None) -> Explanation:
    """Find the account `query` names in a hub (or a tiered frame) and explain it.

    Scores are recomputed from the hub's data and the config; a frame that already
    holds tiers (read from a tier workbook) keeps them, since its caps may have come
    from command-line flags.
    """
    if hub.empty:
        raise AbmError("the hub has no accounts; run abm merge on your exports first")
    position, matched_by = find_account(hub, query)
    run_date = as_of or config.run_date()
    scored = score_hub(hub, config, run_date)
    placed = _placed(scored.hub, position, config, run_date)
    row = scored.hub.iloc[[position]]
    return Explanation(
        account_id=str(placed["account_id"]), account_name=_shown(placed.get("account_name")),
        domain=_shown(placed.get("domain")), matched_by=matched_by, as_of=run_date,
        rules=rule_checks(row, scored.model), fit_score=_number(placed["fit_score"]),
        families=family_scores(scored.hub, position, scored.model, run_date),
        account_score=_number(placed["account_score"]),
        stars=int(_number(placed["stars"]) or 0),
        tier=str(placed["tier"]), tier_reason=str(placed["tier_reason"]),
        acv={"value": _number(placed.get("acv_estimate")), "band": str(placed["acv_band"]),
             "source": _shown(placed.get("acv_source"))},
        stars_reason=stars_reason(scored.hub.iloc[[position]], scored.model, run_date),
        account_type=_type_text(row),
        conflicts=[part for part in _shown(placed.get("value_conflicts")).split("; ") if part],
        carried=_shown(placed.get("carried")),
    )


def stars_reason(row: pd.DataFrame, model: ScoreModel, as_of: dt.date) -> str:
    """Which cell of the star grid the account is in: "high fit x engaged"."""
    facts = engagement_facts(row, as_of, model.tiers.recent_engagement_days)
    band = STAR_FIT_ROWS[int(fit_bands(numbers(row, "fit_score"), model.tiers)[0])]
    level = ENGAGEMENT_LEVELS[int(engagement_levels(facts, numbers(row, "engagement_score"),
                                                    model.scoring)[0])]
    return (f"{band.replace('_', ' ')} x {level} in {model.tiers.recent_engagement_days} "
            "days ([scoring] star_grid)")


def _type_text(row: pd.DataFrame) -> str:
    kind = str(account_types(row).iloc[0])
    written = _shown(row["crm_type"].iloc[0]) if "crm_type" in row.columns else ""
    return f"{kind} ({written})" if kind and written and written.lower() != kind else kind


def _placed(scored: pd.DataFrame, position: int, config: Config,
            as_of: dt.date) -> pd.Series:
    """The account's row with its tier: as recorded by abm tier, else tiered now."""
    if all(column in scored.columns for column in TIER_COLUMNS):
        return scored.iloc[position]
    tiered = tier_accounts(scored, config, as_of=as_of).accounts
    account_id = str(scored["account_id"].iloc[position])
    return tiered[tiered["account_id"].astype(str) == account_id].iloc[0]


def rule_checks(row: pd.DataFrame, model: ScoreModel) -> list[RuleCheck]:
    """Each ICP rule against the one-account frame `row`."""
    total = sum(rule.weight for rule in model.rules)
    checks = []
    for rule in model.rules:
        status = int(rule.evaluate(row)[0])
        shown = "; ".join(v for v in (_shown(row[c].iloc[0]) if c in row.columns else ""
                                      for c in rule.columns) if v)
        checks.append(RuleCheck(rule.label, rule.requirement(), shown, STATUS_WORDS[status],
                                SYMBOLS[status], round(100 * rule.weight / total, 1)))
    return checks


def family_scores(scored: pd.DataFrame, position: int, model: ScoreModel,
                  as_of: dt.date) -> list[FamilyScore]:
    """The four family scores of one account with their inputs and blend shares."""
    given = blend_weights({family: numbers(scored, column)
                           for family, column in FAMILY_SCORES.items()},
                          model.scoring.weights)
    total = sum(float(weight.iloc[position]) for weight in given.values()) or 1.0
    inputs: dict[str, dict[str, object]] = {
        "fit": {"fit_reasons": _shown(scored["fit_reasons"].iloc[position])},
        "intent": _intent_inputs(scored, position, model, as_of),
        "relationship": _inputs(scored, position, ("relationship_score",
                                                   "relationship_contacts",
                                                   "relationship_last_interaction")),
        "engagement": _engagement_inputs(scored, position, model, as_of),
    }
    families = []
    for family, column in FAMILY_SCORES.items():
        score = _number(scored[column].iloc[position]) if column in scored.columns else None
        share = float(given[family].iloc[position]) / total
        if score is None:  # the derived inputs (freshness ...) mean nothing
            inputs[family] = {k: v for k, v in inputs[family].items() if k in scored.columns}
        status = "scored" if score is not None else "no signal" if share else "no data"
        families.append(FamilyScore(family, score, round(share, 3),
                                    round((score or 0.0) * share, 1), inputs[family], status))
    return families


def _intent_inputs(scored: pd.DataFrame, position: int, model: ScoreModel,
                   as_of: dt.date) -> dict[str, object]:
    found = _inputs(scored, position, ("intent_max_score", "intent_surging_topics",
                                       "intent_topics", "intent_latest_date",
                                       "intent_last_surge_date", "intent_relevant_topics",
                                       "intent_relevant_surge_date"))
    row = scored.iloc[[position]]
    facts = intent_facts(row, as_of, model.relevant_topics)
    if model.relevant_topics:
        found["topics that count"] = ", ".join(model.relevant_topics)
    age = facts.surge_days.fillna(days_since(dates(row, "intent_latest_date"), as_of))
    found["surge age (days)"] = _shown(age.iloc[0])
    found["freshness"] = round(float(freshness(age, model.scoring.intent_decay_days).iloc[0]), 2)
    return found


def _engagement_inputs(scored: pd.DataFrame, position: int, model: ScoreModel,
                       as_of: dt.date) -> dict[str, object]:
    found = _inputs(scored, position, ("engagement_total", "engagement_spike",
                                       "engagement_spike_pct", "engagement_last_date"))
    total = numbers(scored, "engagement_total")
    rank = total.where(total > 0).rank(pct=True, method="max") * 100
    found["activity percentile"] = _shown(round(float(rank.iloc[position]), 1))
    window = model.tiers.recent_engagement_days
    facts = engagement_facts(scored.iloc[[position]], as_of, window)
    found["engagement_spike_date"] = _shown(scored["engagement_spike_date"].iloc[position]
                                            if "engagement_spike_date" in scored else None)
    for column in ENGAGEMENT_DATES:
        if column in scored.columns and column != "engagement_last_date":
            found[column] = _shown(scored[column].iloc[position])
    found["latest engagement"] = (f"{facts.kind.iloc[0]}, {_shown(facts.days.iloc[0])} days "
                                  "ago" if facts.kind.iloc[0] else "")
    days = facts.freshest_days()
    found["window (days)"] = window
    found["freshness"] = round(float(window_freshness(days, window).iloc[0]), 2)
    return found


def _inputs(scored: pd.DataFrame, position: int, columns: tuple[str, ...]) -> dict[str, object]:
    return {column: _shown(scored[column].iloc[position]) for column in columns
            if column in scored.columns}


def _shown(value: object) -> str:
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


def _number(value: object) -> float | None:
    number = pd.to_numeric(pd.Series([value], dtype=object), errors="coerce").iloc[0]
    return None if pd.isna(number) else float(number)


# --- from a workbook --------------------------------------------------------------------


def explain_in_workbook(path: Path, query: str, config: Config,
                        as_of: dt.date | None = None) -> Explanation:
    """`explain_account` on the accounts of the workbook at `path`."""
    return explain_account(read_accounts(Path(path)), query, config, as_of)
