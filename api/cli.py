"""The ``hcc`` command line: build the site, check the catalog, run the portal."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import TaskID
from sqlite_utils import Database

from agents_registry import store
from agents_registry.auth import add_staff, demo_staff_token
from agents_registry.context import VIETNAM, Context
from agents_registry.db import connect
from agents_registry.errors import Conflict
from agents_registry.migrations import migrate
from api.cli_db import db_commands
from api.settings import PROJECT_ROOT, Settings
from catalog.load import CatalogError, load_catalog

console = Console(stderr=True)
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material prints an end-of-life banner otherwise


@click.group()
def main() -> None:
    """hcc — portal of the Public Administrative Service Center."""


main.add_command(db_commands)


@main.group()
def catalog() -> None:
    """The procedure catalog (catalog/data)."""


@catalog.command("check")
@click.option(
    "--data-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Catalog data folder (default: the project's catalog/data).",
)
def catalog_check(data_dir: Path | None) -> None:
    """Validate every data file; list every problem with its file and field path."""
    try:
        result = load_catalog(data_dir) if data_dir else load_catalog()
    except CatalogError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s) found.", err=True)
        sys.exit(1)
    points = sum(len(b.reception_points) for b in result.branches)
    click.echo(
        f"Catalog OK: {len(result.procedures)} procedures, {len(result.fields)} fields, "
        f"{len(result.branches)} branches, {points} reception points, {len(result.wards)} wards."
    )


def build_site(site_dir: Path | None = None) -> Path:
    """Build the static site with MkDocs (strict) into ``site_dir``; return it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(PROJECT_ROOT / "mkdocs.yml"), strict=True)
    if site_dir is not None:
        config["site_dir"] = str(site_dir)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    with console.status("Building the site from the catalog…"):
        build(config)
    return Path(config["site_dir"])


@main.command("build")
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: build/site).",
)
def build_command(site_dir: Path | None) -> None:
    """Build the citizen site into build/site."""
    out = build_site(site_dir)
    pages = sum(1 for _ in out.rglob("index.html"))
    console.print(f"[green]Site built:[/] {pages} pages in {out}")


def open_registry(settings: Settings) -> tuple[Database, Context]:
    """The migrated database and a registry context, for the commands that write."""
    db = connect(settings.db_path)
    migrate(db)
    ctx = Context(
        catalog=load_catalog(),
        secret_key=settings.resolved_secret_key(),
        submission_window_days=settings.submission_window_days,
    )
    return db, ctx


def seed_demo(db: Database, ctx: Context, today: dt.date | None = None) -> None:
    from rich.progress import Progress

    from agents_registry.demo import seed

    with Progress(console=console) as progress:
        tasks: dict[str, TaskID] = {}

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=total)
            progress.update(tasks[step], completed=done, total=total)

        summary = seed(db, ctx, today=today, progress=report)
    console.print(
        f"[green]Demo network seeded:[/] {summary.agents} agents, {summary.submissions:,} submissions, "
        f"{summary.pending_applications} pending applications (all marked demo)."
    )


@main.group()
def staff() -> None:
    """Center staff users."""


@staff.command("add")
@click.argument("name")
def staff_add(name: str) -> None:
    """Create a staff user; its token is printed alone on the last line, once."""
    db, ctx = open_registry(Settings.from_env())
    staff_id, token = add_staff(db, ctx, name)
    click.echo(f"Staff user {staff_id} ({name}) created. Its token, shown only now:")
    click.echo(token)


@main.group()
def demo() -> None:
    """The demo agent network (generated, deterministic, marked demo)."""


@demo.command("seed")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Seed as if today were this date (the year before it is generated; default: today).",
)
def demo_seed(today: dt.datetime | None) -> None:
    """Seed the demo network into an empty database."""
    db, ctx = open_registry(Settings.from_env())
    try:
        seed_demo(db, ctx, today.date() if today else None)
    except Conflict as exc:
        click.echo(f"Not seeded: {exc.message}", err=True)
        sys.exit(1)


def write_sample_export(db: Database, folder: Path) -> None:
    """Last month's official export of the demo just seeded, for staff to try a reconciliation.

    The files under examples/ match a demo seeded on their documented day; this one matches
    the demo of today.
    """
    from agents_registry.demo.official import official_rows, to_csv

    today = dt.datetime.now(VIETNAM).date()  # the demo's default day
    month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    out = folder / f"official-export-{month}.csv"
    out.write_bytes(to_csv(official_rows(db, month)))
    console.print(
        f"Sample official export of this demo, to reconcile on /kiem-tra/doi-chieu/: {out}"
    )


@demo.command("official-export")
@click.argument("month")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def demo_official_export(month: str, out: Path) -> None:
    """Write a sample official export of MONTH (YYYY-MM) from the demo, as CSV or .xlsx OUT."""
    from agents_registry.demo.official import official_rows, to_csv, to_xlsx

    db, _ = open_registry(Settings.from_env())
    rows = official_rows(db, month)
    out.write_bytes(to_xlsx(rows) if out.suffix.lower() == ".xlsx" else to_csv(rows))
    click.echo(f"{len(rows)} official records of {month} written to {out}.")


@main.group()
def audit() -> None:
    """The staff audit: reconciliation with official records, counters."""


@audit.command("reconcile")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def audit_reconcile(file: Path) -> None:
    """Import an official export (CSV or XLSX), all or nothing, and print the report."""
    from agents_registry.auth import Principal
    from agents_registry.errors import InvalidInput
    from agents_registry.reconcile import reconcile

    db, ctx = open_registry(Settings.from_env())
    try:
        report = reconcile(db, ctx, file.read_bytes(), file.name, Principal("staff", "cli"))
    except InvalidInput as exc:
        for message in exc.problems.values():
            click.echo(message, err=True)
        click.echo(f"Refused: {len(exc.problems)} problem(s); nothing was imported.", err=True)
        sys.exit(1)
    click.echo(
        f"{report.rows} records: {report.matched} matched, {report.unmatched} unmatched, "
        f"{report.conflicting} conflicting; {report.changed} changed"
        + (f" (reconciliation {report.id})." if report.id else " (nothing new).")
    )
    for conflict in report.conflicts[:10]:
        click.echo(
            f"conflict {conflict.dossier_code}: {conflict.field} official {conflict.official}, "
            f"recorded {conflict.recorded}"
        )


@audit.command("rebuild")
def audit_rebuild() -> None:
    """Recompute the audit counters from raw submissions and official records."""
    from agents_registry.audit_counters import rebuild
    from agents_registry.db import write

    db, _ = open_registry(Settings.from_env())
    with write(db):
        rebuild(db)
    click.echo("Audit counters rebuilt.")


@main.command("up")
@click.option("--host", default=None, help="Interface to listen on (HCC_HOST).")
@click.option("--port", type=int, default=None, help="Port (HCC_PORT).")
@click.option("--no-build", is_flag=True, help="Serve the existing build without rebuilding.")
@click.option(
    "--no-demo", is_flag=True, help="Do not seed the demo network into an empty database."
)
@click.option(
    "--workers", type=int, default=None, help="Worker processes sharing the port (HCC_WORKERS)."
)
def up(
    host: str | None, port: int | None, no_build: bool, no_demo: bool, workers: int | None
) -> None:
    """Migrate, seed the demo network if empty, build the site, serve site and API."""
    import uvicorn

    from api.app import create_app, freeze_startup_objects
    from api.observability import configure_logging

    settings = Settings.from_env()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    if settings.db_readonly:  # served as it is: no migrations, no demo seeding
        demo_token, catalog = None, load_catalog()
    else:
        db, ctx = open_registry(settings)
        if not no_demo and store.count_rows(db, "agents") == 0:
            seed_demo(db, ctx)
            write_sample_export(db, settings.db_path.parent)
        demo_token = demo_staff_token(db, ctx) if settings.env == "development" else None
        db.conn.close()
        catalog = ctx.catalog
    if not no_build:
        build_site(settings.site_dir)
    console.print(
        f"[bold green]Portal ready:[/] http://{host}:{port}/  ·  API: http://{host}:{port}/api/v1  ·  "
        f"docs: http://{host}:{port}/schema  (Ctrl+C to stop)"
    )
    if demo_token:
        console.print(f"Demo staff token (development only): [bold]{demo_token}[/]")
    configure_logging()
    if workers > 1:
        serve_workers(host, port, workers)
        return
    app = create_app(settings, catalog)
    freeze_startup_objects()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def serve_workers(host: str, port: int, workers: int) -> None:
    """Several uvicorn worker processes, each building the app from the environment.

    Their metrics go to a shared folder (prometheus-client's multiprocess mode) so that /metrics
    answers for all of them, whichever worker serves it.
    """
    import shutil
    import tempfile

    import uvicorn

    own_dir = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    if own_dir:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="hcc-metrics-")
    try:
        uvicorn.run(
            "api.app:create_app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
    finally:
        if own_dir:
            shutil.rmtree(os.environ.pop("PROMETHEUS_MULTIPROC_DIR"), ignore_errors=True)


if __name__ == "__main__":
    main()
