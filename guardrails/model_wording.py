"""Wording a small model adds that a support lead would strike, read with the request:

- `claims.vague_impact`: how large the harm was, told without the request saying so ("The
  impact of this breach was significant.", "this has had a serious effect on your team"). It
  states nothing the reader can check, and grades their harm for them. The sentence goes.
- `claims.remedy_as_result`: a remedy told as what the incident led to ("This resulted in a
  refund of $640.00 for the order.", "..., resulting in a credit on your account"): the
  business gave it, the incident did not. A sentence that is only that is said again as the
  composer states the remedy; a clause that says it goes (if nothing else states the remedy,
  the next salvage round puts it back).
- `tone.cliche`: lines every form letter carries ("a mistake that we take very seriously",
  "Your satisfaction is our top priority", "We strive to provide the best service").
- `commitments.subject_status`: a subject line that tells a remedy as done when the request
  only plans or offers it ("Damaged sofa: Replacement delivered" for a sofa to be delivered on
  Wednesday). The composer's subject line replaces it.
- `tone.said_again`: a second apology, or a second mention of the harm, that names nothing
  new ("I would like to express my sincere regret for our oversight." after the letter has
  apologised; "I understand that this delay has impacted your operations." after it told
  what the delay did).

- `claims.remedy_benefit`: what a remedy will do for the reader, where the request says
  nothing of it ("This service will provide you with regular updates on any potential
  issues", "This will put an end to any inconvenience"): a promise nobody authorised. The
  sentence goes.

- `claims.harm_to_sender`: what the incident did to the reader told as done to the writer
  ("This caused me to have to run a client call from my phone." for "you had to run a client
  call from your phone"). The sentence is said as the composer tells the impact.

`vague_impact`, `remedy_as_result`, `subject_status`, `remedy_benefit` and `harm_to_sender`
are errors;
`cliche` and `said_again` are warnings that salvage applies to a model's letter
(`service.salvage.POLISHED`): the clause or the sentence goes.
"""

from __future__ import annotations

import re

from contract.models import DraftRequest
from contract.report import Finding, Fix
from guardrails.draft import Draft, Text
from guardrails.regex_source import needs
from guardrails.spans import finding
from guardrails.supplied import stems

VAGUE_IMPACT = "claims.vague_impact"
REMEDY_AS_RESULT = "claims.remedy_as_result"
CLICHE = "tone.cliche"
SAID_AGAIN = "tone.said_again"
SUBJECT_STATUS = "commitments.subject_status"
REMEDY_BENEFIT = "claims.remedy_benefit"
HARM_TO_SENDER = "claims.harm_to_sender"
RULE_IDS = (
    VAGUE_IMPACT,
    REMEDY_AS_RESULT,
    CLICHE,
    SAID_AGAIN,
    SUBJECT_STATUS,
    REMEDY_BENEFIT,
    HARM_TO_SENDER,
)

# --- how large the harm was ------------------------------------------------------------------

_SIZE = (
    r"(?:significant|severe|serious|considerable|substantial|huge|enormous|immense|profound|"
    r"major|great|devastating|far[\s-]reaching|tremendous|grave|massive|sizeable|sizable)"
)
_VERY = (
    r"(?:(?:very|truly|extremely|quite|really|particularly|clearly|undoubtedly|deeply|"
    r"certainly|most|so|incredibly|highly)\s+)?"
)
_VAGUE_IMPACT = re.compile(
    r"\b(?:the|this|its|that|such)\s+(?:(?:overall|full|real|wider)\s+)?"
    r"(?:impact|effect|consequences?|fallout|toll|damage|harm|disruption)\b"
    r"(?:\s+(?:of|on|to|for)\s+[^.!?;,\n]{1,60}?|\s+(?:this|that|it|which)\s+"
    r"(?:has\s+|have\s+|had\s+)?caused(?:\s+you)?)?"
    r"\s+(?:was|were|has\s+been|have\s+been|is|are|must\s+have\s+been|will\s+have\s+been)\s+"
    rf"{_VERY}(?P<size>{_SIZE})\b"
    r"|\b(?:has|had|have)\s+(?:had\s+)?(?:a|an|such\s+an?)\s+"
    rf"{_VERY}(?P<size2>{_SIZE})\s+(?:impact|effect|toll)\s+on\b"
    # "this was a significant inconvenience for you"
    r"|\b(?:this|it|that)\s+(?:was|has\s+been|must\s+have\s+been|is)\s+(?:a|an)\s+"
    rf"{_VERY}(?P<size3>{_SIZE})\s+(?:delay|disruption|inconvenience|setback|blow|ordeal|"
    r"hardship|burden|upset)\b"
    # "..., which is a significant security risk": the risk graded for the reader
    r"|(?P<lead>,\s*)?\b(?:this|it|that|which)\s+(?:is|was|poses|posed|presents|presented|"
    r"represents|represented|has\s+been|could\s+be|would\s+be|may\s+be)\s+(?:a|an)\s+"
    rf"{_VERY}(?P<size4>{_SIZE})\s+(?:[a-z-]+\s+)?(?:risk|threat|concern|danger)\b"
)
VAGUE_IMPACT_CUE = needs(re.compile(_SIZE)).strings[0]
"""`vague_impact`'s cue (see `checker.Rule.cue`): every match holds a size word, and each size
holds one of these (the word, or "reaching" of "far-reaching"). A letter seldom grades the
harm, where it often names a delay or the impact: the rule seldom needs to read it."""


def _request_words(request: DraftRequest) -> set[str]:
    incident = request.incident
    parts = (incident.summary, incident.cause, incident.impact, incident.customer_message)
    return stems(" ".join(part for part in parts if part))


def vague_impact(draft: Draft) -> list[Finding]:
    """The harm graded ("significant", "severe") where the request grades nothing: the
    sentence goes. A size the request gives ("a serious leak") may be said."""
    request, text = draft.context, draft.body
    if request is None:
        return []
    known = _request_words(request)
    found = []
    for match in _VAGUE_IMPACT.finditer(text.low):
        size = (
            match.group("size")
            or match.group("size2")
            or match.group("size3")
            or match.group("size4")
        )
        if stems(size) & known:
            continue
        span = text.sentences.bounds(*match.span())
        fix = Fix(action="remove_sentence")
        if match.group("lead") and text.low[match.end() : span[1]].strip(" .!") == "":
            # "The breach exposed ..., which is a significant security risk.": the clause goes.
            span, fix = (match.start(), match.end()), Fix(action="replace", text="")
        found.append(
            finding(
                VAGUE_IMPACT,
                "error",
                "Grades the harm where the request does not "
                f'("{text.text[match.start() : match.end()].strip(" ,")}").',
                text.text,
                *span,
                "Say what happened to the reader in the request's words, or leave it out.",
                fix=fix,
            )
        )
    return found


# --- a remedy told as a consequence ------------------------------------------------------------

_AS_RESULT = re.compile(
    r"\b(?:(?:this|that|it|which)\s+(?:(?:has|have|then|also|will)\s+)?"
    r"(?:resulted\s+in|results\s+in|result\s+in|led\s+to|leads\s+to|lead\s+to|meant|means)|"
    r"resulting\s+in|leading\s+to)\s+(?:(?:a|an|the|your|our)\s+)?"
    r"(?:(?:full|partial|prompt|total)\s+)?"
    r"(?P<noun>refund|credit|replacement|reimbursement|voucher|discount|compensation|rebate|"
    r"repayment)s?\b"
    r"(?!\s+(?:delay|request|claim|part|error|problem|issue|failure|being|was|that\s+was))"
    # "This resulted in a duplicate payment of £86.20 being returned to your account."
    r"|\b(?:this|that|it|which)\s+(?:(?:has|have|then|also)\s+)?(?:resulted\s+in|led\s+to)\s+"
    r"(?:(?:a|an|the|your)\s+)?(?:[\w£$€.,-]+\s+){1,6}?being\s+"
    r"(?P<done>returned|refunded|credited|reimbursed|replaced|paid\s+back)\b"
)
_DONE_NOUN = {
    "returned": "refund",
    "refunded": "refund",
    "reimbursed": "refund",
    "paid back": "refund",
    "credited": "credit",
    "replaced": "replacement",
}
AS_RESULT_CUE = ("result", "led", "lead", "mean", "meant")
_LATE = re.compile(r"\b(?:late|delay|held|stuck|wait)")
_NOUN_KINDS = {
    "refund": ("refund",),
    "reimbursement": ("refund",),
    "repayment": ("refund",),
    "rebate": ("refund", "credit"),
    "credit": ("credit",),
    "voucher": ("credit", "discount"),
    "discount": ("discount",),
    "replacement": ("replacement",),
}
# Where a clause starts in front of the match: ", which ...", " and this ...", ", resulting".
_CLAUSE_START = re.compile(r"(?:\s*,\s*(?:and\s+|so\s+)?|\s+(?:and|so)\s+)\Z")
_CLAUSE_END = re.compile(r"\s*[,;:](?=\s)|[.!?]*\s*\Z")


def _remedy_index(sentence: str, noun: str, request: DraftRequest) -> int | None:
    """The remedy a sentence names: the one whose amount or code it gives, else the only one
    of the noun's kind."""
    for index, remedy in enumerate(request.remedies):
        for value in (remedy.amount, remedy.code):
            if value and value.lower() in sentence:
                return index
    kinds = _NOUN_KINDS.get(noun, tuple({r.kind for r in request.remedies}))
    matching = [i for i, r in enumerate(request.remedies) if r.kind in kinds]
    return matching[0] if len(matching) == 1 else None


def remedy_as_result(draft: Draft) -> list[Finding]:
    """A remedy told as what the incident resulted in. The sentence is said as the composer
    states that remedy when it is only that; a clause that tells it goes."""
    request, text = draft.context, draft.body
    if request is None or not request.remedies:
        return []
    found = []
    for match in _AS_RESULT.finditer(text.low):
        s_start, s_end = text.sentences.bounds(*match.span())
        sentence = text.low[s_start:s_end]
        if _LATE.search(sentence):
            continue  # the refund itself was late: a delayed-refund letter telling its story
        lead = _CLAUSE_START.search(text.low, s_start, match.start())
        fix: Fix
        if lead is not None and len(text.low[s_start : lead.start()].split()) >= 3:
            stop = _CLAUSE_END.search(text.low, match.end(), s_end)
            end = stop.start() if stop is not None else s_end
            span, fix = (lead.start(), end), Fix(action="replace", text="")
        else:
            noun = match.group("noun") or _DONE_NOUN.get(match.group("done"), match.group("done"))
            index = _remedy_index(sentence, noun, request)
            span = (s_start, s_end)
            fix = (
                Fix(action="remove_sentence")
                if index is None
                else Fix(action="replace", fact=f"remedy:{index}")
            )
        found.append(
            finding(
                REMEDY_AS_RESULT,
                "error",
                "Tells a remedy as what the incident led to "
                f'("{text.text[match.start() : match.end()]}").',
                text.text,
                *span,
                "Say what you did to put it right, as something you did.",
                fix=fix,
            )
        )
    return found


# --- clichés ------------------------------------------------------------------------------------

_SERIOUSLY = r"(?:(?:very|extremely|incredibly|really|most|so|all|always)\s+)?seriously\b"
# "a mistake that we take very seriously": the relative clause goes.
_TAKE_CLAUSE = re.compile(
    r"(?:\s*,)?\s+(?:that|which)\s+(?:we|i)\s+(?:(?:do|always|truly)\s+)?"
    rf"(?:take|are\s+taking|have\s+taken|am\s+taking)\s+{_SERIOUSLY}"
)
# "We take this matter very seriously": the sentence goes, or the lead clause of one that goes
# on ("... seriously, and we have ...").
_TAKE = re.compile(
    r"\b(?P<who>we|i)\s+(?P<take>(?:(?:do|always|truly|really)\s+)?(?:take|are\s+taking|am\s+taking|"
    r"have\s+taken)\s+(?:(?:this|it|that|these|the|your|our|all|any|data|customer|client|"
    r"user|such|every|each)\s+){0,2}(?:[a-z-]+\s+){0,3}?" + _SERIOUSLY + r")"
)
_ASSURED = re.compile(
    r"\A(?:(?:please\s+)?(?:be\s+|rest\s+)?assured(?:\s+that)?|please\s+know(?:\s+that)?|"
    r"i\s+(?:want|wanted)\s+you\s+to\s+know(?:\s+that)?|i\s+(?:can\s+)?assure\s+you(?:\s+that)?|"
    r"(?:and|but|so|also)?)[\s,]*\Z"
)
# "I regret to inform you that your ...": news announced, not an apology. The lead-in goes.
_REGRET_TO_INFORM = re.compile(
    r"\b(?:i|we)\s+(?:(?:deeply|sincerely|truly)\s+)?regret\s+to\s+(?:inform|tell|advise|let)\s+"
    r"you(?:\s+know)?(?:\s+that)?\s+(?=[a-z])"
)
# A greeting on the line of the sentence it opens ("Dear Ahmed, I regret to ..." in a text).
_GREETING_BEFORE = re.compile(r"(?:dear|hi|hello)\s+[^,.!?\n]{1,40},\s*")
_AND_AFTER = re.compile(r"\s*,?\s+and\s+(?P<next>(?:we|i)\b)?")
_EMPTY_LINES = re.compile(
    r"\b(?:(?:your|customer|client|guest|patient|member)\s+)?(?:satisfaction|experience|"
    r"happiness|trust)\s+(?:is|are|remains?)\s+(?:always\s+)?(?:our|my)\s+(?:top|highest|"
    r"number\s+one|first|main|utmost|greatest|primary)\s+priority\b"
    r"|\b(?:we|i)\s+(?:always\s+)?(?:strive|aim|endeavou?r|work\s+hard|pride\s+ourselves)\s+"
    r"(?:to|on)\s+(?:provid|deliver|offer|giv|ensur)\w*\s+(?:(?:our\s+)?(?:customers|clients|"
    r"guests|members|you)\s+)?(?:with\s+)?(?:the\s+(?:best|highest|finest)|excellent|"
    r"exceptional|outstanding|top[\s-]notch|first[\s-]class|high[\s-]quality|a\s+seamless)"
    r"|\bcontinue\s+(?:to\s+)?(?:deliver|provid|offer|giv)\w*\s+(?:(?:you|our\s+clients|our\s+"
    r"customers)\s+)?(?:with\s+)?(?:the\s+(?:best|highest|finest)|excellent|exceptional|"
    r"outstanding|top[\s-]notch|first[\s-]class|high[\s-]quality)"
    r"|\b(?:we|i)\s+(?:truly\s+|really\s+|greatly\s+|always\s+)?value\s+(?:your|all)\s+"
    r"(?:feedback|input|comments|business|custom|loyalty)\b"
    r"|\b(?:we|i)\s+(?:are|am|remain)\s+(?:fully\s+|deeply\s+|always\s+)?committed\s+to\s+"
    r"(?:providing|delivering|offering)\s+(?:(?:our\s+)?(?:customers|clients|guests|you)\s+)?"
    r"(?:with\s+)?(?:the\s+(?:best|highest|finest)|excellent|exceptional|outstanding|"
    r"top[\s-]notch|first[\s-]class|high[\s-]quality|a\s+seamless)"
)
# The prompt's own words said back as a sentence's lead-in: "The cause of the issue was that
# ...", "Prevention steps have been taken to ensure that ...". The lead-in goes.
_ECHO_LEAD = re.compile(
    r"\bthe\s+(?:root\s+)?cause\s+of\s+(?:the|this|that|your)\s+(?:[a-z-]+\s+)?"
    r"(?:issue|problem|error|mistake|delay|incident|failure|outage|confusion)\s+"
    r"(?:was|is)\s+that\s+(?=[a-z])"
    r"|\b(?:prevention|preventive|preventative)\s+(?:steps|measures)\s+have\s+been\s+"
    r"(?:taken|put\s+in\s+place)\s+(?:to\s+ensure|so)\s+that\s+(?=[a-z])"
)
# The request's field named as a field: "The reference number for this order is QB-77120."
# The composer's reference sentence replaces it.
_REFERENCE_ECHO = re.compile(
    r"the\s+reference(?:\s+(?:number|code|id))?(?:\s+(?:for|of)\s+(?:this|your|the)\s+"
    r"[a-z-]+)?\s+is\s+[^\s,;]+\s*\Z"
)
CLICHE_CUE = (
    "cause of",
    "have been taken",
    "have been put",
    "reference",
    "regret to",
    "continue",
    "seriously",
    "priority",
    "strive",
    "aim",
    "endeavo",
    "work hard",
    "pride",
    "committed",
    "value",
)


def _cliche(text: Text, span: tuple[int, int], fix: Fix | None, said: str) -> Finding:
    return finding(
        CLICHE,
        "warning",
        f'A line every form letter carries ("{said}").',
        text.text,
        *span,
        "Say what you did and what changes; the reader judges how seriously you took it.",
        fix=fix,
    )


def cliche(draft: Draft) -> list[Finding]:
    """Form-letter lines that tell the reader how seriously the business takes things, or
    what it always strives for: the clause that says it goes, else the sentence."""
    text = draft.body
    low = text.low
    found = []
    taken: list[tuple[int, int]] = []
    for match in _TAKE_CLAUSE.finditer(low):
        taken.append(match.span())
        found.append(
            _cliche(text, match.span(), Fix(action="replace", text=""), match.group().strip(" ,"))
        )
    for match in _TAKE.finditer(low):
        if any(s <= match.start() < e for s, e in taken):
            continue
        s_start, s_end = text.sentences.bounds(*match.span())
        said = text.text[match.start() : match.end()]
        after = _AND_AFTER.match(low, match.end())
        fix: Fix | None = None
        span = (s_start, s_end)
        if after is not None and after.group("next") and match.start() == s_start:
            # "We take this seriously, and we have ...": the sentence starts at the second "we".
            at = after.start("next")
            span, fix = (s_start, at + 1), Fix(action="replace", text=text.text[at].upper())
        elif after is not None and not after.group("next"):
            # "We take this seriously and have ...": the subject stays.
            span, fix = (match.start("take"), after.end()), Fix(action="replace", text="")
        elif not low[match.end() : s_end].strip(" .!") and _ASSURED.match(
            low[s_start : match.start()]
        ):
            fix = Fix(action="remove_sentence")
        found.append(_cliche(text, span, fix, said))
    for match in _REGRET_TO_INFORM.finditer(low):
        at = match.end()
        begin = text.sentences.bounds(*match.span())[0]
        if match.start() == begin or _GREETING_BEFORE.fullmatch(low, begin, match.start()):
            fix = Fix(action="replace", text=text.text[at].upper())
            said = text.text[match.start() : at].strip()
            found.append(_cliche(text, (match.start(), at + 1), fix, said))
    for match in _EMPTY_LINES.finditer(low):
        span = text.sentences.bounds(*match.span())
        said = text.text[match.start() : match.end()]
        found.append(_cliche(text, span, Fix(action="remove_sentence"), said))
    found += _echoes(draft)
    return found


def _echoes(draft: Draft) -> list[Finding]:
    """The prompt's words said back: a lead-in that opens its sentence goes (the next word
    takes the capital); a sentence that only names the reference as a field goes when the
    letter names it elsewhere, else is said as the composer names it."""
    text, request = draft.body, draft.context
    low = text.low
    found = []
    for match in _ECHO_LEAD.finditer(low):
        at = match.end()
        if text.sentences.bounds(*match.span())[0] != match.start():
            continue
        fix = Fix(action="replace", text=text.text[at].upper())
        found.append(
            _stiff(text, (match.start(), at + 1), fix, text.text[match.start() : at].strip())
        )
    reference = request.incident.reference if request is not None else None
    if reference and "reference" in low:
        for start, end in text.sentences.spans:
            sentence = low[start:end].rstrip(".!")
            if reference.lower() in sentence and _REFERENCE_ECHO.match(sentence):
                # Named elsewhere already, it goes; else the composer's sentence names it.
                elsewhere = reference.lower() in low[:start] + " " + low[end:]
                fix = (
                    Fix(action="remove_sentence")
                    if elsewhere
                    else Fix(action="replace", fact="reference")
                )
                found.append(_stiff(text, (start, end), fix, text.text[start:end]))
    return found


def _stiff(text: Text, span: tuple[int, int], fix: Fix, said: str) -> Finding:
    return finding(
        CLICHE,
        "warning",
        f'Says the instructions\' words back to the reader ("{said}").',
        text.text,
        *span,
        "Say it as you would to the reader.",
        fix=fix,
    )


# --- said again ---------------------------------------------------------------------------------

# An apology: "regret" only where it apologises ("we regret the error", "my sincere regret"),
# not "the part of this I regret most".
_APOLOGY = re.compile(
    r"\b(?:sorry|apolog)|\b(?:i|we)\s+(?:[a-z]+ly\s+)?regret\s+(?:that|the|any|this|our|my|"
    r"how|what|having)\b|\bregrets?\s+(?:for|at|over)\b|\b(?:express|extend|offer|convey)"
    r"\w*\s+(?:my|our)\s+(?:[a-z]+\s+){0,2}regrets?\b"
)
_AGAIN = r"(?:(?:once\s+(?:again|more)|again|in\s+closing|finally|lastly|and)\s*,?\s+)?"
_REGRET_AGAIN = re.compile(
    rf"{_AGAIN}(?:"
    r"(?:i|we)\s+(?:(?:would|'d|’d)\s+like\s+to\s+|want\s+to\s+|wish\s+to\s+|must\s+)?"
    r"(?:(?:once\s+again|again)\s+)?(?:express|extend|offer|convey|reiterate)\s+(?:my|our)\s+"
    r"(?:(?:most\s+)?(?:sincere(?:st)?|deep(?:est)?|heartfelt|humble|profound|genuine)\s+)?"
    r"(?:regrets?|apolog(?:y|ies))"
    r"|(?:i|we)(?:\s+am|\s+are|['’]m|['’]re)?\s+(?:(?:once\s+again|again)\s+)?"
    r"(?:(?:so|very|truly|deeply|sincerely|really|terribly|genuinely)\s+)*"
    r"(?:sorry|apologi[sz]e|regret)"
    r"|please\s+accept\s+(?:once\s+again\s+)?(?:my|our)\s+(?:(?:sincere(?:st)?|deep(?:est)?|"
    r"heartfelt|humble)\s+)?apolog(?:y|ies)"
    r"|(?:my|our)\s+(?:(?:sincere(?:st)?|deep(?:est)?|heartfelt)\s+)?apologies)"
    r"(?:\s+(?:once\s+)?again)?"
    r"(?:\s+(?:for|about|over|that)\s+(?P<object>[^.!?]{0,80}?))?"
    r"(?:\s+(?:once\s+)?again)?\s*[.!]?\Z"
)
_HARM_AGAIN = re.compile(
    r"(?:i|we)\s+(?:(?:fully|completely|truly|really|can|do)\s+)*(?:understand|realise|realize|"
    r"know|recogni[sz]e|appreciate)\s+(?:that\s+|how\s+(?:much\s+)?)?"
    r"(?:this|the|that|our)\s+(?:[a-z-]+\s+){0,2}?"
    r"(?:(?:has|have|had|may\s+have|must\s+have|will\s+have|would\s+have|could\s+have)\s+)?"
    r"(?:[a-z]+ly\s+)?(?:impacted|affected|disrupted|inconvenienced|caused\s+(?:you\s+)?"
    r"(?:some\s+|a\s+lot\s+of\s+|much\s+)?(?:inconvenience|disruption|frustration|trouble|"
    r"problems|issues|difficulties))"
    r"(?:\s+(?:on\s+|for\s+)?(?:you|your\s+(?:[a-z-]+\s+){0,2}?[a-z-]+))?\s*[.!]?\Z"
)
# An ownership line that says nothing but that ("We take full responsibility."), and what
# owning the incident earlier in the letter looks like.
_OWNED_AGAIN = re.compile(
    rf"{_AGAIN}(?:(?:i|we)\s+(?:(?:fully|truly|also)\s+)?(?:take|accept)\s+(?:(?:full|complete|"
    r"total)\s+)?responsibility(?:\s+for\s+(?:this|it|that|what\s+happened))?"
    r"|(?:i|we)\s+got\s+this\s+wrong,?\s+and\s+(?:that['’]s|that\s+is)\s+on\s+(?:me|us))"
    r"\s*[.!]?\Z"
)
_OWNED = re.compile(r"\bresponsib|\bon\s+(?:me|us)\b|\b(?:our|my)\s+(?:fault|mistake|error)\b")
# The words of an apology's object that name nothing: "our oversight", "any inconvenience
# this may have caused you".
_GENERIC = frozenset(
    stems(
        "oversight mistake error inconvenience incident situation matter experience trouble "
        "issue problem disruption caused cause frustration confusion happened everything "
        "failure this that these those again once more sincerely truly"
    )
)


def said_again(draft: Draft) -> list[Finding]:
    """An apology that names nothing the letter's earlier apologies did not, and a line that
    the incident affected the reader after the letter told how: the sentence goes."""
    request, text = draft.context, draft.body
    found = []
    impact = stems(request.incident.impact or "") if request is not None else set()
    told: set[str] = set()
    apologised: set[str] | None = None  # the words of the apologies so far
    owned = False  # whether a sentence so far owned the incident
    for s_start, s_end in text.sentences.spans:
        sentence = text.low[s_start:s_end]
        apology = _APOLOGY.search(sentence) is not None
        words = stems(sentence)
        message = None
        regret = _REGRET_AGAIN.match(sentence) if apology and apologised is not None else None
        if regret is not None and apologised is not None:
            named = stems(regret.group("object") or "") - _GENERIC
            if not named - apologised:
                message = f'Apologises again, naming nothing new ("{text.text[s_start:s_end]}").'
        elif owned and _OWNED_AGAIN.match(sentence):
            message = f'Takes responsibility again ("{text.text[s_start:s_end]}").'
        elif impact and len(impact & told) * 2 >= len(impact) and _HARM_AGAIN.match(sentence):
            # Only once the letter has told the harm: before, this line is its only mention.
            message = (
                f'Says again that the incident affected the reader ("{text.text[s_start:s_end]}").'
            )
        told |= words
        owned = owned or _OWNED.search(sentence) is not None
        if apology:
            apologised = (apologised or set()) | words
        if message is None:
            continue
        found.append(
            finding(
                SAID_AGAIN,
                "warning",
                message,
                text.text,
                s_start,
                s_end,
                "Apologise once, for what happened; say the harm once, in the request's words.",
                fix=Fix(action="remove_sentence"),
            )
        )
    return found


# --- a subject line that tells a remedy as done -------------------------------------------------

_SUBJECT_DONE = re.compile(
    r"\b(?P<noun>refund|replacement|credit|voucher|repair|reimbursement)s?\b[^.!?\n]{0,30}?"
    r"\b(?:delivered|sent|issued|processed|shipped|completed|done|applied|paid|on\s+its\s+way)\b"
    r"|\b(?P<verb>refunded|replaced|credited|reimbursed|repaired)\b"
)
_SUBJECT_KINDS = {
    "refund": "refund",
    "refunded": "refund",
    "reimbursement": "refund",
    "reimbursed": "refund",
    "replacement": "replacement",
    "replaced": "replacement",
    "credit": "credit",
    "credited": "credit",
    "voucher": "credit",
}


def subject_status(draft: Draft) -> list[Finding]:
    """A subject that tells a remedy as done where no remedy of its kind is done: the
    composer's subject line takes its place."""
    request, subject = draft.context, draft.subject
    if request is None or subject is None:
        return []
    found = []
    for match in _SUBJECT_DONE.finditer(subject.low):
        kind = _SUBJECT_KINDS.get(match.group("noun") or match.group("verb"))
        kinds = {kind} if kind else {"service", "other", "expedite"}
        if any(r.kind in kinds and r.status == "done" for r in request.remedies):
            continue
        found.append(
            finding(
                SUBJECT_STATUS,
                "error",
                "The subject tells a remedy as done that the request does not give as done "
                f'("{subject.text[match.start() : match.end()]}").',
                subject.text,
                match.start(),
                match.end(),
                "Say each remedy as its status allows.",
                field="subject",
                fix=Fix(action="insert", fact="subject"),
            )
        )
        break
    return found


# --- what a remedy will do for the reader ------------------------------------------------------

_REMEDY_NOUN = (
    r"(?:service|monitoring|voucher|credit|offer|refund|discount|replacement|gesture|"
    r"subscription|membership|pass(?:es)?|code|dinner|meal|upgrade|repair)"
)
_BENEFIT = re.compile(
    r"(?:this|that|it|the|these|our)(?:\s+(?:[a-z-]+\s+){0,2}?" + _REMEDY_NOUN + r")?\s+"
    r"(?:will|should|can|would|is\s+(?:designed|meant|intended)\s+to|are\s+(?:designed|meant|"
    r"intended)\s+to)\s+(?:also\s+|then\s+)?(?P<verb>provide|help|protect|ensure|keep|give|alert|"
    r"notify|safeguard|allow|enable|let|put\s+an\s+end\s+to|make\s+up\s+for|guarantee|shield|"
    r"secure|restore|rebuild)\b"
)
REMEDY_BENEFIT_CUE = (" will ", " should ", " can ", " would ", " designed ", " meant ", "intended")
_ANY = frozenset(stems("you your any all potential future further possible issue issues"))


def _named_remedy(sentence: str, own: set[str]) -> bool:
    return bool(stems(sentence) & own) or re.search(rf"\b{_REMEDY_NOUN}\b", sentence) is not None


def remedy_benefit(draft: Draft) -> list[Finding]:
    """A sentence that says what a remedy will do for the reader (it opens "This service
    will provide ...", "This will put an end to ...") right after, or itself naming, a
    remedy, where two or more of its words after the verb come from no field of the request:
    the sentence goes. A benefit the request gives ("the code gives you a free night") may be
    said."""
    request, text = draft.context, draft.body
    if request is None or not request.remedies:
        return []
    incident = request.incident
    fields = [incident.summary, incident.cause, incident.impact, incident.customer_message]
    fields += [r.description for r in request.remedies]
    fields += [p.description for p in request.prevention]
    known = stems(" ".join(f for f in fields if f)) | _ANY
    told = stems(incident.summary)
    own = set().union(*(stems(r.description) for r in request.remedies)) - told
    found = []
    before = ""
    for s_start, s_end in text.sentences.spans:
        sentence = text.low[s_start:s_end]
        match = _BENEFIT.match(sentence)
        if match is not None and (_named_remedy(before, own) or _named_remedy(sentence, own)):
            new = stems(sentence[match.end() :]) - known
            if len(new) >= 2:
                found.append(
                    finding(
                        REMEDY_BENEFIT,
                        "error",
                        "Says what a remedy will do for the reader, where the request does not "
                        f'("{text.text[s_start:s_end]}").',
                        text.text,
                        s_start,
                        s_end,
                        "Offer the remedy as the request gives it; promise nothing more.",
                        fix=Fix(action="remove_sentence"),
                    )
                )
        before = sentence
    return found


# --- the reader's harm told as the writer's -----------------------------------------------------

_TO_ME = re.compile(
    r"\b(?:caused|cost|left|forced|made|meant\s+for|for)\s+me\b|\bmy\s+(?P<thing>[a-z][a-z'-]+)"
)
HARM_TO_SENDER_CUE = ("me", "my")
_YOUR = re.compile(r"\b(?:your|my)\s+(?P<thing>[a-z][a-z'-]+)")


def harm_to_sender(draft: Draft) -> list[Finding]:
    """A sentence that tells the request's impact (half its words or more, two at least) with
    the writer as the one harmed: "caused me", "left me", or "my <thing>" where the impact
    says "your <thing>" (or, in the customer's own voice, "my <thing>"). It is said again as
    the composer tells the impact."""
    request, text = draft.context, draft.body
    if request is None or not request.incident.impact:
        return []
    impact = request.incident.impact.lower()
    wanted = stems(impact)
    things = {m.group("thing") for m in _YOUR.finditer(impact)}
    if len(wanted) < 2:
        return []
    found = []
    for s_start, s_end in text.sentences.spans:
        sentence = text.low[s_start:s_end]
        shared = stems(sentence) & wanted
        if len(shared) < 2 or len(shared) * 2 < len(wanted):
            continue
        swapped = [
            m
            for m in _TO_ME.finditer(sentence)
            if not m.group("thing") or m.group("thing") in things
        ]
        if not swapped:
            continue
        found.append(
            finding(
                HARM_TO_SENDER,
                "error",
                "Tells what happened to the reader as done to the writer "
                f'("{text.text[s_start:s_end]}").',
                text.text,
                s_start,
                s_end,
                "Say what the incident meant for the reader, to the reader.",
                fix=Fix(action="replace", fact="impact"),
            )
        )
    return found
