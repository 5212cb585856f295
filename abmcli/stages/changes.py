"""What changed between two runs: the accounts a team should look at this week.

Accounts are paired by `account_id`, which is derived from the domain (or name) and so
stays the same week after week; an account whose id changed because it gained a domain
is paired by its CRM id. Compared with the older table, the newer one has:

- **new account** / **dropped account**: an id in only one of the two; a dropped
  account says why: merged into another by an accepted decision, or not in any export
  since the week it was last seen (past `abm run`'s carry window);
- **domain added** / **domain changed** / **domain removed**: the account's website
  (a CRM account that got one, paired by its CRM id; the detail names the account_id
  it had);
- **data carried** / **data expired**: a family's data the weekly run kept from an
  earlier week because this week's export lacks the account (the `carried` column), and
  carried data past the carry window;
- **tier up** / **tier down**: a better or worse tier (Tier 1 best, then Tier 2, Tier 3,
  Waitlist, Out of ICP); only when both tables are tiered;
- **new spike**: `engagement_spike` set now and not before;
- **newly surging topics**: `intent_topics` holds topics it did not hold before;
- **score up** / **score down**: `account_score` moved by at least the threshold
  (`[changes] score_threshold`, 10 points).

Every row's `detail` says what moved it: a new surge on a topic, an engagement spike
that ended, a fit rule now met, a new CRM owner, data carried or expired, a capacity
cap. Both tables may be hubs or tier workbooks: a change whose columns one of them lacks is
not reported (a hub has no tiers; an unscored hub has no account_score).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from abmcli import schema
from abmcli.errors import WorkbookError
from abmcli.fields import FAMILIES
from abmcli.keys.values import texts
from abmcli.stages.typed import flags, numbers
from abmcli.xlsx.workbook import ColumnFormat, Sheet

NEW, DROPPED = "new account", "dropped account"
DOMAIN_ADDED, DOMAIN_CHANGED, DOMAIN_REMOVED = "domain added", "domain changed", "domain removed"
CARRIED, EXPIRED = "data carried", "data expired"
TIER_UP, TIER_DOWN = "tier up", "tier down"
NEW_SPIKE, NEW_TOPICS = "new spike", "newly surging topics"
SCORE_UP, SCORE_DOWN = "score up", "score down"
CHANGE_KINDS = (NEW, DROPPED, DOMAIN_ADDED, DOMAIN_CHANGED, DOMAIN_REMOVED, CARRIED, EXPIRED,
                TIER_UP, TIER_DOWN, NEW_SPIKE, NEW_TOPICS, SCORE_UP, SCORE_DOWN)
# How a count of each kind reads: "1 new account", "32 new accounts".
COUNT_WORDS = {
    NEW: ("new account", "new accounts"),
    DROPPED: ("dropped account", "dropped accounts"),
    DOMAIN_ADDED: ("account gained a domain", "accounts gained a domain"),
    DOMAIN_CHANGED: ("account changed its domain", "accounts changed their domain"),
    DOMAIN_REMOVED: ("account lost its domain", "accounts lost their domain"),
    CARRIED: ("account with data carried from an earlier week",
              "accounts with data carried from an earlier week"),
    EXPIRED: ("account with carried data expired", "accounts with carried data expired"),
    TIER_UP: ("account moved up a tier", "accounts moved up a tier"),
    TIER_DOWN: ("account moved down a tier", "accounts moved down a tier"),
    NEW_SPIKE: ("new engagement spike", "new engagement spikes"),
    NEW_TOPICS: ("account newly surging", "accounts newly surging"),
    SCORE_UP: ("account score up", "account scores up"),
    SCORE_DOWN: ("account score down", "account scores down"),
}
CHANGE_COLUMNS = list(schema.names("changes"))
CHANGE_FILLS = {NEW: "#C6EFCE", TIER_UP: "#C6EFCE", DROPPED: "#FFC7CE", TIER_DOWN: "#FFC7CE"}
TOPIC_SEPARATOR = "; "
# Accounts listed per kind of change in summary.json; the counts are always complete.
SUMMARY_LIST_LIMIT = 100


@dataclass
class Changes:
    """The changes from `old` to `new`, one row per account and kind of change."""

    rows: pd.DataFrame  # CHANGE_COLUMNS, in CHANGE_KINDS order
    old: str | None  # what was compared with; None: there was no earlier run
    new: str
    score_threshold: float

    def counts(self) -> dict[str, int]:
        counts = self.rows["change"].value_counts()
        return {kind: int(counts.get(kind, 0)) for kind in CHANGE_KINDS}

    def counts_text(self) -> str:
        """"1 new account, 3 accounts moved down a tier", or "no changes"."""
        return ", ".join(count_text(kind, count) for kind, count in self.counts().items()
                         if count) or "no changes"

    def to_dict(self, limit: int | None = SUMMARY_LIST_LIMIT) -> dict[str, Any]:
        """For summary.json and `abm diff --json`: counts, and up to `limit` accounts per
        kind (None: all)."""
        lists = {}
        for kind in CHANGE_KINDS:
            frame = self.rows[self.rows["change"] == kind].drop(columns="change")
            lists[kind] = frame.head(limit if limit is not None else len(frame)).to_dict(
                orient="records")
        return {"compared_with": self.old, "score_threshold": self.score_threshold,
                "counts": self.counts(), "accounts": lists}


def count_text(kind: str, count: int) -> str:
    """3 and "new account" -> "3 new accounts"."""
    one, many = COUNT_WORDS.get(kind, (kind, kind))
    return f"{count:,} {one if count == 1 else many}"


def first_run(new: str, score_threshold: float) -> Changes:
    """The changes of a run with nothing before it: none."""
    return Changes(pd.DataFrame(columns=CHANGE_COLUMNS), None, new, score_threshold)


def compare_accounts(old: pd.DataFrame, new: pd.DataFrame, score_threshold: float = 10.0,
                     old_label: str = "old", new_label: str = "new",
                     merged_into: dict[str, str] | None = None) -> Changes:
    """Every change from the accounts `old` to the accounts `new` (see the module doc).

    `merged_into` maps the account_id of an old account that an accepted decision joined
    with another to that account's id, so its row says so instead of "dropped".
    """
    for frame, label in ((old, old_label), (new, new_label)):
        if "account_id" not in frame.columns:
            raise WorkbookError(f"{label}: has no account_id column; compare hubs or tier "
                                "workbooks written by abm")
    old = _same_crm_account(old, new)
    old_ids, new_ids = texts(old, "account_id"), texts(new, "account_id")
    pairs = _pair(old, new)
    frames = [
        _arrived(new[~new_ids.isin(old_ids)]),
        _left(old[~old_ids.isin(new_ids)], new, merged_into or {}),
        *_domain_changes(pairs),
        *_carried_changes(pairs),
        *_tier_moves(pairs),
        _new_spikes(pairs),
        _new_topics(pairs),
        *_score_moves(pairs, score_threshold),
    ]
    rows = pd.concat([f for f in frames if not f.empty] or [_empty()], ignore_index=True)
    return Changes(_sorted(rows), old_label, new_label, score_threshold)


def _same_crm_account(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """`old` with each account that is gone under its id but whose CRM id one new
    account holds given that account's id: a CRM account that gained a website keeps
    its CRM id while its account_id (from the name, now from the domain) changes."""
    if "crm_id" not in old.columns or "crm_id" not in new.columns:
        return old
    new_ids = texts(new, "account_id")
    holder: dict[str, set[str]] = {}
    for account, crm_ids in zip(new_ids, texts(new, "crm_id"), strict=True):
        for crm_id in _crm_ids(crm_ids):
            holder.setdefault(crm_id, set()).add(account)
    present = set(new_ids)
    renamed = []
    for account, crm_ids in zip(texts(old, "account_id"), texts(old, "crm_id"), strict=True):
        found = {held for crm_id in _crm_ids(crm_ids) for held in holder.get(crm_id, ())}
        renamed.append(found.pop() if account not in present and len(found) == 1 else account)
    return old.assign(account_id=renamed, **{WAS_ID: texts(old, "account_id")})


def _crm_ids(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _pair(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Accounts in both: the new row's columns, and `old_<column>` for the ones compared."""
    compared = [c for c in (*COMPARED_COLUMNS, WAS_ID) if c in old.columns]
    before = old[["account_id", *compared]].rename(columns={c: f"old_{c}" for c in compared})
    return new.merge(before.drop_duplicates("account_id"), on="account_id", how="inner")


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=[*CHANGE_COLUMNS, "_order"])


def _rows(accounts: pd.DataFrame, kind: str, before: Any, after: Any, detail: Any = "",
          order: Any = None) -> pd.DataFrame:
    """Change rows for `accounts`; `order` sorts within the kind (lowest first)."""
    return pd.DataFrame({
        "change": kind,
        "account_id": texts(accounts, "account_id"),
        "account_name": texts(accounts, "account_name"),
        "domain": texts(accounts, "domain"),
        "tier": texts(accounts, "tier"),
        "before": before, "after": after, "detail": detail,
        "_order": -numbers(accounts, "account_score").fillna(-1) if order is None else order,
    }).reset_index(drop=True)


# The old account's own account_id, kept when its CRM id paired it with a new one.
WAS_ID = "was_account_id"
COMPARED_COLUMNS = (
    "domain", "tier", "tier_reason", "account_score", "fit_score", "fit_reasons", "intent_score",
    "relationship_score", "engagement_score", "engagement_spike", "engagement_spike_pct",
    "intent_topics", "crm_owner", "acv_band", "carried", *(f"has_{f}" for f in FAMILIES),
)


def _arrived(accounts: pd.DataFrame) -> pd.DataFrame:
    return _rows(accounts, NEW, "", _standing(accounts), _families_text(accounts))


def _families_text(accounts: pd.DataFrame) -> pd.Series:
    """"in the fit and crm exports" from the has_* flags; "" without them."""
    present = [(family, flags(accounts, f"has_{family}")) for family in FAMILIES
               if f"has_{family}" in accounts.columns]
    listed = [[family for family, has in present if has.iloc[i]] for i in range(len(accounts))]
    return pd.Series([f"in the {_and(names)} export{'s' if len(names) > 1 else ''}"
                      if names else "not in the earlier run" for names in listed],
                     index=accounts.index, dtype=object)


def _and(items: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _left(accounts: pd.DataFrame, new: pd.DataFrame,
          merged_into: dict[str, str]) -> pd.DataFrame:
    names = dict(zip(texts(new, "account_id"), texts(new, "account_name"), strict=True))
    domains = dict(zip(texts(new, "account_id"), texts(new, "domain"), strict=True))
    details = []
    for account, carried, has in zip(texts(accounts, "account_id"), texts(accounts, "carried"),
                                     _has_families(accounts), strict=True):
        into = merged_into.get(account)
        if into in names:
            where = f" ({domains[into]})" if domains[into] else ""
            details.append(f"merged into {names[into]}{where} by an accepted decision")
        elif carried:
            weeks = carried_families(carried)
            details.append(f"last seen {max(weeks.values())}: not in any export since, and "
                           f"the {', '.join(weeks)} data carried since then expired")
        else:
            families = f" (had {', '.join(has)} data)" if has else ""
            details.append(f"not in this week's exports{families}")
    return _rows(accounts, DROPPED, _standing(accounts), "", details)


def _has_families(accounts: pd.DataFrame) -> list[list[str]]:
    present = [(family, flags(accounts, f"has_{family}").tolist()) for family in FAMILIES]
    return [[family for family, has in present if has[i]] for i in range(len(accounts))]


def _domain_changes(pairs: pd.DataFrame) -> list[pd.DataFrame]:
    """Accounts whose domain was added, changed or removed: a CRM account that got a
    website keeps its CRM id, and Changes pairs it by that id under a new account_id."""
    if "old_domain" not in pairs.columns:
        return []
    now, was = texts(pairs, "domain").str.lower(), texts(pairs, "old_domain").str.lower()
    renamed = texts(pairs, f"old_{WAS_ID}")
    detail = pd.Series([f"account_id was {old}" if old and old != new else ""
                        for old, new in zip(renamed, texts(pairs, "account_id"), strict=True)],
                       index=pairs.index, dtype=object)
    rows = []
    for kind, moved in ((DOMAIN_ADDED, (was == "") & (now != "")),
                        (DOMAIN_CHANGED, (was != "") & (now != "") & (was != now)),
                        (DOMAIN_REMOVED, (was != "") & (now == ""))):
        accounts = pairs[moved]
        rows.append(_rows(accounts, kind, texts(accounts, "old_domain"),
                          texts(accounts, "domain"), detail[moved]))
    return rows


def _carried_parts(text: str) -> dict[str, str]:
    """"fit from 2026-W47; crm from 2026-W46 (1 of 2 rows)" -> {"fit": "fit from
    2026-W47", "crm": "crm from 2026-W46 (1 of 2 rows)"}."""
    return {part.strip().partition(" from ")[0]: part.strip()
            for part in str(text).split(";") if " from " in part}


def carried_families(text: str) -> dict[str, str]:
    """"fit from 2026-W47; crm from 2026-W46 (1 of 2 rows)" -> {"fit": "2026-W47",
    "crm": "2026-W46"}."""
    found = {}
    for part in str(text).split(";"):
        family, _, rest = part.strip().partition(" from ")
        if family and rest:
            found[family] = rest.split()[0]
    return found


def _carried_changes(pairs: pd.DataFrame) -> list[pd.DataFrame]:
    """Data newly carried from an earlier week, and carried data that expired."""
    if "carried" not in pairs.columns:
        return []
    now = texts(pairs, "carried").map(carried_families)
    was = texts(pairs, "old_carried").map(carried_families)
    has = pd.DataFrame({f: flags(pairs, f"has_{f}") for f in FAMILIES})
    parts = texts(pairs, "carried").map(_carried_parts)
    started = ["; ".join(text for f, text in p.items() if f not in o)
               for p, o in zip(parts, was, strict=True)]
    ended = [", ".join(f"{f} from {w}" for f, w in o.items()
                       if f not in n and not has.loc[i, f])
             for i, n, o in zip(pairs.index, now, was, strict=True)]
    rows = []
    for kind, what, words in ((CARRIED, started, "{}, not in this week's export"),
                              (EXPIRED, ended, "{} expired: past the carry window")):
        picked = pd.Series(what, index=pairs.index, dtype=object)
        moved = picked != ""
        accounts = pairs[moved]
        rows.append(_rows(accounts, kind, texts(accounts, "old_carried"),
                          texts(accounts, "carried"), picked[moved].map(words.format)))
    return rows


def _standing(accounts: pd.DataFrame) -> pd.Series:
    """The tier when tiered, else the account score, else blank."""
    if "tier" in accounts.columns:
        return texts(accounts, "tier")
    if "account_score" in accounts.columns:
        return numbers(accounts, "account_score").map(_score_text)
    return pd.Series("", index=accounts.index, dtype=object)


def _tier_moves(pairs: pd.DataFrame) -> list[pd.DataFrame]:
    if "tier" not in pairs.columns or "old_tier" not in pairs.columns:
        return []
    rank = {tier: position for position, tier in enumerate(schema.TIER_VALUES)}
    now = texts(pairs, "tier").map(rank)
    was = texts(pairs, "old_tier").map(rank)
    moves = []
    for kind, moved in ((TIER_UP, now < was), (TIER_DOWN, now > was)):
        accounts = pairs[moved]
        moves.append(_rows(accounts, kind, texts(accounts, "old_tier"), texts(accounts, "tier"),
                           why_moved(accounts),
                           order=(now - was)[moved].abs() * -1000 + now[moved]))
    return moves


def _new_spikes(pairs: pd.DataFrame) -> pd.DataFrame:
    if "engagement_spike" not in pairs.columns or "old_engagement_spike" not in pairs.columns:
        return _empty()
    spiking = flags(pairs, "engagement_spike") & ~flags(pairs, "old_engagement_spike")
    accounts = pairs[spiking]
    size = numbers(accounts, "engagement_spike_pct")
    detail = size.map(lambda pct: "" if np.isnan(pct) else f"+{pct:,.0f}% over the baseline")
    return _rows(accounts, NEW_SPIKE, "no spike", "spike", detail)


def _new_topics(pairs: pd.DataFrame) -> pd.DataFrame:
    if "intent_topics" not in pairs.columns or "old_intent_topics" not in pairs.columns:
        return _empty()
    now, was = texts(pairs, "intent_topics"), texts(pairs, "old_intent_topics")
    topic_sets = {value: _topics(value) for value in pd.unique(pd.concat([now, was]))}
    added = [
        TOPIC_SEPARATOR.join(t for t in _topics(n) if t not in topic_sets[w])
        for n, w in zip(now, was, strict=True)
    ]
    added_series = pd.Series(added, index=pairs.index, dtype=object)
    surging = added_series != ""
    accounts = pairs[surging]
    return _rows(accounts, NEW_TOPICS, texts(accounts, "old_intent_topics"),
                 texts(accounts, "intent_topics"), added_series[surging])


def _topics(value: str) -> list[str]:
    return [topic.strip() for topic in value.split(TOPIC_SEPARATOR.strip()) if topic.strip()]


def _score_moves(pairs: pd.DataFrame, threshold: float) -> list[pd.DataFrame]:
    if "account_score" not in pairs.columns or "old_account_score" not in pairs.columns:
        return []
    now, was = numbers(pairs, "account_score"), numbers(pairs, "old_account_score")
    delta = now - was
    moves = []
    for kind, moved in ((SCORE_UP, delta >= max(threshold, 1e-9)),
                        (SCORE_DOWN, -delta >= max(threshold, 1e-9))):
        accounts = pairs[moved]
        points = delta[moved].map(lambda d: f"{d:+.1f} points: ")
        moves.append(_rows(accounts, kind, was[moved].map(_score_text),
                           now[moved].map(_score_text), points + why_moved(accounts),
                           order=-delta[moved].abs()))
    return moves


def _score_text(score: float) -> str:
    return "" if np.isnan(score) else f"{score:.1f}"


def _sorted(rows: pd.DataFrame) -> pd.DataFrame:
    """Kinds in CHANGE_KINDS order; the biggest change first; ties by account_id."""
    kind_order = rows["change"].map({kind: i for i, kind in enumerate(CHANGE_KINDS)})
    order = np.lexsort((rows["account_id"].to_numpy(dtype=str),
                        rows["_order"].to_numpy(dtype="float64"),
                        kind_order.to_numpy(dtype="int64")))
    return rows.iloc[order][CHANGE_COLUMNS].reset_index(drop=True)


def changes_sheet(changes: Changes) -> Sheet:
    """The `Changes` sheet of the tier workbook: one row per account and change."""
    frame = changes.rows
    if changes.old is None:
        frame = pd.DataFrame([{**dict.fromkeys(CHANGE_COLUMNS, ""),
                               "change": "first run",
                               "detail": "no earlier run to compare with"}])
    return Sheet("Changes", frame, formats={"detail": ColumnFormat(width=40)},
                 row_fill="change", fills=CHANGE_FILLS)


# --- what moved an account --------------------------------------------------------------

Row = dict[str, Any]


def why_moved(accounts: pd.DataFrame) -> pd.Series:
    """Per paired account: what moved it, "; "-joined, from every detector in WHY."""
    records = accounts.to_dict("records")
    reasons = []
    for row in records:
        found = [text for detector in WHY for text in detector(row) if text]
        reasons.append("; ".join(found) or _score_story(row, everything=True))
    return pd.Series(reasons, index=accounts.index, dtype=object)


def _text(row: Row, column: str) -> str:
    value = row.get(column)
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return ""
    return str(value).strip()


def _flag(row: Row, column: str) -> bool:
    return _text(row, column).lower() in ("true", "yes", "1", "1.0", "x")


def _number(row: Row, column: str) -> float | None:
    try:
        value = float(_text(row, column))
    except ValueError:
        return None
    return None if np.isnan(value) else value


def _why_carried(row: Row) -> list[str]:
    """Data carried from an earlier week, back in the export, or expired."""
    now = carried_families(_text(row, "carried"))
    was = carried_families(_text(row, "old_carried"))
    found = [f"{family} carried from {week}, not in this week's export"
             for family, week in now.items() if family not in was]
    for family, week in was.items():
        if family in now:
            continue
        found.append(f"{family} back in the export" if _flag(row, f"has_{family}")
                     else f"{family} data from {week} expired")
    for family in FAMILIES:
        if (family not in now and family not in was and f"old_has_{family}" in row
                and _flag(row, f"old_has_{family}") != _flag(row, f"has_{family}")):
            found.append(f"{family} data arrived" if _flag(row, f"has_{family}")
                         else f"no {family} data this week")
    return found


def _fit_rules(text: str) -> dict[str, str]:
    """"industry ✓, country ✗" -> {"industry": "✓", "country": "✗"}."""
    rules = {}
    for part in text.split(", "):
        label, _, symbol = part.strip().rpartition(" ")
        if label and symbol in ("✓", "✗", "?"):
            rules[label] = symbol
    return rules


def _why_fit(row: Row) -> list[str]:
    now, was = _fit_rules(_text(row, "fit_reasons")), _fit_rules(_text(row, "old_fit_reasons"))
    met = [label for label, symbol in now.items() if symbol == "✓" and was.get(label, "✓") != "✓"]
    lost = [label for label, symbol in now.items() if symbol == "✗" and was.get(label) == "✓"]
    unknown = [label for label, symbol in now.items()
               if symbol == "?" and was.get(label) == "✓"]
    return [f"fit rule now met: {', '.join(met)}" if met else "",
            f"fit rule no longer met: {', '.join(lost)}" if lost else "",
            f"no data for fit rule {', '.join(unknown)}" if unknown else ""]


def _why_intent(row: Row) -> list[str]:
    now = _topics(_text(row, "intent_topics"))
    was = _topics(_text(row, "old_intent_topics"))
    added = [topic for topic in now if topic not in was]
    ended = [topic for topic in was if topic not in now]
    return [f"new surge on {', '.join(added)}" if added else "",
            f"surge ended on {', '.join(ended)}" if ended else "",
            _recency(row, "no surge in", "intent surging again")]


def _why_engagement(row: Row) -> list[str]:
    now, was = _flag(row, "engagement_spike"), _flag(row, "old_engagement_spike")
    size = _number(row, "engagement_spike_pct")
    spike = ""
    if now and not was:
        spike = "engagement spike" + (f" +{size:,.0f}%" if size is not None else "")
    elif was and not now:
        spike = "engagement spike ended"
    return [spike, _recency(row, "no engagement in", "engaged again")]


def _recency(row: Row, quiet: str, again: str) -> str:
    """The tier reason's "no surge in 21 days" when it is new, `again` when it went."""
    now, was = _text(row, "tier_reason"), _text(row, "old_tier_reason")
    if not now or not was:
        return ""
    if quiet in now and quiet not in was:
        start = now.index(quiet)
        return now[start:].split(",")[0].split(";")[0]
    return again if quiet in was and quiet not in now else ""


def _why_crm(row: Row) -> list[str]:
    now, was = _text(row, "crm_owner"), _text(row, "old_crm_owner")
    owner = ""
    if now != was and "old_crm_owner" in row:
        owner = (f"CRM owner changed from {was} to {now}" if was and now
                 else f"CRM owner now {now}" if now else f"CRM owner {was} removed")
    band, old_band = _text(row, "acv_band"), _text(row, "old_acv_band")
    acv = f"ACV {old_band} → {band}" if band and old_band and band != old_band else ""
    return [owner, acv]


_CAPPED = re.compile(r"moved down by account score \(([^)]*)\)")


def _why_cap(row: Row) -> list[str]:
    now = _CAPPED.search(_text(row, "tier_reason"))
    was = _CAPPED.search(_text(row, "old_tier_reason"))
    if now and (not was or _text(row, "tier") != _text(row, "old_tier")):
        score, old_score = _number(row, "account_score"), _number(row, "old_account_score")
        scores = (f" (account score {old_score:g} → {score:g})"
                  if score is not None and old_score is not None else "")
        return [f"below the capacity cap ({now.group(1)}), ranked by account score{scores}"]
    if was and not now:
        return ["no longer held back by a capacity cap"]
    return []


def _score_story(row: Row, everything: bool = False) -> str:
    """Family scores that moved 5 points or more; with `everything`, the account score
    when none did."""
    moved = []
    for column in ("fit_score", "intent_score", "relationship_score", "engagement_score"):
        now, was = _number(row, column), _number(row, f"old_{column}")
        if now is not None and was is not None and abs(now - was) >= 5:
            moved.append(f"{column.replace('_', ' ')} {was:g} → {now:g}")
    if moved or not everything:
        return ", ".join(moved)
    now, was = _number(row, "account_score"), _number(row, "old_account_score")
    if now is not None and was is not None:
        return f"account score {was:g} → {now:g}"
    return "the compared workbooks do not say why (no score columns)"


WHY = (_why_carried, _why_fit, _why_intent, _why_engagement, _why_crm, _why_cap,
       lambda row: [_score_story(row)])
