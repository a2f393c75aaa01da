"""Formulas and diagrams as pictures to attach to the page, for every front end.

LaTeX becomes a PNG with `ziamath <https://pypi.org/project/ziamath/>`_ (LaTeX -> SVG in pure
Python, with its own STIX Two Math font: no LaTeX, no browser, no service) and `resvg-py
<https://pypi.org/project/resvg-py/>`_ (SVG -> PNG); both come with the ``mkdocs`` and ``sphinx``
extras and are imported only when a formula is rendered. Mermaid diagrams become PNGs through
the official mermaid-cli (``mmdc``) when it is installed.

Pictures are deterministic (the same source gives the same bytes, and PNG files without
timestamps), named after their source (``math-<sha12>.png``, ``mermaid-<sha12>.png``) and
rendered once per build. A missing renderer is not an error: :meth:`Pictures.math` and
:meth:`Pictures.mermaid` return ``None``, the caller keeps the source as a code block, and
:meth:`Pictures.missing` says once per build what to install. A source the renderer refuses
raises :class:`RenderError` with the reason, for a warning naming the page and the source.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import shlex
import shutil
import struct
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = [
    "MATH_MISSING",
    "MERMAID_MISSING",
    "Kind",
    "Picture",
    "Pictures",
    "RenderError",
    "math_available",
    "short",
]

MATH_SIZE = 16
"""Font size of formulas, in CSS pixels: the size of Confluence's body text."""
ZOOM = 2
"""Image pixels per CSS pixel: pictures stay sharp on high-density screens."""
MERMAID_TIMEOUT = 60.0
"""Seconds one ``mmdc`` run may take (it starts a headless browser)."""

MATH_MISSING = (
    "formulas are shown as LaTeX code: the math renderer is not installed "
    "(pip install 'docs-confluence[mkdocs]' or 'docs-confluence[sphinx]', or ziamath and resvg-py)"
)
MERMAID_MISSING = (
    "Mermaid diagrams are shown as code: mermaid-cli ({command!r}) was not found "
    "(npm install -g @mermaid-js/mermaid-cli, or set the path of mmdc)"
)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_VARYING_CHUNKS = frozenset({b"tIME", b"tEXt", b"zTXt", b"iTXt"})

Kind = Literal["math", "mermaid"]


class RenderError(Exception):
    """A formula or diagram its renderer refused; the message says why."""


@dataclass(frozen=True, slots=True)
class Picture:
    """A rendered PNG, its attachment name, and its size on the page in CSS pixels."""

    filename: str
    data: bytes
    width: int
    height: int


def math_available() -> bool:
    """Whether the math renderer (ziamath and resvg-py) is installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("ziamath", "resvg_py"))


def short(source: str, limit: int = 60) -> str:
    """*source* on one line, cut to about *limit* characters (for warnings)."""
    line = " ".join(source.split())
    return line if len(line) <= limit else line[: limit - 1] + "\u2026"


class Pictures:
    """The renderers of one build, with their results cached by source.

    *math* off keeps every formula as code (no warning); *mermaid_cli* is the mermaid-cli
    command (a path or a command line, ``mmdc`` by default; empty: never render diagrams).
    """

    def __init__(
        self,
        *,
        math: bool = True,
        mermaid_cli: str = "mmdc",
        timeout: float = MERMAID_TIMEOUT,
    ) -> None:
        self.math_enabled = math
        self.mermaid_cli = mermaid_cli.strip()
        self.timeout = timeout
        self._cache: dict[tuple[str, str], Picture | RenderError] = {}
        self._missing: dict[Kind, str] = {}
        self._math_ok: bool | None = None
        self._mmdc: list[str] | Literal[False] | None = False  # False: not looked up yet

    def math(self, latex: str, *, display: bool) -> Picture | None:
        """The picture of a formula, ``None`` without the math renderer; raises
        :class:`RenderError` when the formula cannot be rendered."""
        if not self.math_enabled:
            return None
        if self._math_ok is None:
            self._math_ok = math_available()
        if not self._math_ok:
            self._missing["math"] = self.missing_message("math")
            return None
        mode = "display" if display else "inline"
        return self._cached(mode, latex, lambda: _render_math(latex, display=display))

    def mermaid(self, source: str) -> Picture | None:
        """The picture of a Mermaid diagram, ``None`` without mermaid-cli; raises
        :class:`RenderError` when mermaid-cli fails on it."""
        command = self._mermaid_command()
        if command is None:
            if self.mermaid_cli:
                self._missing["mermaid"] = self.missing_message("mermaid")
            return None
        return self._cached(
            "mermaid", source, lambda: _render_mermaid(source, command, self.timeout)
        )

    def render(
        self, kind: Literal["formula", "diagram"], source: str, *, display: bool = True
    ) -> Picture | None:
        """The picture of a formula or a Mermaid diagram, ``None`` without its renderer.

        Raises :class:`RenderError` whose message, the same in both front ends, names the
        formula or diagram and says it is shown as source."""
        try:
            if kind == "formula":
                return self.math(source, display=display)
            return self.mermaid(source)
        except RenderError as exc:
            message = f"{kind} {short(source)!r} not rendered ({exc}); shown as source"
            raise RenderError(message) from exc

    def missing(self) -> list[str]:
        """What could not be rendered for want of a renderer, one message per renderer."""
        return [self._missing[kind] for kind in sorted(self._missing)]

    def missing_message(self, kind: Kind) -> str:
        """What to install to render *kind*, as a sentence for a warning."""
        return MATH_MISSING if kind == "math" else MERMAID_MISSING.format(command=self.mermaid_cli)

    def mermaid_available(self) -> bool:
        """Whether mermaid-cli was found."""
        return self._mermaid_command() is not None

    def _mermaid_command(self) -> list[str] | None:
        if self._mmdc is False:
            self._mmdc = _find_command(self.mermaid_cli)
        return self._mmdc

    def _cached(self, kind: str, source: str, render: Callable[[], Picture]) -> Picture:
        key = (kind, source)
        found = self._cache.get(key)
        if found is None:
            try:
                found = render()
            except RenderError as exc:
                found = exc
            self._cache[key] = found
        if isinstance(found, RenderError):
            raise found
        return found


def _find_command(command: str) -> list[str] | None:
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if not words:
        return None
    found = shutil.which(words[0])
    return [found, *words[1:]] if found else None


def _name(kind: str, source: str) -> str:
    digest = hashlib.sha256(f"{kind}\n{source}".encode()).hexdigest()[:12]
    return f"{'mermaid' if kind == 'mermaid' else 'math'}-{digest}.png"


def _render_math(latex: str, *, display: bool) -> Picture:
    if not latex.strip():
        raise RenderError("the formula is empty")
    try:
        with warnings.catch_warnings(), _root_logger_left_alone():
            # ziamath 0.13 and ziafont load their fonts with importlib.resources.path()
            warnings.simplefilter("ignore", DeprecationWarning)
            import resvg_py
            from ziamath.zmath import Latex

            svg = Latex(latex, size=MATH_SIZE, inline=not display).svg()
        data = bytes(
            resvg_py.svg_to_bytes(
                svg_string=svg, zoom=ZOOM, background="white", skip_system_fonts=True
            )
        )
    except Exception as exc:  # the library's own errors are many and undocumented
        detail = f"{type(exc).__name__}: {exc}".rstrip(": ")
        raise RenderError(f"not readable as LaTeX ({detail})") from exc
    return _picture(_name("display" if display else "inline", latex), data)


@contextlib.contextmanager
def _root_logger_left_alone() -> Iterator[None]:
    """ziafont logs through the module-level ``logging.debug``, which configures the root
    logger (``basicConfig``) when it has no handler yet: every later log line of the build would
    then be printed twice. A handler that drops everything stands in while formulas render."""
    root = logging.getLogger()
    if root.handlers:
        yield
        return
    stand_in = logging.NullHandler()
    root.addHandler(stand_in)
    try:
        yield
    finally:
        root.removeHandler(stand_in)


def _render_mermaid(source: str, command: list[str], timeout: float) -> Picture:
    with tempfile.TemporaryDirectory(prefix="docs-confluence-mermaid-") as scratch:
        given, made = Path(scratch) / "diagram.mmd", Path(scratch) / "diagram.png"
        given.write_text(source, encoding="utf-8")
        args = [*command, "-i", str(given), "-o", str(made), "-b", "white", "-s", str(ZOOM)]
        try:
            run = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise RenderError(f"mermaid-cli took longer than {timeout:g} s") from exc
        except OSError as exc:
            raise RenderError(f"mermaid-cli could not be run: {exc}") from exc
        if run.returncode != 0 or not made.is_file():
            said = short(run.stderr or run.stdout or "", 200) or "no message"
            raise RenderError(f"mermaid-cli exited with {run.returncode}: {said}")
        data = made.read_bytes()
    return _picture(_name("mermaid", source), data)


def _picture(filename: str, data: bytes) -> Picture:
    """A picture of the PNG *data*, stripped of chunks that vary between runs (times, text)."""
    try:
        clean = _strip_png(data)
        width, height = struct.unpack(">II", clean[16:24])
    except (ValueError, struct.error) as exc:
        raise RenderError(f"the renderer did not produce a PNG ({exc})") from exc
    return Picture(filename, clean, max(1, round(width / ZOOM)), max(1, round(height / ZOOM)))


def _strip_png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("no PNG signature")
    kept, at = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        chunk = data[at : at + 12 + length]
        if len(chunk) != 12 + length:
            raise ValueError("a truncated PNG chunk")
        if chunk[4:8] not in _VARYING_CHUNKS:
            kept.append(chunk)
        at += 12 + length
    if len(kept) < 3 or kept[1][4:8] != b"IHDR":
        raise ValueError("no image header")
    return b"".join(kept)
