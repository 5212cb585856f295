"""`abm measure`: the ABM scorecard from a tiered hub, opportunities and contacts.

Groups: the target accounts are Tier 1, 2 and 3; customers ([tiers] customers put
them in Expansion or Excluded) are a group of their own, since their deals are
expansions and would make any prospect cohort look better; every other hub account is
non-target; opportunities and contacts whose account is not in the hub form "Not in
hub". Two non-target cohorts are compared with the targets: the *look-alikes* (in the
ICP but not targeted: the Waitlist) and a *random sample* of non-target accounts as
large as the target list (fixed seed, so a rerun gives the same sample).

The rules, each stated on the Scorecard sheet:
- the period: opportunities created on or after `since` (all when not set); an account
  is *engaged* when its last engagement (hub) or a contact's last activity falls in it;
- an opportunity is *influenced* when its account engaged in the `influence_days`
  before the opportunity was created (abm knows the last engagement date of each
  account and of each contact, and the dated rows of the engagement exports given);
- win rate = won / (won + lost); average deal = mean amount of won deals; days to close
  = mean days from created to close of won deals; a lift is target / cohort, given only
  when both sides have at least `min_deals` closed deals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from abmcli.config import Config
from abmcli.measure.config import LOST, OPEN, WON, MeasureModel, Persona, measure_model
from abmcli.measure.inputs import (
    ISSUE_COLUMNS,
    LINEAGE_COLUMNS,
    AccountIndex,
    MeasureInput,
    engagement_events,
    load_measure_input,
    type_contacts,
    type_opportunities,
)
from abmcli.measure.titles import SENIORITIES
from abmcli.outputs.readback import read_accounts
from abmcli.sources.load import Source, load_source
from abmcli.stages.tier import CUSTOMER_TIERS, TIERED, tier_accounts
from abmcli.stages.typed import hub_dates

NON_TARGET, ALL_TARGET, OUTSIDE = "Non-target", "All target", "Not in hub"
LOOKALIKE, SAMPLE = "Look-alike (in ICP, not targeted)", "Random sample of non-target"
CUSTOMERS = "Customers"
GROUPS = (*TIERED, ALL_TARGET, NON_TARGET, CUSTOMERS)
TOO_FEW = "too few deals"
_SEED = 20261125

Progress = Callable[[str], None]


@dataclass
class Scorecard:
    """Every table of the scorecard, and the KPIs for the terminal and summary.json."""

    as_of: dt.date
    since: dt.date | None
    model: MeasureModel
    kpis: dict[str, object]
    funnel: pd.DataFrame
    pipeline: pd.DataFrame
    lift: pd.DataFrame
    coverage: pd.DataFrame  # per group
    persona_coverage: pd.DataFrame  # per persona, target accounts
    accounts: pd.DataFrame  # per target account: contacts per persona ...
    gaps: pd.DataFrame
    committee: pd.DataFrame  # contacts at target accounts, ranked by role
    opportunities: pd.DataFrame
    issues: pd.DataFrame
    lineage: pd.DataFrame
    inputs: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def measure_files(hub_path: Path, config: Config, *, opportunities: Sequence[str] = (),
                  contacts: Sequence[str] = (), engagement: Sequence[str] = (),
                  since: dt.date | None = None,
                  as_of: dt.date | None = None, encoding: str | None = None,
                  progress: Progress | None = None) -> Scorecard:
    """Read the hub or tier workbook and the files, and compute the scorecard."""
    step = progress or (lambda _: None)
    model = measure_model(config)
    step(f"reading {hub_path}")
    accounts = read_accounts(Path(hub_path))
    history = []
    for path in engagement:
        step(f"reading {path}")
        history.append(load_source(path, family="engagement", config=config,
                                   encoding=encoding))
    return measure_accounts(accounts, config, model, opportunities=opportunities,
                            contacts=contacts, engagement=history, since=since, as_of=as_of,
                            encoding=encoding, progress=step)


def measure_accounts(accounts: pd.DataFrame, config: Config, model: MeasureModel, *,
                     opportunities: Sequence[str] = (), contacts: Sequence[str] = (),
                     engagement: Sequence[Source] = (), since: dt.date | None = None,
                     as_of: dt.date | None = None, encoding: str | None = None,
                     progress: Progress | None = None) -> Scorecard:
    """The scorecard of tiered `accounts` with the opportunity and contact files, and
    the engagement sources (already loaded) as engagement history."""
    step = progress or (lambda _: None)
    run_date = as_of or config.run_date()
    notes: list[str] = []
    if "tier" not in accounts.columns:
        notes.append("the workbook has no tiers: tiered with the config first")
        accounts = tier_accounts(accounts, config, as_of=run_date).accounts
    index = AccountIndex.from_accounts(accounts)
    opps = [_load(path, "opportunities", config, index, encoding, step) for path in opportunities]
    people = [_load(path, "contacts", config, index, encoding, step) for path in contacts]
    for item in opps:
        type_opportunities(item, model)
    for item in people:
        type_contacts(item)
    events = engagement_events(list(engagement), index)
    step("computing the scorecard")
    return compute_scorecard(accounts, opps, people, model, since or model.settings.since,
                             run_date, notes, events)


def _load(path: str, family: str, config: Config, index: AccountIndex,
          encoding: str | None, step: Progress) -> MeasureInput:
    step(f"reading {path}")
    return load_measure_input(path, family, config, index, encoding)


# --- the computation --------------------------------------------------------------------


def compute_scorecard(accounts: pd.DataFrame, opps: list[MeasureInput],
                      people: list[MeasureInput], model: MeasureModel,
                      since: dt.date | None, as_of: dt.date,
                      notes: list[str] | None = None,
                      events: pd.DataFrame | None = None) -> Scorecard:
    """The scorecard of `accounts` (tiered) with typed, matched opportunities and
    contacts, and `events` (account_id, date) of engagement history. Pure: no files
    read or written."""
    base = _account_frame(accounts)
    contact_rows, repeated = _without_repeated_contacts(
        _concat([p.rows for p in people], _CONTACT_COLUMNS))
    opp_rows = _concat([o.rows for o in opps], _OPP_COLUMNS)
    groups = dict(zip(base["account_id"], base["group"], strict=True))
    contact_rows["group"] = contact_rows["account_id"].map(groups).fillna(OUTSIDE)
    opp_rows["group"] = opp_rows["account_id"].map(groups).fillna(OUTSIDE)
    history = _history(base, contact_rows, events)
    base["engaged"] = _engaged(base, history, since)
    in_period = _in_period(opp_rows, since)
    opp_rows["in_period"] = in_period
    opp_rows["influenced"] = _influenced(opp_rows, history, model)
    persona_table = _persona_counts(contact_rows, model.personas, since)
    opp_rows["personas engaged"] = opp_rows["account_id"].map(
        _personas_engaged(persona_table, model.personas)).fillna(0).astype(int)
    opp_rows["whole committee engaged"] = (
        opp_rows["personas engaged"] >= len(model.personas)) & bool(model.personas)
    counted = opp_rows[in_period & opp_rows["status"].isin([OPEN, WON, LOST])]
    targets = base[base["target"]]
    per_account = _account_personas(targets, persona_table, contact_rows, model.personas, since)
    issues = _concat([_issues(opps, opp_rows, people, contact_rows), repeated],
                     ISSUE_COLUMNS)
    scorecard = Scorecard(
        as_of=as_of, since=since, model=model, kpis={},
        funnel=_funnel(base, counted),
        pipeline=_pipeline(counted),
        lift=_lift(base, counted, model.settings.min_deals, bool(opps)),
        coverage=_coverage(base, per_account, persona_table, model.personas),
        persona_coverage=_persona_coverage(per_account, model.personas),
        accounts=per_account,
        gaps=_gaps(per_account, model.personas),
        committee=_committee(targets, contact_rows, persona_table, model.personas),
        opportunities=_opportunity_sheet(opp_rows, base),
        issues=issues,
        lineage=_concat([item.lineage for item in [*opps, *people]], LINEAGE_COLUMNS),
        inputs=[_input_facts(item) for item in [*opps, *people]],
        notes=[*(notes or []), *_missing_sections(bool(opps), bool(people))],
    )
    scorecard.kpis = _kpis(scorecard, base, counted, contact_rows, bool(opps), bool(people))
    scorecard.kpis.update(_baseline(base, history, model.settings.program_start, as_of))
    return scorecard


BASELINE_DAYS = 90


def _baseline(base: pd.DataFrame, history: pd.DataFrame, program_start: dt.date | None,
              as_of: dt.date) -> dict[str, object]:
    """Engagement of the target accounts against the pre-launch baseline: the share
    engaged in the 90 days before `program_start` and in the 90 days up to `as_of`."""
    if program_start is None:
        return {}
    targets = set(base.loc[base["target"], "account_id"])
    window = dt.timedelta(days=BASELINE_DAYS)

    def share(start: dt.date, end: dt.date) -> float | None:
        days = history["date"]
        inside = history.loc[days.map(lambda d: start <= d < end).astype(bool), "account_id"]
        return _share(len(targets & set(inside)), len(targets))

    before = share(program_start - window, program_start)
    recent = share(as_of - window + dt.timedelta(days=1), as_of + dt.timedelta(days=1))
    return {"engaged_target_share_baseline": before,
            "engaged_target_share_last_90_days": recent,
            "engagement_lift_vs_baseline": round(recent / before, 2)
            if recent is not None and before else None}


_CONTACT_COLUMNS = ["account_id", "match", "seniority", "function", "last_active", "contact",
                    "title", "email", "contact_id", "source_file_label", "_row"]
_OPP_COLUMNS = ["account_id", "match", "status", "amount_value", "created", "closed",
                "usable_days", "opportunity_name", "deal_stage", "currency_code", "problems",
                "source_file_label", "_row"]


def _without_repeated_contacts(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per person: a contact repeated by email (in any file) or by contact id
    (in one file) counts once, at its first row, with the latest activity of its rows;
    the repeats are listed."""
    email = rows["email"].fillna("").astype(str).str.strip().str.lower()
    ids = rows["contact_id"].fillna("").astype(str).str.strip()
    by_id = rows["source_file_label"].astype(str) + "\x00" + ids
    key = email.where(email != "", by_id.where(ids != "", ""))
    repeats = (key != "") & key.duplicated(keep="first")
    if not repeats.any():
        return rows, pd.DataFrame(columns=ISSUE_COLUMNS)
    latest = (rows.assign(key=key)[key != ""].dropna(subset=["last_active"])
              .groupby("key")["last_active"].max())
    kept = rows[~repeats].copy()
    newest = key[~repeats].map(latest)
    kept["last_active"] = newest.where(newest.notna(), kept["last_active"]).to_numpy()
    return kept.reset_index(drop=True), _repeat_issues(rows, key, repeats)


def _repeat_issues(rows: pd.DataFrame, key: pd.Series, repeats: pd.Series) -> pd.DataFrame:
    first = rows[~repeats & (key != "")].assign(key=key).set_index("key")
    where = [f"{first.loc[k, 'source_file_label']} row {first.loc[k, '_row']}"
             for k in key[repeats]]
    listed = rows[repeats]
    return pd.DataFrame({
        "source_file": listed["source_file_label"].to_numpy(),
        "row": listed["_row"].to_numpy(),
        "what": listed["contact"].fillna("").astype(str).to_numpy(),
        "problem": [f"repeats the contact of {place}" for place in where],
        "counted": "once, with the latest activity of its rows"})


def _missing_sections(have_opps: bool, have_contacts: bool) -> list[str]:
    """What each missing file leaves out, so an empty section is never a mystery."""
    missing = []
    if not have_opps:
        missing.append("no opportunity export: pipeline, influence, win rate, deal size, "
                       "days to close and lift need --opportunities FILE")
    if not have_contacts:
        missing.append("no contact export: buying-committee coverage, personas and gaps "
                       "need --contacts FILE")
    return missing


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    joined = pd.concat(frames, ignore_index=True)
    for column in columns:
        if column not in joined:
            joined[column] = ""
    return joined


def _account_frame(accounts: pd.DataFrame) -> pd.DataFrame:
    tier = accounts["tier"].astype(object).where(accounts["tier"].notna(), "")
    frame = pd.DataFrame({
        "account_id": accounts["account_id"].astype(str),
        "account_name": _column(accounts, "account_name"),
        "domain": _column(accounts, "domain"),
        "tier": tier.astype(str),
        "last_engaged": _dates(accounts, "engagement_last_date"),
        "has_fit": _column(accounts, "has_fit").map(lambda v: v is True or v == 1),
    })
    frame["target"] = frame["tier"].isin(TIERED)
    frame["customer"] = frame["tier"].isin(set(CUSTOMER_TIERS.values()))
    frame["non_target"] = ~frame["target"] & ~frame["customer"]
    frame["group"] = np.select([frame["target"], frame["customer"]],
                               [frame["tier"], CUSTOMERS], NON_TARGET)
    frame["lookalike"] = frame["tier"] == "Waitlist"
    frame["sample"] = _random_sample(frame)
    return frame.reset_index(drop=True)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[name].astype(object).where(frame[name].notna(), "")


def _dates(frame: pd.DataFrame, name: str) -> pd.Series:
    """Dates as every stage reads a hub's (typed.hub_dates: US and ISO text alike, and
    a placeholder such as 9999-12-31 is no date), as date objects or None."""
    values = hub_dates(frame, name)
    return pd.Series([None if pd.isna(v) else v.date() for v in values],
                     index=frame.index, dtype=object)


def _random_sample(frame: pd.DataFrame) -> np.ndarray:
    """A fixed-seed sample of non-target accounts (customers are not) as large as the
    target list."""
    others = np.flatnonzero(frame["non_target"].to_numpy())
    size = min(len(others), int(frame["target"].sum()))
    chosen = np.zeros(len(frame), dtype=bool)
    if size:
        order = np.argsort(frame["account_id"].to_numpy()[others], kind="stable")
        picked = np.random.default_rng(_SEED).choice(len(others), size=size, replace=False)
        chosen[others[order][picked]] = True
    return chosen


def _in_window(dates: pd.Series, start: dt.date | None) -> pd.Series:
    if start is None:
        return dates.notna()
    return dates.map(lambda d: d is not None and d >= start).astype(bool)


def _history(base: pd.DataFrame, contacts: pd.DataFrame,
             events: pd.DataFrame | None) -> pd.DataFrame:
    """Every engagement date abm knows per account: the hub's last engagement, each
    contact's last activity, and the dated rows of the engagement exports."""
    frames = [pd.DataFrame({"account_id": base["account_id"], "date": base["last_engaged"]}),
              pd.DataFrame({"account_id": contacts["account_id"],
                            "date": contacts["last_active"]})]
    if events is not None and len(events):
        frames.append(events[["account_id", "date"]])
    history = pd.concat(frames, ignore_index=True)
    known = history["date"].notna() & history["account_id"].astype(str).ne("")
    return history[known].drop_duplicates(ignore_index=True)


def _engaged(base: pd.DataFrame, history: pd.DataFrame, since: dt.date | None) -> pd.Series:
    """Engaged in the period: an engagement date of the account falls in it (any
    engagement on record when no period is set)."""
    active = set(history.loc[_in_window(history["date"], since), "account_id"])
    return base["account_id"].isin(active)


def _in_period(opps: pd.DataFrame, since: dt.date | None) -> pd.Series:
    if since is None:
        return pd.Series(True, index=opps.index, dtype=bool)
    return _in_window(opps["created"], since)


def _influenced(opps: pd.DataFrame, history: pd.DataFrame,
                model: MeasureModel) -> pd.Series:
    """True when an engagement date of the account falls in the influence window
    (created - influence_days ... created)."""
    window = dt.timedelta(days=model.settings.influence_days)
    dates: dict[str, list[dt.date]] = {}
    for account, day in zip(history["account_id"].tolist(), history["date"].tolist(),
                            strict=True):
        dates.setdefault(account, []).append(day)
    return pd.Series([
        created is not None and any(created - window <= d <= created
                                    for d in dates.get(account, ()))
        for account, created in zip(opps["account_id"].tolist(), opps["created"].tolist(),
                                    strict=True)],
        index=opps.index, dtype=bool)


def _group_masks(base: pd.DataFrame) -> dict[str, pd.Series]:
    masks = {tier: base["tier"] == tier for tier in TIERED}
    masks[ALL_TARGET] = base["target"]
    masks[NON_TARGET] = base["non_target"]
    masks[CUSTOMERS] = base["customer"]
    return masks


def _opp_group_masks(counted: pd.DataFrame) -> dict[str, pd.Series]:
    masks = {tier: counted["group"] == tier for tier in TIERED}
    masks[ALL_TARGET] = counted["group"].isin(TIERED)
    masks[NON_TARGET] = counted["group"] == NON_TARGET
    masks[CUSTOMERS] = counted["group"] == CUSTOMERS
    masks[OUTSIDE] = counted["group"] == OUTSIDE
    return masks


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _funnel(base: pd.DataFrame, counted: pd.DataFrame) -> pd.DataFrame:
    with_opp = set(counted["account_id"])
    won = set(counted.loc[counted["status"] == WON, "account_id"])
    rows = []
    for group, mask in _group_masks(base).items():
        ids = base.loc[mask, "account_id"]
        n, engaged = len(ids), int(base.loc[mask, "engaged"].sum())
        opp = int(ids.isin(with_opp).sum())
        wins = int(ids.isin(won).sum())
        rows.append({"group": group, "accounts": n, "engaged": engaged,
                     "with opportunity": opp, "won": wins,
                     "engaged %": _share(engaged, n), "opportunity %": _share(opp, n),
                     "won % of opportunity": _share(wins, opp)})
    return pd.DataFrame(rows)


def _pipeline(counted: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for group, mask in _opp_group_masks(counted).items():
        part = counted[mask]
        amount = part["amount_value"]
        rows.append({
            "group": group, "opportunities": len(part),
            "pipeline created": float(amount.sum()),
            "open opportunities": int((part["status"] == OPEN).sum()),
            "open pipeline": float(amount[part["status"] == OPEN].sum()),
            "won": int((part["status"] == WON).sum()),
            "won amount": float(amount[part["status"] == WON].sum()),
            "influenced pipeline": float(amount[part["influenced"]].sum()),
            "influenced %": _share(float(amount[part["influenced"]].sum()),
                                   float(amount.sum())),
        })
    return pd.DataFrame(rows)


def _deal_figures(part: pd.DataFrame) -> dict[str, float | int | None]:
    won = part[part["status"] == WON]
    closed = int(part["status"].isin([WON, LOST]).sum())
    amounts = won["amount_value"].dropna()
    days = [(c - s).days for s, c, ok in zip(won["created"], won["closed"],
                                              won["usable_days"], strict=True)
            if ok and s is not None and c is not None]
    return {"closed deals": closed, "won deals": len(won),
            "win rate": _share(len(won), closed),
            "average deal": float(amounts.mean()) if len(amounts) else None,
            "days to close": float(np.mean(days)) if days else None}


def _lift(base: pd.DataFrame, counted: pd.DataFrame, min_deals: int,
          have_opps: bool) -> pd.DataFrame:
    if not have_opps:
        return pd.DataFrame(columns=["measure", "cohort", "target", "cohort value",
                                     "lift", "target deals", "cohort deals"])
    cohorts = {NON_TARGET: base["non_target"], LOOKALIKE: base["lookalike"],
               SAMPLE: base["sample"]}
    target = _deal_figures(counted[counted["group"].isin(TIERED)])
    rows = []
    for cohort, mask in cohorts.items():
        ids = set(base.loc[mask, "account_id"])
        other = _deal_figures(counted[counted["account_id"].isin(ids)])
        for measure in ("win rate", "average deal", "days to close"):
            rows.append(_lift_row(measure, cohort, target, other, min_deals))
    return pd.DataFrame(rows)


def _lift_row(measure: str, cohort: str, target: dict, other: dict, min_deals: int) -> dict:
    deals = "closed deals" if measure == "win rate" else "won deals"
    ours, theirs = target[measure], other[measure]
    enough = min(target[deals], other[deals]) >= min_deals
    if not enough:
        lift: object = TOO_FEW
    elif ours is None or theirs is None:
        lift = "no figure"
    elif theirs == 0:
        lift = "cohort is 0: no ratio"
    else:
        lift = round(float(ours) / float(theirs), 2)
    return {"measure": measure, "cohort": cohort, "target": ours, "cohort value": theirs,
            "lift": lift, "target deals": target[deals], "cohort deals": other[deals]}


# --- buying committee -------------------------------------------------------------------


def _persona_counts(contacts: pd.DataFrame, personas: list[Persona],
                    since: dt.date | None) -> pd.DataFrame:
    """Per contact: one boolean column per persona it fills, and `engaged`."""
    table = pd.DataFrame({"account_id": contacts["account_id"]})
    for persona in personas:
        fills = pd.Series(True, index=contacts.index)
        if persona.seniority:
            fills &= contacts["seniority"].isin(persona.seniority)
        if persona.function:
            fills &= contacts["function"].isin(persona.function)
        table[persona.name] = fills.astype(bool)
    table["engaged"] = _in_window(contacts["last_active"], since) if since else (
        contacts["last_active"].notna())
    return table


def _personas_engaged(table: pd.DataFrame, personas: list[Persona]) -> pd.Series:
    """Per account: how many personas have at least one engaged contact."""
    names = [p.name for p in personas]
    engaged = table[table["engaged"]]
    if engaged.empty or not names:
        return pd.Series(dtype=int)
    return engaged.groupby("account_id")[names].any().sum(axis=1)


def _account_personas(targets: pd.DataFrame, table: pd.DataFrame, contacts: pd.DataFrame,
                      personas: list[Persona], since: dt.date | None) -> pd.DataFrame:
    names = [p.name for p in personas]
    grouped = table[table["account_id"].isin(set(targets["account_id"]))].groupby("account_id")
    counts = grouped[[*names, "engaged"]].sum() if len(table) else pd.DataFrame(
        columns=[*names, "engaged"])
    contacts_per = grouped.size() if len(table) else pd.Series(dtype=int)
    out = targets[["account_id", "account_name", "domain", "tier"]].copy()
    out["contacts"] = out["account_id"].map(contacts_per).fillna(0).astype(int)
    out["engaged contacts"] = out["account_id"].map(counts["engaged"]).fillna(0).astype(int)
    for name in names:
        out[name] = out["account_id"].map(counts[name]).fillna(0).astype(int)
    covered = (out[names] > 0).sum(axis=1) if names else 0
    out["personas covered"] = covered
    out["persona coverage %"] = covered / len(names) if names else None
    out["missing personas"] = [
        "; ".join(n for n, count in zip(names, counts_row, strict=True) if count == 0)
        for counts_row in out[names].to_numpy()] if names and len(out) else ""
    return out.reset_index(drop=True)


def _coverage(base: pd.DataFrame, per_account: pd.DataFrame, table: pd.DataFrame,
              personas: list[Persona]) -> pd.DataFrame:
    contacts_per = table.groupby("account_id").size() if len(table) else pd.Series(dtype=int)
    rows = []
    for group, mask in _group_masks(base).items():
        ids = base.loc[mask, "account_id"]
        n = len(ids)
        counts = ids.map(contacts_per).fillna(0)
        row = {"group": group, "accounts": n,
               "with fit data %": _share(int(base.loc[mask, "has_fit"].sum()), n),
               "with contacts %": _share(int((counts > 0).sum()), n),
               "with 3+ contacts %": _share(int((counts >= 3).sum()), n),
               "contacts per account": float(counts.mean()) if n else None}
        if group in (*TIERED, ALL_TARGET):  # personas are defined for target accounts
            covered = per_account.loc[per_account["account_id"].isin(set(ids)),
                                      "persona coverage %"]
            row["covering 75%+ of personas %"] = _share(int((covered >= 0.75).sum()), n)
        rows.append(row)
    return pd.DataFrame(rows)


def _persona_coverage(per_account: pd.DataFrame, personas: list[Persona]) -> pd.DataFrame:
    n = len(per_account)
    return pd.DataFrame([{
        "persona": p.name,
        "rule": _persona_rule(p),
        "target accounts covered": int((per_account[p.name] > 0).sum()) if n else 0,
        "covered %": _share(int((per_account[p.name] > 0).sum()), n) if n else None,
        "contacts": int(per_account[p.name].sum()) if n else 0,
    } for p in personas])


def _persona_rule(persona: Persona) -> str:
    seniority = " or ".join(persona.seniority) or "any seniority"
    function = " or ".join(persona.function) or "any function"
    return f"{seniority} in {function}"


def _committee(targets: pd.DataFrame, contacts: pd.DataFrame, table: pd.DataFrame,
               personas: list[Persona]) -> pd.DataFrame:
    """The buying committee of each target account: its contacts ranked by seniority,
    with the personas each fills and whether they engaged."""
    names = [p.name for p in personas]
    at_target = contacts["account_id"].isin(set(targets["account_id"])).to_numpy()
    people, roles = contacts[at_target], table[at_target]
    accounts = targets.set_index("account_id")
    filled = [", ".join(n for n, hit in zip(names, row, strict=True) if hit)
              for row in roles[names].to_numpy()] if names else [""] * len(people)
    frame = pd.DataFrame({
        "account_name": people["account_id"].map(accounts["account_name"]).to_numpy(),
        "tier": people["account_id"].map(accounts["tier"]).to_numpy(),
        "contact": people["contact"].to_numpy(), "title": people["title"].to_numpy(),
        "seniority": people["seniority"].to_numpy(), "function": people["function"].to_numpy(),
        "personas": filled, "last activity": people["last_active"].to_numpy(),
        "engaged": roles["engaged"].to_numpy(), "account_id": people["account_id"].to_numpy()})
    rank = frame["seniority"].map({level: i for i, level in enumerate(SENIORITIES)})
    return (frame.assign(_rank=rank)
            .sort_values(["tier", "account_name", "_rank", "contact"], kind="stable")
            .drop(columns="_rank").reset_index(drop=True))


def _gaps(per_account: pd.DataFrame, personas: list[Persona]) -> pd.DataFrame:
    """One row per target account and persona it lacks, with the titles to ask for."""
    columns = ["account_name", "domain", "tier", "missing persona", "titles to look for",
               "account_id"]
    frames = [pd.DataFrame(columns=columns)]
    for persona in personas:
        missing = per_account[per_account[persona.name] == 0]
        frames.append(pd.DataFrame({
            "account_name": missing["account_name"], "domain": missing["domain"],
            "tier": missing["tier"], "missing persona": persona.name,
            "titles to look for": "; ".join(persona.titles) or _persona_rule(persona),
            "account_id": missing["account_id"]}))
    frame = pd.concat(frames, ignore_index=True)[columns]
    return frame.sort_values(["tier", "account_name", "missing persona"], kind="stable",
                             ignore_index=True)


# --- sheets' tables ----------------------------------------------------------------------


def _opportunity_sheet(opps: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    names = dict(zip(base["account_id"], base["account_name"], strict=True))
    return pd.DataFrame({
        "source_file": opps.get("source_file_label", ""), "row": opps["_row"],
        "opportunity": opps["opportunity_name"], "account_id": opps["account_id"],
        "account_name": opps["account_id"].map(names).fillna(""),
        "group": opps["group"], "matched by": opps["match"], "stage": opps["deal_stage"],
        "status": opps["status"].replace("", "unmapped"),
        "amount": opps["amount_value"], "currency": opps["currency_code"],
        "created": opps["created"], "closed": opps["closed"],
        "in period": opps["in_period"], "influenced": opps["influenced"],
        "personas engaged": opps["personas engaged"],
        "whole committee engaged": opps["whole committee engaged"],
        "problems": opps["problems"]})


def _issues(opps: list[MeasureInput], opp_rows: pd.DataFrame, people: list[MeasureInput],
            contacts: pd.DataFrame) -> pd.DataFrame:
    """Every row problem, and every row whose account is not in the hub, by file and row;
    `what` names the opportunity or the contact (and company)."""
    frames = [item.issues for item in opps]
    for item in [*opps, *people]:
        outside = item.lineage["account_id"].to_numpy() == ""
        if outside.any():
            rows = item.rows[outside]
            frames.append(pd.DataFrame({
                "source_file": item.source.label, "row": rows["_row"].to_numpy(),
                "what": _row_names(rows, item.source.family),
                "problem": item.lineage.loc[outside, "reason"].to_numpy(),
                "counted": "under Not in hub, never as a target account"}))
    return _concat(frames, ISSUE_COLUMNS)[ISSUE_COLUMNS].reset_index(drop=True)


def _row_names(rows: pd.DataFrame, family: str) -> list[str]:
    """What a row is, for a person reading the Issues sheet."""
    company = rows["name"].fillna("").astype(str) if "name" in rows else None
    if family == "opportunities" and "opportunity_name" in rows:
        label = rows["opportunity_name"].fillna("").astype(str)
    elif "contact" in rows:
        label = rows["contact"].fillna("").astype(str)
    else:
        label = pd.Series("", index=rows.index)
    if company is not None:
        label = label.where(company == "", label + " (" + company + ")")
    return [text.strip() or family for text in label.tolist()]


def _input_facts(item: MeasureInput) -> dict[str, object]:
    counts = item.lineage["match"].value_counts()
    return {"file": item.source.label, "family": item.source.family,
            "layout": item.source.layout.vendor, "rows": item.source.rows,
            "matched": {k: int(v) for k, v in counts.items()}}


def _kpis(card: Scorecard, base: pd.DataFrame, counted: pd.DataFrame, contacts: pd.DataFrame,
          have_opps: bool, have_contacts: bool) -> dict[str, object]:
    targets = base[base["target"]]
    n = len(targets)
    kpis: dict[str, object] = {
        "target_accounts": n,
        "engaged_target_accounts": int(targets["engaged"].sum()),
        "engaged_target_share": _share(int(targets["engaged"].sum()), n),
        "target_contacts_engaged": int(card.accounts["engaged contacts"].sum())
        if have_contacts and len(card.accounts) else 0,
        "target_with_fit_data_share": _share(int(targets["has_fit"].sum()), n),
    }
    if have_opps:
        target_opps = counted[counted["group"].isin(TIERED)]
        pipeline = float(target_opps["amount_value"].sum())
        influenced = float(target_opps.loc[target_opps["influenced"], "amount_value"].sum())
        kpis.update({
            "target_pipeline": pipeline,
            "target_open_pipeline": float(target_opps.loc[target_opps["status"] == OPEN,
                                                          "amount_value"].sum()),
            "target_opportunities": len(target_opps),
            "influenced_pipeline": influenced,
            "influenced_share": _share(influenced, pipeline),
            "target_win_rate": _deal_figures(target_opps)["win rate"],
            "opportunity_issues": int(card.issues["source_file"].isin(
                {i["file"] for i in card.inputs if i["family"] == "opportunities"}).sum()),
        })
    if have_contacts:
        per = card.accounts
        kpis.update({
            "target_contacts": int(per["contacts"].sum()) if len(per) else 0,
            "engaged_contacts_per_target_account": _share(
                int(per["engaged contacts"].sum()) if len(per) else 0, n),
            "target_with_3_contacts_share": _share(int((per["contacts"] >= 3).sum()), n),
            "target_deals_whole_committee_engaged": int(
                counted.loc[counted["group"].isin(TIERED), "whole committee engaged"].sum()),
            "persona_coverage_75_share": _share(
                int((per["persona coverage %"] >= 0.75).sum()), n),
            "gaps": len(card.gaps),
        })
    return kpis
