"""Every surface is built from the one declaration of each option
(docs_confluence/settings/options.py): its names, defaults and choices, the names other tools use,
and the rules that span options."""

from __future__ import annotations

import pytest

from docs_confluence import ConfigError, PublisherConfig
from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.cli import _parser, main
from docs_confluence.settings.options import OPTIONS, UNSUPPORTED, Option
from mkdocs_confluence.plugin import ConfluencePlugin
from sphinx_confluence.migration import NO_EQUIVALENT, RENAMED

from .test_docs_options import _RecordingApp

_EMPTY: dict[str, object] = {"labels": [], "macros": {}}


def _declared(each: Option, surface: str) -> object:
    """The default a surface shows for *each* (lists where a list is taken)."""
    if each.kind in {"labels", "patterns"} and surface == "sphinx":
        return list(each.default or ())  # type: ignore[call-overload]
    return (
        _EMPTY.get(each.kind, each.default)
        if each.default is None or each.default == ()
        else each.default
    )


@pytest.mark.parametrize("each", [o for o in OPTIONS if o.mkdocs], ids=lambda o: o.name)
def test_the_plugin_takes_the_declared_default(each):
    plugin = ConfluencePlugin()
    errors, _ = plugin.load_config({})
    assert errors == []
    assert plugin.config[each.mkdocs] == _declared(each, "mkdocs")


@pytest.mark.parametrize("each", [o for o in OPTIONS if o.sphinx], ids=lambda o: o.name)
def test_the_builder_registers_the_declared_default(each):
    from sphinx_confluence.config import register

    app = _RecordingApp()
    register(app)  # type: ignore[arg-type]
    assert app.values[each.sphinx] == _declared(each, "sphinx")


@pytest.mark.parametrize(
    "each", [o for o in OPTIONS if o.cli and "publish" in o.cli.commands], ids=lambda o: o.name
)
def test_the_command_line_leaves_the_default_to_the_engine(each):
    args = _parser("docs-confluence").parse_args(["publish", "BUNDLE"])
    expected = {"bundle_dir": "BUNDLE"}.get(each.name, False if each.kind == "flag" else None)
    assert getattr(args, each.name) == expected


def test_other_tools_names_are_each_declared_once():
    names = [a.name for o in OPTIONS for a in o.aliases] + [u.name for u in UNSUPPORTED]
    ours = {n for o in OPTIONS for n in (o.mkdocs, o.sphinx) if n}
    assert sorted({n for n in names if names.count(n) > 1}) == []
    assert ours.isdisjoint(names)
    assert set(RENAMED) | set(NO_EQUIVALENT) == {n for n in names if n.startswith("confluence_")}


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--concurrency", "0"], "--concurrency = 0: expected a whole number from 1 to 32"),
        (["--max-attachment-mb", "0"], "--max-attachment-mb = 0.0: expected the site's"),
        (["--project", "no spaces"], "--project = 'no spaces': use up to"),
        (["--space", "A-B"], "--space = 'A-B': expected a space key"),
        (["--url", "ftp://x"], "--url = 'ftp://x': expected the site's base URL"),
    ],
)
def test_command_line_errors_name_the_flag(
    argv, says, live_confluence, monkeypatch, capsys, tmp_path
):
    monkeypatch.setenv("CONFLUENCE_URL", live_confluence.base_url)
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOC")
    builder = BundleBuilder("demo", generator="test")
    builder.add_page("index", "Home", "<p>Home</p>")
    bundle = builder.write(tmp_path / "bundle")
    assert main(["publish", str(bundle.root), *argv]) == 1
    assert f"error: docs-confluence: {says}" in capsys.readouterr().err
    assert live_confluence.stats.writes == 0


def test_a_space_is_required_with_a_url_on_every_surface(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("CONFLUENCE_SPACE", raising=False)
    with pytest.raises(SystemExit) as exit_:
        main(["plan", str(tmp_path), "--url", "https://example.atlassian.net/wiki"])
    assert exit_.value.code == 2
    assert "--space is required when the URL is set" in capsys.readouterr().err
    with pytest.raises(ConfigError, match=r"^conf.py: confluence_space is required when"):
        PublisherConfig.from_mapping(
            {"url": "https://wiki.example.com"},
            origin="conf.py",
            names={"url": "confluence_url", "space": "confluence_space"},
        )
