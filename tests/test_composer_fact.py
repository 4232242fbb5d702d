"""`fact_sentence`: one sentence per caller fact, as salvage inserts it into a letter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import guardrails
from contract.models import DraftRequest
from service.composer import compose_draft, fact_sentence

NORTHWIND_FILE = Path(__file__).parent / "data" / "northwind_request.json"


def northwind(**changes: Any) -> DraftRequest:
    data: dict[str, Any] = json.loads(NORTHWIND_FILE.read_text(encoding="utf-8"))
    data["remedies"].append(
        {
            "kind": "replacement",
            "description": "matching pair of gloves",
            "date": "Thursday",
            "status": "planned",
        }
    )
    data["prevention"].append(
        {
            "description": "we now audit the sorting line weekly",
            "metric": "mis-sorts down 40% in the pilot",
        }
    )
    data.update(changes)
    return DraftRequest.model_validate(data)


@pytest.mark.parametrize("channel", ["email", "letter", "chat", "sms"])
def test_each_remedy_sentence_states_its_figures_and_status(channel: str) -> None:
    request = northwind(channel=channel)
    first = fact_sentence(request, "remedy:0", channel)
    second = fact_sentence(request, "remedy:1", channel)
    third = fact_sentence(request, "remedy:2", channel)
    assert "$14.95" in first and "shipping fee" in first
    assert "SORRY15" in second and "15%" in second
    assert "Thursday" in third and "gloves" in third
    for text in (first, second, third):
        assert text[-1] in ".!?" and "\n" not in text
        assert " also " not in text  # worded as standing alone


def test_prevention_sentence_keeps_its_metric() -> None:
    text = fact_sentence(northwind(), "prevention:1", "email")
    assert "we now audit the sorting line weekly" in text
    assert "mis-sorts down 40% in the pilot" in text


def test_form_facts() -> None:
    request = northwind()
    assert "NW-48213" in fact_sentence(request, "reference", "email")
    assert "Dana" in fact_sentence(request, "greeting", "email")
    signature = fact_sentence(request, "signature", "letter")
    assert "Priya Natarajan" in signature and "Northwind Outfitters" in signature
    assert "reply" in fact_sentence(request, "invitation", "email").lower()


def test_inserted_remedy_restores_a_passing_letter() -> None:
    """Drop the remedy's sentence from the composer's letter, insert `fact_sentence`:
    the omission the guardrails found is gone."""
    request = northwind()
    draft = compose_draft(request)
    sentence = fact_sentence(request, "remedy:0", "email")
    body = draft.body.replace(sentence, "")
    if body == draft.body:  # the letter words it with its neighbours; remove by its amount
        body = "\n".join(line for line in draft.body.split("\n") if "$14.95" not in line)
    broken = guardrails.check(body, subject=draft.subject, channel="email", context=request)
    assert any(f.rule == "commitments.omitted_remedy" for f in broken.errors)
    paragraphs = body.split("\n\n")
    paragraphs.insert(2, sentence)
    fixed_body = "\n\n".join(paragraphs)
    fixed = guardrails.check(fixed_body, subject=draft.subject, channel="email", context=request)
    assert not [f for f in fixed.errors if f.rule == "commitments.omitted_remedy"]


@pytest.mark.parametrize("fact", ["remedy:9", "prevention:x", "colour", "reference"])
def test_unknown_or_absent_facts_are_named(fact: str) -> None:
    request = northwind(incident={"summary": "The jacket arrived late."})
    with pytest.raises(ValueError, match=fact.split(":")[0]):
        fact_sentence(request, fact, "email")
