"""The voice of a draft: register, contractions and plain words, and the text transforms
that apply them.

Templates are written in full forms, so a tone that uses contractions gets them from
`contract`, and a formal rewrite of someone else's text gets full forms from `expand`. The
tables live in phrases/words.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from contract.catalog import get_catalog
from service.composer.phrases import word_tables

Register = str
"""One of "formal", "neutral", "informal" (the catalog's tone formality)."""

# Operations of the rewrite menu that change the register, and what they change it to.
_REGISTER_OPERATIONS: dict[str, tuple[Register, bool]] = {
    "more_formal": ("formal", False),
    "friendlier": ("informal", True),
}


@dataclass(frozen=True)
class Voice:
    """How a draft sounds: the tone key, its register and what the wording may use."""

    tone: str
    register: Register
    contractions: bool
    plain: bool = False
    brand: bool = False
    length: str = "normal"
    """"short" keeps only what carries a fact or an element, "concise" also the strategy
    sentences, "long" adds optional lines."""


def voice_for(tone: str, *, operation: str = "none", brand: bool = False) -> Voice:
    """The voice of a catalog tone, adjusted by a rewrite operation."""
    entry = get_catalog().tones[tone]
    register: Register = entry.formality
    contractions = entry.contractions
    if operation in _REGISTER_OPERATIONS:
        register, contractions = _REGISTER_OPERATIONS[operation]
    length = {"shorten": "short", "expand": "long"}.get(operation, "normal")
    if tone == "concise" and length == "normal":
        length = "concise"
    return Voice(
        tone=tone,
        register=register,
        contractions=contractions,
        plain=operation == "simplify",
        brand=brand,
        length=length,
    )


def _table_pattern(table: dict[str, str]) -> re.Pattern[str]:
    # Longest keys first so that "we would" wins over "we".
    keys = sorted(table, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(k) for k in keys) + r")\b")


@lru_cache(maxsize=4)
def _compiled(name: str) -> tuple[dict[str, str], re.Pattern[str]]:
    table = word_tables()[name]
    return table, _table_pattern(table)


def _apply(name: str, text: str) -> str:
    table, pattern = _compiled(name)
    return pattern.sub(lambda m: table[m.group(1)], text)


@lru_cache(maxsize=1)
def _expansions() -> dict[str, str]:
    table = {short: full for full, short in word_tables()["contractions"].items()}
    table.update(word_tables()["expand_only"])
    return table


_EXPAND = re.compile(r"\b([A-Za-z]+(?:n't|'re|'m|'ll|'ve|'d|'s))\b")
_GENERIC_SUFFIXES = (
    ("n't", " not"),
    ("'re", " are"),
    ("'m", " am"),
    ("'ll", " will"),
    ("'ve", " have"),
    ("'d", " would"),
)
_S_WORDS = {"it", "that", "there", "here", "what", "who", "he", "she", "where", "how"}


def _expand_one(match: re.Match[str]) -> str:
    word = match.group(1)
    known = _expansions().get(word)
    if known:
        return known
    lower = word.lower()
    for suffix, full in _GENERIC_SUFFIXES:
        if lower.endswith(suffix):
            return word[: -len(suffix)] + full
    if lower.endswith("'s") and lower[:-2] in _S_WORDS:
        return word[:-2] + " is"
    return word  # a possessive: "Dana's order" stays as it is


def contract(text: str) -> str:
    """Use contractions where the full form has a common short form."""
    return _apply("contractions", text)


def expand(text: str) -> str:
    """Replace contractions with full forms; possessives are left alone."""
    text = text.replace("’", "'")
    return _EXPAND.sub(_expand_one, text)


def plainer(text: str) -> str:
    """Swap formal words for everyday ones."""
    return _apply("plain", text)


def voiced(text: str, voice: Voice) -> str:
    """Apply a voice's word-level rules to composer-written text (never to caller facts)."""
    if voice.plain:
        text = plainer(text)
    return contract(text) if voice.contractions else expand(text)


def has_contraction(text: str) -> bool:
    """Whether the text uses any contraction (possessives do not count)."""
    text = text.replace("’", "'")
    return any(_expand_one(m) != m.group(1) for m in _EXPAND.finditer(text))


def plain_caller(text: str) -> str:
    """Swap the caller's formal words for everyday ones where the meaning is certain
    ("approximately" -> "about"); the `plain_caller` table of words.yaml."""
    return _apply("plain_caller", text)


def plain_commitment(text: str) -> str:
    """The few swaps made in every caller phrase under `simplify`, commitments included
    ("complimentary" -> "free"); the `plain_commitment` table of words.yaml."""
    return _apply("plain_commitment", text)


_SUBJECTS = r"we|I|you|it|this|that|our|the|your|they|there|he|she|we're|I'm|I've|we've|you're"
_PRONOUNS = r"we|I|you|it|they|there|he|she|we're|I'm|I've|we've|you're"
_THAT_CLAUSE = r"the|your|our|their|his|her|its|my|a|an|we|I|you|they|it|he|she|there"
_JOINS = re.compile(
    # "..., and our team has ...", "... and we ...", but not "the print and the postage".
    # "... found that X, and that your reports were ...": a second "that" clause, no subject.
    rf"(?:,\s+and|,\s+so|,?\s+but|;|:)\s+(?!that\s+(?:{_THAT_CLAUSE})\b)(?=(?:{_SUBJECTS})\b)"
    rf"|\s+and\s+(?=(?:{_PRONOUNS})\b)"
    # "... on time and the landlord charged you a late fee": a second subject and its verb.
    r"|\s+and\s+(?=the\s+[a-z]+\s+(?:[a-z]{3,}ed|had|was|were|took|sent|told|left|kept)\b)"
    # "... even though you bought ...", "..., which meant ...", "..., while ..."
    rf"|(?P<yet>,?\s+even though\s+(?=(?:{_SUBJECTS})\b))"
    r"|(?P<which>,\s+which\s+(?=(?:is|was|were|are|has|had|meant|means|left|made|caused)\b))"
    # "..., although the cover had been added" -> "But the cover had been added."
    r"|(?P<but>,\s+although\s+)"
    # A second "because" in one sentence: "... because our van was sent to the wrong venue
    # because I copied ..." -> "That was because I copied ...".
    r"|(?P<because>\s+because\s+)"
    # "... for every project from now on, with a weekly status call on Mondays" -> "This
    # comes with a weekly status call on Mondays."
    r"|(?P<with>,\s+with\s+(?=(?:a|an|the|your|our)\s+\S+\s+\S+\s+\S+))"
)
_LEADS = {
    "yet": "Yet ",
    "which": "This ",
    "but": "But ",
    "because": "That was because ",
    "with": "This comes with ",
}

# "you had to turn her away at the door and spend forty minutes on the phone": a second
# action of the same subject, told with that subject (and its "had to", "will", "have")
# again: "You had to spend ...". Only verbs that cannot be nouns of a list ("a cake and
# candles") start the second action; a bare verb needs a modal before it, a past one none
# or "have".
_BARE = (
    "spend pay wait drive buy borrow cancel rebook miss find go ring phone explain chase "
    "travel stay walk sleep lose take cover arrange"
)
_PAST = (
    "spent paid waited drove bought borrowed cancelled rebooked missed found went rang "
    "phoned explained chased travelled stayed walked slept lost took covered arranged"
)
_SECOND_ACTION = re.compile(
    r"\s+and\s+(?P<had>had to\s+|then\s+)?(?P<verb>"
    + "|".join((_BARE + " " + _PAST).split())
    + r")\b"
)
_ACTOR = re.compile(
    r"\b(?P<who>[Yy]ou|[Ww]e|I|[Tt]hey|[Hh]e|[Ss]he)"
    r"(?:\s+(?P<mod>had to|could not|couldn't|will|would|can|could|have|has|had)|"
    r"['’](?P<short>ve|ll|d))?\s+"
)
_SHORT = {"ve": "have", "ll": "will", "d": "would"}
_TAKES_BARE = {"had to", "could not", "couldn't", "will", "would", "can", "could"}


def _second_action(sentence: str) -> list[str]:
    m = _SECOND_ACTION.search(sentence)
    if not m:
        return [sentence]
    head = sentence[: m.start()]
    actors = list(_ACTOR.finditer(head))
    if not actors or len(head[actors[-1].end() :].split()) < 3:
        return [sentence]
    actor = actors[-1]
    mod = actor.group("mod") or _SHORT.get(actor.group("short") or "", "")
    if m.group("had") == "had to ":
        mod = "had to"
    bare = m.group("verb") in _BARE.split()
    if bare != (mod in _TAKES_BARE) or head.count("(") != head.count(")"):
        return [sentence]
    who = actor.group("who")
    second = " ".join([who.capitalize() if who != "I" else who, mod, sentence[m.start("verb") :]])
    return [head.rstrip(",") + ".", " ".join(second.split())]


def split_long(sentence: str) -> list[str]:
    """A sentence that joins two clauses ("..., and we ...", "... and the landlord charged
    ...", "...; the ...", "... even though you ...", "..., which meant ...", "...,
    although ...", a second "because" or a first one between two long halves, a second
    action of the same subject) as two sentences, for the plain voice."""
    return [part for piece in _split_joins(sentence) for part in _second_action(piece)]


def _split_joins(sentence: str) -> list[str]:
    parts: list[str] = []
    last, lead = 0, ""
    for m in _JOINS.finditer(sentence):
        head = sentence[last : m.start()].strip()
        if len(head.split()) < 3 or head.count("(") != head.count(")"):
            continue  # too short to stand alone, or inside brackets
        if (
            m.group("because")
            and "because" not in sentence[: m.start()].lower()
            and (len(head.split()) < 6 or len(sentence.split()) < 14)
        ):
            continue  # the first "because" is the sentence's own, unless both halves are long
        parts.append(lead + head)
        lead = next((_LEADS[k] for k, v in m.groupdict().items() if v), "")
        last = m.end()
    parts.append(lead + sentence[last:].strip())
    parts = [p for p in parts if p]
    if len(parts) == 1:
        return parts
    out = []
    for i, part in enumerate(parts):
        part = part[:1].upper() + part[1:]
        out.append(part.rstrip(",;") + "." if i < len(parts) - 1 else part)
    return out
