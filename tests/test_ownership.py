"""A letter salvage made round a model's leftovers is not the model's letter
(`service.ownership`): when what is left of the model's own text speaks of someone else, tells
none of the request's facts, or is gone altogether, the pipeline re-asks with the model's own
answer and, if that does not come good, delivers the composer's letter as a fallback, saying
why. A model letter that tells the incident keeps its courtesy lines and stays the model's.

The answers below are written for these tests in the manner of SmolLM2-135M's (talk about "the
company" and "a request", list items about something else, a preamble about the answer itself);
the request is the eval's missed-installation text message.
"""

from __future__ import annotations

import pytest

from contract.models import DraftRequest
from eval.cases import load_cases
from eval.outcomes import outcome_of
from service.errors import DraftFailedGuardrails
from service.ownership import disowned, sentences
from service.pipeline import DISOWNED_RULE, build_pipeline
from service.providers.base import Completion
from service.settings import Settings
from tests.test_pipeline import ScriptedProvider

pytestmark = pytest.mark.anyio

SMS: DraftRequest = load_cases(only=["custom_missed_appointment_sms"])[0].request

# About something else: the business and the reader as third parties, a router nobody named.
ASIDE = (
    "- The company got a request from you about a router upgrade; they would like to know how "
    "the upgrade went and whether it worked;"
)
STRAY_ANSWER = f"Hello Kofi Mensah,\n\n{ASIDE}\n- We are sorry about this.\n\nThanks, Fibrenet"
# Tells the incident in the model's words; its courtesy lines name nothing of the request.
OWN_ANSWER = (
    "Kofi, our technician did not arrive for your broadband installation on 5 May "
    "(FN-20577), and we are sorry. A priority visit is booked for 7 May, 8-10am, and we have "
    "put a $25 credit on your next bill. Technicians now confirm each visit the evening "
    "before. Thank you for your patience. Fibrenet"
)


def _settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"repair_attempts": 1, "on_failure": "fallback", **overrides}
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def _answer(body: str) -> Completion:
    return Completion(None, body, "scripted-model", 50, 50)


def test_a_sentence_of_the_models_about_someone_else_disowns_the_letter() -> None:
    delivered = (
        "About reference FN-20577: our technician did not arrive for the broadband installation "
        f"booked for 5 May.\n{ASIDE}\nA priority visit is booked for 7 May, 8-10am. Fibrenet"
    )
    why = disowned(STRAY_ANSWER, delivered, SMS)
    assert why is not None
    assert why.sentence == ASIDE, "the re-ask quotes the model's own words"
    assert "someone else" in why.message


def test_the_prompts_markup_or_the_customers_words_quoted_back_disown_the_letter() -> None:
    request = SMS.model_copy(
        update={
            "incident": SMS.incident.model_copy(
                update={"customer_message": "Nobody came to install my broadband on 5 May."}
            )
        }
    )
    for stray in (
        "<facts> Our technician did not arrive for the broadband installation.",
        "Nobody came to install my broadband on 5 May, and we are sorry.",
    ):
        answer = f"{stray} A priority visit is booked for 7 May, 8-10am. Fibrenet"
        why = disowned(answer, answer, request)
        assert why is not None and why.sentence == stray, stray


def test_a_sentence_that_tells_nothing_of_the_request_disowns_the_letter() -> None:
    answer = (
        "Our technician did not arrive for your broadband installation. We have moved every "
        "customer account onto a new loyalty platform with monthly prize draws and newsletters."
    )
    why = disowned(answer, answer, SMS)
    assert why is not None and "prize draws" in why.sentence
    assert "none of the incident's facts" in why.message


def test_a_letter_whose_every_fact_salvage_wrote_is_not_the_models() -> None:
    answer = "We are sorry for the trouble. Thank you for your patience."
    delivered = (
        "About reference FN-20577: our technician did not arrive for the broadband "
        "installation booked for 5 May. We are sorry for the trouble. A priority visit is "
        "booked for 7 May, 8-10am. Thank you for your patience. Fibrenet"
    )
    found = sentences(answer, delivered, SMS)
    assert [s.model for s in found] == [False, True, False, True]
    why = disowned(answer, delivered, SMS)
    assert why is not None and why.sentence == ""


def test_the_models_letter_with_courtesy_lines_stays_the_models() -> None:
    assert disowned(OWN_ANSWER, OWN_ANSWER, SMS) is None
    # Salvage's sentences beside the model's grounded ones leave it the model's letter too.
    delivered = OWN_ANSWER.replace(
        "Thank you", "Reply to this message to change the time. Thank you"
    )
    assert disowned(OWN_ANSWER, delivered, SMS) is None


async def test_a_disowned_letter_is_re_asked_with_the_models_own_answer() -> None:
    provider = ScriptedProvider([_answer(STRAY_ANSWER), _answer(OWN_ANSWER)])
    draft = await build_pipeline(_settings(), provider=provider).draft(SMS)

    assert len(provider.calls) == 2
    assistant, repair = provider.calls[1][-2]["content"], provider.calls[1][-1]["content"]
    assert "router upgrade" in assistant, "the re-ask shows the model what it wrote"
    assert "FN-20577" not in assistant, "not salvage's letter made round it"
    assert DISOWNED_RULE in repair and "router upgrade" in repair
    assert draft.meta.written_by == "model" and not draft.meta.fallback
    assert "router" not in draft.body and "company" not in draft.body
    log = draft.meta.attempt_log
    assert any(DISOWNED_RULE in a.failed_rules for a in log if a.attempt == 1)
    assert log[-1].passed and log[-1].attempt == 2
    assert outcome_of(draft.meta, draft.body) in {"re_asked", "rewritten"}


async def test_a_model_that_keeps_writing_about_something_else_falls_back() -> None:
    provider = ScriptedProvider([_answer(STRAY_ANSWER)])
    draft = await build_pipeline(_settings(), provider=provider).draft(SMS)

    assert len(provider.calls) == 2, "one draft and one re-ask"
    assert draft.meta.written_by == "composer" and draft.meta.fallback
    assert DISOWNED_RULE in (draft.meta.fallback_reason or "")
    assert draft.meta.salvage == [], "the composer's letter carries no salvage edits"
    assert "router" not in draft.body and "company" not in draft.body
    assert outcome_of(draft.meta, draft.body) == "fallback"


async def test_reject_mode_refuses_a_disowned_letter() -> None:
    provider = ScriptedProvider([_answer(STRAY_ANSWER)])
    pipeline = build_pipeline(_settings(on_failure="reject"), provider=provider)
    with pytest.raises(DraftFailedGuardrails) as raised:
        await pipeline.draft(SMS)
    assert DISOWNED_RULE in str(raised.value.details)


async def test_the_models_own_letter_is_delivered_as_the_models() -> None:
    provider = ScriptedProvider([_answer(OWN_ANSWER)])
    draft = await build_pipeline(_settings(), provider=provider).draft(SMS)
    assert len(provider.calls) == 1
    assert draft.meta.written_by == "model"
    assert all(DISOWNED_RULE not in a.failed_rules for a in draft.meta.attempt_log)


# SmolLM2 answered CI's text message with about 500 tokens; salvage cut and patched it 36
# times into a passing text. These answers ramble the same way, in words written for the test.
_THINGS = (
    "time home trust family privacy choices words day plans evening week calm comfort needs "
    "voice loyalty custom views hopes ideas street town garden mornings friends weekends "
    "emails calls letters visits questions answers advice notes"
)
RAMBLING_ANSWER = OWN_ANSWER.replace(
    "Thank you", " ".join(f"We value your {what}." for what in _THINGS.split()) + " Thank you"
)


def test_a_letter_salvage_patched_at_every_turn_is_not_the_models() -> None:
    count = 5  # OWN_ANSWER's sentences, "Fibrenet" among them
    assert disowned(OWN_ANSWER, OWN_ANSWER, SMS, edits=4 * count) is None
    why = disowned(OWN_ANSWER, OWN_ANSWER, SMS, edits=4 * count + 1)
    assert why is not None and "21 corrections" in why.message and why.sentence == ""


async def test_a_rambling_answer_cut_down_to_a_text_is_re_asked_then_falls_back() -> None:
    provider = ScriptedProvider([_answer(RAMBLING_ANSWER)])
    draft = await build_pipeline(_settings(), provider=provider).draft(SMS)

    assert len(provider.calls) == 2, "one draft and one re-ask"
    assert draft.meta.written_by == "composer" and draft.meta.fallback
    assert DISOWNED_RULE in (draft.meta.fallback_reason or "")
    assert "value" not in draft.body


@pytest.mark.parametrize(
    "stray",
    [
        "This apology is a professional one.",
        "The above apology is not a formal apology, just an example.",
        "A good apology must be clear and honest about the visit.",
        "The message should still convey the broadband installation facts.",
        "This is about rule FN-20577 and your broadband installation.",
        "I hope this helps you with the broadband installation.",
    ],
)
def test_a_sentence_about_the_letter_or_the_checks_disowns_it(stray: str) -> None:
    answer = f"{stray} {OWN_ANSWER}"
    why = disowned(answer, answer, SMS)
    assert why is not None and why.sentence == stray


def test_a_letter_that_calls_itself_an_apology_stays_the_models() -> None:
    answer = f"This message is an apology for the missed visit. {OWN_ANSWER}"
    assert disowned(answer, answer, SMS) is None
