"""sphinx-build's own exit: configuration problems all at once and a failed publish as one
error, never a crash report; and sphinxcontrib-confluencebuilder's names understood."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest
from sphinx.cmd.build import build_main

from docs_confluence import read_bundle

from .conftest import ROOTS, config_errors, plain

if TYPE_CHECKING:
    from pathlib import Path

CRASH_REPORT = ("Traceback", "sphinx-doc/sphinx", "Sphinx error!", "Exception occurred")


def _tree(where: Path, conf: str = "") -> Path:
    srcdir = where / "src"
    shutil.copytree(ROOTS / "test-tree", srcdir)
    (srcdir / "conf.py").write_text('project = "Tree"\n' + conf)
    return srcdir


def _sphinx_build(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = build_main(["-b", "confluence", *args])
    captured = capsys.readouterr()
    output = plain(captured.out + captured.err)
    for sign in CRASH_REPORT:
        assert sign not in output
    return code, output


@pytest.fixture
def credentials(monkeypatch, live_confluence):
    monkeypatch.setenv("CONFLUENCE_USER", live_confluence.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", live_confluence.api_token)
    for name in ("CONFLUENCE_URL", "CONFLUENCE_SPACE", "CONFLUENCE_PARENT", "CONFLUENCE_PAT"):
        monkeypatch.delenv(name, raising=False)
    return live_confluence


# -- errors the Sphinx way ------------------------------------------------------------------


def test_every_configuration_problem_is_reported_at_once_and_exits_1(tmp_path, capsys):
    srcdir = _tree(
        tmp_path,
        "confluence_tabs = 'tabs'\nconfluence_spcae = 'DOC'\nconfluence_server_pass = 'hunter2'\n",
    )
    code, output = _sphinx_build(
        capsys, str(srcdir), str(tmp_path / "out"), "-D", "confluence_math=mathjax"
    )
    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 4
    assert "confluence_tabs = 'tabs': expected one of: panels, expand" in output
    assert "unknown option 'confluence_spcae'; did you mean 'confluence_space'?" in output
    assert "confluence_server_pass: credentials are never read from conf.py" in output
    assert "confluence_math = 'mathjax'" in output
    assert "hunter2" not in output
    assert "nothing built: fix the configuration errors above" in output
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_an_unknown_value_given_with_D_fails_the_build(tmp_path, capsys):
    code, output = _sphinx_build(
        capsys, str(_tree(tmp_path)), str(tmp_path / "out"), "-D", "confluence_spcae=DOC"
    )
    assert code == 1
    assert "ERROR: conf.py: unknown option 'confluence_spcae'" in output


def test_bad_values_given_with_D_are_errors_not_crashes(tmp_path, capsys):
    code, output = _sphinx_build(
        capsys,
        str(_tree(tmp_path)),
        str(tmp_path / "out"),
        *("-D", "confluence_cleanup=yes", "-D", "confluence_concurrency=many"),
        *("-D", "confluence_purge=maybe"),
    )
    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("ERROR:")]
    assert errors == [
        "ERROR: -D confluence_cleanup=yes: 'confluence_cleanup' must be '0' or '1', got 'yes' "
        "[confluence.config]",
        "ERROR: -D confluence_concurrency=many: invalid number 'many' for config value "
        "'confluence_concurrency' [confluence.config]",
        "ERROR: conf.py: -D confluence_purge=maybe: 'confluence_cleanup' must be '0' or '1', "
        "got 'maybe' [confluence.config]",
    ]


def test_a_list_given_with_D_is_split_at_commas(tmp_path, capsys):
    code, output = _sphinx_build(
        capsys, str(_tree(tmp_path)), str(tmp_path / "out"), "-D", "confluence_labels=a,b"
    )
    assert code == 0, output
    assert "confluence_labels" not in output
    bundle = read_bundle(tmp_path / "out")
    assert all(page.labels == ("a", "b") for page in bundle.pages)


def test_a_title_conflict_ends_in_one_error_naming_the_page(tmp_path, capsys, credentials):
    live = credentials
    with live.client(auth="human") as alice:
        alice.post(
            "/api/v2/pages",
            json={
                "spaceId": live.space().id,
                "title": "FAQ",
                "parentId": live.space().homepage_id,
                "body": {"representation": "storage", "value": "<p>Alice's</p>"},
            },
        ).raise_for_status()
    srcdir = _tree(tmp_path, f"confluence_url = {live.base_url!r}\nconfluence_space = 'DOC'\n")
    code, output = _sphinx_build(capsys, str(srcdir), str(tmp_path / "out"))
    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("ERROR:")]
    assert errors == ["ERROR: Nothing was published:"]
    lines = output.splitlines()
    reason = lines[lines.index(errors[0]) + 1]
    assert reason.startswith("  Page 'FAQ' (faq.rst): space DOC already has a page titled 'FAQ'")
    assert reason.endswith("[confluence.publish]")
    assert "build finished with problems" in output


def test_W_still_fails_a_build_with_warnings(tmp_path, capsys):
    srcdir = _tree(tmp_path)
    (srcdir / "index.rst").write_text("Home\n====\n\n:doc:`missing`\n")
    code, output = _sphinx_build(capsys, "-W", str(srcdir), str(tmp_path / "out"))
    assert code == 1
    assert "warnings treated as errors" in output


# -- sphinxcontrib-confluencebuilder's names ------------------------------------------------

CONFLUENCEBUILDER = """\
confluence_publish = True
confluence_server_url = {url!r}
confluence_space_key = "DOC"
confluence_page_hierarchy = True
confluence_purge = False
confluence_global_labels = ["docs"]
confluence_publish_denylist = ["hidden"]
confluence_timeout = 30
"""


def test_a_confluencebuilder_conf_py_publishes_on_its_first_run(tmp_path, capsys, credentials):
    live = credentials
    srcdir = _tree(tmp_path, CONFLUENCEBUILDER.format(url=live.base_url + "/"))
    code, output = _sphinx_build(capsys, str(srcdir), str(tmp_path / "out"))
    assert code == 0, output
    for old, new in [
        ("confluence_server_url", "confluence_url"),
        ("confluence_space_key", "confluence_space"),
        ("confluence_purge", "confluence_cleanup"),
        ("confluence_global_labels", "confluence_labels"),
        ("confluence_publish_denylist", "confluence_exclude"),
    ]:
        notice = f"{old} is sphinxcontrib-confluencebuilder's name: read as {new}; rename it"
        assert output.count(notice) == 1
    assert "confluence_page_hierarchy = True: pages always nest as the toctrees nest" in output
    assert "Home" in live.outline()
    assert "Hidden" not in live.outline()
    assert "docs" in live.page("DOC", "FAQ").labels


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("confluence_purge", "confluence_cleanup"),
        ("confluence_publish_denylist", "confluence_exclude"),
        ("confluence_publish_prefix", "confluence_title_prefix"),
        ("confluence_space_key", "confluence_space"),
        ("confluence_publish_dryrun", "confluence_dry_run"),
    ],
)
def test_confluencebuilder_names_with_D_are_read_as_ours(make_app, rootdir, old, new):
    value = {"confluence_publish_denylist": "faq", "confluence_space_key": "DOC"}.get(old, "1")
    app = make_app("confluence", srcdir=rootdir / "test-tree", confoverrides={old: value})
    warnings = plain(app.warning.getvalue())
    assert f"{old} is sphinxcontrib-confluencebuilder's name: read as {new}" in warnings
    if old == "confluence_publish_dryrun":  # needs a URL: the error speaks of our name
        assert "confluence_dry_run = True needs confluence_url" in config_errors(app)
        return
    assert app.statuscode == 0, warnings
    expected = {
        "confluence_cleanup": True,
        "confluence_exclude": ["faq"],
        "confluence_title_prefix": "1",
        "confluence_space": "DOC",
    }[new]
    assert getattr(app.config, new) == expected


def test_names_with_no_equivalent_are_listed_in_one_message(make_app, rootdir):
    overrides = {
        "confluence_publish_allowlist": ["index"],
        "confluence_publish_postfix": " (v2)",
        "confluence_disable_ssl_validation": True,
    }
    app = make_app("confluence", srcdir=rootdir / "test-tree", confoverrides=overrides)
    errors = config_errors(app).splitlines()
    assert len(errors) == 1
    assert "confluence_publish_allowlist = ['index']: list the documents to leave out" in errors[0]
    assert "confluence_publish_postfix = ' (v2)': titles take only a prefix" in errors[0]
    assert "confluence_disable_ssl_validation = True: certificates are always checked" in errors[0]
    assert "CA bundle" in errors[0]


def test_a_name_set_twice_under_both_spellings_is_refused(make_app, rootdir):
    overrides = {"confluence_space_key": "DOC", "confluence_space": "OPS"}
    app = make_app("confluence", srcdir=rootdir / "test-tree", confoverrides=overrides)
    assert "both are set: keep only confluence_space" in config_errors(app)
