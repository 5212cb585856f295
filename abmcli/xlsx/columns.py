"""How the account tables' columns look in Excel (formats, widths), from the schema:
one table for the hub, scored and tier workbooks."""

from __future__ import annotations

from collections.abc import Iterable

from abmcli import schema
from abmcli.xlsx.workbook import ColumnFormat


def hub_column_formats(columns: Iterable[object]) -> dict[str, ColumnFormat]:
    """Each declared column's Excel format and width (money, counts, 0-100 scores with a
    red-yellow-green scale, years, wide reasons); a column the schema does not declare
    (one a user added) gets the score format when its name ends in `_score`."""
    formats: dict[str, ColumnFormat] = {}
    for column in map(str, columns):
        declared = schema.find(column)
        if declared is None:
            if column.endswith("_score"):
                formats[column] = ColumnFormat("score")
        elif declared.excel is not None:
            formats[column] = ColumnFormat(declared.excel, width=declared.width)
        elif declared.width is not None:
            formats[column] = ColumnFormat(width=declared.width)
    return formats
