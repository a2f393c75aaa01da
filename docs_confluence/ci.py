"""What a publish tells a CI service: under GitHub Actions (``GITHUB_ACTIONS=true``), a Markdown
job summary appended to ``$GITHUB_STEP_SUMMARY`` and ``::warning`` / ``::error`` annotations
(on stderr, which the runner reads as well as stdout, so ``--json`` keeps stdout clean) for pages
left alone because people edited them and for changes that failed, each naming its source file.

:func:`with_ci_report` runs a publish and reports what it returned (or the error that stopped it):
the CLI, the MkDocs plugin and the Sphinx builder all publish through it, so they give the same,
while the publisher only returns its report. Secrets never appear: everything written goes
through :func:`docs_confluence.masking.redact`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .config import environment_value
from .errors import ConfluencePublisherError
from .masking import redact
from .publisher.report import PublishIncomplete

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .publisher.report import PageResult, PublishReport

__all__ = [
    "github_annotations",
    "job_summary",
    "report_error_to_ci",
    "report_to_ci",
    "under_github_actions",
    "with_ci_report",
]

#: Rows of the summary's page table at most (GitHub takes up to 1 MiB a step).
MAX_ROWS = 300


def under_github_actions(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this runs as a GitHub Actions step."""
    return environment_value("GITHUB_ACTIONS", environ) == "true"


def with_ci_report(
    publish: Callable[[], PublishReport],
    *,
    environ: Mapping[str, str] | None = None,
    stream: TextIO | None = None,
) -> PublishReport:
    """Run *publish* and return its report; under GitHub Actions, write the job summary and the
    annotations of that report, of the one a :class:`PublishIncomplete` carries, or of the
    error that stopped the publish before it had one (then re-raised)."""
    try:
        report = publish()
    except PublishIncomplete as exc:
        report_to_ci(exc.report, environ=environ, stream=stream)
        raise
    except ConfluencePublisherError as exc:
        report_error_to_ci(exc, environ=environ, stream=stream)
        raise
    report_to_ci(report, environ=environ, stream=stream)
    return report


def report_to_ci(
    report: PublishReport,
    *,
    environ: Mapping[str, str] | None = None,
    stream: TextIO | None = None,
) -> None:
    """Under GitHub Actions, write the job summary and the annotations of *report*; elsewhere
    nothing (other services read the log and ``--json``)."""
    if not under_github_actions(environ):
        return
    out = stream or sys.stderr
    for line in github_annotations(report):
        out.write(redact(line, environ) + "\n")
    out.flush()
    _append_summary(job_summary(report), environ)


def report_error_to_ci(
    error: Exception,
    *,
    environ: Mapping[str, str] | None = None,
    stream: TextIO | None = None,
) -> None:
    """Under GitHub Actions, an ``::error`` annotation and a summary for a publish that stopped
    before it had a report (no credentials, Confluence unreachable...)."""
    if not under_github_actions(environ):
        return
    out = stream or sys.stderr
    out.write(redact(_command("error", str(error), title="Confluence publish"), environ) + "\n")
    out.flush()
    text = f"### Confluence: publish failed\n\n```\n{error}\n```\n"
    _append_summary(text, environ)


def github_annotations(report: PublishReport) -> list[str]:
    """``::warning`` lines for pages left alone, ``::error`` lines for failures and errors."""
    lines = []
    for page in report.pages:
        if page.outcome == "conflict":
            reason, overwrite = _conflict_reason(report, page.key)
            fix = (
                " Re-run with --on-conflict overwrite (or fold the change into this file) to "
                "publish it."
                if overwrite
                else ""
            )
            lines.append(
                _command(
                    "warning",
                    f"Page {page.title!r} was {reason}; left as it is.{fix}",
                    title="Edited in Confluence",
                    file=page.source,
                )
            )
        for error in page.errors:
            lines.append(
                _command("error", error, title=f"Not published: {page.title}", file=page.source)
            )
    lines.extend(_command("error", error, title="Confluence publish") for error in report.errors)
    return lines


def job_summary(report: PublishReport) -> str:
    """The Markdown job summary: the one-line summary, then the pages that changed (or would),
    with links, then what went wrong."""
    if report.dry_run:
        head = f"Confluence: dry run for space {report.space_key}"
    elif report.ok:
        head = f"Confluence: published to space {report.space_key}"
    elif report.interrupted:
        head = f"Confluence: publish to space {report.space_key} interrupted"
    else:
        head = f"Confluence: publish to space {report.space_key} needs attention"
    lines = [f"### {_text(head)}", "", _text(report.summary()), ""]
    listed = [page for page in report.pages if page.outcome != "unchanged"]
    if listed:
        lines += ["| Page | Source | Outcome |", "| --- | --- | --- |"]
        lines += [_row(page) for page in listed[:MAX_ROWS]]
        if len(listed) > MAX_ROWS:
            lines.append(f"| ... and {len(listed) - MAX_ROWS} more | | |")
        lines.append("")
    unchanged = len(report.pages) - len(listed)
    if unchanged:
        lines += [f"{unchanged} page{'s' if unchanged != 1 else ''} unchanged.", ""]
    problems = [
        f"- {_text(page.title)}: {_text(error)}" for page in report.pages for error in page.errors
    ]
    problems += [f"- {_text(error)}" for error in report.errors]
    if problems:
        lines += ["**Errors**", "", *problems, ""]
    return "\n".join(lines)


def _row(page: PageResult) -> str:
    title = _text(page.title)
    link = f"[{title}]({page.url})" if page.url and page.outcome != "trashed" else title
    source = f"`{page.source}`" if page.source else ""
    return f"| {link} | {source} | {page.outcome} |"


def _conflict_reason(report: PublishReport, key: str) -> tuple[str, bool]:
    """Why the page was left alone, and whether on_conflict=overwrite would replace it."""
    found = next((c for c in report.conflicts if c.key == key), None)
    return (found.reason, found.overwrite) if found is not None else ("edited in Confluence", True)


def _text(value: str) -> str:
    """*value* as Markdown text (table cells included): no markup, no HTML."""
    for char in "\\`*_[]<>|#":
        value = value.replace(char, "\\" + char)
    return " ".join(value.split())


def _command(kind: str, message: str, *, title: str, file: str | None = None) -> str:
    """A workflow command, escaped as the runner expects."""
    properties = [f"file={_escape_property(file)}"] if file else []
    properties.append(f"title={_escape_property(title)}")
    return f"::{kind} {','.join(properties)}::{_escape_data(message)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _append_summary(text: str, environ: Mapping[str, str] | None) -> None:
    path = environment_value("GITHUB_STEP_SUMMARY", environ)
    if path is None:
        return
    with Path(path).open("a", encoding="utf-8") as summary:
        summary.write(redact(text, environ) + "\n")
