"""The bench's data: projects and practices as import rows, from a fixed seed at a chosen scale.

Scale 1.0 is issue 12's network: 10,000 projects and 2,000 practices spread over all 357
municipalities (participants: their county, sometimes a neighbour), 5,000 users. The text comes
from the demo content and the SDG target texts (sentences reused, words drawn with a Zipf
weight, so a few words are everywhere and most are rare) plus invented compound words, a long
tail that mostly occurs once. The pathological set gives every document the same words, so
every search matches everything with the same score.

This module only computes rows (pure and deterministic); `dataset` writes them to a database.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

MEMBER_SHARE = 0.2  # of users: an approved member of a municipality (the first: of Molde)
MEMBER_OF_FIRST = "1506"  # Molde, the bench's municipality: its members' "Mine følger"
PROJECTS = 10_000
PRACTICES = 2_000
USERS = 5_000
SEED = 12
STATUSES = ["idea", "planned", "ongoing", "ongoing", "ongoing", "completed", "stopped"]
LANGUAGES = ["nb"] * 8 + ["nn", "en"]
# Searches over HTTP: a word in most documents, and two words that often occur together.
COMMON_WORD = "kommune"
TWO_WORDS = "kommune energi"
PATHOLOGICAL_TEXT = (
    "Kommune prosjekt bærekraft klimatilpasning overvann energi",
    "Kommune prosjekt bærekraft klimatilpasning overvann energi. " * 3,
)
_WORD = re.compile(r"[a-zA-ZæøåÆØÅéü]{4,}")


@dataclass(frozen=True)
class Counts:
    """How many of each thing a scale gives (at least one of each, so pages have content)."""

    projects: int
    practices: int
    users: int

    @classmethod
    def at(cls, scale: float) -> Counts:
        return cls(
            projects=max(20, round(PROJECTS * scale)),
            practices=max(5, round(PRACTICES * scale)),
            users=max(10, round(USERS * scale)),
        )


def _data_file(name: str) -> str:
    return resources.files("baerekraft_hub.data").joinpath(name).read_text(encoding="utf-8")


def municipalities() -> list[dict[str, str]]:
    """Every municipality: number, name, county_number."""
    return list(csv.DictReader(_data_file("municipalities.csv").splitlines()))


def target_ids() -> list[str]:
    return [row["id"] for row in csv.DictReader(_data_file("sdg_targets.csv").splitlines())]


class Vocabulary:
    """Sentences and words of the demo content and the SDG targets, and invented rare words."""

    def __init__(self, rng: random.Random) -> None:
        demo = json.loads(_data_file("demo_content.json"))
        texts = [f"{row['summary']} {row['description']}" for row in demo]
        texts += [
            row["text_nb"] for row in csv.DictReader(_data_file("sdg_targets.csv").splitlines())
        ]
        self.sentences = sorted(
            {
                s.strip(" -#\n")
                for text in texts
                for s in re.split(r"(?<=[.!?])\s+|\n+", text)
                if len(s.strip(" -#\n")) > 30
            }
        )
        counts: dict[str, int] = {}
        for text in texts:
            for word in _WORD.findall(text.lower()):
                counts[word] = counts.get(word, 0) + 1
        self.words = sorted(counts, key=lambda w: (-counts[w], w))
        # Zipf: the n-th most frequent word is drawn with weight 1/n.
        self.weights = [1 / (n + 1) for n in range(len(self.words))]
        self.tags = [w for w in self.words[:400] if len(w) > 5][:120]
        self.demo_titles = [re.sub(r"\s*\(demo\)", "", row["title"]) for row in demo]
        self.rng = rng

    def words_of(self, count: int) -> list[str]:
        return self.rng.choices(self.words, self.weights, k=count)

    def rare_word(self) -> str:
        """An invented compound of two ordinary words: almost always unique in the data."""
        first, second = self.rng.sample(self.words, 2)
        return first + second


def rare_word_for(seed: int) -> str:
    """A rare word that the data of `seed` contains exactly once (in the first project)."""
    return f"sjeldenord{seed}x"


def item_rows(
    scale: float = 1.0, seed: int = SEED, pathological: bool = False, progress=lambda n: None
) -> list[dict]:
    """Projects then practices in the import format (`flask projects import`), all published;
    `progress(1)` after each row."""
    rng = random.Random(seed)
    counts = Counts.at(scale)
    vocab = Vocabulary(rng)
    places = municipalities()
    targets = target_ids()
    rows: list[dict] = []
    for n in range(counts.projects + counts.practices):
        kind = "project" if n < counts.projects else "practice"
        place = places[n % len(places)] if n < len(places) else rng.choice(places)
        chosen = rng.sample(targets, rng.randint(1, 4))
        if pathological:
            title, description = PATHOLOGICAL_TEXT
            summary = PATHOLOGICAL_TEXT[0]
            tags = ["bærekraft"]
        else:
            title = f"{rng.choice(vocab.demo_titles)} i {place['name']}"[:200]
            summary = " ".join(rng.sample(vocab.sentences, 2))[:500]
            body = rng.sample(vocab.sentences, rng.randint(2, 6))
            body.append(" ".join(vocab.words_of(rng.randint(10, 40))).capitalize() + ".")
            body.append(" ".join(vocab.rare_word() for _ in range(rng.randint(0, 3))))
            if n == 0:
                body.append(rare_word_for(seed))
            description = "\n\n".join(body).strip()
            tags = sorted(set(rng.sample(vocab.tags, rng.randint(1, 4))))
        row = {
            "external_id": f"bench-{kind}-{n}",
            "kind": kind,
            "title": title,
            "summary": summary,
            "description": description,
            "organisation": place["number"],
            "sdg_targets": chosen,
            "sdg_goals": [],
            "tags": tags,
            "language": rng.choice(LANGUAGES),
            "published": True,
        }
        if kind == "project":
            start = date(2018, 1, 1) + timedelta(days=rng.randint(0, 7 * 365))
            participants = [place["county_number"]]
            if rng.random() < 0.3:
                participants.append(rng.choice(places)["number"])
            row |= {
                "participants": sorted(set(participants) - {place["number"]}),
                "status": rng.choice(STATUSES),
                "start_date": start.isoformat(),
                "end_date": (start + timedelta(days=rng.randint(90, 1500))).isoformat(),
            }
        rows.append(row)
        progress(1)
    return rows


@dataclass(frozen=True)
class Extras:
    """What is written in bulk beside the import: users and their follows, updates, values."""

    users: list[dict]
    follows: list[tuple[int, str, str]]  # (user index, kind, key)
    updates: list[tuple[int, str, str]]  # (project index, title, body)
    values: list[tuple[int, int]]  # (project index, latest value)
    memberships: list[tuple[int, str]]  # (user index, municipality number), approved


def extras(scale: float = 1.0, seed: int = SEED) -> Extras:
    """Users with 1-8 follows each (municipalities, goals, targets, projects), a share of them
    members of a municipality (user 0 of Molde), an update on one project in ten, a result
    indicator with a value on one in twenty."""
    rng = random.Random(seed + 1)
    counts = Counts.at(scale)
    places = municipalities()
    targets = target_ids()
    users = [
        {
            "email": f"bruker{n}@bench.example.no",
            "name": f"Bruker {n}",
            "language": rng.choice(LANGUAGES),
            "digest_frequency": rng.choice(["weekly", "weekly", "daily", "none"]),
        }
        for n in range(counts.users)
    ]
    follows = []
    for n in range(counts.users):
        chosen = {("organisation", rng.choice(places)["number"])}
        for _ in range(rng.randint(0, 7)):
            kind = rng.choice(["goal", "target", "project", "project", "organisation"])
            key = {
                "goal": lambda: str(rng.randint(1, 17)),
                "target": lambda: rng.choice(targets),
                "project": lambda: str(rng.randrange(counts.projects)),
                "organisation": lambda: rng.choice(places)["number"],
            }[kind]()
            chosen.add((kind, key))
        follows += [(n, kind, key) for kind, key in sorted(chosen)]
    vocab = Vocabulary(rng)
    updates = [
        (p, " ".join(vocab.words_of(4)).capitalize(), " ".join(rng.sample(vocab.sentences, 2)))
        for p in range(0, counts.projects, 10)
    ]
    values = [(p, rng.randint(10, 90)) for p in range(5, counts.projects, 20)]
    members = random.Random(seed + 3)  # apart, so the rest stays as it was
    memberships = [(0, MEMBER_OF_FIRST)] + [
        (n, members.choice(places)["number"])
        for n in range(1, counts.users)
        if members.random() < MEMBER_SHARE
    ]
    return Extras(users, follows, updates, values, memberships)


KPI_YEARS = range(2017, 2025)  # 8 years


def kpi_codes() -> list[str]:
    return [row["code"] for row in csv.DictReader(_data_file("u4ssc_kpis.csv").splitlines())]


def kpi_value_ceilings() -> dict[str, float]:
    """The highest value each KPI's unit allows, where it is below 100 (an index, yes/no: 1)."""
    units = csv.DictReader(_data_file("u4ssc_units.csv").splitlines())
    highest = {row["code"]: float(row["max_value"]) for row in units if row["max_value"]}
    kpis = csv.DictReader(_data_file("u4ssc_kpis.csv").splitlines())
    return {
        row["code"]: highest[row["unit_code"]]
        for row in kpis
        if highest.get(row["unit_code"], 100) < 100
    }


def kpi_values_csv(scale: float = 1.0, seed: int = SEED) -> tuple[str, int]:
    """A `flask kpis import` table: every KPI for 8 years for the scale's share of the 357
    municipalities (all at 1.0: about 260,000 rows), semicolon-separated, decimal commas as
    Norwegian Excel writes them. Values lie in 0-100, scaled down to the unit's range where it
    is narrower (an index lies in 0-1); (text, rows)."""
    rng = random.Random(seed + 2)
    ceilings = kpi_value_ceilings()
    places = municipalities()[: max(5, round(len(municipalities()) * scale))]
    lines = ["organisation;kpi;year;value;quality;source;verified"]
    for place in places:
        for code in kpi_codes():
            value = rng.uniform(5, 95)
            for year in KPI_YEARS:
                value = min(100.0, max(0.0, value * rng.uniform(0.97, 1.04)))
                scaled = value * ceilings[code] / 100 if code in ceilings else value
                text = f"{scaled:.3f}".replace(".", ",")
                lines.append(f"{place['number']};{code};{year};{text};high;SSB;ja")
    return "\n".join(lines) + "\n", len(lines) - 1
