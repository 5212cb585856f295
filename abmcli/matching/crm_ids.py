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

import numpy as np
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
    return salesforce_checksums([id15])[0]


def salesforce_checksums(ids15: list[str]) -> list[str]:
    """`salesforce_checksum` of many ASCII ids in one numpy pass."""
    codes = np.frombuffer("".join(ids15).encode("ascii"), dtype=np.uint8).reshape(-1, 3, 5)
    upper = (codes >= ord("A")) & (codes <= ord("Z"))
    bits = (upper * (1 << np.arange(5))).sum(axis=2)
    letters = np.frombuffer(_CHECKSUM_LETTERS.encode("ascii"), dtype=np.uint8)[bits]
    return [row.decode("ascii") for row in letters.view("S3").ravel()]


def id_key(text: str) -> str:
    """The CRM id as abm compares it: "" for a blank or placeholder; an 18-character
    Salesforce id as its 15 characters when its checksum says it is one."""
    return _id_keys([text])[0]


def id_keys(values: pd.Series) -> pd.Series:
    """`id_key` of a column, each distinct value once."""
    distinct = pd.unique(values)
    return values.map(dict(zip(distinct, _id_keys([str(v) for v in distinct]), strict=True)))


def _id_keys(texts: list[str]) -> list[str]:
    keys = [t if (t := text.strip()) and not is_placeholder(t) else "" for text in texts]
    long = [i for i, key in enumerate(keys) if len(key) == 18 and _SALESFORCE_ID.match(key)]
    if long:
        checksums = salesforce_checksums([keys[i][:15] for i in long])
        for i, checksum in zip(long, checksums, strict=True):
            if keys[i][15:] == checksum:
                keys[i] = keys[i][:15]
    return keys


def place_by_crm_id(rows: pd.DataFrame, ids: pd.Series) -> None:
    """Give every unplaced row whose CRM id is one account's, and that account's only
    id, that account (`rows` as match.py keeps them: account_key, match, score,
    reason). An account holding several ids is a website several CRM accounts share
    (a group's subsidiaries on one domain): their Account rows stay apart, on Review."""
    held = _held(rows, ids)
    single = held[held["owners"].eq(1)]
    single = single[~single["account"].duplicated(keep=False)]
    one = pd.Series(single["account"].to_numpy(), index=single["id"].to_numpy())
    unplaced = rows["account_key"].isna() & ids.isin(one.index)
    if not unplaced.any():
        return
    found = ids[unplaced]
    rows.loc[unplaced, "account_key"] = found.map(one)
    rows.loc[unplaced, "match"] = CRM_ID
    rows.loc[unplaced, "reason"] = "CRM account id " + found + " of " + found.map(one)


def shared_id_pairs(rows: pd.DataFrame, ids: pd.Series) -> list[tuple[str, str, str]]:
    """Pairs of different accounts holding one CRM id, with the reason, for Review."""
    held = _held(rows, ids)
    shared = held[held["owners"].gt(1)][["id", "account"]]
    pairs = shared.merge(shared, on="id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["account_a"] < pairs["account_b"]].sort_values(
        ["id", "account_a", "account_b"])
    return [(a, b, f"same CRM account id '{id_text}'") for id_text, a, b in zip(
        pairs["id"], pairs["account_a"], pairs["account_b"], strict=True)]


def _held(rows: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """Each distinct (CRM id, account) of the placed rows, with how many accounts hold
    the id (ids of too many accounts left out). Counted, not grouped into lists: a CRM
    export names 100,000 ids."""
    placed = (rows["account_key"].notna() & ids.ne("")).to_numpy()
    frame = pd.DataFrame({"id": ids.to_numpy(dtype=object)[placed],
                          "account": rows["account_key"].to_numpy(dtype=object)[placed]}
                         ).drop_duplicates()
    frame["owners"] = frame["id"].map(frame["id"].value_counts()).to_numpy(dtype="int64")
    return frame[frame["owners"].le(MAX_ACCOUNTS_PER_ID)]
