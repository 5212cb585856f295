"""Seniority and function of a contact from the job title (and the vendor's own fields).

A title is folded (case, accents), split into role segments ("CEO & Founder, Acme" ->
"ceo", "founder", "acme"), and its abbreviations expanded ("SVP" -> "senior vice
president", "Sr. Mgr" -> "senior manager", "VP Mktg" -> "vice president marketing").
Each segment gets the highest seniority its words name; the title gets the highest of
its segments, because a multi-role title ("VP & Sr. Project Leader") is held by one
person at the higher rank. The function comes from the words of that segment, else of
the whole title; a general executive title without one ("CEO", "Founder") is
"executive".

Common titles in German, French, Spanish, Portuguese, Italian and Dutch are known
("Geschäftsführer", "Directeur commercial", "Jefe de ventas", "Gerente de TI").

When an export carries the vendor's own level or department (ZoomInfo Management
Level, Apollo Seniority/Departments, HubSpot job function), those win where abm
recognises their value; the title fills in the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Final, NamedTuple

import pandas as pd

from abmcli.keys.fold import without_accents

C_LEVEL, VP, DIRECTOR, MANAGER, IC = (
    "C-level", "VP", "Director", "Manager", "Individual contributor")
SENIORITIES: Final = (C_LEVEL, VP, DIRECTOR, MANAGER, IC)
_RANK: Final = {level: rank for rank, level in enumerate(reversed(SENIORITIES))}

FUNCTIONS: Final = ("executive", "marketing", "sales", "customer success", "IT",
                    "engineering", "product", "finance", "operations", "HR", "legal",
                    "other")
OTHER = "other"


class TitleClass(NamedTuple):
    seniority: str
    function: str


# Abbreviations -> words, applied to whole tokens after folding.
_ABBREVIATIONS: Final = {
    "svp": "senior vice president", "evp": "executive vice president",
    "avp": "assistant vice president", "vp": "vice president", "v.p": "vice president",
    "vpo": "vice president operations", "sr": "senior", "snr": "senior", "jr": "junior",
    "mgr": "manager", "mngr": "manager", "mgmt": "management", "dir": "director",
    "mktg": "marketing", "mkt": "marketing", "mkting": "marketing", "eng": "engineering",
    "engg": "engineering", "engr": "engineer", "ops": "operations", "dev": "development",
    "biz": "business", "bizdev": "business development", "exec": "executive",
    "asst": "assistant", "assoc": "associate", "admin": "administrator",
    "acct": "account", "accts": "accounts", "hr": "human resources",
    "hrbp": "human resources business partner", "pres": "president",
    "gm": "general manager", "eir": "executive in residence",
    "bdr": "business development representative", "sdr": "sales development representative",
    "ae": "account executive", "csm": "customer success manager", "pm": "product manager",
    "fp&a": "financial planning", "r&d": "research development",
    "it": "information technology", "ict": "information technology",
    "ux": "user experience", "ui": "user interface", "qa": "quality assurance",
    "pr": "public relations", "seo": "marketing", "sem": "marketing",
    "crm": "crm", "abm": "marketing",
}

# C-level acronyms and the function each names.
_CHIEF_ACRONYMS: Final = {
    "ceo": "executive", "cfo": "finance", "cto": "engineering", "cmo": "marketing",
    "coo": "operations", "cio": "IT", "ciso": "IT", "cso": None, "cro": "sales",
    "cpo": None, "cdo": None, "cco": None, "chro": "HR", "cao": None, "cgo": "marketing",
    "cxo": "executive", "cbo": "sales", "clo": "legal", "cino": "product",
    "cno": None, "cpto": "product", "cdao": "IT", "caio": "IT",
}

# Phrases (folded, space-joined) -> seniority; longest phrases are tried first.
_SENIORITY_PHRASES: Final = {
    # C-level
    "chief": C_LEVEL, "president": C_LEVEL, "founder": C_LEVEL, "cofounder": C_LEVEL,
    "co founder": C_LEVEL, "owner": C_LEVEL, "co owner": C_LEVEL, "chairman": C_LEVEL,
    "chairwoman": C_LEVEL, "chairperson": C_LEVEL, "chair": C_LEVEL,
    "managing director": C_LEVEL, "board member": C_LEVEL, "member of the board": C_LEVEL,
    "board of directors": C_LEVEL, "board director": C_LEVEL, "partner": C_LEVEL,
    "managing partner": C_LEVEL, "general partner": C_LEVEL, "senior partner": C_LEVEL,
    "executive in residence": C_LEVEL, "entrepreneur in residence": C_LEVEL,
    "proprietor": C_LEVEL, "principal owner": C_LEVEL,
    # other languages
    "geschaftsfuhrer": C_LEVEL, "geschaftsfuhrerin": C_LEVEL, "geschaftsfuhrung": C_LEVEL,
    "vorstand": C_LEVEL, "vorstandsvorsitzender": C_LEVEL, "inhaber": C_LEVEL,
    "inhaberin": C_LEVEL, "grunder": C_LEVEL, "grunderin": C_LEVEL, "pdg": C_LEVEL,
    "directeur general": C_LEVEL, "directrice generale": C_LEVEL, "fondateur": C_LEVEL,
    "fondatrice": C_LEVEL, "gerant": C_LEVEL, "gerante": C_LEVEL, "presidente": C_LEVEL,
    "president directeur general": C_LEVEL, "director general": C_LEVEL,
    "directora general": C_LEVEL, "gerente general": C_LEVEL, "consejero delegado": C_LEVEL,
    "fundador": C_LEVEL, "fundadora": C_LEVEL, "socio": C_LEVEL, "socia": C_LEVEL,
    "diretor geral": C_LEVEL, "diretor presidente": C_LEVEL,
    "amministratore delegato": C_LEVEL, "fondatore": C_LEVEL, "titolare": C_LEVEL,
    "algemeen directeur": C_LEVEL, "eigenaar": C_LEVEL, "oprichter": C_LEVEL,
    "medeoprichter": C_LEVEL,
    # VP
    "vice president": VP, "vicepresident": VP, "vice presidente": VP, "vicepresidente": VP,
    "vice presidente executivo": VP, "head": VP, "head of": VP, "general counsel": VP,
    "bereichsleiter": VP, "bereichsleiterin": VP, "hoofd": VP, "directeur executif": VP,
    "editor in chief": VP,
    # Director
    "director": DIRECTOR, "directors": DIRECTOR, "directeur": DIRECTOR,
    "directrice": DIRECTOR, "directora": DIRECTOR, "direktor": DIRECTOR,
    "direktorin": DIRECTOR, "diretor": DIRECTOR, "diretora": DIRECTOR,
    "direttore": DIRECTOR, "direttrice": DIRECTOR, "leiter": DIRECTOR, "leiterin": DIRECTOR,
    "leitung": DIRECTOR, "abteilungsleiter": DIRECTOR, "prokurist": DIRECTOR,
    "general manager": DIRECTOR, "principal": DIRECTOR, "associate partner": DIRECTOR,
    "executive director": DIRECTOR, "dean": DIRECTOR, "controller": DIRECTOR,
    "comptroller": DIRECTOR, "treasurer": DIRECTOR, "chief of staff": DIRECTOR,
    "chief engineer": DIRECTOR, "chief of party": DIRECTOR,
    # Manager
    "manager": MANAGER, "managers": MANAGER, "management": None, "supervisor": MANAGER,
    "team lead": MANAGER, "team leader": MANAGER, "teamlead": MANAGER,
    "superintendent": MANAGER, "foreman": MANAGER, "gerente": MANAGER,
    "responsable": MANAGER, "responsabile": MANAGER, "jefe": MANAGER, "jefa": MANAGER,
    "chef de": MANAGER, "teamleiter": MANAGER, "teamleiterin": MANAGER,
    "gruppenleiter": MANAGER, "projectleider": MANAGER, "teamleider": MANAGER,
    "coordinador general": MANAGER, "group leader": MANAGER, "project leader": MANAGER,
    "practice lead": MANAGER, "lead": None, "captain": MANAGER,
    # A "... Leader" leads people whatever it leads ("Technician Leader", "Practice
    # Leader"), a thought leader no one; uniformed ranks that command a unit sit with
    # captain.
    "leader": MANAGER, "leaders": MANAGER, "thought leader": None, "lieutenant": MANAGER,
}

# Words after which "principal" or "partner" is not a rank ("Principal Engineer",
# "Partner Manager") and words that make a senior-sounding title an assistant's.
_IC_AFTER_PRINCIPAL: Final = frozenset({
    "engineer", "software", "scientist", "consultant", "designer", "developer", "analyst",
    "architect", "product", "research", "researcher", "data", "program", "technical",
    "solutions", "member", "investigator", "associate", "account", "accountant",
    "specialist", "writer", "security", "systems", "ux", "user", "sales"})
_CHIEF_ROLE_NOUNS: Final = frozenset({"architect", "engineer", "scientist", "economist",
                                      "designer", "editor", "strategist", "technologist",
                                      "investigator", "pilot", "mate", "steward"})
_ASSISTANT_PHRASES: Final = ("assistant to", "executive assistant", "personal assistant",
                             "assistant of", "office of the", "secretary to",
                             "assistente", "assistant de", "asistente de")

# Function phrases; the first listed function wins a tie within a segment.
_FUNCTION_PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "marketing": ("marketing", "brand", "demand generation", "demand gen", "communications",
                  "communication", "public relations", "advertising", "content", "growth",
                  "digital", "social media", "events", "event", "media", "creative",
                  "campaign", "campaigns", "copywriter", "market research", "mercadotecnia",
                  "mercadeo", "comunicacion", "comunicacao", "marketingleiter", "pr",
                  "audience", "editorial", "editor", "merchandise", "merchandising", "ad",
                  "ads", "adtech", "seo"),
    "sales": ("sales", "business development", "account executive", "account director",
              "account manager", "accounts", "account", "revenue", "commercial", "channel",
              "partnerships", "partnership", "alliances", "alliance", "sales development",
              "inside sales", "key account", "vertrieb", "vertriebsleiter", "ventes",
              "ventas", "vendas", "comercial", "commerciale", "verkoop",
              "deal", "deals", "client", "clients", "trade"),
    "customer success": ("customer success", "customer service", "customer support",
                         "support", "client services", "client service",
                         "customer experience", "customer care", "service desk",
                         "customer", "onboarding"),
    "IT": ("information technology", "it", "information", "security", "infrastructure",
           "network", "networks", "systems administrator", "system administrator",
           "helpdesk", "help desk", "data", "database", "cloud", "cybersecurity",
           "digital transformation", "informatique", "informatica",
           "sistemas", "ti", "edv", "crm", "erp", "analytics", "business intelligence"),
    "engineering": ("engineering", "engineer", "engineers", "developer", "development",
                    "software", "devops", "technology", "architect", "architecture",
                    "research development",
                    "technical", "programmer", "quality assurance", "scientist", "science",
                    "research", "ingenieur", "ingeniero", "engenheiro", "ingegnere",
                    "entwicklung", "technician", "technologist", "lab", "laboratory",
                    "chemist", "biochemist"),
    "product": ("product", "products", "product management", "user experience",
                "user interface", "design", "designer", "produkt", "produit", "producto",
                "produto", "innovation"),
    "finance": ("finance", "financial", "financials", "accounting", "accountant",
                "controller", "comptroller", "treasury", "treasurer", "tax", "audit",
                "auditor", "auditing", "financial planning", "bookkeeper", "billing",
                "investor relations", "investments", "investment", "finanzen", "finances",
                "finanzas", "financas", "finanza", "credit", "collector", "actuarial",
                "actuary", "banking", "loan", "underwriting", "risk", "payroll", "collections",
                "buchhaltung", "contabilidad", "comptable"),
    "operations": ("operations", "operating", "supply chain", "logistics", "procurement",
                   "purchasing", "facilities", "manufacturing", "production", "shipping",
                   "administration", "administrative", "office", "buyer", "project",
                   "program", "programs", "fulfillment", "warehouse", "quality",
                   "strategy", "planning", "betrieb", "operaciones", "operacoes", "einkauf",
                   "achats", "compras", "store", "branch", "area", "regional", "catering"),
    "HR": ("human resources", "people", "talent", "recruiting", "recruiter", "recruitment",
           "benefits", "benefit", "compensation", "personnel", "diversity", "personal",
           "people operations", "learning", "training", "employment", "workforce",
           "rrhh", "ressources humaines", "recursos humanos", "personalleiter",
           "happiness"),
    "legal": ("legal", "counsel", "attorney", "lawyer", "compliance", "paralegal",
              "contracts", "contracting", "regulatory", "privacy", "recht", "juridique",
              "juridico", "legale", "arbitrator", "bankruptcy"),
    "executive": ("ceo", "president", "owner", "managing director", "chairman",
                  "general manager", "board", "executive in residence",
                  "entrepreneur in residence", "chief executive", "chief of staff",
                  "geschaftsfuhrer", "pdg", "directeur general", "director general",
                  "gerente general", "partner", "managing partner", "general partner"),
}

_SEGMENT_SPLIT = re.compile(
    r"\s*(?:[,;|/()\[\]@&+]|\s[-\u2013\u2014:]\s|\s(?:and|at|und|et|y|e)\s)\s*")
# Abbreviations holding a separator, expanded before the title is split at separators.
_JOINED = {"r&d": "research development", "fp&a": "financial planning",
           "m&a": "mergers acquisitions", "p&l": "profit loss", "c-suite": "chief",
           "c-level": "chief"}
_TOKEN = re.compile(r"[a-z0-9&]+(?:\.[a-z0-9]+)*")
_MAX_PHRASE = 4


def _fold(text: str) -> str:
    return without_accents(text.replace("ß", "ss")).casefold()


def _tokens(segment: str) -> list[str]:
    words: list[str] = []
    for token in _TOKEN.findall(segment.replace("-", " ").replace("\u2013", " ")):
        token = token.strip(".")
        expanded = _ABBREVIATIONS.get(token) or _ABBREVIATIONS.get(token.replace(".", ""))
        words.extend((expanded or token.replace(".", " ")).split())
    return words


def _segments(title: str) -> list[list[str]]:
    folded = _fold(title)
    # "Co-Founder" and "Vice-President" are one role, not two segments.
    folded = re.sub(r"\bco[\s-]+(founder|owner)", r"co\1", folded)
    for joined, words in _JOINED.items():
        folded = folded.replace(joined, words)
    parts = [_tokens(part) for part in _SEGMENT_SPLIT.split(folded)]
    return [part for part in parts if part]


def _phrases(words: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, phrase) for every phrase of up to _MAX_PHRASE words, longest first."""
    found = []
    for size in range(min(_MAX_PHRASE, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            found.append((start, start + size, " ".join(words[start:start + size])))
    return found


def _segment_seniority(words: list[str]) -> str | None:
    """The highest seniority a segment's phrases name. Longer phrases take their words
    first, so "vice president" is not also a "president" and "general manager" not
    also a "manager"."""
    text = f" {' '.join(words)} "
    if any(f" {phrase} " in text for phrase in _ASSISTANT_PHRASES):
        return IC
    best: str | None = None
    used: set[int] = set()
    for start, end, phrase in _phrases(words):
        known = phrase in _CHIEF_ACRONYMS or phrase in _SENIORITY_PHRASES
        if not known or used.intersection(range(start, end)):
            continue
        used.update(range(start, end))
        level = C_LEVEL if phrase in _CHIEF_ACRONYMS else _SENIORITY_PHRASES[phrase]
        level = _in_context(phrase, level, words, start, end)
        if level is not None and (best is None or _RANK[level] > _RANK[best]):
            best = level
    return best


def _in_context(phrase: str, level: str | None, words: list[str], start: int,
                end: int) -> str | None:
    """Rank words that are something else in context: "Principal Engineer",
    "Partner Manager", "Chief Engineer" of a ship, "Chef" the cook."""
    following = words[end] if end < len(words) else ""
    if phrase in ("principal", "partner") and following in _IC_AFTER_PRINCIPAL | {
            "manager", "marketing", "success", "relations", "channel", "program",
            "programs", "development", "sales", "enablement", "operations", "solutions"}:
        return None
    if phrase == "partner" and start > 0 and words[start - 1] in (
            "business", "channel", "strategic", "technology", "alliance", "implementation"):
        return None
    if phrase == "chief" and not {"officer", "executive"} & set(words) and (
            _CHIEF_ROLE_NOUNS & set(words[end:])):
        return DIRECTOR  # a chief architect or engineer leads a craft, not the company
    if phrase == "head" and following in ("nurse", "chef", "cook", "coach", "teacher"):
        return IC
    if phrase == "chair" and start > 0 and words[start - 1] in ("wheel",):
        return None
    return level


def _without_vice_president(words: list[str]) -> list[str]:
    """A vice president is not a president: the rank names no function."""
    out: list[str] = []
    for word in words:
        if word == "president" and out and out[-1] in ("vice",):
            out.pop()
            continue
        out.append(word)
    return out


def _segment_function(words: list[str]) -> str | None:
    words = _without_vice_president(words)
    for _start, _end, phrase in _phrases(words):
        if phrase in _CHIEF_ACRONYMS and _CHIEF_ACRONYMS[phrase]:
            return _CHIEF_ACRONYMS[phrase]
    best: tuple[int, int, str] | None = None
    order = {function: rank for rank, function in enumerate(_FUNCTION_PHRASES)}
    for start, end, phrase in _phrases(words):
        for function, phrases in _FUNCTION_PHRASES.items():
            if phrase in phrases:
                # the longer phrase wins ("product marketing" is marketing), then
                # the earlier function in the table
                candidate = (-(end - start), order[function], function)
                if best is None or candidate < best:
                    best = candidate
    return best[2] if best else None


@lru_cache(maxsize=200_000)
def classify_title(title: str) -> TitleClass:
    """Seniority and function of one job title.

    >>> classify_title("SVP, Global Sales")
    TitleClass(seniority='VP', function='sales')
    >>> classify_title("Dir. Mktg Ops")
    TitleClass(seniority='Director', function='marketing')
    """
    segments = _segments(str(title))
    if not segments:
        return TitleClass(IC, OTHER)
    levels = [_segment_seniority(words) for words in segments]
    ranked = [i for i in range(len(segments)) if levels[i] is not None]
    top = max(ranked, key=lambda i: _RANK[levels[i] or IC], default=None)
    seniority = (levels[top] if top is not None else None) or IC
    function = _segment_function(segments[top]) if top is not None else None
    if function is None:
        function = next((f for f in map(_segment_function, segments) if f), None)
    if function is None:
        function = "executive" if seniority == C_LEVEL else OTHER
    return TitleClass(seniority, function)


# --- the vendor's own fields ------------------------------------------------------------

_VENDOR_LEVELS: Final = {
    "c level": C_LEVEL, "c suite": C_LEVEL, "c level executive": C_LEVEL,
    "c suite executive": C_LEVEL, "executive": C_LEVEL, "owner": C_LEVEL,
    "founder": C_LEVEL, "partner": C_LEVEL, "cxo": C_LEVEL, "board member": C_LEVEL,
    "vp": VP, "vp level": VP, "vice president": VP, "head": VP, "svp": VP, "evp": VP,
    "director": DIRECTOR, "director level": DIRECTOR,
    "manager": MANAGER, "manager level": MANAGER, "management": MANAGER,
    "non manager": IC, "staff": IC, "senior": IC, "entry": IC, "entry level": IC,
    "intern": IC, "individual contributor": IC, "employee": IC, "professional": IC,
    "training": IC, "unpaid": IC,
}


def vendor_level(value: object) -> str | None:
    """A vendor's management level as a seniority: "C-Level", "VP-Level", "c_suite",
    "Non-Manager" ... None when blank or not recognised."""
    if not isinstance(value, str) or not value.strip():
        return None
    key = " ".join(re.findall(r"[a-z]+", _fold(value).replace("_", " ")))
    return _VENDOR_LEVELS.get(key)


_VENDOR_DEPARTMENT_PREFIX = re.compile(r"^master\s+")


def vendor_function(value: object) -> str | None:
    """A vendor's department or job function as a function: "Marketing",
    "master_information_technology", "Engineering & Technical", "C-Suite"."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = _VENDOR_DEPARTMENT_PREFIX.sub("", _fold(value).replace("_", " ").strip())
    if text in ("c suite", "c-suite", "executive", "executives", "management"):
        return "executive"
    return _segment_function(_tokens(text))


def classify_contacts(titles: pd.Series, departments: pd.Series | None = None,
                      levels: pd.Series | None = None) -> pd.DataFrame:
    """Per contact: seniority, function and where each came from ("title" or "vendor").
    Each distinct title is classified once."""
    text = titles.fillna("").astype(str)
    distinct = pd.Series(text.unique())
    classes = dict(zip(distinct, map(classify_title, distinct), strict=True))
    seniority = text.map({t: c.seniority for t, c in classes.items()})
    function = text.map({t: c.function for t, c in classes.items()})
    out = pd.DataFrame({"seniority": seniority, "function": function,
                        "seniority_from": "title", "function_from": "title"})
    out.loc[text.str.strip() == "", ["seniority_from", "function_from"]] = "no title"
    _apply_vendor(out, levels, "seniority", vendor_level)
    _apply_vendor(out, departments, "function", vendor_function)
    return out


def _apply_vendor(out: pd.DataFrame, values: pd.Series | None, column: str,
                  reader: Callable[[object], str | None]) -> None:
    if values is None:
        return
    raw = values.astype(object).where(values.notna(), None)
    distinct = pd.unique(raw)
    mapped = raw.map(dict(zip(distinct, map(reader, distinct), strict=True)))
    known = mapped.notna().to_numpy()
    out.loc[known, column] = mapped[known].to_numpy()
    out.loc[known, f"{column}_from"] = "vendor"
