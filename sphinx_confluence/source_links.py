"""Where each document's source is edited, for the source notice on top of every page.

``confluence_source_url`` (a template with ``{path}``, the file's path under the source
directory) wins; otherwise the ``html_context`` values that Read the Docs and its themes use to
link "Edit on GitHub/GitLab/Bitbucket" (``github_user``, ``github_repo``, ``github_version``,
``conf_py_path``; the ``gitlab_*`` and ``bitbucket_*`` equivalents) give the link, as those
themes build it. Neither: the notice names the file without a link.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sphinx.config import Config

__all__ = ["edit_url"]


def edit_url(config: Config, path: str) -> str | None:
    """The URL to edit *path* (relative to the source directory, with its suffix), or None."""
    path = PurePath(path).as_posix()  # URLs use forward slashes on every system
    template = config.confluence_source_url
    if template:
        return str(template).format(path=path)
    context: Mapping[str, Any] = config.html_context or {}
    folder = "/" + str(context.get("conf_py_path") or "/").strip("/") + "/"
    folder = "/" if folder == "//" else folder

    def given(*names: str) -> list[str] | None:
        values = [str(context.get(name) or "") for name in names]
        return values if all(values) else None

    if found := given("github_user", "github_repo", "github_version"):
        user, repo, version = found
        return f"https://github.com/{user}/{repo}/edit/{version}{folder}{path}"
    if found := given("gitlab_user", "gitlab_repo", "gitlab_version"):
        user, repo, version = found
        host = str(context.get("gitlab_host") or "gitlab.com")
        return f"https://{host}/{user}/{repo}/-/edit/{version}{folder}{path}"
    if found := given("bitbucket_user", "bitbucket_repo", "bitbucket_version"):
        user, repo, version = found
        return f"https://bitbucket.org/{user}/{repo}/src/{version}{folder}{path}?mode=edit"
    return None
