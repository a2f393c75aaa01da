"""Generated sites the concurrency and rate-limit tests publish: sections of labelled pages."""

from __future__ import annotations


def wide_site(site, sections=3, pages=12):
    site.page("index", "Home", "<p>Home</p>")
    for s in range(sections):
        site.page(f"s{s}", f"Section {s}", f"<p>{s}</p>", parent="index")
        for p in range(pages):
            site.page(f"s{s}/{p}", f"Page {s}.{p}", f"<p>{s}.{p}</p>", parent=f"s{s}", labels=["x"])
    return site


def expected_outline(sections=3, pages=12):
    lines = ["DOC Home", "  Home"]
    for s in range(sections):
        lines.append(f"    Section {s}")
        lines.extend(f"      Page {s}.{p}" for p in range(pages))
    return "\n".join(lines)
