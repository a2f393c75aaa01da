"""The source notice on top of every page, with the link Read the Docs themes build."""

from __future__ import annotations

import pytest

from .conftest import config_errors
from .pages import xpath


def notice(built, key):
    """The notice panel of a page: its text and its link (None without one)."""
    first = built.body(key)[0]
    assert first.get("{http://atlassian.com/content}name") == "info"
    [paragraph] = xpath(first, ".//p")
    links = paragraph.xpath(".//a/@href")
    return " ".join("".join(paragraph.itertext()).split()), links[0] if links else None


GITHUB = {
    "github_user": "acme",
    "github_repo": "widgets",
    "github_version": "main",
    "conf_py_path": "/docs/",
}


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        (GITHUB, "https://github.com/acme/widgets/edit/main/docs/guide/install.rst"),
        (
            {
                "gitlab_host": "git.example.com",
                "gitlab_user": "acme",
                "gitlab_repo": "widgets",
                "gitlab_version": "main",
                "conf_py_path": "/",
            },
            "https://git.example.com/acme/widgets/-/edit/main/guide/install.rst",
        ),
        (
            {
                "bitbucket_user": "acme",
                "bitbucket_repo": "widgets",
                "bitbucket_version": "main",
                "conf_py_path": "/docs/",
            },
            "https://bitbucket.org/acme/widgets/src/main/docs/guide/install.rst?mode=edit",
        ),
    ],
)
def test_html_context_gives_the_edit_link(build, context, expected):
    built = build("tree", confluence_source_notice=True, html_context=context).built
    text, link = notice(built, "guide/install")
    assert link == expected
    assert text.startswith("This page is generated from the documentation repository")


def test_source_url_template_wins_and_text_is_configurable(build):
    built = build(
        "tree",
        confluence_source_notice=True,
        html_context=GITHUB,
        confluence_source_url="https://git.example.com/docs/-/edit/main/{path}",
        confluence_source_notice_text="Generated from {path}.",
    ).built
    assert notice(built, "guide/install") == (
        "Generated from guide/install.rst. Edit guide/install.rst.",
        "https://git.example.com/docs/-/edit/main/guide/install.rst",
    )


def test_without_a_repository_the_notice_names_the_file(build):
    built = build("tree", confluence_source_notice=True).built
    assert notice(built, "intro")[1] is None
    assert notice(built, "intro")[0].endswith("Source: intro.rst")


def test_source_notice_false_leaves_pages_as_they_are(build):
    built = build("tree").built  # the test root turns it off
    assert all(
        built.body(p.key)[0].get("{http://atlassian.com/content}name") != "info"
        for p in built.bundle.pages
    )


def test_an_unknown_placeholder_is_a_config_error(make_app, tmp_path):
    (tmp_path / "conf.py").write_text(
        'project = "P"\nconfluence_source_url = "https://x.test/{file}"\n', encoding="utf-8"
    )
    (tmp_path / "index.rst").write_text("Home\n====\n", encoding="utf-8")
    app = make_app("confluence", srcdir=tmp_path)
    app.build()
    assert "confluence_source_url" in config_errors(app)
    assert "{file}" in config_errors(app)
