"""Feeds larger than memory: intent and engagement files read in batches.

An intent or engagement file over `STREAM_OVER_BYTES` (CSV or Parquet) is never held
whole. pyarrow reads it in batches of the mapped columns only (a CSV in pieces abm cuts
at record ends, a Parquet file by its own batches); each cell becomes the
id of its text in a per-field vocabulary (a feed repeats few companies, topics and
dates over millions of rows, so every key and parse is done once per distinct value).
Each batch is then folded away:

- the *identity* of a row (name, domain, email, location and firmographic fields) is a
  code in a table of distinct identities, each with its first row and its row count
  (`WEIGHT_COLUMN`): matching and the hub's account columns work on that table, weighted;
- the row's *signal* is reduced to what the hub's aggregation reads (hub.py): for
  intent the rows at each identity's latest date plus the surges that can still be an
  account's latest, for engagement the sums per identity and week;
- the row's number and identity code go to a temporary file, from which the lineage
  is written row by row once the codes have accounts (`FeedLineage`).

So peak memory follows the distinct identities and the latest week, not the file, and
the hub and lineage equal those of reading the file whole (tests/test_feeds.py).

Parsing is the floor of the cost (pyarrow's CSV parse into dictionary arrays, about
0.7 us a row of CPU on the bench feed), so it runs beside the folding: one thread cuts
the CSV into pieces, `PARSERS` threads parse them and look each batch's texts up in the
vocabularies known when the piece was handed out (pyarrow works without the
interpreter lock), and the main thread folds the batches in order. The folding itself
is numpy on the text ids: identities found by a hash of their ids, the intent kept per
identity code in arrays, no pandas group-by per batch.
Files the batch reader cannot read exactly as `read.py` would (mixed or exotic
encodings, renamed or blank header cells, records with too few or too many cells, a
footer, a vendor spike column) are read whole instead, within the 1 GB limit, and the
refusal over it says why the file could not be streamed.
"""

from __future__ import annotations

import tempfile
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from queue import SimpleQueue
from typing import Any

import numpy as np
import pandas as pd

from abmcli.config import Config
from abmcli.errors import InputFileError
from abmcli.fields import (
    ACTIVITY_FIELDS,
    EVIDENCE_FIELDS,
    IDENTITY_FIELDS,
    ROW_COLUMN,
    SIGNAL_FIRMOGRAPHICS,
    WEIGHT_COLUMN,
)
from abmcli.keys.values import (
    decide_day_first,
    parse_activity,
    parse_date,
    parse_number,
    parse_score,
)
from abmcli.sources.layouts import Layout
from abmcli.sources.parquet import column_text, parquet_batches, parquet_columns, value_texts
from abmcli.sources.read import BLANK_RECORD, RawTable, SkippedRecord, clean_cell
from abmcli.words import counted

STREAM_OVER_BYTES = 256 << 20  # intent and engagement files over this are streamed
BATCH_ROWS = 1 << 20
# The CSV reader's block: bounds the memory of one batch. Each batch's texts are looked
# up in the vocabularies once (a cost per distinct text of the batch, as large as a
# company list): 64 MB halves that cost of 32 MB (bench/bench_feed.py).
BATCH_BYTES = 64 << 20
PARSERS = 2  # threads parsing pieces of a CSV ahead of the folding
# Per family, the fields folded per batch; the rest of the identity fields are kept per
# distinct identity. Fields the hub does not read for the family (Bombora's topic
# category) are left out of a streamed source.
SIGNAL_FIELDS: dict[str, tuple[str, ...]] = {
    "intent": ("topic", "score", "date"),
    "engagement": ("page_views", "visits", "responses", "minutes", "date",
                   "last_activity", "last_meeting", "last_reply", "last_form_fill"),
}
ENGAGEMENT_DATE_FIELDS = ("last_activity", "last_meeting", "last_reply", "last_form_fill")
# Fields whose aggregation needs every row (a vendor's spike rows): not streamed.
UNSTREAMED_FIELDS = frozenset({"spike_percent", "spike_start", "spike_end"})
IDENTITY_KEPT = (*IDENTITY_FIELDS, *EVIDENCE_FIELDS, *SIGNAL_FIRMOGRAPHICS,
                 "revenue_thousands")
STREAMED_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "ascii", "cp1252", "latin-1"})
_NAT = np.iinfo(np.int64).min


class NotStreamable(Exception):
    """This file cannot be streamed exactly; the reason says why (shown to the user when
    reading it whole is refused too)."""


@dataclass
class FeedLineage:
    """Where the lineage of a streamed file waits: (row, identity code) pairs on disk."""

    label: str
    rows_file: Path
    rows: int

    def __post_init__(self) -> None:
        # The file goes when the lineage does (or at exit): a merge's temporary file
        # must not outlive it (a 5 GB feed leaves 0.5 GB of pairs).
        self._finalizer = weakref.finalize(self, _remove_file, self.rows_file)

    def chunks(self, size: int = BATCH_ROWS) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(row numbers, identity codes), `size` pairs at a time, in row order."""
        # Read, not mapped: mapped pages would count in the process's memory.
        with self.rows_file.open("rb") as handle:
            for start in range(0, self.rows, size):
                count = min(size, self.rows - start)
                block = np.fromfile(handle, dtype=np.int64, count=2 * count).reshape(count, 2)
                yield block[:, 0], block[:, 1]

    def remove(self) -> None:
        self._finalizer()


def _remove_file(path: Path) -> None:
    path.unlink(missing_ok=True)


@dataclass
class Feed:
    """What streaming one file leaves: identities, the folded signal, the lineage."""

    identities: pd.DataFrame  # one row per distinct identity: fields, _row (first), _weight
    signal: pd.DataFrame  # "code" + the family's folded columns (see _IntentFold, ...)
    lineage: FeedLineage
    data_rows: int
    skipped: list[SkippedRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def streamable_fields(layout: Layout) -> None:
    """Raise NotStreamable unless the layout's family and fields can be streamed."""
    if layout.family not in SIGNAL_FIELDS:
        raise NotStreamable(f"only intent and engagement files are streamed, and this is "
                            f"read as {layout.family}")
    unstreamed = sorted(UNSTREAMED_FIELDS & set(layout.columns.values()))
    if unstreamed:
        raise NotStreamable(f"its {', '.join(unstreamed)} column needs every row at once")


# ---------------------------------------------------------------- batches of text ids


class _Vocabulary:
    """Distinct cell texts of one field, each with an id; cleaned as read.py cleans.
    Texts seen before are looked up in C (pyarrow's index_in), so a batch costs Python
    work only for the texts it brings new."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.texts: list[str] = []
        self._raw: list[str] = []  # distinct raw texts seen ...
        self._raw_ids = np.zeros(0, dtype=np.int64)  # ... and the id of each, cleaned
        self._known: Any = None  # _raw as a pyarrow array, rebuilt when it grows
        self._like: dict[str, tuple[list[int], int]] = {}

    def codes(self, column: Any, found: Found | None = None) -> np.ndarray:
        """Each cell's text id (a null cell is ""). `found`: the column's dictionary
        already looked up in `known()` (by a parsing thread)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(
            column)
        lookup = self._lookup(encoded.dictionary, found)
        lookup = np.append(lookup, self._id(""))
        indices = encoded.indices.fill_null(len(lookup) - 1)
        return lookup[indices.to_numpy(zero_copy_only=False)]

    def known(self) -> Any:
        """The distinct raw texts seen so far, as a pyarrow array (to look texts up in)."""
        import pyarrow as pa

        if self._known is None or len(self._known) < len(self._raw):
            self._known = pa.array(self._raw, type=pa.string())
        return self._known

    def _lookup(self, dictionary: Any, found: Found | None) -> np.ndarray:
        """The id of each text of a batch's dictionary."""
        import pyarrow as pa

        if not (pa.types.is_string(dictionary.type) or pa.types.is_large_string(
                dictionary.type)):
            texts = value_texts(dictionary.to_pylist())
            return np.fromiter((self._id(clean_cell(t)) for t in texts), dtype=np.int64,
                               count=len(texts))
        dictionary = dictionary.cast(pa.string())
        positions, seen, known = found if found is not None else look_up(dictionary,
                                                                          self.known())
        lookup = np.empty(len(dictionary), dtype=np.int64)
        lookup[seen] = self._raw_ids[positions[seen]]
        new = np.flatnonzero(~seen)
        if len(new) and known < len(self._raw):  # texts seen since that look-up
            later, again, _ = look_up(dictionary.take(pa.array(new)),
                                      pa.array(self._raw[known:], type=pa.string()))
            lookup[new[again]] = self._raw_ids[known + later[again]]
            new = new[~again]
        if len(new):
            texts = dictionary.take(pa.array(new)).to_pylist()
            ids = np.fromiter((self._id(clean_cell(t)) for t in texts), dtype=np.int64,
                              count=len(texts))
            self._raw.extend(texts)
            self._raw_ids = np.concatenate([self._raw_ids, ids])
            lookup[new] = ids
        return lookup

    def _id(self, text: str) -> int:
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = len(self.texts)
            self.texts.append(text)
        return found

    def blank(self) -> int:
        return self._id("")

    def ids_like(self, text: str) -> list[int]:
        """Ids of the texts equal to `text` but for case and surrounding spaces (a header
        name repeated under the header), looking only at texts new since the last call."""
        wanted = text.strip().casefold()
        found, checked = self._like.get(wanted, ([], 0))
        found = found + [self.ids[t] for t in self.texts[checked:]
                         if t.strip().casefold() == wanted]
        self._like[wanted] = (found, len(self.texts))
        return found


# Texts looked up in a vocabulary's known texts: the position of each among them, whether
# found, and how many known texts there were.
Found = tuple[np.ndarray, np.ndarray, int]


def look_up(texts: Any, known: Any) -> Found:
    """Where each of `texts` (a pyarrow string array) is among `known` (pyarrow's
    index_in, without the interpreter lock: run on the parsing threads)."""
    import pyarrow.compute as pc

    found = pc.index_in(texts, value_set=known)
    seen = found.is_valid().to_numpy(zero_copy_only=False)
    positions = found.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    return positions, seen, len(known)


class _Parsed:
    """A field's vocabulary parsed once per distinct text into a numpy table."""

    def __init__(self, vocabulary: _Vocabulary, parse: Callable[[list[str]], np.ndarray],
                 dtype: str) -> None:
        self.vocabulary, self.parse, self.table = vocabulary, parse, np.empty(0, dtype=dtype)

    def of(self, codes: np.ndarray) -> np.ndarray:
        known = len(self.table)
        if len(self.vocabulary.texts) > known:
            self.table = np.concatenate([self.table,
                                         self.parse(self.vocabulary.texts[known:])])
        return self.table[codes]


def _numbers_by(parser: Callable[[object], float | None]) -> Callable[[list[str]], np.ndarray]:
    def parse(texts: list[str]) -> np.ndarray:
        parsed = (parser(t) for t in texts)
        return np.fromiter((np.nan if v is None else v for v in parsed), dtype="float64",
                           count=len(texts))
    return parse


# The parsers a whole read uses for these fields (stages/hub.py), so both read alike:
# intent scores 0..100, activity counts 0..1e8.
_NUMBER_PARSERS: dict[str, Callable[[object], float | None]] = {
    "score": parse_score, **dict.fromkeys(ACTIVITY_FIELDS, parse_activity)}


def _dates_as(day_first: bool | None) -> Callable[[list[str]], np.ndarray]:
    """Texts to int64 nanoseconds (NaT's value when no date), as hub.timestamps reads."""
    def parse(texts: list[str]) -> np.ndarray:
        dates = pd.to_datetime(pd.Series([parse_date(t, day_first) for t in texts],
                                         dtype=object), errors="coerce")
        return dates.astype("datetime64[ns]").to_numpy().view("int64")
    return parse


# ---------------------------------------------------------------- folding the signal


class _IntentFold:
    """Intent rows the hub's intent summary can still read (hub.summarise_intent): rows
    with a score at their identity's latest date (all of them: the mean counts each),
    and the surges at the identity's latest surge date and latest relevant surge date.
    An older row can never be an account's latest: the account's latest date is at least
    each of its identities' latest. Those latest dates are kept per identity code (codes
    are dense), so a batch is pruned to its rows at them as it comes."""

    def __init__(self, config: Config, topics: _Vocabulary) -> None:
        self.threshold = config.intent.surge_threshold
        self.relevant = {t.casefold() for t in config.intent.relevant_topics()}
        self.topics = topics
        self.ours = np.zeros(0, dtype=bool)  # per topic text: one of the relevant topics
        # Per identity code: the latest date of a scored row, of a surge, of a relevant
        # surge (the smallest int64 while none).
        self.latest = np.zeros((3, 0), dtype=np.int64)
        self.state = self._empty()
        self.pending: list[dict[str, np.ndarray]] = []
        self.pending_rows = 0

    @staticmethod
    def _empty() -> dict[str, np.ndarray]:
        return {"code": np.empty(0, np.int64), "date": np.empty(0, np.int64),
                "topic": np.empty(0, np.int64), "score": np.empty(0)}

    def add(self, code: np.ndarray, cells: dict[str, np.ndarray], parsed: _Parsers) -> None:
        score = parsed.numbers("score", cells)
        scored = ~np.isnan(score)
        date = parsed.dates("date", cells)[scored]
        topic = cells.get("topic", np.full(len(code), self.topics.blank()))[scored]
        rows = {"code": code[scored], "date": np.where(date == _NAT, 0, date),
                "topic": topic, "score": score[scored]}
        self._grow(int(code.max(initial=-1)) + 1)
        for latest, chosen in zip(self.latest, self._kinds(rows), strict=True):
            np.maximum.at(latest, rows["code"][chosen], rows["date"][chosen])
        rows = _taken(rows, self._kept(rows))
        self.pending.append(rows)
        self.pending_rows += len(rows["code"])
        # Folded once the batches waiting outnumber the rows kept: linear in the file,
        # at most twice the kept rows (and a million) in memory.
        if self.pending_rows > max(len(self.state["code"]), BATCH_ROWS):
            self._fold()

    def _grow(self, codes: int) -> None:
        if codes > self.latest.shape[1]:
            more = np.full((3, codes - self.latest.shape[1]), _NAT, dtype=np.int64)
            self.latest = np.concatenate([self.latest, more], axis=1)
        texts = self.topics.texts
        if len(texts) > len(self.ours):
            self.ours = np.concatenate([self.ours, np.array(
                [t.strip().casefold() in self.relevant for t in texts[len(self.ours):]],
                dtype=bool)])

    def _kinds(self, rows: dict[str, np.ndarray]) -> list[np.ndarray]:
        """Which rows count for each latest date: every scored row, the surges, the
        surges of a relevant topic."""
        surge = rows["score"] >= self.threshold
        relevant = surge & self.ours[rows["topic"]] if self.relevant else np.zeros_like(surge)
        return [np.ones_like(surge), surge, relevant]

    def _kept(self, rows: dict[str, np.ndarray]) -> np.ndarray:
        code, date = rows["code"], rows["date"]
        keep = np.zeros(len(code), dtype=bool)
        for latest, chosen in zip(self.latest, self._kinds(rows), strict=True):
            keep |= chosen & (date == latest[code])
        return keep

    def _fold(self) -> None:
        rows = {name: np.concatenate([self.state[name], *(p[name] for p in self.pending)])
                for name in self.state}
        self.state = _taken(rows, self._kept(rows))
        self.pending, self.pending_rows = [], 0

    def result(self) -> pd.DataFrame:
        """code, topic (stripped text), score, date (datetime64; undated: the epoch)."""
        self._fold()
        texts = np.array([t.strip() for t in self.topics.texts] or [""], dtype=object)
        return pd.DataFrame({
            "code": self.state["code"],
            "topic": texts[self.state["topic"]],
            "score": self.state["score"],
            "date": self.state["date"].astype("datetime64[ns]"),
        })


def _taken(rows: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, np.ndarray]:
    return {name: values[keep] for name, values in rows.items()}


class _EngagementFold:
    """Per identity and week: the sum of each activity field and of all of them, whether
    any row was active, and the latest of each stated date (hub.summarise_engagement)."""

    def __init__(self, fields: list[str]) -> None:
        self.activity = [f for f in ACTIVITY_FIELDS if f in fields]
        self.dates = [f for f in ENGAGEMENT_DATE_FIELDS if f in fields]
        self.parts: list[pd.DataFrame] = []
        self.rows = 0

    def add(self, code: np.ndarray, cells: dict[str, np.ndarray], parsed: _Parsers) -> None:
        week = parsed.dates("date", cells) if "date" in cells else np.zeros(len(code), np.int64)
        batch = pd.DataFrame({"code": code, "week": np.where(week == _NAT, 0, week)})
        activity = np.zeros(len(code))
        for activity_name in self.activity:
            values = np.nan_to_num(parsed.numbers(activity_name, cells), nan=0.0)
            batch[activity_name] = values
            activity = activity + values
        batch["activity"] = activity
        batch["active"] = activity > 0
        for name in self.dates:
            batch[name] = parsed.dates(name, cells)
        self.parts.append(self._reduce(batch))
        self.rows += sum(len(p) for p in self.parts[-1:])
        if len(self.parts) > 1 and self.rows > 4 * len(self.parts[0]):
            self.parts = [self._reduce(pd.concat(self.parts, ignore_index=True))]
            self.rows = len(self.parts[0])

    def _reduce(self, frame: pd.DataFrame) -> pd.DataFrame:
        how = {**dict.fromkeys([*self.activity, "activity"], "sum"), "active": "max",
               **dict.fromkeys(self.dates, "max")}
        return frame.groupby(["code", "week"], sort=False, as_index=False).agg(how)

    def result(self) -> pd.DataFrame:
        """code, week (datetime64; undated: the epoch), sums, active, dates (NaT)."""
        if not self.parts:
            columns = ["code", "week", *self.activity, "activity", "active", *self.dates]
            return pd.DataFrame(columns=columns)
        frame = self._reduce(pd.concat(self.parts, ignore_index=True))
        frame["week"] = frame["week"].to_numpy().astype("datetime64[ns]")
        for name in self.dates:
            frame[name] = frame[name].to_numpy().astype("datetime64[ns]")
        return frame


class _Parsers:
    """Numbers and dates of the signal fields, parsed once per distinct text. Dates are
    read with the day-first choice of the texts seen so far; `settled` says whether
    that is still the choice over all of them (else the file is read again)."""

    def __init__(self, vocabularies: dict[str, _Vocabulary], day_first: dict[str, bool | None]
                 ) -> None:
        self.vocabularies = vocabularies
        self.given = day_first
        self.chosen: dict[str, bool | None] = {}
        self.tables: dict[str, _Parsed] = {}

    def numbers(self, name: str, cells: dict[str, np.ndarray]) -> np.ndarray:
        if name not in cells:
            return np.full(len(next(iter(cells.values()))), np.nan)
        if name not in self.tables:
            parser = _NUMBER_PARSERS.get(name, parse_number)
            self.tables[name] = _Parsed(self.vocabularies[name], _numbers_by(parser), "float64")
        return self.tables[name].of(cells[name])

    def dates(self, name: str, cells: dict[str, np.ndarray]) -> np.ndarray:
        if name not in cells:
            return np.full(len(next(iter(cells.values()))), _NAT, dtype=np.int64)
        if name not in self.tables:
            choice = self.given.get(name, decide_day_first(self.vocabularies[name].texts))
            self.chosen[name] = choice
            self.tables[name] = _Parsed(self.vocabularies[name], _dates_as(choice), "int64")
        return self.tables[name].of(cells[name])

    def unsettled(self) -> dict[str, bool | None]:
        """The date fields whose day-first choice over every text differs from the one
        used: {field: the right choice}."""
        return {name: decide_day_first(self.vocabularies[name].texts)
                for name, used in self.chosen.items()
                if decide_day_first(self.vocabularies[name].texts) != used}


# ---------------------------------------------------------------- the stream


class _Identities:
    """Distinct identities across batches: a code per tuple of field text ids. A row's
    tuple is found by a 64-bit hash of it in a hash index of the known tuples, then
    checked against the tuple of the code found; a batch where two tuples share a hash
    (in practice never) is coded tuple by tuple instead. Codes are given in the order of
    first rows."""

    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        self.first_rows: list[int] = []
        self._keys = np.zeros((0, max(len(fields), 1)), dtype=np.int32)  # per code: ids
        self._size = 0  # codes given; _keys has room for more
        self._hashes: pd.Index | None = None  # distinct hashes of tuples ...
        self._hash_codes = np.zeros(0, dtype=np.int64)  # ... and the code of each
        self.weights = np.zeros(0, dtype=np.int64)

    def add(self, cells: dict[str, np.ndarray], rows: np.ndarray) -> np.ndarray:
        """The identity code of each row."""
        ids = [cells[name] for name in self.fields] or [np.zeros(len(rows), np.int64)]
        hashes = _tuple_hashes(ids)
        found = (self._hashes.get_indexer(hashes) if self._hashes is not None
                 else np.full(len(rows), -1))
        codes = np.full(len(rows), -1, dtype=np.int64)
        codes[found >= 0] = self._hash_codes[found[found >= 0]]
        new = np.flatnonzero(codes < 0)
        groups, firsts = _first_of_each(hashes[new])
        codes[new] = self._size + groups
        keys = np.column_stack([i[new[firsts]] for i in ids]).astype(np.int32)
        known = np.concatenate([self._keys[:self._size], keys])
        if all(np.array_equal(known[codes, j], i) for j, i in enumerate(ids)):
            self._extend(keys, rows[new[firsts]], hashes[new[firsts]])
        else:  # two tuples share a hash
            codes = self._add_tuple_by_tuple(ids, rows, hashes)
        counts = np.bincount(codes, minlength=self._size)
        self.weights = np.concatenate([self.weights,
                                       np.zeros(len(counts) - len(self.weights), np.int64)])
        self.weights += counts
        return codes

    def _extend(self, keys: np.ndarray, first_rows: np.ndarray, hashes: np.ndarray) -> None:
        if not len(keys):
            return
        if self._size + len(keys) > len(self._keys):  # room doubles: appends stay linear
            room = np.zeros((max(2 * len(self._keys), self._size + len(keys)),
                             self._keys.shape[1]), dtype=np.int32)
            room[:self._size] = self._keys[:self._size]
            self._keys = room
        self._keys[self._size:self._size + len(keys)] = keys
        self._size += len(keys)
        codes = self._size - len(keys) + np.arange(len(keys))
        self.first_rows.extend(first_rows.tolist())
        # A tuple whose hash another has (rows with it are coded tuple by tuple) is left
        # out of the index.
        if self._hashes is not None:
            fresh = self._hashes.get_indexer(hashes) < 0
            hashes, codes = hashes[fresh], codes[fresh]
        unique, firsts = np.unique(hashes, return_index=True)
        index = pd.Index(unique)
        self._hashes = index if self._hashes is None else self._hashes.append(index)
        self._hash_codes = np.concatenate([self._hash_codes, codes[firsts]])

    def _add_tuple_by_tuple(self, ids: list[np.ndarray], rows: np.ndarray,
                            hashes: np.ndarray) -> np.ndarray:
        by_tuple = {tuple(key): code for code, key in enumerate(self._keys[:self._size].tolist())}
        codes = np.empty(len(rows), dtype=np.int64)
        new: list[int] = []
        for position, key in enumerate(zip(*(i.tolist() for i in ids), strict=True)):
            code = by_tuple.get(key)
            if code is None:
                code = by_tuple[key] = self._size + len(new)
                new.append(position)
            codes[position] = code
        chosen = np.array(new, dtype=np.int64)
        self._extend(np.column_stack([i[chosen] for i in ids]).astype(np.int32),
                     rows[chosen], hashes[chosen])
        return codes

    def frame(self, vocabularies: dict[str, _Vocabulary]) -> pd.DataFrame:
        # In code order, which is the order of first rows.
        ids = self._keys[:self._size]
        frame = pd.DataFrame({
            name: np.array(vocabularies[name].texts, dtype=object)[ids[:, i]]
            for i, name in enumerate(self.fields)})
        frame[ROW_COLUMN] = np.array(self.first_rows, dtype=np.int64)
        frame[WEIGHT_COLUMN] = self.weights
        return frame


def _tuple_hashes(ids: list[np.ndarray]) -> np.ndarray:
    """A 64-bit hash of each row's tuple of ids (FNV-1a over the ids, each step mixed
    down so that every bit of an id reaches every bit of the hash)."""
    hashes = np.full(len(ids[0]), 0xCBF29CE484222325, dtype=np.uint64)
    for column in ids:
        hashes ^= column.astype(np.uint64)
        hashes *= np.uint64(0x100000001B3)
        hashes ^= hashes >> np.uint64(29)
    return hashes


def _first_of_each(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group numbers of `values` in the order groups first appear, and the position of
    each group's first value."""
    groups = pd.factorize(values)[0].astype(np.int64)
    first = np.full(int(groups.max(initial=-1)) + 1, len(values), dtype=np.int64)
    np.minimum.at(first, groups, np.arange(len(values)))
    return groups, first


def stream_feed(path: Path, label: str, head: RawTable, layout: Layout, config: Config,
                batch_rows: int = BATCH_ROWS) -> Feed:
    """Stream the file `head` was read from (its first records) as `layout` says."""
    streamable_fields(layout)
    fields = _fields_by_column(head, layout)
    day_first: dict[str, bool | None] = {}
    while True:
        feed, parsers = _stream_once(path, label, head, layout, config, fields, day_first,
                                     batch_rows)
        unsettled = parsers.unsettled()
        if not unsettled:
            return feed
        # Rare: the dates seen later decide day-first otherwise than the first batch.
        feed.lineage.remove()
        day_first.update(unsettled)


def _fields_by_column(head: RawTable, layout: Layout) -> dict[str, str]:
    """Source column -> canonical field, for the fields a streamed source keeps (the
    last column mapped to a field wins, as in load.canonical_records)."""
    signal = set(SIGNAL_FIELDS[layout.family])
    by_field = {canonical: header for header, canonical in layout.columns.items()
                if canonical in signal or canonical in IDENTITY_KEPT}
    return {header: canonical for canonical, header in by_field.items()}


def _stream_once(path: Path, label: str, head: RawTable, layout: Layout, config: Config,
                 fields: dict[str, str], day_first: dict[str, bool | None], batch_rows: int
                 ) -> tuple[Feed, _Parsers]:
    vocabularies = {canonical: _Vocabulary() for canonical in fields.values()}
    identity_fields = [f for f in vocabularies if f not in SIGNAL_FIELDS[layout.family]]
    identities = _Identities(identity_fields)
    parsers = _Parsers(vocabularies, day_first)
    fold: _IntentFold | _EngagementFold = (
        _IntentFold(config, vocabularies.setdefault("topic", _Vocabulary()))
        if layout.family == "intent" else _EngagementFold(list(vocabularies)))
    rows_file = Path(tempfile.mkstemp(prefix="abm-lineage-", suffix=".bin")[1])
    skipped: list[SkippedRecord] = []
    written = offset = last_row = 0
    header_text = " ".join(c for c in head.header if c)
    try:
        with rows_file.open("wb") as out:
            known = {name: vocabularies[fields[name]].known for name in fields}
            for batch, found in _batches(path, head, list(fields), batch_rows, known):
                cells = {fields[name]: vocabularies[fields[name]].codes(batch.column(name),
                                                                        found.get(name))
                         for name in fields}
                rows = offset + 1 + np.arange(batch.num_rows, dtype=np.int64)
                offset += batch.num_rows
                data = _data_rows(cells, vocabularies, head, fields, rows, skipped,
                                  header_text)
                cells = {name: values[data] for name, values in cells.items()}
                rows = rows[data]
                if not len(rows):
                    continue
                codes = identities.add(cells, rows)
                fold.add(codes, cells, parsers)
                out.write(np.column_stack([rows, codes]).astype(np.int64).tobytes())
                written += len(rows)
                last_row = int(rows[-1])
    except BaseException:
        rows_file.unlink(missing_ok=True)
        raise
    _drop_trailing_blanks(skipped, last_row)
    frame = identities.frame(vocabularies)
    for name in IDENTITY_FIELDS:
        if name not in frame:
            frame[name] = ""
    feed = Feed(identities=frame, signal=fold.result(),
                lineage=FeedLineage(label, rows_file, written), data_rows=written,
                skipped=skipped, notes=_notes(path, written, skipped))
    return feed, parsers


def _data_rows(cells: dict[str, np.ndarray], vocabularies: dict[str, _Vocabulary],
               head: RawTable, fields: dict[str, str], rows: np.ndarray,
               skipped: list[SkippedRecord], header_text: str) -> np.ndarray:
    """Which rows are data: not blank (when every column is read) and not a repeated
    header row (those go to `skipped`, as read.py lists them)."""
    n = len(rows)
    data = np.ones(n, dtype=bool)
    if len(fields) == len(head.header):
        empty = np.ones(n, dtype=bool)
        for name, values in cells.items():
            empty &= values == vocabularies[name].ids.get("", -1)
        data &= ~empty
        skipped.extend(SkippedRecord(int(row), "", BLANK_RECORD) for row in rows[empty])
    repeated = np.ones(n, dtype=bool)
    for header, name in fields.items():
        like = vocabularies[name].ids_like(header)
        repeated &= np.isin(cells[name], like) if like else False
    for row in rows[repeated]:
        skipped.append(SkippedRecord(int(row), header_text, "repeated header row"))
    return data & ~repeated


def _drop_trailing_blanks(skipped: list[SkippedRecord], last_data_row: int) -> None:
    """Blank lines after the last line holding text end the file and are no records
    (as read.py reads a whole file); those before it stay listed, so the lineage
    accounts for every record."""
    last = max([last_data_row, *(s.row for s in skipped if s.reason != BLANK_RECORD)])
    skipped[:] = [s for s in skipped if s.reason != BLANK_RECORD or s.row < last]


def _notes(path: Path, rows: int, skipped: list[SkippedRecord]) -> list[str]:
    notes = [f"streamed: {rows:,} rows read in batches, not held in memory at once"]
    repeated = sum(s.reason != BLANK_RECORD for s in skipped)
    if repeated:
        notes.append(f"skipped {counted(repeated, 'repeated header row')} under the header")
    blank = len(skipped) - repeated
    if blank:
        notes.append(f"skipped {counted(blank, 'blank record')}")
    return notes


Known = dict[str, Callable[[], Any]]  # per column: its vocabulary's known texts, now


def _batches(path: Path, head: RawTable, columns: list[str], batch_rows: int, known: Known
             ) -> Iterator[tuple[Any, dict[str, Found]]]:
    """Record batches of `columns` (header names) from a CSV or Parquet file, each with
    the texts of columns already looked up in `known` (by the CSV's parsing threads)."""
    if head.encoding is None:  # a Parquet file: columns by name
        for batch in parquet_batches(path, columns, batch_rows):
            yield batch, {}
        return
    yield from _csv_batches(path, head, columns, min(BATCH_BYTES, batch_rows * 64), known)


def _csv_batches(path: Path, head: RawTable, columns: list[str], block: int, known: Known
                 ) -> Iterator[tuple[Any, dict[str, Found]]]:
    """Record batches of the CSV's `columns`, parsed a piece of about `block` bytes at a
    time. abm cuts the pieces itself, at record ends: pyarrow's streaming reader reads
    the file ahead of the folding and holds what it read (measured: 350 MB and more).
    `PARSERS` threads parse the next pieces while the caller folds this one (pyarrow
    parses without the interpreter lock), at most `PARSERS` + 1 pieces held, and look
    each batch's texts up in the known texts of when the piece was handed to them."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    _check_csv_head(head)
    names = [f"column {j}" for j in range(head.width)]
    wanted = {header: names[head.positions[head.header.index(header)]] for header in columns}
    encoding = "utf-8" if head.encoding in ("utf-8-sig", "ascii") else head.encoding
    convert = pacsv.ConvertOptions(
        include_columns=list(wanted.values()), strings_can_be_null=False,
        # Decoded straight into dictionary arrays: a feed repeats its texts.
        column_types=dict.fromkeys(wanted.values(), pa.dictionary(pa.int32(), pa.string())))

    def parse(piece: memoryview, skip: int) -> Any:
        invalid: list[str] = []

        def refuse_row(row: Any) -> str:
            invalid.append(f"a record with {row.actual_columns} cells where the header has "
                           f"{row.expected_columns} ({row.text[:80]!r})")
            return "skip"

        options = pacsv.ParseOptions(delimiter=head.delimiter, newlines_in_values=True,
                                     ignore_empty_lines=False, invalid_row_handler=refuse_row)
        try:
            table = pacsv.read_csv(pa.py_buffer(piece), read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=skip, encoding=encoding,
                block_size=len(piece) + 1, use_threads=False), parse_options=options,
                convert_options=convert)
        except (pa.ArrowInvalid, UnicodeDecodeError) as err:
            raise NotStreamable(f"the batch reader could not read it ({err})") from err
        if invalid:
            raise NotStreamable(invalid[0])
        return table

    def cut_and_parse(cut: Future[memoryview | None], skip: int, texts: dict[str, Any]
                      ) -> list[tuple[Any, dict[str, Found]]] | None:
        piece = cut.result()
        if piece is None:
            return None
        table = parse(piece, skip)
        if isinstance(piece.obj, bytearray):  # the table holds its own copies of the texts
            spare.put(piece.obj)
        batches = [batch.rename_columns(list(wanted)) for batch in table.to_batches()]
        return [(batch, {name: look_up(batch.column(name).dictionary, texts[name])
                         for name in wanted}) for batch in batches]

    # One thread cuts the pieces in order (reading and finding record ends), `PARSERS`
    # threads parse them; the folding takes each piece's table in order.
    skip = head.title_rows + 1  # the title rows and the header, in the first piece
    with (path.open("rb") as handle, ThreadPoolExecutor(1) as cutter,
          ThreadPoolExecutor(PARSERS) as parsers):
        spare: SimpleQueue[bytearray] = SimpleQueue()
        pieces = _record_pieces(handle, block, spare)
        waiting: deque[Future[Any]] = deque()
        try:
            while True:
                while len(waiting) <= PARSERS:
                    cut = cutter.submit(next, pieces, None)
                    texts = {name: known[name]() for name in wanted}
                    waiting.append(parsers.submit(cut_and_parse, cut, skip, texts))
                    skip = 0
                batches = waiting.popleft().result()
                if batches is None:
                    break
                yield from batches
        finally:
            for future in waiting:
                future.cancel()


def in_order(work: Callable[[Any], Any], items: Iterator[Any], threads: int) -> Iterator[Any]:
    """`work` of each item, in order, done on `threads` threads (work that releases the
    interpreter lock, as pyarrow's does), at most `threads` + 1 items taken ahead."""
    with ThreadPoolExecutor(threads) as pool:
        waiting: deque[Future[Any]] = deque()
        try:
            for item in items:
                waiting.append(pool.submit(work, item))
                if len(waiting) > threads:
                    yield waiting.popleft().result()
            while waiting:
                yield waiting.popleft().result()
        finally:
            for future in waiting:
                future.cancel()


def _record_pieces(handle: Any, block: int, spare: SimpleQueue[bytearray] | None = None
                   ) -> Iterator[memoryview]:
    """The file in pieces of about `block` bytes, each ending at the end of a record: at
    a line end with an even number of quotes before it in the piece (a line end inside a
    quoted cell is not a record end). Each piece is read into a buffer of its own, the
    start of a record cut off the previous piece copied in front: no other copy. Buffers
    put back in `spare` once parsed are used again (a new buffer costs a page fault per
    4 KB: half the time of reading a file from the page cache)."""
    rest = b""
    while True:
        size = len(rest) + block
        buffer = _buffer(spare, size, block + (block >> 4))
        buffer[:len(rest)] = rest
        read = handle.readinto(memoryview(buffer)[len(rest):size])
        filled = len(rest) + read
        if not read:
            if rest:
                yield memoryview(buffer)[:filled]
            return
        cut = _record_end(buffer, filled)
        if cut < 0:  # one record longer than the block: read on
            rest = bytes(buffer[:filled])
            if spare is not None:
                spare.put(buffer)
            continue
        yield memoryview(buffer)[:cut + 1]
        rest = bytes(buffer[cut + 1:filled])


def _buffer(spare: SimpleQueue[bytearray] | None, size: int, room: int) -> bytearray:
    """A spare buffer of at least `size` bytes, else a new one of at least `room` (so
    that it fits the pieces after: a piece is the block and the record cut off before
    it); smaller spares go."""
    while spare is not None and not spare.empty():
        buffer = spare.get()
        if len(buffer) >= size:
            return buffer
    return bytearray(max(size, room))


def _record_end(piece: bytearray, size: int) -> int:
    """Index of the last line end in `piece[:size]` that ends a record, -1 when none."""
    cut = piece.rfind(b"\n", 0, size)
    while cut >= 0 and piece.count(b'"', 0, cut) % 2:
        cut = piece.rfind(b"\n", 0, cut)
    return cut


def _check_csv_head(head: RawTable) -> None:
    """What the batch reader reads as read.py does; anything else is read whole."""
    if head.encoding not in STREAMED_ENCODINGS:
        raise NotStreamable(f"its encoding ({head.encoding}) is read only whole")
    if head.ragged_rows:
        listed = ", ".join(str(r) for r in head.ragged_rows[:3])
        raise NotStreamable(f"record {listed} has more or fewer cells than its header")
    # Blank records the batches list themselves; footers and notes they cannot tell.
    if head.footer_rows or any(s.reason != BLANK_RECORD for s in head.skipped):
        raise NotStreamable("it has footer or repeated header lines near its top")
    if len(head.positions) != head.width or head.positions != list(range(head.width)):
        raise NotStreamable("its header has blank or repeated column names")


HEAD_ROWS = 10_000  # records of a Parquet file read to recognise its layout


def parquet_head_table(path: Path) -> RawTable:
    """The first records of a Parquet file as text, like read.read_head_table."""
    names = parquet_columns(path)
    if len({n.strip().casefold() for n in names}) != len(names) or not all(
            n.strip() for n in names):
        raise NotStreamable("its column names are blank or repeated")
    first = next(parquet_batches(path, names, HEAD_ROWS), None)
    columns = {name: column_text(first.column(name)) if first is not None else []
               for name in names}
    rows = pd.DataFrame(columns, dtype=object)
    rows.columns = pd.Index(names, dtype=object)
    return RawTable(path=path, sheet=None, encoding=None, delimiter=None, header=names,
                    rows=rows, row_numbers=np.arange(1, len(rows) + 1), title_rows=0,
                    footer_rows=[], blank_rows=0, ragged_rows=[],
                    positions=list(range(len(names))), width=len(names))


def refused_whole(error: InputFileError, reason: str) -> InputFileError:
    """The size refusal of reading a file whole, saying why it was not streamed."""
    return InputFileError(error.path, f"{error.problem}; it could not be streamed instead: "
                          f"{reason}", error.hint)
