"""How a caller's phrase is built: a whole clause, a noun phrase, or a gerund action.

Callers write causes, impacts, remedies and prevention steps either as a noun phrase ("a
sorting fault at our regional warehouse") or as a clause ("our cloth supplier could not
deliver the fabric"). `read` tells them apart with a few explainable rules and says which
rule decided, so a sentence of ours can fit the phrase instead of forcing it into a slot:

* a subject pronoun first ("we now confirm ...") makes a clause;
* a finite verb after the first noun group makes a clause: an auxiliary or modal ("was",
  "could", "had"), a past-only form ("ran", "went"), a verb after "now"/"already"
  ("now confirm"), a verb before a particle ("signs off"), or a past "-ed" form that takes an
  object ("shared a shelf") or is a common intransitive ("arrived", "slipped");
* a finite verb inside a relative clause ("that was missed", "which developers confirm") is
  not the phrase's own: each "that"/"which"/"when"/... owns the next finite verb;
* a participle after the noun ("the kettle sent by express", "notices withdrawn and ...")
  keeps a noun phrase but marks it as carrying its own verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def word_set(text: str) -> frozenset[str]:
    """A word list written as one string, for readability."""
    return frozenset(text.split())


DETERMINERS = word_set(
    "a an the your our my his her their its this that these those some several any each "
    "every all both no another one two three four five six seven eight nine ten eleven "
    "twelve twenty thirty fifty hundred free"
)
_PRONOUN_SUBJECTS = word_set("we i they he she you it there")
_AUX = word_set(
    "is are was were has have had will would can could did does do should may might must "
    "shall cannot isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't can't "
    "couldn't didn't doesn't don't shouldn't"
)
_NONFINITE_AUX = frozenset({"be", "been", "being"})
_PAST_ONLY = word_set(
    "ran went took came gave fell broke began drew drove flew grew knew rode rose saw spoke "
    "stole wrote forgot chose froze woke wore tore threw shook sank swam ate became "
    "misread misheard mislaid misunderstood mistook overslept overlooked misjudged "
    "sat stood lay slept rang sang swung"
)
_IRREGULAR_PARTICIPLES = word_set(
    "sent made built left lost found kept paid told sold held brought bought caught taught "
    "put set cut shut let spent meant met led fed won said heard laid dealt got given taken "
    "done shown known written driven withdrawn drawn broken chosen forgotten stolen eaten "
    "fallen grown thrown worn torn begun"
)
_INTRANSITIVE = word_set(
    "arrived happened occurred failed stalled crashed stopped slipped expired lapsed worked "
    "collapsed waited started ended overran dropped increased decreased disappeared "
    "stayed remained walked travelled traveled"
)
_ADVERBS = word_set(
    "now also already always never still then often regularly routinely jointly together "
    "automatically usually"
)
_SUBORDINATORS = word_set(
    "that which who whose whom where when whenever once until while because if although so"
)
_PREPOSITIONS = word_set(
    "of for to with in on at by from via as under through into onto over after before "
    "during without within between against about across per off than like towards toward "
    "upon until alongside beside beneath"
)
# Words after a past form that show it is a participle describing the noun before it
# ("sent by courier", "attached to this email", "withdrawn and ...", "assigned today").
_PARTICIPLE_NEXT = word_set(
    "by and or , to with in on at for from via as under through within today yesterday "
    "tonight automatically immediately separately directly promptly overnight earlier "
    "already back free again before after during until"
)
_OPENERS = frozenset({"he", "she", "we", "they", "i"})
_TIME_JOINERS = frozenset({"after", "before", "since"})
# ... and purpose words whose clause follows: "a check-up to make sure Biscuit is well".
_REPORTING = word_set("confirming saying showing explaining stating proving sure ensure")
"""Subject pronouns that start a clause of their own in the middle of a noun phrase."""
_JOINERS = _SUBORDINATORS | _PREPOSITIONS | {"and", "or", "but"}
_OBJECT_STARTS = word_set("a an the its their our your his her")
_PARTICLES = frozenset({"off", "up", "out", "down", "back", "away"})
_NOT_VERBS = word_set("hundred bed shed speed feed seed need deed breed greed red")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,:%]*%?|,|[$€£¥]\S*")


@dataclass(frozen=True)
class Reading:
    """A caller's phrase as the composer reads it."""

    shape: str
    """"clause", "gerund" or "noun"."""
    own_verb: bool = False
    """A noun phrase carrying its own participle ("the kettle sent by express delivery")."""
    reason: str = ""
    """Which rule decided, for tests and debugging."""


def _tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def _past_form(word: str) -> bool:
    """A past tense or past participle: "-ed", or an irregular form (also after "re-")."""
    if word in _NOT_VERBS or word in _AUX:
        return False
    base = word[2:] if word.startswith("re") and word[2:] in _IRREGULAR_PARTICIPLES else word
    return (len(word) > 4 and word.endswith("ed")) or base in _IRREGULAR_PARTICIPLES


def _content(word: str) -> bool:
    """A word that can end a noun group: not a function word, adverb or number."""
    return (
        word[:1].isalpha()
        and word not in DETERMINERS | _AUX | _NONFINITE_AUX | _ADVERBS | _SUBORDINATORS
        and word not in _PREPOSITIONS | {"and", "or", "but"}
    )


def _finite(words: list[str], i: int, *, after_subordinator: bool, head: bool) -> str:
    """Why words[i] is a finite verb, or "" when it is not one; `head` is true while no
    preposition has been passed (still in the first noun group)."""
    word, prev = words[i], words[i - 1]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if word in _AUX:
        if word == "may" and (prev in _PREPOSITIONS or nxt[:1].isdigit() or not nxt):
            return ""  # "a private rehearsal in May": the month
        return "" if prev == "to" else "auxiliary"
    if prev == "never" and i > 1 and words[i - 2] not in _AUX:
        # "your parcel never arrived": "never" stands between the subject and its verb,
        # which is read as if the adverb were not there.
        return _finite(
            words[: i - 1] + words[i:], i - 1, after_subordinator=after_subordinator, head=head
        )
    if prev in _AUX or prev in {"not", "never"}:
        return ""  # the rest of a verb group already counted ("had not refreshed")
    if not word[:1].isalpha() or word in DETERMINERS | _PREPOSITIONS:
        return ""
    if word in _PAST_ONLY:
        return "past tense"
    if after_subordinator and (word.endswith("s") or _past_form(word)) and not _content(nxt):
        return "verb of a relative clause"
    if prev == "who" and (word in _PAST_ONLY or _past_form(word) or word.endswith("s")):
        return "verb of a relative clause"  # "players who bought gem packs lost them"
    if prev in _ADVERBS and word not in _ADVERBS | {"and", "or"}:
        return f"verb after {prev!r}"
    if prev[:1].isdigit() and word in _INTRANSITIVE:
        return "intransitive past after a number"  # "room 3 dropped for 40 minutes"
    if not _content(prev):
        return ""
    if head and word.endswith("s") and nxt in _PARTICLES | _OBJECT_STARTS:
        return "present verb before its object"
    if _past_form(word):
        if word in _INTRANSITIVE:
            return "intransitive past"
        if nxt == "by" and i + 2 < len(words) and words[i + 2][:1].isdigit():
            return "past form with a quantity"
        if nxt and nxt not in _PARTICIPLE_NEXT:
            return "past form with an object"
    return ""


_OBJECT_PREPOSITIONS = _PREPOSITIONS - word_set("as than like until after before since")


def _object_of(word: str, prev: str) -> bool:
    """Whether a pronoun that is also an object form is the object of the preposition
    before it ("the invitations we printed for you had ...": "you" opens no clause)."""
    return word in ("you", "it") and prev in _OBJECT_PREPOSITIONS


@lru_cache(maxsize=4096)  # a batch's letters share the incident's phrases
def read(text: str) -> Reading:
    """Classify a caller's phrase; see the module docstring for the rules."""
    words = _tokens(text)
    if not words:
        return Reading("noun", reason="empty")
    first = words[0]
    if first in _PRONOUN_SUBJECTS or first.split("'")[0] in _PRONOUN_SUBJECTS:
        return Reading("clause", reason=f"starts with the subject {first!r}")
    if (
        first.endswith("ing")
        and first not in {"shipping", "training", "onboarding", "pricing", "packaging"}
        and len(words) > 1
        and words[1] in DETERMINERS | {"all"}
    ):
        return Reading("gerund", reason="starts with an -ing verb and its object")
    pending = 0  # relative clauses opened whose finite verb has not been seen yet
    own_verb = False
    time_at_head = False  # "after"/"before"/"since" right after the first noun group
    either = False  # the time clause's verb may be the phrase's own (see below)
    left_head = False  # past a preposition other than "of": participles no longer ours
    head = True  # no preposition passed yet
    for i in range(1, len(words)):
        word, prev = words[i], words[i - 1]
        if word == ",":
            continue
        if word in _SUBORDINATORS and (prev == "," or _content(prev)):
            pending += 1
            continue
        if word == "as" and prev in ("soon", "long") and i > 1 and words[i - 2] == "as":
            pending += 1  # "courier delivery as soon as the bag is traced": its own clause
            continue
        if word in _REPORTING:
            pending += 1  # "a letter confirming the bill was paid": its own clause
            continue
        if word in _TIME_JOINERS and (prev == "," or _content(prev)):
            # "a map that had not refreshed after the venue removed a row": the verb after
            # "after"/"before"/"since" belongs to that clause, not to the phrase.
            pending += 1
            time_at_head = time_at_head or (head and pending == 1)
            head, left_head = False, True
            continue
        if (
            word in _OPENERS
            or (word in _PRONOUN_SUBJECTS and prev in _JOINERS and not _object_of(word, prev))
            # "the fee you paid", "the £35 you paid before appealing"
            or (word == "you" and not pending and (_content(prev) or prev[:1] in "$€£¥"))
        ):
            pending += 1  # "the fabric he chose", "before it is sent": a clause of its own
        after = prev in _SUBORDINATORS | _PRONOUN_SUBJECTS
        why = _finite(words, i, after_subordinator=after, head=head)
        if why and pending:
            pending -= 1
            # "a retry after a timeout resent the whole batch": a noun with a time clause
            # ("the delay after the driver took a wrong turn") or a clause whose verb
            # follows a time phrase; nothing in the words tells which.
            either = either or (time_at_head and not pending and why != "auxiliary")
        elif why:
            return Reading("clause", reason=f"{why}: {word!r}")
        elif _past_form(word) and (prev == "," or _content(prev)) and not (left_head or pending):
            own_verb = True
        if word in _PREPOSITIONS:
            head = False
            left_head = left_head or word != "of"
    reason = "noun phrase with its own participle" if own_verb else "no finite verb"
    if either and not own_verb:
        reason = EITHER
    return Reading("noun", own_verb=own_verb, reason=reason)


EITHER = "noun with a time clause, or a clause whose verb follows a time phrase"
"""The reason `read` gives for a phrase that reads both ways: a frame that fits either
shape ("What went wrong: ...") is then used."""
