"""The publish's first reads, made in a thread while a front end is still building the bundle.

:func:`~.remote.load_remote` first reads what the bundle does not decide: the space, the anchor
page, the ownership index and our pages (:func:`~.remote.read_our_pages`). A front end that
knows it will publish can start those reads early (:meth:`EarlyReads.start`) and hand the
object to :func:`~.publish.publish_bundle`, which takes the client and the pages from it. The
reads wait for nothing but the network, so their latency overlaps the build.

Nothing is written, and nothing is reported, from the thread: an error (no URL, no credentials,
a refused read) is kept and raised where the publish would have met it, and a read the publish
would not have made (its checks fail first) is not made. Should the thread die, the publish
reads as it always does.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ..errors import ConfigError
from .connect import open_client, target_space
from .remote import OurPages, read_our_pages

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..config import PublisherConfig
    from ..rest.client import ConfluenceClient

__all__ = ["EarlyReads"]


def _call(function: Callable[[], None]) -> None:
    function()


class EarlyReads:
    """The client and :class:`~.remote.OurPages` for *config*, read in a background thread.

    *project* is the project the publish plans for (``config.project`` or the bundle's)."""

    def __init__(self, config: PublisherConfig, project: str) -> None:
        self.config = config
        self.project = project
        self._thread: threading.Thread | None = None
        self._client: ConfluenceClient | None = None
        self._handed_over = False
        self._open_error: Exception | None = None
        self._read_error: Exception | None = None
        self._ours: OurPages | None = None

    def start(self, around: Callable[[Callable[[], None]], None] = _call) -> None:
        """Start the reads; the thread runs ``around(reads)`` (to set up its logging, say)."""
        self._thread = threading.Thread(
            target=around, args=(self._run,), name="docs-confluence early reads", daemon=True
        )
        self._thread.start()

    def _run(self) -> None:
        config = self.config
        try:
            self._client = open_client(config)
        except Exception as exc:  # raised again by client(), where the publish opens one
            self._open_error = exc
            return
        try:
            space = target_space(config, self._client)
        except ConfigError:
            return  # plan_bundle refuses it again, before reading
        try:
            self._ours = read_our_pages(
                self._client,
                space_key=space,
                parent_page=config.parent_page,
                project=self.project,
                concurrency=config.concurrency,
            )
        except Exception as exc:  # raised again by our_pages(), where the publish reads them
            self._read_error = exc

    def wait(self) -> None:
        """Wait for the reads to end."""
        if self._thread is not None:
            self._thread.join()

    def client(self) -> ConfluenceClient | None:
        """The client the reads opened, now the caller's to close (None: open one as usual).
        Raises what opening it raised."""
        self.wait()
        if self._open_error is not None:
            raise self._open_error
        if self._handed_over:
            return None
        self._handed_over = True
        return self._client

    def our_pages(self) -> OurPages | None:
        """Our pages as read (None: read them as usual). Raises what reading them raised."""
        self.wait()
        if self._read_error is not None:
            raise self._read_error
        return self._ours

    def close(self) -> None:
        """Wait for the reads, and close the client unless it was handed over."""
        self.wait()
        if self._client is not None and not self._handed_over:
            self._handed_over = True
            self._client.close()
