"""Headless Chromium for the browser tests, a support agent on the running stack, and screenshots kept as artefacts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from bot.shared.settings import PROJECT_ROOT
from tests.browser.agent_desk import AgentDesk
from tests.support.stack import Stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts" / "browser"
AGENT_USERNAME = "dana"
AGENT_DISPLAY_NAME = "Dana"
AGENT_PASSWORD = "dana-browser-test-password"


# One browser per test module, not per session: Playwright's sync API allows one running instance per
# thread, and other browser tests (the agent console's) start their own after these modules.
@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(chromium: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Opens browser contexts (one per person: customer, agent) and closes them after the test."""
    contexts = []

    def open_context(**options: object) -> BrowserContext:
        context = chromium.new_context(**options)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^A-Za-z0-9_-]+", "_", request.node.name)

    def take(page: Page, label: str) -> Path:
        path = ARTIFACTS / f"{test_name}-{label}.png"
        page.screenshot(path=str(path))
        return path

    return take


@pytest.fixture(scope="session")
def agent_desk(running_stack: Stack) -> AgentDesk:
    """Dana, a support agent on the running stack, logged in through the agent API and online."""
    env = dict(os.environ)
    env["DATABASE_URL"] = running_stack.database_url
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "agents",
            "create",
            "--username",
            AGENT_USERNAME,
            "--display-name",
            AGENT_DISPLAY_NAME,
            "--password",
            AGENT_PASSWORD,
            "--max-chats",
            "20",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    desk = AgentDesk(running_stack.service_url, AGENT_USERNAME, AGENT_PASSWORD)
    desk.go_online()
    return desk
