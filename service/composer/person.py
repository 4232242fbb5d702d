"""Addressing the reader: a caller's third-person wording for the person we are writing to
("the customer's trip", "he had to find another suit") turned into "you" and "your".

The swap is made only where the reader is clearly the one meant:

* "the customer" / "the client" when writing to a customer or client, and the one role noun
  the summary names ("The subscriber paused his plan", "On 11 May the guest had ..."): the
  caller tells the story of the person we are writing to;
* the reader's own name ("Rosa walked into the review", "without sending Rosa the notes"),
  unless the first name is also a month or a day ("May", "June");
* "he"/"she" (and "his"/"her"/"him") once some phrase of the request has shown that the
  pronoun means the reader: the impact or summary starts with it, or it follows "the
  customer" in the same phrase. A phrase that names anyone else (a son, a guest, a friend)
  keeps its pronouns, and so does a request that uses both "he" and "she".

A swapped subject takes the verb form that goes with "you" ("he restarts" -> "you restart",
"the customer was" -> "you were"). Nothing else in the phrase changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from service.composer.shapes import word_set

HONORIFICS = word_set("mr mrs ms miss mx dr prof sir dame captain capt rev revd cllr")
_GENDERED = {"mr": "he", "sir": "he", "mrs": "she", "ms": "she", "miss": "she", "dame": "she"}


def honorific_pronoun(name: str | None) -> str:
    """ "he" or "she" when the reader's name starts with a title that says so ("Mrs Dube"),
    else ""."""
    first = (name or "").split(" ", 1)[0].rstrip(".").lower()
    return _GENDERED.get(first, "")


def is_honorific(word: str) -> bool:
    """ "Dr", "ms.", "Prof": a title, not a first name (so no "Hi Dr,")."""
    return word.rstrip(".").lower() in HONORIFICS


_FAMILIES = {
    "he": {"he": "you", "him": "you", "his": "your", "himself": "yourself"},
    "she": {"she": "you", "hers": "yours", "herself": "yourself"},
    "they": {"they": "you", "them": "you", "their": "your", "theirs": "yours"},
}
_OTHER_PEOPLE = word_set(
    "son daughter wife husband partner child children kid kids baby mother father mum mom "
    "dad parent parents brother sister friend friends colleague boss manager guest guests "
    "family grandmother grandfather fiance fiancee fiancé fiancée boyfriend girlfriend "
    "nephew niece cousin"
)
_KIN = {
    "he": word_set(
        "son husband father dad brother boyfriend nephew grandfather grandson fiance fiancé "
        "stepson stepfather"
    ),
    "she": word_set(
        "daughter wife mother mum mom sister girlfriend niece grandmother granddaughter "
        "fiancee fiancée stepdaughter stepmother"
    ),
}


def names_kin(text: str, pronoun: str) -> bool:
    """Whether `text` names someone close to the reader whom `pronoun` ("he", "she") could
    mean: "your son's account" to Mr Patel makes "his birthday money" the son's."""
    words = (w.lower().removesuffix("'s").removesuffix("'") for w in _WORD.findall(text))
    return any(w in _KIN.get(pronoun, ()) for w in words)


_AGREE = {
    "was": "were",
    "is": "are",
    "has": "have",
    "does": "do",
    "wasn't": "weren't",
    "isn't": "aren't",
    "hasn't": "haven't",
    "doesn't": "don't",
}
_NOT_VERBS = word_set("us always perhaps thus this")
_FUNCTION = word_set(
    "a an the to of for with in on at by from about into and or but that this when while "
    "if so as than"
)
ROLE_NOUNS = word_set(
    "customer client guest subscriber traveller traveler passenger member patient buyer "
    "user tenant student diner shopper policyholder"
)
"""Singular nouns a caller may use for the person the draft is written to."""
PLURAL_ROLES = word_set(
    "customers clients guests passengers travellers travelers patients diners tenants"
)
"""The reader and whoever was with them ("The guests arrived for their anniversary stay"
written to one of the couple): "you" serves one person and several alike."""
_PLURAL_OPENING = re.compile(r"^(?:on [^,]{1,40}, )?the (\w+) ", re.IGNORECASE)
_PLURAL_VERBS = word_set(
    "were weren't had hadn't have haven't are aren't did didn't could couldn't got came "
    "found paid lost spent sat stood went made took"
)
_THIRD_PARTIES = word_set(
    "staff team courier carrier driver drivers supplier vendor agent agents engineer "
    "engineers technician technicians airline bank partner contractor crew housekeeping "
    "reception receptionist police"
)
"""Others a caller's "they" may mean: a phrase naming one keeps its "they"."""
_ROLE_MENTION = re.compile(r"\bthe (\w+)\b", re.IGNORECASE)
_BEFORE_SUBJECT = word_set("and that because when while so but after before until once if whenever")
_MARK = "\x00"
"""Marks a "you" that replaced a subject, so that its verb can be made to agree."""
_SUBJECT = re.compile(
    _MARK + r"([Yy]ou)(\s+(?:(?:now|also|already|always|never|still|then|often|usually|just)"
    r"\s+)?)([a-z']+)\b"
)
_SHARED = re.compile(r"\b((?:and|but|or|then) )(was|is|has|does|wasn't|isn't|hasn't|doesn't)\b")
_WORD = re.compile(r"[A-Za-z'é]+")
_CALENDAR_WORDS = word_set(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)
_FAMILY_WORDS = {"he": {"he", "him", "his", "himself"}, "she": {"she", "her", "hers", "herself"}}


def agree(verb: str) -> str:
    """The form of a present-tense verb after "you": "restarts" -> "restart"."""
    if verb in _AGREE:
        return _AGREE[verb]
    if not verb.endswith("s") or verb.endswith(("ss", "'s", "us")) or verb in _NOT_VERBS:
        return verb
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "sses", "xes", "zes", "oes")):
        return verb[:-2]
    return verb[:-1]


def _match_case(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _you_agree(text: str) -> str:
    """Fix the verb after each marked "you" that replaced a subject, and a second verb that
    shares it ("you paused ... but was charged" -> "but were"), then drop the marks."""
    if _MARK not in text:
        return text
    fixed = _SUBJECT.sub(lambda m: m.group(1) + m.group(2) + agree(m.group(3)), text)
    fixed = _SHARED.sub(lambda m: m.group(1) + agree(m.group(2)), fixed)
    return fixed.replace(_MARK, "")


def _pronoun_family(text: str) -> str:
    words = {w.lower() for w in _WORD.findall(text)}
    found = [family for family, forms in _FAMILY_WORDS.items() if words & forms]
    return found[0] if len(found) == 1 else ""


def _names_others(text: str) -> bool:
    words = (w.lower().removesuffix("'s").removesuffix("'") for w in _WORD.findall(text))
    return any(w in _OTHER_PEOPLE for w in words)


def _their_after_role(roles: re.Pattern[str] | None, text: str) -> bool:
    """Whether "they"/"them"/"their" comes after the reader's role noun in `text`, with no
    third party named in it."""
    role = roles.search(text) if roles else None
    if role is None or _names_third_party(text):
        return False
    return re.search(r"\b(?:they|them|their)\b", text[role.end() :], re.IGNORECASE) is not None


def _names_third_party(text: str) -> bool:
    return any(w.lower() in _THIRD_PARTIES for w in _WORD.findall(text))


def _is_subject(text: str, start: int) -> bool:
    """Whether a noun at `start` is the subject of its clause: first, or after a comma or
    a word that starts a clause."""
    before = text[:start].rstrip()
    if not before or before.endswith((",", ";", ":")):
        return True
    return before.rsplit(" ", 1)[-1].lower() in _BEFORE_SUBJECT


_RECORD_NOUNS = (
    r"(?:file|files|record|records|portal|account|details|notes|profile|history|card|number)"
)


@dataclass(frozen=True)
class Reader:
    """Who the draft is addressed to, as far as the caller's phrases can be read for it."""

    names: tuple[str, ...] = ()
    """The reader's full name and first name, longest first (private channels only)."""
    roles: tuple[str, ...] = ()
    """Role nouns that mean the reader: "customer", "client" and the role the summary names."""
    pronoun: str = ""
    """"he" or "she" once a phrase has shown that it means the reader."""
    team: bool = False
    """Writing to a client: a phrase that starts with "They" ("They had to finish the demo
    from a phone hotspot") is about the reader's own team."""
    titled: str = ""
    """"he" or "she" when the reader's title says so: then the other pronoun is never the
    reader ("Mrs Dube ... he was moved" is her son), and "her son" is "your son"."""

    def with_role_of(self, summary: str | None) -> Reader:
        """The same reader, also known by the role noun `summary` names, when it names
        exactly one ("the subscriber"); two ("the guest ... the diner") could be two people."""
        found = {m.group(1).lower() for m in _ROLE_MENTION.finditer(summary or "")}
        roles = sorted((found & ROLE_NOUNS) - set(self.roles))
        if self.roles and len(roles) == 1:
            return replace(self, roles=(*self.roles, roles[0]))
        return self

    def with_plural_role(self, summary: str | None) -> Reader:
        """The same reader, also known as the party the summary opens with when it is a
        plural role told with "they"/"their" ("The guests arrived for their anniversary
        stay ..."): that party is the reader and the people with them, said as "you"."""
        opening = _PLURAL_OPENING.match(summary or "")
        if not summary or self.pronoun or not self.roles or opening is None:
            return self
        role = opening.group(1).lower()
        rest = summary[opening.end() :]
        # The role is the story's subject ("The guests arrived", "the passengers were"),
        # not a party placed somewhere ("The guests next door played their music").
        verb = rest.split(" ", 1)[0].lower()
        if not (verb.endswith("ed") or verb in _PLURAL_VERBS):
            return self
        if role not in PLURAL_ROLES or _pronoun_family(summary) or _names_others(rest):
            return self
        if not {w.lower() for w in _WORD.findall(rest)} & set(_FAMILIES["they"]):
            return self
        return replace(self, roles=(*self.roles, role), pronoun="they")

    def _role_words(self) -> re.Pattern[str] | None:
        if not self.roles:
            return None
        # "the patient file" is "your file": the role noun before a record's noun.
        return re.compile(
            r"\bthe (?:"
            + "|".join(self.roles)
            + r")\b('s|'(?!\w))?(?=(\s+"
            + _RECORD_NOUNS
            + r"\b))?",
            re.IGNORECASE,
        )

    def learn(self, text: str | None) -> Reader:
        """The same reader, knowing the pronoun `text` uses for them, if it shows one."""
        roles = self._role_words()
        plain = roles.sub("", text) if roles and text else text
        if not text or not plain or self.pronoun or _names_others(plain):
            return self
        family = _pronoun_family(text)
        first = text.split(" ", 1)[0].lower()
        names_reader = roles is not None and roles.search(text) is not None
        starts_with = first in ("he", "she", "his", "her")
        if not family and starts_with and self.titled and first in _FAMILY_WORDS[self.titled]:
            # "he had to leave work to drive her in" to Mr Okafor: the titled reader starts
            # the phrase; the other pronoun is someone else (his daughter).
            family = self.titled
        if not family and names_reader and _their_after_role(roles, text):
            # "charged the client for 40 licences although they hold 25": "they" follows the
            # reader's role in the same phrase and no one else is named, so it is the reader.
            family = "they"
        if self.titled and family != self.titled:
            return self
        if family and (starts_with or names_reader or self._starts_with_name(text)):
            return replace(self, pronoun=family)
        if family and family == self.titled and self._name_before_pronoun(text):
            # "We charged Mrs Okafor twice for her dog": the titled reader is named, then
            # "her" follows with no one else in the phrase.
            return replace(self, pronoun=family)
        return self

    def _name_before_pronoun(self, text: str) -> bool:
        names = self._name_words(text)
        first = re.search(r"\b(?:he|she|his|her|him|hers)\b", text, re.IGNORECASE)
        return (
            names is not None
            and first is not None
            and names.search(text, 0, first.start()) is not None
        )

    def learn_from(self, texts: list[str]) -> Reader:
        """The same reader, knowing their pronoun from the request as a whole when it names
        the reader and no one else ("the call before her next client meeting" in a request
        about Rosa), as the guardrails read it."""
        joined = " ".join(t for t in texts if t)
        if self.pronoun or not any(n and n in joined for n in self.names):
            return self
        if _names_others(joined) or re.search(r"\b[A-Z][a-z]+['’]s\b", joined):
            return self
        family = _pronoun_family(joined)
        if not family or (self.titled and family != self.titled):
            return self
        return replace(self, pronoun=family)

    def _someone_else(self, text: str) -> bool:
        """Whether `text` names a role that is not the reader ("the customer" in a letter
        to a colleague): its "her" may be theirs."""
        if self.roles:
            return False
        return any(m.group(1).lower() in ROLE_NOUNS for m in _ROLE_MENTION.finditer(text))

    def _starts_with_name(self, text: str) -> str:
        return next((n for n in self.names if n and re.match(re.escape(n) + r"\b", text)), "")

    def _name_words(self, text: str) -> re.Pattern[str] | None:
        """The reader's names as a pattern, or None when `text` contains none of them (a
        batch has a new name in every letter: compiling it only when it is there saves most
        compiles)."""
        names = [n for n in self.names if n not in _CALENDAR_WORDS and n in text]
        if not names:
            return None
        return _names_pattern(tuple(names))

    def address(self, text: str) -> str:
        """`text` with the third-person words for the reader turned into "you"/"your"."""
        if self.team:
            text = re.sub(r"^They\b", _MARK + "You", text)
        names = self._name_words(text)
        if names is not None:
            original = text
            text = names.sub(lambda m: self._reader_word(m, original), text)
        roles = self._role_words()
        if roles is not None:
            # "client's website was down": the role noun with no article is still the reader.
            bare = rf"^(?:{'|'.join(self.roles)})(?=['’]s\b)"
            text = re.sub(bare, lambda m: "the " + m.group(0), text, flags=re.IGNORECASE)
            original = text
            text = roles.sub(lambda m: self._reader_word(m, original), text)
        if self.pronoun and not _names_others(text) and not self._someone_else(text):
            if self.pronoun != "they" or not _names_third_party(text):
                text = self._swap_pronouns(text)
        elif self.titled:
            # "Her son Themba was told ..." written to Mrs Dube: "Your son Themba ...".
            own = "his" if self.titled == "he" else "her"
            text = re.sub(
                rf"\b{own}\b(?= (?:{'|'.join(sorted(_OTHER_PEOPLE))})\b)",
                lambda m: _match_case("your", m.group(0)),
                text,
                flags=re.IGNORECASE,
            )
        return _you_agree(text)

    @staticmethod
    def _reader_word(match: re.Match[str], text: str) -> str:
        """ "your" for a possessive, "you" otherwise, capitalised only at the start."""
        like = match.group(0) if match.start() == 0 else "x"
        if match.group(1) or (match.re.groups > 1 and match.group(2)):
            return _match_case("your", like)
        mark = _MARK if _is_subject(text, match.start()) else ""
        return mark + _match_case("you", like)

    def _swap_pronouns(self, text: str) -> str:
        forms = _FAMILIES[self.pronoun]
        words = list(re.finditer(r"[A-Za-z']+|[^A-Za-z'\s]", text))

        def new_form(i: int, word: str) -> str:
            low = word.lower()
            nxt = words[i + 1].group(0).lower() if i + 1 < len(words) else ""
            if low == "her":  # "her scooter" -> "your scooter", "told her about" -> "you"
                own = nxt[:1].isalpha() and nxt not in _FUNCTION
                return _match_case("your" if own else "you", word)
            mark = _MARK if low in ("he", "she") else ""
            return mark + _match_case(forms[low], word)

        parts: list[str] = []
        last = 0
        for i, match in enumerate(words):
            low = match.group(0).lower()
            if low in forms or (low == "her" and self.pronoun == "she"):
                parts += [text[last : match.start()], new_form(i, match.group(0))]
                last = match.end()
        return "".join(parts) + text[last:]


@lru_cache(maxsize=256)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b(['’]s)?")
