"""Compile validated rule packs into a `RuleSet` of scanners (see `scanner.py`), built once at
load so that a check does no set-up of its own."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from contract.report import Severity, TextField
from guardrails.packs import (
    CueEntry,
    FixSpec,
    Posture,
    RuleEntry,
    RulePack,
    packaged_pack_paths,
    read_pack,
)
from guardrails.scanner import Scanner, build_scanner

_POSTURES: tuple[Posture, ...] = ("standard", "cautious")


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule entry reduced to what matching needs; conditions are frozensets or None (any)."""

    id: str
    severity: Severity
    why: str
    suggestion: str
    skip_negated: bool
    unless_owned: bool
    liability: frozenset[str] | None
    tones: frozenset[str] | None
    channels: frozenset[str] | None
    fields: frozenset[str] | None

    def applies(self, field: TextField, liability: str, tone: str | None, channel: str) -> bool:
        """Whether the rule's `when` conditions hold; an unknown tone never excludes a rule
        that is not tone-specific, and never includes one that is."""
        return (
            (self.fields is None or field in self.fields)
            and (self.liability is None or liability in self.liability)
            and (self.channels is None or channel in self.channels)
            and (self.tones is None or (tone is not None and tone in self.tones))
        )


Payload = CompiledRule | str
"""What a scanner match reports: the rule that matched, or the element a cue is evidence of."""


def _remedy_words(packs: Sequence[RulePack]) -> re.Pattern[str] | None:
    """The remedy cues (remedy_refund...) as one pattern with a group per cue, matched where
    the scanner reported something else: a longer element cue or a rule that starts at the
    same word ("free of charge") wins the scanner's match there, and the remedy word must
    still be seen."""
    sources: dict[str, list[str]] = {}
    for pack in packs:
        for cue in pack.cues:
            if cue.element.startswith("remedy_"):
                sources.setdefault(cue.element, []).extend(f"(?:{s})" for s in _alternatives(cue))
    groups = [f"(?P<{name}>{'|'.join(found)})" for name, found in sources.items()]
    return re.compile("|".join(groups)) if groups else None


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Everything the checker needs, compiled: one scanner per liability posture holding every
    rule that can apply under it and every cue that counts under it, so that a check scans
    the text once. A posture's scanner is compiled the first time a check reads it."""

    scanners: Mapping[str, Scanner[Payload]]
    sources: tuple[str, ...]
    fixes: Mapping[str, FixSpec]
    """Rule id -> the mechanical fix its findings carry."""
    remedy_words: re.Pattern[str] | None

    def compile_all(self) -> None:
        """Compile every posture's scanner now (a server does this before it takes requests),
        with the light regexes a long text needs (seconds of compiling otherwise paid by the
        first long draft a caller sends)."""
        for posture in self.scanners:
            self.scanners[posture].lower.light  # noqa: B018 (compiles them once)


def phrase_regex(phrase: str, case_sensitive: bool = False) -> str:
    """A literal phrase as a lowercase regex: any run of whitespace between words, straight
    or curly apostrophes, and word boundaries where the phrase starts or ends with a word
    character."""
    words = (phrase if case_sensitive else phrase.lower()).split()
    body = r"\s+".join(re.escape(word) for word in words).replace("'", "['’]")
    start = r"\b" if re.match(r"\w", words[0]) else ""
    end = r"\b" if re.search(r"\w$", words[-1]) else ""
    return f"{start}{body}{end}"


def _alternatives(entry: RuleEntry | CueEntry) -> list[str]:
    # Longest phrases first, so "sorry you feel" wins over a shorter overlapping phrase.
    parts = [
        phrase_regex(p, entry.case_sensitive) for p in sorted(entry.phrases, key=len, reverse=True)
    ]
    return parts + list(entry.patterns)


def _frozen(values: Sequence[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


def _compile_rule(rule: RuleEntry) -> CompiledRule:
    return CompiledRule(
        id=rule.id,
        severity=rule.severity,
        why=" ".join(rule.why.split()),
        suggestion=" ".join(rule.suggestion.split()),
        skip_negated=rule.skip_negated,
        unless_owned=rule.unless_owned,
        liability=_frozen(rule.when.liability),
        tones=_frozen(rule.when.tones),
        channels=_frozen(rule.when.channels),
        fields=_frozen(rule.when.fields),
    )


class _Scanners(Mapping[str, Scanner[Payload]]):
    """One scanner per liability posture, each compiled the first time a check asks for it
    (compiling one takes seconds, and most processes only ever see one posture)."""

    def __init__(self, build: Callable[[Posture], Scanner[Payload]]) -> None:
        self._build = build
        self._built: dict[str, Scanner[Payload]] = {}
        self._lock = threading.Lock()

    def __getitem__(self, posture: str) -> Scanner[Payload]:
        if posture not in _POSTURES:
            raise KeyError(posture)
        with self._lock:
            if posture not in self._built:
                self._built[posture] = self._build(posture)
            return self._built[posture]

    def __iter__(self) -> Iterator[str]:
        return iter(_POSTURES)

    def __len__(self) -> int:
        return len(_POSTURES)


def _posture_scanner(packs: Sequence[RulePack], posture: Posture) -> Scanner[Payload]:
    """Every rule that can apply under `posture` and every cue that counts under it, as one
    scanner. Rules come before cues, so when a rule and a cue match at the same position
    with equally long literal heads, the rule is the one reported."""
    alternatives: list[tuple[str, bool, Payload]] = []
    for pack in packs:
        for rule in pack.rules:
            if rule.when.liability is None or posture in rule.when.liability:
                compiled = _compile_rule(rule)
                alternatives += [
                    (source, rule.case_sensitive, compiled) for source in _alternatives(rule)
                ]
    for pack in packs:
        for cue in pack.cues:
            if posture in cue.liability:
                alternatives += [
                    (source, cue.case_sensitive, cue.element) for source in _alternatives(cue)
                ]
    return build_scanner(alternatives, primary=lambda payload: isinstance(payload, CompiledRule))


def compile_packs(packs: Sequence[RulePack], sources: Sequence[str]) -> RuleSet:
    """Compile validated packs; each posture's scanner is compiled when first used."""
    packs = tuple(packs)
    fixes = {rule.id: rule.fix for pack in packs for rule in pack.rules if rule.fix is not None}
    return RuleSet(
        scanners=_Scanners(lambda posture: _posture_scanner(packs, posture)),
        sources=tuple(sources),
        fixes=MappingProxyType(fixes),
        remedy_words=_remedy_words(packs),
    )


def load_rules(extra_packs: Sequence[str | Path] = ()) -> RuleSet:
    """The packaged packs plus `extra_packs` (YAML files), validated and compiled.

    Compiling takes seconds, so a process compiles each set of files once and reuses it
    until one of them changes (a `RuleSet` is immutable). Raises `RulePackError` (a
    ValueError) naming the file and entry of the first bad pack.
    """
    paths = [*packaged_pack_paths(), *(Path(extra) for extra in extra_packs)]
    return _compiled(tuple((str(path), _stamp(path)) for path in paths))


def _stamp(path: Path) -> tuple[int, int] | None:
    """What tells a changed file apart; None for a missing one (reading it names the error)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=8)
def _compiled(files: tuple[tuple[str, tuple[int, int] | None], ...]) -> RuleSet:
    paths = [Path(name) for name, _ in files]
    packs = [read_pack(path) for path in paths]
    return compile_packs(packs, [str(path) for path in paths])


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The packaged rules, compiled once per process (and, unlike `load_rules`, without
    looking at the files again: every check without its own rules asks for them)."""
    return load_rules()
