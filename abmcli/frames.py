"""How abm's frames keep text.

pandas 3 keeps text in pyarrow arrays whenever pyarrow is installed, and abm installs
it to read Parquet and stream long feeds. Measured on the 100,000-account bench bundle
(`abm merge` of its five files with lineage), pyarrow text took 1,357 MiB at peak
against 1,002 MiB for Python strings, for the same CPU time (32.7 s against 31.7 s),
and the merge must stay under 1 GB (issue 16). So abm keeps text in Python strings;
pyarrow still reads Parquet and feeds, whose columns become Python strings in pandas.
"""

from __future__ import annotations


def keep_text_in_python() -> None:
    """Make pandas keep text in Python strings from here on (call it once, first)."""
    import pandas as pd

    pd.set_option("mode.string_storage", "python")
