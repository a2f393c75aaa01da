from __future__ import annotations

pytest_plugins = ["sphinx.testing.fixtures", "docs_confluence.testing"]
