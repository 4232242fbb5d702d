"""The structural rules (guardrails/structure.py) and the pack rules added with them, in the
team's own words: each kind is caught in wordings no pack phrase lists, and its neighbour that
owns the harm, names a harm or only explains is not."""

from __future__ import annotations

import pytest

from guardrails import check
from guardrails.lexicon import lexicon
from guardrails.structure import OUTSIDE_CAUSE_RULE, REACTION_RULE, UNOWNED_RULE, owns

FAMILIES = ("non_apology", "blame")


def errors(text: str) -> list[str]:
    report = check(text, channel="email")
    return [f.rule for f in report.errors if f.rule.split(".")[0] in FAMILIES]


@pytest.mark.parametrize(
    "text",
    [
        "We are sorry for how the poster was read by some.",
        "I regret that the menu change has been misunderstood.",
        "Our apologies to everyone who has felt let down by the promotion.",
        "We would like to express our regrets to anybody who was offended by the sketch.",
        "We are saddened to learn that a diner did not find the evening met her expectations.",
        "The team is disappointed in how a few people have misconstrued the campaign.",
        "I apologise from the bottom of my heart for giving our members cause for worry.",
        "We regret that the slogan should have stirred up such a controversy.",
    ],
)
def test_an_apology_for_the_readers_reaction_is_an_error(text: str) -> None:
    assert REACTION_RULE in errors(text)


@pytest.mark.parametrize(
    "text",
    [
        "We are sorry for the late delivery and the frustration it caused.",
        "I'm sorry for the frustration our billing mistake caused you.",
        "We are sorry you felt we ignored you; we did, and that was wrong.",
        "Sorry for the stress, the wasted afternoon and the cost of the taxi.",
        "My apologies for any frustration, I'll look into it now.",
        "We're sorry you didn't get your parcel on Friday.",
        "I understand you are frustrated, and I am sorry our courier left the parcel outside.",
    ],
)
def test_an_apology_that_names_a_harm_or_owns_it_is_not_a_reaction(text: str) -> None:
    assert REACTION_RULE not in errors(text)


@pytest.mark.parametrize(
    "text",
    [
        "We acknowledge the tribunal's findings about the scheme.",
        "The company regrets the situation that arose at the branch last week.",
        "We note the reactions to the advert and the debate it started.",
    ],
)
def test_acknowledging_with_nothing_owned_is_an_error(text: str) -> None:
    assert UNOWNED_RULE in errors(text)


@pytest.mark.parametrize(
    "text",
    [
        "We acknowledge the tribunal's findings: we broke the rules and we are sorry.",
        "We regret the situation; it was our error and we have fixed the rota.",
    ],
)
def test_acknowledging_with_ownership_elsewhere_is_not(text: str) -> None:
    assert UNOWNED_RULE not in errors(text)


@pytest.mark.parametrize(
    "text",
    [
        "The slow replies this week are due to the volume of enquiries after the sale.",
        "Your order is late because of a strike at the port.",
        "The leaflet was prepared by an outside agency.",
        "Refund times are outside our control once the payment leaves us.",
        "Our payment provider is currently experiencing an outage.",
        "The tour was cut short as a result of a natural disaster in the region.",
    ],
)
def test_a_cause_put_on_an_outsider_in_a_letter_that_owns_nothing_is_an_error(text: str) -> None:
    assert OUTSIDE_CAUSE_RULE in errors(text)


@pytest.mark.parametrize(
    "text",
    [
        "We should have warned you sooner; your order is late because of a strike at the port.",
        "We made a mistake with the rota, and the slow replies are due to the volume of enquiries.",
        "Because of a fault in our own system, the carrier received the wrong address.",
        "The refund is on its way and should reach your bank within five days.",
        "This was not our fault, and the delay is due to the storm.",
    ],
)
def test_a_cause_beside_ownership_or_no_outside_cause_is_not_blame(text: str) -> None:
    rules = errors(text)
    if "not our fault" in text:
        # Denying fault is not owning it: the excuse stays blame (here the packs' rules).
        assert any(rule.startswith("blame.") for rule in rules)
    else:
        assert OUTSIDE_CAUSE_RULE not in rules


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("We are a little surprised by the review of our lunch menu.", "non_apology.dismissal"),
        ("This was an isolated incident at one branch.", "non_apology.dismissal"),
        ("The claim that our staff were rude is simply untrue.", "non_apology.dismissal"),
        ("Our rooms are generally very well received by guests.", "non_apology.dismissal"),
        ("The glitch didn't cause any serious problems for most users.", "non_apology.minimising"),
        ("Only a few orders were held back.", "non_apology.minimising"),
        ("We acted in good faith throughout the recall.", "non_apology.intent"),
        (
            "We pride ourselves on punctuality and would never leave a guest waiting.",
            "non_apology.intent",
        ),
        ("The form was not designed to store card numbers.", "non_apology.intent"),
        ("To the extent that anyone felt misled, we apologise.", "non_apology.conditional"),
        ("Next time you could report the fault earlier so we can act.", "blame.customer"),
        ("Your late change of booking made it very difficult to seat everyone.", "blame.customer"),
        ("Customers simply do not read the terms before booking.", "blame.customer"),
        ("Our aim was never to upset our regulars.", "non_apology.intent"),
        ("There may be reasons to regret how the launch went.", "non_apology.passive"),
        ("Breakdowns happen; that is the nature of the trade.", "non_apology.dismissal"),
        ("Demand for tickets was far higher than anyone predicted.", "blame.outside_cause"),
        ("Rising fuel prices have forced us to cut the evening service.", "blame.outside_cause"),
        ("A defect in the supplier's firmware stopped the locks working.", "blame.outside_cause"),
    ],
)
def test_dismissal_defences_and_customer_blame_in_new_wordings(text: str, rule: str) -> None:
    assert rule in errors(text)


@pytest.mark.parametrize(
    "text",
    [
        "We are surprised we missed this, and we are sorry.",
        "This was not an isolated incident, and we are reviewing every branch.",
        "Even if it was their fault, it is our responsibility to you.",
        "Next time you visit, ask for me and I'll look after you.",
        "Thank you for letting us know so quickly.",
        "Demand was higher than we planned for, and we should have hired more staff.",
        "We want to point out that this was our error, not yours.",
    ],
)
def test_their_owning_or_harmless_neighbours_are_not(text: str) -> None:
    assert errors(text) == []


def test_ownership_is_read_anywhere_but_not_when_denied() -> None:
    assert owns("the cause was a storm. we got it wrong on the day, though.")
    assert owns("sorry for keeping you waiting so long")
    assert not owns("this was not our fault at all")
    assert not owns("we are sorry for the inconvenience")


def test_the_structural_words_live_in_the_packs() -> None:
    words = lexicon()
    for name in (
        "apology_heads",
        "reaction_words",
        "harm_words",
        "unowned_objects",
        "failure_nouns",
        "owning_verbs",
        "cause_links",
        "outside_causes",
    ):
        assert words.words(name), name
    assert "frustration" in words.words("reaction_words")
    assert "vendor" in words.words("outside_causes")


def test_structural_findings_carry_no_mechanical_fix() -> None:
    report = check("The delay was due to our supplier.", channel="email")
    found = [f for f in report.findings if f.rule == OUTSIDE_CAUSE_RULE]
    assert found and all(f.fix is None for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "As heavy snow brought problems for every parcel firm, your order sat at the hub.",
        "The rail strike has disrupted deliveries across the whole region.",
        "Demand over the holidays simply overwhelmed the booking line.",
        "Our courier in the north delayed a large number of parcels last week.",
        "The storm hit the warehouse on Monday and left the shelves empty.",
        "With freezing weather still continuing across the country, some trains will not run.",
        "Given the strike, refunds will take longer than usual.",
        "The whole industry is facing the same shortages this winter.",
        "We are struggling with keeping a small bakery open in a pandemic.",
        "Your parcel was held up by the carrier at the border.",
    ],
)
def test_an_outside_cause_told_as_a_narrative_with_nothing_owned_is_blame(text: str) -> None:
    assert OUTSIDE_CAUSE_RULE in errors(text)


@pytest.mark.parametrize(
    "text",
    [
        # A support reply that explains the carrier's or the weather's part and owns its own.
        "I'm sorry your parcel is late. The snow brought the depot to a standstill on Tuesday, "
        "and we should have told you as soon as we knew.",
        "The rail strike disrupted deliveries this week, but the missing refund was our error "
        "and I have sent it today.",
        "With heavy rain continuing, the courier could not reach your street; we are sorry we "
        "didn't let you know before the delivery day.",
        "Our supplier delayed the parts, and I'm sorry for our part in it: we promised a date "
        "we had not checked.",
        "We're sorry we kept you waiting on the phone; demand after the storm overwhelmed the "
        "line, and we have added staff for the evenings.",
        # No outside cause as the subject of an effect, and nothing to excuse.
        "We brought the booking forward to Friday, as you asked.",
        "The weather looks good for your tour on Saturday.",
        "Given your order number, I found the parcel straight away.",
        "We are fighting hard to get your money back from the bank.",
    ],
)
def test_an_explained_outside_cause_beside_ownership_or_no_cause_is_not_blame(text: str) -> None:
    assert OUTSIDE_CAUSE_RULE not in errors(text)


def test_the_narrative_words_live_in_the_packs() -> None:
    words = lexicon()
    assert "brought" in words.words("effect_verbs")
    assert "continuing" in words.words("ongoing_participles")
    assert "industry" in words.words("narrative_causes")


@pytest.mark.parametrize(
    "text",
    [
        # Any cause after an open link that is not the writer's own.
        "Your cake will be a day late due to the recent icy roads in the valley.",
        "The gaps in the timetable were caused by roadworks on the ring road.",
        "Our florist is bogged down by a labour dispute at the market.",
        "The shortage of spare parts was brought on by floods at the mill.",
        # Another party in trouble, told in the past or as their state.
        "Our hosting company suffered a power cut in its building on Friday.",
        "We heard from our logistics providers that they are having trouble at the border.",
        "The couriers are working hard, but they have a huge backlog this week.",
        "A fault with a supplier booking system left the desk without records.",
        "No warning of the road closure was given to us by the council's contractor.",
        # A surge, a third party's own act, the reader's bank, a new spelling.
        "We received an unusually high volume of calls, which slowed every reply.",
        "Interest in the new range has far exceeded our expectations.",
        "The network operator had cut off its link to our exchange on Monday.",
        "If the payment shows twice, it's probably your bank and it will clear.",
        "The knock-on effects of covid19 restrictions continue to cause hold-ups.",
        "Mother nature has brought the whole valley to a standstill this week.",
        "The delay is due to mother nature, and there is little anyone can do.",
    ],
)
def test_open_causes_and_other_parties_with_nothing_owned_are_blame(text: str) -> None:
    assert any(rule.startswith("blame.") for rule in errors(text)), errors(text)


@pytest.mark.parametrize(
    "text",
    [
        # The writer's own doing, the incident itself, a pronoun, a verb, the reader.
        "Your order was late due to a fault in our packing line.",
        "Some pages failed to load as a result of the outage this morning.",
        "Because of this, we have refunded the delivery charge.",
        "Your next payment is due to leave your account on the 3rd.",
        "The booking lapsed due to no payment being received.",
        "The form was slow due to a technical issue, which is now fixed.",
        "Due to safety concerns, the ride stays closed until the engineer's visit.",
        "We have changed the checkout as a result of your feedback.",
        "As a result of the nature of the fault, we cannot give a date yet.",
        # An outside cause explained in a letter that owns its part.
        "Heavy snow slowed the vans, but the missing update was our mistake, and I'm sorry.",
        "The carrier lost two crates, and we should have checked the seal before they left.",
    ],
)
def test_an_own_or_incident_cause_or_an_owning_letter_is_not_blame(text: str) -> None:
    assert not any(rule.startswith("blame.") for rule in errors(text)), errors(text)


def test_ownership_quiets_staff_and_third_party_explanations_but_not_a_verdict() -> None:
    staff = "The people in the warehouse decided to close the loading bay early."
    assert "blame.staff" in errors(staff)
    assert errors(staff + " We should have kept it open, and I'm sorry.") == []
    verdict = "We should have kept it open, and I'm sorry. The courier is to blame for the rest."
    assert "blame.third_party" in errors(verdict)


def test_a_denial_is_not_ownership() -> None:
    assert not owns("we didn't do it, we promise.")
    assert owns("we didn't do enough to warn you.")


def test_the_open_cause_words_live_in_the_packs() -> None:
    words = lexicon()
    assert "bogged down by" in words.words("open_cause_links")
    assert "issue" in words.words("incident_nouns")
    assert "exceeded" in words.words("surge_verbs")
    assert "backlog" in words.words("trouble_nouns")


@pytest.mark.parametrize(
    "text",
    [
        # A causal verb whose subject is any noun phrase that is not the writer's own: no
        # word of these subjects is in a cause list.
        "We are sorry. The rising price of cocoa beans has forced this change to the box.",
        "Longer opening hours at the sorting office necessitate a later collection.",
        "Sadly, the new bridge tolls are likely to cause some late arrivals this month.",
        "A fallen crane that had a severe effect on the lower floor closed the shop.",
        "The renovation next door prevented us from opening the terrace.",
        # Another party's failure told by its manner.
        "The booking platform had mistakenly moved your table to the following week.",
        # "it's down to" with an open noun phrase.
        "Once the parcel leaves the shop, it's down to the national post to bring it to you.",
    ],
)
def test_an_explanation_about_someone_else_with_nothing_owned_is_blame(text: str) -> None:
    assert OUTSIDE_CAUSE_RULE in errors(text), errors(text)


@pytest.mark.parametrize(
    "text",
    [
        # The incident, its harm, the reader's reaction or a pronoun as the subject.
        "We apologise for any inconvenience this may have caused.",
        "I am sorry for the trouble the late refund has caused you.",
        "Sorry for the worry that this whole business has caused.",
        "We regret the frustration the change to your seat has caused.",
        # The writer's own or the reader's subject, a question, the noun "cause".
        "Our new packing process caused the damage, and we are sorry.",
        "Did your router cause the drop in signal?",
        "While the first cause was a typing slip, we are still looking into it.",
        "Tell me what happened to cause the charge to go through twice.",
        # A failure of plant is the incident, as "a server failure" is: whose plant it was
        # the words do not say ("a burst water main", "a catastrophic main break").
        "A burst water main that had a severe effect on the lower floor closed the shop.",
        # An explanation in a letter that owns its part.
        "The rising price of cocoa forced the change, and we should have told you sooner.",
        # "down to" that is not a cause.
        "We have planned the evening down to the last detail.",
    ],
)
def test_an_explanation_of_the_incident_or_an_owned_one_is_not_blame(text: str) -> None:
    assert OUTSIDE_CAUSE_RULE not in errors(text), errors(text)


def test_the_explanation_words_live_in_the_packs() -> None:
    words = lexicon()
    assert "necessitate" in words.words("explanation_verbs")
    assert "mistakenly" in words.words("failure_adverbs")
    assert "likely" in words.words("explanation_auxiliaries")


def test_a_reason_clause_about_someone_else_is_blame_and_about_us_or_the_reader_is_not() -> None:
    assert OUTSIDE_CAUSE_RULE in errors("Sorry, your parcel is late because the depot closed.")
    for text in (
        "Sorry, your parcel is late because we packed it on the wrong day.",
        "Sorry, your parcel is late because your address was incomplete.",
        "It has been two weeks since the order was placed, and we are sorry.",
        "Sorry, the page was slow because the outage lasted an hour.",
    ):
        assert OUTSIDE_CAUSE_RULE not in errors(text), (text, errors(text))


def test_someone_elses_mistake_is_not_ownership_and_a_failure_in_part_of_ours_is() -> None:
    assert not owns("we will make sure those responsible for this mistake are held to account.")
    assert owns("i'm sorry: we had a failure in part of our booking system on monday.")
    assert owns("we are responsible for this mistake.")


# Shapes read from the misses and false errors of fresh7-13 as classes (guards8), in our own
# words: each blame or non-apology shape, then the neighbour that must stay clean.
@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # An event told before its relative clause.
        ("Sadly a freak hailstorm occurred that caused the lift to stop.", OUTSIDE_CAUSE_RULE),
        # A demonstrative before a noun is a determiner, not a pronoun.
        ("Most of the catalogue was affected by these import duties.", OUTSIDE_CAUSE_RULE),
        # Demand against what was expected, and demand called beyond planning.
        (
            "There was a demand for the blue kettle that was far higher than we expected.",
            OUTSIDE_CAUSE_RULE,
        ),
        ("Stock ran out because of such unpredictable seasonal demand.", OUTSIDE_CAUSE_RULE),
        ("Pages were slow during excessive bursts of traffic last week.", OUTSIDE_CAUSE_RULE),
        # Another party not doing its part; what a season brought.
        ("The couriers do not always honour the collection slots we book.", OUTSIDE_CAUSE_RULE),
        (
            "This month has brought heavy snow to both depots, slowing every round.",
            OUTSIDE_CAUSE_RULE,
        ),
        # The denial of making, and the duty put on someone else.
        ("The shortage is not one of the shop's making.", "blame.third_party"),
        ("It is incumbent on the landlord to fix the boiler, not on us.", "blame.third_party"),
        ("Especially when you lied about the booking.", "blame.customer"),
        # Apologies to whoever takes offence, for the reception, for what may have gone too
        # far, and intent defences in other words.
        ("I apologise to anyone who found the poster offensive.", "non_apology.reverse"),
        ("We are sorry this got blown out of proportion.", "non_apology.reverse"),
        (
            "Some of the jokes may have gone too far, and for that I apologise.",
            "non_apology.minimising",
        ),
        ("I meant no disrespect and apologise for the post.", "non_apology.intent"),
        ("No offence was intended by the slogan.", "non_apology.intent"),
    ],
)
def test_blame_and_non_apology_shapes_from_the_fresh13_study(text: str, rule: str) -> None:
    assert rule in errors(text), (text, errors(text))


@pytest.mark.parametrize(
    "text",
    [
        # A pronoun after "and" is no outsider.
        "There was a mix-up in our warehouse, and that caused the late dispatch.",
        # A passive failure adverb names what was done to, not who did it.
        "Some invoices were wrongly marked as unpaid, and we have corrected them.",
        # What the writer is fixing is not someone else's doing.
        "We are investigating and fixing the conditions that led to the duplicate emails.",
        # Ownership in other words.
        "The outage was caused by a mistake at our supplier. We chose them, so the buck stops "
        "with us, and I am sorry.",
        "We are very sorry that we allowed this to happen, whatever the supplier did.",
        # A general account of what can happen is not about this failure.
        "Delays can happen due to courier backlogs or bad weather; we will chase the courier.",
        "Repairing damage caused by major storms can take time, so please bear with the crews.",
        # Not demand: "in high demand"; not another party: "on schedule".
        "This kettle is in record demand, so we will email you when it is back.",
        "Your parcel is on schedule to arrive on Friday.",
        # An owned failure may report its scope; the "but" form stays non_apology.but.
        "We made a mistake with the billing run. We can confirm this was an isolated incident.",
    ],
)
def test_their_neighbours_from_the_fresh13_study_are_not(text: str) -> None:
    assert errors(text) == [], (text, errors(text))


def test_dismissal_after_but_is_still_an_error_when_owned() -> None:
    assert "non_apology.but" in errors(
        "We are sorry for our mistake, but it was an isolated incident."
    )


def test_the_fresh13_study_words_live_in_the_packs() -> None:
    words = lexicon()
    assert "occurred" in words.words("occurrence_verbs")
    assert "happen" in words.words("general_verbs")
    assert "unpredictable" in words.words("surge_surprises")
    assert "the buck stops with us" in words.words("owning_phrases")


def test_control_denied_in_other_words_and_a_general_present_cause() -> None:
    """From fresh14's misses, read after its one blind measurement."""
    assert OUTSIDE_CAUSE_RULE in errors(
        "Sorry for the lag, although the hosting centre is not under our control."
    )
    assert errors("Frost and thaw cause small cracks in older pipes, which our crews repair.") == []
