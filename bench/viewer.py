"""Viewer benchmark: how long the sandbox viewer takes to draw big pages and big trees.

Builds one space of N pages (10 sections of N/10) and one long page (B blocks: headings,
paragraphs with links, panels, code blocks, tables, an expand), saves it twice with a change,
then times over the in-process transport: the index, a page view (body plus the space tree
beside it), the history and the compare of the two versions. Prints milliseconds per request.

    .venv/bin/python bench/viewer.py [--pages 100 1000] [--blocks 500] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time

import httpx

from docs_confluence.testing import SandboxHarness


def long_body(blocks: int, edition: str) -> str:
    """A storage body of *blocks* sections mixing what the viewer draws."""
    parts = ['<ac:structured-macro ac:name="toc"/>']
    for n in range(blocks):
        parts.append(f"<h2>Section {n}</h2><p>Paragraph {n} of the {edition} edition, with ")
        parts.append(
            '<ac:link><ri:page ri:content-title="Page 1"/><ac:plain-text-link-body>'
            "<![CDATA[a link]]></ac:plain-text-link-body></ac:link>.</p>"
        )
        kind = ("info", "note", "warning", "tip", "code", "table", "expand")[n % 7]
        if kind == "code":
            parts.append(
                '<ac:structured-macro ac:name="code"><ac:parameter ac:name="linenumbers">'
                "true</ac:parameter><ac:plain-text-body><![CDATA["
                + "\n".join(f"line = {i}" for i in range(20))
                + "]]></ac:plain-text-body></ac:structured-macro>"
            )
        elif kind == "table":
            rows = "".join(f"<tr><td>{r}</td><td>cell {r}</td></tr>" for r in range(10))
            parts.append(f"<table><tbody>{rows}</tbody></table>")
        else:
            parts.append(
                f'<ac:structured-macro ac:name="{kind}"><ac:parameter ac:name="title">T{n}'
                f"</ac:parameter><ac:rich-text-body><p>Body {n}</p></ac:rich-text-body>"
                "</ac:structured-macro>"
            )
    return "".join(parts)


def timed(client: httpx.Client, path: str, repeat: int) -> float:
    """Milliseconds per GET of *path* (best of *repeat*)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        best = min(best, time.perf_counter() - started)
        response.raise_for_status()
    return best * 1000


def run(pages: int, blocks: int, repeat: int) -> None:
    harness = SandboxHarness.create()
    store, space = harness.store, harness.space()
    author = harness.bot.account_id
    parent = space.homepage_id
    for n in range(pages):
        if n % max(pages // 10, 1) == 0:
            section = store.pages.create(space.id, f"Section {n}", "<p>s</p>", author_id=author)
            parent = section.id
        store.pages.create(space.id, f"Page {n}", "<p>x</p>", author_id=author, parent_id=parent)
    long = store.pages.create(space.id, "Long", long_body(blocks, "first"), author_id=author)
    store.pages.update(long.id, version=2, author_id=author, body=long_body(blocks, "second"))
    with httpx.Client(transport=harness.transport, base_url=harness.origin) as client:
        figures = {
            "index": timed(client, "/", repeat),
            "page": timed(client, f"/view/pages/{long.id}", repeat),
            "history": timed(client, f"/view/pages/{long.id}/history", repeat),
            "compare": timed(client, f"/view/pages/{long.id}/compare?from=1&to=2", repeat),
        }
    shown = "  ".join(f"{name} {ms:7.1f} ms" for name, ms in figures.items())
    print(f"{pages:6d} pages, {blocks} blocks:  {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--blocks", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for pages in args.pages:
        run(pages, args.blocks, args.repeat)


if __name__ == "__main__":
    main()
