"""Numeric dates that read either way (09/11/2026) with nothing in the column to tell
are named in a note (the column, the reading taken, how to choose the other), and a
[[mapping]] day_first setting chooses the order for that file."""

from __future__ import annotations

from pathlib import Path

from abmcli.config import config_from_text
from abmcli.keys.values import parse_dates  # the reading the hub uses
from abmcli.sources.load import load_source

HEADER = "Company Name,Domain,Topic,Composite Score,Report Date"


def _bombora(folder: Path, dates: list[str]) -> Path:
    path = folder / "bombora_surge.csv"
    rows = [f"Co {n},co{n}.com,ABM,70,{date}" for n, date in enumerate(dates)]
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def test_dates_that_read_either_way_are_named_with_the_reading_taken(tmp_path: Path) -> None:
    path = _bombora(tmp_path, ["09/11/2026", "10/11/2026", "11/11/2026"])
    notes = [note for note in load_source(path).notes if "Report Date" in note]
    assert len(notes) == 1, notes
    assert "read month first (09/11/2026 = 11 September 2026)" in notes[0]
    assert 'file = "bombora_surge.csv" and day_first = true' in notes[0]


def test_a_column_that_settles_the_order_gets_no_note(tmp_path: Path) -> None:
    path = _bombora(tmp_path, ["09/11/2026", "23/11/2026"])
    assert not [note for note in load_source(path).notes if "Report Date" in note]


def test_the_mapping_chooses_the_order_for_its_file(tmp_path: Path) -> None:
    path = _bombora(tmp_path, ["09/11/2026", "10/11/2026"])
    text = '[[mapping]]\nfile = "bombora*.csv"\nday_first = true\n'
    config = config_from_text(text, tmp_path / "abm.toml")
    source = load_source(path, config=config)
    assert not [note for note in source.notes if "Report Date" in note]
    read = [day.isoformat() for day in parse_dates(source.records["date"])]
    assert read == ["2026-11-09", "2026-11-10"]
