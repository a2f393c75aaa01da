from __future__ import annotations

import docs_confluence
from docs_confluence.version import __version__, generator


def test_generator_names_the_package_and_the_tool_with_their_versions():
    assert generator("MkDocs", "1.6.1") == f"docs-confluence {__version__} (MkDocs 1.6.1)"
    assert generator("Sphinx", "8.1.3") == f"docs-confluence {__version__} (Sphinx 8.1.3)"


def test_the_package_version_is_the_one_in_the_generator():
    assert docs_confluence.__version__ == __version__
