"""A draft checked against the caller's request for the slips a language model makes when it
rewords the facts, none of which a phrase list can see on its own:

- `request.contradicted_figure`: a duration, count, multiple ("charged three times") or clock
  time that differs from the one the request gives for the same thing ("a delay of two
  weeks" for a six-day delay). Amounts, dates, deadlines and codes are the commitment
  checks' (`commitments.py`).
- `request.other_incident`: an apology or claim of responsibility for an incident of a kind
  the request never describes ("We take full responsibility for the delay" when a hotel
  overbooked and nothing was late), or for the cause's thing instead of the failure ("I
  apologise for our late checkout" when a late checkout was not passed on to housekeeping).
- `request.third_person`: the reader named in the third person ("the guest's anniversary
  dinner", "the customer was") in a letter addressed to them.
- `request.omitted_prevention`: an authorised prevention step the draft leaves out; the
  finding carries the fix that inserts it.
- `request.vague_prevention`: a promise of effort with no content ("we will do everything in
  our power to prevent similar incidents"), an error when it stands in for an authorised
  step, and removable.
- `request.invented_prevention`: a change claimed as made or planned ("we have added a
  second check at the packing step") that is none of the request's prevention steps or
  remedies; removable.

The English words these checks read are listed in `packs/request.yaml`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from contract.catalog import get_catalog
from contract.models import DraftRequest, Prevention
from contract.report import Finding, Fix, Severity, TextField
from guardrails.draft import Draft
from guardrails.lexicon import lexicon
from guardrails.supplied import (
    ByValue,
    Supplied,
    retold_spans,
    short_words_said,
    stems,
    stems_in,
)

CONTRADICTED = "request.contradicted_figure"
OTHER_INCIDENT = "request.other_incident"
THIRD_PERSON = "request.third_person"
OMITTED_PREVENTION = "request.omitted_prevention"
VAGUE_PREVENTION = "request.vague_prevention"
INVENTED_PREVENTION = "request.invented_prevention"
RULE_IDS = (
    CONTRADICTED,
    OTHER_INCIDENT,
    THIRD_PERSON,
    OMITTED_PREVENTION,
    VAGUE_PREVENTION,
    INVENTED_PREVENTION,
)

_MONTH_MINUTES = 43200
_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def _alternatives(words: Iterable[str]) -> list[str]:
    """Regexes of literal words, longest first, any whitespace between words."""
    return [
        r"\s+".join(re.escape(part) for part in word.split())
        for word in sorted(set(words), key=len, reverse=True)
    ]


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first, any whitespace between words."""
    return "|".join(_alternatives(words))


def _by_first(alternatives: list[str], boundary: bool = False) -> str:
    """`(?:` + `|`.join(alternatives) + `)`, each alternative a regex that starts with a
    literal letter or digit, written so that the regex engine reads each character once: the
    alternatives grouped by their first character, each group in the given order (so the
    first alternative that matches at a position is the same). With `boundary`, a match also
    starts a word: the boundary is checked after the first character ("no word character
    before it"), so the engine still skips ahead to candidates."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        groups.setdefault(alternative[0], []).append(alternative[1:])
    after = r"(?<!\w.)" if boundary else ""
    return (
        "(?:"
        + "|".join(f"{first}{after}(?:{'|'.join(rest)})" for first, rest in groups.items())
        + ")"
    )


def _at_word(words: Iterable[str]) -> str:
    """`\\b(?:` + `_alt(words)` + `)`, written so that the regex engine can skip ahead: a
    pattern that starts with a boundary is tried at every position of the text, one that
    starts with a choice of literal characters only where one of them is (see
    `_by_first`)."""
    alternatives = _alternatives(words)
    if not all(a[:1].isalnum() for a in alternatives):
        return rf"\b(?:{'|'.join(alternatives)})"
    return _by_first(alternatives, boundary=True)


@dataclass(frozen=True, slots=True)
class _Words:
    numbers: dict[str, int]
    units: dict[str, int]
    multiples: dict[str, int]
    approximators: dict[str, str]
    number_re: str
    duration: re.Pattern[str]
    multiple: re.Pattern[str]
    count: re.Pattern[str]
    clock: re.Pattern[str]
    figure_hint: re.Pattern[str]
    """Whether a text can hold a figure at all: a digit, or a number, unit or multiple word."""
    unit_word: re.Pattern[str]
    multiple_word: re.Pattern[str]
    count_word: re.Pattern[str]
    count_word_ascii: re.Pattern[str]
    """`count_word` for an ASCII text (where `\\d` is 0-9), faster."""
    skip_before: frozenset[str]
    skip_after: frozenset[str]
    a_unit_after: frozenset[str]
    count_skip: frozenset[str]
    apology: re.Pattern[str]
    incident: re.Pattern[str]
    """An incident noun; `incident_det` is the determiner that may end right before it."""
    incident_det: re.Pattern[str]
    incident_kinds: dict[str, str]
    evidence: dict[str, re.Pattern[str]]
    """Per incident kind, without a word boundary before it so that the regex engine can skip
    ahead to candidates (see `_starts_word`)."""
    incident_skip_after: re.Pattern[str]
    incident_skip_before: re.Pattern[str]
    needs_determiner: frozenset[str]
    reader_nouns: dict[str, tuple[str, ...]]
    reader_verbs: dict[str, str]
    reader_object_verbs: tuple[str, ...]
    prevention_intent: re.Pattern[str]
    vague_effort: re.Pattern[str]
    change: re.Pattern[str]
    change_claim: re.Pattern[str]
    purpose: re.Pattern[str]
    safeguard: re.Pattern[str]
    generic_change: frozenset[str]


def _mapping(raw: object) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ValueError("packs/request.yaml: expected a mapping")
    return {str(k).lower(): str(v) for k, v in raw.items()}


def _listed(raw: object) -> list[str]:
    if not isinstance(raw, list):
        raise ValueError("packs/request.yaml: expected a list")
    return [str(v).lower() for v in raw]


@lru_cache(maxsize=1)
def _words() -> _Words:
    """The word lists of `packs/request.yaml`, compiled once."""
    lists = lexicon().lists
    numbers = {k: int(v) for k, v in _mapping(lists["request_number_words"]).items()}
    units = {k: int(v) for k, v in _mapping(lists["request_time_units"]).items()}
    multiples = {k: int(v) for k, v in _mapping(lists["request_multiples"]).items()}
    approximators = _mapping(lists["request_approximators"])
    spelled = _alt(numbers)
    number_re = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?:{spelled})(?:[\s-]+(?:{spelled}))*)"
    unit_re = _alt(units)
    duration = re.compile(
        rf"(?<![\w$€£.,:/-])(?:(?P<approx>{_alt(approximators)})\s+)?(?P<num>{number_re})"
        rf"(?:\s+|-)(?:(?:full|whole|long|solid|straight|business|working|calendar)[\s-]+)?"
        rf"(?P<unit>{unit_re})s?\b(?!-)(?P<half>\s+and\s+a\s+half\b)?"
        rf"|(?<![\w-])(?:(?P<parts>{number_re})\s+)?(?P<part>quarters?|half)\s+(?:of\s+)?an?\s+"
        rf"(?P<partunit>{unit_re})\b"
    )
    multiple = re.compile(
        rf"\b(?:(?P<word>{_alt(multiples)})|(?P<num>{number_re})\s+(?:[a-z]+\s+)?times)\b"
        r"(?!\s+(?:a|per|an)\b)"
    )
    count = re.compile(
        rf"(?<![\w$€£¥₹.,:/#-])(?P<num>{number_re})(?![\w%:/-]|[.,]\d)"
        r"(?=(?P<after>(?:\s+[a-z][a-z'’-]*){1,3}))"
    )
    clock = re.compile(
        r"\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<m>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?)(?![a-z])"
        r"|\b(?P<h2>[01]?\d|2[0-3]):(?P<m2>[0-5]\d)\b"
    )
    kinds = _mapping(lists["request_incident_nouns"])
    evidence = {
        kind: re.compile(
            r"(?:" + "|".join(re.escape(e.strip()) for e in text.split(",") if e.strip()) + ")"
        )
        for kind, text in _mapping(lists["request_incident_evidence"]).items()
    }
    reader_nouns = {
        "customer": tuple(_listed(lists["request_reader_nouns_customer"])),
        "client": tuple(_listed(lists["request_reader_nouns_client"])),
    }
    return _Words(
        numbers=numbers,
        units=units,
        multiples=multiples,
        approximators=approximators,
        number_re=number_re,
        duration=duration,
        multiple=multiple,
        count=count,
        clock=clock,
        unit_word=re.compile(_by_first([*_alternatives(units), "half", "quarter"])),
        multiple_word=re.compile(_by_first([*_alternatives(multiples), "times"])),
        count_word=re.compile(
            # Not a percentage: "1% 1% ..." has no counts.
            r"(?:\d+(?![\d%])|" + _alt(w for w, v in numbers.items() if v > 1 or w == "one") + ")"
        ),
        count_word_ascii=re.compile(
            # The same over ASCII text, with each alternative starting with a literal
            # character, so that the regex engine skips ahead to candidates.
            _by_first(
                [rf"{digit}\d*(?![\d%])" for digit in "0123456789"]
                + _alternatives(w for w, v in numbers.items() if v > 1 or w == "one")
            )
        ),
        figure_hint=re.compile(
            r"\d|"
            + _at_word(
                [w for w in (*numbers, *units, *multiples) if w not in ("a", "an")]
                + ["times", "half", "quarters", "quarter"]
            )
        ),
        skip_before=frozenset(_listed(lists["request_duration_skip_before"])),
        skip_after=frozenset(_listed(lists["request_duration_skip_after"])),
        a_unit_after=frozenset(_listed(lists["request_a_unit_after"])),
        count_skip=frozenset(_listed(lists["request_count_skip_after"])),
        apology=re.compile(_at_word(_listed(lists["request_apology_words"]))),
        incident=re.compile(_at_word(kinds) + r"\b"),
        incident_det=re.compile(
            _at_word(["the", "this", "that", "any", "your", "our", "such a", "a"]) + r"\s+\Z"
        ),
        incident_kinds=kinds,
        evidence=evidence,
        incident_skip_after=re.compile(
            r"\s+(?:" + _alt(_listed(lists["request_incident_skip_after"])) + r")\b"
        ),
        incident_skip_before=re.compile(
            _at_word(_listed(lists["request_incident_skip_before"])) + r"\s+(?:\w+\s+)?$"
        ),
        needs_determiner=frozenset(_listed(lists["request_incident_needs_determiner"])),
        reader_nouns=reader_nouns,
        reader_verbs=_mapping(lists["request_reader_verbs"]),
        reader_object_verbs=tuple(_listed(lists["request_reader_object_verbs"])),
        prevention_intent=re.compile(_at_word(_listed(lists["request_prevention_intent"]))),
        vague_effort=re.compile(_at_word(_listed(lists["request_vague_effort"])) + r"\b"),
        change_claim=re.compile(
            _at_word(["we", "i"])
            + r"(?:\s+(?:have|will|are|am|now|also|already|since|just|recently)"
            r"|['’](?:ve|ll|re|m))*"
            r"\s+(?:" + _alt(_listed(lists["request_change_verbs"])) + r")\b"
        ),
        generic_change=frozenset(stems(" ".join(_listed(lists["request_generic_change_words"])))),
        purpose=re.compile(_at_word(_listed(lists["request_purpose_words"])) + r"\b"),
        safeguard=re.compile(_at_word(_listed(lists["request_safeguard_words"]))),
        change=re.compile(_at_word(_listed(lists["request_change_words"])) + r"\b"),
    )


# --- numbers and figures -------------------------------------------------------------------


_NUMBER_SPLIT = re.compile(r"[\s-]+")


def _number(raw: str) -> float | None:
    """The value of a number in digits or words ("2,000", "twenty-four", "a")."""
    raw = raw.strip().lower()
    if raw[:1].isdigit():
        try:
            return float(raw.replace(",", ""))
        except ValueError:
            return None
    numbers = _words().numbers
    total, current, seen = 0, 0, False
    for word in _NUMBER_SPLIT.split(raw):
        if word in ("", "and"):
            continue
        value = numbers.get(word)
        if value is None:
            return None
        seen = True
        if value == 100:
            current = max(current, 1) * 100
        elif value >= 1000:
            total += max(current, 1) * value
            current = 0
        else:
            current += value
    return float(total + current) if seen else None


@dataclass(frozen=True, slots=True)
class _Figure:
    """A figure found in a text: its kind (duration, multiple, count, clock), its value (in
    minutes for durations and clock times), what it counts (stems), and where."""

    kind: str
    value: float
    start: int
    end: int
    approx: str | None = None
    about: frozenset[str] = frozenset()
    month: bool = False
    source: int = -1
    """For a request's figure: the index of the request text it was found in."""


def _previous_word(low: str, start: int) -> str:
    found = _WORD_RE.findall(low[max(0, start - 30) : start])
    return found[-1] if found else ""


def _next_word(low: str, end: int) -> str:
    match = _WORD_RE.search(low, end, min(len(low), end + 30))
    return match.group() if match and not low[end : match.start()].strip() else ""


def _starts_word(low: str, at: int) -> bool:
    return at == 0 or not low[at - 1].isalnum()


def _sentences_matching(
    pattern: re.Pattern[str], low: str, spans: list[tuple[int, int]]
) -> Iterator[int]:
    """The indexes of the sentences (`spans` of `low`, in order) in which `pattern` matches,
    searched in the sentence alone, while reading `low` about once: `pattern` runs over the
    rest of `low` from a sentence on, and the sentence is searched alone only when that
    finds a match starting inside it. (A match in a sentence alone is a match in `low` at the
    same place: a sentence follows white space or starts the text, and white space or the
    end follows it, so `pattern`'s word boundaries hold alike.)"""
    ahead = -1
    for index, (start, end) in enumerate(spans):
        if ahead < start:
            match = pattern.search(low, start)
            if match is None:
                return
            ahead = match.start()
        if ahead < end and pattern.search(low[start:end]):
            yield index


_MAX_FIGURES = 200
"""At most this many figures of one kind are read from a text: the findings are capped
anyway, and a body of nothing but numbers ("1% 1% ...") must stay linear and cheap."""


def _windowed(
    pattern: re.Pattern[str], anchor: re.Pattern[str], low: str, before: int, after: int
) -> Iterator[re.Match[str]]:
    """The matches of `pattern` in `low`, each of which holds a match of `anchor` (a cheap
    pattern with a literal first character, which Python's regex engine finds by skipping
    ahead): `pattern` is only tried from `before` characters before each anchor to `after`
    characters after it (with `before` 0, only at the anchor itself)."""
    reach = 0
    size = len(low)
    found = 0
    for tried, hit in enumerate(anchor.finditer(low)):
        if tried >= 10 * _MAX_FIGURES:
            return
        at = hit.start()
        if at < reach or (at and low[at - 1].isalpha()):
            continue  # inside a word ("someone", "today", "sometimes"): no figure starts there
        stop = min(size, hit.end() + after)
        if before == 0:
            match = pattern.match(low, at, stop)
            window = iter(() if match is None else (match,))
        else:
            window = pattern.finditer(low, max(at - before, reach), stop)
        for match in window:
            if match.start() <= at and hit.end() <= match.end():
                reach = match.end()
                found += 1
                yield match
                break
        if found >= _MAX_FIGURES:
            return


def _durations(low: str, draft: bool) -> list[_Figure]:
    """Durations in `low`; in a draft, not those that are deadlines, frequencies or times
    to come ("within two days", "24 hours a day")."""
    words = _words()
    found = []
    for match in _windowed(words.duration, words.unit_word, low, 50, 30):
        if match.group("part"):
            share = 0.5 if match.group("part") == "half" else 0.25
            parts = _number(match.group("parts")) if match.group("parts") else None
            minutes = (parts or 1.0) * share * words.units[match.group("partunit")]
            found.append(_Figure("duration", minutes, match.start(), match.end()))
            continue
        num = match.group("num")
        number = _number(num)
        if number is None or number == 0:
            continue
        value = number
        if draft and num in ("a", "an") and match.group("approx") is None:
            # "a day" counts as one day only where the words around it make it a length of
            # time ("a delay of a week"); "have a good day" never matches, "a day" alone is
            # too loose to hold a draft to.
            before = _previous_word(low, match.start())
            if before not in words.a_unit_after:
                continue
        lead = _previous_word(low, match.start())
        if draft and (
            (match.group("approx") is None and lead in words.skip_before)
            or _next_word(low, match.end()) in words.skip_after
        ):
            continue
        unit = words.units[match.group("unit")]
        value += 0.5 if match.group("half") else 0.0
        found.append(
            _Figure(
                "duration",
                value * unit,
                match.start(),
                match.end(),
                approx=words.approximators.get(" ".join(match.group("approx").split()))
                if match.group("approx")
                else None,
                month=unit >= _MONTH_MINUTES,
            )
        )
    return found


_CLAUSE_SPLIT = re.compile(r"[.!?;:,\n()]")


def _context_stems(low: str, start: int, end: int, before: int, after: int) -> frozenset[str]:
    """Stems of up to `before` words before `start` and `after` words after `end`, inside
    the clause."""
    head = _CLAUSE_SPLIT.split(low[max(0, start - 60) : start])[-1]
    tail = _CLAUSE_SPLIT.split(low[end : end + 60])[0]
    words = _WORD_RE.findall(head)[-before:] if before else []
    words += _WORD_RE.findall(tail)[:after] if after else []
    return frozenset(stems(" ".join(words)))


def _multiples(low: str) -> list[_Figure]:
    found = []
    words = _words()
    for match in _windowed(words.multiple, words.multiple_word, low, 40, 10):
        word = match.group("word")
        value = words.multiples[word] if word else _number(match.group("num"))
        if value is None:
            continue
        about = _context_stems(low, match.start(), match.end(), 4, 0)
        if about:
            found.append(_Figure("multiple", value, match.start(), match.end(), about=about))
    return found


def _counts(low: str, taken: list[tuple[int, int]]) -> list[_Figure]:
    words = _words()
    found = []
    anchor = words.count_word_ascii if low.isascii() else words.count_word
    for match in _windowed(words.count, anchor, low, 0, 60):
        if any(s <= match.start() < e for s, e in taken):
            continue
        after = match.group("after")
        first = after.split()[0]
        if first in words.units or first.rstrip("s") in words.units or first in words.count_skip:
            continue
        num = match.group("num")
        value = _number(num)
        if value is None or (not num[:1].isdigit() and value <= 1):
            continue
        if num[:1].isdigit() and len(num) == 4 and num[:2] in ("19", "20"):
            continue  # a year
        about = frozenset(stems(after)) | _context_stems(low, match.start(), match.start(), 2, 0)
        if about:
            found.append(_Figure("count", value, match.start("num"), match.end("num"), about=about))
    return found


_CLOCK_HINT = re.compile(r"\d(?:\s*[ap]\.?m|[:.][0-5]\d)")
"""Where a clock time can be: a digit before "pm" or ":30" (a digit first, so it is cheap)."""


def _clocks(low: str) -> list[_Figure]:
    found = []
    for match in _windowed(_words().clock, _CLOCK_HINT, low, 3, 12):
        if match.group("h") is not None:
            hour, minute = int(match.group("h")), int(match.group("m") or 0)
            pm = match.group("ampm")[0] == "p"
            hour = hour % 12 + (12 if pm else 0)
            value = float(hour * 60 + minute)
        else:
            value = float(int(match.group("h2")) % 12 * 60 + int(match.group("m2")))
            value = -value - 1  # no am/pm: compared on a twelve-hour clock
        found.append(_Figure("clock", value, match.start(), match.end()))
    return found


_KINDS = frozenset({"duration", "multiple", "clock", "count"})


def _figures(low: str, draft: bool = False, kinds: frozenset[str] = _KINDS) -> list[_Figure]:
    """The figures of `kinds` in `low`. A count is a number that no other figure holds, so
    reading counts reads every kind."""
    if "count" in kinds:
        kinds = _KINDS
    durations = _durations(low, draft) if "duration" in kinds else []
    multiples = _multiples(low) if "multiple" in kinds else []
    clocks = _clocks(low) if "clock" in kinds else []
    if "count" not in kinds:
        return durations + multiples + clocks
    taken = [(f.start, f.end) for f in (*durations, *multiples, *clocks)]
    return durations + multiples + clocks + _counts(low, taken)


def _range(figure: _Figure) -> tuple[float, float]:
    """The durations (in minutes) a figure allows: exactly its value, or the range its
    approximator gives ("over two hours" is two hours or more, "nearly a week" half a
    week to a week); months compare within a tenth."""
    value = figure.value
    if figure.approx is None:
        slack = 0.1 * value if figure.month else 0.0
        return value - slack, value + slack
    return {
        "over": (value, float("inf")),
        "atleast": (value, float("inf")),
        "under": (value / 2, value),
        "about": (0.75 * value, 1.25 * value),
        "upto": (0.0, value),
    }[figure.approx]


def _durations_agree(draft: _Figure, given: _Figure) -> bool:
    low, high = _range(draft)
    given_low, given_high = _range(given)
    if given.month and not draft.month:
        given_low, given_high = 0.9 * given_low, 1.1 * given_high
    return low <= given_high and given_low <= high


def _clock_agrees(draft: float, given: float) -> bool:
    def twelve(value: float) -> float:
        return (-value - 1) if value < 0 else value % 720

    if draft < 0 or given < 0:
        return twelve(draft) == twelve(given)
    return draft == given


def _agrees(figure: _Figure, given: _Figure) -> bool:
    if figure.kind == "duration":
        return _durations_agree(figure, given)
    if figure.kind == "clock":
        return _clock_agrees(figure.value, given.value)
    return figure.value == given.value


def _same_thing(figure: _Figure, given: _Figure) -> bool:
    """Whether a request's figure measures what `figure` measures: any duration or clock
    time of the incident; a count or multiple of the same words."""
    if given.kind != figure.kind:
        return False
    return figure.kind in ("duration", "clock") or bool(given.about & figure.about)


def _incident_texts(request: DraftRequest) -> list[str]:
    incident = request.incident
    texts = [incident.summary, incident.cause, incident.impact, incident.date]
    return [t for t in texts if t]


def _other_texts(request: DraftRequest) -> tuple[str, ...]:
    """The request's texts other than the incident's: the customer's, the remedies' and the
    prevention steps'."""
    texts: list[str | None] = [request.incident.customer_message]
    for remedy in request.remedies:
        texts += [remedy.description, remedy.amount, remedy.date]
    for step in request.prevention:
        texts += [step.description, step.metric]
    return tuple(t for t in texts if t)


def _finding(
    rule: str,
    severity: Severity,
    message: str,
    text: str,
    start: int,
    end: int,
    suggestion: str,
    field: TextField,
    fix: Fix | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        start=start,
        end=end,
        excerpt=text[start:end],
        suggestion=suggestion,
        field=field,
        fix=fix,
    )


_SEPARATOR = "\n;\n"
"""Between the request's texts when their figures are read in one pass: no figure spans it."""


def _figures_of(texts: list[str], first: int) -> list[_Figure]:
    """The figures of `texts` (numbered from `first`), read in one pass over them joined."""
    joined = _SEPARATOR.join(texts).lower()
    if not _words().figure_hint.search(joined):
        return []
    starts, at = [], 0
    for text in texts:
        starts.append(at)
        at += len(text) + len(_SEPARATOR)
    found = []
    for figure in _figures(joined):
        index = bisect_right(starts, figure.start) - 1
        offset = starts[index]
        found.append(
            replace(
                figure, source=first + index, start=figure.start - offset, end=figure.end - offset
            )
        )
    return found


class _Given:
    """The incident's side of the checks: its figures and the kinds of incident it
    describes. Read once per distinct incident (`of`): a batch's letters share it, whatever
    each recipient's reference, amounts and codes."""

    __slots__ = ("_kinds", "_request_low", "figure_kinds", "incident", "texts")

    def __init__(self, request: DraftRequest) -> None:
        self.texts = _incident_texts(request)
        self.incident = _figures_of(self.texts, 0)
        self.figure_kinds = frozenset(figure.kind for figure in self.incident)
        scenario = get_catalog().scenarios.get(request.scenario)
        named = [*self.texts, request.incident.customer_message or ""]
        named.append(request.scenario.replace("_", " "))
        if scenario is not None:
            named += [scenario.label, scenario.topic, scenario.description]
        self._request_low = "\n".join(named).lower()
        self._kinds: dict[str, bool] = {}

    @staticmethod
    def of(request: DraftRequest) -> _Given:
        """`_Given(request)`, read once per distinct value of the fields it reads; the kinds
        it describes, read when first needed, are kept with it."""
        key = (
            tuple(_incident_texts(request)),
            request.incident.customer_message,
            request.scenario,
        )
        return _given(ByValue(key, request))

    def describes(self, kind: str) -> bool:
        """Whether the request's incident (or scenario) shows evidence of `kind`."""
        found = self._kinds.get(kind)
        if found is None:
            low = self._request_low
            pattern = _words().evidence[kind]
            found = any(_starts_word(low, m.start()) for m in pattern.finditer(low))
            self._kinds[kind] = found
        return found

    def describes_any(self) -> bool:
        return any(self.describes(kind) for kind in _words().evidence)


@lru_cache(maxsize=256)
def _given(request: ByValue) -> _Given:
    return _Given(request.context)


@lru_cache(maxsize=256)
def _other_figures(texts: tuple[str, ...], first: int) -> list[_Figure]:
    """The figures of the request's other texts (`_other_texts`, numbered from `first`),
    read only when a draft figure differs from the incident's. Shared: never change it."""
    return _figures_of(list(texts), first)


def _contradiction(figure: _Figure, given: _Given, request: DraftRequest) -> list[_Figure] | None:
    """The incident's figures of the same thing that `figure` disagrees with, or None when
    the incident gives none or any figure of the request agrees with it."""
    same = [g for g in given.incident if _same_thing(figure, g)]
    if not same or any(_agrees(figure, g) for g in same):
        return None
    others = _other_figures(_other_texts(request), len(given.texts))
    if any(_agrees(figure, g) for g in others if _same_thing(figure, g)):
        return None
    return same


def contradicted_figures(
    text: str, low: str, field: TextField, given: _Given, request: DraftRequest
) -> list[Finding]:
    """Durations, multiples, counts and clock times in `text` that differ from the ones the
    incident gives for the same thing and agree with no other figure of the request."""
    if not given.incident or not _words().figure_hint.search(low):
        return []
    given_texts = given.texts
    found = []
    # A figure of a kind the incident gives none of contradicts nothing: it is not read.
    for figure in _figures(low, draft=True, kinds=given.figure_kinds):
        against = _contradiction(figure, given, request)
        if against is None:
            continue
        sources = "; ".join(
            sorted({f'"{given_texts[g.source][g.start : g.end]}"' for g in against})
        )
        excerpt = text[figure.start : figure.end]
        found.append(
            _finding(
                CONTRADICTED,
                "error",
                f'States "{excerpt}", which differs from what the request gives: {sources}.',
                text,
                figure.start,
                figure.end,
                "State the figure exactly as the request gives it, or leave it out.",
                field,
            )
        )
    return found


# --- apologies for another incident ---------------------------------------------------------


def other_incidents(
    text: str, low: str, sentences: list[tuple[int, int]], field: TextField, given: _Given
) -> list[Finding]:
    """Apology or responsibility sentences naming an incident of a kind the request's
    incident (or its scenario) never describes, when it describes one of another kind."""
    words = _words()
    found = []
    for index in _sentences_matching(words.apology, low, sentences):
        start, end = sentences[index]
        sentence = low[start:end]
        for at, noun_at, stop, det in _incidents(sentence):
            noun = " ".join(sentence[noun_at:stop].split())
            kind = words.incident_kinds[noun]
            if given.describes(kind) or not given.describes_any():
                continue  # of a kind the request describes, or it describes none
            if words.incident_skip_after.match(sentence, stop):
                continue
            if words.incident_skip_before.search(sentence[:noun_at]):
                continue
            if noun in words.needs_determiner and not det:
                continue
            tail = sentence[stop:].lstrip()
            # "for the delay." or "for the delay and ..." reads right as "for this"; any
            # other apology for another incident goes with its sentence (a missing apology
            # or ownership is then put back from the request).
            fix = Fix(action="remove_sentence")
            if det and det.strip() != "a" and _CLAUSE_END.match(tail):
                fix = Fix(action="replace", text="this")
            else:
                at = noun_at
            found.append(
                _finding(
                    OTHER_INCIDENT,
                    "error",
                    f'Apologises for "{noun}", but the request describes no {_kind_label(kind)}.',
                    text,
                    start + at,
                    start + stop,
                    'Name the incident the request describes, or say "this".',
                    field,
                    fix,
                )
            )
    return found


# "We apologise for our late checkout": the object of an apology, up to its first
# preposition or clause end, whose words are all the cause's ("a late checkout was not
# passed on to housekeeping") and none what happened to the reader.
_APOLOGY_FOR = re.compile(
    r"\b(?:apologi[sz]e|apologies|sorry|regret)\s+(?:(?:deeply|sincerely|truly)\s+)?for\s+"
    r"(?:(?:the|our|your|this|that|a|an)\s+)?(?P<head>[a-z][\w'-]*(?:\s+[a-z][\w'-]*){0,3}?)"
    r"(?=\s+(?:of|on|in|at|to|with|by|from|that|which|who|and|for|during|when|because|was|were)"
    r"\b|\s*[,.;:!?]|\s*$)"
)
# What every `_APOLOGY_FOR` match starts with: a text without it is not read sentence by
# sentence (it ends in white space, so a match of it inside a sentence is one in the text).
_APOLOGY_FOR_HEAD = re.compile(
    r"(?:apologi[sz]e|apologies|sorry|regret)\s+(?:(?:deeply|sincerely|truly)\s+)?for\s"
)
# A head that names a failure ("the scanning error") apologises for one, whatever its words.
_FAILURE = re.compile(
    r"\b(?:errors?|mistakes?|faults?|failures?|failed|oversights?|lapses?|problems?|issues?|"
    r"bugs?|outages?|glitch(?:es)?|mix-?ups?|confusion|missed|wrong|not|no)\b"
)


def cause_apologised(
    text: str, low: str, sentences: list[tuple[int, int]], field: TextField, request: DraftRequest
) -> list[Finding]:
    """Apologies for the cause's thing instead of the failure or what it did to the reader
    ("I apologise for our late checkout" when a late checkout was not passed on and the
    guest waited two hours): the apology claims the wrong act. The sentence is said again
    as the composer tells what happened."""
    incident = request.incident
    if not incident.cause or _APOLOGY_FOR_HEAD.search(low) is None:
        return []
    cause = stems(incident.cause)
    told = stems(" ".join(t for t in (incident.summary, incident.impact or "") if t))
    found = []
    for start, end in sentences:
        for match in _APOLOGY_FOR.finditer(low, start, end):
            head = match.group("head")
            named = stems(head)
            if not named or not named <= cause or named & told or _FAILURE.search(head):
                continue
            # "for the late checkout that was never passed on": the failure is named after all.
            tail = low[match.end() : end].split(",")[0]
            if stems(tail) & (cause - named) or _FAILURE.search(tail):
                continue
            found.append(
                _finding(
                    OTHER_INCIDENT,
                    "error",
                    f'Apologises for "{text[match.start("head") : match.end("head")]}", the '
                    "request's cause, not for what happened to the reader.",
                    text,
                    match.start("head"),
                    match.end("head"),
                    "Apologise for what happened to the reader, as the request tells it.",
                    field,
                    Fix(action="replace", fact="acknowledgment"),
                )
            )
    return found


def _incidents(sentence: str) -> Iterator[tuple[int, int, int, str]]:
    """(start, noun start, end, determiner) of each incident noun in `sentence`, with the
    determiner before it if any ("the delay"), as `\\b(?:det\\s+)?noun\\b` finds them left to
    right: the noun is found first (its pattern starts with a letter, which the regex engine
    skips ahead to, where one led by `\\b` is tried at every position), then the leftmost
    determiner that ends right before it, after the previous match."""
    words = _words()
    after = 0
    for noun in words.incident.finditer(sentence):
        det = words.incident_det.search(sentence, after, noun.start())
        start = noun.start() if det is None else det.start()
        yield start, noun.start(), noun.end(), sentence[start : noun.start()]
        after = noun.end()


_CLAUSE_END = re.compile(r"[,.!?;]|(?:and|or|but)\b")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


def _kind_label(kind: str) -> str:
    return {
        "wrong_item": "wrong item",
        "no_show": "missed appointment",
        "conduct": "conduct of staff",
        "illness": "illness",
        "loss": "loss",
        "breach": "data breach",
    }.get(kind, kind)


# --- the reader in the third person ---------------------------------------------------------


# Nouns that make "the customer" part of a name for a team or a service ("the customer
# service team", "the guest relations desk"): not the reader.
_COMPOUNDS = "service|services|support|care|team|teams|desk|relations|experience|success|portal"


@lru_cache(maxsize=2)
def _reader_noun(audience: str) -> re.Pattern[str]:
    """The reader as a noun phrase ("the guest"), with a possessive or a verb after it,
    compiled once per audience. It starts with a literal ("th"), so the regex engine skips
    ahead to candidates instead of trying every position."""
    words = _words()
    nouns = _alt(words.reader_nouns[audience])
    return re.compile(
        rf"th(?:e|is|at)\s+(?P<noun>{nouns})\b(?!\s+(?:{_COMPOUNDS})\b)(?P<poss>['’]s\b)?"
        rf"(?:\s+(?P<verb>{_alt(words.reader_verbs)})\b)?"
    )


@lru_cache(maxsize=1)
def _reader_object_verb() -> re.Pattern[str]:
    """A verb, in any tense, that makes the noun phrase after it the reader as object
    ("thank the guest", "refunded the customer", "caused the guest to")."""
    return re.compile(rf"\b(?:{_alt(_words().reader_object_verbs)})(?:s|es|d|ed|ing)?\s+\Z")


@lru_cache(maxsize=1)
def _reader_object_pronoun() -> re.Pattern[str]:
    """ "them" as the object of such a verb ("and offered them store credit"): the reader,
    once the sentence has named the reader in the third person."""
    verbs = _alt(_words().reader_object_verbs)
    return re.compile(rf"\b(?:{verbs})(?:s|es|d|ed|ing)?\s+(them)\b")


def _reader_names(request: DraftRequest, text: str) -> re.Pattern[str] | None:
    """The recipient's name as a possessive ("Mr Okafor's"), when the name is in `text`."""
    name = request.recipient.name
    parts = [p for p in re.split(r"\s+", (name or "").strip()) if len(p) > 1 and p[-1] != "."]
    if not parts or not any(part in text for part in (parts[0], parts[-1])):
        return None
    names = (" ".join(parts), parts[0], parts[-1])
    # Every match holds a name and "'s": most letters hold none, and then the pattern (which
    # starts with a boundary, so the engine would try it at every position) is neither
    # compiled nor run. A batch names a new reader in every letter.
    if not any(f"{name}{mark}s" in text for name in names for mark in "'’"):
        return None
    return _possessive_names(*names)


@lru_cache(maxsize=256)
def _possessive_names(full: str, first: str, last: str) -> re.Pattern[str]:
    """The possessive of a name, compiled once per name (a batch re-checks each letter)."""
    names = [re.escape(n) for n in (full, first, last)]
    title = r"(?:(?i:mr|mrs|ms|miss|mx|dr|prof)\.?\s+)?"
    return re.compile(rf"\b{title}(?:{'|'.join(names)})['’]s\b")


def _reader_mentions(text: str, low: str, request: DraftRequest) -> Iterator[tuple[int, int, str]]:
    """(start, end, the words for "you" that replace the span) for each third-person mention
    of the reader."""
    verbs = _words().reader_verbs
    audience = "client" if request.audience == "client" else "customer"
    for match in _reader_noun(audience).finditer(low):
        start = match.start()
        if start and low[start - 1].isalnum():
            continue  # "the" inside a word ("breathe guest")
        if match.group("poss"):
            yield start, match.end("poss"), "your"
        elif _reader_object_verb().search(low, max(0, start - 30), start):
            yield start, match.end("noun"), "you"
            stop = _SENTENCE_END.search(low, match.end())
            for pronoun in _reader_object_pronoun().finditer(
                low, match.end(), stop.start() if stop else len(low)
            ):
                yield pronoun.start(1), pronoun.end(1), "you"
        elif match.group("verb"):
            yield start, match.end("verb"), f"you {verbs[match.group('verb')]}"
    names = _reader_names(request, text)
    if names is not None:
        for match in names.finditer(text):
            yield match.start(), match.end(), "your"


def group_recipient(request: DraftRequest) -> bool:
    """A recipient named as a group or a place ("our passengers", "tenants of Alder Court"):
    "the passenger" in its story is one of them, not the reader."""
    return any(p[:1].islower() for p in (request.recipient.name or "").split())


def third_person(
    text: str, low: str, field: TextField, request: DraftRequest, channel: str
) -> list[Finding]:
    """The reader named in the third person ("the guest's room", "the customer was") in a
    private letter to that reader; not for a colleague, where a customer is a third person,
    nor on a public channel, where a reply may restate the incident for onlookers."""
    form = get_catalog().channels.get(channel)
    if request.audience == "colleague" or form is None or form.public or group_recipient(request):
        return []
    found = []
    quoted: list[tuple[int, int]] | None = None
    for start, end, replacement in _reader_mentions(text, low, request):
        quoted = quoted_offers(low, request) if quoted is None else quoted
        if any(s <= start and end <= e for s, e in quoted):
            continue  # inside an authorised remedy or step, quoted as the caller wrote it
        excerpt = text[start:end]
        if excerpt[:1].isupper() and _starts_sentence(text, start):
            replacement = replacement[:1].upper() + replacement[1:]
        found.append(
            _finding(
                THIRD_PERSON,
                "error",
                f'Speaks of the reader in the third person ("{excerpt}") in a letter '
                "addressed to them.",
                text,
                start,
                end,
                f'Address the reader directly: "{replacement}".',
                field,
                Fix(action="replace", text=replacement),
            )
        )
    return found


def quoted_offers(low: str, request: DraftRequest) -> list[tuple[int, int]]:
    """Where `low` quotes a remedy or prevention description word for word: the caller's
    own wording of what is authorised, which the draft may restate as given."""
    spans = []
    for description in [r.description for r in request.remedies] + [
        p.description for p in request.prevention
    ]:
        wanted = description.strip().lower()
        at = low.find(wanted) if wanted else -1
        while at >= 0:
            spans.append((at, at + len(wanted)))
            at = low.find(wanted, at + 1)
    return spans


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?\n:"


# --- prevention steps -----------------------------------------------------------------------


def _shares_enough(have: set[str], wanted: set[str], share: float) -> bool:
    """Whether `have` holds at least `share` of the `wanted` stems, and at least two of them
    when there are two or more."""
    need = max(min(2, len(wanted)), -(-len(wanted) * share // 1))
    return bool(wanted) and len(have & wanted) >= need


class _SentenceStems:
    """The stems of each sentence of one text, read when a check first asks for them."""

    __slots__ = ("_found", "low", "spans")

    def __init__(self, low: str, spans: list[tuple[int, int]]) -> None:
        self.low, self.spans = low, spans
        self._found: dict[int, set[str]] = {}

    def __getitem__(self, index: int) -> set[str]:
        found = self._found.get(index)
        if found is None:
            start, end = self.spans[index]
            found = self._found[index] = stems(self.low[start:end])
        return found


def _states_step(
    sentences: _SentenceStems, low: str, step: Prevention, told: frozenset[str]
) -> bool:
    """Whether the draft states prevention `step`: its metric verbatim, or the step's own
    stems (those the incident's telling, `told`, does not also have, so a retold incident
    never passes for the step): most of them across the draft or in one sentence, or one of
    them with two of the step's stems in a sentence that says what changed ("now", "we have
    added"). "We have reviewed our access controls" does not state "an independent review of
    our access controls"."""
    if step.metric and step.metric.lower() in low:
        return True
    wanted = stems(step.description)
    if not wanted:
        return short_words_said(step.description, low)  # "2FA", "QA"
    own = (wanted - told) or wanted
    body = stems_in(low, own)  # the step's own stems the draft uses anywhere
    if _shares_enough(body, own, 0.8):
        return True
    if not body:
        return False  # no sentence can hold what the whole draft lacks
    change = _words().change
    for index, (start, end) in enumerate(sentences.spans):
        have = sentences[index]
        if _shares_enough(have, own, 0.8) or (
            have & own and _shares_enough(have, wanted, 0.0) and change.search(low, start, end)
        ):
            return True
    return False


_AND_CLAUSE = re.compile(r",?\s+and\s+(?=(?:i|we|will|am|are)\b)")


def _vague_clause(
    low: str, start: int, end: int, effort: re.Pattern[str]
) -> tuple[tuple[int, int], Fix]:
    """The span and fix of a vague promise in sentence [start, end): the clause after
    ", and" when the promise is there and a clause of three words or more comes before it
    ("I understand that this delay has impacted your operations, and I am committed to
    taking steps to ...", "We take full responsibility for the delay and will do everything
    possible to ..."), else the whole sentence."""
    match = effort.search(low, start, end)
    joins = [j for j in _AND_CLAUSE.finditer(low, start, end) if match and j.end() <= match.start()]
    if joins and len(low[start : joins[-1].start()].split()) >= 3:
        stop = end
        while stop > start and low[stop - 1] in ".!?":
            stop -= 1
        return (joins[-1].start(), stop), Fix(action="replace", text="")
    return (start, end), Fix(action="remove_sentence")


def prevention(
    text: str,
    low: str,
    spans: list[tuple[int, int]],
    request: DraftRequest,
    supplied: Supplied,
    channel: str,
) -> list[Finding]:
    """Authorised prevention steps the draft leaves out (where the channel requires a
    prevention element), vague promises of effort, and changes claimed that the request
    does not give."""
    words = _words()
    form = get_catalog().channels.get(channel)
    required = form is None or "prevention" in form.required
    sentence_stems = _SentenceStems(low, spans)
    step_stems = [stems(step.description) for step in request.prevention]
    told = supplied.told_stems if request.prevention else frozenset()
    missing = [
        index
        for index, step in enumerate(request.prevention)
        if not _states_step(sentence_stems, low, step, told)
    ]
    found = _invented(text, low, request, supplied, sentence_stems, step_stems)
    vague_at: int | None = None
    for index in _sentences_matching(words.vague_effort, low, spans):
        start, end = spans[index]
        if not words.prevention_intent.search(low[start:end]):
            continue
        have = sentence_stems[index]
        if any(_shares_enough(have, wanted, 0.5) for wanted in step_stems):
            continue  # the sentence states an authorised step
        stands_in = bool(missing) and required
        vague_at = start if vague_at is None else vague_at
        if stands_in:
            severity: Severity = "error"
            why = ", in place of the prevention step the request gives."
        elif request.prevention:
            # Beside the change the request gives, a promise of more, unnamed effort: a
            # commitment nobody authorised.
            severity, why = "error", ", beside the change the request gives."
        else:
            severity, why = "warning", "."
        span, fix = _vague_clause(low, start, end, words.vague_effort)
        found.append(
            _finding(
                VAGUE_PREVENTION,
                severity,
                "Promises effort to prevent a repeat without saying what changes" + why,
                text,
                *span,
                "State the change the request gives as done or planned; leave out promises "
                "of effort.",
                "body",
                fix,
            )
        )
    if required:
        at = vague_at if vague_at is not None else len(text)
        for index in missing:
            step = request.prevention[index]
            # On a channel with a character limit, a step that cannot be added without
            # passing the limit is left out for want of room: a warning.
            room = (
                form is None
                or form.max_chars is None
                or (len(text) + len(step.description) + 2 <= form.max_chars)
            )
            found.append(
                _finding(
                    OMITTED_PREVENTION,
                    "error" if room else "warning",
                    f"Leaves out an authorised prevention step: {step.description}"
                    + ("." if room else "; the channel's length limit leaves no room for it."),
                    text,
                    at,
                    at,
                    f"State the step: {step.description}.",
                    "body",
                    Fix(action="insert", fact=f"prevention:{index}"),
                )
            )
    return found


def _invented(
    text: str,
    low: str,
    request: DraftRequest,
    supplied: Supplied,
    sentence_stems: _SentenceStems,
    step_stems: list[set[str]],
) -> list[Finding]:
    """Sentences claiming a change made or planned ("we have added a second check") with a
    word of prevention in them, that state none of the request's prevention steps or
    remedies."""
    words = _words()
    spans = sentence_stems.spans
    claimed = list(_sentences_matching(words.change_claim, low, spans))  # a change claimed
    if not claimed:
        return []
    remedy_stems = [stems(remedy.description) for remedy in request.remedies]
    fields = supplied.told
    told = " ".join(fields)
    told_stems = supplied.told_stems
    given = [
        d.lower().strip(" .!?")
        for d in (
            *(remedy.description for remedy in request.remedies),
            *(step.description for step in request.prevention),
        )
    ]
    found = []
    for index in claimed:
        start, end = spans[index]
        sentence = low[start:end]
        if any(d and d in sentence for d in given):
            continue  # a remedy or step in the caller's words ("we will set up 15% off ...")
        retold = retold_spans(sentence, fields)
        claim = next(
            (
                c
                for c in words.change_claim.finditer(sentence)
                if not any(a <= c.start() and c.end() <= b for a, b in retold)
            ),
            None,
        )
        if claim is None:
            continue  # no claim, or only ones inside the incident's own words, retold
        changed = sentence[claim.end() :]
        if not (words.safeguard.search(changed) or words.prevention_intent.search(changed)):
            continue
        purpose = words.purpose.search(changed)
        named = changed[: purpose.start()] if purpose is not None else changed
        named_stems = stems(named) - words.generic_change
        if not named_stems:
            continue  # "we have changed our procedure": no change named, so none invented
        if _retells(claim.group(), named_stems, told, told_stems):
            continue  # "this happened because we changed the booking system": the cause
        have = sentence_stems[index]
        if any(_shares_enough(have, wanted, 0.0) for wanted in (*step_stems, *remedy_stems)):
            continue
        found.append(
            _finding(
                INVENTED_PREVENTION,
                "error",
                "Claims a change the request does not give as a prevention step"
                + (
                    "; the request gives none."
                    if not request.prevention
                    else f": the request's steps are {_listing(request.prevention)}."
                ),
                text,
                start,
                end,
                "State only the prevention steps the request gives; leave out any other change.",
                "body",
                Fix(action="remove_sentence"),
            )
        )
    return found


def _retells(claim: str, named: set[str], told: str, told_stems: frozenset[str]) -> bool:
    """Whether a change claimed is the incident's own telling (its summary, cause or impact):
    the claim's verb is the incident's ("we changed" for "we changed the booking system")
    and nearly all of what it names is too. A change that adds words of its own ("we have
    fixed the booking system", "we changed the booking system's second check") is not."""
    verb = _WORD_RE.findall(claim)[-1]
    if verb not in _WORD_RE.findall(told) and verb[:5] not in told_stems:
        return False
    return len(named & told_stems) >= max(1, -(-len(named) * 4 // 5))


def _listing(steps: list[Prevention]) -> str:
    return "; ".join(f'"{step.description}"' for step in steps)


def check_request(draft: Draft) -> list[Finding]:
    """The rule table's entry (it runs only with a request): every finding of this module
    for one checked draft. The request is read once; each text's lowercase form and
    sentences are the draft's own."""
    request, supplied = draft.context, draft.supplied
    if request is None or supplied is None:
        return []
    given = _Given.of(request)
    found: list[Finding] = []
    for checked in draft.texts:
        text, low = checked.text, checked.low
        sentences = checked.sentences.spans
        found += contradicted_figures(text, low, checked.field, given, request)
        found += other_incidents(text, low, sentences, checked.field, given)
        found += cause_apologised(text, low, sentences, checked.field, request)
        found += third_person(text, low, checked.field, request, draft.channel_key)
        if checked.field == "body":
            found += prevention(text, low, sentences, request, supplied, draft.channel_key)
    return found
