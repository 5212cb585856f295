"""Stages run on the accounts of a workbook: the read-back (outputs/readback.py) at the
edge, the stage itself pure. `abm explain` and `abm diff` call these."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from abmcli.config import Config
from abmcli.outputs.readback import read_accounts
from abmcli.stages.changes import Changes, compare_accounts
from abmcli.stages.explain import Explanation, explain_account


def explain_in_workbook(path: Path, query: str, config: Config,
                        as_of: dt.date | None = None) -> Explanation:
    """`explain_account` on the accounts of the workbook at `path`."""
    return explain_account(read_accounts(Path(path)), query, config, as_of)


def compare_workbooks(old_path: Path, new_path: Path, score_threshold: float = 10.0) -> Changes:
    """Compare the accounts of two hub or tier workbooks (see `read_accounts`)."""
    return compare_accounts(read_accounts(Path(old_path)), read_accounts(Path(new_path)),
                            score_threshold, str(old_path), str(new_path))
