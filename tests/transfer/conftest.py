"""Fixtures of the transfer tests."""

from __future__ import annotations

import json

import pytest


@pytest.fixture()
def write_file(tmp_path):
    def write(rows, name="import.json") -> str:
        path = tmp_path / name
        text = json.dumps(rows, ensure_ascii=False)
        try:
            path.write_text(text, encoding="utf-8")
        except UnicodeEncodeError:  # a lone surrogate can only travel as a \u escape
            path.write_text(json.dumps(rows), encoding="utf-8")
        return str(path)

    return write
