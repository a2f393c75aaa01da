"""Requests, responses and route tables: the small HTTP vocabulary the handlers speak."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import InvalidRequest, Unauthorized

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .errors import Api
    from .store import SandboxStore
    from .store.records import Flavor, User


@dataclass(frozen=True, slots=True)
class Request:
    """One decoded request, plus what the handler acts on (store, user, path parameters)."""

    method: str
    path: str
    route: str
    query: Mapping[str, tuple[str, ...]]
    headers: Mapping[str, str]
    body: bytes
    origin: str
    context_path: str
    flavor: Flavor
    store: SandboxStore
    user: User | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    #: The cloud id when the request came through the API gateway (``/ex/confluence/{id}``).
    gateway: str | None = None

    @property
    def base(self) -> str:
        """What Confluence calls ``_links.base``: origin plus context path."""
        return self.origin + self.context_path

    @property
    def account_id(self) -> str:
        """The account id of the authenticated user."""
        if self.user is None:
            raise Unauthorized("Client must be authenticated to access this resource.")
        return self.user.account_id

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default

    def int_arg(self, name: str, default: int) -> int:
        """An integer query parameter; 400 when it is not an integer."""
        value = self.arg(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise InvalidRequest(f"Invalid value for parameter {name}: {value}") from None

    def list_arg(self, name: str) -> list[str]:
        """A comma-separated (or repeated) query parameter as a list."""
        return [
            item.strip()
            for value in self.query.get(name, ())
            for item in value.split(",")
            if item.strip()
        ]

    def flag(self, name: str) -> bool:
        """A boolean query parameter (``true``/``false``)."""
        return (self.arg(name) or "").lower() == "true"

    def json(self) -> Any:
        """The body as JSON; 400 when it is not JSON."""
        try:
            return json.loads(self.body or b"null")
        except ValueError as exc:
            raise InvalidRequest(f"Unable to parse the request body as JSON: {exc}") from None

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object; 400 otherwise."""
        data = self.json()
        if not isinstance(data, dict):
            raise InvalidRequest("The request body must be a JSON object")
        return data


@dataclass(frozen=True, slots=True)
class Response:
    """A complete response."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(
        cls, data: Any, status: int = 200, headers: tuple[tuple[str, str], ...] = ()
    ) -> Response:
        """A JSON response."""
        return cls(status, json.dumps(data).encode(), "application/json", headers)

    @classmethod
    def empty(cls, status: int = 204) -> Response:
        """A response without a body."""
        return cls(status, b"", "")


@dataclass(frozen=True, slots=True)
class Route:
    """A method and path template (below the context path) mapped to a handler."""

    method: str
    template: str
    api: Api
    handler: Callable[[Request], Response]
    pattern: re.Pattern[str]
    auth: bool = True

    def match(self, path: str) -> dict[str, str] | None:
        """The path parameters when ``path`` fits the template, else None."""
        found = self.pattern.fullmatch(path)
        return None if found is None else found.groupdict()


class RouteTable:
    """Collects routes of one API under a prefix, as a decorator: ``@routes("GET", "/x")``."""

    def __init__(self, api: Api, prefix: str = "") -> None:
        self.api: Api = api
        self.prefix = prefix
        self.routes: list[Route] = []

    def __call__(
        self, method: str, template: str, *, auth: bool = True
    ) -> Callable[[Callable[[Request], Response]], Callable[[Request], Response]]:
        full = self.prefix + template
        pattern = re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(full)))

        def register(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
            self.routes.append(Route(method, full, self.api, handler, pattern, auth))
            return handler

        return register
