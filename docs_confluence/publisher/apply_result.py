"""ApplyResult: what applying a plan did (:mod:`.apply` fills it; :mod:`.report` reads it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .plan import Action

__all__ = ["ApplyResult", "IndexSave"]


@dataclass(slots=True)
class ApplyResult:
    """What happened: actions done, and failures with their messages."""

    done: list[Action] = field(default_factory=list)
    failed: list[tuple[Action | IndexSave, str]] = field(default_factory=list)
    index_writes: int = 0
    #: Actions not attempted because the run was interrupted (the next run does them).
    skipped: list[Action] = field(default_factory=list)
    #: The signal that interrupted the run (None: it ran to the end).
    interrupted: int | None = None
    #: How many actions write (what ``done`` counts towards).
    total: int = 0
    #: The page id of each page of ours by key, after the run (for links in reports).
    ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IndexSave:
    """Stands for the index write in the failure list."""

    key: str = "(ownership index)"
    title: str = "(ownership index)"
    kind: str = "index"
