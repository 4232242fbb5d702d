"""`check()`: run every rule over a draft and assemble the `GuardrailReport`.

Every rule is a function of one `Draft` (the per-check object, see `draft.py`) returning
findings, listed once in `RULES` with the rule ids it reports and whether it needs the
caller's request; the rules skipped without a request are derived from that table. This
module folds the text, runs the table, keeps at most `MAX_PER_RULE` findings per rule,
merges overlapping findings of one rule, drops a finding nested inside a longer one of the
same family, attaches the packs' mechanical fixes, and maps every span back to the text as
given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from contract.catalog import Channel, get_catalog
from contract.models import DraftRequest
from contract.report import EvidenceData, Finding, Fix, GuardrailReport
from guardrails import channel as channel_rules
from guardrails.commitments import (
    METRIC,
    UNAUTHORISED,
    UNSUPPORTED,
    unauthorised_remedies,
    unsupported_facts,
)
from guardrails.draft import Draft, Text, read
from guardrails.echo import ECHO_RULE, scan_echo
from guardrails.elements import MISSING_RULE, find_elements, missing_findings
from guardrails.letter_slips import (
    ADDED_TERMS,
    CAUSE_CUE,
    DONE_AS_FUTURE,
    INVENTED_CAUSE,
    INVENTED_CONTACT,
    INVENTED_IMPACT,
    INVENTED_PERK,
    added_terms,
    done_as_future,
    invented_cause,
    invented_contact,
    invented_impact,
    invented_perk,
    reader_named,
)
from guardrails.model_claims import (
    CIRCULAR_HARM,
    CIRCULAR_HARM_CUE,
    FORMAL_CHAT_GREETING,
    INVENTED_EFFECT,
    KIND_LABEL,
    MINIMISED_HARM,
    MINIMISED_HARM_CUE,
    MOVED_DATE,
    OVERSTATED,
    OVERSTATED_CUE,
    OWNED_FAULT,
    OWNED_FAULT_CUE,
    PLURAL_VOICE,
    PLURAL_VOICE_CUE,
    READER_ACTION,
    REMEDY_AS_PREVENTION,
    RESTATED_PREVENTION,
    STOCK_PHRASE,
    SWAPPED_ORGANISATION,
    circular_harm,
    formal_chat_greeting,
    invented_effect,
    kind_label,
    minimised_harm,
    moved_date,
    overstated,
    owned_fault,
    plural_voice,
    reader_action,
    reader_as_ours,
    restated_prevention,
    stock_phrase,
    swapped_organisation,
)
from guardrails.model_wording import (
    AS_RESULT_CUE,
    CLICHE,
    CLICHE_CUE,
    HARM_TO_SENDER,
    HARM_TO_SENDER_CUE,
    REMEDY_AS_RESULT,
    REMEDY_BENEFIT,
    REMEDY_BENEFIT_CUE,
    SAID_AGAIN,
    SUBJECT_STATUS,
    VAGUE_IMPACT,
    VAGUE_IMPACT_CUE,
    cliche,
    harm_to_sender,
    remedy_as_result,
    remedy_benefit,
    said_again,
    subject_status,
    vague_impact,
)
from guardrails.packs import FixSpec
from guardrails.phrases import (
    OVER_APOLOGY_RULE,
    REPEATED_RULE,
    over_apologising,
    repeated_sentences,
    rule_findings,
)
from guardrails.privacy import CARD_RULE, NATIONAL_ID_RULE, scan_privacy
from guardrails.remedy_status import (
    OMITTED,
    OMITTED_REFERENCE,
    STATUS,
    omissions,
    omitted_reference,
    status,
)
from guardrails.request_rules import RULE_IDS as REQUEST_RULES
from guardrails.request_rules import check_request
from guardrails.ruleset import RuleSet, default_rules
from guardrails.spans import MAX_PER_RULE
from guardrails.structure import RULE_IDS as STRUCTURE_RULES
from guardrails.structure import structural_findings


@dataclass(frozen=True, slots=True)
class Rule:
    """One code rule: the function, the rule ids it reports, and whether it needs the
    caller's request (without one it is skipped and listed in `skipped`)."""

    run: Callable[[Draft], list[Finding]]
    ids: tuple[str, ...]
    needs_context: bool = False
    cue: tuple[str, ...] = ()
    """Strings one of which the body's lowered text holds wherever the rule (which then reads
    the body only) can find anything: a body without them is not read by it. Empty: the rule
    reads every draft. Each cue is kept beside the patterns it stands for."""

    def runs_on(self, draft: Draft) -> bool:
        """Whether the rule is run over `draft`: it has a request when the rule needs one,
        and its body holds the rule's cue."""
        if self.needs_context and draft.context is None:
            return False
        return not self.cue or any(word in draft.body.low for word in self.cue)


RULES: tuple[Rule, ...] = (
    Rule(rule_findings, ("<pack rules>",)),
    Rule(structural_findings, STRUCTURE_RULES),
    Rule(scan_privacy, (CARD_RULE, NATIONAL_ID_RULE)),
    Rule(over_apologising, (OVER_APOLOGY_RULE,)),
    Rule(repeated_sentences, (REPEATED_RULE,)),
    Rule(channel_rules.check_length, (channel_rules.LENGTH_RULE, channel_rules.WORDS_RULE)),
    Rule(channel_rules.check_public, tuple(channel_rules.PUBLIC_RULES.values())),
    Rule(channel_rules.check_public_invitation, (channel_rules.PUBLIC_INVITATION,)),
    Rule(missing_findings, (MISSING_RULE,)),
    Rule(unsupported_facts, (UNSUPPORTED, METRIC), needs_context=True),
    Rule(status, (STATUS,), needs_context=True),
    Rule(omissions, (OMITTED,), needs_context=True),
    Rule(omitted_reference, (OMITTED_REFERENCE,), needs_context=True),
    Rule(unauthorised_remedies, (UNAUTHORISED,), needs_context=True),
    Rule(scan_echo, (ECHO_RULE,), needs_context=True),
    Rule(check_request, REQUEST_RULES, needs_context=True),
    # Reports `request.third_person`, listed with the request rules above.
    Rule(reader_named, (), needs_context=True),
    Rule(done_as_future, (DONE_AS_FUTURE,), needs_context=True),
    Rule(added_terms, (ADDED_TERMS,), needs_context=True),
    Rule(invented_cause, (INVENTED_CAUSE,), needs_context=True, cue=CAUSE_CUE),
    Rule(invented_impact, (INVENTED_IMPACT,), needs_context=True),
    Rule(invented_perk, (INVENTED_PERK,), needs_context=True),
    Rule(invented_contact, (INVENTED_CONTACT,), needs_context=True),
    Rule(reader_action, (READER_ACTION,), needs_context=True),
    Rule(moved_date, (MOVED_DATE,), needs_context=True),
    Rule(restated_prevention, (RESTATED_PREVENTION, REMEDY_AS_PREVENTION), needs_context=True),
    Rule(formal_chat_greeting, (FORMAL_CHAT_GREETING,)),
    Rule(plural_voice, (PLURAL_VOICE,), needs_context=True, cue=PLURAL_VOICE_CUE),
    Rule(invented_effect, (INVENTED_EFFECT,), needs_context=True),
    Rule(stock_phrase, (STOCK_PHRASE,), needs_context=True),
    Rule(swapped_organisation, (SWAPPED_ORGANISATION,), needs_context=True),
    # Reports `request.third_person`, listed with the request rules above.
    Rule(reader_as_ours, (), needs_context=True),
    Rule(owned_fault, (OWNED_FAULT,), needs_context=True, cue=OWNED_FAULT_CUE),
    Rule(circular_harm, (CIRCULAR_HARM,), cue=CIRCULAR_HARM_CUE),
    Rule(kind_label, (KIND_LABEL,), needs_context=True),
    Rule(minimised_harm, (MINIMISED_HARM,), needs_context=True, cue=MINIMISED_HARM_CUE),
    Rule(overstated, (OVERSTATED,), needs_context=True, cue=OVERSTATED_CUE),
    Rule(vague_impact, (VAGUE_IMPACT,), needs_context=True, cue=VAGUE_IMPACT_CUE),
    Rule(remedy_as_result, (REMEDY_AS_RESULT,), needs_context=True, cue=AS_RESULT_CUE),
    Rule(cliche, (CLICHE,), cue=CLICHE_CUE),
    Rule(said_again, (SAID_AGAIN,)),
    Rule(subject_status, (SUBJECT_STATUS,), needs_context=True),
    Rule(remedy_benefit, (REMEDY_BENEFIT,), needs_context=True, cue=REMEDY_BENEFIT_CUE),
    Rule(harm_to_sender, (HARM_TO_SENDER,), needs_context=True, cue=HARM_TO_SENDER_CUE),
)
"""Every code rule, in the order it runs; pack rules are all run by `rule_findings`."""

SKIPPED_WITHOUT_CONTEXT: tuple[str, ...] = tuple(
    rule_id for rule in RULES if rule.needs_context for rule_id in rule.ids
)


def _channel(key: str) -> Channel:
    channels = get_catalog().channels
    if key not in channels:
        raise ValueError(f"unknown channel {key!r}; valid keys: {', '.join(sorted(channels))}")
    return channels[key]


def _capped(findings: list[Finding]) -> list[Finding]:
    """At most `MAX_PER_RULE` findings of each rule and field, the first ones in the text."""
    counts: dict[tuple[str, str], int] = {}
    kept = []
    for item in sorted(findings, key=lambda f: (f.start, f.end)):
        key = (item.rule, item.field)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= MAX_PER_RULE:
            kept.append(item)
    return kept


def _tidy(findings: list[Finding], texts: dict[str, str]) -> list[Finding]:
    """Merge overlapping findings of one rule into one, drop a finding nested inside a longer
    one of the same family, and order the rest by field, position and rule. One sort and
    one pass each: linear after sorting."""
    ordered = sorted(findings, key=lambda f: (f.field != "subject", f.rule, f.start, -f.end))
    merged: list[Finding] = []
    for item in ordered:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.rule == item.rule
            and last.field == item.field
            and item.start < last.end
        ):
            if item.end > last.end:
                text = texts[item.field]
                merged[-1] = last.model_copy(
                    update={"end": item.end, "excerpt": text[last.start : item.end]}
                )
            continue
        merged.append(item)
    # Within a field, family and severity, sorted by start and then longest first: a finding
    # is nested when an earlier one with a different span reaches at least as far. An error
    # is never hidden inside a warning (a letter over its character limit inside the
    # word-range warning that starts earlier).
    by_family = sorted(
        merged, key=lambda f: (f.field, f.rule.split(".", 1)[0], f.severity, f.start, -f.end)
    )
    kept: list[Finding] = []
    group: tuple[str, str, str] | None = None
    reach = -1  # the furthest end among earlier findings of the group with another span
    span_reach = -1  # the same, up to but excluding the current run of equal spans
    previous: tuple[int, int] | None = None
    for item in by_family:
        key = (item.field, item.rule.split(".", 1)[0], item.severity)
        if key != group:
            group, reach, span_reach, previous = key, -1, -1, None
        span = (item.start, item.end)
        if span != previous:
            span_reach = reach
            previous = span
        if item.start == item.end or span_reach < item.end:
            kept.append(item)
        reach = max(reach, item.end)
    return sorted(kept, key=lambda f: (f.field != "subject", f.start, f.end, f.rule))


def _pack_fix(spec: FixSpec, excerpt: str) -> Fix:
    """The fix a pack rule's finding carries: the first rewrite whose pattern the excerpt
    contains, keeping its leading capital; otherwise removal of the sentence."""
    if spec.action == "replace":
        for rewrite in spec.rewrites:
            pattern = re.compile(rewrite.pattern, re.IGNORECASE)
            if pattern.search(excerpt):
                text = pattern.sub(rewrite.text, excerpt, count=1)
                if excerpt[:1].isupper():
                    text = text[:1].upper() + text[1:]
                return Fix(action="replace", text=text)
    return Fix(action="remove_sentence")


def _original(finding: Finding, texts: Mapping[str, Text], fixes: Mapping[str, FixSpec]) -> Finding:
    """The finding with its span and excerpt in the text as given, and its pack fix."""
    update: dict[str, object] = {}
    checked = texts.get(finding.field)
    if checked is not None and checked.folded.origin is not None:
        start, end = checked.folded.span(finding.start, finding.end)
        excerpt = checked.folded.original[start:end]
        update = {"start": start, "end": end, "excerpt": excerpt}
    spec = fixes.get(finding.rule)
    if spec is not None and finding.fix is None:
        update["fix"] = _pack_fix(spec, finding.excerpt)
    return finding.model_copy(update=update) if update else finding


def _evidence_original(evidence: EvidenceData | None, texts: Mapping[str, Text]) -> None:
    if evidence is None:
        return
    checked = texts[evidence["field"]]
    if checked.folded.origin is None:
        return
    start, end = checked.folded.span(evidence["start"], evidence["end"])
    evidence["start"], evidence["end"] = start, end
    evidence["text"] = checked.folded.original[start:end]


def check(
    body: str,
    *,
    subject: str | None = None,
    channel: str = "email",
    context: DraftRequest | None = None,
    rules: RuleSet | None = None,
    source: str | None = None,
) -> GuardrailReport:
    """Check one draft; `passed` is true exactly when no finding has severity `error`.

    `source`: for a rewrite checked without a request, the text it was rewritten from. A
    rewrite adds no facts, so where the source has no prevention step the rewrite is not
    asked for one (with a request, its own prevention steps decide, as for any draft)."""
    form = _channel(channel)
    draft = read(body, subject, form, channel, context, rules or default_rules())
    draft.elements = find_elements(draft)
    if context is None and source is not None and not _carries_prevention(draft, source):
        for element in draft.elements:
            if element["element"] == "prevention":
                element["required"] = False
    findings: list[Finding] = []
    for rule in RULES:
        if rule.runs_on(draft):
            findings += rule.run(draft)
    texts: dict[str, Text] = {t.field: t for t in draft.texts}
    kept = _tidy(_capped(findings), {field: t.text for field, t in texts.items()})
    kept = [_original(f, texts, draft.rules.fixes) for f in kept]
    for element in draft.elements:
        _evidence_original(element["evidence"], texts)
    # The elements are plain data until here: validating them with the report is one call
    # into pydantic-core instead of one per element and evidence span.
    return GuardrailReport.model_validate(
        {
            "passed": not any(f.severity == "error" for f in kept),
            "elements": draft.elements,
            "findings": kept,
            "skipped": [] if context is not None else list(SKIPPED_WITHOUT_CONTEXT),
        }
    )


def _carries_prevention(draft: Draft, source: str) -> bool:
    """Whether the draft or the `source` it was rewritten from states a prevention step (the
    source is read only when the draft does not)."""
    if any(e["element"] == "prevention" and e["present"] for e in draft.elements):
        return True
    read_source = read(source, None, draft.channel, draft.channel_key, None, draft.rules)
    return any(e["element"] == "prevention" and e["present"] for e in find_elements(read_source))
