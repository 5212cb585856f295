"""The abm.toml config: one typed object, read once, validated before any work starts.

Every section is a dataclass of `sections.py` whose defaults are the documented defaults,
so a missing file or section means "use the defaults". One validator (`section_from`)
reads every section; unknown keys (with a "did you mean") and wrong types are collected
as `Problem` records, with the stages' own checks of the same config (`checks`), and
raised together, each with its line in the file (`config_lines.py`), before any work.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import tomllib
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from abmcli.config_lines import key_lines, where
from abmcli.errors import AbmError, ConfigError
from abmcli.fields import ALL_FAMILIES, FAMILIES, fields_of
from abmcli.limits import MAX_CONFIG_DEPTH, date_problem, span_problem
from abmcli.sections import (
    NOT_A_SETTING,
    AcvSettings,
    ChangeSettings,
    ColumnMapping,
    CrmFields,
    EngagementSettings,
    IcpSettings,
    IntentSettings,
    LimitSettings,
    MatchSettings,
    MeasureSettings,
    MemorySettings,
    OutputSettings,
    ScoringSettings,
    SegmentSpec,
    TierSettings,
)

ProblemPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the config: where (the key's path in the parsed TOML, list
    items numbered from 1), what (a sentence naming the section and key), and the line
    of the file it is on, once placed (None: not written in the file). `near`: other
    keys the problem is about (min_fit <= tier1_min_fit), whose line stands in when
    `path` itself is not written in the file."""

    path: ProblemPath
    message: str
    line: int | None = None
    near: tuple[ProblemPath, ...] = ()


class ConfigProblems(ConfigError):
    """Every problem of one config, rendered one a line with its line number."""

    def __init__(self, source: Path | None, text: str, problems: Sequence[Problem]) -> None:
        self.problems = placed(text, problems)
        super().__init__(_rendered(source, self.problems))


def raise_problems(config: Config, problems: Sequence[Problem]) -> None:
    """Raise the problems a stage found in `config` (nothing when there are none)."""
    if problems:
        raise ConfigProblems(config.path, config.text or "", problems)


@dataclass
class Config:
    path: Path | None = field(default=None, metadata={NOT_A_SETTING: "the file's own path"})
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
    icp: IcpSettings = field(default_factory=IcpSettings)
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    tiers: TierSettings = field(default_factory=TierSettings)
    acv: AcvSettings = field(default_factory=AcvSettings)
    # `[segments.<name>]`, in the file's order; each spec's name is its table's name
    segments: dict[str, SegmentSpec] = field(default_factory=dict)
    crm_fields: CrmFields = field(default_factory=CrmFields)
    measure: MeasureSettings = field(default_factory=MeasureSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    # The file's text, which workbooks record so later commands use the same settings.
    text: str | None = field(default=None, metadata={NOT_A_SETTING: "the file's text"})

    def mapping_for(self, path: Path) -> ColumnMapping | None:
        """The first explicit column mapping whose file glob matches `path`."""
        return next((m for m in self.mapping if m.applies_to(path, self.base_dir())), None)

    def unused_mappings(self, paths: Sequence[Path]) -> list[str]:
        """A warning for each [[mapping]] that matches none of `paths` (the files a
        command read): its columns were silently not used, most often for a typo or a
        path written relative to another folder."""
        names = ", ".join(dict.fromkeys(path.name for path in paths))
        return [f"[[mapping]] #{number} file = {mapping.file!r} matches none of the files "
                f"read ({names}), so its columns were not used; write the file's name (a "
                "glob) or its path relative to the config's folder"
                for number, mapping in enumerate(self.mapping, start=1)
                if mapping.file and not any(mapping.applies_to(path, self.base_dir())
                                            for path in paths)]

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


# What the top level of abm.toml may hold: Config's fields but its path and text. As_of,
# mapping and inputs are read by their own functions, the SECTIONS by `section_from`.
ROOT_SETTINGS = tuple(f.name for f in dataclasses.fields(Config)
                      if NOT_A_SETTING not in f.metadata)
SECTIONS = tuple(name for name in ROOT_SETTINGS if name not in ("as_of", "mapping", "inputs"))
GLOB_CHARACTERS = frozenset("*?[")
# Examples for "[x] must hold tables such as [x.<name>]"
_TABLE_EXAMPLES = {"segments": "sdr_alert", "measure.personas": "economic_buyer"}

Check = Callable[["Config"], object]


def load_config(path: Path | str | None, checks: Sequence[Check] = ()) -> Config:
    """Read and validate `path`; None gives the defaults.

    `checks` are the later stages' parsers (`score_model`, `tier_model` ...,
    `config_checks.CONFIG_CHECKS` for all of them): each runs on the loaded config and
    the problems it raises join this file's own, so that every problem is reported at
    once, each with its line in the file, before any work starts.
    """
    if path is None:
        config = Config()
        _raise_all(None, "", _run_checks(config, checks))
        return config
    path = Path(path)
    return config_from_text(_read_text(path), path, checks)


def config_from_text(text: str, path: Path, checks: Sequence[Check] = ()) -> Config:
    """The config in `text`, as if read from `path` (a config a workbook recorded)."""
    raw = _parse_toml(path, text)
    problems = value_problems(raw)
    config = _build_config(raw, problems)
    config.path, config.text = path, text
    _raise_all(path, text, _with_checks(problems, _run_checks(config, checks)))
    return config


def config_from_tables(raw: dict[str, Any], *, as_of: dt.date | None = None,
                       checks: Sequence[Check] = ()) -> Config:
    """The config of parsed TOML tables (tests and benches build configs this way)."""
    problems = value_problems(raw)
    config = _build_config(raw, problems)
    if as_of is not None:
        config.as_of = as_of
    _raise_all(None, "", _with_checks(problems, _run_checks(config, checks)))
    return config


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}). Check quotes and brackets") from exc
    except RecursionError as exc:  # tomllib recurses once per nested array or table
        raise ConfigError(f"{path}: arrays or inline tables nested hundreds of levels deep; "
                          f"abm.toml needs at most 3 levels") from exc


def value_problems(raw: dict[str, Any]) -> list[Problem]:
    """Values no stage can use, wherever they are in the file: nesting deeper than
    MAX_CONFIG_DEPTH, dates outside the accepted range, and durations (keys ending in
    _days or _weeks) outside it. as_of = 9999-12-31 or window_weeks = 2**63 would
    otherwise overflow the date arithmetic of the scoring."""
    problems: list[Problem] = []
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


def _placed(path: tuple[str, ...], problem: str) -> Problem:
    """`problem` about the key at `path`, prefixed with its [section] and key."""
    section = ".".join(path[:-1])
    text = f"[{section}] {path[-1]}: {problem}" if section else f"{path[-1]}: {problem}"
    return Problem(path, text)


def _range_problem(key: str, value: Any) -> str | None:
    if isinstance(value, dt.date):
        return date_problem(value)
    unit = key.rpartition("_")[2]
    if unit in ("days", "weeks") and isinstance(value, int | float) and not isinstance(
            value, bool):
        return span_problem(value, unit)
    return None


def _read_text(path: Path) -> str:
    if path.is_dir():
        inside = path / "abm.toml"
        hint = (f"give the file: --config {inside}" if inside.is_file()
                else "give the path of the abm.toml file, or create one with 'abm init'")
        raise ConfigError(f"{path}: is a folder, not a config file; {hint}")
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found. Create one with 'abm init'")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not a UTF-8 text file. Save it as UTF-8") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror}); check "
                          "its permissions") from exc


def _run_checks(config: Config, checks: Sequence[Check]) -> list[Problem]:
    """The problems each check raises, as records (a check raising a plain AbmError gives
    one problem that names no key)."""
    problems: list[Problem] = []
    for check in checks:
        try:
            check(config)
        except ConfigProblems as error:
            problems.extend(error.problems)
        except AbmError as error:
            message = str(error).removeprefix(f"{config.path or 'config'}: ")
            problems.append(Problem((), message))
    return problems


def _with_checks(own: list[Problem], checks: list[Problem]) -> list[Problem]:
    """The file's own problems and the stages', but for the stages' echoes of a wrong
    value: where = 42 is reported as a wrong type, not again as "needs where" (the stage
    judged the default standing in for it)."""
    wrong = [problem.path for problem in own if problem.path]
    return own + [problem for problem in checks
                  if not any(problem.path[:len(path)] == path for path in wrong)]


def _raise_all(path: Path | None, text: str, problems: list[Problem]) -> None:
    if problems:
        raise ConfigProblems(path, text, problems)


def placed(text: str, problems: Sequence[Problem]) -> list[Problem]:
    """`problems` once each (two stages reading one section report it once), with the
    line of their key in `text`, in the order of the file (those not in it last)."""
    index = key_lines(text)
    unique: dict[str, Problem] = {}
    for problem in problems:
        unique.setdefault(problem.message, problem)
    located = [dataclasses.replace(problem, line=_line_of(problem, index))
               for problem in unique.values()]
    return sorted(located, key=lambda problem: (problem.line is None, problem.line or 0))


def _line_of(problem: Problem, index: dict[ProblemPath, int]) -> int | None:
    """The line of the problem's key, else of a `near` key written, else of the nearest
    enclosing table."""
    written = [index[path] for path in (problem.path, *problem.near) if path in index]
    return written[0] if written else where(problem.path, index)


def _rendered(path: Path | None, problems: list[Problem]) -> str:
    shown = [f"line {p.line}: {p.message}" if p.line is not None else p.message
             for p in problems]
    if len(shown) == 1:
        separator = " " if shown[0].startswith("line ") else ": "
        return f"{path or 'config'}{separator}{shown[0]}"
    listing = "\n".join(f"  {problem}" for problem in shown)
    return f"{path or 'config'}: {len(shown)} problems; fix them and run again:\n{listing}"


def _build_config(raw: dict[str, Any], problems: list[Problem]) -> Config:
    config = Config()
    for key, value in raw.items():
        if key == "as_of":
            day = _typed(value, dt.date | None, ("as_of",), problems)
            config.as_of = None if day is _WRONG else day
        elif key == "mapping":
            config.mapping = _mappings(value, problems)
        elif key == "inputs":
            config.inputs = _inputs(value, problems)
        elif key in SECTIONS:
            hint = typing.get_type_hints(Config)[key]
            setattr(config, key, _typed(value, hint, (key,), problems, getattr(config, key)))
        else:
            problems.append(Problem((key,), "unknown setting " + _unknown(key, ROOT_SETTINGS)))
    for name, spec in config.segments.items():
        spec.name = name
    _check_match(config.match, problems)
    if config.changes.score_threshold < 0:
        problems.append(Problem(("changes", "score_threshold"),
                                f"[changes] score_threshold = "
                                f"{config.changes.score_threshold:g} must be 0 or more"))
    for name in ("carry_forward_weeks", "history_weeks"):
        if getattr(config.memory, name) < 0:
            problems.append(Problem(("memory", name), f"[memory] {name} = "
                                    f"{getattr(config.memory, name)} must be 0 or more"))
    if not 0 < config.limits.max_input_mb < float("inf"):
        problems.append(Problem(("limits", "max_input_mb"), "[limits] max_input_mb = "
                                f"{config.limits.max_input_mb:g} must be a number of "
                                "megabytes above 0, such as 2048"))
    return config


def _unknown(key: str, known: Sequence[str]) -> str:
    """"'colour' (known: ...)", with "; did you mean 'x'?" when one name is close."""
    return f"'{key}' (known: {', '.join(known)})" + did_you_mean(key, known)


def did_you_mean(name: str, known: Sequence[str] | dict[str, Any]) -> str:
    """"; did you mean 'x'?" for the known name closest to a misspelt `name`, else ""."""
    if len(name) > 100:  # no one misspells a setting that long; difflib is quadratic
        return ""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _inputs(value: Any, problems: list[Problem]) -> dict[str, list[str]]:
    """`[inputs]`: family = "path or glob" or a list of them."""
    if not isinstance(value, dict):
        problems.append(Problem(("inputs",), "[inputs] must be a table: "
                                "fit = \"exports/zoominfo*.csv\" ..."))
        return {}
    inputs: dict[str, list[str]] = {}
    for family, patterns in value.items():
        if family not in ALL_FAMILIES:
            problems.append(Problem(("inputs", family), "[inputs] unknown family "
                                    + _unknown(family, ALL_FAMILIES).replace(
                                        "(known:", "(families:")))
        elif isinstance(patterns, str) and patterns.strip():
            inputs[family] = [patterns]
        elif (isinstance(patterns, list) and patterns
              and all(isinstance(p, str) and p.strip() for p in patterns)):
            inputs[family] = list(patterns)
        else:
            problems.append(Problem(("inputs", family), f"[inputs] {family} = {patterns!r} "
                                    "must be a path or glob, or a list of them"))
    return inputs


def _mappings(value: Any, problems: list[Problem]) -> list[ColumnMapping]:
    if not isinstance(value, list):
        problems.append(Problem(("mapping",), "'mapping' must be a list of [[mapping]] tables"))
        return []
    mappings = []
    for i, item in enumerate(value, start=1):
        path, label = ("mapping", i), f"mapping #{i}"
        mapping = section_from(ColumnMapping, item, path, problems)
        if mapping.file == "":
            problems.append(Problem((*path, "file"), f"{label}: needs file = \"name or glob\""))
        if mapping.family is not None and mapping.family not in ALL_FAMILIES:
            problems.append(Problem((*path, "family"), f"{label}: family '{mapping.family}' "
                                    f"is not one of {', '.join(ALL_FAMILIES)}"))
        _check_mapped_fields(mapping, path, problems)
        mappings.append(mapping)
    return mappings


def _check_mapped_fields(mapping: ColumnMapping, path: ProblemPath,
                         problems: list[Problem]) -> None:
    families = [mapping.family] if mapping.family in ALL_FAMILIES else list(ALL_FAMILIES)
    allowed = set().union(*(fields_of(f) for f in families))
    for header, canonical in mapping.columns.items():
        if canonical not in allowed:
            problems.append(Problem((*path, "columns", header), f"{label_of(path)}: column "
                                    f"'{header}' maps to unknown field '{canonical}' "
                                    f"(fields: {', '.join(sorted(allowed))})"))


def _check_match(match: MatchSettings, problems: list[Problem]) -> None:
    for name in ("fuzzy_threshold", "candidate_threshold"):
        value = getattr(match, name)
        if not 0 <= value <= 100:
            problems.append(Problem(("match", name),
                                    f"[match] {name} = {value:g} must be between 0 and 100"))
    if match.conflict_ratio <= 1:
        problems.append(Problem(("match", "conflict_ratio"), f"[match] conflict_ratio = "
                                f"{match.conflict_ratio:g} must be above 1"))
    unknown = [f for f in match.precedence if f not in FAMILIES]
    if unknown:
        problems.append(Problem(("match", "precedence"), f"[match] precedence names unknown "
                                f"families {unknown}; use {', '.join(FAMILIES)}"))


# --- the one validator --------------------------------------------------------------


def label_of(path: ProblemPath) -> str:
    """How messages name a table: ("acv", "bands", 1) -> "acv.bands #1"."""
    label = ""
    for part in path:
        if isinstance(part, int):
            label += f" #{part}"
        else:
            label += f".{part}" if label else part
    return label


def section_from(cls: Any, value: Any, path: ProblemPath, problems: list[Problem],
                 default: Any = None) -> Any:
    """Dataclass `cls` from a TOML table at `path`, collecting unknown keys and bad types
    (the defaults stand in for them); `default` is returned when `value` is no table."""
    label = label_of(path)
    if not isinstance(value, dict):
        problems.append(Problem(path, f"[{label}] must be a table"))
        return default if default is not None else cls()
    fields = {f.name: f for f in dataclasses.fields(cls)}
    settable = [name for name, spec in fields.items() if NOT_A_SETTING not in spec.metadata]
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for key, item in value.items():
        spec = fields.get(key)
        if spec is not None and NOT_A_SETTING in spec.metadata:
            problems.append(Problem((*path, key), f"[{label}] has no '{key}' setting: "
                                    f"{spec.metadata[NOT_A_SETTING]}"))
        elif spec is None:
            problems.append(Problem((*path, key), f"[{label}] unknown setting "
                                    + _unknown(key, sorted(settable))))
        else:
            typed = _typed(item, hints[key], (*path, key), problems, _default_of(spec))
            if typed is not _WRONG:
                kwargs[key] = typed
    return cls(**kwargs)


_WRONG = object()  # a value of the wrong type: the default stands in


def _default_of(spec: dataclasses.Field[Any]) -> Any:
    if spec.default_factory is not dataclasses.MISSING:
        return spec.default_factory()
    return None if spec.default is dataclasses.MISSING else spec.default


def _typed(value: Any, hint: Any, path: ProblemPath, problems: list[Problem],
           default: Any = None) -> Any:
    """`value` as `hint`: a section, a list or table of sections, a date, or a plain
    TOML value of the right type; else a problem and _WRONG."""
    inner = _without_none(hint)
    origin, args = typing.get_origin(inner), typing.get_args(inner)
    if dataclasses.is_dataclass(inner):
        return section_from(inner, value, path, problems, default)
    if origin is list and dataclasses.is_dataclass(args[0]):
        if not isinstance(value, list):
            return _wrong(value, path, problems, "a list of tables")
        return [section_from(args[0], item, (*path, i), problems)
                for i, item in enumerate(value, start=1)]
    if origin is dict and dataclasses.is_dataclass(args[1]):
        if not isinstance(value, dict):
            label = label_of(path)
            problems.append(Problem(path, f"[{label}] must hold tables such as "
                                    f"[{label}.{_TABLE_EXAMPLES.get(label, '<name>')}]"))
            return default if default is not None else _WRONG
        return {str(key): section_from(args[1], item, (*path, str(key)), problems)
                for key, item in value.items()}
    if inner is dt.date:
        return _as_date(value, path, problems)
    return _plain(value, hint, path, len(path) - 1, problems, default)


def _plain(value: Any, hint: Any, path: ProblemPath, table: int, problems: list[Problem],
           default: Any) -> Any:
    """A plain TOML value of type `hint` (`path[:table]` is its section). A table of
    values is judged item by item, so that each problem names its item
    ("[icp] employees.min"); a wrong item's default (if any) stands in for it."""
    inner = _without_none(hint)
    if typing.get_origin(inner) is dict and isinstance(value, dict):
        item_hint, defaults = typing.get_args(inner)[1], default or {}
        items = {}
        for key, item in value.items():
            typed = _plain(item, item_hint, (*path, str(key)), table, problems,
                           defaults.get(key))
            if typed is not _WRONG:
                items[key] = item  # as written: a table's numbers stay as the file has them
            elif key in defaults:
                items[key] = defaults[key]
        return items
    if _type_ok(value, hint):
        return float(value) if hint is float else value
    if typing.get_origin(inner) is list and isinstance(value, list):
        number, item = next((n, v) for n, v in enumerate(value, start=1)
                            if not _type_ok(v, typing.get_args(inner)[0]))
        return _wrong(item, path, problems, _wanted(inner), table, f" (item {number})")
    return _wrong(value, path, problems, _wanted(inner), table)


def _wanted(hint: Any) -> str:
    """What a value of type `hint` is, in words: "a list of texts, such as ["a", "b"]"."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list:
        example = ', such as ["a", "b"]' if args[0] is str else ""
        return f"a list of {_PLURAL_WORDS.get(args[0], 'values')}{example}"
    if origin is dict:
        return f"a table of {_PLURAL_WORDS.get(args[1], _wanted(args[1]))}"
    return _TYPE_WORDS.get(_without_none(hint), "")


_TYPE_WORDS = {float: "a number", int: "a whole number", str: "a text in quotes",
               bool: "true or false"}
_PLURAL_WORDS = {float: "numbers", int: "whole numbers", str: "texts", bool: "true/false"}


def _kind(value: Any) -> str:
    """What a TOML value is: "text", "a number" ..."""
    kinds: tuple[tuple[type | tuple[type, ...], str], ...] = (
        (bool, "true/false"), (str, "text"), ((int, float), "a number"),
        (dt.date, "a date"), (dt.time, "a time"), (list, "a list"), (dict, "a table"))
    return next((word for kind, word in kinds if isinstance(value, kind)), "a value")


def _wrong(value: Any, path: ProblemPath, problems: list[Problem], wanted: str,
           table: int | None = None, item: str = "") -> Any:
    """`[section] key: 'x' is text; it takes a number` (`path[:table]` is the section,
    the rest the key: "[icp] employees.min")."""
    table = len(path) - 1 if table is None else table
    section, key = label_of(path[:table]), ".".join(str(part) for part in path[table:])
    named = f"[{section}] {key}" if section else key
    needs = f"; it takes {wanted}" if wanted else ""
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    problems.append(Problem(path, f"{named}: {shown}{item} is {_kind(value)}{needs}"))
    return _WRONG


def _without_none(hint: Any) -> Any:
    """`X | None` -> X (TOML has no null: a key left out is None)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        others = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(others) == 1:
            return others[0]
    return hint


def _as_date(value: Any, path: ProblemPath, problems: list[Problem]) -> Any:
    """A TOML date (as_of = 2026-11-25), a date-time, or the same written as text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if (problem := date_problem(day)) is None:
                return day
            problems.append(_placed(tuple(map(str, path)), problem))
            return _WRONG
    section, key = label_of(path[:-1]), path[-1]
    if section:
        message = f"[{section}] {key} = {value!r} must be a date like 2026-09-01"
    else:
        message = f"{key} must be a date like 2026-11-23, not {value!r}"
    problems.append(Problem(path, message))
    return _WRONG


def _type_ok(value: Any, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_type_ok(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is Any:
        return True
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
