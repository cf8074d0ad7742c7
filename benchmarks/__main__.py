"""Run every bench module in this package (or those named on the command line), then print the
one table of their figures beside issue 12's goals and write it as JSON."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks
from benchmarks import report


def main(names: list[str]) -> int:
    """Import each `<name>_bench` module, call its run(), and report what they returned."""
    modules = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__))
    selected = [m for m in modules if m.endswith("_bench") and (not names or m[:-6] in names)]
    figures = {}
    for name in selected:
        print(f"== {name}", flush=True)
        figures[name] = importlib.import_module(f"benchmarks.{name}").run()
    if selected:
        report.write(figures, names)
    return 0 if selected else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
