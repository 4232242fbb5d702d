"""Structural non-apology and blame rules: kinds of sentence, not phrases.

Three rules read the shape of a sentence and, for two of them, of the whole message:

- `non_apology.reaction`: an apology whose object is the reader's reaction. An apology word
  ("sorry", "apologise", "regret", "saddened"...) whose object, within a few words, is a
  reaction word ("frustration", "offended", "interpreted", "expectations"...), with no harm
  named before it and no first person owning anything in the rest of the clause. "Sorry for
  how this was interpreted" and "our regrets to those who have been offended" are caught;
  "sorry for the delay and the frustration it caused" and "sorry for the frustration our
  late delivery caused" are not.
- `non_apology.unowned`: an acknowledgment or regret of the situation, the reactions or a
  ruling ("we acknowledge the court's rulings", "we regret the situation") in a message that
  owns nothing anywhere.
- `blame.outside_cause`: a cause put on someone or something else (a vendor, agency,
  dependency, the media, the weather, nature, demand, a strike, "out of our control") in a
  message that owns nothing anywhere. A letter that says what it got wrong may explain an
  outside cause; one that only explains is an excuse. Besides a cause link ("due to the
  storm"), the cause may be told as a narrative with no link word: the outside cause as the
  subject of a verb of effect ("record cold brought challenges for every airline", "the
  strike at the depot has delayed") or as a frame ("with severe weather continuing across the
  region").

"Owns" means a first-person failure anywhere in the message: "we made a mistake", "our
error", "I forgot", "we let you down", "sorry for breaking this", "we should have", or the
responsibility element. The English words live in the `words:` sections of
`packs/non_apology.yaml` and `packs/blame.yaml`; this module only arranges them.

A fourth rule reads the reader as the cause: `blame.customer` for a reason clause whose
subject is the reader and whose verb is what they failed to do ("because yall couldnt tell the
time", "since you didn't read the terms"; not "because you didn't receive it"), or a judgement
of the reader ("nasty & vindictive of you").

Blame told inside an open condition ("If the shipping address was entered incorrectly ..., we
are not liable for the loss") states a policy for a case that may not arise; it attributes no
cause and is not read as blame (`hypothetical`). A counterfactual ("if you had read the
terms") still is.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from contract.report import Finding, Fix
from guardrails.draft import Draft
from guardrails.facts import trie_regex
from guardrails.lexicon import lexicon
from guardrails.regex_source import Needs, alternatives_needs, first_class, may_hold
from guardrails.spans import MAX_PER_RULE, SentenceBreaks, finding, is_negated
from guardrails.supplied import stems

REACTION_RULE = "non_apology.reaction"
UNOWNED_RULE = "non_apology.unowned"
OUTSIDE_CAUSE_RULE = "blame.outside_cause"
CUSTOMER_RULE = "blame.customer"
RULE_IDS = (REACTION_RULE, UNOWNED_RULE, OUTSIDE_CAUSE_RULE, CUSTOMER_RULE)

_REACTION_WHY = (
    "The apology is for the reader's reaction, not for anything the business did; it puts "
    "the problem on how they took it."
)
_REACTION_SUGGESTION = (
    'Name what you did and its effect: "we are sorry that our email gave you the wrong '
    'delivery date."'
)
_UNOWNED_WHY = (
    "The message acknowledges or regrets the situation but never says what the business did "
    "wrong, so nobody owns it."
)
_UNOWNED_SUGGESTION = 'Say what you got wrong in active voice: "we sent the wrong item."'
_CAUSE_WHY = (
    "The cause is put on someone or something else and the message never owns its part; "
    "the customer hears an excuse."
)
_CUSTOMER_WHY = (
    "The reader is made the cause: what they failed to do, or what they are, is given as the "
    "reason for the problem."
)
_CUSTOMER_SUGGESTION = (
    'Say what happened and what you will do, without judging the reader: "we closed at 10, '
    'and I am sorry you had a wasted trip."'
)
_CAUSE_SUGGESTION = (
    'Own your part first, then explain: "we should have warned you about the delay sooner; '
    'the storm closed our depot."'
)


def _outside_cause(text: str, start: int, end: int) -> Finding:
    """The error for a cause put outside, on the words from `start` to `end`."""
    return finding(OUTSIDE_CAUSE_RULE, "error", _CAUSE_WHY, text, start, end, _CAUSE_SUGGESTION)


def _alternation(words: tuple[str, ...]) -> str:
    """Phrases as one regex alternation: any run of whitespace between words, straight or
    curly apostrophes, longest first so a longer phrase wins. Without apostrophes it is
    shaped as a trie (`trie_regex`), which the regex engine reads a character at a time
    instead of trying every phrase in turn: the phrases that match at a position are each
    other's beginnings, and both forms try them longest first, so they match the same."""
    if not any("'" in phrase for phrase in words):
        return "(?:" + trie_regex(" ".join(phrase.split()) for phrase in words) + ")"
    parts = sorted(
        (
            r"\s+".join(re.escape(w) for w in phrase.split()).replace("'", "['’]")
            for phrase in words
        ),
        key=len,
        reverse=True,
    )
    return "(?:" + "|".join(parts) + ")"


_FALLING_SHORT = (
    r"(?:(?:very|really|simply|clearly|frankly|far\s+too|badly)\s+)?(?:inadequate|insufficient"
    r"|sub-?par|poor|lacking|below\s+(?:the\s+)?(?:standard|par)|not\s+up\s+to\s+(?:the\s+)?standard)"
)
"""Our own running judged short of what it should be ("was sub-par", "were inadequate")."""


@dataclass(frozen=True, slots=True)
class _Anchored:
    """A pattern every match of which starts where one of a few regexes matches (an outside
    cause, say), on one of a few fixed words, or up to a few words of letters before an outside
    cause in a given state. `finditer` and `search` try the pattern only at those places, in
    text order, and find what `regex.finditer` and `regex.search` find: the pattern tried at
    every word start was most of the check of a large body.
    `tests/guardrail_rules/test_anchored_patterns.py` compares the two."""

    regex: re.Pattern[str]
    places: re.Pattern[str]
    """Finds, from the character before it, each agent, each fixed word and (group `reach`)
    each agent a match may start some words before."""
    before: re.Pattern[str] | None
    """The words a match may start on before an agent, read backwards in the reversed text."""

    @classmethod
    def of(
        cls,
        regex: re.Pattern[str],
        heads: tuple[str, ...],
        starts: tuple[str, ...],
        reach: tuple[str, int] | None = None,
    ) -> _Anchored:
        """A match starts where one of the regexes `heads` matches, on a word of `starts`
        (which may take an "s"), or, with `reach` (a regex and n), up to n words before where
        that regex matches."""
        far = rf"(?P<reach>{reach[0]})|" if reach else ""
        head = "|".join(heads)
        places = re.compile(rf"[^\w](?={far}{head}|{_alternation(starts)}s?\b)")
        before = re.compile(rf"(?:\s+[a-z-]+){{1,{reach[1]}}}") if reach else None
        return cls(regex, places, before)

    def _candidates(self, low: str) -> list[int]:
        found: list[int] = []
        backwards = low[::-1] if self.before is not None else ""
        for place in self.places.finditer("\n" + low):
            at = place.end() - 1
            if self.before is not None and place.start("reach") >= 0:
                words = self.before.match(backwards, len(low) - at)
                if words is not None:
                    found += (
                        m.start() for m in _LETTER_START.finditer(low, at - len(words[0]), at)
                    )
            found.append(at)
        return sorted(set(found))

    def finditer(self, low: str) -> Iterator[re.Match[str]]:
        end = 0
        for at in self._candidates(low):
            if at >= end and (match := self.regex.match(low, at)) is not None:
                yield match
                end = match.end()

    def search(self, low: str) -> re.Match[str] | None:
        for at in self._candidates(low):
            if (match := self.regex.match(low, at)) is not None:
                return match
        return None


# Where a word of letters and hyphens may start a match.
_LETTER_START = re.compile(r"\b(?=[a-z-])")

# The first words of the alternatives of `outside_state` and `narrative` that start with a
# fixed word.
# fmt: off
_STATE_STARTS = (
    "they", "issue", "problem", "fault", "bug", "error", "failure", "glitch", "glitches",
    "outage", "defect", "flaw", "no", "not", "never", "lost", "damaged", "mishandled",
    "misdelivered", "misrouted", "dropped", "refused", "rejected", "blocked", "canceled",
    "cancelled", "withdrawn", "broken", "missed",
)
_NARRATIVE_STARTS = ("brought", "brings", "bringing", "with", "amid", "amidst", "given", "we", "i")
# fmt: on


@dataclass(frozen=True, slots=True)
class _Patterns:
    head: re.Pattern[str]
    reaction: re.Pattern[str]
    reaction_needs: tuple[Needs, ...] | None
    """What a match of `reaction` needs (a clause without it is not searched)."""
    harm: frozenset[str]
    not_owner: frozenset[str]
    acknowledge: re.Pattern[str]
    no_doer: re.Pattern[str]
    """A failure told with no doer ("the wrong grades were inadvertently published")."""
    owned: re.Pattern[str]
    owned_needs: tuple[Needs, ...] | None
    owned_after_break: re.Pattern[str]
    """`owned` tried from the non-word character before each word (see `_owned_spans`)."""
    cause: re.Pattern[str]
    outside: re.Pattern[str]
    outside_state: _Anchored
    narrative: _Anchored
    open_link: re.Pattern[str]
    open_starts: frozenset[str]
    durations: frozenset[str]
    amounts: frozenset[str]
    incident: frozenset[str]
    np_ends: frozenset[str]
    explanation: re.Pattern[str]
    auxiliaries: frozenset[str]
    boundaries: frozenset[str]
    past_forms: frozenset[str]
    """Irregular past forms that end a reason clause's subject ("because the hotel sold")."""
    down_to: re.Pattern[str]
    adverbs: frozenset[str]
    occurrences: frozenset[str]
    general: re.Pattern[str]
    reader_cause: re.Pattern[str]
    their_failing: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    lex = lexicon()
    heads = _alternation(lex.words("apology_heads"))
    fillers = _alternation(lex.words("apology_fillers"))
    links = _alternation(lex.words("reaction_links"))
    # The apology word, its adverbs, then where its object starts ("for", "that", "to hear
    # that", "to those"...).
    head = re.compile(
        rf"\b{heads}\b(?:\s+{fillers}\b)*(?:\s+to\s+(?:hear|see|learn|read|know))?"
        rf"(?:\s+{links}\b)?(?:\s+that\b)?",
    )
    reaction = re.compile(
        # A body's reaction is a harm, not a feeling: "had a reaction to the vaccine", "an
        # allergic reaction".
        r"\b(?<!\ballergic\s)(?<!\bhad\sa\s)(?<!\bhad\san\s)"
        rf"{_alternation(lex.words('reaction_words'))}\b"
        r"|\bhow\s+(?:[a-z’'-]+\s+){0,4}?(?:was|were|has\s+been|have\s+been|is|are|got|had\s+been)\s+"
        rf"{_alternation(lex.words('interpretation_verbs'))}\b"
    )
    acknowledge = re.compile(
        # The subject may be set off by commas: "I, myself, deeply regret".
        r"(?:\b(?:we|i)(?:\s*,\s*(?:myself|ourselves|personally|too)\s*,)?\s+"
        r"(?:(?:fully|deeply|sincerely|also|do|truly|very\s+much|greatly|really)\s+)*"
        r"(?:acknowledge|recogni[sz]e|regret|note)|\b(?:acknowledges|recogni[sz]es|regrets))\s+"
        # Our own decision regretted is owned, not the situation: "I regret our decision to
        # cancel", "we regret the decision we made".
        r"(?!(?:our|my)\s+(?:own\s+)?(?:decision|choice)\b)"
        r"(?:(?:the|that|your|these|those|all|this)\s+)?"
        rf"(?:[a-z’']+\s+){{0,3}}?{_alternation(lex.words('unowned_objects'))}\b"
        r"(?!\s+(?:that\s+)?(?:we|i)\s+(?:made|took|reached)\b)"
        # The same regret told as the situation's quality: "This is a regrettable situation",
        # "it was an unfortunate incident".
        r"|\b(?:this|it|that|what\s+happened)(?:['’]s|\s+(?:is|was|has\s+been|had\s+been))\s+"
        r"(?:(?:clearly|obviously|certainly|simply)\s+)?(?:(?:a|an|such\s+a|such\s+an)\s+)?(?:(?:deeply|truly|most|very|really|extremely|highly"
        rf"|entirely)\s+)?{_alternation(lex.words('unowned_adjectives'))}\s+"
        # ... or of a run of them: "a regrettable series of events in our past".
        r"(?:(?:series|chain|sequence|set|string)\s+of\s+)?"
        rf"{_alternation(lex.words('unowned_objects'))}\b"
        # A feeling about it in place of the regret: "we feel terrible about what happened".
        r"|\b(?:we|i)\s+(?:(?:all|really|truly|still|genuinely)\s+)?(?:feel|felt)\s+(?:(?:so|very|really"
        r"|truly|just)\s+)?(?:bad|terrible|awful|dreadful|horrible|sad|gutted)\s+(?:about|over)\s+"
        rf"(?:(?:the|that|this|these|those|all)\s+)?{_alternation(lex.words('unowned_objects'))}\b"
        # The regret of a thing done by no one: "it is regrettable that the wrong prices were
        # shown" (not "made by us"); the reader's plans spoiled by a thing: "we regret that your
        # evening was spoiled by the power cut".
        r"|\bit\s+(?:is|was|['’]s)\s+(?:(?:deeply|very|most|extremely|truly|highly)\s+)?regrettable\s+"
        r"that\s+(?!(?:we|i)\b)(?:[a-z’'-]+\s+){1,8}?(?:was|were|has\s+been|have\s+been|had\s+been)\s+"
        r"[a-z]+(?:ed|en|wn|ne)\b(?!\s+by\s+(?:us|me|our|my)\b)"
        r"|\b(?:we|i)\s+(?:(?:deeply|sincerely|truly|greatly|very\s+much|do)\s+)?regret\s+that\s+your\s+"
        r"(?:[a-z’'-]+\s+){1,8}?(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:thwarted|spoil(?:ed|t)"
        r"|ruined|disrupted|interrupted|cut\s+short|marred|overshadowed|derailed|dashed|curtailed)\b"
        # ... by a thing named as the agent, not by us ("not by X, but by the servers").
        r"(?=\s+(?:not\s+by\s+[^.!?;\n]{0,60}?\bbut\s+)?by\s+(?!(?:us|me|our|my)\b))"
    )
    # A failure with no doer, in a message that neither owns nor apologises (see `_unowned`).
    no_doer = re.compile(
        # A failure with no doer: done "inadvertently" or "unfortunately" ("the wrong list was
        # inadvertently shared", "the new dates were unfortunately not printed"; not "by us"),
        # an error that "there had been", an irregularity that occurred, or the share that
        # failed ("not all parcels were delivered").
        r"\b(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:(?:unfortunately|regrettably|sadly)\s+)?"
        r"(?:(?:inadvertently|mistakenly|accidentally|erroneously)\s+(?:not\s+)?[a-z]+(?:ed|en|wn|nt)"
        r"|(?:unfortunately|regrettably|sadly)\s+(?:not\s+)?(?:included|omitted|left\s+out|missed"
        r"|overlooked|published|sent|printed|shown|updated|issued))\b(?!\s+by\s+(?:us|me|our|my)\b)"
        r"|\bthere\s+(?:had|has|have)\s+been\s+(?:an?\s+)?(?:(?:administrative|clerical|technical)\s+)?"
        r"(?:error|mistake|irregularity|oversight|mix-up)\b"
        r"|\b(?:an\s+)?(?:irregularity|irregularities|anomaly|anomalies)\s+(?:had\s+|has\s+|have\s+)?"
        r"(?:occurred|arisen|arose|happened)\b"
        r"|\bnot\s+all\s+(?:of\s+)?(?:the\s+)?[a-z-]+\s+(?:were|was|have\s+been|had\s+been)\s+(?:successfully\s+)?"
        r"(?:delivered|sent|received|processed|dispatched|collected|issued|completed|updated)\b"
    )
    nouns = _alternation(lex.words("failure_nouns"))
    owned = re.compile(
        "|".join(
            (
                # The boundary first: it fails at most positions, before the look-behinds.
                r"\b(?<!\bnot\s)(?<!n['’]t\s)(?<!\bno\s)"
                rf"(?:our|my)\s+(?:own\s+)?(?:[a-z-]+\s+)?{nouns}\b",
                r"\b(?:we|i)(?:['’](?:ve|d|re|m))?\s+(?:(?:have|had|has|really|clearly|completely"
                r"|totally|just|simply|all|both|also|then|again|obviously|certainly)\s+)*"
                rf"{_alternation(lex.words('owning_verbs'))}\b",
                # "those responsible for this mistake" puts it on someone else; the writer's
                # own "we are responsible" is an owning verb.
                # Nor does the reader's act thanked ("thank you for replying").
                r"(?<!responsible\s)(?<!accountable\s)(?<!thanks\s)(?<!thank\syou\s)"
                rf"\bfor\s+(?:not\s+)?(?:having\s+)?{_alternation(lex.words('owning_gerunds'))}\b",
                r"\b(?:it|this|that)(?:\s+(?:was|is)|['’]s)\s+(?:all\s+|entirely\s+)?on\s+(?:us|me)\b",
                # "we chose them as suppliers, so the buck stops with us".
                rf"\b{_alternation(lex.words('owning_phrases'))}\b",
                # "an error in one of our systems"; not "a failure at one of our suppliers".
                rf"\b{nouns}\s+(?:in|with|on|at|of|from)\s+(?:(?:part|one|some)\s+of\s+)?(?:our|my)\b"
                r"(?!\s+(?:[a-z-]+\s+)?(?:suppliers?|vendors?|partners?|carriers?|couriers?|providers?"
                r"|contractors?|subcontractors?|manufacturers?|agenc(?:y|ies)|processors?|hosts?"
                r"|landlords?|airports?|banks?)\b)",
                rf"\b{nouns}\s+(?:is|was|lies|rests)\s+(?:entirely\s+|all\s+)?"
                r"(?:ours|mine|with\s+us|with\s+me)\b",
                # "an oversight in how we had been testing", "our failover procedures ...
                # failed to work", "our checks missed".
                rf"\b(?:{nouns}|failing|oversight)\s+in\s+how\s+(?:we|i)\b",
                # Our own preparation told as not enough: "our preparations for the launch did
                # not go far enough", "our planning fell short", "our response was inadequate".
                r"\b(?:our|my)\s+(?:[a-z-]+\s+){0,2}?(?:procedures?|systems?|checks|process(?:es)?"
                r"|testing|tests|monitoring|failover|backups?|safeguards|controls|preparations?"
                r"|planning|plans?|response|communications?|capacity|staffing|handling)\b"
                r"[^.!?;\n]{0,60}?\b(?:failed|did\s+not\s+work|didn['’]t\s+work|missed|broke"
                r"|(?:did\s+not|didn['’]t)\s+go\s+far\s+enough|fell\s+short|(?:was|were)(?:\s+not"
                rf"|n['’]t)\s+(?:good\s+)?enough|(?:was|were)\s+{_FALLING_SHORT})\b",
                # The same judgement of our own running told with the writer after the noun:
                # "communication between our operations team and the teams ... was sub-par".
                r"\b(?:communications?|coordination|co-ordination|planning|preparations?|handling"
                r"|organi[sz]ation|management|oversight|supervision)\s+(?:between|with|from|by|of"
                r"|within|across)\s+(?:us|me|our|my)\b[^.!?;\n]{0,160}?\b(?:was|were|has\s+been"
                rf"|have\s+been)\s+{_FALLING_SHORT}\b",
                # Our own part admitted: "I accept that I may have affected the result", "we
                # admit that we got the timing wrong"; not what reached us ("we accept that we
                # received it late").
                r"\b(?:we|i)\s+(?:fully\s+|now\s+|readily\s+|freely\s+)?(?:accept|admit|concede)\s+"
                r"(?:that\s+)?(?:we|i)\s+(?:may\s+|might\s+|could\s+)?(?:have\s+|had\s+)?"
                r"(?!(?:received|heard|noticed|learned|learnt|needed|wanted|asked|been|expected"
                r"|hoped)\b)(?:[a-z]+ed|made|got|let|did|caused|should|could\s+have|was\s+wrong"
                r"|were\s+wrong|handled|misjudged)\b",
                # Our own act judged by its manner: "we handled it badly", "I acted hastily", "we
                # responded too slowly", "we did a poor job of telling you", "we did not act
                # quickly enough"; not how someone else acted ("they handled it badly").
                r"\b(?:we|i)(?:['’]ve|\s+have|\s+had)?\s+(?:(?:really|clearly|simply|just|also)\s+)?"
                r"(?:handled|managed|communicated|dealt\s+with|ran|organi[sz]ed|explained|worded"
                r"|treated|approached)\s+(?:it|this|that|things|the\s+[a-z-]+|your\s+[a-z-]+|you"
                r"|them)\s+(?:very\s+|so\s+|really\s+|extremely\s+)?(?:badly|poorly|wrongly|terribly"
                r"|clumsily|insensitively|carelessly|thoughtlessly|inappropriately|unfairly)\b",
                r"\b(?:we|i)(?:['’]ve|\s+have|\s+had)?\s+(?:(?:really|clearly|simply|just|also)\s+)?"
                r"(?:acted|behaved|reacted|responded|spoke|moved|replied)\s+(?:very\s+|so\s+|far\s+"
                r"|much\s+|really\s+)?(?:badly|poorly|hastily|rashly|rudely|carelessly|thoughtlessly"
                r"|inappropriately|unprofessionally|insensitively|too\s+(?:slowly|late|quickly|hastily"
                r"|soon))\b",
                r"\b(?:we|i)\s+did\s+(?:a|an)\s+(?:very\s+|really\s+)?(?:poor|bad|terrible|awful"
                r"|lousy|sloppy|careless)\s+job\b",
                r"\b(?:we|i)\s+(?:did\s+not|didn['’]t)\s+(?:act|respond|react|move)\s+(?:nearly\s+)?"
                r"(?:quickly|fast|soon|decisively)\s+enough\b",
                # The wrong thing given as ours, with or without "the": "I gave you incorrect
                # information", "our agent told you the wrong date", "we shipped a broken update".
                r"\b(?:we|i|our\s+(?:agent|advisor|adviser|staff|team|colleague|representative"
                r"|driver|engineer|website|site|app|email|letter))\s+(?:(?:also|then|clearly)\s+)?"
                r"(?:gave|sent|told|quoted|provided|posted|published|printed|shipped|pushed|released"
                r"|merged|deployed|issued)\s+(?:you\s+|your\s+[a-z-]+\s+)?(?:the\s+|a\s+|an\s+|some\s+)?"
                r"(?:bad|incorrect|wrong|inaccurate|misleading|false|outdated|out-of-date|conflicting"
                r"|broken|buggy|faulty)\s+[a-z]",
                # Too slow or late, told of ourselves: "we were too slow to respond", "I was late",
                # "we took far too long", "it took us too long to reply".
                r"\b(?:we|i)\s+(?:was|were)\s+(?:far\s+|much\s+|way\s+|very\s+)?(?:too\s+slow|too\s+late"
                r"|late(?!\s+in\s+(?:hearing|receiving|getting|being))|slow\s+to)\b",
                r"\b(?:we|i)(?:['’]ve|\s+have)?\s+took\s+(?:far\s+|much\s+|way\s+|a\s+lot\s+)?too\s+long\b"
                r"|\b(?:it|this)\s+(?:has\s+)?took\s+(?:us|me)\s+(?:far\s+|much\s+|way\s+)?too\s+long\b",
                # Our word not kept: "we did not keep our promise", "I broke my word".
                r"\b(?:we|i)\s+(?:did\s+not|didn['’]t|have\s+not|haven['’]t|failed\s+to)\s+(?:keep|kept"
                r"|honou?r|honou?red)\s+(?:our|my)\s+(?:word|promises?|commitments?)\b"
                r"|\b(?:we|i)\s+broke\s+(?:our|my)\s+(?:word|promises?|commitments?)\b",
                # Below our own standard: "this falls well below our standards", "that is not the
                # standard we hold ourselves to".
                r"\b(?:falls?|fell|fallen|was|were|is|are)\s+(?:well\s+|far\s+|way\s+|significantly\s+)?"
                r"(?:below|short\s+of)\s+(?:our|my)\s+(?:own\s+)?(?:usual\s+|high\s+|normal\s+)?standards?\b"
                r"|\bnot\s+the\s+standard\s+(?:that\s+)?(?:we|i)\s+(?:hold|set|expect)\b",
                # What we could have done better: "we could have handled this better".
                r"\b(?:we|i)\s+could\s+have\s+(?:handled|done|managed|communicated|explained|dealt\s+with)"
                r"\s+(?:(?:this|it|that|things|the\s+[a-z-]+)\s+)?(?:much\s+|far\s+|a\s+lot\s+|so\s+much\s+)?"
                r"better\b",
                # What we said judged by us: "what I said was hurtful", "I crossed a line".
                r"\bwhat\s+(?:i|we)\s+(?:said|wrote|posted|tweeted|did)\s+(?:was|is)\s+(?:very\s+|so\s+"
                r"|deeply\s+)?(?:hurtful|offensive|wrong|inappropriate|unacceptable|insensitive|cruel)\b"
                r"|\b(?:we|i)(?:['’]ve|\s+have)?\s+crossed\s+(?:a|the)\s+line\b",
                # Our own people or systems as the doers of the failure: "our engineer missed the
                # appointment", "our system charged you twice", "our team lost your paperwork";
                # not another party named as ours ("our courier lost your parcel"), nor one of
                # them singled out ("one of our drivers did not follow the procedure").
                r"(?<!\bof\s)\b(?:our|my)\s+(?:[a-z-]+\s+)?(?:system|systems|website|site|app"
                r"|software|email|emails|team|staff|engineer|engineers|technician|technicians|driver|drivers|agent"
                r"|agents|colleague|colleagues|employee|employees|store|shop|branch|kitchen|chef"
                r"|crew|crews|office|booking\s+system|billing\s+system)\s+(?:(?:also|then|had|has"
                r"|have|wrongly|mistakenly|accidentally)\s+)?(?:lost|forgot|missed|damaged|broke"
                r"|crashed|charged\s+you\s+(?:twice|the\s+wrong)|double[- ]charged|overcharged"
                r"|deleted"
                r"|left\s+(?:a\s+mess|your)|showed\s+(?:the|a)\s+wrong|went\s+to\s+the\s+wrong"
                r"|sent\s+(?:you\s+)?(?:the|a)\s+wrong|mixed\s+up|misread|misplaced|mislaid"
                r"|(?:did\s+not|didn['’]t|failed\s+to)\s+(?:turn\s+up|show\s+up|call|follow|check|send"
                r"|reply|respond|arrive|tell|pass\s+on|update|record|process))\b",
                # Done by us in error, the doer first: "the email was sent by us in error".
                r"\bby\s+(?:us|me)\s+(?:in\s+error|by\s+mistake|by\s+accident|mistakenly|wrongly"
                r"|incorrectly)\b",
                # The act judged as ours: "that was wrong of us", "it was careless of me to".
                r"\b(?:that|this|it)(?:['’]s|\s+(?:is|was))\s+(?:very\s+|so\s+|really\s+)?(?:wrong"
                r"|careless|thoughtless|rude|unfair|stupid|foolish|silly|unkind|insensitive|unprofessional"
                r"|irresponsible|a\s+mistake)\s+of\s+(?:us|me)\b",
                # Our own people or words judged, told as ours: "I was careless", "our staff were
                # rude to you", "my behaviour was unacceptable".
                r"\b(?:we|i)\s+(?:was|were)\s+(?:very\s+|so\s+|really\s+|too\s+)?(?:careless|rude"
                r"|thoughtless|insensitive|negligent|sloppy|hasty|unprofessional|disrespectful"
                r"|dismissive|unhelpful|out\s+of\s+(?:line|order))\b",
                r"\b(?:our|my)\s+(?:own\s+)?(?:behaviou?r|conduct|actions|words|tone|language|manner"
                r"|response|reply|remarks|comments|staff|team|agent|driver|employee|colleague)\s+"
                r"(?:was|were|has\s+been|have\s+been)\s+(?:very\s+|so\s+|really\s+|completely\s+"
                r"|totally\s+)?(?:unacceptable|inappropriate|rude|wrong|disrespectful|unprofessional"
                r"|dismissive|unhelpful|out\s+of\s+line|careless|thoughtless|insensitive|hurtful"
                r"|offensive)\b",
                # What the apology is for is our causing of the fault itself: "my apologies for
                # causing it", "sorry for causing this outage" (a feeling as the object, "for
                # causing concern", is read by `non_apology.reaction`).
                r"\bfor\s+(?:having\s+)?caus(?:ing|ed)\s+(?:it|this|that|these|the\s+(?:problem|issue|bug"
                r"|breakage|outage|error|mess|trouble|failure|fault|delay|disruption)|this\s+[a-z-]+)\b",
                # Our own conduct as what the apology or the shame is for: "I apologize for the
                # way I acted", "disappointed with how I handled the situation", "sorry for how
                # we treated you" (not "proud of how we handled it").
                r"\b(?:sorry|apologi[sz]e[ds]?|apologi[sz]ing|apolog(?:y|ies)|regrets?|regretted"
                r"|ashamed|disappointed|embarrassed)\s+(?:[a-z]+\s+){0,3}?(?:for|about|with|of|by|in)"
                r"\s+(?:the\s+way|how)\s+(?:i|we)\s+(?:[a-z]+\s+)?(?:acted|behaved|handled|treated"
                r"|reacted|responded|spoke|conducted|dealt|communicated|managed|ran|run)\b",
                # The writer's own act done by mistake: "I opened it by mistake", "we charged you
                # twice in error", "we accidentally deleted"; not what was done to us ("we were
                # charged in error", "we received it by mistake").
                r"\b(?:we|i)\s+(?:(?!(?:were|was|are|am|be|been|being|got|get|received|found"
                r"|noticed|saw|heard|spotted|think|believe|guess|suspect|assume|understand|know"
                r"|see|feel|if|when)\b)[a-z’'-]+\s+){1,5}?(?:by\s+mistake|in\s+error"
                r"|by\s+accident)\b",
                r"\b(?:we|i)\s+(?:accidentally|mistakenly|wrongly|erroneously|inadvertently)\s+"
                r"(?!(?:were|was|received|got|been)\b)[a-z]",
                # The wrong thing as what we did, whatever the verb: "we gave him the wrong
                # postcode", "I quoted you the wrong price"; what we sent told as faulty: "the
                # link I sent you was broken"; "sent to you in error by our system".
                r"\b(?:we|i)\s+(?:(?!(?:were|was|are|am|be|been|being|got|get|received|found|noticed|saw"
                r"|heard|spotted)\b)[a-z’'-]+\s+){1,3}?(?:the|a)\s+wrong\s+[a-z]",
                r"\b(?:the|that|this)\s+(?:[a-z-]+\s+){1,2}?(?:i|we)\s+(?:sent|gave|quoted|told"
                r"|shared|posted|linked|attached)(?:\s+(?:you|to\s+you))?\s+(?:earlier\s+|before\s+)?"
                r"(?:was|is|were|are|had\s+been)\s+(?:broken|wrong|incorrect|out\s+of\s+date|faulty"
                r"|invalid|inaccurate|mistaken)\b",
                r"\b(?:in\s+error|by\s+mistake|wrongly|incorrectly|mistakenly)\s+by\s+(?:us|me|our|my)\b",
                # The failure named with the writer as its maker after "by": "a misunderstanding
                # by us", "an error made by me", "oversights on the part of us".
                rf"\b(?:{nouns}|misunderstandings?|miscommunications?|misreadings?)\s+(?:made\s+)?"
                r"(?:by|on\s+the\s+part\s+of)\s+(?:us|me)\b",
                # Our own way of working judged by its fault: "our excessive checks", "our
                # heavy-handed approach", "my careless wording" (not "our poor customers").
                r"\b(?:our|my)\s+(?:own\s+)?(?:excessive|heavy-handed|overzealous|inadequate"
                r"|insufficient|flawed|faulty|careless|sloppy|misleading|botched|clumsy|confusing"
                r"|overly\s+[a-z]+)\s+[a-z]",
                # A failing of the organisation's own running: "our lack of planning", "a lack of
                # corporate oversight", "the absence of senior leadership"; not "a lack of
                # drivers".
                r"\b(?:our|my)\s+(?:own\s+)?(?:lack|absence)\s+of\b",
                r"\b(?:a|an|the)\s+(?:serious\s+|complete\s+|total\s+|clear\s+)?(?:lack|absence)\s+of\s+"
                r"(?:corporate|internal|senior|organi[sz]ational|management|leadership|board)\s+"
                r"(?:oversight|leadership|control|controls|governance|supervision|management"
                r"|scrutiny|accountability|grip)\b",
            )
        )
    )
    cause = re.compile(rf"\b{_alternation(lex.words('cause_links'))}\b")
    # "The nature of the outage" names no outside cause.
    outside = re.compile(
        rf"\b{_alternation(lex.words('outside_causes'))}(?!(?<=nature)\s+of\b)s?\b"
    )
    agents = (
        _alternation(lex.words("outside_causes") + lex.words("narrative_causes"))
        + r"(?!(?<=nature)\s+of\b)"
    )
    listed = _alternation(lex.words("outside_causes")) + r"(?!(?<=nature)\s+of\b)"
    trouble = _alternation(lex.words("trouble_verbs"))
    # An agent's state or trouble: "our providers that they are experiencing", "our hosting
    # provider suffered an interruption in power".
    agent_state = (
        rf"{agents}s?"
        r"(?:\s+(?:for|of|in|on|at)\s+(?:[a-z’'-]+\s+){0,3}?[a-z’'-]+)?"
        # "our providers that they are experiencing", "the data centre that was having".
        r"(?:\s+(?:that|which|who)(?:\s+(?:they|it))?)?\s+"
        r"(?:(?:is|are|was|were|has\s+been|have\s+been)\s+(?:(?:currently|still|undeniably|now|always)\s+)*"
        r"(?:experiencing|facing|having|suffering|(?:a\s+)?capricious|unpredictable|struggling"
        # "the post office has been very slow lately", "the courier is overwhelmed".
        r"|(?:very\s+|extremely\s+|really\s+|so\s+|incredibly\s+)?(?:slow|overwhelmed|swamped"
        r"|inundated|stretched|short-?staffed|understaffed|behind)"
        r"|(?:much\s+|far\s+|significantly\s+)?(?:greater|higher|heavier|larger|worse)\s+than)"
        # Told in the past: "our hosting provider suffered an interruption in power".
        rf"|(?:also\s+|then\s+|had\s+|has\s+|have\s+)?{trouble}"
        # "our delivery partner has had a difficult week".
        r"|(?:has|have)\s+had\s+(?:a|an)\s+(?:very\s+|really\s+|extremely\s+)?(?:difficult|tough"
        r"|hard|busy|challenging|rough|bad)\s+(?:week|weeks|time|period|few\s+days|month|day))\b"
    )
    # Where three alternatives below start: "the warehouse from which we", "had severed its",
    # "an unusually large number".
    described = (
        r"the\s+(?:[a-z-]+\s+){1,3}?(?:from|through|with|via|by)\s+(?:which|whom)\s+(?:we|i)\s+"
    )
    severed = (
        r"(?:has\s+|had\s+|have\s+)?(?:severed|cut\s+off|terminated|withdrawn|withdrew"
        r"|pulled|suspended|revoked)\s+(?:its|their)\s+"
    )
    surge = (
        r"(?:(?:unusually|unexpectedly|exceptionally|extremely|very|extraordinarily)\s+)?"
        rf"{_alternation(lex.words('surge_sizes'))}\s+{_alternation(lex.words('surge_nouns'))}"
    )
    outside_state = re.compile(
        rf"\b(?:(?:the|our|a|an|one\s+of\s+our)\s+)?(?:[a-z-]+\s+){{0,2}}?{agent_state}"
        # Another party's trouble as the state of things: "they have a huge backlog".
        rf"|\b(?:they|{agents}s?)\s+(?:currently\s+|still\s+|now\s+)?(?:have|has|had)\s+"
        r"(?:(?:a|an|such\s+a)\s+)?(?:(?:huge|large|massive|big|significant|major|serious"
        rf"|enormous|growing|severe)\s+)?{_alternation(lex.words('trouble_nouns'))}\b"
        # Another party's failure as the cause: "an issue with a supplier IT system", "a
        # supplier system issue", "no notice was given to us by the third-party", "your
        # purchases are lost by the carrier".
        r"|\b(?:issues?|problems?|faults?|bugs?|errors?|failures?|glitch(?:es)?|outages?"
        r"|defects?|flaws?)\s+(?:in|with|at|on|affecting|from)\s+(?:(?:a|an|the|their|its|our"
        rf"|one\s+of\s+our)\s+)?(?:[a-z’'-]+\s+){{0,2}}?{listed}s?\b"
        rf"|\b{listed}(?:\s+[a-z-]+){{0,2}}?\s+(?:issues?|problems?|faults?|failures?"
        r"|glitch(?:es)?|outages?|errors?|breakdowns?)\b"
        r"|\b(?:no|not|never)\b[^.!?;\n]{0,60}?\bby\s+(?:(?:the|a|an|our|their|its"
        rf"|one\s+of\s+our)\s+)?(?:[a-z’'-]+\s+){{0,2}}?{listed}s?\b"
        r"|\b(?:lost|damaged|mishandled|misdelivered|misrouted|dropped|refused|rejected"
        r"|blocked|cancell?ed|withdrawn|broken|missed)\s+(?:[a-z’'-]+\s+){0,3}?by\s+"
        rf"(?:(?:the|a|an|our|their|its|one\s+of\s+our)\s+)?(?:[a-z’'-]+\s+){{0,2}}?{listed}s?\b"
        # A third party described by what we use it for, then failing: "the warehouse from
        # which we fulfil orders fell behind".
        rf"|\b{described}"
        r"[^.!?;\n]{0,80}?\b(?:fell\s+behind|failed|let\s+us\s+down|messed\s+up|lost|damaged"
        r"|did\s+not|didn['’]t|neglected|forgot|made\s+(?:a|an)\s+(?:mistake|error))\b"
        # Another party acting on its own link or service: "Sprint-Nextel had severed its
        # internet connection to Cogent", "the council has withdrawn its permit".
        rf"|\b{severed}(?:[a-z-]+\s+){{0,2}}?(?:connection|connections"
        r"|service|services|supply|supplies|contract|link|links|peering|access|support|permit"
        r"|licen[cs]e|approval)\b"
        # A surge told as the cause: "an unusually large number of orders", "demand for this
        # item has exceeded our expectations".
        rf"|\b{surge}"
        rf"\s+(?:of|in)\s+(?:[a-z-]+\s+)?{_alternation(lex.words('surge_things'))}\b"
        rf"|\b{_alternation(lex.words('surge_subjects'))}(?:\s+[a-z’'-]+){{0,5}}?\s+"
        r"(?:has\s+|have\s+|had\s+)?(?:far\s+|greatly\s+|vastly\s+|simply\s+)?"
        rf"{_alternation(lex.words('surge_verbs'))}\b"
        # Demand told against what was expected: "a significant demand for this item that is
        # far more than we expected".
        rf"|\b{_alternation(lex.words('surge_subjects'))}\b[^.!?;\n]{{0,60}}?\b(?:far\s+|much\s+"
        r"|significantly\s+|considerably\s+)?(?:more|higher|greater|larger|bigger|heavier"
        r"|stronger)\s+than\s+(?:we|i|anyone|expected|anticipated|forecast|predicted|planned)\b"
        # Demand called beyond planning: "such unpredictable sales demand", "record traffic";
        # not "in high demand".
        r"|(?<!\bin\s)\b"
        rf"{_alternation(lex.words('surge_surprises'))}\s+(?:[a-z-]+\s+)?"
        rf"{_alternation(lex.words('surge_subjects'))}\b"
        # Another party not doing its part: "such contractors do not always honour the agreed
        # plans".
        rf"|\b{agents}s?\s+(?:(?:do|does|did)\s+not|don['’]t|doesn['’]t|didn['’]t)\s+"
        r"(?:always\s+|even\s+)?(?:honou?r|follow|keep|respect|meet|stick\s+to|adhere\s+to"
        r"|deliver\s+on|live\s+up\s+to)\b"
        # Another party that failed to act, whatever the act: "the council's contractor did not
        # empty the bins", "the supplier failed to ship"; not "the courier did not need".
        r"|(?<!\bif\s)(?<!\bif\sthe\s)(?<!\bif\sa\s)(?<!\bif\syour\s)(?<!\bwhen\sthe\s)"
        r"(?<!\bunless\sthe\s)(?<!\bwhether\sthe\s)(?<!\bin\scase\sthe\s)"
        rf"\b{listed}s?\s+(?:(?:also|then|simply|again)\s+)?(?:did\s+not|didn['’]t|failed\s+to"
        r"|neglected\s+to|forgot\s+to|never)\s+(?!(?:need|have|know|want|mean|intend|expect"
        r"|require|receive|get)\b)[a-z]+"
        # The outside cause as the subject that forced us: "the price hike in raw materials
        # has forced us to", "a bug in the supplier's chips caused".
        rf"|\b{_alternation(lex.words('outside_causes'))}s?(?:\s+[a-z’'-]+){{0,3}}?\s+"
        r"(?:has\s+|have\s+|had\s+)?(?:forced|obliged|compelled)\s+(?:us|me)\b"
        rf"|\b(?:bug|fault|defect|flaw|problem|error)s?\s+in\s+(?:the|their|its)\s+(?:[a-z-]+\s+){{0,2}}?"
        rf"{_alternation(lex.words('outside_causes'))}s?\b"
    )
    # Every match of `outside_state` starts on an agent, up to five words before one (after
    # "one of our" and two more words), or on the first word of an alternative that starts
    # with a fixed word.
    # Every match of `outside_state` starts on an agent, up to five words before one (after
    # "one of our" and two more words), or on the first word of an alternative that starts
    # with a fixed word.
    # Every match of `outside_state` starts on an agent, on the first word of an alternative
    # that starts with a fixed word, or up to five words before an agent's state (after "one
    # of our" and two more words).
    outside_state_anchored = _Anchored.of(
        outside_state,
        (agents, described, severed, surge),
        _STATE_STARTS + lex.words("surge_subjects") + lex.words("surge_surprises"),
        reach=(agent_state, 5),
    )
    narrative = re.compile(
        # The outside cause as the subject of a verb of effect, with at most a place ("in the
        # north", "across our network") and auxiliaries between: "the storm has disrupted".
        rf"\b{agents}s?\b"
        # One more noun ("covid19 quarantines", "strike action") or a parenthesis ("this DDoS
        # attack (2+ Gbps)").
        r"(?:\s+(?!(?:we|i|you|our|my|your|it|they|he|she|us|me)\b)[a-z’'-]+s\b)?"
        r"(?:\s*\([^)\n]{0,40}\))?"
        r"(?:\s+(?:in|across|on|at|over|throughout|around)\s+(?:the\s+|our\s+|this\s+|that\s+)?"
        r"(?:[a-z’'-]+\s+){0,2}?[a-z’'-]+)?"
        r"(?:\s+(?:also|has|have|had|been|is|are|was|were|continuing\s+to|continues\s+to"
        r"|continue\s+to"
        r"|continued\s+to|then|really|severely|badly|further|again|simply|just|soon|quickly"
        r"|ultimately|primarily|largely|mainly))*"
        rf"\s+{_alternation(lex.words('effect_verbs'))}\b"
        # What a season brought: "June has brought unprecedented weather to our hubs".
        r"|(?<!\bwe\s)(?<!\bi\s)(?<!\bwe\shave\s)(?<!\bwe['’]ve\s)(?<!\bwe\shad\s)"
        r"\b(?:brought|brings|bringing)\s+(?!(?:in|on|up|back|forward|over)\b)"
        rf"(?:[a-z’'-]+\s+){{0,2}}?{agents}s?\b"
        # "With extreme weather continuing", "amid the strike spreading"; a clause that opens
        # with "given / amid the storm".
        rf"|\b(?:with|amid|amidst|given)\s+(?:the\s+|this\s+|such\s+)?(?:[a-z’'-]+\s+){{0,3}}?"
        rf"{agents}s?\s+(?:still\s+)?{_alternation(lex.words('ongoing_participles'))}\b"
        r"|(?:^|(?<=\n)|(?<=[.!?;:,]\s))(?:given|amid|amidst)\s+(?:the\s+|this\s+|such\s+)?"
        rf"(?:[a-z’'-]+\s+){{0,3}}?{agents}s?\b(?=\s*,)"
        # The writer's hardship told against an outside cause: "we are struggling with running
        # a shop in a pandemic", "battling the storm".
        r"|\b(?:we|i)(?:['’](?:re|m|ve))?(?:\s+(?:are|am|have|been|all|really|still|so|also))*\s+"
        r"(?:struggling|battling|grappling|fighting)\s+(?:with|against)?"
        rf"(?:\s+[a-z’'-]+){{0,8}}?\s+{agents}s?\b"
    )
    # Every match of `narrative` starts on an agent or on the first word of an alternative.
    # Every match of `narrative` starts on an agent or on the first word of an alternative.
    narrative_anchored = _Anchored.of(narrative, (agents,), _NARRATIVE_STARTS)
    # Where `owned` is looked for after a non-word character, a look-ahead for its first
    # letters fails first at most of them (about half the time of the scan of a long body;
    # with 13 of the 26 letters, as now, still 2.4 -> 1.5 ms on a 20 KB body of causes).
    first = first_class(owned, most=20)
    owned_lead = "" if first is None else f"(?={first})"
    return _Patterns(
        head=head,
        reaction=reaction,
        reaction_needs=alternatives_needs(reaction),
        harm=frozenset(lex.words("harm_words")),
        not_owner=frozenset(lex.words("not_ownership_nouns")),
        acknowledge=acknowledge,
        no_doer=no_doer,
        owned=owned,
        owned_needs=alternatives_needs(owned),
        owned_after_break=re.compile(rf"[^\w]{owned_lead}(?=(?:{owned.pattern})(?P<end>))"),
        cause=cause,
        outside=outside,
        outside_state=outside_state_anchored,
        narrative=narrative_anchored,
        open_link=re.compile(rf"\b{_alternation(lex.words('open_cause_links'))}\b"),
        open_starts=frozenset(lex.words("open_cause_starts")),
        durations=frozenset(lex.words("duration_units")),
        amounts=frozenset(lex.words("duration_amounts")) | frozenset(lex.words("number_words")),
        incident=frozenset(lex.words("incident_nouns")),
        np_ends=frozenset(lex.words("cause_phrase_ends")),
        explanation=re.compile(
            rf"\b{_alternation(lex.words('explanation_verbs'))}\b"
            r"|\b(?:has|had|have)\s+(?:a|an)\s+(?:[a-z-]+\s+){0,2}?(?:effect|impact)\s+"
            r"(?:on|over|upon)\b"
            rf"|\b{_alternation(lex.words('failure_adverbs'))}\s+[a-z-]+\b"
            # "the roadworks made deliveries impossible".
            r"|\bmade\s+(?!it\b)(?:[a-z-]+\s+){1,2}?(?:impossible|unsafe|unworkable)\b"
        ),
        auxiliaries=frozenset(lex.words("explanation_auxiliaries")),
        adverbs=frozenset(lex.words("failure_adverbs")),
        occurrences=frozenset(lex.words("occurrence_verbs")),
        # "Delays can happen due to courier backlogs", "damage caused by major storms can
        # take time": a general account of what may happen, not of this failure.
        general=re.compile(
            r"\b(?:can|may|might|could|sometimes|occasionally|will\s+sometimes)\s+"
            r"(?:sometimes\s+|occasionally\s+|also\s+|still\s+)?"
            rf"{_alternation(lex.words('general_verbs'))}\b"
            # "The restaurant might be experiencing a large number of orders": a possible
            # cause, not the one of this failure.
            r"|\b(?:can|may|might|could)\s+(?:sometimes\s+|occasionally\s+|also\s+)?be\s+[a-z]+ing\b"
            # "The situation is often fluid because of the changing conditions during a
            # storm": what is usually so.
            r"|\b(?:is|are|can\s+be|tends?\s+to\s+be)\s+(?:often|usually|typically|generally"
            r"|normally|always|commonly|frequently)\s+(?!(?:outside|beyond|out|caused|due|the"
            r"|a|down|because|related|linked|driven|triggered)\b)"
        ),
        boundaries=frozenset(lex.words("subject_boundaries")),
        past_forms=frozenset(lex.words("irregular_past_verbs")),
        # "it's down to the Royal Mail service": the link reads an open noun phrase only after
        # "it is / that was", so "down to the last detail" is not a cause.
        down_to=re.compile(
            r"\b(?:it|this|that)(?:['’]s|\s+is|\s+was|\s+will\s+be)\s+(?:all\s+|now\s+|then\s+)?"
            r"down\s+to\b"
        ),
        reader_cause=re.compile(
            # A reason clause with the reader as subject and a failing as its verb, in any
            # tense or contraction: "because yall couldnt tell the time", "as you did not
            # read the listing", "since you forgot to book".
            r"\b(?:because|since|as|cause|cos|coz|cuz)\s+"
            rf"{_alternation(lex.words('reader_subjects'))}\s+"
            r"(?:(?:just|simply|clearly|obviously|apparently|still|never)\s+)?"
            r"(?:(?:could|would|did|do|does|were|was|are|have|had|can)(?:\s+not|n['’]?t)"
            r"|cannot|failed\s+to|forgot\s+to|neglected\s+to|refused\s+to|chose\s+not\s+to)\s+"
            r"(?:(?:even|bother\s+to|be\s+bothered\s+to|manage\s+to|properly|correctly|fully)\s+)?"
            rf"{_alternation(lex.words('reader_failings'))}\b"
            # A judgement of the reader: "nasty & vindictive of you", "very rude of you".
            rf"|\b{_alternation(lex.words('reader_judgements'))}"
            rf"(?:\s*(?:&|and|,)\s*{_alternation(lex.words('reader_judgements'))})*\s+of\s+"
            r"(?:you|u|ya)\b"
            # The reader called it outright: "you are the most unreasonable guest", "you are
            # being very rude"; not "you are not unreasonable".
            r"|\byou(?:['’]re|\s+are|\s+were)\s+(?:(?:the\s+most|so|such\s+an?|a\s+very|a|an|really"
            r"|very|incredibly|extremely|being|quite|just)\s+){1,2}"
            rf"{_alternation(lex.words('reader_judgements'))}\b"
        ),
        # Another party's failing as what the apology is for: "we apologise profusely for
        # their incompetence", "sorry for the courier's mistake".
        their_failing=re.compile(
            rf"\b{heads}\b(?:,?\s+(?:{fillers}|[a-z]+ly)\b)*,?\s+for\s+(?:their|(?:the\s+|our\s+)?"
            rf"{_alternation(lex.words('outside_causes'))}s?['’]s?)\s+(?:[a-z-]+\s+)?"
            rf"{_alternation(lex.words('third_party_failings'))}\b"
        ),
    )


_CLAUSE_END = re.compile(r"[.!?;\n]|,\s*but\b")
_CAUSE_END = re.compile(r"[.!?;,\n]")
_WORD = re.compile(r"[a-z0-9’'-]+")
_FIRST_PERSON = re.compile(r"\b(?:we|i|us|me|our|my|ours|mine)\b(?:\s+([a-z-]+))?")
_LEFT_TO_PACKS = frozenset(("any", "the", "all", "some", "this", "that", "these", "those"))
_LIST = re.compile(r",|\s+(?:and|or)\s+(?!(?:felt|feel|were|was|are|took|who)\b)")
_OBJECT_WINDOW = 10
_NP_WORDS = 10
"""How many words after an open cause link are read as its noun phrase."""
_FIRST_PERSON_WORDS = frozenset(("we", "i", "us", "me", "our", "my", "ours", "mine", "ourselves"))
_NP_FUNCTION_WORDS = frozenset(
    (
        "the", "a", "an", "some", "any", "several", "many", "such", "their", "its", "his",
        "her", "all", "of", "and", "or", "in", "on", "at", "to", "for", "with", "from", "by",
        "very", "so", "too", "more", "most", "other", "another", "one", "two", "few",
    )
)  # fmt: skip
"""How many words may stand between the apology and the reaction word that is its object."""
_ACK_HINTS = (
    "inadvertent",
    "mistakenly",
    "accidentally",
    "erroneously",
    "there had been",
    "there has been",
    "there have been",
    "irregular",
    "anomal",
    "not all",
    "acknowledge",
    "recogni",
    "regret",
    " note",
    "unfortunate",
    "sad",
    "upsetting",
    "difficult",
    "feel",
    "felt",
)
_CAUSE_HINTS = (
    "due",
    "because",
    "cause",
    "owing",
    "result",
    "thanks",
    "control",
    "hands",
    "by",
    "through",
    "via",
    "happen",
    "forced",
    "experiencing",
    "facing",
    "having",
    "struggling",
    "slow",
    "swamped",
    "inundated",
    "stretched",
    "staffed",
    "behind",
    "had a",
    "capricious",
    "unpredictable",
    "blame",
    "than",
    "bug",
    "fault",
    "defect",
    "flaw",
    "exceed",
    "outstrip",
    "outpac",
    "surpass",
    "overwhelm",
    "outgr",
    "number",
    "volume",
    "amount",
    "influx",
    "surge",
    "spike",
    "backlog",
    "shortage",
    "suffered",
    "experienced",
    "encountered",
    "went ",
    "fell behind",
    "let us down",
    "dropped the ball",
    "messed up",
    "issue",
    "problem",
    "glitch",
    "outage",
    "failure",
    "error",
    "severed",
    "hit with",
    "cut off",
    "terminated",
    "withdr",
    "pulled",
    "suspended",
    "revoked",
    "necessitat",
    "down to",
    "led to",
    "prompted",
    "triggered",
    "meant that",
    "mean",
    "impossible",
    "unsafe",
    " as the ",
    " as our ",
    " as their ",
    " as its ",
    " as a ",
    " as an ",
    "made it",
    "prevented",
    "stopped us",
    "kept us",
    "effect",
    "impact",
    "mistaken",
    "wrong",
    "erroneous",
    "incorrect",
    "accidental",
    "inadvertent",
    "negligent",
    "careless",
    "burst",
    "peak",
    "demand",
    "traffic",
    "brought",
    "bring",
    "honour",
    "honor",
    "follow",
    "keep",
    "respect",
    "adhere",
    "stick to",
    "did not",
    "didn",
    "failed to",
    "forgot to",
    "never",
    "live up",
    "deliver on",
    "victim",
    "stem",
    "originat",
    "traced",
    "attribut",
    "let down",
    "hands of",
    "hosted",
    "managed",
    "maintained",
    "supplied",
    "provided",
    "owned",
    "built",
    "developed",
    "fulfilled",
    "shipped",
    "dispatched",
    "damaged",
    "struck",
    "dug up",
    "severed",
    "late",
    "turn up",
    "show up",
)


def owns(low: str, draft: Draft | None = None) -> bool:
    """A first-person failure anywhere in the message (or the responsibility element)."""
    if draft is not None and any(
        e["element"] == "responsibility" and e["present"] for e in draft.elements
    ):
        return True
    p = _patterns()
    # Most text holds none of what any alternative of `owned` needs: then it is not scanned.
    if not may_hold(p.owned_needs, low):
        return False
    return any(_owning(low, start, end) for start, end in _owned_spans(low, p))


def body_owns(draft: Draft) -> bool:
    """`owns(draft.body.low, draft)`, read once per check: the pack rules and the structural
    rules both ask, and on a long body that owns nothing the answer is a scan of all of it."""
    if draft.owned is None:
        draft.owned = owns(draft.body.low, draft)
    return draft.owned


def _owned_spans(low: str, p: _Patterns) -> Iterator[tuple[int, int]]:
    """The spans of `p.owned.finditer(low)`, found from word starts only: every alternative
    starts at a word boundary, on a letter, so the engine skips over the letters inside words
    in C instead of trying each alternative at every character."""
    end = 0
    first = p.owned.match(low)
    if first is not None:
        end = first.end()
        yield first.span()
    for hit in p.owned_after_break.finditer(low):
        if hit.end() >= end:
            end = hit.start("end")
            yield hit.end(), end


_EXPECTATION = re.compile(
    r"\s+(?:a|an|the|your|it|them|this|that|some|more|any|news|everything|something|results?"
    r"|updates?|answers?|one|all|no)\b"
)
"""After "we should have": what is expected to arrive ("we should have an update by Friday"),
not a failure owned."""


_LOOKUP = re.compile(
    r"\s+to\s+(?:receive|hear|get|find|reach|load|connect|locate|identify|see|open)\b"
)
"""After "we failed": a look-up that found nothing ("we failed to find your booking"), not a
failure owned."""


_CLAIMED = re.compile(
    r"\b(?:claims?|allegations?|suggestions?|accusations?|assertions?|idea|notion|reports?"
    r"|rumou?rs?|complaints?)\s+that\s+$"
)
"""Before an owning clause: someone else's claim reported ("the claim that our staff were
rude is untrue"), not the writer's admission."""


def _owning(low: str, start: int, end: int) -> bool:
    """The match `low[start:end]` owns a failure: its clause is not opened by a condition or a
    denial ("if we made a mistake", "we don't believe we made an error"), a "should have" in
    it is not an expectation and a "failed" not a look-up."""
    if is_negated(low, start, hedged=True):
        return False
    if _CLAIMED.search(low, max(0, start - 40), start) is not None:
        return False
    if low.endswith("failed", start, end) and _LOOKUP.match(low, end):
        return False
    return not (low.endswith("should have", start, end) and _EXPECTATION.match(low, end))


_REPORTED = re.compile(
    r"\byou(?:\s+(?:have|had|also|then|first))?\s+(?:said|wrote|told\s+(?:us|me)|mentioned"
    r"|suggested|claimed|were\s+told|had\s+been\s+told|have\s+been\s+told|quoted)\b"
    r"|\byour\s+(?:message|email|e-mail|review|letter|complaint|post|comment|tweet)\s+"
    r"(?:said|says|states|stated|mentioned|mentions|suggests|suggested)\b"
)
"""The reader's own account reported: "you wrote that the courier was to blame", "your review
says". What follows is theirs, not the writer's."""


def quoted_or_reported(low: str, start: int, end: int) -> bool:
    """The words `low[start:end]` are someone else's, not the writer's: wholly inside a pair
    of double quotes on their line (an earlier reply, a customer's words, a phrase named to
    be rejected), or in a sentence that reports what the reader said or wrote. Only
    `_NEAR` characters either side are read, so that checking every match of a long line
    stays linear."""
    near_start = max(0, start - _NEAR)
    line_start = low.rfind("\n", near_start, start) + 1 or near_start
    line_end = low.find("\n", end, end + _NEAR)
    line_end = min(len(low), end + _NEAR) if line_end < 0 else line_end
    # Curly quotes are folded to straight ones before matching.
    opened = low.count('"', line_start, start) % 2 == 1
    if opened and '"' not in low[start:end] and '"' in low[end:line_end]:
        return True
    sentence_start = max(
        (m.end() for m in _SENTENCE_BREAK.finditer(low, line_start, start)), default=line_start
    )
    return _REPORTED.search(low, sentence_start, start) is not None


_SENTENCE_BREAK = re.compile(r"[.!?](?=\s)")
_NEAR = 400


_TURN = re.compile(r"[;:,—–]|\s-\s|\b(?:but|yet|and|though|although|however|because)\b")
_ADMISSION = re.compile(
    r"\bshould(?:\s+not|n['’]t)?\s+have\b"
    r"|\b(?:is|was|that['’]s|it['’]s|are)\s+no\s+excuse\b"
    r"|\b(?:we|i)\s+(?:still\s+|clearly\s+|obviously\s+|just\s+)?(?:did|have|do)\s*(?:[.!?,;]|$)"
    r"|\bhappened\s+to\s+you\b|\byours\s+(?:was|were|is|should)\b"
)
"""An admission in a clause of its own: "but they should not have happened to you", "that is
no excuse", "but we did", "and yours should have been answered"."""


def owned_after(low: str, end: int, sentence_end: int) -> bool:
    """The sentence goes on, after a clause break, to own the failure: "we never meant to
    mislead anyone, but we did", "this rarely happens, but it happened to you", "sorry you
    felt ignored; you were ignored, and that was our failure". A concession or a feeling
    followed by an admission is not an excuse. Ownership inside the same clause does not
    count ("sorry you feel we let you down" reports the reader's view)."""
    sentence_end = min(sentence_end, end + 2 * _NEAR)  # linear in an endless sentence
    turn = _TURN.search(low, end, sentence_end)
    if turn is None:
        return False
    rest = low[turn.end() : sentence_end]
    return _ADMISSION.search(rest) is not None or owns(rest)


def _clause_owns(clause: str, not_owner: frozenset[str]) -> bool:
    """A first person in the clause that is not just "our customers" or "my heart"."""
    for match in _FIRST_PERSON.finditer(clause):
        word = match.group(0).split()[0]
        if word in ("our", "my") and match.group(1) in not_owner:
            continue
        return True
    return False


_CAUSED = (["having", "caused"], ["have", "caused"], ["to", "cause"])
"""Words after the apology that make the writer the one who caused the reaction."""


def _reactions(low: str, text: str, p: _Patterns, sentences: SentenceBreaks) -> list[Finding]:
    """The first `MAX_PER_RULE` reactions blamed on the reader (all a report keeps), each
    outside quotes and reported speech and not owned later in its sentence: an endless text
    of them is read only as far as those."""
    found: list[Finding] = []
    if not may_hold(p.reaction_needs, low):
        return found  # no reaction word anywhere: no clause is searched for one
    for head in p.head.finditer(low):
        # The clause is read up to `_NEAR` characters on, so that a text of one endless
        # clause ("sorry sorry sorry ...") costs time in proportion to its length.
        reach = min(len(low), head.end() + _NEAR)
        stop = _CLAUSE_END.search(low, head.end(), reach)
        clause_end = stop.start() if stop else reach
        clause = low[head.end() : clause_end]
        if not may_hold(p.reaction_needs, clause):
            continue
        reaction = p.reaction.search(clause)
        if reaction is None:
            continue
        before = _WORD.findall(clause[: reaction.start()])
        if len(before) > _OBJECT_WINDOW or any(w in p.harm for w in before):
            continue
        # "any frustration" is the generic warning's; "the frustration" alone and "sorry if"
        # are the packs' (non_apology.reverse, non_apology.conditional, with their fixes);
        # a list ("the stress, frustration and the inconvenience") names harms as well.
        if before and (before[-1] in _LEFT_TO_PACKS or before[0] == "if"):
            continue
        if _LIST.search(clause[: reaction.start()]) or _LIST.match(clause, reaction.end()):
            continue
        # "sorry to have disappointed our customers", "for having upset you": the reaction
        # word is the writer's own verb, a failure told as theirs.
        if before in (["have"], ["having"], ["to", "have"], ["for", "having"]):
            continue
        # "our regret for causing concern" after "affected by our excessive checks": the
        # writer's own causing, beside a failure owned in its sentence or the one before, is
        # the effect of that failure (alone, "for causing our customers concern" still is not).
        if (before[:1] == ["causing"] or before[:2] in _CAUSED) and owns(
            low[max(0, head.start() - _NEAR) : sentences.bounds(head.start(), clause_end)[1]]
        ):
            continue
        if _clause_owns(clause, p.not_owner):
            continue
        start, end = head.start(), head.end() + reaction.end()
        if quoted_or_reported(low, start, end) or owned_after(
            low, end, sentences.bounds(start, end)[1]
        ):
            continue
        found.append(
            finding(REACTION_RULE, "error", _REACTION_WHY, text, start, end, _REACTION_SUGGESTION)
        )
        if len(found) == MAX_PER_RULE:
            break
    return found


_APOLOGY_WORD = re.compile(r"\b(?:sorry|apolog[a-z]*|regret[a-z]*)\b")


def _unowned(low: str, text: str, p: _Patterns) -> list[Finding]:
    """Regret or acknowledgment of the situation; and, in a message with no apology either, a
    failure told with no doer (beside "we apologise for the error" it reports the fault)."""
    matches = list(p.acknowledge.finditer(low))
    if _APOLOGY_WORD.search(low) is None:
        matches += p.no_doer.finditer(low)
    return [
        finding(UNOWNED_RULE, "error", _UNOWNED_WHY, text, m.start(), m.end(), _UNOWNED_SUGGESTION)
        for m in matches
    ]


def _open_cause_end(low: str, start: int, clause_end: int, p: _Patterns) -> int | None:
    """Where the noun phrase after an open cause link ends, when it names a cause that is not
    the writer's own and not the incident itself ("due to the recent harsh winter
    conditions", "caused by wildlife or vegetation"); None otherwise."""
    words = list(_WORD.finditer(low, start, clause_end))[:_NP_WORDS]
    # "due to commercial power where our transmitter is located": a relative or time clause
    # after the noun phrase says where or when, not whose the cause is.
    for k, w in enumerate(words[1:], start=1):
        if w.group(0) in p.np_ends:
            words = words[:k]
            break
    if not words:
        return None
    tokens = [w.group(0) for w in words]
    # "impacted by these tariffs": a demonstrative before a noun is its determiner; alone
    # ("because of this") it is a pronoun.
    if tokens[0] in _DEMONSTRATIVES and len(tokens) > 1 and _noun_like(tokens[1], p):
        tokens = tokens[1:]
    if tokens[0] in p.open_starts or " ".join(tokens[:2]) in p.open_starts:
        return None
    if _duration(tokens, p):
        return None
    if any(t.split("'")[0].split("’")[0] in _FIRST_PERSON_WORDS for t in tokens):
        return None
    content = [t for t in tokens if t not in _NP_FUNCTION_WORDS][:2]
    if not content or any(t in p.incident for t in content):
        return None
    # "caused by a gRPC C extensions import breakage on ClusterFuzz": the head of a long
    # compound, the last word before a preposition, may name a breakage of code or the
    # writer's own words, which are the incident ("a bank or gateway communication error"
    # names the bank's).
    head = next((k for k, t in enumerate(tokens) if k and t in _HEAD_ENDS), len(tokens))
    if tokens[head - 1] in _CODE_BREAKS:
        return None
    return words[min(len(words), 6) - 1].end()


def _duration(tokens: list[str], p: _Patterns) -> bool:
    """The phrase is a length of time ("delayed by over an hour", "held up by 1 or 2 days",
    "delayed by a few minutes"): how long, not who or what caused it."""
    for token in tokens[:5]:
        if token in p.durations:
            return True
        if not (token.isdigit() or token in p.amounts):
            return False
    return False


_HEAD_ENDS = frozenset(("on", "in", "at", "of", "with", "for", "from", "by", "to"))
_CODE_BREAKS = frozenset(
    ("breakage", "breakages", "regression", "regressions", "bug", "bugs", "conflict", "conflicts",
     "misconfiguration", "typo", "tweet", "tweets", "remark", "remarks", "joke", "jokes",
     "wording")
)  # fmt: skip
"""Heads that name a breakage of code or the writer's own words ("a needless and careless
tweet")."""
_DEMONSTRATIVES = frozenset(("this", "that", "these", "those"))
_BE_FORMS = frozenset(("was", "were", "is", "are", "be", "been", "being", "got", "get", "gets"))
_CONJUNCTIONS = frozenset(("and", "or", "then", "also"))


def _noun_like(token: str, p: _Patterns) -> bool:
    """A word that may head a noun phrase: not a verb form, auxiliary or function word."""
    return not (
        token in p.open_starts
        or token in p.auxiliaries
        or token in _NP_FUNCTION_WORDS
        or token.endswith("ing")
    )


_SUBJECT_STOPS = frozenset(
    (
        "but", "so", "because", "when", "if", "as", "since", "while", "although", "though",
        "there", "here", "after", "before", "until", "once", "where", "whether", "not", "no",
        "never", "what", "how", "whatever", "it", "them", "him", "her", "they", "sorry",
        "afraid", "regret", "regrets", "apologise", "apologize", "apologies", "unfortunately",
        "sadly", "regrettably",
    )
)  # fmt: skip
"""Words that end an explanation's subject, read backwards from its verb."""
_SUBJECT_WORDS = 12
_READER_WORDS = frozenset(("you", "your", "yours", "yourself"))
_NOUN_USE = frozenset(("was", "is", "were", "are", "of", "for", "behind", "lies", "lay"))
"""After "cause"/"causes", words that show it is the noun ("the immediate cause was")."""
_DETERMINERS = frozenset(
    ("the", "a", "an", "this", "that", "these", "those", "such", "some", "any", "its", "their")
)
_OBJECTS = frozenset(
    ("them", "it", "him", "her", "us", "a", "an", "the", "our", "this", "these", "those", "all")
)
_REASON = re.compile(r"\bbecause\b(?!\s+of\b)")
_AS_REASON = re.compile(r"(?<=[a-z,] )as\s+(?=(?:the|a|an|their|its|our)\s)")
""""as" in mid-sentence before a noun phrase: a reason only when its clause tells a failure
(`_FAILING`); "as the courier arrived" tells a time."""
_NOT_REASON_BEFORE = frozenset(
    ("such", "well", "soon", "far", "long", "same", "just", "much", "many", "as", "so", "twice",
     "known", "seen", "used", "regarded", "treated", "described", "listed", "shown", "such")
)  # fmt: skip
_WE_ACTED = re.compile(
    r"\s*(?:so\s+|and\s+|then\s+)?(?:we|i)(?:['’]ve|\s+have|\s+had)?\s+(?:(?:also|then|now|already)\s+)?"
    r"(?!had\b|needed\b|wanted\b|received\b|experienced\b|suffered\b|faced\b)([a-z]+)\s"
)


def _decision_before(low: str, at: int, p: _Patterns) -> bool:
    """The sentence opens with the writer's own act, of which the reason clause at `at` gives
    the reason ("We have cancelled your order because the mill ran out of tweed"): the writer
    owns the decision. "We had to cancel because ..." and "we could not ..." are forced."""
    start = max((m.end() for m in _SENTENCE_END.finditer(low, max(0, at - 200), at)), default=0)
    acted = _WE_ACTED.match(low, start, at)
    if acted is None:
        return False
    verb = acted.group(1)
    return verb.endswith("ed") or verb in p.past_forms


_DO_FORMS = frozenset(("did", "didn't", "didn’t", "does", "doesn't", "doesn’t"))
_FAILING = re.compile(
    r"\b(?:not|never|no\s+longer|failed|forgot|forgotten|refused|neglected|lost|wrong|late"
    r"|unable|short\s+of)\b|n['’]t\b"
)
_REASON_WORDS = 7
"""How many words after "because" may hold its subject and first verb."""
_SENTENCE_END = re.compile(r"[.!?\n]")
_PARENTHESIS = re.compile(r"\([^)\n]{0,80}\)")
_CLAUSE_MARKS = ".!?;:,\n"
"""A subject starts after the last of these before its verb, or at the text's start."""


def _explanation_start(low: str, verb_start: int, p: _Patterns) -> int | None:
    """Where the subject of an explanation verb starts, when that subject is a noun phrase
    that is not the writer's own, not a pronoun or the reader, and not the incident itself or
    its harm ("the higher cost of steel has forced", "a power surge that had a catastrophic
    effect"); None otherwise. Read backwards from the verb, past its auxiliaries."""
    bound = 1 + max(low.rfind(mark, 0, verb_start) for mark in _CLAUSE_MARKS)
    window = _PARENTHESIS.sub(lambda m: " " * len(m.group(0)), low[bound:verb_start])
    words = list(_WORD.finditer(window))
    i = len(words) - 1
    relative = False
    while i >= 0 and words[i].group(0) in p.auxiliaries:
        relative = relative or words[i].group(0) in ("that", "which")
        i -= 1
    # "the perfect storm occurred that caused": the event told before its relative clause.
    if relative and i >= 0 and words[i].group(0) in p.occurrences:
        i -= 1
    subject: list[re.Match[str]] = []
    while i >= 0 and len(subject) < _SUBJECT_WORDS:
        token = words[i].group(0)
        if token in p.boundaries or token in _SUBJECT_STOPS:
            break
        base = token.split("'")[0].split("’")[0]
        # "our payment processor sent it to the wrong account": "our" before another party
        # names whom the writer uses, not what the writer did.
        if base in ("our", "my") and subject and p.outside.search(window, subject[-1].start()):
            subject.append(words[i])
            break
        if base in _FIRST_PERSON_WORDS or base in _READER_WORDS:
            return None
        subject.append(words[i])
        i -= 1
    subject.reverse()
    # "a delay in our system, and that caused": a conjunction opens no noun phrase.
    while subject and subject[0].group(0) in _CONJUNCTIONS:
        subject.pop(0)
    tokens = [w.group(0) for w in subject]
    # "we are investigating and addressing the underlying conditions that led to": a noun
    # phrase after a verb is that verb's object; when the writer is the one acting on it,
    # it names what the writer is fixing, not someone else's doing.
    for k in range(len(tokens) - 1, 0, -1):
        if tokens[k] in _DETERMINERS and tokens[k - 1] not in _NP_FUNCTION_WORDS | _DETERMINERS:
            if _FIRST_PERSON.search(window, 0, subject[k].start()):
                return None
            subject, tokens = subject[k:], tokens[k:]
            break
    while tokens and tokens[0] in _DETERMINERS:
        tokens.pop(0)
    if not tokens or tokens[0] in p.open_starts or " ".join(tokens[:2]) in p.open_starts:
        return None
    # "Reconnecting them to the network caused congestion", "enabling a new feature under
    # high load led to contention": a clause opened by an action done to an object, with no
    # subject of its own, tells what the writer did ("flooding at the depot" is a noun).
    if len(words) > 1 and words[0].group(0).endswith("ing") and words[1].group(0) in _OBJECTS:
        return None
    # "A national shortage of drivers combined with staff absences has meant": a cause named
    # among others is still named; the subject is the incident only if every conjunct is.
    if all(
        any(t in p.incident or t in p.harm or t.rstrip("s") in p.harm for t in conjunct)
        for conjunct in _conjuncts(tokens)
    ):
        return None
    if p.reaction.search(" ".join(tokens)):
        return None  # "the frustration this matter has caused": the reader's reaction
    # "the inconvenience (that) this matter has caused": the subject of a harm's relative
    # clause is the incident itself.
    before = [w.group(0) for w in words[: i + 1] if w.group(0) not in ("that", "which")]
    if before and (
        before[-1] in p.harm or before[-1].rstrip("s") in p.harm or p.reaction.match(before[-1])
    ):
        return None
    return bound + subject[0].start()


_JOINS = frozenset(("and", "or", "plus", "combined", "coupled", "together", "along", "alongside"))


def _conjuncts(tokens: list[str]) -> list[list[str]]:
    """The noun phrases of a coordinated subject ("rising costs and a lack of staff")."""
    parts: list[list[str]] = [[]]
    for token in tokens:
        if token in _JOINS:
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def _explained(low: str, p: _Patterns) -> Iterator[tuple[int, int]]:
    """Explanations told of someone or something else, in any words: a causal verb or a
    failure adverb whose subject is not the writer's own or the incident; (start, end) of
    each, in the order of their verbs."""
    for verb in p.explanation.finditer(low):
        after = _WORD.match(low, verb.end() + 1)
        if after is not None and (
            after.group(0) == "by"  # a passive: the open cause links read it
            or (verb.group(0).startswith("cause") and after.group(0) in _NOUN_USE)
        ):
            continue
        sentence_end = _SENTENCE_END.search(low, verb.end())
        if sentence_end is not None and sentence_end.group(0) == "?":
            continue  # a question asks for the cause; it tells none
        before = _WORD.findall(low, max(0, verb.start() - 16), verb.start())
        if verb.group(0) in ("cause", "causes") and before and before[-1] not in p.auxiliaries:
            continue  # "shut-downs and repairs cause a loss of pressure": what happens in general
        if verb.group(0).split()[0] in p.adverbs and (
            (before and before[-1] in _BE_FORMS) or verb.group(0).endswith("ing")
        ):
            # "accounts were mistakenly flagged": what was done to, not who did it; "in
            # mistakenly awarding a penalty, I ...": a gerund, whose doer is the main clause's.
            continue
        start = _explanation_start(low, verb.start(), p)
        if start is not None:
            yield start, verb.end()


def _reasons(low: str, reasons: Iterator[re.Match[str]], p: _Patterns) -> Iterator[tuple[int, int]]:
    """ "because the depot closed early", "because the carrier was short of drivers": a
    reason clause whose subject passes the test of `_explained`, up to its first verb, for
    each of `reasons` (in text order). ("Since" is left out: "two weeks since the order was
    placed" tells a time.)"""
    for reason in reasons:
        stop = _CAUSE_END.search(low, reason.end())
        clause_end = stop.start() if stop else len(low)
        if reason.group(0).startswith("as") and (
            _WORD.findall(low, max(0, reason.start() - 12), reason.start())[-1:]
            in ([w] for w in _NOT_REASON_BEFORE)
            or _FAILING.search(low, reason.end(), clause_end) is None
        ):
            continue
        if _decision_before(low, reason.start(), p):
            continue
        words = list(_WORD.finditer(low, reason.end(), clause_end))
        # The first auxiliary, or a past form right after a content word ("the depot
        # closed", "the hotel sold"; not "out of tweed").
        verbs = [
            w
            for k, w in enumerate(words[1:_REASON_WORDS], start=1)
            if w.group(0) in p.boundaries
            or w.group(0) in _DO_FORMS
            or (
                (w.group(0).endswith("ed") or w.group(0) in p.past_forms)
                and words[k - 1].group(0) not in _NP_FUNCTION_WORDS
            )
        ]
        if not verbs or _explanation_start(low, verbs[0].start(), p) is None:
            continue
        yield reason.start(), verbs[0].end()


def _down_to(low: str, p: _Patterns) -> Iterator[tuple[int, int]]:
    """ "it's down to the Royal Mail service": the open noun phrase after the link."""
    for link in p.down_to.finditer(low):
        stop = _CAUSE_END.search(low, link.end())
        opened = _open_cause_end(low, link.end(), stop.start() if stop else len(low), p)
        if opened is not None:
            yield link.start(), opened


def _outside_causes(low: str, p: _Patterns) -> Iterator[tuple[int, int]]:
    """(start, end) of each cause put outside, in text order (by start, then end), read only
    as far as the caller reads: a long text may hold hundreds, and `structural_findings`
    keeps the first ones. Each kind of cause is read in text order, and the kinds are merged
    in this order where two spans are the same."""
    return heapq.merge(
        _linked(low, p),
        *(
            _stated(low, states, p)
            for states in (
                p.outside_state.finditer(low),
                p.narrative.finditer(low),
                p.their_failing.finditer(low),
            )
        ),
        # A subject read back from its verb may start before an earlier verb's subject.
        sorted(_explained(low, p)),
        _reasons(low, _REASON.finditer(low), p),
        _reasons(low, _AS_REASON.finditer(low), p),
        _down_to(low, p),
    )


def _linked(low: str, p: _Patterns) -> Iterator[tuple[int, int]]:
    """Causes told with a link ("due to", "because of") and an agent or open noun phrase."""
    for link in p.cause.finditer(low):
        stop = _CAUSE_END.search(low, link.start())
        clause_end = stop.start() if stop else len(low)
        sentence_end = _SENTENCE_END.search(low, link.end())
        if sentence_end is not None and sentence_end.group(0) == "?":
            continue  # "was it sold by a third-party seller?" asks; it tells no cause
        if _result_as_object(low, link):
            continue  # "I may have affected the result of the match": an outcome, not a cause
        if link.group(0).startswith("victim") and not _victim_is_writer(low, link.start()):
            continue  # "he was the victim of the attack, not its perpetrator": no one excused
        if link.group(0).split()[-1] in ("control", "hands"):
            end = link.end()  # "out of our control" needs no agent
        else:
            agent = p.outside.search(low, link.end(), clause_end)
            if agent is not None and len(_WORD.findall(low[link.end() : agent.start()])) <= 12:
                end = agent.end()
            else:
                opened = (
                    _open_cause_end(low, link.end(), clause_end, p)
                    if p.open_link.match(low, link.start())
                    else None
                )
                if opened is None:
                    continue
                end = opened
        yield link.start(), end


def _stated(low: str, states: Iterable[re.Match[str]], p: _Patterns) -> Iterator[tuple[int, int]]:
    """Causes told as a state, a narrative or a third party's failing (`states`, in text
    order)."""
    for state in states:
        sentence_end = _SENTENCE_END.search(low, state.end())
        if sentence_end is not None and sentence_end.group(0) == "?":
            continue  # "do you notice issues with a particular carrier?" asks
        if _AFTERMATH.match(low, state.end()):
            continue  # "the high volume of customers now logging in" after our own outage
        yield state.start(), state.end()


_RESULT_OBJECT_VERBS = frozenset(
    ("affect", "affects", "change", "changes", "alter", "alters", "influence", "influences",
     "decide", "decides", "determine", "determines", "know", "knows", "see", "await", "awaiting",
     "announce", "accept", "dispute", "disputes", "on", "about", "regarding", "after", "before")
)  # fmt: skip


def _result_as_object(low: str, link: re.Match[str]) -> bool:
    """Whether "the result of" is the object of a verb ("affected the result of the match",
    "await the result of the review"): an outcome. Only after "was", "as" or the like ("was
    the result of", "as a result of") does it give a cause."""
    words = link.group(0).split()
    if words[0] not in ("the", "a") or words[1:2] != ["result"]:
        return False
    before = _WORD.findall(low, max(0, link.start() - 20), link.start())
    return bool(before) and (
        before[-1] in _RESULT_OBJECT_VERBS
        or (before[-1].endswith("ed") and before[-1] not in ("caused", "proved"))
    )


_WRITER = re.compile(r"\b(?:we|i|us|our|my)\b")


@lru_cache(maxsize=1)
def _persons() -> re.Pattern[str]:
    return re.compile(rf"\b{_alternation(lexicon().words('victim_persons'))}\b")


def _victim_is_writer(low: str, at: int) -> bool:
    """Whether "victim of" at `at` may be told of the writer ("we were the victim of a cyber
    attack", "the company fell victim of a vendor breach"): the cause it names excuses the
    writer. Told of a person ("her son was the victim of the assault, not its perpetrator")
    it excuses no one."""
    start = max((m.end() for m in _SENTENCE_END.finditer(low, max(0, at - 120), at)), default=0)
    clause = low[max(start, at - 120) : at]
    person = [m.start() for m in _persons().finditer(clause)]
    writer = [m.start() for m in _WRITER.finditer(clause)]
    # The one named last before "victim of" is the victim.
    return not person or (bool(writer) and writer[-1] > person[-1])


def _outside_stands(low: str, finding: Finding, p: _Patterns) -> bool:
    """Whether a cause found by `_outside_causes` is told as what happened this time: not
    what can happen in general, not the reason for the writer's own decision, and not
    followed by the writer's own act as the reason. (Read only for the findings a report
    can keep: a long text may hold hundreds.)"""
    return (
        not _general(low, finding.start, p)
        and not _decided(low, finding.start)
        and not own_reason(low, finding.end)
    )


_OWN_REASON = re.compile(
    r"[^.!?;\n]{0,40}?\b(?:because|since)\s+(?:we|i)\s+(?:had\s+|then\s+|only\s+)?"
    r"(?!(?:received|needed|wanted|experienced|faced|suffered|encountered|depended|relied|trusted"
    r"|used|expected|hoped|thought|believed|asked|waited|tried|chose\s+to\s+wait)\b)"
    r"(?:[a-z]+ed|sent|gave|made|took|put|left|forgot|handed|lost|set|built|chose|sold|wrote|let)\b"
)


def own_reason(low: str, end: int) -> bool:
    """The sentence goes on from `end` to give the writer's own act as the reason ("The
    courier was late because we handed the parcel over a day late", "the bank declined the
    payment because we entered your card number incorrectly"): the party named first is not
    blamed. What happened to the writer ("because we received a surge of orders") is no act
    of theirs."""
    return _OWN_REASON.match(low, end) is not None


_OURS_BEFORE = re.compile(r"\b(?:our|my)\s+$")
_FIRST_WORD = re.compile(r"[a-z-]+")


@lru_cache(maxsize=1)
def _own_premises() -> frozenset[str]:
    return frozenset(lexicon().words("own_premises"))


def writers_own(low: str, start: int, end: int) -> bool:
    """The words at `start` name a thing the writer runs, as ours: "our hotel overbooked
    your room", "my shop sent the wrong item" own the failure; "our partner hotel" and "our
    courier" name another party."""
    word = _FIRST_WORD.match(low, start, end)
    return (
        word is not None
        and word.group(0) in _own_premises()
        and _OURS_BEFORE.search(low, max(0, start - 6), start) is not None
    )


_AFTERMATH = re.compile(
    r"\s+(?:now\s+|all\s+|simultaneously\s+)?(?:logging|signing|returning|reconnecting"
    r"|coming\s+back|trying\s+to\s+(?:log|sign|reconnect))\b"
)
"""After a surge: the customers coming back once service returned, the aftermath of the
writer's own incident."""
_DECISION = re.compile(
    r"[^.!?\n]{0,120}?,\s*(?:the\s+decision\s+(?:has|had|was)\s+(?:been\s+)?(?:made|taken)"
    r"|(?:we|i)\s+(?:have\s+|had\s+)?(?:decided|made\s+the\s+decision|took\s+the\s+decision"
    r"|chose|have\s+chosen))\b"
)
"""After a cause that opens a sentence: the decision the writer took for that reason."""


def _decided(low: str, at: int) -> bool:
    """The cause opens its sentence and gives the reason for a decision the writer made ("Due
    to safety concerns and ongoing inclement weather, the decision has been made to release
    crews for a rest period"): the writer owns the decision."""
    start = max((m.end() for m in _SENTENCE_END.finditer(low, max(0, at - 200), at)), default=0)
    if low[start:at].strip():
        return False
    return _DECISION.match(low, at) is not None


_CLAUSE_BREAK = re.compile(r"[.!?;,\n]|\b(?:and|as|but|because|since|so|while)\b")


def _general(low: str, at: int, p: _Patterns) -> bool:
    """The clause around `at` tells what can happen in general ("delays can happen due to
    weather"), not what happened this time."""
    floor = max(0, at - 200)
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(low, floor, at)), default=floor)
    stop = _CLAUSE_BREAK.search(low, at + 1)
    return p.general.search(low, start, stop.start() if stop else len(low)) is not None


_CONDITION = re.compile(
    r"\s*(?:(?:please\s+)?note\s*[:,–—-]?\s*)?(?:if|unless|should|in\s+(?:the\s+)?(?:event|case)"
    r"(?:\s+that)?|where|whenever)\b"
)
_COUNTERFACTUAL = re.compile(
    # The past perfect ("you had read", "had the courier called"); "had" as a plain verb of
    # having ("if you had any questions") opens an ordinary condition.
    r"\bhad\s+(?!(?:any|a|an|the|some|no|your|our|my|their|his|her|its|this|that|these|those"
    r"|more|less|enough|to|trouble|problems?|issues?|questions?)\b)[a-z]+"
    r"|\bhadn['’]t\b|\bwould\s+(?:have|not\s+have|n['’]t\s+have)\b"
)
_DISCLAIMER = re.compile(
    r"\s*(?:then\s+)?(?:we|i|the\s+[a-z-]+)\s+(?:are|am|is|will|would|cannot|can['’]t|can)\b"
    r"[^.!?;\n]{0,30}?\b(?:liable|responsible|accountable)\b"
)
_CONDITION_END = re.compile(r"[,;:.!?\n]|\s[–—-]\s|\bthen\b")
_COUNTERFACTUAL_OUTCOME = re.compile(
    # What would have followed, or what the reader got back then: "If everyone bought in
    # advance, we could have opened more gates", "If you queued early, you got a ticket".
    r"\s*(?:then\s+)?(?:(?:we|you|they|it|i)\s+(?:would|could|might)\s+(?:not\s+|never\s+)?have"
    r"|(?:we|you|they|it|i)\s+(?:would|could|might)n['’]t\s+have|you\s+got)\b"
)


_RESERVATION = re.compile(r"\s*(?:we|the\s+[a-z-]+)\s+reserves?\s+the\s+right\b")


def hypothetical(low: str, at: int) -> bool:
    """The words at `at` are in a sentence that opens with an open condition ("If the
    shipping address was entered incorrectly and the parcel was delivered to that address, we
    are not liable for the loss", "Should the courier fail to deliver, we will refund"): a
    policy for a case that may not arise, which attributes no cause. A counterfactual ("if you
    had read the terms", "had the courier called") is not open."""
    start = max((m.end() for m in _SENTENCE_END.finditer(low, max(0, at - 300), at)), default=0)
    # A right reserved for cases that may arise ("We reserve the right to cancel ... due to
    # circumstances beyond our control") is a term, not an account of what happened.
    if _RESERVATION.match(low, start):
        return True
    opened = _CONDITION.match(low, start)
    if opened is None:
        return False
    stop = _CONDITION_END.search(low, opened.end())
    end = stop.start() if stop else len(low)
    if _COUNTERFACTUAL.search(low, opened.end(), end) is not None:
        return False
    if stop and _COUNTERFACTUAL_OUTCOME.match(low, stop.end()) is not None:
        return False
    if at < end:
        return True
    # After the condition only the policy's outcome is: "..., we are not liable for the
    # loss"; "If you are not satisfied, next time you can report it earlier" still blames.
    outcome = _DISCLAIMER.match(low, stop.end()) if stop else None
    return outcome is not None and at < outcome.end()


def _reader_causes(low: str, text: str, p: _Patterns) -> list[Finding]:
    return [
        finding(
            CUSTOMER_RULE, "error", _CUSTOMER_WHY, text, m.start(), m.end(), _CUSTOMER_SUGGESTION
        )
        for m in p.reader_cause.finditer(low)
    ]


def structural_findings(draft: Draft) -> list[Finding]:
    """The four structural rules over the body."""
    body = draft.body
    low, text = body.low, body.text
    p = _patterns()
    found = _reactions(low, text, p, body.sentences) + _reader_causes(low, text, p)
    acks = any(h in low for h in _ACK_HINTS)
    causes = (
        any(h in low for h in _CAUSE_HINTS)
        or p.narrative.search(low) is not None
        or p.their_failing.search(low) is not None
    )
    outside: Iterable[tuple[int, int]] = ()
    if (acks or causes) and not body_owns(draft):
        if acks:
            found += _unowned(low, text, p)
        if causes:
            outside = _outside_causes(low, p)
    # In text order, and only until a rule has as many as the report keeps (the first ones
    # in the text): a text that repeats one mistake is not read on for each repeat. The
    # causes put outside are read only that far; each becomes an error here, and
    # `_outside_stands` is read, only until the rule has as many.
    kept: list[Finding] = []
    counts: dict[str, int] = {}
    for f in sorted(found, key=lambda f: (f.start, f.end)):
        if counts.get(f.rule, 0) >= MAX_PER_RULE or _left_out(low, f):
            continue
        counts[f.rule] = counts.get(f.rule, 0) + 1
        kept.append(f)
    causes_kept: list[Finding] = []
    for start, end in outside:
        if len(causes_kept) >= MAX_PER_RULE:
            break
        f = _outside_cause(text, start, end)
        if not _outside_stands(low, f, p) or _left_out(low, f):
            continue
        if _tells_own_cause(low, f, draft):
            f = f.model_copy(update={"fix": Fix(action="insert", fact="responsibility")})
        causes_kept.append(f)
    return sorted(kept + causes_kept, key=lambda f: (f.start, f.end))


def _left_out(low: str, f: Finding) -> bool:
    """Whether a finding is words quoted or reported, or blame inside an open condition."""
    return quoted_or_reported(low, f.start, f.end) or (
        f.rule.startswith("blame.") and hypothetical(low, f.start)
    )


def _tells_own_cause(low: str, f: Finding, draft: Draft) -> bool:
    """Whether a cause left unowned is the cause the request gives as its own ("due to a
    scheduled payment batch running twice" for "A scheduled payment batch ran twice after
    a deploy"): the business named it, so the letter is mended by owning it (the composer's
    responsibility line), not by a re-ask. A cause the request does not give ("the
    courier is to blame") keeps no fix: owning it beside the blame would contradict it."""
    cause = draft.context.incident.cause if draft.context is not None else None
    if not cause:
        return False
    stop = _SENTENCE_END.search(low, f.end)
    told = stems(low[f.start : stop.start() if stop else len(low)])
    given = stems(cause)
    shared = told & given
    return len(shared) >= 2 and len(shared) * 2 >= max(len(given), len(told))
