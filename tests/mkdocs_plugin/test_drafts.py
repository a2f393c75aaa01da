"""``draft: true`` in mkdocs.yml: new pages go in as drafts; a later build publishes them."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import Abort

PAGES = {"index.md": "# Home\n\nWelcome.\n", "guide.md": "# Guide\n\nRead it.\n"}


def test_a_draft_build_then_a_normal_build_publishes(make_site, live_confluence, target):
    make_site(PAGES, {"plugins": [{"confluence": {**target, "draft": True}}]})
    assert live_confluence.page("DOC", "Guide").status == "draft"
    assert live_confluence.outline() == "DOC Home"

    make_site(PAGES, {"plugins": [{"confluence": target}]})
    assert live_confluence.outline() == "DOC Home\n  Home\n  Guide"


def test_data_center_refuses_it_naming_the_option(make_site, logs):
    target = {"url": "https://wiki.example.com/confluence", "space": "DOC", "draft": True}
    with pytest.raises(Abort):
        make_site(PAGES, {"plugins": [{"confluence": target}]})
    assert any("draft = True: drafts need Confluence Cloud" in e for e in logs.errors())
