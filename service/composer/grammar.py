"""Grammar for the caller's own phrases: how a description, cause or impact is fitted into
one of the composer's sentences without changing what it says.

A phrase can be made ready for mid-sentence (`clause`), for a sentence of its own
(`sentence`), or as a noun phrase after a verb (`definite`, `indefinite`); `shape` tells
whether it is a whole clause, an action or a thing (the rules are in `shapes`), and
`own_verb` whether a noun phrase already carries its verb ("the kettle sent by express").
Turning the caller's "the customer"/"he" into "you" is `person`'s job.
"""

from __future__ import annotations

from service.composer.shapes import DETERMINERS, read

# Words that may start a caller's phrase and are safe to lower-case mid-sentence; anything
# else (a product or a person's name) keeps its capital.
_LOWERABLE = {
    "a",
    "an",
    "the",
    "your",
    "you",
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
    "he",
    "she",
    "his",
    "her",
    "every",
    "each",
    "all",
    "any",
    "around",
}
_DETERMINERS = DETERMINERS
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


def shape(description: str) -> str:
    """How a caller's description reads: a whole "clause" ("we refunded the fee", "the
    set was packed in paper"), a "gerund" action ("retraining the night shift") or a "noun"
    phrase ("a replacement")."""
    return read(description).shape


def own_verb(description: str) -> bool:
    """Whether a noun phrase already carries its own verb ("the kettle sent by express",
    "the notices withdrawn"), so that no verb of ours should go in front of it."""
    return read(description).own_verb


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
