"""Slips a model makes when it retells the caller's request as a letter, checked against that
request:

- `request.reader_named`: the reader by name ("Rosa walked into the review") or by a
  pronoun the caller used for them ("her October membership", "before his wedding") in a
  private letter addressed to that reader.
- `commitments.done_as_future`: a remedy that is already done (`status: done`) told as still
  to come or only offered ("I will be refunding the second charge", "I would like to offer
  you a replacement" for a replacement already sent).
- `commitments.added_terms`: terms added to a remedy that the caller never gave: where it
  is applied ("included in your next bill", "deducted from your account") or how soon
  ("immediately", "as soon as possible").

Each is an error with a safe fix: the words for "you"; the remedy said again as the
composer says it; the added clause (or its sentence) removed.
"""

from __future__ import annotations

import re
from bisect import insort
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

from contract.catalog import get_catalog
from contract.models import DraftRequest
from contract.report import Finding, Fix
from guardrails.commitments import _states_a_remedy
from guardrails.draft import Draft, Text
from guardrails.lexicon import lexicon
from guardrails.regex_source import split_top
from guardrails.remedy_status import mentions_remedy
from guardrails.request_rules import THIRD_PERSON, _by_first, group_recipient, quoted_offers
from guardrails.spans import MAX_PER_RULE, SENTENCE_REACH, finding
from guardrails.supplied import ByValue, RemedyFacts, stems, word_char

# The reader in the third person is one rule, `request.third_person`, whichever check finds
# it: `request_rules.third_person` ("the guest's room") and `reader_named` below.
READER_NAMED = THIRD_PERSON
DONE_AS_FUTURE = "commitments.done_as_future"
ADDED_TERMS = "commitments.added_terms"
INVENTED_CAUSE = "request.invented_cause"
INVENTED_IMPACT = "request.invented_impact"
INVENTED_PERK = "commitments.invented_perk"
INVENTED_CONTACT = "request.invented_contact"
RULE_IDS = (
    DONE_AS_FUTURE,
    ADDED_TERMS,
    INVENTED_CAUSE,
    INVENTED_IMPACT,
    INVENTED_PERK,
    INVENTED_CONTACT,
)

# --- the reader by name or pronoun ----------------------------------------------------------

_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+)?"
# Words before a name that make it the reader addressed ("Dear Rosa", "Thank you, Rosa").
# A description of the person named, then a verb of which they are the subject.
_DESCRIBED = re.compile(r",\s+(?:a|an)\s+[^,.!?\n]{1,60},\s+(?:was|is|had|has|who)\b")
_VOCATIVE_BEFORE = re.compile(
    r"\b(?:dear|hi|hello|hey|morning|afternoon|evening|thanks|thank\s+you)[,!]?\s*\Z",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r"\s*([A-Za-z'’]+)")
# The verb after a third-person subject, as it reads after "you".
_AFTER_YOU = {"was": "were", "is": "are", "has": "have", "does": "do", "doesn't": "don't"}
_PRONOUNS = {
    "she": "you",
    "he": "you",
    "her": "your",
    "his": "your",
    "him": "you",
    "hers": "yours",
    "herself": "yourself",
    "himself": "yourself",
    "they": "you",
    "their": "your",
    "them": "you",
}
# After "her", words that make it the object ("told her about"), not a possessive.
_NOT_OWNED = frozenset(
    [
        "about",
        "after",
        "at",
        "before",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "to",
        "with",
        "and",
        "or",
        "but",
        "that",
        "this",
        "the",
        "a",
        "an",
    ]
)
# A pronoun at a word start, then the next word. The word start is checked after the first
# letter (see `_by_first`): a pattern that starts with a boundary would be tried at every
# position of a letter.
_PRONOUN_PAIR = re.compile(
    "("
    + _by_first(
        ["she", "he", "her", "his", "him", "hers", "herself", "himself", "they", "their", "them"],
        boundary=True,
    )
    + r")\s+([a-z][a-z'’-]*)"
)
_RECIPIENT = re.compile(r"[Tt](?<!\w.)he\s+recipient(['’]s)?\b(?!\s+of\b)")
_ADVERBS = frozenset(("only", "also", "still", "already", "now", "just", "then"))
_PLURAL = frozenset(("they", "their", "them"))
# People other than the reader whom a request's pronoun may mean ("our technician ... he").
# (Each pattern here that starts a word checks the word start after its first letter, see
# `_by_first`: one that starts with a boundary is tried at every position of the text.)
_OTHERS = re.compile(
    _by_first(
        split_top(
            r"technician|engineer|driver|courier|agent|employee|colleague|manager|staff|"
            r"representative|rep|waiter|waitress|chef|nurse|doctor|supplier|instructor|trainer|"
            r"cleaner|installer|planner|assistant|consultant|advisor|adviser|officer|clerk|"
            r"son|daughter|husband|wife|partner|mother|father|child|children|friend|guest\s+of|"
            r"grand(?:mother|father|son|daughter|parent|child)|mum|mom|dad|brother|sister|"
            r"boyfriend|girlfriend|fianc[ée]e?|baby|kid|student|pupil|patient|neighbou?r|"
            r"families|family|parent|teacher|coach|dog|puppy|cat|kitten|pet|horse|pony"
        ),
        boundary=True,
    )
    + r"\b"
)
# A capitalised name with a possessive ("Leo's grandmother"): someone the request names.
_NAMED_OTHER = re.compile(r"[A-Z](?<!\w.)[a-z]+['’]s\b")


class _Said(NamedTuple):
    """How the caller spoke of the reader in the request."""

    pairs: dict[str, str]
    """ "pronoun next-word" pairs the caller used for the reader, each with its words for
    "you" (a pronoun in a request field that names no one else before it), and the words
    around the caller's noun for the reader ("charged the client")."""
    verbs: frozenset[str]
    """The stems of the words the incident puts before its noun for the reader ("charged"
    in "charged the client for"); none in a letter to a colleague or a group."""


def _request_said(request: DraftRequest) -> _Said:
    """How the caller spoke of the reader, read once per distinct value of the fields it
    reads (the body and the subject share it; so do the letters of a batch). The answer is
    shared: read it, never change it."""
    incident = request.incident
    # The reader's name is read only as these three: whether it names a group, the gender
    # its title gives, and its parts, which only a possessive name in the incident's story
    # is compared with. So a batch's letters to people without a title share one reading.
    story = " ".join(f for f in (incident.summary, incident.cause, incident.impact) if f)
    key = (
        incident.summary,
        incident.cause,
        incident.impact,
        tuple(r.description for r in request.remedies),
        tuple(p.description for p in request.prevention),
        request.audience,
        group_recipient(request),
        _title_gender(request),
        _name_parts(request) if _NAMED_OTHER.search(story) else None,
    )
    return _said_of(ByValue(key, request))


@lru_cache(maxsize=256)
def _said_of(given: ByValue) -> _Said:
    request = given.context
    incident = request.incident
    fields = [incident.summary, incident.cause, incident.impact]
    fields += [r.description for r in request.remedies]
    prevention = [p.description for p in request.prevention]
    fields += prevention
    pairs: dict[str, str] = {}
    verbs = set()
    reader = _reader_noun(request)
    # To a colleague, "the client" is not them; to a group ("our passengers"), "the
    # passenger" is one person among them, not the reader.
    roles_off = request.audience == "colleague" or group_recipient(request)
    others = None  # read at the first pronoun (`_names_others`): most requests have none
    for index, field in enumerate(fields):
        if not field:
            continue
        low = field.lower()
        # A prevention step is how we work for everyone: "scanned against the patient file"
        # does not name the reader.
        steps = field in prevention
        for match in () if roles_off else reader.finditer(low):
            # "charged the client for": the caller's words for the reader, copied
            before = low[: match.start()].split()[-1:]
            if index < 3 and before and len(before[0]) >= 4 and before[0].isalpha():
                verbs.add(_stem(before[0]))  # in the incident's summary, cause or impact
            if steps:
                continue
            after = low[match.end() :].split()[:1]
            if before:
                pairs[f"{before[0]} {match.group()}"] = "you"
            if after and after[0].isalpha():
                pairs[f"{match.group()} {after[0]}"] = "you"
        for match in _PRONOUN_PAIR.finditer(low):
            if others is None:
                others = _names_others(request, " ".join(f for f in fields[:3] if f))
            if others or _OTHERS.search(low, 0, match.start()):
                break  # someone else is named first in this field: the pronoun may be theirs
            pronoun, word = match.group(1), match.group(2)
            if pronoun in _PLURAL and (roles_off or not reader.search(low, 0, match.start())):
                continue  # "they" is the reader only after the caller named the reader
            if pronoun == "her" and word in _NOT_OWNED:
                continue  # "told her about": too rare in a request to rewrite safely
            if pronoun in _NOT_THE_READER[_title_gender(request)]:
                continue  # "his" when the reader is Mrs Okafor: someone else
            if _FIRST_PERSON.search(low, 0, match.start()) and pronoun not in _PLURAL:
                continue  # "I had to take him": the reader is "I" here, "him" someone else
            pairs[f"{pronoun} {word}"] = _PRONOUNS[pronoun]
    return _Said(pairs, frozenset(verbs))


# The pronouns a reader with a gendered title ("Mrs Okafor", "Mr Hale") cannot be.
_HE = frozenset(("he", "him", "his", "himself"))
_SHE = frozenset(("she", "her", "hers", "herself"))
_TITLE_GENDER = {
    **dict.fromkeys(("mr", "sir", "lord"), "male"),
    **dict.fromkeys(("mrs", "ms", "miss", "madam", "lady", "dame"), "female"),
}
_NOT_THE_READER = {"male": _SHE, "female": _HE, None: frozenset[str]()}
# The customer speaking as "I" in a request field ("I had to take him to the vet").
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|myself)\b")


def _title_gender(request: DraftRequest) -> str | None:
    """The gender the recipient's title gives ("Mrs Okafor": female), if any."""
    first = (request.recipient.name or "").split(maxsplit=1)[:1]
    return _TITLE_GENDER.get(first[0].lower().rstrip(".")) if first else None


def _names_others(request: DraftRequest, named: str) -> bool:
    """Someone other than the reader in the incident's story (`named`): its pronouns may be
    theirs ("Leo's grandmother was collecting him", "Her son ... his mark"), so none is read
    as the reader's. A remedy's "bring a friend" names no one in the story."""
    return _OTHERS.search(named.lower()) is not None or any(
        m.group()[:-2] not in _name_parts(request) for m in _NAMED_OTHER.finditer(named)
    )


@lru_cache(maxsize=2)
def _reader_nouns(audience: str) -> re.Pattern[str]:
    words = lexicon().words(f"request_reader_nouns_{audience}")
    nouns = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"t(?<!\w.)he\s+(?:{nouns})s?\b")


def _reader_noun(request: DraftRequest) -> re.Pattern[str]:
    """ "the customer", "the guests": the reader as the caller names them in a request."""
    return _reader_nouns("client" if request.audience == "client" else "customer")


def _name_parts(request: DraftRequest) -> tuple[str, ...]:
    if group_recipient(request):
        return ()  # a group or a place is not a person's name
    return _parts_of_name(request.recipient.name or "")


@lru_cache(maxsize=256)
def _parts_of_name(name: str) -> tuple[str, ...]:
    parts = [p for p in name.split() if len(p) > 1 and p[-1] != "." and p[:1].isupper()]
    if not parts:
        return ()
    return tuple(dict.fromkeys([" ".join(parts), parts[0], parts[-1]]))


_TITLE_AT = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+")
# No title ends with the start of another, so finding them without overlap finds every start.
_TITLE_START = re.compile(r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof")


def _name_end(text: str, at: int, parts: Sequence[str]) -> int | None:
    """Where the first of `parts` that stands at `at` as a whole word ends."""
    for part in parts:
        end = at + len(part)
        if text.startswith(part, at) and not (
            end < len(text) and (text[end].isalnum() or text[end] in "_@'’-")
        ):
            return end
    return None


def _name_spans(text: str, parts: Sequence[str]) -> Iterator[tuple[int, int]]:
    r"""The spans `re.finditer(rf"(?<![\w@.]){_TITLE}(?:{'|'.join(parts)})(?![\w@'’-])")`
    finds (the parts escaped), without compiling a pattern per name: a batch names a new
    reader in every letter. A match starts where a part or a title does; the title, when
    one stands there, is tried first."""
    starts = {m.start() for m in _TITLE_START.finditer(text)}
    for part in parts:
        at = text.find(part)
        while at >= 0:
            starts.add(at)
            at = text.find(part, at + 1)
    reach = 0
    for at in sorted(starts):
        if at < reach or (at and (text[at - 1].isalnum() or text[at - 1] in "_@.")):
            continue
        title = _TITLE_AT.match(text, at)
        end = _name_end(text, title.end(), parts) if title is not None else None
        if end is None:
            end = _name_end(text, at, parts)
        if end is not None:
            yield at, end
            reach = end


def _reader_spans(
    text: str, request: DraftRequest, said: _Said
) -> Iterator[tuple[int, int, str | None]]:
    """(start, end, replacement or None) for each third-person mention of the reader;
    `said` is `_request_said(request)`."""
    parts = _name_parts(request)
    if parts and any(p in text for p in parts):
        for start, end in _name_spans(text, parts):
            line_start = text.rfind("\n", 0, start) + 1
            described = _DESCRIBED.match(text, end)
            if described is not None:
                # "Kofi Mensah, a Ghanaian IT professional, was ...": the reader described
                # to someone else, wherever the name stands; no safe rewording.
                yield start, described.end(), None
                continue
            if _VOCATIVE_BEFORE.search(text, line_start, start) or not text[line_start:start].strip(
                ' \t"“'
            ):
                continue  # "Dear Rosa", "Thank you, Rosa", a name opening its line or sentence
            following = _NEXT_WORD.match(text, end)
            if following is None or text[end : following.start(1)].strip():
                continue  # "Rosa." / "Rosa," / "Rosa!": addressed, or ends the sentence
            word = following.group(1)
            if word[:1].isupper():
                continue  # another name follows: a company or a product ("Rosa Florists")
            words: str | None
            before = text[line_start:start].split()[-1:]
            if before and before[0].lower() in _PREPOSITIONS:
                # "The impact on Nadia was": the reader is the object, the verb stays.
                at, stop, words = start, end, "you"
            else:
                at, stop, words = _as_you(text, start, end, following)
            opens = not text[line_start:start].strip() or text[:start].rstrip()[-1:] in ".!?"
            if words is not None and not opens:
                words = words[:1].lower() + words[1:]
            yield at, stop, words
            if words is not None:
                yield from _pronouns_after(text, stop, request)
    # The prompt's own word for the reader ("what it meant for the recipient"), copied.
    for match in _RECIPIENT.finditer(text) if "recipient" in text else ():
        words = "your" if match.group(1) else "you"
        yield match.start(), match.end(), _cased(text, match.start(), words)
    low = text.lower()
    yield from _pronoun_for_reader(text, low, request, said.verbs)
    pairs = said.pairs
    for phrase, replacement in pairs.items():
        if " the " not in f" {phrase} ":
            continue
        if phrase not in low:
            continue  # the pattern below matches only where the phrase is
        noun = _reader_noun(request)
        for start, end in _phrase_spans(low, phrase):
            found = noun.search(low, start, end)
            if found is not None:
                yield found.start(), found.end(), _cased(text, found.start(), replacement)
    if not any(phrase.split(" ", 1)[0] in _PRONOUNS for phrase in pairs):
        return  # no pair starts with a pronoun: none found below can be one
    for match in _PRONOUN_PAIR.finditer(low):
        pair = f"{match.group(1)} {match.group(2)}"
        if pair not in pairs and match.group(2) in _ADVERBS:
            after = _NEXT_WORD.match(low, match.end())  # "they only hold" for "they hold"
            pair = f"{match.group(1)} {after.group(1)}" if after is not None else pair
        if pair in pairs:
            start, end = match.span(1)
            if match.group(1) in ("she", "he"):
                following = _NEXT_WORD.match(text, end)
                if following is not None:
                    yield _as_you(text, start, end, following)
                    continue
            yield start, end, _cased(text, start, pairs[pair])


_PREPOSITIONS = frozenset(
    ("on", "for", "to", "with", "at", "from", "of", "about", "by", "upon", "towards")
)
_PERSONAL = re.compile(r"\b(she|he|her|his|him|hers|herself|himself)\b", re.IGNORECASE)
_CLAUSE_STOP = re.compile(r"[.!?](?=\s|$)|\n")


def _pronouns_after(
    text: str, end: int, request: DraftRequest
) -> Iterator[tuple[int, int, str | None]]:
    """After the reader's name turned into "you" at `end`, the rest of its sentence's
    "she"/"her"/"his" for the reader, as "you"/"your" ("on Nadia was that she had to
    postpone her surgery": "on you was that you had to postpone your surgery"). None when
    someone else is named first ("her son"), or the sentence has both a "she" and a "he",
    or a pronoun the reader's title rules out: it may be theirs."""
    stop = _CLAUSE_STOP.search(text, end)
    limit = stop.start() if stop is not None else len(text)
    low = text.lower()
    found = list(_PERSONAL.finditer(low, end, limit))
    if not found:
        return
    words = {m.group(1) for m in found}
    if (words & _HE and words & _SHE) or words & _NOT_THE_READER[_title_gender(request)]:
        return
    if _OTHERS.search(low, end, found[-1].start()) or _NAMED_OTHER.search(
        text, end, found[-1].start()
    ):
        return
    for match in found:
        start, stop_at = match.span(1)
        pronoun = match.group(1)
        following = _NEXT_WORD.match(text, stop_at)
        if pronoun in ("she", "he") and following is not None:
            yield _as_you(text, start, stop_at, following)
            continue
        if pronoun == "her" and (
            following is None
            or text[stop_at : following.start(1)].strip()
            or following.group(1).lower() in _NOT_OWNED
        ):
            yield start, stop_at, _cased(text, start, "you")  # "told her", "her." : the object
            continue
        yield start, stop_at, _cased(text, start, _PRONOUNS[pronoun])


def _phrase_spans(low: str, phrase: str) -> Iterator[tuple[int, int]]:
    r"""The spans `re.finditer(rf"\b{re.escape(phrase)}\b", low)` finds (`phrase` not
    empty), without compiling a pattern per phrase: every request words the reader its own
    way."""
    at = low.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        if _boundary(low, at) and _boundary(low, end):
            yield at, end
            at = low.find(phrase, end)
        else:
            at = low.find(phrase, at + 1)


def _boundary(text: str, at: int) -> bool:
    r"""Whether `\b` holds at `at`: a word character on one side only."""
    return word_char(text, at - 1) != word_char(text, at)


_OBJECT = re.compile(r"(?:them|him|her)\b(?!\s+(?:own|team|staff|colleague)\b)")
_BY_NAME = re.compile(r"\b(?:to|for|charged|billed|invoiced|sent|told|emailed|contacted)\s+\Z")
_PLURAL_REF = re.compile(r"\b(they|them|their)\b")


def _stem(word: str) -> str:
    return _root(word)[:5]


def _objects(low: str) -> Iterator[tuple[str, re.Match[str]]]:
    r"""Each word with the object pronoun after it ("charging them"), found as
    `re.finditer(r"\b([a-z]+)\s+(them|him|her)\b(?!...)", low)` finds them, from the
    pronoun back: a pattern that starts with a word is tried at every letter of the text."""
    reach = 0
    for match in _OBJECT.finditer(low):
        space = match.start()
        while space and low[space - 1].isspace():
            space -= 1
        start = space
        while start and "a" <= low[start - 1] <= "z":
            start -= 1
        if space == match.start() or start == space or start < reach:
            continue  # no space, or no word before it, or in the words found last
        if start and (low[start - 1].isalnum() or low[start - 1] == "_"):
            continue  # the word does not start there ("x2them"), as `\b` reads it
        reach = match.end()
        yield low[start:space], match


def _pronoun_for_reader(
    text: str, low: str, request: DraftRequest, verbs: frozenset[str]
) -> Iterator[tuple[int, int, str | None]]:
    """The caller's words around the reader copied with a pronoun in the reader's place
    ("charged the client for" -> "charging them for"), and the reader's organisation
    named with "they"/"them" after it in one sentence ("sent to Qureshi Dental Group ...
    charging them")."""
    if request.audience == "colleague" or group_recipient(request):
        return
    # A word whose stem is one of `verbs` starts with it: without one, nothing is copied.
    if any(verb in low for verb in verbs):
        for word, match in _objects(low):
            if _stem(word) in verbs:
                yield match.start(), match.end(), _cased(text, match.start(), "you")
    organisation = request.recipient.organization
    if not organisation or organisation not in text:
        return
    at = text.find(organisation)
    while at >= 0:
        end = at + len(organisation)
        stop = re.search(r"[.!?\n]", text[end:])
        sentence_end = end + stop.start() if stop is not None else len(text)
        pronouns = list(_PLURAL_REF.finditer(low, end, sentence_end))
        if pronouns:
            line_start = text.rfind("\n", 0, at) + 1
            if _BY_NAME.search(low, line_start, at):
                yield at, end, "you"
            for match in pronouns:
                words = "your" if match.group(1) == "their" else "you"
                yield match.start(1), match.end(1), _cased(text, match.start(1), words)
        at = text.find(organisation, end)


def _as_you(
    text: str, start: int, end: int, following: re.Match[str]
) -> tuple[int, int, str | None]:
    """The reader as the subject or object "you", with the verb after it made to agree; no
    replacement when that verb is one this cannot conjugate ("walks")."""
    word = following.group(1).lower()
    if word in _AFTER_YOU:
        return start, following.end(1), _cased(text, start, f"you {_AFTER_YOU[word]}")
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return start, end, None
    return start, end, _cased(text, start, "you")


def _cased(text: str, start: int, words: str) -> str:
    return words[:1].upper() + words[1:] if text[start : start + 1].isupper() else words


def _told(request: DraftRequest) -> list[str]:
    """The incident's fields as the composer quotes them whole, lowercased."""
    incident = request.incident
    fields = [incident.summary, incident.cause or "", incident.impact or ""]
    return [t for t in (" ".join(f.lower().split()).strip(" .!?") for f in fields) if t]


def reader_named(draft: Draft) -> list[Finding]:
    """The reader named, or called "her"/"his" as the caller did, in a private letter to
    them."""
    request = draft.context
    form = get_catalog().channels.get(draft.channel_key)
    if request is None or form is None or form.public:
        return []
    said = _request_said(request)
    spans = [(t, span) for t in draft.texts for span in _reader_spans(t.text, request, said)]
    if not spans:
        return []
    found = []
    told = _told(request)
    quoted = {t.field: quoted_offers(t.low, request) for t in draft.texts}
    for checked, (start, end, replacement) in spans:
        if any(s <= start and end <= e for s, e in quoted[checked.field]):
            continue  # inside an authorised remedy or step, quoted as the caller wrote it
        excerpt = checked.text[start:end]
        s_start, s_end = checked.sentences.bounds(start, end)
        sentence = " ".join(checked.low[s_start:s_end].split())
        if any(field in sentence for field in told):
            continue  # the caller's own sentence quoted whole (the composer's retelling)
        found.append(
            finding(
                READER_NAMED,
                "error",
                f'Speaks of the reader in the third person ("{excerpt}") in a letter '
                "addressed to them.",
                checked.text,
                start,
                end,
                f'Address the reader directly: "{replacement or "you"}".',
                checked.field,
                Fix(action="replace", text=replacement) if replacement else None,
            )
        )
    return found


# --- a done remedy told as still to come ----------------------------------------------------

# A remedy still to come or only offered: a future, a wish or a present offer, then (within
# a few words) the verb that gives it.
# Each alternative of the lead is spelled out whole, so that the pattern starts with its
# first letters (see `_by_first`): one that starts with a boundary is tried at every
# position of the letter.
_TO_COME = re.compile(
    _by_first(
        [
            rf"{lead}(?:\s+now)?(?:\s+be)?"
            for lead in (
                "will",
                "shall",
                r"going\s+to",
                r"would\s+like\s+to",
                r"wish\s+to",
                r"want\s+to",
                "can",
                *(rf"{verb}\s+(?:happy|pleased|glad)\s+to" for verb in ("am", "are", "is")),
            )
        ]
        + ["i['’]ll", "we['’]ll"]
        + [rf"{lead}(?:\s+now)?" for lead in (r"i\s+am", "i['’]m", r"we\s+are", "we['’]re")],
        boundary=True,
    )
    + r"\s+(?:offer|refund|issue|send|credit|replace|reimburse|process|arrange|provide|give|"
    r"dispatch|ship|correct|return|waive)\w*\b"
)
_GIVEN_END = re.compile(r"[.!?;:](?=\s|$)|,\s|\s(?:and|but|so|if|when|once)\s")
# Words that say it is done after all ("has been refunded", "we have already").
_DONE_SAID = re.compile(r"\b(?:have|has|had|we['’]ve|i['’]ve|already|was|were)\b")


def _quotes(clause: str, amount: str) -> bool:
    """Whether `clause` holds `amount` as written, not inside a longer figure ("10" is not
    in "10.5", "$100" or "2026-10-09")."""
    return re.search(rf"(?<![\w.,/-]){re.escape(amount)}(?![\w/-]|[.,]\d)", clause) is not None


def _same_amount(one: RemedyFacts, other: RemedyFacts) -> bool:
    """Whether two remedies carry one amount, in any notation ("15%", "15 percent")."""
    first, second = one.remedy.amount, other.remedy.amount
    if not first or not second:
        return False
    return (
        first.lower() == second.lower()
        or bool(one.amount_keys & other.amount_keys)
        or (one.bare is not None and one.bare == other.bare)
    )


def _named(done: RemedyFacts, clause: str, waiting: Sequence[RemedyFacts]) -> bool:
    """Whether `clause` names the done remedy by its amount or its kind ("refund",
    "credit"); a kind or an amount that a remedy in `waiting` (still to come) shares names
    neither ("€64.90" on a refund made and a credit offered)."""
    remedy = done.remedy
    amount = (remedy.amount or "").lower()
    # The words of a remedy to come, as the request gives them, name it alone: "15% off the
    # next order" does not name a call-back whose amount is "15%".
    for other in waiting:
        clause = clause.replace(other.remedy.description.lower().rstrip(" ."), " ")
    if any(_same_amount(done, other) for other in waiting):
        # The shared amount's words name nothing ("full refund" names no refund).
        for words in {amount, *((o.remedy.amount or "").lower() for o in waiting)} - {""}:
            clause = clause.replace(words, " ")
    elif amount and _quotes(clause, amount):
        return True
    shared = {other.remedy.kind for other in waiting}
    return remedy.kind not in ("other", "service", *shared) and remedy.kind in clause


def _listed_also_to_come(remedies: Sequence[RemedyFacts], done: list[int]) -> bool:
    """Whether a remedy the sentence names as done is listed again, in the same words, as
    offered or planned: the sentence to come is that listing's, as the request gives it."""

    def words(i: int) -> str:
        return " ".join(remedies[i].remedy.description.lower().split()).rstrip(" .")

    # Any listing to come counts: one that names no amount and no long word ("15% off the
    # next order.") is not found in the sentence by `mentions_remedy`.
    pending = [i for i, r in enumerate(remedies) if r.remedy.status != "done"]
    return any(
        remedies[i].remedy.kind == remedies[j].remedy.kind
        and (words(j) in words(i) or words(i) in words(j))
        for i in done
        for j in pending
    )


def done_as_future(draft: Draft) -> list[Finding]:
    """A sentence that tells a done remedy as still to come, and names no remedy that is
    not done."""
    supplied = draft.supplied
    if supplied is None or not any(r.remedy.status == "done" for r in supplied.remedies):
        return []
    text = draft.body
    found: list[Finding] = []
    seen: set[int] = set()
    for match in _TO_COME.finditer(text.low):
        start, end = text.sentences.bounds(match.start(), match.end())
        if start in seen:
            continue
        seen.add(start)
        sentence = text.low[start:end]
        if _DONE_SAID.search(sentence):
            continue
        # The verb and what it gives: its clause ("I will send one" gives a statement, not
        # the refund the sentence names before it).
        stop = _GIVEN_END.search(text.low, match.end(), end)
        clause_end = stop.start() if stop is not None else end
        clause = text.low[match.start() : clause_end]
        # A remedy is about the clause when it is mentioned, or its amount is quoted as the
        # request gives it ("full refund", which is not read as an amount).
        about = [
            i
            for i, r in enumerate(supplied.remedies)
            if mentions_remedy(text, match.start(), clause_end, r, by_kind=False)
            or (r.remedy.amount and _quotes(clause, r.remedy.amount.lower()))
        ]
        done = [i for i in about if supplied.remedies[i].remedy.status == "done"]
        if _listed_also_to_come(supplied.remedies, done):
            continue  # the request lists this remedy again as offered or planned
        waiting = [supplied.remedies[i] for i in about if i not in done]
        if not done or (
            len(about) > 1 and not any(_named(supplied.remedies[i], clause, waiting) for i in done)
        ):
            continue  # of several remedies, the done one is named only by shared words
        # One remedy: its sentence is said again as done. Several ("will be offering a refund
        # as well as a call"): the sentence goes, and salvage puts each remedy back as given
        # (each insert marked where the sentence ends, so the findings stay apart).
        single = len(about) == 1
        fixes = [
            (match.start(), match.end(), Fix(action="replace", fact=f"remedy:{about[0]}"))
            if single
            else (match.start(), match.end(), Fix(action="remove_sentence"))
        ]
        fixes += (
            [] if single else [(end, end, Fix(action="insert", fact=f"remedy:{i}")) for i in about]
        )
        found += [
            finding(
                DONE_AS_FUTURE,
                "error",
                "Tells a remedy that is already done as still to come or only offered.",
                text.text,
                at,
                stop,
                "Say that it has been done.",
                fix=fix,
            )
            for at, stop, fix in fixes
        ]
    return found


# --- terms added to a remedy ----------------------------------------------------------------

_PLACED = re.compile(
    _by_first(
        [
            "includ",
            "appl",
            "deduct",
            "credit",
            "add",
            "reflect",
            "show",
            "appear",
            "tak",
            "tok",
            "com",
            "set",
        ],
        boundary=True,
    )
    + r"\w*"
    r"(?:\s+(?:off|back))?\s+(?:in|on|to|from|against|off|onto)\s+(?:your|the|our)\s+"
    r"(?P<words>(?:[a-z]+\s+){0,2}?)(?P<noun>bill|invoice|statement|account|order|payment|"
    r"renewal|purchase|booking|subscription)s?\b"
)
_SOON = re.compile(
    _by_first(
        [
            "immediately",
            r"right\s+away",
            r"straight\s+away",
            r"at\s+once",
            r"as\s+soon\s+as\s+possible",
            "asap",
            r"without\s+delay",
            "automatically",
            "instantly",
            "shortly",
            "promptly",
            r"soon(?!\s+as\b)",
        ],
        boundary=True,
    )
    + r"\b"
)
# Each form above holds one of these, or "without" and "delay".
_SOON_WORDS = (
    "immediately",
    "away",
    "once",
    "asap",
    "automatically",
    "instantly",
    "shortly",
    "promptly",
    "soon",
)
_WORDS = re.compile(r"[a-z0-9]+")
_BACK_REFERENCE = re.compile(r"(?:this|it|that|these|they)\b")


def _request_words(request: DraftRequest) -> set[str]:
    incident = request.incident
    texts = [incident.summary, incident.cause or "", incident.impact or ""]
    for remedy in request.remedies:
        texts += [remedy.description, remedy.amount or "", remedy.date or ""]
    texts += [p.description for p in request.prevention]
    return set(_WORDS.findall(" ".join(texts).lower()))


def _request_low(request: DraftRequest) -> str:
    incident = request.incident
    texts = [incident.summary, incident.cause or "", incident.impact or ""]
    texts += [r.description for r in request.remedies] + [p.description for p in request.prevention]
    return " ".join(" ".join(texts).lower().split())


def _about_remedy(text: Text, start: int, end: int, draft: Draft) -> bool:
    supplied = draft.supplied
    assert supplied is not None
    if any(mentions_remedy(text, start, end, r) for r in supplied.remedies):
        return True
    return any(start <= a < end for spans in text.remedy_words.values() for a, _ in spans)


def added_terms(draft: Draft) -> list[Finding]:
    """Where or how soon a remedy is applied, when no remedy (nor the incident) says so."""
    supplied, request = draft.supplied, draft.context
    if supplied is None or request is None or not supplied.remedies:
        return []
    text = draft.body
    told = _request_low(request)
    found: list[Finding] = []
    spans: list[tuple[int, int, str]] = []
    words: set[str] | None = None
    for match in _PLACED.finditer(text.low):
        words = _request_words(request) if words is None else words
        wanted = set(_WORDS.findall(match.group("words"))) - {"the", "your", "our", "a", "an"}
        noun = match.group("noun")
        if noun == "account" and any(r.remedy.kind == "credit" for r in supplied.remedies):
            continue  # a credit is held on an account
        if not wanted <= words or not {noun, noun + "s"} & words:
            spans.append((match.start(), match.end(), "where it is applied"))
    soon = any(word in text.low for word in _SOON_WORDS) or (
        "without" in text.low and "delay" in text.low
    )
    for match in _SOON.finditer(text.low) if soon else ():
        if " ".join(match.group().split()) in told:
            continue
        start, end = text.sentences.bounds(match.start(), match.end())
        about = _about_remedy(text, start, end, draft)
        if not about and _BACK_REFERENCE.match(text.low, start) and start > 0:
            before = text.sentences.bounds(max(0, start - 2), max(0, start - 1))
            about = _about_remedy(text, before[0], before[1], draft)
        if about:
            spans.append((match.start(), match.end(), "how soon"))
    spans += _promised_outcomes(text, told, draft)
    if "accept" in text.low or "agree" in text.low or "take up" in text.low:
        for m in _CONDITION.finditer(text.low) if not _CONDITION_SAID.search(told) else ():
            spans.append((m.start(), m.end(), "a condition"))
            spans += _otherwise(text, m.end())
    for start, end, what in spans:
        if what == "a condition":
            found.append(
                finding(
                    ADDED_TERMS,
                    "error",
                    f"Makes a remedy wait on the reader ({text.text[start:end]}), which the "
                    "request did not ask.",
                    text.text,
                    start,
                    end,
                    "State the remedies as the request gives them.",
                    fix=Fix(action="remove_sentence"),
                )
            )
            continue
        if what == "what it brings":
            found.append(
                finding(
                    ADDED_TERMS,
                    "error",
                    f"Promises the reader an outcome ({text.text[start:end]}) that the request "
                    "did not give.",
                    text.text,
                    start,
                    end,
                    "State the remedies and steps in the request's own terms.",
                    fix=Fix(action="remove_sentence"),
                )
            )
            continue
        if what in ("at what cost", "what it covers"):
            span, fix = _tail_fix(text, start, end)
        else:
            span, fix = _clause_fix(text, start, end)
        at_end = re.match(r"\s*[.!?]", text.text[end:]) is not None
        if what == "how soon" and fix.action == "remove_sentence" and at_end and start > 0:
            span, fix = (start - 1, end), Fix(action="replace", text="")  # "... immediately."
        found.append(
            finding(
                ADDED_TERMS,
                "error",
                f"Adds to a remedy {what} ({text.text[start:end]}), which the request did not say.",
                text.text,
                *span,
                "State the remedy in the request's own terms.",
                fix=fix,
            )
        )
    return found


# An offer made to wait on the reader's word: "please confirm whether you are willing to
# accept this offer", "let us know if you would like to take up the offer".
_CONDITION = re.compile(
    r"\b(?:confirm|let\s+(?:me|us)\s+know|tell\s+(?:me|us))\s+(?:whether|if)\s+you\s+"
    r"(?:are\s+(?:willing|happy|able|prepared)\s+to\s+|would\s+like\s+to\s+|wish\s+to\s+|"
    r"want\s+to\s+)?(?:accept|take\s+up|agree\s+to)\s+(?:this|the|our|these|my)\s+"
    r"(?:offers?|proposal|terms|remedy|refund|credit|arrangement)\b"
)
# The branches for a reader who accepts or does not, opening the two sentences after the
# condition ("If so, please reply to this email. Otherwise, I will be happy to reschedule."):
# they go with the condition (the second is an offer of its own).
_OTHERWISE = re.compile(r"(?:otherwise|if\s+not|if\s+so|if\s+you\s+do)\b")


def _otherwise(text: Text, end: int) -> list[tuple[int, int, str]]:
    """The sentences opening with "If so" or "Otherwise" in the two after the condition that
    ends at `end`."""
    spans = text.sentences.spans
    after = [s for s in spans if s[0] >= end][:2]
    return [(a, m.end(), "a condition") for a, _ in after if (m := _OTHERWISE.match(text.low, a))]


# A request that itself asks the reader to accept or confirm the offer.
_CONDITION_SAID = re.compile(r"\b(?:accept|agree|confirm|take\s+up)")


# "This will ensure that you can enjoy ...", "It will allow you to ...": what a remedy or
# step will bring the reader, promised.
_OUTCOME = re.compile(
    _by_first(["this", "that", "it", "these", "which", "they"], boundary=True)
    + r"\s+(?:will|should|would|is\s+going\s+to|are\s+going\s+to)"
    r"\s+(?:also\s+|now\s+)?(?:ensure|allow|let|enable|guarantee|mean|make\s+sure|help\s+you)\b"
    r"[^.!?\n]*?\byou"
)
# Terms of cost: "without any additional charges", "at no extra cost", "free of charge".
_COST_TERMS = re.compile(
    _by_first(
        [
            r"without\s+(?:any\s+)?(?:additional\s+|extra\s+|further\s+)?(?:charges?|costs?|fees?)",
            r"at\s+no\s+(?:additional\s+|extra\s+|further\s+)?(?:charge|cost)",
            r"free\s+of\s+charge",
            r"with\s+no\s+(?:additional\s+|extra\s+|further\s+)?(?:charges?|costs?|fees?)",
        ],
        boundary=True,
    )
    + r"\b"
)


# What a remedy is said to be enough for: "which should be sufficient to cover any costs".
_SUFFICES = re.compile(
    r"\b(?:this|that|it|these|which|they)\s+(?:will|should|would|ought\s+to)\s+"
    r"(?:also\s+|now\s+)?be\s+(?:more\s+than\s+)?(?:sufficient|enough|adequate)\s+to\s+"
    r"(?:cover|compensate)\b[^.!?\n]*"
)


def _promised_outcomes(text: Text, told: str, draft: Draft) -> list[tuple[int, int, str]]:
    """Outcomes promised to the reader, what a remedy is said to cover, and terms of cost
    that no remedy gives; `told` is the request's texts as `_request_low` gives them."""
    spans: list[tuple[int, int, str]] = []
    if any(word in text.low for word in ("sufficient", "enough", "adequate")):
        spans += [(m.start(), m.end(), "what it covers") for m in _SUFFICES.finditer(text.low)]
    for match in _OUTCOME.finditer(text.low):
        if " ".join(match.group().split()) in told:
            continue
        spans.append((match.start(), match.end(), "what it brings"))
    supplied = draft.supplied
    assert supplied is not None
    for match in _COST_TERMS.finditer(text.low):
        start, end = text.sentences.bounds(match.start(), match.end())
        if " ".join(match.group().split()) in told or any(
            mentions_remedy(text, start, end, r) for r in supplied.remedies
        ):
            continue  # a remedy said to cost nothing: a prepaid label, a replacement
        spans.append((match.start(), match.end(), "at what cost"))
    return spans


_CLAUSE_START = re.compile(r",\s+(?:which|and|so|as)\b|\s+and\b")


def _clause_fix(text: Text, start: int, end: int) -> tuple[tuple[int, int], Fix]:
    """The span and fix that remove the clause holding the added terms (", which is now
    included in the next invoice"), or the whole sentence when the terms are in its main
    clause."""
    s_start, s_end = text.sentences.bounds(start, end)
    cut = None
    for clause in _CLAUSE_START.finditer(text.low, s_start, start):
        cut = clause
    if cut is not None and cut.start() > s_start:
        stop = s_end
        while stop > end and text.text[stop - 1] in ".!?":
            stop -= 1
        return (cut.start(), stop), Fix(action="replace", text="")
    return (start, end), Fix(action="remove_sentence")


# --- a cause, a consequence or a perk the request never gave --------------------------------

# A clause that gives a cause: "because (of)", "due to", "caused by", "the cause of this
# was ...". What follows it, up to the clause's end, is the cause told.
_CAUSE_CUE = re.compile(
    r"\b(?:because(?:\s+of)?|due\s+to|caused\s+by|owing\s+to|as\s+a\s+result\s+of|"
    r"result(?:ed|s)?\s+from|stemm(?:ed|ing|s)\s+from|brought\s+on\s+by|"
    r"(?:was|is)\s+(?:the\s+|a\s+)?(?:direct\s+)?result\s+of|"
    r"the\s+(?:root\s+)?(?:cause|reason)\s+(?:(?:of|for|behind)\s+[^.!?,;]{0,40}?\s+)?"
    r"(?:was|is|has|had|remains)(?:\s+(?:not|still))?(?:\s+yet)?(?:\s+been)?)\s+"
)
# Each cue above holds one of these: a letter with none of them gives no cause.
CAUSE_CUE = ("because", "due", "owing", "result", "stemm", "brought", "cause", "reason")
"""`invented_cause`'s cue (see `checker.Rule.cue`): every `_CAUSE_CUE` match holds one."""
# Where the told cause (or consequence) ends: a sentence end, a clause break, "and"/"but".
_TOLD_END = re.compile(r"[.!?;:](?=\s|$)|,\s|\s(?:and|but|so|which|while|although)\s|\n")
# Words that own the failure without naming a cause ("due to an error on our part").
_GENERIC = frozenset(
    word[:5]
    for words in (
        "error mistake oversight fault failure issue problem incident situation part side",
        "end lapse slip inconvenience delay late lateness this that what happened our own",
        "system systems process team internal human ours mine entirely fully whole alone",
    )
    for word in words.split()
)


def _incident_stems(request: DraftRequest) -> set[str]:
    incident = request.incident
    return stems(" ".join(f for f in (incident.summary, incident.cause, incident.impact) if f))


def _all_stems(request: DraftRequest) -> set[str]:
    texts = [r.description for r in request.remedies] + [p.description for p in request.prevention]
    return _incident_stems(request) | stems(" ".join(texts))


def _told_clause(low: str, start: int, limit: int) -> int:
    stop = _TOLD_END.search(low, start, limit)
    return stop.start() if stop is not None else limit


def _unknown(told: str, known: set[str]) -> set[str]:
    """The content stems of `told` that neither `known` nor the generic words of owning a
    failure hold; empty when `told` says nothing of its own."""
    return stems(told) - known - _GENERIC


def _tail_fix(text: Text, start: int, end: int) -> tuple[tuple[int, int], Fix]:
    """Cut a trailing clause that starts after a comma and runs to the sentence's end
    (", due to a fault at the depot"); otherwise remove the sentence."""
    s_start, s_end = text.sentences.bounds(start, end)
    stop = s_end
    while stop > s_start and text.text[stop - 1] in ".!?\n ":
        stop -= 1
    before = text.text[s_start:start].rstrip()
    if end >= stop and before.endswith(",") and len(before) > 20:
        cut = s_start + len(before) - 1
        return (cut, stop), Fix(action="replace", text="")
    return _clause_fix(text, start, end)


def invented_cause(draft: Draft) -> list[Finding]:
    """A cause given for the incident that the request does not give: a "because ...",
    "due to ...", "the cause was ..." clause whose words are mostly not the incident's (nor
    a remedy's or step's), or a cause ("not confirmed", "still under review") when the
    request gives none."""
    request, text = draft.context, draft.body
    if request is None:
        return []
    known = _all_stems(request)
    found: list[Finding] = []
    starts: list[int] = []  # of the findings so far, in order
    for match in _CAUSE_CUE.finditer(text.low):
        least = match.start() - SENTENCE_REACH  # where this or a later finding starts
        if len(starts) >= MAX_PER_RULE and least > starts[MAX_PER_RULE - 1]:
            break  # every later finding starts after the first ones, which the report keeps
        _, s_end = text.sentences.bounds(match.start(), match.end())
        end = _told_clause(text.low, match.end(), s_end)
        told = text.low[match.end() : end]
        if told.startswith(("you", "your")):
            continue  # "because of your message": why we act, not why it happened
        unknown = _unknown(told, known)
        if not unknown or len(unknown) * 2 < len(stems(told) - _GENERIC):
            continue
        span, fix = _tail_fix(text, match.start(), end)
        insort(starts, span[0])
        found.append(
            finding(
                INVENTED_CAUSE,
                "error",
                f'Gives a cause ("{text.text[match.start() : end]}") that the request does not '
                "give.",
                text.text,
                *span,
                "State the cause only as the request gives it, or leave it out.",
                fix=fix,
            )
        )
    return found


# What the incident did to the reader, told about them: "it prevented you from ...", "you
# were unable to ...", "left you without ...". `_INABILITY_FORMS` say the reader could not
# do what follows. (Each form starts with its first letter, see `_by_first`: a pattern that
# starts with a boundary is tried at every position of the letter.)
_INABILITY_FORMS = [
    *(
        rf"{verb}\w*\s+you\s+from"
        for verb in ("prevent", "stopp?", "kept", "keep", "bar", "hinder")
    ),
    *(rf"{verb}\s+you\s+(?:unable\s+to|without)" for verb in ("left", "leaving", "leave")),
    r"you\s+(?:were|are|have\s+been|was)\s+(?:unable|not\s+able)\s+to",
    r"you\s+(?:could\s+not|couldn['’]t|cannot|can['’]t)",
    r"made\s+it\s+impossible\s+for\s+you\s+to",
]
_HARM_AFTER = (
    r"(?=\s+(?:\w+\s+){0,5}?(?:disappointment|embarrassment|stress|distress|frustration|"
    r"anxiety|upset|hardship|loss|damage|harm|difficult\w*|problems|trouble|missed|"
    r"worry|concern|confusion))"
)
_CONSEQUENCE = re.compile(
    _by_first(
        _INABILITY_FORMS
        + [rf"{verb}(?:ed|ing)\s+you\s+to" for verb in ("caus", "forc")]
        + [
            rf"{lead}(?:\s+you)?{_HARM_AFTER}"
            for lead in (r"caus(?:ed|ing)", r"le(?:d|ading)\s+to", r"result(?:ed|ing)\s+in")
        ],
        boundary=True,
    )
    + r"\s+"
)
# A `_CONSEQUENCE` match that starts with this is an inability.
_INABILITY = re.compile(rf"(?:{'|'.join(_INABILITY_FORMS)})\s+")
_NEGATION = re.compile(
    r"\b(?:not|no|never|unable|without|cannot|couldn['’]t|didn['’]t|wasn['’]t|can['’]t|"
    r"won['’]t|don['’]t|doesn['’]t|isn['’]t|aren['’]t|n['’]t)\b"
)
_WORD = re.compile(r"[a-z]+")
# How the reader may have felt: empathy, not a claim about what happened.
_FEELINGS = frozenset(
    w[:5]
    for words in (
        "disappointment disappointing frustration frustrating stress stressful distress upset",
        "anxiety worry concern confusion embarrassment great deal some much real lot",
    )
    for w in words.split()
)


def _root(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _affirmed(verb: str, incident: str) -> bool:
    """Whether the incident's own words say the reader did `verb` ("he had to find another
    suit"): the word occurs, and never with a negation in the few words before it. A word
    of the same root used elsewhere ("the hearing aid") does not outweigh the incident
    saying the reader could not do it ("I can't hear my grandchildren")."""
    root = _root(verb)
    seen = False
    for match in _WORD.finditer(incident):
        if _root(match.group()) == root:
            before = incident[max(0, match.start() - 30) : match.start()]
            if _NEGATION.search(before) is not None:
                return False
            seen = True
    return seen


def invented_impact(draft: Draft) -> list[Finding]:
    """What the incident did to the reader, told in words the request's impact does not
    give ("it prevented you from enjoying your holiday" when no impact says so) or turned
    against it ("it prevented you from finding another suit" when the reader had to find
    one)."""
    request = draft.context
    if request is None:
        return []
    text = draft.body
    found: list[Finding] = []
    matches = list(_CONSEQUENCE.finditer(text.low))
    if matches:
        incident = request.incident
        fields = (incident.summary, incident.cause, incident.impact)
        told_low = " ".join(f.lower() for f in fields if f)
        known = _incident_stems(request) | stems(" ".join(r.description for r in request.remedies))
    for match in matches:
        if " ".join(match.group().split()) in told_low:
            continue  # the caller's own words
        _, s_end = text.sentences.bounds(match.start(), match.end())
        end = _told_clause(text.low, match.end(), s_end)
        told = text.low[match.end() : end]
        content = stems(told) - _GENERIC - _FEELINGS
        unknown = _unknown(told, known) - _FEELINGS
        first = _WORD.match(told)
        contradicted = (
            _INABILITY.match(text.low, match.start()) is not None
            and first is not None
            and _affirmed(first.group(), told_low)
        )
        invented = bool(unknown) and len(unknown) * 2 >= len(content)
        if not (contradicted or invented):
            continue
        span, fix = _clause_fix(text, match.start(), end)
        what = "turns the request's impact around" if contradicted else "is not in the request"
        found.append(
            finding(
                INVENTED_IMPACT,
                "error",
                f'Tells what the incident did to the reader ("{text.text[match.start() : end]}"), '
                f"which {what}.",
                text.text,
                *span,
                "Tell the impact only as the request gives it.",
                fix=fix,
            )
        )
    return found + _totals(text, request)


# "a total of $39.99", "$80 in total": an amount told as a sum.
_TOTAL = re.compile(
    r"\b(?:(?:a|the|in)\s+total\s+(?:of\s+|amount\s+of\s+)?|totall?ing\s+)(?=[$€£¥]?\d)"
    r"|(?<=\d)\s+(?:in\s+total|altogether|combined)\b"
)
# Each form above holds one of these.
_TOTAL_WORDS = ("total", "altogether", "combined")


def _totals(text: Text, request: DraftRequest) -> list[Finding]:
    """An amount told as a total when the request speaks of no total ("charged twice, which
    resulted in a total of $39.99" for a second charge of $39.99)."""
    if not any(word in text.low for word in _TOTAL_WORDS):
        return []
    given = _request_text(request)
    if "total" in given or "altogether" in given:
        return []
    found = []
    for match in _TOTAL.finditer(text.low):
        span, fix = _clause_fix(text, match.start(), match.end())
        found.append(
            finding(
                INVENTED_IMPACT,
                "error",
                "Tells an amount as a total, which the request does not.",
                text.text,
                *span,
                "Give each amount as the request gives it.",
                fix=fix,
            )
        )
    return found


# Something given to the reader: an offer frame, or a perk held as theirs ("your late
# checkout"). A perk the request's remedies do not name is invented.
_OFFER_FRAME = re.compile(
    r"\b(?:(?:offer(?:ed|ing)?|give|giving|gave|provid(?:e|ed|ing)|extend(?:ed|ing)?|"
    r"treat(?:ed|ing)?|arrang(?:e|ed|ing)|enjoy|receive|get|sen[dt]|sending|waiv(?:e|ed|ing)|add(?:ed|ing)?|reserv(?:e|ed|ing)|includ(?:e|ed|ing))"
    r"\s+(?:you\s+)?(?:with\s+)?(?:(?:a|an|some|your|the)\s+)?)"
)
# (Each alternative starts with its first letter, see `_by_first`: a pattern that starts
# with a boundary is tried at every position of the letter.)
_PERKS = re.compile(
    _by_first(
        split_top(
            r"late\s+check-?out|early\s+check-?in|room\s+upgrade|seat\s+upgrade|class\s+upgrade|"
            r"upgrade|lounge\s+access|priority\s+(?:boarding|booking|access|support|service|visit)|"
            r"loyalty\s+points|bonus\s+points|points|gift\s+(?:basket|box|hamper|set)|"
            r"bottle\s+of\s+(?:champagne|wine|prosecco)|champagne|spa\s+(?:treatment|session|"
            r"voucher|credit)|breakfast|dinner\s+on\s+us|free\s+(?:shipping|delivery|parking|"
            r"month|months|session|sessions|class|classes|drink|drinks|dessert|meal)|parking|"
            r"extended\s+warranty|warranty\s+extension|extra\s+(?:night|day|month|week|session)|"
            r"delivery\s+fees?|shipping\s+fees?|service\s+fees?|booking\s+fees?|"
            r"cancellation\s+fees?|late\s+fees?|admin\w*\s+fees?|membership\s+fees?"
        ),
        boundary=True,
    )
    + r"\b"
)
# Words around a perk that make it a gift: "a bottle of wine as a token of our apology".
_GIFT_AFTER = re.compile(
    r"\s+(?:as\s+(?:a\s+)?(?:token|gesture|gift|thank)|by\s+way\s+of|on\s+us\b|"
    r"on\s+the\s+house|to\s+make\s+(?:up|amends)|free\s+of\s+charge|at\s+no\s+)"
)
_HELD = re.compile(r"\b(?:your|for\s+you)\s+(?:[a-z-]+\s+){0,2}?\Z")
_OF_YOURS = re.compile(r"\s+(?:of|for|on)\s+your\b")


def invented_perk(draft: Draft) -> list[Finding]:
    """A perk (an upgrade, a late checkout, points, a free month...) offered or held as the
    reader's that no remedy names."""
    request = draft.context
    text = draft.body
    perks = list(_PERKS.finditer(text.low)) if request is not None else []
    if request is None or not perks:
        return []
    remedies = [f"{r.description} {r.amount or ''}".lower() for r in request.remedies]
    remedy_stems = [stems(r) for r in remedies]
    incident = request.incident
    story = " ".join(
        " ".join(f.split()).lower()
        for f in (incident.summary, incident.cause, incident.impact, incident.customer_message)
        if f
    )
    found: list[Finding] = []
    for match in perks:
        perk = " ".join(match.group().split())
        wanted = stems(perk)
        if any(perk in r for r in remedies) or any(wanted and wanted <= r for r in remedy_stems):
            continue  # one remedy names it
        if re.search(rf"\b{re.escape(perk)}\b", story):
            continue  # the incident's own thing ("we sent you a parking fine"), not a gift
        s_start, _ = text.sentences.bounds(match.start(), match.end())
        before = text.low[max(s_start, match.start() - 60) : match.start()]
        offered = _OFFER_FRAME.search(before) is not None and not _NEGATION.search(before)
        held = _HELD.search(before) is not None or _OF_YOURS.match(text.low, match.end())
        gift = _GIFT_AFTER.match(text.low, match.end()) is not None
        if not (offered or held or gift):
            continue
        supplied = draft.supplied
        if supplied is not None and _states_a_remedy(text, match.start(), match.end(), supplied):
            continue  # "1,000 points" for a remedy of 1,000: the remedy, in other words
        found.append(
            finding(
                INVENTED_PERK,
                "error",
                f'Gives the reader something ("{text.text[match.start() : match.end()]}") that '
                "no remedy in the request names.",
                text.text,
                match.start(),
                match.end(),
                "Offer only the remedies the request gives.",
                fix=Fix(action="remove_sentence"),
            )
        )
    return found


# A phone number, e-mail address or web address: the reader will use it, so it must be the
# request's own.
# A phone number's digits never run across a line or a sentence break ("8830. 500").
_CONTACT = re.compile(
    r"(?<![\w@.])(?:\+?\(?\d(?:[\d \t()-]|\.(?!\s)){5,}\d(?![\w-])|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"
    r"https?://[^\s<>\"]+|www\.[^\s<>\"]+)"
)
_DIGITS = re.compile(r"\d")
# What a phone number above holds.
_PHONE_RUN = re.compile(r"\d(?:[\d \t()-]|\.(?!\s)){5,}\d")


def _may_give_contact(text: str) -> bool:
    """Whether `text` holds what each form of `_CONTACT` holds: an "@", a web address or
    a run of digits as long as a phone number's."""
    return "@" in text or "http" in text or "www." in text or _PHONE_RUN.search(text) is not None


def _request_text(request: DraftRequest) -> str:
    return request.model_dump_json().lower()


def invented_contact(draft: Draft) -> list[Finding]:
    """A phone number, e-mail or web address that the request does not give."""
    request = draft.context
    if request is None:
        return []
    matches = [
        (t, match)
        for t in draft.texts
        if _may_give_contact(t.text)
        for match in _CONTACT.finditer(t.text)
    ]
    if not matches:
        return []
    given = _request_text(request)
    digits = "".join(_DIGITS.findall(given))
    found: list[Finding] = []
    for checked, match in matches:
        value = match.group().rstrip(".,;:!?)")
        if "@" not in value and "/" not in value and not value.startswith("www"):
            number = "".join(_DIGITS.findall(value))
            if len(number) < 7 or number in digits:
                continue  # a date, an amount, a reference: not a phone number
        elif value.lower() in given:
            continue
        found.append(
            finding(
                INVENTED_CONTACT,
                "error",
                f"Gives contact details ({value}) that the request does not give.",
                checked.text,
                match.start(),
                match.start() + len(value),
                "Give only the contact details in the request.",
                checked.field,
                Fix(action="remove_sentence"),
            )
        )
    return found
