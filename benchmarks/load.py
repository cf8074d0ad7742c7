"""Load with Debian's `wrk` (2 threads, 16 connections, a few seconds, loopback only)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

THREADS = 2
CONNECTIONS = 16
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Load:
    """What wrk measured: requests per second and latency percentiles in milliseconds."""

    rps: float
    p50: float
    p95: float | None
    p99: float
    requests: int
    errors: int  # socket errors (connect, read, write, timeout) and non-2xx/3xx responses

    @classmethod
    def parse(cls, text: str) -> Load:
        def number(pattern: str) -> float:
            match = re.search(pattern, text)
            return float(match.group(1)) if match else 0.0

        percentiles = {
            int(p): float(v) * _UNITS[u]
            for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        }
        socket_errors = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
        errors = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
        errors += int(number(r"Non-2xx or 3xx responses: (\d+)"))
        return cls(
            rps=number(r"Requests/sec:\s+([\d.]+)"),
            p50=round(percentiles.get(50, 0.0), 2),
            p95=None,  # wrk's --latency prints 50/75/90/99; p95 comes from the Lua summary
            p99=round(percentiles.get(99, 0.0), 2),
            requests=int(number(r"(\d+) requests in")),
            errors=errors,
        )


# Prints p95 after the run (wrk's --latency table has no 95th percentile).
_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\\n", latency:percentile(95)))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(url: str, seconds: float, cookie: str | None = None, script: str = "") -> Load:
    """One wrk run against `url`; the script file adds the p95 line."""
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "--latency",
    ]
    if script:
        command += ["-s", script]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 120
    )
    load = Load.parse(done.stdout)
    p95 = re.search(r"p95_us (\d+)", done.stdout)
    if p95:
        load.p95 = round(int(p95.group(1)) / 1000, 2)
    return load


def lua_script(folder) -> str:
    path = folder / "p95.lua"
    path.write_text(_LUA, "utf-8")
    return str(path)
