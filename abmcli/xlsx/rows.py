"""Writing a worksheet's data rows as rendered XML: the fast path of `workbook.py`.

xlsxwriter's public API costs about 6 µs of Python per cell; this module renders each
column's cells once per distinct value and appends whole rows to the worksheet's
constant_memory row file, about five times faster on a hub. It relies on xlsxwriter
internals, so `unsupported_reason` checks them first and `workbook.py` falls back to
per-cell writes (with one warning) whenever they are not the ones described below.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd
import xlsxwriter
import xlsxwriter.utility as xlsx_utility
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet


class RowColumn(Protocol):
    """What the fast path needs of a column: its values (None for a blank cell), their
    type ("string", "number", "boolean" or "any") and the column's cell format."""

    values: list[Any]
    cell_type: str
    cell_format: Format | None


# xlsxwriter spends about 6 µs of Python per cell (argument checks, a dict per row, a
# format lookup and escapes per cell): 18 s for a 100,000-row, 52-column hub. Here each
# column's cells are rendered once per distinct value, joined per row, and appended to
# the worksheet's constant_memory row file, where xlsxwriter's `_write_single_row` would
# have put them, as the same XML (except that text shaped like `<r>...</r>`, which
# xlsxwriter would write unescaped, is escaped). Header, styles, widths, filters,
# conditional formats and packaging stay with xlsxwriter. The hook relies on these
# internals, which `unsupported_reason` checks (otherwise rows go cell by cell through
# the public API):
# - in constant_memory mode `fh` is the open row file (`row_data_fh`), `previous_row` the
#   row still held in `table`, and `_write_single_row(n)` writes that row to `fh` and
#   makes `n` the held row; at close xlsxwriter copies the file into <sheetData>;
# - a row is `<row r="N">` (no spans, no attributes while rows keep the default height,
#   no set_row and no Excel 2010 extensions) holding `_write_cell`'s `<c>` elements;
# - `dim_rowmin/dim_rowmax/dim_colmin/dim_colmax` are the used range for <dimension>.
# xlsxwriter versions whose internals were checked: from, up to (not included). 3.3.0 and
# older measure and cut long text differently, and any release may move the internals.
XML_ROWS_XLSXWRITER = ((3, 3, 1), (3, 4))
XML_ROWS_CHUNK = 5_000  # rows rendered at once, so memory stays small, as in constant_memory
# Stands for the row number in rendered cells. Text never holds it: control characters
# reach the file only as _xHHHH_ escapes (see `_excel_text`).
ROW_MARK = "\x01"
EXCEL_TEXT_MAX = 32_767  # UTF-16 units in a cell; xlsxwriter truncates longer text
# The same patterns as xlsxwriter's XMLwriter, so text is escaped exactly as it would be.
_ESCAPED_LOOKALIKE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL_CHAR = re.compile(r"([\x00-\x08\x0b-\x1f])")
_NEEDS_CONTROL_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
# Anything that makes text need escaping or xml:space="preserve" (xlsxwriter: ^\s, \s$).
_PLAIN_TEXT_BREAKER = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff&<>]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_XLSXWRITER_UTILITIES = ("_datetime_to_excel_datetime", "_utf16_len", "_utf16_truncate")
_PATCHED_WRITERS = "the worksheet's cell writers are patched, so every cell must go through them"
# Cells a subclass or a patched Worksheet writes differently must go through its methods.
_XLSXWRITER_WRITERS = {
    name: getattr(Worksheet, name)
    for name in ("write_string", "write_number", "write_boolean", "write_datetime")
}


def unsupported_reason(worksheet: Worksheet, first_row: int, column_count: int) -> str | None:
    """Why the fast path cannot write into this worksheet, or None when it can: the
    internals it writes into must be the ones described above."""
    version = tuple(int(part) for part in re.findall(r"\d+", xlsxwriter.__version__)[:3])
    oldest, too_new = XML_ROWS_XLSXWRITER
    if not oldest <= version < too_new:
        return (f"xlsxwriter {xlsxwriter.__version__} is not a version the fast row writer "
                f"was checked against ({_dotted(oldest)} up to {_dotted(too_new)})")
    if not all(hasattr(xlsx_utility, name) for name in _XLSXWRITER_UTILITIES):
        return f"xlsxwriter {xlsxwriter.__version__} lacks the text helpers the fast path uses"
    if not all(getattr(type(worksheet), name, None) is method
               for name, method in _XLSXWRITER_WRITERS.items()):
        return _PATCHED_WRITERS
    if not _row_file_ready(worksheet, first_row, column_count):
        return "the worksheet is not streaming plain rows to its row file"
    return None


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


def _row_file_ready(worksheet: Worksheet, first_row: int, column_count: int) -> bool:
    """The worksheet streams rows to its row file, holds no row past `first_row`, and has
    nothing (row heights, comments, 2010 extensions) that would change a row's XML."""
    state = vars(worksheet)
    return (
        bool(state.get("constant_memory"))
        and state.get("fh") is not None
        and state.get("fh") is state.get("row_data_fh")
        and state.get("row_data_fh_closed") is False
        and isinstance(state.get("previous_row"), int)
        and state["previous_row"] < first_row
        and all(name in state for name in ("dim_rowmin", "dim_rowmax", "dim_colmin", "dim_colmax"))
        and state.get("excel_version") == 2007
        and state.get("default_row_height") == state.get("original_row_height")
        and not state.get("row_info", True)
        and not state.get("comments", True)
        and column_count <= state.get("xls_colmax", 0)
        and callable(getattr(worksheet, "_write_single_row", None))
    )


def write_rows_as_xml(
    worksheet: Worksheet, first_row: int, columns: Sequence[RowColumn], date_format: Format | None
) -> None:
    """Render all rows from `first_row` on and append them to the worksheet's row file."""
    worksheet._write_single_row(first_row)  # write out rows xlsxwriter still holds (header)
    _register_styles(columns, date_format)
    renderers = [
        _CellRenderer(worksheet, column, col, date_format) for col, column in enumerate(columns)
    ]
    row_count = len(columns[0].values) if columns else 0
    written: list[int] = []  # rows that have at least one cell
    used = [False] * len(columns)
    for start in range(0, row_count, XML_ROWS_CHUNK):
        chunk = [renderer.cells(start, start + XML_ROWS_CHUNK) for renderer in renderers]
        used = [was or any(cells) for was, cells in zip(used, chunk, strict=True)]
        worksheet.fh.write(_rows_xml(first_row + start, chunk, written))
    used_columns = [col for col, is_used in enumerate(used) if is_used]
    if written:
        _extend_dimensions(worksheet, (written[0], written[-1]), used_columns)
    worksheet.previous_row = first_row + row_count  # all rows are written; none is held


def _rows_xml(first_row: int, chunk: list[list[str]], written: list[int]) -> str:
    """`<row>` elements for a chunk of rows, skipping rows with no cell (as xlsxwriter does);
    appends the 0-based numbers of the rows written to `written`."""
    rows = []
    for row, row_cells in enumerate(zip(*chunk, strict=True), first_row):
        body = "".join(row_cells)
        if body:
            number = str(row + 1)
            rows.append(f'<row r="{number}">{body.replace(ROW_MARK, number)}</row>')
            written.append(row)
    return "".join(rows)


def _extend_dimensions(worksheet: Worksheet, rows: tuple[int, int], columns: list[int]) -> None:
    """Widen the used range as xlsxwriter's `_check_dimensions` does for each cell."""
    bounds = [("dim_rowmin", rows[0], min), ("dim_rowmax", rows[1], max)]
    bounds += [("dim_colmin", columns[0], min), ("dim_colmax", columns[-1], max)]
    for name, value, pick in bounds:
        current = getattr(worksheet, name)
        setattr(worksheet, name, value if current is None else pick(current, value))


def _register_styles(columns: Sequence[RowColumn], date_format: Format | None) -> None:
    """Number the formats in the order xlsxwriter would (by the first cell that uses each,
    row by row, left to right), so the file is byte for byte the one it writes."""
    first_uses = [
        (row, col, cell_format)
        for col, column in enumerate(columns)
        for row, cell_format in _first_uses(column, date_format)
    ]
    for _, _, cell_format in sorted(first_uses, key=lambda use: use[:2]):
        cell_format._get_xf_index()


def _first_uses(column: RowColumn, date_format: Format | None) -> list[tuple[int, Format]]:
    """The first row in which each format of the column is used."""
    if column.cell_format is not None:
        present = (row for row, value in enumerate(column.values) if value is not None)
        first = next(present, None)
        return [] if first is None else [(first, column.cell_format)]
    if column.cell_type != "any" or date_format is None:
        return []
    dates = (row for row, value in enumerate(column.values) if isinstance(value, dt.date))
    first_date = next(dates, None)
    return [] if first_date is None else [(first_date, date_format)]


class _CellRenderer:
    """A column's cells as XML with ROW_MARK for the row number, e.g. `<c r="C\x01"
    s="3"><v>42</v></c>`; "" for a blank; a slice of rows at a time, so that only one
    chunk's rendered text is held (the whole hub's took 100 MB of the merge's peak).
    Rendered once per distinct value of the slice: hub columns repeat industries, tiers
    and scores, and a row then only joins its cells and numbers them."""

    def __init__(self, worksheet: Worksheet, column: RowColumn, col: int,
                 date_format: Format | None) -> None:
        self.worksheet, self.column, self.date_format = worksheet, column, date_format
        values = np.empty(len(column.values), dtype=object)
        values[:] = column.values
        # Codes in C: -1 for None; each distinct value is the first cell that holds it
        # in the whole column, as in a set (so 0.0 and -0.0, equal keys, render as the
        # first one, as before).
        codes, self.distinct = pd.factorize(values)
        self.codes = codes.astype(np.int32 if len(self.distinct) < 2**31 else np.int64)
        self.opener = f'<c r="{xl_col_to_name(col)}{ROW_MARK}'
        self.style = _style_attribute(column.cell_format)

    def cells(self, start: int, end: int) -> list[str]:
        column, opener, style = self.column, self.opener, self.style
        if not len(self.distinct):
            return [""] * len(column.values[start:end])
        if column.cell_type == "any":  # True == 1 as a key: render each value, not each distinct
            tails = [_any_tail(self.worksheet, value, style, self.date_format)
                     for value in column.values[start:end]]
            return [opener + tail if tail else "" for tail in tails]
        # The slice's distinct codes by hashing, in the order they come (a sort per
        # slice, np.unique's way, took 0.4 s of a 100,000-account tiers.xlsx).
        positions, present = pd.factorize(self.codes[start:end])
        blank = present < 0
        shown = self.distinct[present[~blank]].tolist()
        if column.cell_type == "string":
            rendered = _string_cells(opener, shown, style) if shown else []
        else:
            render = _number_tail if column.cell_type == "number" else _boolean_tail
            rendered = [opener + render(value, style) for value in shown]
        cells = np.empty(len(present), dtype=object)
        cells[blank] = ""
        cells[~blank] = rendered
        return cells[positions].tolist()


def _style_attribute(cell_format: Format | None) -> str:
    """The cell's style attribute; calling `_get_xf_index` registers the format for
    styles.xml, as xlsxwriter's `_write_cell` does."""
    return f' s="{cell_format._get_xf_index()}"' if cell_format else ""


_BREAKING_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff&<>]")


def _string_cells(opener: str, texts: list[str], style: str) -> list[str]:
    """`opener + _string_tail(text, style)` for each text. A column none of whose texts
    needs escaping, cutting or xml:space (ids, domains, URLs: most columns) is checked
    with a few scans in C over its joined text and rendered without a call per text."""
    joined = "\n".join(texts)  # "\n" breaks nothing (it is not _PLAIN_TEXT_BREAKER's)
    if (_BREAKING_CHARACTER.search(joined) is None and "_x" not in joined
            and max(map(len, texts)) <= EXCEL_TEXT_MAX // 2
            and not any(text[:1].isspace() or text[-1:].isspace() for text in texts)):
        head = f'{opener}"{style} t="inlineStr"><is><t>'
        return [f"{head}{text}</t></is></c>" for text in texts]
    return [opener + _string_tail(text, style) for text in texts]


def _string_tail(value: str, style: str) -> str:
    """An inline string cell: text is never a formula, whatever it starts with."""
    if len(value) <= EXCEL_TEXT_MAX // 2 and _PLAIN_TEXT_BREAKER.search(value) is None:
        return f'"{style} t="inlineStr"><is><t>{value}</t></is></c>'  # most text: as is
    text = _excel_text(value)
    preserve = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'"{style} t="inlineStr"><is><t{preserve}>{text}</t></is></c>'


def _number_tail(value: float, style: str) -> str:
    return f'"{style}><v>{value:.16G}</v></c>'


def _boolean_tail(value: object, style: str) -> str:
    return f'"{style} t="b"><v>{1 if value else 0}</v></c>'


def _any_tail(worksheet: Worksheet, value: object, style: str, date_format: Format | None) -> str:
    """A cell of a mixed column, typed as `workbook._any_writer` types it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _string_tail(value, style)
    if isinstance(value, bool | np.bool_):
        return _boolean_tail(value, style)
    if isinstance(value, int | float | np.number):
        number = float(value)
        return _number_tail(number, style) if math.isfinite(number) else ""
    if isinstance(value, dt.date):
        serial = xlsx_utility._datetime_to_excel_datetime(
            naive(value), worksheet.date_1904, worksheet.remove_timezone
        )
        return _number_tail(serial, style or _style_attribute(date_format))
    return _string_tail(str(value), style)


def _excel_text(value: str) -> str:
    """Text as xlsxwriter stores it: cut to Excel's cell limit, control characters as
    _xHHHH_ escapes, and text that looks like such an escape protected by _x005F."""
    if len(value) > EXCEL_TEXT_MAX // 2 and xlsx_utility._utf16_len(value) > EXCEL_TEXT_MAX:
        value = xlsx_utility._utf16_truncate(value, EXCEL_TEXT_MAX)
    if _NEEDS_CONTROL_ESCAPE.search(value) is None:
        return value
    value = _ESCAPED_LOOKALIKE.sub(r"_x005F\1", value)
    value = _CONTROL_CHAR.sub(lambda match: f"_x{ord(match.group(1)):04X}_", value)
    return value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")


def naive(value: dt.date) -> dt.date:
    """Excel has no time zones: a datetime is written as its wall-clock time."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value
