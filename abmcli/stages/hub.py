"""Aggregate matched rows into the account hub: one row per account.

Each family has its own aggregation (PRODUCT.md §3.4): fit and CRM fields take the
first filled value per account; intent summarises the latest report; relationship
takes the strongest relationship; engagement sums a recent window and flags spikes.
Fields several families carry (industry, country, employees, revenue ...) are
resolved by the configured precedence, and the hub records which family won.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from abmcli import schema
from abmcli.config import Config
from abmcli.fields import (
    ACTIVITY_FIELDS,
    FAMILIES,
    FAMILY_LETTERS,
    FILE_COLUMN,
    SIGNAL_FIRMOGRAPHICS,
    WEIGHT_COLUMN,
)
from abmcli.keys.countries import display_country
from abmcli.keys.names import clean_display_name, name_keys
from abmcli.keys.values import (
    parse_activity,
    parse_amount,
    parse_count_or_range,
    parse_dates,
    parse_numbers,
    parse_relationship_scores,
    parse_score,
    split_list,
)
from abmcli.matching.match import NAME_PREFIX, account_id
from abmcli.schema import topic_column
from abmcli.sections import EngagementSettings
from abmcli.workers import Crew, balanced

KEY = "account_key"
# Marks rows the weekly run's memory adds (memory.py): they give an account its
# families and names but are no input rows of this run, so source_rows leaves them out.
REMEMBERED = "remembered"
# Fields several families carry; the hub keeps one value and says where it came from.
SHARED_FIELDS = ("industry", "country", "employees", "revenue", "state", "city")


def build_hub(family_rows: dict[str, pd.DataFrame], all_rows: pd.DataFrame,
              config: Config, signals: dict[str, pd.DataFrame] | None = None,
              crew: Crew | None = None) -> pd.DataFrame:
    """The hub from per-family records (canonical fields + account_key) and all matched rows.

    `all_rows` has one row per input row with account_key, family, domain and name
    (or per distinct identity of a streamed feed, counted `_weight` times).
    `signals` holds the intent and engagement rows streamed feeds folded (feeds.py),
    already parsed and keyed; their identity records are in `family_rows`.
    The hub is indexed by account key (a domain, or `name:` + name key).
    With `crew` (workers.py), the families are aggregated in workers while this
    process makes the accounts' own columns; the hub is the same either way.
    """
    crew = crew or Crew(apart=False)
    jobs = [crew.start(functools.partial(_family_frames, family_rows, config, signals or {},
                                         part))
            for part in _family_parts(family_rows, FAMILY_WORKERS if crew.apart else 1)]
    hub = _account_frame(all_rows, config.match.precedence)
    aggregated = {family: found for job in jobs for family, found in job.result().items()}
    shared = {family: aggregated[family][0] for family in FAMILIES if family in aggregated}
    per_source = {label: frame for family in FAMILIES if family in aggregated
                  for label, frame in aggregated[family][1].items()}
    for frame in shared.values():
        hub = hub.join(frame.drop(columns=[c for c in SHARED_FIELDS if c in frame]), how="left")
    hub = _add_shared_fields(hub, shared, config.match.precedence)
    hub["value_conflicts"] = value_conflicts(hub, per_source, config.match.conflict_ratio)
    return _finish(hub)


# Workers the families are aggregated in, beside the run's own process making the
# accounts' columns: with one, the run waited 1.7 s for it (3.3 s of work and 31 MB
# pickled back against 2.4 s of its own).
FAMILY_WORKERS = 2


def _family_parts(family_rows: dict[str, pd.DataFrame], parts: int) -> list[list[str]]:
    """The merged families in `parts` lists of about as many records, each in FAMILIES
    order."""
    merged = [f for f in FAMILIES if (rows := family_rows.get(f)) is not None and not rows.empty]
    return balanced(merged, lambda family: len(family_rows[family]), parts)


def _family_frames(family_rows: dict[str, pd.DataFrame], config: Config,
                   signals: dict[str, pd.DataFrame], families: list[str]
                   ) -> dict[str, tuple[pd.DataFrame, dict[str, pd.DataFrame]]]:
    """Per family of `families`, its aggregate (AGGREGATORS) and the employees and
    revenue each of its sources holds per account (`_per_file`, what value_conflicts
    reads)."""
    found = {}
    for family in families:
        records = family_rows[family]
        frame = AGGREGATORS[family](records, config, signals.get(family))
        found[family] = (frame, _per_file(family, records, frame))
    return found


def _account_frame(all_rows: pd.DataFrame, precedence: list[str]) -> pd.DataFrame:
    placed = all_rows[all_rows[KEY].notna()]
    # Each row's account as an integer code into the sorted keys (sorted, the codes'
    # order is the keys' order): group-bys on 800,000 text keys cost seconds.
    codes, sorted_keys = pd.factorize(placed[KEY], sort=True)
    keys = pd.Index(sorted_keys, name=KEY)
    hub = pd.DataFrame(index=keys)
    hub["account_id"] = [account_id(k) for k in keys]
    hub["account_name"] = _display_names(placed, codes, keys, precedence)
    is_domain = ~keys.str.startswith(NAME_PREFIX)
    hub["domain"] = np.where(is_domain, keys, "")
    hub["other_domains"] = _other_domains(placed).reindex(keys).fillna("")
    weights = _weights(placed)
    families = placed["family"].to_numpy()
    for family in FAMILIES:
        rows = np.bincount(codes[families == family], minlength=len(keys))
        hub[f"has_{family}"] = rows > 0
    hub["coverage"] = _coverage(hub)
    if REMEMBERED in placed.columns:
        counted = ~placed[REMEMBERED].eq(True).to_numpy()
        codes, weights = codes[counted], weights[counted]
    hub["source_rows"] = np.bincount(codes, weights=weights, minlength=len(keys)
                                     ).round().astype("int64")
    fallback = pd.Series(keys.str.removeprefix(NAME_PREFIX), index=keys)
    hub["account_name"] = hub["account_name"].fillna(fallback)
    return hub


def _weights(rows: pd.DataFrame) -> np.ndarray:
    """Input rows per record: a streamed feed's identity record stands for many."""
    if WEIGHT_COLUMN not in rows:
        return np.ones(len(rows))
    return rows[WEIGHT_COLUMN].fillna(1).to_numpy(dtype="float64")


def _display_names(placed: pd.DataFrame, codes: np.ndarray, keys: pd.Index,
                   precedence: list[str]) -> pd.Series:
    """Per account, the spelling a user expects to see (issue 10): the CRM's name first
    (the team's own spelling), then the name closest to the account's domain
    (kerrygroup.com is "Kerry Group", not "Dairy Produce Packers"; intel.com "Intel", not
    "Intel Ireland"), then the most frequent, then the highest-precedence family, mixed
    case over ALL CAPS, and alphabetical order. Length never decides.

    Worked on integer codes (account x spelling) because a groupby over 800,000 rows of
    text keys costs seconds; closeness is computed only where an account has a choice.
    """
    row_codes, raw = pd.factorize(placed["name"])
    cleaned, spelling_of_raw = _cleaned_spellings(raw)
    rank_of = {family: i for i, family in enumerate(precedence)}
    rows = pd.DataFrame({
        "account": codes,
        "spelling": spelling_of_raw[row_codes],
        "rank": placed["family"].map(rank_of).fillna(len(rank_of)).to_numpy(dtype="int64"),
        "crm": (placed["family"] == "crm").to_numpy(dtype="int64"),
        "weight": _weights(placed),
    })
    rows = rows[rows["spelling"] >= 0]
    if rows.empty:
        return pd.Series(np.nan, index=keys, dtype=object)
    groups = rows.groupby(["account", "spelling"], sort=False).agg(
        count=("weight", "sum"), rank=("rank", "min"), crm=("crm", "max")).reset_index()
    groups["closeness"] = _closeness_to_domain(groups, keys, _spelling_keys(
        placed, row_codes, spelling_of_raw, cleaned))
    # Sorted on numbers (a text's rank among the spellings stands for the text): the
    # best spelling of each account comes first.
    spelling = groups["spelling"].to_numpy()
    texts = np.array(cleaned, dtype=object)
    text_rank = np.empty(len(texts), dtype=np.int64)
    text_rank[np.argsort(texts, kind="stable")] = np.arange(len(texts))
    mixed = np.array([_is_mixed_case(text) for text in cleaned], dtype=bool)
    accounts = groups["account"].to_numpy()
    order = np.lexsort((text_rank[spelling], ~mixed[spelling], groups["rank"].to_numpy(),
                        -groups["count"].to_numpy(), -groups["closeness"].to_numpy(),
                        -groups["crm"].to_numpy(), accounts))
    first = order[np.r_[True, accounts[order][1:] != accounts[order][:-1]]]
    return pd.Series(texts[spelling[first]], index=keys[accounts[first]]).reindex(keys)


def _spelling_keys(placed: pd.DataFrame, row_codes: np.ndarray, spelling_of_raw: np.ndarray,
                   cleaned: list[str]) -> np.ndarray:
    """The name key of each clean spelling: the matcher's own (`name_key` column, already
    computed for every row) where there is one, else computed here."""
    if "name_key" not in placed:
        return name_keys(pd.Series(cleaned, dtype=object)).to_numpy(dtype=object)
    codes, first_rows = np.unique(row_codes, return_index=True)
    keys = np.empty(len(cleaned), dtype=object)
    known = spelling_of_raw[codes] >= 0
    keys[spelling_of_raw[codes][known]] = placed["name_key"].to_numpy(dtype=object)[
        first_rows[known]]
    return keys


def _closeness_to_domain(groups: pd.DataFrame, keys: pd.Index, spelling_keys: np.ndarray
                         ) -> np.ndarray:
    """0-100: how close each spelling's name key is to its account's domain label
    ("Kerry Group" -> "kerrygroup" vs kerrygroup.com: 100). 0 for name-keyed accounts and
    for accounts with one spelling (nothing to choose). Vectorised: one name key per
    distinct spelling, one label per account, rapidfuzz's pairwise ratio in C."""
    from rapidfuzz.fuzz import ratio
    from rapidfuzz.process import cpdist

    closeness = np.zeros(len(groups))
    accounts = groups["account"].to_numpy()
    on_domain = ~keys.str.startswith(NAME_PREFIX)
    chosen = np.flatnonzero(groups["account"].duplicated(keep=False).to_numpy()
                            & on_domain[accounts])
    if not len(chosen):
        return closeness
    key_texts = keys.to_numpy(dtype=object)
    labels = [_compact(key_texts[account].partition(".")[0].casefold())
              for account in accounts[chosen]]
    compact = [_compact(name) if isinstance(name, str) else ""
               for name in spelling_keys[groups["spelling"].to_numpy()[chosen]]]
    closeness[chosen] = cpdist(compact, labels, scorer=ratio)
    return closeness


_NOT_LETTER_OR_DIGIT = re.compile(r"[^0-9a-z]")


def _compact(text: str) -> str:
    """Only the ASCII letters and digits of a lower-case text ("kerry group" -> "kerrygroup")."""
    return _NOT_LETTER_OR_DIGIT.sub("", text)


def _cleaned_spellings(raw: pd.Index) -> tuple[list[str], np.ndarray]:
    """The distinct clean spellings, and for each raw name the code of its spelling
    (-1 when it cleans to nothing)."""
    cleaned = [clean_display_name(name) for name in raw.to_numpy(dtype=object)]
    codes, spellings = pd.factorize(pd.Series(cleaned, dtype=object))
    codes = codes.astype("int64")
    blank = [i for i, n in enumerate(spellings) if n == ""]
    if blank:
        codes[codes == blank[0]] = -1
    return list(spellings), codes


def _is_mixed_case(name: str) -> bool:
    return name != name.upper() and name != name.lower()


def _other_domains(placed: pd.DataFrame) -> pd.Series:
    has_domain = placed["domain"].notna() & (placed["domain"] != placed[KEY])
    extra = placed.loc[has_domain, [KEY, "domain"]].drop_duplicates()
    return extra.sort_values([KEY, "domain"]).groupby(KEY)["domain"].agg("; ".join)


def _coverage(hub: pd.DataFrame) -> pd.Series:
    parts = [
        hub[f"has_{family}"].map({True: letter, False: "-"})
        for family, letter in FAMILY_LETTERS.items()
    ]
    coverage = parts[0]
    for part in parts[1:]:
        coverage = coverage + " " + part
    return coverage


def first_filled(records: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    """Per account, the first non-empty value of each field, in input order."""
    present = [f for f in fields if f in records]
    if not present:
        return pd.DataFrame(index=pd.Index(pd.unique(records[KEY]), name=KEY))
    frame = records[[KEY, *present]].replace("", np.nan)
    return frame.groupby(KEY, sort=False).first()


def _aggregate_fit(records: pd.DataFrame, config: Config,
                   _signal: pd.DataFrame | None = None) -> pd.DataFrame:
    text_fields = ["industry", "sub_industry", "country", "state", "city",
                   "linkedin_url", "ticker", "technologies"]
    raw = first_filled(records, [*text_fields, "founded_year", "employees", "revenue",
                                 "revenue_thousands", "funding", "funding_thousands"])
    fit = raw[[c for c in text_fields if c in raw]].copy()
    if "founded_year" in raw:  # a number in Excel (sortable, filterable), not text
        fit["founded_year"] = _years(raw["founded_year"])
    if "technologies" in fit:
        fit["technologies"] = fit["technologies"].map(
            lambda t: "; ".join(split_list(t)) if isinstance(t, str) else np.nan)
    fit["employees"] = _employees(raw)
    fit["revenue"] = _money(raw, "revenue", "revenue_thousands")
    fit["funding"] = _money(raw, "funding", "funding_thousands")
    return fit


def _years(values: pd.Series) -> pd.Series:
    """Founding years as whole numbers; anything that is no plausible year is left empty."""
    years = parse_numbers(values.fillna("")).round()
    return years.where(years.between(1000, 2999)).astype("Int64")


def _employees(raw: pd.DataFrame) -> pd.Series:
    if "employees" not in raw:
        return pd.Series(np.nan, index=raw.index)
    return parse_numbers(raw["employees"].fillna(""), parse_count_or_range).round()


def _money(raw: pd.DataFrame, field: str, thousands_field: str) -> pd.Series:
    """Dollars from a money column, or from a column in thousands (ZoomInfo's 000s USD);
    an amount outside 0..MAX_AMOUNT (limits.py) is unknown."""
    value = pd.Series(np.nan, index=raw.index)
    if thousands_field in raw:
        value = parse_numbers(raw[thousands_field].fillna(""), _thousands)
    if field in raw:
        value = value.fillna(parse_numbers(raw[field].fillna(""), parse_amount))
    return value


def _thousands(text: object) -> float | None:
    return parse_amount(text, multiplier=1000)


def signal_firmographics(records: pd.DataFrame) -> pd.DataFrame:
    """Per account, the firmographics an intent or engagement export carries (Bombora's
    Size, Industry, HQ Country): first filled value, sizes and money parsed. The shared
    fields' precedence puts them after the fit and CRM sources."""
    fields = [f for f in SIGNAL_FIRMOGRAPHICS if f in records]
    if not fields:
        return pd.DataFrame(index=pd.Index(pd.unique(records[KEY]), name=KEY))
    raw = first_filled(records, fields)
    found = raw[[f for f in ("industry", "country", "state", "city") if f in raw]].copy()
    if "employees" in raw:
        found["employees"] = _employees(raw)
    if "revenue" in raw:
        found["revenue"] = _money(raw, "revenue", "revenue_thousands")
    return found


def _aggregate_crm(records: pd.DataFrame, config: Config,
                   _signal: pd.DataFrame | None = None) -> pd.DataFrame:
    raw = first_filled(records, ["crm_id", "owner", "type", "territory", "renewal_date",
                                 "industry", "country", "state", "city", "employees",
                                 "revenue"])
    crm = pd.DataFrame(index=raw.index)
    for field in ("crm_id", "owner", "type", "territory"):
        name = field if field == "crm_id" else f"crm_{field}"
        crm[name] = raw[field] if field in raw else np.nan
    crm["crm_duplicate_ids"] = _duplicate_ids(records)
    # ACV where the CRM holds one (customers), else the open opportunity (prospects).
    crm["crm_open_opportunity"] = _max_per_account(records, "opportunity_amount", parse_amount)
    crm["crm_acv"] = _max_per_account(records, "acv", parse_amount).reindex(crm.index).fillna(
        crm["crm_open_opportunity"])
    crm["crm_renewal_date"] = (parse_dates(raw["renewal_date"].fillna(""))
                               if "renewal_date" in raw else pd.NaT)
    for field in ("industry", "country", "state", "city"):
        if field in raw:
            crm[field] = raw[field]
    crm["employees"] = _employees(raw)
    crm["revenue"] = _money(raw, "revenue", "revenue_thousands")
    return crm


def _duplicate_ids(records: pd.DataFrame) -> pd.Series:
    """Further CRM ids of the same account: duplicates a CRM admin may want to merge."""
    if "crm_id" not in records:
        return pd.Series(dtype=object)
    ids = records.loc[records["crm_id"].ne(""), [KEY, "crm_id"]].drop_duplicates()
    extra = ids[ids.duplicated(KEY)]
    return extra.groupby(KEY)["crm_id"].agg("; ".join)


def _max_per_account(
    records: pd.DataFrame, field: str, parser: Callable[[object], float | None]
) -> pd.Series:
    if field not in records:
        return pd.Series(dtype=float)
    values = parse_numbers(records[field], parser)
    return values.groupby(records[KEY]).max()


def _input_rows(records: pd.DataFrame) -> pd.DataFrame:
    """The records that are input rows: not a streamed feed's identity records (whose
    signal comes folded, see build_hub)."""
    if WEIGHT_COLUMN not in records:
        return records
    return records[records[WEIGHT_COLUMN].isna()]


def intent_rows(records: pd.DataFrame) -> pd.DataFrame:
    """Intent rows with a score: account key, topic (stripped), score and date (undated:
    the epoch), what the intent summary reads."""
    frame = pd.DataFrame({
        KEY: records[KEY],
        "topic": records.get("topic", pd.Series("", index=records.index)).str.strip(),
        "score": parse_numbers(records["score"], parse_score) if "score" in records else np.nan,
        "date": _dates_or_epoch(records),
    })
    return frame[frame["score"].notna()]


def _aggregate_intent(records: pd.DataFrame, config: Config,
                      signal: pd.DataFrame | None = None) -> pd.DataFrame:
    threshold = config.intent.surge_threshold
    frame = intent_rows(_input_rows(records))
    if signal is not None:
        frame = pd.concat([frame, signal[frame.columns]], ignore_index=True)
    frame = _dated_only(frame, "date")
    # Group on integer account codes, not key texts: a long feed's latest week is
    # millions of rows, and each group-by on text keys costs a hash of every string.
    codes, accounts = pd.factorize(frame[KEY], sort=True)
    frame = frame.assign(**{KEY: codes})
    intent = _intent_by_code(frame, config, threshold)
    intent.index = pd.Index(np.asarray(accounts, dtype=object)[intent.index.to_numpy()],
                            name=KEY)
    return intent.join(signal_firmographics(records), how="left")


def _intent_by_code(frame: pd.DataFrame, config: Config, threshold: float) -> pd.DataFrame:
    latest = frame.groupby(KEY)["date"].transform("max")
    current = frame[frame["date"] == latest]
    grouped = current.groupby(KEY)
    intent = pd.DataFrame({
        "intent_max_score": grouped["score"].max(),
        "intent_mean_score": grouped["score"].mean().round(1),
    })
    surging = current[current["score"] >= threshold].sort_values(
        [KEY, "score", "topic"], ascending=[True, False, True]).drop_duplicates([KEY, "topic"])
    intent["intent_surging_topics"] = surging.groupby(KEY).size()
    intent["intent_surging_topics"] = intent["intent_surging_topics"].fillna(0).astype("int64")
    intent["intent_topics"] = surging.groupby(KEY)["topic"].agg("; ".join)
    intent["intent_latest_date"] = _undated(grouped["date"].max())
    surges = frame[frame["score"] >= threshold]
    intent["intent_last_surge_date"] = _undated(surges.groupby(KEY)["date"].max())
    for topic in config.intent.topics:
        rows = current[current["topic"].str.casefold() == topic.casefold()]
        intent[topic_column(topic)] = rows.groupby(KEY)["score"].max()
    relevant = {topic.casefold() for topic in config.intent.relevant_topics()}
    if relevant:
        _add_relevant_intent(intent, surges, relevant)
    return intent


def _add_relevant_intent(intent: pd.DataFrame, surges: pd.DataFrame,
                         relevant: set[str]) -> None:
    """The surges that count when `[intent] topics` names the topics that matter:
    intent_relevant_surge_date (the latest such surge) and intent_relevant_topics (the
    named topics surging on that date, highest score first)."""
    ours = surges[surges["topic"].str.casefold().isin(relevant)]
    latest = ours.groupby(KEY)["date"].transform("max")
    last = ours[ours["date"] == latest].sort_values(
        [KEY, "score", "topic"], ascending=[True, False, True]).drop_duplicates([KEY, "topic"])
    intent["intent_relevant_topics"] = last.groupby(KEY)["topic"].agg("; ".join)
    intent["intent_relevant_surge_date"] = _undated(ours.groupby(KEY)["date"].max())


_EPOCH = pd.Timestamp("1970-01-01")


def _dated_only(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows whose date was blank or unreadable (the epoch) while other rows are dated
    belong to no report or week, so they are counted in none (and never as the latest);
    the load note names them (sources/unread.py). Rows all undated stay one report.
    Applied to read and streamed rows together, so a streamed feed counts the same."""
    dated = frame[column] != _EPOCH
    return frame[dated] if dated.any() else frame

def _dates_or_epoch(records: pd.DataFrame, field: str = "date") -> pd.Series:
    """Parsed dates; undated rows share one placeholder date so they form one report."""
    if field not in records:
        return pd.Series(_EPOCH, index=records.index)
    return pd.to_datetime(parse_dates(records[field])).fillna(_EPOCH)


# The dates pandas holds at nanosecond precision; a date outside them (0001-01-01,
# 9999-12-31) is a placeholder, read as no date.
_FIRST_DATE, _LAST_DATE = pd.Timestamp("1678-01-01"), pd.Timestamp("2261-12-31")


def timestamps(values: pd.Series) -> pd.Series:
    """A date column as datetime64[ns]: unreadable and placeholder dates are NaT, so that
    dates from several columns and files compare and combine."""
    parsed = pd.to_datetime(parse_dates(values), errors="coerce")
    usable = parsed.where((parsed >= _FIRST_DATE) & (parsed <= _LAST_DATE))
    return usable.astype("datetime64[ns]")


def _undated(dates: pd.Series) -> pd.Series:
    return dates.where(dates != _EPOCH).dt.date


def _aggregate_relationship(records: pd.DataFrame, config: Config,
                            _signal: pd.DataFrame | None = None) -> pd.DataFrame:
    grouped_key = records[KEY]
    relationship = pd.DataFrame(index=pd.Index(pd.unique(grouped_key), name=KEY))
    if "score" in records:
        scores = parse_relationship_scores(records["score"])
        relationship["relationship_score"] = scores.groupby(grouped_key).max()
    relationship["relationship_contacts"] = _contacts(records)
    interactions = [f for f in RELATIONSHIP_DATES if f in records]
    if interactions:  # any kind of touch, an email we sent included
        relationship["relationship_last_interaction"] = _latest_date(records, interactions)
    for field in ("last_meeting", "last_reply"):
        if field in records:
            relationship[f"relationship_{field}"] = _latest_date(records, [field])
    return relationship


# Relationship dates: every kind of touch; only meetings and replies are engagement.
RELATIONSHIP_DATES = ("last_interaction", "last_email", "last_meeting", "last_reply")
# Engagement-export dates of things people at the account did, beside web activity.
ENGAGEMENT_DATES = ("last_meeting", "last_reply", "last_form_fill")


def _latest_date(records: pd.DataFrame, fields: list[str]) -> pd.Series:
    """Per account, the latest date in any of `fields` (NaT when none parses)."""
    parsed = pd.concat([timestamps(records[f]) for f in fields], axis=1)
    return parsed.max(axis=1).groupby(records[KEY]).max().dt.date


def _contacts(records: pd.DataFrame) -> pd.Series:
    """A count column where the export has one (account level), else distinct contacts."""
    if "contacts" in records:
        return parse_numbers(records["contacts"]).groupby(records[KEY]).max()
    if "email" in records and records["email"].ne("").any():
        emails = records.loc[records["email"].ne(""), [KEY, "email"]]
        return emails.assign(email=emails["email"].str.lower()).groupby(KEY)["email"].nunique()
    return records.groupby(KEY).size()


def engagement_rows(records: pd.DataFrame) -> pd.DataFrame:
    """Per engagement row: account key, each activity field (0 when blank), their sum
    `activity`, `active` (sum above 0), `week` (undated: the epoch) and the stated dates
    (last_activity, last_meeting ...) as timestamps: what the engagement summary reads."""
    frame = pd.DataFrame({KEY: records[KEY]})
    activity_columns = [f for f in ACTIVITY_FIELDS if f in records]
    for field in activity_columns:
        frame[field] = parse_numbers(records[field], parse_activity).fillna(0.0)
    frame["activity"] = frame[activity_columns].sum(axis=1) if activity_columns else 0.0
    frame["active"] = frame["activity"] > 0
    frame["week"] = _dates_or_epoch(records)
    for field in ("last_activity", *ENGAGEMENT_DATES):
        if field in records:
            frame[field] = timestamps(records[field])
    return frame


def _aggregate_engagement(records: pd.DataFrame, config: Config,
                          signal: pd.DataFrame | None = None) -> pd.DataFrame:
    settings = config.engagement
    rows = engagement_rows(_input_rows(records))
    if signal is not None:
        rows = pd.concat([rows, signal], ignore_index=True)
    activity_columns = [f for f in ACTIVITY_FIELDS if f in rows]
    for field in activity_columns:
        rows[field] = rows[field].fillna(0.0)
    accounts = pd.Index(pd.unique(rows[KEY]), name=KEY)
    frame = _dated_only(rows, "week")
    latest_week = frame["week"].max()
    window_start = latest_week - pd.Timedelta(weeks=settings.window_weeks - 1)
    in_window = frame[frame["week"] >= window_start]
    engagement = pd.DataFrame(index=accounts)
    totals = in_window.groupby(KEY)[[*activity_columns, "activity"]].sum()
    for field in activity_columns:
        engagement[f"engagement_{field}"] = totals[field]
    engagement["engagement_total"] = totals["activity"]
    engagement = engagement.fillna(dict.fromkeys(engagement.columns, 0.0))
    engagement["engagement_last_date"] = _last_activity(frame, rows)
    spike, size = _spikes(frame, latest_week, settings)
    engagement["engagement_spike"] = spike.reindex(engagement.index, fill_value=False).astype(bool)
    engagement["engagement_spike_pct"] = size.reindex(engagement.index).astype("float64")
    engagement["engagement_spike_date"] = pd.Series(
        latest_week, index=spike[spike].index).reindex(engagement.index)
    _apply_vendor_spikes(records, engagement)
    engagement["engagement_spike_date"] = _undated(engagement["engagement_spike_date"])
    for field in ENGAGEMENT_DATES:
        if field in rows:
            engagement[f"engagement_{field}"] = rows[field].groupby(rows[KEY]).max().dt.date
    return engagement.join(signal_firmographics(records), how="left")


def _last_activity(frame: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """The latest active week of the dated rows, or a later date any row states."""
    active_weeks = frame.loc[frame["active"].astype(bool) & (frame["week"] != _EPOCH)]
    last = active_weeks.groupby(KEY)["week"].max()
    if "last_activity" in rows:
        stated = rows["last_activity"]
        last = pd.concat([last, stated.groupby(rows[KEY]).max()], axis=1).max(axis=1)
    return last.dt.date


def _spikes(
    frame: pd.DataFrame, latest_week: pd.Timestamp, settings: EngagementSettings
) -> tuple[pd.Series, pd.Series]:
    """Latest week's activity against the mean of the weeks before it (rolling baseline)."""
    if latest_week == _EPOCH:
        return pd.Series(dtype=bool), pd.Series(dtype="float64")
    weekly = frame.groupby([KEY, "week"])["activity"].sum().reset_index()
    latest = weekly[weekly["week"] == latest_week].groupby(KEY)["activity"].sum()
    baseline_start = latest_week - pd.Timedelta(weeks=settings.baseline_weeks)
    before = weekly[(weekly["week"] >= baseline_start) & (weekly["week"] < latest_week)]
    baseline = before.groupby(KEY)["activity"].sum() / settings.baseline_weeks
    accounts = pd.Index(pd.unique(frame[KEY]))
    latest = latest.reindex(accounts, fill_value=0.0)
    baseline = baseline.reindex(accounts, fill_value=0.0)
    spike = (latest >= settings.spike_ratio * baseline) & (latest >= settings.spike_min_activity)
    with np.errstate(divide="ignore", invalid="ignore"):
        size = ((latest / baseline - 1) * 100).where(spike & (baseline > 0)).round(0)
    return spike, size


def _apply_vendor_spikes(records: pd.DataFrame, engagement: pd.DataFrame) -> None:
    """A vendor's own spike column (Terminus `Spike Percent`) counts as a spike, dated by
    its Spike End (else Spike Start) so that scoring and tiering can age it: a spike
    counts only inside the engagement window."""
    if "spike_percent" not in records:
        return
    percent = parse_numbers(records["spike_percent"])
    when = _spike_dates(records)
    spiking = percent > 0
    by_account = percent.groupby(records[KEY]).max()
    has_spike = by_account.reindex(engagement.index) > 0
    engagement.loc[has_spike[has_spike].index, "engagement_spike"] = True
    engagement["engagement_spike_pct"] = engagement["engagement_spike_pct"].fillna(
        by_account.reindex(engagement.index).where(has_spike))
    vendor_date = when[spiking].groupby(records[KEY][spiking]).max()
    engagement["engagement_spike_date"] = pd.concat(
        [pd.to_datetime(engagement["engagement_spike_date"]),
         vendor_date.reindex(engagement.index)], axis=1).max(axis=1)


def _spike_dates(records: pd.DataFrame) -> pd.Series:
    """The date of each vendor spike row: its end, else its start (NaT when undated)."""
    when = pd.Series(pd.NaT, index=records.index, dtype="datetime64[ns]")
    for field in ("spike_end", "spike_start"):
        if field in records:
            when = when.fillna(timestamps(records[field]))
    return when


def _add_shared_fields(hub: pd.DataFrame, by_family: dict[str, pd.DataFrame],
                       precedence: list[str]) -> pd.DataFrame:
    """One value per shared field: the first family in `precedence` that has it."""
    ranked = [f for f in precedence if f in by_family] + [
        f for f in by_family if f not in precedence]
    # Where each hub account is in each family's frame, found once: a reindex per field
    # and family hashed the 100,000 keys 35 times.
    positions = {family: by_family[family].index.get_indexer(hub.index) for family in ranked}
    for field in SHARED_FIELDS:
        value = pd.Series(np.nan, index=hub.index, dtype=object)
        source = pd.Series(np.nan, index=hub.index, dtype=object)
        for family in ranked:
            if field not in by_family[family]:
                continue
            candidate = _aligned(by_family[family][field], positions[family], hub.index)
            fill = value.isna() & candidate.notna()
            value = value.where(~fill, candidate)
            source = source.where(~fill, family)
        hub[field] = value
        if field in ("industry", "country", "employees", "revenue"):
            hub[f"{field}_source"] = source
    # One spelling per country ("USA", "U.S." -> "United States") so Excel filters and
    # upload lists see one value per country.
    countries = pd.unique(hub["country"].dropna())
    hub["country"] = hub["country"].map(dict(zip(countries, map(display_country, countries),
                                                 strict=True)))
    hub["employees"] = pd.to_numeric(hub["employees"]).astype("Int64")
    hub["revenue"] = pd.to_numeric(hub["revenue"])
    return hub


def _aligned(column: pd.Series, positions: np.ndarray, index: pd.Index) -> pd.Series:
    """`column.reindex(index)`, given where each label of `index` is in the column's
    index (-1: not there, missing as reindex makes it)."""
    values = pd.api.extensions.take(column.array, positions, allow_fill=True)
    return pd.Series(values, index=index, name=column.name)


CONFLICT_FIELDS = ("employees", "revenue")


def _per_file(family: str, records: pd.DataFrame, frame: pd.DataFrame
              ) -> dict[str, pd.DataFrame]:
    """The employees and revenue each source of `family` holds per account: the
    family's aggregate `frame` where its rows come from one file, else one frame per file
    ("fit pdl.csv"), so that two fit exports that disagree are compared as well as fit
    against CRM."""
    files = pd.unique(records[FILE_COLUMN].dropna()) if FILE_COLUMN in records else []
    if len(files) < 2:
        return {family: frame}
    found: dict[str, pd.DataFrame] = {}
    for file in files:
        raw = first_filled(records[records[FILE_COLUMN] == file],
                           ["employees", "revenue", "revenue_thousands"])
        found[f"{family} {Path(str(file)).name}"] = pd.DataFrame({
            "employees": _employees(raw),
            "revenue": _money(raw, "revenue", "revenue_thousands")})
    return found


def value_conflicts(hub: pd.DataFrame, by_source: dict[str, pd.DataFrame],
                    ratio: float) -> pd.Series:
    """Per account, the employees and revenue values that sources disagree on by `ratio`
    or more, as "employees 2,500 (crm) vs 150 (fit)"; "" when they agree. `by_source`
    holds a family's values, or one file's ("fit pdl.csv") where a family has several.

    The value the hub uses comes first, then each other source's value that is at least
    `ratio` times larger or smaller (the source of the value used agrees with it).
    """
    notes = pd.Series("", index=hub.index, dtype=object)
    for field in CONFLICT_FIELDS:
        used = pd.to_numeric(hub[field], errors="coerce").astype("float64")
        source = _used_from(hub[f"{field}_source"], used, field, by_source)
        for family, frame in by_source.items():
            if field not in frame:
                continue
            other = pd.to_numeric(frame[field], errors="coerce").reindex(hub.index)
            other = other.astype("float64")
            apart = ((used > 0) & (other > 0)
                     & ((used >= ratio * other) | (other >= ratio * used)))
            if not apart.any():
                continue
            text = (field + " " + used[apart].map(_count_text) + " (" + source[apart].astype(str)
                    + ") vs " + other[apart].map(_count_text) + f" ({family})")
            notes[apart] = np.where(notes[apart] == "", text, notes[apart] + "; " + text)
    return notes


def _used_from(family: pd.Series, used: pd.Series, field: str,
               by_source: dict[str, pd.DataFrame]) -> pd.Series:
    """Where the value used came from: its family, or the file of that family that
    holds it ("fit forbes.csv") where the family has several."""
    source = family.astype(object).copy()
    for label, frame in by_source.items():
        owner = label.split(" ", 1)[0]
        if label == owner or field not in frame:
            continue
        held = pd.to_numeric(frame[field], errors="coerce").reindex(used.index) == used
        source = source.where(~(held & (source == owner)), label)
    return source


def _count_text(value: float) -> str:
    return f"{value:,.0f}"


def _finish(hub: pd.DataFrame) -> pd.DataFrame:
    """The hub's columns in the schema's order (a stable sort: the columns of one
    pattern, such as intent_topic_<slug>, keep the order of `[intent] topics`)."""
    return hub[sorted(hub.columns, key=lambda name: schema.position(str(name)))]


# Per merged family (fields.FAMILIES), how its records (and, for a streamed feed, its
# folded signal rows) become hub columns: one entry per family, checked by
# tests/test_families.py.
AGGREGATORS: dict[str, Callable[[pd.DataFrame, Config, pd.DataFrame | None],
                                pd.DataFrame]] = {
    "fit": _aggregate_fit,
    "intent": _aggregate_intent,
    "relationship": _aggregate_relationship,
    "engagement": _aggregate_engagement,
    "crm": _aggregate_crm,
}
