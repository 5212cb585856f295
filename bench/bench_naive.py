"""`abm merge` against the naive script a user would write instead, on the same bundle.

The naive script is what "just use pandas" means for one week of exports: read each
file, lower-case its domain column (scheme and www. cut), keep the first row per
domain (what VLOOKUP returns), outer-join the five tables on the domain and write one
unformatted sheet with pandas and xlsxwriter. It matches nothing by name, keeps no
lineage, aggregates no history and checks nothing; abm does all of that. A user still
compares wall time, so both run here in fresh processes on the same files, and the
ratio abm / naive is printed (issue 16 asks for at most 0.5 on 100,000 accounts), of
wall time and of CPU time (user + system): on a machine shared with other work the
wall time swings with the load, the CPU time much less.

    python bench/bench_naive.py                    # 10,000 and 100,000 accounts
    python bench/bench_naive.py --sizes 2000       # quicker
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import bundle, input_files  # noqa: E402

# The column holding each file's domain and the rows above its header (the Salesforce
# report's title rows), as the person writing the script would look them up.
DOMAIN_COLUMNS = {
    "bombora_company_surge.csv": ("Domain", 0),
    "engagement_weekly.csv": ("Account Domain", 0),
    "relationship_contacts.csv": ("Contact Email", 0),
    "salesforce_account_report.csv": ("Website", 4),
    "zoominfo_company_export.csv": ("Website", 0),
}


def naive_merge(folder: Path, out: Path) -> int:
    """The naive script; returns the number of rows written."""
    import pandas as pd

    merged = None
    for path in input_files(folder):
        column, title_rows = DOMAIN_COLUMNS[path.name]
        frame = pd.read_csv(path, dtype=str, skiprows=title_rows, encoding_errors="replace")
        domain = (frame[column].fillna("").str.lower().str.split("@").str[-1]
                  .str.replace(r"^https?://", "", regex=True)
                  .str.replace(r"^www\.", "", regex=True).str.split("/").str[0])
        frame = frame.assign(domain=domain).drop_duplicates("domain")
        frame = frame.add_prefix(path.stem + ": ").rename(columns={path.stem + ": domain":
                                                                   "domain"})
        merged = frame if merged is None else merged.merge(frame, on="domain", how="outer")
    assert merged is not None
    merged.to_excel(out, index=False, engine="xlsxwriter")
    return len(merged)


def abm_merge(folder: Path, out: Path) -> int:
    """`abm merge` with lineage and the formatted workbook, in this process."""
    from abmcli.cli.app import app

    files = [str(path) for path in input_files(folder)]
    try:
        app(["merge", *files, "-o", str(out), "--lineage", str(out.with_suffix(".csv"))],
            standalone_mode=False)
    except SystemExit as stop:  # typer.Exit on a non-zero exit
        if stop.code:
            raise
    return 0


def child(which: str, accounts: int) -> None:
    folder = bundle(accounts)
    out = folder / "result" / f"{which}.xlsx"
    out.parent.mkdir(exist_ok=True)
    start, cpu_start = time.perf_counter(), time.process_time()
    {"naive": naive_merge, "abm": abm_merge}[which](folder, out)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mib": peak}))


def measure(which: str, accounts: int) -> dict[str, float]:
    output = subprocess.run([sys.executable, __file__, "--child", which, str(accounts)],
                            check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    print(f"{'accounts':>9} {'naive s':>8} {'cpu s':>6} {'naive MiB':>9} {'abm s':>7} "
          f"{'cpu s':>6} {'abm MiB':>8} {'abm/naive':>9} {'cpu ratio':>9}")
    for size in args.sizes:
        bundle(size)  # generated once, outside the timings
        naive, abm = measure("naive", size), measure("abm", size)
        print(f"{size:>9,} {naive['seconds']:>8.1f} {naive['cpu']:>6.1f} "
              f"{naive['peak_mib']:>9.0f} {abm['seconds']:>7.1f} {abm['cpu']:>6.1f} "
              f"{abm['peak_mib']:>8.0f} {abm['seconds'] / naive['seconds']:>9.2f} "
              f"{abm['cpu'] / naive['cpu']:>9.2f}", flush=True)


if __name__ == "__main__":
    main()
