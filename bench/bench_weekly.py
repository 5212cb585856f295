"""`make bench`: how stable the weekly run is when a week's exports leave rows out.

Vendor exports are noisy from week to week: a company missing from this week's pull,
a few engagement rows absent. This benchmark runs the examples for 2026-11-25, then
reruns the next week (2026-12-02) twice from that same state: once with the full files
(the reference) and once with 5 % of each file's rows left out at random, for several
seeded draws. It reports, per draw, the accounts whose tier differs from the reference
(an account missing from the run counts as a move), the share of program accounts
(Tier 1-3 in the reference) that moved, and the engagement spikes the reference does
not show.

    python bench/bench_weekly.py                 # 6 draws, the config's memory
    python bench/bench_weekly.py --carry 0       # memory off: each run starts from zero
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from abmcli import run as run_module  # noqa: E402
from abmcli.explain import read_accounts  # noqa: E402
from abmcli.load import Source  # noqa: E402
from abmcli.score import flags  # noqa: E402
from abmcli.tier import TIERED  # noqa: E402

OUT = HERE / "out" / "weekly"
FIRST, SECOND = dt.date(2026, 11, 25), dt.date(2026, 12, 2)
OMITTED_SHARE = 0.05
INPUTS = """
[inputs]
fit = "exports/zoominfo_company_export.csv"
intent = "exports/bombora_company_surge.csv"
relationship = "exports/relationship_contacts.csv"
engagement = "exports/engagement_weekly.csv"
crm = "exports/salesforce_account_report.csv"

[output]
folder = "weekly"
"""


def bundle(folder: Path, carry: int | None) -> Path:
    """The examples' exports and config, with [inputs] and [output] pointing here."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "exports").mkdir(parents=True)
    for path in (ROOT / "examples").glob("*.csv"):
        shutil.copy(path, folder / "exports" / path.name)
    text = (ROOT / "examples" / "abm.toml").read_text(encoding="utf-8")
    text = text[:text.index("[inputs]")] + INPUTS
    if carry is not None:
        text += f"\n[memory]\ncarry_forward_weeks = {carry}\n"
    config = folder / "abm.toml"
    config.write_text(text, encoding="utf-8")
    return config


def leaving_rows_out(seed: int):  # noqa: ANN201 - a load_source stand-in
    """`load_source` that leaves OMITTED_SHARE of each file's rows out at random."""
    load = run_module.load_source
    draws = np.random.default_rng(seed)

    def load_some(*args: object, **kwargs: object) -> Source:
        source = load(*args, **kwargs)  # type: ignore[arg-type]
        keep = draws.random(len(source.records)) >= OMITTED_SHARE
        return dataclasses.replace(source, records=source.records[keep].reset_index(drop=True))

    return load_some


def run_second_week(config: Path, first_out: Path, name: str, seed: int | None) -> pd.DataFrame:
    """The second week's tiers, run from a copy of the first week's output folder."""
    out = config.parent / name
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(first_out, out, symlinks=True)
    original = run_module.load_source
    if seed is not None:
        run_module.load_source = leaving_rows_out(seed)
    try:
        result = run_module.run_weekly(config, as_of=SECOND, out=out)
    finally:
        run_module.load_source = original
    return read_accounts(result.folder / "tiers.xlsx").set_index("account_id")


def compare(reference: pd.DataFrame, draw: pd.DataFrame) -> dict[str, float]:
    program = reference.index[reference["tier"].isin(TIERED)]
    tiers = draw["tier"].reindex(reference.index)
    moved = tiers.ne(reference["tier"])  # missing accounts are NaN: moved
    spikes_ref = flags(reference, "engagement_spike")
    spikes_now = flags(draw, "engagement_spike").reindex(reference.index, fill_value=False)
    extra = spikes_now & ~spikes_ref
    extra_new = int(len(draw.index.difference(reference.index)))
    return {"accounts": len(reference), "program": len(program),
            "tier_moves": int(moved.sum()), "program_moves": int(moved[program].sum()),
            "program_share": float(moved[program].mean()) if len(program) else 0.0,
            "missing": int(tiers.isna().sum()), "extra_accounts": extra_new,
            "false_spikes": int(extra.sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=6)
    parser.add_argument("--carry", type=int, default=None,
                        help="[memory] carry_forward_weeks (default: the config's)")
    args = parser.parse_args()
    folder = OUT / f"carry-{'default' if args.carry is None else args.carry}"
    config = bundle(folder, args.carry)
    run_module.run_weekly(config, as_of=FIRST, out=folder / "first")
    reference = run_second_week(config, folder / "first", "full", None)
    print(f"weekly stability, {OMITTED_SHARE:.0%} of each file's rows left out "
          f"(carry_forward_weeks: {'default' if args.carry is None else args.carry})")
    print(f"{'draw':>4} {'tier moves':>10} {'program moves':>13} {'share':>6} "
          f"{'missing':>7} {'false spikes':>12}")
    shares, spikes = [], []
    for seed in range(1, args.draws + 1):
        found = compare(reference, run_second_week(config, folder / "first", f"draw-{seed}",
                                                   seed))
        shares.append(found["program_share"])
        spikes.append(found["false_spikes"])
        print(f"{seed:>4} {found['tier_moves']:>10} {found['program_moves']:>13} "
              f"{found['program_share']:>6.1%} {found['missing']:>7} "
              f"{found['false_spikes']:>12}")
    print(f"worst: {max(shares):.1%} of {found['program']} program accounts changed tier, "
          f"{max(spikes)} spikes the full data does not show "
          f"(target: at most 1.0 % and 0)")


if __name__ == "__main__":
    main()
