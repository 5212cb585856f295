"""`[measure]` in abm.toml: influence window, deal thresholds, stage words, currency
and the buying committee (`[measure.personas.<name>]`).

The section's types are `sections.MeasureSettings`, read with the rest of the file;
`measure_model` checks them into a `MeasureModel`, reporting every problem together.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from abmcli.config import Config, Problem, raise_problems
from abmcli.measure.titles import C_LEVEL, DIRECTOR, FUNCTIONS, IC, MANAGER, SENIORITIES, VP
from abmcli.sections import MeasureSettings, Persona, StageWords

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
    """`[measure]`, `[measure.stages]`, `[measure.rates]` and `[measure.personas.*]`,
    checked: every problem at once, as records."""
    problems: list[Problem] = []
    settings = _checked_settings(config.measure, problems)
    model = MeasureModel(settings, stage_lookup(settings.stages),
                         _personas(settings.personas, problems),
                         _rates(settings.rates, settings.currency, problems))
    raise_problems(config, problems)
    return model


def _checked_settings(given: MeasureSettings, problems: list[Problem]) -> MeasureSettings:
    settings = dataclasses.replace(given)
    if settings.influence_days < 0:
        problems.append(Problem(("measure", "influence_days"), "[measure] influence_days = "
                                f"{settings.influence_days} must be 0 or more"))
    if settings.min_deals < 1:
        problems.append(Problem(("measure", "min_deals"), f"[measure] min_deals = "
                                f"{settings.min_deals} must be 1 or more"))
    if not re.fullmatch(r"[A-Za-z]{3}", settings.currency):
        problems.append(Problem(("measure", "currency"), f"[measure] currency = "
                                f"{settings.currency!r} must be a three-letter code such as "
                                "USD"))
    settings.currency = settings.currency.upper()
    return settings


def fold_stage(text: object) -> str:
    return " ".join(str(text).casefold().split())


def stage_lookup(words: StageWords) -> dict[str, str]:
    """Folded stage name -> status; the config's words override the defaults."""
    lookup = {fold_stage(w): status for status, names in DEFAULT_STAGES.items() for w in names}
    for status in (OPEN, WON, LOST):
        lookup.update({fold_stage(w): status for w in getattr(words, status)})
    return lookup


def _rates(given: dict[str, float], currency: str,
           problems: list[Problem]) -> dict[str, float]:
    rates = {currency.upper(): 1.0}
    for code, rate in given.items():
        if rate <= 0:
            problems.append(Problem(("measure", "rates", code), f"[measure.rates] {code} = "
                                    f"{rate!r} must be a positive number (the value of 1 "
                                    f"{code} in {currency.upper()})"))
        else:
            rates[str(code).upper()] = float(rate)
    return rates


def _personas(given: dict[str, Persona] | None, problems: list[Problem]) -> list[Persona]:
    if given is None:
        return list(DEFAULT_PERSONAS)
    if not given:
        problems.append(Problem(("measure", "personas"), "[measure.personas] must hold "
                                "tables such as [measure.personas.economic_buyer]"))
        return list(DEFAULT_PERSONAS)
    personas = []
    for key, table in given.items():
        where, path = f"measure.personas.{key}", ("measure", "personas", key)
        persona = dataclasses.replace(table)
        persona.name = persona.name or key.replace("_", " ").capitalize()
        if not persona.seniority and not persona.function:
            problems.append(Problem(path, f"[{where}] needs seniority = [...] or "
                                    "function = [...]"))
        persona.seniority = _known(persona.seniority, SENIORITIES, path, "seniority",
                                   problems)
        persona.function = _known(persona.function, FUNCTIONS, path, "function", problems)
        personas.append(persona)
    return personas


def _known(values: list[str], allowed: tuple[str, ...], path: tuple[str, ...], key: str,
           problems: list[Problem]) -> list[str]:
    by_fold = {a.casefold(): a for a in allowed}
    unknown = [v for v in values if v.casefold() not in by_fold]
    if unknown:
        problems.append(Problem((*path, key), f"[{'.'.join(path)}] {key} names "
                                f"{', '.join(map(repr, unknown))}; use {', '.join(allowed)}"))
    return [by_fold[v.casefold()] for v in values if v.casefold() in by_fold]
