"""Counts in messages, in the number they have: "1 account has", "3 accounts have".

Every count abm prints beside a noun goes through `counted` (and its verb through
`agree`), so that no message reads "1 accounts have no CRM id" or hedges with
"list(s)". `with_article` puts "a" or "an" before a vendor, family or field name a
message fills in ("an Apollo accounts export"), so that none reads "a Apollo".
"""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """The count with thousands separators and the noun in its number: counted(1,
    "account") -> "1 account", counted(2500, "row") -> "2,500 rows", counted(0, "row")
    -> "0 rows"; `plural` for nouns that do not take an "s" ("pair" takes one)."""
    return f"{count:,} {agree(count, noun, plural or noun + 's')}"


def agree(count: int, singular: str, plural: str) -> str:
    """`singular` for exactly one, else `plural`: agree(n, "has", "have")."""
    return singular if count == 1 else plural


def with_article(word: str) -> str:
    """'an Apollo', 'a ZoomInfo': "an" before a vowel letter (the vendor, family and
    field names abm prints start with no silent or "you"-sounding vowel)."""
    return f"{'an' if word[:1].casefold() in 'aeiou' else 'a'} {word}"
