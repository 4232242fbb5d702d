"""Extract and normalise the checkable facts in a text: amounts of money, percentages, dates,
deadlines, quantities, codes and improvement figures, so that "$14.95", "USD 14.95" and
"14.95$" compare equal, as do "five hundred dollars" and "$500", "3 March" and "March 3rd",
"15%", "15 percent" and "fifteen percent", or "half off" and "50% off".

The text is expected folded (`normalise.fold`), so full-width digits, accents and
zero-width characters are already gone. Number words, currency names and the other word
lists come from `packs/facts.yaml`; the patterns here are structure (number shapes, the
order of a number and its unit).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import islice

from guardrails.lexicon import lexicon


@dataclass(frozen=True, slots=True)
class Fact:
    """One normalised fact and where it is: `kind` is amount, percent, date, duration,
    weekday, quantity, code or metric; `key` is comparable across spellings."""

    kind: str
    key: tuple[str, ...]
    start: int
    end: int


def trie_regex(words: Iterable[str], *, word_start: bool = False) -> str:
    """One regex alternation for `words`, shaped as a trie (words grouped by their shared
    beginnings), so that the engine reads each character once instead of trying every word
    in turn; a longer word is tried before its prefix. Spaces match any white space.

    With `word_start` (every word starting with a letter or digit), a match also starts a
    word, as after `\b`: the boundary is checked after the first character ("no word
    character before it"), so that the engine still skips ahead to the first characters; a
    pattern that starts with `\b` is tried at every position of the text."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        parts = [
            (r"\s+" if char == " " else re.escape(char)) + emit(child)
            for char, child in node.items()
            if char
        ]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body

    if not word_start:
        return emit(tree)
    assert all(char.isalnum() for char in tree), "a word start needs a word character"
    return "(?:" + "|".join(rf"{re.escape(c)}(?<!\w.){emit(n)}" for c, n in tree.items()) + ")"


@dataclass(frozen=True, slots=True)
class _Patterns:
    numbers: dict[str, int]
    currency: dict[str, str]
    months: dict[str, int]
    units: dict[str, str]
    scan: re.Pattern[str]
    number_words: re.Pattern[str]
    month: re.Pattern[str]


_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    words = lexicon()
    numbers = {k: int(v) for k, v in words.mapping("number_words").items()}
    currency = {k: str(v) for k, v in words.mapping("currencies").items()}
    months = {k: int(v) for k, v in words.mapping("months").items()}
    units = {k: str(v) for k, v in words.mapping("quantity_units").items()}
    weekdays = words.words("weekdays")
    leads = words.words("duration_leads")
    deadline_leads = words.words("deadline_leads")
    symbols = [c for c in currency if not c[0].isalpha()]
    codes = [c for c in currency if c[0].isalpha()]
    number_word = rf"(?:{trie_regex(numbers)})"
    spelled = rf"\b{number_word}(?:[\s-]+(?:and\s+)?{number_word})*\b"
    number = rf"(?:{_DIGITS}|{spelled})"
    # "Nov." takes its period; "November." and "May." do not, so a date that ends a sentence ends
    # before the sentence's stop.
    month = rf"(?:{trie_regex(months)})\b(?:(?<![a-z]{{5}})(?<!may)(?<!june)(?<!july)\.)?"
    sym = f"(?:{trie_regex(symbols)})"
    code = rf"(?:\b(?:{trie_regex(codes)})\b)"
    time_unit = r"(?:business\s+|working\s+)?(?:hours?|days?|weeks?|months?|years?|minutes?)\b"
    # Every fact starts right after a character that is not part of a word: the scan looks
    # for such a character (which the regex engine finds without trying each letter) and
    # tests the alternatives after it in a lookahead, where an empty group at the end of
    # each names its kind. Alternatives that start with a number share it. The text is
    # scanned with a space in front, so a fact at the very start has one too.
    scan = re.compile(
        r"[^\w.,](?=(?:"
        + "|".join(
            [
                rf"{number}(?:"
                # Improvement multipliers: "2x faster", "3 times fewer".
                r"\s?(?:x|×|times)\s+(?:faster|quicker|fewer|more|better|less|lower|higher|"
                r"as\s+fast|as\s+many)\b(?P<mult>)"
                r"|\s?(?:%|percent\b|per\s+cent\b)(?P<pct>)"
                rf"|\s?(?:{sym}|\b(?:{trie_regex(codes)})\b)(?P<post>)"
                rf"|\s+(?:{trie_regex(units)})\b(?P<qty>)"
                rf"|(?:st|nd|rd|th)?(?:\s+of)?\s+{month}(?:,?\s+\d{{4}})?(?P<dday>)"
                ")",
                r"half\s+(?:off|price|the\s+price)\b(?P<half>)",
                rf"(?:{sym}|{code})\s?(?:{_DIGITS})(?!\d)(?P<pre>)",
                r"\d{4}-\d{2}-\d{2}\b(?P<iso>)",
                rf"{month}\s+{_DAY}\b(?:,?\s+\d{{4}})?(?P<dmonth>)",
                rf"(?:{trie_regex(leads)})\s+{number}\s+{time_unit}(?P<dur>)",
                rf"(?:{trie_regex(deadline_leads)})\s+(?:this\s+|next\s+|the\s+)?"
                rf"(?:{trie_regex(weekdays)})\b(?P<wd>)",
            ]
        )
        + "))"
    )
    return _Patterns(
        numbers=numbers,
        currency=currency,
        months=months,
        units=units,
        scan=scan,
        number_words=re.compile(rf"\b{number_word}\b"),
        month=re.compile(trie_regex(months)),
    )


_NUMBER_IN = re.compile(_DIGITS)
_LEADING_NUMBER = re.compile(rf"{_DIGITS}|[a-z][a-z\s-]*[a-z]")
_DAY_IN = re.compile(r"\d{1,2}")
_UNIT_AT_END = re.compile(r"(?:(business|working)\s+)?(hour|day|week|month|year|minute)s?\b$")
_WORDS = re.compile(r"[\s-]+")
_WORD_RUN = re.compile(r"[a-z]+(?:[\s-]+[a-z]+)*")
_SPLIT_KEEP = re.compile(r"([\s-]+)")
# Uppercase letters and digits, at least one of each (checked in code): SORRY15, NW-48213.
CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{3,}")
_CODE_SHAPE = re.compile(r"(?=.*\d)(?=.*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)*")
_LETTER_CODE = re.compile(r"[A-Z]{4,}[A-Z0-9]*")
_TIME = re.compile(r"\d{1,2}(?:AM|PM)")


@lru_cache(maxsize=1)
def _metric_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """An improvement figure is a percentage after a verb of change and "by" ("cut errors by
    35%"), or a percentage followed by a comparative ("35% fewer errors"); the words are in
    `packs/facts.yaml`."""
    words = lexicon()
    changed = "|".join(map(re.escape, words.words("metric_change_stems")))
    comparative = "|".join(map(re.escape, words.words("metric_comparatives")))
    return (
        re.compile(rf"(?:{changed})\w*\b[^.!?\n]{{0,60}}?\bby\s+$"),
        re.compile(rf"\s*(?:{comparative})\b"),
    )


def spelled_value(words: str) -> int | None:
    """The value of a number written in words: "five hundred" 500, "twenty-five" 25."""
    numbers = _patterns().numbers
    total, current = 0, 0
    seen = False
    for word in _WORDS.split(words.strip()):
        if word == "and" or not word:
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
    return total + current if seen else None


def number_value(raw: str) -> Decimal | None:
    """The number in `raw`, in digits or words: "1,000" and "one thousand" are 1000."""
    digits = _NUMBER_IN.search(raw)
    if digits is not None:
        try:
            return Decimal(digits.group().replace(",", ""))
        except InvalidOperation:
            return None
    spelled = _patterns().number_words.search(raw)
    if spelled is None:
        return None
    end = spelled.start()
    found = _WORD_RUN.match(raw, end)
    words = found.group() if found else spelled.group()
    # Keep the longest run of number words.
    kept = []
    for word in _SPLIT_KEEP.split(words):
        if word.strip(" -") and word not in _patterns().numbers and word != "and":
            break
        kept.append(word)
    value = spelled_value("".join(kept))
    return None if value is None else Decimal(value)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _currency_of(matched: str, number: str) -> str | None:
    currency = _patterns().currency
    rest = " ".join(matched.replace(number, " ", 1).split()).strip(" .")
    return currency.get(rest)


def make_fact(kind: str, matched: str, start: int, end: int) -> Fact | None:
    """Parse one matched fact; `matched` is the lowercased, folded text of the match."""
    parsed = _parsed(kind, matched)
    return None if parsed is None else Fact(parsed[0], parsed[1], start, end)


@lru_cache(maxsize=4096)
def _parsed(kind: str, matched: str) -> tuple[str, tuple[str, ...]] | None:
    """The kind and key of one matched fact, or None; parsed once per distinct match. A
    20 KB public reply of figures ("1% 1% ...", every amount read by the public-channel
    rules) parses thousands of equal matches: uncached, that took 10 ms more of its 50 ms
    budget (`benchmarks/guardrails.py`)."""
    p = _patterns()
    if kind == "mult":
        value = number_value(matched)
        return None if value is None else ("metric", (_plain(value) + "x",))
    if kind in ("pct", "half"):
        value = Decimal(50) if kind == "half" else number_value(matched)
        return None if value is None else ("percent", (_plain(value),))
    if kind in ("pre", "post"):
        digits = _NUMBER_IN.search(matched)
        if kind == "pre" and digits is not None:
            number = digits.group()
        else:
            number_match = _LEADING_NUMBER.match(matched)
            number = number_match.group() if number_match else ""
            while number and spelled_value(number) is None and " " in number:
                number = number.rsplit(" ", 1)[0]
        value = number_value(number) if number else None
        unit = _currency_of(matched, number) if number else None
        if value is None or unit is None:
            return None
        return ("amount", (_money(value), unit))
    if kind == "qty":
        value = number_value(matched)
        unit = matched.split()[-1]
        if value is None or unit not in p.units:
            return None
        return ("quantity", (_plain(value), p.units[unit]))
    if kind in ("dday", "dmonth", "iso"):
        if kind == "iso":
            _, month_text, day_text = matched.split("-")
            month, day = int(month_text), int(day_text)
        else:
            name = p.month.search(matched)
            day_match = _DAY_IN.search(matched)
            if name is None or day_match is None:
                return None
            month, day = p.months[" ".join(name.group().split())], int(day_match.group())
        valid = 1 <= month <= 12 and 1 <= day <= 31
        return ("date", (str(month), str(day))) if valid else None
    if kind == "dur":
        unit_match = _UNIT_AT_END.search(matched)
        value = number_value(matched.split(None, 1)[1]) if " " in matched else None
        if unit_match is None or value is None:
            return None
        unit = unit_match.group(2)
        if unit_match.group(1):
            unit = "working day"  # business and working days are one
        return ("duration", (_plain(value), unit))
    if kind == "wd":
        return ("weekday", (matched.split()[-1],))
    return None


def facts_within(facts: Sequence[Fact], start: int, end: int) -> list[Fact]:
    """The facts of `facts` (in text order, as `extract_facts` gives them) that lie within
    `start`..`end`: found by bisection, so that a rule reading the facts of each of many
    sentences does not read every fact of the text for each."""
    found = []
    for fact in facts[bisect_left(facts, start, key=lambda f: f.start) :]:
        if fact.start >= end:
            break
        if fact.end <= end:
            found.append(fact)
    return found


MAX_FACTS = 200
"""Facts parsed per text: a letter states a handful; a text with more is refused whole
(`commitments.unsupported_fact` says so) rather than parsed figure by figure."""


def extract_facts(
    text: str, low: str | None = None, *, codes: bool = True, limit: int | None = None
) -> list[Fact]:
    """Every amount, percentage, quantity, date, deadline and code in `text`, in text order;
    improvement multipliers ("2x faster") come back as `metric` facts. `low` is the folded,
    lowercased text (same length as `text`)."""
    low = low if low is not None else text.lower()
    facts = list(islice(scanned_facts(low), limit))
    if codes:
        facts += [Fact("code", (text[s:e],), s, e) for s, e in code_spans(text, low)]
        facts.sort(key=lambda fact: (fact.start, fact.end))
    return facts if limit is None else facts[:limit]


def scanned_facts(low: str) -> Iterator[Fact]:
    """The facts of `extract_facts` but codes, one at a time in text order, read from the
    lowered text: a caller that needs only the first few stops the scan there."""
    return (Fact(kind, key, start, end) for (kind, key), start, end in _scanned(low))


def _scanned(low: str) -> Iterator[tuple[tuple[str, tuple[str, ...]], int, int]]:
    """`scanned_facts` as (kind and key, start, end), without making a `Fact` of each."""
    reached = 0
    for match in _patterns().scan.finditer(" " + low):
        kind = match.lastgroup
        if kind is None:
            continue
        start, end = match.end() - 1, match.start(kind) - 1
        if start < reached:
            continue  # inside the fact before it
        parsed = _parsed(kind, low[start:end])
        if parsed is not None:
            yield parsed, start, end
            reached = end


@lru_cache(maxsize=1)
def _code_words() -> frozenset[str]:
    return frozenset(lexicon().words("code_words"))


@lru_cache(maxsize=1)
def _weekday() -> re.Pattern[str]:
    return re.compile(rf"{trie_regex(lexicon().words('weekdays'), word_start=True)}\b")


_TIME_UNIT = re.compile(r"(?:hour|day|week|month|year|minute)s?\b")
_COUNT_BEFORE = re.compile(rf"\b({_DIGITS}|[a-z]+(?:-[a-z]+)?)\s+((?:business|working)\s+)?$")


def weekdays_in(low: str) -> set[str]:
    """Every weekday (and "tomorrow", "today") a text names, with or without a lead word:
    a caller's remedy date "Thursday" authorises "by Thursday"."""
    return {" ".join(m.group().split()) for m in _weekday().finditer(low)}


def durations_in(low: str) -> set[tuple[str, ...]]:
    """Every count and unit of time a text names, with or without a lead word: a request
    saying "five working days" authorises "within 5 working days"."""
    found = set()
    # Each unit of time is found first (a literal the engine skips to), its count after.
    for unit in _TIME_UNIT.finditer(low):
        if unit.start() and low[unit.start() - 1].isalnum():
            continue  # inside a word: "holidays"
        count = _COUNT_BEFORE.search(low, max(0, unit.start() - 40), unit.start())
        if count is None:
            continue
        span = f"{count.group(1)} {count.group(2) or ''}{unit.group()}"
        fact = make_fact("dur", f"within {span}", 0, 0)
        if fact is not None:
            found.add(fact.key)
    return found


def code_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Where `text` quotes a code: uppercase letters and digits with at least one of each
    (SORRY15, NW-48213), or uppercase letters only right after a word that introduces a
    code ("use the code FREEJACKET", not "what happened with the OUTAGE")."""
    low = low if low is not None else text.lower()
    spans = []
    intro = _code_words()
    for match in CODE.finditer(text):
        token, start, end = match.group(), match.start(), match.end()
        if (start and (text[start - 1].isalnum() or text[start - 1] in "_-")) or (
            end < len(text) and (text[end].isalnum() or text[end] == "_")
        ):
            continue
        if _TIME.fullmatch(token):
            continue
        if _CODE_SHAPE.fullmatch(token):
            spans.append(match.span())
        elif _LETTER_CODE.fullmatch(token):
            # The word right before it introduces it ("use code FREEJACKET", "enter
            # FREEJACKET", "the code: FREEJACKET"); "what happened with the OUTAGE" names
            # the incident in capitals.
            before = low[max(0, match.start() - 30) : match.start()].split()[-1:]
            if any(word.strip(":\"'“”") in intro for word in before):
                spans.append(match.span())
    return spans


# What may not come before a year is tested after its first two digits: a regex that starts
# with those lets the engine skip to the next "1" or "2" in C, where a leading look-behind is
# tried at every character of the text.
_YEAR = re.compile(r"(?:19|20)(?<![\w.,/:-]\d\d)\d{2}(?![\w/-]|[.,:]\d)")
_YEAR_ANYWHERE = re.compile(r"(?:19|20)(?<!\d\d\d)\d{2}(?!\d)")


@lru_cache(maxsize=1)
def _month_before() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{trie_regex(_patterns().months)})\.?,?\s+$")


def year_facts(low: str, facts: list[Fact]) -> list[Fact]:
    """Years a text states on their own ("in 2019", "July 2015"), keyed by the year: not one
    inside another fact ("3 March 2024"), a code ("INV-2024-118"), a time or a number
    ("2,015"). A month name right before it is part of the span."""
    found = []
    for match in _YEAR.finditer(low):
        start, end = match.span()
        if any(f.start < end and start < f.end for f in facts):
            continue
        month = _month_before().search(low, max(0, start - 16), start)
        found.append(Fact("year", (match.group(),), month.start() if month else start, end))
    return found


def years_in(text: str) -> frozenset[str]:
    """Every year-shaped number a request's text holds, even inside a code or a date: a
    reference "INV-2024-118" lets a letter say "in 2024"."""
    return frozenset(_YEAR_ANYWHERE.findall(text))


def extract_metrics(low: str, facts: list[Fact]) -> list[Fact]:
    """Improvement figures ("reduced errors by 35%", "35% fewer", "2x faster") among `facts`
    (from `extract_facts` on the same text), keyed by their number ("35", "2x")."""
    metrics = [fact for fact in facts if fact.kind == "metric"]
    for fact in facts:
        if fact.kind != "percent":
            continue
        changed_by, comparative = _metric_words()
        before = changed_by.search(low, max(0, fact.start - 90), fact.start)
        if before is not None:
            metrics.append(Fact("metric", fact.key, before.start(), fact.end))
        elif (after := comparative.match(low, fact.end)) is not None:
            metrics.append(Fact("metric", fact.key, fact.start, after.end()))
    return metrics


def amount_spans(low: str) -> Iterator[tuple[int, int]]:
    """Where a text states an amount of money, for channels where amounts are forbidden: in
    text order, found as they are read."""
    return ((start, end) for (kind, _), start, end in _scanned(low) if kind == "amount")
