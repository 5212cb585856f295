"""`abm merge` as a library call: load every source, match rows, build the hub.

`merge_files` returns a `MergeResult` with the hub, the lineage of every input row,
the pairs a reviewer should look at, the rejected rows and the counts for a summary.
Nothing is printed here; the CLI renders the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from abmcli.config import Config
from abmcli.errors import AbmError
from abmcli.fields import (
    CRM_ID_FIELD,
    EVIDENCE_FIELDS,
    FAMILIES,
    FILE_COLUMN,
    IDENTITY_FIELDS,
    MEASURE_FAMILIES,
    ROW_COLUMN,
    WEIGHT_COLUMN,
)
from abmcli.keys.domains import forget_parsed_values
from abmcli.keys.names import forget_parsed_names
from abmcli.matching.crm_ids import CRM_ID
from abmcli.matching.decisions import Decisions, read_decisions
from abmcli.matching.match import (
    DECISION,
    DOMAIN,
    FUZZY,
    NAME,
    REJECTED,
    MatchResult,
    account_id,
    match_rows,
)
from abmcli.safe import csv_lines
from abmcli.sources.feeds import STREAM_OVER_BYTES, FeedLineage, in_order
from abmcli.sources.load import Source, load_source
from abmcli.sources.read import split_sheet_spec
from abmcli.stages.hub import KEY, build_hub
from abmcli.workers import Crew

LINEAGE_COLUMNS = ["source_file", "row", "account_id", "match", "score", "reason"]
MATCH_KINDS = (DOMAIN, CRM_ID, NAME, FUZZY, DECISION, REJECTED)
LINEAGE_THREADS = 2  # threads joining a streamed feed's lineage lines, in pyarrow

Progress = Callable[[str], None]
# Given each family's matched records (with the account key), the records to build the
# hub from and further rows for the hub's account frame: how `abm run` adds what it
# remembers from earlier weeks (memory.py).
Remember = Callable[[dict[str, pd.DataFrame]], tuple[dict[str, pd.DataFrame], pd.DataFrame]]


@dataclass(frozen=True)
class InputSpec:
    """A file to merge, with the family the user gave for it (None: detect)."""

    path: str
    family: str | None = None


@dataclass
class FileSummary:
    source_file: str
    family: str
    vendor: str
    rows: int
    matched: dict[str, int]
    notes: list[str]
    warnings: list[str] = field(default_factory=list)  # e.g. a family that looks wrong


@dataclass
class StreamedLineage:
    """The lineage of a streamed file: where each identity went, and the (row, identity)
    pairs on disk (feeds.FeedLineage); expanded row by row only when written."""

    label: str  # the source's label
    rows: FeedLineage
    outcomes: pd.DataFrame  # per identity code: LINEAGE_COLUMNS but row, and _weight

    def frames(self) -> Iterator[pd.DataFrame]:
        outcomes = self.outcomes.drop(columns=[WEIGHT_COLUMN])
        for rows, codes in self.rows.chunks():
            frame = outcomes.iloc[codes].reset_index(drop=True)
            frame.insert(1, "row", rows)
            yield frame[LINEAGE_COLUMNS]

    def csv_text(self) -> Iterator[memoryview]:
        """The lineage as UTF-8 CSV lines, a batch of rows at a time: each identity's
        line is made once, then repeated with each of its row numbers. The lines are
        joined in pyarrow (a feed's lineage runs to tens of millions of lines): each
        batch's text is the data buffer of one string array."""
        import pyarrow as pa
        import pyarrow.compute as pc

        head = csv_lines(self.outcomes[["source_file"]].head(1))
        tails = pa.array([f"{line}\n" for line in csv_lines(self.outcomes[LINEAGE_COLUMNS[2:]])],
                         type=pa.large_string())
        first = pa.scalar(head[0] if head else "", pa.large_string())
        comma = pa.scalar(",", pa.large_string())

        def text(chunk: tuple[np.ndarray, np.ndarray]) -> memoryview:
            rows, codes = chunk
            numbers = pa.array(rows).cast(pa.string()).cast(pa.large_string())
            return _text_of(pc.binary_join_element_wise(
                first, numbers, tails.take(pa.array(codes)), comma))

        yield from in_order(text, self.rows.chunks(), LINEAGE_THREADS)

    def match_counts(self) -> pd.Series:
        return self.outcomes.groupby("match")[WEIGHT_COLUMN].sum()


def _text_of(lines: Any) -> memoryview:
    """The text of a (large) string array's values, end to end: its data buffer."""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
    start, end = offsets[lines.offset], offsets[lines.offset + len(lines)]
    return memoryview(lines.buffers()[2])[start:end]


# Review kinds: a pair a reviewer decides, and a look-alike the evidence already
# separates (another ticker on one exchange, another country), listed last.
CANDIDATE, SEPARATED = "candidate", "separated"


@dataclass
class MergeResult:
    sources: list[Source]
    hub: pd.DataFrame
    lineage: pd.DataFrame  # every input row but those of streamed files (`streamed`)
    review: pd.DataFrame
    rejected: pd.DataFrame
    files: list[FileSummary] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. decisions not applied
    streamed: list[StreamedLineage] = field(default_factory=list)

    @property
    def rows_in(self) -> int:
        """Data rows plus the records skipped (footers, repeated headers, blank records)."""
        return sum(s.rows + len(s.table.skipped) for s in self.sources)

    @property
    def lineage_rows(self) -> int:
        return len(self.lineage) + sum(part.rows.rows for part in self.streamed)

    def lineage_frames(self) -> Iterator[pd.DataFrame]:
        """The whole lineage in parts: the rows held in memory, then each streamed file's
        in batches."""
        yield self.lineage[LINEAGE_COLUMNS]
        for part in self.streamed:
            yield from part.frames()

    def lineage_csv_parts(self) -> Iterator[pd.DataFrame | memoryview]:
        """The whole lineage for `safe.write_csv_parts`: the rows held in memory as a
        frame, then each streamed file's rows as CSV text, a batch at a time, so that a
        lineage larger than memory is written in bounded memory."""
        yield self.lineage[LINEAGE_COLUMNS]
        for part in self.streamed:
            yield from part.csv_text()

    def full_lineage(self) -> pd.DataFrame:
        """The whole lineage as one frame (for small merges: the Lineage sheet)."""
        return pd.concat(list(self.lineage_frames()), ignore_index=True)

    def match_counts(self) -> dict[str, int]:
        counts = self.lineage["match"].value_counts()
        for part in self.streamed:
            counts = counts.add(part.match_counts(), fill_value=0)
        return {kind: int(counts.get(kind, 0)) for kind in MATCH_KINDS}

    def coverage(self) -> dict[str, float]:
        """Share of accounts with data from each family."""
        if self.hub.empty:
            return dict.fromkeys(FAMILIES, 0.0)
        return {f: float(self.hub[f"has_{f}"].mean()) for f in FAMILIES}

    def open_candidate_rows(self) -> pd.DataFrame:
        """The Review rows a reviewer decides: what the decisions file is given."""
        return self.review[self.review["kind"] == CANDIDATE] if len(self.review) else (
            self.review)

    def open_candidates(self) -> int:
        return len(self.open_candidate_rows())

    def separated_pairs(self) -> int:
        """Look-alike pairs listed on Review whose evidence already sets them apart."""
        return int((self.review["kind"] == SEPARATED).sum()) if len(self.review) else 0


def merge_files(
    inputs: Sequence[InputSpec],
    config: Config,
    decisions_path: Path | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    stream_over: int | None = STREAM_OVER_BYTES,
) -> MergeResult:
    """Load `inputs`, apply the reviewer's decisions, and merge them into a hub.
    Intent and engagement files over `stream_over` bytes are streamed (feeds.py)."""
    step = progress or (lambda _: None)
    sources = []
    for spec in distinct_inputs(inputs):
        step(f"reading {spec.path}")
        sources.append(load_source(spec.path, family=spec.family, config=config,
                                   encoding=encoding, stream_over=stream_over))
    return merge_sources(sources, config, read_decisions(decisions_path), step)


def distinct_inputs(inputs: Sequence[InputSpec]) -> list[InputSpec]:
    """Each file once: `abm merge exports/*.csv --crm exports/sfdc.csv` names sfdc.csv
    twice, and merging it twice would count its rows twice. The given family wins."""
    chosen: dict[str, InputSpec] = {}
    for spec in inputs:
        path, sheet = split_sheet_spec(spec.path)
        key = f"{path.resolve()}:{sheet or ''}"
        earlier = chosen.get(key)
        if earlier and earlier.family and spec.family and earlier.family != spec.family:
            raise AbmError(f"{spec.path}: given as both {earlier.family} and {spec.family}; "
                           "give each file one family")
        if earlier is None or (spec.family and not earlier.family):
            chosen[key] = spec if earlier is None else InputSpec(earlier.path, spec.family)
    return list(chosen.values())


def merge_sources(
    sources: list[Source], config: Config, decisions: Decisions | None = None,
    progress: Progress | None = None, remember: Remember | None = None,
    crew: Crew | None = None,
) -> MergeResult:
    """Match the rows of loaded `sources` into accounts and aggregate the hub
    (with `remember`, from the records it returns; with `crew`, partly in a worker)."""
    step = progress or (lambda _: None)
    _refuse_measure_sources(sources)
    identities = _identities(sources)
    step(f"matching {len(identities):,} rows")
    matched = match_rows(identities, config.match, decisions, _found_keys(sources))
    # Every row is keyed: the key caches would only add to the peak of building and
    # writing the hub (issue 16's 1 GB at 100,000 accounts).
    forget_parsed_values()
    forget_parsed_names()
    keyed = identities[["source", "family", *IDENTITY_FIELDS, ROW_COLUMN]]
    del identities  # its evidence columns (country, city, phone ...) served the matching
    rows = pd.concat([keyed.rename(columns={"domain": "domain_raw"}), matched.rows], axis=1)
    rows["source_file"] = rows["source"].map(dict(enumerate(s.label for s in sources)))
    step("building the account hub")
    hub_rows = rows
    if remember is None:
        family_rows = _family_rows(sources, rows)
    else:  # a streamed feed holds its history itself: the memory keeps the other files'
        family_rows, remembered = remember(_family_rows(sources, rows, feeds=False))
        family_rows = _with_feed_rows(family_rows, sources, rows)
        if len(remembered):
            hub_rows = pd.concat([rows, remembered], ignore_index=True)
    hub = build_hub(family_rows, hub_rows, config, _feed_signals(sources, rows), crew)
    skipped = _skipped_records(sources)
    in_memory = ~_feed_rows_mask(sources, rows)
    lineage = pd.concat([_lineage(rows[in_memory]), skipped[LINEAGE_COLUMNS]],
                        ignore_index=True)
    rejected = pd.concat([_rejected(rows), skipped[REJECTED_COLUMNS]], ignore_index=True)
    result = MergeResult(
        sources=sources, hub=hub.reset_index(drop=True), lineage=lineage,
        review=_review(matched, hub["account_name"]), rejected=rejected,
        streamed=_streamed_lineage(sources, rows),
    )
    result.files = _file_summaries(sources, lineage, result.streamed)
    result.warnings = list(decisions.warnings) if decisions is not None else []
    result.warnings += config.unused_mappings([source.path for source in sources])
    return result


def _refuse_measure_sources(sources: list[Source]) -> None:
    """Contacts and opportunities belong to accounts; merging them would make every
    contact's company a new account."""
    for source in sources:
        if source.family in MEASURE_FAMILIES:
            raise AbmError(
                f"{source.label}: is read as {source.family} (a [[mapping]] family says so); "
                f"abm merge does not merge {source.family} into accounts. Give it to abm "
                f"measure --{source.family} FILE, or leave it out of the merge")


def _identities(sources: list[Source]) -> pd.DataFrame:
    """Per input row: the identity fields, and the evidence fields (country, city,
    phone ...) that any source carries, "" where a row has none."""
    evidence = [f for f in (*EVIDENCE_FIELDS, CRM_ID_FIELD)
                if any(f in s.records.columns for s in sources)]
    frames = []
    for number, source in enumerate(sources):
        present = [f for f in evidence if f in source.records.columns]
        frame = source.records[[*IDENTITY_FIELDS, *present, ROW_COLUMN]].copy()
        frame.insert(0, "source", number)
        frame.insert(1, "family", source.family)
        frame[WEIGHT_COLUMN] = (source.records[WEIGHT_COLUMN] if source.feed is not None
                                else 1)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["source", "family", *IDENTITY_FIELDS, ROW_COLUMN,
                                     WEIGHT_COLUMN])
    identities = pd.concat(frames, ignore_index=True)
    for column in [*IDENTITY_FIELDS, *evidence]:
        identities[column] = identities[column].fillna("").astype(str)
    return identities


def identity_text(records: pd.DataFrame) -> pd.DataFrame:
    """A source's identity fields as matching reads them: text, "" for none."""
    return pd.DataFrame({field: records[field].fillna("").astype(str)
                         for field in IDENTITY_FIELDS}, index=records.index)


def _found_keys(sources: list[Source]) -> pd.DataFrame | None:
    """The rows' match keys, in `_identities`' order, when every source came with them
    (then taken from the sources: the run holds them once, while it matches)."""
    if not sources or any(source.match_keys is None for source in sources):
        return None
    keys = pd.concat([source.match_keys for source in sources], ignore_index=True)
    for source in sources:
        source.match_keys = None
    return keys


def _source_spans(sources: list[Source]) -> Iterator[tuple[Source, int, int]]:
    """Each source with the span of its records in the matched rows (a streamed file
    has one record per distinct identity there)."""
    start = 0
    for source in sources:
        end = start + len(source.records)
        yield source, start, end
        start = end


def _family_rows(sources: list[Source], rows: pd.DataFrame, feeds: bool = True
                 ) -> dict[str, pd.DataFrame]:
    """Each family's records (all its files) with the account each row went to."""
    by_family: dict[str, list[pd.DataFrame]] = {}
    for source, start, end in _source_spans(sources):
        if source.feed is not None and not feeds:
            continue
        records = source.records.assign(**{KEY: rows[KEY].iloc[start:end].to_numpy(),
                                           FILE_COLUMN: source.label})
        by_family.setdefault(source.family, []).append(records[records[KEY].notna()])
    return {family: pd.concat(frames, ignore_index=True) for family, frames in by_family.items()}


def _with_feed_rows(family_rows: dict[str, pd.DataFrame], sources: list[Source],
                    rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """`family_rows` with the identity records of the streamed files added."""
    feeds = [s for s in sources if s.feed is not None]
    if not feeds:
        return family_rows
    only = _family_rows(feeds, rows.iloc[_feed_positions(sources, rows)].reset_index(drop=True))
    merged = dict(family_rows)
    for family, records in only.items():
        merged[family] = pd.concat([r for r in (family_rows.get(family), records)
                                    if r is not None], ignore_index=True)
    return merged


def _feed_positions(sources: list[Source], rows: pd.DataFrame) -> np.ndarray:
    return np.flatnonzero(_feed_rows_mask(sources, rows))


def _feed_rows_mask(sources: list[Source], rows: pd.DataFrame) -> np.ndarray:
    mask = np.zeros(len(rows), dtype=bool)
    for source, start, end in _source_spans(sources):
        mask[start:end] = source.feed is not None
    return mask


def _feed_signals(sources: list[Source], rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The folded intent and engagement rows of the streamed files, keyed by account
    (rows of identities that matched no account are left out, as records are)."""
    by_family: dict[str, list[pd.DataFrame]] = {}
    for source, start, end in _source_spans(sources):
        if source.feed is None:
            continue
        keys = rows[KEY].iloc[start:end].to_numpy(dtype=object)
        signal = source.feed.signal
        keyed = signal.drop(columns=["code"]).assign(
            **{KEY: keys[signal["code"].to_numpy(dtype=np.int64)]})
        by_family.setdefault(source.family, []).append(keyed[keyed[KEY].notna()])
    return {family: pd.concat(frames, ignore_index=True) for family, frames in by_family.items()}


def _streamed_lineage(sources: list[Source], rows: pd.DataFrame) -> list[StreamedLineage]:
    parts = []
    for source, start, end in _source_spans(sources):
        if source.feed is None:
            continue
        outcomes = _lineage(rows.iloc[start:end]).drop(columns=["row"]).reset_index(drop=True)
        outcomes[WEIGHT_COLUMN] = rows[WEIGHT_COLUMN].iloc[start:end].to_numpy()
        parts.append(StreamedLineage(source.label, source.feed.lineage, outcomes))
    return parts


def _lineage(rows: pd.DataFrame) -> pd.DataFrame:
    keys = pd.unique(rows[KEY].dropna())
    ids = dict(zip(keys, map(account_id, keys), strict=True))
    # With every row rejected the mapped ids are a float column of NaN, which pandas
    # will refuse to fill with text.
    account_ids = rows[KEY].map(ids).fillna("") if ids else pd.Series("", index=rows.index)
    return pd.DataFrame({
        "source_file": rows["source_file"],
        "row": rows[ROW_COLUMN].astype("int64"),
        "account_id": account_ids,
        "match": rows["match"],
        "score": rows["score"].round(1),
        "reason": rows["reason"],
    })


def _review(matched: MatchResult, names: pd.Series) -> pd.DataFrame:
    """Candidates (not merged) and fuzzy merges (merged), best score first; then, for the
    record, the look-alikes whose evidence already says two companies (`separated`:
    no decision needed, so not in the decisions file nor counted as open)."""
    separated = matched.candidates["separated"].astype(bool).to_numpy()
    candidates = matched.candidates.drop(columns="separated").assign(
        kind=np.where(separated, SEPARATED, CANDIDATE))
    fuzzy = matched.fuzzy.assign(kind="fuzzy merge")
    review = pd.concat([candidates, fuzzy], ignore_index=True)
    review["name_a"] = review["key_a"].map(names).fillna(review["key_a"].str.removeprefix("name:"))
    review["name_b"] = review["key_b"].map(names)
    review["decision"] = ""
    review["note"] = ""
    review["last"] = review["kind"].eq(SEPARATED)
    review = review.sort_values(["last", "score", "key_a", "key_b"],
                                ascending=[True, False, True, True], ignore_index=True)
    return review[["kind", "key_a", "name_a", "key_b", "name_b", "score", "reason",
                   "decision", "note"]]


REJECTED_COLUMNS = ["source_file", "row", "name", "website", "email", "reason"]


def _skipped_records(sources: list[Source]) -> pd.DataFrame:
    """Footers, repeated header rows and blank records of each file, rejected with
    their text, so the lineage holds every record under the header."""
    records = [{"source_file": source.label, "row": record.row, "account_id": "",
                "match": REJECTED, "score": float("nan"), "name": record.text,
                "website": "", "email": "",
                "reason": f"{record.reason}: {record.text}" if record.text else record.reason}
               for source in sources for record in source.table.skipped]
    columns = list(dict.fromkeys(LINEAGE_COLUMNS + REJECTED_COLUMNS))
    frame = pd.DataFrame(records, columns=columns)
    return frame.astype({"row": "int64", "score": "float64"})


def _rejected(rows: pd.DataFrame) -> pd.DataFrame:
    rejected = rows[rows["match"] == REJECTED]
    return pd.DataFrame({
        "source_file": rejected["source_file"], "row": rejected[ROW_COLUMN],
        "name": rejected["name"], "website": rejected["domain_raw"],
        "email": rejected["email"], "reason": rejected["reason"],
    }).reset_index(drop=True)


def _file_summaries(sources: list[Source], lineage: pd.DataFrame,
                    streamed: list[StreamedLineage]) -> list[FileSummary]:
    summaries = []
    for source in sources:
        counts = lineage.loc[lineage["source_file"] == source.label, "match"].value_counts()
        for part in streamed:
            if part.label == source.label:
                counts = counts.add(part.match_counts(), fill_value=0)
        summaries.append(FileSummary(
            source_file=source.label, family=source.family, vendor=source.layout.vendor,
            rows=source.rows + len(source.table.skipped),
            matched={k: int(counts.get(k, 0)) for k in MATCH_KINDS},
            notes=source.notes, warnings=list(source.layout.warnings),
        ))
    return summaries

