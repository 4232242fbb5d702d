"""The scanner reports one alternative per position: the first its trie tries. An element cue
with a longer literal head ("To everyone", a greeting) is tried before a rule that starts on
the same word; the rule is then looked for again at that position, so a cue never hides a
rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contract.report import GuardrailReport
from guardrails import check
from guardrails.normalise import fold, lowered
from guardrails.packs import packaged_pack_paths, read_pack
from guardrails.ruleset import CompiledRule, _alternatives, default_rules
from guardrails.scanner import build_scanner
from tests.guardrail_rules.guardrail_corpus import CORPUS, load_corpus

GOLDEN = Path(__file__).parent.parent / "golden"


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


def _errors(report: GuardrailReport) -> list[tuple[str, str]]:
    """The errors, apart from the elements a single sentence lacks."""
    return [
        (f.rule, f.excerpt)
        for f in report.findings
        if f.severity == "error" and f.rule != "elements.missing"
    ]


def test_a_rule_behind_a_greeting_is_reported() -> None:
    report = check("To everyone we upset, our sincere apologies.")
    assert ("non_apology.reverse", "To everyone we upset, our sincere apologies") in _errors(report)
    # The greeting the cue stands for is still seen.
    greeting = [e for e in report.elements if e.element == "greeting"]
    assert not greeting or greeting[0].present


def test_a_greeting_alone_draws_no_error() -> None:
    assert _errors(check("To everyone at the depot: thank you for your patience.")) == []


@pytest.mark.parametrize("posture", ["standard", "cautious"])
def test_where_a_cue_wins_a_position_every_rule_matching_there_is_reported(posture: str) -> None:
    """Compared with the rules alone, compiled into a scanner of their own: where a cue wins
    a position of the scanner, the first rule matching there is reported too."""
    packs = [read_pack(path) for path in packaged_pack_paths()]
    rules_only = build_scanner(
        [
            (source, rule.case_sensitive, rule.id)
            for pack in packs
            for rule in pack.rules
            if rule.when.liability is None or posture in rule.when.liability
            for source in _alternatives(rule)
        ]
    )
    scanner = default_rules().scanners[posture]
    texts = [t for f in sorted(CORPUS.glob("*.yaml")) for t in _strings(load_corpus(f.name))]
    texts += [f.read_text(encoding="utf-8") for f in sorted(GOLDEN.rglob("*.txt"))]
    texts.append("To everyone we upset, our sincere apologies.")
    behind_cues = 0
    for text in texts:
        low = lowered(fold(text).text)
        broken = "\n" + low
        reported = {
            (payload.id, start, end)
            for payload, start, end in scanner.matches(low, low)
            if isinstance(payload, CompiledRule)
        }
        for name, start, _ in scanner.lower.matches(low, broken):
            if isinstance(scanner.payloads[name], CompiledRule):
                continue
            rule = rules_only.lower.match_at(low, broken, start)
            if rule is not None:
                behind_cues += 1
                assert (rules_only.payloads[rule[0]], start, rule[2]) in reported, text
    assert behind_cues >= 1
