"""Fixtures for the gallery tests: a built site, and Debian's Chromium driven by Playwright.

The browser tests never download a browser: they launch /usr/bin/chromium (or $NEGOBOT_CHROMIUM).
Without Chromium or Playwright they skip, and the reason shows in pytest's -ra summary.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.engine.drafts import default_engine
from bot.engine.packs import clear_cache
from bot.gallery.site import build_gallery

from gallery_helpers import CHROMIUM_ARGS, TODAY


def chromium_path() -> str | None:
    candidate = os.environ.get("NEGOBOT_CHROMIUM") or "/usr/bin/chromium"
    if Path(candidate).is_file():
        return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def engine():
    return default_engine()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The default gallery (all three shipped packs), built once."""
    clear_cache()
    out = tmp_path_factory.mktemp("gallery") / "site"
    build_gallery(out, today=TODAY)
    return out / "index.html"


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API keeps its event loop marked as running in this thread while
    # it is started, which would break the asyncio tests that run after the browser tests.
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"browser tests skipped: Playwright for Python is not installed ({exc}); pip install '.[test]'")
    executable = chromium_path()
    if executable is None:
        pytest.skip("browser tests skipped: Debian's chromium was not found at /usr/bin/chromium "
                    "(apt-get install chromium, or set NEGOBOT_CHROMIUM)")
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 - any launch failure means no browser here
        manager.stop()
        pytest.skip(f"browser tests skipped: chromium at {executable} did not start ({str(exc).splitlines()[0]})")
    yield browser
    browser.close()
    manager.stop()


class PageProbe:
    """A page plus what went wrong on it: console errors, page errors, any request that left file://."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)

    def open(self, path: Path) -> None:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("() => window.negobotGallery !== undefined")


@pytest.fixture()
def open_page(browser):
    contexts = []

    def make(path: Path, viewport=(1280, 900), clipboard: bool = True, **kwargs) -> PageProbe:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, **kwargs)
        if clipboard:
            context.grant_permissions(["clipboard-read", "clipboard-write"])
        contexts.append(context)
        probe = PageProbe(context.new_page())
        probe.open(path)
        return probe

    yield make
    for context in contexts:
        context.close()
