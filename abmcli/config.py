"""The abm.toml config: one typed object, read once, validated before any work starts.

Every section is a dataclass whose defaults are the documented defaults, so a missing
file or section means "use the defaults". Unknown keys and wrong types are reported
together, not one per run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import os
import re
import tomllib
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from abmcli.errors import AbmError, ConfigError
from abmcli.fields import ALL_FAMILIES, FAMILIES, fields_of
from abmcli.limits import MAX_CONFIG_DEPTH, date_problem, span_problem


@dataclass
class ColumnMapping:
    """Maps the columns of files whose name matches `file` (a glob) explicitly."""

    file: str
    family: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # header -> canonical field

    def applies_to(self, path: Path) -> bool:
        return fnmatch.fnmatch(path.name.lower(), self.file.lower())


@dataclass
class MatchSettings:
    # A name-only row joins an account whose name key scores at least this (0-100).
    fuzzy_threshold: float = 92.0
    # Two accounts with different domains whose names score at least this are listed
    # as candidates for a reviewer; they are never merged without a decision.
    candidate_threshold: float = 90.0
    # Which source wins when two disagree on a field such as industry or employees.
    precedence: list[str] = field(
        default_factory=lambda: ["crm", "fit", "relationship", "engagement", "intent"]
    )
    # Sources that disagree on employees or revenue by this factor or more (2,500 in the
    # CRM against 150 in ZoomInfo) are flagged in value_conflicts and the Conflicts sheet.
    conflict_ratio: float = 3.0


@dataclass
class IntentSettings:
    # Bombora treats a composite score of 60 or more as a surge.
    surge_threshold: float = 60.0
    # Topics that get a column of their own in the hub (latest max score per topic).
    # When topics are named, only surges on them count as recent intent and in the
    # intent score; surges on other topics are still shown (intent_topics).
    topics: list[str] = field(default_factory=list)
    # false: named topics only add their columns and every topic counts, as before.
    only_topics_count: bool = True

    def relevant_topics(self) -> list[str]:
        """The topics whose surges count; [] means every topic counts."""
        return list(self.topics) if self.only_topics_count else []


@dataclass
class EngagementSettings:
    # Weeks of activity summed into the engagement totals, counted back from the
    # latest week in the file.
    window_weeks: int = 4
    # The latest week is compared with the mean of this many weeks before it.
    baseline_weeks: int = 4
    # A spike is a latest week at least this many times the baseline mean ...
    spike_ratio: float = 1.5
    # ... and with at least this much activity (page views + visits + responses),
    # so that 1 view against a baseline of 0 is not a spike.
    spike_min_activity: float = 10.0


@dataclass
class OutputSettings:
    # Where `abm run` writes its dated folders, relative to the config file.
    folder: str = "abm-output"
    # The reviewer's decisions file every run applies and adds new candidates to;
    # "" means decisions.csv in the output folder.
    decisions: str = ""


@dataclass
class ChangeSettings:
    # The Changes view lists accounts whose account_score moved at least this many points.
    score_threshold: float = 10.0


@dataclass
class MemorySettings:
    # `abm run` keeps an account's fit, CRM and relationship data this many weeks after
    # an export last had it (marked as carried), and its intent and engagement history;
    # 0 turns the memory off, so each run starts from what this week's files hold.
    carry_forward_weeks: int = 4
    # Weeks of intent and engagement history kept across runs (dates older than this
    # before the run's week are forgotten).
    history_weeks: int = 13


@dataclass
class Config:
    path: Path | None = None
    as_of: dt.date | None = None
    mapping: list[ColumnMapping] = field(default_factory=list)
    match: MatchSettings = field(default_factory=MatchSettings)
    intent: IntentSettings = field(default_factory=IntentSettings)
    engagement: EngagementSettings = field(default_factory=EngagementSettings)
    # `[inputs]`: per family, the paths or globs `abm run` reads, as written in the file.
    inputs: dict[str, list[str]] = field(default_factory=dict)
    output: OutputSettings = field(default_factory=OutputSettings)
    changes: ChangeSettings = field(default_factory=ChangeSettings)
    memory: MemorySettings = field(default_factory=MemorySettings)
    # Sections owned by later pipeline stages, kept as parsed TOML until they are read.
    extra: dict[str, Any] = field(default_factory=dict)

    def mapping_for(self, path: Path) -> ColumnMapping | None:
        """The first explicit column mapping whose file glob matches `path`."""
        return next((m for m in self.mapping if m.applies_to(path)), None)

    def run_date(self) -> dt.date:
        return self.as_of or dt.date.today()

    def base_dir(self) -> Path:
        """The folder paths in the config are relative to: the config file's own."""
        return self.path.parent if self.path is not None else Path.cwd()

    def output_folder(self) -> Path:
        # normpath: "examples/../out" reads as "out" in every message and summary.json
        return Path(os.path.normpath(self.base_dir() / self.output.folder))

    def decisions_path(self, output_folder: Path) -> Path:
        """The decisions file: `[output] decisions`, else decisions.csv in `output_folder`."""
        if self.output.decisions:
            return Path(os.path.normpath(self.base_dir() / self.output.decisions))
        return output_folder / "decisions.csv"


# Sections that later stages read from `Config.extra`.
_EXTRA_SECTIONS = ("icp", "scoring", "tiers", "acv", "segments", "crm_fields", "measure")
_OWN_SECTIONS = ("as_of", "mapping", "match", "intent", "engagement", "inputs", "output",
                 "changes", "memory")
GLOB_CHARACTERS = frozenset("*?[")

Check = Callable[["Config"], object]


def load_config(path: Path | str | None, checks: Sequence[Check] = ()) -> Config:
    """Read and validate `path`; None gives the defaults.

    `checks` are the later stages' parsers (`score_model`, `tier_model` ...): each runs on
    the loaded config and the problems it raises join this file's own, so that every
    problem is reported at once, each with its line in the file, before any work starts.
    """
    if path is None:
        config = Config()
        _raise_problems(None, "", _run_checks(config, checks))
        return config
    path = Path(path)
    text = _read_text(path)
    raw = _parse_toml(path, text)
    problems = value_problems(raw)
    config = _build_config(raw, problems)
    config.path = path
    _raise_problems(path, text, problems + _run_checks(config, checks))
    return config


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}). Check quotes and brackets") from exc
    except RecursionError as exc:  # tomllib recurses once per nested array or table
        raise ConfigError(f"{path}: arrays or inline tables nested hundreds of levels deep; "
                          f"abm.toml needs at most 3 levels") from exc


def value_problems(raw: dict[str, Any]) -> list[str]:
    """Values no stage can use, wherever they are in the file: nesting deeper than
    MAX_CONFIG_DEPTH, dates outside the accepted range, and durations (keys ending in
    _days or _weeks) outside it. as_of = 9999-12-31 or window_weeks = 2**63 would
    otherwise overflow the date arithmetic of the scoring."""
    problems: list[str] = []
    stack: list[tuple[tuple[str, ...], Any]] = [((key,), value) for key, value in raw.items()]
    while stack:  # a loop, not recursion: the file may nest deeper than Python recurses
        path, value = stack.pop()
        if len(path) > MAX_CONFIG_DEPTH:
            named = tuple(part for part in path if part != "[]")
            problems.append(_placed(named[:2], f"arrays or tables nested more than "
                                    f"{MAX_CONFIG_DEPTH} deep; abm.toml needs at most 3 levels"))
        elif isinstance(value, dict):
            stack.extend(((*path, str(k)), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, "[]"), item) for item in value)
        else:
            named = tuple(part for part in path if part != "[]")
            problem = _range_problem(named[-1], value)
            if problem is not None:
                problems.append(_placed(named, problem))
    return list(dict.fromkeys(problems))


def _placed(path: tuple[str, ...], problem: str) -> str:
    """`problem` prefixed with its [section] and key, as problem_line looks them up."""
    section = ".".join(path[:-1])
    return f"[{section}] {path[-1]}: {problem}" if section else f"{path[-1]}: {problem}"


def _range_problem(key: str, value: Any) -> str | None:
    if isinstance(value, dt.date):
        return date_problem(value)
    unit = key.rpartition("_")[2]
    if unit in ("days", "weeks") and isinstance(value, int | float) and not isinstance(
            value, bool):
        return span_problem(value, unit)
    return None


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found. Create one with 'abm init'")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not a UTF-8 text file. Save it as UTF-8") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror}); check "
                          "its permissions") from exc


def _run_checks(config: Config, checks: Sequence[Check]) -> list[str]:
    """The problems each check raises, split back into one message per problem."""
    problems: list[str] = []
    for check in checks:
        try:
            check(config)
        except AbmError as error:
            message = str(error).removeprefix(f"{config.path or 'config'}: ")
            problems.extend(_PROBLEM_SEPARATOR.split(message))
    return problems


# Stages join their problems with "; "; a new problem starts with its [section] or
# "the Tier N cap", while a "; " inside one problem is followed by plain words.
_PROBLEM_SEPARATOR = re.compile(r"; (?=\[|the Tier \d cap)")


def _raise_problems(path: Path | None, text: str, problems: list[str]) -> None:
    if not problems:
        return
    problems = list(dict.fromkeys(problems))  # two stages reading one section report once
    index = key_lines(text)
    lines = [problem_line(problem, index) for problem in problems]
    order = sorted(range(len(problems)), key=lambda i: (lines[i] is None, lines[i] or 0))
    located = [_with_line(problems[i], lines[i]) for i in order]
    if len(located) == 1:
        separator = " " if located[0].startswith("line ") else ": "
        raise ConfigError(f"{path or 'config'}{separator}{located[0]}")
    listing = "\n".join(f"  {problem}" for problem in located)
    raise ConfigError(f"{path or 'config'}: {len(located)} problems; fix them and run "
                      f"again:\n{listing}")


def _with_line(problem: str, line: int | None) -> str:
    return f"line {line}: {problem}" if line is not None else problem


def _build_config(raw: dict[str, Any], problems: list[str]) -> Config:
    config = Config()
    for key, value in raw.items():
        if key == "as_of":
            config.as_of = _as_date(value, "as_of", problems)
        elif key == "mapping":
            config.mapping = _mappings(value, problems)
        elif key == "inputs":
            config.inputs = _inputs(value, problems)
        elif key in ("match", "intent", "engagement", "output", "changes", "memory"):
            current = getattr(config, key)
            setattr(config, key, dataclass_from(type(current), value, key, problems))
        elif key in _EXTRA_SECTIONS:
            config.extra[key] = value
        else:
            known = ", ".join([*_OWN_SECTIONS, *_EXTRA_SECTIONS])
            problems.append(f"unknown setting '{key}' (known: {known})")
    _check_match(config.match, problems)
    if config.changes.score_threshold < 0:
        problems.append(f"[changes] score_threshold = {config.changes.score_threshold:g} "
                        "must be 0 or more")
    for name in ("carry_forward_weeks", "history_weeks"):
        if getattr(config.memory, name) < 0:
            problems.append(f"[memory] {name} = {getattr(config.memory, name)} "
                            "must be 0 or more")
    return config


def _inputs(value: Any, problems: list[str]) -> dict[str, list[str]]:
    """`[inputs]`: family = "path or glob" or a list of them."""
    if not isinstance(value, dict):
        problems.append("[inputs] must be a table: fit = \"exports/zoominfo*.csv\" ...")
        return {}
    inputs: dict[str, list[str]] = {}
    for family, patterns in value.items():
        if family not in ALL_FAMILIES:
            problems.append(f"[inputs] unknown family '{family}' (families: "
                            f"{', '.join(ALL_FAMILIES)})")
        elif isinstance(patterns, str) and patterns.strip():
            inputs[family] = [patterns]
        elif (isinstance(patterns, list) and patterns
              and all(isinstance(p, str) and p.strip() for p in patterns)):
            inputs[family] = list(patterns)
        else:
            problems.append(f"[inputs] {family} = {patterns!r} must be a path or glob, or a "
                            "list of them")
    return inputs


def _mappings(value: Any, problems: list[str]) -> list[ColumnMapping]:
    if not isinstance(value, list):
        problems.append("'mapping' must be a list of [[mapping]] tables")
        return []
    mappings = []
    for i, item in enumerate(value, start=1):
        where = f"mapping #{i}"
        mapping = dataclass_from(ColumnMapping, item, where, problems)
        if mapping.file == "":
            problems.append(f"{where}: needs file = \"name or glob\"")
        if mapping.family is not None and mapping.family not in ALL_FAMILIES:
            problems.append(f"{where}: family '{mapping.family}' is not one of "
                            f"{', '.join(ALL_FAMILIES)}")
        _check_mapped_fields(mapping, where, problems)
        mappings.append(mapping)
    return mappings


def _check_mapped_fields(mapping: ColumnMapping, where: str, problems: list[str]) -> None:
    families = [mapping.family] if mapping.family in ALL_FAMILIES else list(ALL_FAMILIES)
    allowed = set().union(*(fields_of(f) for f in families))
    for header, canonical in mapping.columns.items():
        if canonical not in allowed:
            problems.append(f"{where}: column '{header}' maps to unknown field '{canonical}' "
                            f"(fields: {', '.join(sorted(allowed))})")


def _check_match(match: MatchSettings, problems: list[str]) -> None:
    for name in ("fuzzy_threshold", "candidate_threshold"):
        value = getattr(match, name)
        if not 0 <= value <= 100:
            problems.append(f"match.{name} must be between 0 and 100, not {value}")
    if match.conflict_ratio <= 1:
        problems.append(f"match.conflict_ratio must be above 1, not {match.conflict_ratio:g}")
    unknown = [f for f in match.precedence if f not in FAMILIES]
    if unknown:
        problems.append(f"match.precedence names unknown families {unknown}; "
                        f"use {', '.join(FAMILIES)}")


def _as_date(value: Any, where: str, problems: list[str]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"{where} must be a date like 2026-11-23, not {value!r}")
    return None


def dataclass_from(cls: Any, value: Any, where: str, problems: list[str]) -> Any:
    """Build dataclass `cls` from a TOML table, collecting unknown keys and bad types."""
    if not isinstance(value, dict):
        problems.append(f"[{where}] must be a table")
        return cls() if cls is not ColumnMapping else ColumnMapping(file="")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, item in value.items():
        if key not in names:
            known = ", ".join(sorted(names))
            problems.append(f"[{where}] unknown setting '{key}' (known: {known})")
        elif _type_ok(item, hints[key]):
            kwargs[key] = float(item) if hints[key] is float else item
        else:
            problems.append(f"[{where}] {key} = {item!r} has the wrong type")
    if cls is ColumnMapping:
        kwargs.setdefault("file", "")
    return cls(**kwargs)


def _type_ok(value: Any, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_type_ok(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin is list:
        (item_type,) = typing.get_args(hint)
        return isinstance(value, list) and all(_type_ok(v, item_type) for v in value)
    if origin is dict:
        key_type, item_type = typing.get_args(hint)
        return isinstance(value, dict) and all(
            _type_ok(k, key_type) and _type_ok(v, item_type) for k, v in value.items()
        )
    return isinstance(value, hint)


# --- where a problem is in the file ------------------------------------------------------
# tomllib gives no line numbers, so the text is scanned for `[section]` headers and
# `key =` lines. A problem names its section ("[tiers] ...", "match.fuzzy_threshold ...",
# "[[icp.rules]] #2: ...") and usually a key; the key's line is reported, else the
# section header's.

# One way to match each line (no nested spaces on both sides of a name), so a line of
# thousands of spaces costs one pass, not a quadratic or cubic number of backtracks.
_NAME = r"[A-Za-z0-9_.\-](?:[A-Za-z0-9_.\- ]*[A-Za-z0-9_.\-])?"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_NAME})\s*\]\]?")
_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_\-]+))\s*[.=]""")
_SECTION_PATTERNS = (
    re.compile(r"^\[\[([\w.]+)\]\] #(\d+)"),  # [[icp.rules]] #2: ...
    re.compile(r"^\[([\w.]+) #(\d+)\]"),  # [acv.bands #1] ...
    re.compile(r"^(mapping) #(\d+)"),  # mapping #2: ...
    re.compile(r"^\[([\w.]+)\]()"),  # [tiers] ...
    re.compile(r"^([a-z]+)\.\w+()"),  # match.fuzzy_threshold must ...
)


def key_lines(text: str) -> dict[tuple[str, str], int]:
    """{(section, key): line} for every `key =` line, and {(section, ""): line} for each
    header; the n-th `[[name]]` table is section "name#n". Root keys have section ""."""
    index: dict[tuple[str, str], int] = {}
    section, counts = "", dict[str, int]()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            section = header.group(2).replace(" ", "")
            if header.group(1) == "[[":
                counts[section] = counts.get(section, 0) + 1
                section = f"{section}#{counts[section]}"
            index.setdefault((section, ""), number)
            continue
        key = _KEY.match(line)
        if key:
            name = next(group for group in key.groups() if group)
            index.setdefault((section, name), number)
    return index


def problem_line(problem: str, index: dict[tuple[str, str], int]) -> int | None:
    """The line of the key (or section) `problem` is about, None when not in the file."""
    section = _problem_section(problem)
    candidates = [section]
    if "." in section:  # [icp.weights] written inline as `weights = {...}` under [icp]
        parent, _, last = section.rpartition(".")
        candidates.append(parent)
    for name in candidates:
        keys = {key: line for (sec, key), line in index.items() if sec == name and key}
        mentioned = _first_mentioned(problem, keys)
        if mentioned is not None:
            return keys[mentioned]
    if "." in section and (parent, last) in index:
        return index[(parent, last)]
    return index.get((section, ""))


def _problem_section(problem: str) -> str:
    for pattern in _SECTION_PATTERNS:
        found = pattern.match(problem)
        if found:
            return found.group(1) + (f"#{found.group(2)}" if found.group(2) else "")
    tier_cap = re.match(r"the Tier (\d) cap", problem)
    return "tiers" if tier_cap else ""


def _first_mentioned(problem: str, keys: dict[str, int]) -> str | None:
    """The key named earliest in `problem` (as a whole word), if any."""
    positions = {}
    tier_cap = re.match(r"the Tier (\d) cap", problem)
    for key in keys:
        if tier_cap and key == f"max_tier{tier_cap.group(1)}":
            return key
        found = re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", problem)
        if found:
            positions[key] = found.start()
    return min(positions, key=positions.__getitem__) if positions else None
