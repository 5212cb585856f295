"""Campaign lists: named segments of the account hub, written in the formats ad platforms,
ABM platforms and CRMs upload as they are.

A segment (`[segments.<name>]` in abm.toml) is a filter in the language of `expr.py`, an
output format, optional columns and an optional `group_by` (one file, or one sheet, per
owner). A segment marked `alert = true` is a rule of engagement: it lists only the
accounts that entered it since the previous hub (`--previous`), one file per owner.

The formats and the limits of the platforms they go to are records in
`abmcli/formats/registry.py`; this module reads them and knows no format by name.

Every CSV goes through `safe.write_csv` and every workbook through `write_workbook`, so
formula-like vendor text stays inert, and every write is atomic.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from abmcli import schema
from abmcli.config import Config, Problem, raise_problems
from abmcli.errors import AbmError, ExpressionError
from abmcli.formats.crm_upload import crm_fields
from abmcli.formats.registry import UPLOAD_FORMATS, format_names
from abmcli.formats.upload import RecordKey, RowLimits, UploadFormat, find_column
from abmcli.keys.values import texts
from abmcli.matching.crm_ids import id_keys
from abmcli.safe import (
    CSV_LINE_TERMINATOR,
    ensure_folder,
    safe_csv_frame,
    write_csv,
    written_together,
)
from abmcli.schema import slug
from abmcli.sections import ALERT_GROUP, CrmFields, SegmentSpec
from abmcli.stages.expr import (
    Filter,
    evaluate,
    filter_problems,
    parse_filter,
    run_stage_first,
    stage_hint,
    stage_of,
)
from abmcli.words import agree, counted
from abmcli.xlsx.workbook import Sheet, write_workbook

NO_GROUP = "unassigned"


# Per format name, limits that replace the format's own (tests pass small ones to
# exercise the splitting).
UploadLimits = dict[str, RowLimits]


def _limits(fmt: UploadFormat, limits: UploadLimits | None) -> RowLimits:
    return (limits or {}).get(fmt.name, fmt.limits)


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
        spec.fields = spec.fields or _crm_fields(spec.format, fields)
    problems.extend(_colliding_files(specs))
    raise_problems(config, problems)
    return specs


def crm_fields_of(config: Config) -> CrmFields:
    """`[crm_fields]`, checked: the CRM fields the CRM upload formats write."""
    problems: list[Problem] = []
    fields = crm_fields(config, problems, tiered_hub_columns(config))
    raise_problems(config, problems)
    return fields


def _crm_fields(format: str, fields: CrmFields) -> dict[str, str]:
    """The [crm_fields] a format writes ({} for formats that write none)."""
    fmt = UPLOAD_FORMATS.get(format)
    return fields.of(fmt.crm) if fmt is not None and fmt.crm is not None else {}


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
    if spec.format not in UPLOAD_FORMATS:
        problems.append(Problem((*path, "format"), f"{where} format '{spec.format}' is not "
                                f"one of {', '.join(format_names())}"
                                + _closest(spec.format, format_names())))
    problems.extend(Problem((*path, "columns"), f"{where} {problem}")
                    for problem in _column_problems(spec, columns))
    group = spec.grouping()
    if group is not None and find_column(group, columns) is None:
        problems.append(Problem((*path, "group_by" if spec.group_by else "alert"),
                                f"{where} group_by '{group}' is not a hub column"
                                + _closest(group, columns)))
    return problems


def _column_problems(spec: SegmentSpec, columns: list[str]) -> list[str]:
    fmt = UPLOAD_FORMATS.get(spec.format)
    if fmt is not None and fmt.choose != "any":
        return fmt.column_problems(spec.columns)
    return [f"column '{name}' is not a hub column" + _column_hint(name, columns)
            for name in spec.columns if find_column(name, columns) is None]


def _column_hint(name: str, columns: list[str]) -> str:
    """Where a column the workbook lacks comes from: a tier or score column from the
    command that adds it (not 'did you mean ticker'), another the closest hub column."""
    stage = stage_of(name)
    if stage is None:
        return _closest(name, columns)
    return f"; {stage_hint(stage)}"


def _closest(name: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name.lower(), [str(c).lower() for c in choices], n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


# --- running segments -------------------------------------------------------------------


def run_segments(accounts: pd.DataFrame, specs: list[SegmentSpec], outdir: Path,
                 as_of: dt.date, previous: pd.DataFrame | None = None, *,
                 limits: UploadLimits | None = None, hub: str | None = None) -> SegmentRun:
    """Write every segment of `specs` into `outdir`, one file (or one per group) each.

    `previous` (an earlier hub or tier table) makes alerts list only accounts that were
    not in the segment then; it is read with the same run date. `hub` names the
    workbook `accounts` come from, for messages.
    """
    outdir = ensure_folder(Path(outdir))
    outputs: list[SegmentOutput] = []
    with written_together():  # every list or none: a failure leaves last week's lists
        for spec in specs:
            path = outdir / output_file_name(spec.name, spec.format)
            outputs.append(_run_segment(accounts, spec, path, as_of, previous, limits, hub))
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
                  limits: UploadLimits | None = None, fields: CrmFields | None = None,
                  hub: str | None = None) -> SegmentOutput:
    """Write one list of the accounts `where` selects to `out` in `format`; `fields`
    (the config's `[crm_fields]`) names the CRM fields of the CRM upload formats, `hub`
    the workbook `accounts` come from (for messages)."""
    out = check_list_file(format, out)
    spec = SegmentSpec(name=out.stem, where=where, format=format, columns=list(columns or []),
                       fields=_crm_fields(format, fields or CrmFields()))
    problems = check_spec(spec, [str(c) for c in with_family_columns(accounts).columns])
    if problems:
        raise AbmError("; ".join(p.message.replace(f"[segments.{spec.name}] ", "")
                                 for p in problems))
    notes = []
    if not UPLOAD_FORMATS[format].spaces_in_file_name and " " in out.name:
        out = out.with_name(out.name.replace(" ", "_"))
        notes.append(f"{format} rejects file names with spaces: writing {out.name}")
    with written_together():  # a list split into parts is written whole or not at all
        output = _run_segment(accounts, spec, out, as_of, None, limits, hub)
    output.warnings[:0] = notes
    return output


def check_list_file(format: str, out: Path | str) -> Path:
    """`out` when its suffix is the file type of `format` (an unknown format is the
    segment check's to report); else an AbmError naming the file to write."""
    out = Path(out)
    fmt = UPLOAD_FORMATS.get(format)
    if fmt is not None and (problem := fmt.file_name_problem(out)):
        raise AbmError(problem)
    return out


def output_file_name(name: str, format: str) -> str:
    """`Tier 2 ads` -> `tier_2_ads.csv`: no spaces, which 6sense refuses in file names."""
    fmt = UPLOAD_FORMATS.get(format)
    return (slug(name) or "segment") + (fmt.suffix if fmt is not None else ".csv")


def _run_segment(accounts: pd.DataFrame, spec: SegmentSpec, path: Path, as_of: dt.date,
                 previous: pd.DataFrame | None, limits: UploadLimits | None,
                 hub: str | None) -> SegmentOutput:
    _refuse_blanking(accounts, spec, hub)
    chosen = select(accounts, spec, as_of)
    output = SegmentOutput(spec.name, spec.format, 0)
    if spec.alert:
        chosen = chosen & ~_in_previous(accounts, spec, previous, as_of, output.warnings)
    fmt = UPLOAD_FORMATS[spec.format]
    frame = _one_row_per_record(accounts[chosen.to_numpy()], fmt, path, output)
    group = spec.grouping()
    columns = [find_column(name, list(map(str, accounts.columns))) or name for name in spec.columns]
    if group is None:
        _write_list(frame, fmt, columns, path, _limits(fmt, limits), output, spec.fields)
    else:
        _write_groups(frame, spec, columns, find_column(group, list(map(str, accounts.columns))),
                      path, _limits(fmt, limits), output)
    return output


def _refuse_blanking(accounts: pd.DataFrame, spec: SegmentSpec, hub: str | None) -> None:
    """Raise when the segment's format updates CRM records with tier or score fields the
    workbook has no column for (a merged hub has neither yet): every account's
    ABM_Tier__c would be imported blank. The message names the command that adds them.
    (A hub column of a family without data reads blank, as its values are unknown.)"""
    fmt = UPLOAD_FORMATS[spec.format]
    present = {str(c).lower() for c in accounts.columns}
    missing = [c for c in fmt.needed_columns(spec.fields)
               if c.lower() not in present and stage_of(c) is not None]
    if not missing:
        return
    stage = "tiers" if any(stage_of(c) == "tiers" for c in missing) else "scores"
    fields = ", ".join(spec.fields[column] for column in missing)
    raise AbmError(f"segment '{spec.name}': {spec.format} needs {stage}: "
                   f"{run_stage_first(stage, hub)} (without them the upload would blank "
                   f"{fields} in {fmt.platform})")


def _one_row_per_record(frame: pd.DataFrame, fmt: UploadFormat, path: Path,
                        output: SegmentOutput) -> pd.DataFrame:
    """`frame` with one account per CRM record an update names. Two accounts can hold
    one CRM id (two websites under one Salesforce account stay apart, with a Review
    pair); an update naming the record twice would import whichever row came last, so
    the better-tiered (then higher-scored, then first by account_id) account's row is
    written, and the warning names the others."""
    if fmt.record is None or frame.empty:
        return frame
    keys = id_keys(fmt.record.ids(frame))  # Salesforce's 15- and 18-letter ids agree
    order = _better_first(frame)
    repeated = np.zeros(len(frame), dtype=bool)
    repeated[order] = ((keys.iloc[order] != "") & keys.iloc[order].duplicated()).to_numpy()
    if not repeated.any():
        return frame
    shared = keys[(keys != "") & keys.duplicated(keep=False)]
    output.warnings.append(_shared_records_text(frame, keys, order, shared, fmt.record,
                                                 path, int(repeated.sum())))
    return frame[~repeated]


def _better_first(frame: pd.DataFrame) -> np.ndarray:
    """The positions of `frame`'s accounts, the better tier first (Tier 1 ... Fit
    unknown, then no tier), then the higher account score, then the account_id."""
    rank = {tier.lower(): n for n, tier in enumerate(schema.TIER_VALUES)}
    tiers = texts(frame, "tier").str.lower().map(rank).fillna(len(rank))
    scores = pd.to_numeric(frame.get("account_score", pd.Series(np.nan, index=frame.index)),
                           errors="coerce").fillna(-1.0)
    return np.lexsort((texts(frame, "account_id").to_numpy(), -scores.to_numpy(),
                       tiers.to_numpy()))


def _shared_records_text(frame: pd.DataFrame, keys: pd.Series, order: np.ndarray,
                         shared: pd.Series, record: RecordKey, path: Path, folded: int
                         ) -> str:
    """"1 Salesforce Id is held by two accounts ...", naming up to three of them and
    counting the `folded` accounts the list leaves out for them."""
    ranked = frame.iloc[order].assign(_key=keys.iloc[order].to_numpy())
    ranked = ranked[ranked["_key"].isin(set(shared))]
    named = []
    for _, accounts in list(ranked.groupby("_key", sort=False))[:3]:
        names = [f"{name} ({tier or 'no tier'})" for name, tier in zip(
            texts(accounts, "account_name"), texts(accounts, "tier"), strict=True)]
        named.append(f"{texts(accounts, 'crm_id').iloc[0]} for {names[0]}, not "
                     f"{', '.join(names[1:])}")
    count = shared.nunique()
    more = f" and {count - 3:,} more" if count > 3 else ""
    held = "two accounts" if shared.value_counts().max() == 2 else "two or more accounts"
    return (f"{path.name}: {counted(count, record.name)} {agree(count, 'is', 'are')} held "
            f"by {held} and written once, for the better-tiered account "
            f"({counted(folded, 'row')} folded): "
            f"{'; '.join(named)}{more}; {agree(count, 'the pair is', 'the pairs are')} on "
            "the hub's Review sheet (same CRM account id): accept to make them one account")


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
    """Parse the segment's filter against a real table (a merged hub has no tier yet:
    the parser says which command adds a tier or score column)."""
    try:
        return parse_filter(spec.where, [str(c) for c in table.columns])
    except ExpressionError as error:
        raise ExpressionError(f"segment '{spec.name}' on {which}: {error}") from None


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
                  group: str | None, path: Path, limits: RowLimits,
                  output: SegmentOutput) -> None:
    """One file per value of the group column (one sheet each for a workbook format)."""
    fmt = UPLOAD_FORMATS[spec.format]
    labels = texts(frame, group or ALERT_GROUP).replace("", NO_GROUP)
    names = sorted(labels.unique(), key=lambda label: (label == NO_GROUP, label.casefold()))
    if not names:
        output.warnings.append("no accounts new to the segment since the previous hub: no "
                               "files written" if spec.alert else
                               "no accounts in the segment: no files written")
        return
    if fmt.workbook:
        sheets = [Sheet(name, fmt.render(fmt, frame[(labels == name).to_numpy()], columns,
                                         spec.fields).table) for name in names]
        output.files.append(write_workbook(path, sheets))
        output.rows = len(frame)
        return
    for name, part_name in zip(names, _unique_slugs(names), strict=True):
        part = frame[(labels == name).to_numpy()]
        target = path.with_name(f"{path.stem}_{part_name}{path.suffix}")
        _write_list(part, fmt, columns, target, limits, output, spec.fields)


def _unique_slugs(names: list[str]) -> list[str]:
    taken: dict[str, int] = {}
    result = []
    for name in names:
        base = slug(name) or NO_GROUP
        taken[base] = taken.get(base, 0) + 1
        result.append(base if taken[base] == 1 else f"{base}_{taken[base]}")
    return result


def _write_list(frame: pd.DataFrame, fmt: UploadFormat, columns: list[str], path: Path,
                limits: RowLimits, output: SegmentOutput, fields: dict[str, str]) -> None:
    """Write one list in `fmt` and add its files, rows and warnings to `output`."""
    rendered = fmt.render(fmt, frame, columns, fields)
    table = rendered.table
    output.rows += len(table)
    if fmt.workbook:
        output.files.append(write_workbook(path, [Sheet(path.stem[:31] or "Accounts", table)]))
        return
    parts = split_for_upload(table, limits.max_rows, limits.max_bytes)
    output.files.extend(write_csv(part, part_path, header=fmt.header)
                        for part, part_path in zip(parts, part_paths(path, len(parts)),
                                                   strict=True))
    output.warnings.extend(fmt.checks(fmt, frame, path.name, limits))
    if len(parts) > 1:
        output.warnings.append(f"{path.name}: split into {len(parts)} files ({fmt.name} "
                               f"takes at most {limits.text()} a file)")
    if rendered.left_out is not None and fmt.left_out is not None:
        _left_out(rendered.left_out, fmt, path, output)


def _left_out(accounts: pd.DataFrame, fmt: UploadFormat, path: Path,
              output: SegmentOutput) -> None:
    """Count and name the accounts the format could not take; list them beside the
    upload where the format says so. Never dropped silently."""
    if fmt.left_out is None or not len(accounts):
        return
    output.missing_ids += len(accounts)
    listed = ""
    if fmt.left_out.listed:
        listing = path.with_name(f"{path.stem}_no_crm_id{path.suffix}")
        output.files.append(write_csv(accounts, listing))
        listed = f" (listed in {listing.name})"
    names = ", ".join(texts(accounts.head(5), "account_name"))
    more = f" and {len(accounts) - 5:,} more" if len(accounts) > 5 else ""
    count = len(accounts)
    output.warnings.append(f"{path.name}: {counted(count, 'account')} "
                           f"{agree(count, 'has', 'have')} {fmt.left_out.lacking} and "
                           f"{agree(count, 'is', 'are')} not in {fmt.left_out.into}"
                           f"{listed}: {names}{more}")


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
