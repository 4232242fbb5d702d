"""The `request.*` rules (a draft checked against the caller's request) and the hedged-harm
phrase rule, on the team-written cases of `corpus/request_slips.yaml` in both directions,
plus the shape of their findings: spans, severities and the fixes salvage applies."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from guardrail_corpus import CORPUS

from contract.models import DraftRequest
from contract.report import Finding, Fix
from guardrails import check
from guardrails.checker import SKIPPED_WITHOUT_CONTEXT
from guardrails.request_rules import RULE_IDS
from service.salvage import salvage

SLIPS: dict[str, Any] = yaml.safe_load((CORPUS / "request_slips.yaml").read_text("utf-8"))
REQUESTS = {name: DraftRequest.model_validate(data) for name, data in SLIPS["requests"].items()}
CASES: list[dict[str, Any]] = SLIPS["cases"]
OURS = (*RULE_IDS, "non_apology.hedged_harm")


def _ours(text: str, request: DraftRequest, channel: str) -> list[Finding]:
    report = check(text, channel=channel, context=request)
    return [f for f in report.findings if f.rule in OURS]


def _caught(case: dict[str, Any], findings: list[Finding]) -> bool:
    """Whether a finding of the expected rule overlaps the expected excerpt (any finding of
    the rule when the excerpt is empty: an omission is reported at a point)."""
    text, excerpt = case["text"], case["excerpt"]
    at = text.lower().find(excerpt.lower())
    assert at >= 0, f"corpus error: {excerpt!r} not in the text"
    return any(
        f.rule == case["expect"] and (not excerpt or (f.start < at + len(excerpt) and at < f.end))
        for f in findings
    )


def test_the_corpus_covers_every_rule_both_ways() -> None:
    expected = {c["expect"] for c in CASES}
    assert set(OURS) <= expected
    assert sum(c["expect"] == "none" for c in CASES) >= 30
    assert sum(c["expect"] != "none" for c in CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:60] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    text = case["text"].strip()
    case = case | {"text": text}
    findings = _ours(text, REQUESTS[case["request"]], case.get("channel", "sms"))
    described = [(f.rule, f.excerpt) for f in findings]
    if case["expect"] == "none":
        assert findings == [], described
        return
    if "miss" in case:
        assert not _caught(case, findings), f"now caught ({case['miss']}): update the label"
        return
    assert _caught(case, findings), described


def _letter(name: str) -> dict[str, Any]:
    return next(c for c in CASES if c.get("channel") and c["expect"] == name)


def test_vague_promise_in_place_of_the_step_is_an_error_with_both_fixes() -> None:
    case = _letter("request.vague_prevention")
    text = case["text"].strip()
    report = check(text, channel="email", context=REQUESTS[case["request"]])
    vague = [f for f in report.findings if f.rule == "request.vague_prevention"]
    omitted = [f for f in report.findings if f.rule == "request.omitted_prevention"]
    assert len(vague) == 1 and len(omitted) == 1
    assert vague[0].severity == "error" and vague[0].fix == Fix(action="remove_sentence")
    assert omitted[0].severity == "error"
    assert omitted[0].fix == Fix(action="insert", fact="prevention:0")
    # The step goes where the vague promise was.
    assert omitted[0].start == omitted[0].end == vague[0].start
    assert not report.passed


def test_vague_promise_beside_the_stated_step_is_an_error_that_salvage_cuts() -> None:
    """Beside the authorised change, a promise of more, unnamed effort commits the business
    to something nobody authorised: the sentence goes, or only its clause after ", and"."""
    request = REQUESTS["hotel"]
    head = (
        "Dear Amira,\n\nI am sorry we gave your room away on your anniversary; that was our "
        "mistake. We have refunded the $289 for the night. We now check room allocations "
        "against confirmed bookings every night."
    )
    tail = "\n\nPlease reply with any questions.\n\nKind regards,\nTom Reyes"
    body = head + " We will do everything we can to prevent similar incidents." + tail
    found = _ours(body, request, "email")
    assert [(f.rule, f.severity, f.fix) for f in found] == [
        ("request.vague_prevention", "error", Fix(action="remove_sentence"))
    ]
    clause = ", and we are committed to taking steps to ensure similar issues do not occur again"
    body = head + " I know how much that night meant" + clause + "." + tail
    found = _ours(body, request, "email")
    assert [(f.excerpt, f.fix) for f in found] == [(clause, Fix(action="replace", text=""))]
    report = check(body, channel="email", context=request)
    fixed = salvage(None, body, report, request, "email").body
    assert "I know how much that night meant.\n\nPlease reply" in fixed, fixed
    assert not _ours(fixed, request, "email")


def test_vague_promise_without_any_step_in_the_request_is_only_a_warning() -> None:
    request = REQUESTS["hotel"].model_copy(update={"prevention": []})
    body = (
        "Dear Amira,\n\nI am sorry we gave your room away on your anniversary; that was our "
        "mistake. We have refunded the $289 for the night. We will do everything we can to "
        "prevent similar incidents.\n\nPlease reply with any questions.\n\nKind regards,\n"
        "Tom Reyes"
    )
    found = _ours(body, request, "email")
    assert [(f.rule, f.severity) for f in found] == [("request.vague_prevention", "warning")]


def test_omitted_step_without_a_vague_sentence_goes_at_the_end() -> None:
    request = REQUESTS["outage"]
    body = "Dear Ravi,\n\nWe are sorry the database was down for four hours on 9 June."
    found = [f for f in _ours(body, request, "email") if f.rule == "request.omitted_prevention"]
    assert [(f.start, f.end) for f in found] == [(len(body), len(body))]


def test_no_prevention_required_on_sms() -> None:
    found = _ours("Sorry your box set was six days late.", REQUESTS["parcel"], "sms")
    assert found == []


def test_third_person_fix_addresses_the_reader() -> None:
    text = "The customer's order was late, and we know the customer was upset by it."
    found = _ours(text, REQUESTS["parcel"], "sms")
    fixes = [(f.excerpt, f.fix) for f in found if f.rule == "request.third_person"]
    assert fixes == [
        ("The customer's", Fix(action="replace", text="Your")),
        ("the customer was", Fix(action="replace", text="you were")),
    ]


def test_other_incident_reworded_only_where_this_reads_well() -> None:
    request = REQUESTS["hotel"]
    whole = _ours("We take full responsibility for the delay.", request, "sms")
    assert [(f.excerpt, f.fix) for f in whole] == [
        ("the delay", Fix(action="replace", text="this"))
    ]
    # "sorry for this to your check-in" would not read: the sentence goes instead.
    inside = _ours("We are sorry for the delay to your check-in.", request, "sms")
    assert [(f.excerpt, f.fix) for f in inside] == [("delay", Fix(action="remove_sentence"))]


def test_other_incident_needs_a_request_that_says_what_happened() -> None:
    vague = DraftRequest.model_validate({"incident": {"summary": "A problem occurred."}})
    assert _ours("We take full responsibility for the delay.", vague, "sms") == []


def test_figure_message_quotes_the_request() -> None:
    found = _ours("It was a delay of two weeks.", REQUESTS["parcel"], "sms")
    assert len(found) == 1 and found[0].severity == "error"
    assert '"two weeks"' in found[0].message and '"six days"' in found[0].message


def test_findings_are_in_the_subject_too() -> None:
    report = check(
        "We are sorry the box set arrived six days late.",
        subject="Your two-week delay",
        channel="email",
        context=REQUESTS["parcel"],
    )
    assert [
        (f.field, f.excerpt) for f in report.findings if f.rule == "request.contradicted_figure"
    ] == [("subject", "two-week")]


def test_skipped_without_a_request() -> None:
    report = check("We take full responsibility for the delay. The customer's order was late.")
    assert not [f for f in report.findings if f.rule in RULE_IDS]
    assert set(RULE_IDS) <= set(SKIPPED_WITHOUT_CONTEXT)


def test_invented_step_is_an_error_that_salvage_can_remove() -> None:
    found = _ours(
        "We have added a second host at the door so this does not happen again.",
        REQUESTS["restaurant"],
        "sms",
    )
    assert [(f.rule, f.severity, f.fix) for f in found] == [
        ("request.invented_prevention", "error", Fix(action="remove_sentence"))
    ]
    assert "the request gives none" in found[0].message


def test_reader_as_object_becomes_you() -> None:
    found = _ours("We apologise to the guest for the overbooking.", REQUESTS["hotel"], "sms")
    assert [(f.excerpt, f.fix) for f in found] == [("the guest", Fix(action="replace", text="you"))]


def test_a_remedy_quoted_as_the_caller_wrote_it_is_not_the_third_person() -> None:
    request = REQUESTS["hotel"].model_copy(deep=True)
    request.remedies[0].description = "a call from the manager to hear the guest's account"
    quoted = _ours("We offer a call from the manager to hear the guest's account.", request, "sms")
    assert [f for f in quoted if f.rule == "request.third_person"] == []
    # The same words outside the quoted remedy are still the reader in the third person.
    loose = _ours("We know the guest's evening was spoilt.", request, "sms")
    assert [f.excerpt for f in loose if f.rule == "request.third_person"] == ["the guest's"]


def test_a_change_of_how_we_work_for_an_aim_names_no_invented_step() -> None:
    summary = "We are changing how we work so that this is less likely to happen again."
    assert _ours(summary, REQUESTS["parcel"], "sms") == []
    named = "We have added a camera at the warehouse door so that this does not happen again."
    assert [f.rule for f in _ours(named, REQUESTS["parcel"], "sms")] == [
        "request.invented_prevention"
    ]


def test_a_step_with_no_room_left_on_a_limited_channel_is_a_warning() -> None:
    request = REQUESTS["parcel"].model_copy(deep=True)
    request.prevention[0].description = "a second label check at the packing station " * 8
    body = "Sorry your box set arrived six days late. We refunded the $8.50 delivery charge."
    omitted = [f for f in _ours(body, request, "social") if f.rule == "request.omitted_prevention"]
    assert [f.severity for f in omitted] in ([], ["warning"])
    short = [
        f
        for f in _ours(body, REQUESTS["parcel"], "email")
        if f.rule == "request.omitted_prevention"
    ]
    assert [f.severity for f in short] == ["error"]


BREACH = DraftRequest.model_validate(
    {
        "scenario": "data_breach",
        "audience": "client",
        "channel": "email",
        "recipient": {"name": "Mia Lund"},
        "sender": {"name": "Ola Berg", "organization": "Ledgerwise"},
        "incident": {
            "summary": "An export link with the client's contact list was reachable without a "
            "login for about six hours."
        },
        "remedies": [{"kind": "service", "description": "a year of identity monitoring"}],
        "prevention": [
            {"description": "export links now require a login and expire after 24 hours"},
            {"description": "an independent review of our access controls"},
        ],
    }
)


def _omitted(body: str) -> list[str]:
    found = _ours(body, BREACH, "email")
    return [f.message for f in found if f.rule == "request.omitted_prevention"]


def test_the_incident_retold_does_not_state_a_step_that_repeats_its_words() -> None:
    # "export", "link", "login", "hours" come from the incident; the step's own words
    # ("require", "expire") are what says that something changed.
    body = (
        "Dear Mia,\n\nAn export link with your contact list could be opened without a login for "
        "about six hours. I am sorry. We offer a year of identity monitoring. An independent "
        "review of our access controls is under way.\n\nKind regards,\nOla Berg"
    )
    assert [m for m in _omitted(body) if "export links" in m] != []
    stated = body.replace("under way.", "under way. Export links now require a login.")
    assert _omitted(stated) == []


def test_a_step_told_without_its_qualifier_is_left_out() -> None:
    """ "We have reviewed our access controls" is not the independent review authorised."""
    body = (
        "Dear Mia,\n\nAn export link with your contact list could be opened without a login for "
        "about six hours. I am sorry. We offer a year of identity monitoring. Export links now "
        "require a login and expire after 24 hours. We have reviewed our access controls and "
        "found areas to improve.\n\nKind regards,\nOla Berg"
    )
    assert [m for m in _omitted(body) if "independent review" in m] != []
    assert (
        _omitted(body.replace("We have reviewed", "We have commissioned an independent review of"))
        == []
    )


def test_steps_taken_to_prevent_similar_incidents_is_a_vague_promise() -> None:
    body = (
        "Dear Mia,\n\nAn export link with your contact list could be opened without a login for "
        "about six hours. I am sorry. We offer a year of identity monitoring. We have taken "
        "immediate steps to prevent similar incidents.\n\nKind regards,\nOla Berg"
    )
    found = _ours(body, BREACH, "email")
    vague = [f for f in found if f.rule == "request.vague_prevention"]
    assert [(f.severity, f.fix) for f in vague] == [("error", Fix(action="remove_sentence"))]


def test_responsibility_for_another_incident_mid_sentence_is_reworded() -> None:
    text = (
        "I am sorry we gave your room away, and we take full responsibility for the delay and "
        "are committed to making it right."
    )
    found = [
        f for f in _ours(text, REQUESTS["hotel"], "email") if f.rule == "request.other_incident"
    ]
    assert [(f.excerpt, f.fix) for f in found] == [
        ("the delay", Fix(action="replace", text="this"))
    ]


def test_an_apology_for_another_incident_with_no_safe_rewording_goes_with_its_sentence() -> None:
    text = "I am sorry we gave your room away. We apologise for any delay in your trip."
    found = [
        f for f in _ours(text, REQUESTS["hotel"], "email") if f.rule == "request.other_incident"
    ]
    assert [f.fix for f in found] == [Fix(action="remove_sentence")]


def test_the_requests_headings_copied_into_a_letter_are_an_error() -> None:
    body = (
        "Hi Amira,\n\nWe are sorry we gave your room away.\n\nAuthorised remedies:\n"
        "1. refund: the night's rate - $289 (already done)\n\nPrevention steps:\n"
        "- room allocations are now checked every night\n\nKind regards,\nTom"
    )
    report = check(body, channel="email", context=REQUESTS["hotel"])
    copied = [f for f in report.errors if f.rule == "artefacts.prompt_fields"]
    assert [f.excerpt.strip() for f in copied] == [
        "Authorised remedies:",
        "(already done)",
        "Prevention steps:",
    ]
    # The words in a sentence of the letter are not a heading.
    written = check(
        "Our prevention steps: a nightly check of room allocations.",
        channel="email",
        context=REQUESTS["hotel"],
    )
    assert "artefacts.prompt_fields" not in [f.rule for f in written.findings]
    # Nor the request's own words for what is authorised and for a remedy's status.
    listed = check(
        "I am offering you two authorised remedies: a refund of $289 (already done).",
        channel="email",
        context=REQUESTS["hotel"],
    )
    copied = [f.excerpt.strip() for f in listed.errors if f.rule == "artefacts.prompt_fields"]
    assert copied == ["authorised remedies", "(already done)"]


def test_responsibility_and_a_vague_promise_keeps_the_responsibility() -> None:
    request = REQUESTS["hotel"]
    body = (
        "Dear Amira,\n\nI am sorry we gave your room away on your anniversary. We have "
        "refunded the $289 for the night. We now check room allocations against confirmed "
        "bookings every night. We take full responsibility for this and will do everything "
        "possible to ensure it does not happen again.\n\nPlease reply with any questions.\n\n"
        "Kind regards,\nTom Reyes"
    )
    report = check(body, channel="email", context=request)
    fixed = salvage(None, body, report, request, "email").body
    assert "We take full responsibility for this.\n\nPlease reply" in fixed, fixed
