"""The abm.toml config: one typed object, read once, validated before any work starts.

Every section is a dataclass whose defaults are the documented defaults, so a missing
file or section means "use the defaults". Unknown keys and wrong types are reported
together, not one per run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from abmcli.errors import ConfigError
from abmcli.fields import FAMILIES, fields_of


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


@dataclass
class IntentSettings:
    # Bombora treats a composite score of 60 or more as a surge.
    surge_threshold: float = 60.0
    # Topics that get a column of their own in the hub (latest max score per topic).
    topics: list[str] = field(default_factory=list)


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
class Config:
    path: Path | None = None
    as_of: dt.date | None = None
    mapping: list[ColumnMapping] = field(default_factory=list)
    match: MatchSettings = field(default_factory=MatchSettings)
    intent: IntentSettings = field(default_factory=IntentSettings)
    engagement: EngagementSettings = field(default_factory=EngagementSettings)
    # Sections owned by later pipeline stages, kept as parsed TOML until they are read.
    extra: dict[str, Any] = field(default_factory=dict)

    def mapping_for(self, path: Path) -> ColumnMapping | None:
        """The first explicit column mapping whose file glob matches `path`."""
        return next((m for m in self.mapping if m.applies_to(path)), None)

    def run_date(self) -> dt.date:
        return self.as_of or dt.date.today()


# Sections that later stages read from `Config.extra`.
_EXTRA_SECTIONS = ("inputs", "output", "icp", "scoring", "tiers", "acv", "segments")


def load_config(path: Path | str | None) -> Config:
    """Read and validate `path`; None gives the defaults."""
    if path is None:
        return Config()
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found. Create one with 'abm init'")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}). Check quotes and brackets") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not a UTF-8 text file. Save it as UTF-8") from exc
    problems: list[str] = []
    config = _build_config(raw, problems)
    config.path = path
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    return config


def _build_config(raw: dict[str, Any], problems: list[str]) -> Config:
    config = Config()
    for key, value in raw.items():
        if key == "as_of":
            config.as_of = _as_date(value, "as_of", problems)
        elif key == "mapping":
            config.mapping = _mappings(value, problems)
        elif key in ("match", "intent", "engagement"):
            current = getattr(config, key)
            setattr(config, key, dataclass_from(type(current), value, key, problems))
        elif key in _EXTRA_SECTIONS:
            config.extra[key] = value
        else:
            known = ", ".join(["as_of", "mapping", "match", "intent", "engagement",
                               *_EXTRA_SECTIONS])
            problems.append(f"unknown setting '{key}' (known: {known})")
    _check_match(config.match, problems)
    return config


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
        if mapping.family is not None and mapping.family not in FAMILIES:
            problems.append(f"{where}: family '{mapping.family}' is not one of "
                            f"{', '.join(FAMILIES)}")
        _check_mapped_fields(mapping, where, problems)
        mappings.append(mapping)
    return mappings


def _check_mapped_fields(mapping: ColumnMapping, where: str, problems: list[str]) -> None:
    families = [mapping.family] if mapping.family in FAMILIES else list(FAMILIES)
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
