"""`flask backup` and `flask restore`: a consistent copy while writes go on, restored whole."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from baerekraft_hub import create_app
from baerekraft_hub.content.models import Tag
from baerekraft_hub.extensions import db as _db


@pytest.fixture()
def sqlite_app(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's backup; PostgreSQL gets the pg_dump command (tested below)")
    return app


@pytest.fixture()
def empty_instance(tmp_path, monkeypatch):
    """A second instance, with no database yet."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "new"))
    uri = f"sqlite:///{tmp_path / 'new' / 'hub.sqlite'}"
    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": uri})


def tag_numbers(path) -> list[int]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM tag WHERE name LIKE 'w%'").fetchall()
    connection.close()
    return sorted(int(name[1:]) for (name,) in rows)


def test_a_backup_under_writes_restores_every_committed_row(
    sqlite_app, db, runner, empty_instance, tmp_path
):
    committed: list[int] = []
    stop = threading.Event()

    def write():
        with sqlite_app.app_context():
            n = 0
            while not stop.is_set():
                _db.session.add_all(Tag(name=f"w{n + i}") for i in range(5))
                _db.session.commit()
                committed.extend(range(n, n + 5))
                n += 5
            _db.session.remove()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(committed) < 200:
            stop.wait(0.01)
        before = len(committed)
        result = runner.invoke(args=["backup", str(tmp_path / "hub.backup")])
        after = len(committed)
        stop.wait(0.2)  # and writes go on after the backup
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    in_backup = tag_numbers(tmp_path / "hub.backup")
    # A snapshot: every row committed before it began, a gapless run of those after, no more.
    assert in_backup == list(range(len(in_backup)))
    assert before <= len(in_backup) <= after + 5 < len(committed)

    with empty_instance.app_context():  # the commands' app (the test holds another's context)
        restored = empty_instance.test_cli_runner().invoke(
            args=["restore", str(tmp_path / "hub.backup")]
        )
        assert restored.exit_code == 0, restored.output
        assert "flask search reindex" in restored.output
        names = _db.session.scalars(_db.select(Tag.name).where(Tag.name.like("w%"))).all()
        assert sorted(int(name[1:]) for name in names) == in_backup
        assert _db.session.execute(_db.text("SELECT version_num FROM alembic_version")).scalar()
        _db.engine.dispose()


def test_a_restore_into_a_non_empty_instance_is_refused(sqlite_app, db, runner, tmp_path):
    db.session.add(Tag(name="keep-me"))
    db.session.commit()
    assert runner.invoke(args=["backup", str(tmp_path / "hub.backup")]).exit_code == 0
    result = runner.invoke(args=["restore", str(tmp_path / "hub.backup")])
    assert result.exit_code == 1
    assert "is not empty" in result.output
    assert "restore only into an empty instance" in result.output
    assert db.session.scalar(db.select(Tag.name)) == "keep-me"


def test_a_backup_never_overwrites_and_a_restore_wants_a_backup(
    sqlite_app, runner, empty_instance, tmp_path
):
    existing = tmp_path / "there.backup"
    existing.write_text("precious")
    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code == 1 and "exists" in result.output
    assert existing.read_text() == "precious"
    with empty_instance.app_context():
        result = empty_instance.test_cli_runner().invoke(args=["restore", str(existing)])
    assert result.exit_code == 1
    assert "is not a backup of this application's database" in result.output


def test_on_postgresql_backup_prints_the_pg_dump_command(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    uri = "postgresql://hub:secret@db.example.no:5433/hubdb"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": uri})
    result = app.test_cli_runner().invoke(args=["backup", "/backups/hub.dump"])
    assert result.exit_code == 1  # nothing was backed up
    assert (
        "PGPASSWORD=… pg_dump --host=db.example.no --port=5433 --username=hub --dbname=hubdb"
        " --format=custom --file=/backups/hub.dump"
    ) in result.output
    assert "pg_restore --host=db.example.no" in result.output
    assert "secret" not in result.output
