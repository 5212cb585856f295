"""How the hub's columns look in Excel: one table for the hub, scored and tier workbooks."""

from __future__ import annotations

from collections.abc import Iterable

from abmcli.xlsx.workbook import ColumnFormat

MONEY_COLUMNS = frozenset({"revenue", "funding", "crm_acv", "crm_open_opportunity",
                           "acv_estimate"})
COUNT_COLUMNS = frozenset({"employees", "source_rows", "intent_surging_topics",
                           "relationship_contacts", "engagement_page_views",
                           "engagement_visits", "engagement_responses",
                           "carried_age_weeks"})
WIDE_TEXT_COLUMNS = {"fit_reasons": 45.0, "tier_reason": 60.0, "carried": 30.0,
                     "value_conflicts": 45.0}


def hub_column_formats(columns: Iterable[object]) -> dict[str, ColumnFormat]:
    """Money, counts, 0-100 scores with a red-yellow-green scale, years, wide reasons."""
    formats: dict[str, ColumnFormat] = {}
    for column in map(str, columns):
        if column in MONEY_COLUMNS:
            formats[column] = ColumnFormat("money")
        elif column in COUNT_COLUMNS:
            formats[column] = ColumnFormat("int")
        elif column.endswith("_score") or column.startswith("intent_topic_"):
            formats[column] = ColumnFormat("score")
        elif column == "founded_year":
            formats[column] = ColumnFormat("year")
        elif column in WIDE_TEXT_COLUMNS:
            formats[column] = ColumnFormat(width=WIDE_TEXT_COLUMNS[column])
    return formats
