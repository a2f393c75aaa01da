"""Where a docs project's sources sit in its repository, so that CI annotations and reports can
name a file as the repository names it (``docs/guide/install.md``), not as the docs tool does
(``guide/install.md``)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["in_repository"]


def in_repository(directory: str | Path) -> str | None:
    """*directory* relative to the root of the git work tree holding it (``docs``; ``""`` for
    the root itself), or None when it is in none. Looks for ``.git`` (a directory, or a file
    in worktrees and submodules) upwards; never runs git."""
    start = Path(directory).resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            relative = start.relative_to(folder).as_posix()
            return "" if relative == "." else relative
    return None
