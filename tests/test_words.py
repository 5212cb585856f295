"""Counts read as a person writes them: "1 account has", "2 accounts have"."""

from __future__ import annotations

import pytest

from abmcli.words import agree, counted


@pytest.mark.parametrize("count, noun, expected", [
    (1, "account", "1 account"), (0, "account", "0 accounts"), (2, "row", "2 rows"),
    (12500, "row", "12,500 rows"), (1, "candidate pair", "1 candidate pair"),
])
def test_a_count_takes_the_noun_in_its_number(count: int, noun: str, expected: str) -> None:
    assert counted(count, noun) == expected


def test_irregular_plurals_and_verbs() -> None:
    assert counted(3, "company", "companies") == "3 companies"
    assert agree(1, "has", "have") == "has" and agree(4, "has", "have") == "have"

