"""The letter-style channels: email, letter, chat reply and public statement.

The draft is built from the five elements in the order research favours (acknowledge the
specific offense, take responsibility, express regret, make amends, commit to change), plus
an honest explanation, an invitation to reply and a positive close, then laid out for the
channel with its greeting, sign-off and signature.
"""

from __future__ import annotations

from service.composer.draft import ComposedDraft, ComposeOptions
from service.composer.layout import ESSENTIAL, OPTIONAL, STRATEGY, Frame, Line, lay_out
from service.composer.prevention import prevention_lines
from service.composer.remedies import amends_lines
from service.composer.writer import Writer


def _opening(w: Writer) -> list[Line]:
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


def _explanation(w: Writer) -> list[Line]:
    cautious = w.request.liability == "cautious"
    lines: list[Line] = []
    if w.public and w.has("crisis_public"):
        lines += w.line("crisis_public", "strategy", STRATEGY)
    cause: list[Line] = []
    if w.values["cause"]:
        cause = w.line("cause", "explanation")
        lines += cause
    else:
        lines += w.line("no_cause", "explanation", ESSENTIAL if cautious else OPTIONAL)
    if w.has("collaborative_accountability"):
        # Once the cause sentence has named the cause, the collaboration sentence refers to
        # "this process" rather than naming it a second time.
        without_cause = {"cause": "", "cause_np": "", "cause_clause": ""} if cause else None
        lines += w.line("collaboration", "strategy", STRATEGY, values=without_cause)
    if w.has("crisis_public") and not w.public:
        lines += w.line("crisis_private", "strategy", STRATEGY)
    lines += w.line("expand_explain", "extra", OPTIONAL, extra=True)
    return lines


def invitation_line(w: Writer) -> list[Line]:
    """The invitation to reply; a crisis statement's route to help is its invitation."""
    crisis_steps = w.public and w.has("crisis_public")
    return w.line(
        "crisis_steps" if crisis_steps else "invitation",
        "invitation",
        ESSENTIAL if w.required("invitation") else OPTIONAL,
    )


def _closing(w: Writer) -> list[Line]:
    lines: list[Line] = []
    if w.has("brand_personality"):
        lines += w.line("brand", "strategy", STRATEGY)
    # A crisis statement's route to help is its invitation; saying both would repeat it.
    invitation = invitation_line(w)
    close_priority = ESSENTIAL if w.required("close") else OPTIONAL
    if w.has("psychological_framing"):
        close = w.line("psych_close", "close", STRATEGY)
        # The direct line to the sender; when the invitation already gave the address, the
        # close points back to it instead of stating it a second time.
        contact = w.values["contact"]
        given = bool(contact) and any(contact in line.text for line in invitation)
        close += w.line("psych_contact_given" if given else "psych_contact", "strategy", STRATEGY)
    else:
        close = w.line("close", "close", close_priority)
    if w.public:
        close += w.line("public_extra", "extra", OPTIONAL, extra=True)
    # A chat reply ends on its question; a letter ends on its positive close.
    return lines + close + invitation if w.channel.key == "chat" else lines + invitation + close


def letter_frame(w: Writer) -> Frame:
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


def _subject(w: Writer) -> str | None:
    if not w.channel.has_subject:
        return None
    return w.say("headline" if w.public else "subject")


def _kept_when_short(w: Writer, line: Line) -> bool:
    """A short draft drops optional sentences unless the channel requires their element;
    extras stay available, since the layout only uses them to reach the minimum length."""
    return line.priority != OPTIONAL or line.extra or w.required(line.role)


def compose_letter(w: Writer, options: ComposeOptions) -> ComposedDraft:
    """The draft for a letter-style channel, in paragraphs, with its subject if it has one."""
    opening, explanation = _opening(w), _explanation(w)
    amends, prevention = amends_lines(w), prevention_lines(w)
    amends += [Line(text, "amends") for text in options.extra_lines]
    closing = _closing(w)
    if w.channel.key == "email":
        # Two to four short paragraphs: the story, the remedy and the change, the close.
        blocks = [opening + explanation, amends + prevention, closing]
    else:
        blocks = [opening, explanation, amends, prevention, closing]
    if w.voice.length == "short":
        blocks = [[ln for ln in b if _kept_when_short(w, ln)] for b in blocks]
    body = lay_out(blocks, letter_frame(w), include_extras=w.voice.length == "long")
    return ComposedDraft(subject=_subject(w), body=body)
