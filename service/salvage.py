"""Salvage: apply the guardrails' safe mechanical fixes to a model's letter before any re-ask.

A small model rarely fixes what it is told, and a re-ask costs a full model call; most of what
the guardrails flag has a safe edit (`Finding.fix`): reword a span, drop a sentence carrying
an unsupported figure, a hedge or an unfilled slot, or insert a missing caller fact or
element. A template slot that names a caller fact ("[Your Name]", "[Company]") is filled
from the request instead. The inserted sentence is the composer's (`fact_sentence`), built
only from the request, and goes where a reader expects it: a remedy after the letter's
amends (else its apology), a prevention step after the remedies; the reference, an apology
or the ownership line near the start; a greeting first; an invitation or a close before the
sign-off; a signature last; a subject line in the subject. Every edit is returned as a
`SalvageEdit` so a reviewer sees what the service changed. Findings without a fix, or whose
fix cannot be applied, are left for the re-ask.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from contract.catalog import get_catalog
from contract.models import DraftRequest, SalvageEdit
from contract.report import Finding, GuardrailReport
from guardrails.channel import LENGTH_RULE
from guardrails.commitments import own_stems, says_own_words
from guardrails.remedy_status import OMITTED_REFERENCE
from guardrails.supplied import Supplied, stems
from service.composer import fact_sentence
from service.composer.build import when

# The end of a sentence: terminal punctuation (and closing quotes or brackets) before
# whitespace or the end of the text. "$8.50" and "e.g.," do not end one.
_SENTENCE_END = re.compile(r"[.!?]+[\"'’”)\]]*(?=\s|$)")
_ADDRESS = re.compile(r"\S+@\S+\.\w+|https?://\S+|www\.\S+")
_NUMBER = re.compile(r"\d+")
_THIRD = re.compile(r"\b(?:he|she|they|him|her|them|his|hers|their|theirs)\b", re.IGNORECASE)
_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
# Anchors, in order of preference, after whose sentence a missing fact is inserted.
_AFTER: dict[str, tuple[str, ...]] = {
    "remedy": ("amends", "regret", "responsibility", "acknowledgment"),
    # A step says what changes: after the amends, else before the invitation (see
    # `_before_invitation`), never straight after the greeting or the apology.
    "prevention": ("prevention", "amends"),
    "regret": ("acknowledgment",),
    "responsibility": ("regret", "acknowledgment"),
    # What the incident meant for the reader: after the apology that named it.
    "impact": ("regret", "acknowledgment"),
}
# Facts that open a letter: without their anchor they go just after the greeting.
_OPENING = frozenset({"reference", "acknowledgment", "regret", "responsibility", "impact"})


# A sign-off with nothing after it, at the very end of a letter: "Best regards," once the
# line with the name is gone.
_DANGLING_CLOSE = re.compile(
    r"(?:(?<=[.!?])|(?<=\A)|(?<=\s))\s*(?:(?:best|kind|warm|warmest|with\s+(?:best|kind|warm))\s+"
    r"(?:regards|wishes)|regards|sincerely|yours\s+(?:sincerely|faithfully|truly)|many\s+thanks|"
    r"thanks|thank\s+you|cheers|all\s+the\s+best|best|warmly|respectfully)\s*,\s*\Z",
    re.IGNORECASE,
)


# A sign-off line joined to the end of the sentence before it ("... personally. Best regards,"
# then the name), as when the line before the sign-off is removed and an insertion takes its
# place.
_GLUED_SIGN_OFF = re.compile(
    r"(?<=[.!?]) +(?=(?:(?:best|kind|warm|warmest)\s+(?:regards|wishes)|regards|sincerely|"
    r"yours\s+(?:sincerely|faithfully|truly)|many\s+thanks|thanks|cheers|all\s+the\s+best),"
    r"[ \t]*\n)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Salvaged:
    """The letter after salvage, the edits made, and the error findings nobody could fix."""

    subject: str | None
    body: str
    edits: list[SalvageEdit]
    unfixed: list[Finding]


@dataclass(frozen=True)
class _Edit:
    field: str
    start: int
    end: int
    text: str
    record: SalvageEdit
    rank: int = 2
    """Order among insertions at one position: greeting first, signature last."""
    fact: str = ""
    """The caller fact an insertion states ("remedy:0"), else empty."""


def salvage(
    subject: str | None,
    body: str,
    report: GuardrailReport,
    request: DraftRequest | None,
    channel: str,
) -> Salvaged:
    """Apply every applicable fix of `report`'s error findings, and of its warnings whose
    rule is in `POLISHED`; edits never overlap. A polished warning that cannot be fixed is
    not listed as unfixed: it never held the letter back."""
    texts = {"body": body, "subject": subject or ""}
    planned: list[_Edit] = []
    unfixed: list[Finding] = []
    inserted: set[str] = set()
    # Edits of the model's own sentences first, so an insertion knows which sentences go and
    # is never anchored after one of them.
    for finding in sorted(report.errors + polished(report), key=_inserts):
        fix = finding.fix
        if fix is not None and fix.action == "insert" and fix.fact in inserted:
            continue  # two rules missed the same fact: it goes in once
        later = any(f.startswith("prevention:") for f in inserted)
        edit = _plan(finding, texts, report, request, channel, later=later, planned=planned)
        if edit is None or any(_overlaps(edit, other) for other in planned):
            if finding.severity == "error":
                unfixed.append(finding)
        else:
            planned.append(edit)
            if fix is not None and fix.fact and (fix.action == "insert" or fix.text is None):
                # A sentence said again as the composer says a fact states that fact: a
                # rule that missed the same fact does not insert it a second time.
                inserted.add(fix.fact)
    planned += _mended_links(texts["body"], planned)
    length = next((f for f in report.errors if f.rule == LENGTH_RULE), None)
    if length is not None:
        cuts = _trim(texts["body"], report, request, channel, planned)
        if cuts:
            unfixed.remove(length)
            planned += cuts
    for field in texts:
        edits = [e for e in planned if e.field == field]
        if edits:
            texts[field] = _applied(texts[field], edits)
    if texts["body"] != body and _DANGLING_CLOSE.search(body) is None:
        # An edit cut the name after the sign-off ("Best regards," and nothing after it): the
        # sign-off goes too, so the letter does not end on a line that names nobody.
        dangling = _DANGLING_CLOSE.search(texts["body"])
        if dangling is not None:
            texts["body"] = texts["body"][: dangling.start()].rstrip()
            record = SalvageEdit(
                rule="salvage.dangling_sign_off",
                action="remove_sentence",
                before=dangling.group().strip(),
                after="",
            )
            planned.append(_Edit("body", dangling.start(), dangling.start(), "", record))
    if length is not None and length not in unfixed and not _has_lines(channel):
        # A text message trimmed to its limit reads as one paragraph, as the channel asks,
        # and names the caller's reference first, as the composer's does, when it fits.
        texts["body"] = " ".join(texts["body"].split())
        reference = _reference_line(texts["body"], request, channel)
        if reference is None and request is not None:
            # Room for the reference: a prevention step said in the composer's shorter words.
            shorter, said = _steps_shortened(texts["body"], request, channel)
            reference = _reference_line(shorter, request, channel) if said else None
            if reference is not None:
                texts["body"] = shorter
                planned += [_Edit("body", 0, 0, "", record) for record in said]
            else:
                reference = _reference_line(texts["body"], request, channel, short=True)
        if reference is not None:
            texts["body"] = f"{reference.after} {texts['body']}"
            planned.append(_Edit("body", 0, 0, "", reference))
    return Salvaged(
        subject=texts["subject"] or None if subject is not None else None,
        body=texts["body"],
        edits=[edit.record for edit in sorted(planned, key=lambda e: (e.field, e.start))],
        unfixed=unfixed,
    )


POLISHED = frozenset({"non_apology.generic_inconvenience", "tone.cliche", "tone.said_again"})
"""Warnings whose safe fix salvage applies to a model's letter as it does an error's: the
reader should not get "any inconvenience this may have caused", the one line the prompt
names as a non-apology, when "the inconvenience this caused" costs nothing; nor a form
letter's line ("a mistake we take very seriously") or a second apology that names nothing
new, when cutting them costs nothing either."""


def _applied(text: str, edits: list[_Edit]) -> str:
    """`text` with `edits` made, from the end backwards so earlier offsets stay valid
    (insertions at one position keep the order they were planned in), then tidied."""
    order = sorted(enumerate(edits), key=lambda p: (p[1].start, p[1].end, p[1].rank, p[0]))
    for _, edit in reversed(order):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return _tidy(text)


def polished(report: GuardrailReport) -> list[Finding]:
    """The warnings of `report` that salvage fixes (`POLISHED`) and that have a fix."""
    return [
        f
        for f in report.findings
        if f.severity == "warning" and f.rule in POLISHED and f.fix is not None
    ]


def _inserts(finding: Finding) -> bool:
    return finding.fix is not None and finding.fix.action == "insert"


# Words that open a sentence by pointing back at the one before it ("As a result, you walked
# into the review", "If so, please reply"): after that sentence is removed they point at
# nothing.
_LINK = re.compile(
    r"(?:As\s+a\s+(?:result|consequence)|Because\s+of\s+(?:this|that|it)|As\s+such|"
    r"Therefore|Consequently|Thus|Hence|In\s+turn|For\s+this\s+reason|Due\s+to\s+this|"
    r"On\s+top\s+of\s+(?:this|that)|This\s+meant\s+that|That\s+meant\s+that|"
    r"Because\s+of\s+this\s+mistake|As\s+a\s+result\s+of\s+this|If\s+so|(?P<contrast>However|"
    r"Nevertheless|Nonetheless|That\s+said|Even\s+so|Despite\s+(?:this|that)|"
    r"In\s+spite\s+of\s+(?:this|that)))\s*,?\s+(?=\w)"
)
# The end of a sentence whose last clause an edit cut: its closing punctuation and the
# space after it.
_SENTENCE_CLOSE = re.compile(r"[.!?]+\s+")


def _mended_links(body: str, planned: list[_Edit]) -> list[_Edit]:
    """For each sentence removed, a sentence right after it that opens with a word pointing
    back at it loses that opening ("As a result, you walked" becomes "You walked"); so does
    a sentence opening with a contrast ("However, we have refunded") after a sentence whose
    last clause was cut, the clause it contrasted with. When another edit rewrites the word
    after the opening ("Rosa" to "you"), the mend takes that edit over, so the sentence
    still starts with a capital."""
    mends: list[_Edit] = []
    for edit in planned:
        if edit.field != "body":
            continue
        if edit.record.action == "remove_sentence":
            at = edit.end
            while at < len(body) and body[at].isspace():
                at += 1
        elif (
            edit.record.action == "replace"
            and not edit.text
            and edit.end > edit.start
            and body[edit.start] in ",;"
        ):
            # A sentence's last clause cut (", and the cause was not confirmed"): a "However"
            # after it contrasted with that clause. A word cut at the sentence's end
            # (" as a service") leaves the clause the contrast was with.
            close = _SENTENCE_CLOSE.match(body, edit.end)
            if close is None:
                continue
            at = close.end()
        else:
            continue
        link = _LINK.match(body, at)
        if link is None or (edit.record.action == "replace" and not link.group("contrast")):
            continue
        start, end = link.start(), link.end()
        word = next(
            (e for e in planned if e.field == "body" and e.start == end and e.end > e.start),
            None,
        )
        if word is not None:
            after = word.text[:1].upper() + word.text[1:]
            stop = word.end
        else:
            after, stop = body[end].upper(), end + 1
        mend = _Edit(
            "body",
            start,
            stop,
            after,
            SalvageEdit(
                rule=edit.record.rule, action="replace", before=body[start:stop], after=after
            ),
        )
        others = [e for e in (*planned, *mends) if e is not word]
        if any(_overlaps(mend, other) for other in others):
            continue
        if word is not None:
            # The word's own edit stays on record, as an empty edit where the mend applies it.
            planned[planned.index(word)] = _Edit("body", word.start, word.start, "", word.record)
        mends.append(mend)
    return mends


def _trim(
    body: str,
    report: GuardrailReport,
    request: DraftRequest | None,
    channel: str,
    planned: list[_Edit],
) -> list[_Edit]:
    """Edits that make a letter over its channel's character limit fit, in this order until
    it does: drop the sentences that carry nothing of the request (no required element,
    caller fact, other edit, account of the incident or prevention step), the longest
    first; shorten the sentences that carry caller facts to the composer's wording of them
    (`_shorten`); drop the sentences that only retell the incident or state a prevention
    step. The shortest sentence naming the sender stays when it is short; so does one account of
    the incident, in the composer's shorter words if need be, unless a sentence kept for
    other reasons tells it. Nothing when even that cannot make it fit (the re-ask or the
    composer's letter then will)."""
    limit = get_catalog().channels[channel].max_chars
    if limit is None:
        return []
    if get_catalog().channels[channel].public and request is not None:
        # A short public reply still says what we offer: a sentence about a remedy is said
        # again in the composer's public words rather than dropped, when that fits.
        for wording in _public_amends(request, channel):
            cuts = _trim_to(body, report, request, channel, planned, limit, amends=wording)
            if cuts:
                return cuts
    return _trim_to(body, report, request, channel, planned, limit, amends="")


def _trim_to(
    body: str,
    report: GuardrailReport,
    request: DraftRequest | None,
    channel: str,
    planned: list[_Edit],
    limit: int,
    *,
    amends: str,
) -> list[_Edit]:
    """`_trim`'s edits for a `limit`; with `amends` (a sentence stating a remedy), a
    sentence about a remedy that no kept sentence states is replaced by it instead of being
    dropped, or nothing is cut."""
    # A text without lines of its own is sent as one paragraph: its breaks count as spaces.
    lines = _has_lines(channel)
    need = (len(body) if lines else len(" ".join(body.split()))) - limit
    need += sum(len(e.text) - (e.end - e.start) for e in planned if e.field == "body")
    spans = sentence_spans(body)
    # The amends element found in a sentence that names no remedy ("we are taking steps")
    # is no reason to keep it when another sentence names one.
    names_remedy = request is not None and any(
        k.startswith("remedy:") for a, b in spans for k in _carried(body[a:b].lower(), request)
    )
    kept = _required_spans(report, but=("amends",) if names_remedy else ())
    kept += [(e.start, max(e.end, e.start + 1)) for e in planned if e.field == "body"]
    facts = [f.lower() for f in _caller_values(request)]
    # Neither who the message is from nor what happened is trimmed away: the shortest
    # sentence naming the sender stays, and so does the shortest account of the incident
    # when no sentence kept for other reasons tells it or acknowledges it.
    signed = _shortest([s for s in spans if _names_sender(body[s[0] : s[1]], request)])
    if signed is not None and signed[1] - signed[0] > _SIGN_OFF_CHARS:
        signed = None  # a whole team's title, not a sign-off: it may go like any filler
    filler, telling, rest = [], [], []
    for start, end in spans:
        low = body[start:end].lower()
        if (
            (start, end) == signed
            or any(start < b and a < end for a, b in kept)
            or any(f in low for f in facts)
            or (request is not None and _carried(low, request))
        ):
            rest.append((start, end))
        elif request is not None and (
            _retells_incident(low, request) or _states_a_step(low, request)
        ):
            telling.append((start, _swallow_space(body, start, end)))
        else:
            filler.append((start, _swallow_space(body, start, end)))
    cuts: list[_Edit] = []
    if amends and request is not None:
        remedy = _remedy_said_again(body, request, amends, rest, filler + telling)
        if remedy is None:
            return []
        cuts.append(remedy)
        filler = [span for span in filler if span[0] != remedy.start]
        telling = [span for span in telling if span[0] != remedy.start]
        need -= (remedy.end - remedy.start) - len(remedy.text)
    dropped = _drop(body, filler, need, lines)
    cuts += dropped
    need -= sum(_size(body, e.start, e.end, lines) for e in dropped)
    if need > 0 and request is not None:
        shortened = _shorten(body, report, request, channel, planned, rest, need)
        cuts += shortened
        need -= sum((e.end - e.start) - len(e.text) for e in shortened)
    told = None
    acknowledged = _evidence_span(report, "acknowledgment")
    if request is not None and not any(
        _retells_incident(body[a:b].lower(), request)
        or (acknowledged is not None and a < acknowledged[1] and acknowledged[0] < b)
        for a, b in rest
    ):
        told = _shortest(
            [(a, b) for a, b in telling if _retells_incident(body[a:b].lower(), request)]
        )
        telling = [span for span in telling if span != told]
    if need > 0:
        dropped = _drop(body, telling, need, lines)
        cuts += dropped
        need -= sum(_size(body, e.start, e.end, lines) for e in dropped)
    if need > 0 and told is not None and request is not None:
        # The one account of what happened, told in the composer's shorter words.
        start = told[0]
        end = start + len(body[start : told[1]].rstrip())
        wording = fact_sentence(request, "acknowledgment", channel).strip()
        if wording and len(wording) < end - start:
            record = SalvageEdit(
                rule=LENGTH_RULE, action="replace", before=body[start:end], after=wording
            )
            cuts.append(_Edit("body", start, end, wording, record))
            need -= (end - start) - len(wording)
    if amends and need > 0:
        # The count above errs long (a removal beside a line break); the letter as cut does not.
        cut = _applied(body, [e for e in planned if e.field == "body"] + cuts)
        need = len(cut if lines else " ".join(cut.split())) - limit
    return cuts if need <= 0 else []


def _remedy_said_again(
    body: str,
    request: DraftRequest,
    wording: str,
    kept: list[tuple[int, int]],
    cut: list[tuple[int, int]],
) -> _Edit | None:
    """For a public reply whose `kept` sentences state no remedy: the first `cut` sentence
    about one (`_about_remedy`) replaced by `wording`. None when a kept sentence states a
    remedy or no cut sentence is about one."""
    if any(k.startswith("remedy:") for a, b in kept for k in _carried(body[a:b].lower(), request)):
        return None
    about = next((span for span in cut if _about_remedy(body[span[0] : span[1]], request)), None)
    if about is None:
        return None
    start = about[0]
    end = start + len(body[start : about[1]].rstrip())
    record = SalvageEdit(rule=LENGTH_RULE, action="replace", before=body[start:end], after=wording)
    return _Edit("body", start, end, wording, record)


def _public_amends(request: DraftRequest, channel: str) -> list[str]:
    """The composer's sentence for the first remedy (a done one first) that a public reply
    may state (one with no amount or code, whose sentence gives no figure), then the same
    without a short lead-in ("To make amends, a replacement lamp has been sent ..." and "A
    replacement lamp has been sent ..."). Empty if there is none."""
    ordered = sorted(enumerate(request.remedies), key=lambda pair: pair[1].status != "done")
    for index, remedy in ordered:
        if remedy.amount or remedy.code:
            continue
        text = fact_sentence(request, f"remedy:{index}", channel).strip()
        if not text or _FIGURE.search(text):
            continue
        lead, comma, rest = text.partition(", ")
        if comma and len(lead.split()) <= 4 and rest[:1].islower():
            return [text, rest[0].upper() + rest[1:]]
        return [text]
    return []


_FIGURE = re.compile(r"[\d%$€£¥]")


def _about_remedy(sentence: str, request: DraftRequest) -> bool:
    """Whether a sentence names a remedy by a word of its own that the incident's summary
    does not use ("replace the damaged lamp" for a replacement lamp)."""
    told = stems(request.incident.summary)
    have = stems(sentence.lower())
    return any(have & (stems(remedy.description) - told) for remedy in request.remedies)


_SIGN_OFF_CHARS = 60
"""The longest sentence naming the sender that a trim keeps for that alone."""


def _shortest(spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    return min(spans, key=lambda span: span[1] - span[0], default=None)


def _names_sender(sentence: str, request: DraftRequest | None) -> bool:
    """Whether a sentence names the sender: their organisation or their own name."""
    if request is None:
        return False
    names = (request.sender.organization, request.sender.name)
    low = sentence.lower()
    return any(n and re.search(rf"\b{re.escape(n.lower())}\b", low) for n in names)


def _drop(body: str, spans: list[tuple[int, int]], need: int, lines: bool) -> list[_Edit]:
    """Removals of `spans`, the longest first, until `need` characters are gone (or all
    are)."""
    cuts: list[_Edit] = []
    for start, end in sorted(spans, key=lambda span: span[0] - span[1]):
        if need <= 0:
            break
        before = body[start:end].strip()
        record = SalvageEdit(rule=LENGTH_RULE, action="remove_sentence", before=before, after="")
        cuts.append(_Edit("body", start, end, "", record))
        need -= _size(body, start, end, lines)
    return cuts


def _size(body: str, start: int, end: int, lines: bool) -> int:
    """What removing `body[start:end]` (a sentence and the space after it) saves: on a
    channel without lines, where the text is sent as one paragraph, the sentence and one
    space."""
    return end - start if lines else len(" ".join(body[start:end].split())) + 1


def _steps_shortened(
    body: str, request: DraftRequest, channel: str
) -> tuple[str, list[SalvageEdit]]:
    """`body` with each sentence that states one prevention step replaced by the composer's
    sentence for that step where that is shorter, and the edits made."""
    edits: list[SalvageEdit] = []
    for start, end in reversed(sentence_spans(body)):
        sentence = body[start:end]
        have = stems(sentence.lower())
        shared = [len(have & stems(step.description)) for step in request.prevention]
        if not shared or max(shared) < 2 or shared.count(max(shared)) > 1:
            continue
        if any(v.lower() in sentence.lower() for v in _caller_values(request)):
            continue  # it carries a caller value too
        index = shared.index(max(shared))
        wording = fact_sentence(request, f"prevention:{index}", channel).strip()
        if wording and len(wording) < len(sentence):
            body = body[:start] + wording + body[end:]
            edits.append(
                SalvageEdit(rule=LENGTH_RULE, action="replace", before=sentence, after=wording)
            )
    return body, edits


def _states_another_step(body: str, request: DraftRequest, fact: str) -> bool:
    """Whether a sentence of `body` states a prevention step other than `fact`'s: the step
    inserted then follows it, with the shorter lead-in ("In addition, ...")."""
    others = [s for i, s in enumerate(request.prevention) if fact != f"prevention:{i}"]
    sentences = [stems(body[a:b].lower()) for a, b in sentence_spans(body)]
    return any(len(have & stems(s.description)) >= 2 for have in sentences for s in others)


def _states_a_step(low: str, request: DraftRequest) -> bool:
    """Whether a lowercase sentence holds two or more words of a prevention step."""
    have = stems(low)
    return any(len(have & stems(step.description)) >= 2 for step in request.prevention)


def _reference_line(
    body: str, request: DraftRequest | None, channel: str, *, short: bool = False
) -> SalvageEdit | None:
    """The composer's sentence naming the caller's reference, for a trimmed text message
    that leaves it out and has room for it; None otherwise (and on a public channel)."""
    form = get_catalog().channels[channel]
    reference = request.incident.reference if request is not None else None
    if request is None or not reference or form.public or reference.lower() in body.lower():
        return None
    line = fact_sentence(request, "reference", channel).strip()
    if short:
        line = f"Ref {reference}:"  # the short form, when no sentence fits
    if not line or form.max_chars is None or len(body) + 1 + len(line) > form.max_chars:
        return None
    return SalvageEdit(rule=OMITTED_REFERENCE, action="insert", before="", after=line)


def _has_lines(channel: str) -> bool:
    """Whether a channel's messages have a greeting or signature on lines of their own."""
    form = get_catalog().channels[channel]
    return form.has_greeting or form.has_signature


def _required_spans(report: GuardrailReport, but: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    return [
        (r.evidence.start, r.evidence.end)
        for r in report.elements
        if r.required
        and r.element not in but
        and r.evidence is not None
        and r.evidence.field == "body"
    ]


# A required element a shortened sentence keeps by the composer's sentence for it.
_ELEMENT_FACTS = {"regret": "regret", "responsibility": "responsibility"}


def _shorten(
    body: str,
    report: GuardrailReport,
    request: DraftRequest,
    channel: str,
    planned: list[_Edit],
    sentences: list[tuple[int, int]],
    need: int,
) -> list[_Edit]:
    """Sentences that carry caller facts (a remedy, the reference) or an apology, each
    rewritten as the composer's sentence for exactly what it carries, the biggest saving
    first, until `need` characters are saved. A sentence that also carries something the
    composer cannot say again (the account of what happened, an edit already planned, a
    caller value its rewrite would lose) is kept as written; a fact already said by an
    earlier rewrite is not said twice. It may save less than `need`."""
    required = [
        (r.element, r.evidence.start, r.evidence.end)
        for r in report.elements
        if r.required and r.evidence is not None and r.evidence.field == "body"
    ]
    edited = [(e.start, max(e.end, e.start + 1)) for e in planned if e.field == "body"]
    values = [v.lower() for v in _caller_values(request)]
    options = []
    for start, end in sentences:
        if any(start < b and a < end for a, b in edited):
            continue
        sentence = body[start:end]
        low = sentence.lower()
        elements = {name for name, a, b in required if start < b and a < end}
        keys = _carried(low, request)
        if elements - {"amends"} - set(_ELEMENT_FACTS) or _retells_incident(low, request):
            continue  # the account of what happened: only the model can tell it
        if "amends" in elements and not any(k.startswith("remedy:") for k in keys):
            continue
        keys += [_ELEMENT_FACTS[e] for e in sorted(elements) if e in _ELEMENT_FACTS]
        if keys:
            options.append((start, end, sentence, low, keys))
    said: set[str] = set()
    cuts: list[_Edit] = []
    for start, end, sentence, low, keys in sorted(options, key=lambda o: o[0] - o[1]):
        if need <= 0:
            break
        words = [fact_sentence(request, k, channel).strip() for k in keys if k not in said]
        text = " ".join(w for w in words if w)
        if any(v in low and v not in text.lower() for v in values if v not in said):
            continue
        stop = _swallow_space(body, start, end) if not text else end
        if len(text) >= stop - start:
            continue
        said.update(keys)
        said.update(v for v in values if v in low)
        record = SalvageEdit(rule=LENGTH_RULE, action="replace", before=sentence, after=text)
        cuts.append(_Edit("body", start, stop, text, record))
        need -= (stop - start) - len(text)
    return cuts


def _retells_incident(low: str, request: DraftRequest) -> bool:
    """Whether a lowercase sentence tells what happened: two words of the caller's summary
    of the incident (all of them when it has fewer)."""
    told = stems(request.incident.summary)
    return bool(told) and len(stems(low) & told) >= min(2, len(told))


def _carried(low: str, request: DraftRequest) -> list[str]:
    """The caller facts a lowercase sentence states, as `fact_sentence` keys: the reference,
    and each remedy whose amount, code or date it gives, or half of whose description's
    words it has with the numbers of those ("a priority visit on May 7th at 8-10am" for a
    priority visit on "7 May, 8-10am") and one of the remedy's own words."""
    keys = []
    reference = request.incident.reference
    if reference and reference.lower() in low:
        keys.append("reference")
    have = stems(low)
    supplied = Supplied.of(request)
    steps = [step.description for step in request.prevention]
    for index, remedy in enumerate(request.remedies):
        values = [v.lower() for v in (remedy.amount, remedy.code, remedy.date) if v]
        wanted = stems(remedy.description)
        numbers = set(_NUMBER.findall(" ".join(values)))
        if any(v in low for v in values) or (
            bool(wanted)
            and len(have & wanted) * 2 >= len(wanted)
            and numbers <= set(_NUMBER.findall(low))
            # as `commitments.omitted_remedy` reads it: a word of the remedy's own
            and says_own_words(have, own_stems(supplied, index, steps))
        ):
            keys.append(f"remedy:{index}")
    return keys


def _caller_values(request: DraftRequest | None) -> list[str]:
    """The figures, codes, dates and reference a letter must keep."""
    if request is None:
        return []
    values = [request.incident.reference]
    for remedy in request.remedies:
        values += [remedy.amount, remedy.code, remedy.date]
    return [v for v in values if v]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Every sentence of `text`, line by line, as [start, end) without surrounding spaces."""
    spans = []
    at = 0
    while at < len(text):
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            break
        start, end = sentence_bounds(text, at, at)
        end = max(end, at + 1)
        spans.append((start, end))
        at = end
    return spans


def _overlaps(a: _Edit, b: _Edit) -> bool:
    if a.field != b.field:
        return False
    if a.start == a.end or b.start == b.end:  # an insertion conflicts only inside an edit
        return b.start < a.start < b.end or a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def _plan(
    finding: Finding,
    texts: dict[str, str],
    report: GuardrailReport,
    request: DraftRequest | None,
    channel: str,
    *,
    later: bool = False,
    planned: list[_Edit] | None = None,
) -> _Edit | None:
    fix = finding.fix
    if fix is None and finding.rule == STAFF_RULE and request is not None:
        return _owned_staff(finding, texts[finding.field], request)
    if fix is None:
        return None
    text = texts[finding.field]
    if finding.rule.startswith("placeholder.") and request is not None:
        value = _slot_value(finding.excerpt, request)
        if value is not None:
            record = SalvageEdit(
                rule=finding.rule, action="replace", before=finding.excerpt, after=value
            )
            return _Edit(finding.field, finding.start, finding.end, value, record)
    if fix.action == "replace" and fix.text is None and fix.fact and request is not None:
        # The sentence at the span, said again as the composer says that fact.
        try:
            wording = fact_sentence(request, fix.fact, channel).strip()
        except ValueError:
            return None
        start, end = sentence_bounds(text, finding.start, max(finding.end, finding.start + 1))
        record = SalvageEdit(
            rule=finding.rule, action="replace", before=text[start:end], after=wording
        )
        return _Edit(finding.field, start, end, wording, record)
    if fix.action == "replace" and fix.text is not None:
        if finding.severity == "warning" and _held_elements(
            report, finding.start, finding.end, whole=True
        ):
            return None  # a polish never cuts a required element: no round puts it back
        before = text[finding.start : finding.end]
        record = SalvageEdit(rule=finding.rule, action="replace", before=before, after=fix.text)
        return _Edit(finding.field, finding.start, finding.end, fix.text, record)
    if fix.action == "remove_sentence" and finding.field == "body":
        start, end = sentence_bounds(text, finding.start, finding.end)
        held = _held_elements(report, start, end) if finding.severity == "warning" else []
        if held:
            return _element_said_again(held, text, (start, end), request, channel, finding.rule)
        end = _swallow_space(text, start, end)
        before = text[start:end].strip()
        record = SalvageEdit(rule=finding.rule, action="remove_sentence", before=before, after="")
        return _Edit("body", start, end, "", record)
    if fix.action == "insert" and fix.fact == "subject" and request is not None:
        return _subject(finding.rule, text, request, channel)
    if fix.action == "insert" and fix.fact and request is not None and finding.field == "body":
        edit = _insertion(
            finding.rule, fix.fact, text, report, request, channel, later=later, planned=planned
        )
        return None if edit is None else replace(edit, fact=fix.fact)
    return None


def _held_elements(
    report: GuardrailReport, start: int, end: int, *, whole: bool = False
) -> list[str]:
    """The required elements whose evidence starts in the body's [start, end); with `whole`,
    only those whose evidence also ends there (a lead-in cut from the sentence that tells
    what happened, "I regret to inform you that ...", leaves that telling)."""
    return [
        r.element
        for r in report.elements
        if r.required
        and r.evidence is not None
        and r.evidence.field == "body"
        and start <= r.evidence.start < end
        and (not whole or r.evidence.end <= end)
    ]


def _element_said_again(
    held: list[str],
    text: str,
    span: tuple[int, int],
    request: DraftRequest | None,
    channel: str,
    rule: str,
) -> _Edit | None:
    """A polished warning's sentence that holds a required element's evidence (a second
    apology that was the letter's only "our oversight") never just goes: no salvage round
    follows a polish to put the element back. It is said as the composer says that element
    where it can; else (None) it stays."""
    if request is None or len(held) > 1 or held[0] not in _ELEMENT_FACTS:
        return None
    try:
        wording = fact_sentence(request, _ELEMENT_FACTS[held[0]], channel).strip()
    except ValueError:
        return None
    start, end = span
    record = SalvageEdit(rule=rule, action="replace", before=text[start:end], after=wording)
    return _Edit("body", start, end, wording, record)


STAFF_RULE = "blame.staff"
_THE_STAFF = re.compile(r"(?P<the>[Tt]he)\s+(?P<who>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\b")


def _owned_staff(finding: Finding, text: str, request: DraftRequest) -> _Edit | None:
    """A member of staff the letter singles out as "the technician" where the request owns
    them as "our technician": said as the request says it, so the business owns the act.
    None otherwise (the re-ask handles it)."""
    match = _THE_STAFF.match(text, finding.start)
    if match is None or match.end() > finding.end:
        return None
    incident = request.incident
    told = " ".join(f for f in (incident.summary, incident.cause, incident.impact) if f).lower()
    words = match.group("who").lower().split()
    if not any(re.search(rf"\bour\s+{re.escape(' '.join(words[:n]))}\b", told) for n in (2, 1)):
        return None
    ours = "Our" if match.group("the")[0].isupper() else "our"
    record = SalvageEdit(rule=finding.rule, action="replace", before=match.group("the"), after=ours)
    return _Edit(finding.field, match.start(), match.start("the") + 3, ours, record)


# What a template slot asks for, by the words inside it, and where the request keeps it.
_SLOTS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        ("name", "your name", "your full name", "my name", "sender name", "agent name"),
        ("sender", "name"),
    ),
    **dict.fromkeys(("title", "your title", "job title", "position"), ("sender", "title")),
    **dict.fromkeys(
        (
            "company",
            "company name",
            "your company",
            "organisation",
            "organization",
            "business name",
            "your company name",
            "store name",
            "brand",
        ),
        ("sender", "organization"),
    ),
    **dict.fromkeys(("contact", "contact details", "email", "phone"), ("sender", "contact")),
    **dict.fromkeys(
        (
            "customer name",
            "customer's name",
            "recipient name",
            "recipient's name",
            "client name",
            "client's name",
            "customer",
        ),
        ("recipient", "name"),
    ),
    **dict.fromkeys(
        ("reference", "ref", "order number", "order id", "booking reference", "ticket number"),
        ("incident", "reference"),
    ),
}
_SLOT_MARKS = "[]{}()<> _"


def _slot_value(slot: str, request: DraftRequest) -> str | None:
    """The caller's value a template slot stands for: the slot names it ("[Your Name]",
    "{{company}}") or already holds it ("[Bloomreach Media]"). None when the request has no
    such value, so the slot's sentence is removed instead."""
    words = " ".join(slot.strip(_SLOT_MARKS).lower().replace("insert", " ").split())
    values = {
        (part, field): getattr(getattr(request, part), field)
        for part, field in set(_SLOTS.values())
    }
    if get_catalog().channels[request.channel].public:
        values[("incident", "reference")] = None  # it stays private: the slot's sentence goes
    for value in values.values():
        if value and words == " ".join(value.lower().split()):
            return str(value)
    where = _SLOTS.get(words)
    value = values.get(where) if where is not None else None
    return str(value) if value else None


def _subject(rule: str, subject: str, request: DraftRequest, channel: str) -> _Edit | None:
    """The composer's subject line in place of a missing or empty one."""
    line = fact_sentence(request, "subject", channel).strip()
    if not line:
        return None
    record = SalvageEdit(rule=rule, action="insert", before=subject, after=line)
    return _Edit("subject", 0, len(subject), line, record)


def _insertion(
    rule: str,
    fact: str,
    body: str,
    report: GuardrailReport,
    request: DraftRequest,
    channel: str,
    *,
    later: bool = False,
    planned: list[_Edit] | None = None,
) -> _Edit | None:
    """`later`: a prevention step follows another one inserted just before it. `planned`:
    the edits planned so far; no insertion is anchored after a sentence they remove."""
    dated = _date_in_place(rule, fact, body, request)
    if dated is not None:
        return dated
    try:
        first = not (
            fact.startswith("prevention:") and (later or _states_another_step(body, request, fact))
        )
        sentence = fact_sentence(request, fact, channel, first=first).strip()
    except ValueError:
        return None  # the fact names an index or field the request does not have
    kind = fact.split(":", 1)[0]
    if not sentence or (kind == "impact" and _THIRD.search(sentence)):
        # An impact the composer could not turn to the reader ("the first evening of their
        # anniversary") would name the reader in the third person: left for the re-ask.
        return None
    record = SalvageEdit(rule=rule, action="insert", before="", after=sentence)
    one_block = "\n" not in body.strip()
    gap = " " if one_block else "\n\n"
    if kind == "greeting":
        named = _bare_name_line(body, request)
        if named is not None:
            # The letter opens with the reader's name alone ("Leo,"): the greeting takes
            # that line's place instead of standing above it.
            record = SalvageEdit(rule=rule, action="replace", before=body[:named], after=sentence)
            return _Edit("body", 0, named, sentence, record, rank=0)
        return _Edit("body", 0, 0, sentence + gap, record, rank=0)
    if kind == "signature":
        end = len(body.rstrip())
        return _Edit("body", end, end, gap + sentence, record, rank=4)
    planned = planned if planned is not None else []
    if kind == "remedy":
        stated = _remedy_stated(body, request, fact)
        if stated is not None and set(_held_elements(report, *stated)) - {"amends"}:
            stated = None  # it also holds the apology or the ownership: the remedy is added
        if stated is not None:
            start, end = stated
            if any(e.field == "body" and e.start < end and start < e.end for e in planned):
                return None  # another edit changes that sentence first: the next round says it
            record = SalvageEdit(
                rule=rule, action="replace", before=body[start:end], after=sentence
            )
            return _Edit("body", start, end, sentence, record)
    if kind == "prevention":
        restated = _restated_step(body, request, fact, planned)
        if restated is not None:
            return restated(rule, sentence)
    removed = [
        (e.start, e.end)
        for e in planned
        if e.field == "body" and e.record.action == "remove_sentence"
    ]
    if kind == "prevention":
        # A step is never anchored after the invitation or the close ("our relationship in
        # the future" read as a prevention cue).
        limit = _first_of(report, ("invitation", "close"))
        if limit is not None:
            removed.append((limit, len(body)))
    anchor = _after_anchor(body, report, _AFTER.get(kind, ()), removed)
    if anchor is not None and kind in ("remedy", "prevention"):
        anchor = _after_telling(body, request, anchor, removed)
    if anchor is None and kind == "prevention":
        # After a remedy inserted in this pass (it says what we did), else before the
        # invitation or the close: where a letter says what changes.
        remedy = next((e for e in planned if e.fact.startswith("remedy:")), None)
        if remedy is not None:
            after = sentence + " " if remedy.text.endswith((" ", "\n")) else " " + sentence
            return _Edit("body", remedy.start, remedy.end, after, record, rank=remedy.rank)
        return _before_invitation(body, report, sentence, record, gap)
    if anchor is None and kind in _OPENING:
        start = _after_greeting(body, report)
        return _Edit("body", start, start, sentence + " ", record)
    if anchor is None:
        return _closing_insert(body, report, sentence, record, gap)
    # The impact follows the apology that names it, before a remedy put after that apology.
    rank = 1 if kind == "impact" else 2
    anchor = _past_followers(body, anchor, removed)
    return _Edit("body", anchor, anchor, " " + sentence, record, rank=rank)


# A sentence that opens by pointing back at the one before it: what that one meant or led to.
_FOLLOWER = re.compile(
    r"(?:This|That|It|Which)\s+(?:(?:has|had|also|then)\s+)?(?:meant|means|resulted|results|"
    r"led|leads|caused|causes|left|forced)\b|As\s+a\s+(?:result|consequence)\b|"
    r"Because\s+of\s+(?:this|that)\b|Consequently\b|In\s+turn\b"
)


def _past_followers(body: str, at: int, removed: list[tuple[int, int]]) -> int:
    """`at`, moved past each sentence right after it that points back at the one before it
    ("This meant that your partner had to leave dinner early"), so an inserted sentence never
    comes between that sentence and what "This" means. Not past a line break (a new
    paragraph starts afresh) nor into a sentence that is being removed."""
    while True:
        start = at
        while start < len(body) and body[start] in " \t":
            start += 1
        if start >= len(body) or _FOLLOWER.match(body, start) is None:
            return at
        if any(a <= start < b for a, b in removed):
            return at
        at = sentence_bounds(body, start, start + 1)[1]


def _after_telling(
    body: str, request: DraftRequest, anchor: int, removed: list[tuple[int, int]]
) -> int:
    """A remedy or step is said once the letter has told what happened: an anchor before the
    first sentence that tells the incident in the caller's words (an apology up front, then
    "The sofa arrived with a torn arm ...") moves to the end of that sentence. Sentences being
    removed do not count."""
    for start, end in sentence_spans(body):
        if any(a <= start < b for a, b in removed):
            continue
        if _retells_incident(body[start:end].lower(), request):
            return max(anchor, end) if start >= anchor else anchor
    return anchor


def _bare_name_line(body: str, request: DraftRequest) -> int | None:
    """Where the reader's name ends when the letter's first line is only that name (whole
    or its first word) and a comma or nothing; else None."""
    name = " ".join((request.recipient.name or "").split())
    names = {name, name.split(" ", 1)[0]} if name else set()
    first = body.split("\n", 1)[0]
    if first.strip().rstrip(",!").strip() not in names:
        return None
    return len(first.rstrip())


def _remedy_stated(body: str, request: DraftRequest, fact: str) -> tuple[int, int] | None:
    """The one sentence that states a remedy by its figure and a word of its own (a remedy
    without a figure: by every word of its description), but not as the request gives it
    (its code left out: "a travel voucher worth €150"): a missing fact
    of that remedy is said by replacing it, not by a second sentence offering it again. None
    when no sentence, or more than one, does so, or one also names another remedy's figure."""
    index = int(fact.split(":", 1)[1])
    if not 0 <= index < len(request.remedies):
        return None
    remedy = request.remedies[index]
    amount = (remedy.amount or "").lower()
    wanted = stems(remedy.description)
    own = wanted - stems(request.incident.summary)
    numbers = set(_NUMBER.findall(remedy.description))
    others = [
        value.lower()
        for i, other in enumerate(request.remedies)
        if i != index
        for value in (other.amount, other.code)
        if value
    ]
    by_figure, by_words = [], []
    for start, end in sentence_spans(body):
        low = body[start:end].lower()
        if any(v in low for v in others):
            continue
        have = stems(low)
        if _NUMBER.search(amount) and amount in low and have & own:
            by_figure.append((start, end))
        elif (
            # Without its figure ("12 months of identity monitoring", "The shipping cost
            # refunded"): every word of the description and each of its numbers.
            len(wanted) >= 2 and own and wanted <= have and numbers <= set(_NUMBER.findall(low))
        ):
            by_words.append((start, end))
    found = by_figure or by_words
    return found[0] if len(found) == 1 else None


def _restated_step(
    body: str, request: DraftRequest, fact: str, planned: list[_Edit]
) -> Callable[[str, str], _Edit] | None:
    """A sentence that already states the step in its own words without a word of
    prevention ("We have now confirmed that every freight booking is booked against the
    signed production schedule"): the composer's sentence for the step replaces it, instead
    of saying the step twice. When the sentence also carries another caller fact in a
    clause before " and " ("We have corrected the invoice and will check every invoice
    ..."), that clause stays as a sentence of its own and only the rest is replaced. Edits
    already planned inside the replaced words stay on record, applied by the replacement."""
    try:
        step = request.prevention[int(fact.split(":", 1)[1])]
    except (IndexError, ValueError):
        return None
    wanted = stems(step.description)
    if len(wanted) < 3:
        return None
    for start, end in sentence_spans(body):
        low = body[start:end].lower()
        if len(stems(low) & wanted) < 0.6 * len(wanted) or _WENT_WRONG.search(low):
            # A sentence saying what went wrong ("we failed to print the allergy note on the
            # kitchen ticket") shares the step's words but tells the incident: it stays.
            continue
        head = ""
        if _carried(low, request):
            head = _carrying_head(body[start:end], request, wanted)
            if not head:
                continue
        cut = start + len(head)
        inside = [e for e in planned if e.field == "body" and start < e.end and e.start < end]
        if any(e.start < cut or e.end > end or e.record.action == "insert" for e in inside):
            continue

        def replaced(
            rule: str, sentence: str, start: int = start, cut: int = cut, end: int = end
        ) -> _Edit:
            for edit in [e for e in planned if e.field == "body" and cut <= e.start < end]:
                # On record where the replacement starts (inside it, it would conflict).
                planned[planned.index(edit)] = _Edit("body", start, start, "", edit.record)
            after = f"{body[start:cut].rstrip(' ,')}. {sentence}" if cut > start else sentence
            record = SalvageEdit(rule=rule, action="replace", before=body[start:end], after=after)
            return _Edit("body", start, end, after, record)

        return replaced
    return None


_WENT_WRONG = re.compile(
    r"\b(?:fail(?:ed|s)?\s+to|did\s*n[o'’]t|was\s*n[o'’]t|were\s*n[o'’]t|wasn['’]t|weren['’]t|"
    r"never|forgot|neglected|overlooked|missed|omitted)\b"
)
_AND = re.compile(r",?\s+and\s+")


def _carrying_head(sentence: str, request: DraftRequest, step: set[str]) -> str:
    """The words of `sentence` before an " and " that carry every caller fact it carries,
    when the words after it carry none and hold most of the step's; else empty."""
    carried = set(_carried(sentence.lower(), request))
    for join in _AND.finditer(sentence):
        head, tail = sentence[: join.start()], sentence[join.end() :].lower()
        kept = set(_carried(head.lower(), request))
        # The tail may share a remedy's words with the step ("invoice"); what it seems to
        # carry must be said by the head too, so nothing is lost with it.
        if len(head.split()) < 3 or kept != carried or not set(_carried(tail, request)) <= kept:
            continue
        if len(stems(tail) & step) >= 0.6 * len(step):
            return head
    return ""


def _before_invitation(
    body: str, report: GuardrailReport, sentence: str, record: SalvageEdit, gap: str
) -> _Edit:
    """Before the invitation to reply or the closing line, whichever comes first (at the
    end of the paragraph before it when it opens a paragraph), else where `_closing_insert`
    puts it."""
    first = _first_of(report, ("invitation", "close"))
    if first is None:
        return _closing_insert(body, report, sentence, record, gap)
    at = sentence_bounds(body, first, first + 1)[0]
    before = body[:at].rstrip(" \t")
    # rank 1: before an invitation or close inserted at the same place
    if before.endswith("\n") and before.strip():
        end = len(before.rstrip())
        return _Edit("body", end, end, " " + sentence, record, rank=1)
    return _Edit("body", at, at, sentence + " ", record, rank=1)


def _first_of(report: GuardrailReport, elements: tuple[str, ...]) -> int | None:
    """Where the first of `elements` found in the body starts."""
    starts = [s for s in (_evidence_start(report, e) for e in elements) if s is not None]
    return min(starts) if starts else None


def _date_in_place(rule: str, fact: str, body: str, request: DraftRequest) -> _Edit | None:
    """A remedy the letter names in the caller's own words but without its date gets the
    date after those words ("a written incident report with confirmed findings on 30
    September"), not a second sentence saying the remedy again. None when the remedy has no
    date, the letter gives it, or does not name the remedy word for word."""
    if not fact.startswith("remedy:"):
        return None
    index = int(fact.split(":", 1)[1])
    if not 0 <= index < len(request.remedies):
        return None
    remedy = request.remedies[index]
    if not remedy.date or remedy.date.lower() in body.lower():
        return None
    words = remedy.description.split()
    named = re.search(
        r"\b" + r"\s+".join(re.escape(w) for w in words) + r"(?![\w-])", body, re.IGNORECASE
    )
    if named is None:
        return None
    date = " " + when(remedy.date)
    # A time of the model's own after the words ("by the end of September") gives way to
    # the caller's date instead of standing beside it.
    own = _OWN_TIME.match(body, named.end())
    end = own.end() if own is not None else named.end()
    record = SalvageEdit(
        rule=rule,
        action="replace",
        before=body[named.start() : end],
        after=named.group() + date,
    )
    return _Edit("body", named.end(), end, date, record)


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# "by the end of September", "on September 30th", "before 1 October", "within two weeks".
_OWN_TIME = re.compile(
    r"\s+(?:by|on|before|no\s+later\s+than|within|in)\s+(?:the\s+(?:end|start|middle)\s+of\s+)?"
    r"(?:(?:next|this)\s+(?:week|month)|(?:\w+\s+)?(?:days?|weeks?|months?)|"
    rf"(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?:{_MONTHS})\b(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?"
    r"(?:,?\s+\d{4})?)(?![\w-])",
    re.IGNORECASE,
)


def _closing_insert(
    body: str, report: GuardrailReport, sentence: str, record: SalvageEdit, gap: str
) -> _Edit:
    """Just before the closing line, else at the end of the paragraph before the sign-off
    block, else as the letter's last paragraph."""
    close = _evidence_start(report, "close")
    if close is not None:
        at = sentence_bounds(body, close, close + 1)[0]
        return _Edit("body", at, at, sentence + " ", record)
    signature = _evidence_start(report, "signature")
    if signature is not None:
        block = body.rfind("\n\n", 0, signature)
        if block > 0:
            return _Edit("body", block, block, " " + sentence, record)
    end = len(body.rstrip())
    return _Edit("body", end, end, gap + sentence, record, rank=3)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The [start, end) of the sentence around text[start:end], within its line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    begin = line_start
    for match in _SENTENCE_END.finditer(text, line_start, line_end):
        if match.end() <= start:
            begin = match.end()
        elif match.end() >= end:
            finish = match.end()
            break
    else:
        finish = line_end
    # An address or link has inner dots but ends no sentence; text after it on its line
    # ("care@example.com We will ...") is a new sentence, not part of the address.
    for token in _ADDRESS.finditer(text, begin, start):
        begin = token.end()
    while begin < start and text[begin] in " \t":
        begin += 1
    return begin, finish


def _swallow_space(text: str, start: int, end: int) -> int:
    """The end of a removal: the spaces after the sentence, and its line break when the
    sentence is a whole line (a signature line), so no empty line is left behind."""
    while end < len(text) and text[end] in " \t":
        end += 1
    if end < len(text) and text[end] == "\n" and (start == 0 or text[start - 1] == "\n"):
        end += 1
    return end


def _evidence_span(report: GuardrailReport, element: str) -> tuple[int, int] | None:
    """Where the element was found in the body, if it was."""
    for result in report.elements:
        evidence = result.evidence
        if result.element == element and evidence is not None and evidence.field == "body":
            return evidence.start, evidence.end
    return None


def _evidence_start(report: GuardrailReport, element: str) -> int | None:
    span = _evidence_span(report, element)
    return None if span is None else span[0]


def _evidence_end(report: GuardrailReport, element: str) -> int | None:
    span = _evidence_span(report, element)
    return None if span is None else span[1]


def _after_anchor(
    body: str,
    report: GuardrailReport,
    anchors: tuple[str, ...],
    removed: list[tuple[int, int]] = [],  # noqa: B006 (read only)
) -> int | None:
    for element in anchors:
        end = _evidence_end(report, element)
        if end is not None:
            at = sentence_bounds(body, max(end - 1, 0), end)[1]
            if not any(start < at <= stop for start, stop in removed):
                return at
    return None


def _after_greeting(body: str, report: GuardrailReport) -> int:
    end = _evidence_end(report, "greeting")
    if end is None:
        return 0
    at = end
    while at < len(body) and body[at] in " \t\n":
        at += 1
    return at


_BARE_MARKER = re.compile(r"[ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]*")
_NUMBERED = re.compile(r"(?P<indent>[ \t]*)\d{1,2}(?P<mark>[.)])(?=[ \t]+\S)")


def _tidy(text: str) -> str:
    """Collapse the blank lines and line-edge spaces a removal can leave behind, and put a
    sign-off that an edit joined to the sentence before it back on its own line. A list
    item whose text was removed loses its marker too ("1." alone on a line), and the items
    left are numbered again from 1."""
    lines = [_DOUBLE_SPACE.sub(" ", line.rstrip()) for line in text.split("\n")]
    lines = [line for line in lines if not _BARE_MARKER.fullmatch(line) or not line.strip()]
    count = 0
    for index, line in enumerate(lines):
        numbered = _NUMBERED.match(line)
        if numbered is None:
            count = count if not line.strip() else 0
            continue
        count += 1
        number = f"{numbered.group('indent')}{count}{numbered.group('mark')}"
        lines[index] = number + line[numbered.end() :]
    text = _GLUED_SIGN_OFF.sub("\n", "\n".join(lines))
    return _BLANK_LINES.sub("\n\n", text).strip()
