"""Errors the sandbox answers with, shaped like Confluence's own.

```
ApiError                    .status + one message; rendered per API (v1 or v2 shape)
├── InvalidRequest          400 BAD_REQUEST
│   ├── DuplicateTitle      the exact v1/v2 "A page with this title already exists" texts
│   └── InvalidStorage      "Error parsing xhtml: ... at [row,col {unknown-source}]: [r,c]"
├── Unauthorized            401
├── Forbidden               403
├── NotFound                404 ("Not Found" on v2, "No content found with id: ..." on v1)
├── MethodNotAllowed        405
├── Conflict                409
│   └── StaleVersion        the exact v1/v2 version-not-incremented texts
└── TooLarge                413
```

The store raises these too, so one rule (say, duplicate titles) gives the same answer whichever
API, harness helper or seed call triggered it.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Literal

Api = Literal["v1", "v2"]

#: The ``data`` member of every v1 error body.
V1_ERROR_DATA = {
    "authorized": False,
    "valid": True,
    "allowedInReadOnlyMode": True,
    "errors": [],
    "successful": False,
}


class ApiError(Exception):
    """An error answered to the client; ``status`` is the HTTP status."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def message_for(self, api: Api) -> str:
        """The human message as the given API spells it."""
        return self.message


class InvalidRequest(ApiError):
    """400: a bad parameter or body."""

    status = 400


class DuplicateTitle(InvalidRequest):
    """400: another page in the space has this title (compared case-insensitively)."""

    def __init__(self, title: str, space_key: str) -> None:
        super().__init__(f"A page with this title already exists: {title}")
        self.title = title
        self.space_key = space_key

    def message_for(self, api: Api) -> str:
        if api == "v2":
            return (
                "A page with this title already exists: "
                "A page already exists with the same TITLE in this space"
            )
        return (
            "A page with this title already exists: A page already exists with the title "
            f"{self.title} in the space with key {self.space_key}"
        )


class InvalidStorage(InvalidRequest):
    """400: the storage body is not well-formed XHTML."""

    def __init__(self, reason: str, row: int, column: int) -> None:
        super().__init__(
            f"Error parsing xhtml: {reason}\n at [row,col {{unknown-source}}]: [{row},{column}]"
        )
        self.reason = reason
        self.row = row
        self.column = column


class Unauthorized(ApiError):
    """401: missing or wrong credentials."""

    status = 401


class Forbidden(ApiError):
    """403: not allowed (XSRF check, space missing on v1 create)."""

    status = 403


class NotFound(ApiError):
    """404: unknown or invisible content; v2 always says ``Not Found``."""

    status = 404

    def message_for(self, api: Api) -> str:
        return "Not Found" if api == "v2" else self.message


class MethodNotAllowed(ApiError):
    """405: the path exists but not with this method."""

    status = 405


class Conflict(ApiError):
    """409: a concurrent or stale write."""

    status = 409


class StaleVersion(Conflict):
    """409: the submitted version is not the current one plus one."""

    def __init__(self, current: int, provided: int | None, *, what: str = "page") -> None:
        super().__init__(f"Version must be incremented on update. Current version is: {current}")
        self.current = current
        self.provided = provided
        self.what = what

    def message_for(self, api: Api) -> str:
        if api == "v2":
            return (
                f"Version must be incremented when updating a {self.what}. "
                f"Current Version: [{self.current}]. Provided version: [{self.provided}]"
            )
        return self.message


class TooLarge(ApiError):
    """413: request body or property value over the limit."""

    status = 413


def error_code(status: int) -> str:
    """The v2 ``code``: the upper-case reason phrase (``BAD_REQUEST``, ``NOT_FOUND``...)."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "ERROR"
    if status == 413:
        return "REQUEST_ENTITY_TOO_LARGE"
    return phrase.upper().replace(" ", "_").replace("-", "_")


def reason_phrase(status: int) -> str:
    """The HTTP reason phrase, as v1 bodies carry it in ``reason``."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_body(api: Api, status: int, message: str) -> bytes:
    """A Confluence-shaped JSON error body for ``api``."""
    if api == "v2":
        payload: object = {
            "errors": [
                {"status": status, "code": error_code(status), "title": message, "detail": None}
            ]
        }
    else:
        payload = {
            "statusCode": status,
            "data": V1_ERROR_DATA,
            "message": message,
            "reason": reason_phrase(status),
        }
    return json.dumps(payload).encode()
