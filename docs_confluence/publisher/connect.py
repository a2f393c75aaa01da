"""open_client(config): the client for the configured site, with its credentials."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..auth import OAuthCredentials, connect, find_credentials
from ..errors import ConfigError
from ..rest.client import ConfluenceClient

if TYPE_CHECKING:
    import httpx

    from ..auth import AnyCredentials
    from ..config import PublisherConfig
    from ..rest.sender import RetryPolicy

__all__ = ["open_client"]


def open_client(
    config: PublisherConfig,
    credentials: AnyCredentials | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
    retry: RetryPolicy | None = None,
) -> ConfluenceClient:
    """A client for the configured site. Credentials default to the environment, then the
    store (``docs-confluence login``); OAuth ones go through the API gateway."""
    if config.url is None:
        raise ConfigError("url is not set: nothing to publish to (set CONFLUENCE_URL)")
    creds = credentials or find_credentials(config.url)
    base_url, auth = connect(creds, config.url, transport=transport)
    return ConfluenceClient(
        base_url,
        auth=auth,
        cloud=config.is_cloud or isinstance(creds, OAuthCredentials),
        transport=transport,
        timeout=config.timeout,
        retry=retry,
        max_connections=max(config.concurrency, 2),
        headers=config.headers,
        concurrency=config.concurrency,
    )
