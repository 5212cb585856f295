"""Goldilocks tiers: which accounts get 1:1, 1:few and 1:many programs.

Every account lands in exactly one of Tier 1, Tier 2, Tier 3, Waitlist, Out of ICP or
Fit unknown, with a one-line `tier_reason`. The defaults follow the published method;
`[tiers]` and `[acv]` in abm.toml change every threshold.

- *In the program*: `fit_score` >= `min_fit` (60). Below it: "Out of ICP" (kept, not tiered).
- *Fit unknown*: no data for any ICP rule (an account found only in signal data without
  firmographics). Unknown is not low: these accounts are listed apart, to enrich,
  with "Fit unknown: needs firmographics" and their signals as the reason.
- *No data*: when the hub has no data of a signal family at all (no intent export),
  the reason says "no intent data" instead of "no surge in 21 days".
- *Recent intent*: a topic surged (`intent_last_surge_date`) within `recent_intent_days`
  (21, Bombora's three-week window) of the run date. When `[intent] topics` names the
  topics that matter, only surges on them count (`intent_relevant_surge_date`).
- *Recent engagement*: within `recent_engagement_days` (30): web activity
  (`engagement_last_date`), a meeting, a reply or a form fill by someone at the account,
  or an engagement spike dated inside that window (see `method.py`). Emails we sent do
  not count.
- *ACV*: `crm_acv` where the CRM has one, else the highest `[[acv.bands]]` the account's
  employees or revenue reach. Large >= 100,000, medium >= 25,000, small below; unknown
  when there is neither a CRM value nor a size.
- **Tier 1 "Just right"**: fit >= `tier1_min_fit` (80), large ACV, recent intent and recent
  engagement. Domains listed in `strategic` go to Tier 1 whatever their fit or signals,
  take Tier 1 seats first and are never moved down by a cap.
- **Tier 2 "Too big"**: in the program with recent intent or recent engagement, not Tier 1.
  Intent without engagement is the published profile; engagement without intent, and
  full signals without the fit or ACV Tier 1 needs, are placed here too.
- **Tier 3 "Too small"**: in the program, no recent intent and no recent engagement.
- *Capacity caps* `max_tier1/2/3` (none by default; a published program ran 100/200/200):
  the accounts over a cap, lowest `account_score` first, move down one tier; past the
  Tier 3 cap they go to "Waitlist". Ties break by `account_id`, so runs are repeatable.
- *Customers* (the CRM's account type): `customers = "tier"` tiers them with the
  prospects, `"expansion"` lists them apart as "Expansion", `"exclude"` leaves them out
  as "Excluded"; their tier_reason says "customer". docs/TIERS.md has every rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from abmcli import schema
from abmcli.config import Config, Problem, raise_problems
from abmcli.keys.domains import registered_domain
from abmcli.keys.values import texts
from abmcli.limits import number_text
from abmcli.sections import CUSTOMER_HANDLING, AcvBand, AcvSettings, TierSettings
from abmcli.stages.components import hub_has_family
from abmcli.stages.method import (
    EngagementFacts,
    IntentFacts,
    account_types,
    engagement_facts,
    intent_facts,
)
from abmcli.stages.score import SCORE_COLUMNS, score_hub
from abmcli.stages.typed import dates, days_since, numbers

TIERS = schema.TIER_VALUES
TIERED = TIERS[:3]
# The tiers for CRM customers, used only when `[tiers] customers` asks for them.
CUSTOMER_TIERS = {"expansion": "Expansion", "exclude": "Excluded"}
TIER_NAMES = {"Tier 1": "Just right", "Tier 2": "Too big", "Tier 3": "Too small",
              "Waitlist": "Over capacity", "Expansion": "Existing customer",
              "Out of ICP": "Below the fit threshold", "Fit unknown": "No firmographics",
              "Excluded": "Customer, left out"}
PROGRAMS = {"Tier 1": "1:1", "Tier 2": "1:few", "Tier 3": "1:many",
            "Waitlist": "next program cycle", "Expansion": "expansion (account management)",
            "Out of ICP": "none", "Fit unknown": "enrich, then tier", "Excluded": "none"}
FIT_UNKNOWN = "Fit unknown"
TIER_COLUMNS = schema.names("tiers")  # the columns assign_tiers adds


@dataclass
class TierModel:
    """Everything tiering reads from the config, parsed and checked."""

    tiers: TierSettings
    acv: AcvSettings
    bands: list[AcvBand]
    strategic: frozenset[str]
    relevant_topics: list[str] = field(default_factory=list)  # [] : every topic counts

    def shown_tiers(self) -> list[str]:
        """The tiers this config can give: the customer tiers only when asked for."""
        unused = {tier for handling, tier in CUSTOMER_TIERS.items()
                  if handling != self.tiers.customers}
        return [tier for tier in TIERS if tier not in unused]


def tier_model(config: Config, caps: dict[str, int | None] | None = None) -> TierModel:
    """`[tiers]` and `[acv]`, checked; `caps` ({"Tier 1": 100, ...}) override the config's."""
    problems: list[Problem] = []
    tiers = dataclasses.replace(config.tiers)  # the caps change this model, not the config
    for tier, cap in (caps or {}).items():
        if cap is not None:
            setattr(tiers, f"max_tier{tier[-1]}", cap)
    _check_tiers(tiers, problems, flags={tier for tier, cap in (caps or {}).items()
                                         if cap is not None})
    bands = _acv_bands(config.acv, problems)
    strategic = _strategic_domains(tiers.strategic, problems)
    raise_problems(config, problems)
    return TierModel(tiers, config.acv, bands, strategic, config.intent.relevant_topics())


def _check_tiers(tiers: TierSettings, problems: list[Problem],
                 flags: set[str] | frozenset[str] = frozenset()) -> None:
    """`flags`: the tiers whose cap a --max-tierN option gave, named so."""
    low, high = tiers.min_fit, tiers.tier1_min_fit
    if not 0 <= low <= high <= 100:
        # about the threshold outside 0-100, else the two out of order: either line
        culprit, other = (("tier1_min_fit", "min_fit") if 0 <= low <= 100 < high
                          else ("min_fit", "tier1_min_fit"))
        problems.append(Problem(("tiers", culprit), f"[tiers] needs 0 <= min_fit "
                                f"({low:g}) <= tier1_min_fit ({high:g}) <= 100",
                                near=(("tiers", other),)))
    for name in ("recent_intent_days", "recent_engagement_days"):
        if getattr(tiers, name) < 0:
            problems.append(Problem(("tiers", name), f"[tiers] {name} must not be negative"))
    if tiers.customers not in CUSTOMER_HANDLING:
        problems.append(Problem(("tiers", "customers"), f"[tiers] customers = "
                                f"{tiers.customers!r} must be one of "
                                f"{', '.join(CUSTOMER_HANDLING)}"))
    for tier, cap in tiers.caps().items():
        if cap is not None and cap < 0:
            given = (f"--max-tier{tier[-1]} {cap}" if tier in flags
                     else f"[tiers] max_tier{tier[-1]} = {cap}")
            problems.append(Problem(("tiers", f"max_tier{tier[-1]}"),
                                    f"{given}: the {tier} cap must be 0 or more"))


def _acv_bands(acv: AcvSettings, problems: list[Problem]) -> list[AcvBand]:
    if not 0 <= acv.medium <= acv.large:
        problems.append(Problem(("acv", "medium"), f"[acv] needs 0 <= medium "
                                f"({number_text(acv.medium)}) <= large "
                                f"({number_text(acv.large)})"))
    bands = []
    for number, band in enumerate(acv.bands, start=1):
        if band.acv is None or (band.employees_min is None and band.revenue_min is None):
            problems.append(Problem(("acv", "bands", number), f"[acv.bands #{number}] needs "
                                    "acv = ... and employees_min or revenue_min"))
        else:
            bands.append(band)
    return bands


def _strategic_domains(entries: list[str], problems: list[Problem]) -> frozenset[str]:
    domains = set()
    for entry in entries:
        key = registered_domain(entry)
        if key.domain is None:
            problems.append(Problem(("tiers", "strategic"), f"[tiers] strategic entry "
                                    f"{entry!r} is not a domain (write it like acme.com)"))
        else:
            domains.add(key.domain)
    return frozenset(domains)


# --- signals ----------------------------------------------------------------------------


def acv_columns(hub: pd.DataFrame, model: TierModel) -> pd.DataFrame:
    """acv_estimate (CRM value, else the band estimate), acv_band and acv_source."""
    crm = numbers(hub, "crm_acv")
    employees, revenue = numbers(hub, "employees"), numbers(hub, "revenue")
    estimate = pd.Series(np.nan, index=hub.index)
    for band in model.bands:
        reached = pd.Series(False, index=hub.index)
        if band.employees_min is not None:
            reached |= employees >= band.employees_min
        if band.revenue_min is not None:
            reached |= revenue >= band.revenue_min
        estimate = np.fmax(estimate, pd.Series(band.acv, index=hub.index).where(reached))
    from_crm = crm > 0
    value = crm.where(from_crm, estimate)
    band_names = np.select([value >= model.acv.large, value >= model.acv.medium, value.notna()],
                           ["large", "medium", "small"], default="unknown")
    source = np.select([from_crm, value.notna()], ["CRM", "estimated"], default="")
    return pd.DataFrame({"acv_estimate": value, "acv_band": band_names, "acv_source": source},
                        index=hub.index)


@dataclass
class Signals:
    """Per account: the facts the tier rules read."""

    fit: pd.Series  # NaN: unknown (no data for any ICP rule)
    intent: IntentFacts
    engagement: EngagementFacts
    recent_intent: pd.Series
    recent_engagement: pd.Series
    strategic: pd.Series
    account_type: pd.Series  # customer / former customer / partner / prospect / ""
    as_of: dt.date
    has_intent: bool  # the hub has intent data for some account
    has_engagement: bool

    @property
    def fit_unknown(self) -> pd.Series:
        return self.fit.isna()


def signals(scored: pd.DataFrame, model: TierModel, as_of: dt.date) -> Signals:
    """Recent intent, recent engagement, strategic and customer facts of every account."""
    tiers = model.tiers
    intent = intent_facts(scored, as_of, model.relevant_topics)
    engagement = engagement_facts(scored, as_of, tiers.recent_engagement_days)
    domains = texts(scored, "domain").str.lower()
    return Signals(
        fit=numbers(scored, "fit_score"),
        intent=intent,
        engagement=engagement,
        recent_intent=intent.surge_days <= tiers.recent_intent_days,
        recent_engagement=engagement.recent,
        strategic=domains.isin(model.strategic),
        account_type=account_types(scored),
        as_of=as_of,
        has_intent=hub_has_family(scored, "intent"),
        has_engagement=hub_has_family(scored, "engagement"),
    )


def natural_tiers(facts: Signals, acv_band: pd.Series, model: TierModel) -> np.ndarray:
    """The tier each account qualifies for before capacity caps."""
    tiers = model.tiers
    in_program = facts.fit >= tiers.min_fit
    tier1 = (in_program & (facts.fit >= tiers.tier1_min_fit) & (acv_band == "large")
             & facts.recent_intent & facts.recent_engagement)
    any_signal = facts.recent_intent | facts.recent_engagement
    apart = CUSTOMER_TIERS.get(tiers.customers)
    customer = (facts.account_type == "customer") & ~facts.strategic
    return np.select(
        [facts.strategic, customer & (apart is not None), tier1, in_program & any_signal,
         in_program, facts.fit_unknown],
        ["Tier 1", apart or "", "Tier 1", "Tier 2", "Tier 3", FIT_UNKNOWN],
        default="Out of ICP",
    ).astype(object)


# --- capacity caps ----------------------------------------------------------------------


def apply_caps(natural: np.ndarray, rank: np.ndarray, strategic: np.ndarray,
               caps: dict[str, int | None]) -> np.ndarray:
    """The final tier of every account after the capacity caps.

    `rank` orders accounts (0 = best: highest account_score, then account_id). Each
    tier keeps its best accounts up to its cap; the rest join the next tier's pool;
    what is left after Tier 3 goes to the Waitlist. Strategic accounts keep Tier 1
    and take its seats first.
    """
    final = natural.copy()
    overflow = np.zeros(len(natural), dtype=bool)
    for tier, below in zip(TIERED, (*TIERED[1:], "Waitlist"), strict=True):
        pool = (natural == tier) | overflow
        overflow = np.zeros(len(natural), dtype=bool)
        cap = caps[tier]
        if cap is None:
            continue
        movable = np.flatnonzero(pool & ~strategic)
        by_rank = movable[np.argsort(rank[movable], kind="stable")]
        moved = by_rank[max(cap - int((pool & strategic).sum()), 0):]
        overflow[moved] = True
        final[moved] = below
    return final


def score_rank(scored: pd.DataFrame) -> np.ndarray:
    """0 for the best account: highest account_score, ties by account_id."""
    order = np.lexsort((texts(scored, "account_id").to_numpy(dtype=str),
                        -numbers(scored, "account_score").fillna(-1).to_numpy()))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


# --- reasons ----------------------------------------------------------------------------


def _ago(days: pd.Series) -> pd.Series:
    whole = days.fillna(0).astype("int64")
    words = np.select([whole == 0, whole == 1], ["today", "yesterday"], default="")
    counted = whole.astype(str) + " days ago"
    return pd.Series(np.where(words == "", counted, words), index=days.index, dtype=object)


def _topic_count(count: pd.Series, word: str = "") -> pd.Series:
    return count.astype(str) + word + np.where(count == 1, " topic", " topics")


def _intent_text(scored: pd.DataFrame, facts: Signals, tiers: TierSettings) -> pd.Series:
    """"surging on 3 topics"; with relevant topics named, the topics themselves
    ("surging on Intent Data"), and surges on other topics shown but not counted."""
    intent = facts.intent
    if not intent.relevant:
        surging = "surging on " + _topic_count(intent.count)
        surged = "last surge " + _ago(intent.surge_days)
        now = intent.count > 0
        quiet = pd.Series(f"no surge in {tiers.recent_intent_days} days" if facts.has_intent
                          else "no intent data", index=scored.index)
    else:  # the topics are named, at the latest report or when they last surged
        surging = "surging on " + intent.topics
        surged = "last surge on " + intent.topics + " " + _ago(intent.surge_days)
        now = intent.surge_days <= days_since(dates(scored, "intent_latest_date"), facts.as_of)
        quiet = f"no surge on your topics in {tiers.recent_intent_days} days" + np.where(
            intent.others > 0,
            " (" + _topic_count(intent.others, " other") + " surging, not counted)", "")
    text = np.where(facts.recent_intent & now, surging,
                    np.where(facts.recent_intent, surged, quiet))
    return pd.Series(text, index=scored.index, dtype=object)


def _engagement_text(scored: pd.DataFrame, facts: Signals, tiers: TierSettings) -> pd.Series:
    """"engagement spike +140%", "met 5 days ago", or "no engagement in 30 days" (with an
    aged spike shown, since it no longer counts)."""
    engagement = facts.engagement
    size = numbers(scored, "engagement_spike_pct")
    spike = "engagement spike" + np.where(
        size.notna(), " +" + size.fillna(0).round().astype("int64").astype(str) + "%", "")
    engaged = engagement.kind + " " + _ago(engagement.days)
    spike_age = days_since(dates(scored, "engagement_spike_date"), facts.as_of)
    old_spike = spike_age > engagement.window  # dated spikes only: a spike has a date
    aged = np.where(old_spike, " (spike " + _ago(spike_age) + ", outside the window)", "")
    quiet = (f"no engagement in {tiers.recent_engagement_days} days" + aged
             if facts.has_engagement or engagement.days.notna().any()
             else "no engagement data")
    text = np.where(engagement.spike, spike,
                    np.where(facts.recent_engagement, engaged, quiet))
    return pd.Series(text, index=scored.index, dtype=object)


def _acv_text(acv: pd.DataFrame) -> pd.Series:
    estimated = np.where(acv["acv_source"] == "estimated", " (estimated)", "")
    return "ACV " + acv["acv_band"].astype(str) + estimated


def _tier1_needs(facts: Signals, acv_band: pd.Series, tiers: TierSettings) -> np.ndarray:
    """For full-signal Tier 2 accounts: what keeps them out of Tier 1."""
    low_fit = facts.fit < tiers.tier1_min_fit
    small = acv_band != "large"
    needs_fit = f"fit {tiers.tier1_min_fit:g}+"
    return np.select(
        [low_fit & small, low_fit, small],
        [f"; Tier 1 needs {needs_fit} and a large ACV", f"; Tier 1 needs {needs_fit}",
         "; Tier 1 needs a large ACV"],
        default="",
    )


def _moved_texts(natural: np.ndarray, final: np.ndarray,
                 caps: dict[str, int | None]) -> np.ndarray:
    """"qualifies for Tier 1, moved down by account score (Tier 1 full at 100); " for
    the accounts the caps moved down, "" for the others."""
    texts_: dict[tuple[str, str], str] = {}
    for origin, landed in set(zip(natural.tolist(), final.tolist(), strict=True)):
        if origin == landed or origin not in TIERED:
            continue
        passed = TIERED[TIERED.index(origin):TIERS.index(landed)]
        full = ", ".join(f"{tier} full at {caps[tier]:,}" for tier in passed)
        texts_[(origin, landed)] = (f"qualifies for {origin}, moved down by account score "
                                    f"({full}); ")
    return np.array([texts_.get(pair, "") for pair in zip(natural, final, strict=True)],
                    dtype=object)


def _out_of_icp_texts(scored: pd.DataFrame, facts: Signals, tiers: TierSettings) -> pd.Series:
    """"Out of ICP: fit 45 below 60 (industry ✗, country ?)", per distinct fit and reasons."""
    reasons = texts(scored, "fit_reasons")
    missed = {text: ", ".join(p for p in text.split(", ") if not p.endswith("✓"))
              for text in reasons.unique()}
    gaps = reasons.map(missed).astype(str)  # astype: an empty map gives float64
    fit = facts.fit.round(1).map(lambda value: f"{value:g}").astype(str)
    base = "Out of ICP: fit " + fit + f" below {tiers.min_fit:g}"
    return pd.Series(np.where(gaps != "", base + " (" + gaps + ")", base), index=scored.index,
                     dtype=object)


def tier_reasons(scored: pd.DataFrame, facts: Signals, acv: pd.DataFrame,
                 natural: np.ndarray, final: np.ndarray, model: TierModel) -> pd.Series:
    """One line per account saying which tier it is in and why."""
    tiers = model.tiers
    story = (_intent_text(scored, facts, tiers) + ", " + _engagement_text(scored, facts, tiers)
             + ", " + _acv_text(acv))
    both = facts.recent_intent & facts.recent_engagement & (natural == "Tier 2")
    story = story + np.where(both, _tier1_needs(facts, acv["acv_band"], tiers), "")
    moved = _moved_texts(natural, final, tiers.caps())
    is_customer = (facts.account_type == "customer").to_numpy()
    customer = np.where(is_customer, "customer; ", "")
    unknown = np.where(facts.fit_unknown, "fit unknown: needs firmographics; ", "")
    reason = (final + ": " + moved + np.where(facts.strategic, "strategic account; ", "")
              + customer + np.where(final == FIT_UNKNOWN, "needs firmographics; ", unknown)
              + story)
    text = pd.Series(np.where(final == "Out of ICP", _out_of_icp_texts(scored, facts, tiers),
                              reason), index=scored.index, dtype=object)
    out_customer = np.flatnonzero(is_customer & (final == "Out of ICP"))
    text.iloc[out_customer] = ("Out of ICP: customer; "
                               + text.iloc[out_customer].str.removeprefix("Out of ICP: "))
    apart = np.flatnonzero(np.isin(final, list(CUSTOMER_TIERS.values())))
    text.iloc[apart] = _customer_apart_texts(scored.iloc[apart], facts.fit.iloc[apart],
                                             story.iloc[apart], final[apart])
    return text + _carried_text(scored)


def _carried_text(scored: pd.DataFrame) -> pd.Series:
    """"; fit from 2026-W47, not in this week's export" for data `abm run` carried."""
    carried = texts(scored, "carried")
    return carried.map(lambda text: f"; {text.replace('; ', ' and ')}, not in this week's "
                       "export" if text else "")


def _customer_apart_texts(scored: pd.DataFrame, fit: pd.Series, story: pd.Series,
                          final: np.ndarray) -> pd.Series:
    """"Expansion: customer (Customer - Direct); fit 85, surging on ..." and
    "Excluded: customer (Customer - Direct), left out by [tiers] customers"."""
    crm_type = texts(scored, "crm_type")
    fit_text = fit.round(1).map(lambda value: "unknown" if pd.isna(value) else f"{value:g}")
    fit_text = fit_text.astype(str)
    expansion = "Expansion: customer (" + crm_type + "); fit " + fit_text + ", " + story
    excluded = ("Excluded: customer (" + crm_type + "), left out by [tiers] customers = "
                '"exclude"')
    return pd.Series(np.where(final == "Expansion", expansion, excluded), index=scored.index,
                     dtype=object)


# --- tiering ----------------------------------------------------------------------------


@dataclass
class TierResult:
    """Every account with its tier and reason, sorted by tier then account_score."""

    accounts: pd.DataFrame
    as_of: dt.date
    model: TierModel
    moved_down: int  # accounts a capacity cap moved below the tier they qualify for
    outputs: list[Path] = field(default_factory=list)  # files written, if any

    def counts(self) -> dict[str, int]:
        counts = self.accounts["tier"].value_counts()
        return {tier: int(counts.get(tier, 0)) for tier in self.model.shown_tiers()}

    def tier_frame(self, tier: str) -> pd.DataFrame:
        return self.accounts[self.accounts["tier"] == tier].reset_index(drop=True)


def has_scores(hub: pd.DataFrame) -> bool:
    """True when the hub already holds the columns `abm score` adds."""
    return all(column in hub.columns for column in SCORE_COLUMNS) and bool(
        numbers(hub, "account_score").notna().any() or hub.empty)


def tier_accounts(hub: pd.DataFrame, config: Config, *, as_of: dt.date | None = None,
                  caps: dict[str, int | None] | None = None, where: str = "hub") -> TierResult:
    """Tier every account of `hub`, scoring it first when it has no scores.

    `caps` ({"Tier 1": 100, "Tier 2": 200, "Tier 3": 200}) override `[tiers] max_tier*`;
    `as_of` (default: the config's, else today) is the date signals are aged against.
    """
    model = tier_model(config, caps)
    run_date = as_of or config.run_date()
    scored = hub if has_scores(hub) else score_hub(hub, config, run_date, where).hub
    tiered, moved = assign_tiers(scored, model, run_date)
    return TierResult(tiered, run_date, model, moved)


def assign_tiers(scored: pd.DataFrame, model: TierModel,
                 as_of: dt.date) -> tuple[pd.DataFrame, int]:
    """Add acv_estimate, acv_band, acv_source, tier and tier_reason; sort; count moves."""
    base = scored.drop(columns=[c for c in TIER_COLUMNS if c in scored.columns])
    base = base.reset_index(drop=True)
    acv = acv_columns(base, model)
    facts = signals(base, model, as_of)
    natural = natural_tiers(facts, acv["acv_band"], model)
    final = apply_caps(natural, score_rank(base), facts.strategic.to_numpy(),
                       model.tiers.caps())
    tiered = pd.concat([base, acv], axis=1)
    tiered["tier"] = final
    tiered["tier_reason"] = tier_reasons(base, facts, acv, natural, final, model)
    return sort_tiered(tiered), int((natural != final).sum())


def sort_tiered(tiered: pd.DataFrame) -> pd.DataFrame:
    """Tier order, then account_score (highest first), then account_id."""
    order = np.lexsort((
        texts(tiered, "account_id").to_numpy(dtype=str),
        -numbers(tiered, "account_score").fillna(-1).to_numpy(),
        tiered["tier"].map({tier: i for i, tier in enumerate(TIERS)}).to_numpy(),
    ))
    return tiered.iloc[order].reset_index(drop=True)
