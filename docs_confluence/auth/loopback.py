"""The loopback redirect of the OAuth 2.0 (3LO) login: a one-shot HTTP listener on
``127.0.0.1`` that waits for the browser to come back with the authorization code.

The callback URL must be registered for the app in the developer console, so it is fixed
(``http://127.0.0.1:8765/callback`` unless ``--callback`` says otherwise); port 0 picks any free
port, which only the sandbox accepts. Only a request carrying the ``state`` of this login ends
the wait (with a code or an ``error``); anything else on the port is answered 400 and ignored.
Each connection is served in its own thread with a timeout, so an idle one cannot hold up the
real redirect. The query (code and state) is never logged.
"""

from __future__ import annotations

import hmac
import logging
import socket
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..errors import AuthError, ConfigError

__all__ = ["DEFAULT_CALLBACK", "LoopbackRedirect"]

log = logging.getLogger(__name__)

DEFAULT_CALLBACK = "http://127.0.0.1:8765/callback"
_LOOPBACK_HOSTS = {"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1", "::1": "::1"}


class LoopbackRedirect:
    """A one-shot HTTP listener on a loopback *callback* URL, in a thread, for the login whose
    authorization request carried *state*.

    ``uri`` is the redirect URI to send (with the real port when *callback* says port 0);
    ``wait`` returns the full URL the browser came back to with that state.
    """

    def __init__(self, callback: str, state: str) -> None:
        parts = urlsplit(callback)
        host = (parts.hostname or "").lower()
        if parts.scheme != "http" or host not in _LOOPBACK_HOSTS or parts.port is None:
            raise ConfigError(
                f"--callback = {callback!r}: expected a loopback address with a port, such as "
                f"{DEFAULT_CALLBACK} (the callback URL registered for the OAuth app)"
            )
        self._host = host
        self._port = parts.port
        self.path = parts.path or "/"  #: the callback path the browser must come back to
        self._state = state
        self._received = threading.Event()
        self._answer = ""
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def uri(self) -> str:
        port = self._server.server_address[1] if self._server is not None else self._port
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{port}{self.path}"

    def __enter__(self) -> LoopbackRedirect:
        bind = _LOOPBACK_HOSTS[self._host]
        server_class = _IPv6Server if ":" in bind else _Server
        try:
            server = server_class((bind, self._port), _CallbackHandler)
        except OSError as exc:
            raise ConfigError(
                f"Cannot listen on {self.uri} for the sign-in redirect ({exc.strerror}); free "
                "the port or choose another with --callback (and register it for the app)"
            ) from exc
        server.redirect = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="oauth-redirect", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def wait(self, timeout: float) -> str:
        """The URL of the redirect, once the browser has come back."""
        if not self._received.wait(timeout):
            raise AuthError(
                f"No answer from the browser within {timeout:g} s; run docs-confluence login "
                "--oauth again (and open the address it prints)"
            )
        return self._answer

    def matches(self, state: str | None) -> bool:
        """Whether *state* is the one of this login."""
        return state is not None and hmac.compare_digest(state.encode(), self._state.encode())

    def deliver(self, path_and_query: str) -> bool:
        """Record the browser's request (the first one only); False when one came already."""
        if self._received.is_set():
            return False
        host = f"[{self._host}]" if ":" in self._host else self._host
        port = self._server.server_address[1] if self._server is not None else self._port
        self._answer = f"http://{host}:{port}{path_and_query}"
        self._received.set()
        return True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    redirect: LoopbackRedirect


class _IPv6Server(_Server):
    address_family = socket.AF_INET6


class _CallbackHandler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 10.0  # seconds a connection may stay idle

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        redirect = self.server.redirect
        if path != redirect.path:
            self._answer(404, "Not found")
            return
        params = parse_qs(query)
        if not redirect.matches(next(iter(params.get("state", ())), None)):
            self._answer(
                400,
                "This address does not belong to the sign-in in progress. Run docs-confluence "
                "login --oauth again if you are not signed in.",
            )
        elif not redirect.deliver(self.path):
            self._answer(409, "This sign-in was already completed; you can close this tab.")
        elif "error" in params:
            reason = (params.get("error_description") or params["error"])[0]
            self._answer(200, f"The sign-in did not complete: {reason}. You can close this tab.")
        else:
            self._answer(
                200,
                "docs-confluence received the sign-in. You can close this tab and return to the "
                "terminal.",
            )

    def _answer(self, status: int, message: str) -> None:
        body = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>docs-confluence</title>"
            f"</head><body><p>{escape(message)}</p></body></html>"
        ).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        # The query carries the authorization code: log the path only.
        # (Before the request line is parsed there is no path yet.)
        log.debug("Sign-in redirect: %s", getattr(self, "path", "").partition("?")[0])
