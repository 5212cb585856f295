#!/usr/bin/env python3
"""A feed larger than memory: `abm merge` of a long Bombora history (issue 16).

Generates a Bombora Company Surge history of about --gigabytes in /tmp (bench/feed.py),
times pyarrow's CSV parse of it alone (the floor), abm's streaming read of it, and
`abm merge FEED -o hub.xlsx --lineage lineage.csv`, each in a fresh process under
/usr/bin/time -v, and prints wall time, CPU time (user + system), rows per second, peak
memory and the load average around each step.
Every file it made is deleted afterwards. When /tmp has less free space than the feed
and its lineage need, it takes a smaller feed and says so.

With --engines it also times the candidate readers on the same file (pandas' chunked C
reader, pyarrow's streaming CSV reader, DuckDB when installed): the measurement behind
the choice of pyarrow.

    python bench/bench_feed.py --gigabytes 5
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from feed import ROW_BYTES, write_feed  # noqa: E402

BIN = Path(sys.executable).parent
ENGINE_COLUMNS = ["Company Name", "Domain", "Size", "Industry", "Topic", "Composite Score",
                  "HQ City", "HQ State", "HQ Country", "Report Date"]


def timed(command: list[str]) -> dict[str, float]:
    """Run `command` under /usr/bin/time -v: wall, cpu seconds and peak MiB."""
    done = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    report = done.stderr

    def number(label: str) -> float:
        found = re.search(rf"{re.escape(label)}: ([\d.:]+)", report)
        assert found, label
        text = found.group(1)
        if ":" in text:
            parts = [float(p) for p in text.split(":")]
            return sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
        return float(text)

    return {"wall": number("Elapsed (wall clock) time (h:mm:ss or m:ss)"),
            "cpu": number("User time (seconds)") + number("System time (seconds)"),
            "peak": number("Maximum resident set size (kbytes)") / 1024}


READ_ONLY = """
import sys
from abmcli.sources.load import load_source
source = load_source(sys.argv[1], stream_over=0)
source.feed.lineage.remove()
print(source.rows)
"""

ENGINE = """
import sys
engine, path, columns = sys.argv[1], sys.argv[2], sys.argv[3].split("|")
rows = 0
if engine == "pandas":
    import pandas as pd
    for chunk in pd.read_csv(path, chunksize=1_000_000, usecols=columns, dtype=str,
                             keep_default_na=False, na_filter=False, engine="c"):
        for c in columns:
            pd.factorize(chunk[c])
        rows += len(chunk)
elif engine == "pyarrow":
    import pyarrow as pa, pyarrow.csv as pc
    with open(path, "rb") as handle:
        reader = pc.open_csv(handle, read_options=pc.ReadOptions(block_size=16 << 20),
                             convert_options=pc.ConvertOptions(
                                 include_columns=columns, column_types=dict.fromkeys(
                                     columns, pa.dictionary(pa.int32(), pa.string()))))
        for batch in reader:
            rows += batch.num_rows
else:
    import duckdb
    con = duckdb.connect()
    selected = ", ".join(f'"{c}"' for c in columns)
    for batch in con.sql(f"select {selected} from read_csv('{path}', all_varchar=true)"
                         ).to_arrow_reader(1_000_000):
        for c in columns:
            batch.column(c).dictionary_encode()
        rows += batch.num_rows
print(rows)
"""


def count_rows(path: Path) -> int:
    """Data rows of a generated feed (one line each, a header line)."""
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 24), b"")) - 1


def engines(path: Path, rows: int) -> None:
    print(f"\n{'reader':>8} {'wall s':>7} {'cpu s':>7} {'M rows/s cpu':>13} {'peak MiB':>9}")
    for engine in ("pandas", "pyarrow", "duckdb"):
        if engine == "duckdb":
            try:
                import duckdb  # noqa: F401
            except ImportError:
                print(f"{engine:>8}  (not installed)")
                continue
        figures = timed([str(BIN / "python"), "-c", ENGINE, engine, str(path),
                         "|".join(ENGINE_COLUMNS)])
        print(f"{engine:>8} {figures['wall']:7.1f} {figures['cpu']:7.1f} "
              f"{rows / figures['cpu'] / 1e6:13.2f} {figures['peak']:9.0f}")


def main() -> None:
    from abmcli.frames import keep_text_in_python

    keep_text_in_python()  # text kept as abm keeps it (abmcli/frames.py)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gigabytes", type=float, default=5.0)
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--engines", action="store_true")
    parser.add_argument("--feed", type=Path, help="an existing feed (bench/feed.py) to use "
                        "instead of generating one; it is kept")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="abm-feed-bench-", dir="/tmp"))
    try:
        free = shutil.disk_usage(folder).free / (1 << 30)
        gigabytes = args.gigabytes
        if free < gigabytes * 1.8 + 1:  # the feed, its lineage (~half its size), the hub
            gigabytes = max(0.1, (free - 1) / 1.8)
            print(f"only {free:.1f} GiB free in /tmp: a {gigabytes:.1f} GiB feed instead of "
                  f"{args.gigabytes:g} GiB; scale the figures below")
        if args.feed:
            feed = args.feed
            rows = count_rows(feed)
            print(f"using {feed}: {rows:,} rows, {feed.stat().st_size / (1 << 30):.2f} GiB")
        else:
            feed = folder / "bombora_history.csv"
            weeks = max(1, round(gigabytes * (1 << 30) / (args.companies * 20 * ROW_BYTES)))
            started = time.perf_counter()
            rows = write_feed(feed, args.companies, 20, weeks)
            size = feed.stat().st_size / (1 << 30)
            print(f"generated {feed.name}: {rows:,} rows, {weeks} weeks x 20 topics x "
                  f"{args.companies:,} companies, {size:.2f} GiB "
                  f"({time.perf_counter() - started:.0f} s)")
        command = [str(BIN / "abm"), "merge", str(feed), "-o", str(folder / "hub.xlsx"),
                   "--lineage", str(folder / "lineage.csv")]
        # Wall time depends on what else the machine runs: the load average (1 minute)
        # before and after each step says how busy it was.
        print(f"\n{'step':>6} {'wall s':>7} {'cpu s':>7} {'M rows/s':>9} {'M rows/s cpu':>13} "
              f"{'peak MiB':>9}  load")
        # parse: pyarrow's CSV parse alone of the columns abm maps, into dictionary
        # arrays (the floor of reading); read: abm's streaming read; merge: all of it.
        parse = [str(BIN / "python"), "-c", ENGINE, "pyarrow", str(feed),
                 "|".join(ENGINE_COLUMNS)]
        for step, run in (("parse", parse),
                          ("read", [str(BIN / "python"), "-c", READ_ONLY, str(feed)]),
                          ("merge", command)):
            load = os.getloadavg()[0]
            figures = timed(run)
            print(f"{step:>6} {figures['wall']:7.1f} {figures['cpu']:7.1f} "
                  f"{rows / figures['wall'] / 1e6:9.2f} {rows / figures['cpu'] / 1e6:13.2f} "
                  f"{figures['peak']:9.0f}  {load:.1f}-{os.getloadavg()[0]:.1f}")
        lineage_rows = sum(1 for _ in (folder / "lineage.csv").open()) - 1
        print(f"lineage.csv: {lineage_rows:,} rows (every input row)")
        if args.engines:
            engines(feed, rows)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
