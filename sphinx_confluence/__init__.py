"""Sphinx front end of docs-confluence: ``sphinx-build -b confluence docs out``.

The builder is found through the ``sphinx.builders`` entry point, so ``conf.py`` need not list
an extension. It writes a bundle into ``out`` and, when ``confluence_url`` (or
``CONFLUENCE_URL``) is set, publishes it through the same engine as the MkDocs plugin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import docs_confluence

from .builder import ConfluenceBuilder, ConfluenceError
from .config import check_config, register
from .logs import route_engine_logging
from .sources import check_encoding
from .translator import ConfluenceTranslator

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

__all__ = ["ConfluenceBuilder", "ConfluenceError", "ConfluenceTranslator", "setup"]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the ``confluence`` builder, its ``confluence_*`` values and their check."""
    app.add_builder(ConfluenceBuilder)
    register(app)
    # before Sphinx's own type check (800), which stops on a bad -D flag with a crash report
    app.connect("config-inited", check_config, priority=790)
    app.connect("env-before-read-docs", check_encoding)
    app.connect("env-before-read-docs", _skip_reading, priority=100)
    route_engine_logging()
    return {
        "version": docs_confluence.__version__,
        # 1: doctrees read by this builder hold the Windows variant of Django's console blocks
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _skip_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if isinstance(app.builder, ConfluenceBuilder):
        app.builder.skip_reading(docnames)
