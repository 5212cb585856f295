"""The columns abm writes, declared once: the hub (one row per account), the columns
scoring and tiering add, and the Changes sheet.

Every column has a name, a type, the family it belongs to, what it means, how Excel
shows it and the label an upload format gives it. The stages, the filter language, the
workbook writer and reader and the docs take their lists from here:

- `names("hub")`, `names("scores")`, `names("tiers")`, `names("changes")`: the columns
  of each table in the order they are written (the hub's order is `build_hub`'s);
- `find(name)`: the declared column a name is, patterns included
  (`intent_topic_account_based_marketing` is `intent_topic_<slug>`);
- `of_type("list")`, `upload_labels("hubspot")`, `read_types()`: the columns of a kind;
- `markdown(...)`: the column tables of docs/ARCHITECTURE.md (`python -m abmcli.schema
  --markdown` prints them, `--write` rewrites the doc; tests/test_schema.py checks it).

A new hub column is one `Column(...)` line here, in the place the stage writes it.
This module is a foundation: it imports nothing else of abmcli.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

TYPES = {  # type -> how the docs name it
    "text": "text",
    "list": "text, `; `-joined",
    "bool": "bool",
    "int": "int",
    "float": "number",
    "date": "date",
}
TABLES = ("hub", "scores", "tiers", "changes")
# What Excel shows (xlsx/workbook.py NUMBER_FORMATS); None: by the column's values.
EXCEL_KINDS = (None, "text", "int", "money", "score", "year")
PATTERN = re.compile(r"<(\w+)>")


@dataclass(frozen=True)
class Column:
    """One declared column. `name` may hold one `<slug>` part: a pattern of columns, one
    per configured value (`intent_topic_<slug>`: one per `[intent] topics` entry)."""

    name: str
    type: str  # a key of TYPES
    family: str  # account, fit, intent, relationship, engagement, crm, shared, run, ...
    meaning: str
    table: str = "hub"  # the table that adds it (TABLES)
    excel: str | None = None  # Excel number format (EXCEL_KINDS); None: by the values
    width: float | None = None  # Excel column width; None: from the header and values
    labels: dict[str, str] = field(default_factory=dict)  # upload format -> its label

    def __post_init__(self) -> None:
        if self.type not in TYPES or self.table not in TABLES or self.excel not in EXCEL_KINDS:
            raise ValueError(f"column {self.name}: type {self.type!r}, table {self.table!r} "
                             f"or excel {self.excel!r} is not declared")

    @property
    def is_pattern(self) -> bool:
        return PATTERN.search(self.name) is not None

    def matches(self, name: str) -> bool:
        """True when `name` is this column (or, for a pattern, one of its columns)."""
        if not self.is_pattern:
            return name == self.name
        head, _, tail = PATTERN.split(self.name, maxsplit=1)
        return (name.startswith(head) and name.endswith(tail)
                and len(name) > len(head) + len(tail))


def slug(text: str) -> str:
    """`Account Based Marketing` -> `account_based_marketing`, for column names."""
    return re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")


def topic_column(topic: str) -> str:
    """The hub column of one `[intent] topics` entry: `intent_topic_<slug>`."""
    return f"intent_topic_{slug(topic)}"


_HS, _DB = "hubspot", "demandbase"
# The values of the `tier` column, in the order workbooks and reports list them; a tier
# workbook has one sheet per tier, named after it.
TIER_VALUES = ("Tier 1", "Tier 2", "Tier 3", "Waitlist", "Expansion", "Out of ICP",
               "Fit unknown", "Excluded")

COLUMNS: tuple[Column, ...] = (
    # --- the hub: who the account is ----------------------------------------------------
    Column("account_id", "text", "account", "`ACC-` + 10 hex of a hash of the account key "
           "(domain, else `name:` + name key, `name:bolt @ estonia` when rows of one name "
           "are two companies); stable across weeks"),
    Column("account_name", "text", "account", "best original spelling of the name (the "
           "CRM's first, then the one closest to the domain)"),
    Column("domain", "text", "account", "registered domain (empty for name-only accounts)"),
    Column("other_domains", "list", "account", "further domains merged in by a reviewer "
           "decision"),
    Column("coverage", "text", "account", "families present, e.g. `F I - E CRM`; a wholly "
           "carried family in lower case"),
    Column("has_fit", "bool", "account", "the account has fit rows"),
    Column("has_intent", "bool", "account", "the account has intent rows"),
    Column("has_relationship", "bool", "account", "the account has relationship rows"),
    Column("has_engagement", "bool", "account", "the account has engagement rows"),
    Column("has_crm", "bool", "account", "the account has CRM rows"),
    Column("source_rows", "int", "account", "input rows merged into the account",
           excel="int"),
    # --- shared firmographics, resolved by precedence (CRM, fit, others) -----------------
    Column("industry", "text", "shared", "industry, by precedence",
           labels={_HS: "Industry", _DB: "Industry"}),
    Column("industry_source", "text", "shared", "family the industry came from "
           "(intent/engagement when only a signal export carried it)"),
    Column("country", "text", "shared", "country, one spelling per country",
           labels={_HS: "Country/Region"}),
    Column("country_source", "text", "shared", "family the country came from"),
    Column("state", "text", "shared", "state or region, by precedence",
           labels={_HS: "State/Region"}),
    Column("city", "text", "shared", "city, by precedence", labels={_HS: "City"}),
    Column("employees", "int", "shared", "employees, by precedence", excel="int",
           labels={_HS: "Number of Employees", _DB: "Employees"}),
    Column("employees_source", "text", "shared", "family the employee count came from "
           "(e.g. Bombora's Size)"),
    Column("revenue", "float", "shared", "annual revenue in dollars, by precedence",
           excel="money", labels={_HS: "Annual Revenue", _DB: "Annual Revenue"}),
    Column("revenue_source", "text", "shared", "family the revenue came from"),
    Column("value_conflicts", "text", "shared", "employees or revenue that sources (families, "
           "or two files of one family) disagree on by `[match] conflict_ratio` (3) or "
           "more: `employees 2,500 (crm) vs 150 (fit)`, `employees 624,000 (fit forbes.csv) "
           "vs 190,689 (fit pdl.csv)`; \"\" when they agree. Listed on the hub's Conflicts "
           "sheet", width=45.0),
    # --- fit ------------------------------------------------------------------------------
    Column("sub_industry", "text", "fit", "sub-industry"),
    Column("linkedin_url", "text", "fit", "LinkedIn company page",
           labels={_HS: "LinkedIn Company Page"}),
    Column("ticker", "text", "fit", "stock ticker"),
    Column("technologies", "list", "fit", "technologies installed"),
    Column("founded_year", "int", "fit", "year founded (empty when not a plausible year)",
           excel="year"),
    Column("funding", "float", "fit", "total funding in dollars", excel="money"),
    # --- intent -----------------------------------------------------------------------------
    Column("intent_max_score", "float", "intent", "highest topic score at the latest "
           "report date", excel="score"),
    Column("intent_mean_score", "float", "intent", "mean topic score at the latest report "
           "date", excel="score"),
    Column("intent_surging_topics", "int", "intent", "distinct topics with score >= surge "
           "threshold at the latest date", excel="int"),
    Column("intent_topics", "list", "intent", "those topic names, highest score first"),
    Column("intent_latest_date", "date", "intent", "latest report date with any intent row"),
    Column("intent_last_surge_date", "date", "intent", "latest date a topic surged"),
    Column("intent_topic_<slug>", "float", "intent", "per `[intent] topics` entry: its "
           "latest score", excel="score"),
    Column("intent_relevant_topics", "list", "intent", "with `[intent] topics` named: those "
           "of them surging at the latest date (the surges that count), `; `-joined"),
    Column("intent_relevant_surge_date", "date", "intent", "with `[intent] topics` named: "
           "latest date one of them surged"),
    # --- relationship -----------------------------------------------------------------------
    Column("relationship_score", "float", "relationship", "0-100: Weak 25, Moderate 50, "
           "Strong 75, Very Strong 100; scoring keeps it (an empty column without "
           "relationship data)", excel="score"),
    Column("relationship_contacts", "int", "relationship", "contacts with a relationship",
           excel="int"),
    Column("relationship_last_interaction", "date", "relationship", "latest touch of any "
           "kind (an email we sent included)"),
    Column("relationship_last_meeting", "date", "relationship", "latest meeting"),
    Column("relationship_last_reply", "date", "relationship", "latest reply from someone at "
           "the account (engagement)"),
    # --- engagement ---------------------------------------------------------------------------
    Column("engagement_page_views", "float", "engagement", "page views over the window",
           excel="int"),
    Column("engagement_visits", "float", "engagement", "visits over the window", excel="int"),
    Column("engagement_responses", "float", "engagement", "campaign responses over the "
           "window", excel="int"),
    Column("engagement_minutes", "float", "engagement", "engagement minutes over the window"),
    Column("engagement_total", "float", "engagement", "sum of the activity columns over the "
           "window"),
    Column("engagement_last_date", "date", "engagement", "last activity"),
    Column("engagement_spike", "bool", "engagement", "latest week >= spike_ratio x mean of "
           "the previous 4 weeks, or a vendor spike; scoring clears it when the spike's date "
           "is outside `[tiers] recent_engagement_days`"),
    Column("engagement_spike_pct", "float", "engagement", "spike size in percent over "
           "baseline"),
    Column("engagement_spike_date", "date", "engagement", "the spike's week, or the vendor's "
           "Spike End (else Start)"),
    Column("engagement_last_meeting", "date", "engagement", "latest meeting, from "
           "engagement exports that carry it"),
    Column("engagement_last_reply", "date", "engagement", "latest reply, from engagement "
           "exports that carry it"),
    Column("engagement_last_form_fill", "date", "engagement", "latest form fill, from "
           "engagement exports that carry it"),
    # --- CRM -------------------------------------------------------------------------------
    Column("crm_id", "text", "crm", "the CRM's account id",
           labels={_DB: "External Account ID"}),
    Column("crm_owner", "text", "crm", "account owner",
           labels={_HS: "Company owner", _DB: "Owner"}),
    Column("crm_type", "text", "crm", "Salesforce `Type`, HubSpot `Lifecycle Stage` (else "
           "`Type`)"),
    Column("crm_territory", "text", "crm", "territory"),
    Column("crm_duplicate_ids", "list", "crm", "further CRM ids of the same account "
           "(duplicates in the CRM)"),
    Column("crm_open_opportunity", "float", "crm", "open opportunity amount", excel="money"),
    Column("crm_acv", "float", "crm", "the CRM's ACV, else its open opportunity amount",
           excel="money"),
    Column("crm_renewal_date", "date", "crm", "renewal date"),
    # --- the weekly run's memory --------------------------------------------------------------
    Column("carried", "text", "run", "`abm run` only: data kept from an earlier week because "
           "this week's export lacks it, e.g. `fit from 2026-W47; relationship from 2026-W46 "
           "(1 of 3 rows)`; \"\" when none", width=30.0),
    Column("carried_age_weeks", "int", "run", "`abm run` only: weeks since the oldest "
           "carried data was exported; 0 when none", excel="int"),
    # --- scores (abm score) ---------------------------------------------------------------------
    Column("fit_score", "float", "score", "0-100, weighted share of ICP rules met; empty: "
           "fit unknown (no data for any ICP rule)", table="scores", excel="score"),
    Column("fit_reasons", "text", "score", "each ICP rule: `industry ✓, employees ✓, "
           "country ✗` (`?`: no data)", table="scores", width=45.0),
    Column("intent_score", "float", "score", "0-100 from surge strength and breadth, aged",
           table="scores", excel="score"),
    Column("engagement_score", "float", "score", "0-100 from the activity percentile and "
           "bonuses, aged within the engagement window", table="scores", excel="score"),
    Column("account_score", "float", "score", "weighted mean of the family scores over the "
           "families with data", table="scores", excel="score"),
    Column("stars", "int", "score", "1-5 from fit x engagement; empty when the fit is "
           "unknown (the tier workbook shows them as ★★★☆☆)", table="scores"),
    # --- tiers (abm tier) -----------------------------------------------------------------------
    Column("acv_estimate", "float", "tier", "the CRM's ACV, else the `[[acv.bands]]` "
           "estimate from the account's size", table="tiers", excel="money"),
    Column("acv_band", "text", "tier", "large, medium, small or unknown", table="tiers"),
    Column("acv_source", "text", "tier", "CRM or estimated", table="tiers"),
    Column("tier", "text", "tier", ", ".join(TIER_VALUES), table="tiers"),
    Column("tier_reason", "text", "tier", "the one-line reason for the tier", table="tiers",
           width=60.0),
    # --- the Changes sheet (abm run, abm diff) ---------------------------------------------------
    Column("change", "text", "change", "the kind of change: new account, tier up, new "
           "spike ...", table="changes"),
    Column("before", "text", "change", "the value last run", table="changes"),
    Column("after", "text", "change", "the value this run", table="changes"),
    Column("detail", "text", "change", "what moved the account", table="changes"),
)
# The Changes sheet names the account with the account tables' own columns.
CHANGES_LAYOUT = ("change", "account_id", "account_name", "domain", "tier", "before", "after",
                  "detail")
ACCOUNT_TABLES = ("hub", "scores", "tiers")

_BY_NAME = {column.name: column for column in COLUMNS if not column.is_pattern}
_PATTERNS = tuple(column for column in COLUMNS if column.is_pattern)
_POSITION = {column.name: position for position, column in enumerate(COLUMNS)}


def columns(*tables: str) -> tuple[Column, ...]:
    """The declared columns of `tables` (all when none named), in declaration order."""
    return tuple(c for c in COLUMNS if not tables or c.table in tables)


def names(*tables: str) -> tuple[str, ...]:
    """The names of the fixed (non-pattern) columns of `tables`, in order; for
    "changes", the Changes sheet's layout."""
    if tables == ("changes",):
        return CHANGES_LAYOUT
    return tuple(c.name for c in columns(*tables) if not c.is_pattern)


def find(name: str) -> Column | None:
    """The declared account column (hub, scores, tiers) `name` is, patterns included."""
    found = _BY_NAME.get(name)
    if found is not None and found.table in ACCOUNT_TABLES:
        return found
    return next((c for c in _PATTERNS if c.matches(name)), None)


def position(name: str) -> int:
    """Where `name` stands in the declared order (undeclared names after all)."""
    column = find(name)
    return _POSITION[column.name] if column is not None else len(COLUMNS)


def of_type(kind: str, *tables: str) -> frozenset[str]:
    """The fixed columns of type `kind` ("list", "date" ...) in `tables`."""
    return frozenset(c.name for c in columns(*tables) if c.type == kind and not c.is_pattern)


def read_types() -> dict[str, str]:
    """Account column -> declared type, for reading a hub or tier workbook back."""
    return {c.name: c.type for c in columns(*ACCOUNT_TABLES) if not c.is_pattern}


def type_of(name: str) -> str | None:
    """The declared type of account column `name` (patterns included), or None."""
    column = find(name)
    return column.type if column is not None else None


def upload_labels(fmt: str) -> dict[str, str]:
    """Hub column -> the label upload format `fmt` gives it (HubSpot's default company
    property, Demandbase's optional column), in declaration order."""
    return {c.name: c.labels[fmt] for c in COLUMNS if fmt in c.labels}


def filter_columns(topics: Iterable[str] = ()) -> list[str]:
    """Every column a scored and tiered hub may have, with one column per intent topic:
    the columns a segment filter may name before any workbook exists."""
    return sorted({*names(*ACCOUNT_TABLES), *(topic_column(t) for t in topics)})


# --- the docs -----------------------------------------------------------------------------

DOC = Path(__file__).parents[1] / "docs" / "ARCHITECTURE.md"
BEGIN = "<!-- columns: generated by `python -m abmcli.schema --write` from abmcli/schema.py -->"
END = "<!-- end of generated columns -->"
_HEADINGS = {"hub": "The hub (one row per account)", "scores": "Added by abm score",
             "tiers": "Added by abm tier", "changes": "The Changes sheet (abm run, abm diff)"}


def markdown() -> str:
    """The column tables of docs/ARCHITECTURE.md, one per table, from the declarations."""
    parts = [BEGIN]
    for table in TABLES:
        layout = f" (columns: {', '.join(CHANGES_LAYOUT)})" if table == "changes" else ""
        parts += ["", f"**{_HEADINGS[table]}**{layout}", "",
                  "| column | type | family | meaning | Excel | upload labels |",
                  "|---|---|---|---|---|---|"]
        shown = columns(table) if table != "changes" else tuple(
            c for c in COLUMNS if c.table == "changes")
        parts += [_row(column) for column in shown]
    return "\n".join([*parts, "", END])


def _row(column: Column) -> str:
    excel = " ".join(part for part in (column.excel or "", f"width {column.width:g}"
                                       if column.width else "") if part)
    meaning = column.meaning.replace("|", "\\|")
    labels = "; ".join(f"{fmt}: {label}" for fmt, label in sorted(column.labels.items()))
    return (f"| {column.name} | {TYPES[column.type]} | {column.family} | {meaning} | {excel} "
            f"| {labels} |")


def current_doc(text: str) -> str:
    """`text` (docs/ARCHITECTURE.md) with its generated tables replaced by `markdown()`."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{DOC}: no generated column tables (lines {BEGIN!r} ... {END!r})")
    return text[:start] + markdown() + text[end + len(END):]


def main(argv: list[str]) -> int:
    """`--markdown` prints the tables; `--write` rewrites them in docs/ARCHITECTURE.md."""
    if argv == ["--markdown"]:
        print(markdown())
        return 0
    if argv == ["--write"]:
        DOC.write_text(current_doc(DOC.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    print("usage: python -m abmcli.schema --markdown | --write", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
