"""The API gateway in front of the sandbox site: ``/ex/confluence/{cloudId}/wiki/...``.

Requests there reach the site's own routes; the gateway only decides who may come in. Bearer
tokens must be OAuth access tokens (checked by `docs_confluence.sandbox.oauth.OAuthServer`) whose
scopes allow the route, per the table below (confluence-api.md 5.5): the first rule matching the
method and route template wins, and any one of its scopes will do (granular first, then the
classic equivalent). Its own errors are ``{"code": n, "message": ...}``, not Confluence's shapes.
"""

from __future__ import annotations

import re

from .errors import ApiError
from .messages import Response

__all__ = ["GATEWAY_PREFIX", "KNOWN_SCOPES", "GatewayError", "gateway_split", "required_scopes"]

GATEWAY_PREFIX = "/ex/confluence/"

_SCOPE_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("GET", r"/api/v2/spaces.*", ("read:space:confluence",)),
    ("GET", r"/api/v2/pages/\{id\}/ancestors", ("read:content.metadata:confluence",)),
    (
        "GET",
        r"/api/v2/pages/\{id\}/(direct-children|descendants)",
        ("read:hierarchical-content:confluence",),
    ),
    ("GET", r"/api/v2/(pages/\{id\}/)?attachments.*", ("read:attachment:confluence",)),
    ("DELETE", r"/api/v2/attachments/.*", ("delete:attachment:confluence",)),
    ("GET", r"/api/v2/pages.*", ("read:page:confluence",)),
    ("POST|PUT", r"/api/v2/pages.*", ("write:page:confluence",)),
    ("DELETE", r"/api/v2/pages/\{id\}/properties/.*", ("write:page:confluence",)),
    ("DELETE", r"/api/v2/pages/\{id\}", ("delete:page:confluence",)),
    ("GET", r"/rest/api/user/current", ("read:content-details:confluence", "read:confluence-user")),
    ("GET", r"/rest/api/user", ("read:user:confluence", "read:confluence-user")),
    (
        "GET",
        r"/rest/api/content/\{id\}/child/attachment",
        ("read:attachment:confluence", "read:confluence-content.summary"),
    ),
    (
        "POST|PUT",
        r"/rest/api/content/\{id\}/child/attachment.*",
        ("write:attachment:confluence", "write:confluence-file"),
    ),
    (
        "GET",
        r"/rest/api/content/\{id\}/label",
        ("read:label:confluence", "read:confluence-content.summary"),
    ),
    (
        "POST|DELETE",
        r"/rest/api/content/\{id\}/label.*",
        ("write:label:confluence", "write:confluence-content"),
    ),
    (
        "GET",
        r"/rest/api/content/\{id\}/property.*",
        ("read:content.property:confluence", "read:confluence-props"),
    ),
    (
        "POST|PUT|DELETE",
        r"/rest/api/content/\{id\}/property.*",
        ("write:content.property:confluence", "write:confluence-props"),
    ),
    (
        "PUT",
        r"/rest/api/content/\{id\}/move/.*",
        ("write:page:confluence", "write:confluence-content"),
    ),
    ("GET", r"/rest/api/space.*", ("read:space:confluence", "read:confluence-space.summary")),
    (
        "GET",
        r"/rest/api/content.*",
        ("read:content-details:confluence", "read:confluence-content.summary"),
    ),
    (
        "POST|PUT|DELETE",
        r"/rest/api/content.*",
        ("write:page:confluence", "write:confluence-content"),
    ),
)

#: Every scope the sandbox knows, plus ``offline_access``: what an app may request by default.
KNOWN_SCOPES: frozenset[str] = frozenset(
    {scope for _, _, scopes in _SCOPE_RULES for scope in scopes} | {"offline_access"}
)


def required_scopes(method: str, template: str) -> tuple[str, ...]:
    """The scopes (any one of them) a gateway request with this route needs; () for none."""
    for methods, pattern, scopes in _SCOPE_RULES:
        if re.fullmatch(methods, method) and re.fullmatch(pattern, template):
            return scopes
    return ()


class GatewayError(ApiError):
    """An answer from the API gateway itself, not from Confluence: ``{"code", "message"}``."""

    def __init__(self, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()):
        super().__init__(message)
        self.status = status
        self.headers = headers

    def response(self) -> Response:
        """The gateway's JSON answer."""
        return Response.json(
            {"code": self.status, "message": self.message}, self.status, self.headers
        )


def gateway_split(path: str) -> tuple[str, str] | None:
    """``(cloud id, path below /wiki)`` for a gateway path, else None."""
    if not path.startswith(GATEWAY_PREFIX):
        return None
    cloud_id, _, rest = path[len(GATEWAY_PREFIX) :].partition("/")
    below = rest[len("wiki") :] if rest == "wiki" or rest.startswith("wiki/") else "/" + rest
    return cloud_id, below
