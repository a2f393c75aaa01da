from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sphinx.testing.util import SphinxTestApp

from .pages import Built

if TYPE_CHECKING:
    from collections.abc import Callable

collect_ignore = ["roots"]
ROOTS = Path(__file__).parent / "roots"
# myst-parser 5.2 reads a Sphinx attribute Sphinx 9 deprecates; not ours to fix.
MYST_DEPRECATION = (
    r"ignore:'myst_parser\.sphinx_ext\.myst_refs\.MystReferenceResolver\.app' is deprecated"
    ":sphinx.deprecation.RemovedInSphinx11Warning"
)
_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.filterwarnings(MYST_DEPRECATION))


def plain(stream: str) -> str:
    """Sphinx's output without colour codes."""
    return _COLOURS.sub("", stream)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot="x")`` finds ``roots/test-x``."""
    return ROOTS


@dataclass(frozen=True)
class Result:
    """A finished ``confluence`` build: its bundle and what Sphinx printed."""

    built: Built
    warnings: str
    status: str


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Result]:
    """Build a test root once per session (per set of overrides) and share the result; for
    tests that only read the output."""
    cache: dict[str, Result] = {}

    def run(testroot: str, **overrides: Any) -> Result:
        key = f"{testroot}:{sorted(overrides.items())!r}"
        if key not in cache:
            srcdir = tmp_path_factory.mktemp(testroot) / "src"
            shutil.copytree(ROOTS / f"test-{testroot}", srcdir)
            app = SphinxTestApp("confluence", srcdir=srcdir, confoverrides=overrides)
            try:
                app.build()
            finally:
                app.cleanup()
            warnings, status = plain(app.warning.getvalue()), plain(app.status.getvalue())
            cache[key] = Result(Built.of(app), warnings, status)
        return cache[key]

    return run


def config_errors(app: SphinxTestApp) -> str:
    """The errors a refused configuration logged (the exit status is already 1)."""
    assert app.statuscode == 1
    errors = [line for line in plain(app.warning.getvalue()).splitlines() if "ERROR" in line]
    assert errors, "no configuration error logged"
    return "\n".join(errors)
