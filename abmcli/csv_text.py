"""A DataFrame as CSV text: the bytes pandas' `to_csv` writes, in about half the time.

pandas hands every cell to Python's csv writer, which checks and copies it one at a
time: several seconds of a 100,000-account `abm run` went to the lineage, tier, segment
and memory CSVs (130 MB). Here each column is turned into its text once, as pandas would turn it
(`get_values_for_csv`: NaN and None as "", floats as numpy's shortest repr, ...), the
few cells that need quotes are quoted as the csv writer quotes them, and whole rows are
joined with `str.join`.

Only what the CSV writers of abm need is done here: `index=False`, "," and '"', the
default QUOTE_MINIMAL, the line terminator given, columns of text, numbers, booleans and
Python objects (dates, mixed). A frame with any other column (datetime64, categorical,
...) or with fewer than two columns (the csv writer quotes a lone empty field) gets
None from `csv_chunks`, and the caller lets pandas write it. tests/test_csv_text.py
checks the output against pandas on hostile frames.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import repeat
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd

CHUNK_ROWS = 10_000  # rows joined at once: memory stays that of a chunk's text


def _quoted_characters(line_terminator: str) -> frozenset[str]:
    """The characters that make Python's csv writer (this Python's) quote a field."""
    found = set()
    for code in range(128):
        probe = io.StringIO()
        csv.writer(probe, lineterminator=line_terminator).writerow([f"a{chr(code)}b", "c"])
        if probe.getvalue().startswith('"'):
            found.add(chr(code))
    return frozenset(found)


_QUOTING: dict[str, tuple[str, ...]] = {}  # by line terminator: what the writer quotes


def write_frame(frame: pd.DataFrame, target: Path | TextIO, *, header: bool = True,
                encoding: str = "utf-8", line_terminator: str = "\n") -> None:
    """Write `frame` as `frame.to_csv(target, index=False, header=header,
    encoding=encoding, lineterminator=line_terminator)` would: to a path (created or
    truncated) or to an open text handle (whose encoding then applies)."""
    chunks = csv_chunks(frame, header=header, line_terminator=line_terminator)
    if chunks is None:
        frame.to_csv(target, index=False, header=header, encoding=encoding,
                     lineterminator=line_terminator)
    elif isinstance(target, Path):
        with open(target, "w", encoding=encoding, newline="") as handle:
            handle.writelines(chunks)
    else:
        target.writelines(chunks)


def csv_chunks(frame: pd.DataFrame, *, header: bool = True,
               line_terminator: str = "\n") -> Iterator[str] | None:
    """The CSV text of `frame` (as `frame.to_csv(index=False, lineterminator=...)`) in
    pieces to write one after another, or None when pandas must write it (see above)."""
    if frame.shape[1] < 2 or not all(_supported(frame.iloc[:, i]) for i in range(frame.shape[1])):
        return None
    if line_terminator not in _QUOTING:
        _QUOTING[line_terminator] = tuple(sorted(_quoted_characters(line_terminator)))
    return _chunks(frame, header, line_terminator, _QUOTING[line_terminator])


def _chunks(frame: pd.DataFrame, header: bool, terminator: str,
            quoted: tuple[str, ...]) -> Iterator[str]:
    if header:
        labels = [_field(label) for label in frame.columns]
        yield ",".join(_quote_where_needed(labels, quoted)) + terminator
    for start in range(0, len(frame), CHUNK_ROWS):
        part = frame.iloc[start:start + CHUNK_ROWS]
        columns = [_quote_where_needed(column_texts(part.iloc[:, i]), quoted)
                   for i in range(part.shape[1])]
        yield terminator.join(map(",".join, zip(*columns, strict=True))) + terminator


def _supported(column: pd.Series) -> bool:
    dtype = column.dtype
    if isinstance(dtype, np.dtype):
        return dtype.kind in "biufO"
    return isinstance(dtype, pd.StringDtype | pd.BooleanDtype) or (
        isinstance(dtype, pd.api.extensions.ExtensionDtype)
        and isinstance(column.array, pd.arrays.IntegerArray))


def column_texts(column: pd.Series) -> list[str]:
    """Each cell as the csv writer gets it from pandas, then as the text it writes."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
        return _number_texts(column.to_numpy())
    if isinstance(dtype, pd.StringDtype):
        return column.to_numpy(dtype=object, na_value="").tolist()
    # objects, nullable ints and booleans: missing ones (pandas' isna) as ""
    texts = column.astype(object).to_numpy(dtype=object, na_value="").tolist()
    if set(map(type, texts)) <= {str}:  # text only, the usual object column
        return texts
    return [_field(value) for value in texts]


def _number_texts(values: np.ndarray) -> list[str]:
    """numpy's own str() of each number, as pandas writes them, NaN as "". numpy takes
    about 0.3 µs a float, so each distinct bit pattern is formatted once: scores and
    counts repeat, and a bit pattern keeps -0.0 apart from 0.0."""
    if values.dtype.kind == "f" and values.dtype.itemsize in (4, 8):
        codes, uniques = pd.factorize(values.view(f"i{values.dtype.itemsize}"))
        distinct = uniques.view(values.dtype)
        texts = distinct.astype(str).astype(object)
        texts[np.isnan(distinct)] = ""
        return texts[codes].tolist()
    texts = values.astype(str).astype(object)
    if values.dtype.kind == "f":
        texts[np.isnan(values)] = ""
    return texts.tolist()


def _field(value: Any) -> str:
    """The text the csv writer writes for one value: repr for floats, str for the rest."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _quote_where_needed(texts: list[str], quoted: tuple[str, ...]) -> list[str]:
    """Fields holding a delimiter, quote or line break in quotes, quotes doubled."""
    joined = "".join(texts)
    present = [character for character in quoted if character in joined]  # memchr-fast
    if not present:  # most columns
        return texts
    needs = np.zeros(len(texts), dtype=bool)
    for character in present:  # `in` mapped in C: 10x a regex search a cell
        needs |= np.fromiter(map(str.__contains__, texts, repeat(character)), dtype=bool,
                             count=len(texts))
    quoted_texts = list(texts)
    for row in np.flatnonzero(needs).tolist():
        quoted_texts[row] = _quote(texts[row])
    return quoted_texts


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'
