"""What a workbook abm wrote was made with, so that later commands agree with it.

Every hub and tier workbook records its run date and the config text (see
`workbook.FACTS_SHEET`). `abm score`, `tier`, `explain` and `segment` on such a workbook
use them unless `--config` or `--as-of` say otherwise, and say which they used:
`settings_for` returns the settings and that sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from abmcli import __version__
from abmcli.config import Check, Config, config_from_text, load_config
from abmcli.errors import AbmError
from abmcli.xlsx.workbook import read_facts

AS_OF, CONFIG, CONFIG_PATH, VERSION = "as_of", "config", "config_path", "abm_version"
DEFAULTS = "(defaults)"


def facts_for(config: Config, as_of: dt.date | None) -> dict[str, str]:
    """The facts a workbook written with `config` on run date `as_of` records."""
    facts = {VERSION: __version__}
    if as_of is not None:
        facts[AS_OF] = as_of.isoformat()
    if config.text is not None:
        facts[CONFIG], facts[CONFIG_PATH] = config.text, str(config.path or "")
    elif config == Config():  # the defaults: recorded as such
        facts[CONFIG], facts[CONFIG_PATH] = "", DEFAULTS
    return facts


@dataclass
class Settings:
    """The config and run date a command uses on a workbook, and where they came from."""

    config: Config
    as_of: dt.date | None
    used: str  # one line: "config ... and run date ... recorded in hub.xlsx"


def settings_for(workbook: Path, config_path: Path | None, as_of: dt.date | None,
                 checks: Sequence[Check] = ()) -> Settings:
    """The settings for a command on `workbook`: `--config` / `--as-of` when given, else
    what the workbook recorded, else the defaults (and the config's or today's date).
    The config is checked by `checks` (see config.load_config) whichever it is."""
    facts = _facts(Path(workbook))
    config, config_words = _config(workbook, facts, config_path, checks)
    if as_of is not None:
        date, date_words = as_of, f"run date {as_of} (--as-of)"
    elif config_path is None and AS_OF in facts:
        date = dt.date.fromisoformat(facts[AS_OF])
        date_words = f"run date {date} recorded in {Path(workbook).name}"
    else:
        date = config.run_date()
        date_words = f"run date {date} ({'the config' if config.as_of else 'today'})"
    return Settings(config, date, f"using {config_words} and {date_words}")


def _facts(workbook: Path) -> dict[str, str]:
    try:
        return read_facts(workbook)
    except AbmError:
        return {}  # the command's own read reports an unreadable workbook


def _config(workbook: Path, facts: dict[str, str], config_path: Path | None,
            checks: Sequence[Check]) -> tuple[Config, str]:
    if config_path is not None:
        return load_config(config_path, checks), f"the config {config_path} (--config)"
    if CONFIG not in facts:
        return (load_config(None, checks),
                "the default settings (the workbook records no config)")
    recorded = facts.get(CONFIG_PATH) or DEFAULTS
    name = Path(workbook).name
    if recorded == DEFAULTS and not facts[CONFIG].strip():
        return load_config(None, checks), f"the default settings recorded in {name}"
    config = config_from_text(facts[CONFIG], Path(recorded), checks)
    return config, f"the config recorded in {name} (made with {recorded})"
