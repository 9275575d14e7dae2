"""Browser tests: the console in Debian's headless Chromium (never a browser Playwright would
download), against pytest-django's live server, with every request to another host aborted.

Playwright's sync API runs an event loop in the test thread while it is started. Django then
refuses ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set (the tests build their data with
the ORM in that thread, before and after driving the page, never concurrently with it), and
keeps its connections in a context variable instead of the thread's: a connection without the
serialized test data that `serialized_rollback` restores. So Playwright runs for one module
at a time (not the whole session, where it would leave every later test on that connection)
and that connection is handed the serialized data.
"""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

# Two cores shared with other work: give a page more than Playwright's default 5 s.
expect.set_options(timeout=10_000)

CHROMIUM = os.environ.get("STRIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VAR = Path(__file__).resolve().parents[2] / "var"
FAILURES = VAR / "browser-failures"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


@pytest.fixture(scope="module")
def chromium(django_db_setup: None, django_db_blocker: Any) -> Iterator[Browser]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(
            f"No Chromium at {CHROMIUM}: `make test` installs Debian's `chromium` package "
            "(or set STRIDE_CHROMIUM to another Chromium binary)."
        )
    with django_db_blocker.unblock():
        serialized = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        if serialized is not None:
            connections[DEFAULT_DB_ALIAS]._test_serialized_contents = serialized  # type: ignore[attr-defined]
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context(chromium: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile, 1024 px wide (the smallest desk screen the console is built
    for), where only this machine answers: any request to another host is aborted."""
    context = chromium.new_context(viewport={"width": 1024, "height": 800}, locale="en-GB")

    def route(route: Any) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request: pytest.FixtureRequest, page: Any) -> Iterator[None]:
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        FAILURES.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        page.screenshot(path=str(FAILURES / f"{name}.png"), full_page=True)


def sign_in(page: Any, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/console/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
