"""Holding each code rule's cue (`checker.Rule.cue`) to what the rule finds: a rule is not
run over a body without its cue, so a wrong cue silently drops findings. `cue_checked` runs
a rule over every draft and fails where it finds something in a body without its cue; the
guardrail tests' conftest puts every cued rule in its place for every test, so each hit of a
rule in any test is also a test of its cue."""

from __future__ import annotations

from contract.report import Finding
from guardrails.checker import Rule
from guardrails.draft import Draft


class WrongCue(AssertionError):
    """A rule found something in a body that lacks its cue."""


def cue_checked(rule: Rule) -> Rule:
    """`rule` without its cue, run over every draft (with a request when it needs one): it
    finds what `rule` finds, and raises `WrongCue` where that is something in a body
    without the cue."""

    def run(draft: Draft) -> list[Finding]:
        found = rule.run(draft)
        if found and not rule.runs_on(draft):
            raise WrongCue(
                f"{rule.run.__name__} found {[(f.rule, f.excerpt) for f in found]} in a body "
                f"without its cue {rule.cue}"
            )
        return found

    run.__name__ = rule.run.__name__
    return Rule(run, rule.ids, rule.needs_context)
