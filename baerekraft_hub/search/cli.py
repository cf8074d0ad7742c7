"""`flask search …`: rebuild the index, compare it with the database, apply pending changes."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from baerekraft_hub.core.progress import Progress
from baerekraft_hub.extensions import db
from baerekraft_hub.projects.models import Project
from baerekraft_hub.search.builder import expected_versions, published_count
from baerekraft_hub.search.changes import (
    apply_pending_changes,
    pending_count,
    rebuild_index,
    search_engine,
)
from baerekraft_hub.search.engine import SearchBusy
from baerekraft_hub.search.similar import refresh_similar

search_cli = AppGroup("search", help="The search index: rebuild, check, apply changes.")


@search_cli.command("reindex")
@click.option("--if-missing", is_flag=True, help="Only when there is no readable index (make run).")
def reindex_command(if_missing: bool) -> None:
    """Rebuild from the database into a fresh directory and swap it in; searches keep working."""
    engine = search_engine()
    with Session(db.engine) as session:
        total = published_count(session)
    # An empty backend with content to hold is missing too (a database switched to
    # SEARCH_BACKEND=postgresql has its documents table, empty).
    if if_missing and engine.exists() and (engine.doc_count() or not total):
        click.echo("search index: in place, left as it is")
        return
    started = time.perf_counter()
    try:
        with Progress("indexing", length=total) as progress:
            count = rebuild_index(progress=progress.advance)
    except SearchBusy as error:
        raise click.ClickException(f"{error}; try again shortly") from None
    applied = apply_pending_changes()  # changes committed while the index was being built
    seconds = time.perf_counter() - started
    click.echo(f"search index rebuilt: {count} documents in {seconds:.1f} s")
    if applied:
        click.echo(f"then applied {applied} changes saved meanwhile")


@search_cli.command("check")
@click.option("--verbose", "-v", is_flag=True, help="List every drifting document.")
def check_command(verbose: bool) -> None:
    """Report documents missing from, stale in, or extra in the index; exit 1 on drift."""
    engine = search_engine()
    if not engine.exists():
        raise click.ClickException("no readable search index: run `flask search reindex`")
    with Session(db.engine) as session:
        expected = expected_versions(session)
    drift = engine.check(expected)
    pending = pending_count()
    click.echo(
        f"{len(expected)} published items; missing {len(drift.missing)}, "
        f"stale {len(drift.stale)}, extra {len(drift.extra)}; {pending} changes pending"
    )
    for label, keys in (("missing", drift.missing), ("stale", drift.stale), ("extra", drift.extra)):
        for kind, item_id in keys if verbose else keys[:10]:
            click.echo(f"  {label}: {kind} {item_id}")
    if drift.missing or drift.stale or drift.extra:
        raise SystemExit(1)


@search_cli.command("apply")
def apply_command() -> None:
    """Apply pending index changes once (what `flask worker` does every few seconds)."""
    applied = apply_pending_changes()
    click.echo(f"applied {applied} index changes; {pending_count()} pending")


@search_cli.command("similar")
def similar_command() -> None:
    """Compute every due list of similar projects now (the worker does it a batch at a time):
    after loading or importing many projects."""
    started, total = time.perf_counter(), 0
    most = db.session.scalar(db.select(db.func.count()).select_from(Project))  # a list each
    while total < most and (done := refresh_similar(budget=30.0)):
        total += done
    click.echo(f"similar projects: {total} lists in {time.perf_counter() - started:.1f} s")
