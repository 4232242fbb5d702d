"""A rule that stops reading once the report has all it keeps of it must report what reading
on would have left: `invented_effect` and `invented_cause` stop a sentence's reach
(`spans.SENTENCE_REACH`) past their `MAX_PER_RULE`-th finding, and the structural rules stop
reading causes put outside at their `MAX_PER_RULE`-th error."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from contract.models import DraftRequest
from contract.report import Finding
from guardrails import check, letter_slips, model_claims, structure
from guardrails.spans import MAX_PER_RULE

_REQUEST = DraftRequest.model_validate(
    {
        "scenario": "custom",
        "audience": "customer",
        "channel": "email",
        "recipient": {"name": "Ines Moreau"},
        "sender": {"name": "Ola", "organization": "Birchwood"},
        "incident": {
            "summary": "The bookcase ordered on 4 June arrived with a cracked shelf.",
            "cause": "The shelf was packed without corner guards.",
            "reference": "BK-3310",
        },
        "remedies": [{"kind": "replacement", "description": "a new shelf", "status": "done"}],
        "prevention": [{"description": "every box now gets corner guards before it is sealed"}],
    }
)
# Sentences that give effects and causes nobody gave, of different lengths, some with a
# clause that runs on and some across a line break; and some that give none.
_PARTS = (
    "The delay happened because of a fault in the warehouse scanner. ",
    "We shipped late, which caused additional costs and delays for the project. ",
    "To ensure that every parcel reaches you on time, we are adding a check. ",
    "This was due to a strike at the port, which resulted in a backlog of orders across "
    "the whole region and beyond, ",
    "so that shipments arrive faster. ",
    "The cause was a power cut at the depot.\n",
    "We added a scan, which ensures that we can quickly respond to changes in stock levels. ",
    "It happened owing to heavy snow " + "and wind " * 40 + "in the north. ",
    "Sorry. ",
    "\n\n",
)


def _bodies() -> list[str]:
    rng = random.Random(11)
    bodies = ["".join(rng.choice(_PARTS) for _ in range(rng.randint(30, 250))) for _ in range(12)]
    return [*bodies, _PARTS[1] * 120, _PARTS[7] * 30]


@pytest.mark.parametrize("channel", ["email", "social"])
def test_stopping_at_what_the_report_keeps_changes_no_report(
    channel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: Counter[str] = Counter()
    for module in (model_claims, letter_slips):
        counted = module.finding

        def counting(
            rule: str, *args: Any, counted: Callable[..., Finding] = counted, **kwargs: Any
        ) -> Finding:
            made[rule] += 1
            return counted(rule, *args, **kwargs)

        monkeypatch.setattr(module, "finding", counting)
    rules = (model_claims.INVENTED_EFFECT, letter_slips.INVENTED_CAUSE)
    stopped = [check(body, channel=channel, context=_REQUEST) for body in _bodies()]
    built = {rule: made[rule] for rule in rules}
    for module in (model_claims, letter_slips):
        monkeypatch.setattr(module, "MAX_PER_RULE", 10**9)  # never stops: reads every cue
    made.clear()
    for body, report in zip(_bodies(), stopped, strict=True):
        assert check(body, channel=channel, context=_REQUEST) == report
    # The bodies hold many more of each rule than a report keeps: most were never built.
    for rule in rules:
        assert made[rule] > 2 * built[rule] > 20 * MAX_PER_RULE, (rule, made, built)


# Causes put outside of every kind `structure._outside_causes` reads (a link and its agent,
# a state, a narrative, a third party's failing, an explanation verb, a reason clause, "down
# to"), and some it reads and drops (a question, a condition, words reported).
_CAUSES = (
    "Your parcel was late due to the recent harsh winter conditions. ",
    "The carrier has disrupted deliveries across the region. ",
    "With the storm continuing, the courier held up your order. ",
    "A power surge at the depot caused the outage. ",
    "It arrived late because the depot closed early. ",
    "It's down to the Royal Mail service. ",
    "Was it held up by the courier? ",
    "If the address was entered incorrectly, the courier is to blame. ",
    "Our supplier has been experiencing a huge backlog. ",
    "Sorry for the delay. ",
    "\n\n",
)


def test_reading_causes_only_as_far_as_the_report_keeps_changes_no_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = Counter[int]()
    counted = structure._outside_cause

    def counting(text: str, start: int, end: int) -> Finding:
        made[0] += 1
        return counted(text, start, end)

    monkeypatch.setattr(structure, "_outside_cause", counting)
    rng = random.Random(33)
    bodies = ["".join(rng.choice(_CAUSES) for _ in range(rng.randint(20, 200))) for _ in range(12)]
    bodies += [_CAUSES[0] * 60, "".join(_CAUSES) * 8]
    stopped = [check(body, context=_REQUEST) for body in bodies]
    built = made[0]
    monkeypatch.setattr(structure, "MAX_PER_RULE", 10**9)  # never stops: reads every cause
    made.clear()
    for body, report in zip(bodies, stopped, strict=True):
        assert check(body, context=_REQUEST) == report
    assert any(f.rule == structure.OUTSIDE_CAUSE_RULE for f in stopped[-1].findings)
    # The bodies hold many more causes than a report keeps: most were never made errors.
    assert made[0] > 2 * built > 10 * MAX_PER_RULE, (made, built)
