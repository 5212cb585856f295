"""The facts the Goldilocks method reads, shared by scoring, tiering and explain.

- *Engagement* is something people at the account did: web activity
  (`engagement_last_date`), a meeting, a reply, a form fill, or an engagement spike.
  An email we sent (`relationship_last_interaction` may be one) is not engagement.
  Everything counts only inside the engagement window `[tiers] recent_engagement_days`:
  a vendor spike whose Spike End is older than the window no longer counts.
- *Intent* is a topic surge. When `[intent] topics` names the topics that matter (and
  `only_topics_count` is left true), only surges on those count; the others are shown.
- *Account type* comes from the CRM (`crm_type`: Salesforce `Type`, HubSpot `Lifecycle
  Stage` or `Type`): customer, former customer, partner or prospect.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from abmcli.schema import topic_column
from abmcli.stages.typed import age_in_days, flags, numbers

# --- engagement -------------------------------------------------------------------------

# Hub column -> what someone at the account did, in the words tier_reason uses. Order
# matters for ties: a meeting on the same day as a page view is told as the meeting.
ENGAGEMENT_DATES = {
    "relationship_last_meeting": "met",
    "engagement_last_meeting": "met",
    "relationship_last_reply": "replied",
    "engagement_last_reply": "replied",
    "engagement_last_form_fill": "filled in a form",
    "engagement_last_date": "engaged",
}
# Engagement a person chose to give: a meeting or a reply rates "highly engaged".
PERSONAL_ENGAGEMENT = ("relationship_last_meeting", "engagement_last_meeting",
                       "relationship_last_reply", "engagement_last_reply")


@dataclass
class EngagementFacts:
    """Per account, what the method counts as engagement on the run date."""

    days: pd.Series  # days since the latest engagement of any kind (NaN: none dated)
    kind: pd.Series  # "met", "replied", "filled in a form", "engaged" ("" without)
    spike: pd.Series  # an engagement spike inside the window (undated vendor spikes count)
    spike_days: pd.Series  # days since the spike (NaN: no spike or undated)
    personal: pd.Series  # a meeting or a reply inside the window
    recent: pd.Series  # a spike or any engagement inside the window
    window: int

    def freshest_days(self) -> pd.Series:
        """Days since the latest engagement or counting spike, what scores age by."""
        return pd.concat([self.days, self.spike_days], axis=1).min(axis=1)


def engagement_facts(hub: pd.DataFrame, as_of: dt.date, window: int) -> EngagementFacts:
    """Recent engagement of every account: meetings, replies and form fills count as
    much as web activity; a spike counts only when dated inside the window."""
    ages = pd.DataFrame({column: age_in_days(hub, column, as_of)
                         for column in ENGAGEMENT_DATES}, index=hub.index)
    days = ages.min(axis=1)
    nearest = ages.fillna(np.inf).to_numpy().argmin(axis=1)
    words = np.array(list(ENGAGEMENT_DATES.values()), dtype=object)
    kind = pd.Series(np.where(days.notna(), words[nearest], ""), index=hub.index, dtype=object)
    spike_days = age_in_days(hub, "engagement_spike_date", as_of)
    spike = flags(hub, "engagement_spike") & ~(spike_days > window)
    personal = ages[list(PERSONAL_ENGAGEMENT)].min(axis=1) <= window
    return EngagementFacts(days=days, kind=kind, spike=spike,
                           spike_days=spike_days.where(spike), personal=personal,
                           recent=spike | (days <= window), window=window)


# --- intent -----------------------------------------------------------------------------


@dataclass
class IntentFacts:
    """Per account, the surges the method counts."""

    surge_date_column: str  # the hub column dating the counted surges
    surge_days: pd.Series  # days since the latest counted surge (NaN: none)
    topics: pd.Series  # the counted topics surging at the latest report, ", "-joined
    count: pd.Series  # how many
    others: pd.Series  # surging topics at the latest report that do not count
    strength: pd.Series  # the highest latest score on a counted topic (NaN: no intent)
    relevant: list[str]  # the topics that count; [] when every topic counts


def intent_facts(hub: pd.DataFrame, as_of: dt.date, relevant: list[str]) -> IntentFacts:
    """Every surge counts without relevant topics; with them, only surges on them."""
    wanted = {topic.casefold() for topic in relevant}
    listed = _topic_texts(hub, "intent_topics")  # surging at the latest report
    split = _per_distinct_list(listed, lambda topics: topics)
    total = pd.to_numeric(hub.get("intent_surging_topics", pd.Series(np.nan, index=hub.index)),
                          errors="coerce").fillna(split.map(len)).astype("int64")
    if not relevant:
        strength = numbers(hub, "intent_max_score")
        return IntentFacts("intent_last_surge_date",
                           age_in_days(hub, "intent_last_surge_date", as_of),
                           split.map(", ".join), total, total * 0,
                           strength.astype("float64"), [])

    def ours(topics: list[str]) -> list[str]:
        return [t for t in topics if t.casefold() in wanted]

    others = total - _per_distinct_list(listed, ours).map(len)
    if "intent_relevant_surge_date" in hub.columns:
        column = "intent_relevant_surge_date"
        counted = _per_distinct_list(_topic_texts(hub, "intent_relevant_topics"), ours)
    else:  # a hub merged before the topics were named: the latest report tells
        column = "intent_latest_date"
        counted = _per_distinct_list(listed, ours)
    surge_days = age_in_days(hub, column, as_of).where(counted.map(bool))
    return IntentFacts(column, surge_days, counted.map(", ".join),
                       counted.map(len).astype("int64"), others.clip(lower=0),
                       _topic_strength(hub, relevant), list(relevant))


def _per_distinct_list(texts: pd.Series, pick: Callable[[list[str]], list[str]]) -> pd.Series:
    """`pick` applied to each "a; b"-list once per distinct text: accounts share a few
    hundred topic lists."""
    table = {text: pick([t.strip() for t in text.split(";") if t.strip()])
             for text in texts.unique()}
    return texts.map(table)


def _topic_texts(hub: pd.DataFrame, column: str) -> pd.Series:
    """A "; "-joined topic column as text ("" when missing)."""
    if column not in hub.columns:
        return pd.Series("", index=hub.index, dtype=object)
    values = hub[column]
    return values.astype(object).where(values.notna(), "").astype(str)


def _topic_strength(hub: pd.DataFrame, relevant: list[str]) -> pd.Series:
    """The highest latest score on a relevant topic; 0 for accounts with intent data but
    none on those topics; NaN without intent data."""
    columns = [topic_column(t) for t in relevant]
    present = [c for c in columns if c in hub.columns]
    best = (pd.concat([numbers(hub, c) for c in present], axis=1).max(axis=1) if present
            else pd.Series(np.nan, index=hub.index))
    has_intent = numbers(hub, "intent_max_score").notna()
    return best.where(best.notna() | ~has_intent, 0.0).astype("float64")


# --- account type -----------------------------------------------------------------------

# The CRM's words for an account type -> the method's; first match wins, so "Former
# Customer" is read before "Customer". HubSpot's lifecycle stage "evangelist" is a
# customer who advocates.
ACCOUNT_TYPE_WORDS = (
    ("former customer", re.compile(r"\b(former|ex|past|lost|churned|inactive)\b.*customer"
                                   r"|customer.*\b(churned|lost|former)\b|^churned\b")),
    ("customer", re.compile(r"\bcustomer\b|\bclient\b|^evangelist$")),
    ("partner", re.compile(r"\bpartner\b|\breseller\b|\bintegrator\b")),
)


def account_types(hub: pd.DataFrame) -> pd.Series:
    """customer / former customer / partner / prospect, or "" when the CRM gives no type."""
    if "crm_type" not in hub.columns:
        return pd.Series("", index=hub.index, dtype=object)
    values = hub["crm_type"].astype(object).where(hub["crm_type"].notna(), "").astype(str)
    return values.map({v: _account_type(v) for v in values.unique()}).astype(object)


def _account_type(text: str) -> str:
    words = " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())
    if not words:
        return ""
    return next((name for name, pattern in ACCOUNT_TYPE_WORDS if pattern.search(words)),
                "prospect")
