"""Cells into match keys and typed values: domains, names, countries, numbers, dates, units."""
