"""Sphinx configuration of the example site (build: sphinx-build -b confluence . out)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "Acme Widgets (Sphinx)"
author = "Acme Docs Team"
release = "2.1"
version = "2.1"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.ifconfig",
    "sphinx.ext.intersphinx",
    "sphinx.ext.todo",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "out"]
numfig = True
todo_include_todos = True
intersphinx_mapping = {"python": ("https://docs.python.org/3", "python.inv")}
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "tasklist"]
myst_heading_anchors = 3
rst_epilog = """
.. |product| replace:: Acme Widgets
"""

# Confluence: where to publish comes from the environment (CONFLUENCE_URL, CONFLUENCE_SPACE,
# CONFLUENCE_USER, CONFLUENCE_API_TOKEN); nothing secret lives here.
confluence_labels = ["acme", "widgets"]


def setup(app):
    app.add_config_value("show_internal_notes", True, "env")
