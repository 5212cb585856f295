"""Parquet files (what a warehouse export gives) as text cells, like any other export.

`read_parquet_grid` reads a whole file into the grid `read.py` shapes (a header record,
then the data records), for files that fit in memory; `parquet_batches` yields record
batches of chosen columns, for the streaming reader (`feeds.py`). Typed values become
the text a user would see: 72.0 -> "72", a timestamp at midnight -> "2026-11-23".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from abmcli.errors import InputFileError

PARQUET_MAGIC = b"PAR1"


def is_parquet(head: bytes) -> bool:
    return head.startswith(PARQUET_MAGIC)


def _open(path: Path) -> Any:
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises ArrowInvalid, OSError ... for a damaged file
        raise InputFileError(path, f"is not a readable Parquet file ({err})",
                             "re-export it, or export it as CSV") from err


def parquet_columns(path: Path) -> list[str]:
    return list(_open(path).schema_arrow.names)


def parquet_bytes_in_memory(path: Path) -> int:
    """The uncompressed size of the file's data: what reading it whole takes, at least."""
    metadata = _open(path).metadata
    return sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))


def read_parquet_grid(path: Path, limit: int) -> pd.DataFrame:
    """Every record as text cells, the column names as record 0 (the header)."""
    from abmcli.sources.read import refuse_too_large

    refuse_too_large(path, parquet_bytes_in_memory(path), limit, "Parquet")
    try:
        table = _open(path).read()
    except InputFileError:
        raise
    except Exception as err:
        raise InputFileError(path, f"is not a readable Parquet file ({err})",
                             "re-export it, or export it as CSV") from err
    if table.num_columns == 0:
        raise InputFileError(path, "the Parquet file has no columns", "re-export it")
    columns = {j: [str(name)] + column_text(table.column(j)) for j, name in
               enumerate(table.column_names)}
    return pd.DataFrame(columns, dtype=object)


def column_text(column: Any) -> list[str]:
    """A pyarrow column as text cells ("" for null), each distinct value rendered once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
    texts = value_texts(encoded.dictionary.to_pylist())
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    valid = encoded.is_valid().to_numpy(zero_copy_only=False)
    return [texts[i] if ok else "" for i, ok in zip(indices.tolist(), valid.tolist(),
                                                   strict=True)]


def value_texts(values: list[Any]) -> list[str]:
    from abmcli.sources.read import cell_text, clean_cell

    # Text without control characters, as a CSV's and a streamed file's are.
    return [clean_cell(value) if isinstance(value, str) else cell_text(value)
            for value in values]


def parquet_batches(path: Path, columns: list[str], rows: int) -> Iterator[Any]:
    """Record batches of `columns`, `rows` at a time, in file order."""
    try:
        yield from _open(path).iter_batches(batch_size=rows, columns=columns)
    except InputFileError:
        raise
    except Exception as err:
        raise InputFileError(path, f"is not a readable Parquet file ({err})",
                             "re-export it, or export it as CSV") from err
