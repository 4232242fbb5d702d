"""The `amends` command: each subcommand reads the API's JSON from a file or stdin, prints a
readable result or `--json`, and exits with a code a script can act on."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from contract.models import DraftRequest
from service.cli import main


@pytest.fixture
def northwind(northwind_request: DraftRequest) -> dict[str, Any]:
    return northwind_request.model_dump(mode="json")


def _write(tmp_path: Path, name: str, payload: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(payload) if not isinstance(payload, str) else payload)
    return str(path)


def test_draft_prints_a_readable_letter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], northwind: dict[str, Any]
) -> None:
    assert main(["draft", _write(tmp_path, "r.json", northwind)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Subject: ") and "NW-48213" in out
    assert "guardrails: passed" in out and "meta: offline/composer" in out


def test_draft_reads_stdin_and_prints_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], northwind: dict[str, Any]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(northwind)))
    assert main(["draft", "-", "--json"]) == 0
    draft = json.loads(capsys.readouterr().out)
    assert draft["guardrails"]["passed"] and "SORRY15" in draft["body"]


def test_rewrite_applies_the_command_line_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], northwind: dict[str, Any]
) -> None:
    main(["draft", _write(tmp_path, "r.json", northwind), "--json"])
    draft = json.loads(capsys.readouterr().out)
    rewrite = {"draft": {"subject": draft["subject"], "body": draft["body"]}, "context": northwind}
    code = main(["rewrite", _write(tmp_path, "w.json", rewrite), "--channel", "sms", "--json"])
    assert code == 0
    rewritten = json.loads(capsys.readouterr().out)
    assert rewritten["channel"] == "sms" and len(rewritten["body"]) <= 320


@pytest.mark.parametrize(
    ("body", "exit_code", "needle"),
    [
        ("Hi Sam, we were negligent and we are sorry. Best, Kim", 1, "FAILED"),
        (
            "Dear Sam,\n\nWe are sorry that your order A-1 arrived late; we take full "
            "responsibility. We have refunded the delivery fee and added a second check "
            "at packing to help prevent a repeat. Reply to this email with any questions.\n\n"
            "Thank you for your patience.\n\nKind regards,\nKim Lee\nAcme",
            0,
            "passed",
        ),
    ],
)
def test_check_exits_with_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, exit_code: int, needle: str
) -> None:
    request = {"subject": "Your order A-1", "body": body, "channel": "email"}
    assert main(["check", _write(tmp_path, "c.json", request)]) == exit_code
    assert needle in capsys.readouterr().out


def test_catalog_lists_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--json"]) == 0
    catalog = json.loads(capsys.readouterr().out)
    assert len(catalog["scenarios"]) >= 26 and len(catalog["strategies"]) == 8


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ({"incident": {"summary": "x"}, "tone": "sarcastic"}, "tone: unknown tone"),
        ({"incident": {}}, "incident.summary: Field required"),
        ("{not json", "body: not valid JSON (key must be a string at line 1 column 2)"),
    ],
)
def test_bad_input_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], payload: Any, needle: str
) -> None:
    assert main(["draft", _write(tmp_path, "bad.json", payload)]) == 2
    assert needle in capsys.readouterr().err


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draft", "/nonexistent/request.json"]) == 2
    assert "cannot read /nonexistent/request.json" in capsys.readouterr().err


def test_a_draft_rewrite_and_check_enter_the_configured_store_like_the_apis(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    northwind: dict[str, Any],
) -> None:
    from service.settings import get_settings
    from service.store import Store

    monkeypatch.setenv("AMENDS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    assert main(["draft", _write(tmp_path, "r.json", northwind), "--json"]) == 0
    draft = json.loads(capsys.readouterr().out)
    rewrite = {"draft": {"subject": draft["subject"], "body": draft["body"]}, "context": northwind}
    assert main(["rewrite", _write(tmp_path, "w.json", rewrite), "--channel", "sms"]) == 0
    readable = capsys.readouterr().out
    rewritten_id = readable.rsplit("recorded as ", 1)[1].split(";")[0].strip()
    check = {"body": "We are sorry if you felt upset."}
    assert main(["check", _write(tmp_path, "c.json", check)]) == 1
    check_id = capsys.readouterr().out.rsplit("recorded as ", 1)[1].strip()

    store = Store.open(f"sqlite+pysqlite:///{tmp_path / 'data' / 'amends.db'}")
    try:
        found = {
            name: store.get_record(record_id)
            for name, record_id in [
                ("draft", draft["meta"]["id"]),
                ("rewrite", rewritten_id),
                ("check", check_id),
            ]
        }
    finally:
        store.close()
    kinds = {name: None if f is None else (f[0].kind, f[0].passed) for name, f in found.items()}
    assert kinds == {
        "draft": ("draft", True),
        "rewrite": ("rewrite", True),
        "check": ("check", False),
    }
    assert found["draft"] is not None and found["draft"][0].body == draft["body"]


def test_without_a_configured_store_the_cli_writes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    northwind: dict[str, Any],
) -> None:
    from service.settings import get_settings

    monkeypatch.delenv("AMENDS_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    get_settings.cache_clear()
    assert main(["draft", _write(tmp_path, "r.json", northwind), "--json"]) == 0
    draft = json.loads(capsys.readouterr().out)
    assert draft["meta"]["id"] is None
    assert not (tmp_path / "xdg").exists()
