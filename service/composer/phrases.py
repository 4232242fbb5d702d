"""Loads the composer's phrase banks (YAML beside this module) and picks one variant per slot.

The banks are data so that a non-programmer can review and extend the wording. Picking is
deterministic: a `Picker` is seeded from a stable hash of the request, so the same request
always reads the same, while two customers get differently worded letters.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from contract.yaml_files import read_yaml

PHRASES_DIR = Path(__file__).parent / "phrases"

# Filters a variant may carry; anything else in a YAML entry is a typo worth failing on.
_FILTER_KEYS = (
    "registers",
    "tones",
    "audiences",
    "postures",
    "channels",
    "requires_no",
    "lengths",
)
_KNOWN_KEYS = {"text", "plain", *_FILTER_KEYS}

OPTIONAL_FIELDS = frozenset({"also", "extra", "on_date", "date_note"})
"""Placeholders that may be empty: they add a word or a figure when the request has one."""

# Audiences whose own wording replaces the generic wording when a slot has any.
_EXCLUSIVE_AUDIENCES = ("public", "colleague")


class PhraseBankError(ValueError):
    """A phrase file is malformed: unknown key, missing text or a bad placeholder."""


@dataclass(frozen=True)
class Variant:
    """One sentence template and where it may be used."""

    text: str
    fields: frozenset[str]
    registers: frozenset[str] = frozenset()
    tones: frozenset[str] = frozenset()
    audiences: frozenset[str] = frozenset()
    postures: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    requires_no: frozenset[str] = frozenset()
    lengths: frozenset[str] = frozenset()
    """Voice lengths ("short": the shorten rewrite or a tight max_words) that use it alone."""
    plain: bool = False


@dataclass(frozen=True)
class Situation:
    """What a variant is filtered against: the voice, the reader and the channel."""

    register: str
    tone: str
    audience: str
    posture: str
    channel: str
    prefer_tone: bool = False
    prefer_plain: bool = False
    prefer_short: bool = False
    prefer_long: bool = False
    length: str = "normal"
    personal: bool = True
    """The sender is a person; an organisation alone never says "I"."""


def _variant(slot: str, raw: object) -> Variant:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise PhraseBankError(f"slot {slot!r}: every variant needs a text")
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise PhraseBankError(f"slot {slot!r}: unknown keys {sorted(unknown)}")
    text: str = raw["text"]
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError as exc:
        raise PhraseBankError(f"slot {slot!r}: bad template {text!r}: {exc}") from exc
    filters = {key: frozenset(str(v) for v in raw.get(key, [])) for key in _FILTER_KEYS}
    return Variant(text=text, fields=frozenset(names), plain=bool(raw.get("plain")), **filters)


def load_bank(path: Path) -> dict[str, tuple[Variant, ...]]:
    """Read one phrase file: a mapping of slot name to a list of variants."""
    raw = read_yaml(path, PhraseBankError)
    if not isinstance(raw, dict):
        raise PhraseBankError(f"{path.name}: expected a mapping of slots")
    return {str(slot): tuple(_variant(str(slot), v) for v in items) for slot, items in raw.items()}


@lru_cache(maxsize=1)
def letter_bank() -> dict[str, tuple[Variant, ...]]:
    """The packaged sentence bank, loaded once per process."""
    return load_bank(PHRASES_DIR / "letter.yaml")


def _load_tables(name: str) -> dict[str, dict[str, str]]:
    """A file of named string-to-string tables, e.g. words.yaml."""
    raw = read_yaml(PHRASES_DIR / name, PhraseBankError)
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise PhraseBankError(f"{name}: expected a mapping of mappings")
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in raw.items()}


@lru_cache(maxsize=1)
def topics() -> dict[str, dict[str, str]]:
    """Per-scenario sentence topic and reference noun (see topics.yaml)."""
    return _load_tables("topics.yaml")


@lru_cache(maxsize=1)
def proper_tables() -> dict[str, dict[str, str]]:
    """Place names and acronyms in their own case, by lower-case key (see proper.yaml)."""
    return _load_tables("proper.yaml")


@lru_cache(maxsize=1)
def word_tables() -> dict[str, dict[str, str]]:
    """Contraction, expansion and plain-word tables (see words.yaml)."""
    return _load_tables("words.yaml")


def _matches(variant: Variant, where: Situation, values: dict[str, str]) -> bool:
    checks = (
        (variant.lengths, where.length),
        (variant.registers, where.register),
        (variant.audiences, where.audience),
        (variant.postures, where.posture),
        (variant.channels, where.channel),
    )
    if any(allowed and value not in allowed for allowed, value in checks):
        return False
    if variant.tones and where.tone not in variant.tones:
        # A tone-specific variant belongs to that tone's voice and nowhere else.
        return False
    if any(values.get(name) for name in variant.requires_no):
        return False
    return all(values.get(name) or name in OPTIONAL_FIELDS for name in variant.fields)


@dataclass
class Picker:
    """Chooses variants for one draft, in a fixed order, from a seeded generator."""

    seed: int
    where: Situation
    bank: dict[str, tuple[Variant, ...]] = field(default_factory=letter_bank)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def candidates(self, slot: str, values: dict[str, str]) -> list[Variant]:
        """Variants of `slot` usable here, narrowed to the most specific wording available."""
        # A variant depends on the values only through which of them are given, so the
        # packaged bank's pools are shared by every draft in the same situation.
        given = frozenset(name for name, value in values.items() if value)
        if self.bank is letter_bank():
            return list(_letter_pool(slot, self.where, given))
        return _narrowed(self.bank.get(slot, ()), self.where, given)

    @contextmanager
    def aside(self) -> Iterator[None]:
        """Choices made inside leave the later slots' choices as they were: a sentence that
        a limit may leave out does not change the wording of the rest of the letter."""
        state = self._rng.getstate()
        try:
            yield
        finally:
            self._rng.setstate(state)

    def pick(self, slot: str, values: dict[str, str], *, draw: bool = True) -> Variant | None:
        """One variant of `slot`, or None when no variant fits this request. Without `draw`,
        the first variant, and the later slots' choices stay as they were (a wording kept
        in reserve, such as a step's shortest lead-in, must not change the letter)."""
        pool = self.candidates(slot, values)
        if not draw:
            return pool[0] if pool else None
        # Always draw, even for a pool of one, so a later slot's choice does not depend on
        # how many variants an earlier slot happened to have.
        at = self._rng.random()
        if not pool:
            return None
        return pool[int(at * len(pool))]


@lru_cache(maxsize=8192)
def _letter_pool(slot: str, where: Situation, given: frozenset[str]) -> tuple[Variant, ...]:
    return tuple(_narrowed(letter_bank().get(slot, ()), where, given))


def _narrowed(
    variants: tuple[Variant, ...], where: Situation, given: frozenset[str]
) -> list[Variant]:
    """The `variants` usable in `where` with the `given` fields, narrowed to the most
    specific wording available."""
    values = dict.fromkeys(given, "x")
    pool = [v for v in variants if _matches(v, where, values)]
    if where.prefer_plain:
        # Everyday words before a brand's own voice: that is what "simplify" asks for.
        pool = [v for v in pool if v.plain] or pool
    else:
        pool = [v for v in pool if not v.plain]  # plain wording is the simplify rewrite's
    if where.audience in _EXCLUSIVE_AUDIENCES:
        own = [v for v in pool if where.audience in v.audiences]
        if own:
            pool = own
        elif where.audience == "public":
            # Public text speaks for the organisation: no first-person-singular sentences.
            pool = [v for v in pool if not v.text.startswith("I ")]
    if not where.personal:
        pool = [v for v in pool if not v.text.startswith("I ")] or pool
    if where.prefer_tone:
        voiced = [v for v in pool if where.tone in v.tones]
        pool = voiced or pool
    if where.prefer_long and pool:
        longest = max(len(v.text) for v in pool)
        pool = [v for v in pool if len(v.text) == longest]
    if where.prefer_short and pool:
        shortest = min(len(v.text) for v in pool)
        pool = [v for v in pool if len(v.text) == shortest]
    return pool
