"""PublishReport: what a publish tells its caller (the front ends print its summary)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .plan import ADOPT, Update

if TYPE_CHECKING:
    from .apply import ApplyResult
    from .plan import Conflict, Plan

__all__ = ["PublishReport"]


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
        adopting = sum(1 for a in self.plan.actions if isinstance(a, Update) and ADOPT in a.reasons)
        number = {"adopt": adopting, "update": self.plan.count("update") - adopting}
        counts = [
            f"{number.get(kind, self.plan.count(kind))} {label}"
            for kind, label in (
                ("create", "to create" if self.dry_run else "created"),
                ("adopt", "to adopt" if self.dry_run else "adopted"),
                ("update", "to update" if self.dry_run else "updated"),
                ("move", "to move" if self.dry_run else "moved"),
                ("retitle", "to rename first" if self.dry_run else "renamed first"),
                ("trash", "to trash" if self.dry_run else "trashed"),
                ("keep", "unchanged"),
                ("conflict", "left alone (edited in Confluence)"),
                ("orphan", "no longer in the docs, kept"),
            )
            if number.get(kind, self.plan.count(kind))
        ]
        head = (
            "Dry run, nothing written" if self.dry_run else f"Published to space {self.space_key}"
        )
        return f"{head}: " + (", ".join(counts) or "nothing to do")
