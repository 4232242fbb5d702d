"""The regex cache (`guardrails.regex_cache`): a pattern built from its file matches what the
same pattern compiled by `re` matches; a file can only serve the pattern text it was made
from; a damaged file or a folder that cannot be written costs time, never a wrong match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guardrails import regex_cache
from guardrails.regex_cache import compiled
from guardrails.ruleset import default_rules

WORDS = ["courier", "carrier", "vendor", "warehouse", "storm", "the driver", "our team"]
TEXTS = [
    "The courier lost it.",
    "the warehouse  flooded, and the vendor's van broke down",
    "Storm damage delayed the carrier; our team is on it.",
    "nothing here",
    "",
]


def _pattern(count: int, extra: str = "") -> str:
    """A named-group alternation longer than the cache's threshold."""
    parts = [f"(?P<w{k}>\\b{re.escape(word)}{k % 7}?s?\\b{extra})" for k, word in _words(count)]
    return "|".join(parts)


def _words(count: int) -> list[tuple[int, str]]:
    return [(k, WORDS[k % len(WORDS)]) for k in range(count)]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[str | None, int, int]]:
    return [(m.lastgroup, m.start(), m.end()) for m in pattern.finditer(text)]


def _same(mine: re.Pattern[str], theirs: re.Pattern[str]) -> None:
    assert (mine.pattern, mine.flags, mine.groups) == (theirs.pattern, theirs.flags, theirs.groups)
    assert mine.groupindex == theirs.groupindex
    for text in TEXTS:
        for variant in (text, text.upper(), text.lower()):
            assert _spans(mine, variant) == _spans(theirs, variant)


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_a_pattern_from_its_file_matches_as_re_compiles_it(tmp_path: Path, flags: int) -> None:
    source = _pattern(200)
    assert len(source) > regex_cache._SHORT
    fresh = compiled(source, flags, tmp_path)
    assert len(list(tmp_path.glob("*.code"))) == 1
    from_file = compiled(source, flags, tmp_path)
    theirs = re.compile(source, flags)
    _same(fresh, theirs)
    _same(from_file, theirs)
    assert _spans(theirs, TEXTS[0])  # the texts do hold matches


def test_a_file_serves_only_the_pattern_text_it_was_made_from(tmp_path: Path) -> None:
    first, second = _pattern(200), _pattern(200, extra="x")
    compiled(first, 0, tmp_path)
    changed = compiled(second, 0, tmp_path)
    assert len(list(tmp_path.glob("*.code"))) == 2
    _same(changed, re.compile(second))
    assert _spans(changed, TEXTS[0]) == []
    # And with other flags, a pattern is a new file too.
    compiled(first, re.IGNORECASE, tmp_path)
    assert len(list(tmp_path.glob("*.code"))) == 3


@pytest.mark.parametrize("damage", [b"", b"not marshal data", b"\xe9" * 50])
def test_a_damaged_file_is_compiled_anew(tmp_path: Path, damage: bytes) -> None:
    source = _pattern(200)
    compiled(source, 0, tmp_path)
    (path,) = tmp_path.glob("*.code")
    path.write_bytes(damage)
    _same(compiled(source, 0, tmp_path), re.compile(source))
    _same(compiled(source, 0, tmp_path), re.compile(source))  # from the file written anew
    assert path.read_bytes() != damage


def test_a_folder_that_cannot_be_written_keeps_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    source = _pattern(200)
    _same(compiled(source, 0, blocked / "regex"), re.compile(source))
    assert list(tmp_path.iterdir()) == [blocked]


def test_the_folder_keeps_the_files_used_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(regex_cache, "_KEPT", 2)
    sources = [_pattern(200, extra=f"{k}") for k in range(3)]
    compiled(sources[0], 0, tmp_path)
    compiled(sources[1], 0, tmp_path)
    compiled(sources[0], 0, tmp_path)  # read, so used after the second
    first = {p.name for p in tmp_path.glob("*.code")}
    compiled(sources[2], 0, tmp_path)
    kept = {p.name for p in tmp_path.glob("*.code")}
    assert len(kept) == 2
    assert len(first & kept) == 1  # the second, least recently used, is gone
    _same(compiled(sources[0], 0, tmp_path), re.compile(sources[0]))


def test_the_scanners_big_regexes_come_from_the_cache() -> None:
    """The packaged scanners' trie regexes are long enough to be kept (else start-up would
    compile them in every process)."""
    scanner = default_rules().scanners["standard"]
    assert all(len(r.pattern) >= regex_cache._SHORT for r in scanner.lower.after_break)
