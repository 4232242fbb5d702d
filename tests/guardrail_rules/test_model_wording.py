"""Wording a small model adds that a support lead would strike (`model_wording.py`): the harm
graded where the request grades nothing, a remedy told as what the incident led to, form
letter lines, and a second apology or a second mention of the harm that names nothing new.
Each rule is tried on wordings other than the ones Qwen2.5-Coder wrote, on letters it must
leave alone, and its fix is salvaged to a letter that passes, through the pipeline too."""

from __future__ import annotations

import pytest

import guardrails
from contract.models import DraftRequest
from contract.report import GuardrailReport
from guardrails.model_wording import (
    CLICHE,
    HARM_TO_SENDER,
    REMEDY_AS_RESULT,
    REMEDY_BENEFIT,
    SAID_AGAIN,
    SUBJECT_STATUS,
    VAGUE_IMPACT,
)
from service.pipeline import build_pipeline
from service.providers.base import Completion
from service.salvage import salvage
from service.settings import Settings
from tests.test_pipeline import ScriptedProvider


def _request(**incident: str) -> DraftRequest:
    return DraftRequest.model_validate(
        {
            "scenario": "custom",
            "audience": "customer",
            "channel": "email",
            "recipient": {"name": "Priya Shah"},
            "sender": {"name": "Marek", "organization": "Hollow Oak Catering"},
            "incident": {
                "summary": "The catering for the 14 March launch event arrived ninety minutes "
                "late.",
                "reference": "HO-5521",
                "impact": "your guests waited for food through the opening speeches",
                **incident,
            },
            "remedies": [
                {
                    "kind": "refund",
                    "description": "refund of the delivery charge",
                    "amount": "£45",
                    "status": "done",
                },
            ],
            "prevention": [
                {"description": "every event order now leaves the kitchen two hours early"}
            ],
        }
    )


LAUNCH = _request()


def _with_remedy(**fields: object) -> DraftRequest:
    """LAUNCH with a second remedy: the refund's fields with `fields` over them."""
    extra = LAUNCH.remedies[0].model_copy(update=fields)
    return LAUNCH.model_copy(update={"remedies": [*LAUNCH.remedies, extra]})


_OPEN = (
    "Dear Priya,\n\nThis is about your order HO-5521. I'm sorry the catering for your 14 March "
    "launch event arrived ninety minutes late, so your guests waited for food through the "
    "opening speeches. That was our mistake, and we own it. "
)
_AMENDS = (
    "We've refunded the delivery charge of £45. To help prevent this from happening again, "
    "every event order now leaves the kitchen two hours early."
)
_CLOSE = (
    "\n\nPlease reply to this email with any questions.\n\nBest regards,\nMarek\n"
    "Hollow Oak Catering"
)


def _letter(middle: str, amends: str = _AMENDS) -> str:
    return _OPEN + (middle + " " if middle else "") + amends + _CLOSE


def _found(body: str, rule: str, request: DraftRequest = LAUNCH) -> list[str]:
    report = guardrails.check(body, subject="Your event order", context=request)
    return [f.excerpt for f in report.findings if f.rule == rule]


def _salvaged(body: str, request: DraftRequest = LAUNCH) -> tuple[str, GuardrailReport]:
    """Salvage as the pipeline does: rounds while errors or polished warnings are left."""
    for _ in range(3):
        report = guardrails.check(body, subject="Your event order", context=request)
        edited = salvage("Your event order", body, report, request, request.channel)
        if not edited.edits:
            break
        body = edited.body
    return body, guardrails.check(body, subject="Your event order", context=request)


def test_the_base_letter_passes_with_none_of_these_findings() -> None:
    report = guardrails.check(_letter(""), subject="Your event order", context=LAUNCH)
    assert report.passed, [f.rule for f in report.errors]
    rules = {f.rule for f in report.findings}
    assert not rules & {VAGUE_IMPACT, REMEDY_AS_RESULT, CLICHE, SAID_AGAIN}


# --- claims.vague_impact ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "middle",
    [
        "The effect of the late delivery on your launch was severe.",
        "The consequences for your event were truly considerable.",
        "This has had a major impact on your company's first impression.",
        "The disruption this caused was enormous.",
        "We know this was a considerable setback for your team.",
    ],
)
def test_the_harm_graded_without_the_request_is_caught_and_the_sentence_goes(
    middle: str,
) -> None:
    body = _letter(middle)
    assert _found(body, VAGUE_IMPACT), middle
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert middle not in fixed
    assert "£45" in fixed and "two hours early" in fixed


@pytest.mark.parametrize(
    "middle",
    [
        # A size the request gives, and sentences that grade nothing.
        "The effect on your launch was serious, as you said.",
        "I know the impact was not what anyone planned for.",
        "The effect of a late delivery is felt by every guest.",
    ],
)
def test_a_size_the_request_gives_or_no_size_at_all_is_left_alone(middle: str) -> None:
    request = _request(customer_message="This had a serious effect on our launch.")
    assert _found(_letter(middle), VAGUE_IMPACT, request) == []


# --- claims.remedy_as_result ------------------------------------------------------------------


def test_a_remedy_told_as_what_the_delay_led_to_is_said_as_the_remedy() -> None:
    middle = "This led to a refund of £45 for the delivery."
    body = _letter(
        middle,
        amends="To help prevent this from happening again, every event "
        "order now leaves the kitchen two hours early.",
    )
    assert _found(body, REMEDY_AS_RESULT) == [middle]
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert middle not in fixed and "led to" not in fixed
    assert fixed.count("£45") == 1, "said once, as the composer states the refund"


def test_a_clause_telling_the_remedy_as_a_result_goes_and_the_sentence_stays() -> None:
    middle = "The van left our kitchen after the speeches had started, resulting in a refund."
    body = _letter(middle)
    assert _found(body, REMEDY_AS_RESULT) == [", resulting in a refund"]
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert "The van left our kitchen after the speeches had started." in fixed


def test_a_remedy_told_as_being_returned_is_said_as_the_remedy() -> None:
    middle = "This led to the delivery charge of £45 being returned to your card."
    body = _letter(
        middle,
        amends="To help prevent this from happening again, every event order now leaves the "
        "kitchen two hours early.",
    )
    assert _found(body, REMEDY_AS_RESULT) == [middle]
    fixed, report = _salvaged(body)
    assert report.passed and middle not in fixed and fixed.count("£45") == 1


def test_a_remedy_the_letter_offers_without_its_code_is_said_again_not_offered_twice() -> None:
    request = _with_remedy(
        kind="credit",
        description="a tasting menu voucher",
        amount="£60",
        code="TASTE60",
        status="offered",
    )
    voucher = "I would also like to give you a tasting menu voucher worth £60."
    body = _letter("", amends=_AMENDS + " " + voucher)
    fixed, report = _salvaged(body, request)
    assert report.passed, [f.rule for f in report.errors]
    assert voucher not in fixed and "TASTE60" in fixed
    assert fixed.count("£60") == 1, "the voucher is offered once"


def test_any_distress_caused_by_the_delay_reads_as_a_sentence() -> None:
    middle = "I'm sorry for any distress caused by the late van."
    body = _letter("", amends=_AMENDS).replace("I'm sorry the catering", "The catering")
    body = body.replace(_CLOSE, " " + middle + _CLOSE)
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert "the distress caused by the late van" in fixed
    assert "this caused by" not in fixed


@pytest.mark.parametrize(
    "middle",
    [
        "Your complaint led to a refund request that I approved myself.",
        "The error meant a refund that took a week to reach you.",
        "We have refunded the delivery charge because the delay led to cold food.",
    ],
)
def test_a_remedy_that_is_not_told_as_a_result_is_left_alone(middle: str) -> None:
    assert _found(_letter(middle), REMEDY_AS_RESULT) == []


# --- tone.cliche ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("middle", "left"),
    [
        ("It was a failure which we take extremely seriously.", "It was a failure."),
        ("Please be assured that we take this matter very seriously.", ""),
        (
            "We take this very seriously, and we have spoken to the driver.",
            "We have spoken to the driver.",
        ),
        (
            "We take every late order seriously and have spoken to the driver.",
            "We have spoken to the driver.",
        ),
        ("Customer satisfaction is our top priority.", ""),
        ("We always strive to provide the best service to our clients.", ""),
        ("We want to continue providing first-class catering to you.", ""),
        (
            "We regret to inform you that the van left late.",
            "The van left late.",
        ),
    ],
)
def test_form_letter_lines_are_warned_and_salvage_cuts_them(middle: str, left: str) -> None:
    body = _letter(middle)
    assert _found(body, CLICHE), middle
    report = guardrails.check(body, subject="Your event order", context=LAUNCH)
    assert report.passed, "a warning: it never holds a letter back"
    fixed, report = _salvaged(body)
    assert middle not in fixed and report.passed
    assert left in fixed
    assert _found(fixed, CLICHE) == []


def test_taking_something_seriously_as_a_real_commitment_is_not_cut_mid_sentence() -> None:
    # No safe cut: warned without a fix, and salvage leaves the sentence as it is.
    middle = "We take food safety seriously in every kitchen, so the driver checked each tray."
    body = _letter(middle)
    assert _found(body, CLICHE)
    fixed, _ = _salvaged(body)
    assert middle in fixed


# --- tone.said_again --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "middle",
    [
        "Once again, please accept our apologies for the inconvenience.",
        "I would like to extend my sincere regret for this oversight.",
        "We are truly sorry.",
        "Again, I apologise for the late catering.",
    ],
)
def test_a_second_apology_naming_nothing_new_goes(middle: str) -> None:
    body = _letter(middle)
    assert _found(body, SAID_AGAIN) == [middle]
    fixed, report = _salvaged(body)
    assert report.passed and middle not in fixed
    assert fixed.count("I'm sorry the catering") == 1, "the first apology stays"


def test_a_second_apology_that_held_the_only_ownership_is_said_as_the_composer_owns_it() -> None:
    # Salvage polishes in its last round: a sentence carrying a required element is never
    # just cut (nothing would put the element back); it is said as the composer says it.
    body = _letter("").replace(" That was our mistake, and we own it.", "")
    body = body.replace(_CLOSE, " Again, I apologise for our mistake." + _CLOSE)
    assert _found(body, SAID_AGAIN) == ["Again, I apologise for our mistake."]
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert "Again, I apologise" not in fixed
    report = guardrails.check(body, subject="Your event order", context=LAUNCH)
    edits = salvage("Your event order", body, report, LAUNCH, LAUNCH.channel).edits
    assert [(e.rule, e.action, e.before) for e in edits] == [
        (SAID_AGAIN, "replace", "Again, I apologise for our mistake.")
    ]
    assert next(e for e in report.elements if e.element == "responsibility").present


@pytest.mark.parametrize(
    "middle",
    [
        "I'm also sorry that nobody answered the phone when you called the kitchen.",
        "Please accept our apologies to your guests as well.",
    ],
)
def test_a_second_apology_for_something_new_stays(middle: str) -> None:
    assert _found(_letter(middle), SAID_AGAIN) == []


def test_an_apology_is_never_a_repeat_when_it_is_the_first() -> None:
    body = (
        "Dear Priya,\n\nThis is about your order HO-5521. The catering for your 14 March launch "
        "event arrived ninety minutes late, and your guests waited for food through the opening "
        "speeches. The part I regret most is the speeches. We are truly sorry. " + _AMENDS + _CLOSE
    )
    assert _found(body, SAID_AGAIN) == []


def test_the_harm_said_again_in_no_words_of_its_own_goes_once_the_letter_told_it() -> None:
    middle = "I realise that this delay has affected your launch."
    assert _found(_letter(middle), SAID_AGAIN) == [middle]
    middle = "I understand that this has caused some inconvenience for you."
    assert _found(_letter(middle), SAID_AGAIN) == [middle]
    # Said before the letter tells the harm, it is the only mention: it stays.
    told_later = (
        "Dear Priya,\n\nThis is about your order HO-5521. I'm sorry the catering for your "
        "launch arrived ninety minutes late. I realise that this delay has affected your launch. "
        + _AMENDS
        + _CLOSE
    )
    assert _found(told_later, SAID_AGAIN) == []


# --- commitments.subject_status -------------------------------------------------------------


def test_a_subject_that_tells_a_planned_remedy_as_done_is_the_composers_subject() -> None:
    request = LAUNCH.model_copy(
        update={
            "remedies": [
                LAUNCH.remedies[0].model_copy(
                    update={
                        "kind": "replacement",
                        "description": "a replacement platter for your next event",
                        "amount": None,
                        "status": "planned",
                        "date": "Friday",
                    }
                )
            ]
        }
    )
    for subject in ("Late catering: replacement sent", "Your platter, replaced"):
        report = guardrails.check(_letter(""), subject=subject, context=request)
        found = [f for f in report.findings if f.rule == SUBJECT_STATUS]
        assert [f.field for f in found] == ["subject"], subject
        edited = salvage(subject, _letter(""), report, request, request.channel)
        assert edited.subject and "replace" not in edited.subject.lower()
    # Done, it may be told as done; a subject that tells nothing done is left alone.
    assert _found(_letter(""), SUBJECT_STATUS) == []
    done = guardrails.check(_letter(""), subject="Delivery charge refunded", context=LAUNCH)
    assert not [f for f in done.findings if f.rule == SUBJECT_STATUS]


# --- through the pipeline ---------------------------------------------------------------------


@pytest.mark.anyio
async def test_a_model_letter_with_all_four_is_delivered_clean_after_one_call() -> None:
    lines = (
        "The impact of the delay was significant.",
        "It was a lapse that we take very seriously.",
        "Once again, we apologise for the inconvenience.",
    )
    body = _letter(
        " ".join(lines[:2]),
        amends="This resulted in a refund of £45 for the delivery. To help prevent this from "
        "happening again, every event order now leaves the kitchen two hours early. " + lines[2],
    )
    provider = ScriptedProvider([Completion("Your event order", body, "m", 10, 10)])
    settings = Settings(_env_file=None, repair_attempts=2, on_failure="fallback")  # type: ignore[call-arg]
    draft = await build_pipeline(settings, provider=provider).draft(LAUNCH)

    assert len(provider.calls) == 1, "salvage fixed everything: no re-ask"
    assert (draft.meta.written_by, draft.meta.fallback) == ("model", False)
    assert draft.guardrails.passed
    for line in lines:
        assert line not in draft.body
    assert "resulted in" not in draft.body and "£45" in draft.body
    assert "It was a lapse." in draft.body
    rules = {e.rule for e in draft.meta.salvage}
    assert {VAGUE_IMPACT, REMEDY_AS_RESULT, CLICHE, SAID_AGAIN} <= rules


# --- stop 29: what Qwen still wrote on new requests, in other words ----------------------------


def test_a_risk_graded_in_a_trailing_clause_is_cut_and_the_telling_stays() -> None:
    middle = "The van left the depot late, which is a serious reputational risk."
    body = _letter(middle)
    assert _found(body, VAGUE_IMPACT) == [", which is a serious reputational risk"]
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert "The van left the depot late." in fixed and "risk" not in fixed


@pytest.mark.parametrize(
    "middle",
    [
        "This posed a considerable risk to your guests' evening.",
        "It was a major concern for everyone at the launch.",
    ],
)
def test_a_risk_or_concern_graded_as_a_sentence_goes(middle: str) -> None:
    body = _letter(middle)
    assert _found(body, VAGUE_IMPACT), middle
    fixed, report = _salvaged(body)
    assert report.passed and middle not in fixed


@pytest.mark.parametrize(
    "middle",
    [
        "There is a risk that a van is late again, and we are closing it.",
        "Any concern about the next order can come straight to me.",
    ],
)
def test_a_risk_nobody_grades_is_left_alone(middle: str) -> None:
    assert _found(_letter(middle), VAGUE_IMPACT) == []


def test_a_risk_the_request_grades_may_be_graded() -> None:
    request = _request(customer_message="Cold canapés at a launch are a serious risk to us.")
    middle = "I know this was a serious risk to your launch."
    assert _found(_letter(middle), VAGUE_IMPACT, request) == []


@pytest.mark.parametrize(
    "benefit",
    [
        "This refund will give you peace of mind when you book your next event.",
        "It will also help rebuild your confidence in our kitchen team.",
        "This will put an end to any doubts about our reliability.",
    ],
)
def test_what_a_remedy_will_do_for_the_reader_is_an_invented_promise_and_goes(
    benefit: str,
) -> None:
    body = _letter("", amends=_AMENDS.replace("£45. ", f"£45. {benefit} "))
    assert _found(body, REMEDY_BENEFIT) == [benefit]
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert benefit not in fixed and "£45" in fixed and "two hours early" in fixed


def test_a_benefit_of_a_named_service_after_the_step_is_caught_too() -> None:
    request = LAUNCH.model_copy(
        update={
            "remedies": [
                LAUNCH.remedies[0].model_copy(
                    update={
                        "kind": "service",
                        "description": "a menu review with our chef",
                        "amount": None,
                        "status": "offered",
                    }
                )
            ]
        }
    )
    benefit = "This service will keep you informed about every dish and its allergens."
    amends = (
        "I'd like to offer you a menu review with our chef. To help prevent this from happening "
        f"again, every event order now leaves the kitchen two hours early. {benefit}"
    )
    assert _found(_letter("", amends=amends), REMEDY_BENEFIT, request) == [benefit]


@pytest.mark.parametrize(
    "after",
    [
        # The request's own words for what the remedy does, and sentences about no remedy.
        "This refund of the delivery charge will reach your card within five days.",
        "The new timing will help every event order leave the kitchen two hours early.",
        "We will also call you the day before your next order.",
    ],
)
def test_a_remedy_benefit_the_request_gives_or_no_benefit_is_left_alone(after: str) -> None:
    body = _letter("", amends=_AMENDS + " " + after)
    assert _found(body, REMEDY_BENEFIT) == []


def test_valuing_the_readers_feedback_is_a_form_line_and_goes() -> None:
    middle = "We value your feedback and hope to cater for you again."
    body = _letter(middle)
    assert _found(body, CLICHE) == [middle]
    fixed, report = _salvaged(body)
    assert report.passed and middle not in fixed


def test_regret_to_inform_after_a_greeting_on_the_same_line_is_cut() -> None:
    body = _letter("").replace(
        "Dear Priya,\n\nThis is about your order HO-5521.",
        "Dear Priya, I regret to inform you that your order HO-5521 had a problem.",
    )
    assert _found(body, CLICHE)
    fixed, _ = _salvaged(body)
    assert "Dear Priya, Your order HO-5521 had a problem." in fixed


def test_a_remedy_offered_again_without_a_figure_is_said_once_with_its_code() -> None:
    request = _with_remedy(
        kind="other",
        description="a free tasting session for your next event",
        amount=None,
        code="TASTE-FREE",
        status="offered",
    )
    offer = "We are also offering a free tasting session for your next event."
    body = _letter("", amends=_AMENDS + " " + offer)
    fixed, report = _salvaged(body, request)
    assert report.passed, [f.rule for f in report.errors]
    assert "TASTE-FREE" in fixed and offer not in fixed
    assert fixed.count("tasting session") == 1, "the session is offered once"


def _order(text: str, *parts: str) -> list[int]:
    return [text.index(part) for part in parts]


def test_inserted_amends_follow_the_letters_telling_and_never_split_this_meant() -> None:
    told = "The catering for your 14 March launch event arrived ninety minutes late."
    meant = "This meant your guests waited for food through the opening speeches."
    body = (
        "Dear Priya,\n\nThis is about your order HO-5521. I'm so sorry about your launch. "
        f"{told} {meant} That was our mistake, and we own it." + _CLOSE
    )
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert f"{told} {meant}" in fixed, "nothing comes between a sentence and its 'This meant'"
    refund, step = _order(fixed, "£45", "two hours early")
    assert fixed.index(meant) < refund < step


def test_a_sentence_telling_what_went_wrong_is_not_taken_for_the_step() -> None:
    wrong = "Your event order did not leave the kitchen two hours early, as it should have."
    body = _letter(wrong, amends="We've refunded the delivery charge of £45.")
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert wrong in fixed
    assert "every event order now leaves the kitchen two hours early" in fixed


def test_a_listed_remedy_without_its_figure_is_said_in_its_item_not_added_to_another() -> None:
    amends = (
        "Here is what we have done:\n1. A refund of the delivery charge\n2. A call from our "
        "head chef\n\nTo help prevent this from happening again, every event order now leaves "
        "the kitchen two hours early."
    )
    fixed, report = _salvaged(_letter("", amends=amends))
    assert report.passed, [f.rule for f in report.errors]
    assert fixed.count("£45") == 1 and fixed.count("delivery charge") == 1, fixed
    item = next(line for line in fixed.splitlines() if "£45" in line)
    assert item.startswith("1. ") and "chef" not in item


def test_a_remedy_named_beside_the_apology_keeps_the_apology() -> None:
    body = _letter(
        "",
        amends=_AMENDS.replace(
            "We've refunded the delivery charge of £45.",
            "I'm sorry again, and we have arranged a refund of the delivery charge.",
        ),
    ).replace("I'm sorry the catering", "The catering")
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert "I'm sorry again" in fixed and "£45" in fixed


def test_a_letter_opening_with_the_readers_name_alone_gets_one_greeting() -> None:
    body = _letter("").replace("Dear Priya,\n\n", "Priya,\n\n")
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    first, second = fixed.split("\n\n")[:2]
    assert "Priya" in first and first != "Priya," and "Priya" not in second, fixed


@pytest.mark.parametrize(
    "again", ["We take full responsibility.", "I got this wrong, and that's on me."]
)
def test_ownership_said_again_after_the_letter_owned_it_goes(again: str) -> None:
    body = _letter(again)
    assert _found(body, SAID_AGAIN) == [again]
    fixed, report = _salvaged(body)
    assert report.passed and again not in fixed and "we own it" in fixed


def test_the_first_ownership_line_is_never_said_again() -> None:
    body = _letter("").replace("That was our mistake, and we own it. ", "")
    body = body.replace("£45. ", "£45. We take full responsibility. ")
    assert _found(body, SAID_AGAIN) == []


@pytest.mark.parametrize(
    "middle",
    [
        "This left me with guests waiting for food through the opening speeches.",
        "My guests waited for food through the opening speeches.",
    ],
)
def test_the_readers_harm_told_as_the_writers_is_said_to_the_reader(middle: str) -> None:
    body = _letter(middle)
    assert _found(body, HARM_TO_SENDER) == [middle]
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert middle not in fixed and "your guests waited" in fixed


@pytest.mark.parametrize(
    "middle",
    [
        "It is on me that your guests waited for food through the opening speeches.",
        "My team knows your guests waited for food through the opening speeches.",
        "This cost me nothing to put right, and I have called the driver.",
    ],
)
def test_the_writer_owning_the_harm_or_naming_their_own_team_is_left_alone(middle: str) -> None:
    assert _found(_letter(middle), HARM_TO_SENDER) == []
