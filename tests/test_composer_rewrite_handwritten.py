"""Rewrites without `context` of drafts written by hand or by a model, not by the composer
(tests/data/handwritten_drafts.yaml): long paragraphs, lists, a headline line, a greeting
inside the first line, one-paragraph chats, sign-offs with titles. Each rewrite keeps the
draft's facts, fits its target channel in whole sentences, and a public target drops what
was said to one reader."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from contract.catalog import get_catalog
from contract.yaml_files import read_yaml
from service.composer import ComposedDraft
from service.composer.voice import has_contraction
from tests.test_composer_rewrites import count, grade, passes, prose, rewrite

CATALOG = get_catalog()
DATA = Path(__file__).parent / "data" / "handwritten_drafts.yaml"


@cache
def drafts() -> dict[str, tuple[str, ComposedDraft, list[str], list[str]]]:
    """id -> (channel, draft, facts every rewrite keeps, details a public target drops)."""
    raw = read_yaml(DATA, ValueError)
    assert isinstance(raw, list)
    return {
        item["id"]: (
            item["channel"],
            ComposedDraft(subject=item.get("subject"), body=item["body"].strip()),
            item["facts"],
            item["private"],
        )
        for item in raw
    }


def _ends_whole(body: str, channel: str) -> bool:
    if CATALOG.channels[channel].has_signature:
        return True
    return body.rstrip()[-1:] in ".!?"


@pytest.mark.parametrize("target", list(CATALOG.channels))
def test_every_handwritten_draft_converts_to_every_channel(target: str) -> None:
    """No error, whole sentences within the channel's length, every fact kept (a social
    reply's figures go to the direct message), and nothing said to one reader in public."""
    entry = CATALOG.channels[target]
    for case_id, (_, draft, facts, private) in drafts().items():
        out = rewrite(draft, None, channel=target)
        assert _ends_whole(out.body, target), (case_id, out.body)
        if entry.max_chars:
            assert len(out.body) <= entry.max_chars, (case_id, len(out.body), out.body)
        for fact in facts if target != "social" else ():
            # In a text, a date may give way to the apology and the remedies only when the
            # text is full; an amount never does.
            full = entry.max_chars is not None and len(out.body) > 0.75 * entry.max_chars
            if fact[:1].isdigit() and full:
                continue
            assert fact in out.body, (case_id, fact, out.body)
        if entry.public:
            for detail in private:
                assert detail not in f"{out.subject or ''}\n{out.body}", (case_id, out.body)
        assert not re.search(r"\n\s*[-\u2022*]\s|: [A-Z][a-z]+ [a-z]", out.body), out.body


def test_shorten_keeps_every_fact_of_a_handwritten_letter_in_65_percent() -> None:
    """A letter written in long sentences loses its courtesies ("Thank you for taking the
    time to write to us about ..., and"), its asides (", during which period ...") and the
    sentences that carry nothing said nowhere else, and keeps every date and amount."""
    for case_id in ("fence_bullets_letter", "heating_dense_letter", "webinar_numbered_email"):
        channel, draft, facts, _ = drafts()[case_id]
        short = rewrite(draft, None, operation="shorten", channel=channel)
        assert count(short.body) <= 0.65 * count(draft.body), (case_id, short.body)
        for fact in facts:
            assert fact in short.body, (case_id, fact, short.body)
        assert not passes(short, channel, None, draft.body), (case_id, short.body)


def test_shorten_of_a_handwritten_letter_gives_up_courtesies_before_facts() -> None:
    channel, draft, _, _ = drafts()["kitchen_worktop_email"]
    short = rewrite(draft, None, operation="shorten", channel=channel)
    assert "Thank you for taking the time" not in short.body
    assert "I understand that you had taken a day of annual leave" not in short.body
    assert count(short.body) < 0.75 * count(draft.body), short.body
    for kept in ("Friday 24 May between 8am and 10am", "£150", "KW-55817", "01632 960 412"):
        assert kept in short.body, (kept, short.body)


def test_simplify_lowers_a_dense_handwritten_letter_by_two_grades() -> None:
    """Long formal sentences ("I write on behalf of ... to offer our unreserved apology for
    ...", ", during which period ...", ", which consequently ...") are told plainly and
    apart, with every fact; a second "that" clause is never left as a sentence of its own."""
    for case_id in ("heating_dense_letter", "kitchen_worktop_email", "payroll_client_email"):
        channel, draft, facts, _ = drafts()[case_id]
        plain = rewrite(draft, None, operation="simplify", channel=channel)
        assert grade(draft.body) - grade(plain.body) >= 2, (case_id, plain.body)
        for fact in facts:
            assert fact in plain.body, (case_id, fact, plain.body)
        assert not re.search(r"(?:^|[.!?]\s+)That (?:the|your|our)\b", prose(plain.body))
    channel, draft, _, _ = drafts()["heating_dense_letter"]
    plain = rewrite(draft, None, operation="simplify", channel=channel)
    assert "I apologise for the considerable" in plain.body, plain.body
    assert "During that time, your room was without adequate heating" in plain.body


def test_register_changes_on_handwritten_drafts() -> None:
    """more_formal: no contraction of ours and a "Dear" greeting, also where the draft had no
    greeting at all; friendlier: an informal greeting or contraction."""
    for case_id in ("webinar_numbered_email", "leak_no_greeting_letter", "budget_colleague_email"):
        channel, draft, _, _ = drafts()[case_id]
        formal = rewrite(draft, None, operation="more_formal", channel=channel)
        assert formal.body.startswith("Dear "), (case_id, formal.body)
        assert not has_contraction(prose(formal.body)), (case_id, formal.body)
    for case_id in ("heating_dense_letter", "payroll_client_email"):
        channel, draft, _, _ = drafts()[case_id]
        friendly = rewrite(draft, None, operation="friendlier", channel=channel)
        assert friendly.body != draft.body
        assert has_contraction(friendly.body) or friendly.body.startswith("Hi "), friendly.body


def test_a_greeting_inside_the_first_line_is_the_greeting() -> None:
    """A greeting inside the first line ("Hi Marco! Thanks ...", "Hi Priya, sorry ...",
    "@sam_bakes we're so sorry ...") is read as one, so a letter greets the reader on its
    own line, a public text names no one, and no "What happened: Hi Marco." is made of it."""
    _, chat, _, _ = drafts()["double_charge_chat"]
    letter = rewrite(chat, None, channel="letter")
    assert letter.body.startswith("Hi Marco,\n\n") or letter.body.startswith("Dear Marco,\n\n")
    assert "What happened: Hi" not in letter.body
    for case_id in ("double_charge_chat", "pharmacy_sms", "cake_social"):
        _, draft, _, _ = drafts()[case_id]
        public = rewrite(draft, None, channel="public_statement")
        assert not re.search(r"Marco|Priya|@sam_bakes", public.body), public.body
    _, social, _, _ = drafts()["cake_social"]
    email = rewrite(social, None, channel="email")
    assert email.body.startswith("Hello,\n\n"), email.body
    assert not passes(email, "email", None, social.body), email.body


def test_a_list_is_told_in_sentences() -> None:
    """A list: "Here is what we will do:" and its items -> "We will replace ...", "We will refund
    ..."; numbered items that are sentences stand alone; a list in a text is never cut at
    its colon."""
    _, fence, _, _ = drafts()["fence_bullets_letter"]
    email = rewrite(fence, None, channel="email")
    assert "We will replace the two broken fence panels at no cost, on Saturday 15 June." in (
        email.body
    )
    assert "We will refund the £80 skip hire charge." in email.body
    sms = rewrite(fence, None, channel="sms")
    assert not sms.body.rstrip().endswith(":") and "- " not in sms.body, sms.body
    _, webinar, _, _ = drafts()["webinar_numbered_email"]
    letter = rewrite(webinar, None, channel="letter")
    assert "We've added a free seat for you at the next live session on 4 July." in letter.body
    assert "Here's what went wrong and what we've done:" not in letter.body


def test_a_headline_line_is_the_subject() -> None:
    _, parcels, _, _ = drafts()["parcels_bullets_public"]
    email = rewrite(parcels, None, channel="email")
    assert email.subject == "Update on delayed parcels in the North West"
    assert "North West Over" not in email.body and "What happened:" not in email.body
    _, leak, _, private = drafts()["leak_no_greeting_letter"]
    public = rewrite(leak, None, channel="public_statement")
    assert "Re:" not in f"{public.subject}\n{public.body}"
    for detail in private:
        assert detail not in f"{public.subject}\n{public.body}", public
    assert "receipt" not in public.body and "ring" not in public.body, public.body


def test_a_one_paragraph_chat_stays_a_chat_without_a_channel() -> None:
    """A chat written in one paragraph that ends on its question is read as a chat: no
    letter sign-off is added to it."""
    for case_id in ("double_charge_chat", "apartment_model_chat", "broadband_formal_chat"):
        _, draft, _, _ = drafts()[case_id]
        for operation in ("friendlier", "more_formal", "expand"):
            out = rewrite(draft, None, operation=operation)
            assert "Kind regards" not in out.body and out.body.rstrip().endswith("?"), (
                case_id,
                operation,
                out.body,
            )


def test_a_dense_letter_fits_a_text_in_whole_sentences() -> None:
    _, heating, _, _ = drafts()["heating_dense_letter"]
    sms = rewrite(heating, None, channel="sms")
    assert len(sms.body) <= 320 and sms.body.endswith("."), sms.body
    assert "£168" in sms.body and "31 January" in sms.body, sms.body
    assert "Beaumont Hall" in sms.body, sms.body


def test_shorten_keeps_what_happened_and_what_we_did_in_the_writers_words() -> None:
    """Only an apology for nothing named becomes "I am truly sorry."; one that tells what
    happened ("I'm sorry that water came through your bathroom ceiling ...") stays, and
    what the writer did ("I've emailed them the correct version ...") is never made the
    stock ownership line."""
    channel, leak, _, _ = drafts()["leak_no_greeting_letter"]
    short = rewrite(leak, None, operation="shorten", channel=channel)
    assert "water came through your bathroom ceiling on Monday night" in short.body, short.body
    channel, budget, _, _ = drafts()["budget_colleague_email"]
    short = rewrite(budget, None, operation="shorten", channel=channel)
    assert "emailed them the correct version" in short.body, short.body
    assert "I sent the client the draft budget" in short.body, short.body
    assert "what would help most" not in short.body, short.body
