"""Progress of long commands: click's progress bar in a terminal (count, rate, time left), and
a plain line every few seconds elsewhere (CI, cron, a log file), so neither sits silent.

Services stay ignorant of terminals: they take an `advance(n)` callable (default: nothing)
and call it as they go; the command makes a `Progress` and hands over its `advance`.

    with Progress("importing", length=len(rows)) as progress:
        import_rows(rows, progress=progress.advance)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

import click

Advance = Callable[[int], None]
PLAIN_EVERY_SECONDS = 5.0  # how often a line is printed when not in a terminal


def no_progress(n: int = 1) -> None:
    """The `advance` of a caller that shows no progress."""


class Progress:
    """Counts work done out of `length`; shows it as a bar (terminal) or as lines."""

    def __init__(self, label: str, length: int, *, file: TextIO | None = None) -> None:
        self.label = label
        self.length = max(0, length)
        self.done = 0
        self.file = file or sys.stdout
        self.started = time.monotonic()
        self._last_line = self.started
        self._bar = None
        if self.file.isatty():
            self._bar = click.progressbar(
                length=self.length,
                label=label,
                file=self.file,
                show_pos=True,
                show_percent=True,
                show_eta=True,
                item_show_func=lambda _: self.rate_text(),
            )

    def rate_text(self) -> str:
        elapsed = time.monotonic() - self.started
        return f"{self.done / elapsed:,.0f}/s" if elapsed > 0 and self.done else ""

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def advance(self, n: int = 1) -> None:
        """Count `n` more units done."""
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self._last_line >= PLAIN_EVERY_SECONDS:
            self._last_line = now
            click.echo(self._line(now), file=self.file)

    def _line(self, now: float) -> str:
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        line = f"{self.label}: {self.done}/{self.length}"
        if self.length:
            line += f" ({100 * self.done / self.length:.0f}%)"
        line += f", {rate:,.0f}/s"
        if rate > 0 and self.length > self.done:
            line += f", about {(self.length - self.done) / rate:.0f} s left"
        return line

    def __exit__(self, *exc_info) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc_info)
        elif self.done:
            seconds = time.monotonic() - self.started
            click.echo(f"{self.label}: {self.done} done in {seconds:.1f} s", file=self.file)
