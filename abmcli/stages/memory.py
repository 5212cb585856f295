"""What the weekly run remembers from one week to the next.

Vendor exports are noisy: a company missing from this week's ZoomInfo pull, a few
engagement rows absent. Without memory each run starts from zero and that noise
becomes tier churn and false alerts. The memory is the matched input records of
earlier weeks (canonical fields as text, the account key and the ISO week an export
last held them), kept in `memory.zip` (one CSV per family) inside each week's folder,
so it is published atomically with the week; `OUT/memory.zip` is a link to the newest
week's copy.

Whether a family is a snapshot or a history, and what identifies one of its records, is
its record in `fields.FAMILY_REGISTRY`.

- **Snapshot families** (fit, CRM, relationship): when this week's export of a family
  lacks an account, its records from the last week that had them are used again
  ("carried"), for up to `[memory] carry_forward_weeks` weeks (4). Past that the
  family's data expires.
- **Long families** (intent, engagement): per account and date the records of every
  export are kept for `history_weeks` (13); a date this week's export also has is
  replaced by this week's rows (exports restate recent weeks), the others still count.
  Spikes, totals and recency are computed on that history. A vendor's own spike flag
  counts only in the week it is exported.
- An account that no export has held for longer than the carry window is forgotten:
  it leaves the hub and Changes lists it as dropped with the week it was last seen.

The run's week is compared with the memory of the newest earlier week's run, so
re-running a week starts from the same memory as its first run.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from abmcli.csv_text import write_frame
from abmcli.errors import AbmError
from abmcli.fields import FAMILY_LETTERS, FAMILY_REGISTRY, ROW_COLUMN
from abmcli.keys.values import parse_dates
from abmcli.matching.decisions import Decisions
from abmcli.matching.match import NAME_PREFIX, account_id
from abmcli.safe import atomic_path
from abmcli.sections import MemorySettings
from abmcli.stages.hub import KEY, REMEMBERED
from abmcli.xlsx.workbook import ZIP_LEVEL

MEMORY_FILE = "memory.zip"
SNAPSHOT_FAMILIES = tuple(n for n, f in FAMILY_REGISTRY.items() if f.memory == "snapshot")
HISTORY_FAMILIES = tuple(n for n, f in FAMILY_REGISTRY.items() if f.memory == "history")
REMEMBERED_FAMILIES = SNAPSHOT_FAMILIES + HISTORY_FAMILIES
FAMILY, WEEK = "_family", "_week"
PERIOD_FIELD = "date"
# A record's own identity within its account, where the family has one: a contact, a
# CRM record, a company id, an intent topic.
ROW_IDENTITY = {name: family.row_identity for name, family in FAMILY_REGISTRY.items()
                if family.row_identity}
# Fields that describe only the week they were exported in: a vendor's spike flag.
CURRENT_ONLY_FIELDS = ("spike_percent",)
CARRIED_COLUMNS = ("carried", "carried_age_weeks")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def week_monday(week: str) -> dt.date:
    """"2026-W48" -> the Monday of that ISO week."""
    found = _WEEK.match(week)
    if not found:
        raise AbmError(f"'{week}' is not an ISO week such as 2026-W48")
    return dt.date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)


def weeks_between(earlier: str, later: str) -> int:
    return (week_monday(later) - week_monday(earlier)).days // 7


@dataclass
class Memory:
    """Records of earlier weeks per family: KEY, WEEK and the family's fields, as text."""

    families: dict[str, pd.DataFrame] = field(default_factory=dict)

    @classmethod
    def of(cls, records: pd.DataFrame) -> Memory:
        """From one frame with a FAMILY column (how tests and tools write it)."""
        return cls({str(family): frame.drop(columns=FAMILY).reset_index(drop=True)
                    for family, frame in records.groupby(FAMILY, sort=True)})

    @property
    def records(self) -> pd.DataFrame:
        """Every record in one frame with a FAMILY column, for reading, not for runs."""
        frames = [frame.assign(**{FAMILY: family}) for family, frame in self.families.items()]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
            columns=[KEY, FAMILY, WEEK])

    def rows(self) -> int:
        return sum(len(frame) for frame in self.families.values())


def read_memory(path: Path, *, follow_link: bool = False) -> Memory:
    """The memory a run left in `path` (a zip of one CSV per family); a missing file is
    an empty memory. A run reads the file in a week's folder, which abm writes as a real
    file, so a link there was planted; `follow_link` reads `OUT/memory.zip`."""
    if path.is_symlink() and not follow_link:
        raise AbmError(f"{path}: is a symbolic link, which abm does not follow for its "
                       "memory; delete it to start the memory afresh")
    if not path.is_file():
        return Memory()
    families = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                family = name.removesuffix(".csv")
                if family not in REMEMBERED_FAMILIES:
                    continue
                with archive.open(name) as handle:
                    families[family] = pd.read_csv(handle, dtype=str, keep_default_na=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise AbmError(f"{path}: the run's memory could not be read ({error}); delete the "
                       "file to start the memory afresh") from error
    for family, frame in families.items():
        if not {KEY, WEEK} <= set(frame.columns):
            raise AbmError(f"{path}: {family}.csv is not part of a memory written by abm "
                           "run (no account_key or _week column); delete the file to start "
                           "afresh")
    return Memory(families)


def write_memory(memory: Memory, path: Path) -> Path:
    """Write `memory` to `path` atomically: a zip of one CSV per family holding only the
    columns that family fills (a zip is never opened as a spreadsheet)."""
    with atomic_path(path) as temp, zipfile.ZipFile(temp, "w") as archive:
        for family, frame in sorted(memory.families.items()):
            filled = [c for c in frame.columns if c in (KEY, WEEK) or _filled(frame[c])]
            entry = zipfile.ZipInfo(f"{family}.csv", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry._compresslevel = ZIP_LEVEL  # type: ignore[attr-defined]  # see ZIP_LEVEL
            with archive.open(entry, "w") as raw, io.TextIOWrapper(
                    raw, encoding="utf-8", newline="") as handle:
                write_frame(frame[filled].sort_values([KEY, WEEK], kind="stable"), handle,
                            line_terminator=os.linesep)  # pandas' default, as before
    return path


def _filled(column: pd.Series) -> bool:
    """Whether any cell of the column holds text: most columns show one in their first
    rows, so only the empty ones are looked at whole (0.24 s of 800,000 records)."""
    return bool(column.iloc[:1000].ne("").any() or column.ne("").any())


def link_memory(out_dir: Path, latest: str) -> None:
    """Make `OUT/memory.zip` a relative link to the file in the folder `latest`
    names, so it follows the atomically published week."""
    link = out_dir / MEMORY_FILE
    target = f"{latest}/{MEMORY_FILE}"
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.exists() and not link.is_symlink():
        raise AbmError(f"{link}: is a real file, not the link abm keeps to the newest "
                       "run's memory; move it away and run again")
    temp = out_dir / f".{MEMORY_FILE}.tmp-{os.getpid()}"
    temp.unlink(missing_ok=True)
    os.symlink(target, temp)
    os.replace(temp, link)


# --- recalling ---------------------------------------------------------------------------


@dataclass
class Recall:
    """What this week's run takes from memory, and the memory it leaves."""

    family_rows: dict[str, pd.DataFrame]  # this week's records plus remembered ones
    identities: pd.DataFrame  # KEY, family, domain, name, REMEMBERED for remembered rows
    carried: pd.DataFrame  # per account_id: carried text and age in weeks
    state: Memory  # the memory after this week


def recall(memory: Memory, family_rows: dict[str, pd.DataFrame], week: str,
           settings: MemorySettings, decisions: Decisions) -> Recall:
    """Join this week's matched records (`family_rows`, per family, with KEY) with what
    `memory` holds from earlier weeks (see the module doc)."""
    rows: dict[str, pd.DataFrame] = {}
    added: list[pd.DataFrame] = []
    carried: list[pd.DataFrame] = []
    for family in sorted(set(family_rows) | set(memory.families)):
        current = family_rows.get(family, pd.DataFrame(columns=[KEY]))
        current = current.drop(columns=[ROW_COLUMN], errors="ignore").assign(**{WEEK: week})
        # A family that is not remembered (Family.memory None) starts afresh each week.
        stored = memory.families.get(family) if family in REMEMBERED_FAMILIES else None
        earlier = _stored(stored, week, decisions)
        remembered, ages = _remembered(family, current, earlier, week, settings)
        rows[family] = pd.concat([current, remembered], ignore_index=True) if len(
            remembered) else current
        added.append(remembered.assign(**{FAMILY: family}))
        carried.append(ages)
    state = Memory({family: _as_text(frame) for family, frame in rows.items()})
    return Recall(rows, _identities(added), _carried(carried), state)


def _stored(records: pd.DataFrame | None, week: str, decisions: Decisions) -> pd.DataFrame:
    """A family's records of earlier weeks, keyed by today's accounts (an accepted
    decision since then joins two accounts' records)."""
    if records is None:
        return pd.DataFrame(columns=[KEY, WEEK])
    earlier = {w: bool(_WEEK.match(w)) and w < week for w in pd.unique(records[WEEK])}
    records = records[records[WEEK].map(earlier).to_numpy(dtype=bool)]
    joined = {key: decisions.account_key(key) for key in pd.unique(records[KEY])}
    if all(root == key for key, root in joined.items()):  # no decision joins any of them
        return records
    return records.assign(**{KEY: records[KEY].map(joined)})


def _as_text(records: pd.DataFrame) -> pd.DataFrame:
    """The records as the memory keeps them: text, "" for missing (shared with the
    week's records when they have no gaps: a copy of 800,000 rows costs memory)."""
    gaps = records.isna().to_numpy().any()
    return records.fillna("") if gaps else records


def _remembered(family: str, current: pd.DataFrame, earlier: pd.DataFrame, week: str,
                settings: MemorySettings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The earlier records of `family` this week uses, and per account with carried
    records the week they are from and how many of its rows they are."""
    if earlier.empty:
        return earlier, pd.DataFrame(columns=[KEY, FAMILY, WEEK, "rows", "of"])
    history = family in HISTORY_FAMILIES
    rows_now = set(_row_ids(family, current, history))
    ids = _row_ids(family, earlier, history)
    missing = ~ids.isin(rows_now).to_numpy()
    if history:  # an account's history lives while exports hold the account
        seen = _newest(earlier, earlier[KEY])
        living = earlier[KEY].isin(pd.unique(current[KEY])) | _age_ok(seen, week, settings)
        recent = _in_history(earlier, week, settings)
        used = earlier[missing & living.to_numpy() & recent]
        used = used.assign(**{name: "" for name in CURRENT_ONLY_FIELDS if name in used})
        whole = used[~used[KEY].isin(pd.unique(current[KEY]))]
    else:  # a snapshot row (a contact, a CRM record) is carried for the carry window
        # unless this week's export holds the record itself under another account key
        # (a CRM account that gained a website): that row is this week's, not missing.
        missing &= ~_identities_of(family, earlier).isin(
            set(_identities_of(family, current)) - {""}).to_numpy()
        newest = earlier[WEEK] == _newest(earlier, ids)
        used = earlier[missing & newest.to_numpy() & _age_ok(earlier[WEEK], week, settings)]
        whole = used
    return used, _carried_rows(family, whole, current)


def _newest(records: pd.DataFrame, groups: pd.Series) -> pd.Series:
    """Per record, the newest WEEK among the records of its group. Worked on integer
    codes: a groupby max over week texts costs seconds on 800,000 rows."""
    codes, weeks = pd.factorize(records[WEEK], sort=True)  # ISO weeks sort as text
    group_codes = pd.factorize(groups)[0]
    newest = pd.Series(codes).groupby(group_codes).transform("max").to_numpy()
    return pd.Series(np.asarray(weeks, dtype=object)[newest], index=records.index)


def _age_ok(weeks: pd.Series, week: str, settings: MemorySettings) -> np.ndarray:
    ages = {seen: weeks_between(seen, week) for seen in pd.unique(weeks)}
    return (weeks.map(ages) <= settings.carry_forward_weeks).to_numpy()


def _in_history(records: pd.DataFrame, week: str, settings: MemorySettings) -> np.ndarray:
    """Rows dated within `history_weeks` before the run's week (undated rows count)."""
    periods = _periods(records)
    oldest = (week_monday(week) - dt.timedelta(weeks=settings.history_weeks)).isoformat()
    return ((periods == "") | (periods >= oldest)).to_numpy()


def _row_ids(family: str, records: pd.DataFrame, dated: bool) -> pd.Series:
    """What one record stands for: the account, with a history family's date, and the
    row's own identity where the family has one (a contact's email, a CRM id, a topic),
    so that a row this week's export leaves out is found even when the account is in."""
    parts = [records[KEY].astype(str).tolist()]
    if dated:
        parts.append(_periods(records).tolist())
    for name in ROW_IDENTITY.get(family, ()):
        # A column the memory did not keep (the family never filled it) is blank.
        parts.append(_identity_texts(records[name]) if name in records.columns
                     else [""] * len(records))
    # Joined as Python strings: pandas' text arithmetic went cell by cell through its
    # array's __getitem__ (1.6 s of a second week's 800,000 records).
    ids = ["\x1f".join(cells) for cells in zip(*parts, strict=True)] if len(parts) > 1 else (
        parts[0])
    return pd.Series(ids, index=records.index, dtype=object)


def _identity_texts(column: pd.Series) -> list[str]:
    """A record identity's cells as compared: text, stripped, lower case, "" for none."""
    return [text.strip().lower() for text in column.fillna("").astype(str).tolist()]


def _identities_of(family: str, records: pd.DataFrame) -> pd.Series:
    """Each record's own identity (a CRM id, a contact's email) without its account
    key; "" where the family has none or the record leaves it blank."""
    names = [name for name in ROW_IDENTITY.get(family, ()) if name in records.columns]
    if not names:
        return pd.Series("", index=records.index, dtype=object)
    parts = [_identity_texts(records[name]) for name in names]
    joined = ["\x1f".join(cells) if any(cells) else ""
              for cells in zip(*parts, strict=True)]
    return pd.Series(joined, index=records.index, dtype=object)


def _carried_rows(family: str, used: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Per account with carried records: the newest week they are from, how many rows
    were carried, and of how many rows the account now has in the family."""
    if used.empty:
        return pd.DataFrame(columns=[KEY, FAMILY, WEEK, "rows", "of"])
    grouped = used.groupby(KEY)
    carried = pd.DataFrame({WEEK: grouped[WEEK].max(), "rows": grouped.size()})
    now = current.groupby(KEY).size().reindex(carried.index, fill_value=0)
    carried["of"] = carried["rows"] + now
    return carried.rename_axis(KEY).reset_index().assign(**{FAMILY: family})


def _periods(records: pd.DataFrame) -> pd.Series:
    """Each record's date as ISO text, "" when undated: how restated rows are found."""
    if PERIOD_FIELD not in records.columns or records.empty:
        return pd.Series("", index=records.index, dtype=object)
    text = records[PERIOD_FIELD].fillna("").astype(str)
    distinct = pd.unique(text)
    parsed = pd.to_datetime(parse_dates(pd.Series(distinct, dtype=object)))
    iso = {raw: (day.date().isoformat() if not pd.isna(day) else "")
           for raw, day in zip(distinct, parsed, strict=True)}
    return text.map(iso).astype(object)


def _identities(added: list[pd.DataFrame]) -> pd.DataFrame:
    """Rows for the hub's account frame (names, families) from the remembered records."""
    frames = [frame for frame in added if len(frame)]
    if not frames:
        return pd.DataFrame(columns=[KEY, "family", "domain", "name", REMEMBERED])
    records = pd.concat(frames, ignore_index=True)
    keys = records[KEY]
    return pd.DataFrame({
        KEY: keys, "family": records[FAMILY],
        "domain": keys.where(~keys.str.startswith(NAME_PREFIX), np.nan),
        "name": records["name"] if "name" in records else "",
        REMEMBERED: True,
    })


def _carried(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Per account_id: "fit from 2026-W47; relationship from 2026-W46 (1 of 3 rows)" and
    the oldest of those weeks."""
    found = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
    if found.empty:
        return pd.DataFrame(columns=["carried", "oldest"], index=pd.Index([], name="account_id"))
    order = {family: i for i, family in enumerate(FAMILY_LETTERS)}
    found = found.assign(_order=found[FAMILY].map(order)).sort_values([KEY, "_order"])
    rows, of = found["rows"].astype("int64"), found["of"].astype("int64")
    part = np.where(rows < of, " (" + rows.astype(str) + " of " + of.astype(str) + " rows)", "")
    found["text"] = found[FAMILY] + " from " + found[WEEK] + part
    grouped = found.groupby(KEY)
    carried = pd.DataFrame({"carried": grouped["text"].agg("; ".join),
                            "oldest": grouped[WEEK].min()})
    carried.index = pd.Index([account_id(key) for key in carried.index], name="account_id")
    return carried


def mark_carried(hub: pd.DataFrame, carried: pd.DataFrame, week: str) -> pd.DataFrame:
    """The hub with `carried` ("fit from 2026-W47") and `carried_age_weeks` (0 when
    nothing is carried); a carried family's coverage letter is lower case."""
    marked = hub.copy()
    ids = marked["account_id"].astype(str)
    text = ids.map(carried["carried"]) if len(carried) else pd.Series(np.nan, index=ids.index)
    oldest = ids.map(carried["oldest"]) if len(carried) else text
    marked["carried"] = text.astype(object).where(text.notna(), "")
    marked["carried_age_weeks"] = oldest.map(
        lambda seen: weeks_between(seen, week) if isinstance(seen, str) and seen else 0
    ).astype("int64")
    if "coverage" in marked.columns:
        marked["coverage"] = [_coverage(cov, txt) for cov, txt in
                              zip(marked["coverage"], marked["carried"], strict=True)]
    return marked


def _coverage(coverage: str, carried: str) -> str:
    if not carried:
        return coverage
    families = {part.split(" from ")[0] for part in carried.split("; ")
                if "rows)" not in part}  # a family partly carried is still in the export
    parts = str(coverage).split(" ")
    letters = list(FAMILY_LETTERS.items())
    return " ".join(part.lower() if i < len(letters) and letters[i][0] in families else part
                    for i, part in enumerate(parts))
