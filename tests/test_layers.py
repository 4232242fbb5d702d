"""Imports run one way: `contract` ← `guardrails`, `prompts` ← `service` ← `eval`.

Every `import` and `from ... import` in the packages is parsed (at any depth: inside functions
and under `if TYPE_CHECKING:` too), so an upward or sideways import fails here, naming the file
and line, whether or not it would run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

LAYERS: dict[str, int] = {"contract": 0, "guardrails": 1, "prompts": 1, "service": 2, "eval": 3}
"""A package may import its own modules and packages on a lower layer, never one on its own
layer or above: `guardrails` and `prompts` are siblings and do not know each other."""


def imported_packages(source: str) -> list[tuple[int, str]]:
    """(line, top-level package) for every absolute import in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def violations(package: str, source: str, where: str) -> list[str]:
    """The imports in `source` (a module of `package`) that point up or sideways."""
    problems = []
    for line, target in imported_packages(source):
        if target == package or target not in LAYERS:
            continue
        if LAYERS[target] >= LAYERS[package]:
            problems.append(
                f"{where}:{line}: {package} (layer {LAYERS[package]}) imports "
                f"{target} (layer {LAYERS[target]})"
            )
    return problems


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_package_imports_only_lower_layers(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no modules found under {package}/"
    problems = [
        problem
        for path in files
        for problem in violations(
            package, path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
        )
    ]
    assert not problems, "\n".join(problems)


def test_no_relative_imports() -> None:
    """Relative imports would slip past the check above; the project does not use them."""
    relative = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for package in LAYERS
        for path in sorted((ROOT / package).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    assert not relative, relative


@pytest.mark.parametrize(
    ("package", "source", "offender"),
    [
        ("contract", "from guardrails.checker import check\n", "guardrails"),
        ("guardrails", "if TYPE_CHECKING:\n    from service.models import X\n", "service"),
        ("guardrails", "def f():\n    import prompts.render\n", "prompts"),
        ("prompts", "from service.providers.base import Completion\n", "service"),
        ("service", "import eval.cli\n", "eval"),
    ],
)
def test_an_upward_or_sideways_import_is_caught(package: str, source: str, offender: str) -> None:
    problems = violations(package, source, "example.py")
    assert len(problems) == 1 and f"imports {offender}" in problems[0]


def test_downward_imports_pass() -> None:
    source = "from contract.models import DraftRequest\nimport guardrails\nfrom service import x\n"
    assert violations("eval", source, "example.py") == []
