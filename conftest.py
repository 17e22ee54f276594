"""Shared fixtures: one Playwright browser (Debian's chromium) for every browser test.

One session-wide browser, because Playwright's sync API cannot start twice in one process.

Skipped, with the reason, when /usr/bin/chromium is absent: install it with
`apt-get install -y chromium` (as root). Playwright's own browser download is not used.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("SAFEGUARD_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).with_name("tests") / "browser" / "axe.min.js"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still plain synchronous code, so Django's async guard is relaxed here only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install it with `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = with_axe(browser.new_context())
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def with_axe(context):
    """A browser context whose pages carry axe-core. An init script is added by the browser
    itself, so the pages keep their real Content Security Policy while being checked."""
    context.add_init_script(path=str(AXE))
    return context


def axe_violations(page) -> list[dict]:
    """Serious or critical axe-core violations on the page now shown (WCAG 2.x A and AA)."""
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:3],
            "html": [n["html"][:120] for n in v["nodes"]][:2],
            "url": page.url,
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def axe():
    """The axe-core check, as a fixture so test modules need not import this conftest."""
    return axe_violations
