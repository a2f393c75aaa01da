"""The per-user credential store: one entry per Confluence site, in one 0600 JSON file.

``docs-confluence login`` writes it, publishing reads it (after the environment, which wins),
and a refreshed OAuth token is written back into it. The file lives in the platform's config
directory (``$XDG_CONFIG_HOME`` or ``~/.config`` on Linux, ``~/Library/Application Support`` on
macOS, ``%APPDATA%`` on Windows), or wherever ``DOCS_CONFLUENCE_CONFIG_DIR`` says.

Writes are atomic (a temporary file in the same directory, fsync, ``os.replace``), so a crash
leaves either the old file or the new one, never half of each: an OAuth refresh token, which
is single-use, is never lost. Read-modify-write cycles hold an exclusive lock on a file next to
the store (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows), so two processes that
refresh at once take turns and the second finds the first one's tokens.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import sys
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args
from urllib.parse import urlsplit

from ..errors import AuthError

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = [
    "CONFIG_DIR_VARIABLE",
    "CredentialStore",
    "LoginMethod",
    "StoredLogin",
    "config_dir",
    "site_key",
]

log = logging.getLogger(__name__)

CONFIG_DIR_VARIABLE = "DOCS_CONFLUENCE_CONFIG_DIR"
APP_DIR = "docs-confluence"
STORE_FILE = "credentials.json"
LOCK_FILE = "credentials.lock"
FORMAT_VERSION = 1

LoginMethod = Literal["token", "pat", "oauth", "client_credentials"]
_SECRET_FIELDS = ("secret", "client_secret", "access_token", "refresh_token")


def config_dir(environ: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """The directory that holds the store: ``DOCS_CONFLUENCE_CONFIG_DIR``, or the platform's
    per-user config directory plus ``docs-confluence``."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if env.get(CONFIG_DIR_VARIABLE):
        return Path(env[CONFIG_DIR_VARIABLE]).expanduser()
    if platform == "win32":
        appdata = env.get("APPDATA")
        base = Path(appdata) if appdata else Path.home() / "AppData" / "Roaming"
    elif platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = env.get("XDG_CONFIG_HOME")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return base / APP_DIR


def site_key(url: str) -> str:
    """The store key of a site: scheme, lower-cased host and port, path without trailing '/'."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.lower()}://{host}{port}{parts.path.rstrip('/')}"


def _nested(one: str, other: str) -> bool:
    """Same scheme, host and port, and one path is the other plus more segments."""
    a, b = urlsplit(one), urlsplit(other)
    if (a.scheme, a.netloc) != (b.scheme, b.netloc):
        return False
    short, long = sorted((a.path, b.path), key=len)
    return long.startswith(short + "/")


@dataclass(frozen=True, slots=True)
class StoredLogin:
    """What ``login`` stored for one site. Secret fields never appear in ``repr``.

    ``secret`` is the API token (``token``) or personal access token (``pat``); OAuth logins
    keep the app's ``client_id``/``client_secret``, the tokens, their expiry (seconds since the
    epoch), the granted scopes, the site's ``cloud_id`` and the endpoints they came from.
    """

    site: str
    method: LoginMethod
    email: str | None = None
    identity: str | None = None
    secret: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None
    scopes: tuple[str, ...] = ()
    cloud_id: str | None = None
    auth_url: str | None = None
    api_url: str | None = None
    updated_at: float | None = None

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value held, for masking."""
        return tuple(v for v in (getattr(self, name) for name in _SECRET_FIELDS) if v)

    def to_json(self) -> dict[str, Any]:
        """The entry as stored (``None`` fields left out)."""
        data = asdict(self)
        data["scopes"] = list(self.scopes)
        return {key: value for key, value in data.items() if value not in (None, [])}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoredLogin:
        """An entry read back; unknown keys (from a newer version) are ignored."""
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["scopes"] = tuple(values.get("scopes") or ())
        if values.get("method") not in get_args(LoginMethod):
            raise ValueError(f"unknown login method {values.get('method')!r}")
        return cls(**values)


class CredentialStore:
    """The store file in *directory* (default: :func:`config_dir`).

    ``get``/``all`` read without locking (the file is always whole); ``put``/``remove`` lock,
    re-read and write. Wrap a longer read-modify-write (an OAuth refresh) in :meth:`locked`,
    which is re-entrant within a thread.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else config_dir()
        self.path = self.directory / STORE_FILE
        self.lock_path = self.directory / LOCK_FILE
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._lock_fd: int | None = None

    def __repr__(self) -> str:
        return f"CredentialStore({str(self.path)!r})"

    # -- reading --------------------------------------------------------------------------------

    def all(self) -> list[StoredLogin]:
        """Every stored login, in site order."""
        return [self._entry(key, data) for key, data in sorted(self._read().items())]

    def get(self, url: str) -> StoredLogin | None:
        """The login for the site at *url*: the same base URL, or else the only login on the
        same host whose path contains or extends it (``https://x.atlassian.net`` finds
        ``https://x.atlassian.net/wiki``)."""
        sites = self._read()
        key = site_key(url)
        if key in sites:
            return self._entry(key, sites[key])
        related = [k for k in sites if _nested(k, key)]
        if len(related) == 1:
            return self._entry(related[0], sites[related[0]])
        return None

    # -- writing --------------------------------------------------------------------------------

    def put(self, login: StoredLogin) -> None:
        """Add or replace the login for ``login.site``."""
        with self.locked():
            sites = self._read()
            sites[login.site] = login.to_json()
            self._write(sites)
        log.debug("Stored the %s login for %s in %s", login.method, login.site, self.path)

    def remove(self, url: str) -> StoredLogin | None:
        """Remove the login for the site at *url*; returns what was removed."""
        with self.locked():
            login = self.get(url)
            if login is None:
                return None
            sites = self._read()
            del sites[login.site]
            self._write(sites)
        return login

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store's exclusive lock (other processes and threads wait)."""
        with self._thread_lock:
            if self._depth == 0:
                self._lock_fd = _acquire(self.directory, self.lock_path)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._lock_fd is not None:
                    _release(self._lock_fd)
                    self._lock_fd = None

    # -- the file -------------------------------------------------------------------------------

    def _read(self) -> dict[str, dict[str, Any]]:
        _check_private(self.directory, self.path)
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise AuthError(
                f"Cannot read the credential store {self.path}: {exc.strerror}"
            ) from exc
        try:
            data = json.loads(text)
            sites = data["sites"]
            if not isinstance(sites, dict):
                raise TypeError("sites is not an object")
        except (ValueError, KeyError, TypeError) as exc:
            raise AuthError(
                f"The credential store {self.path} is damaged; delete it and run "
                "docs-confluence login again"
            ) from exc
        return sites

    def _entry(self, key: str, data: Mapping[str, Any]) -> StoredLogin:
        try:
            return StoredLogin.from_json({**data, "site": key})
        except (TypeError, ValueError) as exc:
            raise AuthError(
                f"The credential store {self.path} has an unreadable entry for {key}; run "
                f"docs-confluence logout {key} and log in again"
            ) from exc

    def _write(self, sites: Mapping[str, Any]) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        payload = json.dumps({"version": FORMAT_VERSION, "sites": sites}, indent=2, sort_keys=True)
        temporary = self.directory / f".{STORE_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(payload + "\n")
                stream.flush()
                os.fsync(stream.fileno())
            temporary.chmod(0o600)
            temporary.replace(self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
        _sync_directory(self.directory)


if sys.platform == "win32":
    import msvcrt

    def _lock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for ~10 s, then raises OSError

    def _unlock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _sync_directory(directory: Path) -> None:
        """Windows cannot fsync a directory; os.replace is atomic there already."""

else:
    import fcntl

    def _lock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _sync_directory(directory: Path) -> None:
        """Make the rename itself durable."""
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        except OSError:  # some file systems refuse; the data itself is already synced
            pass
        finally:
            os.close(fd)


def _check_private(directory: Path, path: Path) -> None:
    """Keep the store private, as ssh does with ~/.ssh: a directory or file that others can
    read or write is tightened (with a warning); one owned by another user is refused."""
    if os.name == "nt" or not directory.exists():
        return  # Windows: the profile directory's ACLs protect it; absent: created 0700
    for target, private in ((directory, 0o700), (path, 0o600)):
        try:
            info = target.stat()
        except FileNotFoundError:
            continue
        if info.st_uid != os.getuid():
            raise AuthError(
                f"The credential store {target} belongs to another user; refusing to use it. "
                "Set DOCS_CONFLUENCE_CONFIG_DIR to a directory of your own."
            )
        if info.st_mode & 0o077:
            try:
                target.chmod(private)
            except OSError as exc:
                raise AuthError(
                    f"The credential store {target} can be read or written by others and "
                    f"cannot be made private ({exc.strerror}); refusing to use it"
                ) from exc
            log.warning(
                "The credential store %s could be read or written by others (mode %o); made it "
                "private (%o)",
                target,
                info.st_mode & 0o777,
                private,
            )


def _acquire(directory: Path, lock_path: Path) -> int:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    _check_private(directory, lock_path.parent / STORE_FILE)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _lock_fd(fd)
    except OSError:
        log.warning("Could not lock %s; going on without the lock", lock_path)
    return fd


def _release(fd: int) -> None:
    try:
        _unlock_fd(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
