"""Serving the sandbox over real HTTP: a threaded wsgiref server on loopback.

`serve` runs any WSGI app in a background thread for the length of a ``with`` block (tests,
``live_confluence``); `serve_forever` is what ``docs-confluence sandbox`` runs.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import sys
import threading
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from .app import Sandbox
from .faults import ConnectionDropped
from .store import SandboxStore, seed
from .store.site import DEFAULT_API_TOKEN, DEFAULT_EMAIL, DEFAULT_PAT

if TYPE_CHECKING:
    import ssl
    from collections.abc import Callable, Iterator, Sequence
    from pathlib import Path
    from types import TracebackType
    from wsgiref.types import WSGIApplication

    from .store.records import Flavor

log = logging.getLogger(__name__)

DEFAULT_PORT = 8990
DEFAULT_OAUTH_CLIENT_ID = "sandbox-oauth-app"
DEFAULT_OAUTH_CLIENT_SECRET = "sandbox-oauth-secret"


class _ServerHandler(ServerHandler):
    def handle_error(self) -> None:
        if isinstance(sys.exc_info()[1], ConnectionDropped):
            return  # write nothing: the server closes the socket without a response
        super().handle_error()

    def log_exception(
        self,
        exc_info: tuple[type[BaseException], BaseException, TracebackType]
        | tuple[None, None, None],
    ) -> None:
        log.error("Sandbox request failed", exc_info=exc_info)


class _RequestHandler(WSGIRequestHandler):
    def handle(self) -> None:
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.send_error(414)
            return
        if not self.parse_request():
            return
        handler = _ServerHandler(
            self.rfile,
            self.wfile,  # type: ignore[arg-type]
            self.get_stderr(),
            self.get_environ(),
            multithread=True,
        )
        handler.request_handler = self  # type: ignore[attr-defined]
        handler.run(self.server.get_app())  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _ThreadingServerV6(_ThreadingServer):
    address_family = socket.AF_INET6


def is_loopback(host: str) -> bool:
    """Whether *host* (an address or ``localhost``) only accepts connections from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name, or "" / "0.0.0.0"-like wildcards: assume it is reachable


@contextmanager
def serve(
    app: WSGIApplication,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    tls: ssl.SSLContext | None = None,
) -> Iterator[str]:
    """Serve ``app`` in a thread; yields the origin (``http://127.0.0.1:54321``).

    Port 0 picks a free port. Each request runs in its own daemon thread, so concurrent
    clients work. The server stops when the ``with`` block ends. With *tls* (a server-side
    context holding a certificate) it serves HTTPS, so a private CA can be tried end to end.
    """
    if not is_loopback(host):
        log.warning(
            "The sandbox is bound to %s, which is not a loopback address: anyone who can reach "
            "this machine can use it, and its credentials are public (they are in the docs). "
            "Bind 127.0.0.1 unless you mean it.",
            host,
        )
    server_class = _ThreadingServerV6 if ":" in host else _ThreadingServer
    server = server_class((host, port), _RequestHandler)
    server.set_app(app)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="sandbox-server", daemon=True
    )
    thread.start()
    display_host = f"[{host}]" if ":" in host else host
    scheme = "https" if tls is not None else "http"
    origin = f"{scheme}://{display_host}:{server.server_port}"
    log.debug("Sandbox serving at %s", origin)
    try:
        yield origin
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def serve_forever(
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    data_path: Path | None = None,
    flavor: Flavor = "cloud",
    *,
    space_keys: Sequence[str] = ("DOC",),
    email: str = DEFAULT_EMAIL,
    api_token: str = DEFAULT_API_TOKEN,
    pat: str = DEFAULT_PAT,
    on_ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Run a sandbox until interrupted (Ctrl-C) or until ``stop`` is set.

    Signature: ``serve_forever(host="127.0.0.1", port=8990, data_path=None, flavor="cloud", *,
    space_keys=("DOC",), email="sandbox@example.com", api_token="sandbox-api-token",
    pat="sandbox-pat", on_ready=None, stop=None) -> None``.

    ``data_path`` keeps the site in that SQLite file (created if missing) so a published tree
    outlives the process; without it the site lives in memory. The site is seeded when the
    things are missing: the user ``email`` signing in with ``api_token`` (Basic) or ``pat``
    (Bearer), and one space per key in ``space_keys``; on Cloud, an OAuth 2.0 app
    ``sandbox-oauth-app`` / ``sandbox-oauth-secret`` (any loopback callback) signs in as that
    user (OAuth state lives in memory only). ``on_ready`` receives the REST base URL
    (origin plus context path, e.g. ``http://127.0.0.1:8990/wiki``) once the port is bound, so
    the caller can print it; this function prints nothing and logs one DEBUG line. It binds to
    loopback unless ``host`` says otherwise.
    """
    store = SandboxStore.open(data_path) if data_path is not None else SandboxStore()
    try:
        seed(store, space_keys=space_keys, email=email, api_token=api_token, pat=pat)
        app = Sandbox(store, flavor=flavor)
        app.oauth.register_client(DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET)
        app.oauth.consent_as = email
        with serve(app, host, port) as origin:
            base_url = origin + app.context_path
            log.debug("Confluence sandbox (%s) at %s, viewer at %s/", flavor, base_url, origin)
            if on_ready is not None:
                on_ready(base_url)
            waiter = stop or threading.Event()
            try:
                while not waiter.wait(0.5):
                    pass
            except KeyboardInterrupt:
                log.info("Sandbox stopped")
    finally:
        store.close()
