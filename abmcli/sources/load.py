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
from abmcli.keys.units import (
    ColumnUnit,
    apply_units,
    decide_units,
    english_marks,
    unit_notes,
)
from abmcli.sources.layouts import Layout, recognise
from abmcli.sources.read import RawTable, is_workbook, read_table, split_sheet_spec
from abmcli.sources.sitecolumns import check_domain_column
from abmcli.sources.unread import unread_notes
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

    @property
    def family(self) -> str:
        return self.layout.family

    @property
    def rows(self) -> int:
        return len(self.records)


def load_source(
    spec: str | Path,
    family: str | None = None,
    config: Config | None = None,
    encoding: str | None = None,
) -> Source:
    """Read `spec` ("file.csv", "file.xlsx" or "file.xlsx:Sheet") as a source of `family`.

    The family and column mapping are detected from the header row unless `family` or
    an explicit `[[mapping]]` in the config says otherwise.
    """
    path, sheet = split_sheet_spec(str(spec))
    try:
        table = read_table(path, encoding=encoding, sheet=sheet,
                           max_bytes=(config or Config()).limits.max_input_bytes())
        mapping = config.mapping_for(path) if config else None
        layout = recognise(table.header, path=path, mapping=mapping, family=family)
    except InputFileError as error:
        if sheet is not None or not is_workbook(path):
            raise
        raise _with_other_sheets(error, path) from error
    notes = list(table.notes)
    layout, domain_notes = check_domain_column(table, layout)
    records = canonical_records(table, layout)
    # Only the mapped columns stay (inspect shows them as read): a wide export's other
    # columns would otherwise stay in memory for the whole merge.
    table = replace(table, rows=table.rows[list(layout.columns)])
    records, mark_notes = english_marks(records, layout)
    units = decide_units(records, layout)
    records = apply_units(records, units)
    return Source(
        label=str(spec), path=path, layout=layout, table=table, records=records,
        notes=[*notes, *domain_notes, *mark_notes, *unit_notes(units, layout),
               *unread_notes(records, layout)],
        units=units,
    )


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


def canonical_records(table: RawTable, layout: Layout) -> pd.DataFrame:
    """The table's mapped columns renamed to canonical fields, plus `_row`.

    Identity fields are always present (empty when the file has no such column) so
    the matcher can treat every source alike.
    """
    columns = {canonical: table.rows[header] for header, canonical in layout.columns.items()}
    records = pd.DataFrame(columns, index=table.rows.index)
    for name in IDENTITY_FIELDS:
        if name not in records:
            records[name] = ""
    records[ROW_COLUMN] = table.row_numbers
    return records.reset_index(drop=True)
