"""Claims a small model adds to the request when it writes the letter (`model_claims.py`):
something the reader did, a date moved to another event, a prevention step said again with
details of its own, a letter's greeting in a chat, "we" offering in one colleague's letter.
Each rule is tried on wordings other than the ones Qwen2.5-Coder wrote, on normal letters it
must leave alone, and its fix is salvaged to a letter that passes (the composer's letters and
the reference letters are run by the golden and composer sweeps)."""

from __future__ import annotations

import guardrails
from contract.models import DraftRequest
from contract.report import Fix, GuardrailReport
from guardrails.model_claims import (
    CIRCULAR_HARM,
    FORMAL_CHAT_GREETING,
    INVENTED_EFFECT,
    KIND_LABEL,
    MINIMISED_HARM,
    MOVED_DATE,
    OVERSTATED,
    OWNED_FAULT,
    PLURAL_VOICE,
    READER_ACTION,
    REMEDY_AS_PREVENTION,
    RESTATED_PREVENTION,
    STOCK_PHRASE,
    SWAPPED_ORGANISATION,
)
from guardrails.request_rules import THIRD_PERSON
from service.composer import fact_sentence
from service.salvage import salvage

_OPEN = (
    "Dear Ines,\n\nThis is about your order BK-3310. I'm sorry your bookcase, ordered on "
    "4 June, arrived with a cracked shelf. This was our mistake, and we own it. "
)
_CLOSE = "\n\nPlease reply to this email with any questions.\n\nBest regards,\nOla\nBirchwood"


def _request(**changes: object) -> DraftRequest:
    base: dict[str, object] = {
        "scenario": "custom",
        "audience": "customer",
        "channel": "email",
        "recipient": {"name": "Ines Moreau"},
        "sender": {"name": "Ola", "organization": "Birchwood"},
        "incident": {
            "summary": "The bookcase ordered on 4 June arrived with a cracked shelf.",
            "reference": "BK-3310",
        },
        "remedies": [
            {"kind": "replacement", "description": "a new shelf", "status": "done"},
        ],
        "prevention": [
            {"description": "every flat-pack box now gets corner guards before it is sealed"}
        ],
    }
    base.update(changes)
    return DraftRequest.model_validate(base)


SHELF = _request()


def _with_incident(**fields: str) -> DraftRequest:
    """SHELF with fields of its incident added or changed."""
    incident = {
        "summary": "The bookcase ordered on 4 June arrived with a cracked shelf.",
        "reference": "BK-3310",
        **fields,
    }
    return _request(incident=incident)


_AMENDS = (
    "To make amends, a new shelf has been sent. To help prevent this from happening again, "
    "every flat-pack box now gets corner guards before it is sealed."
)


def _letter(middle: str) -> str:
    return _OPEN + _AMENDS + " " + middle + _CLOSE


def _errors(body: str, request: DraftRequest, rule: str) -> list[str]:
    report = guardrails.check(
        body, subject="Your bookcase", context=request, channel=request.channel
    )
    return [f.excerpt for f in report.errors if f.rule == rule]


def _salvaged(body: str, request: DraftRequest) -> tuple[str, GuardrailReport]:
    for _ in range(3):
        report = guardrails.check(body, subject="Your bookcase", context=request)
        if report.passed:
            break
        body = salvage("Your bookcase", body, report, request, request.channel).body
    return body, guardrails.check(body, subject="Your bookcase", context=request)


def _assert_cut(middle: str, request: DraftRequest, rule: str) -> None:
    """`middle` in a letter is an error of `rule`, and salvage cuts it to a passing letter."""
    body = _letter(middle)
    assert _errors(body, request, rule), middle
    fixed, report = _salvaged(body, request)
    assert report.passed, (middle, [f.rule for f in report.errors])
    assert middle not in fixed


def test_the_base_letter_passes() -> None:
    report = guardrails.check(_letter(""), subject="Your bookcase", context=SHELF)
    assert report.passed, [f.rule for f in report.errors]


# --- request.reader_action -------------------------------------------------------------------


def test_thanks_for_what_the_reader_never_did_is_caught_and_cut() -> None:
    for middle, gone in (
        ("We are grateful for your swift reply.", "We are grateful for your swift reply."),
        ("Thank you for your reply.", "Thank you for your reply."),
        ("I'm thankful for your help in sorting it out.", "your help"),
        ("We appreciate your rapid attention to this.", "rapid attention"),
        ("I know this was annoying, and I appreciate your quick action.", "quick action"),
    ):
        body = _letter(middle)
        assert _errors(body, SHELF, READER_ACTION), middle
        fixed, report = _salvaged(body, SHELF)
        assert report.passed, (middle, [f.rule for f in report.errors])
        assert gone not in fixed
    # The clause goes, the sentence before it stays.
    fixed, _ = _salvaged(
        _letter("I know this was annoying, and I appreciate your quick action."), SHELF
    )
    assert "I know this was annoying." in fixed


def test_asking_the_reader_to_help_put_it_right_is_cut() -> None:
    # SmolLM2's words, as salvage left them in a text message CI delivered.
    for middle in (
        "We hope that you will assist with the issues you had while using our service.",
        "We ask that you help us resolve this quickly.",
        "We need your cooperation to fix the shelf.",
    ):
        _assert_cut(middle, SHELF, READER_ACTION)
    for middle in (
        "If you need help assembling it, we will assist you.",
        "We hope you will give us another chance.",
    ):
        assert not _errors(_letter(middle), SHELF, READER_ACTION), middle


def test_patience_while_we_worked_is_cut_when_nobody_waited() -> None:
    body = _letter("Thank you for your patience while we looked into this.")
    assert _errors(body, SHELF, READER_ACTION) == [" while we looked into this"]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed
    assert "Thank you for your patience." in fixed


def test_normal_thanks_are_left_alone() -> None:
    for middle in (
        "Thank you for your patience.",
        "Thank you for your understanding.",
        "Thanks for letting us know.",
        "Thank you for bringing this to our attention.",
        "We appreciate your feedback.",
    ):
        assert not _errors(_letter(middle), SHELF, READER_ACTION), middle
    # The reader did write: thanks for it are normal.
    wrote = _request(
        incident={
            "summary": "The bookcase ordered on 4 June arrived with a cracked shelf.",
            "reference": "BK-3310",
            "customer_message": "My shelf is cracked, what now?",
        }
    )
    for middle in ("Thank you for your reply.", "Thanks for your message about it."):
        assert not _errors(_letter(middle), wrote, READER_ACTION), middle
    # The request says the reader reported it.
    reported = _request(
        incident={
            "summary": "The customer reported that the bookcase ordered on 4 June arrived "
            "with a cracked shelf.",
            "reference": "BK-3310",
        }
    )
    assert not _errors(_letter("Thank you for your response."), reported, READER_ACTION)
    # A wait the request describes: thanks for it are normal.
    waited = _request(
        incident={
            "summary": "The bookcase ordered on 4 June arrived two weeks late.",
            "reference": "BK-3310",
        }
    )
    body = _letter("Thank you for your patience while we tracked it down.")
    assert not _errors(body, waited, READER_ACTION)


# --- request.moved_date ------------------------------------------------------------------------


def test_a_date_told_for_another_event_is_cut() -> None:
    body = _letter("We are sorry the delivery of your bookcase on 4 June went wrong.")
    assert _errors(body, SHELF, MOVED_DATE) == [" on 4 June"]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed, [f.rule for f in report.errors]
    assert "the delivery of your bookcase went wrong" in fixed
    # The review date of a colleague's request, told as the day they went on leave.
    leave = _request(
        audience="colleague",
        incident={
            "summary": "I went on leave without handing over the Fenwick account.",
            "impact": "Priya met the Fenwick buyers on 9 October without the price list",
        },
        remedies=[],
        prevention=[],
    )
    body = (
        "Hi Priya,\n\nI'm sorry: on 9 October I left for my holiday without handing over the "
        "Fenwick account. The mistake was mine.\n\nDaniel"
    )
    assert _errors(body, leave, MOVED_DATE)


def test_a_date_with_its_own_event_is_left_alone() -> None:
    for middle in (
        "You ordered it on 4 June and deserved better.",
        "On 4 June you placed the order in good faith.",
        "Your bookcase order of 4 June should have arrived whole.",
        "We missed that on 4 June.",
    ):
        assert not _errors(_letter(middle), SHELF, MOVED_DATE), middle
    # A date the request gives for the incident as a whole goes with any of its events.
    dated = _with_incident(date="4 June")
    body = _letter("We are sorry the delivery of your bookcase on 4 June went wrong.")
    assert not _errors(body, dated, MOVED_DATE)
    # "booked for 5 May": the date of the installation as much as of the booking.
    booked = _request(
        incident={"summary": "Our fitter missed the kitchen installation booked for 5 May."}
    )
    body = _letter("We let you down over the installation on 5 May.")
    assert not _errors(body, booked, MOVED_DATE)


# --- request.restated_prevention -----------------------------------------------------------------


def test_a_prevention_step_said_again_with_details_of_its_own_is_removed() -> None:
    middle = (
        "We are making sure this never happens again in future by fitting corner guards to "
        "heavy boxes only when the courier asks."
    )
    body = _letter(middle)
    assert _errors(body, SHELF, RESTATED_PREVENTION) == [middle]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed, [f.rule for f in report.errors]
    assert "courier asks" not in fixed
    assert "every flat-pack box now gets corner guards" in fixed


def test_a_step_said_once_or_again_in_its_own_words_is_left_alone() -> None:
    assert not _errors(_letter(""), SHELF, RESTATED_PREVENTION)
    again = "So this does not happen again, every flat-pack box gets corner guards."
    assert not _errors(_letter(again), SHELF, RESTATED_PREVENTION)
    # A sentence about the future that is not the step.
    assert not _errors(_letter("We hope to see you again in future."), SHELF, RESTATED_PREVENTION)


# --- tone.formal_chat_greeting, tone.plural_voice -----------------------------------------------


def test_a_letter_greeting_in_a_chat_becomes_a_first_name() -> None:
    chat = _request(channel="chat")
    body = "Dear Ines Moreau,\n\nI'm sorry your bookcase arrived with a cracked shelf."
    assert _errors(body, chat, FORMAL_CHAT_GREETING) == ["Dear Ines Moreau"]
    report = guardrails.check(body, context=chat, channel="chat")
    fixed = salvage(None, body, report, chat, "chat").body
    assert fixed.startswith("Hi Ines,")
    # An email keeps its letter greeting; a chat may say "Hi Ines".
    assert not _errors(_letter(""), SHELF, FORMAL_CHAT_GREETING)
    assert not _errors("Hi Ines, I'm sorry about the shelf.", chat, FORMAL_CHAT_GREETING)


def test_we_offering_in_one_colleagues_letter_becomes_i() -> None:
    colleague = _request(audience="colleague", recipient={"name": "Priya Shah"})
    body = "Hi Priya,\n\nI'm sorry. We'd like to offer you an hour to go through it.\n\nDaniel"
    assert _errors(body, colleague, PLURAL_VOICE) == ["We'd like to offer"]
    report = guardrails.check(body, subject="Your bookcase", context=colleague)
    fixed = salvage("Your bookcase", body, report, colleague, "email").body
    assert "I'd like to offer you an hour" in fixed
    # A business writing to its customer offers as "we".
    assert not _errors(_letter("We'd like to offer you a gift card."), SHELF, PLURAL_VOICE)
    # A colleague letter signed only by the organisation has no one person to say "I".
    team = _request(
        audience="colleague", recipient={"name": "Priya Shah"}, sender={"organization": "Birchwood"}
    )
    body = "Hi Priya,\n\nWe're sorry. We'd like to offer you an hour to go through it.\n\nBirchwood"
    assert not _errors(body, team, PLURAL_VOICE)


def test_salvage_mends_a_sentence_that_pointed_back_at_a_removed_one() -> None:
    body = _letter("We value your reply. As a result, our team read your note twice.")
    fixed, report = _salvaged(body, SHELF)
    assert report.passed, [f.rule for f in report.errors]
    assert "We value your reply" not in fixed
    assert "As a result" not in fixed
    assert "Our team read your note twice." in fixed
    # A link after a sentence that stays is left as written.
    kept = _letter("The shelf split in transit. As a result, the bookcase wobbled.")
    assert "As a result, the bookcase wobbled." in _salvaged(kept, SHELF)[0]


def test_a_contrast_with_a_cut_clause_loses_its_opening() -> None:
    body = _letter(
        "The shelf was packed in haste, which caused you a second trip to the depot. However, "
        "the new shelf is packed with corner guards."
    )
    assert _edits(body, SHELF) == [
        (INVENTED_EFFECT, "replace", ", which caused you a second trip to the depot", ""),
        (INVENTED_EFFECT, "replace", "However, t", "T"),
    ]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed
    assert "packed in haste. The new shelf is packed with corner guards." in fixed
    # A contrast with a clause that stays is left as written.
    kept = _letter("The shelf was packed in haste. However, the box was sound.")
    assert "However, the box was sound." in _salvaged(kept, SHELF)[0]


def test_a_formal_chat_greeting_with_a_title_stays() -> None:
    chat = _request(channel="chat")
    body = "Dear Mrs Moreau,\n\nI'm sorry your bookcase arrived with a cracked shelf."
    assert not _errors(body, chat, FORMAL_CHAT_GREETING)
    # A formal tone's chat may greet by full name, as the composer's does.
    formal = _request(channel="chat", tone="formal")
    assert not _errors("Dear Ines Moreau,\n\nI'm sorry.", formal, FORMAL_CHAT_GREETING)


def test_a_talk_with_the_reader_the_request_never_gives_is_removed() -> None:
    for middle in (
        "As we discussed on the phone, the shelf was packed badly.",
        "Following our recent call, I checked the packing notes.",
        "I wanted to pick up the shelf problem we talked about last week.",
    ):
        _assert_cut(middle, SHELF, READER_ACTION)
    # An opening clause goes and the sentence stays.
    fixed, _ = _salvaged(
        _letter("As we discussed on the phone, the shelf was packed badly."), SHELF
    )
    assert "The shelf was packed badly." in fixed
    # Our own talks, and a talk the request gives, are left alone.
    assert not _errors(
        _letter("We discussed the packing with our warehouse team."), SHELF, READER_ACTION
    )
    called = _request(
        incident={
            "summary": "The bookcase ordered on 4 June arrived with a cracked shelf; the "
            "customer phoned us about it.",
            "reference": "BK-3310",
        }
    )
    assert not _errors(
        _letter("As we discussed on the phone, a new shelf is coming."), called, READER_ACTION
    )


def test_a_mended_link_takes_over_the_edit_of_the_word_after_it() -> None:
    colleague = _request(
        audience="colleague",
        recipient={"name": "Priya Shah"},
        incident={"summary": "I went on leave without handing Priya the Fenwick price list."},
        remedies=[],
        prevention=[],
    )
    body = (
        "Hi Priya,\n\nI'm sorry I went on leave without handing you the Fenwick price list. "
        "The mistake was mine. We value your reply. As a result, Priya met the buyers without "
        "it.\n\nDaniel"
    )
    report = guardrails.check(body, subject="The Fenwick list", context=colleague)
    fixed = salvage("The Fenwick list", body, report, colleague, "email")
    assert "You met the buyers without it." in fixed.body
    assert "As a result" not in fixed.body and "Priya met" not in fixed.body
    assert {e.rule for e in fixed.edits} >= {READER_ACTION, "request.third_person"}


def test_a_cut_date_takes_a_later_on_that_day_with_it() -> None:
    body = _letter(
        "We are sorry the delivery of your bookcase on 4 June went wrong. You had guests "
        "coming on that day and no shelf to show them."
    )
    assert _errors(body, SHELF, MOVED_DATE) == [" on 4 June", " on that day"]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed, [f.rule for f in report.errors]
    assert "You had guests coming and no shelf" in fixed
    # Without a cut date, "on that day" is the letter's own and stays.
    kept = _letter("You ordered it on 4 June, and we let you down on that day.")
    assert not _errors(kept, SHELF, MOVED_DATE)


# --- request.remedy_as_prevention ------------------------------------------------------------


def test_remedies_told_as_what_prevents_a_repeat_are_removed() -> None:
    for middle in (
        "The new shelf and our apology should make sure nothing like this happens again.",
        "These remedies are there to prevent a similar problem in future.",
        "I hope this replacement will stop it from recurring.",
    ):
        body = _letter(middle)
        assert _errors(body, SHELF, REMEDY_AS_PREVENTION) == [middle] or "replacement" in middle
        fixed, report = _salvaged(body, SHELF)
        assert report.passed, (middle, [f.rule for f in report.errors])
    body = _letter("These remedies are there to prevent a similar problem in future.")
    fixed, _ = _salvaged(body, SHELF)
    assert "These remedies" not in fixed
    assert "corner guards" in fixed


def test_remedies_beside_a_real_step_are_left_alone() -> None:
    for middle in (
        "Alongside the new shelf, the guards should stop this happening again.",
        "I hope the new shelf arrives safely; we have changed our packing so this does not "
        "happen again.",
        "The refund policy is unchanged.",
    ):
        assert not _errors(_letter(middle), SHELF, REMEDY_AS_PREVENTION), middle


# --- request.third_person: the reader as the object of what we did ---------------------------


def _third(body: str) -> list[str]:
    return _errors(body, SHELF, "request.third_person")


def test_the_reader_as_object_of_a_past_verb_and_them_after_it_are_caught() -> None:
    body = _letter("We kept the customer waiting and called them only once.")
    assert _third(body) == ["the customer", "them"]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed, [(f.rule, f.excerpt) for f in report.errors]
    assert "We kept you waiting and called you only once." in fixed
    body = _letter("The crack forced the customer to put off the assembly.")
    assert _third(body) == ["the customer"]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed and "the customer" not in fixed


def test_a_team_named_after_the_reader_and_them_for_others_are_left_alone() -> None:
    for middle in (
        "We emailed the customer service team and asked them to check every box.",
        "We contacted the courier and reminded them about fragile goods.",
        "I am sorry; we let you down and thanked the packers, who asked them to slow down.",
    ):
        assert not _third(_letter(middle)), middle


# --- commitments.added_terms: what a remedy is said to be enough for -------------------------


def test_what_a_remedy_is_said_to_cover_is_cut() -> None:
    body = _letter(
        "We hope the shelf helps, and it should be more than enough to compensate for the "
        "wasted evening."
    )
    assert _errors(body, SHELF, "commitments.added_terms")
    body = _letter("You will get the shelf, which will be sufficient to cover any other costs.")
    assert _errors(body, SHELF, "commitments.added_terms") == [
        ", which will be sufficient to cover any other costs"
    ]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed, [(f.rule, f.excerpt) for f in report.errors]
    assert "You will get the shelf." in fixed
    assert not _errors(
        _letter("A new shelf is enough to finish the bookcase."), SHELF, "commitments.added_terms"
    )


# --- commitments.done_as_future: a done remedy told as to come beside another one ------------

TWO = _request(
    remedies=[
        {
            "kind": "refund",
            "description": "refund of the delivery charge",
            "amount": "$40",
            "status": "done",
        },
        {"kind": "other", "description": "a fitter to assemble the bookcase", "status": "offered"},
    ]
)


def test_a_done_remedy_told_as_to_come_beside_an_offered_one_is_said_again() -> None:
    body = _letter(
        "We will be sending a refund of the delivery charge and a fitter to assemble it."
    )
    assert set(_errors(body, TWO, "commitments.done_as_future")) == {"will be sending"}
    fixed, report = _salvaged(body, TWO)
    assert report.passed, [(f.rule, f.excerpt) for f in report.errors]
    assert "will be sending" not in fixed and "$40" in fixed
    assert "a fitter to assemble the bookcase" in fixed  # the offered one is still offered
    # Both named, the done one only by words it shares with the other: left alone.
    assert not _errors(
        _letter("We have refunded the delivery charge. We will send a fitter for the delivery."),
        TWO,
        "commitments.done_as_future",
    )


# --- claims.invented_effect -------------------------------------------------------------------


def _warnings(body: str, request: DraftRequest, rule: str) -> list[str]:
    report = guardrails.check(body, subject="Your bookcase", context=request)
    return [f.excerpt for f in report.findings if f.rule == rule and f.severity == "warning"]


def test_a_consequence_the_request_never_gives_is_cut_at_its_clause() -> None:
    for middle, kept, gone in (
        (
            "The crack meant the shelf could not hold books, which caused extra costs and "
            "delays for your move.",
            "The crack meant the shelf could not hold books.",
            "extra costs",
        ),
        (
            "The shelf split in the box, resulting in a second trip to the post office.",
            "The shelf split in the box.",
            "post office",
        ),
        (
            "The bookcase wobbled, leading to a scratched floor in your hallway.",
            "The bookcase wobbled.",
            "hallway",
        ),
        (
            "The shelf was cracked, and this has cost your landlord a repair visit.",
            "The shelf was cracked.",
            "landlord",
        ),
        (
            "The crack was serious, as it may have put your flooring at risk.",
            "The crack was serious.",
            "flooring",
        ),
    ):
        body = _letter(middle)
        assert _errors(body, SHELF, INVENTED_EFFECT), middle
        fixed, report = _salvaged(body, SHELF)
        assert report.passed, (middle, [f.rule for f in report.errors])
        assert kept in fixed and gone not in fixed, fixed


def test_a_benefit_no_remedy_or_step_gives_is_cut() -> None:
    for middle, kept in (
        (
            "We reviewed our warehouse, which ensures that we can quickly respond to changes in "
            "stock levels.",
            "We reviewed our warehouse.",
        ),
        # The incident's own words told as what a step achieves are still invented.
        (
            "We looked at our packing, ensuring that every bookcase arrives without a crack.",
            "We looked at our packing.",
        ),
        ("We looked at our packing, which has halved our breakages.", "We looked at our packing."),
    ):
        body = _letter(middle)
        assert _errors(body, SHELF, INVENTED_EFFECT), middle
        fixed, report = _salvaged(body, SHELF)
        assert report.passed, (middle, [f.rule for f in report.errors])
        assert kept in fixed, fixed
    # A sentence that is only the claim goes whole; the step stays stated.
    body = _letter("The new guards will help our couriers load the van faster.")
    assert _errors(body, SHELF, INVENTED_EFFECT) == [
        "The new guards will help our couriers load the van faster."
    ]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed and "faster" not in fixed
    assert "every flat-pack box now gets corner guards" in fixed


def test_effects_the_request_gives_or_a_repeat_prevented_are_left_alone() -> None:
    moved = _request(
        incident={
            "summary": "The bookcase ordered on 4 June arrived with a cracked shelf.",
            "reference": "BK-3310",
            "impact": "the customer had to postpone the move into her new flat",
        }
    )
    for middle, request in (
        # the request's impact, retold
        ("The shelf cracked, which meant you had to postpone your move.", moved),
        ("It was cracked, and this led to your move being postponed.", moved),
        # what the step is for: this not happening again
        ("These guards should help prevent similar damage.", SHELF),
        ("We changed our packing to make sure it does not happen again.", SHELF),
        ("So that no other customer gets a cracked shelf, we changed our packing.", SHELF),
        # the step's own words as its effect
        ("The change means every flat-pack box gets corner guards.", SHELF),
        # a feeling, or an effect told as the reader's own (request.invented_impact's)
        ("I know this caused you real frustration.", SHELF),
        ("It means a lot that you told us.", SHELF),
        # "which" that tells no effect
        ("The shelf, which we packed on 3 June, split.", SHELF),
    ):
        assert not _errors(_letter(middle), request, INVENTED_EFFECT), middle


def test_a_purpose_the_request_never_gives_is_a_warning_with_its_cut() -> None:
    body = _letter("We sent the new shelf so that your reading nook looks complete.")
    assert not _errors(body, SHELF, INVENTED_EFFECT)
    assert _warnings(body, SHELF, INVENTED_EFFECT) == [" so that your reading nook looks complete"]
    report = guardrails.check(body, subject="Your bookcase", context=SHELF)
    assert report.passed


# --- tone.stock_phrase ------------------------------------------------------------------------


def test_form_letter_phrases_are_dropped_and_the_sentence_kept() -> None:
    for middle, kept in (
        ("As a valued customer, you deserve better than this.", "You deserve better than this."),
        ("As one of our most loyal clients, you expect care.", "You expect care."),
        ("As you know, we pack every order by hand.", "We pack every order by hand."),
        ("As you may be aware, the shelf was packed in haste.", "The shelf was packed in haste."),
        ("The shelf, as you know, was packed in haste.", "The shelf was packed in haste."),
        ("We pack every order by hand, as you know.", "We pack every order by hand."),
        ("Needless to say, this is not our standard.", "This is not our standard."),
        ("As always, we are here to help.", "We are here to help."),
    ):
        body = _letter(middle)
        assert _errors(body, SHELF, STOCK_PHRASE), middle
        fixed, report = _salvaged(body, SHELF)
        assert report.passed, (middle, [f.rule for f in report.errors])
        assert kept in fixed, fixed
    # Where the phrase is the sentence's point, the sentence goes.
    for middle in (
        "You are a valued customer to us.",
        "The shelf is a gesture to show our appreciation for your business.",
        "We truly value your custom.",
    ):
        body = _letter(middle)
        assert _errors(body, SHELF, STOCK_PHRASE) == [middle]
        fixed, report = _salvaged(body, SHELF)
        assert report.passed and middle not in fixed


def test_ordinary_uses_of_the_same_words_are_left_alone() -> None:
    for middle in (
        "We want you to know what happened.",
        "We value your feedback on the new shelf.",
        "The shelf will be with you as soon as we can.",
        "We are here for you as always.",
        "As a company, we should have packed it better.",
    ):
        assert not _errors(_letter(middle), SHELF, STOCK_PHRASE), middle
    # A request that speaks of the reader's years with us lets the letter say so.
    loyal = _with_incident(
        summary="The bookcase ordered on 4 June by a member of ten years arrived with a "
        "cracked shelf."
    )
    assert not _errors(_letter("As a loyal member, you deserve better."), loyal, STOCK_PHRASE)


# --- claims.swapped_organisation -----------------------------------------------------------


def test_an_organisation_named_as_the_other_sides_is_cut() -> None:
    client = _request(
        audience="client", recipient={"name": "Ines Moreau", "organization": "Arbor Homes"}
    )
    for middle, kept in (
        ("The shelf for your showroom, Birchwood, was cracked.", "The shelf for your showroom was"),
        ("We let down your design studio, Birchwood.", "We let down your design studio."),
    ):
        body = _letter(middle)
        assert _errors(body, client, SWAPPED_ORGANISATION), middle
        fixed, report = _salvaged(body, client)
        assert report.passed, (middle, [f.rule for f in report.errors])
        assert kept in fixed, fixed
    for middle in (
        "Your order from Birchwood should have arrived whole.",
        "Your team at Arbor Homes deserved better.",
        "Our team, Birchwood Care, will call you.",
        "Your store, Arbor Homes, deserved better.",
        "We, your supplier, Birchwood, let you down.",
        "We cracked the shelf for our client, Arbor Homes.",
    ):
        assert not _errors(_letter(middle), client, SWAPPED_ORGANISATION), middle


# --- request.third_person: the reader as "our client" ------------------------------------------


def _edits(body: str, request: DraftRequest) -> list[tuple[str, str, str, str]]:
    report = guardrails.check(body, subject="Your bookcase", context=request)
    result = salvage("Your bookcase", body, report, request, request.channel)
    return [(e.rule, e.action, e.before, e.after) for e in result.edits]


def test_the_reader_as_one_of_our_clients_is_addressed_directly() -> None:
    client = _request(
        audience="client", recipient={"name": "Ines Moreau", "organization": "Arbor Homes"}
    )
    body = _letter("The crack spoiled our client's opening display.")
    assert _errors(body, client, THIRD_PERSON) == ["our client's"]
    assert _edits(body, client) == [(THIRD_PERSON, "replace", "our client's", "your")]
    fixed, report = _salvaged(body, client)
    assert report.passed and "The crack spoiled your opening display." in fixed
    # A customer's letter: "our customer" as the object of a verb that acts on the reader.
    body = _letter("We should have contacted our customer before it shipped.")
    assert _errors(body, SHELF, THIRD_PERSON) == ["our customer"]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed and "We should have contacted you before it shipped." in fixed


def test_our_client_as_a_third_party_or_a_team_name_is_left_alone() -> None:
    client = _request(
        audience="client", recipient={"name": "Ines Moreau", "organization": "Arbor Homes"}
    )
    for middle in (
        "Our client services team will call you.",
        "Our clients' orders are packed by hand.",
        "Your client's display deserved better.",
    ):
        assert not _errors(_letter(middle), client, THIRD_PERSON), middle
    # A colleague's letter speaks of a client as a third person.
    colleague = _request(audience="colleague", recipient={"name": "Ines Moreau"})
    assert not _errors(_letter("The crack spoiled our client's display."), colleague, THIRD_PERSON)
    # So does a public reply.
    public = _request(audience="client", channel="social")
    found = guardrails.check(
        "We cracked our client's shelf and we're sorry. DM us.", channel="social", context=public
    )
    assert THIRD_PERSON not in [f.rule for f in found.findings]


# --- liability.owned_fault --------------------------------------------------------------------


def test_under_the_cautious_posture_the_fault_owned_becomes_the_fix_owned() -> None:
    cautious = _request(liability="cautious")
    responsibility = fact_sentence(cautious, "responsibility", "email").strip()
    opening = "Dear Ines,\n\nThis is about your order BK-3310. I'm sorry your bookcase arrived "
    opening += "with a cracked shelf. "
    for owned in (
        "We take full responsibility for this incident and are committed to addressing it.",
        "We accept responsibility for the error.",
        "I am fully responsible for what happened.",
        "We take full responsibility.",
    ):
        body = opening + owned + " " + _AMENDS + _CLOSE
        assert _errors(body, cautious, OWNED_FAULT), owned
        edits = _edits(body, cautious)
        assert (OWNED_FAULT, "replace", owned, responsibility) in edits, edits
        fixed, report = _salvaged(body, cautious)
        assert report.passed, (owned, [f.rule for f in report.errors])
        # Said once: the element's own insertion does not add a second line.
        assert fixed.count(responsibility) == 1 and owned not in fixed


def test_owning_the_fix_or_the_standard_posture_is_left_alone() -> None:
    cautious = _request(liability="cautious")
    for middle in (
        "We are taking responsibility for putting this right.",
        "We are responsible for making this right.",
        "We take responsibility for fixing the shelf.",
    ):
        assert not _errors(_letter(middle), cautious, OWNED_FAULT), middle
    assert not _errors(
        _letter("We take full responsibility for this incident."), SHELF, OWNED_FAULT
    )
    # A sentence with a caller's figure is not said again without it: the re-ask handles it.
    report = guardrails.check(
        _letter("We take full responsibility for the crack, and the shelf ships on 9 June."),
        subject="x",
        context=cautious,
    )
    owned = [f for f in report.errors if f.rule == OWNED_FAULT]
    assert owned and owned[0].fix is None


# --- tone.circular_harm ----------------------------------------------------------------------


def test_a_harm_said_to_cause_itself_is_cut() -> None:
    body = _letter(
        "I understand that this inconvenience caused you some inconvenience, and I am sorry "
        "that the shelf was cracked."
    )
    assert _errors(body, SHELF, CIRCULAR_HARM)
    assert _edits(body, SHELF) == [
        (
            CIRCULAR_HARM,
            "replace",
            "I understand that this inconvenience caused you some inconvenience, and I",
            "I",
        )
    ]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed and "sealed. I am sorry that the shelf was cracked." in fixed
    alone = _letter("The delay has caused you a great deal of delay.")
    fixed, report = _salvaged(alone, SHELF)
    assert _errors(alone, SHELF, CIRCULAR_HARM) and report.passed
    assert "great deal of delay" not in fixed


def test_a_harm_that_causes_another_is_left_alone() -> None:
    for middle in (
        "I know the crack caused you real inconvenience.",
        "The delay caused you some frustration, and I am sorry.",
        "This inconvenience is ours to fix.",
    ):
        assert not _errors(_letter(middle), SHELF, CIRCULAR_HARM), middle


# --- tone.stock_phrase: the stock wish and the self-praised offer ----------------------------


def test_a_stock_wish_before_the_apology_is_dropped() -> None:
    wish = "I hope this message finds you well."
    body = _letter("").replace("This is about", f"{wish} This is about")
    assert _errors(body, SHELF, STOCK_PHRASE) == [wish]
    assert _edits(body, SHELF) == [(STOCK_PHRASE, "remove_sentence", wish, "")]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed and fixed.startswith("Dear Ines,\n\nThis is about")
    for opening, kept in (
        ("I hope this email finds you well, and I am writing about", "I am writing about"),
        ("We trust you are keeping well and that your week is going smoothly.", "Dear Ines,"),
        ("I hope you're doing well.", "Dear Ines,"),
    ):
        body = _letter("").replace("This is about", f"{opening} This is about")
        assert _errors(body, SHELF, STOCK_PHRASE), opening
        fixed, report = _salvaged(body, SHELF)
        assert report.passed and kept in fixed and "well" not in fixed, fixed
    # A greeting in the same sentence stays.
    chat = "Hi Ines, I hope you are well. Your bookcase BK-3310 arrived with a cracked shelf."
    report = guardrails.check(chat, channel="chat", context=SHELF)
    assert [f.excerpt for f in report.errors if f.rule == STOCK_PHRASE] == ["I hope you are well."]
    result = salvage(None, chat, report, SHELF, "chat")
    assert result.body.startswith("Hi Ines, Your bookcase BK-3310 arrived"), result.body


def test_telling_the_reader_how_to_take_it_and_praising_our_offer_are_dropped() -> None:
    for middle, gone in (
        ("I hope this apology is satisfactory.", "satisfactory"),
        ("I hope this apology and the offer are acceptable to you.", "acceptable"),
        ("I appreciate this offer and look forward to your reply.", "appreciate"),
    ):
        body = _letter(middle)
        assert _errors(body, SHELF, STOCK_PHRASE), middle
        fixed, report = _salvaged(body, SHELF)
        assert report.passed and gone not in fixed, fixed
    fixed, _ = _salvaged(_letter("I appreciate this offer and look forward to your reply."), SHELF)
    assert "sealed. I look forward to your reply." in fixed


def test_hopes_about_the_fix_are_left_alone() -> None:
    for middle in (
        "We hope the new shelf arrives well before the weekend.",
        "I hope the corner guards make a difference you can see.",
        "We appreciate your patience.",
        "I hope you will give us another chance.",
    ):
        assert not _errors(_letter(middle), SHELF, STOCK_PHRASE), middle


def test_a_hope_that_the_apology_puts_it_right_is_dropped_with_its_wish() -> None:
    body = _letter("I hope this apology can make things right and that you feel better.")
    assert _errors(body, SHELF, STOCK_PHRASE) == [
        "I hope this apology can make things right and that you feel better."
    ]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed and "make things right" not in fixed


# --- artefacts.kind_label ---------------------------------------------------------------------


def test_a_remedys_kind_used_as_a_label_is_cut_and_the_line_kept() -> None:
    body = _letter("").replace(
        "To make amends, a new shelf has been sent.",
        "Here is what we have done:\n1. Replacement: a new shelf has been sent.\n",
    )
    assert _errors(body, SHELF, KIND_LABEL) == ["Replacement: a"]
    assert _edits(body, SHELF) == [(KIND_LABEL, "replace", "Replacement: a", "A")]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed and "\n1. A new shelf has been sent." in fixed


def test_a_label_that_is_no_remedy_kind_of_the_request_is_left_alone() -> None:
    for line in ("Refund: none was needed.", "Note: the shelf ships in its own box."):
        body = _letter("").replace(_CLOSE, "\n\n" + line + _CLOSE)
        assert not _errors(body, SHELF, KIND_LABEL), line


def test_the_reader_after_for_is_addressed_with_the_they_that_follows() -> None:
    body = _letter("The crack was a real nuisance for the customer, as they had guests due.")
    assert _errors(body, SHELF, THIRD_PERSON) == ["the customer", "they"]
    assert _edits(body, SHELF) == [
        (THIRD_PERSON, "replace", "the customer", "you"),
        (THIRD_PERSON, "replace", "they", "you"),
    ]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed, [f.rule for f in report.errors]
    assert "a real nuisance for you, as you had guests due." in fixed
    for middle in (
        "We will work with the customer service team on this.",
        "A fix for the customer portal is on its way, and they say it is ready.",
    ):
        assert not _errors(_letter(middle), SHELF, THIRD_PERSON), middle


def test_the_reader_after_causing_is_addressed() -> None:
    waited = _with_incident(impact="the customer had to wait a week for a new shelf")
    body = _letter("The box was packed in haste, causing the customer to wait for a new shelf.")
    assert _errors(body, waited, THIRD_PERSON) == ["the customer"]
    assert _edits(body, waited) == [(THIRD_PERSON, "replace", "the customer", "you")]
    fixed, report = _salvaged(body, waited)
    assert report.passed and "causing you to wait for a new shelf." in fixed


def test_a_remedys_kind_said_after_it_is_cut() -> None:
    service = _request(
        remedies=[{"kind": "service", "description": "a free fitting", "status": "offered"}]
    )
    amends = "To make amends, a new shelf has been sent."
    body = _letter("").replace(amends, "We also offer a free fitting as a service.")
    assert _errors(body, service, KIND_LABEL) == [" as a service"]
    assert _edits(body, service) == [(KIND_LABEL, "replace", " as a service", "")]
    fixed, report = _salvaged(body, service)
    assert report.passed and "We also offer a free fitting." in fixed
    # The label is no clause: a contrast after it still has the sentence it contrasts with.
    contrast = body.replace(" as a service.", " as a service. However, the shelf is new.")
    assert (
        "We also offer a free fitting. However, the shelf is new."
        in _salvaged(contrast, service)[0]
    )
    # "as a replacement" is English, and a kind the request does not use is no label.
    assert not _errors(_letter("It goes out as a service to you."), SHELF, KIND_LABEL)


def test_praise_of_our_own_service_as_an_opening_is_cut() -> None:
    middle = "As part of our commitment to excellent customer service, we checked every box."
    body = _letter(middle)
    assert _errors(body, SHELF, STOCK_PHRASE)
    fixed, report = _salvaged(body, SHELF)
    assert report.passed and "sealed. We checked every box." in fixed
    # Also where the request gives the reader's history, which lets "as a loyal member" stand.
    loyal = _with_incident(
        summary="The bookcase ordered on 4 June by a member of ten years arrived with a "
        "cracked shelf."
    )
    assert _errors(body, loyal, STOCK_PHRASE)
    assert not _errors(
        _letter("As part of our commitment to you, we checked every box."), SHELF, STOCK_PHRASE
    )


def test_thanks_for_understanding_the_business_situation_is_cut() -> None:
    for middle in (
        "Thank you for understanding our situation and for choosing Birchwood.",
        "We appreciate your understanding of our position.",
        "I am grateful for your understanding of my circumstances.",
    ):
        _assert_cut(middle, SHELF, STOCK_PHRASE)
    for middle in (
        "Thank you for your understanding.",
        "I appreciate your understanding while the new shelf is on its way.",
        "Thank you for understanding, and I hope the new shelf is perfect.",
    ):
        assert not _errors(_letter(middle), SHELF, STOCK_PHRASE), middle


def test_an_apology_told_as_a_moment_of_the_writers_time_keeps_the_apology() -> None:
    for middle, kept in (
        (
            "I wanted to take a moment to apologize for the cracked shelf.",
            "I apologize for the cracked shelf.",
        ),
        ("We'd like to take a moment to apologise for the damage.", "We apologise for the damage."),
        ("I would like to take a quick moment to apologise.", "I apologise."),
    ):
        body = _letter(middle)
        assert _errors(body, SHELF, STOCK_PHRASE), middle
        fixed, report = _salvaged(body, SHELF)
        assert report.passed, (middle, [f.rule for f in report.errors])
        assert kept in fixed, fixed
    for middle in (
        "Please take a moment to check the new shelf when it arrives.",
        "I wanted to take a moment to check the new shelf myself.",
    ):
        assert not _errors(_letter(middle), SHELF, STOCK_PHRASE), middle


# --- tone.minimised_harm ---------------------------------------------------------------------

_IMPACT = "the customer had to keep her books in boxes for a week"
HURT = _with_incident(impact=_IMPACT)


def test_a_harm_the_request_names_called_an_inconvenience_is_said_as_it_was() -> None:
    impact = fact_sentence(HURT, "impact", "email")
    assert impact.endswith("you had to keep your books in boxes for a week."), impact
    opening = (
        "I'm sorry your bookcase, ordered on 4 June, arrived with a cracked shelf. This was "
        "our mistake, and we own it."
    )
    for apology, said in (
        (
            "I'm sorry for the inconvenience caused by our packing of your bookcase.",
            "I'm sorry for our packing of your bookcase.",
        ),
        ("We apologise for any inconvenience this may have caused.", "We apologise for this."),
        ("I am truly sorry for the damage and inconvenience.", "I am truly sorry for the damage."),
    ):
        body = _letter("").replace(opening, f"{opening} {apology}")
        assert _errors(body, HURT, MINIMISED_HARM), apology
        fixed, report = _salvaged(body, HURT)
        assert report.passed, (apology, [f.rule for f in report.errors])
        assert "inconvenience" not in fixed and said in fixed, fixed
        # The impact follows the letter's first apology.
        assert f"cracked shelf. {impact} This was our mistake" in fixed, fixed
    # An inconvenience that cannot be reworded stays, and the impact is said after the
    # apology.
    body = _letter("I know this caused you real inconvenience.")
    fixed, report = _salvaged(body, HURT)
    assert report.passed and f"cracked shelf. {impact} This was" in fixed, fixed


def test_an_inconvenience_beside_the_impact_or_without_one_is_left_to_other_rules() -> None:
    middle = "I am sorry for the inconvenience."
    assert not _errors(_letter(middle), SHELF, MINIMISED_HARM)  # no impact in the request
    told = _letter(f"{middle} I know you had to keep your books in boxes.")
    assert not _errors(told, HURT, MINIMISED_HARM)


def test_an_impact_the_composer_tells_in_the_third_person_is_left_for_the_re_ask() -> None:
    theirs = _with_incident(impact="the bookcase was meant for her daughter's new room")
    body = _letter("I am sorry for the inconvenience.")
    report = guardrails.check(body, subject="Your bookcase", context=theirs)
    result = salvage("Your bookcase", body, report, theirs, "email")
    assert [f.fix for f in result.unfixed] == [Fix(action="insert", fact="impact")]
    assert "her daughter" not in result.body


# --- cooperation the reader never gave; an intent defence salvage drops -----------------------


def test_cooperation_the_reader_never_gave_is_cut_and_understanding_kept() -> None:
    body = _letter("Thank you for your understanding and cooperation.")
    assert _errors(body, SHELF, READER_ACTION) == [" and cooperation"]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed and "sealed. Thank you for your understanding.\n\n" in fixed, fixed
    _assert_cut("We appreciate your continued cooperation.", SHELF, READER_ACTION)
    assert not _errors(_letter("Thank you for your understanding."), SHELF, READER_ACTION)


def test_an_intent_defence_is_dropped_by_salvage_with_its_sentence() -> None:
    defence = (
        "I understand that this was not a planned action, but it is important to check every "
        "box before it is sealed."
    )
    body = _letter(defence)
    report = guardrails.check(body, subject="Your bookcase", context=SHELF)
    intent = [f for f in report.errors if f.rule == "non_apology.intent"]
    assert [f.fix for f in intent] == [Fix(action="remove_sentence")]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed and "planned action" not in fixed and _AMENDS in fixed, fixed


def test_the_requests_cause_told_as_an_effect_is_cut() -> None:
    taped = _with_incident(cause="the packing tape gave way on the corner of the box")
    middle = (
        "The shelf was cracked in transit, which led to the packing tape on the corner of "
        "the box giving way."
    )
    body = _letter(middle)
    assert _errors(body, taped, INVENTED_EFFECT) == [
        ", which led to the packing tape on the corner of the box giving way"
    ]
    fixed, report = _salvaged(body, taped)
    assert report.passed and "sealed. The shelf was cracked in transit.\n\n" in fixed, fixed
    # The cause told as the cause, and an effect that is not the cause, stay.
    for middle in (
        "The packing tape gave way on the corner of the box, which cracked the shelf.",
        "The shelf cracked, which left your new room without its bookcase for a week.",
    ):
        assert not [e for e in _errors(_letter(middle), taped, INVENTED_EFFECT) if "tape" in e], (
            middle
        )


def test_a_situation_that_may_have_been_difficult_is_a_hedged_harm() -> None:
    hedge = "We understand that this situation may have been difficult for you."
    assert _errors(_letter(hedge), SHELF, "non_apology.hedged_harm") == [
        "understand that this situation may have been difficult"
    ]
    _assert_cut(hedge, SHELF, "non_apology.hedged_harm")


def test_a_heading_copied_as_the_subjects_label_is_cut() -> None:
    body = _letter("")
    for subject in (
        "Incident: Your cracked bookcase shelf",
        "Subject: Your cracked bookcase shelf",
    ):
        report = guardrails.check(body, subject=subject, context=SHELF)
        labels = [f for f in report.errors if f.rule == KIND_LABEL]
        assert [(f.field, f.fix) for f in labels] == [
            ("subject", Fix(action="replace", text=""))
        ], subject
        result = salvage(subject, body, report, SHELF, "email")
        assert result.subject == "Your cracked bookcase shelf"
    plain = guardrails.check(body, subject="Your order BK-3310: a cracked shelf", context=SHELF)
    assert not [f for f in plain.errors if f.rule == KIND_LABEL]


def test_an_offered_remedy_told_as_offered_before_is_offered_now() -> None:
    offered = _request(
        remedies=[
            {"kind": "replacement", "description": "a new shelf", "status": "done"},
            {"kind": "service", "description": "a free assembly visit", "status": "offered"},
        ]
    )
    body = _letter("We also offered a free assembly visit.")
    report = guardrails.check(body, subject="Your bookcase", context=offered)
    status = [f for f in report.errors if f.rule == "commitments.status"]
    assert [(f.excerpt, f.fix) for f in status] == [
        ("offered", Fix(action="replace", text="offer"))
    ]
    fixed, report = _salvaged(body, offered)
    assert report.passed and "We also offer a free assembly visit." in fixed, fixed
    # Told as offered already ("have already offered", Qwen's hotel letter): offered now.
    for told, now in (
        ("We have already offered you a free assembly visit.", "We offer you a free"),
        ("We've also offered a free assembly visit.", "We also offer a free"),
    ):
        fixed, report = _salvaged(_letter(told), offered)
        assert report.passed and now in fixed, fixed
    # A done remedy told in the past, and an offer made to someone else, stay.
    for middle in ("We offered a new shelf straight away.", "We offered to call you today."):
        report = guardrails.check(_letter(middle), subject="Your bookcase", context=offered)
        assert not [f for f in report.errors if f.rule == "commitments.status"], middle


def test_a_planned_report_told_as_prepared_is_said_with_its_status() -> None:
    planned = _request(
        remedies=[
            {"kind": "replacement", "description": "a new shelf", "status": "done"},
            {
                "kind": "other",
                "description": "a written report on the packing fault",
                "date": "30 June",
                "status": "planned",
            },
        ]
    )
    middle = "A written report on the packing fault has been prepared, dated 30 June."
    body = _letter(middle)
    report = guardrails.check(body, subject="Your bookcase", context=planned)
    assert [f.excerpt for f in report.errors if f.rule == "commitments.status"] == [
        "has been prepared"
    ]
    fixed, report = _salvaged(body, planned)
    assert report.passed and "has been prepared" not in fixed and "30 June" in fixed, fixed
    body = _letter("Thank you for your patience and support.")
    assert _errors(body, SHELF, READER_ACTION) == [" and support"]


def test_a_remedys_status_in_the_requests_words_goes() -> None:
    body = _letter("This replacement is already done.")
    report = guardrails.check(body, subject="Your bookcase", context=SHELF)
    assert [f.excerpt for f in report.errors if f.rule == "artefacts.prompt_fields"] == [
        "This replacement is already done"
    ]
    fixed, report = _salvaged(body, SHELF)
    assert report.passed and "already done" not in fixed
    fine = _letter("Some of this is already done.")
    report = guardrails.check(fine, subject="Your bookcase", context=SHELF)
    assert not [f for f in report.errors if f.rule == "artefacts.prompt_fields"]


def test_the_reader_after_by_is_addressed_directly() -> None:
    client = _request(
        audience="client", recipient={"name": "Ines Moreau", "organization": "Arbor Homes"}
    )
    body = _letter("We corrected the licences held by the client.")
    assert _errors(body, client, THIRD_PERSON) == ["the client"]
    fixed, report = _salvaged(body, client)
    assert report.passed, [f.rule for f in report.errors]
    assert "the licences held by you." in fixed, fixed


# --- claims.overstated -----------------------------------------------------------------------

BREACH = _with_incident(
    summary="On 4 June a shared link to the order list was open without a password for a day.",
    impact="the customer's address may have been seen by people outside the company",
)


_PUTTING_RIGHT = "We are taking responsibility for putting this right. "


def test_a_harm_the_request_gives_as_possible_told_as_certain_is_said_as_given() -> None:
    cautious = BREACH.model_copy(update={"liability": "cautious"})
    told = fact_sentence(cautious, "acknowledgment", "email").strip()
    opening = "Dear Ines,\n\nThis is about your order BK-3310. "
    for certain, excerpt in (
        ("We are sorry that your address was leaked on 4 June.", "leaked"),
        ("I apologise for the incident, which exposed your address to strangers.", "exposed"),
    ):
        body = opening + certain + " " + _PUTTING_RIGHT + _AMENDS + _CLOSE
        assert _errors(body, cautious, OVERSTATED) == [excerpt], certain
        fixed, report = _salvaged(body, cautious)
        assert report.passed, (certain, [f.rule for f in report.errors])
        assert certain not in fixed and told in fixed
    # With its doubt, or where the posture does not ask for caution, it stays.
    for kept, request in (
        ("We are sorry that your address may have been seen on 4 June.", cautious),
        ("We are sorry that your address was leaked on 4 June.", BREACH),
    ):
        body = opening + kept + " " + _PUTTING_RIGHT + _AMENDS + _CLOSE
        assert not _errors(body, request, OVERSTATED), kept


def test_a_review_the_request_gives_as_a_step_claimed_as_carried_out_is_stated_as_given() -> None:
    request = _request(
        prevention=[
            {"description": "every flat-pack box now gets corner guards before it is sealed"},
            {"description": "an outside audit of our packing line"},
        ]
    )
    step = fact_sentence(request, "prevention:1", "email").strip()
    middle = "We have also carried out an outside audit of our packing line."
    assert _errors(_letter(middle), request, OVERSTATED) == [
        "have also carried out an outside audit"
    ]
    fixed, report = _salvaged(_letter(middle), request)
    assert report.passed, [f.rule for f in report.errors]
    assert middle not in fixed and step in fixed
    for kept in ("We have commissioned an outside audit of our packing line.",):
        assert not _errors(_letter(kept), request, OVERSTATED), kept
    done = _request(
        prevention=[{"description": "an outside audit of our packing line was completed in May"}]
    )
    assert not _errors(_letter(middle), done, OVERSTATED)


# --- request.restated_prevention: the only statement of a step, in words of its own ----------


def test_a_step_stated_only_in_words_the_request_does_not_give_is_said_as_given() -> None:
    middle = (
        "We are making sure this never recurs by fitting a corner guard system that only seals "
        "each flat-pack box once the guards pass inspection."
    )
    body = _OPEN + "To make amends, a new shelf has been sent. " + middle + _CLOSE
    assert _errors(body, SHELF, RESTATED_PREVENTION), middle
    fixed, report = _salvaged(body, SHELF)
    assert report.passed, [f.rule for f in report.errors]
    assert middle not in fixed
    assert fact_sentence(SHELF, "prevention:0", "email").strip() in fixed
    # The step in the request's words, with a lead-in of the letter's own, stays.
    plain = "We have made a change: every flat-pack box now gets corner guards before it is sealed."
    body = _OPEN + "To make amends, a new shelf has been sent. " + plain + _CLOSE
    assert not _errors(body, SHELF, RESTATED_PREVENTION)
