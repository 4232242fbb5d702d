"""A rule that stops reading once the report has all it keeps of it must report what reading
on would have left: `invented_effect` and `invented_cause` stop a sentence's reach
(`spans.SENTENCE_REACH`) past their `MAX_PER_RULE`-th finding."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from contract.models import DraftRequest
from contract.report import Finding
from guardrails import check, letter_slips, model_claims
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
