"""Where each table and key of a TOML text is: {path: line}, for placing config problems.

tomllib gives no positions, and the TOML libraries that do (tomlkit) parse the whole
file a second time into their own document model; abm only needs the line of each
header and key, which one linear pass over the lines gives. A path is the key's place
in the parsed data: ("tiers", "min_fit"); the n-th `[[icp.rules]]` table (1-based) is
("icp", "rules", n), so its keys are ("icp", "rules", n, "op").

Lines inside multi-line strings are skipped. Keys inside inline tables and multi-line
arrays are not indexed: `where` finds their enclosing key's line instead.
"""

from __future__ import annotations

Path = tuple[str | int, ...]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def key_lines(text: str) -> dict[Path, int]:
    """{path: line} of every table header and `key =` line (the first, when repeated)."""
    index: dict[Path, int] = {}
    section: Path = ()
    arrays: dict[Path, int] = {}  # [[name]] path -> tables seen so far
    in_string = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2 == 1:
                in_string = ""
            continue
        stripped = line.lstrip()
        if stripped.startswith("["):
            section = _header(stripped, arrays, index, number) or section
            continue
        keys, rest = _dotted_key(stripped)
        if keys and rest.startswith("="):
            for depth in range(1, len(keys) + 1):
                index.setdefault((*section, *keys[:depth]), number)
            in_string = _opens_multiline_string(rest[1:])
    return index


def where(path: Path, index: dict[Path, int]) -> int | None:
    """The line of `path`, else of its nearest enclosing key or table; None when none of
    them is written in the file (a default, or a --flag)."""
    for end in range(len(path), 0, -1):
        if path[:end] in index:
            return index[path[:end]]
    return None


def _header(stripped: str, arrays: dict[Path, int], index: dict[Path, int],
            number: int) -> Path | None:
    is_array = stripped.startswith("[[")
    keys, rest = _dotted_key(stripped[2 if is_array else 1:])
    if not keys or not rest.startswith("]"):
        return None
    path = _within_arrays(tuple(keys), arrays)
    if is_array:
        index.setdefault(path, number)  # the array itself: its first table's line
        arrays[tuple(keys)] = arrays.get(tuple(keys), 0) + 1
        path = (*path, arrays[tuple(keys)])
    # [a.b] defines the table a too: a problem about a (an unknown section) is here
    for depth in range(1, len(path) + 1):
        index.setdefault(path[:depth], number)
    return path


def _within_arrays(keys: tuple[str, ...], arrays: dict[Path, int]) -> Path:
    """`[mapping.columns]` after the 2nd `[[mapping]]` is ("mapping", 2, "columns")."""
    path: list[str | int] = []
    for depth, key in enumerate(keys, start=1):
        path.append(key)
        if depth < len(keys) and keys[:depth] in arrays:
            path.append(arrays[keys[:depth]])
    return tuple(path)


def _dotted_key(text: str) -> tuple[list[str], str]:
    """The key at the start of `text` (`a.b`, `"quoted key"`, `'literal'.c`) and what
    follows it, stripped; ([], text) when `text` starts with no key. One pass."""
    keys: list[str] = []
    position, end = 0, len(text)
    while True:
        while position < end and text[position] in " \t":
            position += 1
        if position < end and text[position] in "\"'":
            quote = text[position]
            close = text.find(quote, position + 1)
            if close < 0:
                return [], text
            keys.append(text[position + 1:close])
            position = close + 1
        else:
            start = position
            while position < end and text[position] in _BARE:
                position += 1
            if position == start:
                return [], text
            keys.append(text[start:position])
        while position < end and text[position] in " \t":
            position += 1
        if position < end and text[position] == ".":
            position += 1
            continue
        return keys, text[position:]


def _opens_multiline_string(value: str) -> str:
    """The quote of a multi-line string the value opens and leaves open, else ""."""
    for quote in ('"""', "'''"):
        if value.lstrip().startswith(quote) and value.count(quote) % 2 == 1:
            return quote
    return ""
