"""The reader named in the third person, then "she"/"her" in the same sentence
(`letter_slips._pronouns_after`): when the name becomes "you", so do the pronouns that stand
for the reader ("The impact on you were that she had to postpone her surgery" was what
salvage used to deliver). After a preposition the name is the object and the verb stays
("on Nadia was" is "on you was"). Pronouns that may be someone else's are left alone."""

from __future__ import annotations

import guardrails
from contract.models import DraftRequest
from guardrails.letter_slips import READER_NAMED
from service.salvage import salvage


def _request(name: str = "Amara Obi") -> DraftRequest:
    return DraftRequest.model_validate(
        {
            "scenario": "custom",
            "audience": "colleague",
            "channel": "chat",
            "tone": "friendly",
            "recipient": {"name": name},
            "sender": {"name": "Tom"},
            "incident": {
                "summary": "I did not book the meeting room for the client workshop on Thursday",
                "impact": "Amara had to move the workshop to Friday",
            },
            "remedies": [
                {"kind": "other", "description": "the room is booked for Friday", "status": "done"}
            ],
            "prevention": [{"description": "I now book rooms the day a workshop is set"}],
        }
    )


WORKSHOP = _request()
_OPEN = "Hi Amara,\n\nSorry, I did not book the meeting room for the client workshop on Thursday. "
_CLOSE = " The room is booked for Friday. I now book rooms the day a workshop is set.\n\nTom"


def _salvaged(body: str, request: DraftRequest = WORKSHOP) -> str:
    for _ in range(3):
        report = guardrails.check(body, channel="chat", context=request)
        if report.passed:
            break
        body = salvage(None, body, report, request, "chat").body
    return body


def _third_person(body: str, request: DraftRequest = WORKSHOP) -> list[tuple[str, str | None]]:
    report = guardrails.check(body, channel="chat", context=request)
    return [
        (f.excerpt, f.fix.text if f.fix else None) for f in report.errors if f.rule == READER_NAMED
    ]


def test_after_a_preposition_the_name_and_its_pronouns_become_you() -> None:
    body = _OPEN + "The impact on Amara was that she had to move her workshop to Friday." + _CLOSE
    assert _third_person(body) == [("Amara", "you"), ("she", "you"), ("her", "your")]
    assert "The impact on you was that you had to move your workshop to Friday." in _salvaged(body)


def test_the_name_as_subject_takes_the_verb_and_the_pronouns_with_it() -> None:
    body = _OPEN + "Because of this, Amara was the one who had to move her workshop herself."
    fixed = "Because of this, you were the one who had to move your workshop yourself."
    assert fixed in _salvaged(body + _CLOSE)


def test_her_as_the_object_is_you() -> None:
    body = _OPEN + "It meant Amara had to ask her manager to tell her about Friday." + _CLOSE
    fixes = _third_person(body)
    # "her manager" names someone else before the last "her": it may be the manager's.
    assert fixes == [("Amara", "you")]
    body = _OPEN + "It meant Amara had to call the client, who told her." + _CLOSE
    assert ("her", "you") in _third_person(body)


def test_pronouns_that_may_be_someone_elses_are_left() -> None:
    # Two people in one sentence: "he" and "she" cannot both be the reader.
    body = _OPEN + "It meant Amara had to tell Luis that she and he would meet Friday." + _CLOSE
    assert [e for e, _ in _third_person(body)] == ["Amara"]
    # A title that rules the pronoun out: "his" is not Mrs Obi's.
    request = _request("Mrs Amara Obi").model_copy(
        update={
            "incident": WORKSHOP.incident.model_copy(
                update={"impact": "Mrs Obi had to move the workshop to Friday"}
            )
        }
    )
    body = (
        "Hi Mrs Obi,\n\nSorry, I did not book the meeting room for the client workshop on "
        "Thursday. The impact on Mrs Obi was that his team moved to Friday." + _CLOSE
    )
    assert [e for e, _ in _third_person(body, request)] == ["Mrs Obi"]
