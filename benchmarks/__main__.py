"""Run every bench module in this package (or those named on the command line)."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks


def main(names: list[str]) -> int:
    """Import each `<name>_bench` module and call its run()."""
    modules = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__))
    selected = [m for m in modules if m.endswith("_bench") and (not names or m[:-6] in names)]
    for name in selected:
        print(f"== {name}")
        importlib.import_module(f"benchmarks.{name}").run()
    return 0 if selected else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
