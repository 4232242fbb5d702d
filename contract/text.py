"""Caller text as it may reach a letter: no invisible characters, and what "empty" means.

Invisible here is every control character but tab, line feed and carriage return (Unicode
category Cc), every format character (Cf: the bidirectional overrides and isolates that can
make a letter read differently from what it says, zero-width spaces and joiners, the tag
characters that can smuggle hidden text into a prompt, soft hyphens) and lone surrogates
(Cs, which are not text and cannot be encoded). They are removed from every caller field that
can reach a letter before any other check runs.

A field that must say something must then still contain a visible character: one that is
neither invisible nor whitespace. `VISIBLE_PATTERN` is that rule as a regular expression for
the OpenAPI document, built from the same character table, so a client (or a fuzzer)
generating schema-valid text produces exactly the text the service accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    # Cc without tab (09), line feed (0A) and carriage return (0D)
    (0x0000, 0x0008), (0x000B, 0x000C), (0x000E, 0x001F), (0x007F, 0x009F),
    # Cf
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
    # Cs
    (0xD800, 0xDFFF),
)  # fmt: skip
"""Every Cc, Cf and Cs code point of Unicode 15 but tab, LF and CR; a test checks that the
running Python's Unicode database has none outside it."""


def _python_class() -> str:
    def escape(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    return "".join(f"{escape(a)}-{escape(b)}" if a != b else escape(a) for a, b in INVISIBLE_RANGES)


def _json_schema_class() -> str:
    # JSON Schema patterns are ECMA-262 regexes, and the tools that generate text from them
    # (schemathesis, hypothesis) read them with Python's `re`: only the \uXXXX escapes mean
    # the same to both, so the pattern names the invisible characters of the Basic
    # Multilingual Plane. The few astral ones (tag characters and the like) are removed all
    # the same; a field made of nothing but those is the one text the pattern admits and
    # validation does not.
    return "".join(
        f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}"
        for a, b in INVISIBLE_RANGES
        if b <= 0xFFFF and not 0xD800 <= a <= 0xDFFF
    )


_INVISIBLE = re.compile(f"[{_python_class()}]+")

VISIBLE_PATTERN = f"[^\\s{_json_schema_class()}]"
"""JSON Schema pattern: one character that is neither whitespace nor invisible."""
NOT_INVISIBLE_PATTERN = f"[^{_json_schema_class()}]"
"""JSON Schema pattern: one character that is not invisible (whitespace counts)."""

_SURROGATE = re.compile("[\ud800-\udfff]")


def remove_invisible(value: Any) -> Any:
    """The text without invisible characters; anything that is not a string passes through
    to the type check."""
    if isinstance(value, str) and _INVISIBLE.search(value):
        return _INVISIBLE.sub("", value)
    return value


def reject_surrogates(value: Any) -> Any:
    """Text that is checked as sent (its spans must stay the caller's) may keep its
    invisible characters, but a lone surrogate is not text at all."""
    if isinstance(value, str) and (found := _SURROGATE.search(value)):
        raise ValueError(
            f"contains an unpaired surrogate (U+{ord(found.group()):04X}) at {found.start()}"
        )
    return value


@dataclass(frozen=True)
class TextPattern:
    """Puts `pattern` into a string's JSON schema only. Validation is `remove_invisible`
    followed by stripping and a minimum length of 1, which is the same rule; pydantic's own
    `pattern` would run in another regex engine whose `\\s` differs from Python's."""

    pattern: str

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        return json_schema


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def said_once(value: str) -> str:
    """`value` with a sentence repeated back to back kept once: "Refund. Refund. Refund."
    (pasted or typed again up to the field's limit) is "Refund.", and "delay delay delay"
    is "delay". A repeat adds nothing a letter could state twice."""
    kept: list[str] = []
    for sentence in _SENTENCE_END.split(value):
        if kept and _plain(sentence) == _plain(kept[-1]):
            continue
        kept.append(sentence)
    text = " ".join(kept)
    words = _WORD.findall(text)
    if len(words) > 1 and len({w.lower() for w in words}) == 1:
        return text[: text.find(words[0]) + len(words[0])] + text[len(text.rstrip(".!?")) :]
    return text


def _plain(sentence: str) -> str:
    return " ".join(sentence.lower().rstrip(".!? ").split())


_NOT_AN_ACTION = frozenset(
    """bug bugs glitch glitches error errors mistake mistakes problem problems issue issues
    fault faults failure failures outage outages incident incidents complaint complaints
    delay delays delayed late lateness overbooking overbooked overcharge overcharged damage
    damaged broken lost missing cancelled canceled cancellation rude rudeness sorry apology
    apologies apologise apologize oops nothing none nil tbd tbc todo unknown ok okay yes no
    fixed done resolved sorted handled""".split()  # noqa: SIM905 (a word list, easier to read)
)
_LEADS = frozenset(["a", "an", "the", "our", "my", "your", "this", "that"])


def stated_description(value: str, what: str, example: str) -> str:
    """A remedy's or a prevention step's description, said once (`said_once`); an error
    naming the word when it names the problem instead of `what` it should be."""
    value = said_once(value)
    if word := names_no_action(value):
        raise ValueError(f"{word!r} names the problem, not {what}: say what is {example}")
    return value


def names_no_action(value: str) -> str | None:
    """The one word `value` consists of (an article aside) when that word names the problem,
    a feeling or a status rather than something done or offered ("Bug.", "Delay", "Sorry",
    "Fixed"); None otherwise. A letter cannot state such a word as a remedy or a step:
    "we've set up the delay" says nothing."""
    words: list[str] = _WORD.findall(value.lower().replace("’", "'"))
    while len(words) > 1 and words[0] in _LEADS:
        words = words[1:]
    rest = _WORD.sub("", value).strip(" .!?,;:'\"")
    if len(words) == 1 and not rest and words[0] in _NOT_AN_ACTION:
        return words[0]
    return None
