"""The scanners' big regexes, compiled once per machine instead of once per process.

Python's `re` parses and compiles a pattern in Python code, at a cost that grows with the
pattern's length: the scanners' trie regexes (about 2 MB of pattern text per posture) took
most of a server's start-up. What compiling produces is the regex engine's code, a list of
integers. `compiled` keeps it in a file named after a hash of the Python build, the flags and
the whole pattern text, so a file only ever holds the code of that pattern for that build: a
changed pack gives new patterns and new names, never stale code, and a new Python reads none
of the old files. A file that is missing or unreadable is compiled again and written anew (if
the folder can be written; if not, nothing is kept).

The files live in `$XDG_CACHE_HOME/amends/regex` (`~/.cache/amends/regex` by default); they
can be deleted at any time.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import contextlib
import hashlib
import marshal
import os
import re
import sys
import tempfile
import zlib
from array import array
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import Any

_BUILD = f"{sys.version}|{sys.implementation.cache_tag}|{_sre.MAGIC}|{array('I').itemsize}"
_SHORT = 2000
"""Patterns shorter than this are compiled as usual: reading a file would not save time."""
_KEPT = 500
"""How many files the folder keeps (the packaged rules make about 50, 7 MB in all)."""


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "amends" / "regex"


def compiled(source: str, flags: int = 0, folder: Path | None = None) -> re.Pattern[str]:
    """`re.compile(source, flags)`, with the engine's code read from the cache when it is
    there (see the module's text)."""
    if len(source) < _SHORT:
        return re.compile(source, flags)
    flags = int(flags)
    key = hashlib.sha256(f"{_BUILD}\0{flags}\0{source}".encode()).hexdigest()
    path = (folder or cache_folder()) / f"{key}.code"
    try:
        all_flags, packed, *groups = marshal.loads(path.read_bytes())
        pattern: re.Pattern[str] = _sre.compile(
            source, all_flags, array("I", zlib.decompress(packed)).tolist(), *groups
        )
        with contextlib.suppress(OSError):
            os.utime(path)  # the folder keeps the files used last (see `_write`)
        return pattern
    except Exception:  # missing, partly written or foreign: compiled anew
        pass
    try:
        all_flags, code, *groups = _compile(source, flags)
        pattern = _sre.compile(source, all_flags, code, *groups)
    except (AttributeError, TypeError):  # a Python whose `re` works otherwise
        return re.compile(source, flags)
    packed = zlib.compress(array("I", code).tobytes(), 1)
    _write(path, marshal.dumps((all_flags, packed, *groups)))
    return pattern


def _compile(source: str, flags: int) -> tuple[Any, ...]:
    """The arguments `re.compile` gives the engine for `source` (`re._compiler.compile`)."""
    parsed = _parser.parse(source, flags)
    code = [int(word) for word in _compiler._code(parsed, flags)]  # some are named constants
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, at in parsed.state.groupdict.items():
        indexgroup[at] = name
    groupindex = parsed.state.groupdict
    return flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _write(path: Path, data: bytes) -> None:
    """Write `data` whole or not at all (another process may read or write it meanwhile), and
    delete the folder's files used least recently past the newest `_KEPT`."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
        files = sorted(path.parent.glob("*.code"), key=_used, reverse=True)
        for old in files[_KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # deleted by another process meanwhile
        return 0.0
