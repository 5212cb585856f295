"""Seniority accuracy on the hand-labelled real job titles, set by set, with the misses.

The CrunchBase titles carry no licence, so the repo holds only our labels (by line
number) and the titles are read from ../shared/reference beside the clone; that set is
left out, with a note, when it is not there. See tests/data/titles/SOURCE.md.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from abmcli.measure.titles import classify_title

REPO = Path(__file__).resolve().parents[1]
TITLES = REPO / "tests" / "data" / "titles"
CRUNCHBASE = (REPO.parent / "shared" / "reference" / "real-exports"
              / "job-titles-crunchbase-people" / "titles.txt")


def labelled(name: str) -> list[dict[str, str]]:
    with (TITLES / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def crunchbase_pairs() -> list[tuple[str, str]]:
    lines = CRUNCHBASE.read_text(encoding="utf-8").splitlines()
    return [(re.sub(r'^\s*"(.*)"\s*,\s*$', r"\1", lines[int(row["line"]) - 1]),
             row["seniority"]) for row in labelled("crunchbase_titles_seniority.csv")]


def report(name: str, pairs: list[tuple[str, str]]) -> None:
    wrong = [(title, want, classify_title(title).seniority) for title, want in pairs
             if classify_title(title).seniority != want]
    right = len(pairs) - len(wrong)
    print(f"{name}: {right}/{len(pairs)} right ({right / len(pairs):.1%})")
    for title, want, got in wrong:
        print(f"    {title!r}: labelled {want}, classified {got}")


def main() -> None:
    if CRUNCHBASE.is_file():
        report("crunchbase (../shared, in-sample)", crunchbase_pairs())
    else:
        print(f"crunchbase: skipped, {CRUNCHBASE} is not beside this checkout")
    for name, kind in (("job_titles_seniority.csv", "in-sample"),
                       ("job_titles_seniority_holdout.csv", "hold-out")):
        report(f"{name} ({kind})",
               [(row["title"], row["seniority"]) for row in labelled(name)])


if __name__ == "__main__":
    main()
