"""The ``hcc`` command line: build the site, check the catalog, run the portal."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click
from rich.console import Console

from api.settings import PROJECT_ROOT, Settings
from catalog.load import CatalogError, load_catalog

console = Console(stderr=True)
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material prints an end-of-life banner otherwise


@click.group()
def main() -> None:
    """hcc — portal of the Public Administrative Service Center."""


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


@main.command("up")
@click.option("--host", default=None, help="Interface to listen on (HCC_HOST).")
@click.option("--port", type=int, default=None, help="Port (HCC_PORT).")
@click.option("--no-build", is_flag=True, help="Serve the existing build without rebuilding.")
def up(host: str | None, port: int | None, no_build: bool) -> None:
    """Build the site and serve the portal on http://127.0.0.1:8000."""
    import uvicorn

    from api.app import create_app

    settings = Settings.from_env()
    host = host or settings.host
    port = port or settings.port
    if not no_build:
        build_site(settings.site_dir)
    console.print(f"[bold green]Portal ready:[/] http://{host}:{port}/  (Ctrl+C to stop)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


if __name__ == "__main__":
    main()
