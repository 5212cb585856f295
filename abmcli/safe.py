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

import io
import os
import re
import secrets
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from abmcli.csv_text import column_texts, write_frame
from abmcli.errors import AbmError

if TYPE_CHECKING:
    import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# A signed plain number ("-12.5", "+3", "-1e-3") is data, not a formula: Excel reads it
# as the number it is, and prefixing it would turn a vendor's negative value into text.
_SIGNED_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

_CARRIAGE_RETURN = re.compile(r"\r\n?")
# Characters no company data holds that terminals and text viewers act on: ESC starts
# sequences that set a window title or the clipboard (OSC 52) or clear the screen, BEL
# rings, and the bidi overrides make a name read backwards. Upload files drop them.
CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

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
    """Return `value` without control characters (see `CONTROL_CHARACTERS`), with a leading
    apostrophe if it is formula-like text, and with its carriage returns as line feeds;
    else unchanged.

    Numbers, dates, booleans and missing values pass through untouched, and so do
    numeric-looking strings such as "-12.5" (see `is_formula_like`).
    """
    if not isinstance(value, str):
        return value
    if CONTROL_CHARACTERS.search(value):
        value = CONTROL_CHARACTERS.sub("", value)
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
    safe = df.copy(deep=False)  # copy-on-write: columns replaced below, never written into
    safe.columns = [safe_csv_cell(name) for name in df.columns]
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if column.dtype == object or str(column.dtype) in ("str", "string"):
            safe.isetitem(position, _safe_text_column(column))
    return safe


def _safe_text_column(column: pd.Series) -> pd.Series:
    if not _may_be_risky(column):
        return column
    risky = {
        value: safe_csv_cell(value)
        for value in column.dropna().unique().tolist()
        if isinstance(value, str)
        and (is_formula_like(value) or "\r" in value or CONTROL_CHARACTERS.search(value))
    }
    if not risky:
        return column
    return column.mask(column.isin(list(risky)), column.map(risky))


# A formula start at the start of a line of a column's text joined by "\n" (a regex
# with a literal first character: scanned in C at memory speed).
RISK_SCAN_CELLS = 50_000  # cells joined for one scan of `_may_be_risky`
_FORMULA_AT_LINE_START = re.compile("\n[" + re.escape("".join(FORMULA_PREFIXES)) + "]")


def _may_be_risky(column: pd.Series) -> bool:
    """Whether any cell may be changed by `safe_csv_cell`: a few scans in C over the
    column's text spare a million-row column the work per distinct value (a line break
    inside a cell can raise a false alarm; the careful path then runs). The text is
    joined a slice of cells at a time: a lineage's file column joined whole took 50 MB."""
    texts = column.to_numpy(dtype=object, na_value="").tolist()
    for start in range(0, len(texts), RISK_SCAN_CELLS):
        try:
            joined = "\n" + "\n".join(texts[start:start + RISK_SCAN_CELLS])
        except TypeError:  # numbers or dates among the text: check value by value
            return True
        if ("\r" in joined or _FORMULA_AT_LINE_START.search(joined) is not None
                or CONTROL_CHARACTERS.search(joined) is not None):
            return True
    return False


def write_csv_parts(parts: Iterable[pd.DataFrame | str | bytes | memoryview], path: Path
                    ) -> Path:
    """Write frames with the same columns as one formula-safe UTF-8 CSV, atomically,
    one part at a time (a lineage larger than memory); the header once, from the first
    part, which must be a frame. A text part (str, or UTF-8 bytes) is CSV lines
    already made safe (`csv_lines`)."""
    path = Path(path)
    try:
        with atomic_path(path) as temp, open(temp, "wb") as binary, io.TextIOWrapper(
                binary, encoding="utf-8", newline="") as out:
            for number, part in enumerate(parts):
                if isinstance(part, str):
                    out.write(part)
                    continue
                if isinstance(part, bytes | memoryview):
                    out.flush()  # the text written so far first
                    binary.write(part)
                    continue
                write_frame(safe_csv_frame(part), out, header=number == 0,
                            line_terminator=CSV_LINE_TERMINATOR)
    except OSError as error:
        raise _cannot_write_csv(path, error) from error
    return path


def csv_lines(df: pd.DataFrame) -> list[str]:
    """Each row of `df` as the formula-safe CSV line `write_csv` writes for it, without
    the line end (for writing many rows that repeat a few lines, one at a time)."""
    import csv

    safe = safe_csv_frame(df)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    lines = []
    # Cells as write_csv writes them (csv_text: NA, NaT and NaN as "", floats by repr).
    columns = [column_texts(safe[name]) for name in safe.columns]
    for row in zip(*columns, strict=True):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-1])
    return lines


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
            write_frame(safe, temp, header=header, encoding=encoding,
                        line_terminator=CSV_LINE_TERMINATOR)
    except OSError as error:
        raise _cannot_write_csv(path, error) from error
    return path


def refuse_writing_inputs(outputs: Mapping[str, Path | None],
                          inputs: Iterable[str | Path | None]) -> None:
    """Refuse (AbmError) an output that is one of the command's inputs, so that `-o` or
    `--lineage` never replaces the export it was made from. `outputs` maps how the user
    named each output ("-o", "--lineage") to its path; the same file is found through
    symlinks, relative paths and, where the file system ignores case, case. An input
    "book.xlsx:Sheet" is the workbook."""
    read = [path for path in (_input_file(spec) for spec in inputs) if path is not None]
    for option, output in outputs.items():
        if output is None or not Path(output).is_file():
            continue  # a file about to be made is nobody's input
        for path in read:
            if _same_file(Path(output), path):
                raise AbmError(f"{output}: {option} is also an input ({path}); write it to "
                               "another file so the input is kept")


def _input_file(spec: str | Path | None) -> Path | None:
    if spec is None:
        return None
    path = Path(spec)
    if not path.exists() and ":" in str(spec):
        path = Path(str(spec).rsplit(":", 1)[0])
    return path if path.is_file() else None


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success move it onto `path`.

    The temporary file lives in the same folder so the final `os.replace` is atomic. It
    is created here, exclusively and without following links, so a link planted under
    its name cannot redirect the write; its name holds abm's pid, so that a later write
    of the same file removes what a killed run left (see `_clear_leftovers`). If the body
    raises (or the run is interrupted), the temporary file is removed and whatever was
    at `path` before is left as it was. Inside `written_together` the move waits until
    every output of the command is written.
    """
    path = Path(path)
    _refuse_folder(path)
    temp = reserve_beside(path, "tmp")
    try:
        yield temp
        _flush_to_disk(temp)
        pending = _PENDING.get()
        if pending is None:
            os.replace(temp, path)
        else:
            pending.append((temp, path))
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


# The files written inside the current `written_together` block: (temporary, final).
_PENDING: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("abm_pending_outputs",
                                                                   default=None)


@contextmanager
def written_together() -> Iterator[None]:
    """Put every file written through `atomic_path` in the body in place together, once
    the whole body succeeded; if anything fails, none is.

    `abm merge --lineage /unwritable/l.csv` must not have replaced hub.xlsx already, nor
    `abm tier --csv-dir /unwritable` have written tiers.xlsx. Each command that writes
    several files (merge, score, tier, segment) runs its writing in one of these.
    """
    if _PENDING.get() is not None:  # nested: the outermost block puts the files in place
        yield
        return
    pending: list[tuple[Path, Path]] = []
    token = _PENDING.set(pending)
    try:
        yield
    except BaseException:
        for temp, _ in pending:
            temp.unlink(missing_ok=True)
        raise
    finally:
        _PENDING.reset(token)
    _put_in_place(pending)


def _put_in_place(pending: list[tuple[Path, Path]]) -> None:
    try:
        for _, path in pending:  # checked again: a folder may have appeared meanwhile
            _refuse_folder(path)
    except AbmError:
        for temp, _ in pending:
            temp.unlink(missing_ok=True)
        raise
    for number, (temp, path) in enumerate(pending):
        try:
            os.replace(temp, path)
        except OSError as error:
            for later, _ in pending[number:]:
                later.unlink(missing_ok=True)
            raise AbmError(f"{path}: cannot put the file in place ({error.strerror or error});"
                           " check that it is not a folder and that you can write there"
                           ) from error


def _refuse_folder(path: Path) -> None:
    if path.is_dir():
        raise AbmError(f"{path}: is a folder, and abm would write a file there; move the "
                       "folder away or choose another output name")


def reserve_beside(path: Path, kind: str) -> Path:
    """Create a hidden, empty file (`kind` "tmp") or private folder ("parts") beside
    `path` with a name no one else uses, exclusively and without following links."""
    _clear_leftovers(path)
    name = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.{kind}")
    # An OSError here is the caller's to word ("cannot write the CSV ...").
    if kind == "parts":
        name.mkdir(mode=0o700)
    else:
        os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644))
    return name


@contextmanager
def scratch_folder(path: Path) -> Iterator[Path]:
    """A private folder beside `path` for a writer's own temporary files (xlsxwriter's
    row files hold vendor rows): removed when the body ends, however it ends, and by the
    next write of `path` if the process was killed. In `abm run` it lies inside the
    week's staging folder, which recovery removes."""
    folder = reserve_beside(Path(path), "parts")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# Temporary files and folders as `reserve_beside` names them, with the writer's pid.
_LEFTOVER = re.compile(r"\..+\.(\d+)-[0-9a-f]{8}\.(?:tmp|parts)")
_CLEARED: set[str] = set()  # folders already cleared by this process


def _clear_leftovers(path: Path) -> None:
    """Remove, once per folder and process, the temporary files and folders that a
    killed abm left beside its outputs (their writer's pid is no longer running)."""
    folder = os.path.abspath(path.parent)
    if folder in _CLEARED:
        return
    _CLEARED.add(folder)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = _LEFTOVER.fullmatch(entry.name)
        if found is None or _alive(int(found.group(1))):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with suppress(OSError):
                os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def os_problem(error: BaseException) -> str:
    """An OSError's reason without its path (the message names the output itself)."""
    for cause in (error, *error.args, error.__cause__, error.__context__):
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
    return str(error)


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


def _cannot_write_csv(path: Path, error: OSError) -> AbmError:
    return AbmError(f"{path}: cannot write the CSV ({error.strerror or error}); check that "
                    "the folder exists and is writable, and close the file if Excel has it open")
