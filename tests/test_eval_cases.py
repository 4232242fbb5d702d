"""Eval cases: errors name the file, the suite covers the catalog, references are sound."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from contract.catalog import get_catalog
from contract.report import GuardrailReport
from eval.cases import CASES_DIR, CaseFileError, EvalCase, load_case, load_cases
from eval.facts import check_facts
from eval.metrics import gate_metrics

CASES = load_cases()
GOOD = yaml.safe_load((CASES_DIR / "delayed_delivery.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def _with(**changes: object) -> dict[str, object]:
    data = dict(GOOD)
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_with(surprise=1), "surprise: Extra inputs are not permitted"),
        (_with(references=[]), "references: List should have at least 1 item"),
        (_with(references=["a", "b", "c", "d"]), "references: List should have at most 3"),
        (_with(request={**GOOD["request"], "scenario": "lost_parrot"}), "unknown scenario"),
        (_with(request={**GOOD["request"], "channel": "fax"}), "request.channel"),
        (_with(facts={"must_state": ["x"], "should_state": ["y"]}), "facts.should_state"),
        (_with(thresholds={"rouge_l": 2}), "thresholds.rouge_l"),
        (_with(thresholds={"rouge": 0.2}), "thresholds.rouge"),
        (_with(id="other_id"), "must match the file name"),
        ("id: [unclosed", "cannot read"),
        ("- just\n- a list\n", "expected a mapping"),
    ],
)
def test_a_bad_case_fails_with_its_file_name(tmp_path: Path, data: object, expected: str) -> None:
    path = _write(tmp_path, "delayed_delivery", data)
    with pytest.raises(CaseFileError) as raised:
        load_case(path)
    assert str(raised.value).startswith("delayed_delivery.yaml: ")
    assert expected in str(raised.value)


def test_loading_a_directory_stops_at_the_first_bad_file(tmp_path: Path) -> None:
    _write(tmp_path, "delayed_delivery", GOOD)
    _write(tmp_path, "zz_broken", _with(id="zz_broken", references="not a list"))
    with pytest.raises(CaseFileError, match=r"^zz_broken\.yaml: references"):
        load_cases(tmp_path)


def test_unknown_case_ids_and_empty_directories_are_errors(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="no case files"):
        load_cases(tmp_path)
    with pytest.raises(CaseFileError, match="unknown case id"):
        load_cases(only=["delayed_delivery", "no_such_case"])
    assert [case.id for case in load_cases(only=["wrong_item"])] == ["wrong_item"]


def test_thresholds_remember_which_keys_a_case_set(tmp_path: Path) -> None:
    case = load_case(_write(tmp_path, "delayed_delivery", _with(thresholds={"chrf": 40})))
    assert case.thresholds.chrf == 40
    assert case.thresholds.model_fields_set == {"chrf"}


# --- coverage rules, read from the files ------------------------------------------------------


def test_every_catalog_scenario_has_a_case() -> None:
    scenarios = {key for key in get_catalog().scenarios if key != "custom"}
    assert len(scenarios) == 25
    assert scenarios <= {case.request.scenario for case in CASES}


def test_at_least_ten_more_cases_include_custom_incidents() -> None:
    assert len(CASES) >= 35
    assert len(CASES) - 25 >= 10
    assert sum(case.request.scenario == "custom" for case in CASES) >= 5


@pytest.mark.parametrize(
    ("dimension", "catalog_keys"),
    [
        ("channel", lambda: set(get_catalog().channels)),
        ("tone", lambda: set(get_catalog().tones)),
        ("liability", lambda: set(get_catalog().postures)),
        ("strategies", lambda: set(get_catalog().strategies)),
    ],
)
def test_every_channel_tone_posture_and_strategy_is_covered(
    dimension: str, catalog_keys: object
) -> None:
    used: set[str] = set()
    for case in CASES:
        value = getattr(case.request, dimension)
        used |= set(value) if isinstance(value, list) else {value}
    wanted = catalog_keys()  # type: ignore[operator]
    assert wanted - used == set(), f"no case uses {dimension} {sorted(wanted - used)}"


def test_the_catalog_dimensions_are_the_expected_size() -> None:
    catalog = get_catalog()
    assert (len(catalog.channels), len(catalog.tones), len(catalog.strategies)) == (6, 8, 8)
    assert set(catalog.postures) == {"standard", "cautious"}


def test_every_case_states_facts_and_forbids_something() -> None:
    for case in CASES:
        assert case.facts.must_state, case.id
        assert case.facts.must_not_state, case.id


def test_cases_with_an_amount_or_code_require_it_on_private_channels() -> None:
    for case in CASES:
        if get_catalog().channels[case.request.channel].public:
            continue
        wanted = [r.amount for r in case.request.remedies if r.amount]
        wanted += [r.code for r in case.request.remedies if r.code]
        stated = {item if isinstance(item, str) else item[0] for item in case.facts.must_state}
        flat = " ".join(stated)
        for value in wanted:
            assert value in flat, f"{case.id}: {value} is authorised but not in must_state"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_each_reference_passes_its_own_fact_and_channel_gates(case: EvalCase) -> None:
    """A reference is a good draft for exactly that request, so the gates must accept it."""
    for index, reference in enumerate(case.references):
        facts = check_facts(reference, case.facts, case.request)
        assert (facts.missing, facts.forbidden, facts.unsupported) == ([], [], []), index
        report = GuardrailReport(passed=True, elements=[], findings=[])
        limits = {m.name: m for m in gate_metrics(case, None, reference, report)}
        assert limits["channel_limits"].status == "pass", (index, limits["channel_limits"].detail)
