"""The frame every viewer page shares: the HTML document, its style sheet and its headers.

The viewer shows user content, so each response carries a Content-Security-Policy that allows
no script at all (no ``script-src``: ``default-src 'none'`` forbids it), images only from the
sandbox itself, and only the inline style sheet below. Expand sections are ``<details>``, so
nothing needs a script. The colours follow Confluence's own (info blue, note yellow, warning
red, tip green; status lozenges Grey, Red, Yellow, Green, Blue): see docs/viewer.md.
"""

from __future__ import annotations

from html import escape

from ..messages import Response

CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action 'self'"

_PANELS = {
    # name: (background, accent)
    "info": ("#deebff", "#0052cc"),
    "note": ("#fffae6", "#ff991f"),
    "warning": ("#ffebe6", "#de350b"),
    "tip": ("#e3fcef", "#00875a"),
}
_STATUS = {
    # colour: (solid background, solid text, outline colour)
    "grey": ("#42526e", "#fff", "#42526e"),
    "red": ("#de350b", "#fff", "#bf2600"),
    "yellow": ("#ff991f", "#172b4d", "#b65c02"),
    "green": ("#00875a", "#fff", "#006644"),
    "blue": ("#0052cc", "#fff", "#0747a6"),
}


def _panel_rules() -> str:
    rules = []
    for name, (background, accent) in _PANELS.items():
        rules.append(
            f".panel-{name}{{background:{background}}}"
            f".panel-{name} .panel-icon{{background:{accent}}}"
        )
    for colour, (background, text, outline) in _STATUS.items():
        rules.append(
            f".status-{colour}{{background:{background};color:{text};border-color:{background}}}"
            f".status-{colour}.status-subtle{{background:#fff;color:{outline};"
            f"border-color:{outline}}}"
        )
    return "".join(rules)


STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#172b4d;"
    "line-height:1.5;font-size:15px}"
    "a{color:#0052cc;text-decoration:none}a:hover{text-decoration:underline}"
    ".shell{display:flex;min-height:100vh}"
    "nav.tree{width:16em;flex:none;background:#f4f5f7;padding:1em;border-right:1px solid #dfe1e6;"
    "font-size:13px}nav.tree ul{list-style:none;padding-left:1em;margin:0}"
    "nav.tree>ul{padding-left:0}nav.tree .current{font-weight:600}"
    "main{flex:1;padding:1.5em 2.5em;max-width:56em}"
    ".breadcrumbs{font-size:13px;color:#6b778c}.breadcrumbs a{color:#6b778c}"
    ".byline{font-size:13px;color:#6b778c;margin-top:-.5em}"
    "h1.page-title{font-size:1.9em;margin:.3em 0}"
    "small,.muted{color:#6b778c}li{margin:.15em 0}"
    "pre{background:#f4f5f7;padding:.8em;overflow:auto;font-size:13px}"
    "code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92em}"
    "p code,li code,td code{background:#f4f5f7;padding:0 .2em;border-radius:3px}"
    "table{border-collapse:collapse;margin:.8em 0}td,th{border:1px solid #c1c7d0;padding:.4em .6em;"
    "vertical-align:top}th{background:#f4f5f7;text-align:left}"
    "blockquote{border-left:2px solid #c1c7d0;margin-left:0;padding-left:1em;color:#42526e}"
    ".panel{display:flex;gap:.7em;border-radius:3px;padding:.8em 1em;margin:.8em 0}"
    ".panel-icon{flex:none;width:1.3em;height:1.3em;border-radius:50%;color:#fff;"
    "font-size:.85em;font-weight:700;text-align:center;line-height:1.3em;margin-top:.15em}"
    ".panel-body>:first-child{margin-top:0}.panel-body>:last-child{margin-bottom:0}"
    ".panel-title{font-weight:600;margin:0 0 .3em}"
    ".panel-custom{display:block;border:1px solid #c1c7d0;padding:0}"
    ".panel-custom>.panel-title{padding:.5em 1em;border-bottom:1px solid #c1c7d0;margin:0}"
    ".panel-custom>.panel-body{padding:.5em 1em}"
    ".code-block{border:1px solid #c1c7d0;border-radius:3px;margin:.8em 0;background:#f4f5f7}"
    ".code-header{display:flex;justify-content:space-between;padding:.3em .8em;"
    "border-bottom:1px solid #c1c7d0;font-size:13px;background:#ebecf0}"
    ".code-title{font-weight:600}.code-language{color:#6b778c}"
    ".code-block pre{margin:0;background:none}"
    ".numbered .line::before{content:attr(data-line);display:inline-block;width:3em;"
    "margin-right:1em;text-align:right;color:#97a0af;border-right:1px solid #c1c7d0;"
    "padding-right:.5em;user-select:none}"
    "details.expand{margin:.8em 0}details.expand>summary{cursor:pointer;color:#0052cc}"
    "details.expand>.expand-body{padding:.3em 0 .3em 1.2em}"
    ".status{display:inline-block;border:1px solid;border-radius:3px;padding:0 .35em;"
    "font-size:11px;font-weight:700;text-transform:uppercase;line-height:1.6;"
    "vertical-align:middle}"
    "ul.task-list{list-style:none;padding-left:.3em}ul.task-list input{margin-right:.5em}"
    ".toc-macro ul{margin:.2em 0}.children-macro{margin:.5em 0}"
    ".layout-section{display:flex;gap:1.5em}.layout-cell{flex:1;min-width:0}"
    ".image-center{display:block;margin:.5em auto}.image-right{float:right;margin:0 0 .5em 1em}"
    ".image-left{float:left;margin:0 1em .5em 0}.image-border{border:1px solid #c1c7d0}"
    ".missing-link{color:#bf2600;border-bottom:1px dashed #bf2600}"
    ".macro-unknown{border:1px dashed #97a0af;padding:.4em .8em;margin:.5em 0}"
    ".macro-name{font-size:12px;color:#6b778c;font-family:ui-monospace,monospace}"
    ".old-version{background:#fffae6;padding:.5em 1em;border-radius:3px}"
    "table.history td,table.history th{font-size:14px}"
    "table.diff{width:100%;font-family:ui-monospace,monospace;font-size:13px}"
    "table.diff td{border:none;padding:.1em .5em;white-space:pre-wrap}"
    "tr.removed td{background:#ffebe6}tr.added td{background:#e3fcef}"
    "tr.removed td.sign,tr.added td.sign{font-weight:700}td.sign{width:1em;color:#6b778c}"
    "del{background:#ffbdad;text-decoration:line-through}ins{background:#abf5d1;"
    "text-decoration:none}"
    "section.meta{margin-top:3em;border-top:1px solid #dfe1e6;font-size:14px}"
    "section.meta h2{font-size:1.1em}"
) + _panel_rules()


def document(title: str, body: str, status: int = 200) -> Response:
    """A complete viewer page: *body* is trusted HTML the viewer built, *title* is text."""
    text = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )
    return Response(
        status, text.encode(), "text/html; charset=utf-8", (("Content-Security-Policy", CSP),)
    )


def not_found(what: str) -> Response:
    """A 404 page that says what was not there."""
    return document(
        "Not found",
        f'<main><h1>Not found</h1><p>{escape(what)}</p><p><a href="/">All spaces</a></p></main>',
        404,
    )
