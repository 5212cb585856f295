"""Time `abm run` end to end on the generated bundle (issue 16: under 30 s at 100,000).

The bundle's five files carry the example files' names, so the weekly job runs with
examples/abm.toml (its ICP, tiers and segments), its [output] folder moved into the
bundle's result folder and its opportunity and contact inputs (examples/measure/, not
in the bundle) left out. Each run is a fresh `abm run` process; its wall time, CPU time
(user + system, steadier than wall time on a shared machine) and peak memory are
printed.

    python bench/bench_run.py                    # 100,000 accounts
    python bench/bench_run.py --sizes 10000      # quicker
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


def time_run(accounts: int) -> dict[str, float]:
    config = run_config(bundle(accounts))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(ABM), "run", "--config", str(config), "--quiet"], check=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu": cpu, "peak_mib": after.ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    args = parser.parse_args()
    print(f"{'accounts':>9} {'abm run s':>9} {'cpu s':>6} {'peak MiB':>8}  (target < 30 s)")
    for size in args.sizes:
        bundle(size)  # generated once, outside the timing
        r = time_run(size)
        print(f"{size:>9,} {r['seconds']:>9.1f} {r['cpu']:>6.1f} {r['peak_mib']:>8.0f}",
              flush=True)


if __name__ == "__main__":
    main()
