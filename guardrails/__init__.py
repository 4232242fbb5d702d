"""Deterministic guardrails for apology drafts.

Public API::

    load_rules(extra_packs=()) -> RuleSet     # packaged packs + a business's own YAML packs
    check(body, *, subject=None, channel="email", context=None, rules=None) -> GuardrailReport

Rules are data (YAML packs in `guardrails/packs/`, schema in `packs/README.md` and
`guardrails.packs`) plus small pure functions; a bad pack raises `RulePackError` naming the
file and entry. `check` with `rules=None` uses the packaged rules, compiled once.
"""

from contract.report import ElementResult, Evidence, Finding, GuardrailReport
from guardrails.checker import check
from guardrails.packs import RulePackError
from guardrails.ruleset import RuleSet, load_rules

__all__ = [
    "ElementResult",
    "Evidence",
    "Finding",
    "GuardrailReport",
    "RulePackError",
    "RuleSet",
    "check",
    "load_rules",
]
