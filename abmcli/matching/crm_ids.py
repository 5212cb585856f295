"""Rows that carry one CRM account id are one account.

A CRM names its account in every record that belongs to it: a Salesforce Contact or
Opportunity export has the account's `AccountId`, the Account export has the same value
as its `Id`. So the Account row "Edge Communications" (no website) and its contacts at
edge.com are one company, and a contact without an email belongs to its account too,
whatever its own keys say. The id settles what names cannot; it never joins two
websites by itself: two domains under one id (a subsidiary's, a mistyped one) go to
Review as a pair.

Salesforce writes an id in 15 case-sensitive characters in reports and in 18 (the same
15 and a 3-letter checksum) in the API and Data Loader; both spellings are one id here.
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd

from abmcli.keys.domains import is_placeholder

CRM_ID: Final = "crm id"  # the match kind of a row placed by its account's CRM id
# An id held by more domain accounts than this is a placeholder ("1", "000"), not one
# account's.
MAX_ACCOUNTS_PER_ID: Final = 10
_SALESFORCE_ID: Final = re.compile(r"^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$")
_CHECKSUM_LETTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def salesforce_checksum(id15: str) -> str:
    """The three letters Salesforce appends to a 15-character id: one per five
    characters, each bit saying whether that character is an upper-case letter."""
    letters = []
    for start in (0, 5, 10):
        bits = sum(1 << i for i, char in enumerate(id15[start:start + 5]) if char.isupper())
        letters.append(_CHECKSUM_LETTERS[bits])
    return "".join(letters)


def id_key(text: str) -> str:
    """The CRM id as abm compares it: "" for a blank or placeholder; an 18-character
    Salesforce id as its 15 characters when its checksum says it is one."""
    text = text.strip()
    if not text or is_placeholder(text):
        return ""
    if len(text) == 18 and _SALESFORCE_ID.match(text) and \
            salesforce_checksum(text[:15]) == text[15:]:
        return text[:15]
    return text


def id_keys(values: pd.Series) -> pd.Series:
    distinct = pd.unique(values)
    return values.map(dict(zip(distinct, (id_key(str(v)) for v in distinct), strict=True)))


def place_by_crm_id(rows: pd.DataFrame, ids: pd.Series) -> None:
    """Give every unplaced row whose CRM id is one account's, and that account's only
    id, that account (`rows` as match.py keeps them: account_key, match, score,
    reason). An account holding several ids is a website several CRM accounts share
    (a group's subsidiaries on one domain): their Account rows stay apart, on Review."""
    owners = _owners(rows, ids)
    one = owners[owners.str.len() == 1].str[0]
    one = one[~one.duplicated(keep=False)]
    unplaced = rows["account_key"].isna() & ids.isin(one.index)
    if not unplaced.any():
        return
    found = ids[unplaced]
    rows.loc[unplaced, "account_key"] = found.map(one)
    rows.loc[unplaced, "match"] = CRM_ID
    rows.loc[unplaced, "reason"] = "CRM account id " + found + " of " + found.map(one)


def shared_id_pairs(rows: pd.DataFrame, ids: pd.Series) -> list[tuple[str, str, str]]:
    """Pairs of different accounts holding one CRM id, with the reason, for Review."""
    owners = _owners(rows, ids)
    pairs = []
    for id_text, accounts in owners[owners.str.len() > 1].items():
        ordered = sorted(accounts)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                pairs.append((a, b, f"same CRM account id '{id_text}'"))
    return pairs


def _owners(rows: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """Per CRM id: the accounts of its placed rows (ids of too many accounts left out)."""
    placed = rows["account_key"].notna() & ids.ne("")
    if not placed.any():
        return pd.Series(dtype=object)
    frame = pd.DataFrame({"id": ids[placed], "account": rows.loc[placed, "account_key"]})
    owners = frame.drop_duplicates().groupby("id", sort=True)["account"].agg(list)
    return owners[owners.str.len() <= MAX_ACCOUNTS_PER_ID]
