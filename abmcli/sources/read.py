"""Read vendor CSV, Excel and Parquet exports into a table of text.

`read_table` turns whatever marketing ops receive -- CSV in any common encoding and
delimiter, Excel workbooks, report exports with title rows and footers -- into a
`RawTable`: a header, rows of text cells and notes on what was skipped. Typing the
values is left to `values.py`; recognising the layout to `layouts.py`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from abmcli.errors import InputFileError
from abmcli.keys.values import parse_number
from abmcli.sections import LimitSettings
from abmcli.sources.links import SheetLinks, sheet_links, sheet_part
from abmcli.sources.parquet import is_parquet, read_parquet_grid
from abmcli.words import counted

DELIMITERS = ("\t", ";", "|", ",")  # tie-break order: rarer in data first
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls"})
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an encrypted .xlsx
BINARY_MAGICS = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
}
SNIFF_CHARS = 65_536
SNIFF_RECORDS = 50
NUL_PADDING_SCAN = 1 << 20  # trailing NUL padding looked for in the last MiB
MAX_TITLE_ROWS = 20
MAX_COLUMNS = 50_000  # cells in one record; Excel itself stops at 16,384
COLUMN_BLOCK_CELLS = 1 << 22  # cells compared at once when counting filled cells
MAX_FOOTER_ROWS = 30
HEADER_SHARE = 0.6  # a header fills at least this share of the data rows' width
MAX_UNZIPPED_BYTES = 1 << 30
MAX_ZIP_RATIO = 100
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
MAX_SHEET_EXTENT = 1 << 25  # cells in a sheet's rectangle (about 1 GB for the reader)...
SPARSE_FACTOR = 4  # ...refused when it is more than this many times the cells it holds
_SHEET_XML_RE = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
# The largest CSV read unless the caller says otherwise ([limits] max_input_mb).
DEFAULT_MAX_INPUT_BYTES = LimitSettings().max_input_bytes()
MEMORY_PER_CSV_BYTE = 10  # peak memory of reading a CSV, in multiples of its size
LISTED = 10  # record numbers listed in a note before "..."
# One-cell records right under the header read as a report's notes (see
# _notes_under_header): at most this many, and only above this many data records.
MAX_NOTES_UNDER_HEADER = 5
MIN_ROWS_TO_JUDGE_NOTES = 20
STEADY_SHARE = 0.99  # a column the data "always" fills
STEADY_SAMPLE = 10_000  # records under the notes that decide it (bounds the memory)
MIN_STEADY_COLUMNS = 3
NOTE_UNDER_HEADER = "note under the header"
BLANK_RECORD = "blank record"
SUBTOTAL = "subtotal"
GROUP_HEADING = "group heading"
# A formatted summary report heads each group with one cell: "Account Owner: Ann Lee
# (2 records)".
GROUP_HEADING_RE = re.compile(r".*\(\d[\d,]*\s+records?\)\s*", re.IGNORECASE)
# A report's grouping columns come first: a subtotal's word sits in one of them.
MAX_GROUPING_COLUMNS = 8
# Sections a "Total" row may sum, counted back from it (bounds the work on hostile files).
MAX_SECTIONS_SUMMED = 20

FOOTER_RE = re.compile(
    r"\s*(?:(?:grand\s+)?(?:sub-?)?totals?\s*(?:\(|:|$)|(?:count|sum|average)\s*(?::|$)"
    r"|confidential(?:\s*$|\s*[-–—:,.(|]|\s+(?:information|and|proprietary|do|not|for)\b)"
    r"|copyright\s*(?:©|\(c\)|\d{4})|©|\(c\)\s|all\s+rights\s+reserved|powered\s+by"
    r"|(?:generated|run|printed|created|exported)\s+(?:by|on|at)\b"
    r"|report\s+(?:generated|run|created)\b)"
    r"|.*\(\d[\d,]*\s+records?\)",
    re.IGNORECASE,
)
# The first cell of a totals row: the sums of the columns above it, not an account.
TOTALS_RE = re.compile(r"\s*(?:(?:grand\s+)?(?:sub-?\s*)?totals?|sum)\s*(?:[:(].*)?",
                       re.IGNORECASE)
# A cell no footer holds: a website, domain or email address (a company's identity).
IDENTITY_CELL_RE = re.compile(r"(?:https?://)?(?:www\.)?[\w.+'-]*@?[\w-]+(?:\.[\w-]+)+/?\S*",
                              re.IGNORECASE)
VALUE_RE = re.compile(r"[\d\s$€£¥%+\-.,/:()]*\d[\d\s$€£¥%+\-.,/:()]*")
# A multi-byte UTF-8 character: cp1252 text almost never holds one by chance.
UTF8_SEQUENCE_RE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
MIXED_ENCODING = "utf-8 + cp1252"
MIXED_ERRORS = "abm-cp1252-fallback"
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
HTML_RE = re.compile(r"\s*<(?:!doctype\s+html|html|head|body|table|meta)\b", re.IGNORECASE)
XML_SPREADSHEET_RE = re.compile(r"\s*<\?xml[^>]*>\s*(?:<\?mso[^>]*>\s*)*<workbook", re.I)


@dataclass
class RawTable:
    """One vendor file as text: header, rows and what was skipped to get there."""

    path: Path
    sheet: str | None
    encoding: str | None
    delimiter: str | None
    header: list[str]
    rows: pd.DataFrame
    # Each row's record number under the header: int64, not a list of Python ints
    # (31 MB for the 800,000 rows of issue 16's bench bundle, held through a merge).
    row_numbers: np.ndarray
    title_rows: int
    footer_rows: list[str]
    blank_rows: int
    ragged_rows: list[int]
    notes: list[str] = field(default_factory=list)
    skipped: list[SkippedRecord] = field(default_factory=list)
    # Where each header name is among the record's cells, and the header's width as
    # written: what the streaming reader (feeds.py) needs to read the columns by position.
    positions: list[int] = field(default_factory=list)
    width: int = 0
    # Workbook cells that are links (links.py): header -> {row position: link target},
    # and header -> how many HYPERLINK formulas compute their target (unreadable).
    links: dict[str, dict[int, str]] = field(default_factory=dict)
    computed_links: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SkippedRecord:
    """A record under the header that is not a data row: a footer, a repeated header."""

    row: int  # numbered like RawTable.row_numbers
    text: str
    reason: str


@dataclass
class _Grid:
    """Every record of a file as text cells, before the header and footer are found."""

    cells: pd.DataFrame  # columns 0..W-1, str cells, "" where a record had no cell
    field_counts: np.ndarray | None  # cells per record as written; None for workbooks
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)
    links: SheetLinks = field(default_factory=SheetLinks)
    ends_mid_line: bool = False  # a text file whose last line has no line break


def split_sheet_spec(spec: str) -> tuple[Path, str | None]:
    """Split "exports/acc.xlsx:Sheet 2" into the workbook path and the sheet name.

    A path without ":" after its Excel suffix (including Windows paths such as
    "C:\\x\\a.xlsx") has no sheet; an existing file is taken as named, colon and all.
    A workbook under another name ("export.csv:Accounts") takes a sheet too.
    """
    if Path(spec).exists():
        return Path(spec), None
    head, colon, named = spec.rpartition(":")
    if colon and Path(head).is_file() and is_workbook(Path(head)):
        return Path(head), named or None
    name, sheet = sheet_suffix(spec)
    return Path(name), sheet


def sheet_suffix(spec: str) -> tuple[str, str | None]:
    """"exports/*.xlsx:Sheet 2" -> ("exports/*.xlsx", "Sheet 2"), by the text alone
    (a glob, or a path relative to another folder than the working one)."""
    match = re.search(r"\.(?:xlsx|xlsm|xlsb|xls):", spec, re.IGNORECASE)
    if match is None:
        return spec, None
    return spec[: match.end() - 1], spec[match.end() :] or None


def read_table(path: Path | str, encoding: str | None = None, sheet: str | None = None, *,
               max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> RawTable:
    """Read a CSV or Excel export into a `RawTable` of text cells.

    Encoding and delimiter are detected unless `encoding` is given; report titles
    above the header, footers below the data and blank records are skipped with notes.
    A CSV over `max_bytes` is refused before it is read (`[limits] max_input_mb`).
    """
    path = Path(path)
    head = _read_head(path)
    if head.startswith(OLE_MAGIC) and path.suffix.lower() in (".xlsx", ".xlsm", ".xlsb"):
        _refuse_misnamed_ole(path)
    if is_parquet(head):
        if sheet:
            raise InputFileError(path, f"is a Parquet file, which has no sheet {sheet!r}",
                                 "drop the ':sheet' part of the file name")
        grid = _Grid(read_parquet_grid(path, max_bytes), None)
    elif head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        grid = _read_workbook(path, sheet)
        if path.suffix.lower() not in EXCEL_SUFFIXES:
            grid.notes.insert(0, f"this {path.suffix or 'file'} is really an Excel workbook; "
                              "read it as one")
    else:
        grid = _read_text_table(path, encoding, sheet, max_bytes)
    return _shape(path, grid)


def is_workbook(path: Path) -> bool:
    """Whether the file's bytes are an Excel workbook, whatever its name ends with (a
    .xlsx renamed .csv is read as the workbook it is)."""
    try:
        return _read_head(path).startswith((ZIP_MAGIC, OLE_MAGIC))
    except InputFileError:  # the reader says what is wrong with it when it reads it
        return False


# What a path is when it is not a regular file, and what to do; reading a pipe would
# block or consume it, and a device (/dev/zero) never ends.
_NOT_A_FILE = (
    (stat.S_ISDIR, "is a folder, not a file", "give the path of a CSV or .xlsx"),
    (stat.S_ISFIFO, "is a pipe (a FIFO, or <(...) process substitution), not a file",
     "save the data to a file and give that file's path"),
    (stat.S_ISCHR, "is a device, not a file", "give the path of a CSV or .xlsx"),
    (stat.S_ISBLK, "is a device, not a file", "give the path of a CSV or .xlsx"),
    (stat.S_ISSOCK, "is a socket, not a file", "give the path of a CSV or .xlsx"),
)


def refuse_non_regular(path: Path) -> None:
    """Raise unless `path` is a regular file (or a link to one); never opens it."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError as err:
        raise InputFileError(path, "file not found", "check the path and the file name") from err
    except OSError as err:
        raise InputFileError(path, f"cannot be read ({err.strerror})",
                             "check the file's permissions") from err
    if stat.S_ISREG(mode):
        return
    problem, hint = next(((p, h) for test, p, h in _NOT_A_FILE if test(mode)),
                         ("is not a regular file", "give the path of a CSV or .xlsx"))
    raise InputFileError(path, problem, hint)


def _refuse_misnamed_ole(path: Path) -> None:
    """An OLE2 file not named .xls: say whether it is an old .xls or a protected .xlsx."""
    kind = _ole_kind(path)
    if kind == "xls":
        raise InputFileError(path, f"is an old Excel 97-2003 workbook (.xls) named "
                             f"{path.suffix or 'without a suffix'}", "rename it to .xls, or "
                             "open it in Excel and save it as .xlsx")
    if kind == "encrypted":
        raise InputFileError(path, "is a password-protected Excel workbook",
                             "open it in Excel, remove the password (File > Info > Protect "
                             "Workbook) and save it, or ask the sender for an unprotected export")


def _read_head(path: Path) -> bytes:
    """First bytes of the file, after checking it is a regular file and is not empty."""
    if path.is_dir() and path.suffix.lower() == ".numbers":  # a Numbers package (folder)
        raise _not_an_excel_zip(path, set())
    refuse_non_regular(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as err:
        raise InputFileError(path, f"cannot be read ({err.strerror})",
                             "check the file's permissions") from err
    if not head:
        raise InputFileError(path, "the file is empty (0 bytes)", "re-export it from the vendor")
    return head


# ---------------------------------------------------------------- delimited text


def _read_bounded(path: Path, limit: int) -> bytes:
    """The file's bytes; refuse a CSV too big to read in memory, before reading more
    than the limit of it (counted in bytes read: st_size can lie, 0 for /proc files).

    Reading holds about ten times a CSV's size (measured: a 491 MB export peaks at
    4.7 GB), so a 2 GB file would swap a laptop to a standstill instead of failing.
    """
    refuse_too_large(path, path.stat().st_size, limit)
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as err:
        raise InputFileError(path, f"cannot be read ({err.strerror})",
                             "check the file's permissions") from err
    refuse_too_large(path, len(raw), limit)
    return raw


class TooLargeError(InputFileError):
    """A file too large to read whole."""


def refuse_too_large(path: Path, size: int, limit: int, kind: str = "CSV") -> None:
    """Refuse a file whose `size` (a CSV's bytes, a Parquet file's uncompressed data)
    is over `limit`, in the words of its `kind` ("CSV" or "Parquet")."""
    if size <= limit:
        return
    setting = f"max_input_mb = {-(-size // (1 << 20))} under [limits] in abm.toml"
    if kind == "Parquet":  # its size is the data's, uncompressed: no factor measured
        raise TooLargeError(
            path, f"holds {_megabytes(size)} of data uncompressed, and abm refuses Parquet "
            f"files over {_megabytes(limit)} of data", f"split the export (by region or "
            f"date), or set {setting} if this machine has the memory to spare")
    need = -(-size * MEMORY_PER_CSV_BYTE // (1 << 30))
    raise TooLargeError(
        path, f"is {_megabytes(size)}; reading a CSV takes about {MEMORY_PER_CSV_BYTE} times "
        f"its size in memory, so abm refuses CSVs over {_megabytes(limit)}",
        f"split the export (by region or date), or set {setting} if this machine has "
        f"{need} GB of memory to spare")


def _megabytes(size: int) -> str:
    megabytes = size / (1 << 20)
    return f"{megabytes:,.0f} MB" if megabytes >= 10 else f"{megabytes:.2g} MB"


# A whole terminal sequence, so that its payload ("]0;title", "[31m") goes with its ESC:
# OSC ended by BEL or ST, or CSI; bounded and never past a quote or line end. An
# unterminated one loses only its ESC, so it cannot take delimiters with it.
_ESCAPE_SEQUENCE = re.compile(r'\x1b\][^\x07\x1b\n\r"]{0,512}(?:\x07|\x1b\\)'
                              r"|\x1b\[[0-?]{0,64}[ -/]{0,8}[@-~]")


# C0 controls but tab and line ends, DEL and the bidi overrides. Not C1 (U+0080-U+009F):
# a byte that cp1252 leaves undefined is read as latin-1 and stays as written (upload
# files drop it, see safe.CONTROL_CHARACTERS).
_CONTROL_CHARACTERS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def clean_cell(text: str) -> str:
    """One cell as `read_table` leaves it: no NUL bytes, no control characters."""
    if text.isprintable():
        return text
    return _CONTROL_CHARACTERS.sub("", _ESCAPE_SEQUENCE.sub("", text.replace("\x00", "")))


def _without_controls(text: str, notes: list[str]) -> str:
    """The text without terminal control characters (ESC sequences, bells, bidi
    overrides): no company data holds them, and they would follow a name into the hub,
    explain's lookups and every list (tabs and line ends stay)."""
    found = len(_CONTROL_CHARACTERS.findall(text))
    if not found:
        return text
    notes.append(f"removed {counted(found, 'control character')} (escape codes, bells, direction "
                 "overrides) from cells")
    return _CONTROL_CHARACTERS.sub("", _ESCAPE_SEQUENCE.sub("", text))


def _read_text_table(path: Path, encoding: str | None, sheet: str | None,
                     max_bytes: int) -> _Grid:
    """Decode a delimited text file and parse it into a grid of cells."""
    return _text_grid(path, _read_bounded(path, max_bytes), encoding, sheet)


HEAD_BYTES = 4 << 20  # what read_head_table reads of a file too large to read whole


def read_head_table(path: Path, encoding: str | None = None) -> RawTable:
    """The first records of a large delimited file (up to HEAD_BYTES, cut after the last
    whole line), read as `read_table` reads a whole file: the streaming reader
    (feeds.py) takes the encoding, delimiter, title rows and header from it."""
    _read_head(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(HEAD_BYTES)
    except OSError as err:
        raise InputFileError(path, f"cannot be read ({err.strerror})",
                             "check the file's permissions") from err
    cut = raw.rfind(b"\n")
    if len(raw) == HEAD_BYTES and cut > 0:
        raw = raw[: cut + 1]
    # The feed counts blank and repeated-header records over the whole file; the head's
    # own counts would say them twice, and short.
    return _shape(path, _text_grid(path, raw, encoding, None), whole=False)


def _text_grid(path: Path, raw: bytes, encoding: str | None, sheet: str | None) -> _Grid:
    _refuse_binary(path, raw)
    text, used = _decode(path, raw, encoding)
    notes = _decoding_notes(used, encoding)
    if "\x00" in text:
        notes.append(f"removed {text.count(chr(0)):,} NUL bytes (the file was damaged or "
                     "padded by the exporting tool)")
        text = text.replace("\x00", "")
    text = _without_controls(text, notes)
    _refuse_markup(path, text)
    if not text.strip():
        raise InputFileError(path, "the file is empty (only blank lines)",
                             "re-export it from the vendor")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        notes.append(f"this {path.suffix} file is really delimited text; read it as CSV")
    elif sheet:
        raise InputFileError(path, f"is a CSV file, which has no sheet {sheet!r}",
                             "drop the ':sheet' part of the file name")
    delimiter, sample = _sniff_delimiter(text)
    width = max((len(r) for r in sample), default=1)
    _refuse_wide_head(path, text, delimiter)
    grid = _parse_delimited(path, text, delimiter, width)
    _refuse_unclosed_quote(path, text, delimiter, grid)
    grid.encoding, grid.delimiter, grid.notes = used, delimiter, notes
    grid.ends_mid_line = not text.endswith(("\n", "\r"))
    return grid


def _refuse_binary(path: Path, raw: bytes) -> None:
    """Raise for images, archives and other files that are not text."""
    for magic, kind in BINARY_MAGICS.items():
        if raw.startswith(magic):
            raise InputFileError(path, f"not a CSV or Excel file: it is {kind}",
                                 "export the data as CSV or .xlsx")
    sample = raw[:8192]
    if _utf16_byte_order(sample) or sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    # Some exporters pad the file to a block size with NUL bytes: that is not binary data.
    tail = raw[-NUL_PADDING_SCAN:]
    sample = raw[: min(8192, len(raw) - len(tail) + len(tail.rstrip(b"\x00")))]
    controls = sum(sample.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13, 26))
    if controls > len(sample) * 0.1:
        raise InputFileError(path, "not a CSV or Excel file: it holds binary data",
                             "export the data as CSV or .xlsx")


def _utf16_byte_order(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NUL bytes sit in alternate positions (no BOM)."""
    half = len(sample) // 2
    if half < 4:
        return None
    odd_nuls, even_nuls = sample[1::2].count(0), sample[0::2].count(0)
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


# Byte-order marks, the codec that reads them, what the mark is called in a note, and
# the codecs (by their canonical name) that agree with it.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8", {"utf-8", "utf-8-sig"}),
         (codecs.BOM_UTF16_LE, "utf-16", "UTF-16", {"utf-16", "utf-16-le"}),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16", {"utf-16", "utf-16-be"}))


def _decode(path: Path, raw: bytes, encoding: str | None) -> tuple[str, str]:
    """Text of the file and the encoding used: the one given, else a detected one.

    A byte-order mark is certain, so it wins over a given encoding that contradicts it
    (cp1252 on UTF-16 reads every other byte as NUL); `_decoding_notes` says so."""
    if encoding and (text := _decode_as(path, raw, encoding)) is not None:
        return text, encoding
    for bom, name, _, _ in _BOMS:
        if raw.startswith(bom):
            return raw.decode(name, errors="replace"), name
    name = _utf16_byte_order(raw[:8192]) or "utf-8"
    try:
        return raw.decode(name), name
    except UnicodeDecodeError:
        pass
    if name == "utf-8" and (japanese := _as_japanese(raw)) is not None:
        return japanese, "cp932"
    if name == "utf-8" and _utf8_sequences(raw, 2) == 2:
        # Real UTF-8 characters beside invalid bytes: rows appended by another tool (or a
        # download cut inside a character). Decoding it all as cp1252 would garble the
        # UTF-8 names, so only the invalid bytes are read as cp1252.
        return raw.decode("utf-8", errors=MIXED_ERRORS), MIXED_ENCODING
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in cp1252
        return raw.decode("latin-1"), "latin-1"


# Hiragana, katakana, CJK ideographs and full-width forms: what Japanese text is made of.
JAPANESE_RE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]")
JAPANESE_SHARE = 0.8
# Kana and full-width punctuation come from lead bytes 0x81-0x83, which Western cp1252
# text hardly uses; its accents (0xE0-0xFC) followed by a letter read as kanji.
KANA_RE = re.compile(r"[\u3000-\u30ff\uff01-\uff5e]")
KANA_SHARE = 0.05
NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
JAPANESE_SAMPLE_CHARS = 1 << 20


SEQUENCE_SCAN_BYTES = 1 << 24  # bytes looked at at once by `_utf8_sequences`


def _utf8_sequences(raw: bytes, enough: int) -> int:
    """How many matches of UTF8_SEQUENCE_RE `raw` holds, counted up to `enough`. A match
    starts at a lead byte and holds only continuation bytes after it, so matches never
    overlap: each lead byte followed by its continuation bytes is one. Counted with numpy
    a slice at a time (the regex scan took 0.45 s of a 26 MB cp1252 file)."""
    data = np.frombuffer(raw, dtype=np.uint8)
    found = 0
    for start in range(0, len(data), SEQUENCE_SCAN_BYTES):
        part = data[start:start + SEQUENCE_SCAN_BYTES + 3]
        size = min(SEQUENCE_SCAN_BYTES, len(data) - start)  # leads looked at in this slice
        follows = np.zeros(size + 3, dtype=bool)  # a continuation byte at each position
        follows[:len(part)] = (part >= 0x80) & (part <= 0xBF)
        lead = part[:size]
        one = follows[1:size + 1]
        two = one & follows[2:size + 2]
        three = two & follows[3:size + 3]
        found += int(np.count_nonzero(((lead >= 0xC2) & (lead <= 0xDF) & one)
                                      | ((lead >= 0xE0) & (lead <= 0xEF) & two)
                                      | ((lead >= 0xF0) & (lead <= 0xF4) & three)))
        if found >= enough:
            return enough
    return found


def _as_japanese(raw: bytes) -> str | None:
    """The text of a Shift_JIS (cp932) file, as Japanese government and company exports
    are written, or None. cp932 decodes many byte strings, so the decoded text must be
    mostly Japanese characters with some kana; UTF-8 accents read as cp932 come out
    half-width katakana and cp1252 accents before a letter come out kanji, neither kana."""
    try:  # judge the head first: decoding a 1 GB Western file as cp932 is wasted time
        sample = codecs.getincrementaldecoder("cp932")().decode(
            raw[:JAPANESE_SAMPLE_CHARS], final=False)
    except UnicodeDecodeError:
        return None
    non_ascii = len(NON_ASCII_RE.findall(sample))
    japanese = len(JAPANESE_RE.findall(sample))
    kana = len(KANA_RE.findall(sample))
    if not (non_ascii and japanese >= JAPANESE_SHARE * non_ascii
            and kana >= KANA_SHARE * non_ascii):
        return None
    try:
        return raw.decode("cp932")
    except UnicodeDecodeError:
        return None


def _cp1252_for_invalid_bytes(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read the bytes UTF-8 rejects as cp1252 (latin-1 where cp1252
    has no character)."""
    assert isinstance(err, UnicodeDecodeError)
    bad = err.object[err.start : err.end]
    text = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad)
    return text, err.end


codecs.register_error(MIXED_ERRORS, _cp1252_for_invalid_bytes)


def _mark_contradicts(raw: bytes, encoding: str) -> bool:
    """Whether the file starts with a byte-order mark the given (known) encoding
    contradicts."""
    given = codecs.lookup(encoding).name
    return any(raw.startswith(bom) and given not in agreeing for bom, _, _, agreeing in _BOMS)


def _decode_as(path: Path, raw: bytes, encoding: str) -> str | None:
    """Decode with the encoding the user named; explain a bad name or bad bytes.
    Returns None when the file's byte-order mark contradicts the encoding."""
    try:
        codecs.lookup(encoding)
    except LookupError as err:
        raise InputFileError(path, f"unknown encoding {encoding!r} given with --encoding",
                             "use utf-8, utf-8-sig, utf-16, cp1252 or latin-1") from err
    if _mark_contradicts(raw, encoding):
        return None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as err:
        other = "latin-1" if codecs.lookup(encoding).name == "cp1252" else "cp1252"
        raise InputFileError(path, f"not valid {encoding} at byte {err.start:,}",
                             f"try --encoding {other}") from err
    return text.removeprefix("\ufeff")


def _decoding_notes(used: str, given: str | None) -> list[str]:
    """Tell the user when a file was not Unicode, so odd characters can be traced, and
    when its byte-order mark overruled --encoding."""
    if given and used != given:
        mark = next(m for _, name, m, _ in _BOMS if name == used)
        return [f"the file starts with a {mark} byte-order mark, which --encoding {given} "
                f"contradicts: read it as {mark} (drop --encoding for this file)"]
    if used == MIXED_ENCODING and not given:
        return ["the file mixes UTF-8 and Windows-1252 (cp1252) text; read each character "
                "in the encoding it is valid in (use --encoding to override)"]
    if used == "cp932" and not given:
        return ["the file is not UTF-8; read it as Japanese Shift_JIS (cp932) "
                "(use --encoding to override)"]
    if given or used not in ("cp1252", "latin-1"):
        return []
    name = "Windows-1252 (cp1252)" if used == "cp1252" else "Latin-1"
    return [f"the file is not UTF-8; read it as {name} (use --encoding to override)"]


def _refuse_markup(path: Path, text: str) -> None:
    """Raise for web pages, Excel 2003 XML and JSON: they are no delimited table."""
    start = text[:2048].lstrip("\ufeff")
    if _is_json(path, text):
        raise InputFileError(path, "is JSON, not a table",
                             "export the data from the tool as CSV or .xlsx (abm reads CSV, "
                             "TSV and Excel)")
    if XML_SPREADSHEET_RE.match(start):
        raise InputFileError(path, "is an Excel 2003 XML spreadsheet, not a CSV or .xlsx",
                             "open it in Excel and save as .xlsx or CSV")
    if HTML_RE.match(start):
        if path.suffix.lower() in EXCEL_SUFFIXES:
            raise InputFileError(path, f"this {path.suffix} is an HTML page",
                                 "open it in Excel and save as .xlsx or CSV")
        raise InputFileError(path, "is an HTML page, not a CSV (perhaps a login or error page "
                             "saved instead of the export)", "download the export again")


def _is_json(path: Path, text: str) -> bool:
    """A .json/.jsonl file, or text that parses as a JSON array or object (a CSV whose
    first cell starts with a bracket does not)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith(("[", "{")):
        return False
    if path.suffix.lower() in (".json", ".jsonl", ".ndjson", ".geojson"):
        return True
    first_line = stripped.split("\n", 1)[0]
    for candidate in (first_line, stripped):
        try:
            json.loads(candidate)
            return True
        except ValueError:
            continue
    return False


def _sniff_delimiter(text: str) -> tuple[str, list[list[str]]]:
    """The delimiter giving the most consistent column count (> 1) over the first records."""
    sample = text[:SNIFF_CHARS]
    truncated = len(text) > SNIFF_CHARS
    best: tuple[tuple[bool, float, int, int], str, list[list[str]]] | None = None
    for rank, delimiter in enumerate(DELIMITERS):
        records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        if truncated and len(records) > 1:
            records.pop()  # the sample may end inside a record
        records = [r for r in records if any(c.strip() for c in r)][:SNIFF_RECORDS]
        key = _delimiter_score(records, rank)
        if best is None or key > best[0]:
            best = (key, delimiter, records)
    assert best is not None
    return best[1], best[2]


def _delimiter_score(records: list[list[str]], rank: int) -> tuple[bool, float, int, int]:
    """Sort key: splits at all, share of records with the modal width (> 1), width, rank.

    Report titles and footers are one cell whatever the delimiter, so the modal width
    is taken over the records that split.
    """
    widths = Counter(len(r) for r in records if len(r) > 1)
    if not widths:
        return (False, 0.0, 1, -rank)
    width, count = widths.most_common(1)[0]
    return (True, round(count / len(records), 1), width, -rank)


def _refuse_too_wide(path: Path, widths: np.ndarray, first: int = 1) -> None:
    """Refuse a record of more than MAX_COLUMNS cells before the grid is built: every
    record is padded to the widest, so one line of a million commas took 15 GB."""
    widest = int(widths.argmax()) if len(widths) else 0
    if not len(widths) or widths[widest] <= MAX_COLUMNS:
        return
    raise InputFileError(
        path, f"record {widest + first} has {widths[widest]:,} cells; abm reads at most "
        f"{MAX_COLUMNS:,} columns", "remove the stray delimiters from that record, or export "
        "only the columns you need")


def _refuse_wide_head(path: Path, text: str, delimiter: str) -> None:
    """Refuse a header (or title) line of more than MAX_COLUMNS cells before pandas
    parses it: it takes a wide first line as the table's width (10^6 columns: minutes).
    Later wide records make pandas fail fast and are refused by the exact parser."""
    start = 0
    for line_number in range(1, MAX_TITLE_ROWS + SNIFF_RECORDS + 2):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text.count(delimiter, start, end) >= MAX_COLUMNS:  # quotes ignored: confirm
            line = text[start:end]
            _refuse_too_wide(path, np.array([len(row) for row in csv.reader(
                io.StringIO(line, newline=""), delimiter=delimiter)] or [0]), line_number)
        start = end + 1
        if start >= len(text):
            return


def _parse_delimited(path: Path, text: str, delimiter: str, width: int) -> _Grid:
    """Parse with pandas' C reader; fall back to the csv module for irregular files."""
    data = text.encode("utf-8")  # bytes keep pandas' buffer small and feed the field count
    try:
        # A record wider than the sniffed width (a header longer than the sniffed sample)
        # makes pandas warn and drop cells; the exact parser below keeps them.
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            cells = pd.read_csv(
                io.BytesIO(data), encoding="utf-8", sep=delimiter, header=None,
                names=range(width), index_col=False, dtype=object, keep_default_na=False,
                na_filter=False, skip_blank_lines=False, engine="c", quotechar='"',
                doublequote=True,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError):
        return _parse_with_csv_module(path, text, delimiter)
    counts = _field_counts(data, delimiter, len(cells), width)
    if counts is None or not _counts_agree(cells, counts):
        return _parse_with_csv_module(path, text, delimiter)
    return _Grid(cells, counts)


def _field_counts(data: bytes, delimiter: str, records: int, width: int) -> np.ndarray | None:
    """Cells per record as written, counting delimiters and newlines outside quotes."""
    if not data:
        return None
    delimiters = data.count(delimiter.encode())
    if b'"' not in data and delimiters == records * (width - 1):
        # pandas refuses records with too many cells, so none can have too few either
        return np.full(records, width, dtype=np.int64)
    return _quoted_field_counts(data, delimiter)


def _quoted_field_counts(data: bytes, delimiter: str) -> np.ndarray:
    """Cells per record, counting delimiters and newlines outside quotes (linear time)."""
    array = np.frombuffer(data, dtype=np.uint8)
    outside = ~np.logical_xor.accumulate(array == ord('"'))
    ends = np.flatnonzero((array == ord("\n")) & outside)
    if array[-1] != ord("\n"):
        ends = np.append(ends, len(array))
    positions = np.flatnonzero((array == ord(delimiter)) & outside)
    return np.bincount(np.searchsorted(ends, positions), minlength=len(ends))[: len(ends)] + 1


def _counts_agree(cells: pd.DataFrame, counts: np.ndarray) -> bool:
    """True when the quote-parity count matches what pandas parsed, record for record."""
    if len(counts) != len(cells) or (counts > cells.shape[1]).any():
        return False
    for width in np.unique(counts[counts < cells.shape[1]]):
        padded = cells.iloc[counts == width, int(width):]
        if (padded.to_numpy() != "").any():
            return False
    return True


def _parse_with_csv_module(path: Path, text: str, delimiter: str) -> _Grid:
    """Slower exact parse that keeps records with more cells than the header."""
    # The csv module refuses cells over 128 KiB by default; no cell can outgrow the file.
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    counts = np.fromiter((len(r) for r in records), dtype=np.int64, count=len(records))
    _refuse_too_wide(path, counts)
    width = int(counts.max()) if len(counts) else 1
    padded = [r + [""] * (width - len(r)) if len(r) < width else r for r in records]
    cells = pd.DataFrame(padded, columns=range(width), dtype=object)
    return _Grid(cells, counts)


def _refuse_unclosed_quote(path: Path, text: str, delimiter: str, grid: _Grid) -> None:
    """Raise when a quote is opened and never closed: the lenient parsers read the rest
    of the file into one cell, which would silently lose those cells and records."""
    cells, counts = grid.cells, grid.field_counts
    if cells.empty or counts is None:
        return
    last = delimiter.join(str(c) for c in cells.iloc[-1].tolist()).rstrip(delimiter)
    inner_breaks = len(LINE_BREAK_RE.findall(last.rstrip("\r\n")))
    if not inner_breaks and counts[-1] >= counts.max():
        return  # a full-width one-line last record: no quote ran to the end of the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for _record in reader:
            pass
    except csv.Error as err:
        if "end of data" in str(err):
            start = reader.line_num - inner_breaks
            if _looks_cut_off(text, last, delimiter, int(np.median(counts))):
                raise InputFileError(path, "the file ends inside a quoted cell opened on line "
                                     f"{start}: it looks cut off", "export it again") from err
            swallowed = (f"the {inner_breaks} lines after it" if inner_breaks > 1 else
                         "the line after it" if inner_breaks else "the rest of that line")
            raise InputFileError(
                path, f"line {start} opens a quoted cell that is never closed, so {swallowed} "
                "would be read as one cell",
                'fix or remove the stray " on that line and export again') from err


def _looks_cut_off(text: str, last: str, delimiter: str, width: int) -> bool:
    """Whether a quote open at the end of the file is a cell the download cut short
    rather than a stray quote: a stray quote swallows the records after it (lines of
    the table's width), a cut one only the cell's own text; and a cut file rarely ends
    on a line break, while a stray quote on the last line does."""
    lines = LINE_BREAK_RE.split(last.rstrip("\r\n"))[1:]
    swallowed_records = any(
        len(next(csv.reader([line], delimiter=delimiter), [])) >= width for line in lines)
    if swallowed_records:
        return False
    return bool(lines) or not text.endswith(("\n", "\r"))


# ---------------------------------------------------------------- workbooks


def _read_workbook(path: Path, sheet: str | None) -> _Grid:
    """Read one sheet of an .xlsx/.xlsm/.xls workbook as text cells."""
    from python_calamine import CalamineWorkbook

    if zipfile.is_zipfile(path):
        refuse_unsafe_workbook(path)
    try:
        with reader_panics_as(lambda err: _broken_workbook(path, err)):
            workbook = CalamineWorkbook.from_path(str(path))
            name = _pick_sheet(path, workbook, sheet)
            values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except InputFileError:
        raise
    except Exception as err:  # calamine raises several unrelated types for bad files
        raise _broken_workbook(path, err) from err
    if not any(v != "" for row in values for v in row):
        raise InputFileError(path, f"sheet {name!r} is empty",
                             "pick the sheet with the data as file.xlsx:Sheet name")
    cleaned: list[str] = []
    grid = _Grid(_cells_from_values(values, cleaned), None, sheet=name, notes=cleaned,
                 links=sheet_links(path, name))
    grid.notes += _uncached_formula_notes(path, name)
    if sheet is None and len(workbook.sheet_names) > 1:
        others = ", ".join(n for n in workbook.sheet_names if n != name)
        grid.notes.append(f"read the first sheet {name!r}; the workbook also has: {others}")
    return grid


@contextlib.contextmanager
def reader_panics_as(error: Callable[[BaseException], Exception]) -> Iterator[None]:
    """Turn a panic of the Rust xlsx reader (a date serial of -1e16 makes one) into
    `error(panic)`; pyo3's PanicException is a BaseException, so `except Exception`
    misses it. The reader's own panic message on stderr is silenced meanwhile."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    except BaseException as err:
        if type(err).__name__ == "PanicException":
            raise error(err) from err
        raise
    finally:
        os.dup2(saved, 2)
        os.close(saved)


# A cell holding a formula and no saved value: no <v>, or an empty one (in a "str" cell
# an empty <v> is a formula whose result is empty text, as Excel saves it).
_UNCACHED_FORMULA = re.compile(
    rb"<(?:\w+:)?c\b([^>/]*)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)\s*"
    rb"(<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>")
_STRING_CELL = re.compile(rb'\bt="str"')
_HYPERLINK_CALL = re.compile(rb"\s*HYPERLINK\(", re.IGNORECASE)
SHEET_BLOCK = 1 << 20


def _uncached_formula_notes(path: Path, sheet: str) -> list[str]:
    """A note when cells of `sheet` hold formulas with no saved value: a tool that
    writes formulas without calculating them (openpyxl, many exporters) leaves them
    so, and the reader, which runs no formula, reads them as empty. HYPERLINK formulas
    are left to the link reader's note."""
    if not zipfile.is_zipfile(path):
        return []  # .xls and .xlsb keep their formulas where abm cannot read them
    with zipfile.ZipFile(path) as archive:
        part = sheet_part(archive, sheet)
        if part is None:
            return []
        with archive.open(part) as stream:
            found = _uncached_in(stream)
    if not found:
        return []
    cells = "1 cell holds a formula" if found == 1 else f"{found:,} cells hold formulas"
    return [f"{cells} without a saved value (the workbook was written by a tool that does "
            f"not calculate) and {'was' if found == 1 else 'were'} read as empty: open it in "
            "Excel, save it, and read it again"]


def _uncached_in(stream: IO[bytes]) -> int:
    """Formula cells without a value in a sheet's XML, read a block of whole rows at a
    time (a sheet may be 100 MB)."""
    found, rest = 0, b""
    while chunk := stream.read(SHEET_BLOCK):
        block = rest + chunk
        cut = block.rfind(b"row>") + 4  # after a row tag: between cells
        if cut < 4:
            rest = block
            continue
        found += _count_uncached(block[:cut])
        rest = block[cut:]
    return found + _count_uncached(rest)


def _count_uncached(xml: bytes) -> int:
    if b"<f" not in xml and b":f" not in xml:
        return 0
    return sum(1 for cell in _UNCACHED_FORMULA.finditer(xml)
               if not (cell.group(3) and _STRING_CELL.search(cell.group(1)))
               and not _HYPERLINK_CALL.match(cell.group(2) or b""))


def _broken_workbook(path: Path, err: BaseException | None = None) -> InputFileError:
    if err is not None and type(err).__name__ == "PanicException":
        return InputFileError(path, "cannot be read: a cell holds a value the xlsx reader "
                              f"cannot handle ({err}), such as a date far outside the calendar",
                              "open it in Excel, fix or clear that cell and save, or save as CSV")
    if err is not None and "entity" in str(err).lower():
        # Excel never writes a DTD; entity declarations mean a crafted file (billion
        # laughs, external entities), which calamine refuses to expand.
        return InputFileError(path, "cannot be opened as an Excel workbook: its XML declares "
                              "entities, which abm refuses (a possible entity-expansion attack)",
                              "open it in Excel and save it again, or ask the sender for a "
                              "clean export")
    return InputFileError(path, "cannot be opened as an Excel workbook: it may be damaged or "
                          "password-protected", "re-export it")


def refuse_zip_bomb(path: Path) -> None:
    """Refuse workbooks that would expand to an unreasonable size (decompression bombs).

    Declared sizes can lie; calamine then stops at the declared size by itself. Workbooks
    abm writes pack about 8 to 1, far from the 100 to 1 refused here.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as err:
        raise _broken_workbook(path) from err
    if not names & {"xl/workbook.xml", "xl/workbook.bin"}:
        raise _not_an_excel_zip(path, names)
    unzipped = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    # Member by member too, so a bomb cannot hide its ratio beside a large honest sheet.
    sizes = [(m.file_size, m.compress_size) for m in members] + [(unzipped, packed)]
    if unzipped > MAX_UNZIPPED_BYTES or any(_bomb_ratio(*pair) for pair in sizes):
        raise InputFileError(path, f"would expand to {unzipped / (1 << 20):,.0f} MB from "
                             f"{packed / (1 << 20):,.1f} MB; refusing a possible decompression "
                             "bomb", "re-export it from the vendor, or save it as CSV")


# Documents of other apps that are zip packages: what they are, and how to get a table.
_ZIP_PACKAGES = (
    (".numbers", ("Index/Document.iwa", "Index.zip"), "an Apple Numbers document",
     "in Numbers, choose File > Export To > CSV (or Excel) and give that file"),
    (".docx", ("word/document.xml",), "a Word document",
     "give the export itself as CSV or .xlsx"),
    (".pptx", ("ppt/presentation.xml",), "a PowerPoint presentation",
     "give the export itself as CSV or .xlsx"),
)


def refuse_unsafe_workbook(path: Path) -> None:
    """Refuse a workbook that would unpack to gigabytes (`refuse_zip_bomb`) or make the
    reader allocate a vast rectangle (`refuse_sparse_sheets`). A file passes once per
    content: reading a tier workbook's seven sheets checks its 230 MB of sheet XML once,
    not once per sheet. The content is told by a hash of the file's bytes (35 MB hash in
    a twentieth of a second), never by its size or time, which a rewrite can keep."""
    key = workbook_digest(path)
    if key not in _SAFE_WORKBOOKS:
        refuse_zip_bomb(path)
        refuse_sparse_sheets(path)
        trust_workbook(key)


def workbook_digest(path: Path) -> str:
    """The hash `refuse_unsafe_workbook` tells a workbook's content by."""
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def trust_workbook(digest: str) -> None:
    """Take the workbook whose content has `digest` (`workbook_digest`) as safe: one
    that passed the checks, or that abm wrote itself (abm run's tiers.xlsx, whose
    digest its summary.json keeps: next week's run then reads it without scanning its
    230 MB of sheet XML again). Any other content is checked."""
    _SAFE_WORKBOOKS[digest] = None
    while len(_SAFE_WORKBOOKS) > 64:
        del _SAFE_WORKBOOKS[next(iter(_SAFE_WORKBOOKS))]


_SAFE_WORKBOOKS: dict[str, None] = {}  # hashes of the workbooks that passed, oldest first


def refuse_sparse_sheets(path: Path) -> None:
    """Refuse sheets whose cell references span far more cells than they hold, or
    point past Excel's last cell (XFD1048576), before the reader sees them.

    The reader allocates the whole rectangle up to the last cell: one stray cell at
    XFD1048576 in a 2 KB file asks for 512 GB and aborts the process. The scan streams
    each sheet's XML once (linear, bounded memory).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                if _SHEET_XML_RE.fullmatch(member.filename):
                    _check_sheet_extent(path, archive, member)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as err:
        raise _broken_workbook(path) from err


def _check_sheet_extent(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    last_row, last_column, cells = 0, 0, 0
    with archive.open(member) as stream:
        tail = stream.read(2)
        if tail in (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"):
            raise InputFileError(path, f"its sheet {member.filename.rsplit('/', 1)[-1]} is "
                                 "stored as UTF-16 XML, which the xlsx reader cannot read",
                                 "open it in Excel and save it again as .xlsx, or save as CSV")
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            cells += chunk.count(b"<c ") + chunk.count(b":c ")
            column, row = reference_extent(text)
            last_column, last_row = max(last_column, column), max(last_row, row)
            tail = text[-64:]
    sheet = member.filename.rsplit("/", 1)[-1]
    if last_column > EXCEL_COLUMNS or last_row > EXCEL_ROWS:
        raise InputFileError(path, f"cannot be opened as an Excel workbook: {sheet} has a cell "
                             "past Excel's last cell XFD1048576 (the file is damaged)",
                             "open it in Excel and save it again, or re-export it")
    extent = last_row * last_column
    if extent > MAX_SHEET_EXTENT and extent > SPARSE_FACTOR * max(cells, 1):
        raise InputFileError(
            path, f"{sheet} spans {last_row:,} rows by {last_column:,} columns but holds "
            f"only {cells:,} cells: stray cells far from the data would take "
            f"{extent * 32 / (1 << 30):,.0f} GB to read", "in Excel press Ctrl+End to find the "
            "last cell, delete the empty rows and columns up to it, and save; or save as CSV")


_REF_LETTERS, _REF_DIGITS = 7, 12  # the longest column letters and row digits looked at
_REF_WIDTH = _REF_LETTERS + _REF_DIGITS + 1  # and the closing quote


def reference_extent(xml: bytes) -> tuple[int, int]:
    """(last column, last row) that the cell references (` r="AB12"`) and row tags
    (` r="12"`) of a piece of sheet XML name: the column at least 26 (any of A..Z); the
    row of a cell reference, or of a row tag numbered 1,000,000 or more.

    Worked on all references at once with numpy, as a regex over each of a 100,000-row
    sheet's 13 million references took 30 s (a weekly run reading last week's tiers).
    """
    data = np.frombuffer(xml, dtype=np.uint8)
    starts = np.flatnonzero((data[:-4] == 0x20) & (data[1:-3] == 0x72)  # ' r="'
                            & (data[2:-2] == 0x3D) & (data[3:-1] == 0x22)) + 4
    if not len(starts):
        return 26, 0
    window = starts[:, None] + np.arange(_REF_WIDTH)
    chars = np.zeros(window.shape, dtype=np.uint8)  # zero past the end: neither kind
    inside = window < len(data)
    chars[inside] = data[window[inside]]
    upper = chars & 0xDF  # a-z as A-Z; digits and quotes are told apart before this
    letter = (upper >= 0x41) & (upper <= 0x5A)
    digit = (chars >= 0x30) & (chars <= 0x39)
    end = np.zeros((len(starts), 1), dtype=bool)
    letters = np.argmin(np.hstack([letter, end]), axis=1)
    positions = np.arange(_REF_WIDTH)
    after_letters = positions >= letters[:, None]
    digits_end = np.argmax(np.hstack([~digit & after_letters, ~end]), axis=1)
    digits = digits_end - letters
    closed = chars[np.arange(len(starts)), np.minimum(digits_end, _REF_WIDTH - 1)] == 0x22
    closed &= digits_end < _REF_WIDTH
    cell = (letters >= 1) & (letters <= _REF_LETTERS) & (digits >= 1)
    column = np.zeros(len(starts), dtype=np.int64)
    row = np.zeros(len(starts), dtype=np.int64)
    for k in range(int(digits_end.max())):  # a sheet's references are short: "DZ100001"
        in_letters = k < letters
        column = np.where(in_letters, column * 26 + (upper[:, k].astype(np.int64) - 64), column)
        in_digits = (k >= letters) & (k < digits_end)
        row = np.where(in_digits, row * 10 + (chars[:, k].astype(np.int64) - 48), row)
    counted = closed & (digits <= _REF_DIGITS) & (letters <= _REF_LETTERS) & (
        (letters >= 1) | (digits >= 7))
    last_column = int(column[cell].max()) if cell.any() else 0
    last_row = int(row[counted].max()) if counted.any() else 0
    return max(26, last_column), last_row


def _not_an_excel_zip(path: Path, names: set[str]) -> InputFileError:
    """Say what a zip that is no Excel workbook is: an OpenDocument file, or an archive."""
    for suffix, members, kind, hint in _ZIP_PACKAGES:
        if path.suffix.lower() == suffix or names & set(members):
            return InputFileError(path, f"not a CSV or Excel file: it is {kind}", hint)
    if "content.xml" in names and "mimetype" in names:
        return InputFileError(path, "is an OpenDocument file (.ods, from LibreOffice or Google "
                              "Sheets), not an Excel workbook", "open it and save it as .xlsx "
                              "or CSV (in Google Sheets: File > Download > .xlsx)")
    return InputFileError(path, "not a CSV or Excel file: it is a zip archive",
                          "unzip it and give the CSV or .xlsx inside")


# OLE2 directory names (UTF-16) that tell an encrypted .xlsx from an old-format .xls.
_OLE_STREAMS = (("EncryptedPackage".encode("utf-16-le"), "encrypted"),
                ("Workbook".encode("utf-16-le"), "xls"), ("Book".encode("utf-16-le"), "xls"))
OLE_SCAN_BYTES = 32 << 20


def _ole_kind(path: Path) -> str | None:
    """'encrypted' (a password-protected .xlsx), 'xls' (Excel 97-2003) or None."""
    found: set[str] = set()
    with path.open("rb") as handle:
        data = handle.read(OLE_SCAN_BYTES)
    for name, kind in _OLE_STREAMS:
        if name in data:
            found.add(kind)
    return "encrypted" if "encrypted" in found else next(iter(found), None)


def _bomb_ratio(unpacked: int, packed: int) -> bool:
    return unpacked > 1 << 20 and unpacked > MAX_ZIP_RATIO * packed


def _pick_sheet(path: Path, workbook: Any, sheet: str | None) -> str:
    """The sheet asked for (case-insensitively), else the first visible sheet."""
    names: list[str] = list(workbook.sheet_names)
    if sheet is None:
        visible = [m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Visible")]
        return (visible or names)[0]
    if sheet in names:
        return sheet
    folded = {n.casefold(): n for n in names}
    if sheet.casefold() in folded:
        return folded[sheet.casefold()]
    listed = ", ".join(repr(n) for n in names)
    raise InputFileError(path, f"has no sheet {sheet!r}", f"the sheets are: {listed}")


def _cells_from_values(values: list[list[Any]], notes: list[str]) -> pd.DataFrame:
    """Workbook values as text cells, converted column by column; text loses control
    characters as a CSV's does (`clean_cell`), with one note saying how many cells."""
    width = max((len(r) for r in values), default=0)
    rows = [r + [""] * (width - len(r)) if len(r) < width else r for r in values]
    changed = 0

    def text(value: Any) -> str:
        nonlocal changed
        if type(value) is not str:
            return cell_text(value)
        if value.isprintable():
            return value
        cleaned = clean_cell(value)
        changed += cleaned != value
        return cleaned

    columns = {j: [text(v) for v in col] for j, col in enumerate(zip(*rows, strict=True))}
    if changed:
        notes.append(f"removed control characters (escape codes, bells, direction "
                     f"overrides) from {counted(changed, 'cell')}")
    return pd.DataFrame(columns, dtype=object)


def cell_text(value: Any) -> str:
    """Text of one workbook value the way a user reads it in Excel.

    1200.0 -> "1200", a date -> "2026-11-23", a date and time -> "2026-11-23 09:14:00",
    True -> "TRUE".
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------- header, footer, rows


def _shape(path: Path, grid: _Grid, whole: bool = True) -> RawTable:
    """Find the header, data records and footer in a grid; name the columns. `whole`:
    the grid is the whole file, so its skipped records are counted in the notes."""
    cells, notes = grid.cells, grid.notes
    filled = _filled_counts(cells)
    if not filled.any():
        raise InputFileError(path, "the file is empty (no cells with text)",
                             "re-export it from the vendor")
    header = _header_index(_stripped_rows(cells, 0, MAX_TITLE_ROWS + SNIFF_RECORDS + 1))
    header_cells = _stripped_rows(cells, header, header + 1)[0]
    header_width = _header_width(grid, header, header_cells)
    end = _footer_start(cells, filled, header, header_width)
    records = np.arange(len(cells))
    data_idx = records[(records > header) & (records < end) & (filled > 0)]
    repeated = _repeated_headers(cells, data_idx, header_cells)
    data_idx = _without(data_idx, repeated)
    under = _notes_under_header(cells, filled, data_idx, header_width)
    data_idx = _without(data_idx, under)
    subtotals = _subtotal_records(cells, data_idx)
    data_idx = _without(data_idx, subtotals)
    headings = _group_headings(cells, filled, data_idx)
    data_idx = _without(data_idx, headings)
    if not len(data_idx):
        raise InputFileError(path, "has a header row but no data rows",
                             "check the export's filters, or re-export it")
    data = cells.iloc[data_idx]
    keep, names = _column_names(header_cells, header_width, data, notes)
    ragged = _ragged_records(grid, data_idx, header, header_width, keep, notes)
    footer = [" ".join(c for c in row if c) for row in _stripped_rows(cells, end, len(cells))]
    header_text = " ".join(c for c in header_cells if c)
    skipped = [SkippedRecord(int(i - header), header_text, "repeated header row")
               for i in repeated]
    skipped += [SkippedRecord(int(i - header), " ".join(_stripped_rows(cells, i, i + 1)[0]).strip(),
                              NOTE_UNDER_HEADER) for i in under]
    skipped += [SkippedRecord(int(i - header), _record_text(cells, i), SUBTOTAL)
                for i in subtotals]
    skipped += [SkippedRecord(int(i - header), _record_text(cells, i), GROUP_HEADING)
                for i in headings]
    skipped += [SkippedRecord(end + offset - header, text, "footer")
                for offset, text in enumerate(footer) if text]
    blank = _blank_records(filled, header)
    skipped += [SkippedRecord(int(i - header), "", BLANK_RECORD) for i in blank]
    skipped.sort(key=lambda record: record.row)
    table = RawTable(
        path=path, sheet=grid.sheet, encoding=grid.encoding, delimiter=grid.delimiter,
        header=names, rows=_data_frame(data, keep, names),
        row_numbers=(data_idx - header).astype("int64"),
        title_rows=header, footer_rows=[text for text in footer if text],
        blank_rows=len(blank), ragged_rows=ragged,
        notes=notes, skipped=skipped, positions=list(keep), width=header_width,
    )
    table.links, table.computed_links = _links_by_header(grid.links, data_idx, keep, names)
    _note_skipped(table, whole, blank_above=int((filled[:header] == 0).sum()))
    return table


def _without(data_idx: np.ndarray, dropped: np.ndarray) -> np.ndarray:
    """The data records but the `dropped` ones (a few). Not np.setdiff1d: numpy 2.4's
    np.unique inside it takes 0.5 s for 360,000 records."""
    return data_idx[~np.isin(data_idx, dropped)] if len(dropped) else data_idx


def _record_text(cells: pd.DataFrame, record: int) -> str:
    """A record's filled cells joined by spaces, as the lineage shows a skipped record."""
    return " ".join(c for c in _stripped_rows(cells, record, record + 1)[0] if c)


def _blank_records(filled: np.ndarray, header: int) -> np.ndarray:
    """Blank records under the header up to the last record holding text: between data
    sections, among footers. Each is listed (and rejected into the lineage), so every
    record number under the header is accounted for. Blank lines after the last text
    only end the file and are no records."""
    holding_text = np.flatnonzero(filled)
    last = int(holding_text[-1]) if len(holding_text) else header
    records = np.arange(header + 1, last + 1)
    return records[filled[header + 1 : last + 1] == 0]


def _links_by_header(links: SheetLinks, data_idx: np.ndarray, keep: list[int],
                     names: list[str]) -> tuple[dict[str, dict[int, str]], dict[str, int]]:
    """The sheet's links by header and data-row position (header and title rows, notes
    and footers carry none)."""
    if not links.targets and not links.computed:
        return {}, {}
    row_position = {int(record): position for position, record in enumerate(data_idx)}
    header_of = dict(zip(keep, names, strict=True))
    targets: dict[str, dict[int, str]] = {}
    for (record, column), target in links.targets.items():
        if record in row_position and column in header_of:
            targets.setdefault(header_of[column], {})[row_position[record]] = target
    computed: dict[str, int] = {}
    for record, column in links.computed:
        if record in row_position and column in header_of:
            computed[header_of[column]] = computed.get(header_of[column], 0) + 1
    return targets, computed


def _notes_under_header(cells: pd.DataFrame, filled: np.ndarray, data_idx: np.ndarray,
                        width: int) -> np.ndarray:
    """Records right under the header that are a report's notes, not accounts.

    Euronext's list puts "European Equities", "01-juin-23" and "All datapoints provided
    as of ..." under its header, each a record of one cell. A first data record of one
    cell is a note only when the table is wide, long enough to judge, and the data under
    it always fills (in 99 % of records) at least three other columns (ISIN, Symbol,
    Market ...): a real account with only its name would still fill what its export
    fills for every account (an owner, a type, an id), or there are no such columns and
    it stays data. Notes are rejected into the lineage with their text, never dropped.
    """
    top = data_idx[:MAX_NOTES_UNDER_HEADER]
    leading = top[: int(np.argmax(filled[top] != 1))] if (filled[top] != 1).any() else top
    rest = data_idx[len(leading):len(leading) + STEADY_SAMPLE]
    if not len(leading) or width < 4 or len(rest) < MIN_ROWS_TO_JUDGE_NOTES:
        return np.array([], dtype=np.int64)
    steady = (cells.iloc[rest, :width].to_numpy() != "").mean(axis=0) >= STEADY_SHARE
    notes = cells.iloc[leading, :width].to_numpy() != ""
    # A one-cell record lacks every other column: it is a note when the data always
    # fills at least MIN_STEADY_COLUMNS columns besides the one it fills.
    lacking = (steady & ~notes).sum(axis=1) >= MIN_STEADY_COLUMNS
    # Only an unbroken run from the top: a note never follows a data record.
    run = int(np.argmin(lacking)) if not lacking.all() else len(lacking)
    return leading[:run].astype(np.int64)


def _repeated_headers(cells: pd.DataFrame, data_idx: np.ndarray, header_cells: list[str]
                      ) -> np.ndarray:
    """Records under the header that repeat it (reports that print the header on every
    page): they are not accounts. Compared on the first named column, then in full."""
    first = next((j for j, c in enumerate(header_cells) if c), None)
    if first is None or not len(data_idx):
        return np.array([], dtype=np.int64)
    column = cells.iloc[data_idx, first].astype(str).str.strip().str.casefold()
    candidates = data_idx[(column == header_cells[first].casefold()).to_numpy()]
    wanted = [c.casefold() for c in header_cells]
    return np.array([i for i in candidates
                     if [c.casefold() for c in _stripped_rows(cells, i, i + 1)[0]][: len(wanted)]
                     == wanted], dtype=np.int64)


def _filled_counts(cells: pd.DataFrame) -> np.ndarray:
    """Non-empty cells per record; cells holding only spaces count as empty."""
    filled = np.zeros(len(cells), dtype=np.int64)
    for block in _column_blocks(cells):
        filled += (block.to_numpy() != "").sum(axis=1)
    # Whitespace-only cells matter for blank and footer records, which have few cells.
    few = np.flatnonzero((filled > 0) & (filled <= 2))
    if len(few):
        real = np.zeros(len(few), dtype=np.int64)
        for block in _column_blocks(cells.iloc[few]):
            stripped = np.vectorize(str.strip, otypes=[object])(block.to_numpy())
            real += (stripped != "").sum(axis=1)
        filled[few] = real
    return filled


def _column_blocks(cells: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """The table in blocks of columns: a column at a time costs minutes for 10^5
    columns, the whole table at once a copy of every cell pointer."""
    step = max(1, min(COLUMN_BLOCK_CELLS // max(len(cells), 1), cells.shape[1]))
    for start in range(0, cells.shape[1], step):
        yield cells.iloc[:, start : start + step]


def _stripped_rows(cells: pd.DataFrame, start: int, stop: int) -> list[list[str]]:
    """Records start..stop-1 as lists of stripped cells."""
    return [[str(c).strip() for c in row] for row in cells.iloc[start:stop].to_numpy().tolist()]


def _header_index(head: list[list[str]]) -> int:
    """Index of the header record: the first that is not a report title above the table.

    A header fills most of the width of the records below it and holds no values that
    look like numbers or dates. Only short records (one or two cells, such as
    "Accounts with Website" or "As of 11/23/2026") are ever skipped as titles, so a
    full-width first record is always the header and no data record is lost.
    """
    for index, row in enumerate(head[: MAX_TITLE_ROWS + 1]):
        texts = [c for c in row if c]
        if not texts:
            continue
        width = _modal_width(head[index + 1 :]) or len(texts)
        has_values = any(VALUE_RE.fullmatch(c) for c in texts)
        if len(texts) >= HEADER_SHARE * width and not has_values:
            return index
        # A short key/value line ("Date of download data creation, As Of 2025.09.20,
        # Number of data, 11094") above a wider table is a title too.
        narrow_with_values = has_values and len(texts) < HEADER_SHARE * width
        if (len(texts) > 2 or len(texts) >= width) and not narrow_with_values:
            return index
    return next(i for i, row in enumerate(head) if any(row))


def _modal_width(rows: list[list[str]]) -> int:
    """Most common width (up to the last filled cell) of the rows that span several cells.

    One-cell rows are left out: titles and footers would outvote a short table's data.
    """
    widths = Counter(w for w in map(_trimmed_len, rows[:SNIFF_RECORDS]) if w > 1)
    return widths.most_common(1)[0][0] if widths else 1


def _trimmed_len(row: list[str]) -> int:
    return max((i + 1 for i, c in enumerate(row) if c), default=0)


def _header_width(grid: _Grid, header: int, header_cells: list[str]) -> int:
    """Cells in the header as written (CSV) or up to its last filled cell (workbook)."""
    if grid.field_counts is not None:
        return int(grid.field_counts[header])
    return _trimmed_len(header_cells)


def _footer_start(cells: pd.DataFrame, filled: np.ndarray, header: int, width: int) -> int:
    """Index of the first record of a trailing footer block, or len(cells) if none.

    Footer records hold no website or email, and either at most two cells or the sums
    of a totals row (`_totals_record`: "Total,,1235250000,27212", in any layout). Text
    such as "Grand Totals (305 records)" or "Confidential" marks a footer; in a table of
    four columns or more any short record is one once a blank record separates it from
    the data. In a narrower table two cells are also a short data row ("Acme,,50"), so
    there a two-cell footer needs both the mark and the blank record ("Count,,3"), or is
    a totals row. A short last data row with no blank record before it is kept. Every
    footer record reaches the lineage as rejected, with its text.
    """
    wide = width >= 4
    low = len(cells)
    while (low > header + 1 and len(cells) - low < MAX_FOOTER_ROWS
           and (filled[low - 1] <= 2 or _totals_record(_stripped_rows(cells, low - 1, low)[0]))):
        low -= 1
    start: int | None = None
    seen_blank = False
    for offset, row in enumerate(_stripped_rows(cells, low, len(cells))):
        texts = [c for c in row if c]
        footer_like = (_footer_like(texts, wide, seen_blank) or _totals_record(row)
                       if texts else True)
        # "Total,total.com" is the company Total: a record naming a website or email
        # is a data row, whatever its first cell says.
        if footer_like and not any(map(_is_identity, texts)):
            start = offset if start is None else start
            seen_blank = seen_blank or not texts
        else:
            start, seen_blank = None, False
    return len(cells) if start is None else low + start


def _is_identity(text: str) -> bool:
    """A website, domain or email address; a decimal number (1235.25) is none."""
    return IDENTITY_CELL_RE.fullmatch(text) is not None and not _is_value(text)


VALUE_CHARACTERS = frozenset("0123456789 $€£¥%+-.,/:()")


def _is_value(text: str) -> bool:
    """What VALUE_RE matches, in time linear in the cell (the pattern backtracks
    quadratically on a long cell of digits that ends in a letter)."""
    return any(c.isdigit() for c in text) and set(text) <= VALUE_CHARACTERS


def _totals_record(row: list[str]) -> bool:
    """A totals row: its first cell a totals word ("Total", "Grand Total (3 records)",
    "Subtotal", "Sum"), every other cell a number. A company named Total shows what a
    sum has not: a website, an industry, a city (the caller also keeps a record naming
    a website); in the middle of the list `_subtotal_records` asks more of it."""
    texts = [c for c in row if c]
    return (len(texts) > 0 and TOTALS_RE.fullmatch(texts[0]) is not None
            and all(map(_is_value, texts[1:])))


def _subtotal_records(cells: pd.DataFrame, data_idx: np.ndarray) -> np.ndarray:
    """Totals rows between the data records: a summary report's "Subtotal" line under
    each group ("Subtotal,,,,1500,$115,000,000.00"). Read as data it was a row with no
    company name, rejected; it is skipped with its text, as a footer is.

    A candidate is a totals record (`_totals_record`) naming no website or email. Its
    word must say it is a total: "Subtotal", "Grand Total", "Total:", "Total (2
    records)"; a bare "Total" or "Sum" may be a company (TotalEnergies), so it is one
    only when a number in it is the sum of its column over the records above it, back
    to the top or to an earlier subtotal.
    """
    candidates = _totals_word_records(cells, data_idx)
    if not len(candidates):
        return np.array([], dtype=np.int64)
    position = {int(record): n for n, record in enumerate(data_idx)}
    sums = _ColumnSums(cells, data_idx, candidates)
    found: list[int] = []
    for record in candidates:
        row = _stripped_rows(cells, record, record + 1)[0]
        texts = [c for c in row if c]
        if not _totals_record(row) or any(map(_is_identity, texts)):
            continue
        bounds = [-1, *(position[f] for f in found[-MAX_SECTIONS_SUMMED:])]
        if _named_total(texts[0]) or sums.sums_above(row, position[record], bounds):
            found.append(int(record))
    return np.array(found, dtype=np.int64)


def _group_headings(cells: pd.DataFrame, filled: np.ndarray, data_idx: np.ndarray
                    ) -> np.ndarray:
    """Records of one cell between the data that head a report's group: "Account
    Owner: Ann Lee (2 records)". Read as data they were rows with no company name. The
    cell sits in a grouping column, among the first MAX_GROUPING_COLUMNS."""
    single = data_idx[filled[data_idx] == 1]
    found: list[int] = []
    for j in range(min(MAX_GROUPING_COLUMNS, cells.shape[1])):
        if not len(single):
            break
        values = cells.iloc[single, j].tolist()
        found += [int(record) for record, text in zip(single, values, strict=True)
                  if "(" in text and "record" in text.casefold()
                  and GROUP_HEADING_RE.fullmatch(text.strip())]
    return np.array(sorted(found), dtype=np.int64)


_TOTALS_INITIALS = frozenset("tTsSgG \t")


def _totals_word_records(cells: pd.DataFrame, data_idx: np.ndarray) -> np.ndarray:
    """Data records whose first filled cell, among the first MAX_GROUPING_COLUMNS, is a
    totals word. Column by column, so a list whose first column is always filled costs
    one pass over that column."""
    left, found = data_idx, []
    for j in range(min(MAX_GROUPING_COLUMNS, cells.shape[1])):
        if not len(left):
            break
        column = cells.iloc[left, j].to_numpy()
        # Most cells: neither blank nor starting like a totals word; checked cheaply.
        found += [int(record) for record, text in zip(left, column.tolist(), strict=True)
                  if text[:1] in _TOTALS_INITIALS and TOTALS_RE.fullmatch(text)]
        left = left[column == ""]
    return np.array(sorted(found), dtype=np.int64)


def _named_total(word: str) -> bool:
    """A totals word no company bears: anything but a bare "Total", "Totals" or "Sum"."""
    return word.strip().rstrip("s").casefold() not in {"total", "sum"}


class _ColumnSums:
    """Running sums of the data records' numbers per column, candidates left out."""

    def __init__(self, cells: pd.DataFrame, data_idx: np.ndarray, candidates: np.ndarray):
        self.cells, self.data_idx = cells, data_idx
        self.left_out = np.isin(data_idx, candidates)
        self.running: dict[int, np.ndarray] = {}

    def sums_above(self, row: list[str], at: int, bounds: list[int]) -> bool:
        """Whether a number in `row` (a record at data position `at`) is the sum of its
        column over the data records after one of `bounds` and before it."""
        for column, text in enumerate(row):
            value = parse_number(text) if text else None
            if value is None or value == 0:
                continue
            running = self._running(column)
            if any(np.isclose(running[at] - running[bound + 1], value, rtol=1e-9, atol=0.01)
                   for bound in bounds if bound + 1 < at):
                return True
        return False

    def _running(self, column: int) -> np.ndarray:
        """Cumulative sums of a column: element k is the sum of data positions < k."""
        if column not in self.running:
            values = [parse_number(c) for c in self.cells.iloc[self.data_idx, column].tolist()]
            numbers = np.array([v if v is not None else 0.0 for v in values], dtype=float)
            numbers[self.left_out] = 0.0
            self.running[column] = np.concatenate([[0.0], np.cumsum(numbers)])
        return self.running[column]


def _footer_like(texts: list[str], wide: bool, after_blank: bool) -> bool:
    """Whether a short record under the data reads as a footer (see `_footer_start`)."""
    marked = FOOTER_RE.match(texts[0]) is not None
    if wide:
        return marked or after_blank
    return marked and (len(texts) == 1 or after_blank)


def _column_names(
    header_cells: list[str], header_width: int, data: pd.DataFrame, notes: list[str]
) -> tuple[list[int], list[str]]:
    """Columns to keep and their unique names; unnamed empty columns are dropped."""
    keep: list[int] = []
    names: list[str] = []
    # Once for the whole table: a column at a time costs minutes for 10^5 columns.
    values = (data.iloc[:, : len(header_cells)].to_numpy() != "").sum(axis=0)
    for j, cell in enumerate(header_cells):
        name = " ".join(cell.replace("\ufeff", "").split())
        if not name and not values[j]:
            continue
        if not name and j < header_width:
            notes.append(f'column {j + 1} has no header; named it "Column {j + 1}"')
        keep.append(j)
        names.append(name or f"Column {j + 1}")
    return keep, _unique_names(names, notes, [int(values[j]) for j in keep], keep)


def _unique_names(names: list[str], notes: list[str], values: list[int], columns: list[int]
                  ) -> list[str]:
    """Make header names unique without regard to case: "Email", "Email (2)".

    Of the columns sharing a name, the one holding the most values (the first on a tie)
    keeps it, so the field that name maps to reads the filled copy rather than an empty
    one ("Website" empty, "Website" filled); the other copies are numbered in that order.
    """
    taken = {n.casefold() for n in names}
    seen: set[str] = set()
    last_number: dict[str, int] = {}  # per name, so 10^5 copies of one name stay linear
    renamed: dict[str, list[str]] = {}
    kept: dict[str, int] = {}  # name -> the column keeping it, when not the first copy
    first = {n.casefold(): j for j, n in reversed(list(enumerate(names)))}
    unique = [""] * len(names)
    for index in sorted(range(len(names)), key=lambda j: (-values[j], j)):
        name = names[index]
        new, number = name, last_number.get(name.casefold(), 1)
        while new.casefold() in seen or (new != name and new.casefold() in taken):
            number += 1
            new = f"{name} ({number})"
        last_number[name.casefold()] = number
        if new != name:
            renamed.setdefault(name, []).append(new)
        elif index != first[name.casefold()]:
            kept[name] = columns[index] + 1
        seen.add(new.casefold())
        unique[index] = new
    for name, copies in renamed.items():  # one note per name, not per copy
        shown = (f'a copy "{copies[0]}"' if len(copies) == 1 else
                 f'{len(copies):,} copies "{copies[0]}" to "{copies[-1]}"')
        which = (f"kept the name for column {kept[name]}, which holds the most values, and "
                 if name in kept else "")
        notes.append(f'the header "{name}" appears more than once; {which}renamed {shown}')
    return unique


def _ragged_records(
    grid: _Grid, data_idx: np.ndarray, header: int, width: int, keep: list[int], notes: list[str]
) -> list[int]:
    """Record numbers with more or fewer cells than the header, with notes saying so."""
    if grid.field_counts is None:
        return []
    counts = grid.field_counts[data_idx]
    longer = data_idx[counts > width]
    if len(longer):
        extra = grid.cells.iloc[longer, width:].to_numpy() != ""
        longer = longer[extra.any(axis=1)]
    shorter = data_idx[counts < width]
    if len(longer):
        extra_names = ", ".join(f"Column {j + 1}" for j in keep if j >= width)
        notes.append(f"{_records(longer - header)} more cells than the header; the extra "
                     f"cells are kept in {extra_names}")
    if len(shorter):
        notes.append(f"{_records(shorter - header)} fewer cells than the header; the missing "
                     "cells are left empty")
    if grid.ends_mid_line and len(shorter) and shorter[-1] == len(grid.cells) - 1:
        # A download cut short stops mid-record: no line break, cells missing.
        notes.append(f"the file ends inside record {shorter[-1] - header} (fewer cells than "
                     "the header and no line break after it): it looks cut off; export it "
                     "again")
    return sorted((np.concatenate([longer, shorter]) - header).tolist())


def _records(numbers: np.ndarray) -> str:
    """'3 records (4, 9, 12) have' with at most LISTED numbers shown."""
    shown = ", ".join(str(n) for n in numbers[:LISTED]) + (", ..." if len(numbers) > LISTED else "")
    if len(numbers) == 1:
        return f"record {shown} has"
    return f"{len(numbers):,} records ({shown}) have"


def _data_frame(data: pd.DataFrame, keep: list[int], names: list[str]) -> pd.DataFrame:
    """The kept columns of the data records, renamed and indexed 0..n-1."""
    frame = data[keep]
    frame.columns = pd.Index(names, dtype=object)
    return frame.reset_index(drop=True)


def _note_skipped(table: RawTable, whole: bool = True, blank_above: int = 0) -> None:
    """Tell the user what was left out above, between and below the data (of a file's
    head, only what is above it: the streaming reader counts the rest)."""
    if table.title_rows:  # empty rows above are blank, not titles (a sheet starting at
        # B3; the empty line under the ASX list's title): each counted as what it is
        above = ((table.title_rows - blank_above, "title row"), (blank_above, "blank row"))
        table.notes.append(f"skipped {' and '.join(counted(n, kind) for n, kind in above if n)}"
                           " above the header")
    if table.footer_rows:
        table.notes.append("skipped footer: " + "; ".join(table.footer_rows))
    if not whole:
        return
    for reason, noun in ((GROUP_HEADING, "group heading"), (SUBTOTAL, "subtotal row")):
        texts = [r.text for r in table.skipped if r.reason == reason]
        if texts:
            shown = "; ".join(texts[:LISTED]) + ("; ..." if len(texts) > LISTED else "")
            table.notes.append(f"skipped {counted(len(texts), noun)} between the data: "
                               f"{shown}")
    under = [r.text for r in table.skipped if r.reason == NOTE_UNDER_HEADER]
    if under:
        table.notes.append("skipped notes under the header: " + "; ".join(under))
    repeated = [r.row for r in table.skipped if r.reason == "repeated header row"]
    if repeated:
        table.notes.append(f"skipped {counted(len(repeated), 'repeated header row')} "
                           "under the header")
    if table.blank_rows:
        table.notes.append(f"skipped {counted(table.blank_rows, 'blank record')}")
