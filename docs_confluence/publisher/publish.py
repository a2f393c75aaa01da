"""publish_bundle(): the one call front ends make. Reads Confluence, plans, shows, applies."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..bundle import Bundle, read_bundle
from ..errors import Interrupted
from ..interrupts import Interrupt, handle_signals, signal_name
from ..rest.client import ConfluenceClient
from ..rest.in_flight import InFlightStats
from .apply import apply
from .compare import plan as make_plan
from .connect import open_client, target_space
from .diffs import log_diffs, plan_diffs
from .edits import conflict_hint
from .limits import check_limits
from .logs import log
from .plan import Held, format_plan
from .remote import Snapshot, load_remote
from .report import PublishIncomplete, PublishInterrupted, PublishReport, page_results

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    import httpx

    from ..auth import AnyCredentials
    from ..config import PublisherConfig
    from ..readable import ReadableDiff
    from ..rest.client import ConfluenceClient
    from ..rest.sender import RetryPolicy
    from .apply_result import ApplyResult
    from .early import EarlyReads
    from .plan import Plan

__all__ = ["open_client", "plan_bundle", "publish_bundle"]


def plan_bundle(
    bundle: Bundle,
    config: PublisherConfig,
    client: ConfluenceClient,
    *,
    early: EarlyReads | None = None,
) -> tuple[Plan, Snapshot]:
    """Read Confluence and plan; returns the plan and the snapshot it was made from. *early*:
    the first reads, made already (:mod:`.early`)."""
    space = target_space(config, client)
    snapshot = load_remote(
        client,
        bundle,
        space_key=space,
        parent_page=config.parent_page,
        project=config.project or bundle.project,
        concurrency=config.concurrency,
        ours=early.our_pages() if early is not None else None,
        cleanup=config.cleanup,
    )
    planned = make_plan(
        bundle,
        snapshot.state,
        on_conflict=config.on_conflict,
        cleanup=config.cleanup,
        adopt=config.adopt,
        draft=config.draft,
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
    early: EarlyReads | None = None,
    log_plan: bool = True,
) -> PublishReport:
    """Plan, log the plan, and (unless ``config.dry_run``) apply it. *early*: the client and
    first reads, started while the bundle was built (:mod:`.early`), for this *config*.
    *log_plan*: False when the caller shows the plan table and the diffs itself (``docs-confluence
    plan`` prints them on stdout, from the report: ``report.plan``, each page's ``diff``).

    Raises :class:`PublishError` when the plan has errors (nothing is written) or when some
    actions failed (the message lists them; the next run finishes the job): then a
    :class:`~.report.PublishIncomplete` whose ``report`` says which pages.

    Ctrl-C or SIGTERM (on the main thread) stops it without starting another write: the ones in
    flight finish, the index is saved, and :class:`~.report.PublishInterrupted` says how much
    was done (:mod:`docs_confluence.interrupts`); an interrupt before any write raises
    :class:`~docs_confluence.errors.Interrupted`.

    It only returns the report: the front ends write it for CI (:mod:`docs_confluence.ci`).
    """
    interrupt = Interrupt()
    with handle_signals(interrupt):
        return _publish(
            bundle, config, credentials, transport, retry, early, interrupt, log_plan=log_plan
        )


def _publish(
    bundle: Bundle | str | os.PathLike[str],
    config: PublisherConfig,
    credentials: AnyCredentials | None,
    transport: httpx.BaseTransport | None,
    retry: RetryPolicy | None,
    early: EarlyReads | None = None,
    interrupt: Interrupt | None = None,
    *,
    log_plan: bool = True,
) -> PublishReport:
    if not isinstance(bundle, Bundle):
        bundle = read_bundle(Path(bundle))
    opened = early.client() if early is not None else None
    if opened is None:
        opened = open_client(config, credentials, transport=transport, retry=retry)
    with opened as client:
        if interrupt is not None:
            client.sender.interrupt = interrupt
        try:
            planned, snapshot = plan_bundle(bundle, config, client, early=early)
        except Interrupted as exc:
            raise _before_writing(exc.signal) from None
        if log_plan:
            _log_plan(planned, dry_run=config.dry_run)
        for conflict in planned.conflicts:
            log.warning(
                "Page %r (%s, id %s) was %s; left as it is (on_conflict=%s)",
                conflict.title,
                _source_of(bundle, conflict.key),
                conflict.page_id,
                conflict.reason,
                config.on_conflict,
            )
        if planned.conflicts:
            log.warning("%s", conflict_hint(bundle.root, config))
        diffs: dict[str, ReadableDiff] = {}
        if config.diff and not planned.errors:
            try:
                diffs = plan_diffs(planned, bundle, client, concurrency=config.concurrency)
            except Interrupted as exc:
                raise _before_writing(exc.signal) from None
            if log_plan:
                log_diffs(bundle, diffs)
        for held in (a for a in planned.actions if isinstance(a, Held)):
            log.info(
                "Page %r (%s) is published; its changes (%s) are held back while draft is on",
                held.title,
                _source_of(bundle, held.key),
                ", ".join(held.reasons),
            )
        if config.dry_run or planned.errors:
            report = _report(planned, None, bundle, client, dry_run=config.dry_run, diffs=diffs)
            if planned.errors:
                head = "The plan cannot be applied" if config.dry_run else "Nothing was published"
                errors = list(planned.errors)
                if planned.conflicts:
                    errors.append(conflict_hint(bundle.root, config))
                raise PublishIncomplete(f"{head}:\n  " + "\n  ".join(errors), report)
            return report
        if client.sender.interrupt.signal is not None:
            raise _before_writing(client.sender.interrupt.signal)
        result = apply(planned, bundle, snapshot, client, concurrency=config.concurrency)
        report = _report(planned, result, bundle, client, dry_run=False, diffs=diffs)
    if result.interrupted is not None:
        lines = "".join(f"\n  {message}" for _, message in result.failed)
        failed = f" ({len(result.failed)} failed:{lines})" if result.failed else ""
        unsaved = any(action.kind == "index" for action, _ in result.failed)
        recorded = (
            "the ownership index could not be saved: the next run finds the new pages by the "
            "titles claimed for them"
            if unsaved
            else "what was done is recorded in the ownership index"
        )
        raise PublishInterrupted(
            f"Publish {report.interrupted}{failed}; {recorded}",
            report,
            signal=result.interrupted,
        )
    if result.failed:
        lines = "\n  ".join(message for _, message in result.failed)
        raise PublishIncomplete(
            f"{len(result.failed)} of {len(result.failed) + len(result.done)} changes failed "
            f"(the rest were published and recorded; run again to finish):\n  {lines}",
            report,
        )
    log.info("%s", report.summary())
    return report


def _log_plan(planned: Plan, *, dry_run: bool) -> None:
    """The header always; the table on a dry run (on a real publish each change gets its own
    progress line instead, and -v shows the table first)."""
    head, *rows = format_plan(planned).splitlines()
    log.info("%s", head)
    for line in rows:
        log.log(logging.INFO if dry_run else logging.DEBUG, "%s", line)


def _before_writing(signum: int) -> Interrupted:
    return Interrupted(
        f"Publish interrupted ({signal_name(signum)}) before any write: nothing was changed in "
        "Confluence; run again to publish",
        signal=signum,
    )


def _report(
    planned: Plan,
    result: ApplyResult | None,
    bundle: Bundle,
    client: ConfluenceClient,
    *,
    dry_run: bool,
    diffs: Mapping[str, ReadableDiff] | None = None,
) -> PublishReport:
    pages = page_results(planned, result, bundle, client.page_url_by_id, diffs)
    keys = {page.key for page in pages}
    errors = [*planned.errors]
    if result is not None:
        errors.extend(message for action, message in result.failed if action.key not in keys)
    in_flight = client.sender.in_flight
    return PublishReport(
        planned,
        result,
        planned.space_key,
        dry_run,
        pages,
        tuple(errors),
        rate_limits=client.sender.throttle.stats(),
        in_flight=in_flight.stats() if in_flight is not None else InFlightStats(),
    )


def _source_of(bundle: Bundle, key: str) -> str:
    """The page's source file as the repository names it, else its bundle key."""
    page = bundle.page(key) if key in bundle else None
    return (bundle.source_in_repository(page) if page is not None else None) or key
