"""One accent fold (abmcli/keys/fold.py): every comparison folds text the same way."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.keys.fold import folded, without_accents
from abmcli.matching import evidence

ROOT = Path(__file__).parents[1] / "abmcli"
# names.py folds letters too ("Ø" -> "o") for its name key, from which account ids
# derive: a different fold on purpose.
OWN_FOLDS = {"keys/fold.py", "keys/names.py"}


def test_no_module_keeps_an_accent_fold_of_its_own() -> None:
    """matching/evidence.py kept a copy of the fold: two copies drift apart."""
    copies = sorted(path.relative_to(ROOT).as_posix() for path in ROOT.rglob("*.py")
                    if 'normalize("NFKD"' in path.read_text(encoding="utf-8"))
    assert [path for path in copies if path not in OWN_FOLDS] == []


def _reference(text: str) -> str:
    """What evidence.py's own fold did."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@given(st.text(max_size=30) | st.sampled_from(
    ["Société Générale", "MÜNCHEN", "Straße", "Ørsted", "東京", "ﬁnance", "İstanbul"]))
@settings(max_examples=200, deadline=None)
def test_the_fold_gives_what_evidence_compared_before(text: str) -> None:
    assert folded(text) == _reference(text)
    assert without_accents(text) == "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    # the evidence rules' words: city, state, industry as they compare them
    words = " ".join(re.sub(r"[\W_]+", " ", _reference(text)).split())
    assert evidence._words(text) == words


@pytest.mark.parametrize(("a", "b", "same"), [
    # EDINET's Province column: addresses in Japanese, which read as their digits alone
    ("前橋市古市町一丁目５０番地１２", "横浜市都筑区仲町台５０－１２", False),
    ("Москва", "МОСКВА", True),
    ("São Paulo", "SAO PAULO", True),
    ("Łódź", "lodz", False),  # Ł is a letter of its own, not L with an accent
])
def test_evidence_compares_places_in_every_script(a: str, b: str, same: bool) -> None:
    for field in ("city", "state"):
        first, second = evidence.normalised(field, a), evidence.normalised(field, b)
        assert first and second
        assert (first == second) is same, (first, second)
