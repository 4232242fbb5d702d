"""Rule packs: a business can add its own banned phrases without code, and a malformed pack
fails loudly with the file and entry named."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrails import RulePackError, check, load_rules

LEGAL_PACK = """
family: legal_team
description: Phrases our legal team does not want in any customer letter.
rules:
  - id: legal_team.goodwill
    severity: error
    phrases: [without prejudice, goodwill payment]
    why: Legal asked us never to characterise a remedy this way.
    suggestion: Describe the remedy plainly, e.g. "we have refunded the fee".
"""

BODY = "We are sorry. We would like to make a goodwill payment to you."


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_extra_pack_adds_a_banned_phrase(tmp_path: Path) -> None:
    rules = load_rules([_write(tmp_path, "legal.yaml", LEGAL_PACK)])
    with_pack = check(BODY, channel="sms", rules=rules)
    without = check(BODY, channel="sms")
    hits = [f for f in with_pack.findings if f.rule == "legal_team.goodwill"]
    assert [(h.excerpt, h.start) for h in hits] == [("goodwill payment", BODY.index("goodwill"))]
    assert hits[0].suggestion and "refunded" in hits[0].suggestion
    assert not any(f.rule.startswith("legal_team") for f in without.findings)


def test_extra_pack_can_add_cues(tmp_path: Path) -> None:
    pack = """
family: house_style
description: Our own way of saying sorry.
cues:
  - element: regret
    phrases: [we owe you one]
"""
    rules = load_rules([_write(tmp_path, "house.yaml", pack)])
    regret = {e.element: e for e in check("We owe you one.", channel="sms", rules=rules).elements}
    assert regret["regret"].present
    default = {e.element: e for e in check("We owe you one.", channel="sms").elements}
    assert not default["regret"].present


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (LEGAL_PACK.replace("severity: error", "severity: fatal"), "legal_team.goodwill"),
        (LEGAL_PACK.replace("    why:", "    reason:"), "reason"),
        (
            LEGAL_PACK.replace(
                "phrases: [without prejudice, goodwill payment]", "patterns: ['goodwill (payment']"
            ),
            "not a valid regex",
        ),
        (
            LEGAL_PACK.replace("phrases: [without prejudice, goodwill payment]", "phrases: []"),
            "phrases",
        ),
        (
            LEGAL_PACK.replace(
                "phrases: [without prejudice, goodwill payment]",
                "patterns: ['ex gratia|goodwill']",
            ),
            "a | outside any group",
        ),
        (LEGAL_PACK.replace("id: legal_team.goodwill", "id: Goodwill"), "rules[0]"),
        ("family: x\ndescription: y\nrules: [", "cannot read"),
        (LEGAL_PACK + LEGAL_PACK.split("rules:\n")[1], "repeats"),
    ],
    ids=[
        "bad severity",
        "unknown key",
        "bad regex",
        "nothing to match",
        "bar outside a group",
        "bad id",
        "bad yaml",
        "repeated id",
    ],
)
def test_malformed_pack_names_file_and_problem(tmp_path: Path, text: str, named: str) -> None:
    path = _write(tmp_path, "broken_pack.yaml", text)
    with pytest.raises(RulePackError) as caught:
        load_rules([path])
    message = str(caught.value)
    assert "broken_pack.yaml" in message
    assert named in message


def test_rule_pack_error_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"missing\.yaml"):
        load_rules([tmp_path / "missing.yaml"])


def test_packaged_packs_all_load_and_every_rule_has_advice() -> None:
    rules = load_rules()
    assert any(source.endswith("liability.yaml") for source in rules.sources)
    payloads = rules.scanners["standard"].payloads.values()
    compiled = [p for p in payloads if not isinstance(p, str)]
    assert compiled
    assert all(rule.why and rule.suggestion for rule in compiled)


def test_a_set_of_packs_is_compiled_once_until_a_file_changes(tmp_path: Path) -> None:
    """Every app and pipeline of a process shares the compiled rules; an edited pack is read
    again."""
    path = _write(tmp_path, "legal.yaml", LEGAL_PACK)
    first = load_rules([path])
    assert load_rules([path]) is first
    assert load_rules() is not first
    path.write_text(LEGAL_PACK.replace("goodwill payment", "ex gratia payment"), encoding="utf-8")
    edited = load_rules([path])
    assert edited is not first
    assert any(
        f.rule == "legal_team.goodwill" for f in check(BODY, channel="sms", rules=first).findings
    )
    assert not any(
        f.rule == "legal_team.goodwill" for f in check(BODY, channel="sms", rules=edited).findings
    )
