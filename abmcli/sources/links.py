"""Link targets of workbook cells: the site a website cell opens, not the text it shows.

A person reading a workbook whose Website cell shows "Acme" (a cell hyperlink, or
`=HYPERLINK("https://www.acme.com","Acme")`) says Acme's website is www.acme.com: the
text is a label, the link is the value. The xlsx reader (python-calamine) gives only the
shown text, so the links are read here from the sheet's XML: cell hyperlinks (the
sheet's <hyperlinks> and their relationship targets) and HYPERLINK formulas whose
target is written out as a text literal. Nothing is evaluated: a target built from
other cells or functions (`"https://"&B2`) cannot be known without running the
formula, and is only counted so that a note says the shown text was read instead.

`linked_domains` then puts the link targets in the domain column, and notes link
columns abm reads as shown (a company name linked to a CRM record or a profile page is
still the name). Legacy .xls/.xlsb workbooks keep their links where abm cannot read
them; a note says so when their domain column shows names rather than domains.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

import pandas as pd

from abmcli.keys.domains import domain_keys

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
# HYPERLINK("target" ...): only a target written out as one text literal ("" escapes ").
_LITERAL_HYPERLINK = re.compile(r'\s*HYPERLINK\(\s*"((?:[^"]|"")*)"\s*[,)]', re.IGNORECASE)
_BLOCK = 1 << 20
_HYPERLINK_BYTES = re.compile(rb"HYPERLINK\(", re.IGNORECASE)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*>([^<]*)</(?:\w+:)?f>")
_CELL_TAG = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="\$?([A-Z]{1,3}\$?[0-9]{1,7})"')
_HYPERLINK_TAG = re.compile(rb"<(?:\w+:)?hyperlink\s([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_HEAD_BYTES = 4096  # a DTD, which Excel never writes, comes before the root element
_MAX_RANGE_CELLS = 1_000_000  # a hyperlink ref spanning more is damaged, not a link
EXAMPLES = 2


@dataclass
class SheetLinks:
    """Link targets of one sheet's cells, by 0-based (row, column) from A1."""

    targets: dict[tuple[int, int], str] = field(default_factory=dict)
    # Cells whose HYPERLINK target is computed (not a literal), by (row, column).
    computed: set[tuple[int, int]] = field(default_factory=set)


def sheet_links(path: Path, sheet: str) -> SheetLinks:
    """The links of `sheet` in the .xlsx/.xlsm at `path`; empty for other workbooks and
    for parts abm will not parse (a DTD). The caller has already refused zip bombs."""
    links = SheetLinks()
    if not zipfile.is_zipfile(path):
        return links
    with zipfile.ZipFile(path) as archive:
        part = sheet_part(archive, sheet)
        if part is None or not _safe_xml(archive, part):
            return links
        targets = _relationship_targets(archive, _rels_of(part))
        with archive.open(part) as stream:
            _read_sheet(stream, targets, links)
    return links


def sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding `sheet`, through workbook.xml and its relationships."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or not _safe_xml(archive, "xl/workbook.xml"):
        return None
    relation = None
    with archive.open("xl/workbook.xml") as stream:
        for _event, element in ElementTree.iterparse(stream):
            if element.tag == f"{_MAIN}sheet" and element.get("name") == sheet:
                relation = element.get(_R_ID)
                break
    target = _relationship_targets(archive, "xl/_rels/workbook.xml.rels").get(relation or "")
    if target is None:
        return None
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
        posixpath.join("xl", target))
    return part if part in names else None


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _relationship_targets(archive: zipfile.ZipFile, rels: str) -> dict[str, str]:
    """Relationship id -> target of one .rels part ({} when there is none)."""
    if rels not in set(archive.namelist()) or not _safe_xml(archive, rels):
        return {}
    with archive.open(rels) as stream:
        return {element.get("Id", ""): element.get("Target", "")
                for _event, element in ElementTree.iterparse(stream)
                if element.tag == f"{_RELS}Relationship"}


def _safe_xml(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a part declares no DTD (entities are how XML attacks expand)."""
    with archive.open(part) as stream:
        return b"<!DOCTYPE" not in stream.read(_HEAD_BYTES).upper()


def _read_sheet(stream: IO[bytes], relationships: dict[str, str], links: SheetLinks) -> None:
    """Formula and hyperlink targets of one sheet, streamed a block of whole rows at a
    time (a sheet may be 100 MB). Only the spots naming HYPERLINK are looked at: an XML
    parse of every cell cost more than reading the sheet's values."""
    rest = b""
    while chunk := stream.read(_BLOCK):
        block = rest + chunk
        cut = block.rfind(b"row>") + 4  # after a row's start or end tag: between cells
        if cut < 4:
            rest = block
            continue
        _formula_links(block[:cut], links)
        rest = block[cut:]
    _formula_links(rest, links)
    for tag in _HYPERLINK_TAG.finditer(rest):  # <hyperlinks> follow the cells
        attributes = dict(_ATTRIBUTE.findall(tag.group(1)))
        relation = next((v for k, v in attributes.items() if k.endswith(b":id")), b"")
        target = relationships.get(relation.decode("utf-8", "replace"))
        if target:
            for cell in _cells_of(attributes.get(b"ref", b"").decode("ascii", "replace")):
                links.targets.setdefault(cell, target)


def _formula_links(xml: bytes, links: SheetLinks) -> None:
    """Targets of the HYPERLINK formulas in a block of whole rows."""
    for call in _HYPERLINK_BYTES.finditer(xml):
        opening = xml.rfind(b"<", 0, call.start())  # formula text holds no "<" (&lt;)
        formula = _FORMULA.match(xml, opening)
        if formula is None or formula.end(1) < call.end():
            continue
        position = _cell_position(xml, opening)
        if position is None:
            continue
        text = html.unescape(formula.group(1).decode("utf-8", "replace"))
        literal = _LITERAL_HYPERLINK.match(text)
        if literal is not None:
            links.targets[position] = literal.group(1).replace('""', '"')
        else:
            links.computed.add(position)


def _cell_position(xml: bytes, formula_start: int) -> tuple[int, int] | None:
    """The (row, column) of the cell whose <f> starts at `formula_start`: its tag is
    the nearest one before, and names the cell in its r attribute."""
    tag_start = xml.rfind(b"<", 0, formula_start)
    cell = _CELL_TAG.match(xml, tag_start) if tag_start >= 0 else None
    if cell is None:
        return None
    return _position(cell.group(1).decode("ascii"))


def _cells_of(ref: str) -> list[tuple[int, int]]:
    """0-based (row, column) of every cell of "B2" or "B2:B40"."""
    corners = [_position(part) for part in ref.split(":")[:2]]
    if not corners or any(c is None for c in corners):
        return []
    (top, left), (bottom, right) = corners[0], corners[-1]  # type: ignore[misc]
    if (bottom - top + 1) * (right - left + 1) > _MAX_RANGE_CELLS:
        return []
    return [(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)]


def _position(ref: str) -> tuple[int, int] | None:
    match = _CELL_REF.fullmatch(ref.replace("$", ""))
    if match is None:
        return None
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, column - 1


# ---------------------------------------------------------------- into the records


def linked_domains(records: pd.DataFrame, links: dict[str, dict[int, str]],
                   computed: dict[str, int], columns: dict[str, str]
                   ) -> tuple[pd.DataFrame, list[str]]:
    """Records whose domain cells that carry a link read the link's target, and notes
    on links abm read (domain) or did not (any other column, computed targets).

    `links`: header -> {row position: target}; `computed`: header -> cells whose
    HYPERLINK target is computed; `columns`: the layout's header -> field."""
    notes = []
    for header, targets in links.items():
        canonical = columns.get(header)
        if canonical == "domain":
            positions = list(targets)
            records.loc[positions, "domain"] = [targets[p] for p in positions]
            notes.append(f"'{header}' cells are links: read the site each opens "
                         f"({len(targets):,} cells), not the text shown")
        elif canonical is not None:
            notes.append(f"'{header}' cells carry {len(targets):,} links (e.g. "
                         f"{_examples(targets)}); read as the text shown, as abm takes a "
                         "company's website only from a website column")
    for header, count in computed.items():
        if columns.get(header) == "domain":
            notes.append(f"'{header}' has {count:,} HYPERLINK formulas whose target is "
                         "computed from other cells; abm runs no formula, so it read the "
                         "text they last showed: put the websites themselves in the column")
    return records, notes


def _examples(targets: dict[int, str]) -> str:
    return ", ".join(list(dict.fromkeys(targets.values()))[:EXAMPLES])


def legacy_link_note(path: Path, records: pd.DataFrame, header: str | None) -> list[str]:
    """For an .xls/.xlsb workbook, whose links abm cannot read: a note when its domain
    column mostly shows text that is no domain (likely names linked to the sites)."""
    if header is None or path.suffix.lower() not in (".xls", ".xlsb"):
        return []
    values = records["domain"].fillna("").astype(str)
    filled = values[values.str.strip().ne("")]
    if filled.empty:
        return []
    usable = domain_keys(filled)["domain"].notna().sum()
    if usable * 2 >= len(filled):
        return []
    return [f"'{header}' mostly shows text that is no domain; if those cells are links, abm "
            f"cannot read links in a {path.suffix.lower()} workbook: save it as .xlsx"]
