"""Words that should find each other: everyday and official words, English and Norwegian.

Used at query time only: a typed word is searched as itself and, with a lower weight, as the
other members of every group it belongs to. Nothing is indexed, so a group added to a file works
on the next search, with no reindex.

A group is one line of words or phrases separated by `=`:

    avfall = søppel = boss = waste = rubbish
    folkehelse = public health

Members are matched by their analysed terms (Norwegian stem and variants, English stem), so
`søppelet` finds the `søppel` line. A phrase matches when its words are typed next to each
other. A compound of two parts that is in no group is said with its parts' synonyms
(`skolekantiner` also finds "school canteen").

The shipped lists are data/synonyms.txt (written by hand) and data/sdg_terms.txt (mined from
the SDG texts by scripts/mine_terms.py); the files given to `use_extra_files` are read as well
when they exist (the app passes the instance folder's search-synonyms.txt), and read again
when they change.
"""

from __future__ import annotations

import os
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

from baerekraft_hub.search.engine import analysis, norwegian

SHIPPED = ("synonyms.txt", "sdg_terms.txt")
MAX_ALTERNATIVES = 8  # per typed word: keeps the query small however large the lists grow
MAX_PHRASE_WORDS = 3
_PART_OPTIONS = 3  # synonyms tried per part of a compound (3 x 3 phrases at most, then capped)

Member = tuple[str, ...]  # the folded words of a word or phrase


def word_keys(word: str) -> frozenset[str]:
    """The analysed keys of a folded word: its Norwegian whole term and its English stem."""
    keys = set()
    whole = norwegian.split_terms(word)[0] if len(word) >= 2 else None
    if whole:
        keys.add("no:" + whole)
    english = analysis.english_terms(word)
    if english:
        keys.add("en:" + english[0])
    return frozenset(keys)


def parse_groups(text: str) -> list[list[Member]]:
    """The groups of a synonym file's text (comments and blank lines skipped)."""
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        members = []
        for part in line.split("="):
            folded = [analysis.fold(m.group()) for m in analysis.words(analysis.normalise(part))]
            if folded and len(folded) <= MAX_PHRASE_WORDS:
                members.append(tuple(folded))
        if len(members) >= 2:
            groups.append(members)
    return groups


class Thesaurus:
    """Groups indexed by the keys of their members' first words."""

    def __init__(self, groups: list[list[Member]]) -> None:
        self.by_first: dict[str, list[tuple[Member, int]]] = defaultdict(list)
        self.groups = groups
        for number, members in enumerate(groups):
            for member in members:
                for key in word_keys(member[0]):
                    self.by_first[key].append((member, number))

    def _member_at(self, words: list[str], start: int, member: Member) -> bool:
        if start + len(member) > len(words):
            return False
        return all(
            word_keys(typed) & word_keys(listed)
            for typed, listed in zip(words[start:], member, strict=False)
        )

    def _members_of(self, word: str) -> list[Member]:
        """The one-word members of the groups a single word is in (itself first)."""
        members: dict[frozenset[str], Member] = {word_keys(word): (word,)}
        for key in word_keys(word):
            for member, number in self.by_first.get(key, ()):
                if len(member) == 1:
                    for other in self.groups[number]:
                        members.setdefault(frozenset().union(*map(word_keys, other)), other)
        return list(members.values())

    def _compound_alternatives(self, word: str) -> list[Member]:
        """A compound with no group of its own, said with its parts' synonyms:
        skolekantiner -> school canteen, skole cafeteria, ..."""
        parts = norwegian.split_compound(word) if word.isalpha() else None
        if not parts or len(parts) > 2:
            return []
        options = [self._members_of(part)[:_PART_OPTIONS] for part in parts]
        if all(len(o) == 1 for o in options):
            return []
        combined = [(*a, *b) for a in options[0] for b in options[1]]
        return [m for m in combined if len(m) <= MAX_PHRASE_WORDS][1:]  # [0]: the parts as typed

    def expansions(self, words: list[str]) -> list[tuple[Member, ...]]:
        """For each typed folded word, the members of its groups it should also find."""
        found: list[dict[Member, None]] = [{} for _ in words]
        for start, word in enumerate(words):
            for key in word_keys(word):
                for member, number in self.by_first.get(key, ()):
                    if not self._member_at(words, start, member):
                        continue
                    others = [m for m in self.groups[number] if m != member]
                    for position in range(start, start + len(member)):
                        for other in others:
                            found[position].setdefault(other)
        for position, word in enumerate(words):
            if not found[position]:
                found[position] = dict.fromkeys(self._compound_alternatives(word))
        typed = {w: None for w in words}
        return [
            tuple(m for m in alternatives if not (len(m) == 1 and m[0] in typed))[:MAX_ALTERNATIVES]
            for alternatives in found
        ]


def _shipped_text(name: str) -> str:
    return resources.files("baerekraft_hub.search.engine").joinpath("data", name).read_text("utf-8")


@lru_cache(maxsize=8)
def _thesaurus(extra: tuple[tuple[str, float], ...]) -> Thesaurus:
    groups = [g for name in SHIPPED for g in parse_groups(_shipped_text(name))]
    for path, _mtime in extra:
        groups += parse_groups(Path(path).read_text("utf-8"))
    return Thesaurus(groups)


_extra_files: tuple[str, ...] = ()


def use_extra_files(paths: list[str | os.PathLike]) -> None:
    """Read these synonym files too (when they exist), besides the shipped ones."""
    global _extra_files
    _extra_files = tuple(str(p) for p in paths)


def thesaurus() -> Thesaurus:
    """The current thesaurus: shipped groups plus the extra files as they are now."""
    extra = []
    for path in _extra_files:
        try:
            extra.append((path, os.stat(path).st_mtime))
        except OSError:
            continue
    return _thesaurus(tuple(extra))
