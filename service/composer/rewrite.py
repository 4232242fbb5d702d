"""The offline rewrite: a draft in another tone, channel or length, with every fact kept.

Two routes, chosen by whether the caller sent the facts the draft was written from:

* With `context`: recompose. The context is given the target tone and channel (each defaults
  to the context's own), and the operation steers the composer: `shorten` keeps only the
  sentences that carry a fact or a required element and picks the shortest wording,
  `expand` adds the optional empathy and explanation sentences, `simplify` prefers the
  plain-word variants and swaps formal words, `more_formal` and `friendlier` set the
  register and contractions. Then every fact token of the source draft (amount, percentage,
  code, reference, date, any digit group) that the context authorises and the target channel
  allows is checked for in the result; a missing one brings its source sentence along.
* Without `context`: transform the text itself. The body is split into greeting, paragraphs
  of sentences and sign-off; register transforms swap contractions, greeting and sign-off;
  `shorten` drops sentences that carry no fact token and no element keyword; `expand` adds one
  empathy sentence; and the result is laid out again for the target channel (SMS and social
  keep the most valuable sentences within their character limit, chat drops the signature
  and ends on a question). A public social reply drops sentences carrying order references,
  amounts or codes: the channel forbids them, which overrides "keep every fact".
"""

from __future__ import annotations

import hashlib
import re

from contract.catalog import get_catalog
from contract.models import DraftRequest, RewriteRequest
from service.composer import facts
from service.composer.compose import compose
from service.composer.draft import ComposedDraft, ComposeOptions
from service.composer.layout import ESSENTIAL, OPTIONAL, STRATEGY, Line, fit_single
from service.composer.person import is_honorific
from service.composer.phrases import Picker, Situation
from service.composer.voice import contract, expand, plainer

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_GREETING = re.compile(
    r"^(dear|hi|hello|hey|good (morning|afternoon|evening))\b[^\n]{0,60}[,:]?$", re.IGNORECASE
)
_SIGNOFF = re.compile(r"^[A-Z][A-Za-z ]{1,30},$")
_ELEMENT_WORDS = re.compile(
    r"\b(sorry|apolog\w*|regret\w*|responsib\w*|on us|our mistake|refund\w*|credit\w*|"
    r"discount|replace\w*|prevent\w*|reply|contact|message|thank\w*|put (this|it) right)\b",
    re.IGNORECASE,
)
_PUBLIC_DROP = {"social": ("reference", "amount", "code"), "public_statement": ("reference",)}


def rewrite(request: RewriteRequest) -> ComposedDraft:
    """Rewrite `request.draft` as asked; see the module docstring for the two routes."""
    if request.context is not None:
        return _recompose(request, request.context)
    return _transform(request)


# --- with context -------------------------------------------------------------------------


def _forbidden_tokens(context: DraftRequest, channel: str) -> set[str]:
    drop = _PUBLIC_DROP.get(channel, ())
    found: set[str] = set()
    if "reference" in drop and context.incident.reference:
        found |= facts.fact_tokens(context.incident.reference) | {context.incident.reference}
    for remedy in context.remedies:
        if "amount" in drop and remedy.amount:
            found |= facts.fact_tokens(remedy.amount) | {remedy.amount}
        if "code" in drop and remedy.code:
            found |= facts.fact_tokens(remedy.code) | {remedy.code}
    return found


def _authorised_tokens(context: DraftRequest) -> set[str]:
    # The customer's message is untrusted: a figure that appears only there is not a fact.
    trusted = context.model_copy(
        update={"incident": context.incident.model_copy(update={"customer_message": None})}
    )
    return facts.fact_tokens(trusted.model_dump_json())


def _recompose(request: RewriteRequest, context: DraftRequest) -> ComposedDraft:
    target = context.model_copy(
        update={"tone": request.tone or context.tone, "channel": request.channel or context.channel}
    )
    options = ComposeOptions(operation=request.operation)
    draft = compose(target, options)
    source = f"{request.draft.subject or ''}\n{request.draft.body}"
    wanted = facts.fact_tokens(source) & _authorised_tokens(target)
    wanted -= _forbidden_tokens(target, target.channel)
    result = f"{draft.subject or ''}\n{draft.body}"
    missing = sorted(t for t in wanted if t not in result)
    if not missing:
        return draft
    carried = [s for s in _sentences(request.draft.body) if any(t in s for t in missing)]
    lines = tuple(
        expand(s) if not get_catalog().tones[target.tone].contractions else s for s in carried
    )
    return compose(target, ComposeOptions(operation=request.operation, extra_lines=lines))


# --- without context ----------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    return [
        s for para in text.split("\n\n") for s in _SENTENCE_END.split(" ".join(para.split())) if s
    ]


def _split(body: str) -> tuple[str | None, list[list[str]], str | None, list[str]]:
    """Greeting, paragraphs of sentences, sign-off and signature lines."""
    paragraphs = [p.strip() for p in body.strip().split("\n\n") if p.strip()]
    greeting = None
    if paragraphs and "\n" not in paragraphs[0] and _GREETING.match(paragraphs[0]):
        greeting = paragraphs.pop(0)
    signoff, signature = None, []
    if paragraphs:
        last = paragraphs[-1].split("\n")
        if _SIGNOFF.match(last[0].strip()):
            signoff, signature = last[0].strip(), [x.strip() for x in last[1:] if x.strip()]
            paragraphs.pop()
    return greeting, [_sentences(p) for p in paragraphs], signoff, signature


def _register(request: RewriteRequest) -> tuple[str | None, bool | None]:
    if request.operation == "more_formal":
        return "formal", False
    if request.operation == "friendlier":
        return "informal", True
    if request.tone:
        tone = get_catalog().tones[request.tone]
        return tone.formality, tone.contractions
    return None, None


def _greet(greeting: str | None, register: str | None) -> str | None:
    if greeting is None or register is None:
        return greeting
    name = re.sub(r"^(dear|hi|hello|hey|good \w+)\s*", "", greeting, flags=re.IGNORECASE)
    name = name.rstrip(",:").strip()
    if register == "formal":
        return f"Dear {name}," if name else "Dear customer,"
    if register == "informal":
        first = name.split(" ", 1)[0]
        # "Hi Dr" reads wrongly; keep a title with the surname.
        first = name if is_honorific(first) else first
        return f"Hi {first}," if first else "Hello,"
    return greeting


def _valuable(sentence: str) -> bool:
    return bool(facts.fact_tokens(sentence) or _ELEMENT_WORDS.search(sentence))


def _shorten(paragraphs: list[list[str]]) -> list[list[str]]:
    kept = [[s for s in para if _valuable(s)] for para in paragraphs]
    return [p for p in kept if p]


def _expansion(body: str) -> str | None:
    seed = int.from_bytes(hashlib.sha256(body.encode("utf-8")).digest()[:8], "big")
    where = Situation(
        register="neutral",
        tone="professional",
        audience="customer",
        posture="cautious",
        channel="email",
    )
    variant = Picker(seed=seed, where=where).pick("expand_empathy", {})
    return variant.text if variant else None


def _transform(request: RewriteRequest) -> ComposedDraft:
    body = request.draft.body
    channel = request.channel or _guess_channel(request)
    greeting, paragraphs, signoff, signature = _split(body)
    register, contractions = _register(request)
    if request.operation == "shorten":
        paragraphs = _shorten(paragraphs)
    if request.operation == "expand" and paragraphs:
        extra = _expansion(body)
        if extra:
            paragraphs[0] = [*paragraphs[0], extra]

    def voice(text: str) -> str:
        if request.operation == "simplify":
            text = plainer(text)
        if register == "formal":
            text = text.replace("!", ".")
        if contractions is True:
            return contract(text)
        return expand(text) if contractions is False else text

    greeting = _greet(greeting, register)
    if register == "formal" and signoff:
        signoff = "Kind regards,"
    elif register == "informal" and signoff:
        signoff = "Warm regards,"
    paragraphs = [[voice(s) for s in p] for p in paragraphs]
    subject = voice(request.draft.subject) if request.draft.subject else None
    return _relayout(channel, subject, greeting, paragraphs, signoff, signature)


def _guess_channel(request: RewriteRequest) -> str:
    if request.draft.subject:
        return "email"
    return "sms" if len(request.draft.body) <= 320 and "\n" not in request.draft.body else "letter"


def _relayout(
    channel: str,
    subject: str | None,
    greeting: str | None,
    paragraphs: list[list[str]],
    signoff: str | None,
    signature: list[str],
) -> ComposedDraft:
    entry = get_catalog().channels[channel]
    sentences = [s for p in paragraphs for s in p]
    if channel in ("sms", "social"):
        if channel == "social":
            sentences = [s for s in sentences if not facts.fact_tokens(s)]
            if not any("message" in s.lower() for s in sentences):
                sentences.append("Please send us a direct message so we can put this right.")
        pieces = [
            Line(
                s,
                "body",
                ESSENTIAL
                if facts.fact_tokens(s)
                else STRATEGY
                if _ELEMENT_WORDS.search(s)
                else OPTIONAL,
            )
            for s in sentences
        ]
        return ComposedDraft(subject=None, body=fit_single(pieces, entry.max_chars or 320))
    parts: list[str] = []
    if entry.has_greeting and greeting:
        parts.append(greeting)
    parts += [" ".join(p) for p in paragraphs if p]
    if channel == "chat":
        if not parts or not parts[-1].rstrip().endswith("?"):
            parts.append("Is there anything else I can help you with today?")
    elif entry.has_signature and (signoff or signature):
        closing = ([signoff] if signoff and not entry.public else []) + signature
        parts.append("\n".join(closing))
    if entry.has_subject and not subject:
        subject = "Our apology, and what we are doing about it"
    return ComposedDraft(subject=subject if entry.has_subject else None, body="\n\n".join(parts))
