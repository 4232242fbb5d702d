"""Rewrites do what their names say, measured on the messy request set.

`shorten` keeps every commitment in at most 65% of the words; `expand` adds structure (at
least 130% of the words) and no fact; `simplify` lowers the reading grade; `more_formal` and
`friendlier` change the register visibly; a channel conversion fits the target's form and
never stops mid-sentence, and a public target carries no private detail. Without `context`
every source channel converts to every target channel and passes the guardrails' form checks.
"""

from __future__ import annotations

import itertools
import re
import statistics
from functools import cache

import pytest

import guardrails
from contract.catalog import get_catalog
from contract.models import DraftRequest, RewriteRequest
from eval.text_metrics import sentence_count, syllables, words
from guardrails.remedy_status import reference_said
from service.composer import ComposedDraft, DoesNotFit, compose_draft, rewrite_draft
from service.composer.build import amount_said
from service.composer.rewrite import SHORTEN_RATIO
from service.composer.voice import has_contraction
from tests.test_composer_messy import messy
from tests.test_composer_sweep import COMBOS, sweep_request

CATALOG = get_catalog()
LETTERS = ("email", "letter", "public_statement")


def prose(text: str) -> str:
    """The letter's sentences: without the greeting line ("Dear Ella,") and the sign-off
    block ("Kind regards," and the signature lines, or a public statement's name), which
    are not sentences and which no rewrite changes."""
    paragraphs = [p for p in text.strip().split("\n\n") if p.strip()]
    if len(paragraphs) > 1 and "\n" not in paragraphs[0] and paragraphs[0].endswith(","):
        paragraphs = paragraphs[1:]
    last = paragraphs[-1].strip() if paragraphs else ""
    if len(paragraphs) > 1 and not last.splitlines()[0].rstrip().endswith((".", "!", "?")):
        paragraphs = paragraphs[:-1]
    return "\n\n".join(paragraphs)


def grade(text: str) -> float:
    """Flesch-Kincaid grade level of the letter's prose."""
    text = prose(text)
    tokens = words(text)
    per_sentence = len(tokens) / sentence_count(text)
    per_word = sum(syllables(t) for t in tokens) / len(tokens)
    return 0.39 * per_sentence + 11.8 * per_word - 15.59


def count(text: str) -> int:
    return len(text.split())


@cache
def sources() -> list[tuple[str, DraftRequest, ComposedDraft]]:
    """Letters of the messy set on the letter channels, without a word limit."""
    out = []
    for case_id, request in sorted(messy().items()):
        if request.channel in LETTERS:
            request = request.model_copy(update={"max_words": None})
            out.append((case_id, request, compose_draft(request)))
    return out


def rewrite(draft: ComposedDraft, context: DraftRequest | None, **target: str) -> ComposedDraft:
    return rewrite_draft(
        RewriteRequest.model_validate(
            {
                "draft": {"subject": draft.subject, "body": draft.body},
                "context": context.model_dump() if context else None,
                **target,
            }
        )
    )


def stated(fact: str, text: str) -> bool:
    """Whether `text` states a commitment or the reference, as the guardrails read them."""
    low = " ".join(text.lower().split())
    return fact in text or amount_said(fact, text) or reference_said(fact, low)


def commitments(request: DraftRequest) -> list[str]:
    facts = [v for r in request.remedies for v in (r.amount, r.code, r.date) if v]
    if request.incident.reference and not CATALOG.channels[request.channel].public:
        facts.append(request.incident.reference)
    return facts


def passes(
    draft: ComposedDraft, channel: str, context: DraftRequest | None, source: str = ""
) -> list[str]:
    """The guardrail errors of a rewrite, less one known guardrail-side gap: without a
    context, a public text's figure (a date, the business's phone number) that the source
    draft itself carried, which the privacy rule cannot tell from personal data when no
    request says what was supplied."""
    report = guardrails.check(
        draft.body,
        subject=draft.subject,
        channel=channel,
        context=context,
        source=source if context is None and source else None,
    )
    errors = []
    for f in report.errors:
        if context is None and f.rule == "channel.public_personal_data" and f.excerpt in source:
            continue
        errors.append(f"{f.rule} [{f.excerpt}]")
    return errors


def test_shorten_with_context_keeps_every_commitment_in_65_percent() -> None:
    ratios = []
    for case_id, request, draft in sources():
        short = rewrite(draft, request, operation="shorten")
        ratio = count(short.body) / count(draft.body)
        ratios.append(ratio)
        text = f"{short.subject}\n{short.body}"
        assert all(stated(f, text) for f in commitments(request)), (
            case_id,
            short.body,
        )
        assert not passes(short, request.channel, request), (case_id, short.body)
        # Every one within 65%, short letters too: an 86-word letter whose facts take 58
        # words in the short voice (locksmith_overcharge_email, 0.674) is then told in fewer
        # ("From now on, quotes given by phone are locked ...", "We're sorry for our mistake
        # with your job KF/7731: ...") and takes 55.
        assert ratio <= 0.65, (case_id, ratio, short.body)
    assert max(ratios) <= 0.65, max(ratios)


def test_a_short_letter_over_65_percent_is_told_in_fewer_words() -> None:
    """A letter whose facts need more than 65% in the short voice keeps its paragraphs and
    every fact, and says the step and the apology in their tighter tellings."""
    case = next(c for c in sources() if c[0] == "locksmith_overcharge_email")
    _, request, draft = case
    short = rewrite(draft, request, operation="shorten")
    assert count(short.body) / count(draft.body) <= 0.65
    assert "From now on, quotes given by phone are locked into the job sheet." in short.body
    assert "sorry for our mistake with your job KF/7731: our locksmith" in short.body
    assert short.body.startswith("Dear Jordan,\n\n") and short.body.count("\n\n") == 4
    assert all(stated(f, short.body) for f in commitments(request))


def test_shorten_without_context_keeps_every_fact_in_65_percent() -> None:
    """Without the request, a shortened letter drops what carries nothing, then our own
    sentences by the plan's priority (optional ones, strategy lines, then what it meant for
    the reader and the cause), and keeps what happened, every commitment, the reference
    and a promise to write again. Where that is still over 65%, it says its facts in fewer
    words: a step's lead and its "now" as "From now on, ...", our plain invitation ("Any
    questions? Just reply."), and what happened, the apology and the ownership in one
    sentence naming the reader's matter ("We're sorry for our mistake with your job KF/7731:
    our locksmith charged you ..."). Every letter of the messy set is within 65%; three
    were over (0.651, 0.722, 0.744) before those shorter tellings."""
    ratios = []
    for case_id, request, draft in sources():
        short = rewrite(draft, None, operation="shorten", channel=request.channel)
        ratios.append(count(short.body) / count(draft.body))
        text = f"{short.subject}\n{short.body}"
        for fact in commitments(request):
            assert stated(fact, text), (case_id, fact, short.body)
        # What happened is still told in the caller's words.
        head = " ".join(request.incident.summary.split()[1:5])
        assert head not in draft.body or head in short.body, (case_id, short.body)
        for promise in ("write to you again", "share confirmed findings"):
            assert promise not in draft.body or promise in short.body, (case_id, short.body)
        assert not passes(short, request.channel, None, draft.body), (case_id, short.body)
        assert ratios[-1] <= SHORTEN_RATIO, (case_id, ratios[-1], short.body)
    assert statistics.median(ratios) <= 0.63, sorted(ratios)


def test_shorten_without_context_gives_up_the_background_before_the_facts() -> None:
    """Over its budget, a shortened letter loses the strategy line and the background
    (impact, cause) and shortens the invitation and close, never a remedy or a step."""
    request = messy()["school_trip_refund_letter"].model_copy(update={"max_words": None})
    draft = compose_draft(request)
    short = rewrite(draft, None, operation="shorten", channel=request.channel)
    for gone in (
        "Everyone involved is working on the fix together.",
        "I recognise that you have had to chase us three times",
        "Our investigation found that the refund list",
        "and I will respond personally",
    ):
        assert gone in draft.body and gone not in short.body, (gone, short.body)
    for kept in (
        "The refund for the cancelled Year 8 trip to York has still not been paid",
        "We have refunded the full £95 cost of the York trip on 27 November.",
        "£10 credit on your ParentPay account",
        "refunds are now approved by the business manager within five school days",
    ):
        assert kept in short.body, (kept, short.body)
    assert count(short.body) / count(draft.body) <= 0.65


@pytest.mark.parametrize("with_context", [True, False])
def test_expand_adds_structure_not_facts(with_context: bool) -> None:
    for case_id, request, draft in sources():
        context = request if with_context else None
        long = rewrite(draft, context, operation="expand", channel=request.channel)
        assert count(long.body) >= 1.3 * count(draft.body), (case_id, long.body)
        source_digits = set(re.findall(r"\d+", f"{draft.subject}\n{draft.body}"))
        allowed = source_digits | set(re.findall(r"\d+", request.model_dump_json()))
        assert set(re.findall(r"\d+", long.body)) <= allowed, case_id
        assert not passes(long, request.channel, context, draft.body), (case_id, long.body)


@pytest.mark.parametrize("operation", ["shorten", "expand"])
def test_a_rewrite_keeps_within_the_requests_max_words(operation: str) -> None:
    """The request's `max_words` is a hard limit on a rewrite too: a shortened letter whose
    facts need more than 65% of the words, or an expanded one, stays within it (or is
    refused, 422, where the facts alone are longer: 14 of 115 at 100 words). At 100 words,
    those 14 shortened letters and every expanded one were over it before."""
    refused = 0
    for case_id, request, draft in sources():
        context = request.model_copy(update={"max_words": 100})
        try:
            out = rewrite(draft, context, operation=operation)
        except DoesNotFit:
            refused += 1
            continue
        assert count(out.body) <= 100, (case_id, count(out.body), out.body)
        text = f"{out.subject}\n{out.body}"
        assert all(stated(f, text) for f in commitments(request)), (case_id, out.body)
    assert refused < len(sources()) / 2, refused


def simplified(request: DraftRequest) -> tuple[ComposedDraft, ComposedDraft]:
    """A formal letter for the request and its `simplify` rewrite (with the request)."""
    formal = request.model_copy(update={"tone": "formal", "max_words": None})
    draft = compose_draft(formal)
    return draft, rewrite(draft, formal, operation="simplify")


def test_simplify_lowers_the_reading_grade_of_every_messy_letter_by_two() -> None:
    """Plain wording of ours (short signposts, "Any questions? Just reply.", "Why did this
    happen?" before the cause, "We would like to give you ..." for an offer), the caller's
    background in everyday words, joined clauses split (a second action of the same
    subject, a second "because", "although"): at least two grades lower for every letter
    of the messy set, with every commitment kept and the guardrails passing. Three fell
    short before the cause and the offer had their plain wordings (1.72, 1.84, 1.98)."""
    for case_id, request, _ in sources():
        draft, plain = simplified(request)
        drop = grade(draft.body) - grade(plain.body)
        assert drop >= 2.0, (case_id, round(drop, 2), plain.body)
        text = f"{plain.subject}\n{plain.body}"
        assert all(stated(f, text) for f in commitments(request)), case_id
        assert not passes(plain, request.channel, request), (case_id, plain.body)


def test_simplify_lowers_the_reading_grade_across_the_catalog_sweep() -> None:
    """The sweep's caller phrases are dense on purpose ("a configuration change in our
    order-routing system", "an automated alert", "the escalation rota") and its remedies
    and steps are commitments that keep their words, so a few letters have less than two
    grades of our own wording to lose: every letter drops at least one grade, nine in ten
    at least two, and the mean is well over two."""
    drops = []
    for combo in COMBOS:
        request = sweep_request(*combo)
        if request.channel not in LETTERS:
            continue
        draft, plain = simplified(request)
        drops.append(grade(draft.body) - grade(plain.body))
        assert drops[-1] >= 1.0, (combo, round(drops[-1], 2), plain.body)
    assert sum(d >= 2 for d in drops) >= 0.9 * len(drops), sorted(drops)[:40]
    assert statistics.mean(drops) >= 2.5, statistics.mean(drops)


def test_simplify_without_context_lowers_a_dense_letter_by_two_grades() -> None:
    dense = (
        "Dear Ms Alvarez,\n\nI write regarding the additional charges applied to your account, "
        "which we subsequently identified as erroneous; please accept my sincere apologies for "
        "the inconvenience this has caused, and for the delay in our response. Our "
        "investigation established that a configuration error, introduced during scheduled "
        "maintenance, resulted in duplicate processing, and we have consequently refunded "
        "£48.20 to your account. To ensure that this does not recur, we have additionally "
        "implemented an automated verification step prior to every billing cycle. Should you "
        "require further assistance, please do not hesitate to contact me directly.\n\n"
        "Kind regards,\nRuth Amari"
    )
    draft = ComposedDraft(subject=None, body=dense)
    plain = rewrite(draft, None, operation="simplify", channel="letter")
    assert grade(dense) - grade(plain.body) >= 2, (grade(dense), grade(plain.body), plain.body)
    assert "£48.20" in plain.body


def ours(text: str, request: DraftRequest) -> str:
    """The text without the sentences that carry the caller's own phrases (which keep their
    own contractions): those sharing four words in a row with a caller phrase."""
    inc = request.incident
    phrases = [inc.summary, inc.cause or "", inc.impact or ""]
    phrases += [r.description for r in request.remedies]
    phrases += [p.description for p in request.prevention]
    grams = set()
    for phrase in phrases:
        w = re.findall(r"[a-z0-9]+", phrase.lower())
        grams |= {tuple(w[i : i + 4]) for i in range(len(w) - 3)}

    def caller(sentence: str) -> bool:
        w = re.findall(r"[a-z0-9]+", sentence.lower())
        return any(tuple(w[i : i + 4]) in grams for i in range(len(w) - 3))

    kept = [s for s in re.split(r"(?<=[.!?])\s+", text) if not caller(s)]
    return " ".join(kept)


def test_register_changes_are_visible() -> None:
    for case_id, request, _ in sources():
        if request.channel == "public_statement":
            continue
        warm = request.model_copy(update={"tone": "warm"})
        draft = compose_draft(warm)
        formal = rewrite(draft, warm, operation="more_formal")
        assert not has_contraction(ours(formal.body, request)), (case_id, formal.body)
        assert formal.body.startswith("Dear"), (case_id, formal.body)
        stiff = request.model_copy(update={"tone": "formal"})
        friendly = rewrite(compose_draft(stiff), stiff, operation="friendlier")
        assert has_contraction(friendly.body), (case_id, friendly.body)
        assert friendly.body != compose_draft(stiff).body
        # An email greets informally, an organisation too ("Hi Halden & Moss LLP team,",
        # where 4 kept "Dear ... team,"); a printed letter keeps its conventional "Dear".
        if request.channel != "letter":
            assert not friendly.body.startswith("Dear"), (case_id, friendly.body)
        plain_formal = rewrite(draft, None, operation="more_formal", channel=request.channel)
        assert not has_contraction(ours(plain_formal.body, request)), plain_formal.body


def test_friendlier_greets_alike_with_and_without_context() -> None:
    """A printed letter made friendlier keeps its "Dear ..." by either route; an email
    made friendlier without context greets everyone the letter greeted ("Hi Chloe and Sam,",
    "Hi Halden & Moss LLP team,", never "Hi Chloe," or "Hi Halden,")."""
    differ = []
    for case_id, request, draft in sources():
        if request.channel not in ("letter", "email"):
            continue
        first = draft.body.split("\n", 1)[0]
        plain = rewrite(draft, None, operation="friendlier").body.split("\n", 1)[0]
        if request.channel == "letter":
            told = rewrite(draft, request, operation="friendlier").body.split("\n", 1)[0]
            if plain != told:
                differ.append((case_id, told, plain))
        elif (
            re.search(r"&| and |team,$|family,$", first)
            and plain.split()[1:] != (first.split()[1:])
        ):
            differ.append((case_id, first, plain))
    assert not differ, differ


def test_a_tone_change_alters_the_register() -> None:
    for case_id, request, _ in sources():
        warm = request.model_copy(update={"tone": "warm"})
        draft = compose_draft(warm)
        formal = rewrite(draft, warm, tone="formal")
        assert has_contraction(draft.body), case_id
        assert not has_contraction(ours(formal.body, request)), (case_id, formal.body)


_PRIVATE = re.compile(r"[$€£¥]\s?\d|\d\s?%")


@pytest.mark.parametrize("source_channel", sorted(CATALOG.channels))
@pytest.mark.parametrize("target_channel", sorted(CATALOG.channels))
def test_every_channel_converts_to_every_channel_without_context(
    source_channel: str, target_channel: str
) -> None:
    target = CATALOG.channels[target_channel]
    for case_id in ("furniture_damaged_sofa", "hospital_billing_collections", "gym_cancel_fees"):
        request = messy()[case_id].model_copy(update={"channel": source_channel, "max_words": None})
        try:
            draft = compose_draft(request)
        except DoesNotFit:
            continue  # this request's facts do not fit the source channel (422 there)
        out = rewrite(draft, None, channel=target_channel)
        assert not passes(out, target_channel, None, draft.body), (case_id, out.body)
        if target.max_chars is not None:
            assert len(out.body) <= target.max_chars, (case_id, out.body)
        last = re.sub(r"\s+- [^.!?]+$", "", out.body.rstrip())
        assert last[-1:] in ".!?" or target.has_signature, (case_id, out.body)
        if target.public:
            name = request.recipient.name or "@@"
            reference = request.incident.reference or "@@"
            assert name.split()[-1] not in out.body and reference not in out.body, out.body
        if target_channel == "social":
            assert not _PRIVATE.search(out.body), out.body


@pytest.mark.parametrize("target_channel", ["sms", "social", "chat", "public_statement"])
def test_conversions_with_context_fit_the_target(target_channel: str) -> None:
    target = CATALOG.channels[target_channel]
    refused = 0
    for case_id, request, draft in sources():
        try:
            out = rewrite(draft, request, channel=target_channel)
        except DoesNotFit:
            refused += 1  # facts longer than the channel allows: 422, never a cut sentence
            continue
        if target.max_chars is not None:
            assert len(out.body) <= target.max_chars, (case_id, out.body)
        assert out.body.rstrip()[-1:] in ".!?" or target.has_signature or "- " in out.body
        assert not passes(
            out, target_channel, request.model_copy(update={"channel": target_channel})
        ), (case_id, out.body)


@pytest.mark.parametrize("with_context", [True, False])
def test_a_public_target_does_not_retell_one_readers_numbered_case(with_context: bool) -> None:
    """A letter about one reader's account, booking or case, made a public statement: no
    sentence naming "your account 4410-2291" or "reference #LB-20931" is carried over."""
    cases = messy()
    for case_id in ("online_course_certificate_chat", "utility_estimated_bill"):
        request = cases[case_id].model_copy(update={"max_words": None})
        draft = compose_draft(request)
        public = rewrite(draft, request if with_context else None, channel="public_statement")
        assert not re.search(r"\b[Yy]our\s+(?:[a-z]+\s+){0,2}#?[A-Z0-9]*\d", public.body), (
            case_id,
            public.body,
        )
        assert "#LB-20931" not in public.body and "4410-2291" not in public.body, public.body


def test_a_public_target_without_context_drops_the_reference_however_it_is_written() -> None:
    """References with spaces, slashes or a label ("PCN 004-88213", "INV 2026/0917",
    "tenancy OAK/2291/B", "applicant 2026-11873") are one reader's case: no public statement
    or social reply made from a letter without its request carries one."""
    leaks = []
    for case_id, request, draft in sources():
        reference = request.incident.reference
        if request.channel == "public_statement" or not reference:
            continue
        for target in ("public_statement", "social"):
            out = rewrite(draft, None, channel=target)
            if reference in out.body:
                leaks.append((case_id, target, reference))
    assert not leaks, leaks


_OTHER_CHANNEL = re.compile(r"\bthis (?:email|letter)\b|\bwrite back\b", re.IGNORECASE)


def test_a_public_target_without_context_keeps_no_private_remedy_figure_or_reply_line() -> None:
    """Made from a letter to one reader without its request: a social reply says a remedy
    without its figure ("a voucher", not "a voucher for 1 month"; not "(1,000)" after a
    released payout); a public statement has no email to reply to and speaks of members or
    customers, not "your members"."""
    found = []
    for case_id, request, draft in sources():
        if request.channel == "public_statement":
            continue
        social = rewrite(draft, None, channel="social").body
        for remedy in request.remedies:
            figure = remedy.amount  # a figure, not a word ("full refund")
            if (
                figure
                and re.search(r"\d", figure)
                and re.search(rf"(?<![\w.,]){re.escape(figure)}(?![\w,])", social)
            ):
                found.append((case_id, "social", figure))
        public = rewrite(draft, None, channel="public_statement").body
        for leak in _OTHER_CHANNEL.findall(public) + re.findall(r"\b[Yy]our members\b", public):
            found.append((case_id, "public_statement", leak))
    assert not found, found


def test_a_public_statement_keeps_the_code_it_gives_everyone() -> None:
    """A statement written to everyone ("We'd like to offer everyone affected 25% off your
    next rental. The code to use is ROLLO25.") is not one reader's letter: shortened or
    converted again without its request, it keeps the code and stays a public statement."""
    lost = []
    for case_id, request in sorted(messy().items()):
        codes = [r.code for r in request.remedies if r.code]
        if not codes:
            continue
        public = request.model_copy(update={"channel": "public_statement", "max_words": None})
        draft = compose_draft(public)
        for target in ({"operation": "shorten"}, {"channel": "public_statement"}):
            out = rewrite(draft, None, **target)
            missing = [c for c in codes if c in draft.body and c not in out.body]
            if missing or out.body.startswith(("Hello", "Dear")) or "regards," in out.body:
                lost.append((case_id, target, out.body))
    assert not lost, lost


def test_a_text_or_chat_rewritten_without_context_offers_nothing_new() -> None:
    """A text or a chat whose remedy is told in words the form checks do not read as
    amends ("We'll have the engineer back with the part by 10am tomorrow.", "To set this
    right, a truck will collect them"), rewritten without its request: the remedy is led
    "To make amends, ...", never followed by a generic offer nobody made; a chat ends on
    its one closing question, with no "Please reply ..." before it; a text's "About your
    job 4471-H: ..." is not told as "What happened: About ..."."""
    found = []
    for case_id, request in sorted(messy().items()):
        if request.channel not in ("sms", "chat") or not request.remedies:
            continue
        request = request.model_copy(update={"max_words": None})
        draft = compose_draft(request)
        for operation in ("more_formal", "shorten"):
            out = rewrite(draft, None, operation=operation).body
            if "what would help most" in out or "What happened: About" in out:
                found.append((case_id, operation, out))
            if request.channel == "chat" and re.search(r"\b(?:Please|Just) reply\b", out):
                found.append((case_id, operation, out))
    assert not found, found


_APOLOGY = re.compile(
    r"^(?:(?:I|We)(?:'m| am|'re| are) (?:\w+ )?sorry\b|(?:I|We) (?:\w+ )?apologi[sz]e\b|"
    r"Please accept (?:my|our) (?:\w+ )?apologies\b)"
)
"""A sentence that is an apology (not "I've called the customer to apologise")."""


def test_a_rewrite_without_context_apologises_once_and_invites_as_its_channel_does() -> None:
    """What the letter meant for the reader, told with "that's the part of this I regret
    most", is not made a second apology ("I am truly sorry. I'm sorry we let you down.") by
    a shortened letter or a social reply; a social reply's "send us a direct message" is
    not carried into an email, a letter or a text made from it."""
    found = []
    for case_id, _, draft in sources():
        for target in ({"operation": "shorten"}, {"channel": "social"}):
            said = re.split(r"(?<=[.!?])\s+", " ".join(rewrite(draft, None, **target).body.split()))
            twice = [
                (a, b)
                for a, b in itertools.pairwise(said)
                if _APOLOGY.search(a) and _APOLOGY.search(b)
            ]
            if twice:
                found.append((case_id, target, twice))
    for case_id, request in sorted(messy().items()):
        if request.channel != "social":
            continue
        draft = compose_draft(request.model_copy(update={"max_words": None}))
        for channel in ("email", "letter", "sms", "chat"):
            out = rewrite(draft, None, channel=channel).body
            if re.search(r"direct message|message us", out, re.IGNORECASE):
                found.append((case_id, channel, out))
    assert not found, found


# --- round 11: the twelve newest messy requests, every channel as a source -----------------

ROUND_11 = (
    "vet_reminder_after_pet_died_letter",
    "car_rental_deposit_kept_chat",
    "ticketing_presale_crash_public",
    "payroll_wrong_tax_code_client",
    "courier_marked_delivered_email",
    "hotel_spa_reaction_email",
    "registrar_wrong_transcript_letter",
    "council_referral_stuck_colleague",
)


def test_simplify_without_context_uses_the_plain_wording_of_our_own_sentences() -> None:
    """Without the request, our own sentences are still ours: each is read back against the
    phrase bank and takes its part's plain variant ("Please accept my sincere apologies." ->
    "I am sorry."), which lowers the reading grade of every letter; the median drop is over
    one grade (it was under one when only words were swapped)."""
    drops = []
    for case_id in ROUND_11:
        request = messy()[case_id].model_copy(update={"max_words": None})
        draft = compose_draft(request)
        plain = rewrite(draft, None, operation="simplify", channel=request.channel)
        drops.append(grade(draft.body) - grade(plain.body))
        assert drops[-1] > 0, (case_id, plain.body)
        text = f"{plain.subject}\n{plain.body}"
        assert all(stated(f, text) for f in commitments(request)), (case_id, plain.body)
    assert statistics.median(drops) >= 1.2, sorted(drops)
    formal = ComposedDraft(
        subject=None,
        body="Dear Ms Vidal,\n\nPlease accept my sincere apologies. We accept full "
        "responsibility for this.\n\nKind regards,\nÉlodie",
    )
    plain = rewrite(formal, None, operation="simplify", channel="letter")
    assert "Please accept my sincere apologies" not in plain.body, plain.body


def test_shorten_without_context_says_the_same_commitments_in_fewer_words() -> None:
    ratios = []
    for case_id in ROUND_11:
        request = messy()[case_id].model_copy(update={"max_words": None})
        draft = compose_draft(request)
        short = rewrite(draft, None, operation="shorten", channel=request.channel)
        ratios.append(count(short.body) / count(draft.body))
        text = f"{short.subject}\n{short.body}"
        assert all(stated(f, text) for f in commitments(request)), (case_id, short.body)
        # What happened is still told: the summary's own words survive.
        head = " ".join(request.incident.summary.split()[1:5])
        assert head in short.body, (case_id, short.body)
    assert statistics.median(ratios) <= 0.65 and max(ratios) <= 0.85, sorted(ratios)


@pytest.mark.parametrize("case_id", ROUND_11)
def test_a_short_public_reply_without_context_tells_what_happened_and_what_we_do(
    case_id: str,
) -> None:
    """A letter made a social reply with no request: what happened (its counts and times
    kept, its amounts dropped), sorry, what we did or offer where it fits, a direct-message
    invitation; within 280 characters, never stopping mid-sentence."""
    request = messy()[case_id].model_copy(update={"max_words": None})
    draft = compose_draft(request)
    for target in ("social", "sms"):
        out = rewrite(draft, None, channel=target)
        limit = CATALOG.channels[target].max_chars
        assert limit is not None and len(out.body) <= limit, (case_id, target, out.body)
        assert re.sub(r"\s+- [^.!?]+$", "", out.body.rstrip())[-1:] in ".!?", out.body
        assert not passes(out, target, None, draft.body), (case_id, target, out.body)
    social = rewrite(draft, None, channel="social").body
    assert not re.search(r"[$€£¥]\s?\d|\d\s?[$%]|CHF|\bI\b", social), social
    assert "message us" in social.lower() or "direct message" in social.lower(), social


def _remedies_left_out(request: DraftRequest, text: str) -> list[str]:
    """The remedies whose words (the first three long ones), amount or code `text` lacks."""
    low = text.lower()
    missing = []
    for remedy in request.remedies:
        head = re.findall(r"[a-z]{4,}", remedy.description.lower())[:3]
        if head and not all(w in low for w in head):
            missing.append(remedy.description)
        missing += [v for v in (remedy.amount, remedy.code) if v and not stated(v, text)]
    return missing


def test_a_text_made_from_a_letter_keeps_a_second_remedy() -> None:
    """ "In addition, we will cover the recovery invoice (£180)." is what the reader gets:
    in a text message made without the request it outlives the impact ("on the M4" is no
    code)."""
    request = messy()["car_dealer_service_wrong_oil_email"].model_copy(update={"max_words": None})
    draft = compose_draft(request)
    sms = rewrite(draft, None, channel="sms")
    assert "we will cover the recovery invoice (£180)." in sms.body, sms.body
    assert "full oil flush and engine check" in sms.body, sms.body
    assert len(sms.body) <= 320 and not passes(sms, "sms", None, draft.body), sms.body


def test_a_text_made_from_a_letter_tells_what_happened_not_the_cause_before_remedies() -> None:
    """The school's letter opens on what happened ("The refunds for the cancelled Year 6
    trip ... still haven't been paid"), then tells the cause ("What happened is that ...").
    Its text tells the first and keeps both remedies; the cause gives way."""
    request = messy()["school_trip_refund_email"].model_copy(update={"max_words": None})
    sms = rewrite(compose_draft(request), None, channel="sms").body
    assert sms.startswith("What happened: the refunds for the cancelled Year 6 trip"), sms
    assert "£38 trip payment" in sms and "rearranged trip in the summer term" in sms, sms
    assert "coach company" not in sms and len(sms) <= 320, sms


def test_texts_made_from_letters_keep_their_remedies() -> None:
    """Every remedy of a letter survives its conversion to a text message where the 320
    characters allow: a remedy outranks our background lines and a prevention step, and a
    remedy too long for the text keeps its first clause and its amount. Of the 84 messy
    letters, 44 texts lost a remedy or its figure before; 11 do now, each for want of room
    (three remedies beside a long summary); none is over 320 characters (one was). The set
    has 92 letters since the wedding-invitation case joined it with three remedies beside a
    long summary: 12 of 92. A remedy now outranks a step's result and an ownership line
    naming the reference; the opening and what happened are told in one sentence, and in
    its opening alone where that leaves room for a remedy; a remedy in the caller's words
    after ours ("Every child keeps their place ...") is one. 4 of 92 now, each for want of
    room (three remedies, or a public statement's long summary). 5 of 108 since stop 28's
    twelve joined: school_trip_refund_email's cause ("What happened is that the coach
    company's refund reached ...") was read as the acknowledgment and outranked its
    remedies; its first sentence is now what happened, though it names the refunds, and a
    planned remedy drops "and let you know once it's done" for room: 4 of 108. 3 since an
    apology alone ("We are truly sorry.") may say "We are sorry." to make room for a remedy
    (airline_lost_wheelchair_public's second remedy missed by 2 characters). None since
    what happened may be told in its first clause ("the presale queue failed for 47
    minutes on Tuesday", its "and some fans were charged ..." giving way), a remedy
    without its "also", and "We're sorry we let you down." as "We're sorry." in a text,
    which asks for no ownership."""
    lost = []
    for case_id, request, draft in sources():
        sms = rewrite(draft, None, channel="sms")
        assert len(sms.body) <= 320, (case_id, sms.body)
        if _remedies_left_out(request, sms.body):
            lost.append((case_id, sms.body))
    assert not lost, lost


def test_every_letter_converts_to_a_text_and_a_public_reply_that_pass() -> None:
    """Each of the 84 messy letters made a text message and a social reply without the
    request: within the limit, and passing the guardrails' checks (6 social replies and
    one text failed them: no ownership once an apology that owned the failure was cut to
    "We are truly sorry.", no acknowledgment cue, 350 characters)."""
    for case_id, _request, draft in sources():
        for target in ("sms", "social"):
            out = rewrite(draft, None, channel=target)
            limit = CATALOG.channels[target].max_chars
            assert limit is not None and len(out.body) <= limit, (case_id, target, out.body)
            assert not passes(out, target, None, draft.body), (case_id, target, out.body)


def test_a_remedy_too_long_for_a_text_keeps_its_first_clause_and_amount() -> None:
    request = messy()["courier_lost_parcel_letter_long_remedy"]
    draft = compose_draft(request.model_copy(update={"max_words": None}))
    sms = rewrite(draft, None, channel="sms")
    assert len(sms.body) <= 320, sms.body
    assert sms.body.endswith(
        "we have refunded the full declared value of the print and the postage, as set out "
        "in the claim you submitted on 2 September. The amount refunded is £312.40."
    ), sms.body
    assert not passes(sms, "sms", None, draft.body), sms.body


def test_shorten_without_context_keeps_a_remedy_worded_as_our_action() -> None:
    """ "We have removed Biscuit from every mailing list we hold." carries no amends cue,
    but it is a remedy as the letter words one: a shortened letter keeps it."""
    source, short = _short_no_context("vet_reminder_after_pet_died_letter")
    kept = "We have removed Biscuit from every mailing list we hold."
    assert kept in source.body and kept in short.body, short.body
    assert count(short.body) / count(source.body) <= 0.65


def test_a_rewrite_without_context_names_what_happened_in_one_sentence() -> None:
    """Where the draft's own words carry no acknowledgment cue the guardrails can read
    without the request, the story is led in with it ("I am writing about what happened:
    we sent ..."), not preceded by a stock sentence (10 of the 84 letters were)."""
    stock = ("I am writing about what happened. ", "We are writing about what happened. ")
    for case_id, request, draft in sources():
        out = rewrite(draft, None, channel=request.channel)
        assert not any(s in out.body for s in stock), (case_id, out.body)
    request = messy()["vet_reminder_after_pet_died_letter"].model_copy(update={"max_words": None})
    draft = compose_draft(request)
    out = rewrite(draft, None, channel="letter")
    assert "I am writing about what happened: we sent a booster vaccination reminder" in out.body
    assert not passes(out, "letter", None, draft.body), out.body


def test_a_rewrite_of_a_letter_without_a_step_promises_no_change() -> None:
    """A rewrite adds no facts: a letter with no prevention step is rewritten without one,
    neither a change nobody authorised ("the right safeguards") nor a review nobody said was
    under way ("We are reviewing what led to this."). Checked without context, the rewrite is
    not asked for the step its source did not have; a letter checked on its own still is."""
    for case_id in ("insurance_claim_delay_cautious", "optician_wrong_lenses_letter"):
        request = messy()[case_id].model_copy(update={"max_words": None})
        assert not request.prevention
        draft = compose_draft(request)
        for operation in ("none", "shorten", "expand"):
            out = rewrite(draft, None, operation=operation, channel=request.channel)
            assert "reviewing what led" not in out.body, out.body
            assert "safeguard" not in out.body, out.body
            assert not passes(out, request.channel, None, draft.body), (operation, out.body)
            alone = guardrails.check(out.body, subject=out.subject, channel=request.channel)
            assert "elements.missing" in {f.rule for f in alone.errors}, operation
    # A source that has a step keeps it, and its rewrite is still asked for one.
    request = messy()["vet_reminder_after_pet_died_letter"].model_copy(update={"max_words": None})
    if request.prevention:
        draft = compose_draft(request)
        out = rewrite(draft, None, operation="shorten", channel=request.channel)
        report = guardrails.check(out.body, channel=request.channel, source=draft.body)
        assert next(e for e in report.elements if e.element == "prevention").required


def test_a_chat_made_from_a_formal_letter_greets_as_a_chat() -> None:
    request = messy()["registrar_wrong_transcript_letter"].model_copy(update={"max_words": None})
    out = rewrite(compose_draft(request), None, channel="chat")
    assert not out.body.startswith("Dear"), out.body
    assert not passes(out, "chat", None, compose_draft(request).body), out.body


# --- shorten without context: commitments (round 11b) ----------------------------------------


def _short_no_context(case_id: str) -> tuple[ComposedDraft, ComposedDraft]:
    request = messy()[case_id].model_copy(update={"max_words": None})
    source = compose_draft(request)
    short = rewrite(source, None, operation="shorten", channel=request.channel)
    assert not passes(short, request.channel, None, source.body), short.body
    return source, short


@pytest.mark.parametrize(
    ("case_id", "kept"),
    [
        # A prevention step with no figure is a commitment too, where something else can go.
        ("movers_four_hours_late_sms", ["15 percent off", "no longer book a crew"]),
        (
            "registrar_wrong_transcript_letter",
            ["corrected transcript has been sent", "£15", "resit marks are now checked"],
        ),
        ("ticketing_presale_crash_public", ["second presale window", "load-testing the queue"]),
    ],
)
def test_shorten_without_context_keeps_every_remedy_and_step(case_id: str, kept: list[str]) -> None:
    source, short = _short_no_context(case_id)
    for words_ in kept:
        assert words_ in short.body, short.body
    assert count(short.body) < count(source.body)


def test_shorten_without_context_closes_in_its_short_form() -> None:
    """The strategy's long close ("Thank you for the chance to put this right; it matters
    to us.") takes its short form in a shortened letter ("Thank you."), or gives way to the
    sign-off ("Kind regards,"), which closes the letter, where the words are needed."""
    source, short = _short_no_context("registrar_wrong_transcript_letter")
    assert "Thank you for the chance" in source.body
    assert "Thank you for the chance" not in short.body
    assert "Thank you." in short.body or "\n\nKind regards," in short.body
    assert count(short.body) / count(source.body) <= 0.76


@pytest.mark.parametrize(
    "case_id", ["library_holds_cancelled_social", "streaming_kids_trailer_social"]
)
def test_a_shortened_social_reply_keeps_what_happened_and_is_shorter(case_id: str) -> None:
    """A social reply already near its minimum: the apology that tells what happened keeps
    its story (never swapped for a bare "We are truly sorry."), and the reply gets shorter."""
    request = messy()[case_id]
    source, short = _short_no_context(case_id)
    story = " ".join(request.incident.summary.rstrip(".").split()[-4:])
    assert story in short.body, short.body
    assert count(short.body) < count(source.body)


def test_shorten_without_context_drops_our_filler_around_steps_and_plans() -> None:
    """Over its budget, a step that says it changes on its own loses its lead ("To prevent
    a repeat,"), and a planned remedy its "and let you know once it is done"."""
    for case_id, kept, gone in (
        ("bank_card_blocked_colleague", "Every block change now goes", "To prevent a repeat"),
        ("school_trip_refund_email", "We'll also organise a rearranged trip", "let you know"),
    ):
        request = messy()[case_id].model_copy(update={"max_words": None})
        draft = compose_draft(request)
        short = rewrite(draft, None, operation="shorten", channel=request.channel)
        assert kept in short.body and gone not in short.body, (case_id, short.body)
        assert count(short.body) / count(draft.body) <= 0.69, (case_id, short.body)


def test_a_text_keeps_a_remedys_date_with_the_remedy_and_offers_in_few_words() -> None:
    """A remedy's date told after it ("We'll do this on 21 November.") goes with its remedy
    or not at all; an offer's long lead ("Here's what we'd like to offer you:") is "On
    offer:" in a text, so the choir's text keeps both its refund and its free tickets."""
    letters = {case_id: draft for case_id, _, draft in sources()}
    sms = rewrite(letters["airline_lost_wheelchair_public"], None, channel="sms").body
    assert "21 November" not in sms or "disability groups" in sms, sms
    sms = rewrite(letters["community_choir_concert_public"], None, channel="sms").body
    assert "refund every ticket" in sms and "On offer: two free tickets" in sms, sms


def test_a_conversion_whose_drafted_text_fails_uses_the_callers_draft(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With context, a conversion is drafted afresh from the facts; where that text fails the
    guardrails (here: a stand-in that says only sorry), the caller's own draft laid out for
    the channel is sent instead, when it passes and keeps every remedy's figure."""
    import service.composer.rewrite as rewrite_module

    request = messy()["school_trip_refund_letter"].model_copy(update={"max_words": None})
    draft = compose_draft(request)
    monkeypatch.setattr(
        rewrite_module, "_compose_for", lambda *_: ComposedDraft(subject=None, body="Sorry.")
    )
    text = rewrite(draft, request, channel="sms")
    sms = request.model_copy(update={"channel": "sms"})
    assert text.body != "Sorry." and not passes(text, "sms", sms), text.body
    assert all(stated(f, text.body) for f in commitments(sms)), text.body
