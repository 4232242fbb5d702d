"""Rule-pack schema and loader: YAML files that hold the guardrails' phrase lists and patterns.

A pack is one YAML mapping (the full schema, with examples, is in `packs/README.md`)::

    family: liability                  # short name of the rule family
    description: Legal terms of art and denials of responsibility.
    rules:                             # findings: each match is reported
      - id: liability.legal_term       # dotted rule id; the first part names the family
        severity: error                # error blocks the draft, warning informs
        phrases: [negligence, liable]  # literal phrases (case-insensitive, any whitespace)
        patterns: ['breach(?:es|ed)? of (?:contract|duty)']   # or Python regexes
        why: Legal terms of art read as an admission.         # becomes Finding.message
        suggestion: Describe what went wrong in plain, operational words.
        skip_negated: false            # true: ignore a match preceded by not/never/cannot...
        unless_owned: false            # true: quiet in a message that owns its failure
        case_sensitive: false
        when: {liability: [cautious], tones: [formal], channels: [email], fields: [body]}
    cues:                              # evidence that an element is present, or a remedy
      - element: regret                # word (remedy_refund...) for the commitments check
        phrases: [we are sorry]
        liability: [standard, cautious]

Packs are validated with pydantic (`extra="forbid"`), so a misspelt key is an error, and every
pattern is compiled while loading. Any problem raises `RulePackError` naming the file and the
entry, so a business's legal team can fix its own pack without reading Python.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from contract.yaml_files import read_yaml

PACK_DIR = Path(__file__).parent / "packs"

Posture = Literal["standard", "cautious"]
CueElement = Literal[
    "acknowledgment",
    "responsibility",
    "regret",
    "amends",
    "prevention",
    "greeting",
    "invitation",
    "close",
    "remedy_refund",
    "remedy_credit",
    "remedy_discount",
    "remedy_replacement",
    "remedy_voucher",
    "remedy_free",
    "remedy_compensation",
    "remedy_goods",
    "remedy_upgrade",
]

# Numbered back-references would point at the wrong group once a pattern is joined into a
# family-wide alternation, and named groups could collide with the names the compiler adds.
_UNSAFE_GROUPS = re.compile(r"\\[1-9]|\(\?P[<=]")


_ESCAPE_OR_CLASS = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]")


def _bar_outside_groups(pattern: str) -> bool:
    """A `|` outside every group: the packs' patterns are joined into one scan, where such a
    pattern would match nothing (escapes and character classes are skipped first)."""
    depth = 0
    for char in _ESCAPE_OR_CLASS.sub("x", pattern):
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            return True
    return False


class RulePackError(ValueError):
    """A rule pack cannot be read or fails validation; the message names file and entry."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class When(_Strict):
    """Conditions under which a rule applies; an absent key means "always"."""

    liability: list[Posture] | None = None
    tones: list[str] | None = None
    channels: list[str] | None = None
    fields: list[Literal["body", "subject"]] | None = None


class _Matcher(_Strict):
    phrases: list[str] = []
    patterns: list[str] = []
    case_sensitive: bool = False

    @model_validator(mode="after")
    def _has_something_to_match(self) -> _Matcher:
        if not self.phrases and not self.patterns:
            raise ValueError("give at least one of `phrases` or `patterns`")
        for phrase in self.phrases:
            if not phrase.strip():
                raise ValueError("a phrase is empty")
        for pattern in self.patterns:
            if _bar_outside_groups(pattern):
                raise ValueError(
                    f"pattern {pattern!r}: a | outside any group; wrap the alternatives in "
                    "(?:...) or give each as its own pattern"
                )
            if _UNSAFE_GROUPS.search(pattern):
                raise ValueError(
                    f"pattern {pattern!r}: back-references and named groups are "
                    "not allowed; use (?:...) groups"
                )
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} is not a valid regex: {exc}") from exc
            if compiled.match(""):
                raise ValueError(f"pattern {pattern!r} matches the empty string")
        return self


class Rewrite(_Strict):
    """One safe rewording: `pattern` (a regex, matched case-insensitively in the finding's
    excerpt) is replaced by `text` (which may use `\\1`-style groups of the pattern)."""

    pattern: str
    text: str

    @model_validator(mode="after")
    def _compiles(self) -> Rewrite:
        try:
            re.compile(self.pattern)
        except re.error as exc:
            raise ValueError(f"pattern {self.pattern!r} is not a valid regex: {exc}") from exc
        return self


class FixSpec(_Strict):
    """The mechanical fix a rule's findings carry: `replace` rewords the excerpt with the
    first rewrite whose pattern it contains (or removes the sentence when none does);
    `remove_sentence` removes it."""

    action: Literal["replace", "remove_sentence"]
    rewrites: list[Rewrite] = []


class RuleEntry(_Matcher):
    """One reportable rule: what to match, how serious it is, why, and what to say instead."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    severity: Literal["error", "warning"]
    why: str = Field(min_length=1)
    suggestion: str = Field(min_length=1)
    skip_negated: bool = False
    unless_owned: bool = False
    """Quiet in a message that owns its own failure anywhere ("we made a mistake", "our
    part"): an outside cause explained beside ownership is not blame."""
    when: When = When()
    fix: FixSpec | None = None


class CueEntry(_Matcher):
    """Wording that shows an element is present (negated or hedged uses never count)."""

    element: CueElement
    liability: list[Posture] = ["standard", "cautious"]


class RulePack(_Strict):
    family: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str
    rules: list[RuleEntry] = []
    cues: list[CueEntry] = []
    words: dict[str, list[str] | dict[str, str | int]] = {}
    """Named English word lists the code rules read (see `lexicon.py`)."""


def _entry_label(raw: object, loc: tuple[int | str, ...]) -> str:
    """Name the entry a validation error is about: `rules[3] (liability.legal_term)`."""
    if len(loc) >= 2 and loc[0] in ("rules", "cues") and isinstance(loc[1], int):
        label = f"{loc[0]}[{loc[1]}]"
        items = raw.get(loc[0]) if isinstance(raw, dict) else None
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            name = items[loc[1]].get("id") or items[loc[1]].get("element")
            if name:
                label += f" ({name})"
        return label
    return "pack"


def read_pack(path: Path) -> RulePack:
    """Read and validate one pack file; raises RulePackError naming the file and entry."""
    raw = read_yaml(path, RulePackError, f"rule pack {path}")
    try:
        pack = RulePack.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = ".".join(str(part) for part in loc[2:]) or "-"
            problems.append(f"{_entry_label(raw, loc)} field {where}: {err['msg']}")
        raise RulePackError(f"rule pack {path}: " + "; ".join(problems)) from exc
    seen: set[str] = set()
    for index, rule in enumerate(pack.rules):
        if rule.id in seen:
            raise RulePackError(f"rule pack {path}: rules[{index}] ({rule.id}): id repeats")
        seen.add(rule.id)
    return pack


def packaged_pack_paths() -> list[Path]:
    """The packs shipped with the package, in a stable order."""
    return sorted(PACK_DIR.glob("*.yaml"))
