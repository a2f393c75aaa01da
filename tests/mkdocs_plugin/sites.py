"""Writing MkDocs sites into a directory, and reading their bundles back."""

from __future__ import annotations

import struct
import textwrap
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from docs_confluence import read_bundle, storage

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from lxml.etree import _Element

    from docs_confluence import Attachment, Bundle

NS = {"ac": storage.AC, "ri": storage.RI}

BASE_CONFIG = {
    "site_name": "Test Site",
    "theme": {"name": "mkdocs"},
    "plugins": ["confluence"],
}


def png(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real, tiny PNG image."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@dataclass
class BuiltSite:
    """A built site: where it is, and its bundle."""

    root: Path

    @property
    def bundle_dir(self) -> Path:
        return self.root / ".confluence-bundle"

    @property
    def bundle(self) -> Bundle:
        return read_bundle(self.bundle_dir)

    def tree(self) -> list[tuple[str, str, str | None]]:
        """(key, title, parent) of every page, in tree order."""
        return [(p.key, p.title, p.parent) for p in self.bundle.pages]

    def body(self, key: str) -> _Element:
        """The storage body of page *key*, parsed."""
        bundle = self.bundle
        return storage.parse_fragment(bundle.read_body(bundle.page(key)), where=key)

    def attachments(self, key: str) -> dict[str, Attachment]:
        return {a.filename: a for a in self.bundle.page(key).attachments}


def write_site(
    root: Path,
    files: Mapping[str, str | bytes],
    config: dict[str, Any] | str | None = None,
    *,
    notice: bool = False,
) -> Path:
    """Write *files* (text is dedented) and mkdocs.yml: BASE_CONFIG updated with *config*, or
    *config* itself when it is YAML text (for ``!!python/name`` and ``!ENV`` tags). The source
    notice is off unless *notice* or *config* turns it on."""
    if isinstance(config, str):
        yaml_text = textwrap.dedent(config).lstrip("\n")
    else:
        merged = {**BASE_CONFIG, **(config or {})}
        if not notice:
            merged["plugins"] = [_without_notice(p) for p in merged.get("plugins", [])]
        yaml_text = yaml.safe_dump(merged, sort_keys=False)
    (root / "mkdocs.yml").write_text(yaml_text, encoding="utf-8")
    for name, content in files.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root / "mkdocs.yml"


def _without_notice(plugin: Any) -> Any:
    """The confluence plugin's entry with the source notice off unless the test sets it: the
    notice has tests of its own (test_source_notice.py), the rest look at converted content."""
    if plugin == "confluence":
        return {"confluence": {"source_notice": False}}
    if isinstance(plugin, dict) and isinstance(plugin.get("confluence"), dict):
        return {"confluence": {"source_notice": False, **plugin["confluence"]}}
    return plugin


def xpath(node: _Element, path: str) -> Any:
    return node.xpath(path, namespaces=NS)


def macro_params(macro: _Element) -> dict[str, str]:
    """A macro's parameters as a dict."""
    return {p.get(f"{{{storage.AC}}}name"): p.text for p in xpath(macro, "ac:parameter")}


def macros(body: _Element, name: str) -> list[_Element]:
    return list(xpath(body, f".//ac:structured-macro[@ac:name='{name}']"))


def anchors(node: _Element) -> list[str]:
    """The names of the anchor macros below *node*, in order."""
    return [
        xpath(m, "string(ac:parameter)")
        for m in xpath(node, ".//ac:structured-macro[@ac:name='anchor']")
    ]


def text(node: _Element) -> str:
    """The text a reader sees (macro parameters are not shown)."""
    parts = xpath(node, ".//text()[not(ancestor::ac:parameter)]")
    return " ".join("".join(parts).split())
