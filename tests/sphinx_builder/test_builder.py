"""The builder's life cycle: config checks, incremental and parallel builds, warnings routed
into Sphinx, and publishing into the sandbox over HTTP."""

from __future__ import annotations

import os
import re
import shutil
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
import sphinx
from sphinx.testing.util import SphinxTestApp

from docs_confluence import read_bundle
from docs_confluence.cli import main as cli_main
from docs_confluence.version import generator

from .conftest import ROOTS, config_errors, plain
from .pages import Built, xpath

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from docs_confluence.testing import SandboxHarness

# -- configuration --------------------------------------------------------------------------


def test_a_build_without_a_site_says_in_one_line_that_it_did_not_publish(build):
    lines = [line for line in build("markup").status.splitlines() if "Not published" in line]

    assert len(lines) == 1
    assert lines[0].startswith(
        "Not published: no Confluence site is set (confluence_url in conf.py, or CONFLUENCE_URL "
        "and CONFLUENCE_SPACE in the environment); publish the bundle later with: "
        "docs-confluence publish "
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"confluence_on_conflict": "ignore"}, r"confluence_on_conflict = 'ignore'.*keep"),
        ({"confluence_space": "not a key"}, r"confluence_space = 'not a key'"),
        ({"confluence_url": "ftp://x"}, r"confluence_url.*base URL"),
        ({"confluence_url": "https://x.atlassian.net/wiki"}, r"confluence_space .*required"),
        ({"confluence_dry_run": True}, r"confluence_dry_run = True needs confluence_url"),
        ({"confluence_labels": ["has space!"]}, r"confluence_labels"),
        ({"confluence_math": "mathjax"}, r"confluence_math = 'mathjax'.*image, code, macro"),
        ({"confluence_concurrency": 0}, r"confluence_concurrency"),
        ({"confluence_exclude": ["index"]}, r"confluence_exclude.*root document"),
    ],
)
def test_bad_config_value_stops_the_build_naming_the_value(make_app, rootdir, overrides, message):
    app = make_app("confluence", srcdir=rootdir / "test-tree", confoverrides=overrides)
    assert re.search(message, config_errors(app))


def test_unknown_confluence_option_gets_a_suggestion(make_app, tmp_path):
    srcdir = _copy("tree", tmp_path)
    _append(srcdir / "conf.py", "confluence_spcae = 'DOC'\n")
    errors = config_errors(make_app("confluence", srcdir=srcdir))
    assert re.search(r"unknown option 'confluence_spcae'.*'confluence_space'", errors)


def test_a_string_where_a_list_belongs_names_the_value(make_app, tmp_path):
    srcdir = _copy("tree", tmp_path)
    _append(srcdir / "conf.py", "confluence_labels = 'docs'\n")
    errors = config_errors(make_app("confluence", srcdir=srcdir))
    assert "confluence_labels = 'docs': expected a list" in errors


def test_secrets_in_conf_py_are_refused_and_point_to_the_environment(make_app, tmp_path):
    srcdir = _copy("tree", tmp_path)
    _append(srcdir / "conf.py", "confluence_api_token = 'hunter2'\n")
    app = make_app("confluence", srcdir=srcdir)
    assert "CONFLUENCE_API_TOKEN" in config_errors(app)
    assert "hunter2" not in app.warning.getvalue()


def test_images_of_one_name_from_two_folders_get_distinct_attachments(tmp_path):
    srcdir = _copy("refs", tmp_path)
    (srcdir / "more").mkdir()
    (srcdir / "more" / "logo.png").write_bytes((srcdir / "files" / "diagram.png").read_bytes())
    _append(srcdir / "other.rst", "\n.. image:: _static/logo.png\n\n.. image:: more/logo.png\n")
    outdir, _ = _build(srcdir, tmp_path / "out")
    bundle = read_bundle(outdir)
    page = bundle.page("other")
    body = bundle.read_body(page)
    assert 'ri:filename="logo.png"' in body
    assert 'ri:filename="logo-2.png"' in body
    names = {a.filename: a.sha256 for a in page.attachments}
    assert {"logo.png", "logo-2.png"} <= set(names)
    assert names["logo.png"] != names["logo-2.png"]


def test_url_and_space_can_come_from_the_environment(make_app, rootdir, monkeypatch):
    monkeypatch.setenv("CONFLUENCE_URL", "https://example.atlassian.net/wiki")
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOCS")
    app = make_app("confluence", srcdir=rootdir / "test-tree")
    assert (app.builder.publisher.url, app.builder.publisher.space) == (
        "https://example.atlassian.net/wiki",
        "DOCS",
    )


# -- incremental and parallel builds --------------------------------------------------------


def test_incremental_build_rewrites_the_changed_page_and_the_pages_linking_to_it(tmp_path):
    srcdir = _copy("tree", tmp_path)
    outdir, _ = _build(srcdir, tmp_path / "out")
    cache = outdir / ".pages"
    before = {path: path.stat().st_mtime_ns for path in cache.rglob("*.json")}
    install = srcdir / "guide/install.rst"
    install.write_text(install.read_text().replace("Install\n=======", "Setup\n====="))
    os.utime(install, (time.time() + 5, time.time() + 5))
    _build(srcdir, tmp_path / "out")
    rewritten = {
        path.relative_to(cache).as_posix()
        for path, mtime in before.items()
        if path.stat().st_mtime_ns != mtime
    }
    # the page, the page whose toctree lists it, and the page quoting its title in a :doc:
    assert rewritten == {"guide/install.json", "guide/index.json", "index.json"}
    built = Built(read_bundle(outdir))
    assert built.bundle.page("guide/install").title == "Setup"
    texts = ["".join(link.itertext()) for link in xpath(built.body("index"), ".//ac:link")]
    assert "Setup" in texts
    assert len(built.bundle.pages) == 14


def test_removed_page_leaves_the_bundle(tmp_path):
    srcdir = _copy("tree", tmp_path)
    _build(srcdir, tmp_path / "out")
    (srcdir / "orphan.rst").unlink()
    outdir, _ = _build(srcdir, tmp_path / "out")
    bundle = read_bundle(outdir)
    assert "orphan" not in bundle
    assert bundle.generator == generator("Sphinx", sphinx.__version__)
    assert not (outdir / ".pages/orphan.json").exists()


def test_parallel_build_writes_the_same_bundle_as_a_serial_one(tmp_path):
    serial = _copy("refs", tmp_path / "serial")
    parallel = _copy("refs", tmp_path / "parallel")
    one_dir, _ = _build(serial, tmp_path / "out-serial")
    two_dir, _ = _build(parallel, tmp_path / "out-parallel", parallel=2)
    one, two = read_bundle(one_dir), read_bundle(two_dir)
    assert [(p.key, p.sha256, p.attachments) for p in one.pages] == [
        (p.key, p.sha256, p.attachments) for p in two.pages
    ]


# -- warnings -------------------------------------------------------------------------------


def test_engine_warnings_reach_sphinxs_warning_stream(tmp_path):
    srcdir = _copy("tree", tmp_path)
    with _app(srcdir, tmp_path / "out", confoverrides={"confluence_exclude": ["faq"]}) as app:
        app.build()
    warnings = plain(app.warning.getvalue())
    assert "links to 'faq', which is not published" in warnings
    assert "[confluence.bundle]" in warnings


def test_suppress_warnings_silences_confluence_warnings(tmp_path):
    srcdir = _copy("unknown", tmp_path)
    with _app(srcdir, tmp_path / "out", confoverrides={"suppress_warnings": ["confluence"]}) as app:
        app.build()
    assert plain(app.warning.getvalue()) == ""


def test_warnings_fail_the_build_with_W(tmp_path):
    srcdir = _copy("unknown", tmp_path)
    with _app(srcdir, tmp_path / "out", warningiserror=True) as app:
        app.build()
    assert app.statuscode == 1


# -- publishing ------------------------------------------------------------------------------


@pytest.fixture
def credentials(monkeypatch, live_confluence):
    monkeypatch.setenv("CONFLUENCE_USER", live_confluence.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", live_confluence.api_token)
    for name in ("CONFLUENCE_URL", "CONFLUENCE_SPACE", "CONFLUENCE_PARENT", "CONFLUENCE_PAT"):
        monkeypatch.delenv(name, raising=False)
    return live_confluence


def _publishing(live: SandboxHarness, **extra: Any) -> dict[str, Any]:
    return {"confluence_url": live.base_url, "confluence_space": "DOC", **extra}


def test_build_publishes_the_tree_into_confluence(tmp_path, credentials, caplog):
    live = credentials
    with _app(_copy("tree", tmp_path), tmp_path / "out", confoverrides=_publishing(live)) as app:
        app.build()
    assert live.outline() == "\n".join(
        [
            "DOC Home",
            "  Home",
            "    Introduction",
            "    Guide",
            "      Install",
            "      Configuration",
            "    API",
            "      Configuration (API)",
            "    Hidden",
            "    Ref A",
            "    Ref B",
            "    FAQ",
            "    Orphan page",
            "    Unlisted",
            "      Unlisted child",
        ]
    )
    install = live.page("DOC", "Install")
    assert "Install it." in install.body
    status = plain(app.status.getvalue())
    assert "Published to space DOC" in status
    assert live.api_token not in status + plain(app.warning.getvalue()) + caplog.text
    written = [p.read_bytes() for p in app.outdir.rglob("*") if p.is_file()]
    assert not any(live.api_token.encode() in data for data in written)


def test_rebuilding_unchanged_docs_changes_nothing_in_confluence(tmp_path, credentials):
    live = credentials
    srcdir = _copy("refs", tmp_path)
    with _app(srcdir, tmp_path / "out", confoverrides=_publishing(live)) as first:
        first.build()
    before = live.page("DOC", "Other")
    with _app(srcdir, tmp_path / "out", confoverrides=_publishing(live)) as again:
        again.build()
    after = live.page("DOC", "Other")
    assert after.version == before.version
    assert "Published to space DOC" in plain(again.status.getvalue())


def test_dry_run_shows_the_plan_and_writes_nothing(tmp_path, credentials):
    live = credentials
    overrides = _publishing(live, confluence_dry_run=True)
    with _app(_copy("tree", tmp_path), tmp_path / "out", confoverrides=overrides) as app:
        app.build()
    assert live.outline() == "DOC Home"
    status = plain(app.status.getvalue())
    assert "Dry run, nothing written" in status
    assert "create" in status


def test_dry_run_with_confluence_diff_logs_what_readers_will_see_change(tmp_path, credentials):
    live = credentials
    srcdir = _copy("tree", tmp_path)
    with _app(srcdir, tmp_path / "out", confoverrides=_publishing(live)) as first:
        first.build()
    install = srcdir / "guide" / "install.rst"
    install.write_text(install.read_text().replace("Install it.", "Install it twice."))
    overrides = _publishing(live, confluence_dry_run=True, confluence_diff=True)
    with _app(srcdir, tmp_path / "again", confoverrides=overrides) as app:
        app.build()
    lines = plain(app.status.getvalue()).splitlines()
    at = lines.index("Changes to 'Install':")
    assert "    - Install it." in lines[at:]
    assert "    + Install it twice." in lines[at:]
    assert "Install it." in live.page("DOC", "Install").body  # nothing written


def test_build_and_publish_are_separable(tmp_path, credentials, capsys):
    live = credentials
    overrides = _publishing(live, confluence_publish=False)
    with _app(_copy("tree", tmp_path), tmp_path / "out", confoverrides=overrides) as app:
        app.build()
    assert live.outline() == "DOC Home"
    assert (app.outdir / "manifest.json").is_file()
    assert app.doctreedir == app.outdir.parent / "doctrees"
    assert app.doctreedir.is_dir()
    assert not (app.outdir / ".doctrees").exists()
    code = cli_main(["publish", str(app.outdir), "--url", live.base_url, "--space", "DOC"])
    assert code == 0
    assert live.tree()[0][1][0][0] == "Home"
    assert len(live.outline().splitlines()) == 15


def test_publish_failure_is_one_error_and_a_non_zero_exit(tmp_path, credentials, monkeypatch):
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", "wrong-token")
    overrides = _publishing(credentials)
    with _app(_copy("tree", tmp_path), tmp_path / "out", confoverrides=overrides) as app:
        app.build()  # no exception: Sphinx would make any of them a crash report
    assert app.statuscode == 1
    warnings = plain(app.warning.getvalue())
    assert warnings.splitlines()[-1] == (
        "ERROR: look up space DOC failed: 401 Client must be authenticated to access this "
        f"resource. (GET {credentials.base_url}/api/v2/spaces); check the credentials "
        "(CONFLUENCE_USER/CONFLUENCE_API_TOKEN or CONFLUENCE_PAT) and that the URL is the site's "
        "base URL [confluence.publish]"
    )
    assert "wrong-token" not in warnings
    assert "build finished with problems" in plain(app.status.getvalue())


# -- helpers ----------------------------------------------------------------------------------


def _copy(root: str, where: Path) -> Path:
    target = where / root
    shutil.copytree(ROOTS / f"test-{root}", target)
    return target


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


@contextmanager
def _app(srcdir: Path, builddir: Path, **kwargs: Any) -> Iterator[SphinxTestApp]:
    app = SphinxTestApp("confluence", srcdir=srcdir, builddir=builddir, **kwargs)
    try:
        yield app
    finally:
        app.cleanup()


def _build(srcdir: Path, builddir: Path, **kwargs: Any) -> tuple[Path, str]:
    """Build; returns the output directory and what Sphinx printed."""
    app = SphinxTestApp("confluence", srcdir=srcdir, builddir=builddir, **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()
    return app.outdir, plain(app.status.getvalue())


@pytest.mark.parametrize("name", ["confluence_headers", "confluence_publish_headers"])
def test_extra_headers_come_from_conf_py_in_our_name_or_confluencebuilders(
    make_app, rootdir, monkeypatch, name
):
    monkeypatch.delenv("CONFLUENCE_HEADERS", raising=False)
    app = make_app(
        "confluence",
        srcdir=rootdir / "test-tree",
        confoverrides={
            "confluence_url": "https://wiki.example.com/confluence",
            "confluence_space": "DOC",
            name: {"X-Gateway-Token": "gw-secret-value"},
        },
    )
    assert app.builder.publisher.headers == (("X-Gateway-Token", "gw-secret-value"),)


def test_the_bundle_knows_where_the_sources_are_in_the_repository(tmp_path):
    (tmp_path / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git is a file
    srcdir = _copy("tree", tmp_path)
    outdir, _ = _build(srcdir, tmp_path / "out")
    bundle = read_bundle(outdir)
    assert bundle.source_dir == "tree"
    install = bundle.page("guide/install")
    assert bundle.source_in_repository(install) == "tree/guide/install.rst"
