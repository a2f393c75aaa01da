"""Fixtures for looking at the viewer in a real browser: Chromium, and the example sites
published into a sandbox.

Playwright drives the system's Chromium (Debian's ``chromium``) through ``executable_path``, so
no browser of Playwright's own is downloaded. One browser serves the whole session and one
sandbox with both example sites each module, since starting Chromium and building the sites are
the slow parts. Screenshots of the last run are kept in ``.artifacts/screenshots/`` (cleared
when the session's browser starts) for a person to look at. Without Chromium the tests are
skipped with a hint, except in CI (``CI`` set), where a missing browser is a failure: CI must
prove the viewer works.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import sync_playwright

from docs_confluence.testing import SandboxHarness

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".artifacts" / "screenshots"
EXAMPLES = ROOT / "example-site"
MISSING = (
    "Chromium was not found. Install Debian's package (`sudo apt-get install -y chromium`; "
    "`.ci/run` does it when run as root) or point CHROMIUM at a Chromium or Chrome binary."
)
#: Tests never reach the internet: every host name but the loopback fails to resolve.
FLAGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]


def find_chromium() -> str | None:
    """The Chromium to use: ``$CHROMIUM``, else ``chromium`` on PATH, else Debian's path."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in ("chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def in_ci() -> bool:
    """Whether this run is CI's (``CI=true``, as GitHub Actions and most CI services set)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def browser() -> Iterator[BrowserContext]:
    """One headless Chromium for the session."""
    executable = find_chromium()
    if executable is None:
        if in_ci():
            pytest.fail(f"{MISSING} CI must run the browser tests.", pytrace=False)
        pytest.skip(MISSING)
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    with sync_playwright() as playwright:
        started = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        # One context for the session: its pages are tabs of one window, 1200 x 900.
        context = started.new_context(viewport={"width": 1200, "height": 900})
        context.set_default_timeout(60_000)  # a loaded CI machine can be slow
        yield context
        started.close()


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    """A fresh page (a new tab)."""
    opened = browser.new_page()
    yield opened
    opened.close()


@dataclass
class Examples:
    """The example sites, published into a live sandbox: MkDocs in MKDOCS, Sphinx in SPHINX."""

    sandbox: SandboxHarness

    def url(self, space: str, title: str) -> str:
        """The viewer's address of the page *title* in *space*."""
        return f"{self.sandbox.origin}/view/pages/{self.sandbox.page(space, title).id}"

    def title_of(self, url: str) -> str:
        """The current title of the page a viewer URL shows."""
        page_id = re.search(r"/view/pages/(\d+)", url)
        assert page_id, url
        return self.sandbox.store.pages.get(page_id.group(1)).title


def shot(page: Page, name: str) -> Path:
    """Keep a PNG of the whole page as ``.artifacts/screenshots/<name>.png``."""
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 1000
    return path


def follow(page: Page, selector: str) -> None:
    """Click the first element matching *selector* (scrolled into view, real mouse events, as
    a person would) and wait until the page it leads to has loaded."""
    before = page.url
    page.locator(selector).first.click()
    page.wait_for_url(lambda url: url != before)


def _build(command: list[str], cwd: Path, env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        pytest.fail(f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Examples]:
    """Both example sites built from copies and published, as ``scripts/demo`` does."""
    work = tmp_path_factory.mktemp("examples")
    skip = shutil.ignore_patterns("_build", "out", "site", ".confluence-bundle")
    shutil.copytree(EXAMPLES / "mkdocs", work / "mkdocs", ignore=skip)
    shutil.copytree(EXAMPLES / "sphinx", work / "sphinx", ignore=skip)
    with SandboxHarness.create().served() as sandbox:
        for key in ("MKDOCS", "SPHINX"):
            sandbox.store.create_space(key, f"{key.title()} example", homepage_title=f"{key} Home")
        env = {
            **os.environ,
            "CONFLUENCE_URL": sandbox.base_url,
            "CONFLUENCE_USER": sandbox.email,
            "CONFLUENCE_API_TOKEN": sandbox.api_token,
            "NO_MKDOCS_2_WARNING": "1",
        }
        mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs/mkdocs.yml"]
        mkdocs += ["-d", str(work / "site")]
        _build(mkdocs, work, {**env, "CONFLUENCE_SPACE": "MKDOCS"}, "mkdocs build")
        sphinx = [sys.executable, "-m", "sphinx", "-q", "-b", "confluence", "sphinx"]
        sphinx += [str(work / "out")]
        _build(sphinx, work, {**env, "CONFLUENCE_SPACE": "SPHINX"}, "sphinx-build")
        yield Examples(sandbox)
