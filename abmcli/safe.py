"""Neutralise formula-like text in output, and write output files atomically.

Vendor data is untrusted: a company name such as `=HYPERLINK("http://x","click")` or
`@SUM(1+1)` runs as a formula when a CSV is opened in Excel (OWASP "CSV injection").
CSV cells that begin with `=`, `+`, `-`, `@`, tab or carriage return get a leading
apostrophe, which Excel shows as plain text. Excel output does not need the apostrophe:
`workbook.py` writes every text cell as a string, never as a formula.

Every writer goes through `atomic_path`, so a killed run never leaves a half-written
file where the last good one was.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from abmcli.errors import AbmError

if TYPE_CHECKING:
    import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# A signed plain number ("-12.5", "+3", "-1e-3") is data, not a formula: Excel reads it
# as the number it is, and prefixing it would turn a vendor's negative value into text.
_SIGNED_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

_CARRIAGE_RETURN = re.compile(r"\r\n?")

# "\n" rather than "\r\n": Excel, LibreOffice and pandas read both, and "\n" keeps the
# files byte-identical across platforms and friendly to diff and git.
CSV_LINE_TERMINATOR = "\n"


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would run `text` as a formula (and it is not a plain number).

    >>> is_formula_like("=cmd|' /C calc'!A0"), is_formula_like("-12.5")
    (True, False)
    """
    return text.startswith(FORMULA_PREFIXES) and _SIGNED_NUMBER.fullmatch(text) is None


def safe_csv_cell(value: object) -> object:
    """Return `value` with a leading apostrophe if it is formula-like text, and with its
    carriage returns as line feeds; else unchanged.

    Numbers, dates, booleans and missing values pass through untouched, and so do
    numeric-looking strings such as "-12.5" (see `is_formula_like`).
    """
    if not isinstance(value, str):
        return value
    if is_formula_like(value):
        value = "'" + value
    # Python's csv writer quotes a cell holding "\n" (our line terminator) but not one
    # holding a lone "\r", which Excel reads as a new row: "x\r=2+2" would put a live
    # "=2+2" at the start of a line. As "\n" the break stays inside a quoted cell.
    return _CARRIAGE_RETURN.sub("\n", value) if "\r" in value else value


def safe_csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of `df` whose text cells and headers are safe to open in Excel.

    Work is done once per distinct value of each text column, so a million-row column
    with a hundred thousand distinct names costs a hundred thousand checks.
    """
    safe = df.copy()
    safe.columns = [safe_csv_cell(name) for name in df.columns]
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if column.dtype == object or str(column.dtype) in ("str", "string"):
            safe.isetitem(position, _safe_text_column(column))
    return safe


def _safe_text_column(column: pd.Series) -> pd.Series:
    risky = {
        value: safe_csv_cell(value)
        for value in column.dropna().unique()
        if isinstance(value, str) and (is_formula_like(value) or "\r" in value)
    }
    if not risky:
        return column
    return column.mask(column.isin(list(risky)), column.map(risky))


def write_csv(
    df: pd.DataFrame, path: Path, *, header: bool = True, encoding: str = "utf-8"
) -> Path:
    """Write `df` to `path` as a formula-safe CSV, atomically; return `path`.

    No index column; lines end with "\\n"; the same frame always gives the same bytes.
    Pass encoding="utf-8-sig" for a CSV that old Excel versions open with accents intact.
    """
    path = Path(path)
    safe = safe_csv_frame(df)
    try:
        with atomic_path(path) as temp:
            safe.to_csv(
                temp,
                index=False,
                header=header,
                encoding=encoding,
                lineterminator=CSV_LINE_TERMINATOR,
            )
    except OSError as error:
        raise AbmError(
            f"{path}: cannot write the CSV ({error.strerror or error}); check that the "
            "folder exists and is writable, and close the file if Excel has it open"
        ) from error
    return path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success move it onto `path`.

    The temporary file lives in the same folder so the final `os.replace` is atomic.
    If the body raises (or the run is interrupted), the temporary file is removed and
    whatever was at `path` before is left as it was.
    """
    path = Path(path)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        yield temp
        _flush_to_disk(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _flush_to_disk(path: Path) -> None:
    # Without fsync a power cut right after the rename can leave an empty file behind
    # the new name on some filesystems; the rename is only atomic for the data on disk.
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def ensure_folder(folder: Path, what: str = "output folder") -> Path:
    """Create `folder` (and its parents) if needed, or say plainly why it cannot be."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AbmError(f"{folder}: cannot create the {what} ({error.strerror or error}); "
                       "choose a folder you can write to") from error
    return folder
