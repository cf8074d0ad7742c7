"""The shipped U4SSC KPI definitions (ITU-T Y.4903): what the import, scoring and pages rely on.

These read the CSV files as shipped, without a database.
"""

import csv
import re
from collections import Counter
from importlib import resources

import pytest

DATA = resources.files("baerekraft_hub.data")


def rows(name):
    with DATA.joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


KPIS = rows("u4ssc_kpis.csv")
STRUCTURE = rows("u4ssc_structure.csv")
UNITS = {row["code"]: row for row in rows("u4ssc_units.csv")}
SOURCES = DATA.joinpath("SOURCES.md").read_text(encoding="utf-8")

# ITU's flipbook (p. 101) numbers Electronic Health Records "ED: 5A" but files it under Health.
CODED_OUTSIDE_ITS_CATEGORY = {"SC: EH: ED: 5A"}
# Units for which a value is a plain amount, not a numerator over a denominator.
# (Air pollution, ug_m3, has one: ITU's pages give mass of pollutant over volume of air sampled.)
UNITS_WITHOUT_DENOMINATOR = {"count", "years", "index", "yes_no"}
ITU_PAGE = re.compile(
    r"^ITU U4SSC (KPIs Verification Manual \(2022\)|Collection Methodology \(2017\)), p\. (\d+): "
    r"https://www\.itu\.int/en/publications/Documents/tsb/"
    r"(2022-U4SSC-KPIs-Verification-Manual-A-guide-for-verifiers|2017-U4SSC-Collection-Methodology)"
    r"/files/basic-html/page(\d+)\.html$"
)


def code_parts(code):
    dimension, sub_dimension, category, number = (part.strip() for part in code.split(":"))
    return dimension, sub_dimension, category, number


def by_level(level):
    return {row["code"]: row for row in STRUCTURE if row["level"] == level}


def test_there_are_91_kpis_54_core_and_37_advanced():
    codes = [row["code"] for row in KPIS]
    assert len(codes) == len(set(codes)) == 91
    assert Counter(row["core_or_advanced"] for row in KPIS) == {"Core": 54, "Advanced": 37}
    for row in KPIS:
        suffix = code_parts(row["code"])[3][-1]
        assert {"C": "Core", "A": "Advanced"}[suffix] == row["core_or_advanced"], row["code"]


def test_the_structure_has_3_dimensions_7_sub_dimensions_and_22_categories():
    assert Counter(row["level"] for row in STRUCTURE) == {
        "dimension": 3,
        "sub_dimension": 7,
        "category": 27,  # 22 categories; Water and Sanitation etc. sit under several sub-dimensions
    }
    assert len({row["name_en"] for row in by_level("category").values()}) == 22
    for level in ("dimension", "sub_dimension", "category"):
        codes = [row["code"] for row in STRUCTURE if row["level"] == level]
        assert len(codes) == len(set(codes)), f"{level} codes repeat"
    dimensions, sub_dimensions = by_level("dimension"), by_level("sub_dimension")
    assert set(dimensions) == {"EC", "EN", "SC"}
    assert all(row["parent"] in dimensions for row in sub_dimensions.values())
    assert all(row["parent"] in sub_dimensions for row in by_level("category").values())
    assert all(row["parent"] == "" for row in dimensions.values())


def test_every_kpi_sits_in_a_category_of_the_structure():
    dimensions, sub_dimensions = by_level("dimension"), by_level("sub_dimension")
    categories = by_level("category")
    for row in KPIS:
        dimension, sub_dimension, category, _ = code_parts(row["code"])
        assert dimensions[dimension]["name_en"] == row["dimension"], row["code"]
        assert sub_dimensions[sub_dimension]["parent"] == dimension, row["code"]
        assert sub_dimensions[sub_dimension]["name_en"] == row["sub_dimension"], row["code"]
        # a category code that repeats across sub-dimensions is written SUB/CAT
        placed = categories.get(f"{sub_dimension}/{category}") or categories[category]
        assert placed["parent"] == sub_dimension, row["code"]
        if row["code"] in CODED_OUTSIDE_ITS_CATEGORY:
            named = [
                c
                for c in categories.values()
                if c["parent"] == sub_dimension and c["name_en"] == row["category"]
            ]
            assert named, row["code"]
        else:
            assert placed["name_en"] == row["category"], row["code"]


def test_every_category_has_a_kpi():
    used = {(code_parts(row["code"])[1], row["category"]) for row in KPIS}
    for category in by_level("category").values():
        assert (category["parent"], category["name_en"]) in used, category["code"]


@pytest.mark.parametrize("language", ["en", "nb", "nn"])
def test_every_kpi_and_structure_level_is_named_and_described_in_each_language(language):
    for row in KPIS:
        assert row[f"name_{language}"].strip(), (row["code"], language)
        assert row[f"description_{language}"].strip(), (row["code"], language)
        assert row["text_source"].strip(), row["code"]
    for row in STRUCTURE:
        assert row[f"name_{language}"].strip(), (row["code"], language)


def test_nynorsk_descriptions_are_not_copies_of_the_bokmal_ones():
    for row in KPIS:
        assert row["description_nn"] != row["description_nb"], row["code"]
    # common bokmål forms that nynorsk spells differently
    bokmal_only = re.compile(r"\b(innbyggere|husholdninger|vann|strøm|offentlig|antall|ikke)\b")
    for row in KPIS:
        assert not bokmal_only.search(row["description_nn"]), row["code"]


def test_every_kpi_has_a_unit_from_the_documented_vocabulary():
    for row in KPIS:
        assert row["unit_code"] in UNITS, row["code"]
        assert row["unit"].strip() and row["unit_source"].strip(), row["code"]
    for code in UNITS:
        assert f"`{code}`" in SOURCES, f"unit code {code} is not documented in SOURCES.md"


def test_unit_ranges_refuse_percentages_over_100_and_negative_amounts():
    assert UNITS["percent"]["min_value"] == "0"
    assert UNITS["percent"]["max_value"] == "100"
    assert UNITS["yes_no"]["max_value"] == "1"
    for code, unit in UNITS.items():
        assert unit["min_value"] == "0", code  # no U4SSC quantity is negative
        assert unit["name_nb"] and unit["name_nn"], code


def test_numerator_and_denominator_match_the_kind_of_unit():
    for row in KPIS:
        if row["unit_code"] in UNITS_WITHOUT_DENOMINATOR:
            assert row["denominator"] == "", row["code"]
        else:
            assert row["numerator"] and row["denominator"], row["code"]


def test_every_kpi_says_whether_higher_or_lower_is_better():
    assert {row["direction"] for row in KPIS} <= {"higher", "lower"}
    directions = {row["code"]: row["direction"] for row in KPIS}
    assert directions["EC: P: EM: 1C"] == "lower"  # unemployment
    assert directions["EN: EN: AQ: 2C"] == "lower"  # greenhouse gas emissions
    assert directions["EC: ICT: ICT: 1C"] == "higher"  # household internet access


def test_kpis_checked_against_itu_text_name_the_page_read_and_the_basis_of_the_direction():
    checked = [row for row in KPIS if "itu.int" in row["unit_source"]]
    assert len(checked) >= 33
    for row in checked:
        match = ITU_PAGE.match(row["unit_source"])
        assert match, row["code"]
        assert match.group(2) == match.group(4), row["code"]  # "p. NN" is the page in the address
        assert "checked against ITU text" in row["note"], row["code"]
        assert "direction: ITU text" in row["note"] or "direction: our reading" in row["note"]


def test_corrections_read_on_itu_pages_are_kept():
    kpis = {row["code"]: row for row in KPIS}
    outage_time = kpis["EC: I: ES: 2C"]  # CAIDI: minutes per interruption, not hours per customer
    assert (outage_time["unit_code"], outage_time["denominator"]) == (
        "minutes",
        "Total number of customer interruptions",
    )
    intersections = kpis["EC: ICT: T: 3A"]["denominator"]
    assert intersections == "Total number of signal-controlled intersections"
    assert kpis["EC: I: T: 5A"]["direction"] == "lower"  # TTI of 1.5 or less is "Good"


def test_targets_come_from_a_named_public_source_and_never_without_one():
    with_target = [row for row in KPIS if row["target_value"]]
    assert len(with_target) >= 12
    sdg_targets = {row["id"] for row in rows("sdg_targets.csv")}
    for row in KPIS:
        source = row["target_source"]
        assert bool(source) == bool(row["target_value"]), row["code"]
        if not source:
            continue
        named = re.match(r"SDG target (\d+\.\w+):", source)
        assert named or source.startswith("U4SSC KPIs Verification Manual (2022), p. "), row["code"]
        if named:
            assert named.group(1) in sdg_targets, row["code"]
    targets = {row["code"]: row["target_value"] for row in with_target}
    assert targets["SC: EH: H: 2C"] == "70"  # SDG 3.1: under 70 per 100 000 live births
    assert targets["EC: I: WS: 1C"] == "100"  # SDG 6.1: drinking water for all


def test_target_values_are_numbers_in_the_range_of_the_kpi_unit():
    for row in KPIS:
        if not row["target_value"]:
            assert "target" in row["note"], row["code"]  # the note says why there is none
            continue
        value = float(row["target_value"])
        unit = UNITS[row["unit_code"]]
        assert float(unit["min_value"]) <= value, row["code"]
        if unit["max_value"]:
            assert value <= float(unit["max_value"]), row["code"]
        assert row["target_source"].strip(), row["code"]


def test_sdg_links_point_to_known_goals_and_targets():
    targets = {row["id"]: row["goal"] for row in rows("sdg_targets.csv")}
    for row in KPIS:
        goals = {int(goal) for goal in row["sdg_goals"].split(";")}
        assert goals <= set(range(1, 18)), row["code"]
        for target in filter(None, row["sdg_targets"].split(";")):
            assert target in targets, (row["code"], target)
            assert int(targets[target]) in goals, (row["code"], target)
