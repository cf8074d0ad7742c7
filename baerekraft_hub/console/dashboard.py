"""The dashboard's figures: what the network works on, in a fixed handful of grouped counts."""

from __future__ import annotations


def figures() -> dict:
    return {}
