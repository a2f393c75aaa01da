"""What CI reads: the JSON result of plan/publish, the GitHub job summary and annotations."""

from __future__ import annotations

import json

import pytest

from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.cli import main
from docs_confluence.publisher.report import PublishIncomplete

TOKEN = "sandbox-api-token"


@pytest.fixture
def env(monkeypatch, live_confluence):
    monkeypatch.setenv("CONFLUENCE_URL", live_confluence.base_url)
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOC")
    monkeypatch.setenv("CONFLUENCE_USER", "bot@example.com")
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", TOKEN)
    for name in ("CONFLUENCE_PAT", "CONFLUENCE_PARENT", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def docs(tmp_path, name="bundle", install="<p>Install</p>", labels=("a",), source_dir=None):
    builder = BundleBuilder("demo", generator="test", source_dir=source_dir)
    builder.add_page("index", "Home", "<p>Home</p>", source="index.md")
    builder.add_page(
        "guide/install.md",
        "Install",
        install,
        parent="index",
        labels=labels,
        source="guide/install.md",
    )
    return builder.write(tmp_path / name)


def test_publish_json_has_each_pages_outcome_id_and_url(env, tmp_path, capsys, live_confluence):
    assert main(["publish", "--json", str(docs(tmp_path).root)]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)  # stdout is only the JSON
    home = live_confluence.page("DOC", "Home")
    assert data["ok"] is True
    assert data["dry_run"] is False
    assert data["summary"] == "Published to space DOC: 2 created"
    assert data["counts"] == {"created": 2}
    assert data["errors"] == []
    assert data["pages"][0] == {
        "key": "index",
        "title": "Home",
        "source": "index.md",
        "outcome": "created",
        "page_id": home.id,
        "url": f"{live_confluence.base_url}/pages/viewpage.action?pageId={home.id}",
        "errors": [],
    }
    assert data["pages"][1]["source"] == "guide/install.md"
    assert TOKEN not in captured.out + captured.err

    assert main(["publish", "--json", str(docs(tmp_path, "b2", "<p>New</p>", ()).root)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["title"], p["outcome"]) for p in data["pages"]] == [
        ("Home", "unchanged"),
        ("Install", "updated"),
    ]
    assert data["pages"][0]["url"].endswith(f"pageId={home.id}")


def test_a_conflict_is_in_the_json_and_fails_the_command(env, tmp_path, capsys, live_confluence):
    main(["publish", str(docs(tmp_path).root)])
    live_confluence.edit_as_human(live_confluence.page("DOC", "Install").id, "<p>Alice</p>")
    capsys.readouterr()
    assert main(["publish", "--json", str(docs(tmp_path, "b2", "<p>New</p>").root)]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["ok"] is False
    assert data["counts"] == {"conflict": 1, "unchanged": 1}
    assert "left alone" in captured.err


def test_plan_json_has_planned_outcomes_and_urls(env, tmp_path, capsys, live_confluence):
    main(["publish", str(docs(tmp_path).root)])
    capsys.readouterr()
    assert main(["plan", "--json", str(docs(tmp_path, "b2", "<p>New</p>").root)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dry_run"] is True
    assert data["writes"] == 1  # the plan's own fields are still there
    assert [(p["key"], p["outcome"]) for p in data["pages"]] == [
        ("index", "unchanged"),
        ("guide/install.md", "updated"),
    ]
    assert all(p["url"] for p in data["pages"])


def test_failed_changes_are_in_the_report(publish, tmp_path, live_confluence):
    live_confluence.faults.server_error(20, status=500, method="POST", path=r"/label$")
    with pytest.raises(PublishIncomplete) as caught:
        publish(docs(tmp_path))
    report = caught.value.report
    data = report.to_json()
    assert data["ok"] is False
    install = data["pages"][1]
    assert install["outcome"] == "failed"
    assert install["source"] == "guide/install.md"
    assert install["errors"]
    assert "label" in install["errors"][0]
    assert data["pages"][0]["outcome"] == "created"


@pytest.fixture
def github(env, tmp_path):
    summary = tmp_path / "step-summary.md"
    env.setenv("GITHUB_ACTIONS", "true")
    env.setenv("GITHUB_STEP_SUMMARY", str(summary))
    return summary


def annotation_lines(text):
    return [line for line in text.splitlines() if line.startswith("::")]


def test_github_gets_a_job_summary_with_links(github, tmp_path, capsys, live_confluence):
    assert main(["publish", str(docs(tmp_path).root)]) == 0
    captured = capsys.readouterr()
    assert annotation_lines(captured.err + captured.out) == []
    install = live_confluence.page("DOC", "Install")
    url = f"{live_confluence.base_url}/pages/viewpage.action?pageId={install.id}"
    assert github.read_text().splitlines() == [
        "### Confluence: published to space DOC",
        "",
        "Published to space DOC: 2 created",
        "",
        "| Page | Source | Outcome |",
        "| --- | --- | --- |",
        "| [Home]("
        + url.replace(install.id, live_confluence.page("DOC", "Home").id)
        + ") | `index.md` | created |",
        f"| [Install]({url}) | `guide/install.md` | created |",
        "",
    ]


def test_github_gets_a_warning_for_each_page_left_alone(github, tmp_path, capsys, live_confluence):
    main(["publish", str(docs(tmp_path).root)])
    live_confluence.edit_as_human(live_confluence.page("DOC", "Install").id, "<p>Alice</p>")
    github.write_text("")
    capsys.readouterr()
    assert main(["publish", str(docs(tmp_path, "b2", "<p>New</p>").root)]) == 1
    captured = capsys.readouterr()
    assert (
        captured.out.strip()
        == "Published to space DOC: 1 unchanged, 1 left alone (edited in Confluence)"
    )
    [warning] = annotation_lines(captured.err)
    assert warning.startswith(
        "::warning file=guide/install.md,title=Edited in Confluence::Page 'Install' was edited"
    )
    assert "--on-conflict overwrite" in warning
    summary = github.read_text()
    assert summary.startswith("### Confluence: publish to space DOC needs attention\n")
    assert "| `guide/install.md` | conflict |" in summary
    assert "1 page unchanged." in summary


def test_github_gets_an_error_for_each_failed_change(github, tmp_path, capsys, live_confluence):
    live_confluence.faults.server_error(50, status=500, method="POST", path=r"/label$")
    assert main(["publish", "--json", str(docs(tmp_path).root)]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["counts"] == {"failed": 1, "created": 1}
    errors = annotation_lines(captured.err)
    assert len(errors) == 1
    assert errors[0].startswith("::error file=guide/install.md,title=Not published%3A Install::")
    summary = github.read_text()
    assert "| `guide/install.md` | failed |" in summary
    assert "**Errors**" in summary
    assert TOKEN not in summary + captured.err + captured.out


def test_annotations_name_files_as_the_repository_does(github, tmp_path, capsys, live_confluence):
    """GitHub places an annotation on a file by its path from the repository root."""
    main(["publish", str(docs(tmp_path, source_dir="site/docs").root)])
    live_confluence.edit_as_human(live_confluence.page("DOC", "Install").id, "<p>Alice</p>")
    capsys.readouterr()
    changed = docs(tmp_path, "b2", "<p>New</p>", source_dir="site/docs")
    assert main(["publish", "--json", str(changed.root)]) == 1
    captured = capsys.readouterr()
    [warning] = annotation_lines(captured.err)
    assert warning.startswith("::warning file=site/docs/guide/install.md,title=Edited")
    results = json.loads(captured.out)["pages"]
    assert {page["source"] for page in results} == {
        "site/docs/index.md",
        "site/docs/guide/install.md",
    }


def test_github_gets_an_error_when_a_publish_cannot_start(github, tmp_path, capsys):
    env = github
    assert main(["publish", "--space", "NOPE", str(docs(tmp_path).root)]) == 1
    captured = capsys.readouterr()
    [error] = annotation_lines(captured.err)
    assert error.startswith("::error title=Confluence publish::")
    assert "NOPE" in error
    assert env.read_text().startswith("### Confluence: publish failed")


def test_nothing_for_github_elsewhere(env, tmp_path, capsys):
    env.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))  # but GITHUB_ACTIONS unset
    assert main(["publish", str(docs(tmp_path).root)]) == 0
    assert annotation_lines(capsys.readouterr().err) == []
    assert not (tmp_path / "summary.md").exists()


def test_summary_and_annotation_text_is_escaped():
    from docs_confluence.ci import github_annotations, job_summary
    from docs_confluence.publisher.plan import Plan
    from docs_confluence.publisher.report import PageResult, PublishReport

    page = PageResult(
        "k", "A | <b>title</b>", "failed", source="a,b:c.md", errors=("50% done\nthen failed",)
    )
    report = PublishReport(Plan(space_key="DOC"), None, "DOC", False, (page,), ())
    [line] = github_annotations(report)
    assert line == (
        "::error file=a%2Cb%3Ac.md,title=Not published%3A A | <b>title</b>"
        "::50%25 done%0Athen failed"
    )
    assert "| A \\| \\<b\\>title\\</b\\> | `a,b:c.md` | failed |" in job_summary(report)


# -- plan is publish --dry-run ---------------------------------------------------------------


def edited_site(tmp_path, live_confluence):
    """A published site where a person then edited Install, and docs that change it again."""
    main(["publish", str(docs(tmp_path).root)])
    live_confluence.edit_as_human(live_confluence.page("DOC", "Install").id, "<p>Alice</p>")
    return docs(tmp_path, "b2", "<p>New</p>", labels=("a", "b"))


def new_site(tmp_path, live_confluence):
    """Nothing published yet: every page is a create."""
    return docs(tmp_path)


def blocked_site(tmp_path, live_confluence):
    """A page a person made holds the title the docs want: the plan has an error."""
    space = live_confluence.space("DOC")
    live_confluence.store.pages.create(
        space.id, "Install", "<p>by hand</p>", author_id=live_confluence.human.account_id
    )
    return docs(tmp_path)


@pytest.mark.parametrize(
    ("situation", "counts", "exits"),
    [
        (new_site, {"created": 2}, (0, 0)),
        (edited_site, {"conflict": 1, "unchanged": 1}, (0, 1)),
        (blocked_site, {"skipped": 2}, (1, 1)),
    ],
)
def test_plan_json_is_the_dry_run_report(
    env, tmp_path, capsys, live_confluence, situation, counts, exits
):
    """Same report, whichever command asks: the rate limits it met included; plan's exit code
    says only whether the plan can be applied."""
    bundle = situation(tmp_path, live_confluence)
    live_confluence.stats.reset()
    reports, codes = [], []
    for command in (["plan", "--diff"], ["publish", "--dry-run", "--diff"]):
        live_confluence.faults.rate_limit(1, method="GET", retry_after=0.05)
        capsys.readouterr()
        codes.append(main([*command, "--json", str(bundle.root)]))
        reports.append(json.loads(capsys.readouterr().out))
    planned, dry_run = reports
    for data in reports:
        assert data["rate_limits"]["refused"] == 1
        del data["rate_limits"]["waited_seconds"]  # a measured time
    assert planned == dry_run
    assert planned["dry_run"] is True
    assert planned["counts"] == counts
    assert "writes" in planned  # the plan's own fields, in both
    assert tuple(codes) == exits
    assert live_confluence.stats.writes == 0


def test_plan_under_github_actions_writes_the_job_summary(
    github, tmp_path, capsys, live_confluence
):
    bundle = edited_site(tmp_path, live_confluence)
    github.write_text("")
    capsys.readouterr()

    assert main(["plan", str(bundle.root)]) == 0  # a page left alone does not fail a plan

    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == "Plan for space DOC: 0 writes, 1 page unchanged"
    assert "Plan for space DOC" not in captured.err  # the table is shown once
    [warning] = annotation_lines(captured.err)
    assert warning.startswith("::warning file=guide/install.md,title=Edited in Confluence::")
    summary = github.read_text()
    assert summary.startswith("### Confluence: dry run")
    assert "| `guide/install.md` | conflict |" in summary
