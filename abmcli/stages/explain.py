"""Why an account has its score and tier: every ICP rule, every family score and its
inputs, the blend, and the tier rule that placed it.

`explain_account` finds one account by domain ("www.Snowflake.com/careers" finds
snowflake.com), account_id ("ACC-3f2a9c01bd"), CRM account id ("001bm00001ZMa9pAAD")
or name ("Snowflake, Inc." finds "Snowflake Inc"), scores and tiers the whole hub (the
engagement percentile and the capacity caps depend on the other accounts) and returns
an `Explanation`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from abmcli.config import Config
from abmcli.errors import AbmError
from abmcli.keys.domains import registered_domain
from abmcli.keys.names import name_key, name_keys
from abmcli.keys.values import texts
from abmcli.matching.crm_ids import id_key, id_keys
from abmcli.matching.evidence import normalised, ticker_symbol
from abmcli.stages.components import COMPONENTS, cell_text
from abmcli.stages.method import account_types, engagement_facts
from abmcli.stages.score import (
    ENGAGEMENT_LEVELS,
    STAR_FIT_ROWS,
    SYMBOLS,
    ScoreModel,
    blend_weights,
    engagement_levels,
    fit_bands,
    score_hub,
)
from abmcli.stages.tier import TIER_COLUMNS, tier_accounts
from abmcli.stages.typed import numbers

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
    weight: float  # the points this rule is worth (the weights normalised to 100)
    points: float  # the points it earned: its weight when met, else 0 (they add up to fit)


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

    Tries account_id, then the CRM account id (crm_id, then crm_duplicate_ids; a
    Salesforce id in 15 or 18 characters), then the registered domain (also among
    other_domains), then the display name as written (ignoring case and spacing: "The
    Home Depot, Inc." is that account, though its name key also fits "The Home Depot
    (Canada)"), then the name key, then the ticker (a listed-companies list: "AGL").
    Raises AbmError when nothing or more than one account matches.
    """
    text = query.strip()
    ids = texts(hub, "account_id").str.upper()
    found = np.flatnonzero(ids == text.upper())
    if found.size:
        return int(found[0]), "account id"
    position = _held_once(hub, _crm_id_matches(hub, text), f"CRM id '{query}'")
    if position is not None:
        return position, "CRM id"
    domain = registered_domain(text).domain if " " not in text and "." in text else None
    if domain:
        found = np.flatnonzero(_domain_matches(hub, domain))
        if found.size:
            return int(found[0]), "domain"
    found = np.flatnonzero(texts(hub, "account_name").map(_spelling) == _spelling(text))
    if found.size == 1:
        return int(found[0]), "name"
    key = name_key(text)
    found = np.flatnonzero(name_keys(texts(hub, "account_name")) == key) if key else found[:0]
    if found.size == 1:
        return int(found[0]), "name"
    if found.size > 1:
        raise AbmError(f"'{query}' matches {found.size} accounts: {_listing(hub, found)}; "
                       "give the domain, the account_id or the exact name instead")
    position = _held_once(hub, _ticker_matches(hub, text), f"ticker '{query}'")
    if position is not None:
        return position, "ticker"
    raise AbmError(f"no account matches '{query}'{_suggestion(hub, text)}")


def _held_once(hub: pd.DataFrame, found: np.ndarray, what: str) -> int | None:
    """The one account in `found`, None for none; raises when several hold `what` (an
    id or a ticker that should name one account)."""
    if found.size > 1:
        raise AbmError(f"{what} is held by {found.size} accounts: {_listing(hub, found)}; "
                       "give the domain or the account_id instead")
    return int(found[0]) if found.size else None


def _crm_id_matches(hub: pd.DataFrame, text: str) -> np.ndarray:
    """Positions of the accounts whose crm_id is `text` (as crm_ids compares ids), else
    of those listing it among crm_duplicate_ids."""
    key = id_key(text)
    if not key:
        return np.array([], dtype=np.int64)
    found = np.flatnonzero(id_keys(texts(hub, "crm_id")) == key)
    if found.size or "crm_duplicate_ids" not in hub.columns:
        return found
    listed = texts(hub, "crm_duplicate_ids").reset_index(drop=True).str.split(";").explode()
    return np.unique(listed.index[(id_keys(listed.fillna("")) == key).to_numpy()])


def _ticker_matches(hub: pd.DataFrame, text: str) -> np.ndarray:
    """Positions of the accounts whose ticker's symbol is `text`'s, as the matcher reads
    symbols ("NYSE: ALL" and "ALL^A" are Allstate's "ALL"; any exchange)."""
    wanted = ticker_symbol(normalised("ticker", text))
    if not wanted or "ticker" not in hub.columns:
        return np.array([], dtype=np.int64)
    listed = texts(hub, "ticker").reset_index(drop=True).str.split(";").explode().fillna("")
    keys = listed.map(lambda ticker: ticker_symbol(normalised("ticker", ticker.strip())))
    return np.unique(listed.index[(keys == wanted).to_numpy()])


def _spelling(name: str) -> str:
    """A name as a person types it: case and runs of spaces do not count."""
    return " ".join(name.casefold().split())


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
        account_id=str(placed["account_id"]), account_name=cell_text(placed.get("account_name")),
        domain=cell_text(placed.get("domain")), matched_by=matched_by, as_of=run_date,
        rules=rule_checks(row, scored.model), fit_score=_number(placed["fit_score"]),
        families=family_scores(scored.hub, position, scored.model, run_date),
        account_score=_number(placed["account_score"]),
        stars=int(_number(placed["stars"]) or 0),
        tier=str(placed["tier"]), tier_reason=str(placed["tier_reason"]),
        acv={"value": _number(placed.get("acv_estimate")), "band": str(placed["acv_band"]),
             "source": cell_text(placed.get("acv_source"))},
        stars_reason=stars_reason(scored.hub.iloc[[position]], scored.model, run_date),
        account_type=_type_text(row),
        conflicts=[part for part in cell_text(placed.get("value_conflicts")).split("; ") if part],
        carried=cell_text(placed.get("carried")),
    )


def stars_reason(row: pd.DataFrame, model: ScoreModel, as_of: dt.date) -> str:
    """Which cell of the star grid the account is in: "high fit x engaged"; none for an
    unknown fit, which `star_ratings` gives no stars (it is no low fit)."""
    if numbers(row, "fit_score").isna().iloc[0]:
        return "none, the fit is unknown (no data for any ICP rule): enrich the account"
    facts = engagement_facts(row, as_of, model.tiers.recent_engagement_days)
    band = STAR_FIT_ROWS[int(fit_bands(numbers(row, "fit_score"), model.tiers)[0])]
    level = ENGAGEMENT_LEVELS[int(engagement_levels(facts, numbers(row, "engagement_score"),
                                                    model.scoring)[0])]
    return (f"{band.replace('_', ' ')} x {level} in {model.tiers.recent_engagement_days} "
            "days ([scoring] star_grid)")


def _type_text(row: pd.DataFrame) -> str:
    kind = str(account_types(row).iloc[0])
    written = cell_text(row["crm_type"].iloc[0]) if "crm_type" in row.columns else ""
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
    """Each ICP rule against the one-account frame `row`, with the points it earned: the
    fit score is their sum (a missed rule and one without data earn 0)."""
    total = sum(rule.weight for rule in model.rules)
    checks = []
    for rule in model.rules:
        status = int(rule.evaluate(row)[0])
        shown = "; ".join(v for v in (cell_text(row[c].iloc[0]) if c in row.columns else ""
                                      for c in rule.columns) if v)
        weight = round(100 * rule.weight / total, 1)
        checks.append(RuleCheck(rule.label, rule.requirement(), shown, STATUS_WORDS[status],
                                SYMBOLS[status], weight, weight if status == 1 else 0.0))
    return checks


def family_scores(scored: pd.DataFrame, position: int, model: ScoreModel,
                  as_of: dt.date) -> list[FamilyScore]:
    """Each score component of one account (components.COMPONENTS) with its evidence and
    blend share."""
    given = blend_weights({family: numbers(scored, component.column)
                           for family, component in COMPONENTS.items()},
                          model.scoring.weights)
    total = sum(float(weight.iloc[position]) for weight in given.values()) or 1.0
    families = []
    for family, component in COMPONENTS.items():
        column = component.column
        score = _number(scored[column].iloc[position]) if column in scored.columns else None
        share = float(given[family].iloc[position]) / total
        inputs = component.evidence(scored, position, model, as_of)
        if score is None:  # the derived inputs (freshness ...) mean nothing
            inputs = {k: v for k, v in inputs.items() if k in scored.columns}
        status = "scored" if score is not None else "no signal" if share else "no data"
        families.append(FamilyScore(family, score, round(share, 3),
                                    round((score or 0.0) * share, 1), inputs, status))
    return families


def _number(value: object) -> float | None:
    number = pd.to_numeric(pd.Series([value], dtype=object), errors="coerce").iloc[0]
    return None if pd.isna(number) else float(number)
