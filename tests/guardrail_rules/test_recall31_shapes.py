"""Readings of stop 31, written after fresh33 was read (14/61 blind before and after stop 30's
rules, with 4 false errors on 30 good items). Every wording here is the team's own, never a
corpus item's.

Precision first: four good letters drew errors because the reading missed what the writer
owned, or took the harm itself for a cause:

- a failing of the organisation's own running ("a lack of senior oversight", "our lack of
  planning") and our own way of working judged by its fault ("our overly strict checks") own
  the failure, so what follows is not an excuse;
- what matters more told as the writer's own admission ("the most important thing is that I
  accept I should not have") sets nothing aside;
- the writer's own causing of a feeling ("our regret for causing worry") beside a failure
  owned in the same or the sentence before is that failure's effect;
- the wait is the harm itself, as a delay is ("affected by the queues").

Then fresh33's 47 missed passages, grouped by what makes each a non-apology or blame, each class
with our own sentences and near misses:

- the apology told as the consequence of a condition ("if I have upset anyone then I am sorry",
  "if even one guest was hurt, we would apologise"); harm not wanted or meant against anyone;
- the feeling as the object, caused by no one ("the worry that has been caused"), "sorry about
  the frustration", the writer's own sadness at "any" trouble, or disappointment "as were many
  of you";
- the scale told instead: most not affected, most of our people behaving well, the volume that
  went well before "but", the delay understated, the harm said to have changed nothing, nobody
  found at fault, the failure unsurprising or what things of its kind tend to do;
- effort or helplessness as the defence ("as much as we tested", "no matter how many staff we
  add", "but we can't do much"); the reader told how to feel or told their feeling was wrong;
- another party's wrong setting, what it did not provide, the trouble or decision placed with
  it, our part denied, its act we did not know of; a crowd forcing its way in;
- the reader's party, absence, repeated messages, expectations or company judged, and their
  account called untrue;
- a failure with no doer ("were inadvertently published", "there had been an error", "not all
  parcels were delivered") in a message that neither owns nor apologises: beside "we apologise
  for the error" it reports the fault.

These moved no passage of the older read batches (616/675 before and after): they are tuned
on fresh33, and fresh34, measured outside the tree, is the figure for them.

Last, the probes: readings of the older batches' remaining misses (our standing advice as the
reader's duty, the reader's own provider named with more words, a thing done "by someone
else", the subject set off by commas in "I, myself, deeply regret", nobody wanting it over
more than we do), which moved four older passages (616/675 -> 620/675), and shapes of our own
probing for what a blind batch may hold (the feeling granted and then the policy held up, the
harm hedged as what "this may have caused" or what some "may have experienced", the reader's
best interests, the rules followed, our records set against the reader's account), which
moved none.
"""

from __future__ import annotations

import pytest
from test_recall11_shapes import errors

PRECISION = (
    # A failing of the organisation's own running owns the failure.
    (
        "A lack of senior oversight meant the complaints went unanswered for months. We know"
        " that due to the trust’s conduct some families will never trust the trust again.",
        None,
    ),
    ("Our lack of planning meant the queues went on for hours.", None),
    (
        "We understand that due to the contractor’s behaviour some residents will never trust"
        " the scheme again.",
        "blame",
    ),
    # What matters more told as the writer's own admission.
    (
        "However, the most important thing is that I accept I should not have signed the"
        " letter. I was wrong.",
        None,
    ),
    ("However, the most important thing is that the results are correct.", "non_apology"),
    # The writer's own causing of a feeling, beside a failure owned.
    (
        "We apologise to guests affected by our overly strict booking checks, and we regret"
        " causing them worry.",
        None,
    ),
    ("We regret causing our guests worry.", "non_apology"),
    ("Our poor drivers were stuck for hours due to the snow.", "blame"),
    # The wait is the harm itself.
    ("I apologise to every visitor who was held up by the queues this morning.", None),
    ("I apologise to every visitor who was held up by the storm this morning.", "blame"),
)


@pytest.mark.parametrize(("text", "family"), PRECISION)
def test_what_the_writer_owns_is_read(text: str, family: str | None) -> None:
    """A good letter draws no non-apology or blame error; a near miss with nothing owned
    still draws one of the family."""
    families = {rule.split(".")[0] for rule in errors(text)}
    assert family in families if family else not families, families


CLASSES = (
    ("If I have upset anyone then I am truly sorry.", "non_apology.conditional"),
    ("If people took offence then they should accept my apology.", "non_apology.conditional"),
    ("If even one guest was hurt by the sign, we would apologise.", "non_apology.conditional"),
    ("If you have any questions then please call us.", None),
    ("If the parcel has not arrived by Friday, we will send a new one.", None),
    ("I did not want to upset anybody's family.", "non_apology.intent"),
    ("The sketch was not meant to ridicule or wound anybody.", "non_apology.intent"),
    ("I did not want to wait any longer, so I called.", None),
    ("I regret the worry and distress that has been caused.", "non_apology.reverse"),
    ("I regret the worry and distress that has been caused by our error.", None),
    ("Sorry about the frustration.", "non_apology.reverse"),
    ("Sorry about the frustration we caused by losing your form.", None),
    ("It makes me sad to hear about any problems with the app.", "non_apology.reverse"),
    ("The majority of our members have not yet received the email.", "non_apology.minimising"),
    ("The majority of our members have now received the refund we owed them.", None),
    (
        "The vast majority of our drivers take great care with every parcel.",
        "non_apology.minimising",
    ),
    (
        "We have sent over 40,000 parcels this month, but a few went astray.",
        "non_apology.minimising",
    ),
    ("We have sent over 40,000 reminders to customers this year.", None),
    ("A few orders took a little longer than we would have liked.", "non_apology.minimising"),
    ("The remark had no bearing on the decision.", "non_apology.minimising"),
    ("The review found no evidence of wrongdoing by the stewards.", "non_apology.justification"),
    ("It is not surprising when a letter goes astray now and then.", "non_apology.justification"),
    ("New apps tend to hit a few teething problems.", "non_apology.justification"),
    ("As much as we tested, the launch still had problems.", "non_apology.justification"),
    (
        "After all the work we have put in, the new system still has delays.",
        "non_apology.justification",
    ),
    ("No matter how many staff we add, the queues will be long.", "non_apology.justification"),
    ("We understand your anger, but we can't do much.", "non_apology.justification"),
    ("We can't do much about it until you send the photos.", None),
    ("We were upset about it, as were many of you.", "non_apology.justification"),
    ("No one should be alarmed by the letter.", "non_apology.dismissal"),
    (
        "I understand you felt as if you were ignored, but that was not the case.",
        "non_apology.dismissal",
    ),
    ("I understand you felt as if you were ignored, and you were: we missed your calls.", None),
    ("They sent us the wrong part for your boiler.", "blame.third_party"),
    ("We sent you the wrong part for your boiler.", None),
    ("They didn't build enough ramps when the station opened.", "blame.third_party"),
    ("Your problem is not with us but with the bank.", "blame.third_party"),
    ("This decision rests with the board.", "blame.third_party"),
    ("The decision rests with us, and we got it wrong.", None),
    ("The band was not the reason the gig was cancelled.", "blame.third_party"),
    ("I did not know the venue had moved the start time.", "blame.third_party"),
    ("The gates closed when people tried to force the barriers.", "blame.circumstances"),
    ("Two members of your group arrived late for the booking.", "blame.reader_conduct"),
    ("Repairs slow down when tenants are not available to give access.", "blame.reader_conduct"),
    ("If you are not available to give access, please call to rebook.", None),
    (
        "Your constant bumping takes away precious time from the volunteers.",
        "blame.reader_conduct",
    ),
    ("Expecting us to support every old version is not realistic.", "blame.reader_conduct"),
    ("We hope your rowdy friends enjoyed the night.", "blame.reader_conduct"),
    ("That is not entirely accurate.", "blame.disputes_account"),
    ("If that is not correct, please let us know.", None),
    (
        "The wrong grades were inadvertently published, and we realised there had been an error.",
        "non_apology.unowned",
    ),
    ("The new dates were unfortunately not printed in the guide.", "non_apology.unowned"),
    ("An irregularity had occurred in the count.", "non_apology.unowned"),
    ("Not all parcels were delivered on Friday.", "non_apology.unowned"),
    ("The wrong grades were inadvertently published, and we apologise for the error.", None),
    ("The wrong grades were inadvertently published by our office.", None),
    (
        "We apologise to all those who received the letter and who were upset by it.",
        "non_apology.reaction",
    ),
)


@pytest.mark.parametrize(("text", "rule"), CLASSES)
def test_a_class_of_fresh33_draws_its_rule(text: str, rule: str | None) -> None:
    """A sentence of the class draws its rule; a near miss (owned, done by us, a policy for a
    case that may not arise, or about something else) draws no non-apology or blame error."""
    found = errors(text)
    assert (rule in found) if rule else not found, found


PROBES = (
    # Shapes the older read batches still missed, and shapes of our own probing for what a
    # blind batch may hold, each with a near miss.
    ("There is no one who wants this fixed more than we do.", "non_apology.justification"),
    ("No one wants this fixed more than you do, and we are on it.", None),
    (
        "We always advise members to check their statements after cancelling.",
        "blame.reader_conduct",
    ),
    ("We always advise members to call us if anything looks wrong.", None),
    ("You might want to check with your mobile network provider.", "blame.reader_conduct"),
    ("It may have been moved by someone else.", "blame.third_party"),
    ("Someone else from our team will call you tomorrow.", None),
    ("I, myself, deeply regret what happened at the hearing.", "non_apology.unowned"),
    ("I, myself, deeply regret that I sent the wrong papers.", None),
    ("I never wanted to offend the fans.", "non_apology.intent"),
    ("I never wanted to leave the club.", None),
    ("Your bill was mistakenly sent to the old address.", "non_apology.unowned"),
    ("Your bill was mistakenly sent to the old address, and we are sorry.", None),
    ("The new prices were unfortunately not shown on the website.", "non_apology.unowned"),
    ("While we understand your frustration, our policy is clear.", "non_apology.dismissal"),
    ("While we understand your frustration, we have refunded the fee.", None),
    ("We acknowledge that some customers may have experienced delays.", "non_apology.minimising"),
    ("Some customers may have lost service this afternoon; we are restoring it.", None),
    ("Sorry for any confusion this may have caused.", "non_apology.reverse"),
    ("Sorry for the confusion our wrong invoice caused.", None),
    ("The decision was made in the best interests of our guests.", "non_apology.justification"),
    ("The driver followed our policy.", "non_apology.intent"),
    ("We followed all the guidelines.", "non_apology.intent"),
    ("We did not follow our own guidelines.", None),
    ("Our records show the parcel was delivered.", "blame.disputes_account"),
    ("Our records show the parcel is still at the depot, so we will send a new one.", None),
)


@pytest.mark.parametrize(("text", "rule"), PROBES)
def test_a_probe_draws_its_rule(text: str, rule: str | None) -> None:
    """The same both ways for the readings of the older misses and our own probes."""
    found = errors(text)
    assert (rule in found) if rule else not found, found
