"""The offline rewrite: a draft in another tone, channel or length, with every fact kept.

Two routes, chosen by whether the caller sent the facts the draft was written from:

* With `context`: recompose from the facts. The target tone and channel default to the
  context's own; `shorten` writes the short voice (essential parts, shortest wordings)
  within 65% of the source's words, `expand` the long voice (explanation, next steps,
  thanks: structure, never new facts), `simplify` the plain-word variants in short
  sentences, `more_formal`/`friendlier` the formal or informal register. A fact token of
  the source (amount, code, reference, date, any digit group) that the context authorises
  and the target channel allows, but the result lacks, brings its source sentence along.
* Without `context`: recover everything from the draft. Its sentences are sorted by what
  they carry (greeting, sign-off, signature, the guardrail elements, fact tokens) and laid
  out again for the target channel; the operation is applied to the text (dropping
  sentences with no fact and no element, adding our own structural sentences, plain words
  in shorter sentences, contractions and greetings for the register). `shorten` keeps
  what happened, every commitment and the reference, then gives up our own sentences by
  the plan's priority (optional, strategy, then the background: impact, cause), each
  recognised by its wording in the phrase bank, until the letter is within 65% of the
  source's words. A public target drops sentences carrying references, amounts, codes or
  the reader's name. Any element the target channel requires that the draft does not
  carry is supplied by a generic sentence of ours, so every source converts to every
  target.

No route ever cuts a sentence: short channels keep whole sentences in order of value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import guardrails
from contract.catalog import get_catalog
from contract.models import DraftRequest, RewriteRequest
from service.composer.build import (
    SOBER_LEADS,
    ComposedDraft,
    ComposeOptions,
    DoesNotFit,
    Line,
    Part,
    compose,
    fit,
    impersonal,
    plan,
)
from service.composer.caller import mid, proper_words
from service.composer.person import is_honorific
from service.composer.phrases import Picker, Situation, Variant, letter_bank
from service.composer.voice import contract, expand, has_contraction, plainer, split_long

MONEY = (
    r"[$€£¥]\s?\d[\d,]*(?:\.\d+)?|\b(?:USD|EUR|GBP|CAD|AUD|CHF|JPY)\s?\d[\d,]*(?:\.\d+)?|"
    r"\b\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR|GBP|CAD|AUD|CHF|JPY\b|[$€£¥])"
)
"""An amount: "£86.20", "CHF 350", "20 CHF", "500$"."""
PERCENT = r"\b\d+(?:\.\d+)?\s?(?:%|percent\b|per cent\b)"
CODE = r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]*[A-Z0-9]\b"
NUMBER = r"\d+(?:[.,:]\d+)*"
_TOKEN = re.compile(f"{MONEY}|{PERCENT}|{CODE}|{NUMBER}")

SHORTEN_RATIO = 0.65
EXPAND_RATIO = 1.3


def fact_tokens(text: str) -> set[str]:
    """Amounts, percentages, codes/references and every other digit group in `text`."""
    return {m.group(0).strip() for m in _TOKEN.finditer(text)}


def rewrite(request: RewriteRequest) -> ComposedDraft:
    """Rewrite `request.draft` as asked; see the module docstring for the two routes."""
    if request.context is not None:
        return _recompose(request, request.context)
    return _transform(request)


def words(text: str) -> int:
    return len(text.split())


# --- with context -------------------------------------------------------------------------

_PUBLIC_DROP = {"social": ("reference", "amount", "code"), "public_statement": ("reference",)}


def _forbidden_tokens(context: DraftRequest, channel: str) -> set[str]:
    drop = _PUBLIC_DROP.get(channel, ())
    found: set[str] = set()
    if "reference" in drop and context.incident.reference:
        found |= fact_tokens(context.incident.reference) | {context.incident.reference}
    for remedy in context.remedies:
        if "amount" in drop and remedy.amount:
            found |= fact_tokens(remedy.amount) | {remedy.amount}
        if "code" in drop and remedy.code:
            found |= fact_tokens(remedy.code) | {remedy.code}
    return found


def _authorised_tokens(context: DraftRequest) -> set[str]:
    # The customer's message is untrusted: a figure that appears only there is not a fact.
    trusted = context.model_copy(
        update={"incident": context.incident.model_copy(update={"customer_message": None})}
    )
    return fact_tokens(trusted.model_dump_json())


def _commitment_tokens(context: DraftRequest) -> set[str]:
    texts = [context.incident.reference or ""]
    for r in context.remedies:
        texts += [r.description, r.amount or "", r.code or "", r.date or ""]
    for p in context.prevention:
        texts += [p.description, p.metric or ""]
    return fact_tokens(" ".join(texts))


def _compose_for(request: RewriteRequest, target: DraftRequest) -> ComposedDraft:
    operation = request.operation
    source_words = words(request.draft.body)
    if operation == "shorten":
        limit = max(20, int(source_words * SHORTEN_RATIO))
        if target.max_words is not None:
            limit = min(limit, target.max_words)
        try:
            return compose(
                target.model_copy(update={"max_words": limit}), ComposeOptions(operation)
            )
        except DoesNotFit as exc:
            # The facts need a few more words than 65%: the shortest letter that holds them,
            # within the request's own `max_words` where it has one.
            needed = max(20, exc.needed)
            if exc.field == "max_words" and (
                target.max_words is None or needed <= target.max_words
            ):
                try:
                    short = compose(
                        target.model_copy(update={"max_words": needed}), ComposeOptions(operation)
                    )
                    # Then told in fewer words where it can be ("From now on, ...").
                    return _tightened(short, target.channel, SHORTEN_RATIO * source_words)
                except DoesNotFit:
                    pass
            if target.max_words is not None:
                # `max_words` is a hard limit: within it, or `DoesNotFit` (a 422).
                return compose(target, ComposeOptions(operation))
            return compose(target.model_copy(update={"max_words": None}), ComposeOptions(operation))
    if operation == "expand":
        long = compose(target.model_copy(update={"max_words": None}), ComposeOptions(operation))
        if target.max_words is None or words(long.body) <= target.max_words:
            return long
        # The request's `max_words` outranks 130%: the added structure gives way first.
    return compose(target, ComposeOptions(operation))


def _errors(draft: ComposedDraft, target: DraftRequest) -> bool:
    report = guardrails.check(
        draft.body, subject=draft.subject, channel=target.channel, context=target
    )
    return bool(report.errors)


def _recompose(request: RewriteRequest, context: DraftRequest) -> ComposedDraft:
    target = context.model_copy(
        update={"tone": request.tone or context.tone, "channel": request.channel or context.channel}
    )
    draft = _with_facts(request, target, _compose_for(request, target))
    if request.channel and _errors(draft, target):
        # The facts drafted afresh for the target fail its checks ("To make amends: our fee
        # for the application £1,200, done." omits the refund): the caller's own draft laid
        # out for the target, where that passes with every remedy figure the channel may say.
        laid_out = _transform(request.model_copy(update={"context": None}))
        promised = " ".join(v for r in target.remedies for v in (r.amount, r.code, r.date) if v)
        owed = fact_tokens(promised) - _forbidden_tokens(target, target.channel)
        kept = fact_tokens(laid_out.body) | fact_tokens(laid_out.subject or "")
        if owed & fact_tokens(request.draft.body) <= kept and not _errors(laid_out, target):
            return laid_out
    formal = get_catalog().tones[target.tone].formality == "formal"
    dear = _DEAR_FULL_NAME.match(draft.body)
    if target.channel == "chat" and dear and not formal:
        # `more_formal` on a chat in a warmer tone: "Dear Leo Martins," is a letter's
        # greeting, which the chat's own tone does not excuse; a chat greets "Hello Leo,".
        body = f"Hello {dear.group('first')}," + draft.body[dear.end() :]
        return ComposedDraft(subject=draft.subject, body=body)
    return draft


_DEAR_FULL_NAME = re.compile(
    r"^Dear (?!(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\b)(?P<first>[A-Z][\w'-]*)(?: [A-Z][\w'-]*)+,"
)


def _with_facts(
    request: RewriteRequest, target: DraftRequest, draft: ComposedDraft
) -> ComposedDraft:
    """`draft`, recomposed with the source's sentences for any authorised figure it lacks."""
    source = f"{request.draft.subject or ''}\n{request.draft.body}"
    authorised = _authorised_tokens(target)
    if request.operation == "shorten" or get_catalog().channels[target.channel].public:
        # A shorter letter keeps every commitment (remedies, steps, the reference); the
        # figures of the background (the impact, the cause) may go with their sentences.
        # A public text does not retell one reader's story ("your certificate still hasn't
        # arrived after 3 weeks"), so no sentence of it is carried over for its figures.
        authorised = _commitment_tokens(target)
    wanted = fact_tokens(source) & authorised
    wanted -= _forbidden_tokens(target, target.channel)
    result = f"{draft.subject or ''}\n{draft.body}"
    missing = sorted(t for t in wanted if t not in result)
    if not missing:
        return draft
    _, paragraphs, _, _ = _split(request.draft.body)  # not the greeting or the signature
    carried = [s for p in paragraphs for s in p if any(t in s for t in missing)]
    contractions = get_catalog().tones[target.tone].contractions
    lines = tuple(s if contractions else expand(s) for s in carried)
    options = ComposeOptions(operation=request.operation, extra_lines=lines)
    try:
        return compose(target, options)
    except DoesNotFit:
        # The target's limit leaves no room for the carried sentences: the recomposed
        # draft, which states every fact the channel has room for, stands.
        return draft


# --- without context ----------------------------------------------------------------------

# A full stop after an abbreviation ("Job no. CV/2291", "Dr. Rao") ends no sentence.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\bno\.)(?<!\bNo\.)(?<!\bnr\.)(?<!\bref\.)(?<!\bRef\.)(?<!\bMr\.)"
    r"(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bMrs\.)\s+(?=[A-Z\"'(0-9])"
)
_GREETING = re.compile(
    r"^(?:(dear|hi|hello|hey|good (morning|afternoon|evening))\b[^\n]{0,60}[,:]?|@\w+,)$",
    re.IGNORECASE,
)
_SIGNOFF = re.compile(r"^[A-Z][A-Za-z ]{1,30},$")
_CHAT_QUESTION = "Is there anything else I can help you with today?"
_CHAT_ENDING = re.compile(r"^Is there anything else (?:I|we) can\b.*\?$")
_GENERIC = {
    # What a target channel requires and the draft may lack, in our own generic words.
    "acknowledgment": "I am writing about what happened.",
    "regret": "I am truly sorry.",
    "responsibility": "We are taking responsibility for putting this right.",
    "amends": "To make amends, please tell me what would help most and I will take it from there.",
    # Only when the source draft had a step the rewrite lost: a review, not a change nobody
    # authorised ("put the right safeguards in place").
    "prevention": "We are reviewing what led to this.",
    "invitation": "Please reply with any questions.",
    "close": "Thank you for your patience while we put this right.",
}
_PUBLIC_GENERIC = {
    "amends": "To make amends, our team is ready to help everyone affected directly.",
    "invitation": "If you were affected and need help, please get in touch with us.",
    "close": "We are grateful for the patience of everyone affected.",
}
_THANKS = re.compile(r"^(?:Thank you|Thanks|We are grateful|We're grateful|I am grateful)\b")
_SOCIAL_INVITE = "Please send us a direct message so we can put this right for you."
_DATE_WORDS = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|"
    r"March|April|May|June|July|August|September|October|November|December|tomorrow|"
    r"today|tonight)\b"
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_SUBJECT = "Our apology, and what we are doing to put this right"
_EXPANSIONS = ("expand_empathy", "expand_explain", "expand_recap", "expand_next", "expand_thanks")
_STEPLESS = frozenset({"expand_explain", "expand_recap"})
"""Expansion slots with a variant for a draft that has no prevention step."""


def sentences(text: str) -> list[str]:
    return [
        s for para in text.split("\n\n") for s in _SENTENCE_END.split(" ".join(para.split())) if s
    ]


_INLINE_GREETING = re.compile(
    r"^(?P<greeting>(?:Dear|Hi|Hello|Hey)(?: (?:[A-Z@][\w'@.-]*|and|&|customer|all|everyone|"
    r"there|team)){0,4}|"
    r"Good (?:morning|afternoon|evening))\s*[,!.]\s+(?P<rest>[A-Za-z\"'].*)$",
    re.DOTALL,
)
_HANDLE = re.compile(r"^(?P<greeting>@\w+)[,:]?\s+(?P<rest>[A-Za-z].*)$", re.DOTALL)
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013]|\d{1,2}[.)])\s+(?P<item>\S.*)$")
_WHAT_WE_DO = re.compile(
    r"\bwhat (?P<who>we|I)(?: (?P<modal>will|are going to|have|'ve|\u2019ve|'ll|\u2019ll))?"
    r" (?:do|done|did|doing)\b[^:]*:$",
    re.IGNORECASE,
)
_HEADLINE = re.compile(r"^(?:Re|Subject):\s*", re.IGNORECASE)


def _listed(lead: str, items: list[str]) -> list[str]:
    """A list as sentences. Items that are sentences stand alone (a lead naming them, "What
    happened:", goes); fragments after "Here is what we will do:" become "We will ...";
    other fragments are one sentence after their lead."""
    items = [i.strip().rstrip(";,") for i in items]
    if all(i[:1].isupper() and i[-1:] in ".!?" for i in items):
        return ([lead] if lead and not lead.endswith(":") else []) + items
    doing = _WHAT_WE_DO.search(lead)
    if doing:
        who = "We" if doing.group("who").lower() == "we" else "I"
        modal = (doing.group("modal") or "will").replace("\u2019", "'")
        modal = {"'ve": "have", "'ll": "will", "are going to": "will"}.get(modal, modal)
        return [f"{who} {modal} {i[:1].lower() + i[1:].rstrip('.')}." for i in items]
    said = [i[:1].lower() + i[1:].rstrip(".") for i in items]
    joined = "; ".join(said[:-1]) + ("; and " if len(said) > 2 else " and ") + said[-1]
    head = lead.rstrip(":").strip()
    return [f"{head}: {joined}." if head else joined[:1].upper() + joined[1:] + "."]


def _as_prose(body: str) -> tuple[str, str | None]:
    """A draft written by hand or by a model, in the paragraphs `_split` reads, and its
    headline: a greeting at the start of the message ("Hi Priya, sorry your ...", "@sam
    we're so sorry ...") on its own line; a headline line ("Re: Water leak at 22 Harbour
    Road", "Update on delayed parcels") taken out; bulleted or numbered items told as
    sentences; a sign-off set apart from the name under it joined to it."""
    paragraphs = [p.strip() for p in body.strip().split("\n\n") if p.strip()]
    headline = None
    if paragraphs:
        first = paragraphs[0]
        inline = _INLINE_GREETING.match(first) or _HANDLE.match(first)
        if inline and not _GREETING.match(first):
            rest = inline.group("rest")
            paragraphs[0:1] = [inline.group("greeting") + ",", rest[:1].upper() + rest[1:]]
        elif (
            len(paragraphs) > 1
            and "\n" not in first
            and first[-1:] not in ".!?,:"
            and len(first.split()) <= 12
            and not _SIGNOFF.match(first)
        ):
            headline = _HEADLINE.sub("", paragraphs.pop(0))
    out = []
    for para in paragraphs:
        lines = [ln.strip() for ln in para.split("\n") if ln.strip()]
        bullets = [_BULLET.match(ln) for ln in lines]
        if not any(bullets):
            out.append(para)
            continue
        first_item = next(i for i, b in enumerate(bullets) if b)
        lead = " ".join(lines[:first_item])
        items = [b.group("item") for b in bullets[first_item:] if b]
        rest = [ln for ln, b in zip(lines[first_item:], bullets[first_item:], strict=True) if not b]
        out.append(" ".join(_listed(lead, items) + rest))
    if (
        len(out) > 1
        and _SIGNOFF.match(out[-2])
        and all(len(ln.split()) <= 8 and ln[-1:] not in ".!?" for ln in out[-1].split("\n"))
    ):
        out[-2:] = [out[-2] + "\n" + out[-1]]
    return "\n\n".join(out), headline


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
        elif len(last) > 1 or (len(last[0].split()) <= 5 and last[0][-1:] not in ".!?"):
            # A bare signature block ("Quillnote", or name and title lines) with no sign-off.
            signature = [x.strip() for x in last if x.strip()]
            paragraphs.pop()
    # A trailing "- Org" on a text message is its signature.
    signed = (
        re.match(r"^(?P<text>.*[.!?])\s+-\s+(?P<org>[^.!?\n]+)$", paragraphs[-1])
        if (paragraphs and not signature)
        else None
    )
    if signed:
        paragraphs[-1], signature = signed.group("text"), [signed.group("org").strip()]
    if paragraphs and not signature:
        last_sentences = sentences(paragraphs[-1])
        if last_sentences and last_sentences[-1].startswith("- "):
            signature = [last_sentences[-1][2:]]
            paragraphs[-1] = " ".join(last_sentences[:-1])
    return greeting, [sentences(p) for p in paragraphs if p], signoff, signature


def _register(request: RewriteRequest) -> tuple[str | None, bool | None]:
    if request.operation == "more_formal":
        return "formal", False
    if request.operation == "friendlier":
        return "informal", True
    if request.tone:
        tone = get_catalog().tones[request.tone]
        return tone.formality, tone.contractions
    return None, None


def _name_of(greeting: str | None) -> str:
    if greeting is None:
        return ""
    name = re.sub(r"^(dear|hi|hello|hey|good \w+)\s*", "", greeting, flags=re.IGNORECASE)
    name = name.rstrip(",:").strip()
    return "" if name.lower() in ("customer", "sir or madam", "colleague", "") else name


def _greet(greeting: str | None, register: str | None, *, printed: bool = False) -> str | None:
    """The greeting in the register: formal "Dear Ella Park,"; informal "Hi Ella," or,
    on a printed letter, the letter's own "Dear ..." (as a letter composed friendlier
    from its request greets)."""
    if greeting is None or register is None:
        return greeting
    name = _name_of(greeting)
    if register == "formal":
        return f"Dear {name}," if name else "Dear customer,"
    if register == "informal" and printed:
        return greeting if name else "Hello,"
    if register == "informal":
        first = name.split(" ", 1)[0]
        # "Hi Dr" reads wrongly; keep a title with the surname. Two people, a family, a
        # team or a group keep every name: "Hi Chloe and Sam,", "Hi Halden & Moss LLP team,".
        several = re.search(r"&| and |\b(?:team|family)$|\b[a-z]", name)
        first = name if is_honorific(first) or several else first
        return f"Hi {first}," if first else "Hello,"
    return greeting


def _bank_sentence(slot: str, seed_text: str, *, public: bool, register: str) -> str | None:
    seed = sum(seed_text.encode("utf-8")) + len(seed_text)
    where = Situation(
        register=register,
        tone="professional",
        audience="public" if public else "customer",
        posture="cautious",
        channel="email",
    )
    variant = Picker(seed=seed, where=where).pick(slot, {})
    return variant.text if variant else None


def _elements(body: str, channel: str) -> dict[str, tuple[int, int]]:
    """Where each guardrail element is evidenced in `body` (no context: form checks only)."""
    report = guardrails.check(body, channel=channel)
    found: dict[str, tuple[int, int]] = {}
    for element in report.elements:
        if element.present and element.evidence is not None and element.evidence.field == "body":
            found[element.element] = (element.evidence.start, element.evidence.end)
    return found


def _carries_element(sentence: str, channel: str) -> set[str]:
    # A code is a code, whatever its letters say ("The code to use is DISH-SORRY.").
    return set(_elements(_GIVES_CODE.sub(r"\g<lead>CODE", sentence), channel))


_HAND_ASIDES = {
    "during which period": ". During that time,",
    "during which time": ". During that time,",
    "which consequently": ". This",
    "which in turn": ". This",
}
_HAND_ASIDE = re.compile(r",\s+(" + "|".join(_HAND_ASIDES) + r")\b")


def _simpler(sentence: str, *, public: bool = False) -> list[str]:
    """Our own wording's plain variant where the sentence is one of ours ("Please accept my
    sincere apologies." -> "I am sorry."), plain words, and a long sentence split where it
    joins two clauses."""
    swapped = _plain_variant(sentence, public=public)
    if swapped is None:
        # A hand-written sentence: its courtesies in plain words, its asides on their own.
        sentence = _HAND_ASIDE.sub(lambda m: _HAND_ASIDES[m.group(1)], _without_courtesy(sentence))
        parts = _SENTENCE_END.split(sentence)
        if len(parts) > 1:
            return [p for one in parts for p in _simpler(one)]
    if swapped is not None and has_contraction(sentence):
        swapped = contract(swapped)  # "I'm really sorry." -> "I'm sorry.", not "I am"
    if swapped is not None:
        # "Any questions? Just reply." stays one unit: the answer follows its question.
        units = re.split(r"(?<=\.)\s+", swapped)
        return [part for one in units for part in split_long(plainer(one))]
    return split_long(plainer(sentence))


_FIRST_SINGULAR_WORDS = re.compile(r"\b(?:I|me|my|myself)\b|\bI'")


@cache
def _templates() -> tuple[tuple[re.Pattern[str], str, Variant], ...]:
    """Each one-sentence, non-plain variant of a part that also has plain variants, as a
    pattern whose placeholders capture the caller's words."""
    out = []
    for slot, variants in letter_bank().items():
        if not any(v.plain for v in variants):
            continue
        for variant in variants:
            text = variant.text
            if variant.plain or ". " in text.rstrip(". ") or not text.endswith((".", "!", "?")):
                continue
            # An organisation's letter says the same sentence as "we" ("We are truly sorry.").
            ours = impersonal(text)
            for said in dict.fromkeys((text, ours[:1].upper() + ours[1:])):
                pattern, last = "", 0
                for match in re.finditer(r"\{(\w+)\}", said):
                    pattern += re.escape(said[last : match.start()]) + f"(?P<{match.group(1)}>.+?)"
                    last = match.end()
                pattern += re.escape(said[last:])
                out.append((re.compile(f"^{pattern}$"), slot, variant))
    return tuple(out)


def _plain_variant(sentence: str, *, public: bool) -> str | None:
    """The plain variant of the part `sentence` was written from, filled with the same
    caller words, or None when the sentence is not one of ours (or its part has no plain
    variant that needs only those words)."""
    full = expand(sentence)
    audience = "public"
    for pattern, slot, source in _templates():
        match = pattern.match(full)
        if match is None:
            continue
        values = {k: v for k, v in match.groupdict().items() if v}
        for plain in letter_bank()[slot]:
            if not plain.plain or not plain.fields <= set(values) or plain.text == source.text:
                continue
            audiences = plain.audiences & (source.audiences or plain.audiences)
            if plain.audiences and not (audiences if not public else audience in audiences):
                continue
            if not public and audiences == {"public"}:
                continue
            if source.postures and plain.postures and not source.postures & plain.postures:
                continue
            if plain.channels and not source.channels & plain.channels:
                continue
            text = plain.text.format(**{**{k: "" for k in plain.fields}, **values})
            if not _FIRST_SINGULAR_WORDS.search(full):
                text = impersonal(text)  # an organisation's "we" stays "we"
                text = text[:1].upper() + text[1:]
            if len(text.split()) >= len(full.split()):
                continue
            if not _carries_element(full, "email") <= _carries_element(text, "email"):
                continue  # the plain wording must still carry what ours carried
            return text
        return None
    return None


_DROP_TIERS = {"optional": 0, "strategy": 1, "fact": 2}
"""What a shortened letter gives up first, as the plan ranks its parts under a limit: our
optional sentences, then the strategy lines, then the background (impact, cause)."""
_KEPT_PARTS = frozenset({"follow_up"})
"""Parts a shortened letter keeps whatever their priority: a promise to write again."""


def _pieces(template: str) -> list[str]:
    """The sentences of a variant ("I am writing about {ref_phrase}. {summary}")."""
    return re.split(r"(?<=[.!?]) (?=[{A-Z])", template)


@cache
def _part_patterns() -> tuple[tuple[re.Pattern[str], str, int | None], ...]:
    """Each sentence of each variant of a letter part, as a pattern whose placeholders take
    the caller's words, with its part and the tier at which a shortened letter drops it
    (None: never)."""
    tiers: dict[str, int | None] = {}
    for entry in plan().parts["letter"]:
        tier = _DROP_TIERS.get(entry.priority)
        if entry.part in _KEPT_PARTS:
            tier = None
        # A part ranked twice ("no_cause": optional, a fact under the cautious posture)
        # takes its higher rank.
        known = tiers.get(entry.part, tier)
        tiers[entry.part] = None if known is None or tier is None else max(known, tier)
    out = []
    for slot, variants in letter_bank().items():
        tier = tiers.get(slot)  # a remedy's or a step's own wording is never dropped
        for variant in variants:
            for piece in _pieces(variant.text):
                fixed = re.sub(r"\{\w+\}", "", piece)
                if len(fixed.split()) < 2:
                    continue  # "{summary}" alone is anything
                ours = impersonal(piece)
                saids = [piece, ours[:1].upper() + ours[1:]]
                # A sober letter's first remedy: "To set this right, ..." (build.SOBER_LEADS).
                saids += [
                    sober + said[len(lead) :]
                    for lead, sober in SOBER_LEADS.items()
                    for said in saids
                    if said.startswith(lead)
                ]
                for said in dict.fromkeys(saids):
                    pattern, last = "", 0
                    for match in re.finditer(r"\{(\w+)\}", said):
                        pattern += re.escape(said[last : match.start()]) + ".+?"
                        last = match.end()
                    pattern += re.escape(said[last:])
                    out.append((re.compile(f"^{pattern}$"), slot, tier))
    return tuple(out)


@cache
def _parts_of(sentence: str) -> tuple[tuple[str, int | None], ...]:
    """The letter parts whose wording `sentence` is, each with its drop tier."""
    full = expand(sentence)
    return tuple((slot, tier) for pattern, slot, tier in _part_patterns() if pattern.match(full))


def _drop_tier(sentence: str) -> int | None:
    """The tier at which a shortened letter may drop `sentence`, when it is one of our
    letter's optional, strategy or background sentences; None for anything else (the
    draft's own words, what happened, the apology, a remedy, a step, the invitation)."""
    tiers = [tier for _, tier in _parts_of(sentence)]
    known = [tier for tier in tiers if tier is not None]
    if not known or len(known) < len(tiers):
        return None
    return min(known)


def _opening_line(sentence: str) -> bool:
    """An opening that names the matter but not what happened ("I am writing about ...",
    "I've looked into ... myself", "We want to speak openly about what happened."): what
    happened is the sentence after it."""
    if _WRITING_ABOUT.match(sentence) or _LOOKED_INTO.match(sentence):
        return True
    full = expand(sentence)
    for variant in letter_bank()["acknowledge"]:
        for piece in _pieces(variant.text):
            ours = impersonal(piece)
            if "{" not in piece and full in (piece, ours[:1].upper() + ours[1:]):
                return True
    return False


def _background_or_promise(sentence: str) -> bool:
    """One of our sentences that a shortened letter keeps where it has room: what it meant
    for the reader, the cause or the honest no-cause line, a promise to write again."""
    return any(
        tier == _DROP_TIERS["fact"] or slot in _KEPT_PARTS for slot, tier in _parts_of(sentence)
    )


_OUR_ACTION = re.compile(
    r"^(?:We|I)(?: have|'ve| will|'ll| are now| now|(?: would|'d) be glad to)\b"
)


def _callers_action(sentence: str) -> bool:
    """A remedy or a step worded as one ("We have removed Biscuit from every mailing list
    we hold."), which no amends cue may name; or, in none of our wordings, what the
    caller wrote as our own action."""
    slots = {slot for slot, _ in _parts_of(sentence)}
    commitment = {slot for slot in slots if slot.startswith(("remedy", "prevention"))}
    if commitment:
        # Not a sentence that is also one of our other parts: "We will share confirmed
        # findings with you ..." promises a letter, not a remedy.
        return commitment == slots
    return bool(_OUR_ACTION.match(sentence)) and not slots


def _private(sentence: str, names: list[str], channel: str = "social") -> bool:
    """Whether a sentence carries what a public text must not: on a social reply any figure
    (reference, amount, code), on a public statement a reference; on both the reader's name
    or a mailbox."""
    # A count or a time ("for 47 minutes", "at 11:42", "a 15-rated film") tells what
    # happened; an amount, a percentage or a code is one reader's.
    strong = set(_STRONG.findall(sentence))
    tokens = strong if channel == "social" else set(re.findall(CODE, sentence))
    if tokens or _EMAIL.search(sentence) or (channel == "social" and _GIVES_CODE.search(sentence)):
        return True
    if _NUMBERED_CASE.search(sentence) or _TO_ONE_READER.search(sentence):
        return True
    if _STREET_ADDRESS.search(sentence):
        return True
    return any(n and re.search(rf"\b{re.escape(n)}\b", sentence) for n in names)


_NUMBERED_CASE = re.compile(
    r"\b(?:[Yy]our\s+(?:[a-z]+\s+){0,2}(?:[A-Z][A-Za-z]*\s+)?"
    r"|(?:[Rr]ef(?:erence)?|[Nn]o\.)\s+(?:[A-Za-z]+\s+)?)"
    r"(?=(?:[#A-Za-z/-]*\d){3})#?[A-Za-z/-]*\d[\w/-]{2,}"
)
"""One reader's numbered case, however it is written: a number of three or more digits
after "your" and up to two words and a label ("your account 4410-2291", "your case
#LB-20931", "your invoice INV 2026/0917", "your prescription Rx 4471902", "your tenancy
OAK/2291/B") or after "reference", "ref" or "no." ("reference PCN 004-88213", "our ref
HM/FAIR/0233"). Not for a public text. A time or a short count after "your" ("your 9am
pickup", "your 12-month contract") tells what happened and is not a case number."""
_CAUSE_LINE = re.compile(
    r"^(?:This happened because|That was because|It happened because|What went wrong:|"
    r"The cause was|The problem was caused by)\b"
)
_WE_OR_I = re.compile(r"\b(?:we|I|our|my)\b", re.IGNORECASE)
_DATED_PLAN = re.compile(
    r"\bwill (?:be )?\w+(?: \w+){0,8} (?:by|on|from|before) (?:\w+ )?"
    rf"(?:\d|{_DATE_WORDS.pattern})"
)
"""What will be done by a date ("the backlog will be cleared by 12 March"): a remedy in the
writer's words, which a text keeps."""
_STREET_ADDRESS = re.compile(
    r"\b\d{1,4}[A-Za-z]?,? (?:[A-Z][a-z]+ ){1,3}(?:Road|Street|Lane|Avenue|Close|Drive|Way|"
    r"Court|Place|Gardens|Crescent|Terrace|Row|Square|Rd|St|Ave)\b"
)
"""A home address ("22 Harbour Road"), which a public text does not give."""
_TO_ONE_READER = re.compile(
    r"\b(?:ring|call|phone|text|email|contact) me\b|\bsend (?:me|us) (?:the|your|a copy)\b",
    re.IGNORECASE,
)
"""A line to one reader ("Please ring me on 07700 900 318", "Please send me the receipt"),
which a public text does not say to everyone."""
_GIVES_CODE = re.compile(r"(?P<lead>\bcode\b[^.!?]{0,20}?)\b[A-Z][A-Z0-9-]{3,}\b")
"""A sentence giving a code without a digit ("Your code is BBRETURN"): not for a public reply."""
_ASKS_BACK = re.compile(
    r"\b(?:tell (?:us|me)|let (?:us|me) know|get in touch|contact (?:us|me)|reply|"
    r"write (?:to|back))\b",
    re.IGNORECASE,
)
"""A sentence asking the reader to answer in public: a social reply asks for a direct message."""
_WE_FIRST = re.compile(r"^(?:We|I|Our|My|To make amends|To set this right)\b")
_NOT_WHAT_HAPPENED = frozenset({"regret", "responsibility", "amends", "invitation", "prevention"})
# An abbreviation's full stop ("your job no. CV/2291") stays inside the sentence.
_LOOKED_INTO = re.compile(r"^(?:I have|I've|We have|We've) looked into [^!?]+[.]$")
_BRACKETED_FIGURE = re.compile(
    rf"\s?\((?:{MONEY}|{PERCENT}|[A-Z]{{3}}\s?\d[\d,.]*|\d[\d,.]*(?:\s[a-z]+)?)\)"
)
"""A remedy's figure in brackets: "(500$)", "(10.5%)", "(SEK 312)", "(1,000)", "(2 months)"."""
_REMEDY_SPAN = re.compile(
    r"\s(?:for|by)\s(?:a further |another )?\d+\s(?:days?|weeks?|months?|years?|nights?)\b"
    r"|\b\d[\d,]*\s(?=(?:bonus |reward |loyalty )?(?:points|coins|credits|miles|tokens)\b)"
)
"""How long a remedy runs or how many points it gives ("a voucher for 1 month", "extended
by 2 months", "500 points have been added")."""
_YOUR_PEOPLE = re.compile(
    r"\b([Yy])our (members|customers|clients|guests|patients|pupils|students|users|"
    r"tenants|residents|staff|employees|team)\b"
)


def _their_people(match: re.Match[str]) -> str:
    people = match.group(2)
    return people[:1].upper() + people[1:] if match.group(1) == "Y" else people


def _without_remedy_figure(sentence: str, channel: str) -> str:
    """A remedy said on a social reply without its figure: "We've refunded the lens
    (1,000)." -> "We've refunded the lens.", "a voucher for 1 month" -> "a voucher"; a
    count in what happened ("for 12 months even though you cancelled") stays."""
    sentence = _BRACKETED_FIGURE.sub("", sentence)
    if _REMEDY_SPAN.search(sentence) and (
        _LEAD_IN.match(sentence)
        or _callers_action(sentence)
        or "amends" in _carries_element(sentence, channel)
    ):
        sentence = _REMEDY_SPAN.sub("", sentence)
    return sentence


_DM = re.compile(r"\b(?:direct|private) message\b|\bmessage us\b", re.IGNORECASE)
_OTHER_CHANNEL = re.compile(r"\bthis (?:email|letter)\b|\bwrite back\b", re.IGNORECASE)


def _of_another_channel(sentence: str, channel: str) -> bool:
    """A sentence that names the source's channel and not the target's: "Just reply to
    this email" in a chat, a letter or a text; "write back" in anything but a letter or
    an email; a social reply's "send us a direct message" anywhere else."""
    if channel != "social" and _DM.search(sentence):
        return True  # "Please send us a direct message ..." is a public reply's invitation
    said = _OTHER_CHANNEL.search(sentence)
    if said is None:
        return False
    what = said.group(0).lower()
    return not (
        (what.endswith("email") and channel == "email")
        or (what.endswith("letter") and channel == "letter")
        or (what == "write back" and channel in ("email", "letter"))
    )


_ORDINARY_OPENERS = frozenset(
    {"on", "in", "at", "by", "for", "from", "last", "between", "across", "over", "under"}
    | {"until", "with", "without", "most", "many"}
)


def _mid_told(sentence: str, body: str) -> str:
    """A sentence of the letter told after "What happened: ", its first word in lower case
    where the letter shows it is an ordinary word ("On 2 October ..." -> "on 2 October",
    "Ranked matches ..." -> "ranked matches"): a word the letter also writes in lower case,
    a preposition, or an -ed/-ing form; never a word it capitalises mid-sentence (a name)."""
    told = mid(sentence)
    first = told.split(" ", 1)[0]
    bare = first.strip(",;:")
    if not bare[:1].isupper() or bare.isupper() or bare in proper_words([body]):
        return told
    low = bare.lower()
    ordinary = (
        low in _ORDINARY_OPENERS
        or low.endswith(("ed", "ing"))
        or re.search(rf"(?<![.!?:]\s)(?<!^)\b{re.escape(low)}\b", body) is not None
    )
    return low + told[len(bare) :] if ordinary else told


_SECOND_CLAUSE = re.compile(
    r",?\s+and\s+(?=(?:some|many|most|all|several|the|our|your|their|no|every|each)\s+"
    r"(?:[\w'-]+\s+){0,2}?(?:was|were|is|are|has|have|had|lost|got|saw|missed|did|could|"
    r"couldn't|didn't|went|took)\b)"
)
"""Where what happened joins a second clause with its own subject: "... recorded no
results, and some players lost rank points", "... failed and some fans were charged"."""


def _first_clause(said: str) -> str | None:
    """What happened in its first clause ("What happened: the queue failed for 47 minutes
    on Tuesday."), or None where it has one clause or a short first one."""
    join = _SECOND_CLAUSE.search(said)
    if join is None or said[: join.start()].count("(") != said[: join.start()].count(")"):
        return None
    head = said[: join.start()].rstrip(",;")
    return f"{head}." if len(head.split()) >= 6 else None


_CHAT_OPENING = re.compile(
    r"^(?:(?P<who>I|We)(?: am| are|'m|'re) writing (?:to you )?(?:personally |myself )?about|"
    r"(?P<one>I) write regarding) (?P<what>[^!?:]*?\d[^!?:]*?)[.]$"
)
"""A letter's opening naming the reader's numbered matter, which a chat does not write."""


def _pulled_up(match: re.Match[str]) -> str:
    who = match.group("who") or match.group("one")
    what = match.group("what")
    if what.endswith(" and what happened"):
        # The opening is the chat's acknowledgment: "I have looked into what happened with
        # your client number GP-114.", not "I have pulled up ..." which says none.
        return (
            f"{who} have looked into what happened with {what.removesuffix(' and what happened')}."
        )
    return f"{who} have pulled up {what}."


_WRITING_ABOUT = re.compile(
    r"^(?:(?:I am|I'm|We are|We're) writing (?:to you )?(?:personally |myself )?about|"
    r"(?:I|We) write (?:regarding|about|to you about)) [^!?]+[.]$"
)
_VOCATIVE = re.compile(
    r",\s+(?:Mr|Mrs|Ms|Mx|Dr|Prof)?\.?\s*[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?([.!?])"
)


_REFERENCE_LEAD = re.compile(
    r"^(?:About|Regarding|Here(?:'s| is) what happened with) (?:your|the) [^:.!?]*\d[^:.!?]*: "
    r"(?P<rest>\S.*)$"
)
_SORRY_CLAUSE = re.compile(
    r"^(?P<lead>(?:We're|We are|I'm|I am) (?:(?:so|truly|very|really|deeply) )?sorry)"
    r"(?: that)? (?P<what>(?!(?:about|for|to|this|it|if|we let|we have|we've)\b)[^:;]+[.])$"
)
"""An apology that tells what happened: "We're so sorry Biscuit was clipped short ..."."""
_BARE_SORRY = re.compile(r"^(We're|We are) ((?:truly|so|very|deeply|really) )?sorry\.$")


def _sorry_that(flat: list[str], told: set[str]) -> tuple[list[str], str | None]:
    """What happened, told inside the bare apology that follows it ("We're truly sorry.")
    as one sentence: "We're truly sorry nightly backups of your file server failed.", so a
    short public reply keeps both."""
    said = [s for s in flat if s in told]
    sorry = next((s for s in flat if _BARE_SORRY.match(s)), None)
    if len(said) != 1 or sorry is None:
        return flat, None
    clause = said[0].rstrip(".")
    # "... sorry about what happened: nightly backups ... failed.": the guardrails read the
    # acknowledgment from "what happened" when no request tells them the incident.
    merged = sorry[:-1] + " about what happened: " + clause[:1].lower() + clause[1:] + "."
    return [merged if s == sorry else s for s in flat if s != said[0]], merged


def _told(m: re.Match[str]) -> str:
    rest = m.group("rest")
    return rest[:1].upper() + rest[1:]


def _as_organisation(sentence: str) -> str:
    """A sentence of ours in the organisation's voice ("I'm truly sorry" -> "We're truly
    sorry"); a sentence quoting the customer ("You asked: ...") keeps its words."""
    if sentence.startswith("You asked"):
        return sentence
    sentence = impersonal(sentence)
    return sentence[:1].upper() + sentence[1:]


def _transform(request: RewriteRequest) -> ComposedDraft:
    channel = request.channel or _guess_channel(request)
    body, headline = _as_prose(request.draft.body)
    entry = get_catalog().channels[channel]
    greeting, paragraphs, signoff, signature = _split(body)
    register, contractions = _register(request)
    names = [n for n in _name_of(greeting).split() if n[:1].isupper() or n[:1] == "@"]
    op = request.operation

    # A chat reply's closing question is the chat's, not the message's: the target channel
    # adds its own ending.
    flat = [s for p in paragraphs for s in p if not _CHAT_ENDING.match(s)]
    # "Reply to this email ..." belongs to the source's channel (a chat, a text or a public
    # statement is answered by no one's email); the target's own invitation is added below.
    flat = [s for s in flat if not _of_another_channel(s, channel)]
    if channel in ("sms", "social"):
        flat = [_without_courtesy(s) for s in flat]  # a text has no room for "Thank you for"
        # "We'll do this on 21 November." is the date of the remedy before it: the two
        # stay or go together, never the date alone.
        for i in range(len(flat) - 1, 0, -1):
            if _DATE_FOLLOW_ON.match(flat[i]):
                flat[i - 1 : i + 1] = [f"{flat[i - 1]} {flat[i]}"]
    if channel == "social":
        # A public reply invites a direct message; the source's own invitation gives way.
        flat = [
            s
            for s in flat
            if _DM.search(s)
            or ("invitation" not in _carries_element(s, channel) and not _ASKS_BACK.search(s))
        ]
    told: set[str] = set()  # what happened, told without the reader's number
    briefer: dict[str, str] = {}  # what happened -> the opening it was told with
    if entry.public:
        # "Please ring me on ...", "Please send me the receipt": said to one reader.
        flat = [s for s in flat if not _TO_ONE_READER.search(s)]
        flat = [_VOCATIVE.sub(r"\1", s) for s in flat]  # "We're very sorry, Ella." -> "sorry."
        # "About your order NW-48213: the jacket arrived late." tells what happened once
        # the reader's number is left out; and a public text speaks for the organisation.
        told = {
            _as_organisation(_REFERENCE_LEAD.sub(_told, s))
            for s in flat
            if _REFERENCE_LEAD.match(s)
        }
        flat = [_as_organisation(_REFERENCE_LEAD.sub(_told, s)) for s in flat]
        flat, merged = _sorry_that(flat, told) if channel == "social" else (flat, None)
        told |= {merged} if merged else set()
        if channel == "social":
            # "we will reimburse the laptop (500$) on Wednesday", "the membership has been
            # extended by 2 months": what we will do stays public; its figure goes to the
            # direct message.
            flat = [_without_remedy_figure(s, channel) for s in flat]
        else:
            # A public statement speaks of members or customers generally, not of the
            # reader's own ("We know your members were turned away" -> "members").
            flat = [_YOUR_PEOPLE.sub(_their_people, s) for s in flat]
        # What happened may keep its counts ("failed for 19 days"), never an amount or code;
        # but a statement already written to everyone keeps what it says to everyone ("The
        # code to use is EAST50.").
        to_all = channel == "public_statement" and _addressed_to_all(body)
        flat = [
            s
            for s in flat
            if to_all
            or not _private(s, names, channel)
            or (
                s in told
                and not _STRONG.search(s)
                and not _private(re.sub(r"\d", "", s), names, channel)
            )
        ]
    if op == "shorten":
        # The greeting, sign-off and signature stay as they are: the sentences make the cut.
        fixed = words(" ".join(filter(None, [greeting, signoff, *signature])))
        source_words = words(request.draft.body) - words(headline or "")
        flat = _shortened(flat, channel, source_words, fixed=fixed, signed=bool(signoff))
    if op == "simplify":
        flat = [part for s in flat for part in _simpler(s, public=entry.public)]
    drafted = set(flat)
    if op == "expand":
        flat = _expanded(flat, body, public=entry.public, register=register or "neutral")
    added = {s for s in flat if s not in drafted}

    def voice(text: str) -> str:
        if op == "simplify":
            text = plainer(text)
        if register == "formal":
            text = text.replace("!", ".")
        if contractions is True:
            return contract(text)
        return expand(text) if contractions is False else text

    if channel in ("sms", "social") and not told:
        # The draft's first sentence that tells something (not an opening "I am writing
        # about ...", not an apology or an offer) is what happened: a text keeps it.
        opening = None
        for s in flat:
            elements = _carries_element(s, channel)
            if not fact_tokens(s) and (
                _THANKS.match(s) or (elements and elements <= {"regret", "close"})
            ):
                # A hand-written letter's first line may only thank or apologise ("Please
                # accept my sincere apologies for the way this was handled."): what
                # happened comes after it.
                continue
            stock = "acknowledgment" in elements and not fact_tokens(s) and _SAYS_WHAT.search(s)
            if _opening_line(s) or (stock and not opening):
                # "I write to set out what happened and what we are doing about it."
                opening = opening or s
                continue
            # Right after an opening, what happened is told, whatever it mentions ("The
            # refund ... has still not been paid"), short of an apology or our action.
            after = opening and not elements & {"regret"} and not _callers_action(s)
            # The letter's first sentence, in none of our wordings and not said by us, is
            # what happened too, though it names a remedy ("The refunds for the cancelled
            # trip still haven't been paid"): not our cause line further on.
            leading = (
                s == flat[0]
                and not _WE_FIRST.match(s)
                and not _parts_of(s)
                and "regret" not in elements  # "Thank you ..., and please accept my apologies"
            )
            if after or leading or not elements & _NOT_WHAT_HAPPENED:
                said = (
                    s if "acknowledgment" in elements else f"What happened: {_mid_told(s, body)}."
                )
                here = _HERE_IS.match(s)
                if here and here.group("about") and not entry.public:
                    # "About your job 4471-H: our engineer came ..." -> "What happened with
                    # your job 4471-H: our engineer came ...", not "What happened: About ...".
                    said = f"What happened with {here.group('about')}: {here.group('story')}"
                # A public reply names no reader's matter.
                about = _ABOUT.match(opening) if opening and not entry.public else None
                if about and opening:
                    # "I've looked into your patient file RV-5521 myself. Our records show
                    # ..." -> "What happened with your patient file RV-5521: our records
                    # show ...": the reference and what happened in one sentence, so the
                    # text has room for what we did.
                    said = f"What happened with {about.group('what')}: {_mid_told(s, body)}."
                    brief = _names_what_happened(opening)
                    if "acknowledgment" in _carries_element(brief, channel):
                        briefer[said] = brief
                elif said.startswith("What happened: "):
                    # "What happened: the presale queue failed for 47 minutes on Tuesday and
                    # some fans were charged ..." told in its first clause where a remedy
                    # needs the room: the detail gives way before what we do.
                    clause = _first_clause(said)
                    if clause and "acknowledgment" in _carries_element(clause, channel):
                        briefer[said] = clause
                if about or (opening and not fact_tokens(opening)):
                    flat = [one for one in flat if one != opening]  # a stock opening goes
                flat = [said if one == s else one for one in flat]
                told = {said}
            break
    acknowledging = frozenset(voice(s) for s in flat if s in told)
    remedial = frozenset(
        voice(s)
        for s in flat
        if s in _remedy_follow_ons(paragraphs, channel) or (s not in told and _DATED_PLAN.search(s))
    )
    briefer = {voice(k): voice(v) for k, v in briefer.items()}
    flat = [voice(s) for s in flat]
    # The guardrails read an acknowledgment from its own words, not from the told incident.
    flat = _complete(flat, channel, public=entry.public, source=body)
    if op == "simplify":
        # Our own ownership line in its short words: a simpler letter says nothing harder.
        owning = _GENERIC["responsibility"]
        flat = [_SHORTENED_FORMS["responsibility"] if s == owning else s for s in flat]
    if entry.public:
        flat = [_as_organisation(s) for s in flat]
    if channel == "chat":
        # A chat is spoken: "I have pulled up your prescription RX-20417.", never "I am
        # writing to you personally about ..." carried over from a letter.
        flat = [_CHAT_OPENING.sub(_pulled_up, s) for s in flat]
    if greeting and greeting.startswith("@") and channel != "social":
        greeting = "Hello,"  # a handle greets a public reply, not a letter or a chat
    if greeting is None and register == "formal" and not entry.public:
        greeting = "Dear customer,"  # more formal than the layout's own "Hello,"
    greeting = _greet(greeting, register, printed=channel == "letter")
    if channel == "chat" and greeting and greeting.startswith("Dear "):
        # A chat greets as a chat does: "Hello Tomasz," never "Dear Tomasz Wierzbicki,".
        name = _name_of(greeting)
        greeting = f"Hello {name}," if name else "Hello,"
    if register == "formal" and signoff:
        signoff = "Kind regards,"
    elif register == "informal" and signoff:
        signoff = "Warm regards,"
    subject = request.draft.subject or headline
    subject = voice(subject) if subject else None
    if entry.public and subject and _private(subject, names, channel):
        subject = None
    ours = frozenset(voice(s) for s in added)
    return _relayout(
        channel,
        subject,
        greeting,
        flat,
        signoff,
        signature,
        ours,
        acknowledging,
        briefer,
        remedial,
    )


def _shortened(
    flat: list[str],
    channel: str,
    source_words: int,
    *,
    promises: bool = True,
    fixed: int = 0,
    signed: bool = False,
) -> list[str]:
    """Keep each sentence that carries a fact token, every commitment (a remedy or a
    prevention step), and the first sentence for each element the channel requires; then
    drop element sentences from the end while over 65% (of the source's words, the `fixed`
    greeting and signature lines counted); then, in a letter, our own sentences by the
    plan's priority: optional ones (a closing line, where the sign-off closes the letter),
    strategy lines, the background (impact, cause).

    A text message or social reply is already near its minimum: when keeping every
    commitment leaves nothing out, it is shortened as before, keeping only the commitments
    the channel requires or that carry a figure (the context-free guardrails then add an
    acknowledgment cue, so a text that loses nothing would come back longer)."""
    required = set(get_catalog().channels[channel].required)
    kept: list[str] = []
    covered: set[str] = set()
    # What happened is told first (after an opening "I am writing about ..."): it stays.
    opening = 2 if flat and _opening_line(flat[0]) else 1
    for i, s in enumerate(flat):
        carried = _carries_element(s, channel)
        elements = carried & required
        # Every remedy sentence is a commitment, dated or not ("... by Friday"), and so is
        # every prevention step, whether or not the channel requires the element: "every
        # cancelled reservation has been restored" stays in a shortened social reply.
        dated = _DATE_WORDS.search(s) or re.search(r"\bcode\b", s, re.IGNORECASE)
        told = i < opening and not elements & _NOT_WHAT_HAPPENED
        promised = bool(carried & _COMMITMENTS) if promises else "amends" in elements
        # A letter keeps its background and a promise to write again until the budget
        # needs their words (`_by_priority`).
        letter = channel not in ("sms", "social")
        background = letter and (_background_or_promise(s) or _callers_action(s))
        if fact_tokens(s) or (elements - covered) or promised or dated or told or background:
            kept.append(s)
            if _drop_tier(s) is None:
                covered |= elements  # "... the part of this I regret most" is no apology
    if promises and channel in ("sms", "social") and len(kept) == len(flat):
        return _shortened(flat, channel, source_words, promises=False, fixed=fixed)
    # A remedy or a step in our words, or given up by priority (`_by_priority`), known
    # before its lead goes ("In addition, your actual order is on the same truck.").
    letter = channel not in ("sms", "social")
    ours = [letter and (_background_or_promise(s) or _callers_action(s)) for s in kept]
    tiers = [_drop_tier(s) for s in kept]
    kept = [_LEAD_IN.sub("", s, count=1) for s in kept]
    kept = [_CONFIRM_TAIL.sub(".", s) for s in kept]
    kept = [_PREVENTION_LEAD.sub(_REPEAT_LEAD, s, count=1) for s in kept]
    kept = [s[:1].upper() + s[1:] for s in kept]
    by_priority = {s for s, mine in zip(kept, ours, strict=True) if mine}
    # What the letter meant for the reader may say "I regret"; it may also go, so it
    # covers no element for the apology itself.
    droppable = {s for s, tier in zip(kept, tiers, strict=True) if tier is not None}
    budget = SHORTEN_RATIO * source_words - fixed
    for i, s in enumerate(kept):
        if words(" ".join(kept)) <= budget:
            break
        elements = _carries_element(s, channel) & required
        if fact_tokens(s) or len(elements) != 1 or not elements <= set(_SHORTENED_FORMS):
            continue
        if i < opening:
            continue  # "We're so sorry all reservations ... were cancelled" tells what happened
        if _drop_tier(s) is not None:
            continue  # the impact told with "I regret" is given up whole, not made an apology
        if _callers_action(s):
            continue  # "I've emailed them the correct version ..." is what we did, not a line
        # "Please accept my sincere apologies." -> "I am truly sorry.": the same element in
        # its short form, in the sentence's own person.
        element = next(iter(elements))
        if element == "invitation" and get_catalog().channels[channel].public:
            continue  # a public statement has no one to reply to
        if element == "invitation" and channel == "chat" and s.endswith("?"):
            continue  # a chat's closing question ("Is there anything else you need?") stays
        short = _SHORTENED_FORMS[element]
        if _FIRST_SINGULAR_WORDS.search(s) and short.startswith("We are"):
            short = "I am" + short[len("We are") :]
        if words(short) < words(s):
            kept[i] = short
    for s in reversed(list(kept)):
        if words(" ".join(kept)) <= budget:
            break
        if _STRONG.search(s) or _DATE_WORDS.search(s) or re.search(r"\bcode\b", s, re.I):
            continue  # a commitment's amount, code or date
        if fact_tokens(s):
            continue  # a figure may be a commitment ("500 points") or the reference
        elements = _carries_element(s, channel) & required
        others = set().union(
            *(_carries_element(o, channel) for o in kept if o != s and o not in droppable)
        )
        if s in kept[:2] or "acknowledgment" in elements:
            continue  # the opening and what happened are told in full
        if s in by_priority:
            continue  # a remedy in the caller's words, or given up by priority (`_by_priority`)
        pledged = _carries_element(s, channel) & (_COMMITMENTS if promises else {"amends"})
        if not pledged and elements <= others:
            kept.remove(s)  # background (a count in the impact), or an element said twice
    if channel in ("sms", "social"):
        return kept
    return _by_priority(kept, channel, budget, signed=signed)


def _by_priority(kept: list[str], channel: str, budget: float, *, signed: bool) -> list[str]:
    """Drop our optional sentences, then the strategy lines, then the background (what it
    meant for the reader, the cause), each from the end, while over `budget` words: never
    a sentence with an amount or a code said nowhere else, or that alone carries an element
    the channel requires (a count in the impact, "about 60 of them", may go with it). What
    happened, told first, is the acknowledgment, whichever sentence the form checks read it
    from ("We traced the problem to ..." may go). The words the rewrite then adds for a
    required element the sentences lack ("... and what happened") count toward the budget;
    the apology and the ownership said in one sentence save a few more ("I'm sorry we let
    you down.")."""
    required = set(get_catalog().channels[channel].required)
    if signed:
        required.discard("close")  # "Kind regards," closes the letter
    public = get_catalog().channels[channel].public
    kept = list(kept)
    # What happened (after an opening such as "We want to speak openly about what
    # happened.") is told in full, whatever frame it happens to resemble.
    told = kept[: 2 if kept and _opening_line(kept[0]) else 1]
    carried = {s: _carries_element(s, channel) & required for s in kept}
    for s in kept:
        if s not in told and _drop_tier(s) == _DROP_TIERS["fact"]:
            # What it meant for the reader, told with "the part of this I regret most",
            # is background: the apology itself is the one kept for the regret.
            carried[s] = set()
    for s in told:
        carried[s].add("acknowledgment")

    def cost(sentences: list[str]) -> int:
        # `_complete` never adds a prevention step without a source that had one.
        return words(" ".join(_complete(sentences, channel, public=public, acknowledged=False)))

    for tier in sorted(set(_DROP_TIERS.values())):
        for s in reversed(list(kept)):
            if cost(kept) <= budget:
                return kept
            if s in told:
                continue
            closing = signed and _carries_element(s, channel) == {"close"}
            if (_DROP_TIERS["optional"] if closing else _drop_tier(s)) != tier:
                continue
            others = [o for o in kept if o != s]
            background = tier == _DROP_TIERS["fact"]  # "the Direct Debit was raised to £240"
            if not background and not set(_STRONG.findall(s)) <= set(
                _STRONG.findall(" ".join(others))
            ):
                continue  # an amount or a code said nowhere else; a count may go
            if carried[s] - set().union(*(carried[o] for o in others)):
                continue  # the only sentence carrying a required element
            kept.remove(s)
    if cost(kept) > budget:
        kept = _sorry_and_ours(kept, channel, told, required)
    if cost(kept) > budget and len(told) == 2:
        # "I'm writing about reference #IP-8830. The 500 business cards were printed ..."
        # -> "Here is what happened with reference #IP-8830: the 500 business cards ...".
        # A stock opening naming nothing ("We want to speak openly about what happened.")
        # -> "Here is what happened: on Monday, lunches containing sesame ...".
        about = _ABOUT.match(told[0])
        stock = not about and not fact_tokens(told[0])
        # Not an apology after the opening ("Here is what happened: we apologise ...").
        story = not _carries_element(told[1], channel) & _NOT_WHAT_HAPPENED
        if (about or stock) and story and told[1].endswith("."):
            matter = f" with {about.group('what')}" if about else ""
            said = f"Here is what happened{matter}: {_mid_told(told[1], ' '.join(kept))}."
            if "acknowledgment" in _elements(said, channel):
                at = kept.index(told[0])
                kept[at : at + 2] = [said]
                told = [said]
    if cost(kept) > budget and len(told) == 1 and told[0].endswith("."):
        # What happened told in words the form checks read as a remedy ("The refunds ...
        # still haven't been paid.") would take the stock "I am writing about what
        # happened." before it: "Here is what happened: the refunds ..." says it in fewer.
        said = f"Here is what happened: {_mid_told(told[0], ' '.join(kept))}."
        apology = "regret" in _carries_element(told[0], channel)  # not "what happened: Sorry"
        if (
            not apology
            and "acknowledgment" not in _elements(" ".join(kept), channel)
            and ("acknowledgment" in _elements(said, channel))
        ):
            kept[kept.index(told[0])] = said
            told = [said]
    for at in range(len(kept) - 1, 0, -1):
        # "We'd like to offer you 25% off your next order. The code to use is INKSORRY25."
        # -> "We'd like to offer you 25% off your next order (code INKSORRY25)."
        code = _CODE_LINE.match(kept[at])
        if cost(kept) <= budget or not code or not kept[at - 1].endswith("."):
            continue
        kept[at - 1 : at + 1] = [f"{kept[at - 1][:-1]} (code {code.group('code')})."]
    for s in list(kept):
        # "To make amends, the parking charge of £100 has been cancelled.": the lead goes
        # where the letter still says it makes amends without it.
        if cost(kept) <= budget or not _AMENDS_LEAD.match(s) or s in told:
            continue
        rest = _AMENDS_LEAD.sub("", s, count=1)
        trial = [rest[:1].upper() + rest[1:] if o == s else o for o in kept]
        # Never where the form checks read the amends from no other words: the lead
        # would come back as a generic offer (`_complete`).
        wanted = set(_elements(" ".join(kept), channel)) | ({"amends"} & required)
        if wanted & required <= set(_elements(" ".join(trial), channel)):
            kept = trial
    for s in list(kept):
        # "To prevent a repeat, every block change now goes into the shared log." -> "Every
        # block change now goes into the shared log.": a step that says it changes alone.
        if cost(kept) <= budget or not s.startswith(_REPEAT_LEAD):
            continue
        rest = s[len(_REPEAT_LEAD) :]
        rest = rest[:1].upper() + rest[1:]
        if "prevention" in _carries_element(rest, channel):
            kept = [rest if o == s else o for o in kept]
            continue
        from_now = _from_now(s, channel, " ".join(kept))
        if from_now:
            kept = [from_now if o == s else o for o in kept]
    for s in list(kept):
        # "Please reply with any questions." -> "Any questions? Just reply." (our plain
        # invitation), where a private letter is still over.
        elements = _carries_element(s, channel) & required
        if cost(kept) <= budget or public or elements != {"invitation"} or fact_tokens(s):
            continue
        if channel == "chat" and s.endswith("?"):
            continue  # a chat's closing question is its invitation
        if words(_BRIEF_INVITATION) < words(s):
            kept = [_BRIEF_INVITATION if o == s else o for o in kept]
    if cost(kept) > budget and len(told) == 1:
        kept = _sorry_for_our_mistake(kept, channel, told[0], required)
    for s in reversed(list(kept)):
        # Last, a step's result ("The result so far: 0 mismatches in 1,200 scans."): the
        # step itself stays.
        if cost(kept) <= budget:
            break
        if {slot for slot, _ in _parts_of(s)} == {"metric_plain"}:
            kept.remove(s)
    for s in sorted(kept, key=words, reverse=True):
        # A letter written by hand says its facts in long sentences: their courtesies and
        # asides go, longest sentence first, while it is over.
        if cost(kept) <= budget:
            break
        short = _without_asides(s)
        sorry = _SHORTENED_FORMS["regret"]
        if _FIRST_SINGULAR_WORDS.search(short):
            sorry = "I am" + sorry[len("We are") :]
        if (
            _VAGUE_APOLOGY.search(short)
            and not fact_tokens(short)
            and _carries_element(short, channel) & required == {"regret"}
            and words(sorry) < words(short)
        ):
            short = sorry  # "Please accept my sincere apologies for the way this was handled."
        trial = [short if o == s else o for o in kept]
        if short != s and set(_elements(" ".join(kept), channel)) & required <= set(
            _elements(" ".join(trial), channel)
        ):
            kept = trial
    for s in reversed(list(kept)):
        # Then a hand-written sentence that carries no figure, date, commitment or element
        # said nowhere else ("Thanks for your patience while I checked this.").
        if cost(kept) <= budget:
            break
        trial = [o for o in kept if o != s]
        says = _carries_element(s, channel)
        if (
            (s in told and "acknowledgment" in says)
            or fact_tokens(s)
            or _DATE_WORDS.search(s)
            or says & _COMMITMENTS
            or _callers_action(s)
            or s.endswith("?")
        ):
            continue
        if set(_elements(" ".join(kept), channel)) & required <= set(
            _elements(" ".join(trial), channel)
        ):
            kept = trial
    return kept


_COURTESY_LEAD = re.compile(
    r"^(?:Thank you|Thanks) for (?:taking the time to |getting in touch |contacting us |"
    r"writing to us |your patience )?[^,.;!?]{0,90}?,\s+and\s+(?P<rest>(?:please|I|we)\b.+)$"
)
_ASIDE = re.compile(
    r",\s+(?:which|during which|while|whereas|despite|as|so|so that|even though|and nobody|"
    r"and no one)\b[^,;:.!?]*(?=[.!?]$)"
)
_SAYS_WHEN_OR_HOW_MUCH = re.compile(
    rf"\d|{_DATE_WORDS.pattern}|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|twenty|thirty|hundred|days?|weeks?|months?|hours?|minutes?|free|full|"
    r"refund\w*|credit\w*|owe\w*|pay\w*)\b",
    re.IGNORECASE,
)


_VAGUE_APOLOGY = re.compile(
    r"\b(?:apolog(?:y|ies|ise|ize)|sorry)(?: (?:for|about) (?:the way (?:this|it|we)|this|that|"
    r"any|all|the (?:inconvenience|trouble|disruption|worry|stress|frustration|confusion))\b"
    r"[^,;:.!?]*)?[.!]$",
    re.IGNORECASE,
)
"""An apology for nothing named ("Please accept my sincere apologies for the way this has
been handled."), which "I am truly sorry." says in fewer words; not "I'm sorry that water
came through your ceiling", which tells what happened."""
_OFFER_APOLOGY = re.compile(
    r"^(?P<who>I|We) (?:write|am writing|are writing)(?: on behalf of [^,.]{3,60}?)? to "
    r"(?:offer|express|extend) (?:our|my) (?:[a-z]+ )?apolog(?:y|ies) (?=for\b)"
)
_REMEDY_PREAMBLE = re.compile(
    r"^(?:In recognition of|As a (?:gesture|token) of|By way of apology for|To make up for) "
    r"[^,.;!?]{3,80}, (?P<rest>(?:we|I) \S.+)$"
)


def _without_courtesy(sentence: str) -> str:
    """A hand-written sentence in its plain words: "Thank you for taking the time to write
    to us about your worktops, and please accept ..." -> "Please accept ...", "I write on
    behalf of the Office to offer our unreserved apology for ..." -> "I apologise for ...",
    "In recognition of the disruption to your studies, we will ..." -> "We will ..."."""
    sentence = _OFFER_APOLOGY.sub(lambda m: f"{m.group('who')} apologise ", sentence)
    for lead in (_COURTESY_LEAD.match(sentence), _REMEDY_PREAMBLE.match(sentence)):
        if lead:
            rest = lead.group("rest")
            sentence = rest[:1].upper() + rest[1:]
    return sentence


def _without_asides(sentence: str) -> str:
    """A hand-written sentence without its courtesy lead ("Thank you for taking the time to
    write to us about your worktops, and please accept ..." -> "Please accept ...") and its
    last aside (", during which period your room was cold", ", which delayed the
    engineer") where the aside says no date, figure, time or money."""
    sentence = _without_courtesy(sentence)
    aside = _ASIDE.search(sentence)
    if aside and not _SAYS_WHEN_OR_HOW_MUCH.search(aside.group(0)):
        head = sentence[: aside.start()]
        if len(head.split()) >= 6 and head.count("(") == head.count(")"):
            sentence = head + sentence[-1]
    return sentence


def _from_now(step: str, channel: str, text: str) -> str | None:
    """A step said "To prevent a repeat, parts are now ordered when ..." -> "From now on,
    parts are ordered when ...": its lead and its "now" in one (None where it is not said
    that way)."""
    now = _NOW.match(step[len(_REPEAT_LEAD) :]) if step.startswith(_REPEAT_LEAD) else None
    if not now:
        return None
    what = _mid_told(now.group("what"), text)
    said = f"From now on, {what} {now.group('be')} {now.group('rest')}"
    return said if "prevention" in _carries_element(said, channel) else None


def _tightened(draft: ComposedDraft, channel: str, budget: float) -> ComposedDraft:
    """A letter composed in the short voice that is still over `budget` words, in the
    tighter tellings of a shortened letter without context, each only while still over: a
    step with "now" said "From now on, ...", the apology and the ownership in one sentence
    ("We're sorry we let you down."), then with what happened ("We're sorry for our mistake
    with your job KF/7731: ..."). Its paragraphs, greeting and signature stay as they are."""
    _, paragraphs, _, _ = _split(draft.body)
    if channel in ("sms", "social") or not paragraphs or words(draft.body) <= budget:
        return draft
    frame = words(draft.body) - sum(words(s) for p in paragraphs for s in p)
    required = set(get_catalog().channels[channel].required)
    tellings = (
        lambda flat: [_from_now(s, channel, " ".join(flat)) or s for s in flat],
        lambda flat: _sorry_and_ours(flat, channel, flat[:1], required),
        lambda flat: _sorry_for_our_mistake(flat, channel, flat[0], required),
    )
    told = paragraphs
    for telling in tellings:
        flat = [s for p in told for s in p]
        if frame + words(" ".join(flat)) <= budget:
            break
        told = _in_paragraphs(told, telling(flat))
    body = draft.body
    for before, after in zip(paragraphs, told, strict=True):
        if " ".join(before) not in body:
            return draft  # a paragraph not on one line: left as composed
        body = body.replace(" ".join(before), " ".join(after), 1)
    return ComposedDraft(subject=draft.subject, body=re.sub(r"\n{3,}", "\n\n", body))


def _in_paragraphs(paragraphs: list[list[str]], new: list[str]) -> list[list[str]]:
    """`paragraphs` with their sentences as a telling of them left them (`new`: some said
    in other words, some merged into one, some gone), each where it stood."""
    flat = [s for p in paragraphs for s in p]
    if len(new) == len(flat):
        said = dict(zip(flat, new, strict=True))
    else:
        said = {s: s for s in flat if s in new}
        for merged in (x for x in new if x not in flat):
            for s in flat:
                trial = [merged if x == s else x for x in flat if x in new or x == s]
                if s not in new and trial == new:
                    said[s] = merged  # where the first of the merged sentences stood
                    break
    return [[said[s] for s in p if s in said] for p in paragraphs]


def _sorry_and_ours(
    kept: list[str], channel: str, told: list[str], required: set[str]
) -> list[str]:
    """The apology and the ownership in one sentence ("I'm sorry we let you down.") where
    each is a sentence of its own with nothing else in it."""
    alone = {
        e: next(
            (
                s
                for s in kept
                if s not in told
                and _carries_element(s, channel) & {"regret", "responsibility", *_COMMITMENTS}
                == {e}
            ),
            None,
        )
        for e in ("regret", "responsibility")
    }
    sorry, ours = alone["regret"], alone["responsibility"]
    if sorry is None or ours is None or fact_tokens(sorry + ours):
        return kept
    owned = [s for s in kept if "responsibility" in _carries_element(s, channel)]
    if len(owned) > 1:
        return [s for s in kept if s != ours]  # "The mistake was mine" says it already
    # A public statement speaks to no one reader.
    whom = "everyone" if get_catalog().channels[channel].public else "you"
    who = "I am" if _FIRST_SINGULAR_WORDS.search(sorry) else "We are"
    both = f"{who} sorry we let {whom} down."
    if has_contraction(sorry):
        both = contract(both)
    if words(both) >= words(sorry) + words(ours):
        return kept
    merged = [both if s == sorry else s for s in kept if s != ours]
    before = set(_elements(" ".join(kept), channel)) & required
    if not before <= set(_elements(" ".join(merged), channel)):
        return kept  # "... for what this has put you through." also closed the letter
    return merged


def _sorry_for_our_mistake(
    kept: list[str], channel: str, told: str, required: set[str]
) -> list[str]:
    """What happened, the apology and the ownership in one sentence, the reader's matter
    named in it: "Here is what happened: our locksmith charged you £240 ... We should have
    handled your job KF/7731 better. We're truly sorry." -> "We're sorry for our mistake
    with your job KF/7731: our locksmith charged you £240 ...". Only where the letter owns
    the failure in a sentence of its own (or with the apology), with no other figure."""
    here = _HERE_IS.match(told)
    story = here.group("story") if here else f"{_mid_told(told, ' '.join(kept))}."
    what = (here.group("what") or here.group("about")) if here else None
    if not story.endswith("."):
        return kept
    core = {"acknowledgment", "regret", "responsibility", *_COMMITMENTS}
    carried = {s: _carries_element(s, channel) & core for s in kept if s != told}
    sorry = next(
        (s for s, e in carried.items() if "regret" in e and e <= core - _COMMITMENTS), None
    )
    if sorry is None or fact_tokens(sorry) or "acknowledgment" in carried[sorry]:
        return kept
    owning = [s for s, e in carried.items() if e == {"responsibility"}]
    if "responsibility" not in carried[sorry] and not owning:
        return kept  # no ownership said: the letter's posture may not own a mistake
    for s in owning:
        if fact_tokens(s):
            number = _YOUR_MATTER.search(s)
            if what is not None or number is None or fact_tokens(s) - fact_tokens(number.group()):
                return kept  # a figure the merged sentence would not carry
            what = number.group()
    who = "I am" if _FIRST_SINGULAR_WORDS.search(sorry) else "We are"
    # "I'm sorry we let you down." owns it as "we": "our mistake".
    owned = owning or [re.sub(r"^.*?\bsorry\b", "", sorry)]
    ours = "my" if all(_FIRST_SINGULAR_WORDS.search(s) for s in owned) else "our"
    said = f"{who} sorry for {ours} mistake{f' with {what}' if what else ''}: {story}"
    if has_contraction(sorry):
        said = contract(said)
    merged = [said if s == told else s for s in kept if s != sorry and s not in owning]
    if words(" ".join(merged)) >= words(" ".join(kept)):
        return kept
    before = set(_elements(" ".join(kept), channel)) & required
    if not before <= set(_elements(" ".join(merged), channel)):
        return kept
    return merged


_HERE_IS = re.compile(
    r"^(?:Here is what happened(?: with (?P<what>[^:]+))?|About (?P<about>[^:]+)): (?P<story>\S.*)$"
)
"""What happened, told by a shortened letter (`_by_priority`) or the short voice ("About
your job KF/7731: our locksmith charged you ...")."""
_YOUR_MATTER = re.compile(r"\b[Yy]our\s+(?:[a-z]+\s+){1,2}#?[A-Za-z0-9/-]*\d[\w/-]*")
"""The reader's numbered matter as a sentence names it: "your job KF/7731"."""
_NOW = re.compile(r"^(?P<what>[^,;:.!?]+?) (?P<be>is|are) now (?P<rest>[a-z][^!?]*[.])$")
"""A step in the present with "now": "Parts are now ordered when the bike is booked in."."""
_ABOUT = re.compile(
    r"^(?:(?:I am|I'm|We are|We're) writing (?:to you )?(?:personally |myself )?about|"
    r"(?:I|We) write (?:regarding|about|to you about)|(?:I have|I've|We have|We've) looked into) "
    r"(?P<what>[^!?]*?\d[^!?]*?)(?: myself| ourselves| personally)?[.]$"
)
"""An opening naming the reader's numbered matter ("I've looked into your acct 55-0193 myself.")."""
_CODE_LINE = re.compile(r"^(?:Your code is|The code to use is|Just use the code) (?P<code>\S+?)\.$")
"""A remedy's code said on its own (`remedy_code`), which its remedy's sentence can carry."""
_AMENDS_LEAD = re.compile(r"^(?:To make amends|To set this right), (?=\S)")
_REPEAT_LEAD = "To prevent a repeat, "
_CONFIRM_TAIL = re.compile(r" and let you know once it(?: is|'s|’s) done\.$")
"""Our promise to confirm a planned remedy, which a shortened letter does without."""
_DATE_FOLLOW_ON = re.compile(
    r"^(?:We will do this|We['’]ll do this|This was done|This offer is for|Date:) [^.]*\.$"
)
"""A remedy's date told in a sentence after it (phrases/letter.yaml `remedy_date_*`)."""
_OFFER_LEAD = re.compile(
    r"^(?:To make amends, )?[Hh]ere(?: is|'s|’s) what we(?: would|'d|’d)(?: also)? like to offer"
    r"(?: you)?: "
)
"""An offer's long lead ("Here's what we'd like to offer you:"), "On offer:" in a text."""
_ALSO = re.compile(r"(\b(?:have|will|would|are)|['’](?:ll|ve|re|d)) also\b")
"""A remedy's "also" after the one before it, which a text does without."""
_LEAD_IN = re.compile(r"^(?:In addition|As a goodwill gesture|On top of that|Also), ")
"""Joining words a shortened letter does without."""


def _expanded(flat: list[str], body: str, *, public: bool, register: str) -> list[str]:
    """Our structural sentences (no facts): empathy after the opening, an explanation of what
    follows, next steps and thanks before the close."""
    target = int(words(body) * EXPAND_RATIO) + 1
    # Without a prevention step in the draft, no "what we are changing" in the additions.
    stepless = "prevention" not in _elements(body, "email")
    slots = [f"{s}_stepless" if stepless and s in _STEPLESS else s for s in _EXPANSIONS]
    extra = [_bank_sentence(slot, body, public=public, register=register) for slot in slots]
    out = list(flat)
    positions = [min(3, len(out)), min(4, len(out)), len(out), len(out), len(out)]
    added = 0
    for sentence, position in zip(extra, positions, strict=True):
        if sentence is None or sentence in out:
            continue
        out.insert(min(position + added, len(out)), sentence)
        added += 1
        if words(" ".join(out)) >= target:
            break
    return out


def _complete(
    flat: list[str],
    channel: str,
    *,
    public: bool,
    acknowledged: bool = False,
    source: str = "",
) -> list[str]:
    """Add a generic sentence for each element the target channel requires that the
    sentences do not carry; `acknowledged`: a sentence tells what happened from the draft's
    reference line. A prevention step is never made up: where the `source` draft has none
    (a social reply converted to a letter, a cautious letter with no step), the rewrite has
    none either, and the guardrails ask for none (`guardrails.check`'s `source`)."""
    entry = get_catalog().channels[channel]
    text = " ".join(flat)
    present = set(_elements(text, channel)) | ({"acknowledgment"} if acknowledged else set())
    if channel == "chat":
        present.add("invitation")  # the chat's closing question asks (`_relayout_parts`)
    if "prevention" not in present and "prevention" not in _elements(source, channel):
        present.add("prevention")
    out = list(flat)
    order = ["acknowledgment", "regret", "responsibility", "amends", "prevention", "invitation"]
    for element in order:
        if element in entry.required and element not in present and element == "amends":
            # A remedy told in words the form checks do not read as amends ("We'll have the
            # engineer back with the part by 10am tomorrow.") is led as one, rather than a
            # generic offer nobody made being added after it.
            led = _led_as_amends(out, channel)
            if led is not None:
                out = led
                continue
        if element in entry.required and element not in present:
            sentence = (_PUBLIC_GENERIC if public else {}).get(element) or _GENERIC[element]
            if not _FIRST_SINGULAR_WORDS.search(text):
                sentence = impersonal(sentence)  # a text signed by the organisation says "we"
                sentence = sentence[:1].upper() + sentence[1:]
            if channel == "social" and element == "invitation":
                sentence = _SOCIAL_INVITE
            position = {"acknowledgment": 0, "regret": 1, "responsibility": 2}.get(element)
            if element == "invitation" and out and _THANKS.match(out[-1]):
                position = len(out) - 1  # the letter's thanks stays its last line
            opening = _WRITING_ABOUT.match(out[0]) if out and element == "acknowledgment" else None
            if opening:
                # "I am writing about the payroll run X." -> "... X and what happened."
                out[0] = out[0][:-1] + " and what happened" + out[0][-1]
                continue
            looked = _LOOKED_INTO.match(out[0]) if out and element == "acknowledgment" else None
            if looked:
                # "I've looked into your acct 55-0193 myself." -> "I've looked into what
                # happened with your acct 55-0193 myself."
                out[0] = _names_what_happened(out[0])
                continue
            sorry = next(
                (i for i, x in enumerate(out[:2]) if _SORRY_CLAUSE.match(x)),
                None,
            )
            if element == "acknowledgment" and sorry is not None:
                # "We're so sorry Biscuit was clipped short ..." -> "We're so sorry about what
                # happened: Biscuit was clipped short ...", rather than a stock line before.
                said = _SORRY_CLAUSE.sub(r"\g<lead> about what happened: \g<what>", out[sorry])
                if "acknowledgment" in _carries_element(said, channel):
                    out[sorry] = said
                    continue
            here = _HERE_IS.match(out[0]) if out and element == "acknowledgment" else None
            if here and here.group("about"):
                # "About your job 4471-H: our engineer came ..." -> "What happened with
                # your job 4471-H: ...", rather than a stock line before it.
                out[0] = f"What happened with {here.group('about')}: {here.group('story')}"
                continue
            if (
                element == "acknowledgment"
                and out
                and _tells_what_happened(out[0], channel)
                and not _THANKS.match(out[0])  # "Thanks for your patience ..." tells nothing
            ):
                # "I am writing about what happened: the spring campaign launched with last
                # year's pricing ...", one sentence rather than a stock line before it.
                out[0] = f"{sentence[:-1]}: {_mid_told(out[0], text)}."
                continue
            out.insert(position if position is not None else len(out), sentence)
    if channel == "social" and not any("message" in s.lower() for s in out):
        out.append(_SOCIAL_INVITE)
    if "close" in entry.required and (public or not entry.has_signature) and "close" not in present:
        out.append((_PUBLIC_GENERIC if public else _GENERIC)["close"])
    return out


_ORDINARY_START = re.compile(
    r"^(?:We\b|We['’]|A|An|The|Our|Your|This|These|Every|All|One|Two|Three|Four|Five)\b"
)


def _led_as_amends(flat: list[str], channel: str) -> list[str] | None:
    """`flat` with its first remedy (one of our remedy wordings, or our action) said after
    "To make amends, ", where the form checks then read the amends; None where none is."""
    for i, s in enumerate(flat):
        remedy = any(slot.startswith("remedy") for slot, _ in _parts_of(s))
        if not (remedy or _callers_action(s)) or s.endswith("?"):
            continue
        rest = _AMENDS_LEAD.sub("", s, count=1)
        if _ORDINARY_START.match(rest):
            rest = rest[:1].lower() + rest[1:]  # "We'll have ..." -> "we'll have ..."
        led = f"To make amends, {rest}"
        if "amends" in _carries_element(led, channel):
            return [*flat[:i], led, *flat[i + 1 :]]
    return None


def _remedy_follow_ons(paragraphs: list[list[str]], channel: str) -> set[str]:
    """Sentences that tell a remedy in none of our words, after a remedy in the same
    paragraph and before any step: "To make amends, three lessons have been credited ...
    Every child keeps their place in their current stage until the end of term."."""
    found: set[str] = set()
    for paragraph in paragraphs:
        offered = False
        for s in paragraph:
            elements = _carries_element(s, channel)
            if "prevention" in elements or _PREVENTION_LEAD.match(s):
                break
            if "amends" in elements or _callers_action(s):
                offered = True
            elif offered and not elements and not _parts_of(s):
                found.add(s)
    return found


def _names_what_happened(opening: str) -> str:
    """An opening naming the reader's matter, said to be about what happened: "I am
    writing about your job 3318 and what happened.", "I've looked into what happened with
    your acct 55-0193 myself." (the guardrails' acknowledgment)."""
    if _WRITING_ABOUT.match(opening):
        return opening[:-1] + " and what happened" + opening[-1]
    if _LOOKED_INTO.match(opening):
        return opening.replace(" looked into ", " looked into what happened with ", 1)
    return opening


def _tells_what_happened(sentence: str, channel: str) -> bool:
    """A statement of what happened, in the caller's words: not our opening, an apology,
    an offer or a question."""
    if not sentence.endswith(".") or _opening_line(sentence) or _parts_of(sentence):
        return False
    return not _carries_element(sentence, channel) & _NOT_WHAT_HAPPENED


def _guess_channel(request: RewriteRequest) -> str:
    if _addressed_to_all(request.draft.body):
        return "public_statement"  # whether or not it has a headline
    if request.draft.subject:
        return "email"
    body = request.draft.body
    if body.lstrip().startswith("@"):
        return "social"  # a public reply to someone's handle
    if body.rstrip().endswith("?") and ("\n\n" in body or len(body) <= 900):
        return "chat"  # a chat reply ends on its question
    if len(body) <= 320 and "\n" not in body:
        # A public reply sends the reader to a private message.
        return (
            "social"
            if re.search(r"\b(?:direct|private) message\b|\bmessage us\b", body, re.I)
            else "sms"
        )
    return "letter"


_GROUP_GREETING = re.compile(
    r"^(?:Dear|Hi|Hello|To) (?:all|everyone|(?:all )?(?:our |valued )?(?:customers|members|"
    r"clients|guests|residents|parents|users|passengers|patients|subscribers))\b",
    re.IGNORECASE,
)


def _addressed_to_all(body: str) -> bool:
    """Whether a draft is written to everyone, as a public statement is: paragraphs with no
    greeting to one reader ("Dear customers," or none) and no sign-off above the name."""
    greeting, paragraphs, signoff, _ = _split(body)
    return (
        (greeting is None or bool(_GROUP_GREETING.match(greeting)))
        and signoff is None
        and len(paragraphs) >= 2
    )


_STRONG = re.compile(f"{MONEY}|{PERCENT}|{CODE}")
_SAYS_WHAT = re.compile(r"\bwhat happened\b", re.IGNORECASE)


def _ranked(
    flat: list[str],
    channel: str,
    ours: frozenset[str] = frozenset(),
    acknowledging: frozenset[str] = frozenset(),
    briefer: dict[str, str] | None = None,
    remedial: frozenset[str] = frozenset(),
) -> list[Line]:
    """Sentences ranked for a single-message channel: the first to carry each amount or
    code, the first to carry each element the channel requires, and, where it requires
    amends, every remedy (a second one included) are essential; other figures (a
    prevention step's) come next; then any element; then the rest. Our own background
    lines, recognised by their phrase-bank wording, rank as the plan ranks them (a
    strategy line, then the impact or the cause), whatever figures they carry. A remedy
    outranks what happened told in full: where `briefer` has a shorter telling (the
    opening naming the reader's matter), it is taken, after the shorter apology, before a
    remedy goes."""
    # A text says what we did or offer, whether or not the channel requires it.
    own = set(get_catalog().channels[channel].required)
    required = own | {"amends"}
    seen_tokens: set[str] = set()
    seen_elements: set[str] = set()
    lines = []
    for s in flat:
        elements = _carries_element(s, channel)
        if s in acknowledging:  # what happened, told from the draft's reference line
            elements.add("acknowledgment")
        if _callers_action(s) or s in remedial:
            elements.add("amends")  # "We have told HMRC about the correct amount."
        # Our background sentence (what it meant for the reader, the cause, a strategy
        # line) gives way before a remedy: its figures ("on the M4", "£18k of lost
        # orders") are no commitment.
        tier = _drop_tier(s)
        background = tier is not None and s not in acknowledging
        if background:
            elements -= _COMMITMENTS  # "We have already started putting this right."
        # "We should have handled your claim KC-2024-88170 better." owns the matter; its
        # reference is no commitment to keep ahead of a remedy.
        owning = bool(elements) and elements <= {"regret", "responsibility"}
        strong = (
            set()
            if background or owning
            else {m.group(0) for m in _STRONG.finditer(s)} - seen_tokens
        )
        new_required = (elements & required) - seen_elements
        # Where the channel requires amends (a text message), every remedy is essential: a
        # second one ("We will cover the recovery invoice") is what the reader gets, not
        # a repeat. A public reply gives its room to the apology and ownership first.
        # An offer that mentions the future ("a named senior linguist for every project
        # from now on") is still a remedy; a step's own lead makes it a step.
        remedy = "amends" in own and "amends" in elements
        remedy = remedy and ("prevention" not in elements or not _PREVENTION_LEAD.match(s))
        # A step's result ("The result so far: 100% of 48 jobs ...") gives way to a remedy.
        metric = {slot for slot, _ in _parts_of(s)} == {"metric_plain"}
        if s in ours:
            priority = "optional"  # our structural sentences give way to the draft's own
        elif background and not new_required:
            # A strategy line gives way before the impact or the cause.
            priority = "fact" if tier == _DROP_TIERS["fact"] else "strategy"
        elif metric and not new_required:
            priority = "fact"
        elif (strong and "prevention" not in elements) or new_required or remedy:
            priority = "essential"
        elif fact_tokens(s) - seen_tokens:
            priority = "fact"
        elif elements:
            priority = "strategy"
        else:
            priority = "optional"
        if priority == "essential":
            seen_tokens |= fact_tokens(s)
            seen_elements |= elements
        line = Line(s, Part("sentence", priority=priority))
        # "I'm sorry we let you down." is an apology and ownership: no short form says both.
        shortened = elements & set(_SHORT_FORMS)
        short = _SHORT_FORMS[next(iter(shortened))] if len(shortened) == 1 else ""
        if (
            short
            and not strong
            and not background
            and "acknowledgment" not in elements
            and len(short) < len(s)
        ):
            # A long regret or ownership sentence gives way to its short form before the
            # message drops what happened or what we did; what it meant for the reader
            # ("... and that's the part of this I regret most.") is no second apology.
            line.shorter = [_said_as(short, s)]
        elif channel == "social" and "invitation" in elements and _DM.search(s):
            line.shorter = ["Please message us and we will help."]
        elif _OFFER_LEAD.match(s):
            # "Here's what we'd like to offer you: two free tickets ..." -> "On offer: two
            # free tickets ...": the offer kept, in fewer words.
            line.shorter = [_OFFER_LEAD.sub("On offer: ", s, count=1)]
        elif _LEAD_IN.match(s) or _CONFIRM_TAIL.search(s) or _ALSO.search(s):
            # "As a goodwill gesture, we'd like to offer you ..." -> "We'd like to offer ...";
            # "... and let you know once it's done." -> "...": the plan is kept, not its tail;
            # "We have also paid the interest ..." -> "We have paid the interest ...".
            rest = _CONFIRM_TAIL.sub(".", _LEAD_IN.sub("", s, count=1))
            rest = _ALSO.sub(r"\1", rest, count=1)
            line.shorter = [rest[:1].upper() + rest[1:]]
        elif (
            elements == {"regret", "responsibility"}
            and "responsibility" not in own
            and not fact_tokens(s)
            and len(s) > len(_SORRY)
        ):
            # "We are sorry we let you down." is "We are sorry." in a text, which asks
            # for no ownership, where a remedy needs the room.
            line.shorter = [_said_as(_SORRY, s)]
        apology = elements == {"regret"} and not fact_tokens(s) and s not in acknowledging
        apology = apology and not background
        regret = _said_as(_SHORT_FORMS["regret"], s)
        if apology and line.shorter in ([], [regret]) and len(s) > len(_said_as(_SORRY, s)):
            # Last, "We are sorry.", where a remedy would not fit beside "truly".
            line.shorter = [*line.shorter, _said_as(_SORRY, s)]
        if briefer and s in briefer:
            line.shorter = [s, briefer[s]]  # the other lines' short forms first
        lines.append(line)
    return lines


_PREVENTION_LEAD = re.compile(
    r"^(?:So that this is far less likely to happen again|To help prevent this from happening "
    r"again|To help prevent a recurrence|To help make sure this does not happen again|"
    r"To guard against a repeat|To prevent a repeat), "
)
"""A prevention sentence's long lead, said in fewer words by a shortened letter."""
_SHORTENED_FORMS = {
    "regret": "We are truly sorry.",
    "responsibility": "It is our job to put this right.",
    "invitation": "Please reply with any questions.",
    "close": "Thank you.",
}
_COMMITMENTS = frozenset({"amends", "prevention"})
"""Elements whose sentences a shortened letter always keeps: what we did, offer or change."""
_SHORT_FORMS = {
    "regret": "We are truly sorry.",
    "responsibility": "It is our job to put this right.",
}
_SORRY = "We are sorry."


def _said_as(short: str, sentence: str) -> str:
    """A short form ("We are sorry.") in the person and register of the sentence it
    stands for: "I'm sorry." for "I'm sorry we let you down."."""
    if _FIRST_SINGULAR_WORDS.search(sentence) and short.startswith("We are "):
        short = "I am " + short[len("We are ") :]
    return contract(short) if has_contraction(sentence) else short


_BRIEF_INVITATION = "Any questions? Just reply."


def _relayout(
    channel: str,
    subject: str | None,
    greeting: str | None,
    flat: list[str],
    signoff: str | None,
    signature: list[str],
    ours: frozenset[str] = frozenset(),
    acknowledging: frozenset[str] = frozenset(),
    briefer: dict[str, str] | None = None,
    remedial: frozenset[str] = frozenset(),
) -> ComposedDraft:
    """The sentences laid out for `channel`; on a limited channel the sentences in `ours`
    (structural sentences a rewrite added) are the first to go, and those in `acknowledging`
    carry the acknowledgment; `briefer` gives what happened a shorter telling (the opening
    naming the reader's matter) for a text whose remedies need the room; `remedial` are
    remedies in no words of ours ("The client has confirmed in writing that the file was
    deleted.")."""
    entry = get_catalog().channels[channel]
    if channel in ("sms", "social"):
        lines = _ranked(flat, channel, ours, acknowledging, briefer or {}, remedial)
        join = lambda ls: " ".join(ln.text for ln in ls)  # noqa: E731
        worded = [ln.text for ln in lines]
        while True:
            text, kept = fit(lines, join, None, entry.max_chars)
            # Two apologies in the same short form ("I am truly sorry. I am truly sorry.")
            # are one: the second goes, and the text is fitted again without it.
            said: set[str] = set()
            again = next((ln for ln in kept if _said_before(ln.text, said)), None)
            if again is None:
                break
            at = lines.index(again)
            del lines[at], worded[at]
            for ln, words_ in zip(lines, worded, strict=True):
                ln.text = words_
        if entry.max_chars is not None and len(text) > entry.max_chars:
            text = _within(kept, channel, entry.max_chars, acknowledging, remedial)
        if "responsibility" not in _elements(text, channel):
            # A cause told in a text that owns nothing reads as an excuse: "This happened
            # because a background sync kept the radio awake." goes with the ownership.
            for s in flat:
                if _CAUSE_LINE.match(s) and not _WE_OR_I.search(s) and s in text:
                    text = " ".join(text.replace(s, "").split())
        for full, brief in (briefer or {}).items():
            # What happened told in full again where the remedies left room after all.
            told = text.replace(brief, full, 1)
            if brief in text and (entry.max_chars is None or len(told) <= entry.max_chars):
                text = told
        return ComposedDraft(subject=None, body=text)
    if entry.max_chars is not None:
        # A chat reply keeps whole sentences, most valuable first, within its limit (its
        # paragraph breaks, greeting and closing question counted).
        room = entry.max_chars - len(greeting or "Hello,") - len(_CHAT_QUESTION) - 8
        lines = _ranked(flat, channel, ours, acknowledging)
        for _ in range(4):
            _, kept = fit(lines, lambda ls: " ".join(ln.text for ln in ls), None, room)
            trial = _relayout_parts(channel, greeting, [ln.text for ln in kept], None, [])
            over = len("\n\n".join(trial)) - entry.max_chars
            if over <= 0:
                break
            room -= over
        flat = [ln.text for ln in kept]
    parts = _relayout_parts(channel, greeting, flat, signoff, signature)
    if entry.has_subject and not subject:
        subject = _SUBJECT
    return ComposedDraft(subject=subject if entry.has_subject else None, body="\n\n".join(parts))


def _said_before(sentence: str, said: set[str]) -> bool:
    """Whether `sentence` (contractions aside) is in `said`; it is added there if not."""
    key = expand(sentence).lower()
    if key in said:
        return True
    said.add(key)
    return False


def _within(
    kept: list[Line],
    channel: str,
    limit: int,
    acknowledging: frozenset[str],
    remedial: frozenset[str] = frozenset(),
) -> str:
    """Whole sentences within `limit` when even the essential ones are too long: the first
    sentence to carry each element the channel requires stays (what happened included);
    a second one goes first, then what we did or offer, from the end."""
    required = set(get_catalog().channels[channel].required)
    kept = list(kept)

    def firsts() -> set[int]:
        seen: set[str] = set()
        out: set[int] = set()
        for i, ln in enumerate(kept):
            elements = _carries_element(ln.text, channel) & required
            if ln.text in acknowledging:
                elements.add("acknowledgment")
            if elements - seen:
                out.add(i)
                seen |= elements
        return out

    def over() -> bool:
        return len(" ".join(ln.text for ln in kept)) > limit

    def remedy(text: str) -> bool:
        """A remedy or its figure: what a text gives up last."""
        if _drop_tier(text) is not None:
            return False  # our background or strategy line, whatever it carries
        elements = _carries_element(text, channel)
        if "amends" in elements or _callers_action(text) or text in remedial:
            return True
        # "The amount refunded is £312.40." is a remedy's figure; "We should have handled
        # your claim KC-2024-88170 better." is ownership, whatever it names.
        return bool(_STRONG.search(text)) and not elements

    def step(text: str) -> bool:
        return _drop_tier(text) is None and "prevention" in _carries_element(text, channel)

    # A second sentence for an element goes first: the background, then a prevention step,
    # then the rest; a second remedy ("We will cover the recovery invoice (£180).")
    # outlives the impact and the step.
    passes: tuple[Callable[[str], bool], ...] = (
        lambda text: not remedy(text) and not step(text),
        lambda text: not remedy(text),
        lambda text: True,
    )

    def trim(remedies: bool) -> None:
        for spare in passes if remedies else passes[:2]:
            for i in reversed(range(len(kept))):
                if not over():
                    return
                if i not in firsts() and spare(kept[i].text):
                    kept.pop(i)
        for i in reversed(range(len(kept)) if remedies else ()):
            if not over():
                return
            promoted = "amends" in _carries_element(kept[i].text, channel) - required
            if promoted and kept[i].text not in acknowledging:
                kept.pop(i)

    start = list(kept)
    place = {id(ln): float(i) for i, ln in enumerate(start)}
    trim(remedies=False)
    while over():
        # Still too long: the longest sentence (not what happened) in its whole clauses,
        # "To make amends, we have refunded ... on 2 September." and "Our claims team
        # has closed the claim ...", whose second may then go before a remedy does.
        candidates = [i for i, ln in enumerate(kept) if ln.text not in acknowledging]
        if not candidates:
            break
        at = max(candidates, key=lambda i: len(kept[i].text))
        parts = split_long(kept[at].text)
        if len(parts) < 2:
            break
        pieces = [Line(part, kept[at].part) for part in parts]
        for n, piece in enumerate(pieces):
            place[id(piece)] = place[id(kept[at])] + (n + 1) / (len(pieces) + 1)
        kept[at : at + 1] = pieces
        trim(remedies=False)
    if over():
        # Sentences written by hand ("I write to offer our apology for ... in January,
        # during which period your room was cold ..."), without courtesies and last asides.
        acknowledging = frozenset(acknowledging)
        for ln in kept:
            short = _without_asides(ln.text)
            if ln.text in acknowledging:
                acknowledging |= {short}
            ln.text = short
        trim(remedies=False)
    trim(remedies=True)  # a remedy goes last, from the end
    # What went for room before a split made some may come back, a remedy's amount first
    # ("The amount refunded is £312.40.").
    for line in sorted(start, key=lambda ln: not remedy(ln.text)):
        if line in kept:
            continue
        trial = sorted([*kept, line], key=lambda ln: place[id(ln)])
        if len(" ".join(ln.text for ln in trial)) <= limit:
            kept[:] = trial
    return " ".join(ln.text for ln in kept)


def _relayout_parts(
    channel: str,
    greeting: str | None,
    flat: list[str],
    signoff: str | None,
    signature: list[str],
) -> list[str]:
    """The paragraphs of a letter-style channel: greeting, sentences, closing lines."""
    entry = get_catalog().channels[channel]
    parts: list[str] = []
    if entry.has_greeting:
        parts.append(greeting or "Hello,")
    step = 2 if channel == "chat" else 3
    parts += [" ".join(flat[i : i + step]) for i in range(0, len(flat), step)]
    if channel == "chat":
        if not parts or not parts[-1].rstrip().endswith("?"):
            parts.append(_CHAT_QUESTION)
    elif entry.has_signature:
        if entry.public:
            closing = signature[-1:] if signature else ["The customer care team"]
            org = [s for s in signature if not re.search(r"@|\d|\.example", s)]
            closing = org[-1:] or closing
        else:
            closing = [signoff or "Kind regards,"] + (signature or ["The customer care team"])
        parts.append("\n".join(closing))
    return parts
