from __future__ import annotations

import os
import struct
import sys
import textwrap
import zlib

import pytest

pytest_plugins = ["sphinx.testing.fixtures", "docs_confluence.testing"]

FAKE_MMDC = """\
    #!{python}
    import sys, pathlib
    args = sys.argv[1:]
    source = pathlib.Path(args[args.index("-i") + 1]).read_text()
    pathlib.Path({log!r}).open("a").write(" ".join(args[args.index("-b"):]) + "\\n")
    if "fail" in source:
        sys.exit("Parse error on line 1")
    pathlib.Path(args[args.index("-o") + 1]).write_bytes({png!r})
"""


def tiny_png(width: int, height: int) -> bytes:
    """A real PNG of *width* x *height* grey pixels."""
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


@pytest.fixture
def mmdc(tmp_path, monkeypatch):
    """A fake mermaid-cli ``mmdc`` first on PATH: writes a 40x20 PNG, fails on a source saying
    "fail". Returns the file it logs its options (from ``-b`` on) into, one line per run."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    log = tmp_path / "mmdc.log"
    script = folder / "mmdc"
    fake = textwrap.dedent(FAKE_MMDC).format(
        python=sys.executable, log=str(log), png=tiny_png(40, 20)
    )
    script.write_text(fake, encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log
