"""The segment filter language: a small, safe expression parsed by hand, evaluated on a
DataFrame column by column.

    tier in ["Tier 1", "Tier 2"] and intent_topics contains "Account Based Marketing"
    engagement_spike and not crm_owner is empty
    engagement_last_date within 14 days or fit_score >= 80.5

- Comparisons `==` (or `=`), `!=`, `<`, `<=`, `>`, `>=` against a number (`80`, `-1.5`,
  `10_000`), a quoted text (`"Tier 1"` or `'Tier 1'`), a date (`2026-11-01`) or `true` /
  `false`. The value decides how the column is read: as numbers, text, dates or flags.
  Text compares ignoring case and surrounding spaces; `<` and `>` need a number or date.
- `in [..]` and `not in [..]`: one of the listed values (all numbers or all texts).
- `contains "x"` and `not contains "x"`: for the `; `-joined list columns (intent_topics,
  intent_relevant_topics, technologies, other_domains, crm_duplicate_ids) one item
  equals "x" ignoring case; for other text "x" is a part of it, ignoring case.
  `contains ["x", "y"]`: any of them.
- Dates relative to the run date: `X within 14 days` (from 14 days before the run date
  up to it), `X within next 90 days` (from the run date up to 90 days after), `weeks`
  also work; `X before 2026-11-01` and `X after 2026-11-01` are `<` and `>`.
- `X is empty` / `X is not empty`: the cell is blank, or not.
- A column alone (`engagement_spike`) means it is true.
- `not` binds tighter than `and`, which binds tighter than `or`; parentheses group.
- **A missing value never matches a test**, `!=` and `not in` included:
  `crm_owner != "Maria Gonzalez"` leaves out accounts without an owner. `not` negates a
  whole test, so `not crm_owner == "Maria Gonzalez"` keeps them; `is empty` finds them.
- Column names ignore case; a name with spaces can be written in backticks.

Nothing the user writes reaches Python: the text is split into tokens by a regular
expression, parsed by recursive descent into the node classes below, and evaluated with
pandas operations on the named columns. There are no attributes, calls or names other
than columns.

Hostile or generated filters stay cheap: every token pattern matches without
backtracking over the text, a chain of `or` / `and` terms becomes a balanced tree (a
list of 1,000 accounts is 10 levels deep, not 1,000), `not not x` is `x`, parentheses
nest at most MAX_FILTER_DEPTH deep, and error messages quote only the text around the
problem.
"""

from __future__ import annotations

import datetime as dt
import difflib
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from abmcli import schema
from abmcli.errors import ExpressionError
from abmcli.keys.countries import canonical_country
from abmcli.keys.values import texts
from abmcli.limits import (
    DURATION_UNITS,
    MAX_FILTER_CHARS,
    MAX_FILTER_DEPTH,
    date_problem,
    number_text,
    span_problem,
)
from abmcli.stages.typed import dates

# Columns holding several values joined by "; ": `contains` matches a whole item.
LIST_COLUMNS = schema.of_type("list")
# Text columns compared by a key rather than by their spelling, so that a filter reads a
# value the way the ICP rules do: `country == "USA"` finds the hub's "United States".
TEXT_KEYS: dict[str, Callable[[str], str]] = {"country": canonical_country}
ORDERING = ("<", "<=", ">", ">=")
# The commands that add the score and tier columns (the schema's tables): a workbook
# without them is one the command has not run on, and a filter naming one is told which
# command to run rather than offered the closest hub column ('tier': not 'ticker').
STAGE_COMMANDS = {"scores": "abm score", "tiers": "abm tier"}
COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
}
UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
KEYWORDS = frozenset({"and", "or", "not", "in", "contains", "within", "next", "is",
                      "empty", "true", "false", "before", "after"})
OPERATOR_HINT = ("==, !=, <, <=, >, >=, in [...], not in [...], contains, within N days, "
                 "before, after, is empty")
_TRUE_TEXTS = frozenset({"true", "yes", "y", "1", "1.0", "x"})
_FALSE_TEXTS = frozenset({"false", "no", "n", "0", "0.0"})

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<date>\d{4}-\d{2}-\d{2}(?![\w-]))
  | (?P<number>-?\d[\d_]*(?:\.\d+)?(?:[kKmMbB]|bn|BN)?(?![\w.]))
  | (?P<badnumber>-?\d[\d_]*(?:\.\d+)?[A-Za-z_]\w*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<quoted>`[^`]*`)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<op>==|!=|<=|>=|<|>|=)
  | (?P<punct>[()\[\],])
""", re.VERBOSE)


# --- the tree ---------------------------------------------------------------------------

Value = float | str | bool | dt.date


@dataclass(frozen=True)
class Compare:
    column: str
    op: str  # one of COMPARE
    value: Value


@dataclass(frozen=True)
class InList:
    column: str
    values: tuple[Value, ...]
    negated: bool = False


@dataclass(frozen=True)
class Contains:
    column: str
    needles: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class Within:
    column: str
    days: int
    ahead: bool = False  # `within next N days`: the run date up to N days after


@dataclass(frozen=True)
class Empty:
    column: str
    negated: bool = False


@dataclass(frozen=True)
class Truthy:
    column: str


@dataclass(frozen=True)
class Not:
    inner: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    left: Node
    right: Node


Node = Compare | InList | Contains | Within | Empty | Truthy | Not | BoolOp


@dataclass(frozen=True)
class Filter:
    """A parsed filter: its text, its tree and the columns it reads (as the table names them)."""

    text: str
    root: Node
    columns: tuple[str, ...]


# --- tokens -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # date, number, name, quoted, string, op, punct, end
    text: str
    position: int  # 1-based character position in the expression

    @property
    def keyword(self) -> str | None:
        lowered = self.text.lower()
        return lowered if self.kind == "name" and lowered in KEYWORDS else None

    def shown(self) -> str:
        return "the end" if self.kind == "end" else f"'{self.text}'"


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens; any character outside the language is an error."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _unexpected_character(text, position)
        kind = match.lastgroup or ""
        if kind == "badnumber":
            raise _bad_number(text, match)
        if kind != "space":
            tokens.append(Token(kind, match.group(), position + 1))
        position = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# Numbers as people write them: 10k, 1.5M, 2.5B (also 2.5bn).
NUMBER_SUFFIXES = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9}


def number_value(text: str) -> float:
    """"10_000" -> 10000.0, "10k" -> 10000.0, "1.5M" -> 1500000.0, "2.5B" -> 2.5e9."""
    digits = text.replace("_", "").rstrip("kKmMbBnN")
    suffix = text[len(text.rstrip("kKmMbBnN")):].lower()
    return float(digits) * NUMBER_SUFFIXES.get(suffix, 1.0)


def _bad_number(text: str, match: re.Match[str]) -> ExpressionError:
    """A number with letters after it: point at the first letter, say what works."""
    written = match.group()
    digits = re.match(r"-?\d[\d_]*(?:\.\d+)?", written)
    letter = match.start() + (digits.end() if digits else 0)
    shown = written if len(written) <= 20 else written[:17] + "..."
    return ExpressionError(
        f"at character {letter + 1}: '{shown}' is not a number; write digits with an "
        "optional k (thousand), M (million) or B (billion), e.g. 10k, 1.5M, 2.5B "
        f"(in: {excerpt(text, letter)})")


def _unexpected_character(text: str, position: int) -> ExpressionError:
    char = text[position]
    if char in "\"'`":
        problem = f"the text starting with {char} has no closing {char}"
    else:
        problem = (f"unexpected character '{char}'; use column names, quoted text, "
                   "numbers, dates and the operators " + OPERATOR_HINT)
    return ExpressionError(f"at character {position + 1}: {problem} "
                           f"(in: {excerpt(text, position)})")


EXCERPT_CHARS = 60  # shown on each side of the problem in a long filter


def excerpt(text: str, position: int) -> str:
    """`text`, or for a long one the part around 0-based `position`, marked with "…"."""
    if len(text) <= 3 * EXCERPT_CHARS:
        return text
    start, end = max(position - EXCERPT_CHARS, 0), position + EXCERPT_CHARS
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")


# --- parsing ----------------------------------------------------------------------------


def parse_filter(text: str, columns: Sequence[str]) -> Filter:
    """Parse `text` into a Filter over `columns` (matched ignoring case).

    Raises ExpressionError naming the character position of the problem and, for an
    unknown column, the closest column names.
    """
    if not text.strip():
        raise ExpressionError("the filter is empty; write a condition such as "
                              "tier == \"Tier 1\"")
    if len(text) > MAX_FILTER_CHARS:
        raise ExpressionError(f"the filter is {len(text):,} characters long; abm reads "
                              f"filters of up to {MAX_FILTER_CHARS:,} characters (for a long "
                              "list of accounts, tier or tag them in the CRM instead)")
    parser = _Parser(text, tokenize(text), columns)
    root = parser.expression()
    parser.expect_end()
    return Filter(text, root, tuple(dict.fromkeys(parser.used)))


MAX_MORE_UNKNOWN = 10  # unknown column names listed after a filter's first problem


def stage_of(name: str) -> str | None:
    """"tiers" or "scores": the stage that adds the column `name`; None for the hub's."""
    column = schema.find(name.lower())
    return column.table if column is not None and column.table in STAGE_COMMANDS else None


def stage_hint(stage: str, hub: str | None = None) -> str:
    """"tiers come from abm tier: run abm tier ... first ...", for a workbook without
    the columns of `stage`."""
    return f"{stage} come from {STAGE_COMMANDS[stage]}: {run_stage_first(stage, hub)}"


def run_stage_first(stage: str, hub: str | None = None) -> str:
    """What to run when a workbook lacks the columns of `stage` ("tiers", "scores"), on
    the workbook named `hub` (None: the one at hand)."""
    target = hub or "on the hub"
    if stage == "tiers":
        return f"run abm tier {target} first and give the tier workbook it writes"
    return f"run abm score {target} (or abm tier) first"


def filter_problems(text: str, columns: Sequence[str]) -> list[str]:
    """Every problem of `text` that can be told at once: the first (where the parser
    stops) and after it each unknown column name anywhere in the text, found by a scan of
    its tokens that skips what does not parse, so that one fix finds them all."""
    try:
        parse_filter(text, columns)
    except ExpressionError as error:
        first = str(error)
    else:
        return []
    if len(text) > MAX_FILTER_CHARS:
        return [first]
    parser = _Parser(text, [], columns)
    unknown = [str(parser.error(token, f"unknown column '{name}'{parser._suggestion(name)}"))
               for token, name in _named_columns(text) if name.lower() not in parser.columns]
    more = [message for message in dict.fromkeys(unknown) if message != first]
    return [first, *more[:MAX_MORE_UNKNOWN]]


def _named_columns(text: str) -> list[tuple[Token, str]]:
    """The column names written in `text`: names where a test starts (no keyword, not in
    a [list], not after an operator: a value left unquoted; not the unit of `within 14
    days`) and `backticked` names, skipping characters no token matches."""
    found: list[tuple[Token, str]] = []
    position, previous, in_list = 0, Token("", "", 0), False
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            if text[position] in "\"'`":
                break  # a text left open: the rest is inside it
            position += 1
            continue
        token = Token(match.lastgroup or "", match.group(), position + 1)
        position = match.end()
        if token.kind == "space":
            continue
        in_list = token.text == "[" or (in_list and token.text != "]")
        # A word right after a column name sits where the operator goes ("score
        # between 3"): a misspelt operator, not another column.
        after_column = previous.kind in ("name", "quoted") and previous.keyword is None
        starts_test = not in_list and not after_column and previous.kind not in (
            "op", "number") and previous.keyword not in ("in", "contains", "before", "after")
        if token.kind == "quoted" and starts_test:
            found.append((token, token.text[1:-1]))
        elif token.kind == "name" and token.keyword is None and starts_test:
            found.append((token, token.text))
        previous = token
    return found


class _Parser:
    """Recursive descent: or > and > not > test, one method per level."""

    def __init__(self, text: str, tokens: list[Token], columns: Sequence[str]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.columns = {str(name).lower(): str(name) for name in columns}
        self.used: list[str] = []
        self.depth = 0  # parentheses open at the current token

    # navigation
    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.peek()
        self.index += 1
        return token

    def at_keyword(self, *words: str) -> bool:
        return self.peek().keyword in words

    def error(self, token: Token, problem: str) -> ExpressionError:
        return ExpressionError(f"at character {token.position}: {problem} "
                               f"(in: {excerpt(self.text, token.position - 1)})")

    def expect_end(self) -> None:
        token = self.peek()
        if token.kind != "end":
            raise self.error(token, f"expected 'and', 'or' or the end, found {token.shown()}")

    # grammar
    def expression(self) -> Node:
        terms = [self.conjunction()]
        while self.at_keyword("or"):
            self.advance()
            terms.append(self.conjunction())
        return balanced("or", terms)

    def conjunction(self) -> Node:
        terms = [self.negation()]
        while self.at_keyword("and"):
            self.advance()
            terms.append(self.negation())
        return balanced("and", terms)

    def negation(self) -> Node:
        # A loop, not recursion: 2,000 `not`s are one `not` or none.
        negated = False
        while self.at_keyword("not"):
            self.advance()
            negated = not negated
        node = self.primary()
        return Not(node) if negated else node

    def primary(self) -> Node:
        token = self.peek()
        if token.text == "(" and token.kind == "punct":
            if self.depth >= MAX_FILTER_DEPTH:
                raise self.error(token, f"parentheses nested more than {MAX_FILTER_DEPTH} "
                                 "deep; write the filter with fewer levels")
            self.advance()
            self.depth += 1
            node = self.expression()
            self.depth -= 1
            closing = self.peek()
            if closing.text != ")":
                raise self.error(closing, f"expected ')' to close the '(' at character "
                                 f"{token.position}, found {closing.shown()}")
            self.advance()
            return node
        return self.test(self.column())

    def column(self) -> str:
        token = self.advance()
        if token.kind == "quoted":
            name = token.text[1:-1]
        elif token.kind == "name" and token.keyword is None:
            name = token.text
        else:
            raise self.error(token, f"expected a column name or '(', found {token.shown()}")
        found = self.columns.get(name.lower())
        if found is None:
            raise self.error(token, f"unknown column '{name}'{self._suggestion(name)}")
        self.used.append(found)
        return found

    def _suggestion(self, name: str) -> str:
        stage = stage_of(name)
        if stage is not None:
            return f"; {stage_hint(stage)}"
        close = difflib.get_close_matches(name.lower(), list(self.columns), n=3, cutoff=0.6)
        if close:
            return "; did you mean " + " or ".join(f"'{self.columns[c]}'" for c in close) + "?"
        return "; check the column names on the Hub or tier sheets"

    def test(self, column: str) -> Node:
        token = self.peek()
        if token.kind == "op":
            self.advance()
            return self.comparison(column, token)
        word = token.keyword
        if word == "not" and self.peek(1).keyword in ("in", "contains"):
            self.advance()
            return self.membership(column, negated=True)
        if word in ("in", "contains"):
            return self.membership(column, negated=False)
        if word == "within":
            return self.within(column)
        if word in ("before", "after"):
            self.advance()
            return Compare(column, "<" if word == "before" else ">", self.date_value(token))
        if word == "is":
            return self.emptiness(column)
        if token.kind == "end" or word in ("and", "or") or token.text == ")":
            return Truthy(column)
        raise self.error(token, f"expected an operator ({OPERATOR_HINT}) after column "
                         f"'{column}', found {token.shown()}")

    def comparison(self, column: str, op_token: Token) -> Compare:
        op = "==" if op_token.text == "=" else op_token.text
        value_token = self.peek()
        value = self.value(op_token)
        if op in ORDERING and isinstance(value, str | bool):
            raise self.error(value_token, f"'{op}' compares numbers and dates; for text use "
                             "==, !=, in or contains")
        return Compare(column, op, value)

    def membership(self, column: str, negated: bool) -> Node:
        word_token = self.advance()
        if word_token.keyword == "in":
            values = self.value_list(word_token)
            return InList(column, values, negated)
        if self.peek().text == "[":
            needles = self.value_list(word_token)
        else:
            needles = (self.value(word_token),)
        if not all(isinstance(needle, str) for needle in needles):
            raise self.error(word_token, "'contains' looks for quoted text, such as "
                             "contains \"Account Based Marketing\"")
        return Contains(column, tuple(str(n) for n in needles), negated)

    def within(self, column: str) -> Within:
        self.advance()
        ahead = self.at_keyword("next")
        if ahead:
            self.advance()
        number = self.advance()
        if number.kind != "number" or not re.fullmatch(r"\d[\d_]*", number.text):
            raise self.error(number, f"expected a whole number of days after 'within', "
                             f"found {number.shown()}")
        unit = self.advance()
        if unit.kind != "name" or unit.text.lower() not in UNITS:
            raise self.error(unit, f"expected 'days' or 'weeks' after {number.text}, "
                             f"found {unit.shown()}")
        plural = unit.text.lower().rstrip("s") + "s"
        count = int(number.text.replace("_", "")) if len(number.text) < 20 else 10**20
        problem = span_problem(count, plural)
        if problem is not None:
            raise self.error(number, problem)
        return Within(column, count * DURATION_UNITS[plural], ahead)

    def emptiness(self, column: str) -> Empty:
        self.advance()
        negated = self.at_keyword("not")
        if negated:
            self.advance()
        token = self.advance()
        if token.keyword != "empty":
            raise self.error(token, f"expected 'empty' after 'is', found {token.shown()}")
        return Empty(column, negated)

    def value_list(self, after: Token) -> tuple[Value, ...]:
        opening = self.advance()
        if opening.text != "[":
            raise self.error(opening, f"expected a list such as [\"a\", \"b\"] after "
                             f"'{after.text}', found {opening.shown()}")
        values = [self.value(opening)]
        while self.peek().text == ",":
            values.append(self.value(self.advance()))
        closing = self.advance()
        if closing.text != "]":
            raise self.error(closing, f"expected ',' or ']' in the list, found "
                             f"{closing.shown()}")
        if len({"text" if isinstance(v, str) else type(v).__name__ for v in values}) > 1:
            raise self.error(opening, "a list holds values of one kind: all numbers, all "
                             "quoted texts or all dates")
        return tuple(values)

    def value(self, after: Token) -> Value:
        token = self.advance()
        if token.kind == "string":
            return re.sub(r"\\(.)", r"\1", token.text[1:-1])
        if token.kind == "number":
            number = number_value(token.text)
            if not np.isfinite(number):
                raise self.error(token, f"the number {number_text(number)} is too large")
            return number
        if token.kind == "date":
            return self._date(token)
        if token.keyword in ("true", "false"):
            return token.keyword == "true"
        raise self.error(token, f"expected a value after '{after.text}' (a number, quoted "
                         f"text, a date like 2026-11-01, true or false), found {token.shown()}")

    def date_value(self, after: Token) -> dt.date:
        token = self.advance()
        if token.kind != "date":
            raise self.error(token, f"expected a date like 2026-11-01 after '{after.text}', "
                             f"found {token.shown()}")
        return self._date(token)

    def _date(self, token: Token) -> dt.date:
        try:
            day = dt.date.fromisoformat(token.text)
        except ValueError:
            raise self.error(token, f"{token.text} is not a date (year-month-day)") from None
        problem = date_problem(day)
        if problem is not None:
            raise self.error(token, problem)
        return day


def balanced(op: str, terms: list[Node]) -> Node:
    """`a op b op c ...` as a tree of depth log2(len(terms)), so that a generated list of
    thousands of terms neither exhausts Python's recursion limit nor its patience."""
    if len(terms) == 1:
        return terms[0]
    middle = len(terms) // 2
    return BoolOp(op, balanced(op, terms[:middle]), balanced(op, terms[middle:]))


# --- evaluating -------------------------------------------------------------------------


def evaluate(filter: Filter, frame: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """The rows of `frame` the filter keeps: a boolean Series with the frame's index.

    `as_of` is the run date that `within N days` counts from.
    """
    columns = {str(name).lower(): str(name) for name in frame.columns}
    missing = [name for name in filter.columns if name.lower() not in columns]
    if missing:
        raise ExpressionError(f"the filter '{filter.text}' reads column(s) "
                              f"{', '.join(missing)}, which this table lacks")
    view = frame.rename(columns={columns[n.lower()]: n for n in filter.columns})
    result = _Evaluator(view, as_of).node(filter.root)
    return pd.Series(np.asarray(result, dtype=bool), index=frame.index)


class _Evaluator:
    """Walks the tree; each test gives a numpy bool array, missing values giving False."""

    def __init__(self, frame: pd.DataFrame, as_of: dt.date) -> None:
        self.frame = frame
        self.as_of = pd.Timestamp(as_of)
        # A column read once per way of reading it: a generated list of 1,000 account
        # tests folds the domain column once, not 1,000 times.
        self.read: dict[tuple[str, str], np.ndarray] = {}

    def node(self, node: Node) -> np.ndarray:
        if isinstance(node, BoolOp):
            left, right = self.node(node.left), self.node(node.right)
            return (left & right) if node.op == "and" else (left | right)
        if isinstance(node, Not):
            return ~self.node(node.inner)
        if isinstance(node, Compare):
            return self.compare(node)
        if isinstance(node, InList):
            return self.in_list(node)
        if isinstance(node, Contains):
            return self.contains(node)
        if isinstance(node, Within):
            return self.within(node)
        if isinstance(node, Empty):
            blank = _blank(self.frame[node.column])
            return ~blank if node.negated else blank
        return _flags(self.frame[node.column]) == 1

    def compare(self, node: Compare) -> np.ndarray:
        column, value = self.typed(node.column, node.value)
        present = ~pd.isna(column)
        met = np.asarray(COMPARE[node.op](column, _comparable(value, node.column)), dtype=bool)
        return met & present

    def in_list(self, node: InList) -> np.ndarray:
        column, _ = self.typed(node.column, node.values[0])
        present = ~pd.isna(column)
        met = np.isin(column, np.array([_comparable(v, node.column) for v in node.values]))
        return (present & ~met) if node.negated else (present & met)

    def contains(self, node: Contains) -> np.ndarray:
        values = texts(self.frame, node.column)
        as_list = node.column.lower() in LIST_COLUMNS
        needles = [needle.strip().casefold() for needle in node.needles]
        found = {value: _contains(value, needles, as_list) for value in values.unique()}
        met = values.map(found).to_numpy(dtype=bool)
        present = (values != "").to_numpy()
        return (present & ~met) if node.negated else (present & met)

    def within(self, node: Within) -> np.ndarray:
        when = dates(self.frame, node.column).dt.normalize()
        span = pd.Timedelta(days=node.days)
        start, end = (self.as_of, self.as_of + span) if node.ahead else (
            self.as_of - span, self.as_of)
        return ((when >= start) & (when <= end)).to_numpy(dtype=bool)

    def typed(self, name: str, value: Value) -> tuple[np.ndarray, Value]:
        """The column read the way the value asks: numbers, dates, flags or folded text."""
        kind = ("flags" if isinstance(value, bool) else "numbers" if isinstance(value, float)
                else "dates" if isinstance(value, dt.date) else "text")
        if (name, kind) not in self.read:
            self.read[name, kind] = self._read(name, kind)
        return self.read[name, kind], value

    def _read(self, name: str, kind: str) -> np.ndarray:
        series = self.frame[name]
        if kind == "flags":
            return _flags(series)
        if kind == "numbers":
            return _numbers(series)
        if kind == "dates":
            return dates(self.frame, name).dt.normalize().to_numpy()
        return _folded(series, TEXT_KEYS.get(name.lower()))


def _comparable(value: Value, column: str = "") -> object:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        key = TEXT_KEYS.get(column.lower())
        return key(value.strip()) if key else value.strip().casefold()
    if isinstance(value, dt.date):
        return np.datetime64(value, "ns")
    return value


def _contains(value: str, needles: list[str], as_list: bool) -> bool:
    folded = value.casefold()
    if as_list:
        items = {item.strip() for item in folded.split(";")}
        return any(needle in items for needle in needles)
    return any(needle in folded for needle in needles)


def _blank(series: pd.Series) -> np.ndarray:
    return (texts(series.to_frame("c"), "c") == "").to_numpy(dtype=bool)


def _folded(series: pd.Series, key: Callable[[str], str] | None = None) -> np.ndarray:
    """Stripped, case-folded text (or its `key`) with NaN for blank cells, one fold per
    distinct value."""
    values = texts(series.to_frame("c"), "c")
    fold = key or str.casefold
    folded = {value: (fold(value) if value else np.nan) for value in values.unique()}
    return values.map(folded).to_numpy(dtype=object)


def _numbers(series: pd.Series) -> np.ndarray:
    """Numbers, with star ratings written as text ("★★★★☆") read as their count of stars."""
    numbers = pd.to_numeric(series, errors="coerce").astype("float64")
    if not numbers.isna().any() or pd.api.types.is_numeric_dtype(series):
        return numbers.to_numpy()
    distinct = series[numbers.isna() & series.notna()].astype(str).unique()
    stars = {text: float(text.count("★")) for text in distinct
             if text.strip() and set(text.strip()) <= {"★", "☆"}}
    return numbers.fillna(series.map(stars)).to_numpy(dtype="float64")


def _flags(series: pd.Series) -> np.ndarray:
    """1.0 for true (TRUE, yes, 1, x), 0.0 for false (FALSE, no, 0), NaN when blank."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype("float64").to_numpy()
    distinct = series.dropna().unique()
    truth = {}
    for value in distinct:
        text = str(value).strip().lower()
        truth[value] = 1.0 if text in _TRUE_TEXTS else 0.0 if text in _FALSE_TEXTS else np.nan
    return series.map(truth).astype("float64").to_numpy()
