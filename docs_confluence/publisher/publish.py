"""publish_bundle(): the one call front ends make. Reads Confluence, plans, shows, applies."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..auth import OAuthCredentials, connect, find_credentials
from ..bundle import Bundle, read_bundle
from ..client import ConfluenceClient
from ..errors import ConfigError, PublishError
from .apply import ApplyResult, apply
from .compare import plan as make_plan
from .limits import check_limits
from .plan import (
    Conflict,
    Create,
    Move,
    Relabel,
    RemoveAttachment,
    Reorder,
    Retitle,
    Update,
    Upload,
)
from .remote import Snapshot, load_remote

if TYPE_CHECKING:
    import os

    import httpx

    from ..auth import AnyCredentials
    from ..config import PublisherConfig
    from ..sender import RetryPolicy
    from .plan import Action, Plan

__all__ = ["PublishReport", "format_plan", "open_client", "plan_bundle", "publish_bundle"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PublishReport:
    """The plan, and (unless it was a dry run) what applying it did."""

    plan: Plan
    result: ApplyResult | None
    space_key: str
    dry_run: bool

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        """Pages people edited in Confluence that were left alone."""
        return self.plan.conflicts

    def summary(self) -> str:
        """One line for the end of a build."""
        counts = [
            f"{self.plan.count(kind)} {label}"
            for kind, label in (
                ("create", "to create" if self.dry_run else "created"),
                ("update", "to update" if self.dry_run else "updated"),
                ("move", "to move" if self.dry_run else "moved"),
                ("retitle", "to rename first" if self.dry_run else "renamed first"),
                ("trash", "to trash" if self.dry_run else "trashed"),
                ("keep", "unchanged"),
                ("conflict", "left alone (edited in Confluence)"),
                ("orphan", "no longer in the docs (cleanup is off)"),
            )
            if self.plan.count(kind)
        ]
        head = (
            "Dry run, nothing written" if self.dry_run else f"Published to space {self.space_key}"
        )
        return f"{head}: " + (", ".join(counts) or "nothing to do")


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
        bundle, snapshot.state, on_conflict=config.on_conflict, cleanup=config.cleanup
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
    actions failed (the message lists them; the next run finishes the job).
    """
    if not isinstance(bundle, Bundle):
        bundle = read_bundle(Path(bundle))
    with open_client(config, credentials, transport=transport, retry=retry) as client:
        planned, snapshot = plan_bundle(bundle, config, client)
        for line in format_plan(planned).splitlines():
            log.info("%s", line)
        for conflict in planned.conflicts:
            log.warning(
                "Page %r (id %s) was %s; left as it is (on_conflict=%s)",
                conflict.title,
                conflict.page_id,
                conflict.reason,
                config.on_conflict,
            )
        if config.dry_run:
            if planned.errors:
                raise PublishError("The plan cannot be applied:\n  " + "\n  ".join(planned.errors))
            return PublishReport(planned, None, planned.space_key, dry_run=True)
        result = apply(planned, bundle, snapshot, client, concurrency=config.concurrency)
    report = PublishReport(planned, result, planned.space_key, dry_run=False)
    if result.failed:
        lines = "\n  ".join(message for _, message in result.failed)
        raise PublishError(
            f"{len(result.failed)} of {len(result.failed) + len(result.done)} changes failed "
            f"(the rest were published and recorded; run again to finish):\n  {lines}"
        )
    log.info("%s", report.summary())
    return report


def format_plan(plan: Plan) -> str:
    """The plan as a table people can read before anything is written."""
    rows = [
        (_kind(action), action.title, _detail(action))
        for action in plan.actions
        if action.kind != "keep"
    ]
    kept = plan.count("keep")
    lines = [f"Plan for space {plan.space_key}: {plan.writes} writes, {kept} pages unchanged"]
    if rows:
        width_kind = max(len(r[0]) for r in rows)
        width_title = min(max(len(r[1]) for r in rows), 50)
        for kind, title, detail in rows:
            lines.append(f"  {kind:<{width_kind}}  {title[:50]:<{width_title}}  {detail}".rstrip())
    lines.extend(f"  error: {error}" for error in plan.errors)
    return "\n".join(lines)


def _kind(action: Action) -> str:
    if isinstance(action, Retitle) or (isinstance(action, Update) and action.reasons == ("title",)):
        return "rename"
    return action.kind


def _detail(action: Action) -> str:
    if isinstance(action, Create | Move):
        return f"under {action.parent or '(parent page)'}"
    if isinstance(action, Update):
        return ", ".join(action.reasons)
    if isinstance(action, Reorder):
        return f"{action.where} {action.sibling}"
    if isinstance(action, Upload) and action.restore:
        return f"{action.filename} (deleted in Confluence; restored)"
    if isinstance(action, Upload | RemoveAttachment):
        return action.filename
    if isinstance(action, Retitle):
        note = (
            " (for now)"
            if action.temporary
            else " (no longer in the docs)"
            if action.orphan
            else ""
        )
        return f"from {action.previous!r}{note}"
    if isinstance(action, Relabel):
        return " ".join([*(f"+{x}" for x in action.add), *(f"-{x}" for x in action.remove)])
    if isinstance(action, Conflict):
        return action.reason
    return action.key
