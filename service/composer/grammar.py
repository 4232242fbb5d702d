"""Grammar for the caller's own phrases: how a description, cause or impact is fitted into
one of the composer's sentences without changing what it says.

A phrase can be made ready for mid-sentence (`clause`), for a sentence of its own
(`sentence`), for the reader (`second_person`), or as a noun phrase after a verb (`definite`,
`indefinite`); `shape` tells whether it is a whole clause, an action or a thing.
"""

from __future__ import annotations

import re

# Words that may start a caller's phrase and are safe to lower-case mid-sentence; anything
# else (a product or a person's name) keeps its capital.
_LOWERABLE = {
    "a",
    "an",
    "the",
    "your",
    "our",
    "we",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "some",
    "several",
    "one",
    "two",
    "three",
    "four",
    "five",
    "there",
    "their",
    "they",
    "after",
    "before",
    "during",
    "when",
    "while",
    "because",
    "due",
    "since",
}
_DETERMINERS = {
    "a",
    "an",
    "the",
    "your",
    "our",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "one",
    "two",
    "three",
    "four",
    "five",
    "any",
    "each",
    "every",
    "free",
}
_SUBJECTS = {"we", "our", "i", "my", "they"}
_MASS_NOUNS = {
    "shipping",
    "delivery",
    "support",
    "access",
    "training",
    "onboarding",
    "help",
    "credit",
    "assistance",
    "priority",
    "express",
    "expedited",
}

# Third-person wording a caller may use for the reader, and the second-person form.
_PERSON_SWAPS = (
    (r"\bthe (?:customer|client)'s\b", "your"),
    (r"\bthe (?:customer|client) (?:was|is)\b", "you were"),
    (r"\bthe (?:customer|client) has\b", "you have"),
    (r"\bthe (?:customer|client)\b", "you"),
)


def clause(text: str) -> str:
    """A caller's phrase made ready for the middle of a sentence: no final stop, and a
    lower-case first letter when the first word is an ordinary one."""
    text = " ".join(text.split()).rstrip(" .;:")
    first = text.split(" ", 1)[0]
    if first.lower() in _LOWERABLE and not first.isupper():
        text = first.lower() + text[len(first) :]
    return text


def sentence(text: str) -> str:
    """A caller's phrase made into a sentence: capital first letter and a final stop."""
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".!?" else text + "."


def second_person(text: str) -> str:
    """Turn "the customer's trip" into "your trip" when writing to that customer."""
    for pattern, repl in _PERSON_SWAPS:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    return text


def shape(description: str) -> str:
    """How a caller's description reads: a whole "clause" ("we refunded the fee"), a
    "gerund" action ("retraining the night shift") or a "noun" phrase ("a replacement")."""
    first = description.split(" ", 1)[0].lower()
    if first in _SUBJECTS:
        return "clause"
    words = description.lower().split()
    # "retraining the night shift" is an action; "matching pair of gloves" is a thing.
    if (
        first.endswith("ing")
        and first not in _MASS_NOUNS
        and len(words) > 1
        and words[1] in _DETERMINERS | {"all", "our", "my"}
    ):
        return "gerund"
    return "noun"


def definite(description: str) -> str:
    """A noun phrase that reads after a verb: "the refund of the shipping fee"."""
    text = clause(description)
    first = text.split(" ", 1)[0].lower()
    if first in _DETERMINERS or first[:1].isdigit() or first[:1] in "$€£¥":
        return text
    return "the " + text


def indefinite(description: str) -> str:
    """A noun phrase that reads after "offer you": "a refund", "15% off", "free shipping"."""
    text = clause(description)
    first = text.split(" ", 1)[0].lower()
    if first in _DETERMINERS or first in _MASS_NOUNS or not first[:1].isalpha():
        return text
    if text.split(" ", 1)[0].endswith("s") and not first.endswith("ss"):
        return text  # plural: "two extra months"
    return ("an " if first[0] in "aeiou" else "a ") + text
