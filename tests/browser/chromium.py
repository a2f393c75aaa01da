"""A small headless Chromium driver over the DevTools protocol, with the standard library only.

Chromium started with ``--remote-debugging-pipe`` reads protocol messages (JSON, each ended by a
NUL byte) on its file descriptor 3 and writes replies and events on descriptor 4, so no
websocket library is needed: two ``os.pipe()`` pairs are handed to the process (a one-line
Python prelude moves them to 3 and 4 and then executes Chromium). `Browser` owns the process;
`Tab` is one page target attached in flat mode (messages carry its ``sessionId``) with the few
commands the tests use: navigate and wait for the load event, evaluate an expression, click at
an element's centre with real mouse events, and capture a PNG of the whole page.

Protocol reference: https://chromedevtools.github.io/devtools-protocol/ (Target, Page,
Runtime, Input, Emulation domains).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

#: Flags for a quiet, reproducible headless run that makes no request of its own.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--no-proxy-server",
    # Tests never reach the internet: every host name but the loopback fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--remote-debugging-pipe",
)
TIMEOUT = 60.0
#: Run by the child: move the two pipe ends to descriptors 3 and 4, then become Chromium.
_ON_FDS_3_AND_4 = (
    "import os, sys; ends = [os.dup(int(sys.argv[1])), os.dup(int(sys.argv[2]))]; "
    "[os.dup2(end, fd) for end, fd in zip(ends, (3, 4))]; "
    "[os.set_inheritable(fd, True) for fd in (3, 4)]; os.execv(sys.argv[3], sys.argv[3:])"
)


class BrowserError(RuntimeError):
    """Chromium answered a command with an error, exited, or did not answer in time."""


def find_chromium() -> str | None:
    """The Chromium to use: ``$CHROMIUM``, else ``chromium`` on PATH, else Debian's path."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in ("chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


class Browser:
    """One Chromium process and its protocol pipe."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_browser_read, self._write_fd = os.pipe()
        self._read_fd, from_browser_write = os.pipe()
        profile.mkdir(parents=True, exist_ok=True)
        self.log = profile / "chromium.log"
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                [
                    *(sys.executable, "-c", _ON_FDS_3_AND_4),
                    *(str(to_browser_read), str(from_browser_write), executable),
                    *FLAGS,
                    f"--user-data-dir={profile}",
                ],
                pass_fds=(to_browser_read, from_browser_write),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        """Ask Chromium to quit, then make sure it is gone."""
        with contextlib.suppress(BrowserError, OSError):
            self.send("Browser.close")
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._write_fd)
        os.close(self._read_fd)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and return its result; events seen meanwhile go to `events`."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        try:
            os.write(self._write_fd, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            raise self._exited() from None
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, session: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The first event *method* of *session* (already received or still to come)."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event["method"] == method and event.get("sessionId") == session:
                    self.events.remove(event)
                    return event
            self.events.append(self._receive(deadline))

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._read_fd], [], [], max(left, 0))
            if not ready:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self._read_fd, 1 << 16)
            if not chunk:
                raise self._exited()
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        decoded: dict[str, Any] = json.loads(message)
        return decoded

    def _exited(self) -> BrowserError:
        self._process.poll()
        tail = self.log.read_text(errors="replace")[-2000:]
        return BrowserError(f"Chromium exited (code {self._process.returncode}):\n{tail}")

    def new_tab(self, width: int = 1200, height: int = 900) -> Tab:
        """A new page target, attached, with a fixed viewport."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        tab = Tab(self, session, target)
        tab.call("Page.enable")
        tab.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        return tab


class Tab:
    """One page in the browser."""

    def __init__(self, browser: Browser, session: str, target: str) -> None:
        self.browser = browser
        self.session = session
        self.target = target

    def close(self) -> None:
        """Close this page."""
        self.browser.send("Target.closeTarget", targetId=self.target)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """A protocol command for this page."""
        return self.browser.send(method, self.session, **params)

    def _forget_loads(self) -> None:
        self.browser.events = [
            e
            for e in self.browser.events
            if not (e["method"] == "Page.loadEventFired" and e.get("sessionId") == self.session)
        ]

    def navigate(self, url: str) -> None:
        """Open *url* and wait until it has loaded (images included)."""
        self._forget_loads()
        result = self.call("Page.navigate", url=url)
        if result.get("errorText"):
            raise BrowserError(f"Could not open {url}: {result['errorText']}")
        self.browser.wait_for("Page.loadEventFired", self.session)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript *expression* in the page (DevTools may evaluate
        even where the page's own policy forbids scripts)."""
        reply = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in reply:
            raise BrowserError(f"{expression}: {reply['exceptionDetails'].get('text')}")
        return reply["result"].get("value")

    def click(self, selector: str, *, wait_for_load: bool = False) -> None:
        """Scroll the first element matching *selector* into view and click its centre with
        mouse events, as a person would; optionally wait for the page that follows."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " if (!e) return null; e.scrollIntoView({block: 'center'});"
            " const r = e.getBoundingClientRect();"
            " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()"
        )
        if box is None:
            raise BrowserError(f"Nothing matches {selector!r} on {self.url()}")
        self._forget_loads()
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                type=kind,
                x=box["x"],
                y=box["y"],
                button="left" if kind != "mouseMoved" else "none",
                clickCount=1 if kind != "mouseMoved" else 0,
            )
        if wait_for_load:
            self.browser.wait_for("Page.loadEventFired", self.session)

    def url(self) -> str:
        """The address of the page shown."""
        return str(self.evaluate("location.href"))

    def screenshot(self, path: Path) -> Path:
        """Write a PNG of the whole page (beyond the viewport) to *path*."""
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self.call(
            "Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True
        )["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path
