"""Catch a "domain" column that holds pages on one site rather than each company's domain.

Directory and ranking lists carry a URL column that points at their own profile pages
(`Inc.com URL`: every row on inc.com; a scraper's `_ - url`). Taken as the company
domain, it merges the whole file into one account. When one registered domain carries
most of a column's values across many different company names, the column is not the
companies' domain: abm uses the next column that could supply the domain (a real
`Website` column) or, with none, leaves the domain unmapped so that rows match by
company name, and says so in a note. Rows are never dropped or merged for it.
"""

from __future__ import annotations

import dataclasses
import functools

import pandas as pd

from abmcli.keys.domains import domain_keys
from abmcli.sources.layouts import Layout
from abmcli.sources.read import RawTable

ONE_SITE_SHARE = 0.5  # share of the domain values on one registered domain
ONE_SITE_MIN_NAMES = 10  # distinct company names among them: one company it is not


def check_domain_column(table: RawTable, layout: Layout) -> tuple[Layout, list[str]]:
    """The layout with a one-site domain column replaced or unmapped, and notes on it."""
    header = _header_of(layout, "domain")
    if header is None:
        return layout, []
    names = _Names(table, layout)
    site = _one_site(table.rows[header], names)
    if site is None:
        return layout, []
    domain, rows, total = site
    said = (f"'{header}' holds pages on {domain} ({rows:,} of {total:,} values), not each "
            "company's own domain")
    for alternate in layout.alternates.get("domain", []):
        if _one_site(table.rows[alternate], names) is None:
            return _remapped(layout, header, alternate), [f"{said}; used '{alternate}' instead"]
    if names.header is None:
        return layout, [f"{said}; no company-name column to match by instead, so kept"]
    return _remapped(layout, header, None), [f"{said}; left unused, rows match by company name"]


def _header_of(layout: Layout, field: str) -> str | None:
    return next((h for h, f in layout.columns.items() if f == field), None)


class _Names:
    """The company names of a table, casefolded, made only when a column is in doubt
    (most files have no one-site column: folding 100,000 names would be wasted)."""

    def __init__(self, table: RawTable, layout: Layout) -> None:
        self.table, self.header = table, _header_of(layout, "name")

    @functools.cached_property
    def folded(self) -> pd.Series | None:
        if self.header is None:
            return None
        return self.table.rows[self.header].fillna("").astype(str).str.strip().str.casefold()


def _one_site(values: pd.Series, names: _Names) -> tuple[str, int, int] | None:
    """(domain, rows on it, rows with a domain) when one domain carries most values of
    many differently named companies, else None."""
    domains = domain_keys(values)["domain"].dropna()
    if domains.empty:
        return None
    counts = domains.value_counts()
    top, rows = str(counts.index[0]), int(counts.iloc[0])
    if rows < ONE_SITE_MIN_NAMES or rows <= ONE_SITE_SHARE * len(domains):
        return None
    if names.folded is not None:
        on_top = names.folded[domains.index[domains == top]]
        if on_top[on_top.ne("")].nunique() < ONE_SITE_MIN_NAMES:
            return None  # one company's many rows (an intent file's topics)
    return top, rows, len(domains)


def _remapped(layout: Layout, header: str, alternate: str | None) -> Layout:
    columns = {h: f for h, f in layout.columns.items() if h != header}
    if alternate is not None:
        columns[alternate] = "domain"
    unmapped = [h for h in [*layout.unmapped, header] if h not in columns]
    return dataclasses.replace(layout, columns=columns, unmapped=unmapped)
