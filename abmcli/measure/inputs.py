"""Opportunities and contacts for `abm measure`: loaded like every source, matched to
the hub's accounts, typed, and checked.

An opportunity or contact belongs to a hub account by, in order: the CRM account id
(the hub's `crm_id` or one of its `crm_duplicate_ids`; Salesforce's 15- and
18-character forms of one id agree), the registered domain of its website or email
(the hub's `domain` or `other_domains`), or the exact name key of its account name.
Rows that match none are kept, in the lineage and on the Issues sheet, as "not in the
hub": a contact or deal is never made into a new account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from abmcli.config import Config
from abmcli.fields import ROW_COLUMN
from abmcli.keys.domains import domain_keys
from abmcli.keys.names import name_keys
from abmcli.keys.values import parse_bool, parse_dates, parse_number
from abmcli.limits import MAX_AMOUNT
from abmcli.matching.crm_ids import id_key, id_keys
from abmcli.measure.config import LOST, OPEN, WON, MeasureModel, fold_stage
from abmcli.measure.titles import classify_contacts
from abmcli.sources.load import Source, load_source

CRM_ID, DOMAIN, NAME, NOT_IN_HUB = "crm id", "domain", "name", "not in the hub"
LINEAGE_COLUMNS = ["source_file", "row", "account_id", "match", "reason"]
ISSUE_COLUMNS = ["source_file", "row", "what", "problem", "counted"]


@dataclass
class AccountIndex:
    """The hub's keys: CRM ids, domains and name keys -> account_id."""

    crm_ids: dict[str, str]
    domains: dict[str, str]
    names: dict[str, str]

    @classmethod
    def from_accounts(cls, accounts: pd.DataFrame) -> AccountIndex:
        ids = accounts["account_id"].astype(str).tolist()
        crm: dict[str, str] = {}
        domains: dict[str, str] = {}
        for column, target, split in (("crm_id", crm, False),
                                      ("crm_duplicate_ids", crm, True),
                                      ("domain", domains, False),
                                      ("other_domains", domains, True)):
            if column not in accounts:
                continue
            for account, value in zip(ids, accounts[column].tolist(), strict=True):
                for item in _items(value, split):
                    key = crm_key(item) if target is crm else item.casefold()
                    target.setdefault(key, account)
        keys = name_keys(accounts["account_name"]).tolist() if "account_name" in accounts else []
        names: dict[str, str] = {}
        for account, key in zip(ids, keys, strict=False):
            if key:
                names.setdefault(key, account)
        return cls(crm, domains, names)


def _items(value: object, split: bool) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return []
    text = str(value).strip()
    if not text:
        return []
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()] if split else [text]


def crm_key(value: str) -> str:
    """A CRM id as matching sees it (matching/crm_ids.py: a Salesforce 18-character id
    whose checksum agrees is its 15 characters; a placeholder is no id)."""
    return id_key(value)


@dataclass
class MeasureInput:
    """One loaded opportunities or contacts file, matched and typed."""

    source: Source
    rows: pd.DataFrame  # typed columns + account_id, match, reason
    lineage: pd.DataFrame
    issues: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ISSUE_COLUMNS))


def attach_accounts(records: pd.DataFrame, index: AccountIndex) -> pd.DataFrame:
    """account_id, match and reason for every row of a loaded source. Each step works
    only on the rows the steps before left unmatched: parsing a domain or a name is the
    costly part, and most contact emails name a hub domain as they are."""
    n = len(records)
    account = np.full(n, "", dtype=object)
    match = np.full(n, NOT_IN_HUB, dtype=object)
    if "account_crm_id" in records:
        ids = id_keys(records["account_crm_id"].fillna("").astype(str))
        _fill(account, match, ids.map(index.crm_ids), CRM_ID)
    site = records["domain"].fillna("").astype(str).str.strip()
    _fill(account, match, _email_hosts(records["email"]).where(site == "").map(index.domains),
          DOMAIN)
    open_rows = account == ""
    domain = pd.Series("", index=records.index, dtype=object)
    if open_rows.any():
        domain[open_rows] = _domains(records[open_rows]).to_numpy()
    _fill(account, match, domain.str.casefold().map(index.domains), DOMAIN)
    open_rows = account == ""
    names = pd.Series(np.nan, index=records.index, dtype=object)
    if open_rows.any():
        names[open_rows] = name_keys(records.loc[open_rows, "name"]).map(index.names)
    _fill(account, match, names, NAME)
    reason = np.where(match == NOT_IN_HUB, _why_not(records, domain), "")
    return pd.DataFrame({"account_id": account, "match": match, "reason": reason},
                        index=records.index)


def _email_hosts(emails: pd.Series) -> pd.Series:
    """The part after "@" of plain addresses, lower case: "Ann@Acme.com" -> "acme.com"."""
    text = emails.fillna("").astype(str).str.strip().str.lower()
    host = text.str.extract(r"^[^@\s<>,;]+@([a-z0-9.-]+)$", expand=False)
    return host.fillna("")


def _domains(records: pd.DataFrame) -> pd.Series:
    """The registered domain of the website, else of the email (as the merge keys rows)."""
    site = domain_keys(records["domain"].fillna("").astype(str))["domain"].fillna("")
    email = domain_keys(records["email"].fillna("").astype(str), emails=True)["domain"]
    return site.where(site != "", email.fillna(""))


def _fill(account: np.ndarray, match: np.ndarray, found: pd.Series, kind: str) -> None:
    hit = (found.notna() & (account == "")).to_numpy()
    account[hit] = found.to_numpy()[hit]
    match[hit] = kind


def _why_not(records: pd.DataFrame, domain: pd.Series) -> np.ndarray:
    has_id = records.get("account_crm_id", pd.Series("", index=records.index))
    has_id = has_id.fillna("").astype(str).str.strip() != ""
    has_name = records["name"].fillna("").astype(str).str.strip() != ""
    has_domain = domain != ""
    return np.where(has_id | has_domain | has_name,
                    "no hub account has its CRM account id, domain or name",
                    "no CRM account id, domain or account name to match on")


def load_measure_input(spec: str | Path, family: str, config: Config,
                       index: AccountIndex, encoding: str | None = None) -> MeasureInput:
    """Load `spec` as `family` ("opportunities" or "contacts") and match it."""
    source = load_source(spec, family=family, config=config, encoding=encoding)
    records = source.records
    attached = attach_accounts(records, index)
    lineage = pd.DataFrame({
        "source_file": source.label, "row": records[ROW_COLUMN].astype("int64"),
        "account_id": attached["account_id"], "match": attached["match"],
        "reason": attached["reason"]})
    rows = pd.concat([records, attached], axis=1)
    rows["source_file_label"] = source.label
    return MeasureInput(source, rows, lineage)


# --- opportunities ----------------------------------------------------------------------

_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "chf": "CHF",
                   "a$": "AUD", "c$": "CAD", "us$": "USD", "r$": "BRL", "kr": "SEK"}
_CODE = re.compile(r"\b([A-Za-z]{3})\b")


def amount_currency(text: object, column: object) -> str:
    """The currency of one amount: the currency column, else a code or sign in the
    amount ("EUR 50,000", "€50.000"), else "" (the export's currency)."""
    if isinstance(column, str) and column.strip():
        return column.strip().upper()[:3]
    if not isinstance(text, str):
        return ""
    lowered = text.strip().casefold()
    for sign, code in sorted(_CURRENCY_SIGNS.items(), key=lambda item: -len(item[0])):
        if sign in lowered:
            return code
    found = _CODE.search(text)
    return found.group(1).upper() if found else ""


def type_opportunities(item: MeasureInput, model: MeasureModel) -> None:
    """Typed columns on `item.rows` (status, amount in the report currency, dates) and
    one Issues row per problem; `counted` says what the row still counts for."""
    rows = item.rows
    label = item.source.label
    raw_amount = _text(rows, "amount")
    currency_column = _text(rows, "currency")
    number = raw_amount.map(parse_number)
    currency = [amount_currency(a, c) for a, c in zip(raw_amount.tolist(),
                                                      currency_column.tolist(), strict=True)]
    rate = pd.Series([model.rates.get(c or model.settings.currency) for c in currency],
                     index=rows.index, dtype=object)
    rows["currency_code"] = [c or model.settings.currency for c in currency]
    rows["status"] = _statuses(rows, model)
    repeats = _repeated_ids(rows)
    rows["created"] = parse_dates(_text(rows, "created_date"))  # None outside 1900-2099
    rows["closed"] = parse_dates(_text(rows, "close_date"))
    value = pd.to_numeric(number, errors="coerce") * pd.to_numeric(rate, errors="coerce")
    problems = _opportunity_problems(rows, raw_amount, number, rate, model)
    for index, message in repeats.items():
        problems["messages"][index] = [message]
        rows.loc[index, "status"] = DUPLICATE
    rows["amount_value"] = value.where(~problems["bad_amount"])
    rows["usable_days"] = ~problems["bad_days"]
    item.issues = _issue_rows(label, rows, problems["messages"])
    rows["problems"] = problems["messages"].map("; ".join)


DUPLICATE = "repeated"


def _repeated_ids(rows: pd.DataFrame) -> dict[int, str]:
    """Rows repeating an opportunity id seen on an earlier row (the same deal exported
    twice, or two reports concatenated): counted once, at the first row."""
    ids = _text(rows, "opportunity_id").astype(str).str.strip()
    first: dict[str, int] = {}
    repeats: dict[int, str] = {}
    for index, value, row in zip(rows.index, ids.tolist(), rows[ROW_COLUMN].tolist(),
                                 strict=True):
        if not value:
            continue
        if value in first:
            repeats[index] = (f"repeats opportunity {value!r} of row {first[value]}; "
                              "not counted again")
        else:
            first[value] = int(row)
    return repeats


def _text(rows: pd.DataFrame, column: str) -> pd.Series:
    if column not in rows:
        return pd.Series("", index=rows.index, dtype=object)
    return rows[column].astype(object).where(rows[column].notna(), "")


def _statuses(rows: pd.DataFrame, model: MeasureModel) -> pd.Series:
    """open / won / lost from the export's flags where they decide it (won; closed and
    not won; not closed), else from the stage name; "" when neither says."""
    stage = _text(rows, "deal_stage").map(fold_stage).map(model.stages).fillna("")
    won = _text(rows, "is_won").map(parse_bool)
    closed = _text(rows, "is_closed").map(parse_bool)
    by_flags = np.select(
        [won.eq(True).to_numpy(), (closed.eq(True) & won.eq(False)).to_numpy(),
         closed.eq(False).to_numpy()], [WON, LOST, OPEN], default="")
    return pd.Series(np.where(by_flags != "", by_flags, stage), index=rows.index)


def _opportunity_problems(rows: pd.DataFrame, raw_amount: pd.Series, number: pd.Series,
                          rate: pd.Series, model: MeasureModel) -> dict[str, pd.Series]:
    messages: list[list[str]] = [[] for _ in range(len(rows))]
    bad_amount = np.zeros(len(rows), dtype=bool)
    bad_days = np.zeros(len(rows), dtype=bool)
    home = model.settings.currency
    columns = [raw_amount, number, rate, rows["status"], _text(rows, "deal_stage"),
               rows["currency_code"], rows["created"], rows["closed"]]
    for i, (text, value, factor, status, stage, code, created, closed) in enumerate(zip(
            *(column.tolist() for column in columns), strict=True)):
        if status == "":
            messages[i].append(f"stage {str(stage).strip() or '(blank)'!r} is not mapped to "
                               "open, won or lost: add it to [measure.stages]; not counted")
        if value is None:
            if str(text).strip():
                messages[i].append(f"amount {str(text).strip()!r} is not a number; "
                                   "counted without an amount")
            bad_amount[i] = True
        elif value < 0:
            messages[i].append(f"negative amount {str(text).strip()!r}; counted without "
                               "an amount")
            bad_amount[i] = True
        elif value > MAX_AMOUNT:  # a placeholder or a typo; it would swamp every total
            messages[i].append(f"amount {str(text).strip()!r} is above 10 trillion, no "
                               "deal's size; counted without an amount")
            bad_amount[i] = True
        elif factor is None:
            messages[i].append(f"amount in {code} and no rate to {home}: add {code} = ... "
                               "to [measure.rates]; counted without an amount")
            bad_amount[i] = True
        if created is None:
            messages[i].append("no readable created date; not counted in the period, "
                               "influence or days to close")
            bad_days[i] = True
        if created is not None and closed is not None and closed < created:
            messages[i].append(f"closes ({closed}) before it was created ({created}); "
                               "left out of days to close")
            bad_days[i] = True
    return {"messages": pd.Series(messages, index=rows.index, dtype=object),
            "bad_amount": pd.Series(bad_amount, index=rows.index),
            "bad_days": pd.Series(bad_days, index=rows.index)}


def _issue_rows(label: str, rows: pd.DataFrame, messages: pd.Series) -> pd.DataFrame:
    what = _text(rows, "opportunity_name")
    records = [(label, int(row), str(name), message)
               for row, name, problems in zip(rows[ROW_COLUMN], what, messages, strict=True)
               for message in problems]
    frame = pd.DataFrame(records, columns=["source_file", "row", "what", "problem"])
    frame["counted"] = frame["problem"].str.rsplit("; ", n=1).str[-1]
    frame["problem"] = frame["problem"].str.rsplit("; ", n=1).str[0]
    return frame[ISSUE_COLUMNS]


# --- contacts ---------------------------------------------------------------------------


def type_contacts(item: MeasureInput) -> None:
    """Seniority, function and last activity date on `item.rows`."""
    rows = item.rows
    classes = classify_contacts(
        _text(rows, "title"),
        departments=_text(rows, "department") if "department" in rows else None,
        levels=_text(rows, "level") if "level" in rows else None)
    for column in classes:
        rows[column] = classes[column].to_numpy()
    rows["last_active"] = parse_dates(_text(rows, "last_activity"))
    first, last = _text(rows, "first_name"), _text(rows, "last_name")
    joined = (first.astype(str) + " " + last.astype(str)).str.strip()
    rows["contact"] = _text(rows, "full_name").where(_text(rows, "full_name") != "", joined)


# --- engagement history -----------------------------------------------------------------

_ACTIVITY = ("page_views", "visits", "responses", "minutes")


def engagement_events(sources: list[Source], index: AccountIndex) -> pd.DataFrame:
    """account_id and date of every dated engagement row with activity (weekly rows of
    an engagement export), matched to hub accounts like the opportunities: the history
    that says whether an account engaged before an opportunity was created."""
    frames = []
    for source in sources:
        records = source.records
        attached = attach_accounts(records, index)
        dates = parse_dates(_text(records, "date"))
        last = parse_dates(_text(records, "last_activity"))
        dates = dates.where(dates.notna(), last)
        present = [c for c in _ACTIVITY if c in records]
        if present:
            activity = sum(pd.to_numeric(records[c].map(parse_number), errors="coerce")
                           .fillna(0) for c in present)
            active = activity > 0
        else:
            active = pd.Series(True, index=records.index)
        keep = (attached["account_id"] != "") & dates.notna() & active
        frames.append(pd.DataFrame({"account_id": attached.loc[keep, "account_id"],
                                    "date": dates[keep]}))
    if not frames:
        return pd.DataFrame({"account_id": pd.Series(dtype=object),
                             "date": pd.Series(dtype=object)})
    return pd.concat(frames, ignore_index=True)
