"""Write formatted .xlsx workbooks fast (xlsxwriter) and read their sheets back (calamine).

Writing uses xlsxwriter's constant_memory mode: rows go to disk as they are written, so
a 100,000-row hub needs little memory. Each column's values are converted once to a
Python list of one cell type (text, number, boolean, or mixed). xlsxwriter writes the
workbook, headers, styles and everything around the data; the data rows themselves are
rendered as the XML xlsxwriter would write, once per distinct value of each column (see
xlsx_rows.py), which is about 4x faster than its per-cell calls. Where
xlsxwriter's internals are not the checked ones, rows are written cell by cell instead.

Formula safety: every text cell is an inline string (`write_string` on the per-cell
path), never a formula, and the workbook is opened with strings_to_formulas/urls/numbers
off, so a vendor value such as `=HYPERLINK("http://x","click")` is shown as that text.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from python_calamine import CalamineWorkbook
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from abmcli.errors import WorkbookError
from abmcli.keys.values import FIRST_DATE, LAST_DATE
from abmcli.safe import atomic_path, os_problem, scratch_folder
from abmcli.sources.read import reader_panics_as, refuse_unsafe_workbook
from abmcli.xlsx import rows as xlsx_rows
from abmcli.xlsx.rows import naive

log = logging.getLogger(__name__)

NUMBER_FORMATS = {
    "text": None,
    "bool": None,
    "int": "#,##0",
    "year": "0",  # a founding year shows as 1998, not 1,998
    "money": "$#,##0",
    "float": "0.0",
    "score": "0.0",
    "percent": "0%",  # values are fractions: 0.25 shows as 25%
    "date": "yyyy-mm-dd",
}
CHART_KINDS = ("column", "bar", "pie", "line")
# How Excel shows a number of each kind, to size the column (dates are always 10 wide).
SHOWN_AS = {
    "int": "{:,.0f}",
    "money": "${:,.0f}",
    "float": "{:,.1f}",
    "score": "{:,.1f}",
    "percent": "{:.0%}",
    "date": "0000-00-00",
    "year": "{:.0f}",
}
MAX_WIDTH = 50
MAX_DATA_ROWS = 1_048_575  # Excel's row limit minus the header row
WIDTH_SAMPLE_ROWS = 200
HEADER_STYLE = {"bold": True, "bg_color": "#DDEBF7", "bottom": 1}
TITLE_STYLE = {"bold": True, "font_size": 12}
# Excel's own red-yellow-green colour scale, so it looks like the one users pick by hand.
COLOR_SCALE = {
    "type": "3_color_scale",
    "min_color": "#F8696B",
    "mid_color": "#FFEB84",
    "max_color": "#63BE7B",
}
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
# The deflate level of the workbook's zip. xlsxwriter leaves zlib's default, 6, which
# took about 6 s of a 100,000-account `abm run` for the 420 MB of sheet XML; level 2
# takes a third of that (0.9 s against 2.7 s for the 192 MB Hub sheet) for files about
# a quarter larger (32 MB against 25 MB; level 1 is as fast and 7 % larger still).
# Excel and every reader open either; the sheets are the same.
ZIP_LEVEL = 2
DEFAULT_HINT = "give a workbook written by abm merge"
EXCEL_EPOCH = np.datetime64("1899-12-30")
FIRST_SAFE_SERIAL = 61  # 1900-03-01: Excel's serials are wrong before its 1900 leap-day bug
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_SLOW_ROWS_WARNED: set[str] = set()  # fallback reasons already logged


@dataclass(frozen=True)
class ColumnFormat:
    """How a column looks in Excel. `kind` picks the number format (see NUMBER_FORMATS)."""

    kind: str = "text"
    width: float | None = None  # None: from the header and a sample of values, capped at 50
    color_scale: bool | None = None  # None: a red-yellow-green scale on "score" columns only

    def __post_init__(self) -> None:
        if self.kind not in NUMBER_FORMATS:
            raise WorkbookError(
                f"column format kind {self.kind!r} is not known; use one of "
                + ", ".join(NUMBER_FORMATS)
            )

    @property
    def has_color_scale(self) -> bool:
        return self.kind == "score" if self.color_scale is None else self.color_scale


@dataclass
class Sheet:
    """A data sheet: header on row 1, one row per record, filters and a frozen header."""

    name: str
    frame: pd.DataFrame
    formats: dict[str, ColumnFormat] = field(default_factory=dict)  # by column name
    freeze_header: bool = True
    autofilter: bool = True
    row_fill: str | None = None  # column whose value picks the row's fill colour ...
    fills: dict[str, str] = field(default_factory=dict)  # ... value -> "#RRGGBB"


@dataclass(frozen=True)
class Chart:
    """A native Excel chart of one block of a summary sheet.

    Chart(kind="column", title="Accounts per tier", block="Tiers",
          categories="tier", values="accounts") charts the block titled "Tiers".
    """

    kind: str  # "column" | "bar" | "pie"
    title: str
    block: str  # title of the block holding the data
    values: str  # column of that block with the numbers
    categories: str  # column of that block with the labels
    anchor: str | None = None  # top-left cell such as "F2"; None: right of the blocks


@dataclass
class SummarySheet:
    """Small titled tables written one under another, then charts of them."""

    name: str
    blocks: list[tuple[str, pd.DataFrame]]  # (block title, table)
    charts: list[Chart] = field(default_factory=list)
    formats: dict[str, ColumnFormat] = field(default_factory=dict)  # by column name


@dataclass
class _Column:
    """One column ready to write: the values as a list (None for a blank cell) and what
    they are: "string", "number", "boolean", or "any" (mixed types, picked per value)."""

    header: str
    values: list[Any]
    cell_type: str
    cell_format: Format | None
    style: ColumnFormat
    width: float


@dataclass
class _Styles:
    """xlsxwriter formats shared by all sheets, created once per workbook."""

    workbook: xlsxwriter.Workbook
    header: Format
    title: Format
    numbers: dict[str, Format | None]
    fills: dict[str, Format] = field(default_factory=dict)

    def fill(self, colour: str) -> Format:
        if colour not in self.fills:
            self.fills[colour] = self.workbook.add_format({"bg_color": colour})
        return self.fills[colour]


# --- writing ----------------------------------------------------------------------------


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def check_workbook_name(path: Path | str) -> Path:
    """`path` if it names an Excel workbook; an xlsx saved as hub.csv would open as
    garbage in any CSV reader, so another suffix is refused with the name to use."""
    path = Path(path)
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise WorkbookError(
            f"{path}: abm writes an Excel workbook, which needs the suffix .xlsx; write "
            f"-o {path.with_suffix('.xlsx')} (CSV files come from --lineage, --csv-dir and "
            "abm segment)")
    return path


# A very hidden sheet holding what the workbook was made with (`facts`): the run date
# and the config, so that later commands on the workbook agree with it.
FACTS_SHEET = "_abm"
FACT_CELL_CHARS = 30_000  # below Excel's 32,767 characters a cell


def write_workbook(path: Path, sheets: Sequence[Sheet | SummarySheet],
                   facts: dict[str, str] | None = None) -> Path:
    """Write `sheets` to the workbook at `path`, atomically; return `path`.

    Sheet names are made Excel-safe and unique (see `excel_sheet_names`). If anything
    fails, the file previously at `path` is left untouched. `facts` (name -> text) go
    to a very hidden sheet that `read_facts` reads back.
    """
    path = check_workbook_name(path)
    names = excel_sheet_names([sheet.name for sheet in sheets])
    for sheet in sheets:
        _check_sheet(sheet)
    try:
        with atomic_path(path) as temp, scratch_folder(temp) as scratch:
            # xlsxwriter's row files (vendor rows) go to a private folder beside the
            # output, never the shared system temp folder: removed however the write
            # ends, and by the next write or run recovery when the process was killed.
            workbook = xlsxwriter.Workbook(str(temp), {**WORKBOOK_OPTIONS,
                                                       "tmpdir": str(scratch)})
            try:
                _write_sheets(workbook, sheets, names)
                if facts:
                    _write_facts(workbook, facts)
                _close_at_zip_level(workbook)
            except BaseException:
                _discard_row_files(workbook)
                raise
    except (OSError, XlsxWriterException) as error:
        raise WorkbookError(
            f"{path}: cannot write the workbook ({os_problem(error)}); close it if it is "
            "open in Excel, and check that the folder exists, is writable and has space"
        ) from error
    return path


class _LevelledZipFile(zipfile.ZipFile):
    """A ZipFile that deflates at ZIP_LEVEL unless told otherwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compresslevel", ZIP_LEVEL)
        super().__init__(*args, **kwargs)


def _close_at_zip_level(workbook: xlsxwriter.Workbook) -> None:
    """`workbook.close()`, its zip deflated at ZIP_LEVEL: xlsxwriter has no option for the
    level, so the ZipFile its workbook module calls is swapped for the close. Where that
    name is not the standard ZipFile (another xlsxwriter, a patch), it is left alone."""
    module = xlsxwriter.workbook
    if getattr(module, "ZipFile", None) is not zipfile.ZipFile:
        workbook.close()
        return
    module.ZipFile = _LevelledZipFile
    try:
        workbook.close()
    finally:
        module.ZipFile = zipfile.ZipFile


def _write_sheets(workbook: Any, sheets: Sequence[Sheet | SummarySheet], names: list[str]
                  ) -> None:
    styles = _make_styles(workbook)
    for sheet, name in zip(sheets, names, strict=True):
        worksheet = workbook.add_worksheet(name)
        if isinstance(sheet, SummarySheet):
            _write_summary_sheet(worksheet, sheet, styles)
        else:
            _write_data_sheet(worksheet, sheet, styles)


def _write_facts(workbook: Any, facts: dict[str, str]) -> None:
    """One row per fact (long text split over rows with the same name), as text."""
    worksheet = workbook.add_worksheet(FACTS_SHEET)
    row = 0
    for name, text in facts.items():
        for start in range(0, max(len(text), 1), FACT_CELL_CHARS):
            worksheet.write_string(row, 0, name)
            worksheet.write_string(row, 1, text[start:start + FACT_CELL_CHARS])
            row += 1
    worksheet.very_hidden()


def read_facts(path: Path) -> dict[str, str]:
    """The facts `write_workbook` stored in the workbook at `path` ({} when none)."""
    with _open_workbook(Path(path)) as workbook:
        if FACTS_SHEET not in workbook.sheet_names:
            return {}
        rows = workbook.get_sheet_by_name(FACTS_SHEET).to_python()
    facts: dict[str, str] = {}
    for row in rows:
        if len(row) >= 2 and isinstance(row[0], str) and row[0]:
            facts[row[0]] = facts.get(row[0], "") + (row[1] if isinstance(row[1], str) else "")
    return facts


def _discard_row_files(workbook: Any) -> None:
    """Close and delete the temporary row files constant_memory opened for a workbook
    abandoned half-written (xlsxwriter does so only in `close()`): they hold vendor
    data and must not linger. Also marks the workbook closed, so that nothing tries to
    finish writing it when it is garbage-collected (on a full disk that attempt fails
    again, as an "Exception ignored" traceback)."""
    for worksheet in workbook.worksheets():
        handle = getattr(worksheet, "row_data_fh", None)
        if handle is not None and not handle.closed:
            handle.close()
        name = getattr(worksheet, "row_data_filename", None)
        if name:
            Path(name).unlink(missing_ok=True)
    workbook.fileclosed = True


def excel_sheet_names(names: Sequence[str]) -> list[str]:
    """Return Excel-safe, unique sheet names for `names`, in order.

    Drops []:*?/\\ and control characters, trims quotes, cuts to 31 characters, and
    numbers repeats ("Tier 1", "Tier 1 (2)"); Excel compares names ignoring case.
    """
    taken: set[str] = set()
    safe_names = []
    for name in names:
        base = _SHEET_NAME_BAD.sub("_", str(name)).strip().strip("'").strip() or "Sheet"
        if base.lower() == "history":  # reserved by Excel for change tracking
            base = "History_"
        candidate, number = base[:31], 1
        while candidate.lower() in taken:
            number += 1
            suffix = f" ({number})"
            candidate = base[: 31 - len(suffix)] + suffix
        taken.add(candidate.lower())
        safe_names.append(candidate)
    return safe_names


def _check_sheet(sheet: Sheet | SummarySheet) -> None:
    """Catch mistakes before any row is written, so a long write never fails at the end."""
    if isinstance(sheet, SummarySheet):
        for chart in sheet.charts:
            _check_chart(sheet, chart)
        return
    if len(sheet.frame) > MAX_DATA_ROWS:
        raise WorkbookError(
            f"sheet {sheet.name!r} has {len(sheet.frame):,} rows but Excel holds at "
            f"most {MAX_DATA_ROWS:,}; write it as CSV instead"
        )
    headers = [str(name) for name in sheet.frame.columns]
    if sheet.row_fill is not None and sheet.row_fill not in headers:
        raise WorkbookError(
            f"sheet {sheet.name!r}: row_fill names column {sheet.row_fill!r}, which is not "
            f"in the sheet (columns: {', '.join(headers)})"
        )
    for value, colour in sheet.fills.items():
        if not _HEX_COLOUR.fullmatch(colour):
            raise WorkbookError(
                f"sheet {sheet.name!r}: fill colour {colour!r} for {value!r} is not a "
                "colour; write it as #RRGGBB, e.g. #C6EFCE"
            )


def _check_chart(sheet: SummarySheet, chart: Chart) -> None:
    where = f"sheet {sheet.name!r}, chart {chart.title!r}"
    if chart.kind not in CHART_KINDS:
        raise WorkbookError(f"{where}: kind {chart.kind!r} is not one of {', '.join(CHART_KINDS)}")
    blocks = dict(sheet.blocks)
    if chart.block not in blocks:
        raise WorkbookError(
            f"{where}: there is no block {chart.block!r} (blocks: {', '.join(blocks)})"
        )
    headers = [str(name) for name in blocks[chart.block].columns]
    for column in (chart.categories, chart.values):
        if column not in headers:
            raise WorkbookError(
                f"{where}: block {chart.block!r} has no column {column!r} "
                f"(columns: {', '.join(headers)})"
            )


def _make_styles(workbook: xlsxwriter.Workbook) -> _Styles:
    numbers = {
        kind: workbook.add_format({"num_format": number_format}) if number_format else None
        for kind, number_format in NUMBER_FORMATS.items()
    }
    return _Styles(
        workbook=workbook,
        header=workbook.add_format(HEADER_STYLE),
        title=workbook.add_format(TITLE_STYLE),
        numbers=numbers,
    )


def _write_data_sheet(worksheet: Worksheet, sheet: Sheet, styles: _Styles) -> None:
    columns = _prepare_columns(sheet.frame, sheet.formats, styles)
    _set_widths(worksheet, [columns])
    _write_header(worksheet, 0, columns, styles.header)
    _write_rows(worksheet, 1, columns, styles.numbers["date"])
    last_row, last_col = len(sheet.frame), len(columns) - 1
    if sheet.freeze_header:
        worksheet.freeze_panes(1, 0)
    if sheet.autofilter and columns:
        worksheet.autofilter(0, 0, last_row, last_col)
    if last_row >= 1 and columns:
        _add_color_scales(worksheet, columns, 1, last_row)
        _add_row_fills(worksheet, sheet, columns, styles, last_row)


def _write_header(worksheet: Worksheet, row: int, columns: list[_Column], fmt: Format) -> None:
    for col, column in enumerate(columns):
        worksheet.write_string(row, col, column.header, fmt)


def _write_rows(
    worksheet: Worksheet, first_row: int, columns: list[_Column], date_format: Format | None
) -> None:
    """Write all rows from `first_row` on: as rendered XML where xlsxwriter's internals are
    the ones this module was checked against, else cell by cell through its public API.

    `date_format` is for dates in columns that mix types, such as the value column of a
    key/value block, which have no column-wide date format.
    """
    reason = xlsx_rows.unsupported_reason(worksheet, first_row, len(columns))
    if reason is None:
        xlsx_rows.write_rows_as_xml(worksheet, first_row, columns, date_format)
        return
    _warn_slow_rows_once(reason)
    _write_rows_per_cell(worksheet, first_row, columns, date_format)


def _warn_slow_rows_once(reason: str) -> None:
    """Log, once per process, that rows are written cell by cell: correct, about five
    times slower on a large hub. The CLI shows library warnings on stderr."""
    log.warning("writing workbook rows cell by cell (slower): %s", reason,
                extra={"slow_rows": reason})


class _SlowRowsOnce(logging.Filter):
    """Lets each reason for slow rows through once per process: also when a worker
    (workers.py) logged it first, whose records this logger handles again."""

    def filter(self, record: logging.LogRecord) -> bool:
        reason = getattr(record, "slow_rows", None)
        if reason is None:
            return True
        if reason in _SLOW_ROWS_WARNED:
            return False
        _SLOW_ROWS_WARNED.add(reason)
        return True


log.addFilter(_SlowRowsOnce())


def _write_rows_per_cell(
    worksheet: Worksheet, first_row: int, columns: list[_Column], date_format: Format | None
) -> None:
    """Write all rows in order (constant_memory needs it), one call per non-empty cell."""
    plan = [
        (col, _cell_writer(worksheet, column.cell_type, date_format), column.cell_format)
        for col, column in enumerate(columns)
    ]
    for row, values in enumerate(
        zip(*(column.values for column in columns), strict=True), first_row
    ):
        for (col, write, cell_format), value in zip(plan, values, strict=True):
            if value is not None:
                write(row, col, value, cell_format)


def _set_widths(
    worksheet: Worksheet, tables: list[list[_Column]], with_formats: bool = True
) -> None:
    """Set each column's width (the widest over `tables`) and, for data sheets, its number
    format, which Excel then gives to values a user types below the data."""
    widths: dict[int, float] = {}
    formats: dict[int, Format | None] = {}
    for columns in tables:
        for col, column in enumerate(columns):
            widths[col] = max(widths.get(col, 0.0), column.width)
            formats.setdefault(col, column.cell_format if with_formats else None)
    for col, width in widths.items():
        worksheet.set_column(col, col, width, formats[col])


def _add_color_scales(
    worksheet: Worksheet, columns: list[_Column], first_row: int, last_row: int
) -> None:
    for col, column in enumerate(columns):
        if column.style.has_color_scale:
            worksheet.conditional_format(first_row, col, last_row, col, COLOR_SCALE)


def _add_row_fills(
    worksheet: Worksheet, sheet: Sheet, columns: list[_Column], styles: _Styles, last_row: int
) -> None:
    """Colour whole rows by the value of one column, e.g. tier -> green/yellow/orange.

    Conditional formats cost nothing per row at write time and follow the value if a
    user edits it in Excel.
    """
    if sheet.row_fill is None:
        return
    headers = [column.header for column in columns]
    letter = xl_col_to_name(headers.index(sheet.row_fill))
    for value, colour in sheet.fills.items():
        literal = '"' + str(value).replace('"', '""') + '"'
        criteria = {"type": "formula", "criteria": f"=${letter}2={literal}"}
        criteria["format"] = styles.fill(colour)
        worksheet.conditional_format(1, 0, last_row, len(columns) - 1, criteria)


# --- summary sheets ---------------------------------------------------------------------


@dataclass(frozen=True)
class _BlockPlace:
    title_row: int
    first_data_row: int
    last_data_row: int
    frame: pd.DataFrame


def _write_summary_sheet(worksheet: Worksheet, sheet: SummarySheet, styles: _Styles) -> None:
    tables = [_prepare_columns(frame, sheet.formats, styles) for _, frame in sheet.blocks]
    _set_widths(worksheet, tables, with_formats=False)
    places: dict[str, _BlockPlace] = {}
    row = 0
    for (title, frame), columns in zip(sheet.blocks, tables, strict=True):
        worksheet.write_string(row, 0, title, styles.title)
        _write_header(worksheet, row + 1, columns, styles.header)
        _write_rows(worksheet, row + 2, columns, styles.numbers["date"])
        places[title] = _BlockPlace(row, row + 2, row + 1 + len(frame), frame)
        row += len(frame) + 3  # title, header, rows, one blank row
    widest = max((len(columns) for columns in tables), default=0)
    for number, chart in enumerate(sheet.charts):
        anchor = chart.anchor or f"{xl_col_to_name(widest + 1)}{2 + 16 * number}"
        _add_chart(worksheet, chart, places, styles, anchor)


def _add_chart(
    worksheet: Worksheet,
    chart: Chart,
    places: dict[str, _BlockPlace],
    styles: _Styles,
    anchor: str,
) -> None:
    """Insert a chart of one block; a block with no rows gets no chart (nothing to show)."""
    place = places[chart.block]
    if place.last_data_row < place.first_data_row:
        return
    name = worksheet.get_name()
    headers = [str(name) for name in place.frame.columns]
    categories = headers.index(chart.categories)
    values = headers.index(chart.values)
    first, last = place.first_data_row, place.last_data_row
    series: dict[str, Any] = {
        "name": chart.title,
        "categories": [name, first, categories, last, categories],
        "values": [name, first, values, last, values],
        "data_labels": {"value": True},
        # constant_memory keeps no cell data for xlsxwriter to cache in the chart; give
        # it the data so viewers that do not recalculate (previews, LibreOffice) show it.
        "categories_data": [str(value) for value in place.frame.iloc[:, categories]],
        "values_data": _number_values(pd.to_numeric(place.frame.iloc[:, values])),
    }
    excel_chart = styles.workbook.add_chart({"type": chart.kind})
    excel_chart.add_series(series)
    excel_chart.set_title({"name": chart.title})
    if chart.kind != "pie":
        excel_chart.set_legend({"none": True})  # one series: the title says what it is
    worksheet.insert_chart(anchor, excel_chart)


def key_values(pairs: dict[str, object], key: str = "item", value: str = "value") -> pd.DataFrame:
    """A two-column block for a summary sheet from {"Accounts": 1234, "As of": date, ...}."""
    return pd.DataFrame({key: list(pairs), value: pd.Series(list(pairs.values()), dtype=object)})


# --- turning a column into values and a writer ------------------------------------------


def _prepare_columns(
    frame: pd.DataFrame,
    formats: dict[str, ColumnFormat],
    styles: _Styles,
) -> list[_Column]:
    columns = []
    for position in range(frame.shape[1]):
        header = str(frame.columns[position])
        series = frame.iloc[:, position]
        values, cell_type = _cell_values(series)
        style = formats.get(header) or ColumnFormat(kind=_default_kind(header, series))
        width = style.width or _auto_width(header, values[:WIDTH_SAMPLE_ROWS], style.kind)
        columns.append(_Column(header, values, cell_type, styles.numbers[style.kind], style, width))
    return columns


def _default_kind(header: str, series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "year" if header.lower().endswith("year") else "int"
    if pd.api.types.is_float_dtype(series):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    inferred = pd.api.types.infer_dtype(series, skipna=True)
    return {"date": "date", "datetime": "date", "boolean": "bool"}.get(inferred, "text")


def _cell_values(series: pd.Series) -> tuple[list[Any], str]:
    """The column as a list (None for a blank cell) and its cell type (see `_Column`)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    if pd.api.types.is_bool_dtype(series):
        return _as_list(series), "boolean"
    if pd.api.types.is_numeric_dtype(series):
        return _number_values(series), "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return _date_values(series)
    return _object_values(series)


def _object_values(series: pd.Series) -> tuple[list[Any], str]:
    inferred = pd.api.types.infer_dtype(series, skipna=True)
    if inferred == "string":
        values = series.to_numpy(dtype=object, na_value=None, copy=True)
        values[values == ""] = None  # compared in C; a blank cell either way
        return values.tolist(), "string"
    if inferred in ("integer", "floating", "mixed-integer-float", "decimal"):
        return _number_values(pd.to_numeric(series)), "number"
    if inferred == "boolean":
        return _as_list(series), "boolean"
    if inferred in ("date", "datetime", "datetime64"):
        return _date_values(pd.to_datetime(series, utc=_has_timezones(series)))
    return [_blank_if_missing(value) for value in series.tolist()], "any"


def _as_list(series: pd.Series) -> list[Any]:
    return series.to_numpy(dtype=object, na_value=None).tolist()


def _number_values(series: pd.Series) -> list[Any]:
    """Floats for the numbers, None for missing and infinite ones (Excel has no NaN)."""
    numbers = series.to_numpy(dtype="float64", na_value=np.nan)
    values = numbers.astype(object)
    values[~np.isfinite(numbers)] = None
    return values.tolist()


def _date_values(series: pd.Series) -> tuple[list[Any], str]:
    """Excel date serials computed for the whole column at once, written as numbers.

    Excel keeps no time zone, so aware times keep their wall-clock time. Dates before
    1900-03-01 have no faithful serial; the rare one is written as ISO text instead.
    """
    if series.dt.tz is not None:
        series = series.dt.tz_localize(None)
    stamps = series.to_numpy(dtype="datetime64[ns]")
    serials = (stamps - EXCEL_EPOCH) / np.timedelta64(1, "D")
    values = serials.astype(object)
    values[np.isnan(serials)] = None
    too_early = serials < FIRST_SAFE_SERIAL
    if not too_early.any():
        return values.tolist(), "number"
    values[too_early] = series[too_early].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    return values.tolist(), "any"


def _has_timezones(series: pd.Series) -> bool:
    return any(getattr(value, "tzinfo", None) is not None for value in series.dropna().unique())


def _blank_if_missing(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT or value == "":
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _cell_writer(
    worksheet: Worksheet, cell_type: str, date_format: Format | None
) -> Callable[..., Any]:
    """The worksheet method that writes cells of `cell_type` (see `_Column`)."""
    if cell_type == "any":
        return _any_writer(worksheet, date_format)
    writers = {
        "string": _text_writer(worksheet),
        "number": worksheet.write_number,
        "boolean": worksheet.write_boolean,
    }
    return writers[cell_type]


def _text_writer(worksheet: Worksheet) -> Callable[..., Any]:
    """`write_string`, except for text shaped like `<r>...</r>`: xlsxwriter's constant_memory
    mode takes that for rich-text XML and writes it unescaped, so a vendor value could
    carry a formula cell into the sheet. It is written as plain runs instead, which
    show the same text."""

    def write_text(row: int, col: int, value: str, cell_format: Format | None) -> None:
        if value.startswith("<r>") and value.endswith("</r>"):
            runs: list[str | Format] = ["<", "r>", value[3:]]  # it needs three or more
            worksheet.write_rich_string(row, col, *runs, *([cell_format] if cell_format else []))
        else:
            worksheet.write_string(row, col, value, cell_format)

    return write_text


def _any_writer(worksheet: Worksheet, date_format: Format | None) -> Callable[..., Any]:
    """A writer for columns that mix types: picks the method per value (the slow path)."""
    write_text = _text_writer(worksheet)

    def write_any(row: int, col: int, value: object, cell_format: Format | None) -> None:
        if isinstance(value, str):
            write_text(row, col, value, cell_format)
        elif isinstance(value, bool | np.bool_):
            worksheet.write_boolean(row, col, bool(value), cell_format)
        elif isinstance(value, int | float | np.number):
            worksheet.write_number(row, col, float(value), cell_format)
        elif isinstance(value, dt.date):  # datetime and pandas Timestamp included
            worksheet.write_datetime(row, col, naive(value), cell_format or date_format)
        else:
            write_text(row, col, str(value), cell_format)

    return write_any


def _auto_width(header: str, sample: list[Any], kind: str) -> float:
    """Width in characters: the header (plus room for the filter button) or the widest
    sampled value as Excel will show it, capped at MAX_WIDTH."""
    widest = max((len(_shown(value, kind)) for value in sample if value is not None), default=0)
    return float(min(MAX_WIDTH, max(len(header) + 3, widest + 2, 6)))


def _shown(value: object, kind: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return SHOWN_AS.get(kind, "{:.10g}").format(value)


# --- reading ----------------------------------------------------------------------------


def sheet_names(path: Path) -> list[str]:
    """The names of the sheets of the workbook at `path`, in workbook order."""
    with _open_workbook(Path(path)) as workbook:
        return [name for name in workbook.sheet_names if name != FACTS_SHEET]


def read_sheet(path: Path, sheet: str, *, hint: str = DEFAULT_HINT,
               named_columns: bool = False,
               types: Callable[[str], str | None] | None = None) -> pd.DataFrame:
    """Read one sheet with its header on row 1; columns keep the types they were written with.

    Numbers come back as int64 (Int64 with blanks) when all are whole, else float64;
    dates as datetime.date; booleans as bool ("boolean" with blanks); text as str.
    Blank cells (and empty text) are missing values. With `named_columns` (account
    tables users edit by hand), row 1 must name every column with values, once.
    `types` (header -> declared type, None when undeclared; the schema's for account
    sheets) keeps a declared text column text where a user typed numbers or dates into
    it, and a date column dates where Excel gave date-times.
    """
    path = Path(path)
    with _open_workbook(path) as workbook:
        if sheet not in workbook.sheet_names:
            raise WorkbookError(
                f"{path}: has no sheet {sheet!r} (sheets: {', '.join(workbook.sheet_names)}); "
                f"{hint}"
            )
        with reader_panics_as(lambda err: _unreadable(path, err)):
            rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    if not rows:
        return pd.DataFrame()
    headers = [_header_text(value, position) for position, value in enumerate(rows[0])]
    cells = list(zip(*rows[1:], strict=True)) if len(rows) > 1 else [() for _ in headers]
    if named_columns:
        _check_header_row(path, sheet, rows[0], cells)
    declared = types or (lambda header: None)
    return pd.DataFrame({header: _typed_column(values, declared(header))
                         for header, values in zip(headers, cells, strict=True)})


def read_blocks(path: Path, sheet: str, *, hint: str = DEFAULT_HINT
                ) -> list[tuple[str, pd.DataFrame]]:
    """Read a summary sheet back as the titled blocks `SummarySheet` wrote: a title
    cell, a header row, rows, one blank row; columns typed as `read_sheet` types them."""
    path = Path(path)
    with _open_workbook(path) as workbook:
        if sheet not in workbook.sheet_names:
            raise WorkbookError(f"{path}: has no sheet {sheet!r}; {hint}")
        with reader_panics_as(lambda err: _unreadable(path, err)):
            rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    blocks, row = [], 0
    while row + 1 < len(rows):
        title, header = rows[row][0], rows[row + 1]
        width = next((i for i, cell in enumerate(header) if cell in ("", None)), len(header))
        end = row + 2
        while end < len(rows) and any(cell not in ("", None) for cell in rows[end][:width]):
            end += 1
        cells = list(zip(*(r[:width] for r in rows[row + 2:end]), strict=True)) or [()] * width
        frame = pd.DataFrame({_header_text(header[i], i): _typed_column(tuple(cells[i]))
                              for i in range(width)})
        blocks.append((str(title), frame))
        row = end + 1
    return blocks


IDENTITY_COLUMNS = ("account_id", "account_name", "domain")


def require_columns(frame: pd.DataFrame, path: Path, sheet: str,
                    columns: Sequence[str] = IDENTITY_COLUMNS) -> pd.DataFrame:
    """`frame` (read from `sheet` of `path`), or a WorkbookError naming the columns it
    lacks: a hand-edited workbook whose account_id was renamed is not abm's any more."""
    if frame.columns.empty:  # a blank sheet: the callers report "no accounts"
        return frame
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise WorkbookError(
            f"{path}: sheet '{sheet}' has no column {', '.join(missing)}, which abm needs to "
            "know the accounts (was it renamed?); restore the header or give a workbook "
            "written by abm merge or abm tier")
    return frame


def _open_workbook(path: Path) -> CalamineWorkbook:
    if not path.is_file():
        raise WorkbookError(f"{path}: no such file; {DEFAULT_HINT}")
    if zipfile.is_zipfile(path):
        # A small file must not unpack to gigabytes in memory, nor one stray cell make
        # the reader allocate 512 GB.
        refuse_unsafe_workbook(path)
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises several types for zip, XML and format faults
        raise WorkbookError(
            f"{path}: is not a readable .xlsx workbook ({error}); open it in Excel and "
            f"save it as .xlsx, or {DEFAULT_HINT}"
        ) from error


def _check_header_row(path: Path, sheet: str, header: list[Any],
                      cells: list[tuple[Any, ...]]) -> None:
    """Refuse a hand-edited sheet whose row 1 is not one name per column: a duplicated
    name would silently drop a column, and a title row above the header would make
    the header an account."""
    seen: dict[str, int] = {}
    for position, value in enumerate(header):
        name = str(value).strip()
        if not name:
            if any(cell not in ("", None) for cell in cells[position]):
                raise WorkbookError(
                    f"{path}: sheet {sheet!r} column {xl_col_to_name(position)} has values but "
                    "no name in row 1; the header must be row 1 (delete any title rows above "
                    "it) and every column needs a name")
            continue
        if name.casefold() in seen:
            first = xl_col_to_name(seen[name.casefold()])
            raise WorkbookError(
                f"{path}: sheet {sheet!r} has two columns named {name!r} (columns {first} and "
                f"{xl_col_to_name(position)}); rename or delete one, then run again")
        seen[name.casefold()] = position


def _unreadable(path: Path, error: BaseException) -> WorkbookError:
    return WorkbookError(f"{path}: is not a readable .xlsx workbook ({error}); open it in "
                         f"Excel and save it as .xlsx, or {DEFAULT_HINT}")


def _header_text(value: object, position: int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if value != "" else f"column_{position + 1}"


def _typed_column(values: tuple[Any, ...], declared: str | None = None) -> pd.Series:
    """The cells of one column as a Series of the type they hold, or of the `declared`
    type where the schema names one that the cells can be read as."""
    kinds = set(map(type, values))  # looked at first: most columns hold one kind of cell
    if kinds & {dt.date, dt.datetime}:
        values = tuple(map(_blank_if_no_date, values))
    if kinds == {str}:  # text with blanks ("") in it, the commonest column
        cells = [value or None for value in values]
    else:
        cells = [None if value == "" else value for value in values]
    types = set(map(type, cells)) - {type(None)}
    missing = None in cells
    if declared in ("text", "list") and types - {str}:
        return pd.Series([None if cell is None else _cell_text(cell) for cell in cells],
                         dtype="str")
    if declared == "date" and types and types <= {dt.date, dt.datetime}:
        return pd.Series([cell.date() if isinstance(cell, dt.datetime) else cell
                          for cell in cells], dtype=object)
    if not types or types == {str}:
        return pd.Series(cells, dtype="str")
    if types <= {int, float}:
        return _number_column(cells, missing)
    if types == {bool}:
        return pd.Series(cells, dtype="boolean" if missing else bool)
    if types == {dt.date}:
        return pd.Series(cells, dtype=object)
    if types <= {dt.date, dt.datetime}:
        return pd.Series(pd.to_datetime(cells))
    return pd.Series(cells, dtype=object)


def _blank_if_no_date(value: Any) -> Any:
    """A date typed outside FIRST_DATE..LAST_DATE (9999-12-31 for "never") is blank, as
    it is in a vendor file: pandas cannot hold it and no signal is dated there."""
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if not FIRST_DATE <= day <= LAST_DATE:
            return ""
    return value


def _number_column(cells: list[Any], missing: bool) -> pd.Series:
    """Whole numbers as integers (xlsx stores every number as a float)."""
    numbers = np.array([np.nan if value is None else value for value in cells], dtype="float64")
    present = numbers[~np.isnan(numbers)]
    whole = bool(np.all(present == np.round(present))) and bool(np.all(np.abs(present) < 2**53))
    if not whole:
        return pd.Series(numbers)
    if missing:
        return pd.Series(numbers).astype("Int64")
    return pd.Series(numbers.astype("int64"))


def _cell_text(value: Any) -> str:
    """A cell as the text it shows: 12345 (a number Excel made of an id) as "12345",
    TRUE as "TRUE", a date as 2026-11-30."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
