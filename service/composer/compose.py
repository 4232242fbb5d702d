"""The offline composer: writes a complete apology from a `DraftRequest`, with no model.

The letter is built from the five elements in the order research favours (acknowledge the
specific offense, take responsibility, express regret, make amends, commit to change), plus
an honest explanation, an invitation to reply and a positive close, then laid out for the
channel. Every sentence comes from the phrase banks in phrases/; every figure, code, date and
offer comes from the request, rendered by `facts`. The customer's own message is never read:
it is untrusted text, and nothing in a draft depends on it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from prompts.catalog import Channel, get_catalog
from service.composer import facts
from service.composer.layout import ESSENTIAL, OPTIONAL, STRATEGY, Frame, Line, fit_single, lay_out
from service.composer.phrases import Picker, Situation
from service.composer.voice import Voice, voice_for, voiced
from service.models import DraftRequest, Remedy

# Name prefixes after which the first word is not a first name.
_TITLES = {"mr", "mrs", "ms", "mx", "dr", "prof", "sir", "dame", "mr.", "mrs.", "ms.", "dr."}


# Remedy kinds whose sentence has no word like "refund" or "replacement" to say what it is.
_PLAIN_KINDS = ("expedite", "service", "other")


@dataclass(frozen=True)
class ComposedDraft:
    """A finished draft: the subject (None where the channel has none) and the body."""

    subject: str | None
    body: str


@dataclass(frozen=True)
class ComposeOptions:
    """How a rewrite steers the composer; a plain draft uses the defaults."""

    operation: str = "none"
    extra_lines: tuple[str, ...] = ()
    """Sentences that must appear (facts a rewrite carries over from the source draft)."""


def request_seed(request: DraftRequest) -> int:
    """A stable seed for phrase choice. Python's `hash()` changes per process; this does not."""
    digest = hashlib.sha256(request.model_dump_json().encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


class _Writer:
    """Fills slots from the phrase banks for one request."""

    def __init__(self, request: DraftRequest, channel: Channel, voice: Voice) -> None:
        self.request = request
        self.channel = channel
        self.voice = voice
        self.public = channel.public
        self.incident = facts.incident_facts(request, public=self.public)
        self.values = dict(self.incident.values)
        name = request.recipient.name or ""
        if name and name.split(" ", 1)[0].lower() in _TITLES and not self.public:
            self.values["first_name"] = name
        self.picker = Picker(
            seed=request_seed(request),
            where=Situation(
                register=voice.register,
                tone=voice.tone,
                audience="public" if self.public else request.audience,
                posture=request.liability,
                channel=channel.key,
                prefer_tone=voice.brand,
                prefer_plain=voice.plain,
                prefer_short=voice.length == "short",
            ),
        )

    def say(self, slot: str, extra: dict[str, str] | None = None) -> str | None:
        values = {**self.values, **(extra or {})}
        variant = self.picker.pick(slot, values)
        if variant is None:
            return None
        text = voiced(variant.text, self.voice).format_map(values)
        return text[:1].upper() + text[1:]

    def line(
        self,
        slot: str,
        role: str,
        priority: int = ESSENTIAL,
        *,
        extra: bool = False,
        values: dict[str, str] | None = None,
    ) -> list[Line]:
        text = self.say(slot, values)
        return [Line(text, role, priority, extra)] if text else []

    def has(self, strategy: str) -> bool:
        return strategy in self.request.strategies

    def required(self, element: str) -> bool:
        return element in self.channel.required


def _remedy_line(w: _Writer, slot: str, remedy: Remedy, values: dict[str, str]) -> list[Line]:
    """One remedy's sentence, with its code joined on so no layout can separate them."""
    text = w.say(slot, values)
    if text is None:
        return []
    if not values["also"] and remedy.kind in _PLAIN_KINDS:
        # "We have arranged a call" does not read as amends on its own; name the purpose.
        text = "To make amends, " + text[:1].lower() + text[1:]
    code = w.say("remedy_code", values) if values["code"] else None
    return [Line(f"{text} {code}" if code else text, "amends")]


def _remedy_lines(w: _Writer) -> list[Line]:
    lines: list[Line] = []
    proactive = w.has("proactive_solutions")
    if proactive and any(r.status == "done" for r in w.request.remedies):
        lines += w.line("proactive_lead", "strategy", STRATEGY)
    for index, remedy in enumerate(w.request.remedies):
        words = facts.remedy_words(remedy, first=index == 0)
        if words.shape == "clause":
            lines.append(Line(facts.clause_remedy(remedy), "amends"))
            continue
        slot = {"done": "remedy_done", "planned": "remedy_planned", "offered": "remedy_offered"}
        name = slot[remedy.status]
        if remedy.status == "planned" and not remedy.date:
            name = "remedy_planned_undated"
        if (
            proactive
            and remedy.status == "offered"
            and remedy.kind in ("discount", "credit", "service", "other")
        ):
            name = "remedy_goodwill"
        lines += _remedy_line(w, name, remedy, words.values)
    if not w.request.remedies:
        lines += w.line("no_remedy", "amends", ESSENTIAL if w.required("amends") else OPTIONAL)
    return lines


def _our_clause(w: _Writer, clause: str) -> str:
    """Give the composer's own lead-in words ("we are introducing") the draft's voice."""
    for lead in ("we are introducing ", "we are "):
        if clause.startswith(lead):
            return voiced(lead, w.voice) + clause[len(lead) :]
    return clause


def _prevention_lines(w: _Writer) -> list[Line]:
    lines: list[Line] = []
    steps = w.request.prevention
    for index, step in enumerate(steps):
        clause = _our_clause(w, facts.prevention_clause(step))
        if step.metric:
            clause += f" ({step.metric})"
        lines += w.line(
            "prevention_lead" if index == 0 else "prevention_more",
            "prevention",
            values={"clause": clause},
        )
    if not steps:
        priority = ESSENTIAL if w.required("prevention") else OPTIONAL
        lines += w.line("no_prevention", "prevention", priority)
    if w.has("data_driven_transparency") and steps:
        metrics = [s.metric for s in steps if s.metric]
        if metrics:
            lines += w.line("data_metric", "strategy", STRATEGY, values={"metric": metrics[0]})
        else:
            lines += w.line("data_no_metric", "strategy", STRATEGY)
    if w.has("feedback_integration"):
        lines += w.line("feedback" if steps else "feedback_review", "strategy", STRATEGY)
    return lines


def _opening(w: _Writer) -> list[Line]:
    impact = bool(w.values["impact"])
    empathy = w.has("contextual_empathy") and impact
    lead_with_impact = impact and not empathy and w.voice.tone == "empathetic"
    lines: list[Line] = []
    if lead_with_impact:
        lines += w.line("impact", "impact", STRATEGY)
    lines += w.line("acknowledge", "acknowledgment")
    if empathy:
        lines += w.line("empathy_impact", "strategy", STRATEGY)
    lines += w.line("regret", "regret")
    lines += w.line("responsibility", "responsibility")
    if impact and not empathy and not lead_with_impact:
        lines += w.line("impact", "impact", OPTIONAL)
    if not impact and w.request.audience == "client" and not w.public:
        lines += w.line("client_effect", "impact", OPTIONAL)
    lines += w.line("expand_empathy", "extra", OPTIONAL, extra=True)
    return lines


def _explanation(w: _Writer) -> list[Line]:
    cautious = w.request.liability == "cautious"
    lines: list[Line] = []
    if w.public and w.has("crisis_public"):
        lines += w.line("crisis_public", "strategy", STRATEGY)
    if w.values["cause"]:
        lines += w.line("cause", "explanation")
    else:
        lines += w.line("no_cause", "explanation", ESSENTIAL if cautious else OPTIONAL)
    if w.has("collaborative_accountability"):
        lines += w.line("collaboration", "strategy", STRATEGY)
    if w.has("crisis_public") and not w.public:
        lines += w.line("crisis_private", "strategy", STRATEGY)
    lines += w.line("expand_explain", "extra", OPTIONAL, extra=True)
    return lines


def _closing(w: _Writer) -> list[Line]:
    lines: list[Line] = []
    if w.has("brand_personality"):
        lines += w.line("brand", "strategy", STRATEGY)
    # A crisis statement's route to help is its invitation; saying both would repeat it.
    crisis_steps = w.public and w.has("crisis_public")
    invitation = w.line(
        "crisis_steps" if crisis_steps else "invitation",
        "invitation",
        ESSENTIAL if w.required("invitation") else OPTIONAL,
    )
    close_priority = ESSENTIAL if w.required("close") else OPTIONAL
    if w.has("psychological_framing"):
        close = w.line("psych_close", "close", STRATEGY)
        close += w.line("psych_contact", "strategy", STRATEGY)
    else:
        close = w.line("close", "close", close_priority)
    if w.public:
        close += w.line("public_extra", "extra", OPTIONAL, extra=True)
    # A chat reply ends on its question; a letter ends on its positive close.
    return lines + close + invitation if w.channel.key == "chat" else lines + invitation + close


def _frame(w: _Writer) -> Frame:
    ch = w.channel
    frame = Frame(max_chars=ch.max_chars, max_words=w.request.max_words)
    if ch.words:
        frame.min_words = ch.words[0]
        frame.max_words = min(ch.words[1], w.request.max_words or ch.words[1])
    if ch.has_greeting:
        frame.greeting = w.say("greeting") or w.say("greeting_anonymous")
    if ch.has_signature:
        sender = w.request.sender
        if w.public:
            frame.signature = (
                [sender.organization]
                if sender.organization
                else [x for x in (sender.name, sender.title) if x]
            )
        else:
            frame.signoff = w.say("signoff")
            frame.signature = [
                x for x in (sender.name, sender.title, sender.organization, sender.contact) if x
            ]
        if not frame.signature:
            team = {"client": "Your account team", "colleague": "The team"}
            frame.signature = [team.get(w.request.audience, "The customer care team")]
    if ch.key == "chat":
        frame.sentences_per_paragraph = 2
    return frame


def _subject(w: _Writer) -> str | None:
    if not w.channel.has_subject:
        return None
    return w.say("headline" if w.public else "subject")


def _kept_when_short(w: _Writer, line: Line) -> bool:
    """A short draft drops optional sentences unless the channel requires their element;
    extras stay available, since the layout only uses them to reach the minimum length."""
    return line.priority != OPTIONAL or line.extra or w.required(line.role)


def _letter(w: _Writer, options: ComposeOptions) -> ComposedDraft:
    opening, explanation = _opening(w), _explanation(w)
    amends, prevention = _remedy_lines(w), _prevention_lines(w)
    amends += [Line(text, "amends") for text in options.extra_lines]
    closing = _closing(w)
    if w.channel.key == "email":
        # Two to four short paragraphs: the story, the remedy and the change, the close.
        blocks = [opening + explanation, amends + prevention, closing]
    else:
        blocks = [opening, explanation, amends, prevention, closing]
    if w.voice.length == "short":
        blocks = [[ln for ln in b if _kept_when_short(w, ln)] for b in blocks]
    body = lay_out(blocks, _frame(w), include_extras=w.voice.length == "long")
    return ComposedDraft(subject=_subject(w), body=body)


def _sms(w: _Writer, options: ComposeOptions) -> ComposedDraft:
    limit = w.channel.max_chars or 320
    pieces = w.line("sms_ack", "acknowledgment")
    pieces += [Line(w.values["summary"], "acknowledgment", OPTIONAL)]
    pieces += w.line("sms_responsibility", "responsibility", STRATEGY)
    full: list[Line] = []
    for index, remedy in enumerate(w.request.remedies):
        words = facts.remedy_words(remedy, first=index == 0)
        if words.shape == "clause":
            full.append(Line(facts.clause_remedy(remedy), "amends"))
            continue
        slot = {"done": "remedy_done", "planned": "remedy_planned", "offered": "remedy_offered"}
        name = (
            slot[remedy.status]
            if remedy.status != "planned" or remedy.date
            else ("remedy_planned_undated")
        )
        full += _remedy_line(w, name, remedy, words.values)
    essential_len = sum(len(p.text) + 1 for p in pieces if p.priority == ESSENTIAL)
    if essential_len + sum(len(p.text) + 1 for p in full) > limit:
        full = [Line(facts.compact_remedy(r), "amends") for r in w.request.remedies]
    pieces += full
    if not w.request.remedies:
        pieces += w.line("sms_no_remedy", "amends")
    pieces += [Line(text, "amends") for text in options.extra_lines]
    for step in w.request.prevention[:1]:
        pieces += w.line(
            "prevention_lead",
            "prevention",
            OPTIONAL,
            values={"clause": _our_clause(w, facts.prevention_clause(step))},
        )
    pieces += w.line("sms_invite", "invitation", OPTIONAL)
    if w.values["org"]:
        pieces.append(Line(f"- {w.values['org']}", "signature", OPTIONAL))
    return ComposedDraft(subject=None, body=fit_single(pieces, limit))


def _social(w: _Writer, options: ComposeOptions) -> ComposedDraft:
    del options  # a public reply carries no figures, so there is nothing to carry over
    pieces = w.line("social_ack", "acknowledgment")
    pieces += w.line("social_responsibility", "responsibility")
    if w.has("brand_personality"):
        pieces += w.line("brand", "strategy", STRATEGY)
    pieces += w.line("social_invite", "invitation")
    return ComposedDraft(subject=None, body=fit_single(pieces, w.channel.max_chars or 280))


def compose(request: DraftRequest, options: ComposeOptions | None = None) -> ComposedDraft:
    """Write the draft for `request`; the same request always gives the same text."""
    options = options or ComposeOptions()
    channel = get_catalog().channels[request.channel]
    voice = voice_for(
        request.tone, operation=options.operation, brand="brand_personality" in request.strategies
    )
    writer = _Writer(request, channel, voice)
    if channel.key == "sms":
        return _sms(writer, options)
    if channel.key == "social":
        return _social(writer, options)
    return _letter(writer, options)
