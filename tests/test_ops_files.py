"""The operator's files: the alert rules under `promtool test rules`, the Prometheus config, the
compose file and the Dockerfile (no container engine runs here, so they are checked as files:
every path they name exists, every setting they pass is one the service reads)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from service.settings import Settings

ROOT = Path(__file__).parent.parent
PROMETHEUS = ROOT / "ops" / "prometheus"


def _promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must test the alert rules, but promtool is not installed")
        pytest.skip("promtool is not installed (Debian: apt-get install prometheus)")
    return found


@pytest.mark.parametrize(
    "args",
    [
        ["check", "rules", "alerts.yml"],
        ["check", "config", "prometheus.yml"],
        ["test", "rules", "alerts.test.yml"],
    ],
    ids=["rules-valid", "config-valid", "rules-fire-and-stay-quiet"],
)
def test_promtool(args: list[str]) -> None:
    result = subprocess.run(
        [_promtool(), *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_has_a_firing_and_a_quiet_test() -> None:
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text(encoding="utf-8"))
    alerts = {r["alert"] for g in rules["groups"] for r in g["rules"]}
    tests = yaml.safe_load((PROMETHEUS / "alerts.test.yml").read_text(encoding="utf-8"))
    fires: set[str] = set()
    quiet: set[str] = set()
    for case in tests["tests"]:
        for check in case["alert_rule_test"]:
            (fires if check["exp_alerts"] else quiet).add(check["alertname"])
    assert alerts == fires == quiet
    assert len(alerts) >= 5


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def test_compose_runs_the_service_with_postgresql_and_prometheus() -> None:
    services = _compose()["services"]
    assert set(services) == {"amends", "postgres", "prometheus"}
    amends = services["amends"]
    env = amends["environment"]
    fields = set(Settings.model_fields)
    for name in env:
        assert name.startswith("AMENDS_") and name.removeprefix("AMENDS_").lower() in fields, name
    assert "@postgres:5432/" in env["AMENDS_DATABASE_URL"]
    assert amends["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert amends["build"] == "."

    prometheus = services["prometheus"]
    source, target = prometheus["volumes"][0].split(":")[:2]
    assert (ROOT / source).resolve() == PROMETHEUS
    config_flag = next(a for a in prometheus["command"] if a.startswith("--config.file="))
    assert Path(config_flag.split("=", 1)[1]).parent == Path(target)
    scrape = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text(encoding="utf-8"))
    job = scrape["scrape_configs"][0]
    assert job["dns_sd_configs"][0]["names"] == ["amends"]
    assert job["dns_sd_configs"][0]["port"] == 8000


def test_the_dockerfile_copies_what_exists_and_runs_the_installed_command() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copies = re.findall(r"^COPY (.+) \S+$", text, flags=re.M)
    assert copies
    for line in copies:
        for source in line.split():
            assert (ROOT / source).exists(), f"COPY {source}: no such path"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = {s for line in copies for s in line.split() if (ROOT / s).is_dir()}
    assert packages <= copied, f"packages not copied into the image: {packages - copied}"
    assert 'CMD ["amends", "serve"]' in text and "amends" in project["project"]["scripts"]
    assert "AMENDS_HOST=0.0.0.0" in text and "EXPOSE 8000" in text
