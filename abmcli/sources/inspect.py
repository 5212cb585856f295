"""`abm inspect`: what abm sees in one file, and how usable its keys are.

The report answers the questions a user has before merging: was the file read
right (encoding, delimiter, skipped title and footer rows), which vendor layout was
recognised and how each column is used, and how many rows carry a usable domain,
only a name, or nothing abm can match on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from abmcli.config import Config
from abmcli.keys.domains import REJECT_REASONS
from abmcli.keys.units import FIXED_UNITS, MONEY_FIELDS
from abmcli.keys.values import parse_count_or_range, parse_money
from abmcli.matching.match import row_keys
from abmcli.sources.load import Source, load_source
from abmcli.words import agree, counted

EXAMPLES_PER_REASON = 3
SAMPLES_PER_FIELD = 3
SAMPLE_CHARS = 60  # a sample is a glimpse: a 5 MB cell must not fill the terminal


@dataclass
class FieldReading:
    """How one mapped column is read: its unit and a few values as abm reads them."""

    field: str
    column: str
    unit: str  # "" for text fields; "millions of dollars", "dollars", "people" ...
    unit_reason: str
    samples: list[str]  # "raw" or "raw -> value as read"


@dataclass
class RejectedDomains:
    reason: str
    description: str
    rows: int
    examples: list[str]


@dataclass
class InspectReport:
    file: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    family: str
    vendor: str
    recognised_by: str
    columns: dict[str, str]  # header -> canonical field
    unmapped: list[str]
    rows: int
    rows_with_domain: int
    name_only_rows: int
    unmatchable_rows: int
    distinct_domains: int
    duplicate_domain_rows: int  # rows whose domain appeared on an earlier row
    rejected_domains: list[RejectedDomains] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fields: list[FieldReading] = field(default_factory=list)

    @property
    def domain_share(self) -> float:
        return self.rows_with_domain / self.rows if self.rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["domain_share"] = round(self.domain_share, 4)
        return data


def inspect_file(
    spec: str | Path, config: Config | None = None, family: str | None = None,
    encoding: str | None = None,
) -> InspectReport:
    """Load `spec` and report how abm reads it and how matchable its rows are."""
    source = load_source(spec, family=family, config=config, encoding=encoding)
    return report_for(source)


def report_for(source: Source) -> InspectReport:
    records = source.records
    keys = row_keys(records[["name", "domain", "email"]].fillna("").astype(str))
    has_domain = keys["domain"].notna()
    has_name = keys["name_key"].ne("")
    has_id = _crm_account_ids(records)
    table = source.table
    notes = list(source.notes)
    if has_id.any():
        ids = int(has_id.sum())
        notes.append(f"{counted(ids, 'row')} {agree(ids, 'carries', 'carry')} a CRM account id: "
                     "abm measure matches "
                     "them to the hub's crm_id first")
    return InspectReport(
        file=source.label, encoding=table.encoding, delimiter=table.delimiter,
        sheet=table.sheet, family=source.family, vendor=source.layout.vendor,
        recognised_by=source.layout.how, columns=dict(source.layout.columns),
        unmapped=list(source.layout.unmapped), rows=source.rows,
        rows_with_domain=int(has_domain.sum()),
        name_only_rows=int((~has_domain & has_name).sum()),
        unmatchable_rows=int((~has_domain & ~has_name & ~has_id).sum()),
        distinct_domains=int(keys["domain"].nunique()),
        duplicate_domain_rows=int(keys.loc[has_domain, "domain"].duplicated().sum()),
        rejected_domains=_rejected_domains(records, keys),
        notes=[*source.layout.warnings, *notes], fields=field_readings(source),
    )


def _crm_account_ids(records: pd.DataFrame) -> pd.Series:
    """Rows of an opportunity or contact file that name their account by CRM id."""
    if "account_crm_id" not in records:
        return pd.Series(False, index=records.index)
    return records["account_crm_id"].fillna("").astype(str).str.strip().ne("")


def field_readings(source: Source) -> list[FieldReading]:
    """Per mapped column: the field, its unit and the first few values as read."""
    readings = []
    for header, canonical in source.layout.columns.items():
        unit = source.units.get(canonical)
        raw = source.table.rows[header].reset_index(drop=True)  # records' positions
        filled = [i for i, v in raw.items() if isinstance(v, str) and v.strip()]
        samples = []
        for index in filled[:SAMPLES_PER_FIELD]:
            shown = _glimpse(str(raw[index]).strip())
            read = source.records.at[index, canonical]
            if unit is not None:
                shown += f" -> {_read_number(canonical, read)}"
            elif isinstance(read, str) and read.strip() != str(raw[index]).strip():
                shown += f" -> {_glimpse(read.strip())}"  # a link's target (links.py)
            samples.append(shown)
        readings.append(FieldReading(canonical, header, unit.describe(canonical) if unit else "",
                                     unit.why if unit else "", samples))
    return readings


def _glimpse(text: str) -> str:
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"


def _read_number(canonical: str, value: object) -> str:
    parser = parse_money if canonical in MONEY_FIELDS or canonical in FIXED_UNITS else (
        parse_count_or_range)
    number = parser(value)
    if number is None:
        return "unreadable"
    multiplier = FIXED_UNITS.get(canonical, (1.0, ""))[0]
    return f"{number * multiplier:,.0f}"


def _rejected_domains(records: pd.DataFrame, keys: pd.DataFrame) -> list[RejectedDomains]:
    """Why domains were unusable, with a few example values, most frequent reason first."""
    raw = records["domain"].where(records["domain"].ne(""), records["email"])
    rejected = pd.DataFrame({"reason": keys["domain_reason"], "value": raw})
    rejected = rejected[rejected["reason"].notna() & rejected["reason"].ne("blank")]
    result = []
    for reason, group in rejected.groupby("reason", sort=False):
        examples = list(pd.unique(group["value"]))[:EXAMPLES_PER_REASON]
        result.append(RejectedDomains(str(reason), REJECT_REASONS.get(str(reason), str(reason)),
                                      len(group), [str(e) for e in examples]))
    blank = int(keys["domain_reason"].eq("blank").sum())
    if blank:
        result.append(RejectedDomains("blank", REJECT_REASONS.get("blank", "blank"), blank, []))
    return sorted(result, key=lambda r: (-r.rows, r.reason))
