"""Confluence's limits are checked when the plan is made: nothing is written past one."""

from __future__ import annotations

import pytest

from docs_confluence.errors import PublishError


def test_an_oversized_body_or_attachment_stops_the_publish_before_any_write(
    site, publish, live_confluence
):
    site.page("index", "Home", "<p>Home</p>")
    site.page("big", "Big page", "<p>" + "x" * 5_300_000 + "</p>", parent="index")
    site.page(
        "pics", "Pictures", "<p>p</p>", parent="index", files=[("huge.bin", b"0" * 3_000_000)]
    )
    live_confluence.stats.reset()

    with pytest.raises(PublishError) as failure:
        publish(site.bundle(), max_attachment_mb=2)

    message = str(failure.value)
    assert "page 'Big page'" in message
    assert "5242880" in message
    assert "page 'Pictures'" in message
    assert "'huge.bin'" in message
    assert "max_attachment_mb" in message
    assert live_confluence.stats.writes == 0
    assert live_confluence.outline() == "DOC Home"


def test_raising_the_attachment_maximum_lets_the_file_through(site, publish, live_confluence):
    site.page("pics", "Pictures", "<p>p</p>", files=[("huge.bin", b"0" * 3_000_000)])

    publish(site.bundle(), max_attachment_mb=4)

    assert live_confluence.outline() == "DOC Home\n  Pictures"
