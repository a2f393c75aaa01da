"""PublishReport: what a publish tells its caller (the front ends print its summary; the CLI's
``--json`` and the CI job summary are made from its pages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import Interrupted, PublishError
from ..interrupts import signal_name
from ..rest.in_flight import InFlightStats
from ..rest.throttle import ThrottleStats
from .plan import ADOPT, PUBLISH, RESTORE, Create, Retitle, Update

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from ..bundle import Bundle
    from ..readable import ReadableDiff
    from .apply_result import ApplyResult
    from .plan import Action, Conflict, Plan

__all__ = [
    "OUTCOMES",
    "PageResult",
    "PublishIncomplete",
    "PublishInterrupted",
    "PublishReport",
    "failure_json",
    "page_results",
]

#: What can have happened to a page, most telling first (a page gets the first that applies).
OUTCOMES = (
    "failed",  # one of its changes failed (see errors); the next run finishes it
    "interrupted",  # a change of it was not started: Ctrl-C or SIGTERM; the next run does it
    "skipped",  # the plan has errors, so nothing was written
    "conflict",  # edited in Confluence since our last publish; left alone
    "held back",  # changes to a published page, waiting for a run without the draft option
    "drafted",  # created as a draft, or a draft of ours updated (draft option on)
    "published",  # a draft of ours, published (a run without the draft option)
    "created",
    "trashed",  # left the docs; moved to the trash (cleanup on)
    "restored",  # brought back from the trash
    "adopted",  # someone else's page, taken over (adopt on)
    "updated",  # body, attachments or labels
    "renamed",
    "retired",  # left the docs; renamed to say so
    "moved",  # new parent or new place among its siblings
    "unchanged",
    "orphaned",  # left the docs; kept (cleanup off)
)


@dataclass(frozen=True, slots=True)
class PageResult:
    """One page's outcome: in a dry run, the outcome a publish would have."""

    key: str
    title: str
    outcome: str
    source: str | None = None
    page_id: str | None = None
    url: str | None = None
    errors: tuple[str, ...] = ()
    #: What a reader will see change (asked for with ``diff``; None otherwise or unchanged).
    diff: ReadableDiff | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "title": self.title,
            "source": self.source,
            "outcome": self.outcome,
            "page_id": self.page_id,
            "url": self.url,
            "errors": list(self.errors),
        }
        if self.diff is not None:
            data["diff"] = self.diff.to_json()
        return data


@dataclass(frozen=True, slots=True)
class PublishReport:
    """The plan, and (unless it was a dry run) what applying it did."""

    plan: Plan
    result: ApplyResult | None
    space_key: str
    dry_run: bool
    #: Each page's outcome, pages of the docs in tree order first.
    pages: tuple[PageResult, ...] = ()
    #: Problems not tied to one page (plan errors, the ownership index not saved).
    errors: tuple[str, ...] = field(default=())
    #: What Confluence's rate limits cost the run: time waited, 429s received.
    rate_limits: ThrottleStats = field(default=ThrottleStats())
    #: How many requests were in flight at most, and the ceiling (``concurrency``).
    in_flight: InFlightStats = field(default=InFlightStats())

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        """Pages people edited in Confluence that were left alone."""
        return self.plan.conflicts

    @property
    def interrupted(self) -> str | None:
        """``interrupted (SIGTERM): 37 of 120 changes done, run again to finish``, or None
        when the run was not interrupted."""
        result = self.result
        if result is None or result.interrupted is None:
            return None
        return (
            f"interrupted ({signal_name(result.interrupted)}): {len(result.done)} of "
            f"{result.total} changes done, run again to finish"
        )

    @property
    def failed(self) -> tuple[PageResult, ...]:
        """Pages some change of which failed."""
        return tuple(page for page in self.pages if page.outcome == "failed")

    @property
    def ok(self) -> bool:
        """Whether everything was published (or, dry, could be): no errors, no failed
        changes, no pages left alone because people edited them."""
        return not (self.errors or self.failed or self.conflicts or self.interrupted)

    def counts(self) -> dict[str, int]:
        """How many pages had each outcome (outcomes no page had left out)."""
        found = [page.outcome for page in self.pages]
        return {outcome: found.count(outcome) for outcome in OUTCOMES if outcome in found}

    def summary(self) -> str:
        """One line for the end of a build."""
        updates = [a for a in self.plan.actions if isinstance(a, Update)]
        adopting = sum(1 for a in updates if ADOPT in a.reasons)
        publishing = sum(1 for a in updates if PUBLISH in a.reasons)
        drafts = sum(1 for a in self.plan.actions if isinstance(a, Create) and a.draft)
        number = {
            "adopt": adopting,
            "publish": publishing,
            "update": len(updates) - adopting - publishing,
            "draft": drafts,
            "create": self.plan.count("create") - drafts,
        }
        counts = [
            f"{number.get(kind, self.plan.count(kind))} {label}"
            for kind, label in (
                ("create", "to create" if self.dry_run else "created"),
                ("draft", "to create as drafts" if self.dry_run else "created as drafts"),
                ("publish", "drafts to publish" if self.dry_run else "drafts published"),
                ("adopt", "to adopt" if self.dry_run else "adopted"),
                ("update", "to update" if self.dry_run else "updated"),
                ("move", "to move" if self.dry_run else "moved"),
                ("retitle", "to rename first" if self.dry_run else "renamed first"),
                ("trash", "to trash" if self.dry_run else "trashed"),
                ("keep", "unchanged"),
                ("conflict", "left alone (edited in Confluence)"),
                ("held", "held back (draft mode)"),
                ("orphan", "no longer in the docs, kept"),
            )
            if number.get(kind, self.plan.count(kind))
        ]
        head = (
            "Dry run, nothing written" if self.dry_run else f"Published to space {self.space_key}"
        )
        line = f"{head}: " + (", ".join(counts) or "nothing to do")
        if self.interrupted:  # the counts are the plan's: say first that it was not finished
            line = f"{self.interrupted[0].upper()}{self.interrupted[1:]}; planned: " + (
                ", ".join(counts) or "nothing"
            )
        limits = self.rate_limits
        if limits.refusals:
            line += (
                f"; waited {limits.waited:.1f} s for Confluence's rate limits "
                f"({limits.refusals} request(s) refused and sent again)"
            )
        return line

    def to_json(self) -> dict[str, Any]:
        """The result as JSON-ready data (``docs-confluence publish --json``)."""
        return {
            "space": self.space_key,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "summary": self.summary(),
            "interrupted": self._interrupted_json(),
            "counts": self.counts(),
            "pages": [page.to_json() for page in self.pages],
            "errors": list(self.errors),
            "rate_limits": {
                "waited_seconds": round(self.rate_limits.waited, 3),
                "refused": self.rate_limits.refusals,
                "slowest_rate": None
                if self.rate_limits.slowest is None
                else round(self.rate_limits.slowest, 2),
            },
            "in_flight": {"most": self.in_flight.peak, "ceiling": self.in_flight.ceiling},
        }

    def _interrupted_json(self) -> dict[str, Any] | None:
        result = self.result
        if result is None or result.interrupted is None:
            return None
        return {
            "signal": signal_name(result.interrupted),
            "done": len(result.done),
            "total": result.total,
            "not_started": len(result.skipped),
            "message": self.interrupted,
        }


def failure_json(space_key: str | None, dry_run: bool, error: Exception) -> dict[str, Any]:
    """``--json`` for a run that stopped before it had a report (Confluence unreachable, an
    answer that was not JSON...): the same keys as :meth:`PublishReport.to_json`, no pages."""
    message = str(error)
    return {
        "space": space_key,
        "dry_run": dry_run,
        "ok": False,
        "summary": "Failed: " + message.splitlines()[0] if message else "Failed",
        "counts": {},
        "pages": [],
        "errors": [message],
        "rate_limits": {"waited_seconds": 0.0, "refused": 0, "slowest_rate": None},
        "in_flight": {"most": 0, "ceiling": 0},
    }


class PublishIncomplete(PublishError):
    """Some changes failed, or the plan could not be applied; *report* says which."""

    def __init__(self, message: str, report: PublishReport) -> None:
        super().__init__(message)
        self.report = report


class PublishInterrupted(PublishIncomplete, Interrupted):
    """Ctrl-C or SIGTERM stopped the publish after it started writing; *report* says what was
    done, ``exit_code`` is the shell's for the signal (130 for SIGINT, 143 for SIGTERM)."""

    def __init__(self, message: str, report: PublishReport, *, signal: int) -> None:
        PublishIncomplete.__init__(self, message, report)
        self.signal = signal


def page_results(
    plan: Plan,
    result: ApplyResult | None,
    bundle: Bundle,
    url_of: Callable[[str], str],
    diffs: Mapping[str, ReadableDiff] | None = None,
) -> tuple[PageResult, ...]:
    """Each page's outcome from the plan and (after a publish) what applying it did.
    *url_of* gives a page's address from its id; *diffs* (by key) what readers will see."""
    actions: dict[str, list[Action]] = {page.key: [] for page in bundle.pages}
    for action in plan.actions:
        actions.setdefault(action.key, []).append(action)
    failures: dict[str, list[str]] = {}
    ids: dict[str, str] = {}
    not_started: set[str] = set()
    if result is not None:
        for failed, message in result.failed:
            failures.setdefault(failed.key, []).append(message)
        ids = result.ids
        not_started = {action.key for action in result.skipped}
    results = []
    for key, planned in actions.items():
        page = bundle.page(key) if key in bundle else None
        known = (getattr(action, "page_id", None) for action in planned)
        page_id = ids.get(key) or next((str(found) for found in known if found), None)
        results.append(
            PageResult(
                key=key,
                title=page.title if page is not None else planned[0].title,
                outcome="interrupted"
                if key in not_started and key not in failures
                else _outcome(planned, failures.get(key), skipped=bool(plan.errors)),
                source=bundle.source_in_repository(page) if page is not None else None,
                page_id=page_id,
                url=None if page_id is None else url_of(page_id),
                errors=tuple(failures.get(key, ())),
                diff=(diffs or {}).get(key),
            )
        )
    return tuple(results)


def _outcome(actions: Iterable[Action], failures: list[str] | None, *, skipped: bool) -> str:
    if failures:
        return "failed"
    if skipped:
        return "skipped"
    found: set[str] = set()
    for action in actions:
        kind: str = action.kind
        if isinstance(action, Create | Update) and action.draft:
            kind = "drafted"
        elif isinstance(action, Update):
            kind = (
                "published"
                if PUBLISH in action.reasons
                else "adopted"
                if ADOPT in action.reasons
                else "restored"
                if RESTORE in action.reasons
                else "renamed"
                if action.reasons == ("title",)
                else "moved"
                if action.reasons == ("parent",)
                else "updated"
            )
        elif isinstance(action, Retitle):
            kind = "retired" if action.orphan else "" if action.temporary else "renamed"
        found.add(_OUTCOME_OF.get(kind, kind))
    return next((outcome for outcome in OUTCOMES if outcome in found), "unchanged")


_OUTCOME_OF = {
    "conflict": "conflict",
    "held": "held back",
    "create": "created",
    "trash": "trashed",
    "upload": "updated",
    "remove-attachment": "updated",
    "relabel": "updated",
    "move": "moved",
    "reorder": "moved",
    "keep": "unchanged",
    "orphan": "orphaned",
}
