"""Norwegian word knowledge: a light bokmål+nynorsk stemmer, spelling variants, compound splitting.

Everything here works on single lower-cased words and is pure and cached, so the same function
serves indexing and querying: a word and any of its inflected, nynorsk or compound forms end up
as the same terms on both sides.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

# Inflectional endings of nouns, adjectives and verbs in both written standards, longest first.
# A light stemmer on purpose: derivational endings (-het, -ing, -sjon) stay, so `bygg` and
# `bygging` remain different words, while `kommunen`, `kommunene` and `kommunane` meet.
_SUFFIXES = (
    *("arane", "erane", "hetene", "heitene"),
    *("arar", "aren", "erne", "eren", "erer", "erte", "ende", "ande", "enes", "anes"),
    *("ere", "ert", "ene", "ane", "ens", "ets", "ede"),
    *("ast", "est"),  # passive: brukast, brukes
    *("en", "et", "er", "ar", "as", "es", "a", "e"),
)
_VOWELS = set("aeiouyæøå")
_MIN_STEM = 3

# Nynorsk and bokmål forms that follow a rule rather than a list. The rules rewrite both
# standards' stems to one spelling (a search key, never shown), so they apply alike to indexed
# and typed words: a nynorsk form meets its bokmål form without being listed in variants.txt.
_STEM_RULES = (
    (re.compile(r"heit$"), "het"),  # frivilligheit -> frivillighet
    (re.compile(r"(?<=..)leik$"), "het"),  # tryggleik -> trygghet
    (re.compile(r"(?<=..)tj$"), "tt"),  # setje, sysselsetjing -> sett-
    (re.compile(r"æ"), "e"),  # berekraft/bærekraft, vere/være, lerar/lærer
    (re.compile(r"au"), "ø"),  # straum/strøm, auke/øke, laus/løs, draum/drøm
    (re.compile(r"øy"), "ø"),  # tilhøyrande/tilhørende, løyse/løse
    (re.compile(r"ei(?=[^aeiouyæøå])"), "e"),  # heile/hele, meir/mer, reine/rene, leik/lek
    (re.compile(r"^hv"), "kv"),  # hvit/kvit, hvete/kveite, hvile/kvile
    (re.compile(r"(?<=...)leg$"), "lig"),  # offentleg -> offentlig, dagleg -> daglig
    (re.compile(r"(?<=[gk])j$"), ""),  # byggje, innbyggjar -> bygg-, innbygg-
    (re.compile(r"(?<=[bdfgkmnprstv])e(?=l$)"), ""),  # sykkel/sykler, regel/regler -> sykl, regl
)
_DOUBLE_FINAL = re.compile(r"([bdfgklmnprstv])\1$")
_DOUBLE_BEFORE_L = re.compile(r"([bdfgkmnprstv])\1l$")


def data_lines(name: str) -> list[str]:
    """The lines of a data file, without blank lines and # comments."""
    text = resources.files("baerekraft_hub.search.engine").joinpath("data", name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


STOPWORDS = frozenset(w for line in data_lines("stopwords.txt") for w in line.split())
# Words only nynorsk writes: a query with one of them is answered in nynorsk ("Mente du").
NYNORSK_MARKERS = frozenset(w for line in data_lines("nynorsk_markers.txt") for w in line.split())
VARIANT_FILES = ("variants.txt", "sdg_variants.txt")  # hand-written, and mined by a script


def _variant_lines() -> list[tuple[str, list[str]]]:
    """(bokmål form, its other forms) of every line of the variant lists."""
    pairs = []
    for name in VARIANT_FILES:
        for line in data_lines(name):
            canonical, _, variants = line.partition(":")
            pairs.append((canonical.strip(), [v.strip() for v in variants.split(",") if v.strip()]))
    return pairs


def stem(word: str) -> str:
    """Strip one inflectional ending and normalise nynorsk spellings that follow a rule."""
    if len(word) <= _MIN_STEM or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            if base.endswith("h") and suffix.startswith("et"):
                continue  # frivillighet is a whole word, not frivilligh + -et
            # Short stems are allowed only when they end in a vowel: byen -> by, but den stays.
            if len(base) >= _MIN_STEM or (len(base) == 2 and base[-1] in _VOWELS):
                word = base
                break
    for pattern, replacement in _STEM_RULES:
        word = pattern.sub(replacement, word)
    # sykkel/sykler, grønn/grønne, programmet/program: the stem ends the same either way.
    word = _DOUBLE_BEFORE_L.sub(r"\1l", word)
    return _DOUBLE_FINAL.sub(r"\1", word)


@lru_cache(maxsize=1)
def variant_stems() -> dict[str, str]:
    """Map the stem of every listed variant to the stem of its canonical form."""
    table: dict[str, str] = {}
    for canonical, variants in _variant_lines():
        target = stem(canonical)
        for variant in variants:
            if stem(variant) != target:
                table.setdefault(stem(variant), target)
    return table


@lru_cache(maxsize=1)
def _surface_forms() -> tuple[dict[str, str], dict[str, str]]:
    """Listed words in the other standard: (nynorsk -> bokmål, bokmål -> nynorsk).

    Only pairs of one word in two spellings (lengths within a letter): `bærekraftig` is listed
    under `bærekraft` to share its term, but is no nynorsk spelling of it.
    """
    to_bokmal: dict[str, str] = {}
    to_nynorsk: dict[str, str] = {}
    for canonical, variants in _variant_lines():
        for variant in variants:
            if abs(len(variant) - len(canonical)) <= 1:
                to_bokmal.setdefault(variant, canonical)
                to_nynorsk.setdefault(canonical, variant)
    return to_bokmal, to_nynorsk


_MIN_PREFIX = 6  # a listed word starting a longer one: berekraft|sløftet (not vass|drag)


def _respelt(word: str, table: dict[str, str]) -> str | None:
    """The word with its longest listed start respelt by `table`, or None."""
    for end in range(len(word), _MIN_PREFIX - 1, -1):
        replacement = table.get(word[:end])
        if replacement is not None:
            return replacement + word[end:]
    return None


def is_nynorsk(word: str) -> bool:
    """Whether a folded word is (or starts with) a listed nynorsk form, or is nynorsk only."""
    return word in NYNORSK_MARKERS or _respelt(word, _surface_forms()[0]) is not None


def written_standard(words: list[str]) -> str:
    """ "nn" when any of the folded words is nynorsk only, else "nb" (the default)."""
    return "nn" if any(is_nynorsk(w) for w in words) else "nb"


def fits_standard(word: str, standard: str) -> bool:
    """Whether a folded word is written as the standard writes it (unlisted words fit both)."""
    if standard == "nn":
        return is_nynorsk(word) or _respelt(word, _surface_forms()[1]) is None
    return not is_nynorsk(word)


def in_standard(word: str, standard: str) -> str:
    """A folded word respelt in a written standard ("nb" or "nn") where the lists know how:
    berekraftig -> bærekraftig, overvatn -> overvann; other words as they are."""
    to_bokmal, to_nynorsk = _surface_forms()
    if standard == "nn":
        return word if is_nynorsk(word) else _respelt(word, to_nynorsk) or word
    return _respelt(word, to_bokmal) or word


@lru_cache(maxsize=1)
def lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """Known word parts: (surface forms usable inside a compound, their stems)."""
    words = {w for line in data_lines("lexicon.txt") for w in line.split()}
    for canonical, variants in _variant_lines():
        words.add(canonical)
        words.update(variants)
    return frozenset(words), frozenset(stem(w) for w in words)


def canonical(word_stem: str) -> str:
    """The canonical stem of a stem (nynorsk and spelling variants map to bokmål)."""
    return variant_stems().get(word_stem, word_stem)


_LINKS = ("", "s", "e")
_MIN_WORD_TO_SPLIT = 5
_MAX_PARTS = 4


def split_compound(word: str) -> list[str] | None:
    """Split a compound into known parts (`overvannshåndtering` -> overvann, håndtering).

    Returns None for words that cannot be split. Non-final parts must be known surface forms,
    optionally followed by a linking -s- or -e-; the final part may be inflected. Among the
    possible splits the one with the fewest parts wins (overvann|håndtering rather than
    over|vann|håndtering), ties going to the longer first part. Known words are split too
    (klimatilpasning -> klima, tilpasning): a word stays whole when its parts are not listed.
    """
    surfaces, stems = lexicon()
    if len(word) < _MIN_WORD_TO_SPLIT or not word.isalpha():
        return None
    best = _best_split(word, 0, surfaces, stems)
    return best if best and len(best) > 1 else None


def _best_split(word: str, start: int, surfaces: frozenset[str], stems: frozenset[str]):
    rest = word[start:]
    candidates: list[list[str]] = []
    if start > 0 and len(rest) >= 3 and stem(rest) in stems:
        candidates.append([rest])
    for end in range(len(word) - 3, start + 1, -1):
        part = word[start:end]
        if part not in surfaces:
            continue
        for link in _LINKS:
            if link and not word.startswith(link, end):
                continue
            tail = _best_split(word, end + len(link), surfaces, stems)
            if tail and len(tail) < _MAX_PARTS:
                candidates.append([part, *tail])
    if not candidates:
        return None
    return min(candidates, key=lambda parts: (len(parts), -len(parts[0])))


@lru_cache(maxsize=200_000)
def split_terms(word: str) -> tuple[str | None, tuple[str, ...]]:
    """The whole-word term of a folded word and the terms of its compound parts.

    The whole word's term is built from the canonical parts, so `overvasshandtering` and
    `overvannshåndtering` share it, as do compounds written with or without a linking -s-.
    Stop words have no terms: (None, ()).
    """
    if word in STOPWORDS:
        return None, ()
    parts = split_compound(word)
    if not parts:
        return canonical(stem(word)), ()
    part_terms = tuple(canonical(stem(part)) for part in parts)
    return "".join(part_terms), part_terms


@lru_cache(maxsize=200_000)
def word_terms(word: str) -> tuple[str, ...]:
    """Index terms of one folded word: the whole, its parts, and the parts of its parts."""
    whole, parts = split_terms(word)
    if whole is None:
        return ()
    # solcelle|anlegg also holds sol and celle, so a search for `sol` finds it.
    sub_terms = [t for part in split_compound(word) or () for t in split_terms(part)[1]]
    return tuple(dict.fromkeys([whole, *parts, *sub_terms]))
