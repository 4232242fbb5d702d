"""Measure the guardrails on real public text: `tests/guardrail_rules/corpus/real.yaml` and the
later batches kept as their own files under `tests/data/real_*.yaml` (same fields).

Run with `.venv/bin/python benchmarks/real_corpus.py` (add `--misses` to list every miss and
false error in the tuning part). Prints, overall and for the tuning and held-out parts of the
corpus:

- recall on real non-apologies and blame: the share of those items that draw an error of the
  labelled family on the offending words;
- the same recall counted per message: an error of the labelled family anywhere in the item
  (a letter that is stopped, though perhaps on other words than the labelled ones);
- placeholder recall, counted the same way;
- false errors per 25 real good apologies: good apologies and support replies that draw an
  error from the non_apology, blame or placeholder family, scaled to 25 items;
- element recall: the share of labelled (item, element) pairs the check finds present.

Every item is checked on its own as an email body with no request context. Team-written hard
negatives are reported separately and never count as real text.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Keep `import guardrails` pointing at the package, not at benchmarks/guardrails.py.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from guardrails import GuardrailReport, check  # noqa: E402

CORPUS = ROOT / "tests" / "guardrail_rules" / "corpus" / "real.yaml"
BATCHES = sorted((ROOT / "tests" / "data").glob("real_*.yaml"))
"""Later batches, one file each (`real_fresh20.yaml`...), read after `CORPUS`."""

MUST_FLAG = ("non_apology", "blame", "placeholder")
"""Kinds whose items must draw an error of the labelled family."""
MUST_BE_CLEAN = ("good_apology", "support_reply", "hard_negative", "generic")
"""Kinds whose items must draw no error from the families in `MUST_FLAG`."""
REAL_GOOD = ("good_apology", "support_reply", "generic")
"""The real (not team-written) items that false errors are counted on."""


def load_items(path: Path | None = None) -> list[dict[str, Any]]:
    """The items of one corpus file, or of the main corpus and every batch file."""
    paths = [path] if path is not None else [CORPUS, *BATCHES]
    items: list[dict[str, Any]] = []
    for p in paths:
        items += yaml.safe_load(p.read_text(encoding="utf-8"))
    return items


def family(rule: str) -> str:
    return rule.split(".")[0]


def flagged(report: GuardrailReport, text: str, fam: str, excerpt: str) -> bool:
    """An error of family `fam` overlaps the excerpt where it occurs in the text."""
    at = text.find(excerpt)
    if at < 0:
        raise ValueError(f"corpus error: {excerpt!r} is not in {text!r}")
    end = at + len(excerpt)
    return any(
        f.severity == "error" and family(f.rule) == fam and f.start < end and f.end > at
        for f in report.findings
    )


def false_errors(report: GuardrailReport) -> list[str]:
    """Errors a clean item must not draw: the rules of the families the corpus measures."""
    return [
        f"{f.rule}: {f.excerpt!r}"
        for f in report.findings
        if f.severity == "error" and family(f.rule) in MUST_FLAG
    ]


@dataclass
class Tally:
    """Hits out of totals for one part of the corpus, with the misses named."""

    hits: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, key: str, hit: bool, miss: str) -> None:
        self.totals[key] = self.totals.get(key, 0) + 1
        self.hits[key] = self.hits.get(key, 0) + int(hit)
        if not hit:
            self.misses.append(f"[{key}] {miss}")

    def ratio(self, *keys: str) -> float:
        total = sum(self.totals.get(k, 0) for k in keys)
        return sum(self.hits.get(k, 0) for k in keys) / total if total else float("nan")

    def count(self, *keys: str) -> tuple[int, int]:
        return (
            sum(self.hits.get(k, 0) for k in keys),
            sum(self.totals.get(k, 0) for k in keys),
        )


@dataclass
class Scores:
    """The figures for one part of the corpus."""

    tally: Tally
    good_items: int
    good_with_error: int
    hard_items: int
    hard_with_error: int
    message_hits: int = 0
    message_items: int = 0

    @property
    def recall(self) -> float:
        """Non-apologies and blame that draw an error on the offending words."""
        return self.tally.ratio("non_apology", "blame")

    @property
    def message_recall(self) -> float:
        """Non-apologies and blame with an error of the labelled family anywhere in the item."""
        return self.message_hits / self.message_items if self.message_items else float("nan")

    @property
    def false_errors_per_25(self) -> float:
        return 25 * self.good_with_error / self.good_items if self.good_items else float("nan")

    @property
    def element_recall(self) -> float:
        return self.tally.ratio(*[k for k in self.tally.totals if k.startswith("element:")])


def score(items: list[dict[str, Any]]) -> Scores:
    tally = Tally()
    good_items = good_with_error = hard_items = hard_with_error = 0
    message_hits = message_items = 0
    for item in items:
        text: str = item["text"]
        report = check(text, channel="email")
        kind: str = item["kind"]
        if kind in MUST_FLAG:
            for label in item["flag"]:
                hit = flagged(report, text, label["family"], label["excerpt"])
                got = [(f.rule, f.excerpt) for f in report.errors if family(f.rule) != "elements"]
                tally.add(label["family"], hit, f"{item['id']}: {text!r} -> {got}")
            if kind != "placeholder":
                families = {label["family"] for label in item["flag"]}
                message_items += 1
                message_hits += any(
                    f.severity == "error" and family(f.rule) in families for f in report.findings
                )
        elif kind in MUST_BE_CLEAN:
            wrong = false_errors(report)
            if kind == "hard_negative":
                hard_items += 1
                hard_with_error += bool(wrong)
            else:
                good_items += 1
                good_with_error += bool(wrong)
            if wrong:
                tally.misses.append(f"[false error] {item['id']}: {text!r} -> {wrong}")
        else:
            raise ValueError(f"corpus error: unknown kind {kind!r} in {item['id']}")
        present = {e.element for e in report.elements if e.present}
        for element in item.get("elements", []):
            tally.add(f"element:{element}", element in present, f"{item['id']}: {text!r}")
    return Scores(
        tally, good_items, good_with_error, hard_items, hard_with_error, message_hits, message_items
    )


def describe(name: str, scores: Scores) -> str:
    t = scores.tally
    na, bl, ph = t.count("non_apology"), t.count("blame"), t.count("placeholder")
    hit, total = t.count("non_apology", "blame")
    elements = sorted(k for k in t.totals if k.startswith("element:"))
    lines = [
        f"{name}:",
        f"  recall, non-apology + blame:   {scores.recall:.2f} ({hit}/{total};"
        f" non_apology {na[0]}/{na[1]}, blame {bl[0]}/{bl[1]})",
        f"  recall per message:            {scores.message_recall:.2f}"
        f" ({scores.message_hits}/{scores.message_items}; an error of the family anywhere)",
        f"  placeholder recall:            {t.ratio('placeholder'):.2f} ({ph[0]}/{ph[1]})",
        f"  false errors per 25 good:      {scores.false_errors_per_25:.2f}"
        f" ({scores.good_with_error} of {scores.good_items} real good apologies and replies)",
        f"  team hard negatives with error: {scores.hard_with_error} of {scores.hard_items}",
        f"  element recall:                {scores.element_recall:.2f} ("
        + ", ".join(f"{k[8:]} {t.hits[k]}/{t.totals[k]}" for k in elements)
        + ")",
    ]
    return "\n".join(lines)


SPLITS: dict[str, str] = {
    "overall": "overall",
    "tune": "tune",
    "heldout": "held-out",
    "fresh": "fresh (labelled after the first rules were written, then tuned on)",
    "fresh2": "fresh2 (labelled before it was first checked, then tuned on)",
    "fresh3": "fresh3 (labelled before it was checked; never tuned on)",
    "fresh4": "fresh4 (split off by a hash of the id before reading; never tuned on)",
    "fresh4_tune": "fresh4_tune (the other half of that batch, tuned on)",
    "fresh5": "fresh5 (held out by a hash of the id; misses read for the structural rules)",
    "fresh5_tune": "fresh5_tune (the other half of that batch, tuned on)",
    "fresh6": "fresh6 (held out after fresh5 was tuned; misses read for the structural rules)",
    "fresh6_tune": "fresh6_tune (the other half of that batch, tuned on)",
    "fresh7": (
        "fresh7 (labelled before any check; 0.06 before and 0.53 after the structural rules,"
        " then its misses were read and tuned on)"
    ),
    "fresh8": (
        "fresh8 (labelled before any check; 0.17 before the narrative outside-cause rule, which"
        " was written from its misses)"
    ),
    "fresh9": (
        "fresh9 (collected before the narrative outside-cause rule, labelled before any check)"
    ),
    "fresh10": (
        "fresh10 (collected and labelled before any check, split from fresh11 by a hash of the"
        " id; tuned on)"
    ),
    "fresh11": (
        "fresh11 (the other part of that batch: held out, measured once before and once after"
        " the rules)"
    ),
    "fresh12": (
        "fresh12 (collected and labelled before any check, held out; measured blind, then once"
        " after the ownership-based explanation rule)"
    ),
    "fresh13": (
        "fresh13 (collected and labelled before any check; measured blind once, then its misses"
        " were read with those of fresh7-12 for the rules of guards8)"
    ),
    "fresh14": (
        "fresh14 (collected and labelled after the rules of guards8 landed, before any check;"
        " measured blind once)"
    ),
    "fresh15": (
        "fresh15 (collected and labelled by someone who ran no check on it, after the last rule"
        " of that round landed; measured blind once (0.52), then split by a hash of the id: one"
        " half tuned on, the other measured once held out (0.80 before and after), then read)"
    ),
    "fresh16": (
        "fresh16 (collected and labelled by someone who ran no check on it and read no rule;"
        " measured blind before (0.20) and after (0.22) the rules of that session; then its"
        " misses and false errors were read as classes and tuned on)"
    ),
    "fresh17": (
        "fresh17 (102 public statements, quoted non-apologies, GitHub replies and support tweets,"
        " collected and labelled by someone who ran no check on it and read no rule; measured"
        " blind before (0.22) and after (0.22) the rules of that session; then its misses and"
        " false errors were read as classes and tuned on)"
    ),
    "fresh19": (
        "fresh19 (collected and labelled by someone who ran no check on it and read no rule,"
        " after fresh16 and fresh17 were read; measured blind)"
    ),
    "fresh20": (
        "fresh20 (tests/data/real_fresh20.yaml: 51 statements, reply templates, social replies and"
        " quoted non-apologies, collected and labelled before any check; measured blind once"
        " (0.44, 3 false errors, element recall 0.75), then read as classes and tuned on)"
    ),
    "fresh21": (
        "fresh21 (tests/data/real_fresh21.yaml: 28 statements, help pages and refusal templates,"
        " collected and labelled after the rules written from fresh20 landed, before any check;"
        " held out: 0.36 before and after those rules; then read as classes and tuned on)"
    ),
    "fresh22": (
        "fresh22 (tests/data/real_fresh22.yaml: 20 telecom, billing and festival statements and"
        " letters, collected and labelled after fresh21 was measured, before any check; held out:"
        " measured blind before (0.33) and after (0.33) the rules written from fresh21's misses;"
        " then read: 0.50 after its own)"
    ),
    "fresh23": (
        "fresh23 (tests/data/real_fresh23.yaml: 12 gym, cruise and water company statements and"
        " help pages, collected and labelled after the last rules of session 11 landed; held out:"
        " measured once, 1/7, the same as on the code before that session; read in stop 25: 6/7)"
    ),
    "fresh24": (
        "fresh24 (tests/data/real_fresh24.yaml: 32 airline, ticketing, courier, breach, restaurant"
        " and shop statements and replies, utility help pages and company apologies, collected and"
        " labelled before any check; held out: measured once, 2/15, 1 false error on 17; read in"
        " stop 25: 10/15, no false error)"
    ),
    "fresh25": (
        "fresh25 (tests/data/real_fresh25.yaml: 41 council, rail, broadband, festival, school and"
        " brand statements, replies, status and help pages, collected and labelled before any"
        " check; measured once blind, 7/27, 3 false errors on 16; then read in stop 25: 19/27,"
        " 1 false error)"
    ),
    "fresh26": (
        "fresh26 (tests/data/real_fresh26.yaml: 37 hospital, bank, airport, university, game and"
        " celebrity statements and replies, collected and labelled after stop 25's rules landed,"
        " before any check; held out: measured once, 5/24, no false error on 15 (6/24 at the start"
        " of stop 26); then read as classes in stop 26)"
    ),
    "fresh27": (
        "fresh27 (tests/data/real_fresh27.yaml: 27 football ticketing, supermarket and start-up"
        " statements and replies, collected and labelled after fresh26 was measured, before any"
        " check; held out: measured once, 2/19 (3/19 per message), no false error on 8 (the same at"
        " the start of stop 26); then read as classes in stop 26)"
    ),
    "fresh28": (
        "fresh28 (tests/data/real_fresh28.yaml: 43 telecom, rail, airport, bank and shop"
        " statements, quoted non-apologies and maintainers' GitHub replies, collected and labelled"
        " after stop 26's rules were written, before any check; measured once blind (12/23), then"
        " read as classes in stop 27)"
    ),
    "fresh29": (
        "fresh29 (tests/data/real_fresh29.yaml: 24 water, hospital and police statements and"
        " letters and GitHub replies, collected and labelled after every rule of stop 26 landed"
        " and fresh28 was measured, before any check; measured once blind (5/13, 1 false error),"
        " then read as classes in stop 27)"
    ),
    "fresh30a": (
        "fresh30a (tests/data/real_fresh30.yaml: half of 63 council, utility, telecom, airline,"
        " mayors', footballers', store and GitHub items, collected and labelled before any check"
        " and split at random; measured blind (3/16, 2 false errors), then read as classes)"
    ),
    "fresh30b": (
        "fresh30b (the other half of fresh30, held out: measured blind at the start of stop 27"
        " (7/16, 1 false error) and once after the rules written from fresh28-30a (the same))"
    ),
    "fresh31": (
        "fresh31 (tests/data/real_fresh31.yaml: 61 council, rail, festival, hospital, bank,"
        " courier, retailer and water statements, politicians' apologies, templates and GitHub"
        " replies,"
        " collected and labelled at the start of stop 28 before any check; held out: measured once"
        " before the rules of stop 28 (12/33) and once after (13/33); read in stop 29)"
    ),
    "fresh32": (
        "fresh32 (tests/data/real_fresh32.yaml: 70 chief executives', politicians', hospital,"
        " rail, airline, telecom, games, club, school and council statements and replies,"
        " collected blind in stop 29 by a session that had not read the rules; measured blind"
        " 10/43 before stop 29's rules, 11/43 after; read in stop 30)"
    ),
    "fresh33": (
        "fresh33 (tests/data/real_fresh33.yaml: 71 university, council, housing, hospital, bank,"
        " delivery-app, restaurant and hotel owners', sports bodies', artists', politicians' and"
        " GitHub items, collected blind at the start of stop 30 by a session that had not read the"
        " rules; measured blind 14/61 before stop 30's rules and the same after, 4 false errors on"
        " 30; read in stop 31)"
    ),
    "fresh34": (
        "fresh34 (tests/data/real_fresh34.yaml: 75 museum, publisher, fashion, sport, school,"
        " church, charity, ferry, energy, telecom, chef, concert and GitHub items, collected blind"
        " at the start of stop 31 by a session that had not read the rules; measured blind 9/77"
        " before stop 31's rules and the same after, 4 false errors on 29; read in stop 32)"
    ),
    "fresh35": (
        "fresh35 (tests/data/real_fresh35.yaml: 76 police, university, airport, restaurant,"
        " newspaper correction, author, golf, music, council, water, retail, bank and GitHub items,"
        " collected blind at the start of stop 32 by a session that had not read the rules;"
        " measured blind 15/95 before stop 32's rules and the same after, 4 false errors on 31;"
        " blind, not read)"
    ),
    "fresh18_tune": (
        "fresh18_tune (public replies and statements found while writing class rules from the"
        " issue's classes, labelled before they were checked; tuned on)"
    ),
}
"""Each part of the corpus the report scores (by the items' `split`), named with how it came
about."""


def main(argv: list[str]) -> None:
    items = load_items()
    real = sum(1 for i in items if i["kind"] != "hard_negative")
    print(f"{len(items)} items ({real} real, {len(items) - real} team-written hard negatives)")
    for split, label in SPLITS.items():
        part = items if split == "overall" else [i for i in items if i["split"] == split]
        scores = score(part)
        print(describe(label, scores))
        # Misses are listed for the tuning parts only: the held-out parts stay unread.
        if "--misses" in argv and split.endswith("tune"):
            print("\n".join(f"    {m}" for m in scores.tally.misses))


if __name__ == "__main__":
    main(sys.argv[1:])
