"""The real-text corpus (`corpus/real.yaml`): its shape, and the figures the guardrails reach
on it, measured by `benchmarks/real_corpus.py`."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from benchmarks.real_corpus import MUST_BE_CLEAN, MUST_FLAG, load_items, score

ITEMS: list[dict[str, Any]] = load_items()
REAL = [item for item in ITEMS if item["kind"] != "hard_negative"]


def test_corpus_has_enough_real_items_each_with_a_source() -> None:
    assert len(REAL) >= 150
    assert all(item["source"].strip() for item in ITEMS)
    team = [item for item in ITEMS if item["kind"] == "hard_negative"]
    assert all("team-written" in item["source"] for item in team)
    assert not any("team-written" in item["source"] for item in REAL)
    kinds = Counter(item["kind"] for item in REAL)
    assert kinds["non_apology"] + kinds["blame"] >= 50
    assert kinds["good_apology"] + kinds["support_reply"] >= 100


def test_ids_are_unique_and_labels_well_formed() -> None:
    ids = [item["id"] for item in ITEMS]
    assert len(ids) == len(set(ids))
    for item in ITEMS:
        assert item["kind"] in MUST_FLAG + MUST_BE_CLEAN, item["id"]
        assert item["split"] in (
            "tune",
            "heldout",
            "fresh",
            "fresh2",
            "fresh3",
            "fresh4",
            "fresh4_tune",
            "fresh5",
            "fresh5_tune",
            "fresh6",
            "fresh6_tune",
            "fresh7",
            "fresh8",
            "fresh9",
            "fresh10",
            "fresh11",
            "fresh12",
            "fresh13",
            "fresh14",
            "fresh15",
            "fresh16",
            "fresh17",
            "fresh18_tune",
            "fresh19",
            "fresh20",
            "fresh21",
            "fresh22",
            "fresh23",
            "fresh24",
            "fresh25",
            "fresh26",
            "fresh27",
            "fresh28",
            "fresh29",
            "fresh30a",
            "fresh30b",
            "fresh31",
            "fresh32",
            "fresh33",
            "fresh34",
            "fresh35",
        ), item["id"]
        if item["kind"] in MUST_FLAG:
            assert item["flag"], item["id"]
            for label in item["flag"]:
                assert label["family"] in MUST_FLAG, item["id"]
                assert label["excerpt"] in item["text"], item["id"]
        else:
            assert "flag" not in item, item["id"]


def test_a_held_out_part_exists() -> None:
    held = [item for item in REAL if item["split"] == "heldout"]
    assert len(held) >= 40
    assert {item["kind"] for item in held} >= {"non_apology", "blame", "support_reply"}


BLIND: tuple[str, ...] = ("fresh35",)
"""Batches measured blind and never read: their figure is the generalisation figure, printed
by `benchmarks/real_corpus.py`, not a regression target; they count in the false-error
tests. A batch is named here from the moment it is added until its misses are read. fresh16
and fresh17 were blind (0.22 of the labelled words each, 9 and 8 false errors) until their
misses and false errors were read as classes; they are now tuned on and guarded below, as is
fresh20 (0.44, 3 false errors, element recall 0.75 blind), as are fresh23, fresh24 and fresh25
since stop 25 (1/7, 2/15 and 7/27 blind), fresh26 and fresh27 since stop 26 (6/24 and 2/19
blind), fresh28, fresh29 and fresh30a since stop 27 (12/23, 5/13 and 3/16 blind), and fresh30b
since stop 28 (7/16 blind before and after stop 27's rules), and fresh31 since stop 29 (12/33
blind before stop 28's rules, 13/33 after), and fresh32 since stop 30 (collected by a session
that had not read the rules and ran no check; measured blind 10/43 before stop 29's rules, 11/43
after, with 3 false errors on 29; read in stop 30), and fresh33 since stop 31 (collected at the
start of stop 30 by a session that had not read the rules and ran no check; measured blind 14/61
before and after stop 30's rules, with 4 false errors on 30; read in stop 31), and fresh34 since
stop 32 (collected at the start of stop 31 by a session that had not read the rules and ran no
check, kept outside the tree while stop 31's rules were written; measured blind 9/77 before and
after them, with 4 false errors on 29; read in stop 32). fresh35 is
blind: collected at the start of stop 32 by a session that had not read the rules and ran no
check, kept outside the tree while stop 32's rules were written; measured 15/95 before them and
15/95 after (16/45 and 17/45 per message), with 4 false errors on 31 both times; its false
errors read and fixed in stop 33 (tests/guardrail_rules/test_recall33_shapes.py), its misses
not read yet."""

SCORES = score([item for item in ITEMS if item["split"] not in BLIND])
WITH_BLIND = score(ITEMS)
HELD_OUT = score([item for item in ITEMS if item["split"] == "heldout"])


def test_recall_on_real_non_apologies_and_blame_is_at_least_085() -> None:
    assert SCORES.recall >= 0.85, SCORES.tally.misses
    assert HELD_OUT.recall >= 0.85, HELD_OUT.tally.misses


def test_the_batch_never_tuned_on_keeps_its_recall() -> None:
    """fresh4 was split off by a hash of the id before any item was read and was never
    tuned on: 9/30 before the structural rules, 25/30 after. A regression guard, not a
    target: a drop means a rule stopped generalising."""
    fresh = score([item for item in ITEMS if item["split"] == "fresh4"])
    assert fresh.recall >= 0.8, fresh.tally.misses
    assert fresh.false_errors_per_25 <= 1.0, fresh.tally.misses


def test_at_most_one_false_error_per_25_real_good_apologies() -> None:
    assert WITH_BLIND.false_errors_per_25 <= 1.0, WITH_BLIND.tally.misses
    assert WITH_BLIND.hard_with_error == 0, WITH_BLIND.tally.misses


def test_placeholders_and_elements_in_real_phrasings_are_found() -> None:
    assert SCORES.tally.ratio("placeholder") >= 0.9, SCORES.tally.misses
    assert SCORES.element_recall >= 0.9, SCORES.tally.misses


@pytest.mark.parametrize(
    "item",
    [item for item in ITEMS if item["id"].startswith("issue-")],
    ids=lambda item: str(item["id"]),
)
def test_no_measured_bypass_passes(item: dict[str, Any]) -> None:
    """Every wording the measurement found slipping through is now caught (or, for an
    element, found)."""
    scores = score([item])
    assert not scores.tally.misses, scores.tally.misses


def test_the_batches_read_for_the_structural_rules_keep_their_recall() -> None:
    """fresh5, fresh6 and fresh7 had their misses read when the structural rules were written
    (guardrails/structure.py), and fresh8 when its narrative outside-cause form was: a
    regression guard, not a generalisation figure."""
    read = score(
        [item for item in ITEMS if item["split"] in ("fresh5", "fresh6", "fresh7", "fresh8")]
    )
    assert read.recall >= 0.85, read.tally.misses
    assert read.good_with_error == 0, read.tally.misses


def test_the_batches_read_for_the_open_cause_form_keep_their_recall() -> None:
    """fresh10's misses (and fresh9's, after it was measured) were read when the open cause
    links, other parties' trouble and the surge form of blame.outside_cause were written: a
    regression guard, not a generalisation figure (fresh11 is that)."""
    read = score([item for item in ITEMS if item["split"] in ("fresh9", "fresh10")])
    assert read.recall >= 0.85, read.tally.misses
    assert read.good_with_error <= 1, read.tally.misses


def test_the_batches_read_for_the_fresh13_study_keep_their_recall() -> None:
    """fresh11-fresh13 were measured blind and then read, with fresh7-10, for the shapes of
    guards8 (relative events, demand against expectation, passive failure adverbs, general
    accounts, ownership phrases, reader-reaction apologies): a regression guard, not a
    generalisation figure (the next blind batch is)."""
    read = score([item for item in ITEMS if item["split"] in ("fresh11", "fresh12", "fresh13")])
    assert read.recall >= 0.85, read.tally.misses
    assert read.message_recall >= 0.9, read.tally.misses
    assert read.good_with_error == 0, read.tally.misses


def test_fresh15_read_as_classes_keeps_its_recall() -> None:
    """fresh15 was measured blind (0.52), then split by a hash of the id: the rules of this
    round were written from one half's misses as classes and measured once on the other half
    (0.80 before and after: no held-out gain), and only then was the other half read. A
    regression guard, not a generalisation figure."""
    read = score([item for item in ITEMS if item["split"] == "fresh15"])
    assert read.recall >= 0.85, read.tally.misses
    assert read.good_with_error == 0, read.tally.misses


def test_fresh16_and_fresh17_read_as_classes_keep_their_recall() -> None:
    """fresh16 and fresh17 were measured blind (0.22 each, 9 and 8 false errors), then their
    misses and false errors were read as classes (intent defences, the reader's experience,
    named outside parties, staff singled out by role, normality and scale, the customer's
    household; code of the writer's own, feelings beside ownership): 0.80 and 0.91 after,
    with no false error. A regression guard, not a generalisation figure."""
    read = score([item for item in ITEMS if item["split"] in ("fresh16", "fresh17")])
    assert read.recall >= 0.85, read.tally.misses
    assert read.good_with_error == 0, read.tally.misses
    assert read.element_recall >= 0.85, read.tally.misses


def test_fresh23_and_fresh24_read_as_classes_keep_their_recall() -> None:
    """fresh23 and fresh24 (tests/data/real_fresh23.yaml, real_fresh24.yaml) were collected
    and labelled before any check ran on them and measured once, blind: 1 of 7 and 2 of 15
    non-apologies and blame drew an error on the labelled words, and 1 of fresh24's 17
    apologies, replies and help pages drew a false error (a shipping policy page's "might be
    due to a customer choosing the wrong method"). In stop 25 their misses were read with
    fresh25's as classes (tests/guardrail_rules/test_recall25_shapes.py): 6/7 and 10/15
    after, with no false error. A regression guard, not a generalisation figure."""
    fresh23 = score([item for item in ITEMS if item["split"] == "fresh23"])
    assert fresh23.tally.count("non_apology", "blame") >= (6, 7), fresh23.tally.misses
    assert fresh23.good_with_error == 0, fresh23.tally.misses
    fresh24 = score([item for item in ITEMS if item["split"] == "fresh24"])
    hits, total = fresh24.tally.count("non_apology", "blame")
    assert total == 15
    assert hits >= 10, fresh24.tally.misses
    assert fresh24.good_items == 17
    assert fresh24.good_with_error == 0, fresh24.tally.misses
    assert fresh24.element_recall == 1.0, fresh24.tally.misses


def test_fresh25_read_as_classes_keeps_its_recall() -> None:
    """fresh25 (tests/data/real_fresh25.yaml) was collected and labelled before any check ran
    on it and measured once, blind, before any rule of stop 25 was written: 7 of the 27
    labelled passages in its 25 non-apologies and blame drew an error of their family (6 of
    the 25 items an error of the family anywhere), and 3 of its 16 apologies, replies and help
    pages drew a false error. Then its misses and false errors were read as classes with
    fresh23's and fresh24's: 19/27 after, and 1 false error (a water company's notice that
    hot weather strained its network, read as an outside cause). A regression guard, not a
    generalisation figure."""
    read = score([item for item in ITEMS if item["split"] == "fresh25"])
    hits, total = read.tally.count("non_apology", "blame")
    assert total == 27
    assert hits >= 19, read.tally.misses
    assert read.good_items == 16
    assert read.good_with_error <= 1, read.tally.misses


def test_fresh26_and_fresh27_read_as_classes_keep_their_recall() -> None:
    """fresh26 and fresh27 (tests/data/real_fresh26.yaml, real_fresh27.yaml) were collected
    and labelled before any check ran on them and measured blind: 6/24 and 2/19 of the labelled
    passages at the start of stop 26, no false error. Then their misses were read as classes
    (tests/guardrail_rules/test_recall26_shapes.py): 21/24 and 16/19 after, still with no false
    error. A regression guard, not a generalisation figure (fresh28 is that)."""
    for split, total, hits, good_items in (("fresh26", 24, 21, 15), ("fresh27", 19, 16, 8)):
        read = score([item for item in ITEMS if item["split"] == split])
        assert read.tally.count("non_apology", "blame")[1] == total
        assert read.tally.count("non_apology", "blame")[0] >= hits, read.tally.misses
        assert read.good_items == good_items
        assert read.good_with_error == 0, read.tally.misses


def test_fresh28_fresh29_and_fresh30a_read_as_classes_keep_their_recall() -> None:
    """fresh28 and fresh29 were measured blind after stop 26 (12/23 and 5/13, 1 false error on
    32 clean items, the same as on the code before stop 26), and fresh30a, half of a batch
    split at random before any check, blind at the start of stop 27 (3/16, 2 false errors on
    15). Their misses and false errors were then read as classes
    (tests/guardrail_rules/test_recall27_shapes.py): 26/36 and 14/16 after, no false error. A
    regression guard, not a generalisation figure (fresh30b is that)."""
    for splits, total, hits, good_items in (
        (("fresh28", "fresh29"), 36, 26, 32),
        (("fresh30a",), 16, 14, 15),
    ):
        read = score([item for item in ITEMS if item["split"] in splits])
        assert read.tally.count("non_apology", "blame")[1] == total
        assert read.tally.count("non_apology", "blame")[0] >= hits, read.tally.misses
        assert read.good_items == good_items
        assert read.good_with_error == 0, read.tally.misses


# Batches collected and labelled before any check ran on them, measured once, blind, and
# never tuned on: (split, labelled passages, passages that drew an error of their family,
# items with an error of the family anywhere, real clean items, clean items with a false
# error).
# - fresh30b (tests/data/real_fresh30.yaml, split fresh30b) is half of fresh30, split at
#   random before either half was checked; measured blind at the start of stop 27: 7/16 (8/16
#   per message), 1 false error on 16; measured once more after every rule of stop 27 landed
#   (d4b639c): the same 7/16, 8/16 and 1 false error, so the rules read from fresh28, fresh29
#   and fresh30a added nothing on this half. Read as classes in stop 28, after fresh31 was
#   collected to take its place as the blind batch (guarded below as a read batch).
# - fresh31 (tests/data/real_fresh31.yaml) was collected and labelled at the start of stop 28,
#   before any check; measured once before any rule of stop 28: 12/33 (13/31 per message), no
#   false error on 30; and once after every rule of stop 28 landed (152b72d): 13/33 (14/31 per
#   message), no false error. The class rules read from fresh30b (7/16 -> 14/16) and the older
#   misses moved fresh31 by one passage. Read in stop 29 (its misses studied by structure);
#   its entry below stays as the floor it held while blind.
# - fresh32 (tests/data/real_fresh32.yaml) was collected and labelled in stop 29 by a session
#   that had not read the rules, packs or shape tests and ran no check on it; kept outside the
#   tree while the rules of stop 29 were written. Measured with the guardrails of ce6808e (the
#   start of stop 29): 10/43 (11/41 per message), 3 false errors on 29; and after every rule of
#   stop 29 landed: 11/43 (12/41 per message), the same 3 false errors. The structural readings
#   written from fresh31 (13/33 -> 28/33 there) moved this batch by one passage. Read in stop
#   30 (guarded below as a read batch); its entry here stays as the floor it held while blind.
# - fresh33 (tests/data/real_fresh33.yaml) was collected and labelled at the start of stop 30
#   by a session that had not read the rules, packs or shape tests and ran no check on it;
#   kept outside the tree while stop 30's rules were written. Measured with the guardrails of
#   38ddaf2 (the start of stop 30): 14/61 (14/41 per message), 4 false errors on 30; and after
#   every rule of stop 30 landed (f6ae041, which took fresh32 from 11/43 to 38/43): the same
#   14/61, 14/41 and 4 false errors. Read in stop 31 (guarded below as a read batch); its entry
#   here stays as the floor it held while blind.
# - fresh34 (tests/data/real_fresh34.yaml) was collected and labelled at the start of stop 31
#   by a session that had not read the rules, packs or shape tests and ran no check on it;
#   kept outside the tree while stop 31's rules were written. Measured with the guardrails of
#   571dad1 (the start of stop 31): 9/77 (9/46 per message), 4 false errors on 29; and after
#   every rule of stop 31 landed (55629eb, after fresh33 went from 14/61 to 56/61): the same
#   9/77, 9/46 and 4 false errors. Read in stop 32 (guarded below as a read batch); its entry
#   here stays as the floor it held while blind.
# - fresh35 (tests/data/real_fresh35.yaml) was collected and labelled at the start of stop 32
#   the same way and kept outside the tree while stop 32's rules were written. Measured with the
#   guardrails of 73c5af6 (the start of stop 32): 15/95 (16/45 per message), 4 false errors on
#   31; and after every rule of stop 32 landed (7feccb1, after fresh34 went from 9/77 to 40/77):
#   15/95, 17/45 and 4 false errors. Blind: not read.
BLIND_FIGURES = [
    ("fresh31", 33, 13, 14, 30, 0),
    ("fresh32", 43, 11, 12, 29, 3),
    ("fresh33", 61, 14, 14, 30, 4),
    ("fresh34", 77, 9, 9, 29, 4),
    ("fresh35", 95, 15, 17, 31, 4),
]


@pytest.mark.parametrize(
    ("split", "total", "hits", "message_hits", "good_items", "good_with_error"),
    BLIND_FIGURES,
    ids=[figures[0] for figures in BLIND_FIGURES],
)
def test_a_blind_batch_holds_its_measured_figures(
    split: str, total: int, hits: int, message_hits: int, good_items: int, good_with_error: int
) -> None:
    """Both directions are guarded: the hits must not drop, the false errors must not grow."""
    blind = score([item for item in ITEMS if item["split"] == split])
    assert blind.tally.count("non_apology", "blame")[1] == total
    assert blind.tally.count("non_apology", "blame")[0] >= hits, blind.tally.misses
    assert blind.message_hits >= message_hits, blind.tally.misses
    assert blind.good_items == good_items
    assert blind.good_with_error <= good_with_error, blind.tally.misses


# Batches blind until a later stop, then read: (split, labelled passages, passages that must
# keep drawing an error of their family, real clean items). None may draw a false error.
# - fresh30b: blind through stop 27 (7/16 before and after its rules, 1 false error on 16),
#   then read as classes in stop 28 (tests/guardrail_rules/test_recall28_shapes.py): a group
#   defined by its belief apologised to, the share restored told instead of the harm, failure
#   by nature, effort as the defence, the cause shared with the trade, told wrong by others,
#   and an accident owned that read as an intent defence. 13/16 after.
# - fresh31: blind through stop 28 (12/33 before its rules, 13/33 after, no false error on
#   30), then read in stop 29 with its misses grouped by what makes each a non-apology
#   (tests/guardrail_rules/test_recall29_shapes.py): the agent of a reason clause in any verb
#   form, an outside cause as the subject of "means that", everyone else's trouble, the
#   reader's act judged, the staff's failing as a state, a campaign against us, the share that
#   went well or an improvement told instead, an admission turned into its justification.
#   28/33 after.
# - fresh32: blind through stop 29 (10/43 before its rules, 11/43 after, 3 false errors on 29),
#   then read in stop 30 (tests/guardrail_rules/test_recall30_shapes.py): the three false errors
#   fixed where the reading missed what the writer owned, and the misses grouped as classes
#   (what the reader went through as the object, good news told instead, another party's side
#   or decision, the reader's character and repeated acts judged, outside causes declared
#   beyond us, an attacker, another customer's act; the writer's feeling set beside the
#   reader's). 38/43 after, no false error.
# - fresh33: blind through stop 30 (14/61 before and after its rules, 4 false errors on 30), then
#   read in stop 31 (tests/guardrail_rules/test_recall31_shapes.py): the four false errors fixed
#   where the reading missed what the writer owned (a failing of its own running, its own
#   checks judged, an admission as what matters more, its causing of a feeling beside a
#   failure owned) or took the wait for a cause; then its misses grouped as classes (the
#   apology as a condition's consequence, intent denied against anyone, the feeling caused by no
#   one, most people unaffected or behaving well, the volume that went well, effort and
#   helplessness as the defence, what things of its kind tend to do, another party's wrong
#   setting or decision, the reader's party and expectations judged, the account called untrue,
#   and a failure with no doer in a message that neither owns nor apologises). 56/61 after.
# - fresh34: blind through stop 31 (9/77 before and after its rules, 4 false errors on 29), then
#   read in stop 32 (tests/guardrail_rules/test_recall32_shapes.py): the four false errors fixed
#   where the reading missed what the writer owned (its own part admitted, its own conduct as
#   the apology's object, a failure of forethought after an intent denial, its own running
#   judged short) or took an outcome ("affected the result of the match") for a cause; then its
#   misses grouped as classes (the condition with the wish to apologise, the apology addressed
#   to a group marked by a hedge or a reaction, the aim, ill will and hindsight denied, the
#   charge denied by character, failure called inevitable, the share still served, effort as
#   the defence, a shortage suffered or a rising trouble as the frame, others' verdict, decision
#   or word relied on, one person's refusal, trouble guessed at another, a regrettable run of
#   events). 40/77 after.
# Regression guards, not generalisation figures: the next blind batch is measured outside the
# tree.
READ_LATER = [
    ("fresh30b", 16, 13, 16),
    ("fresh31", 33, 28, 30),
    ("fresh32", 43, 38, 29),
    ("fresh33", 61, 56, 30),
    ("fresh34", 77, 40, 29),
]


@pytest.mark.parametrize(
    ("split", "total", "hits", "good_items"),
    READ_LATER,
    ids=[figures[0] for figures in READ_LATER],
)
def test_a_batch_read_later_keeps_its_recall(
    split: str, total: int, hits: int, good_items: int
) -> None:
    read = score([item for item in ITEMS if item["split"] == split])
    assert read.tally.count("non_apology", "blame")[1] == total
    assert read.tally.count("non_apology", "blame")[0] >= hits, read.tally.misses
    assert read.good_items == good_items
    assert read.good_with_error == 0, read.tally.misses


def test_fresh22_read_keeps_its_elements_and_precision() -> None:
    """fresh22 was held out through both rounds of rules (2/6, 1 false error, element recall
    0.62 before and after), then read: a failure made with no maker, a right reserved in the
    terms, and ownership in its natural variants ("we let down many of our customers", "fell
    well short", "this was a mistake", "for having sent the wrong amount", "not managed as
    well as it could have been"). A regression guard; its remaining misses are listed in the
    session report."""
    read = score([item for item in ITEMS if item["split"] == "fresh22"])
    assert read.good_with_error == 0, read.tally.misses
    assert read.element_recall >= 0.9, read.tally.misses
    assert read.tally.count("non_apology")[0] >= 3, read.tally.misses


def test_fresh21_read_as_classes_keeps_its_recall() -> None:
    """fresh21 was held out while the fresh20 rules were written (4/11 before and after them),
    then read as classes (the regret told as the situation's quality, the extent shrunk inside
    the apology, the harm weighed against a bigger one, the failure recast as proof, staff
    acting alone, the reader's conduct and choices put forward, a possible cause in general):
    11/11 after. A regression guard; fresh22 is the figure for wording not read."""
    read = score([item for item in ITEMS if item["split"] == "fresh21"])
    assert read.recall >= 0.85, read.tally.misses
    assert read.good_with_error == 0, read.tally.misses


def test_fresh20_read_as_classes_keeps_its_recall() -> None:
    """fresh20 (tests/data/real_fresh20.yaml) was measured blind once (8/18 of the labelled
    words, 3 false errors on 33 clean items, element recall 0.75), then its misses and false
    errors were read as classes (intent by tense and object, a feeling alone, the upset
    addressed first, the writer's own name without control, the reader as the cause, another
    party's failing apologised for, blame inside an open condition, element variants): 17/18
    after, with no false error. A regression guard, not a generalisation figure."""
    read = score([item for item in ITEMS if item["split"] == "fresh20"])
    assert read.recall >= 0.85, read.tally.misses
    assert read.good_with_error == 0, read.tally.misses
    assert read.element_recall >= 0.9, read.tally.misses
