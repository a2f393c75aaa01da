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


def docs(tmp_path, name="bundle", install="<p>Install</p>", labels=("a",)):
    builder = BundleBuilder("demo", generator="test")
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
