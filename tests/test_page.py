"""The drafting page in a real browser: Playwright drives Debian's Chromium against the app
served by uvicorn on a loopback port. A person's path: fill the form, draft, see a finding
highlighted with its message and suggestion, rewrite the letter to SMS, copy it."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from service.app import create_app
from service.settings import Settings

CHROMIUM = Path(os.environ.get("AMENDS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
    pytest.skip(
        f"no browser at {CHROMIUM}: `apt-get install chromium` (CI installs it)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(Settings(_env_file=None, provider="offline"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert time.monotonic() < deadline, "the app did not start within 120 s"
        assert thread.is_alive(), "the app's server thread died at start-up"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/")
    page.wait_for_selector("#scenario option[value='delayed_delivery']", state="attached")
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _fill_incident(page: Page) -> None:
    page.get_by_label("Scenario").select_option("delayed_delivery")
    page.get_by_label("Tone", exact=True).select_option("warm")
    page.get_by_label("Summary *").fill("The desk lamp ordered on 4 May arrived a week late.")
    page.get_by_label("Reference (order, ticket)").fill("LM-7781")
    page.get_by_label("Cause").fill("a labelling error at our packing station")
    page.get_by_label("Recipient's name").fill("Sam Okafor")
    page.get_by_label("Your name").fill("Lee Marsh")
    page.get_by_label("Organisation", exact=True).fill("Lumen Home")
    page.get_by_role("button", name="Add a remedy").click()
    remedy = page.locator("#remedies .remedy").first
    remedy.get_by_label("Kind").select_option("refund")
    remedy.get_by_label("Status").select_option("done")
    remedy.get_by_label("Description *").fill("refund of the delivery charge")
    remedy.get_by_label("Amount").fill("$6.50")
    page.get_by_role("button", name="Add a prevention step").click()
    step = page.locator("#prevention .prevention").first
    step.get_by_label("Description *").fill("a label check before each parcel is sealed")


def _draft(page: Page) -> str:
    _fill_incident(page)
    page.get_by_role("button", name="Draft the letter").click()
    page.wait_for_selector("#letter:not([hidden])")
    text: str = page.locator("#body-view").inner_text()
    return text


def test_the_form_is_built_from_the_catalog(page: Page, base_url: str) -> None:
    catalog = page.request.get(f"{base_url}/v1/catalog").json()
    scenarios = page.locator("#scenario option").evaluate_all("os => os.map(o => o.value)")
    assert sorted(scenarios) == sorted(s["key"] for s in catalog["scenarios"])
    strategies = page.locator("#strategies input").evaluate_all("cs => cs.map(c => c.value)")
    assert strategies == [s["key"] for s in catalog["strategies"]]
    operations = page.locator("#operations button").evaluate_all(
        "bs => bs.map(b => b.dataset.operation)"
    )
    assert operations == [o["key"] for o in catalog["rewrite_operations"] if o["key"] != "none"]
    page.get_by_label("Scenario").select_option("delayed_delivery")
    assert "incident.reference" in page.locator("#scenario-help").inner_text()


def test_drafts_a_letter_with_every_fact_and_the_evidence_of_each_element(
    page: Page,
) -> None:
    body = _draft(page)
    for fact in ("Sam", "LM-7781", "$6.50"):
        assert fact in body, fact
    assert page.locator("#verdict").inner_text().startswith("Passed")
    for element in ("acknowledgment", "responsibility", "regret", "amends", "prevention"):
        marks = page.locator(f"#body-view mark[data-element='{element}']")
        assert marks.count() >= 1, element
    provider = page.locator("#meta dt", has_text="Provider").locator("xpath=following::dd[1]")
    assert provider.inner_text() == "offline / composer"
    assert page.locator("#meta dt", has_text="Fallback").count() == 1


def test_a_finding_is_highlighted_in_the_text_with_its_message_and_suggestion(
    page: Page,
) -> None:
    _draft(page)
    editor = page.get_by_label("Body", exact=True)
    blame = "The courier is to blame, and this will never happen again."
    editor.fill(f"{editor.input_value()}\n{blame}")
    page.get_by_role("button", name="Check my edits").click()
    mark = page.locator("#body-view mark.finding.error", has_text="never happen again").first
    mark.wait_for()
    assert "guarantee.absolute" in (mark.get_attribute("title") or "")
    assert page.locator("#verdict").inner_text().startswith("Did not pass")
    item = page.locator("#findings li", has_text="guarantee.absolute")
    assert "Suggestion:" in item.inner_text()
    described_by = mark.get_attribute("aria-describedby")
    assert described_by and page.locator(f"#{described_by}").inner_text() == item.inner_text()
    # From the findings list to the text, by keyboard.
    item.get_by_role("button", name="Show in the letter").focus()
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.dataset.finding")
    assert focused == mark.get_attribute("data-finding")


def test_rewrites_the_letter_to_sms_and_copies_it(page: Page, base_url: str) -> None:
    email = _draft(page)
    page.get_by_label("New channel").select_option("sms")
    page.get_by_role("button", name="Rewrite to this tone and channel").click()
    page.wait_for_function(
        "document.getElementById('rewrite-channel').value === 'sms' && "
        "document.getElementById('subject-view-row').hidden"
    )
    sms = page.locator("#body-view").inner_text()
    limit = next(
        c["max_chars"]
        for c in page.request.get(f"{base_url}/v1/catalog").json()["channels"]
        if c["key"] == "sms"
    )
    assert sms != email and len(sms) <= limit
    assert "$6.50" in sms and page.locator("#verdict").inner_text().startswith("Passed")
    page.get_by_role("button", name="Copy to clipboard").click()
    page.wait_for_function("document.getElementById('status').textContent.includes('Copied')")
    assert (
        page.evaluate("navigator.clipboard.readText()")
        == page.get_by_label("Body", exact=True).input_value()
    )


def test_each_rewrite_button_asks_for_its_operation_on_the_current_letter(
    page: Page,
) -> None:
    _draft(page)
    for name, operation in (("Shorten", "shorten"), ("More formal", "more_formal")):
        before = page.get_by_label("Body", exact=True).input_value()
        with page.expect_response("**/v1/rewrites") as answer:
            page.get_by_role("button", name=name).click()
        sent = answer.value.request.post_data_json
        assert sent is not None
        assert sent["operation"] == operation and sent["draft"]["body"] == before
        assert sent["context"]["incident"]["reference"] == "LM-7781"
        page.wait_for_function(
            "body => document.getElementById('body-edit').value === body",
            arg=answer.value.json()["body"],
        )


def test_bad_input_shows_the_field_and_every_control_has_a_label(page: Page) -> None:
    page.get_by_role("button", name="Draft the letter").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "incident.summary" in alert.inner_text()
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
              .filter(c => c.labels.length === 0 && !c.getAttribute('aria-label'))
              .map(c => c.id || c.outerHTML)"""
    )
    assert unlabelled == []
    # Every action is a real button, reachable with Tab.
    assert page.locator("[onclick], div[role=button], a:not([href])").count() == 0
