"""Cheap proof that a regex cannot match: literal strings every match must contain.

`needs(source)` reads a pattern (without compiling it) into groups of literals: every match
contains at least one literal of each group. `str.__contains__` on a letter-sized text costs
tens of nanoseconds, a regex scan over it microseconds, so a standalone pattern whose needs
are absent is skipped. The reading is conservative: anything it does not understand (inline
flags, atomic groups, odd braces) adds no need, so a pattern is only ever skipped when it
could not have matched.

For a case-insensitive pattern the literals are lowercased and compared with the lowered
text, keeping only characters whose case-insensitive matches are exactly their lowercase
(ASCII other than i, k and s, which `re` also matches to 'ı', 'İ', 'K' and 'ſ').
"""

from __future__ import annotations

import re

NON_ASCII = "\x00non-ascii"
"""A need that any non-ASCII character satisfies."""
Needs = tuple[tuple[str, ...], ...]
"""Groups of literals; each group must have a member in the text."""

_ESCAPE = re.compile(r"\\(?:U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|N\{[^}]*\}|0[0-7]*|.)")
_BRACES = re.compile(r"\{(\d*)(?:,(\d*))?\}")
_FOLD_UNSAFE = re.compile(r"[^\x00-\x7f]|[iks]")
_MAX_GROUPS = 4


class _Unknown(Exception):
    """The pattern uses syntax this reading does not model; it gets no needs."""


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.index = 0

    def alternation(self) -> list[frozenset[str]]:
        """Needs of `a|b|...` up to a closing parenthesis or the end."""
        branches = [self.sequence()]
        while self.source.startswith("|", self.index):
            self.index += 1
            branches.append(self.sequence())
        if len(branches) == 1:
            return branches[0]
        if any(not branch for branch in branches):
            return []
        return [frozenset().union(*(_best(branch) for branch in branches))]

    def sequence(self) -> list[frozenset[str]]:
        found: list[frozenset[str]] = []
        run: list[str] = []

        def flush() -> None:
            if run:
                found.append(frozenset({"".join(run)}))
                run.clear()

        source = self.source
        while self.index < len(source) and source[self.index] not in "|)":
            char, start = source[self.index], self.index
            group: list[frozenset[str]] = []
            literal = None
            if char == "\\":
                escape = _ESCAPE.match(source, start)
                if escape is None:
                    raise _Unknown
                self.index = escape.end()
                text = escape.group()
                literal = text[1] if len(text) == 2 and not text[1].isalnum() else None
            elif char == "[":
                self.index = self._class_end(start)
                group = _class_needs(source[start + 1 : self.index - 1])
            elif char == "(":
                group = self._group()
            elif char == "{":
                raise _Unknown  # a brace that is not a quantifier
            else:
                self.index += 1
                literal = char if char not in ".^$" else None
            optional, repeated = self._quantifier()
            if literal is not None and not optional:
                run.append(literal)
                if repeated:
                    flush()
                continue
            flush()
            if group and not optional:
                found.extend(group)
        flush()
        return found

    def _quantifier(self) -> tuple[bool, bool]:
        """(may be absent, may repeat) for a quantifier at the cursor, which it skips."""
        source, index = self.source, self.index
        char = source[index : index + 1]
        if char in ("?", "*", "+"):
            self.index += 1
            optional = char != "+"
        elif char == "{" and (braces := _BRACES.match(source, index)) is not None:
            self.index = braces.end()
            optional = braces.group(1) in ("", "0")
        else:
            return False, False
        # Lazy (`*?`) and possessive (`*+`) forms change which match is found, not what any
        # match must contain.
        if source[self.index : self.index + 1] in ("?", "+"):
            self.index += 1
        return optional, True

    def _class_end(self, start: int) -> int:
        index = start + 1
        if self.source.startswith("^", index):
            index += 1
        if self.source.startswith("]", index):
            index += 1
        while index < len(self.source) and self.source[index] != "]":
            index += 2 if self.source[index] == "\\" else 1
        if index >= len(self.source):
            raise _Unknown
        return index + 1

    def _group(self) -> list[frozenset[str]]:
        source = self.source
        head = re.compile(r"\((?:\?:|\?P<\w+>|\?(?=[=!<#])|(?![?]))").match(source, self.index)
        if head is None:
            raise _Unknown  # inline flags, atomic groups, conditionals
        lookaround = head.group() == "(?"
        self.index = head.end()
        if lookaround and source.startswith("#", self.index):
            raise _Unknown
        if lookaround:
            self.index += 2 if source.startswith("<", self.index) else 1
        inner = self.alternation()
        if not source.startswith(")", self.index):
            raise _Unknown
        self.index += 1
        return [] if lookaround else inner


def _class_needs(content: str) -> list[frozenset[str]]:
    """A short list of plain characters is a need; so is a class of only non-ASCII
    characters and ranges (emoji), which an ASCII text cannot hold."""
    if (
        not content
        or content.startswith("^")
        or "\\" in content.replace("\\u", "").replace("\\U", "")
    ):
        return []
    if "\\" in content:  # only \u and \U escapes are left: decode them
        try:
            content = content.encode("ascii").decode("unicode_escape")
        except (UnicodeError, ValueError):
            return []
    if all(ord(c) > 127 or c == "-" for c in content) and not content.startswith("-"):
        return [frozenset({NON_ASCII})]
    if "-" in content[1:-1] or len(content) > 8:
        return []
    return [frozenset(content)]


def _best(branch: list[frozenset[str]]) -> frozenset[str]:
    """The branch's most selective group: the one whose shortest literal is longest."""
    return max(branch, key=lambda group: min(map(len, group)))


def _folded(literal: str) -> str:
    """The longest piece of a lowercased literal that case-insensitive matching cannot reach
    through other characters; "" when there is none."""
    pieces = _FOLD_UNSAFE.split(literal.lower())
    return max(pieces, key=len)


def needs(source: str, ignore_case: bool) -> Needs:
    """Literal groups every match of `source` satisfies (see the module docstring)."""
    try:
        reader = _Reader(source)
        groups = reader.alternation()
        if reader.index != len(source):
            return ()
    except _Unknown:
        return ()
    usable = []
    for group in groups:
        if ignore_case and NON_ASCII in group:
            continue  # a non-ASCII character may fold to an ASCII one
        members = {_folded(m) for m in group} if ignore_case else set(group)
        if members and "" not in members:
            usable.append(tuple(sorted(members)))
    usable.sort(key=lambda group: -min(map(len, group)))
    return tuple(usable[:_MAX_GROUPS])


def satisfied(groups: Needs, text: str) -> bool:
    """Whether `text` holds a literal of every group."""
    contains = text.__contains__
    for group in groups:
        if not any(map(contains, group)) and (NON_ASCII not in group or text.isascii()):
            return False
    return True
