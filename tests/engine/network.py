"""What stands between a publisher and Confluence in real networks, for tests: a forward proxy,
a gateway that wants its own header, and a private certificate authority."""

from __future__ import annotations

import http.client
import shutil
import ssl
import subprocess
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

_HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "transfer-encoding", "te"}


@dataclass
class ProxyLog:
    """The requests a proxy forwarded: (method, absolute URL)."""

    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def forward_proxy() -> Iterator[tuple[str, ProxyLog]]:
    """An HTTP forward proxy on 127.0.0.1 (plain http targets); yields its URL and its log."""
    seen = ProxyLog()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            target = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            with seen.lock:
                seen.requests.append((self.command, self.path))
            upstream = http.client.HTTPConnection(target.hostname or "", target.port, timeout=30)
            path = target.path + (f"?{target.query}" if target.query else "")
            upstream.request(self.command, path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP_BY_HOP | {"content-length"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            upstream.close()

        do_GET = do_POST = do_PUT = do_DELETE = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def gateway(app: WSGIApplication, header: str, value: str) -> WSGIApplication:
    """*app* behind a gateway that answers 403 to any request without ``header: value``, as
    an identity-aware proxy in front of a company's Data Center does."""
    key = "HTTP_" + header.upper().replace("-", "_")

    def guarded(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get(key) != value:
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"blocked by the gateway: missing or wrong " + header.encode()]
        return app(environ, start_response)

    return guarded


@dataclass(frozen=True)
class PrivateCA:
    """A certificate authority of our own and a server certificate it signed for 127.0.0.1."""

    ca_file: Path
    server_context: ssl.SSLContext


def private_ca(directory: Path) -> PrivateCA | None:
    """Make a CA and a server certificate with the ``openssl`` command; None without it."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], cwd=directory, check=True, capture_output=True)

    run(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=Test CA", "-keyout", "ca.key", "-out", "ca.pem",
    )  # fmt: skip
    (directory / "san.cnf").write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    run(
        "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", "server.key", "-out", "server.csr",
    )  # fmt: skip
    run(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "san.cnf", "-out", "server.pem",
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(directory / "server.pem", directory / "server.key")
    return PrivateCA(directory / "ca.pem", context)
