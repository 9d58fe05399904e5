"""A real headless Chromium (Debian's package) driven by Playwright, or a skip that says why."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
# without the background-networking flags Chromium keeps calling home, which this closed
# network refuses; a fresh profile per run keeps runs apart
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@contextmanager
def browser_page(width: int = 1100, height: int = 900) -> Iterator[tuple[Any, list[str]]]:
    """A page of a fresh headless Chromium, and the list its console errors, page errors and
    failed requests are collected in."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install "
                    "chromium) to run the browser tests (.ci/run does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    problems: list[str] = []
    profile = tempfile.mkdtemp(prefix="newsetl-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
                viewport={"width": width, "height": height})
            page = context.new_page()
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            try:
                yield page, problems
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
