"""A draft checked against the caller's request for the slips a language model makes when it
rewords the facts, none of which a phrase list can see on its own:

- `request.contradicted_figure`: a duration, count, multiple ("charged three times") or clock
  time that differs from the one the request gives for the same thing ("a delay of two
  weeks" for a six-day delay). Amounts, dates, deadlines and codes are the commitment
  checks' (`commitments.py`).
- `request.other_incident`: an apology or claim of responsibility for an incident of a kind
  the request never describes ("We take full responsibility for the delay" when a hotel
  overbooked and nothing was late).
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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from contract.catalog import get_catalog
from contract.models import DraftRequest, Prevention
from contract.report import Finding, Fix, Severity, TextField
from guardrails.draft import Draft
from guardrails.lexicon import lexicon
from guardrails.spans import SentenceBreaks
from guardrails.supplied import stems

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


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first, any whitespace between words."""
    return "|".join(
        r"\s+".join(re.escape(part) for part in word.split())
        for word in sorted(set(words), key=len, reverse=True)
    )


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
    skip_before: frozenset[str]
    skip_after: frozenset[str]
    a_unit_after: frozenset[str]
    count_skip: frozenset[str]
    apology: re.Pattern[str]
    incident: re.Pattern[str]
    incident_kinds: dict[str, str]
    evidence: dict[str, re.Pattern[str]]
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
            r"\b(?:" + "|".join(re.escape(e.strip()) for e in text.split(",") if e.strip()) + ")"
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
        skip_before=frozenset(_listed(lists["request_duration_skip_before"])),
        skip_after=frozenset(_listed(lists["request_duration_skip_after"])),
        a_unit_after=frozenset(_listed(lists["request_a_unit_after"])),
        count_skip=frozenset(_listed(lists["request_count_skip_after"])),
        apology=re.compile(r"\b(?:" + _alt(_listed(lists["request_apology_words"])) + ")"),
        incident=re.compile(
            r"\b(?P<det>(?:the|this|that|any|your|our|such\s+a|a)\s+)?"
            r"(?P<noun>" + _alt(kinds) + r")\b"
        ),
        incident_kinds=kinds,
        evidence=evidence,
        incident_skip_after=re.compile(
            r"\s+(?:" + _alt(_listed(lists["request_incident_skip_after"])) + r")\b"
        ),
        incident_skip_before=re.compile(
            r"\b(?:" + _alt(_listed(lists["request_incident_skip_before"])) + r")\s+(?:\w+\s+)?$"
        ),
        needs_determiner=frozenset(_listed(lists["request_incident_needs_determiner"])),
        reader_nouns=reader_nouns,
        reader_verbs=_mapping(lists["request_reader_verbs"]),
        reader_object_verbs=tuple(_listed(lists["request_reader_object_verbs"])),
        prevention_intent=re.compile(
            r"\b(?:" + _alt(_listed(lists["request_prevention_intent"])) + r")"
        ),
        vague_effort=re.compile(r"\b(?:" + _alt(_listed(lists["request_vague_effort"])) + r")\b"),
        change_claim=re.compile(
            r"\b(?:we|i)(?:\s+(?:have|will|are|am|now|also|already|since|just|recently)|['’](?:ve|ll|re|m))*"
            r"\s+(?:" + _alt(_listed(lists["request_change_verbs"])) + r")\b"
        ),
        generic_change=frozenset(stems(" ".join(_listed(lists["request_generic_change_words"])))),
        safeguard=re.compile(r"\b(?:" + _alt(_listed(lists["request_safeguard_words"])) + r")"),
        change=re.compile(r"\b(?:" + _alt(_listed(lists["request_change_words"])) + r")\b"),
    )


# --- numbers and figures -------------------------------------------------------------------


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
    for word in re.split(r"[\s-]+", raw):
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


def _durations(low: str, draft: bool) -> list[_Figure]:
    """Durations in `low`; in a draft, not those that are deadlines, frequencies or times
    to come ("within two days", "24 hours a day")."""
    words = _words()
    found = []
    for match in words.duration.finditer(low):
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


def _context_stems(low: str, start: int, end: int, before: int, after: int) -> frozenset[str]:
    """Stems of up to `before` words before `start` and `after` words after `end`, inside
    the clause."""
    head = re.split(r"[.!?;:,\n()]", low[max(0, start - 60) : start])[-1]
    tail = re.split(r"[.!?;:,\n()]", low[end : end + 60])[0]
    words = _WORD_RE.findall(head)[-before:] if before else []
    words += _WORD_RE.findall(tail)[:after] if after else []
    return frozenset(stems(" ".join(words)))


def _multiples(low: str) -> list[_Figure]:
    found = []
    for match in _words().multiple.finditer(low):
        word = match.group("word")
        value = _words().multiples[word] if word else _number(match.group("num"))
        if value is None:
            continue
        about = _context_stems(low, match.start(), match.end(), 4, 0)
        if about:
            found.append(_Figure("multiple", value, match.start(), match.end(), about=about))
    return found


def _counts(low: str, taken: list[tuple[int, int]]) -> list[_Figure]:
    words = _words()
    found = []
    for match in words.count.finditer(low):
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


def _clocks(low: str) -> list[_Figure]:
    found = []
    for match in _words().clock.finditer(low):
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


def _figures(low: str, draft: bool = False) -> list[_Figure]:
    durations = _durations(low, draft)
    multiples = _multiples(low)
    clocks = _clocks(low)
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


def _contradiction(
    figure: _Figure, incident: list[_Figure], given: list[_Figure]
) -> list[_Figure] | None:
    """The incident's figures of the same thing that `figure` disagrees with, or None when
    the incident gives none or any figure of the request agrees with it."""
    same = [g for g in incident if _same_thing(figure, g)]
    if not same or any(_agrees(figure, g) for g in given if _same_thing(figure, g)):
        return None
    return same


def _incident_texts(request: DraftRequest) -> list[str]:
    incident = request.incident
    texts = [incident.summary, incident.cause, incident.impact, incident.date]
    return [t for t in texts if t]


def _request_texts(request: DraftRequest) -> list[str]:
    """Every text of the request, the incident's first (see `_incident_texts`)."""
    texts: list[str | None] = [*_incident_texts(request), request.incident.customer_message]
    for remedy in request.remedies:
        texts += [remedy.description, remedy.amount, remedy.date]
    for step in request.prevention:
        texts += [step.description, step.metric]
    return [t for t in texts if t]


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


def contradicted_figures(
    text: str, field: TextField, request: DraftRequest, given_texts: list[str]
) -> list[Finding]:
    """Durations, multiples, counts and clock times in `text` that differ from the ones the
    incident gives for the same thing and agree with no other figure of the request
    (`given_texts`, the incident's first)."""
    given = [
        replace(figure, source=index)
        for index, source in enumerate(given_texts)
        for figure in _figures(source.lower())
    ]
    incident_count = len(_incident_texts(request))
    incident = [g for g in given if g.source < incident_count]
    if not incident:
        return []
    found = []
    for figure in _figures(text.lower(), draft=True):
        against = _contradiction(figure, incident, given)
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


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """The sentences of `text` as (start, end), in order, without surrounding white space."""
    breaks = SentenceBreaks(text)
    at = 0
    size = len(text)
    while at < size:
        while at < size and text[at].isspace():
            at += 1
        if at >= size:
            return
        start, end = breaks.bounds(at, at)
        if end <= at:
            end = at + 1
        yield max(start, at), end
        at = end


def other_incidents(text: str, field: TextField, request: DraftRequest) -> list[Finding]:
    """Apology or responsibility sentences naming an incident of a kind the request's
    incident (or its scenario) never describes, when it describes one of another kind."""
    words = _words()
    low = text.lower()
    scenario = get_catalog().scenarios.get(request.scenario)
    named = [*_incident_texts(request), request.incident.customer_message or ""]
    named.append(request.scenario.replace("_", " "))
    if scenario is not None:
        named += [scenario.label, scenario.topic, scenario.description]
    request_low = "\n".join(named).lower()
    supported = {kind for kind, pattern in words.evidence.items() if pattern.search(request_low)}
    if not supported:
        return []  # the request does not say what kind of incident it was
    found = []
    for start, end in _sentences(text):
        sentence = low[start:end]
        if not words.apology.search(sentence):
            continue
        for match in words.incident.finditer(sentence):
            noun = " ".join(match.group("noun").split())
            kind = words.incident_kinds[noun]
            if kind in supported:
                continue
            if words.incident_skip_after.match(sentence, match.end()):
                continue
            if words.incident_skip_before.search(sentence[: match.start("noun")]):
                continue
            if noun in words.needs_determiner and not match.group("det"):
                continue
            at, stop = start + match.start(), start + match.end()
            tail = sentence[match.end() :].lstrip()
            fix = None
            if match.group("det") and match.group("det").strip() != "a" and tail[:1] in ",.!?;":
                fix = Fix(action="replace", text="this")
            else:
                at = start + match.start("noun")
            found.append(
                _finding(
                    OTHER_INCIDENT,
                    "error",
                    f'Apologises for "{noun}", but the request describes no {_kind_label(kind)}.',
                    text,
                    at,
                    stop,
                    'Name the incident the request describes, or say "this".',
                    field,
                    fix,
                )
            )
    return found


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


def _reader_patterns(request: DraftRequest) -> list[re.Pattern[str]]:
    words = _words()
    nouns = words.reader_nouns["client" if request.audience == "client" else "customer"]
    names = []
    name = request.recipient.name
    if name:
        parts = [p for p in re.split(r"\s+", name.strip()) if len(p) > 1 and p[-1] != "."]
        if parts:
            names.append(re.escape(" ".join(parts)))
            names += [re.escape(p) for p in (parts[0], parts[-1])]
    title = r"(?:(?i:mr|mrs|ms|miss|mx|dr|prof)\.?\s+)?"
    noun_alt = _alt(nouns)
    verbs = _alt(words.reader_verbs)
    patterns = [
        re.compile(rf"\b(?:the|this|that)\s+(?:{noun_alt})['’]s\b", re.IGNORECASE),
        re.compile(
            rf"\b(?:{_alt(words.reader_object_verbs)})\s+(?P<obj>(?:the|this|that)\s+(?:{noun_alt}))\b",
            re.IGNORECASE,
        ),
        re.compile(
            rf"\b(?P<np>(?:the|this|that)\s+(?:{noun_alt}))\s+(?P<verb>{verbs})\b", re.IGNORECASE
        ),
    ]
    if names:
        patterns.append(re.compile(rf"\b{title}(?:{'|'.join(names)})['’]s\b"))
    return patterns


def third_person(text: str, field: TextField, request: DraftRequest, channel: str) -> list[Finding]:
    """The reader named in the third person ("the guest's room", "the customer was") in a
    private letter to that reader; not for a colleague, where a customer is a third person,
    nor on a public channel, where a reply may restate the incident for onlookers."""
    form = get_catalog().channels.get(channel)
    if request.audience == "colleague" or form is None or form.public:
        return []
    found = []
    verbs = _words().reader_verbs
    for pattern in _reader_patterns(request):
        for match in pattern.finditer(text):
            start, end = match.span()
            if "np" in pattern.groupindex:
                verb = match.group("verb").lower()
                replacement = f"you {verbs[verb]}"
            elif "obj" in pattern.groupindex:
                start, end = match.span("obj")
                replacement = "you"
            else:
                replacement = "your"
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


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?\n:"


# --- prevention steps -----------------------------------------------------------------------


def _shares_enough(have: set[str], wanted: set[str], share: float) -> bool:
    """Whether `have` holds at least `share` of the `wanted` stems, and at least two of them
    when there are two or more."""
    need = max(min(2, len(wanted)), -(-len(wanted) * share // 1))
    return bool(wanted) and len(have & wanted) >= need


def _states_step(sentences: list[tuple[set[str], bool]], body_low: str, step: Prevention) -> bool:
    """Whether the draft states prevention `step`: its metric verbatim, half its stems in
    one sentence, two of them in a sentence that says what changed ("now", "we have
    added"), or most of them across the draft."""
    if step.metric and step.metric.lower() in body_low:
        return True
    wanted = stems(step.description)
    if any(
        _shares_enough(have, wanted, 0.5) or (changes and _shares_enough(have, wanted, 0.0))
        for have, changes in sentences
    ):
        return True
    return _shares_enough(set().union(*(have for have, _ in sentences)), wanted, 0.8)


def prevention(text: str, request: DraftRequest, channel: str) -> list[Finding]:
    """Authorised prevention steps the draft leaves out (where the channel requires a
    prevention element), and vague promises of effort."""
    words = _words()
    low = text.lower()
    form = get_catalog().channels.get(channel)
    required = form is None or "prevention" in form.required
    spans = list(_sentences(text))
    sentence_stems = [stems(text[start:end]) for start, end in spans]
    changes = [bool(words.change.search(low[start:end])) for start, end in spans]
    step_stems = [stems(step.description) for step in request.prevention]
    missing = [
        index
        for index, step in enumerate(request.prevention)
        if not _states_step(list(zip(sentence_stems, changes, strict=True)), low, step)
    ]
    found = _invented(text, request, spans, sentence_stems, step_stems)
    vague_at: int | None = None
    for (start, end), have in zip(spans, sentence_stems, strict=True):
        sentence = low[start:end]
        if not words.vague_effort.search(sentence) or not words.prevention_intent.search(sentence):
            continue
        if any(_shares_enough(have, wanted, 0.5) for wanted in step_stems):
            continue  # the sentence states an authorised step
        stands_in = bool(missing) and required
        vague_at = start if vague_at is None else vague_at
        found.append(
            _finding(
                VAGUE_PREVENTION,
                "error" if stands_in else "warning",
                "Promises effort to prevent a repeat without saying what changes"
                + (", in place of the prevention step the request gives." if stands_in else "."),
                text,
                start,
                end,
                "State the change the request gives as done or planned; leave out promises "
                "of effort.",
                "body",
                Fix(action="remove_sentence"),
            )
        )
    if required:
        at = vague_at if vague_at is not None else len(text)
        for index in missing:
            step = request.prevention[index]
            found.append(
                _finding(
                    OMITTED_PREVENTION,
                    "error",
                    f"Leaves out an authorised prevention step: {step.description}.",
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
    request: DraftRequest,
    spans: list[tuple[int, int]],
    sentence_stems: list[set[str]],
    step_stems: list[set[str]],
) -> list[Finding]:
    """Sentences claiming a change made or planned ("we have added a second check") with a
    word of prevention in them, that state none of the request's prevention steps or
    remedies."""
    words = _words()
    low = text.lower()
    remedy_stems = [stems(remedy.description) for remedy in request.remedies]
    found = []
    for (start, end), have in zip(spans, sentence_stems, strict=True):
        sentence = low[start:end]
        claim = words.change_claim.search(sentence)
        if claim is None:
            continue
        changed = sentence[claim.end() :]
        if not (words.safeguard.search(changed) or words.prevention_intent.search(changed)):
            continue
        if not stems(changed) - words.generic_change:
            continue  # "we have changed our procedure": no change named, so none invented
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


def _listing(steps: list[Prevention]) -> str:
    return "; ".join(f'"{step.description}"' for step in steps)


def request_findings(
    body: str, subject: str | None, request: DraftRequest, channel: str
) -> list[Finding]:
    """Every finding of this module for one draft checked against `request`."""
    given_texts = _request_texts(request)
    texts: list[tuple[TextField, str]] = [("body", body)]
    if subject:
        texts.append(("subject", subject))
    found: list[Finding] = []
    for field, text in texts:
        found += contradicted_figures(text, field, request, given_texts)
        found += other_incidents(text, field, request)
        found += third_person(text, field, request, channel)
    found += prevention(body, request, channel)
    return found


def check_request(draft: Draft) -> list[Finding]:
    """The rule table's entry (it runs only with a request): every finding of this module
    for one checked draft."""
    if draft.context is None:
        return []
    subject = draft.subject.text if draft.subject is not None else None
    return request_findings(draft.body.text, subject, draft.context, draft.channel_key)
