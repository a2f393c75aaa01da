"""open_client(config): the client for the configured site, with its credentials; and
target_space(config, client): the space to publish into, once the site's flavour is known."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..auth import OAuthCredentials, connect, find_credentials
from ..config import DRAFTS_NEED_CLOUD, space_problem
from ..errors import ConfigError
from ..rest.client import ConfluenceClient

if TYPE_CHECKING:
    import httpx

    from ..auth import AnyCredentials
    from ..config import PublisherConfig
    from ..rest.sender import RetryPolicy

__all__ = ["open_client", "target_space"]


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


def target_space(config: PublisherConfig, client: ConfluenceClient) -> str:
    """The space key to publish into. Where the rules that span options meet the site, once
    for every path that reads or writes (plan, publish, the early reads, edits): the space is
    required (:func:`~docs_confluence.config.space_problem`, as the front ends check it) and
    drafts need Cloud, told by the client (OAuth means Cloud too)."""
    space = config.space
    missing = space_problem(client.base_url, space)
    if missing is not None:
        raise ConfigError(missing)
    assert space  # space_problem said it is there
    if config.draft and not client.cloud:
        raise ConfigError(f"draft is on, but {client.base_url} is Data Center: {DRAFTS_NEED_CLOUD}")
    return space
