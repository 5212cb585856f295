"""One accent fold (abmcli/keys/fold.py): every comparison folds text the same way."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

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
    # the evidence rules' words: city, state, ticker as they compared them
    words = " ".join(re.sub(r"[^0-9a-z]+", " ", _reference(text)).split())
    assert evidence._words(text) == words
