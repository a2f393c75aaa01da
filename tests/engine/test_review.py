"""Reviewing before a publish, through the command line against the sandbox over HTTP, on Cloud
and Data Center: ``plan --diff`` shows what readers will see change, and ``docs-confluence
edits`` shows who changed which page of ours in Confluence, when, and what."""

from __future__ import annotations

import io
import json
import sys

import pytest

from docs_confluence.cli import main

from .conftest import PAT, writes_nothing

SENTENCE = "Alice added this sentence in the editor."


@pytest.fixture
def cli(monkeypatch, server, flavor):
    """``main`` with the environment of the flavor's publishing account (the bot)."""
    monkeypatch.setenv("CONFLUENCE_URL", server.base_url)
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOC")
    monkeypatch.delenv("CONFLUENCE_PARENT", raising=False)
    monkeypatch.delenv("CI", raising=False)
    if flavor == "cloud":
        monkeypatch.setenv("CONFLUENCE_USER", server.email)
        monkeypatch.setenv("CONFLUENCE_API_TOKEN", server.api_token)
        monkeypatch.delenv("CONFLUENCE_PAT", raising=False)
    else:
        monkeypatch.setenv("CONFLUENCE_PAT", PAT.secret)
        monkeypatch.delenv("CONFLUENCE_USER", raising=False)
        monkeypatch.delenv("CONFLUENCE_API_TOKEN", raising=False)
    return main


def docs(site, install="<p>Run the installer.</p><p>Then restart.</p>"):
    site.pages = []
    site.page("index", "Home", "<h1>Welcome</h1><p>Start here.</p>")
    site.page("install", "Install", install, parent="index")
    site.page("usage", "Usage", "<ul><li>Open it</li><li>Use it</li></ul>", parent="index")
    return site.bundle()


def edit_through_the_api(server, flavor, title, *, body=None, new_title=None):
    """Save a new version of page *title* as alice, over HTTP, as the editor would."""
    page = server.page("DOC", title)
    body = page.body if body is None else body
    new_title = new_title or page.title
    with server.client(auth="human") as http:
        if flavor == "cloud":
            answer = http.put(
                f"{server.base_url}/api/v2/pages/{page.id}",
                json={
                    "id": page.id,
                    "status": "current",
                    "title": new_title,
                    "body": {"representation": "storage", "value": body},
                    "version": {"number": page.version + 1},
                },
            )
        else:
            answer = http.put(
                f"{server.base_url}/rest/api/content/{page.id}",
                json={
                    "type": "page",
                    "title": new_title,
                    "body": {"storage": {"representation": "storage", "value": body}},
                    "version": {"number": page.version + 1},
                },
            )
    answer.raise_for_status()


def move_through_the_api(server, title, under):
    page, target = server.page("DOC", title), server.page("DOC", under)
    with server.client(auth="human") as http:
        answer = http.put(f"{server.base_url}/rest/api/content/{page.id}/move/append/{target.id}")
    answer.raise_for_status()


# -- docs-confluence edits ---------------------------------------------------------------------


def test_edits_shows_the_persons_sentence_their_name_and_a_link(site, server, flavor, cli, capsys):
    bundle = docs(site)
    assert cli(["publish", str(bundle.root)]) == 0
    install = server.page("DOC", "Install")
    edited = f"<p>Run the installer.</p><p>{SENTENCE}</p><p>Then restart.</p>"
    edit_through_the_api(server, flavor, "Install", body=edited)
    capsys.readouterr()

    assert cli(["edits", str(bundle.root)]) == 0

    out = capsys.readouterr().out
    head = out.splitlines()[0]
    assert head.startswith("Page 'Install' (install) edited by Alice on ")
    assert head.endswith("(version 2; we published version 1)")
    assert f"    + {SENTENCE}" in out.splitlines()
    assert out.splitlines()[1] == f"  {server.base_url}/spaces/DOC/pages/{install.id}/Install"
    assert "Usage" not in out  # nobody changed it
    assert "--on-conflict overwrite" in out.splitlines()[-1]
    assert "\x1b[" not in out  # not a terminal: no colour


def test_edits_shows_a_new_title_and_a_new_place(site, server, flavor, cli, capsys):
    bundle = docs(site)
    cli(["publish", str(bundle.root)])
    edit_through_the_api(server, flavor, "Install", new_title="Installing")
    move_through_the_api(server, "Installing", under="Usage")
    capsys.readouterr()

    assert cli(["edits", str(bundle.root)]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Page 'Installing' (install) edited by Alice")
    assert "  title: 'Install' -> 'Installing'" in lines
    assert "  moved: from under 'Home' to under 'Usage'" in lines
    assert not [line for line in lines if line.startswith(("    + ", "    - "))]  # same body


def test_edits_as_json(site, server, flavor, cli, capsys):
    bundle = docs(site)
    cli(["publish", str(bundle.root)])
    edit_through_the_api(server, flavor, "Install", body=f"<p>{SENTENCE}</p>")
    capsys.readouterr()

    assert cli(["edits", "--json", str(bundle.root)]) == 0

    data = json.loads(capsys.readouterr().out)
    [edit] = data["edits"]
    assert (edit["key"], edit["title"], edit["author"]) == ("install", "Install", "Alice")
    assert (edit["version"], edit["published_version"]) == (2, 1)
    assert edit["when"].endswith("Z")
    lines = [(line["kind"], line["text"]) for line in edit["diff"]["lines"]]
    assert lines == [
        ("removed", "Run the installer."),
        ("removed", "Then restart."),
        ("added", SENTENCE),
    ]


def test_edits_when_nobody_changed_anything(site, server, cli, capsys):
    bundle = docs(site)
    cli(["publish", str(bundle.root)])
    capsys.readouterr()
    server.stats.reset()

    assert cli(["edits", str(bundle.root)]) == 0

    assert capsys.readouterr().out == "No page of ours in space DOC was changed in Confluence.\n"
    assert server.stats.writes == 0


def test_the_conflict_message_points_to_edits(site, server, flavor, cli, capsys):
    bundle = docs(site)
    cli(["publish", str(bundle.root)])
    edit_through_the_api(server, flavor, "Install", body=f"<p>{SENTENCE}</p>")
    changed = docs(site, install="<p>Run the new installer.</p>")
    capsys.readouterr()

    assert cli(["publish", str(changed.root)]) == 1

    err = capsys.readouterr().err
    command = f"docs-confluence edits {changed.root} --url {server.base_url} --space DOC"
    assert f"See who changed what, to bring it into the docs: {command}" in err
    assert server.page("DOC", "Install").body == f"<p>{SENTENCE}</p>"


# -- plan --diff -------------------------------------------------------------------------------


def test_plan_diff_shows_the_changed_sentence_old_and_new(site, server, cli, capsys):
    cli(["publish", str(docs(site).root)])
    bundle = docs(site, install="<p>Run the installer.</p><p>Then reboot twice.</p>")
    capsys.readouterr()
    server.stats.reset()

    assert cli(["plan", "--diff", str(bundle.root)]) == 0

    out = capsys.readouterr().out
    assert out.split("\n\n", 1)[1] == (
        "Changes to 'Install':\n      Run the installer.\n    - Then restart.\n"
        "    + Then reboot twice.\n"
    )
    assert server.stats.writes == 0


def test_plan_diff_shows_no_change_for_markup_confluence_rewrites(site, server, cli, capsys):
    # Confluence stores <b> as <strong> and gives macros ids: the same page reads the same.
    note = (
        '<ac:structured-macro ac:name="note"><ac:parameter ac:name="title">Careful</ac:parameter>'
        "<ac:rich-text-body><p>Back up first.</p></ac:rich-text-body></ac:structured-macro>"
    )
    cli(["publish", str(docs(site, install=f"<p>Run <b>setup</b>.</p>{note}").root)])
    assert "<strong>setup</strong>" in server.page("DOC", "Install").body
    assert "ac:macro-id" in server.page("DOC", "Install").body
    # Now the docs say the same in other markup: the body's sha changes, not what readers see.
    bundle = docs(site, install=f"<p>Run <strong>setup</strong>.</p>\n{note}")
    capsys.readouterr()

    assert cli(["plan", "--diff", "--json", str(bundle.root)]) == 0

    data = json.loads(capsys.readouterr().out)
    install = next(page for page in data["pages"] if page["key"] == "install")
    assert install["outcome"] == "updated"
    assert "diff" not in install


def test_plan_diff_names_a_macro_that_appears(site, server, cli, capsys):
    cli(["publish", str(docs(site).root)])
    warning = (
        '<ac:structured-macro ac:name="warning"><ac:parameter ac:name="title">Data loss'
        "</ac:parameter><ac:rich-text-body><p>Stop the service first.</p></ac:rich-text-body>"
        "</ac:structured-macro>"
    )
    bundle = docs(site, install=f"<p>Run the installer.</p>{warning}<p>Then restart.</p>")
    capsys.readouterr()

    assert cli(["plan", "--diff", "--json", str(bundle.root)]) == 0

    pages = {page["key"]: page for page in json.loads(capsys.readouterr().out)["pages"]}
    assert pages["install"]["diff"] == {
        "lines": [
            {"kind": "context", "text": "Run the installer."},
            {"kind": "added", "text": "[warning panel: Data loss]"},
            {"kind": "added", "text": "  Stop the service first."},
            {"kind": "context", "text": "Then restart."},
        ],
        "macros": ["warning panel added: Data loss"],
    }
    assert "diff" not in pages["usage"]


def test_publish_dry_run_diff_logs_the_change_and_writes_nothing(
    site, server, publish_to, cli, capsys
):
    cli(["publish", str(docs(site).root)])
    bundle = docs(site, install="<p>Run the installer.</p><p>Then reboot twice.</p>")
    capsys.readouterr()

    assert cli(["publish", "--dry-run", "--diff", str(bundle.root)]) == 0

    err = capsys.readouterr().err.splitlines()
    at = err.index("Changes to 'Install':")
    assert err[at + 1 : at + 4] == [
        "      Run the installer.",
        "    - Then restart.",
        "    + Then reboot twice.",
    ]
    assert writes_nothing(server, publish_to, docs(site))


class Terminal(io.StringIO):
    """What a terminal looks like to a program: a stream that is a tty."""

    def isatty(self):
        return True


def test_diffs_are_coloured_on_a_terminal_and_plain_in_ci(site, server, cli, monkeypatch):
    cli(["publish", str(docs(site).root)])
    bundle = docs(site, install="<p>Run the installer.</p><p>Then reboot twice.</p>")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)

    cli(["plan", "--diff", str(bundle.root)])
    monkeypatch.setenv("CI", "true")
    in_ci = Terminal()
    monkeypatch.setattr(sys, "stdout", in_ci)
    cli(["plan", "--diff", str(bundle.root)])

    assert "    \x1b[31m- Then restart.\x1b[0m" in terminal.getvalue().splitlines()
    assert "    \x1b[32m+ Then reboot twice.\x1b[0m" in terminal.getvalue().splitlines()
    assert "\x1b[" not in in_ci.getvalue()
    assert "    + Then reboot twice." in in_ci.getvalue().splitlines()


def test_plan_diff_reads_one_body_per_changed_page_and_nothing_more(site, server, cli, capsys):
    cli(["publish", str(docs(site).root)])
    site.pages = [(k, t, b.replace("</p>", " Now.</p>"), *rest) for k, t, b, *rest in site.pages]
    bundle = site.bundle()  # Home and Install change; Usage (a list) does not
    server.stats.reset()
    cli(["plan", str(bundle.root)])
    plain = server.stats.reads
    server.stats.reset()

    cli(["plan", "--diff", str(bundle.root)])

    assert server.stats.reads - plain == 2
    assert server.stats.writes == 0
    out = capsys.readouterr().out
    assert "Changes to 'Home':" in out
    assert "Changes to 'Install':" in out


def test_edits_shows_a_page_a_person_only_moved(site, server, cli, capsys):
    bundle = docs(site)
    cli(["publish", str(bundle.root)])
    move_through_the_api(server, "Install", under="Usage")
    capsys.readouterr()

    assert cli(["edits", str(bundle.root)]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Page 'Install' (install) moved in Confluence (version 1 is ours)"
    assert lines[2:4] == ["  moved: from under 'Home' to under 'Usage'", ""]


def test_plan_diff_shows_the_new_body_of_pages_renamed_first(site, server, cli, capsys):
    site.page("a", "Alpha", "<p>First page.</p>").page("b", "Beta", "<p>Second page.</p>")
    cli(["publish", str(site.bundle().root)])
    site.pages = []
    site.page("a", "Beta", "<p>First page, renamed.</p>").page("b", "Alpha", "<p>Second page.</p>")
    bundle = site.bundle()  # the titles swap: renames go first, the body goes with them
    capsys.readouterr()

    assert cli(["plan", "--diff", str(bundle.root)]) == 0

    out = capsys.readouterr().out
    assert "Changes to 'Beta':\n    - First page.\n    + First page, renamed.\n" in out
    assert "Second page" not in out


def test_publish_dry_run_diff_json_carries_each_changed_pages_diff(site, server, cli, capsys):
    cli(["publish", str(docs(site).root)])
    bundle = docs(site, install="<p>Run the installer.</p><p>Then reboot twice.</p>")
    capsys.readouterr()

    assert cli(["publish", "--dry-run", "--diff", "--json", str(bundle.root)]) == 0

    pages = {page["key"]: page for page in json.loads(capsys.readouterr().out)["pages"]}
    assert pages["install"]["diff"]["lines"][-2:] == [
        {"kind": "removed", "text": "Then restart."},
        {"kind": "added", "text": "Then reboot twice."},
    ]
    assert [key for key, page in pages.items() if "diff" in page] == ["install"]
