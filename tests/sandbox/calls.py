"""Small request helpers shared by the sandbox tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx


def storage(value: str) -> dict[str, str]:
    """A v2 body in storage representation."""
    return {"representation": "storage", "value": value}


def create_page(
    client: httpx.Client,
    space_id: str,
    title: str,
    body: str = "<p>Text</p>",
    *,
    parent_id: str | None = None,
    **params: str,
) -> dict[str, Any]:
    """Create a page over v2 and return its JSON (the request must succeed)."""
    data: dict[str, Any] = {"spaceId": space_id, "title": title, "body": storage(body)}
    if parent_id is not None:
        data["parentId"] = parent_id
    response = client.post("/api/v2/pages", json=data, params=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def update_page(
    client: httpx.Client,
    page: dict[str, Any],
    body: str,
    *,
    version: int | None = None,
    **extra: Any,
) -> httpx.Response:
    """PUT a new version of a page over v2 (next version unless ``version`` is given)."""
    number = page["version"]["number"] + 1 if version is None else version
    data = {
        "id": page["id"],
        "status": "current",
        "title": page["title"],
        "body": storage(body),
        "version": {"number": number, "message": "publish"},
        **extra,
    }
    return client.put(f"/api/v2/pages/{page['id']}", json=data)


def v2_error(response: httpx.Response) -> tuple[int, str, str]:
    """(status, code, title) of a v2 error body."""
    error = response.json()["errors"][0]
    return error["status"], error["code"], error["title"]
