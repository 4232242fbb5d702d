"""The single-message channels: an SMS and a public social reply, each one short paragraph
within the channel's character limit.

An SMS keeps every remedy's figures and code, falling back to the compact form of each remedy
when the full sentences would not fit. A social reply is public, so it carries no figures,
codes or references: it acknowledges, takes responsibility and invites a direct message.
"""

from __future__ import annotations

from service.composer.draft import ComposedDraft, ComposeOptions
from service.composer.layout import ESSENTIAL, OPTIONAL, STRATEGY, Line, fit_single
from service.composer.prevention import step_line
from service.composer.remedies import compact_remedy, remedy_sentences
from service.composer.writer import Writer


def compose_sms(w: Writer, options: ComposeOptions) -> ComposedDraft:
    """An SMS: acknowledgment, responsibility, every remedy, one prevention step, an invite."""
    limit = w.channel.max_chars or 320
    pieces = w.line("sms_ack", "acknowledgment")
    pieces += [Line(w.values["summary"], "acknowledgment", OPTIONAL)]
    pieces += w.line("sms_responsibility", "responsibility", STRATEGY)
    essential_len = sum(len(p.text) + 1 for p in pieces if p.priority == ESSENTIAL)
    # The full sentences if they fit; else each remedy in its own words with its status;
    # else only its kind, figures and status.
    for full in (
        remedy_sentences(w),
        [Line(compact_remedy(r, described=True), "amends") for r in w.remedies],
        [Line(compact_remedy(r), "amends") for r in w.remedies],
    ):
        if essential_len + sum(len(p.text) + 1 for p in full) <= limit:
            break
    pieces += full
    if not w.request.remedies:
        pieces += w.line("sms_no_remedy", "amends")
    pieces += [Line(text, "amends") for text in options.extra_lines]
    for step in w.request.prevention[:1]:
        pieces += step_line(w, step, first=True, priority=OPTIONAL, metric=False)
    pieces += w.line("sms_invite", "invitation", OPTIONAL)
    if w.values["org"]:
        pieces.append(Line(f"- {w.values['org']}", "signature", OPTIONAL))
    return ComposedDraft(subject=None, body=fit_single(pieces, limit))


def compose_social(w: Writer, options: ComposeOptions) -> ComposedDraft:
    """A public social reply: acknowledgment, responsibility and an invitation to message."""
    del options  # a public reply carries no figures, so there is nothing to carry over
    pieces = w.line("social_ack", "acknowledgment")
    pieces += w.line("social_responsibility", "responsibility")
    if w.has("brand_personality"):
        pieces += w.line("brand", "strategy", STRATEGY)
    pieces += w.line("social_invite", "invitation")
    return ComposedDraft(subject=None, body=fit_single(pieces, w.channel.max_chars or 280))
