"""Channel form rules from the catalog: hard character limits (error), the target word range
(warning), and content a public channel must never carry (references, amounts, codes, the
recipient's name, personal data). What the customer posted publicly themselves (their own
flight number in their own message) is only a warning when a public reply repeats it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from heapq import merge

from contract.report import Finding, Fix, Severity
from guardrails.draft import Draft
from guardrails.facts import amount_spans, code_spans
from guardrails.lexicon import lexicon
from guardrails.normalise import fold, lowered
from guardrails.spans import MAX_PER_RULE, finding

LENGTH_RULE = "channel.max_chars"
WORDS_RULE = "channel.word_range"
PUBLIC_RULES = {
    "reference": "channel.public_reference",
    "amount": "channel.public_amount",
    "code": "channel.public_code",
    "recipient_name": "channel.public_recipient_name",
    "personal_data": "channel.public_personal_data",
}
_WORD = re.compile(r"\S+")
_REFERENCE = re.compile(
    r"#\s?\d{3,}|\b(?:order|account|ticket|case|invoice|booking|reference|ref|id|member(?:ship)?|"
    r"policy|claim|customer|student|patient|loyalty|card)\.?\s+"
    r"(?:number\s+|no\.?\s+|#\s?)?(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{2,}\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{7,}\d(?!\w)")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4}")
"""A date in digits ("2024-10-09", "09/10/2024"): the phone pattern's shape, but no phone."""


def check_length(draft: Draft) -> list[Finding]:
    """Over `max_chars` is an error; outside the `words` range is a warning."""
    body, channel = draft.body.text, draft.channel
    found: list[Finding] = []
    if channel.max_chars is not None and len(body) > channel.max_chars:
        found.append(
            finding(
                LENGTH_RULE,
                "error",
                f"{len(body)} characters; a {channel.label} message allows {channel.max_chars}.",
                body,
                channel.max_chars,
                len(body),
                "Shorten it: keep the apology, the specific issue and what has been done.",
            )
        )
    if channel.words is not None:
        low, high = channel.words
        count = len(body.split())
        if count > high:
            first_extra = next(m for i, m in enumerate(_WORD.finditer(body)) if i == high)
            found.append(
                finding(
                    WORDS_RULE,
                    "warning",
                    f"{count} words; a {channel.label} reads best at {low}-{high} words.",
                    body,
                    first_extra.start(),
                    len(body),
                    "Cut repetition and background; keep each element to a sentence or two.",
                )
            )
        elif count < low:
            found.append(
                finding(
                    WORDS_RULE,
                    "warning",
                    f"{count} words; a {channel.label} usually needs {low}-{high} words.",
                    body,
                    len(body),
                    len(body),
                    "Say more about what happened, what you have done and what changes.",
                )
            )
    return found


def _literal(text: str, needle: str | None, ignore_case: bool = True) -> Iterator[tuple[int, int]]:
    if needle and len(needle) >= 3:
        flags = re.IGNORECASE if ignore_case else 0
        for match in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text, flags):
            yield match.span()


def _person(name: str | None) -> str | None:
    """The recipient's name when it names a person, not a group ("our customers")."""
    if not name or not name.split():
        return None
    first = name.split()[0].lower().strip(",.")
    return None if first in lexicon().words("group_words") else name


def _spans(kind: str, draft: Draft) -> Iterator[tuple[int, int]]:
    """Where the body states content of a forbidden `kind`, in text order (each source is
    read in text order and the sources are merged), found as they are read: `check_public`
    stops after the findings a report keeps."""
    body, context = draft.body.text, draft.context
    runs: list[Iterable[tuple[int, int]]] = []
    if kind == "reference":
        runs.append(m.span() for m in _REFERENCE.finditer(body))
        if context is not None:
            runs.append(_literal(body, context.incident.reference))
    elif kind == "amount":
        runs.append(amount_spans(draft.body.low))
    elif kind == "code":
        runs.append(code_spans(body, draft.body.low))
    elif kind == "recipient_name" and context is not None:
        name = _person(context.recipient.name)
        if name:
            runs.append(_literal(body, name))
            # A first name alone only in its own capitalisation: "Will", "Grace".
            runs.append(_literal(body, name.split()[0], ignore_case=False))
    elif kind == "personal_data":
        own = (context.sender.contact or "").lower() if context is not None else ""
        runs.append(m.span() for m in _EMAIL.finditer(body) if m.group().lower() not in own)
        runs.append(
            m.span() for m in _PHONE.finditer(body) if m.group() not in own and _is_phone(m.group())
        )
        name = _person(context.recipient.name) if context is not None else None
        if name and " " in name:
            runs.append(_literal(body, name))
    return merge(*runs)


PUBLIC_INVITATION = "channel.public_invitation"
_PRIVATE = re.compile(
    r"\b(?:dms?|direct(?:ly)?\s+messag\w*|private(?:ly)?|message\s+us|inbox)\b", re.IGNORECASE
)


def check_public_invitation(draft: Draft) -> list[Finding]:
    """A public reply's invitation that keeps the conversation in public ("reply to this
    message", "contact us") when nothing in the reply moves it to a private channel: the
    details a person needs to share must not go in public. Its sentence is replaced by the
    composer's invitation to a direct message."""
    channel = draft.channel
    # A reply to one person in public; a published statement (it has a headline) sends
    # everyone affected to its support team instead.
    if not channel.public or channel.has_subject or _PRIVATE.search(draft.body.text):
        return []
    evidence = next(
        (
            e["evidence"]
            for e in draft.elements
            if e["element"] == "invitation" and e["present"] and e["evidence"] is not None
        ),
        None,
    )
    if evidence is None or evidence["field"] != "body":
        return []
    body = draft.body.text
    start, end = draft.body.sentences.bounds(evidence["start"], evidence["end"])
    return [
        finding(
            PUBLIC_INVITATION,
            "error",
            "Invites the person to continue in public; a public reply moves the conversation "
            "to a private message.",
            body,
            start,
            end,
            "Invite them to send a direct message.",
            fix=Fix(action="replace", fact="invitation"),
        )
    ]


def _said(text: str | None) -> str:
    """Text from the request, folded and lowercased with single spaces."""
    return " ".join(lowered(fold(text).text).split()) if text else ""


def _is_phone(number: str) -> bool:
    """A phone number, not a date in digits ("09/10/2024") or a year beside a number written
    with spaces only ("2025 1099 forms"): spaces alone need nine digits or more."""
    if _DATE.fullmatch(number):
        return False
    return bool(re.search(r"[().-]|^\+", number)) or sum(c.isdigit() for c in number) >= 9


class _Read:
    """Spans in text order, read one at a time, remembering those read."""

    def __init__(self, spans: Iterator[tuple[int, int]]) -> None:
        self.rest, self.read, self.last = spans, set[tuple[int, int]](), (-1, -1)

    def next(self) -> tuple[int, int] | None:
        span = next(self.rest, None)
        if span is not None:
            self.read.add(span)
            self.last = span
        return span

    def holds(self, span: tuple[int, int]) -> bool:
        """Whether `span` is one of the spans, read up to it."""
        while self.last < span and self.next() is not None:
            pass
        return span in self.read


def check_public(draft: Draft) -> list[Finding]:
    """Content the channel's `forbidden` list bans, because anyone can read the message."""
    body, channel = draft.body.text, draft.channel
    label = channel.label.lower()
    label = label if label.startswith("public") else f"public {label}"
    context = draft.context
    said = _said(context.incident.customer_message) if context is not None else ""
    # A code the caller's own summary of the incident states ("our EU-2 region", "your
    # 1099-NEC forms") is what the letter is about, not a reader's private reference; the
    # request's reference stays private.
    summary = _said(context.incident.summary) if context is not None else ""
    reference = _said(context.incident.reference) if context is not None else ""
    found: list[Finding] = []
    # A span is reported once, as the first kind that holds it. Each kind is read only as far
    # as it needs: to its first `MAX_PER_RULE` new spans (all a report keeps), and for a
    # later kind's span, up to that span.
    earlier: list[_Read] = []
    for kind in channel.forbidden:
        spans, kept, previous = _Read(_spans(kind, draft)), 0, None
        while kept < MAX_PER_RULE and (span := spans.next()) is not None:
            if span == previous or any(other.holds(span) for other in earlier):
                continue
            previous, kept = span, kept + 1
            start, end = span
            what = kind.replace("_", " ")
            excerpt = " ".join(draft.body.low[start:end].split())
            severity: Severity
            if said and excerpt in said:
                severity, message = (
                    "warning",
                    (
                        f"Repeats {what} the customer posted publicly themselves; a {label} "
                        "need not repeat it."
                    ),
                )
            elif kind == "code" and excerpt in summary and excerpt not in reference:
                severity, message = (
                    "warning",
                    (
                        f"Names a {what} from the incident's summary; check that a {label} may "
                        "show it."
                    ),
                )
            else:
                severity, message = "error", f"A {label} must not contain {what}."
            found.append(
                finding(
                    PUBLIC_RULES[kind],
                    severity,
                    message,
                    body,
                    start,
                    end,
                    "Keep specifics private: invite the person to continue by direct message.",
                    # The sentence goes; a remedy it carried is then found missing and put
                    # back in the composer's public wording, without figures.
                    fix=Fix(action="remove_sentence"),
                )
            )
        earlier.append(spans)
    return found
