"""`make bench`: time the pipeline on generated bundles and measure match quality.

For each size, a fresh Python process generates (or reuses) a bundle under bench/out/,
then loads, matches, aggregates and writes the hub workbook, printing each stage's
wall time and the process's peak memory. The quality part merges a bundle whose true
accounts are known and reports B-cubed precision and recall.

    python bench/run.py                  # 10,000, 30,000 and 100,000 accounts (1x, 3x, 10x)
    python bench/run.py --sizes 2000     # quicker

The three default sizes are the scaling curve in the README: time (wall and CPU, user +
system) and peak memory should grow in proportion to the rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
AS_OF = dt.date(2026, 11, 25)


def bundle(accounts: int, seed: int = 1) -> Path:
    """A generated bundle of `accounts` accounts (with truth), cached by size and seed."""
    sys.path.insert(0, str(HERE))
    from bundle import write_bundle

    folder = OUT / f"bundle-{accounts}-{seed}"
    if not (folder / "truth.csv").exists():
        write_bundle(folder, accounts=accounts, seed=seed, as_of=AS_OF, truth=True)
    return folder


def input_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.csv") if p.name != "truth.csv")


def time_pipeline(folder: Path) -> dict[str, float]:
    """Run merge stage by stage in this process; return seconds per stage."""
    from abmcli.config import Config
    from abmcli.outputs.hub_workbook import write_merge_outputs
    from abmcli.sources.load import load_source
    from abmcli.stages.merge import merge_sources

    timings: dict[str, float] = {}
    start, cpu_start = time.perf_counter(), time.process_time()
    sources = [load_source(path) for path in input_files(folder)]
    timings["load"] = time.perf_counter() - start
    mark = time.perf_counter()
    steps: list[tuple[str, float, float]] = []
    result = merge_sources(sources, Config(), progress=lambda step: steps.append(
        (step, time.perf_counter(), time.process_time())))
    timings["match"] = steps[1][1] - steps[0][1]
    # CPU seconds of the match stage: on a shared machine wall time varies with the load.
    timings["match_cpu"] = steps[1][2] - steps[0][2]
    timings["hub"] = time.perf_counter() - steps[1][1]
    mark = time.perf_counter()
    results = folder / "result"
    results.mkdir(exist_ok=True)
    write_merge_outputs(result, results / "hub.xlsx", results / "lineage.csv")
    timings["write"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - start
    timings["cpu"] = time.process_time() - cpu_start
    timings["rows"] = result.rows_in
    timings["accounts"] = len(result.hub)
    timings["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return timings


def quality(folder: Path) -> dict[str, float]:
    """B-cubed precision and recall of the merged accounts against the bundle's truth."""
    import pandas as pd

    lineage = pd.read_csv(folder / "result" / "lineage.csv", dtype=str, keep_default_na=False)
    truth = pd.read_csv(folder / "truth.csv", dtype=str, keep_default_na=False)
    lineage["file"] = lineage["source_file"].map(lambda s: Path(s).name)
    joined = lineage.merge(truth, left_on=["file", "row"], right_on=["file", "row"],
                           validate="one_to_one")
    # A rejected row is an account of its own: it joined nothing.
    placed = joined["account_id"].where(joined["account_id"] != "",
                                        "rejected-" + joined.index.astype(str))
    joined["predicted"] = placed
    precision, recall = b_cubed(joined["predicted"], joined["account"])
    name_only = joined["match"].isin(["name", "fuzzy"]) | (joined["match"] == "rejected")
    _, name_recall = b_cubed(joined["predicted"], joined["account"], name_only)
    return {"rows": len(joined), "precision": precision, "recall": recall,
            "name_only_rows": int(name_only.sum()), "name_only_recall": name_recall}


def b_cubed(predicted, truth, subset=None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Mean per-row precision and recall of clusters `predicted` against `truth`."""
    import pandas as pd

    frame = pd.DataFrame({"p": predicted, "t": truth})
    both = frame.groupby(["p", "t"])["p"].transform("size")
    precision = both / frame.groupby("p")["p"].transform("size")
    recall = both / frame.groupby("t")["t"].transform("size")
    if subset is not None:
        precision, recall = precision[subset], recall[subset]
    return float(precision.mean()), float(recall.mean())


def child(accounts: int) -> None:
    folder = bundle(accounts)
    result = time_pipeline(folder)
    result.update(quality(folder))
    print(json.dumps(result))


def main() -> None:
    from abmcli.frames import keep_text_in_python

    keep_text_in_python()  # text kept as abm keeps it (abmcli/frames.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    print(f"{'accounts':>9} {'rows':>9} {'load':>6} {'match':>6} {'hub':>6} {'write':>6} "
          f"{'total':>6} {'cpu':>6} {'m.cpu':>6} {'peak MiB':>8} {'B3 prec':>8} {'B3 rec':>7} "
          f"{'name rec':>8}")
    for size in args.sizes:
        output = subprocess.run([sys.executable, __file__, "--child", str(size)],
                                check=True, capture_output=True, text=True).stdout
        r = json.loads(output.strip().splitlines()[-1])
        print(f"{r['accounts']:>9,} {r['rows']:>9,} {r['load']:>6.1f} {r['match']:>6.1f} "
              f"{r['hub']:>6.1f} {r['write']:>6.1f} {r['total']:>6.1f} {r['cpu']:>6.1f} "
              f"{r['match_cpu']:>6.1f} {r['peak_mib']:>8.0f} "
              f"{r['precision']:>8.4f} {r['recall']:>7.4f} {r['name_only_recall']:>8.4f}",
              flush=True)


if __name__ == "__main__":
    main()
