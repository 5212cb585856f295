"""Load one vendor file into a source table of canonical fields.

`load_source` = read the file (`read.read_table`), recognise its layout
(`layouts.recognise`), and rename the mapped columns to canonical field names. Every
record keeps its 1-based data-row number in `_row` for lineage.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from abmcli.config import Config
from abmcli.errors import AbmError, InputFileError
from abmcli.fields import IDENTITY_FIELDS, ROW_COLUMN
from abmcli.keys.countries import split_location
from abmcli.keys.tickers import header_exchange, names_an_exchange
from abmcli.keys.units import (
    ColumnUnit,
    apply_units,
    decide_units,
    english_marks,
    unit_notes,
)
from abmcli.keys.values import blank_placeholders, parse_dates
from abmcli.sources.feeds import (
    BATCH_ROWS,
    Feed,
    NotStreamable,
    parquet_head_table,
    refused_whole,
    stream_feed,
    streamable_fields,
)
from abmcli.sources.layouts import Layout, recognise
from abmcli.sources.links import legacy_link_note, linked_domains
from abmcli.sources.parquet import is_parquet
from abmcli.sources.read import (
    RawTable,
    TooLargeError,
    is_workbook,
    read_head_table,
    read_table,
    split_sheet_spec,
)
from abmcli.sources.sitecolumns import check_domain_column
from abmcli.sources.unread import DATE_FIELDS, date_order_notes, unread_notes
from abmcli.xlsx.workbook import sheet_names


@dataclass
class Source:
    """One loaded input file: its layout and its rows as canonical fields."""

    label: str  # how the user named the file; shown in summaries and lineage
    path: Path
    layout: Layout
    table: RawTable
    records: pd.DataFrame  # canonical field columns (text) + `_row`
    notes: list[str] = field(default_factory=list)
    units: dict[str, ColumnUnit] = field(default_factory=dict)  # scaled field -> its unit
    # A streamed file (feeds.py): `records` then holds one record per distinct identity,
    # with `_weight` input rows each; the folded signal and the lineage are here.
    feed: Feed | None = None
    # Per record its match keys (matching's `identity_keys`), where the process that read
    # the file found them (abm run's reading workers); None: matching finds them.
    match_keys: pd.DataFrame | None = None

    @property
    def family(self) -> str:
        return self.layout.family

    @property
    def rows(self) -> int:
        return self.feed.data_rows if self.feed is not None else len(self.records)


def load_source(
    spec: str | Path,
    family: str | None = None,
    config: Config | None = None,
    encoding: str | None = None,
    stream_over: int | None = None,
    batch_rows: int = BATCH_ROWS,
) -> Source:
    """Read `spec` ("file.csv", "file.xlsx" or "file.xlsx:Sheet") as a source of `family`.

    The family and column mapping are detected from the header row unless `family` or
    an explicit `[[mapping]]` in the config says otherwise. With `stream_over`, an intent
    or engagement CSV or Parquet file larger than that many bytes is streamed
    (feeds.py) instead of read whole, `batch_rows` rows at a time (about: a CSV is read
    in blocks of bytes).
    """
    path, sheet = split_sheet_spec(str(spec))
    not_streamed = ""
    if stream_over is not None and sheet is None and _larger_than(path, stream_over):
        try:
            return _streamed_source(str(spec), path, family, config, encoding, batch_rows)
        except NotStreamable as reason:
            not_streamed = str(reason)
    try:
        table = _read_whole(path, encoding, sheet, not_streamed,
                            (config or Config()).limits.max_input_bytes())
        mapping = config.mapping_for(path) if config else None
        layout = recognise(table.header, path=path, mapping=mapping, family=family)
    except InputFileError as error:
        if sheet is not None or not is_workbook(path):
            raise
        raise _with_other_sheets(error, path) from error
    notes = list(table.notes)
    layout, domain_notes = check_domain_column(table, layout)
    records = split_locations(
        blank_placeholders(canonical_records(table, layout), IDENTITY_FIELDS))
    records = tickers_on_exchanges(records, header_exchange(_header_of_field(layout, "ticker")))
    records, link_notes = linked_domains(records, table.links, table.computed_links,
                                         layout.columns)
    link_notes += legacy_link_note(path, records, _header_of_field(layout, "domain"))
    # Only the mapped columns stay (inspect shows them as read): a wide export's other
    # columns would otherwise stay in memory for the whole merge.
    table = replace(table, rows=table.rows[list(layout.columns)])
    day_first = mapping.day_first if mapping is not None else None
    if day_first is None:
        date_notes = date_order_notes(records, layout, path.name)
    else:
        records, date_notes = dates_in_order(records, day_first), []
    records, mark_notes = english_marks(records, layout)
    units = decide_units(records, layout)
    records = apply_units(records, units)
    return Source(
        label=str(spec), path=path, layout=layout, table=table, records=records,
        notes=[*notes, *domain_notes, *link_notes, *date_notes, *mark_notes,
               *unit_notes(units, layout),
               *unread_notes(records, layout)],
        units=units,
    )


def _header_of_field(layout: Layout, canonical: str) -> str | None:
    return next((h for h, f in layout.columns.items() if f == canonical), None)


def _larger_than(path: Path, size: int) -> bool:
    try:
        return path.is_file() and path.stat().st_size > size
    except OSError:
        return False  # read_table says what is wrong with it


def _read_whole(path: Path, encoding: str | None, sheet: str | None, not_streamed: str,
                max_bytes: int) -> RawTable:
    try:
        return read_table(path, encoding=encoding, sheet=sheet, max_bytes=max_bytes)
    except TooLargeError as error:
        if not not_streamed:
            raise
        raise refused_whole(error, not_streamed) from error


def _streamed_source(label: str, path: Path, family: str | None, config: Config | None,
                     encoding: str | None, batch_rows: int) -> Source:
    """An intent or engagement file read in batches (feeds.py); NotStreamable when it
    cannot be read that way exactly."""
    head = _head_table(path, encoding)
    layout = recognise(head.header, path=path, mapping=config.mapping_for(path) if config
                       else None, family=family)
    streamable_fields(layout)
    layout, domain_notes = check_domain_column(head, layout)
    feed = stream_feed(path, label, head, layout, config or Config(), batch_rows)
    records = blank_placeholders(feed.identities, IDENTITY_FIELDS)
    units = decide_units(records, layout)
    records = apply_units(records, units)
    table = replace(head, rows=head.rows[[h for h in layout.columns if h in head.rows]],
                    skipped=feed.skipped, notes=[*head.notes, *feed.notes])
    return Source(label=label, path=path, layout=layout, table=table, records=records,
                  notes=[*table.notes, *domain_notes, *unit_notes(units, layout)],
                  units=units, feed=feed)


def _head_table(path: Path, encoding: str | None) -> RawTable:
    """The first records of a large file, to recognise its layout before streaming."""
    with path.open("rb") as handle:
        magic = handle.read(8)
    if is_parquet(magic):
        return parquet_head_table(path)
    if magic.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise NotStreamable("workbooks are read whole")
    return read_head_table(path, encoding)


def _with_other_sheets(error: InputFileError, path: Path) -> InputFileError:
    """The first sheet held no accounts: say which other sheets there are to pick."""
    try:
        names = sheet_names(path)
    except AbmError:  # not a readable workbook: the reader's own message says it best
        return error
    if len(names) < 2:
        return error
    return type(error)(
        path, f"its first sheet '{names[0]}' holds no account table ({error.problem})",
        f"Pick the sheet with the accounts, e.g. '{path}:{names[1]}' "
        f"(sheets: {', '.join(names)})")


def dates_in_order(records: pd.DataFrame, day_first: bool) -> pd.DataFrame:
    """`records` with each readable date written as ISO text, read in the order the
    config's [[mapping]] day_first gives, so no later reading can take the other order;
    an unreadable date stays as written, for the notes on unread cells."""
    ordered = records.copy(deep=False)
    for name in (date for date in DATE_FIELDS if date in records):
        parsed = parse_dates(records[name], day_first)
        iso = parsed.map(lambda day: day.isoformat() if day is not None else None)
        ordered[name] = iso.where(iso.notna(), records[name])
    return ordered


def tickers_on_exchanges(records: pd.DataFrame, from_header: str) -> pd.DataFrame:
    """Each ticker with its exchange ("ASX: AGL") where the row's exchange column or the
    ticker column's header ("ASX code") names one and the cell does not: "AVX" is
    Avexa on the ASX and AVX Corporation on the NYSE (keys/tickers.py)."""
    if "ticker" not in records or ("exchange" not in records and not from_header):
        return records
    tickers = records["ticker"].fillna("").astype(str).str.strip()
    exchanges = (records["exchange"].fillna("").astype(str).str.strip()
                 if "exchange" in records else pd.Series("", index=records.index))
    named_exchanges = {value: names_an_exchange(value) for value in pd.unique(exchanges)}
    exchanges = exchanges.where(exchanges.map(named_exchanges), from_header)
    named = (tickers != "") & (exchanges != "") & ~tickers.str.contains(":", regex=False)
    if not named.any():
        return records
    records = records.copy()
    records.loc[named, "ticker"] = exchanges[named] + ": " + tickers[named]
    return records


def split_locations(records: pd.DataFrame) -> pd.DataFrame:
    """A `location` cell ("Redmond, WA, USA") as city, state and country, each where the
    row has none of its own (a Country column wins)."""
    if "location" not in records:
        return records
    split = {value: split_location(value) for value in pd.unique(records["location"])
             if isinstance(value, str)}
    records = records.copy()
    for position, name in enumerate(("city", "state", "country")):
        parts = {value: places[position] for value, places in split.items()}
        found = records["location"].map(parts).fillna("")
        if not found.ne("").any():
            continue
        own = (records[name].fillna("").astype(str).str.strip() if name in records
               else pd.Series("", index=records.index))
        records[name] = own.where(own != "", found)
    return records


def canonical_records(table: RawTable, layout: Layout) -> pd.DataFrame:
    """The table's mapped columns renamed to canonical fields, plus `_row`.

    Identity fields are always present (empty when the file has no such column) so
    the matcher can treat every source alike.
    """
    columns = {canonical: table.rows[header] for header, canonical in layout.columns.items()}
    # The table's columns themselves, not a copy (copy-on-write keeps each apart once
    # written): the table is kept for inspect, and a second copy of every cell's
    # reference took 59 MB through the merge of issue 16's 100,000-account bundle.
    records = pd.DataFrame(columns, index=table.rows.index, copy=False)
    for name in IDENTITY_FIELDS:
        if name not in records:
            records[name] = ""
    records[ROW_COLUMN] = table.row_numbers
    return records.reset_index(drop=True)
