"""`[measure]` in abm.toml: influence window, deal thresholds, stage words, currency
and the buying committee (`[measure.personas.<name>]`).

Parsed once into a `MeasureModel`; every problem is collected and raised together, like
the other sections.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from abmcli.config import Config, dataclass_from
from abmcli.errors import ConfigError
from abmcli.limits import date_problem, span_problem
from abmcli.measure.titles import C_LEVEL, DIRECTOR, FUNCTIONS, IC, MANAGER, SENIORITIES, VP

OPEN, WON, LOST = "open", "won", "lost"

# The stage names Salesforce and HubSpot ship with (labels and HubSpot's internal ids).
DEFAULT_STAGES: dict[str, tuple[str, ...]] = {
    OPEN: ("prospecting", "qualification", "needs analysis", "value proposition",
           "id. decision makers", "id decision makers", "perception analysis",
           "proposal/price quote", "proposal", "negotiation/review", "negotiation",
           "appointment scheduled", "appointmentscheduled", "qualified to buy",
           "qualifiedtobuy", "presentation scheduled", "presentationscheduled",
           "decision maker bought-in", "decisionmakerboughtin", "contract sent",
           "contractsent", "discovery", "demo", "open", "pipeline", "commit"),
    WON: ("closed won", "closedwon", "won", "closed - won", "closed/won"),
    LOST: ("closed lost", "closedlost", "lost", "closed - lost", "closed/lost",
           "disqualified"),
}


@dataclass
class MeasureSettings:
    # An opportunity is marketing-influenced when its account engaged within this many
    # days before the opportunity was created.
    influence_days: int = 90
    # Under this many closed deals on either side, a lift says "too few deals".
    min_deals: int = 5
    # The currency amounts are reported in; others need a rate in [measure.rates].
    currency: str = "USD"
    # The start of the measured period (opportunities created on or after it);
    # --since overrides. None: all opportunities.
    since: dt.date | None = None
    # The day the ABM program started: the Trend sheet marks weeks before it as baseline.
    program_start: dt.date | None = None


@dataclass
class StageWords:
    open: list[str] = field(default_factory=list)
    won: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


@dataclass
class Persona:
    """One role of the buying committee: seniorities and functions that fill it."""

    name: str = ""
    seniority: list[str] = field(default_factory=list)
    function: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # what to ask a contact vendor for


DEFAULT_PERSONAS = (
    Persona("Economic buyer", [C_LEVEL, VP], ["executive", "marketing", "finance"],
            ["CMO", "CFO", "VP Marketing"]),
    Persona("Champion", [DIRECTOR, MANAGER], ["marketing"],
            ["Director of Marketing", "Marketing Operations Manager",
             "Demand Generation Manager"]),
    Persona("Technical buyer", [C_LEVEL, VP, DIRECTOR, MANAGER], ["IT", "engineering"],
            ["CIO", "Director of IT", "Marketing Technology Manager"]),
    Persona("Sales leader", [C_LEVEL, VP, DIRECTOR], ["sales"],
            ["CRO", "VP Sales", "Director of Sales"]),
    Persona("End user", [IC, MANAGER], ["marketing", "sales"],
            ["Marketing Specialist", "Account Executive", "SDR"]),
)


@dataclass
class MeasureModel:
    settings: MeasureSettings
    stages: dict[str, str]  # folded stage word -> open / won / lost
    personas: list[Persona]
    rates: dict[str, float]  # currency code -> value of 1 unit in settings.currency


def measure_model(config: Config) -> MeasureModel:
    """Parse `[measure]`, `[measure.stages]`, `[measure.rates]` and
    `[measure.personas.*]`; every problem at once in one ConfigError."""
    raw = dict(config.extra.get("measure", {}))
    problems: list[str] = []
    stages_raw = raw.pop("stages", {})
    rates_raw = raw.pop("rates", {})
    personas_raw = raw.pop("personas", None)
    for key in ("since", "program_start"):
        if key in raw:
            raw[key] = _date_setting(raw[key], key, problems)
    settings = dataclass_from(MeasureSettings, raw, "measure", problems)
    _check_settings(settings, problems)
    words = dataclass_from(StageWords, stages_raw, "measure.stages", problems)
    model = MeasureModel(settings, stage_lookup(words), _personas(personas_raw, problems),
                         _rates(rates_raw, settings.currency, problems))
    if problems:
        raise ConfigError(f"{config.path or 'config'}: " + "; ".join(problems))
    return model


def _date_setting(value: Any, key: str, problems: list[str]) -> dt.date | None:
    """A TOML date (program_start = 2026-09-01) or the same as text, in abm's range."""
    day: dt.date | None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            problems.append(f"[measure] {key} = {value!r} must be a date like 2026-09-01")
            return None
    problem = date_problem(day)
    if problem:
        problems.append(f"[measure] {key}: {problem}")
        return None
    return day


def _check_settings(settings: MeasureSettings, problems: list[str]) -> None:
    if settings.influence_days < 0:
        problems.append(f"[measure] influence_days = {settings.influence_days} must be "
                        "0 or more")
    elif span := span_problem(settings.influence_days, "days"):
        problems.append(f"[measure] influence_days: {span}")
    if settings.min_deals < 1:
        problems.append(f"[measure] min_deals = {settings.min_deals} must be 1 or more")
    if not re.fullmatch(r"[A-Za-z]{3}", settings.currency):
        problems.append(f"[measure] currency = {settings.currency!r} must be a three-letter "
                        "code such as USD")
    settings.currency = settings.currency.upper()


def fold_stage(text: object) -> str:
    return " ".join(str(text).casefold().split())


def stage_lookup(words: StageWords) -> dict[str, str]:
    """Folded stage name -> status; the config's words override the defaults."""
    lookup = {fold_stage(w): status for status, names in DEFAULT_STAGES.items() for w in names}
    for status in (OPEN, WON, LOST):
        lookup.update({fold_stage(w): status for w in getattr(words, status)})
    return lookup


def _rates(raw: Any, currency: str, problems: list[str]) -> dict[str, float]:
    if not isinstance(raw, dict):
        problems.append("[measure.rates] must be a table such as EUR = 1.08")
        return {}
    rates = {currency.upper(): 1.0}
    for code, rate in raw.items():
        if isinstance(rate, bool) or not isinstance(rate, int | float) or rate <= 0:
            problems.append(f"[measure.rates] {code} = {rate!r} must be a positive number "
                            f"(the value of 1 {code} in {currency.upper()})")
        else:
            rates[str(code).upper()] = float(rate)
    return rates


def _personas(raw: Any, problems: list[str]) -> list[Persona]:
    if raw is None:
        return list(DEFAULT_PERSONAS)
    if not isinstance(raw, dict) or not raw:
        problems.append("[measure.personas] must hold tables such as "
                        "[measure.personas.economic_buyer]")
        return list(DEFAULT_PERSONAS)
    personas = []
    for key, table in raw.items():
        where = f"measure.personas.{key}"
        persona = dataclass_from(Persona, table, where, problems)
        persona.name = persona.name or key.replace("_", " ").capitalize()
        if not persona.seniority and not persona.function:
            problems.append(f"[{where}] needs seniority = [...] or function = [...]")
        persona.seniority = _known(persona.seniority, SENIORITIES, where, "seniority",
                                   problems)
        persona.function = _known(persona.function, FUNCTIONS, where, "function", problems)
        personas.append(persona)
    return personas


def _known(values: list[str], allowed: tuple[str, ...], where: str, key: str,
           problems: list[str]) -> list[str]:
    by_fold = {a.casefold(): a for a in allowed}
    unknown = [v for v in values if v.casefold() not in by_fold]
    if unknown:
        problems.append(f"[{where}] {key} names {', '.join(map(repr, unknown))}; use "
                        f"{', '.join(allowed)}")
    return [by_fold[v.casefold()] for v in values if v.casefold() in by_fold]
