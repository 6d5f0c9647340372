"""Site-build benchmark: our MkDocs build against a bare mkdocs-material build, in the same run.

For each size N it writes a synthetic catalog of N procedures (derived from catalog/data),
builds the citizen site with the project's ``mkdocs.yml`` (hook, overrides, strict), then
builds the very same Markdown with a bare mkdocs-material configuration (same theme, nav and
Markdown extensions; no hook, no overrides). Each build runs in a fresh Python process so
imports, caches and peak memory are measured per build. Run it with::

    .venv/bin/python bench/site_build.py [--sizes 500,2000,5000] [--repeat 1]

The targets are informational: the script prints PASS/FAIL and always exits 0.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT / "catalog" / "data"
CONFIG = PROJECT / "mkdocs.yml"
HAND_WRITTEN_DOCS = PROJECT / "site" / "docs"
SEARCH_INDEX = Path("assets") / "search-index.json"

DEFAULT_SIZES = (500, 2000, 5000)
PAGE_LIMIT_BYTES = 50 * 1024
MS_PER_PAGE_GROWTH_LIMIT = 1.5
BARE_RATIO_LIMIT = 1.3
BUSY_FACTOR = 1.1  # wall time above 1.1x CPU time: another process took the CPU


# --- synthetic catalog ---------------------------------------------------------------------


def source_procedures() -> list[tuple[str, dict[str, Any]]]:
    """The real procedures as ``(id, raw mapping)``, in file order."""
    paths = sorted((DATA_DIR / "procedures").glob("*.yaml"))
    return [(p.stem, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in paths]


def synthetic_code(copy_number: int, source_number: int, original: str) -> str:
    """Copy 0 keeps the real code; later copies get a unique code no real one uses (10.xxxxxx+)."""
    if copy_number == 0:
        return original
    serial = copy_number * 1000 + source_number
    return f"{10 + serial // 1_000_000}.{serial % 1_000_000:06d}"


def synthetic_procedures(
    sources: list[tuple[str, dict[str, Any]]], ward_names: list[str], n: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``n`` procedures cycling through ``sources``: unique ids, codes and names, deterministic.

    Copies keep the length of the real names (a short "(bản k)" suffix; the varied search text
    goes into a keyword) and are never ``popular``: that list is curated, it does not grow
    with the catalog.

    Codes that point at other procedures (``replaced_by``, ``replaces``) are remapped to the same
    copy, so every copy stays a valid catalog; a successor past ``n`` is dropped.
    """
    if len(sources) >= 1000:
        raise ValueError("synthetic_code assumes fewer than 1000 source procedures")
    index_of_code = {raw["code"]: j for j, (_, raw) in enumerate(sources) if raw.get("code")}
    for i in range(n):
        k, j = divmod(i, len(sources))
        stem, raw = sources[j]
        procedure = copy.deepcopy(raw)
        if k:
            ward = ward_names[(i * 7) % len(ward_names)]
            procedure["name"] = f"{raw['name']} (bản {k})"
            procedure["keywords"] = [*raw.get("keywords", []), f"{ward} bản {k}"]
            procedure.pop("popular", None)
        _remap_codes(procedure, k, j, index_of_code, n, len(sources))
        yield (stem if k == 0 else f"{stem}-x{k}"), procedure


def _remap_codes(
    procedure: dict[str, Any], k: int, j: int, index_of_code: dict[str, int], n: int, cycle: int
) -> None:
    def same_copy(code: str) -> str | None:
        target = index_of_code.get(code)
        if target is None:
            return code
        if k * cycle + target >= n:
            return None
        return synthetic_code(k, target, code)

    if procedure.get("code"):
        procedure["code"] = synthetic_code(k, j, procedure["code"])
    if procedure.get("replaced_by"):
        successor = same_copy(procedure["replaced_by"])
        if successor is None or successor == procedure.get("code"):
            del procedure["replaced_by"]
        else:
            procedure["replaced_by"] = successor
    if procedure.get("replaces"):
        procedure["replaces"] = [c for c in map(same_copy, procedure["replaces"]) if c]


def write_catalog(root: Path, n: int) -> None:
    """A catalog folder with the real fields, wards and branches and ``n`` procedures."""
    for name in ("fields.yaml", "wards.yaml", "branches.yaml"):
        shutil.copy(DATA_DIR / name, root / name)
    wards = yaml.safe_load((DATA_DIR / "wards.yaml").read_text(encoding="utf-8"))
    ward_names = [w["name"] for w in wards]
    (root / "procedures").mkdir()
    for procedure_id, raw in synthetic_procedures(source_procedures(), ward_names, n):
        text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
        (root / "procedures" / f"{procedure_id}.yaml").write_text(text, encoding="utf-8")


# --- bare baseline -------------------------------------------------------------------------


def write_bare_docs(catalog_dir: Path, docs_dir: Path) -> None:
    """The Markdown our hook generates (plus the hand-written pages) as real files."""
    from catalog.load import load_catalog
    from catalog.maps import TileSettings
    from catalog.site import build_site

    shutil.copytree(HAND_WRITTEN_DOCS, docs_dir)
    generated = build_site(load_catalog(catalog_dir), TileSettings())
    for rel, markdown in generated.pages.items():
        path = docs_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown, encoding="utf-8")


def write_bare_config(docs_dir: Path, config_path: Path) -> None:
    """mkdocs-material with our theme options, nav and extensions; no hook, overrides or assets."""
    from mkdocs.utils.yaml import yaml_load

    ours = yaml_load(CONFIG.read_text(encoding="utf-8"))  # resolves !!python/name, !ENV
    theme = {key: value for key, value in ours["theme"].items() if key != "custom_dir"}
    bare = {
        "site_name": ours["site_name"],
        "docs_dir": str(docs_dir),
        "use_directory_urls": True,
        "theme": theme,
        "plugins": [],
        "markdown_extensions": ours["markdown_extensions"],
        "nav": ours["nav"],
    }
    # the full Dumper writes functions (e.g. a toc slugify) back as !!python/name tags
    text = yaml.dump(bare, Dumper=yaml.Dumper, allow_unicode=True, sort_keys=False)
    config_path.write_text(text, encoding="utf-8")


# --- one build in a fresh process ----------------------------------------------------------


@dataclass(frozen=True)
class BuildRun:
    """One build: wall and CPU seconds; CPU seconds spent loading the config (which imports the
    hooks) and in hook events; peak resident memory."""

    seconds: float
    cpu_seconds: float
    config_seconds: float
    hook_seconds: float
    peak_rss_mb: float


def _time_events(plugins: Any, spent: list[float]) -> None:
    """Add the CPU time of every plugin/hook event to ``spent[0]`` (wraps ``run_event``)."""
    run_event = plugins.run_event

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return run_event(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - start

    plugins.run_event = timed


def child_build(config_file: str, site_dir: str) -> None:
    """Entry point of the child process: build once, print the timings and peak memory as JSON."""
    import logging
    import resource

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    start, cpu_start = time.perf_counter(), time.process_time()
    config = load_config(config_file=config_file, site_dir=site_dir)
    config_seconds = time.process_time() - cpu_start
    hook_seconds = [0.0]
    _time_events(config.plugins, hook_seconds)
    build(config)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = {
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu_start,
        "config_seconds": config_seconds,
        "hook_seconds": hook_seconds[0],
        "peak_rss_mb": peak_kb / 1024,
    }
    print(json.dumps(figures))


def run_build(config_file: Path, site_dir: Path, catalog_dir: Path) -> BuildRun:
    """Build in a subprocess (fresh imports and caches); raise if the build fails.

    ``HCC_DB`` points at a file that does not exist, so the map data holds the catalog's places
    only and the figures do not depend on the local agent registry (bench/map_page.py measures
    that part).
    """
    env = {
        **os.environ,
        "HCC_CATALOG_DIR": str(catalog_dir),
        "HCC_DB": str(catalog_dir.parent / "no-registry.db"),
        "NO_MKDOCS_2_WARNING": "1",
    }
    command = [sys.executable, __file__, "--child-build", str(config_file), str(site_dir)]
    done = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"build with {config_file} failed:\n{done.stderr[-4000:]}")
    return BuildRun(**json.loads(done.stdout.strip().splitlines()[-1]))


def best_build(config_file: Path, site_dir: Path, catalog_dir: Path, repeat: int) -> BuildRun:
    """The fastest (least CPU time) of ``repeat`` builds: the one least disturbed by others."""
    runs = [run_build(config_file, site_dir, catalog_dir) for _ in range(repeat)]
    return min(runs, key=lambda run: run.cpu_seconds)


# --- measuring the output ------------------------------------------------------------------


@dataclass(frozen=True)
class SiteStats:
    pages: int
    mean_bytes: float
    max_bytes: int
    largest: str
    over_limit: int
    heaviest: tuple[tuple[str, int], ...]
    index_bytes: int
    index_gzip_bytes: int


def measure_site(site_dir: Path) -> SiteStats:
    sizes = {p: p.stat().st_size for p in site_dir.rglob("*.html")}
    largest = max(sizes, key=sizes.__getitem__)
    heaviest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
    index = site_dir / SEARCH_INDEX
    raw = index.read_bytes() if index.exists() else b""
    return SiteStats(
        pages=len(sizes),
        mean_bytes=sum(sizes.values()) / len(sizes),
        max_bytes=sizes[largest],
        largest=largest.relative_to(site_dir).as_posix(),
        over_limit=sum(1 for size in sizes.values() if size > PAGE_LIMIT_BYTES),
        heaviest=tuple((p.relative_to(site_dir).as_posix(), size) for p, size in heaviest),
        index_bytes=len(raw),
        index_gzip_bytes=len(gzip.compress(raw, mtime=0)) if raw else 0,
    )


@dataclass(frozen=True)
class SizeResult:
    procedures: int
    ours: BuildRun
    bare: BuildRun
    site: SiteStats
    bare_pages: int

    @property
    def ratio(self) -> float:
        return self.ours.seconds / self.bare.seconds

    @property
    def cpu_ratio(self) -> float:
        return self.ours.cpu_seconds / self.bare.cpu_seconds

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.ours.cpu_seconds / self.site.pages


def bench_size(n: int, repeat: int = 1) -> SizeResult:
    """Generate, build ours, build bare, measure: everything in one temporary folder."""
    with tempfile.TemporaryDirectory(prefix=f"hcc-bench-{n}-") as tmp:
        root = Path(tmp)
        catalog_dir = root / "catalog"
        catalog_dir.mkdir()
        write_catalog(catalog_dir, n)
        write_bare_docs(catalog_dir, root / "bare-docs")
        write_bare_config(root / "bare-docs", root / "bare-mkdocs.yml")
        log(f"  {n}: building our site…")
        ours = best_build(CONFIG, root / "site-ours", catalog_dir, repeat)
        log(f"  {n}: our build {ours.seconds:.1f} s; building the bare site…")
        bare = best_build(root / "bare-mkdocs.yml", root / "site-bare", catalog_dir, repeat)
        log(f"  {n}: bare build {bare.seconds:.1f} s")
        site = measure_site(root / "site-ours")
        bare_pages = sum(1 for _ in (root / "site-bare").rglob("*.html"))
    log(f"  {n}: {site.pages} HTML pages in our build, {bare_pages} in the bare one")
    return SizeResult(n, ours, bare, site, bare_pages)


# --- report --------------------------------------------------------------------------------


def table(results: list[SizeResult]) -> str:
    """The figures as a Markdown table (readable in a terminal, pasted as is into the docs)."""
    base = results[0].ms_per_page
    header = (
        "| procedures | pages | our build s (wall / CPU) | bare build s (wall / CPU) | "
        "ratio (wall / CPU) | CPU ms/page | ms/page vs "
        f"{results[0].procedures} | mean / max KB per page | pages > 50 KB | "
        "search index KB (raw / gzip) | peak MB (ours / bare) |"
    )
    rows = [header, "|" + "---:|" * 11]
    for r in results:
        s = r.site
        rows.append(
            f"| {r.procedures} | {s.pages} | {r.ours.seconds:.1f} / {r.ours.cpu_seconds:.1f} | "
            f"{r.bare.seconds:.1f} / {r.bare.cpu_seconds:.1f} | "
            f"{r.ratio:.2f} / {r.cpu_ratio:.2f} | {r.ms_per_page:.1f} | "
            f"{r.ms_per_page / base:.2f} | "
            f"{s.mean_bytes / 1024:.1f} / {s.max_bytes / 1024:.1f} | {s.over_limit} | "
            f"{s.index_bytes / 1024:.0f} / {s.index_gzip_bytes / 1024:.0f} | "
            f"{r.ours.peak_rss_mb:.0f} / {r.bare.peak_rss_mb:.0f} |"
        )
    return "\n".join(rows)


def overhead_table(results: list[SizeResult]) -> str:
    """Where our extra CPU time goes: config load (imports the hook), hook events, the rest."""
    rows = [
        "| procedures | ours - bare CPU s | config load CPU s (ours / bare) | "
        "hook events CPU s | rest CPU s |",
        "|" + "---:|" * 5,
    ]
    for r in results:
        extra = r.ours.cpu_seconds - r.bare.cpu_seconds
        config = r.ours.config_seconds - r.bare.config_seconds
        hooks = r.ours.hook_seconds - r.bare.hook_seconds
        rows.append(
            f"| {r.procedures} | {extra:.1f} | "
            f"{r.ours.config_seconds:.1f} / {r.bare.config_seconds:.1f} | {hooks:.1f} | "
            f"{extra - config - hooks:.1f} |"
        )
    return "\n".join(rows)


def busy_machine(results: list[SizeResult]) -> bool:
    """Whether other processes took the CPU from a build (wall time well above CPU time)."""
    runs = [run for r in results for run in (r.ours, r.bare)]
    return any(run.seconds > BUSY_FACTOR * run.cpu_seconds for run in runs)


def verdicts(results: list[SizeResult]) -> list[str]:
    """One line per target: PASS or FAIL with the figure that decides it."""
    worst = max(results, key=lambda r: r.site.max_bytes)
    over = sum(r.site.over_limit for r in results)
    lines = [
        _verdict(
            over == 0,
            "every built HTML page <= 50 KB",
            f"largest {worst.site.max_bytes / 1024:.1f} KB ({worst.site.largest} at "
            f"{worst.procedures}); {over} page(s) over",
        )
    ]
    first, last = results[0], results[-1]
    if len(results) > 1:
        growth = last.ms_per_page / first.ms_per_page
        lines.append(
            _verdict(
                growth <= MS_PER_PAGE_GROWTH_LIMIT,
                f"ms/page at {last.procedures} <= {MS_PER_PAGE_GROWTH_LIMIT}x at {first.procedures}",
                f"{last.ms_per_page:.1f} vs {first.ms_per_page:.1f} CPU ms = {growth:.2f}x",
            )
        )
    worst_ratio = max(results, key=lambda r: r.cpu_ratio)
    lines.append(
        _verdict(
            worst_ratio.cpu_ratio <= BARE_RATIO_LIMIT,
            f"our build <= {BARE_RATIO_LIMIT}x bare at every size",
            f"worst {worst_ratio.cpu_ratio:.2f}x CPU time at {worst_ratio.procedures} "
            f"(wall {worst_ratio.ratio:.2f}x)",
        )
    )
    return lines


def _verdict(ok: bool, target: str, figure: str) -> str:
    return f"{'PASS' if ok else 'FAIL'}  {target}: {figure}"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes are positive integers, e.g. 500,2000,5000")
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="comma-separated catalog sizes (default: 500,2000,5000)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="builds per configuration and size; the fastest counts (default: 1)",
    )
    parser.add_argument(
        "--child-build", nargs=2, metavar=("CONFIG", "SITE_DIR"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child_build:
        child_build(*args.child_build)
        return
    log(f"Site-build benchmark, sizes {', '.join(map(str, args.sizes))} ({os.cpu_count()} CPUs)")
    started = time.perf_counter()
    results = [bench_size(n, max(1, args.repeat)) for n in args.sizes]
    print(table(results))
    print()
    print(overhead_table(results))
    print()
    if busy_machine(results):
        print("Note: the machine was busy (wall time > CPU time); compare the CPU figures.\n")
    print("Targets (informational; times judged on CPU time):")
    for line in verdicts(results):
        print(f"  {line}")
    print()
    print(f"Heaviest pages at {results[-1].procedures} procedures:")
    for path, size in results[-1].site.heaviest:
        print(f"  {size / 1024:6.1f} KB  {path}")
    log(f"Done in {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
