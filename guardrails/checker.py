"""`check()`: run every rule over a draft and assemble the `GuardrailReport`.

Each rule is a pure function returning findings; this module only decides which rules run
(context-dependent rules are skipped, and listed, without a `DraftRequest`), removes a
finding nested inside another of the same family, and orders the result deterministically.
"""

from __future__ import annotations

from contract.catalog import Channel, get_catalog
from contract.models import DraftRequest
from contract.report import Finding, GuardrailReport, TextField
from guardrails import channel as channel_rules
from guardrails.commitments import (
    CONTEXT_RULES,
    status_and_omissions,
    unauthorised_remedies,
    unsupported_facts,
)
from guardrails.echo import ECHO_RULE, scan_echo
from guardrails.elements import find_elements, missing_findings
from guardrails.facts import Fact, facts_from_hits
from guardrails.phrases import over_apologising, rule_findings
from guardrails.privacy import scan_privacy
from guardrails.ruleset import CompiledRule, RuleSet, default_rules
from guardrails.scanner import lowered
from guardrails.supplied import supplied_from

SKIPPED_WITHOUT_CONTEXT: tuple[str, ...] = (*CONTEXT_RULES, ECHO_RULE)


def _channel(key: str) -> Channel:
    channels = get_catalog().channels
    if key not in channels:
        raise ValueError(f"unknown channel {key!r}; valid keys: {', '.join(sorted(channels))}")
    return channels[key]


def _tidy(findings: list[Finding], texts: dict[str, str]) -> list[Finding]:
    """Merge overlapping findings of one rule into one, drop a finding nested inside a longer
    one of the same family, and order the rest by field, position and rule."""
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
    kept = [f for f in merged if f.start == f.end or not _nested(f, merged)]
    return sorted(kept, key=lambda f: (f.field != "subject", f.start, f.end, f.rule))


def _nested(candidate: Finding, others: list[Finding]) -> bool:
    """True when another finding of the same family and field strictly contains this one."""
    family = candidate.rule.split(".", 1)[0]
    return any(
        other is not candidate
        and other.field == candidate.field
        and other.rule.split(".", 1)[0] == family
        and other.start <= candidate.start
        and candidate.end <= other.end
        and (other.end - other.start) > (candidate.end - candidate.start)
        for other in others
    )


def check(
    body: str,
    *,
    subject: str | None = None,
    channel: str = "email",
    context: DraftRequest | None = None,
    rules: RuleSet | None = None,
) -> GuardrailReport:
    """Check one draft; `passed` is true exactly when no finding has severity `error`."""
    form = _channel(channel)
    rules = rules if rules is not None else default_rules()
    liability = context.liability if context is not None else "standard"
    tone = context.tone if context is not None else None
    texts: list[tuple[TextField, str, str]] = [("body", body, lowered(body))]
    if subject:
        texts.append(("subject", subject, lowered(subject)))
    low = texts[0][2]

    scanner = rules.scanners[liability]
    findings: list[Finding] = []
    cues_by_field: dict[str, dict[str, list[tuple[int, int]]]] = {}
    facts_by_field: dict[str, list[tuple[str, int, int]]] = {}
    for field, text, text_low in texts:
        hits: list[tuple[CompiledRule, int, int]] = []
        field_cues = cues_by_field.setdefault(field, {})
        field_facts = facts_by_field.setdefault(field, [])
        for payload, start, end in scanner.matches(text, text_low):
            if isinstance(payload, CompiledRule):
                hits.append((payload, start, end))
            elif payload.startswith("fact:"):
                field_facts.append((payload, start, end))
            else:
                field_cues.setdefault(payload, []).append((start, end))
        findings += rule_findings(
            hits, text, text_low, field=field, liability=liability, tone=tone, channel=channel
        )
        findings += scan_privacy(text, field)
    findings += over_apologising(body, low)
    findings += channel_rules.check_length(body, form)
    findings += channel_rules.check_public(body, form, context)

    elements = find_elements(
        body, subject, low=low, cues=cues_by_field["body"], channel=form, context=context
    )
    findings += missing_findings(elements, body, liability)

    skipped: list[str] = []
    if context is None:
        skipped = list(SKIPPED_WITHOUT_CONTEXT)
    else:
        supplied = supplied_from(context)
        body_facts: list[Fact] = []
        for field, text, text_low in texts:
            facts = facts_from_hits(text, text_low, facts_by_field[field])
            body_facts = facts if field == "body" else body_facts
            findings += unsupported_facts(text, text_low, facts, supplied, field)
            findings += unauthorised_remedies(text, text_low, cues_by_field[field], supplied, field)
        amends_required = any(e["element"] == "amends" and e["required"] for e in elements)
        findings += status_and_omissions(body, low, body_facts, supplied, amends_required)
        findings += scan_echo(body, context.incident.customer_message)

    kept = _tidy(findings, {field: text for field, text, _ in texts})
    # The elements are plain data until here: validating them with the report is one call
    # into pydantic-core instead of one per element and evidence span.
    return GuardrailReport.model_validate(
        {
            "passed": not any(f.severity == "error" for f in kept),
            "elements": elements,
            "findings": kept,
            "skipped": skipped,
        }
    )
