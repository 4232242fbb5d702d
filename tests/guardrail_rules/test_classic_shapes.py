"""The classic non-apologies and blame as families of wordings, not single sentences (#11).

Each structure in FAMILIES (its key names it: another party's fault, another party responsible
for the failure, the reader made responsible, the reader's own choice regretted, a feeling
hedged with "any", the failure denied as ours, good intentions put forward, ...) is written in
the team's own words at least five ways (other parties, tenses, contractions, word order) that
must draw the family's error, and at least three near misses that must draw none. The
wordings were written from the structure, not copied from any corpus item.

`test_each_family_is_caught_across_its_wordings` and `test_no_near_miss_draws_an_error` report
per family, so a rule that only fits one sentence shows as a family below its full count."""

from __future__ import annotations

import pytest
from test_recall11_shapes import errors

FAMILIES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "another party's fault": (
        "blame",
        (
            "It's the bank's fault that your refund took so long.",
            "That was entirely the courier's fault.",
            "Honestly, the whole thing is the suppliers' fault.",
            "It was Royal Mail's fault that your parcel arrived late.",
            "The mix-up was the fault of the booking agency.",
            "The late arrival was down to the airline's mistake.",
            "Our payment processor was at fault for the double charge.",
            "The delivery partner is to blame for the damage.",
            "FedEx was at fault here, and we have told them so.",
        ),
        (
            "It's our fault, and we're sorry.",
            "It was not the driver's fault; the mistake was ours.",
            "This is nobody's fault but ours.",
            "A fault in our own booking system sent the wrong confirmation.",
            "A faulty router was to blame for the outage, and we apologise to everyone affected.",
        ),
    ),
    "another party responsible for the failure": (
        "blame",
        (
            "Air traffic control and the airport are responsible for these cancellations.",
            "The courier is solely responsible for the damage to your sofa.",
            "Our payment provider was responsible for the double charge.",
            "The bank were responsible for the hold-up with your refund.",
            "The hotel is entirely responsible for what happened.",
            "Heavy snow and the rail operator were responsible for the delays on Friday.",
            "Evri is responsible for this.",
        ),
        (
            "We are responsible for this delay, and I am sorry.",
            "Our team was responsible for the mistake, and we have put it right.",
            "The courier is responsible for deliveries in your area, and we have asked them to "
            "call you.",
            "I am responsible for what happened.",
            "The engineer responsible for your repair will call you tomorrow.",
        ),
    ),
    "another party as the one who failed": (
        "blame",
        (
            "Our hosting company is the one that leaked the files.",
            "It was the courier who lost your parcel.",
            "It's your card issuer that declined the payment.",
            "The airline was the one that cancelled your flight.",
            "The suppliers were the ones who sent the wrong parts.",
            "It was actually the hotel that overbooked the room.",
            "The agency is the one to blame here.",
        ),
        (
            "It was our driver who spotted the damage and called you.",
            "It's the bank that sends the refund, usually within five days.",
            "We were the ones who got this wrong, and I'm sorry.",
            "Our courier partner is part of our service, so this is on us, and we're sorry.",
        ),
    ),
    "the failure put on another party and taken off us": (
        "blame",
        (
            "The restaurant cooked the meal wrongly, not our riders.",
            "The warehouse partner packed the wrong item, not our staff.",
            "That delay came from the airline, not from us.",
            "The carrier damaged the box, and not our team.",
            "It wasn't us, it was the courier.",
            "We didn't lose your parcel; the courier did.",
        ),
        (
            "This was our mistake, not yours.",
            "The fault was ours, not the courier's.",
            "Please reply to this email, not our drivers, so we can help faster.",
            "The refund comes from us, not the bank, and it is on its way.",
        ),
    ),
    "the reader made responsible": (
        "blame",
        (
            "Under our policy, you are responsible for checking the items on arrival.",
            "You were responsible for entering the correct address.",
            "You're solely responsible for keeping your login safe.",
            "It is your responsibility to make sure the details are right.",
            "Customers are responsible for inspecting their goods at delivery.",
            "The responsibility for the booking was yours.",
            "It was up to you to check the dates before paying.",
        ),
        (
            "You're responsible for nothing here; this was our error.",
            "You are not responsible for the fees, and we have refunded them.",
            "We are responsible for checking every delivery, and we didn't.",
            "It's our responsibility, not yours, to check the address.",
            "You won't be responsible for any charges.",
        ),
    ),
    "the reader's own choice regretted": (
        "non_apology",
        (
            "We regret that you decided to close your account.",
            "I'm sorry you've chosen to take your business elsewhere.",
            "We regret your decision to cancel the membership.",
            "Sorry that you felt the need to leave a one-star review.",
            "We are sorry you opted to escalate this.",
            "We sincerely regret that you have decided to end your contract with us.",
        ),
        (
            "I'm sorry you had to cancel your trip because of our error.",
            "We respect your decision to cancel, and we have refunded the full amount.",
            "I regret the decision we made to cancel your booking.",
            "I'm sorry our mistake made you decide to cancel.",
        ),
    ),
    "a feeling hedged as possibly caused": (
        "non_apology",
        (
            "We regret any distress our letter may have caused.",
            "The company regrets any offence caused by the advert.",
            "I apologise for any hurt my comments might have caused.",
            "We're sorry for any anxiety that this may have caused you.",
            "We deeply regret any embarrassment caused.",
            "Sorry for any upset or worry the email might have caused.",
        ),
        (
            "I regret the upset we caused.",
            "We are sorry for the distress our mistake caused you.",
            "I'm sorry for the worry this has caused; it was our fault.",
            "I apologise for any confusion, and here is the right link.",
        ),
    ),
    "others' feelings regretted as a fact about them": (
        "non_apology",
        (
            "We know a few passengers were unhappy with the change, and we regret that.",
            "Some of our members felt frustrated, which we regret.",
            "Many customers were dissatisfied with the update; we are sorry about that.",
            "We're aware that residents were annoyed by the noise, and for that we are sorry.",
            "A number of parents were unhappy with the letter, and we regret this.",
            "We regret that some customers were unhappy with the new menu.",
            "I'm sorry that several of you felt let down.",
        ),
        (
            "Customers were unhappy because we missed the deadline, and we are sorry for that.",
            "You were unhappy with the repair, and you were right: we fitted the wrong part.",
            "I'm sorry that many of you were let down by our mistake.",
            "We regret that some customers were charged twice, and we have refunded them.",
        ),
    ),
    "another party's failing as the reason for ours": (
        "blame",
        (
            "The supplier sent us faulty parts, which is why your order was wrong.",
            "The airline lost the booking, and that's why you were not on the list.",
            "Our carrier delivered late, which meant the food spoiled.",
            "The bank made an error with the transfer, which is why the refund bounced.",
            "The venue double-booked the hall, so that is why the event moved.",
        ),
        (
            "The courier collected it on Monday, which is why the tracking shows two scans.",
            "We sent the wrong parts, which is why your order was wrong.",
            "Our supplier is back in stock, which means your order ships today.",
        ),
    ),
    "the failure denied as ours": (
        "blame",
        (
            "This is not our accident.",
            "Honestly, that's not down to us.",
            "None of what happened was our doing.",
            "The delay wasn't ours.",
            "We're not the ones who caused the outage.",
            "I am not to blame for the missing parts.",
            "We did nothing wrong here.",
        ),
        (
            "It was not your fault; it was ours.",
            "This isn't on you at all, and we're sorry.",
            "It's not on us to choose for you, but here are the two options.",
            "The error was ours, and we have fixed it.",
        ),
    ),
    "another party as the subject of the failure": (
        "blame",
        (
            "Our courier, Parcelnet, failed to collect the box.",
            "Our partner bakery forgot the candles.",
            "The post office delivered your letter to the wrong street.",
            "The supplier's warehouse system went down on Monday.",
            "Your payment was declined by your card issuer.",
            "The parcel was damaged by the carrier.",
            "Your bank has held the transfer since Friday.",
        ),
        (
            "The courier delivered your parcel this morning.",
            "Our partner bakery made the cake fresh today.",
            "The parcel was collected by the courier on time.",
            "We damaged the parcel when packing it, and I'm sorry.",
        ),
    ),
    "the reader's conduct or choice as the cause": (
        "blame",
        (
            "You ignored our emails about the change.",
            "You never replied to both of our reminders.",
            "You missed all of our calls last week.",
            "You chose the cheapest delivery option.",
            "You booked a non-refundable room.",
            "You simply disregarded the warnings on the page.",
        ),
        (
            "You may have missed our email, so here it is again.",
            "If you missed our call, please ring us back.",
            "You chose the express option, and we still missed the date; I'm sorry.",
            "You booked the family room, and we gave it away by mistake.",
        ),
    ),
    "a member of staff excused by what they are": (
        "blame",
        (
            "Our agent was new and made an error.",
            "One of our drivers was careless.",
            "The technician was still in training.",
            "The waiter who served you is very inexperienced.",
            "Our cashier was covering for a colleague that day.",
            "The receptionist had been overworked all week.",
        ),
        (
            "Our new agent will call you tomorrow.",
            "The technician was friendly and fixed it quickly.",
            "We did not train the technician properly, and that is our failure.",
        ),
    ),
    "a feeling the reader had, as the whole object": (
        "non_apology",
        (
            "We apologise for the frustration you've experienced.",
            "Apologies for the annoyance you felt.",
            "We regret your dissatisfaction with the service.",
            "I'm sorry for the disappointment you may have felt.",
            "We are sorry for all the worry that you have been through.",
            "Sorry for the upset you expressed in your review.",
        ),
        (
            "I'm sorry for the frustration our outage caused.",
            "I'm sorry for the frustration you felt when our app deleted your notes.",
            "We regret the disappointment we caused by cancelling.",
        ),
    ),
    "how the reader took our words, regretted": (
        "non_apology",
        (
            "I am sorry that you took our comments the wrong way.",
            "We regret that you read the post as an attack.",
            "Sorry you took my reply so personally.",
            "I apologise that you interpreted the email as criticism.",
            "We're sorry some readers took the joke as an insult.",
        ),
        (
            "I'm sorry our comments were hurtful; they were wrong.",
            "Sorry you had to read the post at all; we have taken it down.",
            "We are sorry that our reply was rude.",
        ),
    ),
    "others' reaction as what was caused": (
        "non_apology",
        (
            "We regret that our decision has caused concern among some customers.",
            "Sorry the change created unease for some of you.",
            "We regret that the advert sparked anger among parents.",
            "I apologise that my remarks caused offence to some people.",
            "The club regrets that the statement caused distress in some quarters.",
        ),
        (
            "We're sorry our error caused you so much worry.",
            "I'm sorry the outage caused you and your team a lost day.",
            "We regret that the recall caused concern, and we have written to every owner.",
        ),
    ),
    "the duty or the problem called the other party's": (
        "blame",
        (
            "You should contact the courier directly, as it is their responsibility.",
            "That's the airline's problem, I'm afraid.",
            "Refunds are the responsibility of the seller.",
            "This was entirely the contractor's job.",
            "The fault lies with our logistics partner.",
        ),
        (
            "It is our responsibility, not the courier's.",
            "That's our problem to fix, and we are on it.",
            "The seller's job was to ship it; ours was to check it, and we didn't.",
        ),
    ),
    "someone else let us down": (
        "blame",
        (
            "Our couriers sometimes let us down.",
            "Amazon's delivery network let us down badly.",
            "The new software let us all down on launch day.",
            "Sadly our caterer let us down at the last minute.",
            "The supplier has let me down again.",
        ),
        (
            "We let you down, and I am sorry.",
            "You have never let us down as a customer.",
            "I let you down, and I should have called.",
        ),
    ),
    "the cause denied as ours": (
        "blame",
        (
            "This accident was not caused by us.",
            "We didn't cause this problem.",
            "The fault didn't originate with us.",
            "The outage wasn't caused by our systems.",
            "I did not create this situation.",
            "The leak did not come from our side.",
        ),
        (
            "We didn't catch this in time, and I'm sorry.",
            "The delay was caused by us, and we have fixed the step.",
            "We did not cause you to lose anything, because we refunded the fee the same day.",
        ),
    ),
    "the aim or good intentions in place of the apology": (
        "non_apology",
        (
            "Causing you stress was never our aim.",
            "That was never our goal.",
            "We had the best of intentions.",
            "We were only trying to help.",
            "Our team was acting in good faith.",
            "Offending anyone was certainly not my intention.",
        ),
        (
            "We had good intentions, but we got it wrong, and I'm sorry.",
            "Our goal is to reply within a day, and we missed it; I'm sorry.",
            "We are trying to help you get your money back today.",
        ),
    ),
    "the reader's experience or feelings named as theirs": (
        "non_apology",
        (
            "My apologies for your inconvenience and frustration.",
            "We sincerely apologize for your unpleasant experience.",
            "It's a shame you weren't satisfied.",
            "We're sorry the product didn't work out for you.",
            "Sorry about your bad experience at the branch.",
            "What a pity some guests felt let down.",
        ),
        (
            "We are sorry for your loss.",
            "I'm sorry for the poor experience we gave you at the branch.",
            "It's a shame we didn't call you sooner; that was our failure.",
        ),
    ),
}

_SHAPES = [(name, text) for name, (_, flag, _) in FAMILIES.items() for text in flag]
_NEAR = [(name, text) for name, (_, _, near) in FAMILIES.items() for text in near]


def test_each_family_has_enough_wordings_and_near_misses() -> None:
    for name, (_, flag, near) in FAMILIES.items():
        assert len(flag) >= 5, name
        assert len(near) >= 3, name


@pytest.mark.parametrize(("name", "text"), _SHAPES, ids=[t[:48] for _, t in _SHAPES])
def test_each_family_is_caught_across_its_wordings(name: str, text: str) -> None:
    family = FAMILIES[name][0]
    found = errors(f"Dear Sam,\n\n{text}\n\nKind regards,\nJo")
    assert any(rule.split(".")[0] == family for rule in found), (name, found)


@pytest.mark.parametrize(("name", "text"), _NEAR, ids=[f"passes: {t[:40]}" for _, t in _NEAR])
def test_no_near_miss_draws_an_error(name: str, text: str) -> None:
    assert errors(f"Dear Sam,\n\n{text}\n\nKind regards,\nJo") == set(), name
