"""A reviewer's merge decisions, kept in a CSV file that every later run applies.

The file has the columns `key_a,key_b,decision,note` (extra columns are ignored).
A key is a domain (`acme.com`) or `name:` followed by a company name
(`name:Acme GmbH`). `decision` is `accept` (the two are one account) or `reject`
(keep them apart); a blank decision means "not reviewed yet" and is skipped, so the
template `abm merge` writes can be filled in a few rows at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from abmcli.errors import InputFileError
from abmcli.keys.domains import registered_domain
from abmcli.keys.names import name_key
from abmcli.safe import write_csv
from abmcli.sources.layouts import clean_header
from abmcli.sources.read import read_table, refuse_non_regular

DECISION_COLUMNS = ["key_a", "key_b", "decision", "note"]
_ACCEPT = {"accept", "accepted", "yes", "y", "merge", "same", "true", "1"}
_REJECT = {"reject", "rejected", "no", "n", "keep apart", "different", "false", "0"}
NAME_PREFIX = "name:"
# `name:bolt @ estonia`: the rows named Bolt whose evidence sets them apart from the
# other Bolt (match.py writes these keys).
QUALIFIER_MARK = " @ "


@dataclass(frozen=True)
class Decision:
    key_a: str
    key_b: str
    accept: bool
    note: str = ""


class Decisions:
    """Accepted pairs joined into groups (union-find); rejected pairs kept apart."""

    def __init__(self, decisions: list[Decision] | None = None) -> None:
        self._parent: dict[str, str] = {}
        self._rejected: set[frozenset[str]] = set()
        self._decided: set[frozenset[str]] = set()
        self.decisions = list(decisions or [])
        self.warnings: list[str] = []  # rows of the file that were not applied, and why
        for decision in self.decisions:
            pair = frozenset((decision.key_a, decision.key_b))
            self._decided.add(pair)
            if decision.accept:
                self._union(decision.key_a, decision.key_b)
            else:
                self._rejected.add(pair)

    def account_key(self, key: str) -> str:
        """The key of the account `key` belongs to after accepted decisions."""
        root = key
        while self._parent.get(root, root) != root:
            root = self._parent[root]
        return root

    def joined(self) -> dict[str, str]:
        """Each key an accepted decision joined to an account of another key -> that
        account's key."""
        return {key: root for key in self._parent if (root := self.account_key(key)) != key}

    def rejected(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self._rejected

    def decided(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self._decided

    def _union(self, a: str, b: str) -> None:
        root_a, root_b = self.account_key(a), self.account_key(b)
        if root_a == root_b:
            return
        # The account keeps a domain key where it has one, the smaller for stability.
        keep, other = sorted((root_a, root_b), key=lambda k: (k.startswith(NAME_PREFIX), k))
        self._parent[other] = keep
        self._parent.setdefault(keep, keep)


def normalize_key(text: str) -> str:
    """A decision key as the matcher writes it: a registered domain or `name:<name key>`."""
    text = text.strip()
    if text.lower().startswith(NAME_PREFIX):
        name, mark, qualifier = text[len(NAME_PREFIX) :].rpartition(QUALIFIER_MARK)
        if mark and name.strip() and qualifier_words(qualifier):
            return NAME_PREFIX + name_key(name) + QUALIFIER_MARK + qualifier_words(qualifier)
        return NAME_PREFIX + name_key(text[len(NAME_PREFIX) :])
    return registered_domain(text).domain or text.lower()


def qualifier_words(text: str) -> str:
    """A qualifier as keys write it: lower-case letters and digits, single spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def read_decisions(path: Path | str | None) -> Decisions:
    """Read the decisions file; a missing file means no decisions yet.

    The file is read as Excel saves it (UTF-8 with or without BOM, UTF-16, Windows-1252;
    comma, semicolon or tab). A row whose decision is neither accept nor reject, or
    whose keys are blank, is left out with a warning naming it; the rest applies.
    """
    if path is None or not (Path(path).exists() or Path(path).is_symlink()):
        return Decisions()
    path = _decisions_file(Path(path))
    refuse_non_regular(path)  # /dev/zero or a pipe would be read forever
    warnings: list[str] = []
    decisions = [d for number, row in _numbered_rows(path, required=True)
                 if (d := _decision(path, number, row, warnings)) is not None]
    result = Decisions(decisions)
    result.warnings = warnings
    return result


def _decisions_file(path: Path) -> Path:
    """`path`, unless it is a folder (decisions = "." in the config) or a symbolic link:
    abm rewrites this file, and a link planted in a shared output folder must not make it
    read (and copy into the decisions file) whatever file the link names."""
    if path.is_symlink():
        raise InputFileError(path, "is a symbolic link, which abm does not follow for the "
                             "decisions file it rewrites",
                             "Replace the link with the file itself")
    if path.is_dir():
        raise InputFileError(path, "is a folder, not a decisions file",
                             "Name a CSV file, such as decisions.csv")
    return path


def _decision(path: Path, number: int, row: dict[str, str],
              warnings: list[str]) -> Decision | None:
    written = (row.get("decision") or "").strip()
    verdict = written.lower()
    if not verdict:
        return None
    if verdict not in _ACCEPT | _REJECT:
        warnings.append(f"{path}: row {number}: decision '{written}' is not accept or "
                        "reject, so it was not applied; write accept, reject, or leave it "
                        "blank")
        return None
    key_a, key_b = (normalize_key(row.get(k) or "") for k in ("key_a", "key_b"))
    if not key_a or not key_b:
        warnings.append(f"{path}: row {number}: key_a and key_b must both be filled, so "
                        "it was not applied")
        return None
    return Decision(key_a, key_b, verdict in _ACCEPT, (row.get("note") or ""))


def _numbered_rows(path: Path, required: bool = False) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for every data row, with the reader vendor exports
    use: whatever encoding and delimiter Excel saved the file with."""
    try:
        if _header_only(path.read_bytes()):
            return []
    except OSError as exc:
        raise InputFileError(path, f"cannot read the decisions file ({exc.strerror or exc})",
                             "Check that it is a file you can read") from exc
    table = read_table(path)
    header = [clean_header(name) for name in table.header]
    missing = {"key_a", "key_b", "decision"} - {h.replace(" ", "_") for h in header}
    if missing and required:
        raise InputFileError(path, f"is not a decisions file: missing column(s) "
                             f"{', '.join(sorted(missing))}",
                             "It needs the header key_a,key_b,decision,note")
    names = [h.replace(" ", "_") if h.replace(" ", "_") in DECISION_COLUMNS else raw
             for h, raw in zip(header, table.header, strict=True)]
    records = table.rows.fillna("").astype(str).to_numpy().tolist()
    return [(number, dict(zip(names, record, strict=False)))
            for number, record in zip(table.row_numbers.tolist(), records, strict=True)]


def _header_only(raw: bytes) -> bool:
    """True for an empty file or one with just the header (in any encoding)."""
    lines = [line for line in raw.splitlines() if line.strip(b"\x00\r\n\t ,;\xef\xbb\xbf\xff\xfe")]
    return len(lines) <= 1


TEMPLATE_COLUMNS = [*DECISION_COLUMNS, "name_a", "name_b", "score", "reason"]


def update_decisions_file(path: Path, candidates: pd.DataFrame) -> int:
    """Add open candidates to the decisions file as blank rows to fill in; keep every
    row already there (decided or not). Returns the number of rows added."""
    existing = _existing_rows(path)
    known = {frozenset((normalize_key(r.get("key_a", "")), normalize_key(r.get("key_b", ""))))
             for r in existing}
    added = [
        {"key_a": c.key_a, "key_b": c.key_b, "decision": "", "note": "", "name_a": c.name_a,
         "name_b": c.name_b, "score": c.score, "reason": c.reason}
        for c in candidates.itertuples(index=False)
        if frozenset((c.key_a, c.key_b)) not in known
    ]
    if added or not path.exists():
        columns = list(dict.fromkeys(
            [*TEMPLATE_COLUMNS, *(k for r in existing for k in r if k)]))
        write_csv(pd.DataFrame([*existing, *added], columns=columns).astype(object).fillna(""),
                  path)
    return len(added)


def _existing_rows(path: Path) -> list[dict[str, str]]:
    if not (path.exists() or path.is_symlink()):
        return []
    return [row for _number, row in _numbered_rows(_decisions_file(path))]
