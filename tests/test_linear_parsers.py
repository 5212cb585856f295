"""Every cell parser takes time linear in the cell, whatever the cell holds.

A vendor cell can be 64 KB of "1,1,1,..." or 100 KB of spaces; a quadratic pattern
then turns one cell into minutes. Each parser gets long cells made by repeating short
hostile units and must finish within a budget a quadratic parser misses by far.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.keys import domains, names, values

PARSERS: dict[str, Callable[[str], object]] = {
    "parse_number": values.parse_number,
    "parse_count_or_range": values.parse_count_or_range,
    "parse_money": values.parse_money,
    "parse_date": values.parse_date,
    "relationship_score": values.relationship_score,
    "split_list": values.split_list,
    "parse_bool": values.parse_bool,
    "name_key": names.name_key,
    "clean_display_name": names.clean_display_name,
    "registered_domain": domains.registered_domain,
    "email_domain": domains.email_domain,
}
# The units behind the slow cells found so far, plus the characters the patterns use.
KNOWN_UNITS = ["1,", " ", "1.", "1-", "a1 ", "( ", ")", "-", "&amp;", "1 ", "a@b.", "\t"]
ALPHABET = "1 ,.-()&;@\"'$%+/:ab\t\u00a0"
CELL_CHARS = 64_000
SECONDS = 1.5  # each call; a quadratic parser needed 75 s for 64 KB


def _timed(parser: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    parser(text)
    return time.perf_counter() - start


@pytest.mark.parametrize("name", sorted(PARSERS))
@pytest.mark.parametrize("unit", KNOWN_UNITS)
def test_known_slow_cells_are_fast(name: str, unit: str) -> None:
    text = unit * (CELL_CHARS // len(unit))
    assert _timed(PARSERS[name], text) < SECONDS, f"{name} on {unit!r} * {len(text) // len(unit)}"


@settings(max_examples=25, deadline=None)
@given(unit=st.text(alphabet=ALPHABET, min_size=1, max_size=6))
def test_every_parser_is_fast_on_long_repeated_cells(unit: str) -> None:
    text = unit * (CELL_CHARS // len(unit))
    for name, parser in PARSERS.items():
        assert _timed(parser, text) < SECONDS, f"{name} on {unit!r} * {len(text) // len(unit)}"
