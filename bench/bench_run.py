"""Time `abm run` end to end on the generated bundle (issue 16: under 30 s at 100,000).

The bundle's five files carry the example files' names, so the weekly job runs with
examples/abm.toml (its ICP, tiers and segments), its [output] folder moved into the
bundle's result folder and its opportunity and contact inputs (examples/measure/, not
in the bundle) left out. Each run is a fresh `abm run` process; its wall time, CPU time
(user + system, of the run and its worker processes: steadier than wall time on a
shared machine) and peak memory are printed: the largest process's peak RSS and, with
`--pss`, the peak of the proportional set size (PSS: shared pages counted once) summed
over the run and its forked workers, sampled every second. Sampling slows the run it
measures (reading smaps_rollup walks each process's page tables while it holds their
memory lock: every 0.1 s it added about 5 s to a 31 s run), so the times of a `--pss`
run are not the run's own. `--sequential` times `abm run --sequential` (no workers)
too, alternating with the default runs, `--repeat` times.
`--stages` also runs the job once in this process, sequentially, and prints the CPU time
of each of its steps (reading, matching, building the hub, scoring and tiering, writing
each workbook with its CSVs), which says where the time goes.

    python bench/bench_run.py                    # 100,000 accounts
    python bench/bench_run.py --sizes 10000      # quicker
    python bench/bench_run.py --sequential --repeat 2   # with workers, and without
    python bench/bench_run.py --pss              # and the memory of all processes
    python bench/bench_run.py --stages           # and the CPU time per step
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import bundle  # noqa: E402

EXAMPLE_CONFIG = HERE.parent / "examples" / "abm.toml"
ABM = Path(sys.executable).with_name("abm")


def run_config(folder: Path) -> Path:
    """examples/abm.toml beside the bundle's files, writing into result/weekly."""
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^folder = .*$', 'folder = "result/weekly"', text)
    text = re.sub(r'(?m)^(opportunities|contacts) = "measure/.*$', "", text)
    config = folder / "abm.toml"
    config.write_text(text, encoding="utf-8")
    shutil.rmtree(folder / "result" / "weekly", ignore_errors=True)
    return config


def time_run(accounts: int, sequential: bool = False, pss: bool = False) -> dict[str, float]:
    config = run_config(bundle(accounts))
    command = [str(ABM), "run", "--config", str(config), "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen([*command, "--sequential"] if sequential else command)
    peak_pss = 0
    while pss and process.poll() is None:
        peak_pss = max(peak_pss, tree_pss_kib(process.pid))
        time.sleep(1.0)
    process.wait()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"abm run failed with exit code {process.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu": cpu, "peak_mib": after.ru_maxrss / 1024,
            "pss_mib": peak_pss / 1024}


def tree_pss_kib(pid: int) -> int:
    """The PSS of process `pid` and its descendants, in KiB (0 where /proc lacks it)."""
    total = 0
    for member in [pid, *descendants(pid)]:
        try:
            text = Path(f"/proc/{member}/smaps_rollup").read_text()
        except OSError:
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
        total += int(found.group(1)) if found else 0
    return total


def descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [n for child in map(int, children) for n in [child, *descendants(child)]]


def stage_times(accounts: int) -> list[tuple[str, float]]:
    """CPU seconds of each step `abm run` reports, run in this process; the reads of the
    input files are added up into one line."""
    from abmcli.run import run_weekly

    config = run_config(bundle(accounts))
    marks = [("starting", time.process_time())]
    run_weekly(config, progress=lambda step: marks.append((step, time.process_time())),
               sequential=True)
    marks.append(("finished", time.process_time()))
    steps: dict[str, float] = {}
    for (step, at), (_, later) in zip(marks, marks[1:], strict=False):
        name = "reading the input files" if step.startswith("reading") else step
        steps[name] = steps.get(name, 0.0) + later - at
    return list(steps.items())


def main() -> None:
    from abmcli.frames import keep_text_in_python

    keep_text_in_python()  # text kept as abm keeps it (abmcli/frames.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--stages", action="store_true",
                        help="also print the CPU time of each step of one run")
    parser.add_argument("--sequential", action="store_true",
                        help="also time abm run --sequential, alternating with the default")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each kind per size")
    parser.add_argument("--pss", action="store_true",
                        help="also sample the PSS of the run and its workers (slows the run)")
    args = parser.parse_args()
    print(f"{'accounts':>9} {'how':>10} {'abm run s':>9} {'cpu s':>6} {'peak MiB':>8} "
          f"{'PSS MiB':>8}  (target < 30 s; PSS with --pss: all processes together)")
    modes = [False, True] if args.sequential else [False]
    for size in args.sizes:
        bundle(size)  # generated once, outside the timing
        for _ in range(args.repeat):
            for sequential in modes:
                r = time_run(size, sequential, args.pss)
                how = "sequential" if sequential else "workers"
                pss = f"{r['pss_mib']:>8.0f}" if args.pss else f"{'-':>8}"
                print(f"{size:>9,} {how:>10} {r['seconds']:>9.1f} {r['cpu']:>6.1f} "
                      f"{r['peak_mib']:>8.0f} {pss}", flush=True)
    for size in args.sizes if args.stages else []:
        print(f"\nCPU seconds per step of one run, {size:,} accounts (in this process):")
        for step, seconds in stage_times(size):
            print(f"  {seconds:6.1f}  {step}", flush=True)


if __name__ == "__main__":
    main()
