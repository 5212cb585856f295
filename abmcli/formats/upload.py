"""What an upload format is: one record says everything `stages/segment.py` needs to
write a list in it (`registry.py` holds the records).

A format's table is the platform's fixed header columns (`headers`, header -> hub
column) followed by the columns a segment chooses (`choose`: none, only those the
platform `labels`, or any hub column, relabelled where the platform has a label), or
its `defaults` when none are chosen. A format that needs more than that (Terminus ids,
the CRMs' record keys) gives its own `render`. Accounts a platform cannot take (no CRM
id) come back as `left_out`: counted, named in a warning, never dropped silently.

pandas is imported inside the functions: the CLI reads the registry's names for its help,
and `abm --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

Choose = Literal["none", "labelled", "any"]


@dataclass(frozen=True)
class RowLimits:
    """A platform's limits per file; tests pass small ones to exercise the splitting."""

    min_rows: int | None = None  # fewer: a warning (the platform will not serve the list)
    max_rows: int | None = None  # more: the list is split into parts
    max_bytes: int | None = None  # a bigger CSV (decimal bytes) is split too

    def text(self) -> str:
        """"300,000 rows or 20 MB": what the split warning says a file may hold."""
        parts = [f"{self.max_rows:,} rows" if self.max_rows else "",
                 f"{self.max_bytes / 1_000_000:g} MB" if self.max_bytes else ""]
        return " or ".join(part for part in parts if part)


@dataclass(frozen=True)
class LeftOut:
    """Accounts a format cannot take, and what the warning says of them."""

    lacking: str  # "no CRM id": what such an account has (not)
    into: str  # "the Terminus list": what they are not in
    listed: bool = False  # also written to `<list>_no_crm_id.csv` beside the upload


@dataclass
class Rendered:
    """One list in a format: the upload's rows and the accounts it could not take."""

    table: pd.DataFrame
    left_out: pd.DataFrame | None = None  # with account_name, for the warning and listing


@dataclass(frozen=True)
class RecordKey:
    """How a list names the CRM record each account's row stands for (an update's
    record, a Terminus id): a record named twice would be updated twice, the last row's
    values winning at random, and an id list would upload one account twice."""

    name: str  # "Salesforce Id": how messages name the key
    ids: Callable[[pd.DataFrame], pd.Series]  # per account, its record's id ("": none)


Render = Callable[["UploadFormat", "pd.DataFrame", list[str], Mapping[str, str]], Rendered]
Checks = Callable[["UploadFormat", "pd.DataFrame", str, RowLimits], list[str]]


def labelled_table(fmt: UploadFormat, frame: pd.DataFrame, columns: list[str],
                   fields: Mapping[str, str]) -> Rendered:
    """The fixed headers, then the chosen columns (else the defaults the hub has), each
    under the platform's label where it has one."""
    chosen = columns or [c for c in fmt.defaults if c in frame.columns]
    frame_columns = list(map(str, frame.columns))
    label_keys = list(fmt.labels)
    chosen_headers = {fmt.labels[found] if (found := find_column(c, label_keys)) else c:
                      find_column(c, frame_columns) or c for c in chosen}
    return Rendered(mapped(frame, {**fmt.headers, **chosen_headers}))


def no_checks(fmt: UploadFormat, frame: pd.DataFrame, file_name: str,
              limits: RowLimits) -> list[str]:
    return []


@dataclass(frozen=True)
class UploadFormat:
    """One upload format. Adding a format is one record in `registry.py` (and its tests)."""

    name: str  # as abm.toml and --format write it
    platform: str  # who takes the file, as messages name it
    doc: str  # what the file holds, as the README's format table says it
    headers: Mapping[str, str] = field(default_factory=dict)  # fixed: header -> hub column
    choose: Choose = "any"  # which columns a segment may add after the fixed headers
    labels: Mapping[str, str] = field(default_factory=dict)  # hub column -> platform label
    defaults: tuple[str, ...] = ()  # the columns written when a segment chooses none
    render: Render = labelled_table
    checks: Checks = no_checks  # warnings about a written list (too few rows ...)
    workbook: bool = False  # an .xlsx workbook (one sheet per group), else a CSV
    header: bool = True  # the CSV starts with a header line
    limits: RowLimits = RowLimits()
    spaces_in_file_name: bool = True  # 6sense refuses file names with spaces
    crm: str | None = None  # the [crm_fields] table whose fields it writes
    left_out: LeftOut | None = None  # what it does with accounts it cannot take
    # The file updates records the CRM already has, so a blank cell blanks the field:
    # every field it writes must come from a column the workbook has (tier from abm tier).
    updates: bool = False
    record: RecordKey | None = None  # the record an update's row names: one row each

    @property
    def suffix(self) -> str:
        return ".xlsx" if self.workbook else ".csv"

    def file_name_problem(self, path: Path) -> str | None:
        """Why a list in this format may not be written to `path`: CSV text saved as
        list.xlsx (or a workbook as list.csv) opens as garbage, and a list without a
        suffix opens in nothing."""
        if path.suffix.lower() == self.suffix:
            return None
        kind = "an Excel workbook" if self.workbook else "a CSV file"
        return (f"{path}: format {self.name} writes {kind}, which needs the suffix "
                f"{self.suffix}; write -o {path.with_suffix(self.suffix)}")

    def needed_columns(self, fields: Mapping[str, str]) -> list[str]:
        """The hub columns a list in this format cannot be written without (`fields`:
        the segment's [crm_fields], hub column -> CRM field)."""
        return list(fields) if self.updates else []

    def column_problems(self, columns: list[str]) -> list[str]:
        """What is wrong with the columns a segment chooses, for this format (the hub's
        own columns are checked by the segment)."""
        if self.choose == "none" and columns:
            return [f"format {self.name} has a fixed header; remove columns"]
        if self.choose == "labelled":
            allowed = list(self.labels)
            return [f"{self.platform} takes no column '{name}' (optional columns: "
                    f"{', '.join(allowed)})" for name in columns
                    if find_column(name, allowed) is None]
        return []


# --- tables -----------------------------------------------------------------------------


def find_column(name: str, columns: list[str] | tuple[str, ...]) -> str | None:
    """The column `name` refers to, ignoring case."""
    return next((str(c) for c in columns if str(c).lower() == name.lower()), None)


def mapped(frame: pd.DataFrame, headers: Mapping[str, str]) -> pd.DataFrame:
    """A new table: header -> the hub column's values, blank where the hub lacks it."""
    import pandas as pd

    data: dict[str, Any] = {}
    blank = pd.Series(pd.NA, index=range(len(frame)), dtype=object)
    for header, column in headers.items():
        # Series, not arrays: an integer column with blanks stays integer ("7004", not
        # "7004.0").
        data[header] = (tidy(frame[column]).reset_index(drop=True)
                        if column in frame.columns else blank)
    return pd.DataFrame(data, columns=list(headers))


def tidy(series: pd.Series) -> pd.Series:
    """Whole numbers as integers ("2500", not "2500.0"); other columns unchanged."""
    import pandas as pd

    kind = pd.api.types.infer_dtype(series, skipna=True)
    if kind not in ("integer", "floating", "mixed-integer-float"):
        return series
    numbers = pd.to_numeric(series, errors="coerce")
    present = numbers.dropna()
    if (present == present.round()).all() and (present.abs() < 2**53).all():
        return numbers.astype("Int64")
    return numbers
