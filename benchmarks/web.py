"""Serving for the bench: gunicorn (2 workers) on a loopback port, its workers' peak memory,
and a small HTTP client (standard library) that signs in and posts forms with CSRF tokens.

Production marks cookies secure; the client keeps them itself and sends them over plain HTTP
on the loopback, as a TLS proxy would in front of the app.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
LOGS = ROOT / "instance" / "bench" / "logs"  # each server's output, for a look after a run
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`gunicorn --workers 2 <app>` on 127.0.0.1, started and stopped with `with`."""

    def __init__(self, app: str, env: dict[str, str], ready_path: str = "/") -> None:
        self.port = free_port()
        self.app = app
        self.env = env
        self.ready_path = ready_path
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        # Its log goes to a file: a pipe nobody reads fills up with the app's request lines,
        # and then every worker blocks on its next one.
        LOGS.mkdir(parents=True, exist_ok=True)
        name = self.app.split(":")[0].replace(".", "-")
        with (LOGS / f"gunicorn-{name}.log").open("w") as log:
            self.process = subprocess.Popen(
                [gunicorn, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}", self.app],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Client(self.port).get(self.ready_path, timeout=30).status < 500:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn {self.app} did not start")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def worker_pids(self) -> list[int]:
        assert self.process
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(c) for c in children]

    def peak_rss_mb(self) -> list[float]:
        """Each worker's peak resident memory so far (VmHWM), in MB."""
        return [peak_rss_mb(pid) for pid in self.worker_pids()]

    def drain(self) -> None:
        """Wait until requests left queued by a load run are served (they would slow the next)."""
        with contextlib.suppress(OSError):
            Client(self.port).get("/robots.txt", timeout=300)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


class Response:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: str) -> None:
        self.status, self.headers, self.body = status, headers, body

    def csrf_token(self) -> str:
        match = _CSRF.search(self.body)
        if not match:
            raise RuntimeError("no CSRF token in the page")
        return match.group(1) or match.group(2)


class Client:
    """One visitor: a keep-alive connection and the cookies the site set."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None, timeout: float = 30):
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=timeout
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                raw = self.connection.getresponse()
                text = raw.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                cookie, _, _ = value.partition(";")
                key, _, val = cookie.partition("=")
                self.cookies[key.strip()] = val.strip()
        if raw.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return Response(raw.status, raw.getheaders(), text)

    def get(self, path: str, timeout: float = 30) -> Response:
        return self.request("GET", path, timeout=timeout)

    def post_form(self, page: str, action: str, fields: dict) -> Response:
        """Load `page` for its CSRF token, then post `fields` to `action`."""
        token = self.get(page).csrf_token()
        return self.request("POST", action, {"csrf_token": token, **fields})

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items() if v)

    def sign_in(self, email: str, password: str) -> None:
        response = self.post_form(
            "/logg-inn/", "/logg-inn/", {"email": email, "password": password}
        )
        if response.status != 302:
            raise RuntimeError(f"signing in as {email}: {response.status}")
