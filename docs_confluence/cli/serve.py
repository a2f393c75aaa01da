"""``docs-confluence sandbox``: a local Confluence-compatible server to publish to."""

from __future__ import annotations

import errno
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import (
    API_TOKEN_VARIABLE,
    API_URL_VARIABLE,
    AUTH_URL_VARIABLE,
    OAUTH_CLIENT_ID_VARIABLE,
    OAUTH_CLIENT_SECRET_VARIABLE,
    SPACE_VARIABLE,
    URL_VARIABLE,
    USER_VARIABLE,
)

if TYPE_CHECKING:
    import argparse

__all__ = ["run_sandbox"]


def run_sandbox(args: argparse.Namespace) -> int:
    from ..sandbox import serve_forever

    def ready(base_url: str) -> None:
        origin = base_url.rsplit("/", 1)[0]
        print(f"Confluence sandbox ({args.flavor}) at {base_url}", flush=True)
        print(f"  browse it:   {origin.rstrip('/')}/", flush=True)
        print("  publish into it from another shell after:", flush=True)
        print(
            f"    export {URL_VARIABLE}={base_url} {SPACE_VARIABLE}=DOC "
            f"{USER_VARIABLE}=sandbox@example.com {API_TOKEN_VARIABLE}=sandbox-api-token",
            flush=True,
        )
        if args.flavor == "cloud":
            print(
                f"  or sign in with OAuth: {AUTH_URL_VARIABLE}={origin} "
                f"{API_URL_VARIABLE}={origin} {OAUTH_CLIENT_ID_VARIABLE}=sandbox-oauth-app "
                f"{OAUTH_CLIENT_SECRET_VARIABLE}=sandbox-oauth-secret "
                f"docs-confluence login --oauth {base_url}",
                flush=True,
            )
        print("Press Ctrl-C to stop.", flush=True)

    data = None if args.data is None else Path(args.data)
    try:
        serve_forever(args.host, args.port, data, args.flavor, on_ready=ready)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(
            f"error: port {args.port} on {args.host} is in use (another sandbox?); "
            "pick another with --port N, or --port 0 for any free port",
            file=sys.stderr,
        )
        return 1
    return 0
