"""The engine's renderers: LaTeX -> PNG (ziamath + resvg-py), Mermaid -> PNG (mermaid-cli)."""

from __future__ import annotations

import logging
import struct
import subprocess
import sys
import zlib

import pytest

from docs_confluence.storage import pictures
from docs_confluence.storage.pictures import Pictures, RenderError

from ..conftest import tiny_png

PRINT_PNG_HASH = (
    "import hashlib; from docs_confluence.storage.pictures import Pictures; "
    "print(hashlib.sha256(Pictures().math(r'\\int_0^1 x^2\\,dx', display=True).data).hexdigest())"
)


def chunk_kinds(png: bytes) -> list[bytes]:
    kinds, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kinds.append(png[at + 4 : at + 8])
        at += 12 + length
    return kinds


def test_a_formula_is_a_png_named_after_its_source_and_sized_in_css_pixels():
    found = Pictures().math("E = mc^2", display=False)
    assert found is not None
    assert found.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert found.filename.startswith("math-")
    assert found.filename.endswith(".png")
    width, height = struct.unpack(">II", found.data[16:24])
    assert (found.width, found.height) == (round(width / 2), round(height / 2))
    assert 10 <= found.height <= 24
    assert not {b"tIME", b"tEXt", b"zTXt", b"iTXt"} & set(chunk_kinds(found.data))


def test_inline_and_display_math_are_different_pictures():
    renderer = Pictures()
    inline = renderer.math("\\sum_{i=1}^n i", display=False)
    display = renderer.math("\\sum_{i=1}^n i", display=True)
    assert inline is not None
    assert display is not None
    assert inline.filename != display.filename
    assert display.height > inline.height


def test_the_same_formula_gives_the_same_bytes_in_another_process():
    runs = {
        subprocess.run(
            [sys.executable, "-c", PRINT_PNG_HASH], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    found = Pictures().math("\\int_0^1 x^2\\,dx", display=True)
    assert found is not None
    assert len(runs) == 1


def test_renders_are_cached_per_build_errors_included(monkeypatch):
    calls = []
    real = pictures._render_math

    def counting(latex, *, display):
        calls.append(latex)
        return real(latex, display=display)

    monkeypatch.setattr(pictures, "_render_math", counting)
    renderer = Pictures()
    assert renderer.math("x", display=False) is renderer.math("x", display=False)
    for _ in range(2):
        with pytest.raises(RenderError, match="not readable as LaTeX"):
            renderer.math("\\frac{1}{", display=True)
    assert calls == ["x", "\\frac{1}{"]


def test_an_empty_formula_is_refused():
    with pytest.raises(RenderError, match="empty"):
        Pictures().math("  ", display=True)


def test_without_the_library_nothing_is_rendered_and_what_to_install_is_said(monkeypatch):
    monkeypatch.setattr(pictures, "math_available", lambda: False)
    renderer = Pictures(mermaid_cli="")
    assert renderer.math("x", display=False) is None
    assert renderer.mermaid("graph TD; A-->B") is None
    assert renderer.missing() == [pictures.MATH_MISSING]
    assert Pictures(math=False).math("x", display=False) is None


def test_mermaid_through_mermaid_cli(mmdc):
    renderer = Pictures()
    found = renderer.mermaid("graph TD; A-->B")
    assert found is not None
    assert (found.width, found.height) == (20, 10)
    assert found.filename.startswith("mermaid-")
    assert renderer.mermaid("graph TD; A-->B") is found
    assert mmdc.read_text() == "-b white -s 2\n"  # rendered once
    with pytest.raises(RenderError, match="Parse error on line 1"):
        renderer.mermaid("graph fail")
    assert renderer.missing() == []


def test_mermaid_cli_can_be_a_command_with_options(mmdc, tmp_path):
    config = tmp_path / "puppeteer.json"
    found = Pictures(mermaid_cli=f"mmdc -p '{config}'").mermaid("graph TD; A-->B")
    assert found is not None


def test_without_mermaid_cli_the_diagram_is_left_to_the_caller(tmp_path):
    renderer = Pictures(mermaid_cli=str(tmp_path / "missing-mmdc"))
    assert renderer.mermaid("graph TD; A-->B") is None
    assert not renderer.mermaid_available()
    [message] = renderer.missing()
    assert "npm install -g @mermaid-js/mermaid-cli" in message


def test_a_slow_or_broken_mermaid_cli_is_a_render_error(tmp_path):
    slow = tmp_path / "slow-mmdc"
    slow.write_text(f"#!{sys.executable}\nimport time; time.sleep(10)\n", encoding="utf-8")
    slow.chmod(0o755)
    with pytest.raises(RenderError, match=r"longer than 0\.2 s"):
        Pictures(mermaid_cli=str(slow), timeout=0.2).mermaid("graph TD; A-->B")
    lazy = tmp_path / "lazy-mmdc"
    lazy.write_text(f"#!{sys.executable}\n", encoding="utf-8")
    lazy.chmod(0o755)
    with pytest.raises(RenderError, match="exited with 0: no message"):
        Pictures(mermaid_cli=str(lazy)).mermaid("graph TD; A-->B")


def test_varying_png_chunks_are_dropped():
    png = tiny_png(4, 2)
    stamp = b"tIME" + b"\x07\xea\x01\x02\x03\x04\x05"
    timed = (
        png[:33]
        + struct.pack(">I", 7)
        + stamp
        + struct.pack(">I", zlib.crc32(stamp) & 0xFFFFFFFF)
        + png[33:]
    )
    assert pictures._picture("math-x.png", timed).data == png
    with pytest.raises(RenderError, match="did not produce a PNG"):
        pictures._picture("math-x.png", b"<svg/>")


def test_rendering_a_formula_leaves_the_root_logger_alone():
    """ziafont logs through ``logging.debug``, which would configure the root logger and print
    every later line of a build twice."""
    root = logging.getLogger()
    before = list(root.handlers)
    root.handlers.clear()
    try:
        pictures.Pictures().render("formula", "x^2 + y^2", display=True)
        assert root.handlers == []
    finally:
        root.handlers[:] = before
