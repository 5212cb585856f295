"""Feeds larger than memory (issue 16): intent and engagement files streamed in batches
give the hub, lineage and review a whole-file read gives; Parquet files are read for
every family.

The streaming threshold and batch size are parameters (`stream_over`, `batch_rows`), so
small files here take the streamed path in many batches; no timing is asserted (the
feed benchmark is bench/bench_feed.py).
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from test_nothing_lost import BUNDLE, assert_nothing_lost, write_bundle
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.config import Config, config_from_text
from abmcli.errors import InputFileError
from abmcli.outputs.hub_workbook import write_merge_outputs
from abmcli.sources.load import load_source
from abmcli.stages.merge import InputSpec, MergeResult, merge_files, merge_sources

EXAMPLES = Path(__file__).parents[1] / "examples"


def _merge(paths: list[Path | str], config: Config, streamed: bool, batch_rows: int = 37
           ) -> MergeResult:
    sources = [load_source(str(p), config=config, stream_over=0 if streamed else None,
                           batch_rows=batch_rows) for p in paths]
    return merge_sources(sources, config)


def _sorted_lineage(result: MergeResult) -> pd.DataFrame:
    return result.full_lineage().sort_values(["source_file", "row"], ignore_index=True)


def assert_same_merge(whole: MergeResult, streamed: MergeResult) -> None:
    pd.testing.assert_frame_equal(whole.hub, streamed.hub, check_dtype=False)
    pd.testing.assert_frame_equal(_sorted_lineage(whole), _sorted_lineage(streamed),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(whole.review, streamed.review, check_dtype=False)
    assert whole.match_counts() == streamed.match_counts()
    assert [f.matched for f in whole.files] == [f.matched for f in streamed.files]
    assert whole.rows_in == streamed.rows_in


def test_streamed_example_feeds_merge_as_read_whole(tmp_path: Path) -> None:
    """The week of examples (intent and engagement streamed 37 rows a batch, beside the
    fit, relationship and CRM files read whole): the same hub, fuzzy merges and review
    pairs, and every row's lineage, down to the bytes of lineage.csv."""
    config = config_from_text((EXAMPLES / "abm.toml").read_text(), EXAMPLES / "abm.toml")
    paths = sorted(EXAMPLES.glob("*.csv"))
    whole = _merge(paths, config, streamed=False)
    streamed = _merge(paths, config, streamed=True)
    assert [s.feed is not None for s in streamed.sources] == [
        s.family in ("intent", "engagement") for s in streamed.sources]
    assert streamed.match_counts()["fuzzy"] > 0  # name-only rows were weighed too
    assert_same_merge(whole, streamed)
    write_merge_outputs(whole, tmp_path / "a.xlsx", tmp_path / "a.csv")
    write_merge_outputs(streamed, tmp_path / "b.xlsx", tmp_path / "b.csv")
    lines_a = (tmp_path / "a.csv").read_text().splitlines()
    lines_b = (tmp_path / "b.csv").read_text().splitlines()
    assert lines_a[0] == lines_b[0] and sorted(lines_a) == sorted(lines_b)


def test_a_streamed_merge_leaves_no_temporary_file_behind(tmp_path: Path) -> None:
    import gc

    result = _merge([EXAMPLES / "bombora_company_surge.csv"], Config(), streamed=True)
    rows_file = result.streamed[0].rows.rows_file
    assert rows_file.exists()
    del result
    gc.collect()
    assert not rows_file.exists()


def test_relevant_topics_and_older_surges_survive_the_fold(tmp_path: Path) -> None:
    """A long history in small batches: the latest surge of a named topic weeks before
    the latest report, and ties and repeats of a topic on the latest date, count as when
    the file is read whole."""
    rows = ["Company Name,Domain,Topic,Composite Score,Report Date"]
    for week, date in enumerate(["2026-10-05", "2026-10-12", "2026-10-19", "2026-11-02"]):
        for company in range(12):
            for topic, base in (("Intent Data", 40), ("Lead Scoring", 55), ("CDP", 61)):
                score = base + (company * 7 + week * 13) % 40
                rows.append(f"Co {company},co{company % 9}.com,{topic},{score},{date}")
    rows += ["Co 3,co3.com,Intent Data,91,2026-10-12", "Co 4,co4.com, CDP ,61,2026-11-02",
             "Co 4,co4.com,CDP,61,2026-11-02", "Co 5,co5.com,CDP,,2026-11-09",
             "Nameless,,Intent Data,70,"]
    path = tmp_path / "surge.csv"
    path.write_text("\n".join(rows) + "\n")
    config = config_from_text('[intent]\ntopics = ["Intent Data"]\n', tmp_path / "abm.toml")
    assert_same_merge(_merge([path], config, False), _merge([path], config, True, 5))


def test_identities_whose_hashes_collide_are_told_apart(monkeypatch) -> None:
    """Rows find their identity by a hash of its fields; when different identities share
    a hash (forced here: four hashes for every identity), each still gets its own code,
    in the order of first rows, and the merge is the whole read's."""
    from abmcli.sources import feeds

    real = feeds._tuple_hashes
    monkeypatch.setattr(feeds, "_tuple_hashes", lambda ids: real(ids) % feeds.np.uint64(4))
    config = config_from_text((EXAMPLES / "abm.toml").read_text(), EXAMPLES / "abm.toml")
    paths = sorted(EXAMPLES.glob("*.csv"))
    streamed = _merge(paths, config, streamed=True)
    assert_same_merge(_merge(paths, config, streamed=False), streamed)
    for part in streamed.sources:
        if part.feed is not None:
            first_rows = part.feed.identities["_row"]
            assert first_rows.is_monotonic_increasing and len(first_rows) > 4


def test_texts_looked_up_ahead_of_the_folding_keep_one_id_each() -> None:
    """Parsing threads look a batch's texts up in the texts known when the batch was
    handed to them; texts seen since (by earlier batches) keep their id and are kept
    once (memory follows the distinct texts, not the batches)."""
    import pyarrow as pa

    from abmcli.sources.feeds import _Vocabulary, look_up

    vocabulary = _Vocabulary()
    before = vocabulary.known()  # both batches were handed out before either was folded
    batches = [pa.array(t).dictionary_encode() for t in (["Acme", "Beta", "Acme"],
                                                         ["Beta", " Acme", "Core"])]
    first, second = (vocabulary.codes(b, look_up(b.dictionary, before)) for b in batches)
    assert vocabulary.texts == ["Acme", "Beta", "", " Acme", "Core"]  # "": a blank cell
    assert first.tolist() == [0, 1, 0] and second.tolist() == [1, 3, 4]
    assert vocabulary.known().to_pylist() == ["Acme", "Beta", " Acme", "Core"]


def test_day_first_dates_seen_late_are_read_as_whole(tmp_path: Path) -> None:
    """The first batches' dates (03/11/2026) do not say day or month first; a later one
    (23/11/2026) does: the feed is read again with that choice, as a whole read decides
    it from every date of the column."""
    rows = ["Account Name,Account Domain,Week Starting,Page Views,Visits"]
    rows += [f"Co {i},co{i}.com,0{1 + i % 9}/11/2026,{i % 5},1" for i in range(60)]
    rows += [f"Co {i},co{i}.com,23/11/2026,{i % 7},2" for i in range(20)]
    path = tmp_path / "engagement.csv"
    path.write_text("\n".join(rows) + "\n")
    whole, streamed = _merge([path], Config(), False), _merge([path], Config(), True, 10)
    assert_same_merge(whole, streamed)
    assert streamed.hub["engagement_last_date"].astype(str).max() == "2026-11-23"


@given(BUNDLE)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_bundles_merge_alike_streamed_and_lose_no_row(bundle) -> None:
    """Hostile cells (placeholders, free mail, formula text, blank scores and dates) in
    streamed intent and engagement files: the same merge, and every row in the lineage."""
    with tempfile.TemporaryDirectory() as folder:
        paths = write_bundle(Path(folder), bundle)
        whole = merge_files([InputSpec(str(p)) for p in paths], Config(), stream_over=None)
        streamed = merge_files([InputSpec(str(p)) for p in paths], Config(), stream_over=0)
        assert_same_merge(whole, streamed)
        assert_nothing_lost(dataclasses.replace(streamed, lineage=streamed.full_lineage()),
                            bundle)


def test_repeated_headers_and_blank_records_in_a_streamed_file(tmp_path: Path) -> None:
    """Report pages repeating the header and blank lines: skipped as a whole read skips
    them, in the lineage as rejected (the repeated headers with their text). Quoted cells
    with line ends and quotes are cut into pieces only at record ends."""
    header = "Company Name,Domain,Topic,Composite Score,Report Date"
    body = [f"Co {i},co{i}.com,CDP,{50 + i},2026-11-02" for i in range(30)]
    quoted = ['"Multi\nLine, Co",mlc.com,CDP,77,2026-11-02', '"Say ""hi""",hi.com,CDP,61,']
    lines = [header, *body[:10], "", header, *body[10:20], ",,,,", *quoted, header,
             *body[20:]]
    path = tmp_path / "surge.csv"
    path.write_text("\n".join(lines) + "\n")
    whole, streamed = _merge([path], Config(), False), _merge([path], Config(), True, 4)
    assert_same_merge(whole, streamed)
    rejected = streamed.full_lineage().query("match == 'rejected'")
    assert rejected["reason"].str.startswith("repeated header row").sum() == 2
    assert rejected.loc[rejected["reason"] == "blank record", "row"].tolist() == [11, 23]


def test_a_ragged_feed_is_read_whole_or_refused_saying_why(tmp_path: Path) -> None:
    """A record with more cells than the header cannot be streamed exactly: under the
    size limit the file is read whole (same result), over it the refusal names the
    record and why streaming was not possible."""
    rows = ["Company Name,Domain,Topic,Composite Score,Report Date"]
    rows += [f"Co {i},co{i}.com,CDP,{50 + i},2026-11-02" for i in range(20)]
    rows.insert(9, "Co x,cox.com,CDP,70,2026-11-02,extra cell")
    path = tmp_path / "surge.csv"
    path.write_text("\n".join(rows) + "\n")
    assert_same_merge(_merge([path], Config(), False), _merge([path], Config(), True, 4))
    tiny = config_from_text("[limits]\nmax_input_mb = 0.0001\n", tmp_path / "abm.toml")
    with pytest.raises(InputFileError) as refused:
        load_source(path, config=tiny, stream_over=0, batch_rows=4)
    assert "could not be streamed instead" in str(refused.value)
    assert "record 9 has more or fewer cells than its header" in str(refused.value)


def test_a_crm_file_over_the_limit_is_refused_saying_only_feeds_stream(
        tmp_path: Path) -> None:
    path = tmp_path / "sfdc.csv"
    path.write_text("Account Name,Website,Account Owner,Account ID\nAcme,acme.com,Jo,001\n")
    tiny = config_from_text("[limits]\nmax_input_mb = 0.00001\n", tmp_path / "abm.toml")
    with pytest.raises(InputFileError, match="only intent and engagement files are streamed"):
        load_source(path, config=tiny, stream_over=0)


def _as_parquet(csv_path: Path, folder: Path, typed: dict[str, str] | None = None) -> Path:
    from abmcli.sources.read import read_table

    table = read_table(csv_path)
    frame = table.rows.copy()
    for column, kind in (typed or {}).items():
        frame[column] = pd.to_numeric(frame[column]).astype(kind)
    path = folder / f"{csv_path.stem}.parquet"
    frame.to_parquet(path, index=False)
    return path


def test_parquet_files_of_every_family_merge_like_their_csvs(tmp_path: Path) -> None:
    """A warehouse export as Parquet, for each family: the same hub as the CSV. Typed
    columns read as a user sees them (a score of 72 stored as a number is "72")."""
    config = config_from_text((EXAMPLES / "abm.toml").read_text(), EXAMPLES / "abm.toml")
    csvs = sorted(EXAMPLES.glob("*.csv"))
    parquets = [_as_parquet(p, tmp_path, {"Composite Score": "int64"}
                            if p.name.startswith("bombora") else None) for p in csvs]
    from_csv = _merge(csvs, config, streamed=False)
    from_parquet = _merge(parquets, config, streamed=False)
    streamed = _merge(parquets, config, streamed=True, batch_rows=50)
    assert [s.family for s in from_parquet.sources] == [s.family for s in from_csv.sources]
    # CRM report footers are not data rows of a warehouse table: compare account data
    pd.testing.assert_frame_equal(from_csv.hub, from_parquet.hub, check_dtype=False)
    assert_same_merge(from_parquet, streamed)


def test_abm_inspect_reads_a_parquet_file(tmp_path: Path) -> None:
    path = _as_parquet(EXAMPLES / "bombora_company_surge.csv", tmp_path,
                       {"Composite Score": "float64"})
    result = CliRunner().invoke(app, ["inspect", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert '"family": "intent"' in result.output
    assert "Bombora Company Surge" in result.output


def test_blank_records_are_listed_alike_streamed_and_whole(tmp_path: Path) -> None:
    """Blank lines between a feed's rows are in the lineage as blank records, streamed
    or read whole (and do not stop a feed from streaming); blank lines at the end of
    the file are no records."""
    header = "Company Name,Domain,Topic,Composite Score,Report Date"
    body = [f"Co {i},co{i}.com,CDP,{50 + i},2026-11-02" for i in range(30)]
    path = tmp_path / "surge.csv"
    path.write_text("\n".join([header, *body[:10], "", *body[10:20], ",,,,", *body[20:], "",
                               ""]) + "\n")
    streamed = load_source(str(path), config=Config(), stream_over=0, batch_rows=4)
    whole = load_source(str(path), config=Config(), stream_over=None)
    assert streamed.notes[0].startswith("streamed:")
    for source in (streamed, whole):
        assert [(r.row, r.reason) for r in source.table.skipped] == [
            (11, "blank record"), (22, "blank record")]
