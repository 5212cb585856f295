"""Campaign lists: named segments of the account hub, written in the formats ad platforms,
ABM platforms and CRMs upload as they are.

A segment (`[segments.<name>]` in abm.toml) is a filter in the language of `expr.py`, an
output format, optional columns and an optional `group_by` (one file, or one sheet, per
owner). A segment marked `alert = true` is a rule of engagement: it lists only the
accounts that entered it since the previous hub (`--previous`), one file per owner.

Formats and the limits of the platforms they go to:

- `linkedin`: LinkedIn Matched Audiences company list, the exact header of LinkedIn's
  template; a list under 300 companies gets a warning (LinkedIn will not serve it), one
  over 300,000 rows or 20 MB is split into parts.
- `6sense`: `Account Name,Country,Domain`, at most 25,000 rows a file, no spaces in the
  file name.
- `demandbase`: `Account Name,Account Domain` and the optional columns Demandbase
  accepts (External Account ID, Owner, Employees, Annual Revenue, Industry).
- `terminus`: CRM account ids, one a line, no header; accounts without an id are counted
  and named in a warning, never dropped silently.
- `hubspot`: `Company name,Company Domain Name` plus chosen properties (hub columns
  with a HubSpot default property get its label).
- `csv`, `xlsx`: the chosen columns (default: identity, tier, scores, owner).
- `salesforce_update`, `hubspot_update`: tiers back into the CRM (see `crm_upload.py`):
  the CRM's record key and the `[crm_fields]` it names; accounts the CRM cannot match
  are counted, named and listed in `<list>_no_crm_id.csv`.

Every CSV goes through `safe.write_csv` and every workbook through `write_workbook`, so
formula-like vendor text stays inert, and every write is atomic.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from abmcli import schema
from abmcli.config import Config, Problem, raise_problems
from abmcli.errors import AbmError, ExpressionError
from abmcli.formats.crm_upload import CRM_FORMATS, crm_fields, crm_upload
from abmcli.safe import (
    CSV_LINE_TERMINATOR,
    ensure_folder,
    safe_csv_frame,
    write_csv,
    written_together,
)
from abmcli.schema import slug
from abmcli.sections import ALERT_GROUP, CrmFields, SegmentSpec
from abmcli.stages.expr import Filter, evaluate, filter_problems, parse_filter
from abmcli.stages.typed import texts
from abmcli.xlsx.workbook import Sheet, write_workbook

FORMATS = ("linkedin", "6sense", "demandbase", "terminus", "hubspot", "csv", "xlsx",
           *CRM_FORMATS)
LINKEDIN_COLUMNS = {  # LinkedIn's template header -> the hub column that fills it
    "companyname": "account_name", "companywebsite": "domain",
    "companyemaildomain": "domain", "linkedincompanypageurl": "linkedin_url",
    "stocksymbol": "ticker", "industry": "industry", "city": "city", "state": "state",
    "companycountry": "country", "zipcode": "zipcode",
}
SIXSENSE_COLUMNS = {"Account Name": "account_name", "Country": "country", "Domain": "domain"}
DEMANDBASE_COLUMNS = {"Account Name": "account_name", "Account Domain": "domain"}
# Demandbase's optional columns in the order its template lists them (the default
# columns of a demandbase list); each column's label is declared in the schema.
DEMANDBASE_ORDER = ("crm_id", "crm_owner", "employees", "revenue", "industry")
DEMANDBASE_OPTIONAL = {column: schema.upload_labels("demandbase")[column]
                       for column in DEMANDBASE_ORDER}  # hub column -> Demandbase column
HUBSPOT_COLUMNS = {"Company name": "account_name", "Company Domain Name": "domain"}
# hub column -> HubSpot's default company property label
HUBSPOT_PROPERTIES = schema.upload_labels("hubspot")
FIXED_HEADER_FORMATS = ("linkedin", "6sense", "terminus", *CRM_FORMATS)
DEFAULT_COLUMNS = (
    "account_id", "account_name", "domain", "country", "industry", "employees", "tier",
    "account_score", "stars", "intent_topics", "engagement_spike", "engagement_last_date",
    "crm_id", "crm_owner",
)
NO_GROUP = "unassigned"
SCORE_COLUMNS, TIER_COLUMNS = schema.names("scores"), schema.names("tiers")


@dataclass(frozen=True)
class UploadLimits:
    """The platforms' limits; tests pass small ones to exercise the splitting."""

    linkedin_min_rows: int = 300
    linkedin_max_rows: int = 300_000
    linkedin_max_bytes: int = 20_000_000  # LinkedIn's 20 MB, counted in decimal megabytes
    sixsense_max_rows: int = 25_000


@dataclass
class SegmentOutput:
    name: str
    format: str
    rows: int
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing_ids: int = 0  # terminus: accounts left out for want of a CRM id


@dataclass
class SegmentRun:
    outputs: list[SegmentOutput]


# --- the config -------------------------------------------------------------------------


def tiered_hub_columns(config: Config) -> list[str]:
    """The columns a scored and tiered hub has, for checking segments before any run."""
    return schema.filter_columns(config.intent.topics)


def segment_specs(config: Config) -> list[SegmentSpec]:
    """The `[segments.*]` of the config, checked: every problem at once, as records."""
    known = tiered_hub_columns(config)
    problems: list[Problem] = []
    specs = [dataclasses.replace(spec) for spec in config.segments.values()]
    for spec in specs:
        problems.extend(check_spec(spec, known))
    fields = crm_fields(config, problems, known)
    for spec in specs:
        if spec.format in CRM_FORMATS and not spec.fields:
            spec.fields = fields.for_format(spec.format)
    problems.extend(_colliding_files(specs))
    raise_problems(config, problems)
    return specs


def crm_fields_of(config: Config) -> CrmFields:
    """`[crm_fields]`, checked: the CRM fields the CRM upload formats write."""
    problems: list[Problem] = []
    fields = crm_fields(config, problems, tiered_hub_columns(config))
    raise_problems(config, problems)
    return fields


def _colliding_files(specs: list[SegmentSpec]) -> list[Problem]:
    """Segments whose names give the same file name (`Tier 1` and `tier_1` both write
    tier_1.csv): one would silently overwrite the other."""
    by_file: dict[str, list[str]] = {}
    for spec in specs:
        by_file.setdefault(output_file_name(spec.name, spec.format).casefold(),
                           []).append(spec.name)
    return [Problem(("segments", names[1]), f"[segments.{names[1]}] writes {file}, as "
                    f"[segments.{names[0]}] does; rename one of them so neither list "
                    "overwrites the other")
            for file, names in by_file.items() if len(names) > 1]


def check_spec(spec: SegmentSpec, columns: list[str]) -> list[Problem]:
    """What is wrong with one segment, judged against the columns it may read."""
    where, path = f"[segments.{spec.name}]", ("segments", spec.name)
    problems = []
    if not spec.where.strip():
        problems.append(Problem((*path, "where"), f"{where} needs where = \"...\", a filter "
                                "such as tier == \"Tier 1\""))
    else:
        problems.extend(Problem((*path, "where"), f"{where} where: {problem}")
                        for problem in filter_problems(spec.where, columns))
    if spec.format not in FORMATS:
        problems.append(Problem((*path, "format"), f"{where} format '{spec.format}' is not "
                                f"one of {', '.join(FORMATS)}" + _closest(spec.format, FORMATS)))
    problems.extend(Problem((*path, "columns"), f"{where} {problem}")
                    for problem in _column_problems(spec, columns))
    group = spec.grouping()
    if group is not None and _find(group, columns) is None:
        problems.append(Problem((*path, "group_by" if spec.group_by else "alert"),
                                f"{where} group_by '{group}' is not a hub column"
                                + _closest(group, columns)))
    return problems


def _column_problems(spec: SegmentSpec, columns: list[str]) -> list[str]:
    if spec.format in FIXED_HEADER_FORMATS and spec.columns:
        return [f"format {spec.format} has a fixed header; remove columns"]
    if spec.format == "demandbase":
        allowed = list(DEMANDBASE_OPTIONAL)
        return [f"Demandbase takes no column '{name}' (optional columns: "
                f"{', '.join(allowed)})" for name in spec.columns if _find(name, allowed) is None]
    return [f"column '{name}' is not a hub column" + _closest(name, columns)
            for name in spec.columns if _find(name, columns) is None]


def _find(name: str, columns: list[str] | tuple[str, ...]) -> str | None:
    """The column `name` refers to, ignoring case."""
    return next((str(c) for c in columns if str(c).lower() == name.lower()), None)


def _closest(name: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name.lower(), [str(c).lower() for c in choices], n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


# --- running segments -------------------------------------------------------------------


def run_segments(accounts: pd.DataFrame, specs: list[SegmentSpec], outdir: Path,
                 as_of: dt.date, previous: pd.DataFrame | None = None, *,
                 limits: UploadLimits | None = None) -> SegmentRun:
    """Write every segment of `specs` into `outdir`, one file (or one per group) each.

    `previous` (an earlier hub or tier table) makes alerts list only accounts that were
    not in the segment then; it is read with the same run date.
    """
    outdir = ensure_folder(Path(outdir))
    outputs: list[SegmentOutput] = []
    with written_together():  # every list or none: a failure leaves last week's lists
        for spec in specs:
            path = outdir / output_file_name(spec.name, spec.format)
            outputs.append(_run_segment(accounts, spec, path, as_of, previous,
                                        limits or UploadLimits()))
            _refuse_overwrite(outputs)
    return SegmentRun(outputs)


def _refuse_overwrite(outputs: list[SegmentOutput]) -> None:
    """Raise when the last segment wrote a file an earlier one wrote (a group's file
    `alerts_maria.csv` against a segment named `alerts maria`): one list would be lost.
    Commands write their outputs together (safe.written_together), so nothing is
    replaced yet when this raises."""
    *earlier, last = outputs
    owners = {path.name.casefold(): output.name for output in earlier for path in output.files}
    for path in last.files:
        if path.name.casefold() in owners:
            raise AbmError(f"{path}: segments {owners[path.name.casefold()]} and {last.name} "
                           "both write this file; rename one of them in the config")


def adhoc_segment(accounts: pd.DataFrame, where: str, format: str, out: Path,
                  as_of: dt.date, columns: list[str] | None = None, *,
                  limits: UploadLimits | None = None,
                  fields: CrmFields | None = None) -> SegmentOutput:
    """Write one list of the accounts `where` selects to `out` in `format`; `fields`
    (the config's `[crm_fields]`) names the CRM fields of the CRM upload formats."""
    out = Path(out)
    spec = SegmentSpec(name=out.stem, where=where, format=format, columns=list(columns or []),
                       fields=(fields or CrmFields()).for_format(format))
    problems = check_spec(spec, [str(c) for c in with_family_columns(accounts).columns])
    if problems:
        raise AbmError("; ".join(p.message.replace(f"[segments.{spec.name}] ", "")
                                 for p in problems))
    notes = []
    if format == "6sense" and " " in out.name:
        out = out.with_name(out.name.replace(" ", "_"))
        notes.append(f"6sense rejects file names with spaces: writing {out.name}")
    with written_together():  # a list split into parts is written whole or not at all
        output = _run_segment(accounts, spec, out, as_of, None, limits or UploadLimits())
    output.warnings[:0] = notes
    return output


def output_file_name(name: str, format: str) -> str:
    """`Tier 2 ads` -> `tier_2_ads.csv`: no spaces, which 6sense refuses in file names."""
    return (slug(name) or "segment") + (".xlsx" if format == "xlsx" else ".csv")


def _run_segment(accounts: pd.DataFrame, spec: SegmentSpec, path: Path, as_of: dt.date,
                 previous: pd.DataFrame | None, limits: UploadLimits) -> SegmentOutput:
    chosen = select(accounts, spec, as_of)
    output = SegmentOutput(spec.name, spec.format, 0)
    if spec.alert:
        chosen = chosen & ~_in_previous(accounts, spec, previous, as_of, output.warnings)
    frame = accounts[chosen.to_numpy()]
    group = spec.grouping()
    columns = [_find(name, list(map(str, accounts.columns))) or name for name in spec.columns]
    if group is None:
        _write_list(frame, spec.format, columns, path, limits, output, spec.fields)
    else:
        _write_groups(frame, spec, columns, _find(group, list(map(str, accounts.columns))),
                      path, limits, output)
    return output


def select(accounts: pd.DataFrame, spec: SegmentSpec, as_of: dt.date) -> pd.Series:
    """The accounts in segment `spec`, as a boolean Series over `accounts`."""
    table = with_family_columns(accounts)
    return evaluate(_table_filter(spec, table, "this workbook"), table, as_of)


def with_family_columns(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with the documented hub columns it lacks added empty.

    A hub built without a family (no intent export) has none of that family's columns;
    a filter on them then matches no account, as a missing value never matches, instead
    of stopping the run.
    """
    present = set(map(str, table.columns))
    missing = [c for c in sorted(schema.names("hub")) if c not in present]
    return table.assign(**dict.fromkeys(missing, float("nan"))) if missing else table


def _table_filter(spec: SegmentSpec, table: pd.DataFrame, which: str) -> Filter:
    """Parse the segment's filter against a real table, saying which stage adds a column
    the table lacks (a merged hub has no tier yet)."""
    present = [str(c) for c in table.columns]
    try:
        return parse_filter(spec.where, present)
    except ExpressionError as error:
        needed = _missing_stage_columns(spec.where, present)
        hint = f" ({needed})" if needed else ""
        raise ExpressionError(f"segment '{spec.name}' on {which}: {error}{hint}") from None


def _missing_stage_columns(where: str, present: list[str]) -> str:
    try:
        wanted = parse_filter(where, sorted({*present, *TIER_COLUMNS, *SCORE_COLUMNS})).columns
    except ExpressionError:
        return ""
    if any(column in TIER_COLUMNS for column in wanted if column not in present):
        return "tiers come from abm tier: give the tier workbook"
    if any(column in SCORE_COLUMNS for column in wanted if column not in present):
        return "scores come from abm score: score the hub first"
    return ""


def _in_previous(accounts: pd.DataFrame, spec: SegmentSpec, previous: pd.DataFrame | None,
                 as_of: dt.date, warnings: list[str]) -> pd.Series:
    """Which accounts were already in the segment in the previous hub (by account_id)."""
    if previous is None:
        warnings.append("no earlier hub to compare with (abm segment --previous, or last week in "
                        "abm run): every account in the segment "
                        "counts as new")
        return pd.Series(False, index=accounts.index)
    previous = with_family_columns(previous)
    before = evaluate(_table_filter(spec, previous, "the previous workbook"), previous, as_of)
    known = set(texts(previous[before.to_numpy()], "account_id")) - {""}
    return texts(accounts, "account_id").isin(known)


# --- writing ----------------------------------------------------------------------------


def _write_groups(frame: pd.DataFrame, spec: SegmentSpec, columns: list[str],
                  group: str | None, path: Path, limits: UploadLimits,
                  output: SegmentOutput) -> None:
    """One file per value of the group column (one sheet each for xlsx)."""
    labels = texts(frame, group or ALERT_GROUP).replace("", NO_GROUP)
    names = sorted(labels.unique(), key=lambda label: (label == NO_GROUP, label.casefold()))
    if not names:
        output.warnings.append("no accounts new to the segment since the previous hub: no "
                               "files written" if spec.alert else
                               "no accounts in the segment: no files written")
        return
    if spec.format == "xlsx":
        sheets = [Sheet(name, _csv_table(frame[(labels == name).to_numpy()], columns))
                  for name in names]
        output.files.append(write_workbook(path, sheets))
        output.rows = len(frame)
        return
    for name, part_name in zip(names, _unique_slugs(names), strict=True):
        part = frame[(labels == name).to_numpy()]
        target = path.with_name(f"{path.stem}_{part_name}{path.suffix}")
        _write_list(part, spec.format, columns, target, limits, output, spec.fields)


def _unique_slugs(names: list[str]) -> list[str]:
    taken: dict[str, int] = {}
    result = []
    for name in names:
        base = slug(name) or NO_GROUP
        taken[base] = taken.get(base, 0) + 1
        result.append(base if taken[base] == 1 else f"{base}_{taken[base]}")
    return result


def _write_list(frame: pd.DataFrame, fmt: str, columns: list[str], path: Path,
                limits: UploadLimits, output: SegmentOutput,
                fields: dict[str, str] | None = None) -> None:
    """Write one list in `fmt` and add its files, rows and warnings to `output`."""
    if fmt == "terminus":
        _write_terminus(frame, path, output)
        return
    if fmt in CRM_FORMATS:
        _write_crm_update(frame, fmt, fields or CrmFields().for_format(fmt), path, output)
        return
    if fmt == "xlsx":
        table = _csv_table(frame, columns)
        output.files.append(write_workbook(path, [Sheet(path.stem[:31] or "Accounts", table)]))
        output.rows += len(table)
        return
    table = upload_table(frame, fmt, columns)
    max_rows, max_bytes = _limits_for(fmt, limits)
    parts = split_for_upload(table, max_rows, max_bytes)
    output.files.extend(write_csv(part, part_path)
                        for part, part_path in zip(parts, part_paths(path, len(parts)),
                                                   strict=True))
    output.rows += len(table)
    output.warnings.extend(_format_warnings(fmt, frame, len(parts), limits, path))


def _limits_for(fmt: str, limits: UploadLimits) -> tuple[int | None, int | None]:
    if fmt == "linkedin":
        return limits.linkedin_max_rows, limits.linkedin_max_bytes
    if fmt == "6sense":
        return limits.sixsense_max_rows, None
    return None, None


def _format_warnings(fmt: str, frame: pd.DataFrame, parts: int, limits: UploadLimits,
                     path: Path) -> list[str]:
    warnings = []
    if fmt == "linkedin" and len(frame) < limits.linkedin_min_rows:
        warnings.append(f"{path.name}: {len(frame):,} companies; LinkedIn needs at least "
                        f"{limits.linkedin_min_rows:,} to serve a matched audience")
    if parts > 1:
        limit = ("300,000 rows or 20 MB" if fmt == "linkedin" else
                 f"{limits.sixsense_max_rows:,} rows")
        warnings.append(f"{path.name}: split into {parts} files ({fmt} takes at most "
                        f"{limit} a file)")
    if fmt == "hubspot":
        blank = int((texts(frame, "domain") == "").sum())
        if blank:
            warnings.append(f"{path.name}: {blank:,} accounts have no domain; HubSpot "
                            "de-duplicates companies by domain, so importing them may "
                            "create duplicates")
    return warnings


def _write_terminus(frame: pd.DataFrame, path: Path, output: SegmentOutput) -> None:
    ids = texts(frame, "crm_id")
    without = frame[(ids == "").to_numpy()]
    table = pd.DataFrame({"crm_id": ids[ids != ""].to_numpy()})
    output.files.append(write_csv(table, path, header=False))
    output.rows += len(table)
    output.missing_ids += len(without)
    if len(without):
        names = ", ".join(texts(without, "account_name").head(5))
        more = f" and {len(without) - 5:,} more" if len(without) > 5 else ""
        output.warnings.append(f"{path.name}: {len(without):,} accounts have no CRM id and "
                               f"are not in the Terminus list: {names}{more}")


def _write_crm_update(frame: pd.DataFrame, fmt: str, fields: dict[str, str], path: Path,
                      output: SegmentOutput) -> None:
    """The CRM's update file, and the accounts it cannot match listed beside it."""
    upload = crm_upload(frame, fmt, fields)
    output.files.append(write_csv(upload.table, path))
    output.rows += len(upload.table)
    unmatched = upload.unmatched
    output.missing_ids += len(unmatched)
    if len(unmatched):
        listing = path.with_name(f"{path.stem}_no_crm_id{path.suffix}")
        output.files.append(write_csv(unmatched, listing))
        names = ", ".join(unmatched["account_name"].head(5))
        more = f" and {len(unmatched) - 5:,} more" if len(unmatched) > 5 else ""
        what = ("no Salesforce account id" if fmt == "salesforce_update" else
                "neither a HubSpot record id nor a domain")
        output.warnings.append(f"{path.name}: {len(unmatched):,} accounts have {what} and "
                               f"are not in the upload (listed in {listing.name}): "
                               f"{names}{more}")


# --- tables -----------------------------------------------------------------------------


def upload_table(frame: pd.DataFrame, fmt: str, columns: list[str]) -> pd.DataFrame:
    """The accounts as the platform's upload file wants them: its headers, in its order."""
    if fmt == "linkedin":
        return _mapped(frame, LINKEDIN_COLUMNS)
    if fmt == "6sense":
        return _mapped(frame, SIXSENSE_COLUMNS)
    if fmt == "demandbase":
        chosen = columns or [c for c in DEMANDBASE_OPTIONAL if c in frame.columns]
        optional = {DEMANDBASE_OPTIONAL[_find(c, list(DEMANDBASE_OPTIONAL)) or c]:
                    _find(c, list(map(str, frame.columns))) or c for c in chosen}
        return _mapped(frame, {**DEMANDBASE_COLUMNS, **optional})
    if fmt == "hubspot":
        properties = {HUBSPOT_PROPERTIES.get(c.lower(), c): c for c in columns}
        return _mapped(frame, {**HUBSPOT_COLUMNS, **properties})
    return _csv_table(frame, columns)


def _csv_table(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    chosen = columns or [c for c in DEFAULT_COLUMNS if c in frame.columns]
    return _mapped(frame, {name: name for name in chosen})


def _mapped(frame: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """A new table: header -> the hub column's values, blank where the hub lacks it."""
    data: dict[str, Any] = {}
    blank = pd.Series(pd.NA, index=range(len(frame)), dtype=object)
    for header, column in headers.items():
        # Series, not arrays: an integer column with blanks stays integer ("7004", not
        # "7004.0").
        data[header] = (_tidy(frame[column]).reset_index(drop=True)
                        if column in frame.columns else blank)
    return pd.DataFrame(data, columns=list(headers))


def _tidy(series: pd.Series) -> pd.Series:
    """Whole numbers as integers ("2500", not "2500.0"); other columns unchanged."""
    kind = pd.api.types.infer_dtype(series, skipna=True)
    if kind not in ("integer", "floating", "mixed-integer-float"):
        return series
    numbers = pd.to_numeric(series, errors="coerce")
    present = numbers.dropna()
    if (present == present.round()).all() and (present.abs() < 2**53).all():
        return numbers.astype("Int64")
    return numbers


# --- splitting --------------------------------------------------------------------------


def split_for_upload(table: pd.DataFrame, max_rows: int | None,
                     max_bytes: int | None = None) -> list[pd.DataFrame]:
    """Cut `table` into parts of at most `max_rows` rows and `max_bytes` bytes of CSV
    (header included). An empty table gives one empty part, so its file is still written."""
    parts: list[pd.DataFrame] = []
    start = 0
    while True:
        rows = min(max_rows or len(table), len(table) - start)
        part = table.iloc[start:start + rows]
        while max_bytes is not None and rows > 1 and (size := csv_bytes(part)) > max_bytes:
            rows = max(1, min(rows - 1, rows * max_bytes // size))
            part = table.iloc[start:start + rows]
        parts.append(part)
        start += rows
        if start >= len(table):
            return parts


def csv_bytes(table: pd.DataFrame) -> int:
    """The size in bytes of `table` written as `write_csv` writes it."""
    text = safe_csv_frame(table).to_csv(index=False, lineterminator=CSV_LINE_TERMINATOR)
    return len(text.encode("utf-8"))


def part_paths(path: Path, count: int) -> list[Path]:
    """`list.csv` for one part; `list_part1.csv`, `list_part2.csv` ... for several."""
    if count == 1:
        return [path]
    return [path.with_name(f"{path.stem}_part{n}{path.suffix}") for n in range(1, count + 1)]
