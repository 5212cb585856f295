"""What changed between two runs: the accounts a team should look at this week.

Accounts are paired by `account_id`, which is derived from the domain (or name) and so
stays the same week after week. Compared with the older table, the newer one has:

- **new account** / **dropped account**: an id in only one of the two;
- **tier up** / **tier down**: a better or worse tier (Tier 1 best, then Tier 2, Tier 3,
  Waitlist, Out of ICP); only when both tables are tiered;
- **new spike**: `engagement_spike` set now and not before;
- **newly surging topics**: `intent_topics` holds topics it did not hold before;
- **score up** / **score down**: `account_score` moved by at least the threshold
  (`[changes] score_threshold`, 10 points).

Both tables may be hubs or tier workbooks: a change whose columns one of them lacks is
not reported (a hub has no tiers; an unscored hub has no account_score).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from abmcli.errors import WorkbookError
from abmcli.explain import read_accounts
from abmcli.score import flags, numbers, texts
from abmcli.tier import TIERS
from abmcli.workbook import ColumnFormat, Sheet

NEW, DROPPED = "new account", "dropped account"
TIER_UP, TIER_DOWN = "tier up", "tier down"
NEW_SPIKE, NEW_TOPICS = "new spike", "newly surging topics"
SCORE_UP, SCORE_DOWN = "score up", "score down"
CHANGE_KINDS = (NEW, DROPPED, TIER_UP, TIER_DOWN, NEW_SPIKE, NEW_TOPICS, SCORE_UP, SCORE_DOWN)
CHANGE_COLUMNS = ["change", "account_id", "account_name", "domain", "tier", "before", "after",
                  "detail"]
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


def first_run(new: str, score_threshold: float) -> Changes:
    """The changes of a run with nothing before it: none."""
    return Changes(pd.DataFrame(columns=CHANGE_COLUMNS), None, new, score_threshold)


def compare_workbooks(old_path: Path, new_path: Path, score_threshold: float = 10.0) -> Changes:
    """Compare the accounts of two hub or tier workbooks (see `read_accounts`)."""
    return compare_accounts(read_accounts(Path(old_path)), read_accounts(Path(new_path)),
                            score_threshold, str(old_path), str(new_path))


def compare_accounts(old: pd.DataFrame, new: pd.DataFrame, score_threshold: float = 10.0,
                     old_label: str = "old", new_label: str = "new") -> Changes:
    """Every change from the accounts `old` to the accounts `new` (see the module doc)."""
    for frame, label in ((old, old_label), (new, new_label)):
        if "account_id" not in frame.columns:
            raise WorkbookError(f"{label}: has no account_id column; compare hubs or tier "
                                "workbooks written by abm")
    old_ids, new_ids = texts(old, "account_id"), texts(new, "account_id")
    pairs = _pair(old, new)
    frames = [
        _arrived(new[~new_ids.isin(old_ids)]),
        _left(old[~old_ids.isin(new_ids)]),
        *_tier_moves(pairs),
        _new_spikes(pairs),
        _new_topics(pairs),
        *_score_moves(pairs, score_threshold),
    ]
    rows = pd.concat([f for f in frames if not f.empty] or [_empty()], ignore_index=True)
    return Changes(_sorted(rows), old_label, new_label, score_threshold)


def _pair(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Accounts in both: the new row's columns, and `old_<column>` for the ones compared."""
    compared = [c for c in ("tier", "engagement_spike", "intent_topics", "account_score")
                if c in old.columns]
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


def _arrived(accounts: pd.DataFrame) -> pd.DataFrame:
    return _rows(accounts, NEW, "", _standing(accounts))


def _left(accounts: pd.DataFrame) -> pd.DataFrame:
    return _rows(accounts, DROPPED, _standing(accounts), "")


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
    rank = {tier: position for position, tier in enumerate(TIERS)}
    now = texts(pairs, "tier").map(rank)
    was = texts(pairs, "old_tier").map(rank)
    moves = []
    for kind, moved in ((TIER_UP, now < was), (TIER_DOWN, now > was)):
        accounts = pairs[moved]
        moves.append(_rows(accounts, kind, texts(accounts, "old_tier"), texts(accounts, "tier"),
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
        moves.append(_rows(accounts, kind, was[moved].map(_score_text),
                           now[moved].map(_score_text),
                           delta[moved].map(lambda d: f"{d:+.1f} points"),
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
