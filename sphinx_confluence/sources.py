"""Source checks made before Sphinx reads anything: a file that is not valid in
``source_encoding`` stops the build with an error naming it (Sphinx itself fails there with a
bare ``UnicodeDecodeError`` that names no file)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .builder import ConfluenceError

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__all__ = ["check_encoding"]


def check_encoding(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Raise ConfluenceError for the first document that does not decode."""
    if app.builder.name != "confluence":
        return
    encoding = app.config.source_encoding
    for docname in docnames:
        path = Path(env.doc2path(docname))
        try:
            path.read_bytes().decode(encoding)
        except UnicodeDecodeError as exc:
            line = path.read_bytes()[: exc.start].count(b"\n") + 1
            raise ConfluenceError(
                f"{path}: line {line} is not valid {encoding} ({exc.reason} at byte "
                f"{exc.start}); save the file as {encoding} or set source_encoding in conf.py"
            ) from None
        except OSError:
            continue  # Sphinx reports a file it cannot read itself
