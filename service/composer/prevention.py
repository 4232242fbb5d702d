"""Prevention as the draft states it: each step the caller authorised, worded as what "we"
are doing so this does not happen again, and the sentences built from those steps.

A step's description and metric are copied from the request; the composer adds only its own
lead-in words ("we are introducing"), in the draft's voice. A step the caller wrote as a
whole clause ("the app now confirms every pause") stands as it is after a lead-in of its
own, and a metric already in the description, or stated by the data-driven sentence, is not
repeated.
"""

from __future__ import annotations

from contract.models import Prevention
from service.composer.grammar import clause, shape
from service.composer.layout import ESSENTIAL, OPTIONAL, STRATEGY, Line
from service.composer.voice import voiced
from service.composer.writer import Writer


def prevention_clause(step: Prevention) -> str:
    """A prevention step as the clause after "To help prevent this from happening again,"."""
    text = clause(step.description)
    form = shape(step.description)
    if form == "clause":
        return text
    if form == "gerund":
        return "we are " + text
    return "we are introducing " + text


def our_clause(w: Writer, step: Prevention) -> str:
    """The step's clause, with the composer's own lead-in words ("we are introducing") given
    the draft's voice."""
    text = prevention_clause(step)
    for lead in ("we are introducing ", "we are "):
        if text.startswith(lead):
            return voiced(lead, w.voice) + text[len(lead) :]
    return text


def step_line(
    w: Writer, step: Prevention, *, first: bool, priority: int = ESSENTIAL, metric: bool = True
) -> list[Line]:
    """One prevention step's sentence: the lead-in for the first step (one that suits a
    caller's own clause when the step is one), "In addition" for the others."""
    text = our_clause(w, step)
    if metric and step.metric and step.metric not in step.description:
        text += f" ({step.metric})"
    if not first:
        slot = "prevention_more"
    elif shape(step.description) == "clause":
        slot = "prevention_lead_clause"
    else:
        slot = "prevention_lead"
    return w.line(slot, "prevention", priority, values={"clause": text})


def prevention_lines(w: Writer) -> list[Line]:
    """The prevention part of a letter-style draft: every step (with its metric), or a
    sentence saying none is settled yet, plus the data and feedback strategy sentences."""
    lines: list[Line] = []
    steps = w.request.prevention
    metrics = [s.metric for s in steps if s.metric]
    # The data-driven sentence states the first metric; its step need not state it too.
    quoted = metrics[0] if metrics and w.has("data_driven_transparency") else None
    for index, step in enumerate(steps):
        lines += step_line(w, step, first=index == 0, metric=step.metric != quoted)
    if not steps:
        priority = ESSENTIAL if w.required("prevention") else OPTIONAL
        lines += w.line("no_prevention", "prevention", priority)
    if w.has("data_driven_transparency") and steps:
        stated = any(s.metric and s.metric in s.description for s in steps)
        if metrics and stated:
            # The figure is already in the step's own words; say so rather than repeat it.
            lines += w.line("data_metric_stated", "strategy", STRATEGY)
        elif metrics:
            lines += w.line("data_metric", "strategy", STRATEGY, values={"metric": metrics[0]})
        else:
            lines += w.line("data_no_metric", "strategy", STRATEGY)
    if w.has("feedback_integration"):
        lines += w.line("feedback" if steps else "feedback_review", "strategy", STRATEGY)
    return lines
