"""Fast multi-pattern matching for rule packs.

Python's regex engine tries every alternative at every position unless the pattern starts
with a literal character, in which case it skips ahead on a first-character set. So the
alternatives that start with a literal are compiled, case-sensitively, into trie-shaped
regexes over a lowercased copy of the text (see `regex_source`), grouped by their first
letter; those that start at a word boundary are found from the non-word character before
them (see `lookahead_regexes`). Alternatives that cannot be written that way (they contain
uppercase letters, or start with a character class or a complex group) are compiled on
their own.

(Matching pack phrases word by word through dict look-ups was measured too: in CPython it
was no faster than this one regex on a letter-sized text, so the simpler design stays.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from guardrails.regex_cache import compiled
from guardrails.regex_source import (
    BOUNDARY,
    SPACE_RUN,
    WHITESPACE,
    Needs,
    TrieNode,
    anchor,
    atom_regex,
    atoms,
    expand,
    literal_first,
    needs,
    needs_original_case,
    skip_ahead,
    window_needs,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Standalone:
    """A pattern compiled on its own, run over the original text or the lowered one, only
    when the text holds what every match needs (most of these patterns start with a class
    or a boundary, so the engine would try them at every position of every text)."""

    regex: re.Pattern[str]
    original: bool
    needs: Needs
    ignore_case: bool
    spaced: bool
    """Whether a string it needs holds white space."""

    def may_match(self, seen: str, ascii_text: bool) -> bool:
        """Whether `seen` holds what every match needs: the text the pattern runs over, or
        the lowered text for a pattern that ignores case (its lowercase strings are looked
        for only when the text is ASCII: there lowercasing is exactly the engine's case
        folding); unless `spaced`, that text's `distinct_runs` will do."""
        if self.ignore_case and not ascii_text:
            return True
        return self.needs.met(seen, ascii_text)

    @classmethod
    def of(cls, regex: re.Pattern[str], original: bool) -> Standalone:
        need = needs(regex)
        flags = bool(regex.flags & re.IGNORECASE)
        return cls(skip_ahead(regex), original, need, flags, _spaced(need))


def distinct_runs(text: str) -> str:
    """The text's distinct runs of characters other than white space, joined by spaces: a
    string without white space is in the text exactly when it is in these, fewer characters
    than a long text that repeats its words."""
    return " ".join(set(text.split()))


_LIGHT_FROM = 2000
"""The length from which a text is scanned with `Trie.light` where it can be (a shorter one
is scanned whole: there the scan costs less than finding where)."""
_WORD_RUN = re.compile(r"\w+")
_WORD_START = re.compile(r"(?<=[^\w])\w")
_LONG_SPACE = re.compile(rf"\s\s{{{SPACE_RUN}}}")  # a class first: the engine skips to it
_PER_REGEX = 400
"""How many alternatives one word-start regex holds at most, unless one first character
has more (see `lookahead_regexes`)."""


@dataclass(frozen=True, slots=True)
class Window:
    """What a match of an alternative that reads a window ahead (see `reads_ahead`) needs
    (`Trie.needs[need]`), and (see `regex_source.anchor`) strings one of which starts at
    most `reach` characters after the match's start, when they are known."""

    need: int
    anchor: tuple[str, ...] | None
    reach: int


class _Read:
    """What one text meets of `Trie.needs`, each found once (those without white space in
    its `distinct_runs`), and where each anchor is."""

    def __init__(self, broken: str, trie: Trie) -> None:
        self.broken = broken
        self._ascii = broken.isascii()
        self._runs: str | None = None
        self._trie = trie
        self._met: list[bool | None] = [None] * len(trie.needs)
        self._count: dict[str, int] = {}
        self._short_spaces: bool | None = None

    def meets(self, need: int) -> bool:
        met = self._met[need]
        if met is None:
            subject = self.broken
            if need not in self._trie.spaced:
                if self._runs is None:
                    self._runs = distinct_runs(self.broken)
                subject = self._runs
            met = self._met[need] = self._trie.needs[need].met(subject, self._ascii)
        return met

    def short_spaces(self) -> bool:
        """Whether no run of white space is longer than `SPACE_RUN`."""
        if self._short_spaces is None:
            self._short_spaces = _LONG_SPACE.search(self.broken) is None
        return self._short_spaces

    def count(self, string: str) -> int:
        if string not in self._count:
            self._count[string] = self.broken.count(string)
        return self._count[string]

    def at(self, string: str) -> Iterator[int]:
        """Where `string` starts in the text."""
        found = self.broken.find(string)
        while found >= 0:
            yield found
            found = self.broken.find(string, found + 1)


@dataclass(frozen=True, slots=True)
class Trie:
    """The literal-first alternatives as regexes over the lowered text (see
    `lookahead_regexes`): those that start at a word start (`after_break`, one regex per
    group of first characters, `first` telling which), and the rest (`inside`). At one
    position an alternative of the first kind wins over one of the second, as it did when
    both were one alternation."""

    after_break: tuple[re.Pattern[str], ...]
    first: Mapping[str, int]
    """The first character of a word-start alternative -> its regex in `after_break`."""
    inside: re.Pattern[str] | None
    light_sources: tuple[str | None, ...] = ()
    """The sources of `light`, compiled the first time a text needs them (compiling them
    takes a second or two)."""
    windows: tuple[tuple[Window, ...], ...] = ()
    """What the alternatives left out of `light` need, for each regex of `after_break`
    (deduplicated; empty when `light` is not in use)."""
    needs: tuple[Needs, ...] = ()
    """What the windows need, each once."""
    spaced: frozenset[int] = frozenset()
    """Which of `needs` hold a string with white space."""
    _compiled: list[tuple[re.Pattern[str] | None, ...]] = field(
        default_factory=list, compare=False, repr=False
    )

    @property
    def light(self) -> tuple[re.Pattern[str] | None, ...]:
        """Each regex of `after_break` without the alternatives that read a window ahead
        (see `reads_ahead`; None where it holds only those, or none). Where none of them can
        match, it finds what the regex finds, without trying each window at every common
        word."""
        if not self._compiled:
            self._compiled.append(
                tuple(None if s is None else compiled(s) for s in self.light_sources)
            )
        return self._compiled[0]

    def _windows_read(self, at: int, text: _Read) -> list[tuple[int, int]] | None:
        """Where an alternative of `after_break[at]` that reads a window ahead may start a
        match in the text, as sorted (start, end) spans: near an anchor of each window whose
        needs the text meets. None when that may be anywhere (a window without an anchor) or
        in most of the text."""
        reach: dict[str, int] = {}
        for window in self.windows[at]:
            if text.meets(window.need):
                if window.anchor is None:
                    return None
                for string in window.anchor:
                    reach[string] = max(reach.get(string, 0), window.reach)
        if reach and not text.short_spaces():
            return None  # the reach of an anchor counts on short runs of white space
        # The spans are at most that long together: when that may be most of the text, the
        # whole regex reads it at less cost than both.
        if sum(text.count(s) * (most + 1) for s, most in reach.items()) * 2 > len(text.broken):
            return None
        spans = sorted(
            (start - most, start + 1) for s, most in reach.items() for start in text.at(s)
        )
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((max(start, 0), end))
        return merged

    def matches(
        self, low: str, broken: str, light_from: int = _LIGHT_FROM
    ) -> list[tuple[str, int, int]]:
        """(group name, start, end) of the first alternative matching at each position, in
        text order. `broken` is `low` after a line break: the text is read that way, so
        that an alternative at its very start is found like any other (a line break is what
        the packs' look-behinds, such as "not after another character on the line", see
        before a text's first word).

        Each regex of `after_break` runs where an alternative that reads a window ahead may
        match (see `_windows_read`), and `light` everywhere else (a text shorter than
        `light_from` is read whole)."""
        found: dict[int, tuple[str, int, int]] = {}
        read = _Read(broken, self) if len(broken) >= light_from else None
        for at, regex in enumerate(self.after_break):
            spans = None
            if read is not None and self.windows[at]:
                spans = self._windows_read(at, read)
            hits = regex.finditer(broken) if spans is None else self._read_in(at, spans, broken)
            for match in hits:
                # Each match is the alternative's first character, one past its start in `low`.
                start = match.start() - 1
                if (name := match.lastgroup) is not None and start not in found:
                    found[start] = (name, start, match.start(name) - 1)
        if self.inside is not None:
            for match in self.inside.finditer(low):
                name = match.lastgroup
                if name is not None and match.start() not in found:
                    found[match.start()] = (name, match.start(), match.start(name))
        return sorted(found.values(), key=lambda item: item[1])

    def _read_in(
        self, at: int, spans: list[tuple[int, int]], broken: str
    ) -> Iterator[re.Match[str]]:
        """The matches of `after_break[at]` at each word start in `spans` (a search for its
        next match would read on past a span's end), then those of its light regex all
        through the text (where the whole regex matched, `matches` keeps that match)."""
        regex, light = self.after_break[at], self.light[at]
        for start, end in spans:
            for word in _WORD_START.finditer(broken, start, end):
                if self.first.get(word.group()) == at and (
                    match := regex.match(broken, word.start())
                ):
                    yield match
        if light is not None:
            yield from light.finditer(broken)

    def match_at(self, low: str, broken: str, start: int) -> tuple[str, int, int] | None:
        """(group name, start, end) of the alternative `matches` reports at `start`, or
        None."""
        at = self.first.get(low[start : start + 1])
        if at is not None:
            match = self.after_break[at].match(broken, start + 1)
            if match is not None and (name := match.lastgroup) is not None:
                return name, start, match.start(name) - 1
        if self.inside is not None:
            match = self.inside.match(low, start)
            if match is not None and (name := match.lastgroup) is not None:
                return name, start, match.start(name)
        return None


@dataclass(frozen=True, slots=True)
class Scanner(Generic[T]):
    """Named-group alternations; each group name maps to the payload it reports."""

    lower: Trie
    other: tuple[Standalone, ...]
    original: tuple[Standalone, ...]
    payloads: Mapping[str, T]
    primary: Trie | None = None
    """The primary alternatives alone (a rule set's rules, ahead of its element cues)."""
    shadowing: frozenset[str] = frozenset()
    """The other alternatives that the trie tries before a primary one starting with the same
    character: where one of them wins a position, a primary one may match there too."""

    def matches(self, text: str, low: str) -> list[tuple[T, int, int]]:
        """(payload, start, end) for the first alternative that matches at each position, in
        text order, and the first primary alternative where another one came first (a cue
        with a longer literal head). Matches may overlap: a long match never hides one that
        starts inside it."""
        payloads = self.payloads
        broken = "\n" + low
        found = []
        for name, start, end in self.lower.matches(low, broken):
            found.append((payloads[name], start, end))
            if self.primary is not None and name in self.shadowing:
                hidden = self.primary.match_at(low, broken, start)
                if hidden is not None:
                    found.append((payloads[hidden[0]], start, hidden[2]))
        ascii_text = text.isascii()
        runs: dict[str, str] = {}  # a long text and its lowered copy -> their distinct runs
        for scan in (*self.original, *self.other):
            subject = text if scan.original else low
            seen = low if scan.ignore_case else subject
            if len(low) >= _LIGHT_FROM and not scan.spaced:
                if seen not in runs:
                    runs[seen] = distinct_runs(seen)
                seen = runs[seen]
            if not scan.may_match(seen, ascii_text):
                continue
            for match in scan.regex.finditer(subject):
                group = match.lastgroup
                if group is not None and match.end() > match.start():
                    found.append((payloads[group], match.start(), match.end()))
        if self.original or self.other:
            found.sort(key=lambda item: item[1])
        return found


def build_scanner(
    alternatives: Sequence[tuple[str, bool, T]], primary: Callable[[T], bool] | None = None
) -> Scanner[T]:
    """Compile (regex source, case-sensitive?, payload) alternatives into a Scanner. Where an
    alternative whose payload is not `primary` wins a position, the first primary
    alternative matching there is reported too."""
    root = TrieNode()
    primary_names: set[str] = set()
    other: list[Standalone] = []
    original: list[Standalone] = []
    payloads: dict[str, T] = {}
    for index, (source, case_sensitive, payload) in enumerate(alternatives):
        if case_sensitive or needs_original_case(source):
            # Compiled alone, so that a leading character class still gives the engine a
            # first-character set to skip on.
            name = f"o{index}"
            flags = 0 if case_sensitive else re.IGNORECASE
            regex = re.compile(f"(?:{source})(?P<{name}>)", flags)
            original.append(Standalone.of(regex, True))
            payloads[name] = payload
            continue
        for part, variant in enumerate(expand(source)):
            # An empty named group at the end marks the alternative without hiding its first
            # literal from the engine's fast path; it is always the last group to close.
            name = f"g{index}_{part}"
            payloads[name] = payload
            head, rest = atoms(variant)
            if literal_first(head):
                root.add(head, rest, name)
                if primary is not None and primary(payload):
                    primary_names.add(name)
            else:
                regex = re.compile(f"(?:{variant})(?P<{name}>)")
                other.append(Standalone.of(regex, False))
    shadowing, hidden = _shadowing(root, primary_names)
    first = root.pruned(hidden)
    return Scanner(
        lower=lookahead_regexes(root, light=True),
        other=tuple(other),
        original=tuple(original),
        payloads=payloads,
        primary=lookahead_regexes(first) if first is not None else None,
        shadowing=shadowing,
    )


def _shadowing(root: TrieNode, primary: set[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Which alternatives can hide a primary one, and which primary ones can be hidden: the
    names of the alternatives other than `primary` that the trie tries before a primary
    alternative that may match at the same position, and the names of those primary
    alternatives. (In the order the trie tries them: children before tails, those at a word
    start before the others; two alternatives may match at one position unless their literal
    heads differ in a character.)"""
    shadowing: set[str] = set()
    hidden: set[str] = set()
    kinds: dict[int, tuple[bool, bool]] = {}

    def kind(node: TrieNode) -> tuple[bool, bool]:
        """Whether the subtree holds a primary alternative, and another one."""
        if id(node) not in kinds:
            names = node.names()
            kinds[id(node)] = (
                any(n in primary for n in names),
                any(n not in primary for n in names),
            )
        return kinds[id(node)]

    def key(atom: str) -> str:
        """The character an atom matches; white space may be several characters."""
        if atom == WHITESPACE or atom.isspace():
            return WHITESPACE
        return atom[1:] if atom.startswith("\\") else atom

    def visit(
        children: list[tuple[str, TrieNode]],
        tails: list[str],
        other_before: bool,
        primary_after: bool,
    ) -> None:
        before = other_before or any(kind(child)[1] for _, child in children)
        for name in tails:
            if name not in primary:
                before = True
            elif before:
                hidden.add(name)
        after = primary_after
        for name in reversed(tails):
            if name in primary:
                after = True
            elif after:
                shadowing.add(name)
        after = after or any(name in primary for name in tails)
        for index, (atom, child) in enumerate(children):
            # A sibling whose atom may match the same text: the same character, or white
            # space (several characters, so what follows may line up).
            near = [
                (at, kind(other))
                for at, (other_atom, other) in enumerate(children)
                if at != index
                and (key(other_atom) == key(atom) or WHITESPACE in (key(atom), key(other_atom)))
            ]
            visit(
                list(child.children.items()),
                [name for _, name in child.tails],
                other_before or any(k[1] for at, k in near if at < index),
                after or any(k[0] for at, k in near if at > index),
            )

    boundary = root.children.get(BOUNDARY)
    top = list(boundary.children.items()) if boundary is not None else []
    top += [(atom, child) for atom, child in root.children.items() if atom != BOUNDARY]
    visit(top, [], False, False)
    return frozenset(shadowing), frozenset(hidden)


def lookahead_regexes(root: TrieNode, light: bool = False) -> Trie:
    """The trie as scanning regexes. Each match checks the alternative in a lookahead, so
    matches can overlap.

    Alternatives that start at a word boundary are found from their first character, with
    a non-word character before it: each regex starts with a class of the first characters
    it holds, which lets the engine skip, in C, to the next of them, where a leading "word
    boundary" test would be tried (and fail) at every character inside words. They are
    split into several regexes by first character, at most `_PER_REGEX` alternatives each
    (no two regexes can match at one position): the engine builds a match object with a
    slot for every group of its regex, and one regex of thousands of alternatives made each
    match cost several microseconds. (`Trie.matches` puts a line break before the text for
    position 0.)

    With `light`, also the light regexes' sources and what their windows need (see
    `Trie.light`), for a trie that scans whole texts (the primary alternatives are only
    matched at single positions)."""
    boundary = root.children.pop(BOUNDARY, None)
    after_break: tuple[re.Pattern[str], ...] = ()
    first: dict[str, int] = {}
    light_sources: list[str | None] = []
    windows: list[tuple[Window, ...]] = []
    needs: dict[Needs, int] = {}
    inside = None
    if boundary is not None:
        groups = _first_character_groups(boundary)
        after_break = tuple(compiled(_word_start_source(boundary, g)) for g in groups)
        first = {_character(atom): at for at, group in enumerate(groups) for atom in group}
        by_atom = {a: _windows(child, [a]) for a, child in boundary.children.items() if light}
        gated = {name for found in by_atom.values() for name in found}
        rest = boundary.pruned(frozenset(boundary.names()) - gated)
        for group in groups:
            kept = [atom for atom in group if rest is not None and atom in rest.children]
            found = [w for atom in group for w in by_atom.get(atom, {}).values()]
            # Those without an anchor first (one met is enough to read the whole text),
            # then those likeliest met (their shortest strings).
            found.sort(key=lambda w: (w[1] is not None, _shortest(w[0])))
            windows.append(
                tuple(
                    Window(needs.setdefault(need, len(needs)), strings, reach)
                    for need, strings, reach in dict.fromkeys(found)
                )
            )
            if rest is not None and kept and windows[-1]:
                light_sources.append(_word_start_source(rest, kept))
            else:
                light_sources.append(None)
    if root.children:
        inside = compiled(
            "|".join(
                f"{atom_regex(atom)}(?={child.emit()})" for atom, child in root.children.items()
            )
        )
    return Trie(
        after_break,
        first,
        inside,
        tuple(light_sources),
        tuple(windows),
        tuple(needs),
        frozenset(at for need, at in needs.items() if _spaced(need)),
    )


def _spaced(need: Needs) -> bool:
    return any(c.isspace() for choice in need.strings for s in choice for c in s)


def _shortest(need: Needs) -> int:
    return min((len(s) for choice in need.strings for s in choice), default=0)


def _character(atom: str) -> str:
    """The character a literal atom matches."""
    return atom[1:] if atom.startswith("\\") else atom


def _first_character_groups(boundary: TrieNode) -> list[list[str]]:
    """The first atoms of the word-start alternatives, grouped (first fit, the atoms with
    most alternatives first) into groups of at most `_PER_REGEX` alternatives, unless one
    atom has more. An atom that is not a word character is left out: after a non-word
    character, no word boundary comes before it, so it can never match."""
    sizes = {
        atom: len(child.names())
        for atom, child in boundary.children.items()
        if _WORD_RUN.fullmatch(_character(atom))
    }
    groups: list[list[str]] = []
    counts: list[int] = []
    for atom in sorted(sizes, key=lambda a: (-sizes[a], a)):
        for at, count in enumerate(counts):
            if count + sizes[atom] <= _PER_REGEX:
                groups[at].append(atom)
                counts[at] += sizes[atom]
                break
        else:
            groups.append([atom])
            counts.append(sizes[atom])
    return groups


def _word_start_source(boundary: TrieNode, atoms: list[str]) -> str:
    """The regex of the word-start alternatives that start with `atoms`: each match is the
    first character, after a non-word character, and the rest of the alternative is
    checked in a lookahead."""
    parts = []
    for atom in atoms:
        first = atom_regex(atom)
        parts.append(f"{first}(?<=[^\\w]{first})(?={boundary.children[atom].emit()})")
    return "|".join(parts)


def _windows(
    node: TrieNode, head: list[str]
) -> dict[str, tuple[Needs, tuple[str, ...] | None, int]]:
    """The alternatives of the subtree (under the literal atoms `head`) whose tails read a
    window ahead and need strings a text may lack, with what they need (read from the tail
    alone: the literal head is there wherever the tail is tried)."""
    found: dict[str, tuple[Needs, tuple[str, ...] | None, int]] = {}
    stack = [(node, head)]
    while stack:
        current, atoms = stack.pop()
        stack += [(child, [*atoms, atom]) for atom, child in current.children.items()]
        for tail, name in current.tails:
            try:
                need = window_needs(tail)
            except re.error:
                continue
            if need is not None and (need.strings or need.non_ascii):
                # The sets of fewest strings first: a text that lacks what the tail needs
                # is told so after the fewest searches.
                need = Needs(tuple(sorted(need.strings, key=len)), need.non_ascii)
                head_source = "".join(atom_regex(atom) for atom in atoms)
                strings, reach = anchor(head_source, tail) or (None, 0)
                found[name] = (need, strings, reach)
    return found
