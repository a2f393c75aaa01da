"""The exceptions docs-confluence raises.

Front ends catch only the base class and translate it once, at their edge::

    ConfluencePublisherError        base: front ends catch only this
    ├── ConfigError                 names the option, the bad value and what is accepted
    ├── BundleError                 a bundle on disk that cannot be read or is inconsistent
    ├── StorageError                storage-format XHTML that does not parse
    ├── AuthError                   says which option or env var to set, never its value
    ├── NetworkError                a request that never got an answer (URL, hint)
    │   └── OutcomeUnknown          a write that may or may not have been applied: found out,
    │                               never resent blindly
    ├── PublishError                the plan cannot be applied safely (title taken, conflicts)
    │   └── Interrupted             Ctrl-C or SIGTERM: no new write started (.signal .exit_code)
    └── APIError                    Confluence answered with an error (.status .method .url .detail)
        ├── PermissionDenied        401/403
        ├── NotFound                404
        ├── VersionConflict         409: someone else wrote the page in between
        └── RateLimited             429/503 still failing after every retry
"""

from __future__ import annotations

__all__ = [
    "APIError",
    "AuthError",
    "BundleError",
    "ConfigError",
    "ConfluencePublisherError",
    "Interrupted",
    "NetworkError",
    "NotFound",
    "OutcomeUnknown",
    "PermissionDenied",
    "PublishError",
    "RateLimited",
    "StorageError",
    "VersionConflict",
]


class ConfluencePublisherError(Exception):
    """Base class of every error docs-confluence raises on purpose."""


class ConfigError(ConfluencePublisherError):
    """A setting is missing or has a value that cannot work."""


class BundleError(ConfluencePublisherError):
    """A bundle directory is malformed: bad manifest, missing file, unknown parent."""


class StorageError(ConfluencePublisherError):
    """A storage-format body is not well-formed XHTML."""


class AuthError(ConfluencePublisherError):
    """Credentials are missing, rejected or expired."""


class NetworkError(ConfluencePublisherError):
    """Confluence could not be reached (DNS, connection refused, timeout, dropped connection)."""


class OutcomeUnknown(NetworkError):
    """A write that is not safe to repeat was sent, and the answer (a 5xx, a timeout, a dropped
    connection) leaves open whether Confluence applied it: find out before going on."""


class PublishError(ConfluencePublisherError):
    """Publishing would be unsafe, or left work undone (title taken, unresolved conflicts)."""


class Interrupted(PublishError):
    """Ctrl-C or SIGTERM stopped the publish: no new write was started after it, the ones in
    flight finished and were recorded; the next run writes what is left. ``exit_code`` is the
    shell's for that signal (130 for SIGINT, 143 for SIGTERM)."""

    def __init__(self, message: str, *, signal: int = 2) -> None:
        super().__init__(message)
        self.signal = signal

    @property
    def exit_code(self) -> int:
        return 128 + self.signal


class APIError(ConfluencePublisherError):
    """Confluence answered a request with an error status."""

    def __init__(
        self, message: str, *, status: int, method: str, url: str, detail: str = ""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.method = method
        self.url = url
        self.detail = detail


class PermissionDenied(APIError):
    """401 or 403: the identity may not do this."""


class NotFound(APIError):
    """404: the page, space or attachment does not exist or is not visible."""


class VersionConflict(APIError):
    """409: the page changed between our read and our write."""


class RateLimited(APIError):
    """429 or 503 kept coming back after every retry."""
