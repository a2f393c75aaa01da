"""The one place the version is written (hatch reads it for the package metadata; the engine's
``__version__``, the User-Agent and the front ends import it from here), and the ``generator``
string a bundle's manifest carries."""

from __future__ import annotations

__all__ = ["__version__", "generator"]

__version__ = "0.1.0"


def generator(front_end: str, front_end_version: str) -> str:
    """What wrote a bundle, for its manifest: ``docs-confluence 0.1.0 (MkDocs 1.6.1)``.

    Every front end names itself the same way: this package and its version, then the
    documentation tool and the tool's version.
    """
    return f"docs-confluence {__version__} ({front_end} {front_end_version})"
