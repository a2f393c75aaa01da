"""Hostile reStructuredText documents."""

from __future__ import annotations

import textwrap

from hypothesis import strategies as st

from .texts import inline_text, raw, single_line


def _indent(text: str, by: str = "   ") -> str:
    return textwrap.indent(text, by, lambda line: True)


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    return single_line(draw(inline_text))


@st.composite
def nested_list(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 12))
    return "\n\n".join(
        "  " * level + f"- {single_line(draw(inline_text))}" for level in range(depth)
    )


@st.composite
def nested_quote(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 15))
    return "    " * depth + single_line(draw(inline_text))


@st.composite
def table(draw: st.DrawFn) -> str:
    columns = draw(st.integers(1, 10))
    rows = draw(st.integers(1, 50))
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in range(rows + 1):
        for column in range(columns):
            cell = f"h{column}" if row == 0 else single_line(draw(inline_text))
            lines.append(("   * - " if column == 0 else "     - ") + cell)
    return "\n".join(lines)


@st.composite
def raw_html(draw: st.DrawFn) -> str:
    return ".. raw:: html\n\n" + _indent(draw(raw))


@st.composite
def section(draw: st.DrawFn) -> str:
    title = single_line(draw(inline_text)).strip() or "x"
    return f"{title}\n{'=' * (len(title) + 4)}"


@st.composite
def literal(draw: st.DrawFn) -> str:
    return "::\n\n" + _indent(draw(inline_text))


block = st.one_of(
    paragraph(), nested_list(), nested_quote(), table(), raw_html(), section(), literal()
)
document = st.lists(block, min_size=1, max_size=8).map(lambda blocks: "\n\n".join(blocks) + "\n")
