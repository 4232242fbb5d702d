"""English word lists the code rules read (number words, currencies, weekdays, promise
words...), from the `words:` section of the packaged rule packs, so that every word the
guardrails match lives in YAML beside the phrases."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from guardrails.packs import packaged_pack_paths, read_pack


@dataclass(frozen=True, slots=True)
class Lexicon:
    lists: dict[str, list[str] | dict[str, str | int]]

    def words(self, name: str) -> tuple[str, ...]:
        """A word list (a mapping's keys for a mapping), lowercased."""
        found = self.lists[name]
        return tuple(w.lower() for w in found)

    def mapping(self, name: str) -> dict[str, str | int]:
        found = self.lists[name]
        if not isinstance(found, dict):
            raise KeyError(f"word list {name!r} is not a mapping")
        return {k.lower(): v for k, v in found.items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Every `words:` list of the packaged packs; a name defined twice is a pack error."""
    lists: dict[str, list[str] | dict[str, str | int]] = {}
    for path in packaged_pack_paths():
        for name, value in read_pack(path).words.items():
            if name in lists:
                raise ValueError(f"rule pack {path}: word list {name!r} is defined twice")
            lists[name] = value
    return Lexicon(lists)
