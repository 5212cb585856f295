"""A streamed file's notes say each thing once, counted over the whole file."""

from __future__ import annotations

from pathlib import Path

from abmcli.sources.load import load_source


def test_a_streamed_file_says_its_blank_rows_once_for_the_whole_file(tmp_path: Path) -> None:
    rows = ["Company Name,Domain,Topic,Composite Score,Report Date"]
    for i in range(40):
        rows.append(f"Co {i},co{i}.com,CDP,{50 + i},2026-11-02")
        if i % 10 == 0:
            rows.append("")  # 4 blank lines, one of them in the head the layout is read from
    path = tmp_path / "surge.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    source = load_source(path, stream_over=0, batch_rows=8)
    assert source.feed is not None
    blank = [note for note in source.notes if "blank" in note]
    assert blank == ["skipped 4 blank records"]


def test_a_streamed_file_with_one_blank_row_says_it_in_the_singular(tmp_path: Path) -> None:
    rows = ["Company Name,Domain,Topic,Composite Score,Report Date"]
    rows += [f"Co {i},co{i}.com,CDP,{50 + i},2026-11-02" for i in range(20)]
    rows.insert(5, "")
    path = tmp_path / "surge.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    source = load_source(path, stream_over=0, batch_rows=8)
    assert [note for note in source.notes if "blank" in note] == ["skipped 1 blank record"]
