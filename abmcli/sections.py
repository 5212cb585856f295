"""The sections of abm.toml: one dataclass per section, whose defaults are the documented
defaults (README's config reference, examples/abm.toml and `abm init` are checked
against them by tests/test_config_defaults.py).

Only types and defaults live here; `config.py` reads a file into them (one validator for
every section) and the stages check what only they can judge (a segment's filter, an ICP
rule's operator), each reporting `config.Problem` records.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# A field with this metadata key is no setting of the file: the text says why.
NOT_A_SETTING = "not_a_setting"


@dataclass
class ColumnMapping:
    """Maps the columns of files whose name matches `file` (a glob) explicitly; a `file`
    with a folder part ("exports/de_*.csv") is a path relative to the config's folder."""

    file: str = ""
    family: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # header -> canonical field
    # How the file writes numeric dates such as 09/11/2026: true day first (9 November),
    # false month first (September 11). Unset: decided per column from its unambiguous
    # dates (23/11/2026), else month first for "/" and day first for "." and "-".
    day_first: bool | None = None

    def applies_to(self, path: Path, base: Path | None = None) -> bool:
        """Whether `path` is a file this mapping is for (`base`: the config's folder)."""
        pattern = self.file.replace("\\", "/")
        if "/" not in pattern:
            return fnmatch.fnmatch(path.name.lower(), pattern.lower())
        wanted = os.path.join(base or Path.cwd(), os.path.expanduser(pattern))
        return fnmatch.fnmatch(os.path.normpath(os.path.abspath(path)).lower(),
                               os.path.normpath(os.path.abspath(wanted)).lower())


@dataclass
class MatchSettings:
    # A name-only row joins an account whose name key scores at least this (0-100).
    fuzzy_threshold: float = 92.0
    # Two accounts with different domains whose names score at least this are listed
    # as candidates for a reviewer; they are never merged without a decision.
    candidate_threshold: float = 90.0
    # Which source wins when two disagree on a field such as industry or employees.
    precedence: list[str] = field(
        default_factory=lambda: ["crm", "fit", "relationship", "engagement", "intent"]
    )
    # Sources that disagree on employees or revenue by this factor or more (2,500 in the
    # CRM against 150 in ZoomInfo) are flagged in value_conflicts and the Conflicts sheet.
    conflict_ratio: float = 3.0


@dataclass
class IntentSettings:
    # Bombora treats a composite score of 60 or more as a surge.
    surge_threshold: float = 60.0
    # Topics that get a column of their own in the hub (latest max score per topic).
    # When topics are named, only surges on them count as recent intent and in the
    # intent score; surges on other topics are still shown (intent_topics).
    topics: list[str] = field(default_factory=list)
    # false: named topics only add their columns and every topic counts, as before.
    only_topics_count: bool = True

    def relevant_topics(self) -> list[str]:
        """The topics whose surges count; [] means every topic counts."""
        return list(self.topics) if self.only_topics_count else []


@dataclass
class EngagementSettings:
    # Weeks of activity summed into the engagement totals, counted back from the
    # latest week in the file.
    window_weeks: int = 4
    # The latest week is compared with the mean of this many weeks before it.
    baseline_weeks: int = 4
    # A spike is a latest week at least this many times the baseline mean ...
    spike_ratio: float = 1.5
    # ... and with at least this much activity (page views + visits + responses),
    # so that 1 view against a baseline of 0 is not a spike.
    spike_min_activity: float = 10.0


@dataclass
class OutputSettings:
    # Where `abm run` writes its dated folders, relative to the config file.
    folder: str = "abm-output"
    # The reviewer's decisions file every run applies and adds new candidates to;
    # "" means decisions.csv in the output folder.
    decisions: str = ""


@dataclass
class ChangeSettings:
    # The Changes view lists accounts whose account_score moved at least this many points.
    score_threshold: float = 10.0


@dataclass
class MemorySettings:
    # `abm run` keeps an account's fit, CRM and relationship data this many weeks after
    # an export last had it (marked as carried), and its intent and engagement history;
    # 0 turns the memory off, so each run starts from what this week's files hold.
    carry_forward_weeks: int = 4
    # Weeks of intent and engagement history kept across runs (dates older than this
    # before the run's week are forgotten).
    history_weeks: int = 13


# --- scoring -------------------------------------------------------------------------

DEFAULT_ICP_WEIGHTS = {
    "industry": 30.0,
    "employees": 25.0,
    "country": 20.0,
    "revenue": 15.0,
    "technologies": 10.0,
    "funding": 10.0,
}
# Stars by fit (rows) and engagement (columns: none, engaged, highly engaged).
DEFAULT_STAR_GRID = {"high_fit": [3, 4, 5], "medium_fit": [2, 3, 4], "low_fit": [1, 1, 2]}


@dataclass
class IcpRule:
    """`[[icp.rules]]`: a hub column compared to a value (score.py checks the pair)."""

    column: str = ""
    op: str = "=="
    value: Any = None  # text, number, true/false, date, or a list of them for "in"
    weight: float = 10.0
    label: str = ""


@dataclass
class IcpSettings:
    """`[icp]`: the ideal customer profile. A rule left out keeps its default;
    an empty list or table (`employees = {}`) switches the rule off."""

    industries: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    employees: dict[str, float] = field(default_factory=lambda: {"min": 200.0})
    revenue: dict[str, float] = field(default_factory=lambda: {"min": 20_000_000.0})
    technologies: dict[str, list[str]] = field(default_factory=dict)  # any / all
    funding: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)  # over DEFAULT_ICP_WEIGHTS
    rules: list[IcpRule] = field(default_factory=list)


@dataclass
class ScoringSettings:
    """`[scoring]`: how the family scores are computed and blended."""

    weights: dict[str, float] = field(
        default_factory=lambda: {"fit": 40.0, "intent": 30.0, "relationship": 10.0,
                                 "engagement": 20.0}
    )
    intent_decay_days: int = 21
    # Replaced by [tiers] recent_engagement_days (one engagement window); kept so that
    # a config still naming it gets a clear message.
    engagement_decay_days: int | None = None
    breadth_topics: int = 5
    spike_bonus: float = 20.0
    meeting_bonus: float = 30.0
    high_engagement_score: float = 50.0
    star_grid: dict[str, list[int]] = field(
        default_factory=lambda: {row: list(stars) for row, stars in DEFAULT_STAR_GRID.items()})


# --- tiering -------------------------------------------------------------------------

CUSTOMER_HANDLING = ("tier", "expansion", "exclude")


@dataclass
class TierSettings:
    """`[tiers]`: the thresholds of the Goldilocks method and the capacity caps."""

    min_fit: float = 60.0
    tier1_min_fit: float = 80.0
    recent_intent_days: int = 21
    recent_engagement_days: int = 30
    strategic: list[str] = field(default_factory=list)
    max_tier1: int | None = None
    max_tier2: int | None = None
    max_tier3: int | None = None
    # CRM customers: "tier" (with the prospects), "expansion" (listed apart) or "exclude".
    customers: str = "tier"

    def caps(self) -> dict[str, int | None]:
        return {"Tier 1": self.max_tier1, "Tier 2": self.max_tier2, "Tier 3": self.max_tier3}


@dataclass
class AcvBand:
    acv: float | None = None
    employees_min: float | None = None
    revenue_min: float | None = None


DEFAULT_ACV_BANDS = [
    {"employees_min": 5000, "revenue_min": 1_000_000_000, "acv": 150_000},
    {"employees_min": 1000, "revenue_min": 250_000_000, "acv": 100_000},
    {"employees_min": 200, "revenue_min": 50_000_000, "acv": 40_000},
    {"employees_min": 0, "revenue_min": 0, "acv": 10_000},
]


@dataclass
class AcvSettings:
    """`[acv]`: band thresholds, and the bands that estimate ACV from company size.

    An account gets the highest band whose `employees_min` or `revenue_min` it reaches:
    by default 150,000 from 5,000 employees or $1B revenue; 100,000 from 1,000 or $250M;
    40,000 from 200 or $50M; 10,000 for any smaller known size.
    """

    large: float = 100_000.0
    medium: float = 25_000.0
    bands: list[AcvBand] = field(
        default_factory=lambda: [AcvBand(**band) for band in DEFAULT_ACV_BANDS])


# --- campaign lists and CRM uploads --------------------------------------------------

ALERT_GROUP = "crm_owner"


@dataclass
class SegmentSpec:
    """`[segments.<name>]`: which accounts (`where`), in which format, with which columns."""

    name: str = field(default="", metadata={
        NOT_A_SETTING: "the table name is the segment's name"})
    where: str = ""
    format: str = "csv"
    columns: list[str] = field(default_factory=list)
    group_by: str | None = None
    alert: bool = False
    description: str = ""
    # salesforce_update / hubspot_update: hub column -> CRM field; default [crm_fields]
    fields: dict[str, str] = field(default_factory=dict)

    def grouping(self) -> str | None:
        """The column whose values split the output; alerts go to each account owner."""
        return self.group_by or (ALERT_GROUP if self.alert else None)


DEFAULT_SALESFORCE_FIELDS = {"tier": "ABM_Tier__c", "stars": "ABM_Stars__c",
                             "account_score": "ABM_Account_Score__c",
                             "tier_reason": "ABM_Tier_Reason__c"}
DEFAULT_HUBSPOT_FIELDS = {"tier": "abm_tier", "stars": "abm_stars",
                          "account_score": "abm_account_score",
                          "tier_reason": "abm_tier_reason"}


@dataclass
class CrmFields:
    """`[crm_fields]`: per CRM, hub column -> the CRM field that receives it."""

    salesforce: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SALESFORCE_FIELDS))
    hubspot: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_HUBSPOT_FIELDS))

    def of(self, crm: str) -> dict[str, str]:
        """The fields of one CRM (an upload format's `crm`: salesforce or hubspot)."""
        fields: dict[str, str] = getattr(self, crm)
        return fields


# --- measuring -----------------------------------------------------------------------


@dataclass
class StageWords:
    """`[measure.stages]`: the CRM's own stage names, added to the built-in ones."""

    open: list[str] = field(default_factory=list)
    won: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


@dataclass
class Persona:
    """One role of the buying committee: seniorities and functions that fill it."""

    name: str = ""
    seniority: list[str] = field(default_factory=list)
    function: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # what to ask a contact vendor for


@dataclass
class MeasureSettings:
    """`[measure]` and its tables `[measure.stages]`, `[measure.rates]` and
    `[measure.personas.<name>]`."""

    # An opportunity is marketing-influenced when its account engaged within this many
    # days before the opportunity was created.
    influence_days: int = 90
    # Under this many closed deals on either side, a lift says "too few deals".
    min_deals: int = 5
    # The currency amounts are reported in; others need a rate in [measure.rates].
    currency: str = "USD"
    # The start of the measured period (opportunities created on or after it);
    # --since overrides. None: all opportunities.
    since: dt.date | None = None
    # The day the ABM program started: the Trend sheet marks weeks before it as baseline.
    program_start: dt.date | None = None
    stages: StageWords = field(default_factory=StageWords)
    # currency code -> value of 1 unit in `currency`
    rates: dict[str, float] = field(default_factory=dict)
    # None: the built-in buying committee (measure/config.py DEFAULT_PERSONAS)
    personas: dict[str, Persona] | None = None


@dataclass
class LimitSettings:
    """`[limits]`: how much of a file abm reads."""

    # abm reads a whole CSV into memory (about ten times its size), so it refuses
    # larger CSV files with a message instead of exhausting the machine.
    max_input_mb: float = 1024.0

    def max_input_bytes(self) -> int:
        return int(self.max_input_mb * (1 << 20))
