"""The caller's own words, made ready for the letter without changing what they say.

Callers type fields every way people type: noun phrases ("a sorting fault"), clauses ("our
courier left it at number 14"), full sentences with their period, questions, instructions
("Add an alert when a batch runs twice."), participle phrases ("left on hold for an hour"),
the customer's own first person ("I missed my father's lunch"), ALL CAPS, all lower case.
`Phrase` reads one field once: its case tamed, the reader's third-person and the customer's
first-person words turned into "you", and its shape named, so that each sentence of ours
can pick a frame that fits it. The shape rules for noun phrases and clauses are in `shapes`;
the "you" rules in `person`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from service.composer.person import is_honorific
from service.composer.phrases import PHRASES_DIR, proper_tables
from service.composer.shapes import DETERMINERS, read
from service.composer.shapes import word_set as _words

# Words that may start a caller's phrase and are safe to lower-case mid-sentence; anything
# else (a product or a person's name) keeps its capital.
LOWERABLE = _words(
    "a an the your you our we this that these those it its some several one two three four "
    "five there their they after before during when while because due since he she his her "
    "every each all any around both no another"
)
_MASS_NOUNS = _words(
    "shipping delivery support access training onboarding help credit assistance priority "
    "express expedited compensation"
)
_MEALS = _words("lunch dinner breakfast cover childcare transport")
"""Said bare after a verb: "arrange lunch for your team", "offer you cover for a shift"."""
_QUESTION_WORDS = _words("why how")
# Base forms a caller starts an instruction with ("Call the customer back", "Add an alert").
INSTRUCTION_VERBS = {
    "add": "added",
    "arrange": "arranged",
    "book": "booked",
    "call": "called",
    "cancel": "cancelled",
    "check": "checked",
    "confirm": "confirmed",
    "contact": "contacted",
    "credit": "credited",
    "email": "emailed",
    "extend": "extended",
    "fix": "fixed",
    "give": "given",
    "install": "installed",
    "introduce": "introduced",
    "make": "made",
    "move": "moved",
    "offer": "offered",
    "pay": "paid",
    "phone": "phoned",
    "refund": "refunded",
    "reinstate": "reinstated",
    "remove": "removed",
    "replace": "replaced",
    "reset": "reset",
    "restore": "restored",
    "retrain": "retrained",
    "review": "reviewed",
    "ring": "rung",
    "send": "sent",
    "set": "set",
    "ship": "shipped",
    "train": "trained",
    "update": "updated",
    "upgrade": "upgraded",
    "waive": "waived",
}
_PARTICIPLE_START = _words(
    "left charged sent given told kept made put moved asked billed overcharged stranded "
    "double-charged disconnected cut switched turned refused denied"
)
_CALENDAR = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
    r"april|june|july|august|september|october|november|december|"
    # Holidays are names too: "right before christmas" -> "Christmas".
    r"christmas|easter|hanukkah|diwali|ramadan|thanksgiving|halloween)\b"
)
_BESIDE_NUMBER = re.compile(r"\d\s+march\b|\bmarch\s+\d")
_FIRST_PERSON = re.compile(r"\b(I|me|my|mine|myself|I'm|I've|I'd|I'll)\b|\bi\b|\bi'm\b")
_CUSTOMER_FORMS = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
}
_FIRST_VERB = {"am": "are", "was": "were", "wasn't": "weren't"}
# The customer's "you" is the business: "I bought your travel pass" -> "our travel pass".
_BUSINESS_FORMS = {"your": "our", "yours": "ours", "you": "us"}
_SUBJECT_YOU = {"you": "we", "you're": "we're", "you've": "we've", "you'd": "we'd"}


@lru_cache(maxsize=4096)
def shouted(text: str) -> bool:
    """Whether a phrase was typed in capitals ("I WAS CHARGED 500$ FOR ROAMING")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 6 and sum(c.isupper() for c in letters) / len(letters) > 0.8


@lru_cache(maxsize=1)
def _known_case() -> tuple[dict[str, str], re.Pattern[str]]:
    """Place names and acronyms a shouted phrase keeps in their own case (proper.yaml)."""
    table: dict[str, str] = {}
    for part in proper_tables().values():
        table.update(part)
    keys = sorted(table, key=len, reverse=True)
    return table, re.compile(r"\b(" + "|".join(re.escape(k) for k in keys) + r")\b")


@lru_cache(maxsize=1)
def _place_after() -> re.Pattern[str]:
    """A known place typed in lower case right after "to", "from" or "in" ("fly to lagos").
    proper.yaml's places leave out names that are also words (Nice, Reading, Turkey)."""
    keys = sorted(proper_tables().get("places", {}), key=len, reverse=True)
    return re.compile(r"\b(to|from|in) (" + "|".join(re.escape(k) for k in keys) + r")\b")


def recase(text: str, known: dict[str, str]) -> str:
    """`text` with each word (lower-case key) of `known` in its own case."""
    if not known:
        return text
    return re.sub(r"[A-Za-z][\w'’-]*", lambda m: known.get(m.group(0).lower(), m.group(0)), text)


_APOSTROPHE = re.compile(
    r"\b(?:(was|were|is|are|did|do|does|has|have|had|could|should|would|ca|wo)nt|(i)m|(i)ve|"
    r"(you|they)re|(that|what|there|tonight|today|yesterday|tomorrow)s)\b",
    re.IGNORECASE,
)


def _with_apostrophe(m: re.Match[str]) -> str:
    """A contraction typed without its apostrophe, given one: "wasnt" -> "wasn't"."""
    word = m.group(0)
    cut = {"nt": 2, "m": 1, "ve": 2, "re": 2, "s": 1}
    for suffix, size in cut.items():
        if word.lower().endswith(suffix):
            return word[:-size] + "'" + word[-size:] if suffix != "nt" else word[:-2] + "n't"
    return word


# A phrase typed in capitals loses the capitals of names no list can hold ("THE 07:40
# SAILING TO KIRKWALL", "THE APPLICATION FOR PLOT 4"). Two shapes say a word is a name:
# a numbered label ("plot 4", "gate 12", "platform 3") and the place a journey goes to or
# from ("sailing to kirkwall", "flight from san jose"), up to the first ordinary word.
_LABELLED = re.compile(
    r"\b(plot|gate|platform|terminal|bay|block|unit|flat|suite|ward|pier|berth|stand|zone|"
    r"phase|lot|dock|hangar|studio|lane)(?=\s+\d+[a-z]?\b)"
)
_JOURNEY = re.compile(
    r"\b(?:sailing|sailings|ferry|ferries|crossing|flight|flights|train|trains|bus|buses|coach|"
    r"connection|journey|trip|shuttle|boat|cruise)"
    r"\s+(?:(?:\d{1,2}[:.]\d{2}\s+)?(?:to|from)\s+)(?P<place>(?:[a-z][a-z'-]*\s*){1,3})"
)
_NOT_PLACE = _words(
    "the a an our your their my his her its this that was were is are has had have "
    "got and or but on at in by for with without via from to of after before during "
    "due left arrived departed cancelled canceled delayed diverted late early "
    "yesterday today tomorrow tonight this morning evening night never didn't did not "
    "work school home hospital town city centre center airport station office shops "
    "church college university hotel port harbour mainland island coast"
)


def _shouted_names(text: str) -> str:
    text = _LABELLED.sub(lambda m: m.group(1).capitalize(), text)

    def place(m: re.Match[str]) -> str:
        words = m.group("place").split()
        named: list[str] = []
        for word in words:
            if word in _NOT_PLACE:
                break
            named.append(word)
        if not named:
            return m.group(0)
        head = m.group(0)[: m.start("place") - m.start()]
        rest = m.group("place")[len(" ".join(named)) :]
        return head + " ".join(w.capitalize() for w in named) + rest

    return _JOURNEY.sub(place, text)


_INTERJECTION = re.compile(r"^(?:omg|wtf|ugh|wow|seriously|honestly|lol)\b[,!.]*\s*", re.I)
_FILLER = re.compile(r"\s+(?:literally|totally)\b(?=\s)", re.IGNORECASE)
_SPLICE = re.compile(r"(\w{3,}), (?=(?:you|I|we|they|he|she) [a-z]+ed\b)")


def _calm(text: str) -> str:
    """A customer's outburst told in a letter's voice: no "OMG" or "literally", no "!!"
    (a question keeps its mark), and a comma splice joined ("my hair is orange, I asked
    for ash blonde" -> "..., and I asked for ...")."""
    text = _INTERJECTION.sub("", text)
    text = _FILLER.sub("", text)
    text = re.sub(r"\?[!?]+$", "?", text)
    text = re.sub(r"!+$", ".", text)
    if text.count(",") == 1:
        text = _SPLICE.sub(r"\1, and ", text)
    return text


_CAPITALS = re.compile(r"\b[A-Z]{2,}\b")
_STRESSED = re.compile(r"\b[A-Z]{4,}\b")
_VOWEL = re.compile(r"[AEIOUY]")


@lru_cache(maxsize=1)
def _ordinary_words() -> frozenset[str]:
    """The words our own letters use (the phrase banks, less proper.yaml): ordinary English
    words, never an acronym such as "SAML" or "NASA"."""
    text = " ".join(
        (PHRASES_DIR / name).read_text(encoding="utf-8")
        for name in ("letter.yaml", "words.yaml", "topics.yaml")
    )
    return frozenset(re.findall(r"[a-z]{4,}", text.lower()))


def _unstressed(text: str) -> str:
    """Words typed in capitals for stress in a phrase otherwise in ordinary case, in lower
    case: a phrase that is that word alone ("OUTAGE", "LATE."), unless it is a known acronym
    or has no vowel ("HMRC", "GDPR"); inside a phrase ("the flight was LATE again", "a node
    FAILED", "the WRONG TIN"), each word that reads as an ordinary word: one our own letters
    use, or its stem, a past or "-ing" form, or a short stress word ("NOT"), so "the SAML
    certificate" and "the TIN" keep their acronyms."""
    capitals = _CAPITALS.findall(text)
    if not capitals:
        return text
    table, _ = _known_case()
    if len(capitals) == 1 and _STRESSED.fullmatch(capitals[0]):
        word = capitals[0]
        alone = not re.sub(r"[\s.!?]", "", text.replace(word, "", 1))
        if alone:
            if word.lower() in table or not _VOWEL.search(word):
                return text
            return _STRESSED.sub(lambda m: m.group(0).lower(), text, count=1)
    lowered = {w for w in capitals if _ordinary_capitals(w, table)}
    if not lowered:
        return text
    return _CAPITALS.sub(
        lambda m: m.group(0).lower() if m.group(0) in lowered else m.group(0), text
    )


_STRESS_WORDS = _words("NOT ALL ANY NOW NEW OLD BAD WAS HAD HAS DID TWO YOU OUR AND BUT TOO OFF")
"""Three-letter words typed in capitals for stress ("we did NOT"), never acronyms."""
_INFLECTED = re.compile(r"[A-Z]{3,}(?:ED|ING|LY)")


def _ordinary_capitals(word: str, table: dict[str, str]) -> bool:
    """Whether a word in capitals inside a mixed-case phrase is an ordinary word typed for
    stress rather than an acronym (see `_unstressed`)."""
    if word in _STRESS_WORDS:
        return True
    low = word.lower()
    if len(word) < 4 or low in table or not _VOWEL.search(word):
        return False
    ordinary = _ordinary_words()
    stems = {low, low.removesuffix("s"), low.removesuffix("ed"), low.removesuffix("d")}
    return bool(stems & ordinary) or _INFLECTED.fullmatch(word) is not None


_TIME_OF_DAY = re.compile(
    r"^\d{1,2}(?:[:.]\d\d)?(?:AM|PM)\b|^\d+(?:[.,]\d+)?(?:MM|CM|KM|KG|MG|ML)\b"
)
"""A time of day or a measure typed in capitals ("7AM", "40MM"): no code, lowered."""


_TEXTSPEAK = {"u": "you", "ur": "your", "pls": "please", "plz": "please", "thx": "thanks"}
_SHORT_DAYS = {"tues": "Tuesday", "weds": "Wednesday", "thurs": "Thursday"}
_TEXT_WORD = re.compile(r"(?<![\w'’.-])(" + "|".join([*_TEXTSPEAK, *_SHORT_DAYS]) + r")(?![\w'’-])")
"""A word typed as in a text message ("ur latest bag", "like u asked", "next tues"), in
lower case: a letter spells it out."""


def spelled_out(text: str) -> str:
    """Text-message words spelled out: "ur latest bag" -> "your latest bag", "next tues" ->
    "next Tuesday"."""
    return _TEXT_WORD.sub(lambda m: {**_TEXTSPEAK, **_SHORT_DAYS}[m.group(1)], text)


def calendar_case(text: str) -> str:
    """A date typed in lower case, with its day and month names capitalised ("by thursday"
    -> "by Thursday"); "march" only beside a number."""
    text = spelled_out(text)
    return _CALENDAR.sub(
        lambda m: (
            m.group(0)
            if m.group(0) == "march"
            and not _BESIDE_NUMBER.search(text[max(0, m.start() - 4) : m.end() + 4])
            else m.group(0).capitalize()
        ),
        text,
    )


def tame_case(text: str) -> str:
    """A phrase typed in capitals reads in ordinary case; a lone lower-case "i" becomes "I".
    Words with a digit (codes, model numbers), known place names and acronyms keep their
    capitals ("roaming in Canada after a SIM swap")."""
    text = " ".join(text.split())
    if shouted(text):
        words = [w if any(c.isdigit() for c in w) else w.lower() for w in text.split(" ")]
        # "AT 7AM" -> "at 7am", "40MM" -> "40mm": a time of day or a measure is no code.
        words = [_TIME_OF_DAY.sub(lambda m: m.group(0).lower(), w) for w in words]
        text = _CALENDAR.sub(lambda m: m.group(0).capitalize(), " ".join(words))
        table, pattern = _known_case()
        text = pattern.sub(lambda m: table[m.group(1)], text)
        text = _shouted_names(text)
    else:
        text = _unstressed(text)
        places = proper_tables().get("places", {})
        text = _place_after().sub(lambda m: f"{m.group(1)} {places[m.group(2)]}", text)
        # "all day tuesday", "by 3 june": a day or month typed in lower case is a name.
        # "march" is one only beside a number ("12 march"); alone it may be the verb.
        text = calendar_case(text)
    text = _calm(text)
    text = _APOSTROPHE.sub(_with_apostrophe, text)  # "he wasnt covered" -> "wasn't"
    text = re.sub(r"([?!])\.", r"\1", text)  # "charged twice?." -> "charged twice?"
    text = re.sub(r"\bi\b(?!\.)", "I", text)
    return re.sub(r"\bi(?=['’](m|ve|d|ll)\b)", "I", text)


def first_person(text: str) -> bool:
    """Whether the phrase speaks as "I" ("I missed my lunch", "my flight")."""
    return bool(_FIRST_PERSON.search(tame_case(text)))


def addresses_reader(text: str, *, possessive: bool = True) -> bool:
    """Whether the phrase already speaks to the reader ("I didn't send you the results").
    Without `possessive`, "your" alone does not count: a customer writes "I bought your
    travel pass" to the business."""
    words = r"you|your|yours" if possessive else r"you"
    return bool(re.search(rf"\b({words})\b", text, re.IGNORECASE))


_BUSINESS_ACTS = re.compile(
    r"\byou(?:\s+have|'ve)?\s+(?:just\s+|still\s+|also\s+|then\s+)?(?:charged|billed|overcharged|"
    r"double-charged|ignored|refused|deleted|blocked|froze|suspended|damaged|messed|overbooked)\b",
    re.IGNORECASE,
)
_PLURAL_FORMS = {
    "we": "you",
    "us": "you",
    "our": "your",
    "ours": "yours",
    "ourselves": "yourselves",
    "we're": "you're",
    "we've": "you've",
    "we'd": "you'd",
    "we'll": "you'll",
}


def customer_plural(text: str) -> bool:
    """Whether the phrase is a customer's own "we" writing to the business as "you"
    ("YOU CHARGED OUR TEAM FOR 40 SEATS WHEN WE ONLY HAVE 12")."""
    # Staff writing about the customer say "your" ("the print you sent to your sister").
    if re.search(r"\byours?\b", text, re.IGNORECASE):
        return False
    return bool(_BUSINESS_ACTS.search(text)) and bool(
        re.search(r"\b(?:we|our|us|ours)\b", text, re.IGNORECASE)
    )


_DONE_TO_THEM = re.compile(
    r"\b(?:we|we've|we have)\s+(?:were|been|got)\s+(?:just\s+|then\s+|all\s+|both\s+)?"
    r"(?:put|left|stranded|charged|overcharged|double-charged|billed|ignored|refused|denied|"
    r"bumped|seated|stuck|turned|forced|treated|placed|hung|cut|kept|abandoned|"
    r"moved|squeezed|shouted|misled|lied)\b",
    re.IGNORECASE,
)
_NOBODY_US = re.compile(
    r"\b(?:nobody|no\s+one|no-one|noone|not\s+one\s+person)\b[^.!?]{0,60}?\b(?:us|our)\b",
    re.IGNORECASE,
)


def customer_we(text: str) -> bool:
    """Whether the phrase is the customer's own "we", told about the business in the third
    person: something done to them ("we were put in a bay with no view", "we were left on
    the platform") or left undone by nobody ("nobody told us", "no one came to help us").
    Staff tell what the business did as "we" acting ("we sent the wrong size"), never as
    "we were left" or "nobody told us"; a phrase that speaks to "you" is staff's."""
    if re.search(r"\byours?\b", text, re.IGNORECASE):
        return False
    return bool(_DONE_TO_THEM.search(text) or _NOBODY_US.search(text))


def customer_to_reader(text: str, *, plural: bool = False) -> str:
    """The customer's own first person as the letter's "you": "I missed my lunch" ->
    "you missed your lunch", "I was told" -> "you were told"; with `plural`, their "we"
    too ("you charged our team" -> "we charged your team")."""
    forms = {**_CUSTOMER_FORMS, **_PLURAL_FORMS} if plural else _CUSTOMER_FORMS
    words = list(re.finditer(r"[A-Za-z']+", text))
    parts: list[str] = []
    last = 0
    for i, match in enumerate(words):
        word = match.group(0)
        low = word.lower()
        new: str | None = None
        if low in _BUSINESS_FORMS or low in _SUBJECT_YOU:
            prev = words[i - 1].group(0).lower() if i > 0 else ""
            subject = i == 0 or prev in ("and", "but", "because", "so", "when", "then", "that")
            # "... and your driver says": a possessive after "and" is still the business's.
            new = (_SUBJECT_YOU.get(low) if subject else None) or _BUSINESS_FORMS.get(low)
            if new and word[:1].isupper():
                new = new[:1].upper() + new[1:]
        elif low in forms:
            new = forms[low]
            if word[:1].isupper() and match.start() == 0:
                new = new[:1].upper() + new[1:]
        elif low in _FIRST_VERB and i > 0 and words[i - 1].group(0).lower() == "i":
            new = _FIRST_VERB[low]
        if new is not None:
            parts += [text[last : match.start()], new]
            last = match.end()
    return "".join(parts) + text[last:]


def mid(text: str) -> str:
    """A phrase made ready for the middle of a sentence: no final stop, and a lower-case
    first letter when the first word is an ordinary one."""
    text = " ".join(text.split()).rstrip(" .;:!")
    first = text.split(" ", 1)[0]
    if first.lower() in LOWERABLE and (not first.isupper() or first == "A"):
        text = first.lower() + text[len(first) :]
    return text


_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z'’]+)\b")


def proper_words(texts: list[str]) -> frozenset[str]:
    """Words the caller capitalises mid-sentence somewhere (names, products, places)."""
    found: set[str] = set()
    for text in texts:
        for match in _CAPITALISED.finditer(" ".join(text.split())):
            found.add(match.group(1))
    return frozenset(found)


def opening_names(texts: list[str]) -> frozenset[str]:
    """Words that open two or more of the caller's fields with a capital and are not
    ordinary openers ("Bramble missed two doses", "Bramble needed a vet"): a name that
    only ever comes first, as a pet's or a product's often does."""
    seen: dict[str, int] = {}
    # A field typed twice ("Proof sign-off" as two steps) is one opening, not a name's two.
    texts = list({" ".join(t.split()).rstrip(" .").lower(): t for t in texts if t}.values())
    for text in texts:
        if not text or shouted(text):
            continue
        first = text.split(" ", 1)[0].rstrip(".,;:!?")
        first = re.sub(r"['’]s$", "", first)
        if not first[:1].isupper() or not first[1:].islower():
            continue
        low = first.lower()
        if low in LOWERABLE or low in DETERMINERS or low in INSTRUCTION_VERBS:
            continue
        if low.endswith(("ing", "ed")) or low in _PARTICIPLE_START:
            continue
        seen[first] = seen.get(first, 0) + 1
    return frozenset(word for word, count in seen.items() if count > 1)


def lower_first(text: str, proper: frozenset[str]) -> str:
    """The phrase with its first word in lower case, unless that word is a name, an
    acronym, a code or "I": the caller capitalised it only because it came first."""
    first = text.split(" ", 1)[0]
    bare = first.rstrip(".,;:!?")
    if not bare or not bare[0].isupper() or any(c.isdigit() for c in bare):
        return text
    if bare.isupper() and bare != "A":  # an acronym; "A firmware update" is an article
        return text
    if bare in proper or bare.split("'")[0] in proper or bare.split("’")[0] in proper:
        return text
    if bare == "I" or bare.startswith(("I'", "I’")):
        return text
    if re.split(r"['’]", bare)[0].lower() in _DAYS_MONTHS:
        return text  # "Saturday's session", "October's fee": a day or a month is a name
    return first[0].lower() + text[1:]


_DAYS_MONTHS = _words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "june july august september october november december"
)
"""Days and months, names wherever they stand ("May" is left out: "May we ...")."""


def whole(text: str) -> str:
    """A phrase made into a sentence: capital first letter and a final stop."""
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".!?" else text + "."


_HEAD_STOPS = _words(
    "of for to with in on at by from via as under through into onto over after before during "
    "without within between against about across per off than like and or that which who "
    "when where while because if so but free until till unless once since"
)
_SINGULAR_S = _words("news series means species bus gas lens plus bonus status campus")


def noun_group(text: str) -> list[str]:
    """The words of the phrase's first noun group, lower case: "any late fee" of "any late
    fee charged by us", "£100" of "£100 off your first month's fees", "expiry alerts" of
    "expiry alerts 30 days ahead"."""
    words = re.findall(r"[A-Za-z'’-]+|[£$€¥]?\d[\d.,]*%?|[,;:]", mid(text).lower())
    group: list[str] = []
    for i, word in enumerate(words):
        past = i > 0 and (word.endswith("ed") or word in _IRREGULAR) and len(word) > 3
        # A figure after a noun starts a measure of its own ("alerts 30 days ahead").
        measure = bool(group) and word[:1].isdigit() and group[-1][:1].isalpha()
        if word in _HEAD_STOPS or word in ",;:" or past or measure:
            break
        group.append(word)
    return group


def plural_head(text: str) -> bool:
    """Whether the phrase's first noun group ends in a plural ("new front brake pads fitted
    on Thursday", "extra lessons for May"): such a phrase takes no article."""
    group = noun_group(text)
    head = group[-1] if group else ""
    return (
        head.endswith("s")
        and not head.endswith(("ss", "us", "is", "'s", "’s"))
        and head not in _SINGULAR_S
        and head not in DETERMINERS
    )


_MONTHS_AND_DAYS = _words(
    "january february march april june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday"
)


def definite(text: str) -> str:
    """A noun phrase that reads after a verb: "the refund of the shipping fee"; a bare
    plural stays bare ("have new front brake pads fitted")."""
    text = mid(text)
    first = text.split(" ", 1)[0].lower()
    if _MONEY_COUNT.match(text):
        return "a " + text  # "added a £15 credit"
    group = noun_group(text)
    if first not in DETERMINERS - {"free"} and group and group[-1] in _MASS_HEADS:
        return text  # "arranged priority boarding", "free shipping", "time off in lieu"
    if first == "free":
        return "the " + text  # "free upgrade to a sea-view room" is not a determiner
    if first in ("help", "assistance"):
        return text  # "arrange help restoring your files", not "the help restoring"
    if first not in DETERMINERS and first[:1].isalpha() and plural_head(text):
        return text
    if first in _MEALS:
        return text
    if first in ("half", "part", "most") or first.endswith(("'s", "’s")):
        return text  # "half of the package", "October's fee"
    if first in _MONTHS_AND_DAYS:
        return text  # "October and November", not "the October and November"
    if first in DETERMINERS or first[:1].isdigit() or first[:1] in "$€£¥#":
        return text
    if re.match(r"(?:USD|EUR|GBP|CHF|CAD|AUD|JPY)\s?\d", text):
        return text  # "CHF 600 off this job", like "£600 off this job"
    return "the " + text


def indefinite(text: str) -> str:
    """A noun phrase that reads after "offer you": "a refund", "15% off", "free shipping"."""
    text = mid(text)
    first = text.split(" ", 1)[0].lower()
    words = text.lower().split()
    if first == "free" and len(words) > 1 and _countable_after(words[1:]):
        return "a " + text  # "a free return crossing", but "free shipping", "free tickets"
    if first in ("credit", "refund", "rebate", "discount") and words[1:2] == ["of"]:
        return "a " + text  # "a credit of this month's fee", though "credit" alone is mass
    if _AMOUNT_OFF.match(text):
        return text  # "CHF 20 off your next cleaning", "15% off"
    if _MONEY_COUNT.match(text):
        return "a " + text  # "a £15 credit", but "£15 off" and "£15"
    group = noun_group(text)
    if group and group[-1] in _MASS_HEADS:
        return text  # "priority boarding", "time off in lieu"
    if first in DETERMINERS or first in _MASS_NOUNS | _MEALS or not first[:1].isalpha():
        return text
    if first.endswith("s") and not first.endswith("ss"):
        return text  # plural: "two extra months"
    if plural_head(text):
        return text  # "new front brake pads", not "a new front brake pads"
    return ("an " if first[0] in "aeiou" else "a ") + text


_AMOUNT_OFF = re.compile(
    r"^(?:[£$€¥]|(?:USD|EUR|GBP|CHF|CAD|AUD|JPY)\s)?\s?\d[\d,.]*\s?"
    r"(?:[£$€¥%]|USD|EUR|GBP|CHF|CAD|AUD|JPY|percent|per cent)?\s+off\b",
    re.IGNORECASE,
)
_MONEY_COUNT = re.compile(
    r"^(?:[£$€¥]\s?\d[\d,.]*|(?:USD|EUR|GBP|CHF|CAD|AUD|JPY)\s?\d[\d,.]*|"
    r"\d[\d,.]*\s?(?:[£$€¥]|USD|EUR|GBP|CHF|CAD|AUD|JPY|euros?|dollars?|pounds?))"
    r"\s+(?:\w+\s+)?(?:credit|voucher|refund|rebate|gift card|"
    r"e-voucher|top-up|bonus|goodwill payment|payment)\b",
    re.IGNORECASE,
)
"""An amount in any notation before a countable thing ("£15 credit", "CHF 20 credit", "1,200
EUR credit", "$50 gift card"): it takes "a"."""
_MASS_HEADS = _words(
    "shipping delivery access support parking boarding embarkation check-in handling "
    "service treatment onboarding training postage insurance cover leave time entry "
    "admission wifi wi-fi data storage hosting cleaning laundry breakfast lunch dinner"
)


def _countable_after(words: list[str]) -> bool:
    """Whether the words after "free" name one countable thing ("return crossing", "upgrade
    to a sea-view room"), not a mass noun or a plural ("shipping", "tickets")."""
    group = noun_group(" ".join(words))
    if not group:
        return False
    head = group[-1]
    return head not in _MASS_HEADS and head not in _MASS_NOUNS and not plural_head(" ".join(group))


@dataclass(frozen=True)
class Phrase:
    """One caller field as the letter uses it."""

    text: str
    """Tamed case, "you" for the reader; as the caller punctuated it."""
    shape: str
    """"clause", "noun", "gerund", "instruction", "question" or "participle"."""
    own_verb: bool = False
    """A noun phrase carrying its own participle ("the kettle sent by express")."""

    @property
    def sentence(self) -> str:
        return whole(self.text)

    @property
    def inner(self) -> str:
        return mid(self.text)


def shape_of(text: str) -> tuple[str, bool]:
    """The shape of a (tamed) phrase and whether a noun phrase carries its own verb."""
    stripped = text.strip()
    words = re.findall(r"[A-Za-z'’-]+", stripped)
    first = words[0].lower() if words else ""
    if stripped.endswith("?") or (first in _QUESTION_WORDS and len(words) > 2):
        return "question", False
    if first.split("'")[0] in ("i", "we", "you", "they") or first.split("’")[0] in ("i", "we"):
        return "clause", False
    if first.endswith("ing") and any(
        b in INSTRUCTION_VERBS for b in (first[:-3], first[:-3] + "e", first[:-4])
    ):
        return "gerund", False  # "restoring saves from our backups"
    if first in INSTRUCTION_VERBS and len(words) > 1:
        nxt = words[1].lower()
        if nxt in DETERMINERS or nxt in {"you", "them", "him", "her", "us", "it", "back", "every"}:
            return "instruction", False
    if first not in INSTRUCTION_VERBS and stripped[:1].isalpha() and _bare_verb_first(words):
        return "instruction", False
    if first in _PARTICIPLE_START and len(words) > 1 and words[1].lower() not in DETERMINERS:
        return "participle", False
    reading = read(stripped)
    return reading.shape, reading.own_verb


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def said_once(text: str) -> str:
    """A field that says the same sentence more than once ("Call the customer back within
    24 hours. Call the customer back within 24 hours. ..."), with each sentence said once:
    a letter never repeats a sentence."""
    parts = _SENTENCE_BREAK.split(text.strip())
    if len(parts) < 2:
        return text
    seen: set[str] = set()
    kept = []
    for part in parts:
        key = part.lower().rstrip(".!? ")
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(part)
    return " ".join(kept)


_NO_SUBJECT_MINE = re.compile(
    r"(?:[a-z]+ed|paid|bought|sent|got|made|took|had|was|spent|left|lost)\s+(?:my|for\s+my|\w+\s+my)\b",
    re.IGNORECASE,
)
"""A customer's phrase with its "I" left out ("cancelled my membership in September but you
kept taking the fee"): the verb leads, and "my" follows at once or a word later."""


def customer_accuses(text: str) -> bool:
    """Whether a first-person phrase is the customer's words to the business: it says "you"
    and also "me" or "my" ("I cancelled my membership but you kept taking the fee")."""
    return bool(
        re.search(r"\byou\b", text, re.IGNORECASE) and re.search(r"\b(?:me|my)\b", text, re.I)
    )


_SENDERS_OWN = re.compile(
    r"\b(?:like|as)\s+(?:I|we)\s+(?:had\s+)?(?:promised|said\s+(?:I|we)\s+would)\b"
    r"|\b(?:I|we)\s+(?:(?:did\s+not|didn't|never)\s+(?:call|ring|phone|email|get|write)\s+back"
    r"|(?:did\s+not|didn't|never)\s+(?:send|follow)\s+(?:up|through|the|your|you)\b)",
    re.IGNORECASE,
)
"""The sender owning a duty in their own "I" ("I didn't call back with the quote like I
promised"): a customer does not promise a call back, so this "I" stays the sender's."""


@lru_cache(maxsize=4096)  # a batch's letters share the incident's phrases
def phrase(text: str, *, to_reader: bool = False, their_we: bool = False) -> Phrase:
    """Read a caller field; `to_reader` turns the customer's own "I" into "you", and with
    `their_we` (what happened to the customer: the impact) a "we" that does not speak to
    "you" is theirs too ("the afternoon we had planned" -> "the afternoon you had planned")."""
    tamed = said_once(tame_case(text))
    if to_reader and _NO_SUBJECT_MINE.match(tamed) and re.search(r"\bmy\b", tamed, re.I):
        tamed = "I " + tamed[:1].lower() + tamed[1:]  # "cancelled my membership ..."
    ours = their_we and not addresses_reader(tamed) and re.search(r"\b(?:we|our|us)\b", tamed, re.I)
    # The customer's "we" is their side too ("I had to cancel ... and we lost our deposit").
    turn = first_person(tamed) or customer_plural(tamed) or customer_we(tamed) or ours
    if to_reader and turn and not _SENDERS_OWN.search(tamed):
        tamed = customer_to_reader(tamed, plural=True)
    shape, own = shape_of(tamed)
    return Phrase(text=tamed, shape=shape, own_verb=own)


def instruction_as(text: str, form: str) -> str:
    """An instruction ("Call the customer back") after "we will" (form "base") or "we have"
    (form "done"): "call the customer back" / "called the customer back"."""
    body = mid(text)
    head, _, rest = body.partition(" ")
    verb = head.lower()
    if form == "done":
        verb = past_of(verb)
        # "Remove the results and confirm they were deleted": the second verb too.
        rest = re.sub(
            r"\b(and|then) (" + "|".join(INSTRUCTION_VERBS) + r")\b",
            lambda m: f"{m.group(1)} {past_of(m.group(2))}",
            rest,
        )
    return f"{verb} {rest}".strip()


def past_of(verb: str) -> str:
    """The past participle of an instruction's verb: a known one, else the regular form."""
    if verb in INSTRUCTION_VERBS:
        return INSTRUCTION_VERBS[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


_LEAD_PREPOSITIONS = _words(
    "off of on onto towards toward into for from with against per across over through"
)
"""Words that open a remedy the amount completes ("off the final invoice" for "15 percent")."""
_NOT_INSTRUCTIONS = _words(
    "free full half extra new next one two three first second same late partial priority "
    "lunch dinner breakfast access credit"
)


def _bare_verb_first(words: list[str]) -> bool:
    """An instruction whose verb is not in our list ("honour the 3.9% rate", "Waive all
    the fees"): a plain lower-case word followed by an object's determiner."""
    if len(words) < 3:
        return False
    first = words[0]
    low = first.lower()
    if low in DETERMINERS or low in _NOT_INSTRUCTIONS or low in _MASS_NOUNS or len(low) < 3:
        return False
    if low in _LEAD_PREPOSITIONS:
        return False  # "off the final invoice", "towards your next stay": not a verb
    if low.endswith(("s", "ed", "ing", "ly", "al", "ion", "ment", "ness", "'s")):
        return False
    return words[1].lower() in DETERMINERS | {"you", "them", "him", "her", "us", "it"}


_IRREGULAR = _words(
    "sent made built left lost found kept paid told sold held brought bought caught taught "
    "put set cut shut let spent met led fed won heard laid dealt got given taken done shown "
    "known written driven withdrawn drawn broken chosen stolen thrown reset"
)


OUTCOME_PARTICIPLES = _words(
    "refunded returned credited waived cancelled canceled reversed removed replaced repaired "
    "fixed restored reinstated resent re-sent reissued rebooked sent delivered redelivered "
    "shipped posted dispatched couriered fitted installed upgraded extended covered paid "
    "released applied added transferred moved corrected updated amended resized cleaned "
    "serviced rebuilt relaunched reprinted redone reconnected unlocked reactivated deleted "
    "withdrawn dropped lifted cleared reset handed hand-delivered written honoured honored "
    "matched arranged scheduled rescheduled reopened renewed topped booked issued granted "
    "erased destroyed closed settled discharged stopped halted paused frozen unfrozen "
    "refitted regraded re-marked remarked reviewed recalculated reduced lowered topped-up cut "
    "hemmed altered remade prepared organised organized set given done switched turned "
    "disabled unblocked backdated"
)
"""Participles that say what the remedy does to its noun ("the fee refunded", "the pads
fitted on Thursday"): only these are made passive ("the fee has been refunded"). Any other
participle describes the noun the remedy acts on ("any late fee charged by us", "the
overdraft fees billed to you", "the data caused by the outage"): that phrase keeps its
words and takes the remedy's own verb ("we will refund any late fee charged by us")."""


def _participles(words: list[str]) -> list[int]:
    def participle(i: int) -> bool:
        word = words[i].lower().strip(",")
        bare = word[2:] if word.startswith("re") else word
        return (len(word) > 4 and word.endswith("ed")) or word in _IRREGULAR or bare in _IRREGULAR

    return [
        i
        for i in range(1, len(words))
        if participle(i)
        and words[i - 1].lower().strip(",") not in DETERMINERS
        # "of £1,450 returned", "the CHF 350 released back to your card"
        and (words[i - 1][:1].isalnum() or words[i - 1][:1] in "£$€¥")
        and not _adverb_after_determiner(words, i)
    ]


def _adverb_after_determiner(words: list[str], i: int) -> bool:
    """ "a correctly labelled supply": an adverb (or an ordinal) between a determiner and the
    participle makes the participle a describing word of the noun that follows, not an
    outcome after it."""
    before = words[i - 1].lower().strip(",")
    after_determiner = i == 1 or words[i - 2].lower() in DETERMINERS
    # "by a second certified linguist": an ordinal or "new" there does the same.
    return (before.endswith("ly") or before in _BEFORE_ADJECTIVE) and after_determiner


_BEFORE_ADJECTIVE = _words(
    "second third fourth another other new extra senior independent external fresh"
)
"""Words that stand between a determiner and a describing participle ("a second certified
linguist", "a new signed copy")."""


def first_participle(text: str) -> str:
    """The first participle after the phrase's noun ("released" of "the CHF 350 released
    back to your card"), lower case, or "" when there is none."""
    words = " ".join(text.split()).split(" ")
    found = _participles(words)
    return words[found[0]].lower().strip(",.") if found else ""


MONEY_OUTCOMES = _words(
    "refunded returned credited reversed waived cancelled canceled removed repaid reimbursed "
    "released unblocked "
    "transferred applied added dropped written reduced lowered matched honoured honored "
    "wiped cleared sent restored reinstated"
)
"""What a refund, credit or discount does to money; any other participle says which money
("the room hire fee paid by the couple who moved", "the call-out charge taken")."""
HARM_PARTICIPLES = _words(
    "charged overcharged double-charged billed caused incurred debited deducted taken lost "
    "damaged broken missed delayed stolen cracked torn scratched dented crushed shrunk ruined "
    "spoiled spoilt sold left affected"
)
"""Participles that tell what went wrong with the noun, never what the remedy does."""


def outcome_participle(text: str, kind: str = "") -> bool:
    """Whether the phrase's first participle after its noun is the remedy's outcome
    ("the fee waived", "the Long Gallery prepared") rather than a description of the noun
    ("the fee charged by us", "the fee paid by the couple", "the phone damaged in transit").
    For money (a refund, credit or discount) only a money outcome counts."""
    words = " ".join(text.split()).split(" ")
    found = _participles(words)
    if not found:
        return False
    word = words[found[0]].lower().strip(",.")
    if kind in ("refund", "credit", "discount"):
        return word in MONEY_OUTCOMES
    return word in OUTCOME_PARTICIPLES or (bool(kind) and word not in HARM_PARTICIPLES)


_READY = re.compile(r"(?P<noun>.+?) (?P<rest>(?:ready|available|back in stock)\b.*)", re.I)


def ready_after(text: str) -> bool:
    """Whether the phrase is a noun group followed by "ready", "available" or "back in
    stock" ("prescription ready for collection from 2pm today"): its outcome with no verb."""
    ready = _READY.fullmatch(text)
    return ready is not None and len(noun_group(ready["noun"])) == len(ready["noun"].split())


def passive(text: str, status: str, kind: str = "") -> str | None:
    """A noun phrase carrying its own outcome participle as a sentence: "the duplicate
    payment returned to your account" -> "the duplicate payment has been returned to your
    account" (done) or "... will be returned ..." (planned); None when no participle is
    found, or when the participle describes the noun instead of saying what the remedy does
    to it ("any late fee charged by us" is never "any late fee will be charged by us")."""
    words = text.split(" ")
    found = _participles(words)
    ready = _READY.match(text)
    if ready and not found and ready_after(text):
        # "prescription ready for collection from 2pm today": "... is ready ...".
        plural = plural_head(ready["noun"]) or " and " in ready["noun"]
        aux = ("are" if plural else "is") if status == "done" else "will be"
        return f"{ready['noun']} {aux} {ready['rest']}"
    if not found or not outcome_participle(text, kind):
        return None
    # A second participle is fine when it is joined to the first ("rebuilt and relaunched");
    # otherwise it is unclear which one is the outcome ("fees charged ... refunded").
    for i in found[1:]:
        if words[i - 1].lower() not in ("and", "or") and not words[i - 1].endswith(","):
            # Two outcomes joined ("the invoice cancelled and the final notice withdrawn").
            first, _, second = text.partition(" and ")
            one = passive(first, status, kind) if second else None
            two = passive(second, status, kind) if one else None
            return f"{one} and {two}" if one and two else None
    i = found[0]
    head = words[i - 1].rstrip(",")
    plural = head.lower().endswith("s") and not head.lower().endswith(("ss", "us"))
    plural = plural or " and " in " ".join(words[:i])  # "the notes and the history sent"
    aux = ("have been" if plural else "has been") if status == "done" else "will be"
    before = " ".join([*words[: i - 1], head])
    return f"{before} {aux} {' '.join(words[i:])}"


_BASE_FORMS = {
    **{w: w for w in ("set", "cut", "reset", "put", "shut")},
    "sent": "send", "resent": "resend", "re-sent": "re-send", "paid": "pay", "written": "write",
    "withdrawn": "withdraw", "rebuilt": "rebuild", "redone": "redo", "remade": "remake",
    "given": "give", "done": "do", "frozen": "freeze", "unfrozen": "unfreeze",
    "shipped": "ship", "dropped": "drop", "stopped": "stop", "topped": "top up",
    "cancelled": "cancel", "canceled": "cancel", "refitted": "refit", "issued": "issue",
    "reissued": "reissue", "handed": "hand over", "hand-delivered": "hand-deliver",
    "redelivered": "redeliver", "delivered": "deliver", "covered": "cover",
    "reviewed": "review", "honoured": "honour", "honored": "honor", "lowered": "lower",
    "cleared": "clear", "altered": "alter", "recovered": "recover", "transferred": "transfer",
    "installed": "install", "couriered": "courier", "rescheduled": "reschedule",
    "scheduled": "schedule", "booked": "book", "rebooked": "rebook", "unblocked": "unblock",
    "unlocked": "unlock", "switched": "switch", "turned": "turn on", "settled": "settle",
    "discharged": "discharge", "added": "add", "refunded": "refund", "credited": "credit",
    "posted": "post", "fitted": "fit", "extended": "extend", "corrected": "correct",
    "granted": "grant", "lifted": "lift", "reinstated": "reinstate", "restored": "restore",
    "matched": "match", "paused": "pause", "halted": "halt", "regraded": "regrade",
    "re-marked": "re-mark", "remarked": "re-mark", "hemmed": "hem", "wiped": "wipe",
    "released": "release", "returned": "return", "reversed": "reverse", "removed": "remove",
    "replaced": "replace", "repaired": "repair", "fixed": "fix", "reconnected": "reconnect",
    "reactivated": "reactivate", "deleted": "delete", "erased": "erase",
    "destroyed": "destroy", "closed": "close", "reopened": "reopen", "renewed": "renew",
    "moved": "move", "updated": "update", "amended": "amend", "resized": "resize",
    "cleaned": "clean", "serviced": "service", "relaunched": "relaunch",
    "reprinted": "reprint", "upgraded": "upgrade", "applied": "apply", "arranged": "arrange",
    "organised": "organise", "organized": "organize", "prepared": "prepare",
    "recalculated": "recalculate", "reduced": "reduce", "disabled": "disable",
    "backdated": "backdate", "waived": "waive", "reimbursed": "reimburse", "repaid": "repay",
    "dispatched": "dispatch", "written off": "write off",
}  # fmt: skip
"""Outcome participles and their plain forms, for an offer told with our verb ("reimburse
the hotel night"); a participle not listed keeps the "have it reimbursed" wording."""

_MONEY_NOUNS = _words(
    "fee fees excess charge charges bill bills invoice cost costs fare fares deposit interest "
    "amount difference penalty fine fines sum balance premium rent"
)
"""What is paid itself ("pay the fee"); anything else is paid for ("pay for an assessment")."""


def active(text: str, kind: str = "") -> tuple[str, str] | None:
    """A noun phrase carrying its own outcome participle, as our verb and its object, for
    an offer or a plan: "the hotel night reimbursed" -> ("reimburse", "the hotel night");
    "a lemon cake delivered free tomorrow" -> ("deliver", "a lemon cake free tomorrow");
    "an assessment paid by us" -> ("pay for", "an assessment"). None when someone else
    does it ("restored by a furniture restorer": we would have them restored), when the
    participle only says which thing ("the fee charged by us"), or when it is unclear."""
    words = text.split(" ")
    found = _participles(words)
    if len(found) != 1 or not outcome_participle(text, kind):
        return None
    i = found[0]
    base = _BASE_FORMS.get(words[i].lower().strip(","), "")
    rest = words[i + 1 :]
    low = [w.lower().strip(",.") for w in rest]
    if not base or words[i].endswith(","):
        return None
    if "by" in low:
        at = low.index("by")
        agent = low[at + 1 : at + 3]
        if agent[:1] == ["us"]:
            del rest[at : at + 2]  # "paid by us"
        elif agent[:1] and agent[0] in DETERMINERS | {"them"} and agent != ["the", "end"]:
            return None  # "restored by a furniture restorer": someone else does it
    noun = words[:i]
    if base == "pay" and noun[-1].lower().strip(",") not in _MONEY_NOUNS:
        base = "pay for"
    return base, " ".join([*noun, *rest]).strip()


_DONE_TO = _words(
    "printed sent delivered charged billed shipped posted left cancelled canceled booked "
    "sold packed labelled labeled damaged lost dispatched installed fitted served given "
    "issued emailed mailed processed recorded logged entered dyed coloured colored washed "
    "assigned marked double-booked overbooked misprinted mislabelled misdelivered collected "
    "emptied repaired answered paid refunded returned"
)
"""Participles that something is done to, never a verb of its own ("500 cards printed with
the old number" is a note; "the campaign launched" is a sentence)."""


def told_passive(text: str) -> str | None:
    """A noun phrase carrying its own participle, told as what happened: "500 business
    cards printed with the old phone number" -> "500 business cards were printed with the
    old phone number"; None when no participle follows the noun group directly."""
    words = text.rstrip(".!").split(" ")
    # "bins not collected": the "not" stays with the participle ("bins were not collected").
    negated = [j for j in range(1, len(words) - 1) if words[j].lower() == "not"][:1]
    bare = [w for j, w in enumerate(words) if j not in negated]
    found = _participles(bare)
    if not found:
        return None
    i = found[0]
    head = bare[i - 1].rstrip(",")
    if negated and negated[0] != i:
        return None
    group = noun_group(" ".join(bare))
    if head.lower() in _HEAD_STOPS or not head[:1].isalnum() or i != len(group):
        return None
    if bare[i].lower().strip(",") not in _DONE_TO:
        return None  # "the campaign launched with ...", "the policy auto-renewed": a sentence
    plural = plural_head(" ".join(bare[:i])) or " and " in " ".join(bare[:i])
    be = ("were" if plural else "was") + (" not" if negated else "")
    return " ".join([*bare[: i - 1], head, be, *bare[i:]])


_GROUP_STARTS = _words(
    "our all every everyone everybody the parents tenants residents members customers "
    "guests families friends staff players users subscribers passengers patients students "
    "pupils visitors fans attendees volunteers neighbours donors"
)


_GROUP_NOUNS = frozenset(
    w.capitalize()
    for w in _words(
        "parents tenants residents members customers guests families friends staff players "
        "users subscribers passengers patients students pupils visitors fans attendees "
        "volunteers neighbours donors"
    )
)
"""A group typed with a capital ("Parents of Year 6"): a common noun after "Hi"."""
_ROLE_ONLY = _words(
    "resident occupier householder homeowner tenant customer client member guest patient "
    "passenger subscriber user parent policyholder cardholder"
)
"""A role word typed where a name goes ("resident", "Valued Customer"): a greeting that
addresses it as a name ("We're very sorry, Resident.") reads as a mail merge gone wrong."""


@dataclass(frozen=True)
class Name:
    """The recipient's name as a greeting uses it."""

    full: str
    first: str
    """What an informal greeting uses: a first name, or title and surname."""
    formal: str
    """What a formal greeting uses: title and surname, or the full name."""
    group: bool = False
    """A group ("parents of Year 8", "our customers"): no first name, no "you" swapping."""


def _name_case(name: str) -> str:
    """A name typed all in lower case or all in capitals, capitalised word by word."""
    if name.islower() or name.isupper():
        # "mr and mrs okafor" -> "Mr and Mrs Okafor": the joining word stays small.
        return " ".join(w.lower() if w.lower() == "and" else w.capitalize() for w in name.split())
    return name


def read_name(raw: str | None) -> Name | None:
    """The recipient's name, or None when absent."""
    if not raw or not raw.strip():
        return None
    text = " ".join(raw.split())
    words = text.split()
    bare = [
        w.lower().strip(".,/") for w in words if w.lower() not in ("dear", "valued", "or", "the")
    ]
    if bare and all(w in _ROLE_ONLY for w in bare):
        return None
    if all(w in ("sir", "madam", "sir/madam") for w in bare):
        return Name(full=text, first=text, formal=text)  # "Dear Sir or Madam" as typed
    if words[-1].lower() == "family" and 1 < len(words) < 5:
        # "the Haddad family": greeted as "Dear Haddad family,", never "Hi the Haddad family,"
        # nor "Hi Haddad," (a surname alone).
        family = _name_case(" ".join(words[1:] if words[0].lower() == "the" else words))
        family = family[: -len("family")] + "family"
        return Name(full=family, first=family, formal=family, group=True)
    if words[0].lower() in _GROUP_STARTS or len(words) > 5:
        group = re.sub(r"^(?:all\s+)?(?:of\s+)?our\s+", "", text, flags=re.IGNORECASE)
        if words[0].lower() in ("everyone", "everybody", "all") and group == text:
            group = "everyone"  # "everyone who flew with us on 3 May": the greeting says who
        elif words[0].lower() == "the" and len(words) > 1:
            group = " ".join(words[1:])  # "Dear Friends of the Philharmonic", not "Dear the"
        elif group.split(" ", 1)[0] in _GROUP_NOUNS:
            group = group[:1].lower() + group[1:]  # "Hi parents of Year 6,", not "Parents"
        return Name(full=group, first=group, formal=group, group=True)
    text = _name_case(text)
    words = text.split()
    if " and " in f" {text} " or " & " in text:
        first = " ".join(words[:-1]) if len(words) > 3 and not is_honorific(words[0]) else text
        return Name(full=text, first=first, formal=text)
    if is_honorific(words[0]):
        title = words[0].capitalize() if words[0].islower() else words[0]
        short = f"{title} {words[-1]}" if len(words) > 1 else text
        return Name(full=text, first=short, formal=short)
    if text.startswith("@"):
        return Name(full=text, first=text, formal=text, group=False)
    return Name(full=text, first=words[0], formal=text)
