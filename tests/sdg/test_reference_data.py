import csv
from importlib import resources

from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.sdg.models import Goal, Target


def shipped_rows(name):
    with resources.files("baerekraft_hub.data").joinpath(name).open(encoding="utf-8") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_seed_prints_counts_that_match_the_shipped_files(runner):
    result = runner.invoke(args=["seed", "reference"])
    assert result.exit_code == 0, result.output
    expected = (
        f"{shipped_rows('sdg_goals.csv')} goals, {shipped_rows('sdg_targets.csv')} targets, "
        f"{shipped_rows('sdg_indicators.csv')} indicators, "
        f"{shipped_rows('municipalities.csv')} municipalities, "
        f"{shipped_rows('counties.csv')} counties, 3 partners, "
        f"{shipped_rows('u4ssc_kpis.csv')} KPIs"
    )
    assert expected in result.output
    assert "17 goals, 169 targets, 251 indicators, 357 municipalities, 15 counties" in expected
    # the database was seeded by the fixture already: a second load changes nothing
    assert "no changes" in result.output


def test_a_changed_row_is_updated_not_duplicated(runner, db):
    goal = db.session.get(Goal, 11)
    goal.short_title_en = "Edited by hand"
    target = db.session.get(Target, "13.a")
    target.text_nb = None
    db.session.commit()

    result = runner.invoke(args=["seed", "reference"])

    assert "updated 2" in result.output
    db.session.expire_all()
    assert db.session.get(Goal, 11).short_title_en == "Sustainable cities and communities"
    assert db.session.scalar(db.select(db.func.count()).select_from(Goal)) == 17


def test_unofficial_translations_are_never_loaded(db):
    # Goal 8 has no official bokmål target texts; the unreviewed machine-like ones stay out.
    assert db.session.get(Target, "8.1").text_nb is None
    assert db.session.get(Target, "11.1").text_nb.startswith("Innen 2030")


def test_targets_are_ordered_as_the_un_orders_them(db):
    goal = db.session.get(Goal, 11)
    assert [t.id for t in goal.targets] == [
        "11.1",
        "11.2",
        "11.3",
        "11.4",
        "11.5",
        "11.6",
        "11.7",
        "11.a",
        "11.b",
        "11.c",
    ]


def test_municipalities_know_their_county_and_official_sami_names(db):
    def by_number(number):
        return db.session.scalars(db.select(Organisation).filter_by(number=number)).one()

    molde = by_number("1506")
    assert (molde.name, molde.county.name, molde.slug) == ("Molde", "Møre og Romsdal", "molde")
    kautokeino = by_number("5612")
    assert kautokeino.alt_name_list and kautokeino.alt_name_list[0][1] == "sme"
    # two Herøy: told apart by county in the address
    heroy = {by_number("1515").slug, by_number("1818").slug}
    assert heroy == {"heroy-more-og-romsdal", "heroy-nordland"}
    partners = db.session.scalars(db.select(Organisation.slug).filter_by(kind="partner")).all()
    assert sorted(partners) == ["ks", "lo", "nho"]


def test_every_goal_has_its_names_in_nynorsk(db):
    goals = db.session.scalars(db.select(Goal).order_by(Goal.number)).all()
    assert all(g.short_title_nn and g.title_nn for g in goals)
    assert db.session.get(Goal, 2).short_title_nn == "Utrydde svolt"
    assert db.session.get(Goal, 2).short_title_nb == "Utrydde sult"


def test_a_nynorsk_name_changed_by_hand_is_put_back_by_the_seed(runner, db):
    db.session.get(Goal, 13).short_title_nn = "Stoppe klimaendringene"
    db.session.commit()

    result = runner.invoke(args=["seed", "reference"])

    assert "updated 1" in result.output
    db.session.expire_all()
    assert db.session.get(Goal, 13).short_title_nn == "Stoppe klimaendringane"
    assert "no changes" in runner.invoke(args=["seed", "reference"]).output


def test_the_nynorsk_goal_names_migration_keeps_the_goals_both_ways(scratch_database):
    """Migration 0009 adds two empty columns to the goals, and drops them again."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from baerekraft_hub import create_app
    from baerekraft_hub.extensions import db

    def goal_columns():
        return {c["name"] for c in inspect(db.engine).get_columns("sdg_goal")}

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": scratch_database})
    with app.app_context():
        upgrade(revision="0009")
        downgrade(revision="-1")
        assert {"short_title_nn", "title_nn"}.isdisjoint(goal_columns())
        db.session.execute(
            text(
                "INSERT INTO sdg_goal (number, short_title_en, title_en, short_title_nb,"
                " title_nb, colour) VALUES (13, 'Climate action', 'Take urgent action',"
                " 'Stoppe klimaendringene', 'Handle umiddelbart', '#3F7E44')"
            )
        )
        db.session.commit()
        upgrade(revision="0009")
        assert {"short_title_nn", "title_nn"} <= goal_columns()
        row = db.session.execute(text("SELECT short_title_nb, short_title_nn FROM sdg_goal"))
        assert row.all() == [("Stoppe klimaendringene", None)]
        db.session.rollback()
        downgrade(revision="-1")
        assert {"short_title_nn", "title_nn"}.isdisjoint(goal_columns())
        kept = db.session.execute(text("SELECT short_title_nb FROM sdg_goal"))
        assert kept.all() == [("Stoppe klimaendringene",)]
        db.session.rollback()
        db.engine.dispose()


def test_u4ssc_structure_codes_that_repeat_across_levels_are_separate_rows(runner, db):
    """'EN' is both a dimension and its sub-dimension: each is its own row, and reseeding keeps
    them as they are (it used to swap their levels back and forth, "updated 6" on every seed)."""
    from baerekraft_hub.sdg.models import KpiGroup

    def levels():
        rows = db.session.execute(db.select(KpiGroup.level, db.func.count()).group_by("level"))
        return dict(rows.all())

    assert levels() == {"dimension": 3, "sub_dimension": 7, "category": 27}
    environment = db.session.get(KpiGroup, "EN: EN")
    assert (environment.level, environment.parent_code) == ("sub_dimension", "EN")
    assert db.session.get(KpiGroup, "EN").level == "dimension"

    result = runner.invoke(args=["seed", "reference"])
    assert "no changes" in result.output
    db.session.expire_all()
    assert levels() == {"dimension": 3, "sub_dimension": 7, "category": 27}
