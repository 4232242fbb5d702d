"""Whether a letter keeps the meaning of each remedy and prevention step the caller wrote.

A caller's description may be reframed (a verb of ours in front, a date after, "you" for the
customer's "I"), but its own words must reach the letter in their order, with nothing put
inside them except an auxiliary before an outcome participle ("the fee refunded" -> "the fee
has been refunded"). An auxiliary before any other participle reverses the meaning: "any late
fee charged by us" (what we refund) read as "any late fee will be charged by us" (a threat).

`meaning_problems` is independent of the composer's own word lists on purpose: it reads the
letter as text, so a frame that breaks a description is caught whatever code produced it.
"""

from __future__ import annotations

import re

from contract.models import DraftRequest
from service.composer.caller import active

# Said of a remedy's noun, these say what the remedy does to it; an auxiliary may go before.
_OUTCOMES = frozenset(
    [
        "filed",  # "corrected forms will be filed with the IRS"
        "completed",  # "your transfer will be completed"
        "traced",  # "your sample will be traced"
        "processed",
        "located",
        "recovered",
        "expedited",
        "approved",
        "backdated",  # "interest has been backdated"
        "paused",  # "your payment plan will be paused until ..."
        "refunded",
        "submitted",
        "returned",
        "credited",
        "waived",
        "cancelled",
        "canceled",
        "reversed",
        "removed",
        "replaced",
        "repaired",
        "fixed",
        "restored",
        "reinstated",
        "resent",
        "re-sent",
        "reissued",
        "rebooked",
        "sent",
        "delivered",
        "redelivered",
        "shipped",
        "posted",
        "dispatched",
        "couriered",
        "fitted",
        "installed",
        "upgraded",
        "extended",
        "covered",
        "paid",
        "released",
        "switched",
        "turned",
        "disabled",
        "unblocked",
        "applied",
        "added",
        "transferred",
        "moved",
        "corrected",
        "updated",
        "amended",
        "resized",
        "cleaned",
        "serviced",
        "rebuilt",
        "relaunched",
        "reprinted",
        "redone",
        "reconnected",
        "unlocked",
        "reactivated",
        "deleted",
        "withdrawn",
        "dropped",
        "lifted",
        "cleared",
        "reset",
        "handed",
        "hand-delivered",
        "written",
        "honoured",
        "honored",
        "matched",
        "arranged",
        "scheduled",
        "rescheduled",
        "reopened",
        "renewed",
        "booked",
        "issued",
        "granted",
        "erased",
        "closed",
        "settled",
        "stopped",
        "frozen",
        "unfrozen",
        "reviewed",
        "recalculated",
        "reduced",
        "lowered",
        "cut",
        "hemmed",
        "altered",
        "remade",
        "prepared",
        "organised",
        "organized",
        "set",
        "given",
        "done",
        "made",
        "ordered",
        "printed",
        "produced",
    ]
)
_AUX_RUNS = (
    ("has", "been"),
    ("have", "been"),
    ("will", "be"),
    ("had", "been"),
    ("would", "be"),
    ("is",),
    ("are",),
    ("was",),
    ("were",),
    ("be",),
    ("been",),
)
# Person is converted (the customer's "my" is the reader's "your"): any of these match.
_PERSON = frozenset(
    [
        "i",
        "me",
        "my",
        "mine",
        "myself",
        "you",
        "your",
        "yours",
        "yourself",
        "we",
        "us",
        "our",
        "ours",
        "ourselves",
        "i'm",
        "you're",
        "i've",
        "you've",
        "i'll",
        "you'll",
        "i'd",
        "you'd",
        "we'll",
        "we've",
        "we're",
        "we'd",
        "he",
        "she",
        "him",
        "her",
        "his",
        "they",
        "them",
        "their",
    ]
)
_LEAD = frozenset(["a", "an", "the"])
_CODES = frozenset(["chf", "usd", "eur", "gbp", "jpy", "cad", "aud"])
_SUM = re.compile(r"[$€£¥]?\d[\d.,]*[$€£¥]?|chf|usd|eur|gbp|jpy|cad|aud")
_TOKEN = re.compile(r"[^\s]+")


def _tokens(text: str) -> list[str]:
    out = []
    for raw in _TOKEN.findall(text.lower().replace("’", "'")):
        word = raw.strip(".,;:!?()\"'")
        if word:
            out.append(word)
    return out


_IRREGULAR = {"send": "sent", "pay": "paid", "give": "given", "make": "made", "ring": "rung"}


def _outcome(word: str) -> bool:
    """An outcome participle, also with a "re-" in front ("re-ordered", "reprinted")."""
    bare = word.removeprefix("re-")
    return word in _OUTCOMES or bare in _OUTCOMES or word.removeprefix("re") in _OUTCOMES


def _same(want: str, got: str) -> bool:
    """The same word, up to person ("my" -> "your") and a verb put in the past for our
    frame ("confirm they were deleted" -> "confirmed they were deleted")."""
    if want == got or (want in _PERSON and got in _PERSON):
        return True
    past = {want + "ed", want + "d", want[:-1] + "ied", _IRREGULAR.get(want, "")}
    return got in past


def _match(want: list[str], letter: list[str], start: int) -> tuple[bool, list[str]]:
    """Walk `want` through `letter` from `start`; returns whether all of it was found and
    the words an inserted auxiliary went in front of."""
    j, k, inserted = 0, start, []
    while j < len(want):
        if k < len(letter) and _same(want[j], letter[k]):
            j, k = j + 1, k + 1
            continue
        if j == 0 or k >= len(letter):
            return False, inserted
        if letter[k] == "of" and k + 2 < len(letter) and _SUM.fullmatch(letter[k + 1]):
            k += 2  # the sum said after its noun: "the delivery fee of $6.99 has been refunded"
            if letter[k - 1] in _CODES and k < len(letter) and _SUM.fullmatch(letter[k]):
                k += 1  # "of CHF 20"
            continue
        if letter[k] in _PERSON and want[j] in _LEAD and j + 1 < len(want):
            j, k = j + 2, k + 1  # the reader named in the third person: "the patient" -> "you"
            continue
        for run in _AUX_RUNS:
            end = k + len(run)
            if tuple(letter[k:end]) == run and end < len(letter) and _same(want[j], letter[end]):
                inserted.append(want[j])
                k = end
                break
        else:
            return False, inserted
    return True, inserted


def description_kept(description: str, letter: str) -> str:
    """ "" when the description reads in the letter with its meaning; else what is wrong."""
    want = _tokens(description)
    while want and want[0] in _LEAD:
        want = want[1:]
    if len(want) < 3:
        return ""  # a word or two ("credit", "monitoring") carries no order to break
    if len(want) > 40:
        want = want[:40]  # a field at its length limit is said in part, or summarised
    words = _tokens(letter)
    # An instruction's verb is turned to fit our frame ("Call ..." -> "called ..."): the
    # words after it must still read in order. So must the thing a "refund of ..." names
    # once it is told as "refunded ...".
    bodies = [want, want[1:]]
    if len(want) > 3 and want[0] in ("refund", "refunds") and want[1] in ("of", "for", "on"):
        bodies.append(want[2:])
    if len(want) > 4 and want[:2] == ["full", "refund"] and want[2] in ("of", "for", "on"):
        bodies.append(want[3:])
    if len(want) > 2 and want[-1] in ("refunded", "credited"):
        bodies.append(
            want[:-1]
        )  # "your tickets refunded": "we have refunded ¥1000 for your tickets"
    if len(want) > 4 and want[-3:] == ["refunded", "in", "full"]:
        bodies.append(want[:-3])  # "the screen repair refunded in full": "the full £89 for ..."
    ours = active(description)
    if ours:
        # "new brake pads fitted on Thursday" offered as "we'd like to fit new brake pads on
        # Thursday": our verb first, then the rest in the caller's order.
        bodies.append(_tokens(" ".join(ours)))
    for body in bodies:
        bad: list[str] = []
        for start, word in enumerate(words):
            if not _same(body[0], word):
                continue
            found, inserted = _match(body, words, start)
            if not found:
                continue
            wrong = [w for w in inserted if not _outcome(w)]
            if not wrong:
                return ""
            bad = wrong
        if bad:
            return f"an auxiliary inserted before {bad[0]!r} in {description!r}"
    # A letter that says the remedy by its kind alone ("refund 15 percent, coming") has not
    # tried to say the description; one that uses most of its words must keep their order.
    content = [w for w in want if len(w) > 3]
    used = [w for w in content if w in words]
    if len(used) * 5 < len(content) * 3:
        return ""
    return f"not said in order: {description!r}"


def meaning_problems(request: DraftRequest, letter: str) -> list[str]:
    """Each remedy's and step's description that the letter reverses, breaks up or
    reorders. Short channels say a remedy by its kind and public channels drop figures, so
    only the channels that state descriptions whole (letter, email, chat) are held to
    "said in order"; an inserted auxiliary is wrong on every channel."""
    whole = request.channel in ("letter", "email", "chat") and request.max_words is None
    problems = []
    texts = [r.description for r in request.remedies]
    texts += [p.description for p in request.prevention]
    for text in texts:
        found = description_kept(text, letter)
        if found.startswith("an auxiliary") or (found and whole and len(text.split()) <= 40):
            problems.append(found)
    return problems
