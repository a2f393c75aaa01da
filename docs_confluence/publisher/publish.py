"""publish_bundle(): the one call front ends make. Reads Confluence, plans, shows, applies."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..auth import OAuthCredentials, connect, find_credentials
from ..bundle import Bundle, read_bundle
from ..ci import report_error_to_ci, report_to_ci
from ..client import ConfluenceClient
from ..errors import ConfigError, ConfluencePublisherError
from .apply import apply
from .compare import plan as make_plan
from .limits import check_limits
from .logs import log
from .plan import format_plan
from .remote import Snapshot, load_remote
from .report import PublishIncomplete, PublishReport, page_results

if TYPE_CHECKING:
    import os

    import httpx

    from ..auth import AnyCredentials
    from ..config import PublisherConfig
    from ..sender import RetryPolicy
    from .apply import ApplyResult
    from .plan import Plan

__all__ = ["open_client", "plan_bundle", "publish_bundle"]


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
    )


def plan_bundle(
    bundle: Bundle, config: PublisherConfig, client: ConfluenceClient
) -> tuple[Plan, Snapshot]:
    """Read Confluence and plan; returns the plan and the snapshot it was made from."""
    if config.space is None:
        raise ConfigError("space is not set (CONFLUENCE_SPACE)")
    snapshot = load_remote(
        client,
        bundle,
        space_key=config.space,
        parent_page=config.parent_page,
        project=config.project or bundle.project,
        concurrency=config.concurrency,
    )
    planned = make_plan(
        bundle,
        snapshot.state,
        on_conflict=config.on_conflict,
        cleanup=config.cleanup,
        adopt=config.adopt,
    )
    too_large = check_limits(bundle, max_attachment_mb=config.max_attachment_mb)
    if too_large:
        planned = replace(planned, errors=(*planned.errors, *too_large))
    return planned, snapshot


def publish_bundle(
    bundle: Bundle | str | os.PathLike[str],
    config: PublisherConfig,
    *,
    credentials: AnyCredentials | None = None,
    transport: httpx.BaseTransport | None = None,
    retry: RetryPolicy | None = None,
) -> PublishReport:
    """Plan, log the plan, and (unless ``config.dry_run``) apply it.

    Raises :class:`PublishError` when the plan has errors (nothing is written) or when some
    actions failed (the message lists them; the next run finishes the job): then a
    :class:`~.report.PublishIncomplete` whose ``report`` says which pages.

    Under GitHub Actions it also writes a job summary and annotations (:mod:`docs_confluence.ci`).
    """
    try:
        report = _publish(bundle, config, credentials, transport, retry)
    except PublishIncomplete as exc:
        report_to_ci(exc.report)
        raise
    except ConfluencePublisherError as exc:
        report_error_to_ci(exc)
        raise
    report_to_ci(report)
    return report


def _publish(
    bundle: Bundle | str | os.PathLike[str],
    config: PublisherConfig,
    credentials: AnyCredentials | None,
    transport: httpx.BaseTransport | None,
    retry: RetryPolicy | None,
) -> PublishReport:
    if not isinstance(bundle, Bundle):
        bundle = read_bundle(Path(bundle))
    with open_client(config, credentials, transport=transport, retry=retry) as client:
        planned, snapshot = plan_bundle(bundle, config, client)
        # The header always; the table on a dry run (on a real publish each change gets its
        # own progress line instead, and -v shows the table first).
        head, *rows = format_plan(planned).splitlines()
        log.info("%s", head)
        for line in rows:
            log.log(logging.INFO if config.dry_run else logging.DEBUG, "%s", line)
        for conflict in planned.conflicts:
            page = bundle.page(conflict.key) if conflict.key in bundle else None
            log.warning(
                "Page %r (%s, id %s) was %s; left as it is (on_conflict=%s)",
                conflict.title,
                (page.source if page is not None else None) or conflict.key,
                conflict.page_id,
                conflict.reason,
                config.on_conflict,
            )
        if config.dry_run or planned.errors:
            report = _report(planned, None, bundle, client, dry_run=config.dry_run)
            if planned.errors:
                head = "The plan cannot be applied" if config.dry_run else "Nothing was published"
                raise PublishIncomplete(f"{head}:\n  " + "\n  ".join(planned.errors), report)
            return report
        result = apply(planned, bundle, snapshot, client, concurrency=config.concurrency)
        report = _report(planned, result, bundle, client, dry_run=False)
    if result.failed:
        lines = "\n  ".join(message for _, message in result.failed)
        raise PublishIncomplete(
            f"{len(result.failed)} of {len(result.failed) + len(result.done)} changes failed "
            f"(the rest were published and recorded; run again to finish):\n  {lines}",
            report,
        )
    log.info("%s", report.summary())
    return report


def _report(
    planned: Plan,
    result: ApplyResult | None,
    bundle: Bundle,
    client: ConfluenceClient,
    *,
    dry_run: bool,
) -> PublishReport:
    pages = page_results(planned, result, bundle, client.page_url_by_id)
    keys = {page.key for page in pages}
    errors = [*planned.errors]
    if result is not None:
        errors.extend(message for action, message in result.failed if action.key not in keys)
    limits = client.sender.throttle.stats()
    return PublishReport(
        planned, result, planned.space_key, dry_run, pages, tuple(errors), rate_limits=limits
    )
