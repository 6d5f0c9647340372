"""``hcc db backup PATH`` and ``hcc db restore PATH`` (see agents_registry/backup.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from agents_registry.backup import BackupError, Snapshot, backup, restore
from api.settings import Settings

console = Console(stderr=True)


@click.group("db")
def db_commands() -> None:
    """The registry database (HCC_DB): online backup and restore."""


def _describe(snapshot: Snapshot) -> str:
    size = f"{snapshot.bytes / 1024 / 1024:.1f} MB"
    pending = (
        f"; migrations to apply at the next start: {', '.join(snapshot.pending_migrations)}"
        if snapshot.pending_migrations
        else ""
    )
    return f"{snapshot.path} ({snapshot.pages} pages, {size}, integrity ok{pending})"


def _progress(title: str) -> Progress:
    return Progress(
        TextColumn(title),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} pages"),
        console=console,
    )


@db_commands.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(path: Path) -> None:
    """Copy the database to PATH while the server keeps running (a consistent snapshot)."""
    settings = Settings.from_env()
    with _progress("Backing up") as progress:
        task = progress.add_task("backup", total=None)
        try:
            snapshot = backup(
                settings.db_path,
                path,
                lambda done, total: progress.update(task, completed=done, total=total),
            )
        except BackupError as exc:
            click.echo(f"Backup failed: {exc}", err=True)
            sys.exit(1)
    click.echo(f"Backup written: {_describe(snapshot)}")


@db_commands.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def db_restore(path: Path, yes: bool) -> None:
    """Replace the database by the backup at PATH (stop the server first)."""
    settings = Settings.from_env()
    if not yes:
        click.confirm(
            f"Replace {settings.db_path} by {path}? Its current content is lost", abort=True
        )
    with _progress("Restoring") as progress:
        task = progress.add_task("restore", total=None)
        try:
            snapshot = restore(
                path,
                settings.db_path,
                lambda done, total: progress.update(task, completed=done, total=total),
            )
        except BackupError as exc:
            click.echo(f"Restore refused: {exc}", err=True)
            sys.exit(1)
    click.echo(f"Restored {settings.db_path} from {_describe(snapshot)}")
