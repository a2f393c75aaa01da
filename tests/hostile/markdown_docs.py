"""Hostile Markdown pages."""

from __future__ import annotations

from hypothesis import strategies as st

from .texts import inline_text, raw, single_line


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    return single_line(draw(inline_text))


@st.composite
def nested_list(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 12))
    marker = draw(st.sampled_from(["-", "1."]))
    return "\n".join(
        "    " * level + f"{marker} {single_line(draw(inline_text))}" for level in range(depth)
    )


@st.composite
def nested_quote(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 20))
    return "> " * depth + single_line(draw(inline_text))


@st.composite
def table(draw: st.DrawFn) -> str:
    columns = draw(st.integers(1, 12))
    rows = draw(st.integers(1, 60))
    cell = st.one_of(inline_text, raw).map(lambda c: single_line(c).replace("|", "\\|"))
    lines = ["| " + " | ".join(f"h{i}" for i in range(columns)) + " |"]
    lines.append("|" + "---|" * columns)
    lines += ["| " + " | ".join(draw(cell) for _ in range(columns)) + " |" for _ in range(rows)]
    return "\n".join(lines)


@st.composite
def heading(draw: st.DrawFn) -> str:
    return "#" * draw(st.integers(1, 6)) + " " + single_line(draw(inline_text))


@st.composite
def raw_block(draw: st.DrawFn) -> str:
    return draw(raw)


@st.composite
def raw_inline(draw: st.DrawFn) -> str:
    return f"{single_line(draw(inline_text))} {draw(raw)} {single_line(draw(inline_text))}"


@st.composite
def fence(draw: st.DrawFn) -> str:
    return f"```\n{draw(inline_text)}\n```"


block = st.one_of(
    paragraph(),
    nested_list(),
    nested_quote(),
    table(),
    heading(),
    raw_block(),
    raw_inline(),
    fence(),
)
page = st.lists(block, min_size=1, max_size=8).map("\n\n".join)
