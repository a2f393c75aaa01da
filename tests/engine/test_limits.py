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


def test_a_file_over_the_sites_own_limit_is_named_with_the_size_hint(
    site, publish, live_confluence
):
    """The site's maximum is below max_attachment_mb: Confluence answers the upload 404. The
    error names the page and the file and says why; everything else is published."""
    live_confluence.store.attachments.max_bytes = 1_000_000
    site.page("index", "Home", "<p>Home</p>")
    site.page(
        "pics", "Pictures", "<p>p</p>", parent="index", files=[("huge.bin", b"0" * 1_500_000)]
    )

    with pytest.raises(PublishError) as failure:
        publish(site.bundle())

    message = str(failure.value)
    assert "upload 'huge.bin' to page 'Pictures'" in message
    assert "attachment size limit" in message
    assert "max_attachment_mb" in message
    assert "permission" not in message
    assert live_confluence.outline() == "DOC Home\n  Home\n    Pictures"


def test_an_upload_retried_after_a_dropped_connection_sends_the_whole_file(
    site, publish, live_confluence
):
    """Uploads stream from the bundle; a retry rewinds the file instead of sending the rest."""
    data = bytes(range(256)) * 4096  # 1 MiB
    site.page("pics", "Pictures", "<p>p</p>", files=[("data.bin", data)])
    live_confluence.faults.drop(method="PUT", path=r"/child/attachment$", after_write=False)

    publish(site.bundle())

    page = live_confluence.page("DOC", "Pictures")
    (stored,) = live_confluence.store.attachments.of(page.id)
    assert stored.title == "data.bin"
    assert live_confluence.store.attachments.data(stored.id).data == data
