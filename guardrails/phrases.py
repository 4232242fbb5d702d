"""Phrase-list families (liability, non-apologies, blame, guarantees, placeholders, model
artefacts, privacy requests, tone, and any pack a business adds): every match of an
applicable rule becomes a finding. Also the count-based over-apologising warning."""

from __future__ import annotations

import re
from collections.abc import Sequence

from contract.report import Finding, TextField
from guardrails.ruleset import CompiledRule
from guardrails.spans import finding, is_negated

OVER_APOLOGY_RULE = "non_apology.over_apologising"
_APOLOGY = re.compile(r"\b(?:sorry|apolog(?:y|ies|ise|ize|ised|ized|ising|izing)|regrets?)\b")


def rule_findings(
    hits: Sequence[tuple[CompiledRule, int, int]],
    text: str,
    low: str,
    *,
    field: TextField,
    liability: str,
    tone: str | None,
    channel: str,
) -> list[Finding]:
    """Findings for the applicable, non-negated rule matches among `hits` (from the rule
    set's scanner; `low` is `text` lowercased, see `scanner.lowered`)."""
    found: list[Finding] = []
    for rule, start, end in hits:
        if not rule.applies(field, liability, tone, channel):
            continue
        if rule.skip_negated and is_negated(low, start):
            continue
        found.append(
            finding(rule.id, rule.severity, rule.why, text, start, end, rule.suggestion, field)
        )
    return found


def allowed_apologies(word_count: int) -> int:
    """Three apologies fit any short message; a long letter earns one more per 100 words."""
    return 3 + max(0, (word_count - 200) // 100)


def over_apologising(body: str, low: str) -> list[Finding]:
    """One warning at the first apology beyond what the letter's length can carry."""
    # Counting substrings first is far cheaper than a regex scan (or splitting the body into
    # words for the limit), and almost every letter is under even the smallest limit.
    stems = low.count("sorry") + low.count("apolog") + low.count("regret")
    if stems <= allowed_apologies(0):
        return []
    limit = allowed_apologies(len(body.split()))
    if stems <= limit:
        return []
    apologies = [m for m in _APOLOGY.finditer(low) if not is_negated(low, m.start())]
    if len(apologies) <= limit:
        return []
    extra = apologies[limit]
    return [
        finding(
            OVER_APOLOGY_RULE,
            "warning",
            f"{len(apologies)} apologies in one message; repeating sorry dilutes it "
            f"(at most {limit} fit a message this long).",
            body,
            extra.start(),
            extra.end(),
            "Apologise once, clearly and specifically; use the other sentences for what you "
            "have done and will do.",
        )
    ]
