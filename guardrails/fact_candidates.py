"""Where a text's digit-led facts and codes can start, found with string methods.

Both patterns in `facts.py` start with a narrow class of characters (a digit; an uppercase
letter or digit), which a regex scan still tests character by character. For ASCII text,
`str.translate` and `str.find`/`str.split` jump straight to the candidates in C; the regex
then runs only there, and the result is what `finditer` over the whole text returns.
"""

from __future__ import annotations

import re

# Characters that `re.IGNORECASE` matches to an ASCII letter although lowercasing does not
# turn them into it ('İ', 'ı', 'ſ'); without them, a lowercase pattern over the lowered text
# finds exactly what it finds case-insensitively over the original.
_CASE_EXOTIC = ("\u0130", "\u0131", "\u017f")
_DIGITS = "0123456789"
_DIGIT_MARKS = str.maketrans({chr(c): "0" if chr(c) in _DIGITS else " " for c in range(128)})
_CODE_VIEW = str.maketrans(
    {
        chr(c): chr(c) if chr(c) in f"ABCDEFGHIJKLMNOPQRSTUVWXYZ{_DIGITS}-" else " "
        for c in range(128)
    }
)
_SHORT = 160
"""Below this length a regex scan costs less than setting up the string methods."""


def digit_led(text: str, low: str, pattern: re.Pattern[str]) -> list[tuple[str, int, int]]:
    """(last group name, start, end) of each match of `pattern` (which starts with `[0-9]`
    and is lowercase) as the rule set's case-insensitive scan of `text` finds it, each
    re-matched over `low`, the lowered text."""
    if text.isascii() and len(text) >= _SHORT:
        # Every match starts at a digit: `str.find` jumps between digits.
        marks = low.translate(_DIGIT_MARKS)
        found = []
        at = marks.find("0")
        while at >= 0:
            match = pattern.match(low, at)
            if match is not None:
                found.append((match.lastgroup or "", at, match.end()))
                at = marks.find("0", match.end())
            elif marks.startswith("0", at + 1):
                at = _retry_in_run(marks, at)
            else:
                at = marks.find("0", at + 1)
        return found
    if text.isascii() or not any(char in text for char in _CASE_EXOTIC):
        return [(m.lastgroup or "", m.start(), m.end()) for m in pattern.finditer(low)]
    found = []
    for hit in re.compile(pattern.pattern, re.IGNORECASE).finditer(text):
        match = pattern.match(low, hit.start())
        if match is not None and match.lastgroup is not None:
            found.append((match.lastgroup, match.start(), match.end()))
    return found


def _retry_in_run(marks: str, failed: int) -> int:
    """The next digit worth trying after no match at `failed`, another digit of its run.

    A match at a digit that follows a failed one would mostly be a match at the failed one
    too (its leading `\\d*` or `\\d?` takes one more digit), so inside a run only three
    positions can still match: the one before the run's last (a day, "123 March" at
    "23"), the third from the end (a grouped amount, "9123,456 usd" at "123,456") and the
    fourth from the end (an ISO date, "12026-03-03" at "2026-03-03"). Every other digit
    of the run fails, so none is tried and none consumes anything."""
    end = failed + 1
    while marks.startswith("0", end):
        end += 1
    at = max(failed + 1, end - 4)
    return at if at <= end - 2 else marks.find("0", end)


def code_candidates(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """The spans `pattern.finditer(text)` matches, for `facts.CODE`
    (`[A-Z0-9][A-Z0-9-]{3,}`). In ASCII text every match is a run of code characters from
    its first letter or digit to its end, when that is at least four characters long."""
    if not text.isascii() or len(text) < _SHORT:
        return [match.span() for match in pattern.finditer(text)]
    view = text.translate(_CODE_VIEW)
    spans = []
    at = 0
    for run in view.split():
        code = run.lstrip("-")
        if len(code) < 4:
            continue
        at = view.find(run, at)
        while (at > 0 and view[at - 1] != " ") or view[at + len(run) : at + len(run) + 1] not in (
            "",
            " ",
        ):
            at = view.find(run, at + 1)  # a longer run contained this one: look further
        spans.append((at + len(run) - len(code), at + len(run)))
        at += len(run)
    return spans
