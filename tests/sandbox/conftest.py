from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    import httpx

    from docs_confluence.testing import SandboxHarness


@pytest.fixture
def client(confluence: SandboxHarness) -> Iterator[httpx.Client]:
    """An httpx client on the in-process sandbox, signed in as the publishing bot."""
    with confluence.client() as client:
        yield client
