"""Catalog chores: `fill-en` copies every msgid into the English catalog; `check` lists gaps.

python scripts/translations.py fill-en
python scripts/translations.py check      # exit 1 when a catalog has an untranslated entry
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "baerekraft_hub" / "translations"


def catalog_path(lang: str) -> Path:
    return ROOT / lang / "LC_MESSAGES" / "messages.po"


def load(lang: str):
    with catalog_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def save(lang: str, catalog) -> None:
    with catalog_path(lang).open("wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, no_location=True, width=100)


def fill_english() -> None:
    catalog = load("en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    save("en", catalog)


def untranslated(lang: str) -> list[str]:
    gaps = []
    for message in load(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def main(argv: list[str]) -> int:
    if argv[:1] == ["fill-en"]:
        fill_english()
        return 0
    if argv[:1] == ["check"]:
        failed = False
        for lang in ("nb", "nn", "en"):
            gaps = untranslated(lang)
            for gap in gaps:
                print(f"{lang}: untranslated: {gap!r}")
            failed = failed or bool(gaps)
        return 1 if failed else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
